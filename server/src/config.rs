//! Configuration from flags or `QM_*` environment variables.

use clap::Parser;
use clap::builder::BoolishValueParser;
use ipnet::IpNet;
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

    /// Fill an empty database with demo content (true/false, 1/0, yes/no). Refused on a
    /// database that already holds real data.
    #[arg(long, env = "QM_DEMO", default_value = "false", value_parser = BoolishValueParser::new(), action = clap::ArgAction::Set)]
    pub demo: bool,

    /// Writes (POST requests) one client address (an IPv6 /64) may make in a minute. Sized
    /// for a carrier NAT, where thousands of phones share one address.
    #[arg(long, env = "QM_WRITES_PER_MINUTE", default_value_t = 600)]
    pub writes_per_minute: u32,

    /// Largest pool of database connections.
    #[arg(long, env = "QM_DB_MAX_CONNECTIONS", default_value_t = 8)]
    pub db_max_connections: u32,

    /// Open client connections at most; past it new ones get 503 at once.
    #[arg(long, env = "QM_MAX_CONNECTIONS", default_value_t = 1024)]
    pub max_connections: usize,

    /// Reverse proxies whose `X-Forwarded-For` is believed (comma-separated CIDRs, e.g.
    /// `127.0.0.1/32,10.0.0.0/8`). The client is the right-most address not in this list.
    #[arg(long, env = "QM_TRUSTED_PROXIES", value_delimiter = ',', num_args = 0..)]
    pub trusted_proxies: Vec<IpNet>,

    /// The address people use (`https://…`); with https every answer carries HSTS.
    #[arg(long, env = "QM_PUBLIC_URL")]
    pub public_url: Option<String>,

    /// Days after an event or a visit that the names and phone numbers of its sign-ups
    /// and bookings are erased (and buyer lists, after handover).
    #[arg(long, env = "QM_RETENTION_DAYS", default_value_t = 90)]
    pub retention_days: u32,

    /// Where SMS go: `none` (phone verification off), `log` (the server log shows the
    /// masked phone and the text; development), or `webhook` (the operator's gateway).
    #[arg(long, env = "QM_SMS_SENDER", default_value = "none")]
    pub sms_sender: String,

    /// `webhook`: the gateway's address (`http://…`, inside the operator's network).
    #[arg(long, env = "QM_SMS_WEBHOOK_URL")]
    pub sms_webhook_url: Option<String>,

    /// `webhook`: the shared secret that signs each request (at least 16 characters).
    #[arg(long, env = "QM_SMS_WEBHOOK_SECRET", hide_env_values = true)]
    pub sms_webhook_secret: Option<String>,

    /// Where the server keeps its own files (the secret key, when QM_SECRET_KEY is unset).
    #[arg(long, env = "QM_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,

    /// The key that signs phone tokens and keys survey hashes (at least 32 characters).
    /// Unset: a random key kept in `<QM_DATA_DIR>/secret.key` (mode 0600). Never put it
    /// in the database; every instance behind one address needs the same key.
    #[arg(long, env = "QM_SECRET_KEY", hide_env_values = true)]
    pub secret_key: Option<String>,

    /// Without a command the server serves; a command does one job and exits.
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, clap::Subcommand)]
pub enum Command {
    /// Staff accounts, made on the server itself.
    #[command(subcommand)]
    Staff(crate::staff::cli::StaffCommand),
    /// A consistent copy of the SQLite database, taken while the server runs.
    Backup {
        /// The new file to write (refused if it exists).
        #[arg(long)]
        to: PathBuf,
    },
    /// Puts a backup in place of the SQLite database: stop the server first. The file is
    /// checked (integrity, made by this release or an earlier one) before anything moves.
    Restore {
        #[arg(long)]
        from: PathBuf,
    },
}

impl Config {
    /// Whether the public address is served over TLS (by the proxy in front of us).
    pub fn https(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|u| u.to_ascii_lowercase().starts_with("https://"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Config, clap::Error> {
        Config::try_parse_from(std::iter::once("quality-month-server").chain(args.iter().copied()))
    }

    #[test]
    fn demo_is_off_unless_asked_and_accepts_every_usual_boolean() {
        assert!(!parse(&[]).unwrap().demo);
        for yes in ["1", "true", "yes", "on"] {
            assert!(parse(&["--demo", yes]).unwrap().demo, "{yes}");
        }
        for no in ["0", "false", "no", "off"] {
            assert!(!parse(&["--demo", no]).unwrap().demo, "{no}");
        }
        assert!(parse(&["--demo", "maybe"]).is_err());
    }

    #[test]
    fn staff_add_reads_role_and_scopes() {
        let c = parse(&[
            "staff",
            "add",
            "--login",
            "nq",
            "--role",
            "organiser",
            "--scope",
            "town:nanqiao",
            "--password-stdin",
        ])
        .unwrap();
        let Some(Command::Staff(crate::staff::cli::StaffCommand::Add { role, scopes, .. })) =
            c.command
        else {
            panic!("not staff add");
        };
        assert_eq!(role, model::Role::Organiser);
        assert_eq!(scopes, vec![model::Scope::Town(model::Town::Nanqiao)]);
        assert!(
            parse(&[
                "staff",
                "add",
                "--login",
                "x",
                "--role",
                "king",
                "--password-stdin"
            ])
            .is_err()
        );
        assert!(parse(&["staff", "add", "--login", "x", "--role", "door"]).is_err());
    }

    #[test]
    fn trusted_proxies_are_cidrs() {
        let c = parse(&["--trusted-proxies", "127.0.0.1/32,10.0.0.0/8,::1/128"]).unwrap();
        assert_eq!(c.trusted_proxies.len(), 3);
        assert!(parse(&["--trusted-proxies", "10.0.0.300/8"]).is_err());
    }

    #[test]
    fn https_is_read_from_the_public_url() {
        assert!(
            parse(&["--public-url", "https://zlm.fengxian.gov.cn"])
                .unwrap()
                .https()
        );
        assert!(
            !parse(&["--public-url", "http://127.0.0.1:8080"])
                .unwrap()
                .https()
        );
        assert!(!parse(&[]).unwrap().https());
    }
}
