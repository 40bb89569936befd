//! Running pre-inspection as a sales office (issue 12): buyer list import, the visit plan,
//! check-in and no-shows, defects followed to repair with their photos, and coverage.

mod common;

use base64::Engine;
use common::inspections::{DAY, HOUR, booking, buyer_name, created, fixture, room};
use common::staff::StaffClient;
use common::{TestApp, error_code, phone};
use model::{BeijingTime, Role, Scope};
use quality_month_server::store::now_unix;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

on_both_databases!(
    the_dry_run_names_every_bad_row_and_a_commit_is_all_or_nothing,
    an_xlsx_list_reads_like_the_csv,
    a_re_import_merges_by_flat_and_asks_before_dropping_a_booked_one,
    plan_changes_keep_booked_places_and_move_or_cancel_what_they_close,
    one_office_never_sees_another_projects_buyers_or_defects,
    the_door_checks_buyers_in_and_marks_no_shows_only_after_the_slot,
    photos_are_pictures_re_encoded_without_exif_and_served_only_when_signed,
    a_defect_moves_only_as_the_rules_allow_and_every_change_is_kept,
    coverage_equals_the_hand_count,
);

fn project_draft() -> Value {
    let text = |zh: &str, en: &str| json!({"zh": zh, "en": en});
    json!({
        "town": "nanqiao",
        "name": text("奉贤新城·星澜苑", "Xinglan Garden"),
        "developer": text("上海星澜置业有限公司", "Shanghai Xinglan Property"),
        "address": text("南桥镇望园路1888弄", "Lane 1888 Wangyuan Rd"),
        "handover_on": BeijingTime::from_unix(now_unix() + 40 * DAY).date(),
        "opens_days_before": 60,
        "change_cutoff_hours": 24,
        "instructions": text("请携带身份证和购房合同。", "Bring your ID and purchase contract."),
        "contact_phone": "021-5718 8888",
    })
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn import(file: &str, bytes: &[u8], commit: bool) -> Value {
    json!({ "file_name": file, "content_base64": b64(bytes), "commit": commit })
}

/// An admin, and a sales office for `project` (logged in).
async fn office(app: &TestApp, project: i64) -> StaffClient {
    let login = format!("office{project}");
    app.add_staff(&login, Role::ProjectOffice, &[Scope::Project(project)])
        .await;
    app.login(&login).await
}

async fn buyer_rows(app: &TestApp, project: i64) -> Vec<(String, String, String)> {
    sqlx::query_as(
        "SELECT room, name, phone FROM buyers WHERE project_id = $1 ORDER BY room, phone",
    )
    .bind(project)
    .fetch_all(&app.db)
    .await
    .unwrap()
}

const HEADER: &str = "楼栋,单元,房号,买受人,手机号码\n";

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

/// The buyer list of `fixture(…, 3, …)` as a CSV, with changes.
fn list(rows: &[(usize, &str)]) -> String {
    let mut csv = HEADER.to_string();
    for (i, phone) in rows {
        csv.push_str(&format!("1,1,{},{},{}\n", room(*i), buyer_name(*i), phone));
    }
    csv
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

fn plan(windows: &[(u16, u16, u32)]) -> Value {
    json!({
        "weekdays": [0, 1, 2, 3, 4, 5, 6],
        "windows": windows.iter().map(|&(s, e, c)| json!({"start_minute": s, "end_minute": e, "capacity": c})).collect::<Vec<_>>(),
        "closed": [],
    })
}

async fn slots_of(app: &TestApp, project: i64) -> Vec<(i64, i64, i64, i64)> {
    sqlx::query_as(
        "SELECT id, starts_at, capacity, taken FROM slots \
         WHERE project_id = $1 AND withdrawn = 0 ORDER BY starts_at",
    )
    .bind(project)
    .fetch_all(&app.db)
    .await
    .unwrap()
}

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

async fn one_office_never_sees_another_projects_buyers_or_defects(app: TestApp) {
    let a = fixture(&app, 1, &[(48, 2)]).await;
    let b = fixture(&app, 1, &[(48, 2)]).await;
    let office_a = office(&app, a.project).await;
    app.add_staff("door_b", Role::Door, &[Scope::Project(b.project)])
        .await;
    let door_b = app.login("door_b").await;
    app.add_staff(
        "organiser",
        Role::Organiser,
        &[Scope::Town(model::Town::Nanqiao)],
    )
    .await;
    let organiser = app.login("organiser").await;
    let id = b.project;
    let gets = [
        format!("/api/staff/projects/{id}"),
        format!("/api/staff/projects/{id}/visits?day=2026-12-01"),
        format!("/api/staff/projects/{id}/defects"),
        "/api/staff/coverage".to_string(),
    ];
    for path in &gets {
        let (code, _) = error_code(office_a.get(path).await, StatusCode::FORBIDDEN).await;
        assert_eq!(code, "forbidden", "{path}");
        let (code, _) = error_code(organiser.get(path).await, StatusCode::FORBIDDEN).await;
        assert_eq!(code, "forbidden", "{path}");
    }
    let writes = [
        (
            Method::PUT,
            format!("/api/staff/projects/{id}/plan"),
            json!({"plan": plan(&[(540, 600, 1)]), "commit": false}),
        ),
        (
            Method::POST,
            format!("/api/staff/projects/{id}/buyers/import"),
            import("x.csv", HEADER.as_bytes(), false),
        ),
        (
            Method::POST,
            format!("/api/staff/projects/{id}/checkins"),
            json!({"code": "ABCD2345"}),
        ),
        (
            Method::PATCH,
            format!("/api/staff/projects/{id}"),
            project_draft(),
        ),
    ];
    for (method, path, body) in &writes {
        let r = office_a.send(method.clone(), path, body).await;
        assert_eq!(r.status(), StatusCode::FORBIDDEN, "{method} {path}");
    }
    // The door of B sees B's day and checks in, but edits nothing.
    assert_eq!(door_b.get(&gets[1]).await.status(), StatusCode::OK);
    let r = door_b.post(&writes[1].1, &writes[1].2).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    // Only the district office opens projects; it sees them all.
    let r = office_a.post("/api/staff/projects", &project_draft()).await;
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    app.add_staff("admin", Role::Admin, &[]).await;
    let admin = app.login("admin").await;
    let made = created(admin.post("/api/staff/projects", &project_draft()).await).await;
    assert_eq!(made["draft"]["contact_phone"], "021-5718 8888");
    let all: Vec<Value> = admin.get("/api/staff/projects").await.json().await.unwrap();
    assert_eq!(all.len(), 3);
    let mut bad = project_draft();
    bad["contact_phone"] = json!("call us");
    bad["name"]["zh"] = json!("");
    let (_, body) = error_code(
        admin.post("/api/staff/projects", &bad).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(
        body["error"]["fields"],
        json!({"contact_phone": "invalid", "name.zh": "required"})
    );
    // Each sees only its own project in the list.
    let listed: Vec<Value> = office_a
        .get("/api/staff/projects")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        listed
            .iter()
            .map(|p| p["id"].as_i64().unwrap())
            .collect::<Vec<_>>(),
        [a.project]
    );
}

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

/// A small JPEG with an EXIF block that names a place, as a phone camera writes it.
fn photo_with_exif() -> Vec<u8> {
    let mut jpeg = Vec::new();
    image::DynamicImage::new_rgb8(64, 48)
        .write_to(
            &mut std::io::Cursor::new(&mut jpeg),
            image::ImageFormat::Jpeg,
        )
        .unwrap();
    let mut exif = b"Exif\0\0MM\0*\0\0\0\x08\0\0\0\0\0\0GPS 30.9N 121.4E".to_vec();
    let len = u16::try_from(exif.len() + 2).unwrap().to_be_bytes();
    let mut out = jpeg[..2].to_vec();
    out.extend_from_slice(&[0xFF, 0xE1, len[0], len[1]]);
    out.append(&mut exif);
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// A PNG whose header claims `w` x `h` pixels, with almost no data behind it.
fn png_claiming(w: u32, h: u32) -> Vec<u8> {
    fn crc(bytes: &[u8]) -> u32 {
        let mut c = 0xFFFF_FFFFu32;
        for &b in bytes {
            c ^= u32::from(b);
            for _ in 0..8 {
                c = if c & 1 == 1 {
                    0xEDB8_8320 ^ (c >> 1)
                } else {
                    c >> 1
                };
            }
        }
        !c
    }
    let chunk = |kind: &[u8], data: &[u8]| {
        let mut out = u32::try_from(data.len()).unwrap().to_be_bytes().to_vec();
        let body = [kind, data].concat();
        out.extend_from_slice(&body);
        out.extend_from_slice(&crc(&body).to_be_bytes());
        out
    };
    let mut ihdr = w.to_be_bytes().to_vec();
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
    [
        b"\x89PNG\r\n\x1a\n".to_vec(),
        chunk(b"IHDR", &ihdr),
        chunk(b"IDAT", &[0x78, 0x9c, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]),
        chunk(b"IEND", &[]),
    ]
    .concat()
}

/// A buyer whose visit has begun (checked in), and their booking code.
async fn visited(app: &TestApp, project: i64, slot: i64, flat: usize) -> String {
    let receipt = created(app.book(&booking(project, flat, slot), None).await).await;
    let code = receipt["code"].as_str().unwrap().to_string();
    sqlx::query("UPDATE bookings SET status = 'checked_in' WHERE code = $1")
        .bind(&code)
        .execute(&app.db)
        .await
        .unwrap();
    code
}

fn defect(flat: usize, photos: &[&[u8]]) -> Value {
    json!({
        "phone": phone(flat), "room": "kitchen", "category": "leak",
        "description": "水槽下方渗水", "photos": photos.iter().map(|p| b64(p)).collect::<Vec<_>>(),
    })
}

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
