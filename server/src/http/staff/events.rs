//! Running events: write, preview (the app renders the draft), publish, cancel, the list
//! of who signed up (and its exports), check-in at the door, walk-ins.

use super::{Staff, export};
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::http::extract::{ApiPath, WriteRequest};
use crate::store::{Visibility, now_unix, valid_walk_in};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use model::{
    CancelEvent, CheckinRequest, CheckinResult, EventAccess, EventDraft, RegistrationCode,
    RevealedPhone, StaffEvent, WalkIn,
};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/events", get(list).post(create))
        .route("/staff/events/{id}", get(one).patch(update))
        .route("/staff/events/{id}/publish", post(publish))
        .route("/staff/events/{id}/unpublish", post(unpublish))
        .route("/staff/events/{id}/cancel", post(cancel))
        .route("/staff/events/{id}/registrations", get(registrations))
        .route(
            "/staff/events/{id}/registrations/{code}/phone",
            post(reveal_phone),
        )
        .route("/staff/events/{id}/walk-ins", post(walk_in))
        .route("/staff/checkins", post(check_in))
}

/// The event, if the staff member has at least `needed` on it.
async fn event_for(
    state: &AppState,
    staff: &Staff,
    id: i64,
    needed: EventAccess,
) -> AppResult<StaffEvent> {
    let event = state.store.staff_event(id).await?;
    staff.require_event(&event, needed)?;
    Ok(event)
}

async fn list(State(state): State<AppState>, staff: Staff) -> AppResult<Json<Vec<StaffEvent>>> {
    let grant = &staff.account.grant;
    if !grant.works_on_events() {
        return Err(AppError::Forbidden);
    }
    let events = state.store.staff_events().await?;
    Ok(Json(
        events
            .into_iter()
            .filter(|e| grant.event_access(Some(e.id), e.draft.town) >= EventAccess::CheckIn)
            .collect(),
    ))
}

/// `id`: the event being edited (`None` for a new one).
fn valid(draft: &EventDraft, staff: &Staff, id: Option<i64>) -> AppResult<()> {
    // Only where the organiser runs events: an event of another town is not theirs to
    // make, nor theirs to move there.
    if staff.account.grant.event_access(id, draft.town) < EventAccess::Manage {
        return Err(AppError::Forbidden);
    }
    draft.validate().map_err(AppError::Validation)
}

async fn create(
    State(state): State<AppState>,
    staff: Staff,
    request: WriteRequest<EventDraft>,
) -> AppResult<(StatusCode, Json<StaffEvent>)> {
    valid(&request.body, &staff, None)?;
    let event = state
        .store
        .create_event(&request.body, &staff.actor, now_unix())
        .await?;
    Ok((StatusCode::CREATED, Json(event)))
}

async fn one(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<StaffEvent>> {
    Ok(Json(
        event_for(&state, &staff, id, EventAccess::CheckIn).await?,
    ))
}

async fn update(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
    request: WriteRequest<EventDraft>,
) -> AppResult<Json<StaffEvent>> {
    event_for(&state, &staff, id, EventAccess::Manage).await?;
    valid(&request.body, &staff, Some(id))?;
    let event = state
        .store
        .update_event(id, &request.body, &staff.actor, now_unix())
        .await?;
    state.event_lists.clear();
    Ok(Json(event))
}

async fn set_visibility(
    state: AppState,
    staff: Staff,
    id: i64,
    to: Visibility,
) -> AppResult<Json<StaffEvent>> {
    event_for(&state, &staff, id, EventAccess::Manage).await?;
    let event = state
        .store
        .set_event_visibility(id, to, &staff.actor, now_unix())
        .await?;
    state.event_lists.clear();
    Ok(Json(event))
}

async fn publish(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<StaffEvent>> {
    set_visibility(state, staff, id, Visibility::Publish).await
}

async fn unpublish(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<StaffEvent>> {
    set_visibility(state, staff, id, Visibility::Unpublish).await
}

async fn cancel(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
    request: WriteRequest<CancelEvent>,
) -> AppResult<Json<StaffEvent>> {
    event_for(&state, &staff, id, EventAccess::Manage).await?;
    let reason = request.body.validate().map_err(AppError::Validation)?;
    let event = state
        .store
        .cancel_event(id, &reason, &staff.actor, now_unix())
        .await?;
    state.event_lists.clear();
    state.wake_notifications();
    Ok(Json(event))
}

#[derive(Deserialize)]
struct ListFormat {
    format: Option<String>,
}

async fn registrations(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
    Query(q): Query<ListFormat>,
) -> AppResult<Response> {
    let format = q.format.as_deref().unwrap_or("json");
    let needed = if format == "json" {
        EventAccess::CheckIn
    } else {
        EventAccess::Manage
    };
    let event = event_for(&state, &staff, id, needed).await?;
    let people = state.store.registrants(id).await?;
    match format {
        "json" => Ok(Json(people).into_response()),
        "csv" | "xlsx" => {
            state
                .store
                .audit(
                    &staff.actor,
                    "registrations.export",
                    format!("event:{id} {format}"),
                )
                .await?;
            if format == "csv" {
                export::csv(&event, &people)
            } else {
                export::xlsx(&event, &people)
            }
        }
        _ => Err(AppError::InvalidQuery("format")),
    }
}

async fn reveal_phone(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath((id, code)): ApiPath<(i64, String)>,
) -> AppResult<Json<RevealedPhone>> {
    event_for(&state, &staff, id, EventAccess::Manage).await?;
    let code = RegistrationCode::parse(&code).map_err(|_| AppError::NotFound)?;
    let phone = state.store.reveal_phone(id, &code, &staff.actor).await?;
    Ok(Json(RevealedPhone { phone }))
}

async fn check_in(
    State(state): State<AppState>,
    staff: Staff,
    request: WriteRequest<CheckinRequest>,
) -> AppResult<Json<CheckinResult>> {
    let event_id = request.body.event_id;
    let event = event_for(&state, &staff, event_id, EventAccess::CheckIn).await?;
    // A draft has nobody to let in; a cancelled event lets nobody in.
    if event.status != model::EventStatus::Published {
        return Err(AppError::EventClosed);
    }
    let result = state
        .store
        .check_in(event_id, &request.body.code, &staff.actor, now_unix())
        .await?;
    Ok(Json(result))
}

async fn walk_in(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
    request: WriteRequest<WalkIn>,
) -> AppResult<(StatusCode, Json<CheckinResult>)> {
    event_for(&state, &staff, id, EventAccess::CheckIn).await?;
    let (name, phone, party) = valid_walk_in(&request.body).map_err(AppError::Validation)?;
    let result = state
        .store
        .walk_in(id, &name, &phone, party, &staff.actor, now_unix())
        .await?;
    state.event_lists.clear();
    Ok((StatusCode::CREATED, Json(result)))
}
