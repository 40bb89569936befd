//! The notification outbox and the webhook sender, against a local SMS gateway: a code
//! queued by a verification request reaches the gateway, signed; a gateway that fails is
//! tried again and the message is not lost.

mod common;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use common::{Db, phone, spawn_app_with, test_settings};
use quality_month_server::Settings;
use quality_month_server::verification::sender::{Sender, run_worker};
use std::sync::{Arc, Mutex};
use std::time::Duration;

const SECRET: &str = "gateway-shared-secret";

/// What the gateway received, and how many first requests it should refuse.
#[derive(Default)]
struct Gateway {
    received: Mutex<Vec<(String, String)>>,
    refuse_first: Mutex<u32>,
    arrived: tokio::sync::Notify,
}

async fn receive(State(g): State<Arc<Gateway>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    {
        let mut refuse = g.refuse_first.lock().unwrap();
        if *refuse > 0 {
            *refuse -= 1;
            return StatusCode::SERVICE_UNAVAILABLE;
        }
    }
    let signature = headers["x-qm-signature"].to_str().unwrap().to_string();
    g.received
        .lock()
        .unwrap()
        .push((signature, String::from_utf8(body.to_vec()).unwrap()));
    g.arrived.notify_one();
    StatusCode::OK
}

async fn gateway(refuse_first: u32) -> (String, Arc<Gateway>) {
    let g = Arc::new(Gateway {
        refuse_first: Mutex::new(refuse_first),
        ..Default::default()
    });
    let app = Router::new()
        .route("/sms", post(receive))
        .with_state(g.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/sms", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, g)
}

async fn code_reaches_the_gateway_signed(db: Db) {
    let (url, gateway) = gateway(1).await;
    let sender = Sender::Webhook {
        url,
        secret: SECRET.into(),
    };
    let settings = Settings {
        sms: Some(sender.clone()),
        ..test_settings()
    };
    let Some(app) = spawn_app_with(db, settings, Default::default()).await else {
        return;
    };
    let wake = Arc::new(tokio::sync::Notify::new());
    tokio::spawn(run_worker(app.store.clone(), sender, wake.clone()));
    let r = app
        .post_json(
            "/api/verifications",
            &serde_json::json!({"phone": phone(8)}),
            None,
        )
        .await;
    assert_eq!(r.status(), reqwest::StatusCode::ACCEPTED);
    // The gateway refuses the first try; the message waits and goes again (the worker's
    // back-off is 10 s; moving the retry forward stands in for the clock).
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        let (sent,): (Option<i64>,) = sqlx::query_as("SELECT sent_at FROM notifications")
            .fetch_one(&app.db)
            .await
            .unwrap();
        if sent.is_some() {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the message was never sent"
        );
        sqlx::query(
            "UPDATE notifications SET next_attempt_at = 0 WHERE sent_at IS NULL AND attempts > 0",
        )
        .execute(&app.db)
        .await
        .unwrap();
        wake.notify_one();
        let _ = tokio::time::timeout(Duration::from_millis(200), gateway.arrived.notified()).await;
    }
    let received = gateway.received.lock().unwrap().clone();
    assert_eq!(received.len(), 1, "sent once");
    let (signature, body) = &received[0];
    let expected: String =
        quality_month_server::secret::keyed(SECRET.as_bytes(), &[body.as_bytes()])
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
    assert_eq!(signature, &format!("sha256={expected}"));
    let message: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(message["to"], phone(8));
    assert!(message["text"].as_str().unwrap().contains("验证码"));
    let (attempts,): (i64,) = sqlx::query_as("SELECT attempts FROM notifications")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(attempts, 2, "refused once, then sent");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_code_reaches_the_gateway_signed() {
    code_reaches_the_gateway_signed(Db::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_code_reaches_the_gateway_signed() {
    code_reaches_the_gateway_signed(Db::Postgres).await;
}
