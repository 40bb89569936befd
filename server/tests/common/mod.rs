//! Spawns the real server on a random port with a fresh database (SQLite file, or a new
//! PostgreSQL database when `QM_TEST_POSTGRES_URL` is set) and talks HTTP to it.
#![allow(dead_code)] // each test file uses its own part of the helpers

pub mod inspections;
pub mod projects;
pub mod staff;

use model::{BeijingTime, Category, EventStatus, Localized, Town};
use quality_month_server::connections::{ConnectionLimits, serve};
use quality_month_server::store::{NewEvent, now_unix};
use quality_month_server::{AppState, Settings, Store};
use reqwest::{Client, Response, StatusCode};
use serde_json::Value;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy)]
pub enum Db {
    Sqlite,
    Postgres,
    /// A copy of this SQLite file, named from the server crate's folder (a database an
    /// earlier release made).
    SqliteCopyOf(&'static str),
}

pub struct TestApp {
    pub address: String,
    /// What the browser would send as `Origin`: the address, https when the app runs as
    /// if behind a TLS proxy.
    pub origin: String,
    pub client: Client,
    pub store: Store,
    /// A separate connection for checking what the database holds.
    pub db: sqlx::AnyPool,
    /// Its address, for a second instance on the same database.
    pub database_url: String,
    /// The secret the app runs with.
    pub secret: quality_month_server::secret::ServerSecret,
    /// Where this app keeps defect photos.
    pub photo_dir: PathBuf,
    _photos: TempDir,
    /// The "built app" it serves: a shell with the first-paint `<main>` (SHELL).
    _dist: TempDir,
    _sqlite_dir: Option<TempDir>,
    _pg_database: Option<PgDatabase>,
}

/// A PostgreSQL database of one test's own, dropped with it.
pub struct PgDatabase {
    pub url: String,
    admin_url: String,
    name: String,
}

impl PgDatabase {
    /// `None` when no PostgreSQL server is configured (`QM_TEST_POSTGRES_URL`).
    pub async fn create() -> Option<Self> {
        let Ok(admin_url) = std::env::var("QM_TEST_POSTGRES_URL") else {
            eprintln!("QM_TEST_POSTGRES_URL not set: PostgreSQL run skipped");
            return None;
        };
        let name = format!("qm_test_{}", unique_suffix());
        admin_execute(&admin_url, &format!("CREATE DATABASE {name}"))
            .await
            .expect("create database");
        Some(Self {
            url: replace_database(&admin_url, &name),
            admin_url,
            name,
        })
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let (admin_url, name) = (self.admin_url.clone(), self.name.clone());
        // Drop runs inside the test's runtime; a thread of its own may block on a new one.
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async {
                let _ = admin_execute(
                    &admin_url,
                    &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
                )
                .await;
            });
        })
        .join()
        .ok();
    }
}

/// Runs each named test once on SQLite and once on PostgreSQL; `with settings;` first
/// runs them with the app settings that function makes.
#[macro_export]
macro_rules! on_both_databases {
    (with $settings:ident; $($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn $name() {
                let app = $crate::common::spawn_app_with(
                    $crate::common::Db::Sqlite, super::$settings(), Default::default()).await;
                if let Some(app) = app {
                    super::$name(app).await;
                }
            })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn $name() {
                let app = $crate::common::spawn_app_with(
                    $crate::common::Db::Postgres, super::$settings(), Default::default()).await;
                if let Some(app) = app {
                    super::$name(app).await;
                }
            })*
        }
    };
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn $name() {
                if let Some(app) = $crate::common::spawn_app($crate::common::Db::Sqlite).await {
                    super::$name(app).await;
                }
            })*
        }
        mod postgres {
            $(#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn $name() {
                if let Some(app) = $crate::common::spawn_app($crate::common::Db::Postgres).await {
                    super::$name(app).await;
                }
            })*
        }
    };
}

/// A fresh app, or `None` for PostgreSQL when no server is configured. The write limit
/// is high enough for the concurrency tests, which all come from one address.
pub async fn spawn_app(db: Db) -> Option<TestApp> {
    spawn_app_with_write_limit(db, 10_000).await
}

pub async fn spawn_app_with_write_limit(db: Db, writes_per_minute: u32) -> Option<TestApp> {
    let settings = Settings {
        writes_per_minute,
        ..test_settings()
    };
    spawn_app_with(db, settings, ConnectionLimits::default()).await
}

/// The built app's `index.html`, as far as the server reads it: the first-paint shell.
pub const SHELL: &str = r#"<!doctype html><html lang="zh-CN"><head><title>质量月</title></head><body><div id="boot"><main class="main"><p>正在打开…</p></main></div></body></html>"#;

/// What the tests run with unless they say otherwise: plain http, and the test itself
/// trusted as a reverse proxy, so that `X-Forwarded-For` can play many clients.
pub fn test_settings() -> Settings {
    Settings {
        writes_per_minute: 10_000,
        trusted_proxies: vec!["127.0.0.1/32".parse().unwrap()],
        https: false,
        secret: quality_month_server::secret::ServerSecret::random(),
        sms: None,
        demo: false,
        // Every app gets its own folder (spawn_app_with).
        photo_dir: PathBuf::new(),
        public_url: None,
    }
}

pub async fn spawn_app_with(
    db: Db,
    mut settings: Settings,
    limits: ConnectionLimits,
) -> Option<TestApp> {
    let photos = TempDir::new();
    settings.photo_dir = photos.path.join("photos");
    let (url, sqlite_dir, pg_database) = match db {
        Db::Sqlite => {
            let dir = TempDir::new();
            let url = format!("sqlite://{}", dir.path.join("test.sqlite3").display());
            (url, Some(dir), None)
        }
        Db::SqliteCopyOf(file) => {
            let dir = TempDir::new();
            let copy = dir.path.join("test.sqlite3");
            let file = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
            std::fs::copy(&file, &copy).expect("copy the database file");
            (format!("sqlite://{}", copy.display()), Some(dir), None)
        }
        Db::Postgres => {
            let database = PgDatabase::create().await?;
            (database.url.clone(), None, Some(database))
        }
    };
    let store = Store::connect(&url, 16).await.expect("connect");
    store.migrate().await.expect("migrate");
    let db = sqlx::AnyPool::connect(&url)
        .await
        .expect("connect for assertions");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = format!("http://{}", listener.local_addr().unwrap());
    let secret = settings.secret.clone();
    let origin = if settings.https {
        address.replacen("http://", "https://", 1)
    } else {
        address.clone()
    };
    let state = AppState::new(store.clone(), &settings);
    let dist = TempDir::new();
    std::fs::write(dist.path.join("index.html"), SHELL).unwrap();
    let app = quality_month_server::app(state, &dist.path);
    tokio::spawn(serve(listener, app, limits, std::future::pending()));
    Some(TestApp {
        address,
        origin,
        client: Client::new(),
        store,
        db,
        database_url: url,
        secret,
        photo_dir: settings.photo_dir.clone(),
        _photos: photos,
        _dist: dist,
        _sqlite_dir: sqlite_dir,
        _pg_database: pg_database,
    })
}

async fn admin_execute(admin_url: &str, sql: &str) -> Result<(), sqlx::Error> {
    use sqlx::Connection;
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(admin_url).await?;
    sqlx::query(sql).execute(&mut conn).await?;
    conn.close().await
}

fn replace_database(url: &str, name: &str) -> String {
    let (base, query) = url
        .split_once('?')
        .map_or((url, None), |(b, q)| (b, Some(q)));
    let base = base.rsplit_once('/').map_or(base, |(b, _)| b);
    match query {
        Some(q) => format!("{base}/{name}?{q}"),
        None => format!("{base}/{name}"),
    }
}

fn unique_suffix() -> String {
    use std::sync::atomic::{AtomicU32, Ordering};
    static N: AtomicU32 = AtomicU32::new(0);
    format!(
        "{}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed),
        rand_u32()
    )
}

fn rand_u32() -> u32 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos()
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if self._pg_database.is_some() {
            let store = self.store.clone();
            let db = self.db.clone();
            // Close our connections before the database goes (see PgDatabase's drop).
            std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .unwrap();
                rt.block_on(async {
                    store.close().await;
                    db.close().await;
                });
            })
            .join()
            .ok();
        }
    }
}

pub struct TempDir {
    pub path: PathBuf,
}

impl TempDir {
    pub fn new() -> Self {
        let path = std::env::temp_dir().join(format!("qm-test-{}", unique_suffix()));
        std::fs::create_dir_all(&path).unwrap();
        Self { path }
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

pub fn loc(zh: &str, en: &str) -> Localized {
    Localized {
        zh: zh.into(),
        en: en.into(),
    }
}

/// An event `days` from now with `capacity` places.
pub fn event(town: Town, category: Category, days: i64, capacity: u32) -> NewEvent {
    let starts_at = BeijingTime::from_unix(now_unix() + days * 86_400);
    NewEvent {
        category,
        town,
        title: loc("测试活动", "Test event"),
        venue: loc("会场", "Hall"),
        address: loc("地址", "Address"),
        description: loc("说明", "About"),
        organiser: loc("主办", "Organiser"),
        starts_at,
        ends_at: starts_at.add_secs(3600),
        capacity,
        taken: 0,
        status: EventStatus::Published,
        audience: Default::default(),
        host: None,
    }
}

/// The i-th distinct valid mobile number.
pub fn phone(i: usize) -> String {
    format!("139{:08}", i)
}

impl TestApp {
    pub async fn add_event(&self, e: NewEvent) -> i64 {
        self.store
            .insert_event(&e, now_unix())
            .await
            .expect("insert event")
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    pub async fn post_json(&self, path: &str, body: &Value, key: Option<&str>) -> Response {
        self.post_json_from("127.0.0.1", path, body, key).await
    }

    /// A POST as if from `client`, through the trusted proxy.
    pub async fn post_json_from(
        &self,
        client: &str,
        path: &str,
        body: &Value,
        key: Option<&str>,
    ) -> Response {
        let mut req = self
            .client
            .post(self.url(path))
            .header("x-forwarded-for", client)
            .json(body);
        if let Some(key) = key {
            req = req.header("Idempotency-Key", key);
        }
        req.send().await.expect("POST")
    }

    /// `Bearer <phone token>` proving `phone` for an hour, as a verified device sends it.
    pub fn bearer(&self, phone: &str) -> String {
        let phone = model::PhoneNumber::parse(phone).expect("a valid phone");
        let token = quality_month_server::verification::token::sign(
            &self.secret,
            &phone,
            now_unix() + 3600,
        );
        format!("Bearer {token}")
    }

    /// A POST from a device that proved `phone`.
    pub async fn post_proved(&self, phone: &str, path: &str, body: &Value) -> Response {
        self.client
            .post(self.url(path))
            .header("authorization", self.bearer(phone))
            .json(body)
            .send()
            .await
            .expect("POST")
    }

    pub async fn register(&self, event_id: i64, name: &str, phone: &str, party: i64) -> Response {
        let body = serde_json::json!({"name": name, "phone": phone, "party_size": party});
        self.post_json(
            &format!("/api/events/{event_id}/registrations"),
            &body,
            None,
        )
        .await
    }

    pub async fn event_json(&self, id: i64) -> Value {
        let r = self.get(&format!("/api/events/{id}")).await;
        assert_eq!(r.status(), StatusCode::OK);
        r.json().await.unwrap()
    }

    /// Registrations stored for an event with `status`, straight from the database.
    pub async fn count_registrations(&self, event_id: i64, status: &str) -> i64 {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM registrations WHERE event_id = $1 AND status = $2",
        )
        .bind(event_id)
        .bind(status)
        .fetch_one(&self.db)
        .await
        .expect("count");
        n
    }

    /// Places taken on an event, straight from the database.
    pub async fn taken(&self, event_id: i64) -> i64 {
        let (n,): (i64,) = sqlx::query_as("SELECT taken FROM events WHERE id = $1")
            .bind(event_id)
            .fetch_one(&self.db)
            .await
            .expect("taken");
        n
    }

    pub async fn count_all_registrations(&self) -> i64 {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM registrations")
            .fetch_one(&self.db)
            .await
            .expect("count");
        n
    }
}

/// Asserts the API's error shape and returns the code.
pub async fn error_code(r: Response, status: StatusCode) -> (String, Value) {
    assert_eq!(r.status(), status, "unexpected status");
    let body: Value = r.json().await.expect("error body is JSON");
    let code = body["error"]["code"]
        .as_str()
        .expect("error.code")
        .to_string();
    assert!(body["error"]["message"].is_string(), "error.message");
    (code, body)
}
