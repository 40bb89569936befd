//! A project's visit plan: slots follow it, booked places stay, and the visits of a closed
//! time are moved or cancelled as the office decides, each buyer told.

mod common;

use common::inspections::{DAY, HOUR, booking, created, fixture};
use common::projects::*;
use common::{TestApp, error_code, phone};
use model::BeijingTime;
use quality_month_server::store::now_unix;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

on_both_databases!(plan_changes_keep_booked_places_and_move_or_cancel_what_they_close,);

async fn plan_changes_keep_booked_places_and_move_or_cancel_what_they_close(app: TestApp) {
    let f = fixture(&app, 3, &[]).await;
    let office = office(&app, f.project).await;
    let path = format!("/api/staff/projects/{}/plan", f.project);
    let mut change = json!({ "plan": plan(&[(540, 600, 3), (840, 900, 2)]), "commit": true });
    let r = office.send(Method::PUT, &path, &change).await;
    assert_eq!(r.status(), StatusCode::OK);
    let outcome: Value = r.json().await.unwrap();
    let slots = slots_of(&app, f.project).await;
    assert_eq!(
        outcome["slots_added"].as_u64().unwrap() as usize,
        slots.len()
    );
    assert!(
        slots.len() >= 50,
        "a window a day until the handover: {}",
        slots.len()
    );

    // Two buyers book the 14:00 window three days from now.
    let (afternoon, afternoon_at) = slots
        .iter()
        .find(|s| s.1 > now_unix() + 2 * DAY && BeijingTime::from_unix(s.1).civil().hour == 14)
        .map(|s| (s.0, s.1))
        .expect("a 14:00 slot");
    let morning_same_day = afternoon_at - 5 * HOUR;
    let a = created(app.book(&booking(f.project, 0, afternoon), None).await).await;
    let b = created(app.book(&booking(f.project, 1, afternoon), None).await).await;

    // Less room in the afternoon never drops a booked place.
    change["plan"] = plan(&[(540, 600, 3), (840, 900, 1)]);
    let r = office.send(Method::PUT, &path, &change).await;
    assert_eq!(r.status(), StatusCode::OK);
    let kept = slots_of(&app, f.project)
        .await
        .into_iter()
        .find(|s| s.0 == afternoon)
        .unwrap();
    assert_eq!((kept.2, kept.3), (2, 2));

    // Closing the afternoon asks what happens to the two visits.
    change["plan"] = plan(&[(540, 600, 3)]);
    change["commit"] = json!(false);
    let outcome: Value = office
        .send(Method::PUT, &path, &change)
        .await
        .json()
        .await
        .unwrap();
    let displaced: Vec<&str> = outcome["displaced"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["code"].as_str().unwrap())
        .collect();
    assert_eq!(displaced.len(), 2);
    assert!(
        outcome["free"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| (s["starts_at"].as_str().unwrap()).contains("T09:00"))
    );
    assert_eq!(
        slots_of(&app, f.project)
            .await
            .iter()
            .find(|s| s.0 == afternoon)
            .map(|s| s.3),
        Some(2),
        "a dry run changes nothing"
    );
    change["commit"] = json!(true);
    let (code, _) = error_code(
        office.send(Method::PUT, &path, &change).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(code, "decision_needed");

    // Move one to the morning, cancel the other: both buyers are told.
    change["decisions"] = json!([
        { "code": a["code"], "move_to": BeijingTime::from_unix(morning_same_day) },
        { "code": b["code"], "move_to": null },
    ]);
    let r = office.send(Method::PUT, &path, &change).await;
    assert_eq!(r.status(), StatusCode::OK);
    let after = slots_of(&app, f.project).await;
    assert!(
        after.iter().all(|s| s.0 != afternoon),
        "the closed window takes no booking"
    );
    assert_eq!(after.iter().find(|s| s.1 == morning_same_day).unwrap().3, 1);
    let moved: Value = app
        .booking_action(
            a["code"].as_str().unwrap(),
            "lookup",
            json!({"phone": phone(0)}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(moved["status"], "confirmed");
    assert_eq!(
        moved["slot"]["starts_at"],
        json!(BeijingTime::from_unix(morning_same_day))
    );
    assert!(moved["office_notice"].as_str().unwrap().contains("改到"));
    let cancelled: Value = app
        .booking_action(
            b["code"].as_str().unwrap(),
            "lookup",
            json!({"phone": phone(1)}),
        )
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(cancelled["status"], "cancelled");
    let (sms,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM notifications WHERE recipient IN ($1, $2)")
            .bind(phone(0))
            .bind(phone(1))
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(sms, 2);
    assert_eq!(app.audit_rows("project.plan").await, 3);
}
