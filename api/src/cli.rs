//! The `ocf-api` command line: serve (the default), migrate, seed, admin create, openapi.

use std::io::BufRead;

use clap::{Parser, Subcommand};
use ocf_domain::account::{DisplayName, Email, NewPassword, NewUser, Role, Roles};
use ocf_domain::ports::UserRepository;
use ocf_domain::{Id, RepoError};
use ocf_persistence::Database;

use crate::auth::{HashingSettings, Passwords};

#[derive(Debug, Parser)]
#[command(
    name = "ocf-api",
    version,
    about = "Open Communication Forum API server. Configured by environment variables (see README)."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the API (the default): migrate, bind BIND_ADDRESS, serve until SIGTERM.
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Load reference data (ministries, policy areas); safe to run again.
    Seed,
    /// Manage admin accounts.
    Admin {
        #[command(subcommand)]
        action: AdminCommand,
    },
    /// Print the OpenAPI document as YAML.
    Openapi,
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create an admin account. The password comes from OCF_ADMIN_PASSWORD, or else one line of stdin.
    Create {
        /// The admin's sign-in email.
        #[arg(long)]
        email: String,
        /// The admin's public name.
        #[arg(long, default_value = "Administrator")]
        display_name: String,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error("{0}")]
    Invalid(String),
    #[error(
        "an account with email {0} already exists; promote it with PATCH /api/v1/users/{{id}} as an admin"
    )]
    Exists(String),
    #[error(transparent)]
    Repo(#[from] RepoError),
}

/// Reads the admin password from `OCF_ADMIN_PASSWORD` or, failing that, the first line of stdin.
///
/// # Errors
/// When neither gives a password.
pub fn admin_password() -> Result<String, AdminError> {
    if let Ok(p) = std::env::var("OCF_ADMIN_PASSWORD") {
        return Ok(p);
    }
    eprintln!("OCF_ADMIN_PASSWORD is not set; reading the password from the first line of stdin");
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| AdminError::Invalid(format!("cannot read the password: {e}")))?;
    let password = line.trim_end_matches(['\r', '\n']).to_owned();
    if password.is_empty() {
        return Err(AdminError::Invalid(
            "no password given (set OCF_ADMIN_PASSWORD or pipe it on stdin)".to_owned(),
        ));
    }
    Ok(password)
}

/// Creates an admin account with the same rules as registration.
///
/// # Errors
/// [`AdminError`] for invalid input or an existing account.
pub fn create_admin(
    db: &Database,
    email: &str,
    display_name: &str,
    password: &str,
) -> Result<String, AdminError> {
    let email = Email::parse(email).map_err(|e| AdminError::Invalid(format!("--email {e}")))?;
    let display_name = DisplayName::parse(display_name)
        .map_err(|e| AdminError::Invalid(format!("--display-name {e}")))?;
    let password = NewPassword::parse(password, Some(&email))
        .map_err(|e| AdminError::Invalid(format!("password {e}")))?;
    let passwords = Passwords::new(HashingSettings::default())
        .map_err(|e| AdminError::Invalid(e.to_string()))?;
    let password_hash = passwords
        .slot_blocking()
        .and_then(|slot| slot.hash(password.expose()))
        .map_err(|e| AdminError::Invalid(e.to_string()))?;
    let roles =
        Roles::from_set([Role::Admin].into()).map_err(|e| AdminError::Invalid(e.to_string()))?;
    let user = NewUser {
        id: Id::generate(),
        email: email.clone(),
        display_name,
        password_hash,
        roles,
        created_at: ocf_domain::clock::now(),
    };
    match db.create_user(&user) {
        Ok(u) => Ok(u.id.to_string()),
        Err(RepoError::Duplicate { .. }) => Err(AdminError::Exists(email.to_string())),
        Err(e) => Err(e.into()),
    }
}
