//! What the load examples share: the real server on a free port, without write limits.

use quality_month_server::{AppState, Store};
use std::path::PathBuf;

/// Serves `store` on 127.0.0.1 over a real socket; the base address and the server task.
pub async fn serve(store: &Store) -> (String, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let settings = quality_month_server::Settings {
        writes_per_minute: 1_000_000,
        trusted_proxies: Vec::new(),
        https: false,
        secret: quality_month_server::secret::ServerSecret::random(),
        sms: None,
        demo: false,
        photo_dir: std::env::temp_dir().join("qm-bench-photos"),
        public_url: None,
    };
    let app = quality_month_server::app(
        AppState::new(store.clone(), &settings),
        &PathBuf::from("no-dist"),
    );
    let server = tokio::spawn(quality_month_server::connections::serve(
        listener,
        app,
        Default::default(),
        std::future::pending(),
    ));
    (base, server)
}

/// Runs one statement on the PostgreSQL server of `admin_url` (creating and dropping the
/// benchmark's own database). Only the examples that run on PostgreSQL call it.
#[allow(dead_code)]
pub async fn admin_execute(admin_url: &str, sql: &str) {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(admin_url)
        .await
        .expect("admin connect");
    sqlx::query(sql).execute(&mut conn).await.expect(sql);
    conn.close().await.ok();
}

/// `url` with its database name replaced by `name`.
#[allow(dead_code)]
pub fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let base = base.rsplit_once('/').map_or(base, |(b, _)| b);
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

/// Logs a staff account in (no second factor) and returns its session cookie. Only the
/// staff examples call it.
#[allow(dead_code)]
pub async fn log_in(client: &reqwest::Client, base: &str, login: &str, password: &str) -> String {
    let answer = client
        .post(format!("{base}/api/staff/session"))
        .header("origin", base)
        .json(&serde_json::json!({"login": login, "password": password}))
        .send()
        .await
        .unwrap();
    answer.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string()
}
