//! The day's visits at the door: check-in by the pass's code, no-shows after the time.

mod common;

use common::inspections::{HOUR, booking, created, fixture};
use common::{TestApp, error_code};
use model::{BeijingTime, Role, Scope};
use quality_month_server::store::now_unix;
use reqwest::StatusCode;
use serde_json::{Value, json};

on_both_databases!(the_door_checks_buyers_in_and_marks_no_shows_only_after_the_slot,);

async fn the_door_checks_buyers_in_and_marks_no_shows_only_after_the_slot(app: TestApp) {
    // A slot that ended an hour ago (booked while it was ahead) and one tomorrow.
    let now = now_unix();
    let f = fixture(&app, 3, &[(30, 3)]).await;
    let other = fixture(&app, 1, &[(30, 3)]).await;
    app.add_staff("door", Role::Door, &[Scope::Project(f.project)])
        .await;
    let door = app.login("door").await;
    let a = created(app.book(&booking(f.project, 0, f.slots[0]), None).await).await;
    let b = created(app.book(&booking(f.project, 1, f.slots[0]), None).await).await;
    let elsewhere = created(
        app.book(&booking(other.project, 0, other.slots[0]), None)
            .await,
    )
    .await;
    let checkins = format!("/api/staff/projects/{}/checkins", f.project);

    let r = door.post(&checkins, &json!({"code": a["code"]})).await;
    assert_eq!(r.status(), StatusCode::OK);
    let first: Value = r.json().await.unwrap();
    assert_eq!(
        (first["already"].clone(), first["visit"]["state"].clone()),
        (json!(false), json!("checked_in"))
    );
    assert_eq!(
        first["visit"]["buyer_name"], "B******",
        "masked at the door"
    );
    let again: Value = door
        .post(&checkins, &json!({"code": a["code"]}))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["already"], true);
    let (code, _) = error_code(
        door.post(&checkins, &json!({"code": elsewhere["code"]}))
            .await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(code, "wrong_event");

    let no_shows = format!("/api/staff/projects/{}/no-shows", f.project);
    let (code, _) = error_code(
        door.post(&no_shows, &json!({"code": b["code"]})).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(code, "wrong_status", "not before the slot has ended");
    sqlx::query("UPDATE slots SET starts_at = $1, ends_at = $2 WHERE id = $3")
        .bind(now - 2 * HOUR)
        .bind(now - HOUR)
        .bind(f.slots[0])
        .execute(&app.db)
        .await
        .unwrap();
    let r = door.post(&no_shows, &json!({"code": b["code"]})).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.unwrap()["state"], "no_show");
    let (code, _) = error_code(
        door.post(&no_shows, &json!({"code": a["code"]})).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(code, "wrong_status", "a checked-in buyer is no no-show");

    let day = BeijingTime::from_unix(now - 2 * HOUR).date();
    let visits: Vec<Value> = door
        .get(&format!(
            "/api/staff/projects/{}/visits?day={day}",
            f.project
        ))
        .await
        .json()
        .await
        .unwrap();
    let states: Vec<&str> = visits
        .iter()
        .map(|v| v["state"].as_str().unwrap())
        .collect();
    assert_eq!(states, ["checked_in", "no_show"]);
    assert_eq!(app.audit_rows("booking.check_in").await, 1);
    assert_eq!(app.audit_rows("booking.no_show").await, 1);
}
