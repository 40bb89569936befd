//! A housing project with buyers and slots, and the booking requests the tests send.

use super::{TestApp, loc, phone};
use model::project_admin::PlannedSlot;
use model::{BeijingTime, BookingRules, FlatId, Town};
use quality_month_server::store::{Buyer, NewProject, now_unix};
use reqwest::StatusCode;
use serde_json::{Value, json};

pub const HOUR: i64 = 3600;
pub const DAY: i64 = 86_400;

/// A project open for booking (handover in 30 days, cut-off 24 h) with `flats` buyers and
/// one slot per `(hours from now, capacity)`.
pub struct Fixture {
    pub project: i64,
    pub slots: Vec<i64>,
}

/// A name of letters only (names may not hold digits): 0 → "Buyer a", 12 → "Buyer bc".
pub fn buyer_name(i: usize) -> String {
    let letters: String = i
        .to_string()
        .bytes()
        .map(|d| char::from(b'a' + (d - b'0')))
        .collect();
    format!("Buyer {letters}")
}

pub fn room(i: usize) -> String {
    format!("{}", 101 + i)
}

pub async fn fixture(app: &TestApp, flats: usize, slots: &[(i64, u32)]) -> Fixture {
    fixture_with(app, flats, slots, 30, 60, now_unix()).await
}

pub async fn fixture_with(
    app: &TestApp,
    flats: usize,
    slots: &[(i64, u32)],
    handover_in_days: i64,
    opens_days_before: u32,
    now: i64,
) -> Fixture {
    let store = &app.store;
    let today = BeijingTime::from_unix(now).date();
    let project = store
        .insert_project(
            &NewProject {
                town: Town::Nanqiao,
                name: loc("测试楼盘", "Test project"),
                developer: loc("开发商", "Developer"),
                address: loc("地址", "Address"),
                rules: BookingRules {
                    handover_on: today.add_days(handover_in_days),
                    opens_days_before,
                    cutoff_hours: 24,
                },
            },
            now,
        )
        .await
        .unwrap();
    let buyers: Vec<Buyer> = (0..flats)
        .map(|i| Buyer {
            flat: FlatId {
                building: "1".into(),
                unit: "1".into(),
                room: room(i),
            },
            name: buyer_name(i),
            phone: phone(i),
        })
        .collect();
    store.insert_buyers(project, &buyers).await.unwrap();
    let planned: Vec<PlannedSlot> = slots
        .iter()
        .map(|&(hours, capacity)| {
            let starts_at = BeijingTime::from_unix(now + hours * HOUR);
            PlannedSlot {
                starts_at,
                ends_at: starts_at.add_secs(HOUR),
                capacity,
            }
        })
        .collect();
    let slots = store.insert_slots(project, &planned).await.unwrap();
    Fixture { project, slots }
}

pub fn booking(project: i64, flat: usize, slot: i64) -> Value {
    json!({
        "project_id": project, "building": "1", "unit": "1", "room": room(flat),
        "buyer_name": buyer_name(flat), "phone": phone(flat), "slot_id": slot, "party_size": 2,
    })
}

impl TestApp {
    pub async fn book(&self, body: &Value, key: Option<&str>) -> reqwest::Response {
        self.post_json("/api/inspections/bookings", body, key).await
    }

    pub async fn slot_taken(&self, slot: i64) -> i64 {
        let (n,): (i64,) = sqlx::query_as("SELECT taken FROM slots WHERE id = $1")
            .bind(slot)
            .fetch_one(&self.db)
            .await
            .unwrap();
        n
    }

    pub async fn count_bookings(&self, status: &str) -> i64 {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM bookings WHERE status = $1")
            .bind(status)
            .fetch_one(&self.db)
            .await
            .unwrap();
        n
    }

    pub async fn booking_action(&self, code: &str, action: &str, body: Value) -> reqwest::Response {
        self.post_json(
            &format!("/api/inspections/bookings/{code}/{action}"),
            &body,
            None,
        )
        .await
    }
}

pub async fn created(r: reqwest::Response) -> Value {
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json().await.unwrap()
}
