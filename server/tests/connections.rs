//! The server as a network peer: slow and greedy clients, the connection cap, headers that
//! keep personal data out of caches, and a graceful stop on SIGTERM.

mod common;

use common::{Db, TestApp, event, phone, spawn_app, spawn_app_with, test_settings};
use model::{Category, Town};
use quality_month_server::connections::ConnectionLimits;
use reqwest::StatusCode;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn host_port(app: &TestApp) -> String {
    app.address.trim_start_matches("http://").to_string()
}

/// Reads until the peer closes (or `limit` passes); returns what came and how long it took.
async fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> (String, Duration) {
    let started = Instant::now();
    let mut received = Vec::new();
    let mut buf = [0u8; 1024];
    let _ = tokio::time::timeout(limit, async {
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => received.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    (
        String::from_utf8_lossy(&received).into_owned(),
        started.elapsed(),
    )
}

#[tokio::test]
async fn a_half_sent_header_is_cut_off_within_ten_seconds() {
    let app = spawn_app(Db::Sqlite).await.unwrap();
    let mut stream = TcpStream::connect(host_port(&app)).await.unwrap();
    stream
        .write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .await
        .unwrap();
    let (answer, took) = read_until_closed(&mut stream, Duration::from_secs(30)).await;
    assert!(
        took < Duration::from_secs(12),
        "the connection was held for {took:?}"
    );
    assert!(
        !answer.contains(" 200 "),
        "a request whose header never finished must not be answered: {answer}"
    );
}

#[tokio::test]
async fn an_idle_keep_alive_connection_is_closed() {
    let limits = ConnectionLimits {
        header_read_timeout: Duration::from_secs(2),
        ..Default::default()
    };
    let app = spawn_app_with(Db::Sqlite, test_settings(), limits)
        .await
        .unwrap();
    let mut stream = TcpStream::connect(host_port(&app)).await.unwrap();
    stream
        .write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .unwrap();
    let (answer, took) = read_until_closed(&mut stream, Duration::from_secs(20)).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(
        took < Duration::from_secs(5),
        "an idle connection stayed open for {took:?}"
    );
}

#[tokio::test]
async fn past_the_connection_cap_new_clients_get_503_at_once() {
    let limits = ConnectionLimits {
        max_connections: 3,
        ..Default::default()
    };
    let app = spawn_app_with(Db::Sqlite, test_settings(), limits)
        .await
        .unwrap();
    let mut held = Vec::new();
    for _ in 0..3 {
        let mut s = TcpStream::connect(host_port(&app)).await.unwrap();
        // A complete request each, so the server has certainly taken the connection.
        s.write_all(b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n")
            .await
            .unwrap();
        let mut buf = [0u8; 12];
        s.read_exact(&mut buf).await.unwrap();
        assert_eq!(&buf, b"HTTP/1.1 200");
        held.push(s);
    }
    let mut extra = TcpStream::connect(host_port(&app)).await.unwrap();
    let (answer, took) = read_until_closed(&mut extra, Duration::from_secs(5)).await;
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer}");
    assert!(answer.contains("\"code\":\"unavailable\""), "{answer}");
    assert!(took < Duration::from_secs(2), "took {took:?}");

    drop(held);
    // The places free up: a client is served again.
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let r = app.get("/api/health").await;
        if r.status() == StatusCode::OK {
            break;
        }
        assert!(Instant::now() < deadline, "still refused: {}", r.status());
        tokio::task::yield_now().await;
    }
}

#[tokio::test]
async fn answers_that_name_a_person_are_never_stored_by_caches() {
    let app = spawn_app(Db::Sqlite).await.unwrap();
    let id = app
        .add_event(event(Town::Nanqiao, Category::Clinic, 3, 10))
        .await;
    let r = app.register(id, "张三", &phone(1), 1).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let code = r.json::<serde_json::Value>().await.unwrap()["code"]
        .as_str()
        .unwrap()
        .to_string();
    let body = serde_json::json!({"phone": phone(1)});
    let r = app
        .post_json(&format!("/api/registrations/{code}/lookup"), &body, None)
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["cache-control"], "no-store");
    // Refusals too: whether a code exists is nobody's business.
    let r = app
        .post_json("/api/registrations/ABCD-EFGH/lookup", &body, None)
        .await;
    assert_eq!(r.headers()["cache-control"], "no-store");
    assert!(
        r.headers().get("strict-transport-security").is_none(),
        "no HSTS over plain http"
    );
}

/// A support call can quote the request: every answer names it with an id of the
/// server's own, never one the client chose.
#[tokio::test]
async fn every_answer_names_its_request_with_an_id_of_our_own() {
    let app = spawn_app(Db::Sqlite).await.unwrap();
    let id_of = |r: &reqwest::Response| {
        r.headers()
            .get("x-request-id")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    let first = id_of(&app.get("/api/events").await);
    let second = id_of(&app.get("/api/events/999999").await);
    for id in [&first, &second] {
        assert_eq!(id.len(), 16, "an id on every answer, errors too: {id:?}");
        assert!(id.chars().all(|c| c.is_ascii_hexdigit()));
    }
    assert_ne!(first, second, "one id per request");
    let forged = reqwest::Client::new()
        .get(app.url("/api/events"))
        .header("x-request-id", "ffffffffffffffff")
        .send()
        .await
        .unwrap();
    assert_ne!(
        id_of(&forged),
        "ffffffffffffffff",
        "the client's id is not ours"
    );
}

#[tokio::test]
async fn over_https_every_answer_carries_hsts() {
    let settings = quality_month_server::Settings {
        https: true,
        ..test_settings()
    };
    let app = spawn_app_with(Db::Sqlite, settings, ConnectionLimits::default())
        .await
        .unwrap();
    let r = app.get("/api/health").await;
    assert!(
        r.headers()["strict-transport-security"]
            .to_str()
            .unwrap()
            .starts_with("max-age=31536000")
    );
}

#[tokio::test]
async fn demo_content_is_refused_beside_real_content() {
    let app = spawn_app(Db::Sqlite).await.unwrap();
    app.add_event(event(Town::Nanqiao, Category::Clinic, 3, 10))
        .await;
    let refused = quality_month_server::demo::seed_if_empty(
        &app.store,
        quality_month_server::store::now_unix(),
    )
    .await;
    assert!(
        matches!(
            refused,
            Err(quality_month_server::demo::DemoError::RealContent)
        ),
        "{refused:?}"
    );
    let (events,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM events")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(events, 1, "nothing fake was added");
}

#[tokio::test]
async fn demo_mode_tops_up_its_own_database() {
    let app = spawn_app(Db::Sqlite).await.unwrap();
    let now = quality_month_server::store::now_unix();
    let first = quality_month_server::demo::seed_if_empty(&app.store, now)
        .await
        .unwrap();
    assert!(first.events > 0);
    let again = quality_month_server::demo::seed_if_empty(&app.store, now)
        .await
        .unwrap();
    assert_eq!(again, Default::default(), "nothing twice");
}

mod sigterm {
    use super::*;
    use std::process::Stdio;

    /// The real binary, started the way an operator would, on a fresh database.
    struct Process {
        child: tokio::process::Child,
        base: String,
        url: String,
        _dir: common::TempDir,
    }

    async fn start(database_url: Option<String>) -> Process {
        let dir = common::TempDir::new();
        let url =
            database_url.unwrap_or_else(|| format!("sqlite://{}/db.sqlite3", dir.path.display()));
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_quality-month-server"));
        for (name, _) in std::env::vars().filter(|(n, _)| n.starts_with("QM_")) {
            command.env_remove(name);
        }
        let child = command
            .env("QM_LISTEN", format!("127.0.0.1:{port}"))
            .env("QM_DATABASE_URL", &url)
            .env("QM_DIST_DIR", dir.path.join("no-dist"))
            .env("QM_DATA_DIR", &dir.path)
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .kill_on_drop(true)
            .spawn()
            .unwrap();
        let base = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(30);
        while reqwest::get(format!("{base}/api/health")).await.is_err() {
            assert!(Instant::now() < deadline, "the server did not start");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        Process {
            child,
            base,
            url,
            _dir: dir,
        }
    }

    async fn no_answered_write_is_lost(database_url: Option<String>) {
        let mut server = start(database_url).await;
        let store = quality_month_server::Store::connect(&server.url, 2)
            .await
            .unwrap();
        let event_id = store
            .insert_event(
                &event(Town::Nanqiao, Category::Clinic, 3, 1000),
                quality_month_server::store::now_unix(),
            )
            .await
            .unwrap();
        let client = reqwest::Client::new();
        let mut burst = tokio::task::JoinSet::new();
        let (answered_tx, mut answered_rx) = tokio::sync::mpsc::unbounded_channel();
        for i in 0..200 {
            let client = client.clone();
            let answered_tx = answered_tx.clone();
            let url = format!("{}/api/events/{event_id}/registrations", server.base);
            burst.spawn(async move {
                let body = serde_json::json!({"name": "张三", "phone": phone(i), "party_size": 1});
                let answer = client.post(url).json(&body).send().await.ok()?;
                let _ = answered_tx.send(());
                (answer.status() == StatusCode::CREATED).then_some(phone(i))
            });
        }
        // Mid-burst: some answered, most still on their way.
        for _ in 0..20 {
            answered_rx.recv().await;
        }
        let pid = server.child.id().unwrap().to_string();
        let killed = std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap();
        assert!(killed.success());
        let mut answered = Vec::new();
        while let Some(result) = burst.join_next().await {
            answered.extend(result.unwrap());
        }
        let pool = store_pool(&server.url).await;
        let status = tokio::time::timeout(Duration::from_secs(30), server.child.wait())
            .await
            .expect("the server stops within 30 s of SIGTERM")
            .unwrap();
        assert!(status.success(), "exit status {status}");
        assert!(!answered.is_empty(), "some sign-ups were answered");
        for phone in &answered {
            let (n,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM registrations WHERE event_id = $1 AND phone = $2",
            )
            .bind(event_id)
            .bind(phone)
            .fetch_one(&pool)
            .await
            .unwrap();
            assert_eq!(n, 1, "an answered sign-up ({phone}) was lost");
        }
        store.close().await;
    }

    async fn store_pool(url: &str) -> sqlx::AnyPool {
        sqlx::any::install_default_drivers();
        sqlx::AnyPool::connect(url).await.unwrap()
    }

    #[tokio::test]
    async fn sqlite() {
        no_answered_write_is_lost(None).await;
    }

    #[tokio::test]
    async fn postgres() {
        let Some(db) = common::PgDatabase::create().await else {
            return;
        };
        no_answered_write_is_lost(Some(db.url.clone())).await;
    }
}
