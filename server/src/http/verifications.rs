//! `POST /api/verifications` (send a code) and `…/confirm` (a code for a phone token),
//! and [`PhoneProof`], what a write shows of the phone it names.

use super::client::ClientAddr;
use super::extract::WriteRequest;
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::store::now_unix;
use crate::verification::{self, DEMO_CODE, token};
use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use model::verification::{
    CODE_LIFETIME_SECS, CodeSent, ConfirmPhone, OneTimeCode, PhoneToken, RESEND_AFTER_SECS,
    TOKEN_LIFETIME_SECS,
};
use model::{BeijingTime, FieldErrors, PhoneNumber, PhoneRequest};
use std::convert::Infallible;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/verifications", post(send_code))
        .route("/verifications/confirm", post(confirm))
}

fn parse_phone(phone: &str) -> AppResult<PhoneNumber> {
    PhoneNumber::parse(phone)
        .map_err(|e| AppError::Validation(FieldErrors::from([("phone".to_string(), e)])))
}

/// The same `202` for every phone, whether or not a code went out (a phone's own limits
/// are not told to whoever asks). Only the per-client cap answers otherwise.
async fn send_code(
    State(state): State<AppState>,
    client: ClientAddr,
    request: WriteRequest<PhoneRequest>,
) -> AppResult<Response> {
    let phone = parse_phone(&request.body.phone)?;
    let Some(verification) = &state.verification else {
        return Err(AppError::NotFound);
    };
    if !verification.codes_per_client.allow(client) {
        return Err(AppError::RateLimited);
    }
    let code = if verification.demo {
        OneTimeCode::parse(DEMO_CODE).map_err(|_| AppError::Internal("demo code".into()))?
    } else {
        OneTimeCode::from_random(rand::random())
    };
    let hash = verification::code_hash(&state.secret, &phone, &code);
    let message = verification::code_message(&code);
    if state
        .store
        .send_code(&phone, &hash, &message, now_unix())
        .await?
    {
        verification.wake_sender.notify_one();
    }
    let answer = CodeSent {
        resend_after_secs: RESEND_AFTER_SECS,
        expires_in_secs: CODE_LIFETIME_SECS,
        demo_code: verification.demo.then(|| DEMO_CODE.to_string()),
    };
    Ok((StatusCode::ACCEPTED, Json(answer)).into_response())
}

async fn confirm(
    State(state): State<AppState>,
    request: WriteRequest<ConfirmPhone>,
) -> AppResult<Response> {
    let phone = parse_phone(&request.body.phone)?;
    let code = OneTimeCode::parse(&request.body.code)
        .map_err(|e| AppError::Validation(FieldErrors::from([("code".to_string(), e)])))?;
    if state.verification.is_none() {
        return Err(AppError::NotFound);
    }
    let now = now_unix();
    let hash = verification::code_hash(&state.secret, &phone, &code);
    state.store.use_code(&phone, &hash, now).await?;
    let expires_at = now + TOKEN_LIFETIME_SECS;
    Ok(Json(PhoneToken {
        token: token::sign(&state.secret, &phone, expires_at),
        expires_at: BeijingTime::from_unix(expires_at),
    })
    .into_response())
}

/// The phone a request's `Authorization: Bearer <phone token>` proves, if any. A forged,
/// altered or expired token proves nothing (and is treated as absent).
#[derive(Debug, Clone, Default)]
pub struct PhoneProof(Option<PhoneNumber>);

impl PhoneProof {
    /// Whether the request proved `phone`, verification on or off: for what only the
    /// phone's owner may see or change whatever the server's setting.
    pub fn proves(&self, phone: &PhoneNumber) -> bool {
        self.0.as_ref() == Some(phone)
    }

    /// Whether the request proved `phone`. With verification on, a write naming a phone
    /// it has not proved is refused: `VerificationRequired` (401).
    pub fn require(&self, state: &AppState, phone: &PhoneNumber) -> AppResult<bool> {
        let proved = self.0.as_ref() == Some(phone);
        if !proved && state.verification.is_some() {
            return Err(AppError::VerificationRequired);
        }
        Ok(proved)
    }
}

impl FromRequestParts<AppState> for PhoneProof {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Infallible> {
        let phone = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .and_then(|t| token::verify(&state.secret, t.trim(), now_unix()));
        Ok(Self(phone))
    }
}
