//! Housing projects as the staff API sees them (issue 12): a sales office, buyer lists as
//! files, visit plans, visits that have begun, defects and their photos.

use super::inspections::{DAY, booking, buyer_name, created, room};
use super::staff::StaffClient;
use super::{TestApp, phone};
use base64::Engine;
use model::{BeijingTime, Role, Scope};
use quality_month_server::store::now_unix;
use serde_json::{Value, json};

pub fn project_draft() -> Value {
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

pub fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

pub fn import(file: &str, bytes: &[u8], commit: bool) -> Value {
    json!({ "file_name": file, "content_base64": b64(bytes), "commit": commit })
}

/// An admin, and a sales office for `project` (logged in).
pub async fn office(app: &TestApp, project: i64) -> StaffClient {
    let login = format!("office{project}");
    app.add_staff(&login, Role::ProjectOffice, &[Scope::Project(project)])
        .await;
    app.login(&login).await
}

pub async fn buyer_rows(app: &TestApp, project: i64) -> Vec<(String, String, String)> {
    sqlx::query_as(
        "SELECT room, name, phone FROM buyers WHERE project_id = $1 ORDER BY room, phone",
    )
    .bind(project)
    .fetch_all(&app.db)
    .await
    .unwrap()
}

pub const HEADER: &str = "楼栋,单元,房号,买受人,手机号码\n";

/// The buyer list of `fixture(…, 3, …)` as a CSV, with changes.
pub fn list(rows: &[(usize, &str)]) -> String {
    let mut csv = HEADER.to_string();
    for (i, phone) in rows {
        csv.push_str(&format!("1,1,{},{},{}\n", room(*i), buyer_name(*i), phone));
    }
    csv
}

pub fn plan(windows: &[(u16, u16, u32)]) -> Value {
    json!({
        "weekdays": [0, 1, 2, 3, 4, 5, 6],
        "windows": windows.iter().map(|&(s, e, c)| json!({"start_minute": s, "end_minute": e, "capacity": c})).collect::<Vec<_>>(),
        "closed": [],
    })
}

pub async fn slots_of(app: &TestApp, project: i64) -> Vec<(i64, i64, i64, i64)> {
    sqlx::query_as(
        "SELECT id, starts_at, capacity, taken FROM slots \
         WHERE project_id = $1 AND withdrawn = 0 ORDER BY starts_at",
    )
    .bind(project)
    .fetch_all(&app.db)
    .await
    .unwrap()
}

/// A small JPEG with an EXIF block that names a place, as a phone camera writes it.
pub fn photo_with_exif() -> Vec<u8> {
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
pub fn png_claiming(w: u32, h: u32) -> Vec<u8> {
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
pub async fn visited(app: &TestApp, project: i64, slot: i64, flat: usize) -> String {
    let receipt = created(app.book(&booking(project, flat, slot), None).await).await;
    let code = receipt["code"].as_str().unwrap().to_string();
    sqlx::query("UPDATE bookings SET status = 'checked_in' WHERE code = $1")
        .bind(&code)
        .execute(&app.db)
        .await
        .unwrap();
    code
}

pub fn defect(flat: usize, photos: &[&[u8]]) -> Value {
    json!({
        "phone": phone(flat), "room": "kitchen", "category": "leak",
        "description": "水槽下方渗水", "photos": photos.iter().map(|p| b64(p)).collect::<Vec<_>>(),
    })
}
