//! Pre-inspection bookings over a real socket, on SQLite and PostgreSQL.

mod common;

use common::inspections::{DAY, HOUR, booking, buyer_name, created, fixture, fixture_with, room};
use common::{TestApp, error_code, phone};
use futures::future::join_all;
use model::BeijingTime;
use quality_month_server::store::now_unix;
use reqwest::StatusCode;
use serde_json::{Value, json};

on_both_databases!(
    a_hundred_flats_race_for_three_places,
    one_flat_books_once_across_twenty_slots,
    parallel_reschedules_into_the_last_place,
    book_look_up_reschedule_and_cancel,
    buyer_mismatch_gives_one_answer_for_every_wrong_field,
    the_booking_window_and_the_cutoff_are_enforced,
    replayed_bookings_and_cancels_store_one_change,
    bad_input_changes_nothing,
    demo_projects_have_buyers_and_slots_in_every_state,
);

async fn a_hundred_flats_race_for_three_places(app: TestApp) {
    let f = fixture(&app, 100, &[(72, 3)]).await;
    let bodies: Vec<Value> = (0..100)
        .map(|i| booking(f.project, i, f.slots[0]))
        .collect();
    let answers = join_all(bodies.iter().map(|b| app.book(b, None))).await;
    let mut confirmed = 0;
    for r in answers {
        match r.status() {
            StatusCode::CREATED => confirmed += 1,
            _ => assert_eq!(error_code(r, StatusCode::CONFLICT).await.0, "slot_full"),
        }
    }
    assert_eq!(confirmed, 3);
    assert_eq!(app.slot_taken(f.slots[0]).await, 3);
    assert_eq!(app.count_bookings("confirmed").await, 3);
    let slots: Value = app
        .get(&format!("/api/inspections/projects/{}/slots", f.project))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(slots[0]["places_left"], 0);
}

async fn one_flat_books_once_across_twenty_slots(app: TestApp) {
    let hours: Vec<(i64, u32)> = (0..20).map(|i| (48 + i, 5)).collect();
    let f = fixture(&app, 1, &hours).await;
    let bodies: Vec<Value> = f.slots.iter().map(|&s| booking(f.project, 0, s)).collect();
    let answers = join_all(bodies.iter().map(|b| app.book(b, None))).await;
    let mut confirmed = 0;
    for r in answers {
        match r.status() {
            StatusCode::CREATED => confirmed += 1,
            _ => assert_eq!(
                error_code(r, StatusCode::CONFLICT).await.0,
                "already_booked"
            ),
        }
    }
    assert_eq!(confirmed, 1);
    let mut taken = 0;
    for &s in &f.slots {
        taken += app.slot_taken(s).await;
    }
    assert_eq!(taken, 1, "the refused bookings gave their places back");
}

async fn parallel_reschedules_into_the_last_place(app: TestApp) {
    // Ten bookings, each in its own slot, all try to move into one slot with one place.
    let mut slots: Vec<(i64, u32)> = (0..10).map(|i| (48 + i, 1)).collect();
    slots.push((96, 1));
    let f = fixture(&app, 10, &slots).await;
    let target = f.slots[10];
    let mut codes = Vec::new();
    for i in 0..10 {
        let b = created(app.book(&booking(f.project, i, f.slots[i]), None).await).await;
        codes.push(b["code"].as_str().unwrap().to_string());
    }
    let answers = join_all(codes.iter().enumerate().map(|(i, code)| {
        app.booking_action(
            code,
            "reschedule",
            json!({"phone": phone(i), "slot_id": target}),
        )
    }))
    .await;
    let mut winner = None;
    for (i, r) in answers.into_iter().enumerate() {
        if r.status() == StatusCode::OK {
            assert!(winner.replace(i).is_none(), "only one may move");
        } else {
            assert_eq!(error_code(r, StatusCode::CONFLICT).await.0, "slot_full");
        }
    }
    let winner = winner.expect("one reschedule wins");
    assert_eq!(app.slot_taken(target).await, 1);
    for (i, code) in codes.iter().enumerate() {
        let r = app
            .booking_action(code, "lookup", json!({"phone": phone(i)}))
            .await;
        let b: Value = r.json().await.unwrap();
        let expected = if i == winner { target } else { f.slots[i] };
        assert_eq!(b["slot"]["id"], expected, "booking {i}");
        assert_eq!(b["status"], "confirmed");
        let old_taken = app.slot_taken(f.slots[i]).await;
        assert_eq!(old_taken, i64::from(i != winner), "slot of booking {i}");
    }
}

async fn book_look_up_reschedule_and_cancel(app: TestApp) {
    let f = fixture(&app, 2, &[(50, 2), (74, 2)]).await;
    let mut body = booking(f.project, 0, f.slots[0]);
    body["building"] = json!("1号楼");
    body["room"] = json!("１０１室");
    body["notes"] = json!("需要轮椅通道");
    let b = created(app.book(&body, None).await).await;
    let code = b["code"].as_str().unwrap().to_string();
    assert_eq!(b["status"], "confirmed");
    assert_eq!(
        b["flat"],
        json!({"building": "1", "unit": "1", "room": "101"})
    );
    assert_eq!(b["phone_masked"], "139****0000");
    assert_eq!(b["notes"], "需要轮椅通道");
    assert_eq!(b["slot"]["places_left"], 1);
    assert_eq!(b["history"][0]["action"], "booked");
    let starts = BeijingTime::parse_rfc3339(b["slot"]["starts_at"].as_str().unwrap()).unwrap();
    let deadline = BeijingTime::parse_rfc3339(b["change_deadline"].as_str().unwrap()).unwrap();
    assert_eq!(starts.unix() - deadline.unix(), 24 * HOUR);

    // The phone proves the code; a wrong phone is as unknown as a wrong code.
    let r = app
        .booking_action(&code, "lookup", json!({"phone": phone(1)}))
        .await;
    assert_eq!(error_code(r, StatusCode::NOT_FOUND).await.0, "not_found");
    let r = app
        .booking_action(&code.to_lowercase(), "lookup", json!({"phone": phone(0)}))
        .await;
    assert_eq!(r.status(), StatusCode::OK);

    let r = app
        .booking_action(
            &code,
            "reschedule",
            json!({"phone": phone(0), "slot_id": f.slots[1]}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let moved: Value = r.json().await.unwrap();
    assert_eq!(moved["slot"]["id"], f.slots[1]);
    assert_eq!(moved["history"][1]["action"], "rescheduled");
    assert_eq!(
        (
            app.slot_taken(f.slots[0]).await,
            app.slot_taken(f.slots[1]).await
        ),
        (0, 1)
    );

    let r = app
        .get(&format!("/api/inspections/bookings/{code}/calendar.ics"))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let ics = r.text().await.unwrap();
    assert!(ics.contains(&code) && ics.contains("TZID=Asia/Shanghai"));
    assert!(
        !ics.contains(&phone(0)) && !ics.contains(&buyer_name(0)),
        "nothing personal"
    );

    let r = app
        .booking_action(&code, "cancel", json!({"phone": phone(0)}))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let cancelled: Value = r.json().await.unwrap();
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(app.slot_taken(f.slots[1]).await, 0);
    // Cancelling again is harmless; moving a cancelled booking is refused.
    let r = app
        .booking_action(&code, "cancel", json!({"phone": phone(0)}))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(app.slot_taken(f.slots[1]).await, 0);
    let r = app
        .booking_action(
            &code,
            "reschedule",
            json!({"phone": phone(0), "slot_id": f.slots[0]}),
        )
        .await;
    assert_eq!(
        error_code(r, StatusCode::CONFLICT).await.0,
        "already_cancelled"
    );
    // The flat may book again.
    created(app.book(&booking(f.project, 0, f.slots[0]), None).await).await;
}

async fn buyer_mismatch_gives_one_answer_for_every_wrong_field(app: TestApp) {
    let f = fixture(&app, 2, &[(50, 5)]).await;
    let good = booking(f.project, 0, f.slots[0]);
    let mut bodies = Vec::new();
    for (field, value) in [
        ("building", json!("9")),
        ("unit", json!("2")),
        ("room", json!("999")),
        ("buyer_name", json!("王五")),
        ("phone", json!(phone(1))),
    ] {
        let mut body = good.clone();
        body[field] = value;
        bodies.push(body);
    }
    let mut answers = Vec::new();
    for body in &bodies {
        let (code, answer) =
            error_code(app.book(body, None).await, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(code, "buyer_mismatch");
        answers.push(answer);
    }
    assert!(answers.windows(2).all(|w| w[0] == w[1]), "{answers:?}");
    assert!(
        answers[0]["error"].get("fields").is_none(),
        "no field is named"
    );
    assert_eq!(app.count_bookings("confirmed").await, 0);
    assert_eq!(app.slot_taken(f.slots[0]).await, 0);
    created(app.book(&good, None).await).await;
}

async fn the_booking_window_and_the_cutoff_are_enforced(app: TestApp) {
    let now = now_unix();
    // Handover in 90 days, bookings open 60 days before: not open yet.
    let early = fixture_with(&app, 1, &[(72, 5)], 90, 60, now).await;
    let r = app
        .book(&booking(early.project, 0, early.slots[0]), None)
        .await;
    assert_eq!(
        error_code(r, StatusCode::CONFLICT).await.0,
        "booking_closed"
    );
    // Handed over yesterday: closed, and no longer listed.
    let past = fixture_with(&app, 1, &[(72, 5)], -1, 60, now).await;
    let r = app
        .book(&booking(past.project, 0, past.slots[0]), None)
        .await;
    assert_eq!(
        error_code(r, StatusCode::CONFLICT).await.0,
        "booking_closed"
    );
    let listed: Value = app
        .get("/api/inspections/projects")
        .await
        .json()
        .await
        .unwrap();
    let ids: Vec<i64> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_i64().unwrap())
        .collect();
    assert!(ids.contains(&early.project) && !ids.contains(&past.project));

    // A slot 10 hours away is inside the 24-hour cut-off: not offered, not bookable.
    let f = fixture(&app, 2, &[(10, 5), (30, 5), (12, 5)]).await;
    let slots: Value = app
        .get(&format!("/api/inspections/projects/{}/slots", f.project))
        .await
        .json()
        .await
        .unwrap();
    let offered: Vec<i64> = slots
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_i64().unwrap())
        .collect();
    assert_eq!(offered, [f.slots[1]]);
    let r = app.book(&booking(f.project, 0, f.slots[0]), None).await;
    assert_eq!(error_code(r, StatusCode::CONFLICT).await.0, "past_cutoff");

    // A booking made two days ago for a visit now 10 hours away can no longer change.
    let b = created(app.book(&booking(f.project, 0, f.slots[1]), None).await).await;
    let code = b["code"].as_str().unwrap();
    let then = now - 2 * DAY;
    let g = fixture_with(&app, 1, &[(2 * 24 + 10, 5), (4 * 24, 5)], 30, 60, then).await;
    let old = app
        .store
        .book(
            g.project,
            g.slots[0],
            &model::NewBooking {
                project_id: g.project,
                building: "1".into(),
                unit: "1".into(),
                room: room(0),
                buyer_name: buyer_name(0),
                phone: phone(0),
                slot_id: g.slots[0],
                party_size: 1,
                notes: String::new(),
            }
            .validate()
            .unwrap(),
            "test",
            None,
            then,
        )
        .await
        .unwrap()
        .value;
    let old_code = old.code.as_str();
    let r = app
        .booking_action(old_code, "cancel", json!({"phone": phone(0)}))
        .await;
    assert_eq!(error_code(r, StatusCode::CONFLICT).await.0, "past_cutoff");
    let r = app
        .booking_action(
            old_code,
            "reschedule",
            json!({"phone": phone(0), "slot_id": g.slots[1]}),
        )
        .await;
    assert_eq!(error_code(r, StatusCode::CONFLICT).await.0, "past_cutoff");
    assert_eq!(app.slot_taken(g.slots[0]).await, 1);
    assert_eq!(app.slot_taken(g.slots[1]).await, 0);
    // Moving into a slot inside the cut-off is refused too; the booking stays put.
    let r = app
        .booking_action(
            code,
            "reschedule",
            json!({"phone": phone(0), "slot_id": f.slots[2]}),
        )
        .await;
    assert_eq!(error_code(r, StatusCode::CONFLICT).await.0, "past_cutoff");
    assert_eq!(app.slot_taken(f.slots[1]).await, 1);
}

async fn replayed_bookings_and_cancels_store_one_change(app: TestApp) {
    let f = fixture(&app, 1, &[(50, 5)]).await;
    let body = booking(f.project, 0, f.slots[0]);
    let first = created(app.book(&body, Some("key-booking-0001")).await).await;
    let answers = join_all((0..5).map(|_| app.book(&body, Some("key-booking-0001")))).await;
    for r in answers {
        assert_eq!(r.status(), StatusCode::CREATED);
        assert_eq!(r.headers()["idempotent-replayed"], "true");
        let again: Value = r.json().await.unwrap();
        assert_eq!(again["code"], first["code"]);
    }
    assert_eq!(app.count_bookings("confirmed").await, 1);
    assert_eq!(app.slot_taken(f.slots[0]).await, 1);
    let mut other = body.clone();
    other["party_size"] = json!(1);
    let r = app.book(&other, Some("key-booking-0001")).await;
    assert_eq!(
        error_code(r, StatusCode::CONFLICT).await.0,
        "idempotency_key_reused"
    );

    let code = first["code"].as_str().unwrap();
    let path = format!("/api/inspections/bookings/{code}/cancel");
    for _ in 0..2 {
        let r = app
            .post_json(&path, &json!({"phone": phone(0)}), Some("key-cancel-0001"))
            .await;
        assert_eq!(r.status(), StatusCode::OK);
    }
    let (changes,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM booking_changes")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(changes, 2, "booked once, cancelled once");
    assert_eq!(app.slot_taken(f.slots[0]).await, 0);
}

async fn bad_input_changes_nothing(app: TestApp) {
    let f = fixture(&app, 1, &[(50, 5)]).await;
    let other = fixture(&app, 1, &[(50, 5)]).await;
    let url = app.url("/api/inspections/bookings");
    let send = |body: String| {
        app.client
            .post(&url)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    for (body, status, code) in [
        ("{".to_string(), StatusCode::BAD_REQUEST, "malformed_body"),
        (
            r#"{"project_id":"x"}"#.into(),
            StatusCode::BAD_REQUEST,
            "malformed_body",
        ),
        ("[]".into(), StatusCode::BAD_REQUEST, "malformed_body"),
        (
            format!(r#"{{"notes":"{}"}}"#, "x".repeat(70_000)),
            StatusCode::PAYLOAD_TOO_LARGE,
            "payload_too_large",
        ),
    ] {
        let r = send(body).await.unwrap();
        assert_eq!(error_code(r, status).await.0, code);
    }
    let mut invalid = booking(f.project, 0, f.slots[0]);
    invalid["party_size"] = json!(4);
    invalid["building"] = json!("<script>");
    invalid["notes"] = json!("x".repeat(201));
    let (code, body) = error_code(
        app.book(&invalid, None).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(code, "validation");
    assert_eq!(
        body["error"]["fields"],
        json!({"building": "invalid", "notes": "too_long", "party_size": "out_of_range"})
    );

    // Unknown project, unknown slot, and a slot of another project.
    for (project, slot) in [
        (999_999, f.slots[0]),
        (f.project, 999_999),
        (f.project, other.slots[0]),
    ] {
        let mut body = booking(f.project, 0, slot);
        body["project_id"] = json!(project);
        assert_eq!(
            error_code(app.book(&body, None).await, StatusCode::NOT_FOUND)
                .await
                .0,
            "not_found"
        );
    }
    for path in [
        "/api/inspections/projects/999999".to_string(),
        "/api/inspections/projects/abc/slots".into(),
        "/api/inspections/bookings/ABCDEFGH/calendar.ics".into(),
    ] {
        assert_eq!(
            error_code(app.get(&path).await, StatusCode::NOT_FOUND)
                .await
                .0,
            "not_found"
        );
    }
    let r = app
        .get(&format!(
            "/api/inspections/projects/{}/slots?from=soon",
            f.project
        ))
        .await;
    assert_eq!(
        error_code(r, StatusCode::BAD_REQUEST).await.0,
        "invalid_query"
    );
    let r = app
        .booking_action("NOPE", "cancel", json!({"phone": phone(0)}))
        .await;
    assert_eq!(error_code(r, StatusCode::NOT_FOUND).await.0, "not_found");
    let r = app
        .booking_action(
            "ABCDEFGH",
            "reschedule",
            json!({"phone": "12", "slot_id": 1}),
        )
        .await;
    assert_eq!(
        error_code(r, StatusCode::UNPROCESSABLE_ENTITY).await.0,
        "validation"
    );

    assert_eq!(app.count_bookings("confirmed").await, 0);
    assert_eq!(app.slot_taken(f.slots[0]).await, 0);
}

async fn demo_projects_have_buyers_and_slots_in_every_state(app: TestApp) {
    let now = now_unix();
    let seeded = quality_month_server::demo::seed_if_empty(&app.store, now)
        .await
        .unwrap();
    assert_eq!(seeded.projects, 3);
    let projects: Value = app
        .get("/api/inspections/projects")
        .await
        .json()
        .await
        .unwrap();
    let projects = projects.as_array().unwrap();
    let towns: std::collections::BTreeSet<&str> = projects
        .iter()
        .map(|p| p["town"].as_str().unwrap())
        .collect();
    assert_eq!(towns.len(), 3, "three towns");
    for p in projects {
        let id = p["id"].as_i64().unwrap();
        let (buyers,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM buyers WHERE project_id = $1")
            .bind(id)
            .fetch_one(&app.db)
            .await
            .unwrap();
        assert!(buyers >= 200, "project {id} has {buyers} buyers");
        let slots: Vec<Value> = app
            .get(&format!("/api/inspections/projects/{id}/slots"))
            .await
            .json()
            .await
            .unwrap();
        let left = |s: &Value| s["places_left"].as_i64().unwrap();
        assert!(slots.iter().any(|s| left(s) == 0), "a full slot");
        assert!(slots.iter().any(|s| left(s) == 1), "a nearly full slot");
        let days: std::collections::BTreeSet<String> = slots
            .iter()
            .map(|s| s["starts_at"].as_str().unwrap()[..10].to_string())
            .collect();
        // Every working day (Monday to Saturday) between the first and last has slots,
        // except the project's closed day.
        let parse = |d: &String| model::BeijingDate::parse(d).unwrap();
        let (first, last) = (parse(days.first().unwrap()), parse(days.last().unwrap()));
        assert!(last.add_days(-17) >= first, "about three weeks of slots");
        let mut missing = Vec::new();
        let mut d = first;
        while d <= last {
            if d.weekday().0 != 6 && !days.contains(&d.to_string()) {
                missing.push(d);
            }
            d = d.add_days(1);
        }
        assert_eq!(missing.len(), 1, "one closed working day: {missing:?}");
    }
    // The documented demo buyers can book.
    let (b, u, r, name, phone) = quality_month_server::demo::DEMO_BUYERS[0];
    let first = &projects
        .iter()
        .find(|p| p["name"]["zh"] == "奉贤新城·星澜苑")
        .unwrap();
    let id = first["id"].as_i64().unwrap();
    let slots: Vec<Value> = app
        .get(&format!("/api/inspections/projects/{id}/slots"))
        .await
        .json()
        .await
        .unwrap();
    let free = slots
        .iter()
        .find(|s| s["places_left"].as_i64().unwrap() > 0)
        .unwrap();
    let body = json!({"project_id": id, "building": b, "unit": u, "room": r, "buyer_name": name,
        "phone": phone, "slot_id": free["id"], "party_size": 1});
    created(app.book(&body, None).await).await;
}
