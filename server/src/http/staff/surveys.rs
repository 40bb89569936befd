//! Running survey waves as an analyst (or an admin): drafts and versions of the
//! questions, opening, closing and publishing, paper questionnaires typed in, the live
//! analysis, comments, and the anonymised export. Nobody else gets past
//! [`Staff::require_surveys`].

use super::{Staff, survey_export};
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::http::extract::{ApiPath, WriteRequest};
use crate::http::surveys::accept;
use crate::store::{ResultSnapshot, now_unix};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use model::survey::DefinitionError;
use model::survey::{NewResponse, SMALLEST_PUBLISHED_COUNT, SurveyResults};
use model::survey_analysis::WaveAnalysis;
use model::survey_wave::{
    Comment, CommentMarks, DefinitionText, NewWave, StaffWave, StatusChange, WaveDetails,
    WaveStatus, read_definition, shape_changes, starter_definition,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/surveys", get(list).post(create))
        .route("/staff/surveys/{id}", get(one).patch(update))
        .route("/staff/surveys/{id}/definition", put(save_version))
        .route("/staff/surveys/{id}/status", post(change_status))
        .route("/staff/surveys/{id}/paper", post(paper))
        .route("/staff/surveys/{id}/analysis", get(analysis))
        .route("/staff/surveys/{id}/comments", get(comments))
        .route(
            "/staff/surveys/{id}/comments/{response}/{question}",
            put(mark_comment),
        )
        .route("/staff/surveys/{id}/export.xlsx", get(export_xlsx))
        .route("/staff/surveys/{id}/export.csv", get(export_csv))
        .route("/staff/surveys/{id}/codebook.csv", get(codebook_csv))
}

impl Staff {
    /// Analysts and admins, or 403.
    pub fn require_surveys(&self) -> AppResult<()> {
        if self.account.grant.works_on_surveys() {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }
}

async fn list(State(state): State<AppState>, staff: Staff) -> AppResult<Json<Vec<StaffWave>>> {
    staff.require_surveys()?;
    Ok(Json(state.store.staff_waves().await?))
}

/// A new draft: empty but for the starter questions, or a copy of a past wave's latest.
async fn create(
    State(state): State<AppState>,
    staff: Staff,
    request: WriteRequest<NewWave>,
) -> AppResult<(StatusCode, Json<StaffWave>)> {
    staff.require_surveys()?;
    let new = request.body;
    new.details.validate().map_err(AppError::Validation)?;
    let definition = match new.copy_of {
        Some(id) => state.store.latest_definition(id).await?,
        None => starter_definition(),
    };
    let wave = state
        .store
        .create_wave(&new, &definition, &staff.actor, now_unix())
        .await?;
    Ok((StatusCode::CREATED, Json(wave)))
}

async fn one(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<StaffWave>> {
    staff.require_surveys()?;
    Ok(Json(state.store.staff_wave(id).await?))
}

async fn update(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
    request: WriteRequest<WaveDetails>,
) -> AppResult<Json<StaffWave>> {
    staff.require_surveys()?;
    request.body.validate().map_err(AppError::Validation)?;
    Ok(Json(
        state
            .store
            .update_wave(id, &request.body, &staff.actor, now_unix())
            .await?,
    ))
}

/// The questions as JSON text, checked with the residents' rules and saved as the next
/// version; problems come back by question id (or `definition` for the text itself).
async fn save_version(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
    request: WriteRequest<DefinitionText>,
) -> AppResult<Json<StaffWave>> {
    staff.require_surveys()?;
    let definition =
        read_definition(&request.body.json).map_err(|p| AppError::Validation(p.fields()))?;
    // While open, answers are coming in against the questions' shape: only words change.
    if state.store.wave_state(id).await?.status == WaveStatus::Open {
        let changes = shape_changes(&state.store.latest_definition(id).await?, &definition);
        if !changes.is_empty() {
            return Err(AppError::Validation(DefinitionError::by_question(&changes)));
        }
    }
    Ok(Json(
        state
            .store
            .save_version(id, &definition, &staff.actor, now_unix())
            .await?,
    ))
}

/// One step along draft → open → closed → published. Publishing computes the final public
/// results from every answer, online and paper, and keeps them as they are; see
/// [`final_results`].
async fn change_status(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
    request: WriteRequest<StatusChange>,
) -> AppResult<Json<StaffWave>> {
    staff.require_surveys()?;
    let to = request.body.to;
    let from = state.store.wave_state(id).await?.status;
    // A paper form may land between counting and publishing; count again then.
    for _ in 0..3 {
        let now = now_unix();
        let publication = if to == WaveStatus::Published {
            Some(final_results(&state, id, now).await?)
        } else {
            None
        };
        if let Some(wave) = state
            .store
            .change_wave_status(
                id,
                from,
                to,
                publication.as_ref().map(|(r, n)| (r, *n)),
                &staff.actor,
                now,
            )
            .await?
        {
            return Ok(Json(wave));
        }
    }
    Err(AppError::WrongStatus)
}

/// The results to publish, and how many answers were in when they were made. The public
/// rule holds to the end: under ten answers nothing is shown; and when the wave's last
/// public step counted fewer than ten answers less than now (paper forms typed in after
/// it closed), that step is published as it was, since the difference of two figures
/// would tell those few forms' answers.
async fn final_results(state: &AppState, id: i64, now: i64) -> AppResult<(ResultSnapshot, i64)> {
    let definition = state.store.latest_definition(id).await?;
    let mut responses = state.store.survey_responses(id).await?;
    let counted = responses.len() as i64;
    let smallest = i64::from(SMALLEST_PUBLISHED_COUNT);
    if let Some(step) = state.store.result_snapshot(id).await?
        && counted > step.responses
        && counted - step.responses < smallest
    {
        return Ok((step, counted));
    }
    if counted < smallest {
        responses.clear();
    }
    let results = SurveyResults::compute(id, &definition, &responses);
    let snapshot = ResultSnapshot {
        responses: counted,
        computed_at: now,
        results: serde_json::to_string(&results).map_err(|e| AppError::Internal(e.to_string()))?,
    };
    Ok((snapshot, counted))
}

/// A paper questionnaire typed in: the same checks as online, channel `paper`, the staff
/// member kept with it and in the audit log. Taken while the wave is open or closed (forms
/// arrive late from community centres), not once published.
async fn paper(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
    request: WriteRequest<NewResponse>,
) -> AppResult<Response> {
    staff.require_surveys()?;
    if !state.store.wave_state(id).await?.status.takes_paper() {
        return Err(AppError::SurveyClosed);
    }
    accept(&state, id, request, None, Some(staff.actor.clone())).await
}

async fn analysis(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<WaveAnalysis>> {
    staff.require_surveys()?;
    let definition = state.store.latest_definition(id).await?;
    let responses = state.store.analysed_responses(id).await?;
    let previous = match state.store.previous_wave(id).await? {
        Some((pid, name)) => Some((
            pid,
            name,
            state.store.latest_definition(pid).await?,
            state.store.analysed_responses(pid).await?,
        )),
        None => None,
    };
    Ok(Json(WaveAnalysis::compute(
        &definition,
        &responses,
        previous
            .as_ref()
            .map(|(id, name, d, r)| (*id, name, d, r.as_slice())),
    )))
}

async fn comments(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<Vec<Comment>>> {
    staff.require_surveys()?;
    state.store.wave_state(id).await?;
    Ok(Json(state.store.comments(id).await?))
}

async fn mark_comment(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath((id, response, question)): ApiPath<(i64, i64, String)>,
    request: WriteRequest<CommentMarks>,
) -> AppResult<StatusCode> {
    staff.require_surveys()?;
    state
        .store
        .mark_comment(
            id,
            response,
            &question,
            &request.body,
            &staff.actor,
            now_unix(),
        )
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What every export reads, and an audit row: answers leave the building.
async fn export_data(
    state: &AppState,
    staff: &Staff,
    id: i64,
    what: &str,
) -> AppResult<(
    Vec<model::survey::SurveyDefinition>,
    Vec<model::survey_analysis::AnalysedResponse>,
)> {
    staff.require_surveys()?;
    let definitions = state.store.all_definitions(id).await?;
    if definitions.is_empty() {
        return Err(AppError::NotFound);
    }
    let responses = state.store.analysed_responses(id).await?;
    state
        .store
        .audit(&staff.actor, "survey.export", format!("survey:{id}/{what}"))
        .await?;
    Ok((definitions, responses))
}

async fn export_xlsx(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Response> {
    let (definitions, responses) = export_data(&state, &staff, id, "xlsx").await?;
    survey_export::xlsx(id, &definitions, &responses)
}

async fn export_csv(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Response> {
    let (definitions, responses) = export_data(&state, &staff, id, "csv").await?;
    survey_export::csv(id, "responses", &definitions, &responses)
}

async fn codebook_csv(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Response> {
    let (definitions, _) = export_data(&state, &staff, id, "codebook").await?;
    survey_export::csv(id, "codebook", &definitions, &[])
}
