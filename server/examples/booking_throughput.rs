//! Booking throughput, for `cargo xtask bench`: the real server on a real socket, booked
//! over HTTP by many clients at once, on SQLite and (when `QM_BENCH_POSTGRES_URL` is set)
//! PostgreSQL. Three loads:
//!
//! - spread: every flat books one of 100 slots, so writers rarely meet on a row;
//! - hot slot: every flat books the same slot, which has room for all of them;
//! - hot slot, over-subscribed: every flat tries one slot with room for 100.
//!
//! Prints figures; asserts only that the database kept capacity.

#[path = "support/mod.rs"]
mod support;

use futures::StreamExt;
use model::project_admin::PlannedSlot;
use model::{BeijingTime, BookingRules, FlatId, Localized, Town};
use quality_month_server::Store;
use quality_month_server::store::{Buyer, NewProject, now_unix};
use std::time::{Duration, Instant};

const FLATS: usize = 2_000;
const IN_FLIGHT: usize = 64;

#[tokio::main]
async fn main() {
    let dir = std::env::temp_dir().join(format!("qm-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let sqlite = format!("sqlite://{}/bench.sqlite3", dir.display());
    println!(
        "\nBooking throughput: {FLATS} bookings over HTTP, {IN_FLIGHT} in flight, release build"
    );
    println!(
        "{:<11} {:<26} {:>9} {:>10} {:>10} {:>9} {:>8} {:>8}",
        "database", "load", "attempts", "confirmed", "answers/s", "booked/s", "p50 ms", "p99 ms"
    );
    run_all("SQLite", &sqlite).await;
    std::fs::remove_dir_all(&dir).ok();
    match std::env::var("QM_BENCH_POSTGRES_URL") {
        Ok(admin) => {
            let name = format!("qm_bench_{}", std::process::id());
            support::admin_execute(&admin, &format!("CREATE DATABASE {name}")).await;
            let url = support::replace_database(&admin, &name);
            run_all("PostgreSQL", &url).await;
            support::admin_execute(
                &admin,
                &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
            )
            .await;
        }
        Err(_) => println!("(QM_BENCH_POSTGRES_URL not set: PostgreSQL skipped)"),
    }
}

async fn run_all(label: &str, url: &str) {
    let store = Store::connect(url, 16).await.expect("connect");
    store.migrate().await.expect("migrate");
    let (base, server) = support::serve(&store).await;
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(IN_FLIGHT)
        .build()
        .unwrap();
    for (load, slots, capacity) in [
        ("spread over 100 slots", 100, FLATS / 100),
        ("one hot slot", 1, FLATS),
        ("one hot slot, 100 places", 1, 100),
    ] {
        let (project, slot_ids) = project(&store, slots, capacity as u32).await;
        let started = Instant::now();
        let mut latencies: Vec<Duration> = Vec::with_capacity(FLATS);
        let mut confirmed = 0usize;
        let mut answers = futures::stream::iter(0..FLATS)
            .map(|i| {
                let client = client.clone();
                let body = serde_json::json!({
                    "project_id": project, "building": "1", "unit": "1", "room": room(i),
                    "buyer_name": name(i), "phone": phone(i),
                    "slot_id": slot_ids[i % slot_ids.len()], "party_size": 1,
                });
                let url = format!("{base}/api/inspections/bookings");
                async move {
                    let sent = Instant::now();
                    let status = client
                        .post(url)
                        .json(&body)
                        .send()
                        .await
                        .map(|r| r.status());
                    (status, sent.elapsed())
                }
            })
            .buffer_unordered(IN_FLIGHT);
        while let Some((status, took)) = answers.next().await {
            let status = status.expect("request");
            assert!(status.is_success() || status == 409, "unexpected {status}");
            confirmed += usize::from(status.is_success());
            latencies.push(took);
        }
        let elapsed = started.elapsed();
        assert_eq!(confirmed, (slots * capacity).min(FLATS), "capacity kept");
        latencies.sort();
        let pct = |p: usize| latencies[(latencies.len() * p / 100).min(latencies.len() - 1)];
        println!(
            "{:<11} {:<26} {:>9} {:>10} {:>10.0} {:>9.0} {:>8.1} {:>8.1}",
            label,
            load,
            FLATS,
            confirmed,
            FLATS as f64 / elapsed.as_secs_f64(),
            confirmed as f64 / elapsed.as_secs_f64(),
            pct(50).as_secs_f64() * 1e3,
            pct(99).as_secs_f64() * 1e3,
        );
    }
    server.abort();
    store.close().await;
}

async fn project(store: &Store, slots: usize, capacity: u32) -> (i64, Vec<i64>) {
    let now = now_unix();
    let today = BeijingTime::from_unix(now).date();
    let text = |s: &str| Localized {
        zh: s.into(),
        en: s.into(),
    };
    let id = store
        .insert_project(
            &NewProject {
                town: Town::Nanqiao,
                name: text("Bench"),
                developer: text("Bench"),
                address: text("Bench"),
                rules: BookingRules {
                    handover_on: today.add_days(60),
                    opens_days_before: 90,
                    cutoff_hours: 24,
                },
            },
            now,
        )
        .await
        .unwrap();
    let buyers: Vec<Buyer> = (0..FLATS)
        .map(|i| Buyer {
            flat: FlatId {
                building: "1".into(),
                unit: "1".into(),
                room: room(i),
            },
            name: name(i),
            phone: phone(i),
        })
        .collect();
    store.insert_buyers(id, &buyers).await.unwrap();
    let planned: Vec<PlannedSlot> = (0..slots)
        .map(|i| {
            let starts_at = BeijingTime::from_unix(now + 3 * 86_400 + i as i64 * 3600);
            PlannedSlot {
                starts_at,
                ends_at: starts_at.add_secs(3600),
                capacity,
            }
        })
        .collect();
    (id, store.insert_slots(id, &planned).await.unwrap())
}

fn room(i: usize) -> String {
    format!("{}", 10_000 + i)
}

/// Names hold letters only: digits become a…j.
fn name(i: usize) -> String {
    let letters: String = i
        .to_string()
        .bytes()
        .map(|d| char::from(b'a' + (d - b'0')))
        .collect();
    format!("Buyer {letters}")
}

fn phone(i: usize) -> String {
    format!("139{i:08}")
}
