//! Typed settings read from the environment. Bad configuration stops start-up with one line naming the
//! variable. Secrets never appear in `Debug` output.

use std::fmt;
use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use base64::Engine;
use ocf_persistence::DatabaseUrl;

use crate::auth::HashingSettings;

mod streams;
mod webhooks;

pub use streams::StreamSettings;

pub const DEFAULT_DATABASE_URL: &str = "sqlite://ocf.db";
pub const DEFAULT_BIND_ADDRESS: &str = "127.0.0.1:8080";

/// A signing key for access tokens, at least 32 bytes.
#[derive(Clone)]
pub struct JwtSecret(Vec<u8>);

impl JwtSecret {
    pub const MIN_LEN: usize = 32;

    /// # Errors
    /// When the secret is shorter than 32 bytes.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Result<Self, String> {
        let bytes = bytes.into();
        if bytes.len() < Self::MIN_LEN {
            return Err(format!("must be at least {} bytes long", Self::MIN_LEN));
        }
        Ok(Self(bytes))
    }

    pub fn expose(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for JwtSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("JwtSecret(<redacted>)")
    }
}

/// Login throttling: failures allowed per account and per client address within `window`.
#[derive(Debug, Clone, Copy)]
pub struct ThrottleSettings {
    pub max_failures_per_account: u32,
    pub max_failures_per_ip: u32,
    pub window: Duration,
}

impl Default for ThrottleSettings {
    fn default() -> Self {
        Self {
            max_failures_per_account: 5,
            max_failures_per_ip: 50,
            window: Duration::from_secs(15 * 60),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: DatabaseUrl,
    pub database_pool_size: u32,
    pub bind_address: SocketAddr,
    pub jwt_secret: JwtSecret,
    pub cors_allowed_origins: Vec<String>,
    pub throttle: ThrottleSettings,
    /// Take the client address for throttling from `X-Forwarded-For` (only behind a trusted proxy).
    pub trust_forwarded_for: bool,
    /// HTTP worker threads; `None` means one per core.
    pub workers: Option<usize>,
    /// How long an anonymous list response is served from memory; zero turns the cache off.
    pub public_cache_ttl: Duration,
    /// How many password hashes run at once, and how long a sign-in waits for one.
    pub password_hashing: HashingSettings,
    /// Live streams (`GET /forums/{id}/events`).
    pub streams: StreamSettings,
    /// Requests each partner channel may make per minute (`PARTNER_QUOTA_PER_MINUTE`), across instances.
    pub partner_quota_per_minute: u32,
    /// Proposals changed after the funnel reader's cursor beyond which `GET /stats/funnel` computes its
    /// filter from the state and the log instead of the projection (`FUNNEL_FAR_BEHIND`).
    pub funnel_far_behind: usize,
    /// How webhooks are sent (`WEBHOOK_ALLOW_PRIVATE_TARGETS`, `WEBHOOK_RETRY_SCALE`).
    pub webhooks: crate::webhook::WebhookSettings,
}

#[derive(Debug, thiserror::Error)]
#[error("configuration error: {var} {message}")]
pub struct ConfigError {
    pub var: &'static str,
    pub message: String,
}

fn err(var: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError {
        var,
        message: message.into(),
    }
}

impl Settings {
    /// Reads the process environment. May create the JWT secret file next to a SQLite database.
    ///
    /// # Errors
    /// [`ConfigError`] naming the first variable that is invalid.
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_lookup(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
    }

    /// Like [`Settings::from_env`], reading variables through `get`.
    ///
    /// # Errors
    /// [`ConfigError`] naming the first variable that is invalid.
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let database_url = DatabaseUrl::parse(
            &get("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_owned()),
        )
        .map_err(|e| {
            err(
                "DATABASE_URL",
                e.to_string()
                    .trim_start_matches("invalid DATABASE_URL: ")
                    .to_owned(),
            )
        })?;
        let database_pool_size = parse_num(&get, "DATABASE_POOL_SIZE", 10u32, 1..=200)?;
        let bind_address = get("BIND_ADDRESS")
            .unwrap_or_else(|| DEFAULT_BIND_ADDRESS.to_owned())
            .parse::<SocketAddr>()
            .map_err(|_| {
                err(
                    "BIND_ADDRESS",
                    "must be an address and port such as 127.0.0.1:8080",
                )
            })?;
        let jwt_secret = match get("JWT_SECRET") {
            Some(s) => JwtSecret::new(s.into_bytes()).map_err(|m| err("JWT_SECRET", m))?,
            None => match &database_url {
                DatabaseUrl::Sqlite(path) => secret_beside(path)?,
                DatabaseUrl::Postgres(_) => {
                    return Err(err(
                        "JWT_SECRET",
                        "is required with PostgreSQL: every instance must sign tokens with the same key",
                    ));
                }
            },
        };
        let cors_allowed_origins = match get("CORS_ALLOWED_ORIGINS") {
            None => Vec::new(),
            Some(list) => list
                .split(',')
                .map(str::trim)
                .filter(|o| !o.is_empty())
                .map(|o| validate_origin(o).map(str::to_owned))
                .collect::<Result<_, _>>()?,
        };
        let defaults = ThrottleSettings::default();
        let throttle = ThrottleSettings {
            max_failures_per_account: parse_num(
                &get,
                "LOGIN_MAX_FAILURES_PER_ACCOUNT",
                defaults.max_failures_per_account,
                1..=1000,
            )?,
            max_failures_per_ip: parse_num(
                &get,
                "LOGIN_MAX_FAILURES_PER_IP",
                defaults.max_failures_per_ip,
                1..=100_000,
            )?,
            window: Duration::from_secs(parse_num(
                &get,
                "LOGIN_THROTTLE_WINDOW_SECONDS",
                defaults.window.as_secs(),
                1..=86_400,
            )?),
        };
        let trust_forwarded_for = match get("TRUST_FORWARDED_FOR").as_deref() {
            None | Some("false" | "0") => false,
            Some("true" | "1") => true,
            Some(_) => return Err(err("TRUST_FORWARDED_FOR", "must be true or false")),
        };
        let workers = match get("HTTP_WORKERS") {
            None => None,
            Some(_) => Some(parse_num(&get, "HTTP_WORKERS", 1usize, 1..=256)?),
        };
        let public_cache_ttl =
            Duration::from_millis(parse_num(&get, "PUBLIC_CACHE_TTL_MS", 1000u64, 0..=60_000)?);
        let hashing_defaults = HashingSettings::default();
        let password_hashing = HashingSettings {
            concurrency: parse_num(
                &get,
                "PASSWORD_HASHING_CONCURRENCY",
                hashing_defaults.concurrency,
                1..=64,
            )?,
            queue_timeout: Duration::from_millis(parse_num(
                &get,
                "PASSWORD_HASHING_QUEUE_MS",
                2000u64,
                0..=60_000,
            )?),
        };
        let streams = StreamSettings::from_lookup(&get)?;
        let partner_quota_per_minute =
            parse_num(&get, "PARTNER_QUOTA_PER_MINUTE", 6_000u32, 1..=10_000_000)?;
        let funnel_far_behind = parse_num(
            &get,
            "FUNNEL_FAR_BEHIND",
            ocf_persistence::DEFAULT_FUNNEL_FAR_BEHIND,
            0..=10_000_000,
        )?;
        let webhooks = webhooks::from_lookup(&get)?;
        Ok(Self {
            webhooks,
            partner_quota_per_minute,
            funnel_far_behind,
            database_url,
            database_pool_size,
            bind_address,
            jwt_secret,
            cors_allowed_origins,
            throttle,
            trust_forwarded_for,
            workers,
            public_cache_ttl,
            password_hashing,
            streams,
        })
    }
}

fn parse_num<T>(
    get: &impl Fn(&str) -> Option<String>,
    var: &'static str,
    default: T,
    range: std::ops::RangeInclusive<T>,
) -> Result<T, ConfigError>
where
    T: std::str::FromStr + PartialOrd + fmt::Display + Copy,
{
    match get(var) {
        None => Ok(default),
        Some(raw) => raw
            .trim()
            .parse::<T>()
            .ok()
            .filter(|v| range.contains(v))
            .ok_or_else(|| {
                err(
                    var,
                    format!(
                        "must be a whole number from {} to {}",
                        range.start(),
                        range.end()
                    ),
                )
            }),
    }
}

fn validate_origin(origin: &str) -> Result<&str, ConfigError> {
    if origin == "*" {
        return Ok(origin);
    }
    let rest = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
        .ok_or_else(|| {
            err(
                "CORS_ALLOWED_ORIGINS",
                format!("'{origin}' must start with http:// or https://"),
            )
        })?;
    if rest.is_empty() || rest.contains('/') {
        return Err(err(
            "CORS_ALLOWED_ORIGINS",
            format!("'{origin}' must be an origin (scheme, host and optional port) without a path"),
        ));
    }
    Ok(origin)
}

/// The embedded default: with no `JWT_SECRET`, a random key is kept in `<database>.jwt-secret` (mode 0600),
/// created on first run, so tokens survive restarts. Two processes starting together on a fresh file (the
/// server and `seed`, say) agree on one key: the key is written whole to a file of this process's own and
/// then linked into place, which succeeds for exactly one of them; the other reads the winner's key.
fn secret_beside(db_path: &Path) -> Result<JwtSecret, ConfigError> {
    let mut path: PathBuf = db_path.to_path_buf();
    path.as_mut_os_string().push(".jwt-secret");
    if let Some(secret) = read_secret(&path)? {
        return Ok(secret);
    }
    let cannot =
        |what: &str, e: std::io::Error| err("JWT_SECRET", format!("is unset and {what}: {e}"));
    let mut bytes = [0u8; 48];
    getrandom::fill(&mut bytes).map_err(|e| {
        err(
            "JWT_SECRET",
            format!("is unset and no random key could be made: {e}"),
        )
    })?;
    let secret = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .map_err(|e| cannot(&format!("{} cannot be created", parent.display()), e))?;
    }
    let mut draft = path.clone();
    draft
        .as_mut_os_string()
        .push(format!(".{}-{}", std::process::id(), &secret[..8]));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let written = options.open(&draft).and_then(|mut file| {
        file.write_all(secret.as_bytes())
            .and_then(|()| file.sync_all())
    });
    if let Err(e) = written {
        let _ = std::fs::remove_file(&draft);
        return Err(cannot(&format!("{} cannot be written", draft.display()), e));
    }
    let linked = std::fs::hard_link(&draft, &path);
    let _ = std::fs::remove_file(&draft);
    match linked {
        Ok(()) => {
            log::info!(
                "JWT_SECRET is unset: generated a signing key and stored it in {} (mode 0600)",
                path.display()
            );
            JwtSecret::new(secret.into_bytes()).map_err(|m| err("JWT_SECRET", m))
        }
        // Another process got there first: use its key.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            read_secret(&path)?.ok_or_else(|| cannot(&format!("{} vanished", path.display()), e))
        }
        Err(e) => Err(cannot(&format!("{} cannot be written", path.display()), e)),
    }
}

/// The key in `path`, or `None` when there is no such file.
fn read_secret(path: &Path) -> Result<Option<JwtSecret>, ConfigError> {
    match std::fs::read_to_string(path) {
        Ok(text) => JwtSecret::new(text.trim().as_bytes().to_vec())
            .map(Some)
            .map_err(|m| err("JWT_SECRET", format!("is unset and {} {m}", path.display()))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(err(
            "JWT_SECRET",
            format!("is unset and {} cannot be read: {e}", path.display()),
        )),
    }
}

#[cfg(test)]
mod tests;
