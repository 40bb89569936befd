//! The district's pre-inspection coverage, against a hand count.

mod common;

use common::inspections::{DAY, booking, created, fixture};
use common::projects::*;
use common::{TestApp, phone};
use model::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

on_both_databases!(coverage_equals_the_hand_count,);

async fn coverage_equals_the_hand_count(app: TestApp) {
    let a = fixture(&app, 4, &[(48, 4)]).await;
    let b = fixture(&app, 2, &[(48, 4)]).await;
    app.add_staff("admin", Role::Admin, &[]).await;
    let admin = app.login("admin").await;
    let office_a = office(&app, a.project).await;
    // A: 4 flats, 3 booked, 2 visited, 1 no-show; 3 defects: open, repaired in 2 days,
    // confirmed after a repair in 4 days. B: 2 flats, nothing booked.
    let c0 = visited(&app, a.project, a.slots[0], 0).await;
    visited(&app, a.project, a.slots[0], 1).await;
    let no_show = created(app.book(&booking(a.project, 2, a.slots[0]), None).await).await;
    sqlx::query("UPDATE bookings SET no_show_at = 1 WHERE code = $1")
        .bind(no_show["code"].as_str())
        .execute(&app.db)
        .await
        .unwrap();
    let path = format!("/api/inspections/bookings/{c0}/defects");
    let mut ids = Vec::new();
    for _ in 0..3 {
        ids.push(
            created(app.post_json(&path, &defect(0, &[]), None).await).await["id"]
                .as_i64()
                .unwrap(),
        );
    }
    for &id in &ids[1..] {
        let r = office_a
            .post(
                &format!("/api/staff/projects/{}/defects/{id}/status", a.project),
                &json!({"status": "repaired", "note": "修好"}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK);
    }
    app.post_json(
        &format!("/api/inspections/bookings/{c0}/defects/{}/status", ids[2]),
        &json!({"phone": phone(0), "status": "confirmed"}),
        None,
    )
    .await;
    for (id, days) in [(ids[1], 2), (ids[2], 4)] {
        sqlx::query("UPDATE defects SET created_at = first_repaired_at - $1 WHERE id = $2")
            .bind(days * DAY)
            .bind(id)
            .execute(&app.db)
            .await
            .unwrap();
    }
    let coverage: Value = admin.get("/api/staff/coverage").await.json().await.unwrap();
    let figures = |p: &Value| {
        [
            "flats",
            "booked",
            "visited",
            "no_shows",
            "defects",
            "open",
            "repaired",
            "confirmed",
        ]
        .map(|k| p[k].as_u64().unwrap())
    };
    let row_a = coverage["projects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["project_id"] == a.project)
        .unwrap();
    assert_eq!(figures(row_a), [4, 3, 2, 1, 3, 1, 1, 1]);
    assert_eq!(row_a["median_days_to_repair"], 3.0);
    let row_b = coverage["projects"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["project_id"] == b.project)
        .unwrap();
    assert_eq!(figures(row_b), [2, 0, 0, 0, 0, 0, 0, 0]);
    assert_eq!(row_b["median_days_to_repair"], Value::Null);
    assert_eq!(figures(&coverage["total"]), [6, 3, 2, 1, 3, 1, 1, 1]);

    let r = admin.get("/api/staff/coverage.xlsx").await;
    assert_eq!(r.status(), StatusCode::OK);
    let bytes = r.bytes().await.unwrap();
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let sheet = book.worksheet_range_at(0).unwrap().unwrap();
    let total = sheet.rows().next_back().unwrap();
    assert_eq!(total[0].to_string(), "全区");
    assert_eq!(total[2].to_string(), "6");
}
