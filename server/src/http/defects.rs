//! The buyer's side of defects: record what they found at the visit, and confirm or
//! reopen a repair. The booking code and phone prove the booking is theirs, as for a
//! look-up; writes carry an `Idempotency-Key` (they come from the phone's outbox).

use super::code_guard::guarded;
use super::extract::{ApiPath, WriteRequest};
use super::photos::{PHOTOS_BODY_LIMIT, keep_photos, sign_defect};
use super::registrations::{credentials, write_response};
use super::verifications::PhoneProof;
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::store::{DefectActor, now_unix};
use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::post;
use model::defect::{DefectUpdate, NewDefect, Party};

pub fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/inspections/bookings/{code}/defects",
            post(record).layer(DefaultBodyLimit::max(PHOTOS_BODY_LIMIT)),
        )
        .route(
            "/inspections/bookings/{code}/defects/{id}/status",
            post(update).layer(DefaultBodyLimit::max(PHOTOS_BODY_LIMIT)),
        )
}

async fn record(
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
    proof: PhoneProof,
    request: WriteRequest<NewDefect>,
) -> AppResult<Response> {
    let body = &request.body;
    let (code, phone) = credentials(&code, &body.phone)?;
    body.validate().map_err(AppError::Validation)?;
    let proved = proof.require(&state, &phone)?;
    // The booking is the caller's before any photo is decoded (decoding is the costly part).
    guarded(
        &state,
        code.as_str(),
        proved,
        state.store.lookup_booking(&code, &phone),
    )
    .await?;
    let photos = keep_photos(&state, &body.photos, "photos").await?;
    let ids = photos.ids();
    let result = guarded(&state, code.as_str(), proved, async {
        state
            .store
            .record_defect(
                DefectActor::Buyer { phone: &phone },
                &code,
                body,
                &ids,
                request.key.as_ref(),
                now_unix(),
            )
            .await
    })
    .await;
    let mut result = photos.settle(&state, result).await?;
    state.wake_notifications();
    sign_defect(&state, &mut result.value);
    Ok(write_response(StatusCode::CREATED, result))
}

async fn update(
    State(state): State<AppState>,
    ApiPath((code, id)): ApiPath<(String, i64)>,
    proof: PhoneProof,
    request: WriteRequest<DefectUpdate>,
) -> AppResult<Response> {
    let body = &request.body;
    let (code, phone) = credentials(&code, &body.phone)?;
    body.validate(Party::Buyer).map_err(AppError::Validation)?;
    let proved = proof.require(&state, &phone)?;
    guarded(
        &state,
        code.as_str(),
        proved,
        state.store.lookup_booking(&code, &phone),
    )
    .await?;
    let photos = keep_photos(&state, body.photo.as_slice(), "photo").await?;
    let ids = photos.ids();
    let result = guarded(&state, code.as_str(), proved, async {
        state
            .store
            .update_defect(
                DefectActor::Buyer { phone: &phone },
                (&code, id),
                body,
                &ids,
                request.key.as_ref(),
                now_unix(),
            )
            .await
    })
    .await;
    let mut result = photos.settle(&state, result).await?;
    state.wake_notifications();
    sign_defect(&state, &mut result.value);
    Ok(write_response(StatusCode::OK, result))
}
