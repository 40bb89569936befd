//! The staff API, through the residents' one client (its timeout, error shape and
//! headers). Nothing here is kept on the device: staff data is personal, and only worth
//! having fresh.

use gloo_net::http::Method;
use model::{
    AccountChange, AuditEntry, CancelEvent, CheckinRequest, CheckinResult, EventDraft,
    LoginRequest, NewAccount, OneTimePassword, Registrant, RevealedPhone, SecondFactorSetup,
    StaffAccount, StaffEvent, StaffMe, WalkIn,
};
use quality_month_web::api::{ClientError, fetch_json};

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
