//! `quality-month-server staff add`: the first account, made without a network.

mod common;

use common::TempDir;
use quality_month_server::Store;
use std::io::Write;
use std::process::{Command, Stdio};

fn staff_add(db: &str, args: &[&str], password: &str) -> std::process::Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_quality-month-server"))
        .env("QM_DATABASE_URL", db)
        .args(["staff", "add"])
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run the server binary");
    writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
    child.wait_with_output().unwrap()
}

#[tokio::test]
async fn the_first_admin_is_made_on_the_command_line() {
    let dir = TempDir::new();
    let db = format!("sqlite://{}", dir.path.join("cli.sqlite3").display());
    let admin = ["--login", "Admin", "--role", "admin", "--password-stdin"];
    let weak = staff_add(&db, &admin, "1qaz2wsx3edc");
    assert!(!weak.status.success());
    assert!(String::from_utf8_lossy(&weak.stderr).contains("too common"));
    let short = staff_add(&db, &admin, "short");
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 12"));
    let made = staff_add(&db, &admin, "river-lamp-orbit-47");
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    assert!(String::from_utf8_lossy(&made.stdout).contains("admin"));
    let again = staff_add(&db, &admin, "river-lamp-orbit-47");
    assert!(String::from_utf8_lossy(&again.stderr).contains("taken"));
    let scoped = staff_add(
        &db,
        &[
            "--login",
            "nanqiao",
            "--role",
            "organiser",
            "--scope",
            "town:nanqiao",
            "--password-stdin",
        ],
        "南桥质量月二〇二六年九月",
    );
    assert!(scoped.status.success());

    let store = Store::connect(&db, 1).await.unwrap();
    let account = store
        .account_by_login("admin")
        .await
        .unwrap()
        .expect("made");
    assert!(account.password_hash.starts_with("$argon2id$"));
    assert!(quality_month_server::staff::passwords::verify(
        "river-lamp-orbit-47",
        &account.password_hash
    ));
    let organiser = store.account_by_login("nanqiao").await.unwrap().unwrap();
    assert_eq!(
        organiser.grant.scopes,
        vec![model::Scope::Town(model::Town::Nanqiao)]
    );
    assert_eq!(store.count_accounts().await.unwrap(), 2);
}
