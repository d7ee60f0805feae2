//! `ocf-api`: the Open Communication Forum API server and its administrative subcommands.

use std::process::ExitCode;

use clap::Parser;
use ocf_api::app::{Application, open_database};
use ocf_api::cli::{AdminCommand, Cli, Command, admin_password, create_admin};
use ocf_api::{Settings, openapi, seed};

fn main() -> ExitCode {
    if let Err(e) = ocf_api::logging::init() {
        eprintln!("cannot start logging: {e}");
    }
    let cli = Cli::parse();
    let command = cli.command.unwrap_or(Command::Serve);
    if let Command::Openapi = command {
        return match openapi::document_yaml() {
            Ok(yaml) => {
                print!("{yaml}");
                ExitCode::SUCCESS
            }
            Err(e) => fail(&e),
        };
    }
    let settings = match Settings::from_env() {
        Ok(s) => s,
        Err(e) => return fail(&e),
    };
    match command {
        Command::Serve | Command::Openapi => serve(settings),
        Command::Migrate => match open_database(&settings) {
            Ok(_) => {
                println!("database at {} is up to date", settings.database_url);
                ExitCode::SUCCESS
            }
            Err(e) => fail(&e),
        },
        Command::Seed => match open_database(&settings)
            .map_err(|e| e.to_string())
            .and_then(|db| seed::seed(&db).map_err(|e| e.to_string()))
        {
            Ok(report) => {
                println!(
                    "seeded {} organization(s) and {} policy area(s); existing entries were kept",
                    report.organizations_added, report.policy_areas_added
                );
                ExitCode::SUCCESS
            }
            Err(e) => fail(&e),
        },
        Command::Admin {
            action:
                AdminCommand::Create {
                    email,
                    display_name,
                },
        } => {
            let result = open_database(&settings)
                .map_err(|e| e.to_string())
                .and_then(|db| {
                    let password = admin_password().map_err(|e| e.to_string())?;
                    create_admin(&db, &email, &display_name, &password).map_err(|e| e.to_string())
                });
            match result {
                Ok(id) => {
                    println!("created admin {email} (id {id})");
                    ExitCode::SUCCESS
                }
                Err(e) => fail(&e),
            }
        }
    }
}

fn serve(settings: Settings) -> ExitCode {
    let address = settings.bind_address;
    let database = settings.database_url.to_string();
    let result = actix_web::rt::System::new().block_on(async move {
        let app = Application::build(settings)
            .await
            .map_err(|e| e.to_string())?;
        let shown = if address.ip().is_unspecified() {
            format!("127.0.0.1:{}", app.port())
        } else {
            format!("{}:{}", address.ip(), app.port())
        };
        log::info!("database: {database}");
        println!("OCF API listening on http://{shown}  (Swagger UI: http://{shown}/docs/)");
        app.run_until_stopped().await.map_err(|e| e.to_string())
    });
    match result {
        Ok(()) => {
            log::info!("stopped");
            ExitCode::SUCCESS
        }
        Err(e) => fail(&e),
    }
}

fn fail(e: &dyn std::fmt::Display) -> ExitCode {
    eprintln!("ocf-api: {e}");
    ExitCode::FAILURE
}
