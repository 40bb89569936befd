//! Defects followed to repair: photos cleaned and served by signed address, and only the
//! changes each side may make.

mod common;

use common::inspections::{booking, created, fixture};
use common::projects::*;
use common::{TestApp, error_code, phone};
use reqwest::StatusCode;
use serde_json::{Value, json};

on_both_databases!(
    photos_are_pictures_re_encoded_without_exif_and_served_only_when_signed,
    a_defect_moves_only_as_the_rules_allow_and_every_change_is_kept,
);

async fn photos_are_pictures_re_encoded_without_exif_and_served_only_when_signed(app: TestApp) {
    let f = fixture(&app, 2, &[(48, 4)]).await;
    let code = visited(&app, f.project, f.slots[0], 0).await;
    let path = format!("/api/inspections/bookings/{code}/defects");
    let original = photo_with_exif();
    assert!(original.windows(4).any(|w| w == b"Exif"));

    let r = app
        .post_json(&path, &defect(0, &[b"<svg onload=alert(1)>"]), None)
        .await;
    let (_, body) = error_code(r, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(body["error"]["fields"]["photos"], "invalid");
    let huge = vec![0xFFu8; 5 * 1024 * 1024 + 10];
    let r = app.post_json(&path, &defect(0, &[&huge]), None).await;
    let (_, body) = error_code(r, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(body["error"]["fields"]["photos"], "too_long");
    let r = app.post_json(&path, &defect(1, &[&original]), None).await;
    assert_eq!(
        r.status(),
        StatusCode::NOT_FOUND,
        "another phone is not the buyer"
    );
    // Nothing is decoded for someone who is not the buyer: the answer is about the
    // booking, not the picture.
    let r = app
        .post_json(&path, &defect(1, &[b"not a picture"]), None)
        .await;
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    // A picture that claims 100,000 x 100,000 pixels is refused before it is unpacked.
    let bomb = png_claiming(100_000, 100_000);
    let r = app.post_json(&path, &defect(0, &[&bomb]), None).await;
    let (_, body) = error_code(r, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(body["error"]["fields"]["photos"], "invalid");
    assert_eq!(
        std::fs::read_dir(&app.photo_dir)
            .map(|d| d.count())
            .unwrap_or(0),
        0,
        "nothing kept of refused writes"
    );

    let d = created(app.post_json(&path, &defect(0, &[&original]), None).await).await;
    assert_eq!(
        (d["status"].clone(), d["recorded_by"].clone()),
        (json!("open"), json!("buyer"))
    );
    let url = d["history"][0]["photos"][0].as_str().unwrap().to_string();
    let stored: Vec<_> = std::fs::read_dir(&app.photo_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(stored.len(), 1);
    let bytes = std::fs::read(&stored[0]).unwrap();
    assert!(!bytes.windows(4).any(|w| w == b"Exif"), "no EXIF block");
    assert!(!bytes.windows(3).any(|w| w == b"GPS"), "nothing of it");
    assert_eq!(image::load_from_memory(&bytes).unwrap().width(), 64);

    let r = app.get(&url).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "image/jpeg");
    assert_eq!(r.bytes().await.unwrap().as_ref(), bytes.as_slice());
    let unsigned = url.split('?').next().unwrap();
    assert_eq!(app.get(unsigned).await.status(), StatusCode::NOT_FOUND);
    let altered = url.replacen("t=v1.", "t=v1.0", 1);
    assert_eq!(app.get(&altered).await.status(), StatusCode::NOT_FOUND);
    // The buyer's look-up carries the defect with a working address.
    let receipt: Value = app
        .booking_action(&code, "lookup", json!({"phone": phone(0)}))
        .await
        .json()
        .await
        .unwrap();
    let again = receipt["defects"][0]["history"][0]["photos"][0]
        .as_str()
        .unwrap();
    assert_eq!(app.get(again).await.status(), StatusCode::OK);
}

async fn a_defect_moves_only_as_the_rules_allow_and_every_change_is_kept(app: TestApp) {
    let f = fixture(&app, 2, &[(48, 4)]).await;
    let office = office(&app, f.project).await;
    let code = visited(&app, f.project, f.slots[0], 0).await;
    let not_yet = created(app.book(&booking(f.project, 1, f.slots[0]), None).await).await;
    let r = app
        .post_json(
            &format!(
                "/api/inspections/bookings/{}/defects",
                not_yet["code"].as_str().unwrap()
            ),
            &defect(1, &[]),
            None,
        )
        .await;
    let (c, _) = error_code(r, StatusCode::CONFLICT).await;
    assert_eq!(c, "wrong_status", "no defect before the visit");

    let d = created(
        app.post_json(
            &format!("/api/inspections/bookings/{code}/defects"),
            &defect(0, &[]),
            Some("defect-key-1"),
        )
        .await,
    )
    .await;
    let id = d["id"].as_i64().unwrap();
    // The office sees it waiting on its project, whatever number it gave for SMS.
    let waiting = |project: Value| project["waiting_for_office"].as_i64().unwrap();
    let desk = format!("/api/staff/projects/{}", f.project);
    assert_eq!(waiting(office.get(&desk).await.json().await.unwrap()), 1);
    let buyer_path = format!("/api/inspections/bookings/{code}/defects/{id}/status");
    let staff_path = format!("/api/staff/projects/{}/defects/{id}/status", f.project);
    let buyer =
        |status: &str, note: &str| json!({"phone": phone(0), "status": status, "note": note});

    // The buyer cannot call it repaired; the office cannot confirm it.
    let (c, _) = error_code(
        app.post_json(&buyer_path, &buyer("repaired", "好了"), None)
            .await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(c, "wrong_status");
    let (c, _) = error_code(
        office
            .post(&staff_path, &json!({"status": "confirmed", "note": ""}))
            .await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(c, "wrong_status");
    // A repair says what was done.
    let r = office
        .post(&staff_path, &json!({"status": "repaired", "note": " "}))
        .await;
    let (_, body) = error_code(r, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(body["error"]["fields"]["note"], "required");

    let r = office
        .post(
            &staff_path,
            &json!({"status": "in_progress", "note": "已派维修"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        waiting(office.get(&desk).await.json().await.unwrap()),
        0,
        "taken up"
    );
    let repair_photo = photo_with_exif();
    let r = office
        .post(
            &staff_path,
            &json!({"status": "repaired", "note": "已重新打胶", "photo": b64(&repair_photo)}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    // Reopened by the buyer, repaired again, confirmed.
    let r = app
        .post_json(&buyer_path, &buyer("open", "还在渗水"), None)
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        waiting(office.get(&desk).await.json().await.unwrap()),
        1,
        "reopened"
    );
    office
        .post(
            &staff_path,
            &json!({"status": "repaired", "note": "更换水管"}),
        )
        .await;
    let r = app
        .post_json(&buyer_path, &buyer("confirmed", ""), None)
        .await;
    let done: Value = r.json().await.unwrap();
    assert_eq!(done["status"], "confirmed");
    let steps: Vec<(&str, &str)> = done["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["by"].as_str().unwrap(), s["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        steps,
        [
            ("buyer", "open"),
            ("staff", "in_progress"),
            ("staff", "repaired"),
            ("buyer", "open"),
            ("staff", "repaired"),
            ("buyer", "confirmed")
        ]
    );
    assert_eq!(done["history"][2]["photos"].as_array().unwrap().len(), 1);
    assert_eq!(app.audit_rows("defect.status").await, 3);
    // Every staff change told the buyer.
    let (sms,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM notifications WHERE recipient = $1 AND body LIKE '%问题%'",
    )
    .bind(phone(0))
    .fetch_one(&app.db)
    .await
    .unwrap();
    assert_eq!(sms, 3);
    // The outbox's retry of the first record gets the same defect, not a second one.
    let replay = app
        .post_json(
            &format!("/api/inspections/bookings/{code}/defects"),
            &defect(0, &[]),
            Some("defect-key-1"),
        )
        .await;
    assert_eq!(replay.json::<Value>().await.unwrap()["id"], id);
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM defects")
        .fetch_one(&app.db)
        .await
        .unwrap();
    assert_eq!(n, 1);
}
