//! Pre-inspection visits: projects and their slots (public), bookings (code + phone).

use super::client::ClientAddr;
use super::code_guard::guarded;
use super::events::parse_bound;
use super::extract::{ApiPath, WriteRequest};
use super::registrations::{credentials, write_response};
use super::verifications::PhoneProof;
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::ics;
use crate::store::now_unix;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use model::{BeijingTime, BookingCode, NewBooking, PhoneRequest, Reschedule};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/inspections/projects", get(projects))
        .route("/inspections/projects/{id}", get(project))
        .route("/inspections/projects/{id}/slots", get(slots))
        .route("/inspections/bookings", post(book))
        .route("/inspections/bookings/{code}/lookup", post(lookup))
        .route("/inspections/bookings/{code}/reschedule", post(reschedule))
        .route("/inspections/bookings/{code}/cancel", post(cancel))
        .route("/inspections/bookings/{code}/calendar.ics", get(calendar))
}

async fn projects(State(state): State<AppState>) -> AppResult<impl IntoResponse> {
    Ok(Json(state.store.projects(now_unix()).await?))
}

async fn project(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<impl IntoResponse> {
    Ok(Json(state.store.project(id).await?))
}

/// `?from=&to=`: days (`YYYY-MM-DD`, Beijing; `to` includes its day) or RFC 3339 instants.
fn parse_range(query: &str) -> AppResult<(Option<BeijingTime>, Option<BeijingTime>)> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(query).map_err(|_| AppError::InvalidQuery("query"))?;
    let (mut from, mut to) = (None, None);
    for (name, value) in pairs.iter().filter(|(_, v)| !v.is_empty()) {
        match name.as_str() {
            "from" => from = Some(parse_bound(value, 0).ok_or(AppError::InvalidQuery("from"))?),
            "to" => to = Some(parse_bound(value, 1).ok_or(AppError::InvalidQuery("to"))?),
            _ => {}
        }
    }
    Ok((from, to))
}

async fn slots(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
    RawQuery(query): RawQuery,
) -> AppResult<impl IntoResponse> {
    let (from, to) = parse_range(&query.unwrap_or_default())?;
    Ok(Json(state.store.slots(id, from, to, now_unix()).await?))
}

async fn book(
    State(state): State<AppState>,
    client: ClientAddr,
    proof: PhoneProof,
    request: WriteRequest<NewBooking>,
) -> AppResult<Response> {
    let body = &request.body;
    let booking = body.validate().map_err(AppError::Validation)?;
    // Failed buyer checks count against who asks: the proved phone when there is one (so
    // nobody else behind the same address slows its owner), else the client address.
    let asker = if proof.require(&state, &booking.buyer.phone)? {
        format!("phone:{}", booking.buyer.phone.as_str())
    } else {
        client.key()
    };
    let result = state
        .store
        .book(
            body.project_id,
            body.slot_id,
            &booking,
            &asker,
            request.key.as_ref(),
            now_unix(),
        )
        .await?;
    Ok(write_response(StatusCode::CREATED, result))
}

async fn lookup(
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
    proof: PhoneProof,
    request: WriteRequest<PhoneRequest>,
) -> AppResult<Response> {
    let (code, phone) = credentials(&code, &request.body.phone)?;
    let proved = proof.require(&state, &phone)?;
    let mut receipt = guarded(&state, code.as_str(), proved, async {
        state.store.lookup_booking(&code, &phone).await
    })
    .await?;
    receipt.defects = state.store.booking_defects(&code).await?;
    super::photos::sign_defects(&state, &mut receipt.defects);
    Ok(Json(receipt).into_response())
}

async fn reschedule(
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
    proof: PhoneProof,
    request: WriteRequest<Reschedule>,
) -> AppResult<Response> {
    let (code, phone) = credentials(&code, &request.body.phone)?;
    let proved = proof.require(&state, &phone)?;
    let result = guarded(&state, code.as_str(), proved, async {
        state
            .store
            .reschedule(
                &code,
                &phone,
                request.body.slot_id,
                request.key.as_ref(),
                now_unix(),
            )
            .await
    })
    .await?;
    Ok(write_response(StatusCode::OK, result))
}

async fn cancel(
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
    proof: PhoneProof,
    request: WriteRequest<PhoneRequest>,
) -> AppResult<Response> {
    let (code, phone) = credentials(&code, &request.body.phone)?;
    let proved = proof.require(&state, &phone)?;
    let result = guarded(&state, code.as_str(), proved, async {
        state
            .store
            .cancel_booking(&code, &phone, request.key.as_ref(), now_unix())
            .await
    })
    .await?;
    Ok(write_response(StatusCode::OK, result))
}

/// The visit as a calendar file. The code alone opens it (a calendar link cannot carry a
/// phone number), so it holds the project, time and address but no name, phone or flat.
async fn calendar(
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
) -> AppResult<impl IntoResponse> {
    let code = BookingCode::parse(&code).map_err(|_| AppError::NotFound)?;
    let booking = state.store.booking_for_calendar(&code).await?;
    let body = ics::booking_calendar(&booking, now_unix());
    Ok(ics::attachment(&format!("pre-inspection-{code}.ics"), body))
}
