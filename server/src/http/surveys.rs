//! The satisfaction survey: the open wave, responses, and public results.
//!
//! Privacy rules:
//! - a phone number given with a response is kept only as HMAC-SHA256 under a key derived
//!   for that wave from the server's secret (never in the database), and the hash is
//!   erased when the wave closes (the sweep);
//! - public results change in steps: recomputed at most every [`RESULTS_STEP_SECS`] and
//!   only after at least [`SMALLEST_PUBLISHED_COUNT`] new responses, and every count under
//!   that shows as `"<10"`. So no two results anyone can fetch differ by fewer than ten
//!   people, and no difference of two can single one out.

use super::extract::{ApiPath, WriteRequest};
use super::registrations::write_response;
use super::verifications::PhoneProof;
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::store::{Actor, ResultSnapshot, ValidResponse, now_unix};
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use model::survey::{NewResponse, SMALLEST_PUBLISHED_COUNT, SurveyResults};
use model::survey_wave::{PublishedWave, WaveStatus};
use model::{FieldError, FieldErrors, PhoneNumber};

/// Public results are recomputed at most this often.
pub const RESULTS_STEP_SECS: i64 = 15 * 60;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/surveys/current", get(current))
        .route("/surveys/results", get(public_waves))
        .route("/surveys/{id}/responses", post(respond))
        .route("/surveys/{id}/results", get(results))
}

async fn current(State(state): State<AppState>) -> AppResult<impl IntoResponse> {
    Ok(Json(state.store.current_survey(now_unix()).await?))
}

/// The waves whose results anyone may read, the latest first.
async fn public_waves(State(state): State<AppState>) -> AppResult<Json<Vec<PublishedWave>>> {
    Ok(Json(state.store.public_waves(now_unix()).await?))
}

/// Checks a response against the exact version it answered; every problem is reported by
/// question id (or `town`, `phone`, `version`).
async fn respond(
    State(state): State<AppState>,
    ApiPath(survey_id): ApiPath<i64>,
    proof: PhoneProof,
    request: WriteRequest<NewResponse>,
) -> AppResult<Response> {
    let now = now_unix();
    if !state.store.wave_state(survey_id).await?.answerable(now) {
        return Err(AppError::SurveyClosed);
    }
    accept(&state, survey_id, request, Some(&proof), None).await
}

/// Checks answers against the exact version they answered (every problem by question
/// id, or `town`, `phone`, `version`) and stores them: online with the phone's proof, or
/// from paper with the staff member who typed them in (no phone).
pub async fn accept(
    state: &AppState,
    survey_id: i64,
    request: WriteRequest<NewResponse>,
    proof: Option<&PhoneProof>,
    entered_by: Option<Actor>,
) -> AppResult<Response> {
    let body = request.body;
    let definition = state.store.survey_version(survey_id, body.version).await?;
    let checked = body
        .check(definition.as_ref())
        .map_err(AppError::Validation)?;
    let phone = match (&checked.phone, proof) {
        (None, _) => None,
        (Some(phone), Some(proof)) => {
            proof.require(state, phone)?;
            Some(phone_hash(state, survey_id, phone))
        }
        // Nobody proves a phone for a paper form: a number on it is not kept.
        (Some(_), None) => {
            return Err(AppError::Validation(FieldErrors::from([(
                "phone".to_string(),
                FieldError::Unexpected,
            )])));
        }
    };
    let response = ValidResponse {
        version: body.version,
        town: checked.town,
        answers: body.answers,
        phone_hash: phone,
        entered_by,
    };
    let result = state
        .store
        .insert_response(survey_id, &response, request.key.as_ref(), now_unix())
        .await?;
    Ok(write_response(StatusCode::CREATED, result))
}

/// The wave's own key makes the same phone hash differently in every wave, so hashes of
/// two waves cannot be linked.
fn phone_hash(state: &AppState, survey_id: i64, phone: &PhoneNumber) -> String {
    let key = state.secret.derive(&format!("survey-phone:{survey_id}"));
    crate::secret::keyed(&key, &[phone.as_str().as_bytes()])
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whether results counted at `published` (none yet: `None`) may give way to a new step
/// now that `responses` are in.
pub fn step_due(published: Option<&ResultSnapshot>, responses: i64, now: i64) -> bool {
    match published {
        None => true,
        Some(p) => {
            now - p.computed_at >= RESULTS_STEP_SECS
                && responses - p.responses >= i64::from(SMALLEST_PUBLISHED_COUNT)
        }
    }
}

/// The results of a published wave as they were published, or of the open wave in
/// steps; nothing of a draft or of a closed wave not yet published.
async fn results(
    State(state): State<AppState>,
    ApiPath(survey_id): ApiPath<i64>,
) -> AppResult<Response> {
    let now = now_unix();
    let wave = state.store.wave_state(survey_id).await?;
    let published = state.store.result_snapshot(survey_id).await?;
    if wave.status == WaveStatus::Published {
        let body = published.ok_or(AppError::NotFound)?.results;
        return Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response());
    }
    if !wave.answerable(now) {
        return Err(AppError::NotFound);
    }
    let definition = state.store.latest_definition(survey_id).await?;
    let count = state.store.count_responses(survey_id).await?;
    let body = if step_due(published.as_ref(), count, now) {
        // Until ten are in, nothing is shown: the first few would be readable one by one.
        let responses = if count < i64::from(SMALLEST_PUBLISHED_COUNT) {
            Vec::new()
        } else {
            state.store.survey_responses(survey_id).await?
        };
        let results = SurveyResults::compute(survey_id, &definition, &responses);
        let step = ResultSnapshot {
            responses: responses.len() as i64,
            computed_at: now,
            results: serde_json::to_string(&results)
                .map_err(|e| AppError::Internal(e.to_string()))?,
        };
        if state
            .store
            .replace_result_snapshot(survey_id, published.as_ref(), &step)
            .await?
        {
            step.results
        } else {
            // Another request or instance published this step first: serve its figures.
            state
                .store
                .result_snapshot(survey_id)
                .await?
                .ok_or(AppError::NotFound)?
                .results
        }
    } else {
        published.ok_or(AppError::NotFound)?.results
    };
    Ok(([(header::CONTENT_TYPE, "application/json")], body).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn published(responses: i64, computed_at: i64) -> ResultSnapshot {
        ResultSnapshot {
            responses,
            computed_at,
            results: String::new(),
        }
    }

    #[test]
    fn results_move_only_after_fifteen_minutes_and_ten_responses() {
        let p = published(100, 1_000);
        assert!(
            step_due(None, 0, 0),
            "the first figures are published at once"
        );
        assert!(
            !step_due(Some(&p), 101, 1_000 + RESULTS_STEP_SECS),
            "one more response"
        );
        assert!(
            !step_due(Some(&p), 150, 1_000 + RESULTS_STEP_SECS - 1),
            "too soon"
        );
        assert!(step_due(Some(&p), 110, 1_000 + RESULTS_STEP_SECS));
    }
}
