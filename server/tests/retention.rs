//! Personal data is kept only as long as its purpose lasts: the sweep, with the clock
//! moved forward, on both databases.

mod common;

use common::inspections::{HOUR, booking, created, fixture};
use common::projects::{defect, visited};
use common::{TestApp, event, phone};
use model::{Category, Town};
use quality_month_server::store::now_unix;
use quality_month_server::sweep::sweep_once;
use reqwest::StatusCode;
use serde_json::{Value, json};

const DAY: i64 = 86_400;
const RETENTION_DAYS: u32 = 90;

on_both_databases!(
    names_and_phones_go_some_time_after_the_event_or_visit,
    a_visit_with_a_defect_keeps_its_number_while_the_defect_moves,
);

async fn phones_stored(app: &TestApp, table: &str) -> Vec<String> {
    sqlx::query_as::<_, (String,)>(&format!("SELECT phone FROM {table} ORDER BY id"))
        .fetch_all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|(p,)| p)
        .collect()
}

async fn names_and_phones_go_some_time_after_the_event_or_visit(app: TestApp) {
    let now = now_unix();
    let event_id = app
        .add_event(event(Town::Nanqiao, Category::Clinic, 3, 10))
        .await;
    let signup: Value = app
        .register(event_id, "张三", &phone(1), 2)
        .await
        .json()
        .await
        .unwrap();
    let f = fixture(&app, 1, &[(50, 5)]).await;
    let visit = created(
        app.post_json(
            "/api/inspections/bookings",
            &booking(f.project, 0, f.slots[0]),
            None,
        )
        .await,
    )
    .await;

    // The event (3 days out, an hour long) ended; the retention period has not passed.
    let before = now + 3 * DAY + HOUR + i64::from(RETENTION_DAYS - 1) * DAY;
    let swept = sweep_once(&app.store, before, RETENTION_DAYS)
        .await
        .unwrap();
    assert_eq!(swept.personal.registrations, 0);
    assert_eq!(phones_stored(&app, "registrations").await, [phone(1)]);

    // A few days later it has, for both; the buyer list went at handover + retention.
    let after = now + 40 * DAY + i64::from(RETENTION_DAYS) * DAY;
    let swept = sweep_once(&app.store, after, RETENTION_DAYS).await.unwrap();
    assert_eq!(
        (
            swept.personal.registrations,
            swept.personal.bookings,
            swept.personal.buyers
        ),
        (1, 1, 1)
    );
    let stored = phones_stored(&app, "registrations").await;
    assert!(stored[0].starts_with("erased:"), "{stored:?}");
    assert!(phones_stored(&app, "bookings").await[0].starts_with("erased:"));
    let (name, notes): (String, String) = sqlx::query_as("SELECT buyer_name, notes FROM bookings")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!((name.as_str(), notes.as_str()), ("", ""));
    // What stays adds up: the places taken and the rows counted.
    assert_eq!(app.taken(event_id).await, 2);
    assert_eq!(app.count_registrations(event_id, "registered").await, 1);
    // The codes no longer open anything with the old phone.
    let code = signup["code"].as_str().unwrap();
    let r = app
        .post_json(
            &format!("/api/registrations/{code}/lookup"),
            &json!({"phone": phone(1)}),
            None,
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    let code = visit["code"].as_str().unwrap();
    let r = app
        .post_json(
            &format!("/api/inspections/bookings/{code}/lookup"),
            &json!({"phone": phone(0)}),
            None,
        )
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // Nothing twice.
    let again = sweep_once(&app.store, after, RETENTION_DAYS).await.unwrap();
    assert_eq!(again.personal, Default::default());
}

/// A repair followed for months after the visit still reaches the buyer: the number stays
/// until the defects' last step is as old as the retention period.
async fn a_visit_with_a_defect_keeps_its_number_while_the_defect_moves(app: TestApp) {
    let now = now_unix();
    let f = fixture(&app, 2, &[(50, 5)]).await;
    let with_defect = visited(&app, f.project, f.slots[0], 0).await;
    visited(&app, f.project, f.slots[0], 1).await;
    created(
        app.post_json(
            &format!("/api/inspections/bookings/{with_defect}/defects"),
            &defect(0, &[]),
            None,
        )
        .await,
    )
    .await;
    // Long after the visit, the office's last step on the defect was yesterday.
    let after = now + 50 * HOUR + HOUR + i64::from(RETENTION_DAYS + 10) * DAY;
    sqlx::query("UPDATE defects SET updated_at = $1")
        .bind(after - DAY)
        .execute(&app.db)
        .await
        .unwrap();
    let swept = sweep_once(&app.store, after, RETENTION_DAYS).await.unwrap();
    assert_eq!(
        swept.personal.bookings, 1,
        "only the visit without a defect"
    );
    let phones = phones_stored(&app, "bookings").await;
    assert_eq!(
        phones[0],
        phone(0),
        "the buyer with a defect is still reachable"
    );
    assert!(phones[1].starts_with("erased:"), "{phones:?}");
    // Once that step is as old as the period, the number goes too.
    let later = after - DAY + i64::from(RETENTION_DAYS) * DAY + 1;
    let swept = sweep_once(&app.store, later, RETENTION_DAYS).await.unwrap();
    assert_eq!(swept.personal.bookings, 1);
    assert!(phones_stored(&app, "bookings").await[0].starts_with("erased:"));
}
