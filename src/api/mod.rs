//! The one typed client of the API. It owns URLs, headers, the idempotency key, the
//! timeout and error mapping; pages call functions here and never build a URL.

use gloo_net::http::{Request, RequestBuilder, Response};
use model::verification::{CodeSent, ConfirmPhone, PhoneToken};
use model::{
    ApiError, BookingCode, BookingReceipt, ErrorBody, EventDetail, EventSummary, NewBooking,
    NewRegistration, PhoneNumber, PhoneRequest, Project, RegistrationCode, RegistrationReceipt,
    Reschedule, Slot,
};
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::fmt;

use crate::offline;

mod phone_tokens;

/// Longer than a slow 3G round trip, short enough that nobody stares at a spinner.
const TIMEOUT_MS: u32 = 15_000;

#[derive(Debug, Clone, PartialEq)]
pub enum ClientError {
    /// No connection, or it dropped.
    Network,
    Timeout,
    /// The server answered with its error shape.
    Api {
        status: u16,
        error: ApiError,
    },
    /// Something that is not our API answered (a captive portal's page, a proxy's error).
    Decode,
    /// The API answered, in JSON, but not in a shape this version of the app knows.
    Unreadable,
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Network => f.write_str("network error"),
            Self::Timeout => f.write_str("timed out"),
            Self::Api { status, error } => write!(f, "{status} {}", error.code),
            Self::Decode => f.write_str("not an answer of the API"),
            Self::Unreadable => f.write_str("unreadable answer"),
        }
    }
}

impl std::error::Error for ClientError {}

impl ClientError {
    /// The API's error code, when the server answered with one.
    pub fn code(&self) -> Option<model::ErrorCode> {
        match self {
            Self::Api { error, .. } => Some(error.code),
            _ => None,
        }
    }

    /// The server wants the phone the write names proved first (a code by SMS).
    pub fn needs_verification(&self) -> bool {
        matches!(self, Self::Api { error, .. } if error.code == model::ErrorCode::VerificationRequired)
    }

    /// The server was not reached, or what answered was not the server working normally:
    /// trying again later may succeed.
    pub fn is_unreachable(&self) -> bool {
        match self {
            Self::Network | Self::Timeout | Self::Decode => true,
            // Asking again would get the same answer.
            Self::Unreadable => false,
            Self::Api { status, .. } => *status == 408 || *status == 429 || *status >= 500,
        }
    }
}

/// The key a phone sends with every retry of one user action.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    /// A random UUID (version 4) from `crypto.getRandomValues`, which, unlike
    /// `randomUUID`, also works on a page served over plain http.
    pub fn new() -> Self {
        let mut bytes = [0u8; 16];
        web_sys::window()
            .and_then(|w| w.crypto().ok())
            .and_then(|c| c.get_random_values_with_u8_array(&mut bytes).ok())
            .expect("every browser that runs WebAssembly has crypto.getRandomValues");
        Self(uuid_v4(bytes))
    }
}

/// `xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx` from 16 random bytes.
fn uuid_v4(mut bytes: [u8; 16]) -> String {
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

impl IdempotencyKey {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for IdempotencyKey {
    fn default() -> Self {
        Self::new()
    }
}

/// What a GET gave: the server's answer, or without one, the copy this phone kept.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded<T> {
    pub value: T,
    /// When the kept copy was fetched (ms since 1970); `None` when fresh from the server.
    pub kept_since: Option<f64>,
}

impl<T> Loaded<T> {
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Loaded<U> {
        Loaded {
            value: f(self.value),
            kept_since: self.kept_since,
        }
    }
}

/// Filters of the events list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct EventQuery {
    pub town: Option<model::Town>,
    pub category: Option<model::Category>,
    pub from: Option<model::BeijingDate>,
    /// Inclusive last day.
    pub to: Option<model::BeijingDate>,
}

pub async fn events(q: &EventQuery) -> Result<Loaded<Vec<EventSummary>>, ClientError> {
    let mut params: Vec<(&str, String)> = Vec::new();
    if let Some(t) = q.town {
        params.push(("town", t.slug().to_string()));
    }
    if let Some(c) = q.category {
        params.push(("category", c.slug().to_string()));
    }
    if let Some(d) = q.from {
        params.push(("from", d.to_string()));
    }
    if let Some(d) = q.to {
        params.push(("to", d.to_string()));
    }
    let query: Vec<String> = params.iter().map(|(k, v)| format!("{k}={v}")).collect();
    if query.is_empty() {
        get("/api/events").await
    } else {
        get(&format!("/api/events?{}", query.join("&"))).await
    }
}

pub async fn event(id: i64) -> Result<Loaded<EventDetail>, ClientError> {
    get(&format!("/api/events/{id}")).await
}

/// Where the event's `.ics` file is; a plain link, so the phone's calendar opens it.
pub fn event_calendar_url(id: i64) -> String {
    format!("/api/events/{id}/calendar.ics")
}

pub async fn register(
    event_id: i64,
    registration: &NewRegistration,
    key: &IdempotencyKey,
) -> Result<RegistrationReceipt, ClientError> {
    post(
        &format!("/api/events/{event_id}/registrations"),
        registration,
        Some(key),
        Some(&registration.phone),
    )
    .await
}

pub async fn lookup(
    code: &RegistrationCode,
    phone: &PhoneNumber,
) -> Result<RegistrationReceipt, ClientError> {
    post(
        &format!("/api/registrations/{code}/lookup"),
        &phone_body(phone),
        None,
        Some(phone.as_str()),
    )
    .await
}

pub async fn cancel(
    code: &RegistrationCode,
    phone: &PhoneNumber,
    key: &IdempotencyKey,
) -> Result<RegistrationReceipt, ClientError> {
    post(
        &format!("/api/registrations/{code}/cancel"),
        &phone_body(phone),
        Some(key),
        Some(phone.as_str()),
    )
    .await
}

pub async fn projects() -> Result<Loaded<Vec<Project>>, ClientError> {
    get("/api/inspections/projects").await
}

pub async fn project(id: i64) -> Result<Loaded<Project>, ClientError> {
    get(&format!("/api/inspections/projects/{id}")).await
}

/// Slots that can still be booked, full ones included.
pub async fn slots(project_id: i64) -> Result<Loaded<Vec<Slot>>, ClientError> {
    get(&format!("/api/inspections/projects/{project_id}/slots")).await
}

pub async fn book(
    booking: &NewBooking,
    key: &IdempotencyKey,
) -> Result<BookingReceipt, ClientError> {
    post(
        "/api/inspections/bookings",
        booking,
        Some(key),
        Some(&booking.phone),
    )
    .await
}

/// A defect found at the visit; the photos go in the body (base64).
pub async fn record_defect(
    code: &BookingCode,
    defect: &model::defect::NewDefect,
    key: &IdempotencyKey,
) -> Result<model::defect::Defect, ClientError> {
    let url = format!("/api/inspections/bookings/{code}/defects");
    post(&url, defect, Some(key), Some(&defect.phone)).await
}

/// The buyer's word on a repair: confirmed, or open again.
pub async fn answer_repair(
    code: &BookingCode,
    defect_id: i64,
    answer: &model::defect::DefectUpdate,
    key: &IdempotencyKey,
) -> Result<model::defect::Defect, ClientError> {
    let url = format!("/api/inspections/bookings/{code}/defects/{defect_id}/status");
    post(&url, answer, Some(key), Some(&answer.phone)).await
}

fn phone_body(phone: &PhoneNumber) -> PhoneRequest {
    PhoneRequest {
        phone: phone.as_str().to_string(),
    }
}

pub async fn lookup_booking(
    code: &BookingCode,
    phone: &PhoneNumber,
) -> Result<BookingReceipt, ClientError> {
    let url = format!("/api/inspections/bookings/{code}/lookup");
    post(&url, &phone_body(phone), None, Some(phone.as_str())).await
}

pub async fn reschedule(
    code: &BookingCode,
    phone: &PhoneNumber,
    slot_id: i64,
    key: &IdempotencyKey,
) -> Result<BookingReceipt, ClientError> {
    let body = Reschedule {
        phone: phone.as_str().to_string(),
        slot_id,
    };
    let url = format!("/api/inspections/bookings/{code}/reschedule");
    post(&url, &body, Some(key), Some(phone.as_str())).await
}

pub async fn cancel_booking(
    code: &BookingCode,
    phone: &PhoneNumber,
    key: &IdempotencyKey,
) -> Result<BookingReceipt, ClientError> {
    let url = format!("/api/inspections/bookings/{code}/cancel");
    post(&url, &phone_body(phone), Some(key), Some(phone.as_str())).await
}

pub async fn current_survey() -> Result<Loaded<model::survey::Survey>, ClientError> {
    get("/api/surveys/current").await
}

pub async fn respond(
    survey_id: i64,
    response: &model::survey::NewResponse,
    key: &IdempotencyKey,
) -> Result<model::survey::ResponseReceipt, ClientError> {
    post(
        &format!("/api/surveys/{survey_id}/responses"),
        response,
        Some(key),
        response
            .phone
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty()),
    )
    .await
}

/// The waves whose results are public: the open one and those published, latest first.
pub async fn public_waves() -> Result<Loaded<Vec<model::survey_wave::PublishedWave>>, ClientError> {
    get("/api/surveys/results").await
}

pub async fn survey_results(
    survey_id: i64,
) -> Result<Loaded<model::survey::SurveyResults>, ClientError> {
    get(&format!("/api/surveys/{survey_id}/results")).await
}

/// Asks the server to text a code to `phone`.
pub async fn request_code(phone: &PhoneNumber) -> Result<CodeSent, ClientError> {
    post("/api/verifications", &phone_body(phone), None, None).await
}

/// Trades the code for a phone token, which this device keeps and sends from now on.
pub async fn confirm_code(phone: &PhoneNumber, code: &str) -> Result<(), ClientError> {
    let body = ConfirmPhone {
        phone: phone.as_str().to_string(),
        code: code.to_string(),
    };
    let token: PhoneToken = post("/api/verifications/confirm", &body, None, None).await?;
    phone_tokens::keep(phone.as_str(), token);
    Ok(())
}

/// Whether this device holds a valid proof of `phone` (what only the phone's owner may
/// read or change needs one).
pub fn device_proves(phone: &PhoneNumber) -> bool {
    phone_tokens::token_for(phone.as_str()).is_some()
}

/// Reads (`on: None`) or sets whether `phone` gets reminders; needs this device's proof
/// of the phone.
pub async fn phone_reminders(
    phone: &PhoneNumber,
    on: Option<bool>,
) -> Result<model::reminder::PhoneRemindersState, ClientError> {
    let body = model::reminder::PhoneReminders {
        phone: phone.as_str().to_string(),
        on,
    };
    post("/api/reminders/phone", &body, None, Some(phone.as_str())).await
}

/// The address of the phone's own calendar feed; `reset` makes a new one.
pub async fn personal_feed(
    phone: &PhoneNumber,
    reset: bool,
) -> Result<model::reminder::PersonalFeed, ClientError> {
    let body = model::reminder::FeedRequest {
        phone: phone.as_str().to_string(),
        reset,
    };
    post("/api/calendar/feeds", &body, None, Some(phone.as_str())).await
}

/// What a reminder's link is about. Never kept on the phone: it names a person's item.
pub async fn reminder_link(token: &str) -> Result<model::reminder::ReminderLink, ClientError> {
    fetch_json::<(), _>(
        gloo_net::http::Method::GET,
        &format!("/api/reminders/{token}"),
        None,
    )
    .await
}

pub async fn switch_reminders(
    token: &str,
    switch: model::reminder::ReminderSwitch,
) -> Result<model::reminder::ReminderLink, ClientError> {
    post(&format!("/api/reminders/{token}"), &switch, None, None).await
}

/// Where the visit's `.ics` file is.
pub fn booking_calendar_url(code: &BookingCode) -> String {
    format!("/api/inspections/bookings/{code}/calendar.ics")
}

/// A POST; `phone` is the number the write names, whose token (if this device has one)
/// goes with it.
async fn post<B: Serialize, T: DeserializeOwned>(
    url: &str,
    body: &B,
    key: Option<&IdempotencyKey>,
    phone: Option<&str>,
) -> Result<T, ClientError> {
    let mut builder = Request::post(url);
    if let Some(key) = key {
        builder = builder.header("Idempotency-Key", &key.0);
    }
    let proved = phone
        .and_then(|p| PhoneNumber::parse(p).ok())
        .and_then(|p| phone_tokens::token_for(p.as_str()));
    if let Some(token) = proved {
        builder = builder.header("Authorization", &format!("Bearer {token}"));
    }
    let text = send(builder, Some(body)).await?;
    read_answer(&text)
}

/// A request whose answer is never kept on the device (staff data: personal, and only
/// worth having fresh). An empty answer (204) reads as `null`, so `T = ()` fits it.
pub async fn fetch_json<B: Serialize, T: DeserializeOwned>(
    method: gloo_net::http::Method,
    url: &str,
    body: Option<&B>,
) -> Result<T, ClientError> {
    let text = send(RequestBuilder::new(url).method(method), body).await?;
    read_answer(if text.is_empty() { "null" } else { &text })
}

/// A staff POST sent at most once: retries with the same `key` get the first answer back
/// (a paper form typed in and saved twice over a bad connection counts once).
pub async fn post_once<B: Serialize, T: DeserializeOwned>(
    url: &str,
    body: &B,
    key: &IdempotencyKey,
) -> Result<T, ClientError> {
    post(url, body, Some(key), None).await
}

/// Our answer, or: not JSON at all ([`ClientError::Decode`], someone else answered), or
/// JSON this version cannot read ([`ClientError::Unreadable`]).
fn read_answer<T: DeserializeOwned>(text: &str) -> Result<T, ClientError> {
    let json: serde_json::Value = serde_json::from_str(text).map_err(|_| ClientError::Decode)?;
    serde_json::from_value(json).map_err(|_| ClientError::Unreadable)
}

/// A GET whose answer is kept on the phone; when the server cannot be reached (or sends
/// something that is not our API, like a captive portal's page) the kept answer is used.
async fn get<T: DeserializeOwned>(url: &str) -> Result<Loaded<T>, ClientError> {
    let answer = match painted_answer(url) {
        Some(text) => Ok(text),
        None => send::<()>(Request::get(url), None).await,
    };
    let fresh = answer.and_then(|text| {
        Ok((
            serde_json::from_str(&text).map_err(|_| ClientError::Decode)?,
            text,
        ))
    });
    match fresh {
        Ok((value, text)) => {
            offline::cache::remember(url, &text).await;
            Ok(Loaded {
                value,
                kept_since: None,
            })
        }
        Err(e) if e.is_unreachable() => {
            let (at, text) = offline::cache::recall(url).await.ok_or(e.clone())?;
            let value = serde_json::from_str(&text).map_err(|_| e)?;
            Ok(Loaded {
                value,
                kept_since: Some(at),
            })
        }
        Err(e) => Err(e),
    }
}

/// The answer the server carried in this page for exactly `url` (its first paint, see
/// `server/src/first_paint.rs`), once: the app's first draw of what is already on screen
/// needs no second trip over a slow network.
fn painted_answer(url: &str) -> Option<String> {
    let carried = web_sys::window()?
        .document()?
        .get_element_by_id("qm-answer")?;
    if carried.get_attribute("data-url")? != url {
        return None;
    }
    carried.remove();
    carried.text_content()
}

/// The one place a request leaves the phone: adds the timeout (which aborts the request)
/// and gives the body of a successful answer or a [`ClientError`].
async fn send<B: Serialize>(
    builder: RequestBuilder,
    body: Option<&B>,
) -> Result<String, ClientError> {
    let controller = web_sys::AbortController::new().map_err(|_| ClientError::Network)?;
    let builder = builder.abort_signal(Some(&controller.signal()));
    let request = match body {
        Some(body) => builder.json(body),
        None => builder.build(),
    }
    .map_err(|_| ClientError::Decode)?;
    let timed_out = std::rc::Rc::new(std::cell::Cell::new(false));
    // Dropping the timer (when this function returns) cancels it.
    let _timer = {
        let timed_out = timed_out.clone();
        gloo_timers::callback::Timeout::new(TIMEOUT_MS, move || {
            timed_out.set(true);
            controller.abort();
        })
    };
    let response: Response = request.send().await.map_err(|_| {
        if timed_out.get() {
            ClientError::Timeout
        } else {
            ClientError::Network
        }
    })?;
    if response.ok() {
        return response.text().await.map_err(|_| ClientError::Network);
    }
    let status = response.status();
    match response.json::<ErrorBody>().await {
        Ok(body) => Err(ClientError::Api {
            status,
            error: body.error,
        }),
        Err(_) => Err(ClientError::Decode),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_version_4_uuids() {
        let key = uuid_v4([0xff; 16]);
        assert_eq!(key, "ffffffff-ffff-4fff-bfff-ffffffffffff");
        assert_eq!(uuid_v4([0; 16]), "00000000-0000-4000-8000-000000000000");
    }

    #[test]
    fn a_page_that_is_not_ours_is_retried_but_an_unreadable_answer_is_not() {
        let portal = read_answer::<RegistrationReceipt>("<html>Login to Wi-Fi</html>");
        assert_eq!(portal, Err(ClientError::Decode));
        assert!(ClientError::Decode.is_unreachable());
        let odd = read_answer::<RegistrationReceipt>(r#"{"code": 12}"#);
        assert_eq!(odd, Err(ClientError::Unreadable));
        assert!(!ClientError::Unreadable.is_unreachable());
    }
}
