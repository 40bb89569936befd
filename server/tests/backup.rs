//! Backing up the SQLite database while people sign up, and restoring it: the backup holds
//! every sign-up answered before it began; a restore puts it in place and the server opens
//! it; a file that is not a sound backup is refused with the database untouched.

mod common;

use common::{Db, TempDir, event, phone, spawn_app};
use model::{Category, RegistrationReceipt, Town};
use quality_month_server::store::{Store, restore_sqlite, sqlite_path};
use reqwest::StatusCode;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Instant;

async fn codes_in(file: &std::path::Path) -> HashSet<String> {
    sqlx::any::install_default_drivers();
    let db = sqlx::AnyPool::connect(&format!("sqlite://{}", file.display()))
        .await
        .unwrap();
    let rows: Vec<(String,)> = sqlx::query_as("SELECT code FROM registrations")
        .fetch_all(&db)
        .await
        .unwrap();
    db.close().await;
    rows.into_iter().map(|(c,)| c).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_during_a_burst_of_sign_ups_holds_every_one_answered_before_it() {
    let Some(app) = spawn_app(Db::Sqlite).await else {
        return;
    };
    let id = app
        .add_event(event(Town::Nanqiao, Category::Clinic, 3, 1_000))
        .await;
    let answered: Arc<Mutex<Vec<(Instant, String)>>> = Arc::default();
    let app = Arc::new(app);
    let burst: Vec<_> = (0..120)
        .map(|i| {
            let (app, answered) = (app.clone(), answered.clone());
            tokio::spawn(async move {
                let r = app.register(id, "李四", &phone(i), 1).await;
                assert_eq!(r.status(), StatusCode::CREATED);
                let receipt: RegistrationReceipt = r.json().await.unwrap();
                answered
                    .lock()
                    .unwrap()
                    .push((Instant::now(), receipt.code.to_string()));
            })
        })
        .collect();
    // Once some are in, back up while the rest keep coming.
    while answered.lock().unwrap().len() < 30 {
        tokio::task::yield_now().await;
    }
    let dir = TempDir::new();
    let backup = dir.path.join("backup.sqlite3");
    let began = Instant::now();
    app.store.backup_sqlite(&backup).await.unwrap();
    for task in burst {
        task.await.unwrap();
    }
    let before: Vec<String> = answered
        .lock()
        .unwrap()
        .iter()
        .filter(|(at, _)| *at < began)
        .map(|(_, code)| code.clone())
        .collect();
    assert!(before.len() >= 30);
    let kept = codes_in(&backup).await;
    for code in &before {
        assert!(kept.contains(code), "{code} was answered before the backup");
    }
    // A second backup to the same name is refused, not written over.
    assert!(app.store.backup_sqlite(&backup).await.is_err());

    // Restored in place of another database, the server opens and migrates it.
    let database = dir.path.join("restored.sqlite3");
    std::fs::write(&database, b"the database before the restore").unwrap();
    let said = restore_sqlite(&backup, &database).await.unwrap();
    assert!(said.contains("sign-ups"), "{said}");
    let url = format!("sqlite://{}", database.display());
    assert_eq!(sqlite_path(&url).as_deref(), Some(database.as_path()));
    let restored = Store::connect(&url, 1).await.unwrap();
    restored.migrate().await.unwrap();
    restored.close().await;
    assert_eq!(codes_in(&database).await, kept);

    // What is not a sound backup is refused, and the database stays as it was.
    let junk = dir.path.join("junk.sqlite3");
    std::fs::write(&junk, b"not a database at all, just some bytes").unwrap();
    let before_bytes = std::fs::read(&database).unwrap();
    assert!(restore_sqlite(&junk, &database).await.is_err());
    assert_eq!(std::fs::read(&database).unwrap(), before_bytes);
}

/// PostgreSQL is backed up with its own tools: the commands the README gives, run here.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn pg_dump_and_pg_restore_carry_every_sign_up_over() {
    let Some(app) = spawn_app(Db::Postgres).await else {
        return;
    };
    let id = app
        .add_event(event(Town::Nanqiao, Category::Clinic, 3, 100))
        .await;
    for i in 0..5 {
        let r = app.register(id, "李四", &phone(i), 1).await;
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    let dir = TempDir::new();
    let dump = dir.path.join("qm.dump");
    let run = |command: &mut std::process::Command| {
        let out = command
            .output()
            .expect("pg_dump and pg_restore are installed");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    run(std::process::Command::new("pg_dump")
        .args(["--format=custom", "--file"])
        .arg(&dump)
        .arg(&app.database_url));
    let copy = common::PgDatabase::create().await.unwrap();
    run(std::process::Command::new("pg_restore")
        .args(["--no-owner", "--exit-on-error", "--dbname"])
        .arg(&copy.url)
        .arg(&dump));
    let restored = Store::connect(&copy.url, 1).await.unwrap();
    restored.migrate().await.unwrap();
    let codes = |url: String| async move {
        let db = sqlx::AnyPool::connect(&url).await.unwrap();
        let rows: Vec<(String,)> = sqlx::query_as("SELECT code FROM registrations ORDER BY id")
            .fetch_all(&db)
            .await
            .unwrap();
        db.close().await;
        rows
    };
    let restored_codes = codes(copy.url.clone()).await;
    assert_eq!(restored_codes.len(), 5);
    assert_eq!(restored_codes, codes(app.database_url.clone()).await);
    restored.close().await;
}
