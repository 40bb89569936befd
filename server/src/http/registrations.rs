use super::code_guard::guarded;
use super::extract::{ApiPath, WriteRequest};
use super::verifications::PhoneProof;
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::store::{Replayable, now_unix};
use axum::extract::State;
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use model::{FieldErrors, NewRegistration, PhoneNumber, PhoneRequest, RegistrationCode};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/events/{id}/registrations", post(register))
        .route("/registrations/{code}/lookup", post(lookup))
        .route("/registrations/{code}/cancel", post(cancel))
}

/// Sent on an answer that repeats the stored result of an earlier identical request.
static REPLAYED: HeaderName = HeaderName::from_static("idempotent-replayed");

pub(super) fn write_response<T: serde::Serialize>(
    status: StatusCode,
    result: Replayable<T>,
) -> Response {
    let mut response = (status, Json(result.value)).into_response();
    if result.replayed {
        response
            .headers_mut()
            .insert(REPLAYED.clone(), HeaderValue::from_static("true"));
    }
    response
}

async fn register(
    State(state): State<AppState>,
    ApiPath(event_id): ApiPath<i64>,
    proof: PhoneProof,
    request: WriteRequest<NewRegistration>,
) -> AppResult<Response> {
    let registration = request.body.validate().map_err(AppError::Validation)?;
    let proved = proof.require(&state, &registration.phone)?;
    let result = state
        .store
        .register(event_id, &registration, request.key.as_ref(), now_unix())
        .await;
    let result = match result {
        // The phone's owner signing up again gets their sign-up back; only a proved
        // phone may learn that it is signed up.
        Err(AppError::AlreadyRegistered) if proved => {
            let existing = state
                .store
                .active_registration(event_id, &registration.phone)
                .await?;
            return Ok(Json(existing).into_response());
        }
        other => other?,
    };
    state.event_lists.clear();
    Ok(write_response(StatusCode::CREATED, result))
}

/// The code in the path and the phone in the body, each validated like the form does.
/// Booking codes share the format, so bookings use this too.
pub(super) fn credentials(code: &str, phone: &str) -> AppResult<(RegistrationCode, PhoneNumber)> {
    let code = RegistrationCode::parse(code).map_err(|_| AppError::NotFound)?;
    Ok((code, phone_field(phone)?))
}

/// A body's `phone`, validated like the form does (422 naming the field).
pub(super) fn phone_field(phone: &str) -> AppResult<PhoneNumber> {
    PhoneNumber::parse(phone)
        .map_err(|e| AppError::Validation(FieldErrors::from([("phone".to_string(), e)])))
}

async fn lookup(
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
    proof: PhoneProof,
    request: WriteRequest<PhoneRequest>,
) -> AppResult<Response> {
    let (code, phone) = credentials(&code, &request.body.phone)?;
    let proved = proof.require(&state, &phone)?;
    let receipt = guarded(&state, code.as_str(), proved, async {
        state.store.lookup_registration(&code, &phone).await
    })
    .await?;
    Ok(Json(receipt).into_response())
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
            .cancel_registration(&code, &phone, request.key.as_ref(), now_unix())
            .await
    })
    .await?;
    state.event_lists.clear();
    Ok(write_response(StatusCode::OK, result))
}
