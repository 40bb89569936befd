//! The list of who signed up as files an office opens: CSV (UTF-8 with a BOM, so Excel
//! shows Chinese) and XLSX. Phones stay masked; a full number is revealed one person at a
//! time, audited.

use crate::error::{AppError, AppResult};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use model::{BeijingTime, Registrant, RegistrationStatus, StaffEvent};

const HEADERS: [&str; 10] = [
    "签到码 Code",
    "单位 Organisation",
    "统一社会信用代码 Credit code",
    "姓名 Name",
    "手机 Phone",
    "人数 Party",
    "状态 Status",
    "现场登记 Walk-in",
    "签到时间 Checked in",
    "报名时间 Signed up",
];

/// The column of `HEADERS` written as a number.
const PARTY_COLUMN: u16 = 5;

fn status(s: RegistrationStatus) -> &'static str {
    match s {
        RegistrationStatus::Registered => "已报名 registered",
        RegistrationStatus::Waitlisted => "候补 waitlisted",
        RegistrationStatus::Cancelled => "已取消 cancelled",
    }
}

fn time(t: BeijingTime) -> String {
    let c = t.civil();
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        c.date.year, c.date.month, c.date.day, c.hour, c.minute
    )
}

/// A cell as text. One that a spreadsheet would read as a formula gets a leading `'`.
fn cells(r: &Registrant) -> [String; 10] {
    let safe = |s: &str| {
        if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            format!("'{s}")
        } else {
            s.to_string()
        }
    };
    let org = r.organisation.as_ref();
    [
        r.code.clone(),
        org.map(|o| safe(&o.name)).unwrap_or_default(),
        org.map(|o| o.credit_code.clone()).unwrap_or_default(),
        safe(&r.name),
        r.phone_masked.clone(),
        r.party_size.to_string(),
        status(r.status).to_string(),
        if r.walk_in { "是 yes" } else { "" }.to_string(),
        r.checked_in_at.map(time).unwrap_or_default(),
        time(r.signed_up_at),
    ]
}

pub(super) fn file(
    bytes: Vec<u8>,
    content_type: &'static str,
    name: String,
) -> AppResult<Response> {
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    headers.insert(
        header::CONTENT_DISPOSITION,
        HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
            .map_err(|e| AppError::Internal(e.to_string()))?,
    );
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

pub fn csv(event: &StaffEvent, people: &[Registrant]) -> AppResult<Response> {
    let internal = |e: csv::Error| AppError::Internal(e.to_string());
    let mut writer = csv::Writer::from_writer(b"\xEF\xBB\xBF".to_vec());
    writer.write_record(HEADERS).map_err(internal)?;
    for r in people {
        let mut row = cells(r);
        // A code of 18 digits would become a rounded number in Excel; a leading tab keeps
        // it text (the XLSX writes it as a string).
        if !row[2].is_empty() {
            row[2] = format!("\t{}", row[2]);
        }
        writer.write_record(row).map_err(internal)?;
    }
    let bytes = writer
        .into_inner()
        .map_err(|e| AppError::Internal(e.to_string()))?;
    file(
        bytes,
        "text/csv; charset=utf-8",
        format!("event-{}-registrations.csv", event.id),
    )
}

pub fn xlsx(event: &StaffEvent, people: &[Registrant]) -> AppResult<Response> {
    use rust_xlsxwriter::{Format, Workbook};
    let internal = |e: rust_xlsxwriter::XlsxError| AppError::Internal(e.to_string());
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("报名 Registrations").map_err(internal)?;
    let bold = Format::new().set_bold();
    sheet
        .write_string_with_format(0, 0, &event.draft.title.zh, &bold)
        .map_err(internal)?;
    for (col, h) in (0u16..).zip(HEADERS) {
        sheet
            .write_string_with_format(2, col, h, &bold)
            .map_err(internal)?;
    }
    for (row, r) in (3u32..).zip(people) {
        for (col, cell) in (0u16..).zip(cells(r)) {
            if col == PARTY_COLUMN {
                sheet
                    .write_number(row, col, f64::from(r.party_size))
                    .map_err(internal)?;
            } else {
                sheet.write_string(row, col, cell).map_err(internal)?;
            }
        }
    }
    sheet.set_column_width(1, 28).map_err(internal)?;
    sheet.set_column_width(2, 22).map_err(internal)?;
    sheet.set_column_width(3, 14).map_err(internal)?;
    sheet.set_column_width(8, 18).map_err(internal)?;
    sheet.set_column_width(9, 18).map_err(internal)?;
    let bytes = book.save_to_buffer().map_err(internal)?;
    file(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        format!("event-{}-registrations.xlsx", event.id),
    )
}

const COVERAGE_HEADERS: [&str; 12] = [
    "楼盘 Project",
    "镇 Town",
    "房源 Flats",
    "已预约 Booked",
    "已看房 Visited",
    "爽约 No-shows",
    "问题 Defects",
    "待整改 Open",
    "已整改 Repaired",
    "已确认 Confirmed",
    "覆盖率 Visited %",
    "整改中位天数 Median days to repair",
];

/// The district's pre-inspection figures: one row per project and the district total.
pub fn coverage_xlsx(coverage: &model::Coverage) -> AppResult<Response> {
    use rust_xlsxwriter::{Format, Workbook};
    let internal = |e: rust_xlsxwriter::XlsxError| AppError::Internal(e.to_string());
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("预看房 Coverage").map_err(internal)?;
    let bold = Format::new().set_bold();
    for (col, h) in (0u16..).zip(COVERAGE_HEADERS) {
        sheet
            .write_string_with_format(0, col, h, &bold)
            .map_err(internal)?;
    }
    let rows = coverage
        .projects
        .iter()
        .chain(std::iter::once(&coverage.total));
    for (row, p) in (1u32..).zip(rows) {
        sheet.write_string(row, 0, &p.name.zh).map_err(internal)?;
        let town = if p.project_id == 0 {
            ""
        } else {
            p.town.name(model::Lang::Zh)
        };
        sheet.write_string(row, 1, town).map_err(internal)?;
        let counts = [
            p.flats,
            p.booked,
            p.visited,
            p.no_shows,
            p.defects,
            p.open,
            p.repaired,
            p.confirmed,
        ];
        for (col, n) in (2u16..).zip(counts) {
            sheet
                .write_number(row, col, f64::from(n))
                .map_err(internal)?;
        }
        if p.flats > 0 {
            let share = p.visited_percent();
            sheet
                .write_number(row, 10, (share * 10.0).round() / 10.0)
                .map_err(internal)?;
        }
        if let Some(days) = p.median_days_to_repair {
            sheet
                .write_number(row, 11, (days * 10.0).round() / 10.0)
                .map_err(internal)?;
        }
    }
    sheet.set_column_width(0, 24).map_err(internal)?;
    let bytes = book.save_to_buffer().map_err(internal)?;
    file(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "pre-inspection-coverage.xlsx".into(),
    )
}
