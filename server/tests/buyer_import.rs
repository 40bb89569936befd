//! Importing a sales office's buyer list: the dry run names every bad row, a commit is all
//! or nothing, a re-import merges by flat and asks before dropping a booked one.

mod common;

use common::inspections::{DAY, HOUR, booking, created, fixture, room};
use common::projects::*;
use common::{TestApp, error_code, phone};
use model::BeijingTime;
use quality_month_server::store::now_unix;
use reqwest::StatusCode;
use serde_json::{Value, json};

on_both_databases!(
    the_dry_run_names_every_bad_row_and_a_commit_is_all_or_nothing,
    an_xlsx_list_reads_like_the_csv,
    a_re_import_merges_by_flat_and_asks_before_dropping_a_booked_one,
);

async fn the_dry_run_names_every_bad_row_and_a_commit_is_all_or_nothing(app: TestApp) {
    let f = fixture(&app, 0, &[]).await;
    let office = office(&app, f.project).await;
    let path = format!("/api/staff/projects/{}/buyers/import", f.project);
    let csv = format!(
        "{HEADER}1,1,101,张三,13800138000\n1,1,,李四,13800138001\n1,1,103,王五,1380013\n\
         1,1,101,张三,138 0013 8000\n1,1,101,张丽,13900139000\n,,,,\n"
    );
    let r = office
        .post(&path, &import("名单.csv", csv.as_bytes(), false))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let report: Value = r.json().await.unwrap();
    assert_eq!(
        report["mapping"],
        json!({"building":0,"unit":1,"room":2,"name":3,"phone":4})
    );
    assert_eq!(report["rows"], 5, "the blank row is not a row");
    assert_eq!(
        report["problems"],
        json!([
            {"row": 3, "column": "room", "reason": "required"},
            {"row": 4, "column": "phone", "reason": "invalid"},
            {"row": 5, "column": "phone", "reason": "duplicate"},
        ])
    );
    assert_eq!(report["added"], 1, "joint buyers of 1-1-101 make one flat");
    assert_eq!(report["committed"], false);
    assert!(
        buyer_rows(&app, f.project).await.is_empty(),
        "a dry run changes nothing"
    );

    // A commit with a bad row changes nothing either.
    let r = office
        .post(&path, &import("名单.csv", csv.as_bytes(), true))
        .await;
    let (code, body) = error_code(r, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(
        (code.as_str(), &body["error"]["fields"]["rows"]),
        ("validation", &json!("invalid"))
    );
    assert!(buyer_rows(&app, f.project).await.is_empty());

    let fixed = format!(
        "{HEADER}1,1,101,张三,13800138000\n1,1,102,李四,13800138001\n1,1,103,王五,13800138002\n\
         1,1,101,张丽,13900139000\n"
    );
    let r = office
        .post(&path, &import("名单.csv", fixed.as_bytes(), true))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let report: Value = r.json().await.unwrap();
    assert_eq!(
        (report["committed"].clone(), report["added"].clone()),
        (json!(true), json!(3))
    );
    assert_eq!(buyer_rows(&app, f.project).await.len(), 4);
    assert_eq!(app.audit_rows("buyers.import").await, 1);
    // The imported buyer can book.
    let slot = app
        .store
        .insert_slots(
            f.project,
            &[model::project_admin::PlannedSlot {
                starts_at: BeijingTime::from_unix(now_unix() + 3 * DAY),
                ends_at: BeijingTime::from_unix(now_unix() + 3 * DAY + HOUR),
                capacity: 2,
            }],
        )
        .await
        .unwrap()[0];
    let body = json!({
        "project_id": f.project, "building": "1", "unit": "1", "room": "101",
        "buyer_name": "张丽", "phone": "13900139000", "slot_id": slot, "party_size": 1,
    });
    created(app.book(&body, None).await).await;
}

async fn an_xlsx_list_reads_like_the_csv(app: TestApp) {
    let f = fixture(&app, 0, &[]).await;
    let office = office(&app, f.project).await;
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (col, h) in (0u16..).zip(["序号", "楼号", "单元", "室号", "业主姓名", "联系电话"])
    {
        sheet.write_string(0, col, h).unwrap();
    }
    // Sales offices type rooms and phones as numbers.
    sheet.write_number(1, 0, 1).unwrap();
    sheet.write_string(1, 1, "2栋").unwrap();
    sheet.write_number(1, 2, 1).unwrap();
    sheet.write_number(1, 3, 1201).unwrap();
    sheet.write_string(1, 4, "陈静").unwrap();
    sheet.write_number(1, 5, 13800138005.0).unwrap();
    let bytes = book.save_to_buffer().unwrap();
    let path = format!("/api/staff/projects/{}/buyers/import", f.project);
    let r = office.post(&path, &import("名单.xlsx", &bytes, true)).await;
    assert_eq!(r.status(), StatusCode::OK);
    let report: Value = r.json().await.unwrap();
    assert_eq!(report["problems"], json!([]));
    assert_eq!(report["mapping"]["room"], 3);
    let rows: Vec<(String, String, String, String)> =
        sqlx::query_as("SELECT building, unit, room, phone FROM buyers WHERE project_id = $1")
            .bind(f.project)
            .fetch_all(&app.db)
            .await
            .unwrap();
    assert_eq!(
        rows,
        [("2".into(), "1".into(), "1201".into(), "13800138005".into())]
    );

    let r = office
        .post(&path, &import("名单.pdf", b"%PDF-1.7", false))
        .await;
    let (_, body) = error_code(r, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(body["error"]["fields"]["file"], "invalid");
}

async fn a_re_import_merges_by_flat_and_asks_before_dropping_a_booked_one(app: TestApp) {
    let f = fixture(&app, 3, &[(72, 4)]).await;
    let office = office(&app, f.project).await;
    let receipt = created(app.book(&booking(f.project, 0, f.slots[0]), None).await).await;
    let code = receipt["code"].as_str().unwrap().to_string();
    let path = format!("/api/staff/projects/{}/buyers/import", f.project);
    // Flat 0 (booked) left out, flat 1 gets a new phone, flat 2 as it was, flat 3 is new.
    let (p1, p2, p3) = (phone(11), phone(2), phone(3));
    let csv = list(&[(1, &p1), (2, &p2), (3, &p3)]);
    let r = office
        .post(&path, &import("v2.csv", csv.as_bytes(), false))
        .await;
    let report: Value = r.json().await.unwrap();
    let counts = ["added", "changed", "removed", "unchanged"].map(|k| report[k].as_u64().unwrap());
    assert_eq!(counts, [1, 1, 1, 1]);
    assert_eq!(report["booked_removals"][0]["code"], code.as_str());
    assert_eq!(report["booked_removals"][0]["flat"]["room"], room(0));

    let r = office
        .post(&path, &import("v2.csv", csv.as_bytes(), true))
        .await;
    let (code_name, _) = error_code(r, StatusCode::CONFLICT).await;
    assert_eq!(code_name, "decision_needed");
    assert_eq!(
        buyer_rows(&app, f.project).await.len(),
        3,
        "nothing changed"
    );

    // Keep: the booked flat stays on the list with its booking.
    let mut keep = import("v2.csv", csv.as_bytes(), true);
    keep["removals"] = json!([{ "flat": {"building": "1", "unit": "1", "room": room(0)}, "cancel_booking": false }]);
    let r = office.post(&path, &keep).await;
    assert_eq!(r.status(), StatusCode::OK);
    let rows = buyer_rows(&app, f.project).await;
    assert_eq!(rows.len(), 4);
    assert!(rows.iter().any(|(r, _, p)| *r == room(1) && *p == p1));
    assert_eq!(app.count_bookings("confirmed").await, 1);

    // Cancel: the flat goes and its buyer is told.
    let mut cancel = keep.clone();
    cancel["removals"][0]["cancel_booking"] = json!(true);
    let r = office.post(&path, &cancel).await;
    let report: Value = r.json().await.unwrap();
    assert_eq!(report["removed"], 1);
    assert_eq!(app.count_bookings("cancelled").await, 1);
    assert_eq!(buyer_rows(&app, f.project).await.len(), 3);
    let (sms,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM notifications WHERE recipient = $1 AND body LIKE $2")
            .bind(phone(0))
            .bind(format!("%{code}%"))
            .fetch_one(&app.db)
            .await
            .unwrap();
    assert_eq!(sms, 1);
    assert_eq!(app.audit_rows("buyers.import").await, 2);
}
