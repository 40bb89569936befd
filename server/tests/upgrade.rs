//! Upgrading: a database file made by an earlier release is migrated by this one, and
//! every record it held still answers as before (sign-ups, visits, survey answers).
//!
//! `tests/fixtures/release-5c96f7f.sqlite3` was made by the release at commit 5c96f7f
//! (stop 22, before organisations could sign up; migration 0013 rebuilds `registrations`
//! on SQLite): its demo content (24 events, 69 visits, 2 survey waves of 289 answers, 5
//! defects), and through its API a sign-up checked in at the door, a walk-in, a
//! waitlisted and a cancelled sign-up. It is a `VACUUM INTO` copy of the file the server
//! ran on. Fixtures are never remade: a new release adds its own beside it. sqlx refuses
//! to start on a database whose applied migrations differ from their files, so this test
//! also fails when a released migration is edited.

mod common;

use common::{Db, TempDir, spawn_app_with, test_settings};
use model::{Audience, BookingReceipt, Category, RegistrationReceipt, Role, Town};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::path::PathBuf;

const FIXTURE: &str = "tests/fixtures/release-5c96f7f.sqlite3";

#[derive(Debug, sqlx::FromRow)]
struct OldSignUp {
    code: String,
    phone: String,
    name: String,
    party_size: i64,
    status: String,
    checked_in_at: Option<i64>,
}

#[derive(Debug, sqlx::FromRow)]
struct OldBooking {
    code: String,
    phone: String,
    buyer_name: String,
    status: String,
}

/// What the old release kept, read straight from a copy of its file before this release
/// opens it.
async fn old_records() -> (Vec<OldSignUp>, Vec<OldBooking>, Vec<(i64, i64)>) {
    let fixture = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(FIXTURE);
    let dir = TempDir::new();
    let copy = dir.path.join("old.sqlite3");
    std::fs::copy(&fixture, &copy).expect("the fixture is there");
    sqlx::any::install_default_drivers();
    let db = sqlx::AnyPool::connect(&format!("sqlite://{}", copy.display()))
        .await
        .unwrap();
    let sign_ups = sqlx::query_as(
        "SELECT code, phone, name, party_size, status, checked_in_at FROM registrations \
         WHERE phone NOT LIKE 'erased:%' ORDER BY id",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    let bookings = sqlx::query_as(
        "SELECT code, phone, buyer_name, status FROM bookings \
         WHERE phone NOT LIKE 'erased:%' ORDER BY id",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    let answers = sqlx::query_as(
        "SELECT survey_id, COUNT(*) FROM survey_responses GROUP BY survey_id ORDER BY survey_id",
    )
    .fetch_all(&db)
    .await
    .unwrap();
    db.close().await;
    (sign_ups, bookings, answers)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_last_releases_database_migrates_and_serves_every_old_record() {
    let (sign_ups, bookings, answers) = old_records().await;
    assert!(sign_ups.len() >= 5, "the fixture has sign-ups");
    assert!(bookings.len() >= 3, "the fixture has visits");
    assert!(!answers.is_empty(), "the fixture has survey answers");
    for status in ["registered", "waitlisted", "cancelled"] {
        assert!(
            sign_ups.iter().any(|s| s.status == status),
            "the fixture has a {status} sign-up"
        );
    }

    let app = spawn_app_with(
        Db::SqliteCopyOf(FIXTURE),
        test_settings(),
        Default::default(),
    )
    .await
    .expect("this release opens and migrates the old file");

    // Every sign-up, looked up as its owner would: the same name, party, state and
    // check-in; none of them an organisation's.
    for old in &sign_ups {
        let r = app
            .post_json(
                &format!("/api/registrations/{}/lookup", old.code),
                &json!({"phone": old.phone}),
                None,
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK, "{old:?}");
        let now: RegistrationReceipt = r.json().await.unwrap();
        assert_eq!(now.name, old.name);
        assert_eq!(i64::from(now.party_size), old.party_size);
        assert_eq!(now.status.as_str(), old.status);
        assert!(now.organisation.is_none());
        let (checked_in_at, org_code): (Option<i64>, Option<String>) =
            sqlx::query_as("SELECT checked_in_at, org_code FROM registrations WHERE code = $1")
                .bind(&old.code)
                .fetch_one(&app.db)
                .await
                .unwrap();
        assert_eq!(checked_in_at, old.checked_in_at, "{}", old.code);
        assert_eq!(org_code, None);
    }
    // Every event still answers, as one for residents.
    let ids: Vec<(i64,)> =
        sqlx::query_as("SELECT id FROM events WHERE status IN ('published', 'cancelled')")
            .fetch_all(&app.db)
            .await
            .unwrap();
    for (id,) in ids {
        let event = app.event_json(id).await;
        assert_eq!(event["audience"], "residents", "event {id}");
    }

    // Every visit, looked up by its buyer.
    for old in &bookings {
        let r = app
            .post_json(
                &format!("/api/inspections/bookings/{}/lookup", old.code),
                &json!({"phone": old.phone}),
                None,
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK, "{old:?}");
        let now: BookingReceipt = r.json().await.unwrap();
        assert_eq!(now.buyer_name, old.buyer_name);
        assert_eq!(now.status.as_str(), old.status);
    }

    // Every survey answer, in the analyst's figures of its wave.
    app.add_staff("wave-reader", Role::Analyst, &[]).await;
    let analyst = app.login("wave-reader").await;
    for (wave, count) in answers {
        let r = analyst
            .get(&format!("/api/staff/surveys/{wave}/analysis"))
            .await;
        assert_eq!(r.status(), StatusCode::OK, "wave {wave}");
        let analysis: Value = r.json().await.unwrap();
        assert_eq!(analysis["responses"], count, "wave {wave}");
    }

    // And the upgraded table takes what only this release writes: an organisation of ten.
    let mut e = common::event(Town::Nanqiao, Category::Training, 3, 30);
    e.audience = Audience::Organisations;
    let id = app.add_event(e).await;
    let body = json!({
        "name": "王质量", "phone": "13912360001", "party_size": 10,
        "organisation": {"name": "上海贤达质量技术有限公司", "credit_code": "91310120MA1HK4K43E"},
    });
    let r = app
        .post_json(&format!("/api/events/{id}/registrations"), &body, None)
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
}
