//! The satisfaction survey: the open wave, responses, and public results.

use super::extract::{ApiPath, WriteRequest};
use super::registrations::write_response;
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::store::{ValidResponse, now_unix};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use model::survey::{NewResponse, SurveyResults};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/surveys/current", get(current))
        .route("/surveys/{id}/responses", post(respond))
        .route("/surveys/{id}/results", get(results))
}

async fn current(State(state): State<AppState>) -> AppResult<impl IntoResponse> {
    Ok(Json(state.store.current_survey(now_unix()).await?))
}

/// Checks a response against the exact version it answered; every problem is reported by
/// question id (or `town`, `phone`, `version`).
async fn respond(
    State(state): State<AppState>,
    ApiPath(survey_id): ApiPath<i64>,
    request: WriteRequest<NewResponse>,
) -> AppResult<Response> {
    let body = request.body;
    let now = now_unix();
    let (definition, open) = state
        .store
        .survey_version(survey_id, body.version, now)
        .await?;
    if !open {
        return Err(AppError::SurveyClosed);
    }
    let checked = body
        .check(definition.as_ref())
        .map_err(AppError::Validation)?;
    let response = ValidResponse {
        version: body.version,
        town: checked.town,
        answers: body.answers,
        phone: checked.phone,
    };
    let result = state
        .store
        .insert_response(survey_id, &response, request.key.as_ref(), now)
        .await?;
    Ok(write_response(StatusCode::CREATED, result))
}

async fn results(
    State(state): State<AppState>,
    ApiPath(survey_id): ApiPath<i64>,
) -> AppResult<impl IntoResponse> {
    let definition = state.store.latest_definition(survey_id).await?;
    let responses = state.store.survey_responses(survey_id).await?;
    Ok(Json(SurveyResults::compute(
        survey_id,
        &definition,
        &responses,
    )))
}
