//! Check-ins per second at one event, for `cargo xtask bench`: the real server on a real
//! socket (SQLite), door staff logged in, every sign-up's code posted to
//! `/api/staff/checkins` over HTTP, many in flight, then every code again (the "already
//! checked in" answer a second scan gets). Prints figures; asserts only that each sign-up
//! was checked in once.

#[path = "support/mod.rs"]
mod support;

use futures::StreamExt;
use model::{BeijingTime, Category, EventStatus, Grant, Localized, PartySize, Role, Town};
use model::{RegistrationCode, ValidRegistration};
use quality_month_server::Store;
use quality_month_server::store::{NewEvent, now_unix};
use std::time::{Duration, Instant};

const PEOPLE: usize = 2_000;
const IN_FLIGHT: usize = 64;
const PASSWORD: &str = "door-bench-password-2026";

#[tokio::main]
async fn main() {
    let dir = std::env::temp_dir().join(format!("qm-checkin-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}/bench.sqlite3", dir.display());
    let store = Store::connect(&url, 16).await.expect("connect");
    store.migrate().await.expect("migrate");
    let (event, codes) = event_with_sign_ups(&store).await;
    let hash = quality_month_server::staff::passwords::hash(PASSWORD);
    let grant = Grant {
        role: Role::Door,
        scopes: vec![model::Scope::Town(Town::Nanqiao)],
    };
    store
        .create_account("door", &hash, &grant, None, now_unix())
        .await
        .unwrap();

    let (base, _server) = support::serve(&store).await;
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(IN_FLIGHT)
        .build()
        .unwrap();
    let cookie = support::log_in(&client, &base, "door", PASSWORD).await;

    println!(
        "\nCheck-ins at one event: {PEOPLE} codes over HTTP, {IN_FLIGHT} in flight, SQLite, release build"
    );
    println!(
        "{:<24} {:>8} {:>12} {:>10} {:>8} {:>8}",
        "scan", "scans", "first scans", "scans/s", "p50 ms", "p99 ms"
    );
    for label in ["first scan of each", "second scan of each"] {
        let started = Instant::now();
        let mut latencies: Vec<Duration> = Vec::with_capacity(PEOPLE);
        let mut first = 0usize;
        let mut answers = futures::stream::iter(codes.iter().cloned())
            .map(|code| {
                let (client, base, cookie) = (client.clone(), base.clone(), cookie.clone());
                async move {
                    let sent = Instant::now();
                    let r = client
                        .post(format!("{base}/api/staff/checkins"))
                        .header("origin", &base)
                        .header("cookie", cookie)
                        .json(&serde_json::json!({"code": code, "event_id": event}))
                        .send()
                        .await
                        .expect("check-in");
                    assert!(r.status().is_success(), "{}", r.status());
                    let body: serde_json::Value = r.json().await.unwrap();
                    (sent.elapsed(), body["already"] == false)
                }
            })
            .buffer_unordered(IN_FLIGHT);
        while let Some((latency, was_first)) = answers.next().await {
            latencies.push(latency);
            first += usize::from(was_first);
        }
        let secs = started.elapsed().as_secs_f64();
        latencies.sort();
        let pct = |p: f64| {
            latencies[((latencies.len() as f64 * p) as usize).min(latencies.len() - 1)]
                .as_secs_f64()
                * 1000.0
        };
        println!(
            "{label:<24} {:>8} {first:>12} {:>10.0} {:>8.1} {:>8.1}",
            latencies.len(),
            latencies.len() as f64 / secs,
            pct(0.5),
            pct(0.99)
        );
        let expected = if label.starts_with("first") {
            PEOPLE
        } else {
            0
        };
        assert_eq!(first, expected, "each sign-up is checked in exactly once");
    }
    store.close().await;
    std::fs::remove_dir_all(&dir).ok();
}

async fn event_with_sign_ups(store: &Store) -> (i64, Vec<String>) {
    let starts_at = BeijingTime::from_unix(now_unix() + 86_400);
    let text = |s: &str| Localized {
        zh: s.into(),
        en: s.into(),
    };
    let event = NewEvent {
        category: Category::Clinic,
        town: Town::Nanqiao,
        title: text("贤城质量义诊"),
        venue: text("南桥"),
        address: text("南桥"),
        description: text(""),
        organiser: text("区市场监管局"),
        starts_at,
        ends_at: starts_at.add_secs(3600),
        capacity: PEOPLE as u32,
        taken: 0,
        status: EventStatus::Published,
        audience: Default::default(),
        host: None,
    };
    let id = store.insert_event(&event, now_unix()).await.unwrap();
    let mut codes = Vec::with_capacity(PEOPLE);
    for i in 0..PEOPLE {
        let name: String = i
            .to_string()
            .bytes()
            .map(|d| char::from(b'a' + (d - b'0')))
            .collect();
        let reg = ValidRegistration::from_parts(
            &format!("Guest {name}"),
            &format!("139{i:08}"),
            PartySize::new(1),
        )
        .unwrap();
        let receipt = store
            .register(id, &reg, None, now_unix())
            .await
            .unwrap()
            .value;
        codes.push(RegistrationCode::to_string(&receipt.code));
    }
    (id, codes)
}
