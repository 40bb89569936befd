//! Configuration from flags or `QM_*` environment variables.

use clap::Parser;
use std::net::SocketAddr;
use std::path::PathBuf;

/// Quality Month: API and host of the built web app.
#[derive(Debug, Clone, Parser)]
#[command(name = "quality-month-server", version, about)]
pub struct Config {
    /// Address and port to listen on.
    #[arg(long, env = "QM_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,

    /// `sqlite://path` (created if missing) or `postgres://user@host/db`.
    #[arg(
        long,
        env = "QM_DATABASE_URL",
        default_value = "sqlite://data/quality-month.sqlite3"
    )]
    pub database_url: String,

    /// Folder of the built web app (`trunk build` output).
    #[arg(long, env = "QM_DIST_DIR", default_value = "dist")]
    pub dist_dir: PathBuf,

    /// Fill an empty database with demo content.
    #[arg(long, env = "QM_DEMO", default_value_t = true, action = clap::ArgAction::Set)]
    pub demo: bool,

    /// Writes (POST requests) one client may make in a minute.
    #[arg(long, env = "QM_WRITES_PER_MINUTE", default_value_t = 30)]
    pub writes_per_minute: u32,

    /// Largest pool of database connections.
    #[arg(long, env = "QM_DB_MAX_CONNECTIONS", default_value_t = 8)]
    pub db_max_connections: u32,
}
