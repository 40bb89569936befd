//! `quality-month-server staff add --login L --role R [--scope …] --password-stdin`:
//! the first account, made on the server itself (no network, no session).

use super::passwords;
use crate::store::{Store, now_unix};
use clap::Subcommand;
use model::{Grant, Role, Scope};
use std::io::BufRead;

#[derive(Debug, Clone, Subcommand)]
pub enum StaffCommand {
    /// Creates a staff account. The password is read from standard input (one line),
    /// never from the command line, where other users of the machine could see it.
    Add {
        #[arg(long)]
        login: String,
        /// admin, organiser, project_office, door or analyst.
        #[arg(long, value_parser = parse_role)]
        role: Role,
        /// Where the role applies: town:nanqiao, event:12, project:3 (repeatable).
        #[arg(long = "scope", value_parser = parse_scope)]
        scopes: Vec<Scope>,
        /// Read the password from standard input.
        #[arg(long, required = true)]
        password_stdin: bool,
    },
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).ok_or_else(|| {
        let all: Vec<_> = Role::ALL.iter().map(|r| r.as_str()).collect();
        format!("one of {}", all.join(", "))
    })
}

fn parse_scope(s: &str) -> Result<Scope, String> {
    Scope::parse(s).map_err(|_| "town:<slug>, event:<id> or project:<id>".to_string())
}

/// Opens the configured database (migrating it, as the server would) and runs `command`.
pub async fn connect_and_run(
    config: &crate::Config,
    command: StaffCommand,
) -> Result<String, String> {
    let store = Store::connect(&config.database_url, 1)
        .await
        .map_err(|e| e.to_string())?;
    store.migrate().await.map_err(|e| e.to_string())?;
    let result = run(&store, command).await;
    store.close().await;
    result
}

pub async fn run(store: &Store, command: StaffCommand) -> Result<String, String> {
    match command {
        StaffCommand::Add {
            login,
            role,
            scopes,
            password_stdin: _,
        } => {
            let login =
                model::staff::parse_login(&login).map_err(|e| format!("login: {}", describe(e)))?;
            let mut password = String::new();
            std::io::stdin()
                .lock()
                .read_line(&mut password)
                .map_err(|e| format!("reading the password: {e}"))?;
            let password = password.trim_end_matches(['\r', '\n']);
            passwords::check_new(&login, password)
                .map_err(|e| format!("password: {}", describe(e)))?;
            let hash = passwords::hash(password);
            let grant = Grant { role, scopes };
            let account = store
                .create_account(&login, &hash, &grant, None, now_unix())
                .await
                .map_err(|e| match e {
                    crate::error::AppError::Validation(_) => format!("login {login} is taken"),
                    other => other.to_string(),
                })?;
            Ok(format!(
                "staff account {} ({}) created",
                account.login,
                account.grant.role.as_str()
            ))
        }
    }
}

fn describe(e: model::FieldError) -> &'static str {
    use model::FieldError as F;
    match e {
        F::Required => "required",
        F::TooShort => "too short (passwords: at least 12 characters)",
        F::TooLong => "too long",
        F::Common => "too common or too easy to guess",
        _ => "not valid (letters, digits and . _ - @)",
    }
}
