//! The staff API, through the residents' one client (its timeout, error shape and
//! headers). Nothing here is kept on the device: staff data is personal, and only worth
//! having fresh.

use gloo_net::http::Method;
use model::defect::{Defect, DefectUpdate};
use model::survey::{NewResponse, ResponseReceipt};
use model::survey_analysis::WaveAnalysis;
use model::survey_wave::{
    Comment, CommentMarks, DefinitionText, NewWave, StaffWave, StatusChange, WaveDetails,
    WaveStatus,
};
use model::{
    AccountChange, AuditEntry, BuyerImport, CancelEvent, CheckinRequest, CheckinResult, Coverage,
    EventDraft, ImportReport, LoginRequest, NewAccount, OneTimePassword, PlanChange, PlanOutcome,
    ProjectDraft, Registrant, RevealedPhone, SecondFactorSetup, StaffAccount, StaffAssignment,
    StaffEvent, StaffMe, StaffProject, Visit, VisitCheckin, VisitCode, WalkIn,
};
use quality_month_web::api::{ClientError, IdempotencyKey, fetch_json, post_once};

const NO_BODY: Option<&()> = None;

pub async fn me() -> Result<StaffMe, ClientError> {
    fetch_json(Method::GET, "/api/staff/me", NO_BODY).await
}

pub async fn log_in(request: &LoginRequest) -> Result<StaffMe, ClientError> {
    fetch_json(Method::POST, "/api/staff/session", Some(request)).await
}

pub async fn start_second_factor() -> Result<SecondFactorSetup, ClientError> {
    fetch_json(Method::POST, "/api/staff/me/second-factor", Some(&())).await
}

pub async fn confirm_second_factor(otp: String) -> Result<(), ClientError> {
    let url = "/api/staff/me/second-factor/confirm";
    fetch_json(Method::POST, url, Some(&OneTimePassword { otp })).await
}

pub async fn log_out() -> Result<(), ClientError> {
    fetch_json(Method::DELETE, "/api/staff/session", NO_BODY).await
}

pub async fn log_out_everywhere() -> Result<(), ClientError> {
    fetch_json(Method::POST, "/api/staff/sessions/end-all", Some(&())).await
}

pub async fn events() -> Result<Vec<StaffEvent>, ClientError> {
    fetch_json(Method::GET, "/api/staff/events", NO_BODY).await
}

pub async fn event(id: i64) -> Result<StaffEvent, ClientError> {
    fetch_json(Method::GET, &format!("/api/staff/events/{id}"), NO_BODY).await
}

pub async fn create_event(draft: &EventDraft) -> Result<StaffEvent, ClientError> {
    fetch_json(Method::POST, "/api/staff/events", Some(draft)).await
}

pub async fn update_event(id: i64, draft: &EventDraft) -> Result<StaffEvent, ClientError> {
    fetch_json(
        Method::PATCH,
        &format!("/api/staff/events/{id}"),
        Some(draft),
    )
    .await
}

/// `publish` or `unpublish`.
pub async fn set_visibility(id: i64, publish: bool) -> Result<StaffEvent, ClientError> {
    let verb = if publish { "publish" } else { "unpublish" };
    let url = format!("/api/staff/events/{id}/{verb}");
    fetch_json(Method::POST, &url, Some(&())).await
}

pub async fn cancel_event(id: i64, reason: String) -> Result<StaffEvent, ClientError> {
    let url = format!("/api/staff/events/{id}/cancel");
    fetch_json(Method::POST, &url, Some(&CancelEvent { reason })).await
}

pub async fn registrants(id: i64) -> Result<Vec<Registrant>, ClientError> {
    let url = format!("/api/staff/events/{id}/registrations");
    fetch_json(Method::GET, &url, NO_BODY).await
}

/// Where the list downloads as a file (`csv` or `xlsx`): a plain link, so the browser
/// saves it.
pub fn registrants_file(id: i64, format: &str) -> String {
    format!("/api/staff/events/{id}/registrations?format={format}")
}

pub async fn reveal_phone(id: i64, code: &str) -> Result<RevealedPhone, ClientError> {
    let url = format!("/api/staff/events/{id}/registrations/{code}/phone");
    fetch_json(Method::POST, &url, Some(&())).await
}

pub async fn check_in(event_id: i64, code: String) -> Result<CheckinResult, ClientError> {
    let body = CheckinRequest { code, event_id };
    fetch_json(Method::POST, "/api/staff/checkins", Some(&body)).await
}

pub async fn walk_in(event_id: i64, walk_in: &WalkIn) -> Result<CheckinResult, ClientError> {
    let url = format!("/api/staff/events/{event_id}/walk-ins");
    fetch_json(Method::POST, &url, Some(walk_in)).await
}

pub async fn accounts() -> Result<Vec<StaffAccount>, ClientError> {
    fetch_json(Method::GET, "/api/staff/accounts", NO_BODY).await
}

pub async fn create_account(account: &NewAccount) -> Result<StaffAccount, ClientError> {
    fetch_json(Method::POST, "/api/staff/accounts", Some(account)).await
}

pub async fn change_account(id: i64, change: &AccountChange) -> Result<StaffAccount, ClientError> {
    let url = format!("/api/staff/accounts/{id}");
    fetch_json(Method::PATCH, &url, Some(change)).await
}

/// The audit log; every filter optional (`from`/`to` are `2026-09-01`).
pub async fn audit(
    actor: &str,
    action: &str,
    from: &str,
    to: &str,
) -> Result<Vec<AuditEntry>, ClientError> {
    let query: Vec<String> = [
        ("actor", actor),
        ("action", action),
        ("from", from),
        ("to", to),
    ]
    .iter()
    .filter(|(_, v)| !v.trim().is_empty())
    .map(|(k, v)| format!("{k}={}", js_sys::encode_uri_component(v.trim())))
    .collect();
    let url = format!("/api/staff/audit?{}", query.join("&"));
    fetch_json(Method::GET, &url, NO_BODY).await
}

pub async fn projects() -> Result<Vec<StaffProject>, ClientError> {
    fetch_json(Method::GET, "/api/staff/projects", NO_BODY).await
}

pub async fn project(id: i64) -> Result<StaffProject, ClientError> {
    fetch_json(Method::GET, &format!("/api/staff/projects/{id}"), NO_BODY).await
}

pub async fn create_project(draft: &ProjectDraft) -> Result<StaffProject, ClientError> {
    fetch_json(Method::POST, "/api/staff/projects", Some(draft)).await
}

pub async fn update_project(id: i64, draft: &ProjectDraft) -> Result<StaffProject, ClientError> {
    let url = format!("/api/staff/projects/{id}");
    fetch_json(Method::PATCH, &url, Some(draft)).await
}

pub async fn assign(id: i64, assignment: &StaffAssignment) -> Result<StaffProject, ClientError> {
    let url = format!("/api/staff/projects/{id}/staff");
    fetch_json(Method::POST, &url, Some(assignment)).await
}

pub async fn change_plan(id: i64, change: &PlanChange) -> Result<PlanOutcome, ClientError> {
    let url = format!("/api/staff/projects/{id}/plan");
    fetch_json(Method::PUT, &url, Some(change)).await
}

pub async fn import_buyers(id: i64, import: &BuyerImport) -> Result<ImportReport, ClientError> {
    let url = format!("/api/staff/projects/{id}/buyers/import");
    fetch_json(Method::POST, &url, Some(import)).await
}

/// `day`: `2026-12-01`.
pub async fn visits(id: i64, day: &str) -> Result<Vec<Visit>, ClientError> {
    let url = format!("/api/staff/projects/{id}/visits?day={day}");
    fetch_json(Method::GET, &url, NO_BODY).await
}

pub async fn check_in_visit(id: i64, code: String) -> Result<VisitCheckin, ClientError> {
    let url = format!("/api/staff/projects/{id}/checkins");
    fetch_json(Method::POST, &url, Some(&VisitCode { code })).await
}

pub async fn no_show(id: i64, code: String) -> Result<Visit, ClientError> {
    let url = format!("/api/staff/projects/{id}/no-shows");
    fetch_json(Method::POST, &url, Some(&VisitCode { code })).await
}

/// The door records a defect for a checked-in visit, on the buyer's behalf.
pub async fn record_defect(
    id: i64,
    code: &str,
    defect: &model::defect::NewDefect,
) -> Result<Defect, ClientError> {
    let url = format!("/api/staff/projects/{id}/visits/{code}/defects");
    fetch_json(Method::POST, &url, Some(defect)).await
}

pub async fn project_defects(id: i64) -> Result<Vec<Defect>, ClientError> {
    let url = format!("/api/staff/projects/{id}/defects");
    fetch_json(Method::GET, &url, NO_BODY).await
}

pub async fn update_defect(
    id: i64,
    defect_id: i64,
    update: &DefectUpdate,
) -> Result<Defect, ClientError> {
    let url = format!("/api/staff/projects/{id}/defects/{defect_id}/status");
    fetch_json(Method::POST, &url, Some(update)).await
}

pub async fn coverage() -> Result<Coverage, ClientError> {
    fetch_json(Method::GET, "/api/staff/coverage", NO_BODY).await
}

/// The coverage figures as a file: a plain link, so the browser saves it.
pub const COVERAGE_FILE: &str = "/api/staff/coverage.xlsx";

pub async fn waves() -> Result<Vec<StaffWave>, ClientError> {
    fetch_json(Method::GET, "/api/staff/surveys", NO_BODY).await
}

pub async fn wave(id: i64) -> Result<StaffWave, ClientError> {
    fetch_json(Method::GET, &format!("/api/staff/surveys/{id}"), NO_BODY).await
}

pub async fn create_wave(new: &NewWave) -> Result<StaffWave, ClientError> {
    fetch_json(Method::POST, "/api/staff/surveys", Some(new)).await
}

pub async fn update_wave(id: i64, details: &WaveDetails) -> Result<StaffWave, ClientError> {
    let url = format!("/api/staff/surveys/{id}");
    fetch_json(Method::PATCH, &url, Some(details)).await
}

pub async fn save_definition(id: i64, json: String) -> Result<StaffWave, ClientError> {
    let url = format!("/api/staff/surveys/{id}/definition");
    fetch_json(Method::PUT, &url, Some(&DefinitionText { json })).await
}

pub async fn change_wave_status(id: i64, to: WaveStatus) -> Result<StaffWave, ClientError> {
    let url = format!("/api/staff/surveys/{id}/status");
    fetch_json(Method::POST, &url, Some(&StatusChange { to })).await
}

/// One paper form; `key` stays the same for every try of the same form.
pub async fn enter_paper(
    id: i64,
    response: &NewResponse,
    key: &IdempotencyKey,
) -> Result<ResponseReceipt, ClientError> {
    post_once(&format!("/api/staff/surveys/{id}/paper"), response, key).await
}

pub async fn wave_analysis(id: i64) -> Result<WaveAnalysis, ClientError> {
    let url = format!("/api/staff/surveys/{id}/analysis");
    fetch_json(Method::GET, &url, NO_BODY).await
}

pub async fn comments(id: i64) -> Result<Vec<Comment>, ClientError> {
    let url = format!("/api/staff/surveys/{id}/comments");
    fetch_json(Method::GET, &url, NO_BODY).await
}

pub async fn mark_comment(
    id: i64,
    response: i64,
    question: &str,
    marks: &CommentMarks,
) -> Result<(), ClientError> {
    // Question ids are plain (`a-z`, `0-9`, `_`): nothing to escape.
    let url = format!("/api/staff/surveys/{id}/comments/{response}/{question}");
    fetch_json(Method::PUT, &url, Some(marks)).await
}

/// Where a wave's anonymised answers download (`export.xlsx`, `export.csv`, `codebook.csv`).
pub fn wave_file(id: i64, file: &str) -> String {
    format!("/api/staff/surveys/{id}/{file}")
}

pub async fn reminders() -> Result<Vec<model::reminder::ReminderFigures>, ClientError> {
    fetch_json(Method::GET, "/api/staff/reminders", NO_BODY).await
}

/// Sets the day-before reminder's time of `subject` (`event:12`, `project:3`).
pub async fn set_reminder_time(
    subject: &str,
    setting: &model::reminder::ReminderSetting,
) -> Result<model::reminder::ReminderSetting, ClientError> {
    let (kind, id) = subject.split_once(':').unwrap_or(("event", "0"));
    let url = format!("/api/staff/{kind}s/{id}/reminders");
    fetch_json(Method::PUT, &url, Some(setting)).await
}

/// The year's figures for `range` and `town` (`None`: the whole district).
pub async fn year(
    range: model::YearRange,
    town: Option<model::Town>,
) -> Result<model::YearFigures, ClientError> {
    let url = format!("/api/staff/year?{}", range.query(town));
    fetch_json(Method::GET, &url, NO_BODY).await
}

/// The organisations behind the year's figures.
pub async fn year_organisations(
    range: model::YearRange,
    town: Option<model::Town>,
) -> Result<Vec<model::OrganisationYear>, ClientError> {
    let url = format!("/api/staff/year/organisations?{}", range.query(town));
    fetch_json(Method::GET, &url, NO_BODY).await
}

/// The year's figures as a workbook: a plain link, so the browser saves it.
pub fn year_file(range: model::YearRange, town: Option<model::Town>) -> String {
    format!("/api/staff/year.xlsx?{}", range.query(town))
}
