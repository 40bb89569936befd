use clap::Parser;
use quality_month_server::config::Command;
use quality_month_server::{Config, store};
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let config = Config::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=warn")),
        )
        .init();
    if let Some(command) = config.command.clone() {
        let done = match command {
            Command::Staff(command) => {
                quality_month_server::staff::cli::connect_and_run(&config, command).await
            }
            Command::Backup { to } => backup(&config.database_url, &to).await,
            Command::Restore { from } => match store::sqlite_path(&config.database_url) {
                Some(database) => store::restore_sqlite(&from, &database).await,
                None => Err("restore is for a SQLite file; use pg_restore for PostgreSQL".into()),
            },
        };
        return match done {
            Ok(message) => {
                println!("{message}");
                std::process::ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("{e}");
                std::process::ExitCode::FAILURE
            }
        };
    }
    match quality_month_server::serve(config).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!("{e}");
            std::process::ExitCode::FAILURE
        }
    }
}

/// `backup --to FILE`: a copy of the running server's SQLite database.
async fn backup(url: &str, to: &std::path::Path) -> Result<String, String> {
    let store = store::Store::connect(url, 1)
        .await
        .map_err(|e| e.to_string())?;
    let done = store.backup_sqlite(to).await;
    store.close().await;
    done.map(|()| format!("backed up to {}", to.display()))
}
