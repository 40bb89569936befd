//! Running housing projects (预看房) as the district office, a sales office or the door:
//! the project, who works on it, its visit plan and buyer list, the day's visits and
//! check-in, defects followed to repair, and the district's coverage figures.

use super::{Staff, export};
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::http::extract::{ApiPath, WriteRequest};
use crate::http::photos::{keep_photos, sign_defect, sign_defects};
use crate::projects::sheets;
use crate::store::{BuyerList, DefectActor, now_unix};
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use base64::Engine;
use model::defect::{Defect, DefectUpdate, NewDefect, Party};
use model::project_admin::check_buyer_rows;
use model::{
    AccountChange, BeijingDate, BookingCode, BuyerImport, ColumnMapping, Coverage, FieldError,
    FieldErrors, ImportReport, PlanChange, PlanOutcome, ProjectAccess, ProjectDraft, Role, Scope,
    StaffAssignment, StaffProject, Visit, VisitCheckin, VisitCode,
};
use serde::Deserialize;

/// A buyer list file, base64: larger than any office's list.
const IMPORT_BODY_LIMIT: usize = 8 * 1024 * 1024;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/projects", get(list).post(create))
        .route("/staff/projects/{id}", get(one).patch(update))
        .route("/staff/projects/{id}/staff", post(assign))
        .route("/staff/projects/{id}/plan", put(change_plan))
        .route(
            "/staff/projects/{id}/buyers/import",
            post(import).layer(DefaultBodyLimit::max(IMPORT_BODY_LIMIT)),
        )
        .route("/staff/projects/{id}/visits", get(visits))
        .route("/staff/projects/{id}/checkins", post(check_in))
        .route("/staff/projects/{id}/no-shows", post(no_show))
        .route("/staff/projects/{id}/defects", get(defects))
        .route(
            "/staff/projects/{id}/visits/{code}/defects",
            post(record_defect).layer(DefaultBodyLimit::max(
                crate::http::photos::PHOTOS_BODY_LIMIT,
            )),
        )
        .route(
            "/staff/projects/{id}/defects/{defect}/status",
            post(update_defect).layer(DefaultBodyLimit::max(
                crate::http::photos::PHOTOS_BODY_LIMIT,
            )),
        )
        .route("/staff/coverage", get(coverage))
        .route("/staff/coverage.xlsx", get(coverage_xlsx))
}

impl Staff {
    /// At least `needed` on this project, or 403.
    pub fn require_project(&self, id: i64, needed: ProjectAccess) -> AppResult<()> {
        if self.account.grant.project_access(id) >= needed {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }
}

async fn list(State(state): State<AppState>, staff: Staff) -> AppResult<Json<Vec<StaffProject>>> {
    let grant = &staff.account.grant;
    if !grant.works_on_projects() {
        return Err(AppError::Forbidden);
    }
    let projects = state.store.staff_projects().await?;
    Ok(Json(
        projects
            .into_iter()
            .filter(|p| grant.project_access(p.id) >= ProjectAccess::CheckIn)
            .collect(),
    ))
}

/// Only the district office opens a project; its sales office runs it from then on.
async fn create(
    State(state): State<AppState>,
    staff: Staff,
    request: WriteRequest<ProjectDraft>,
) -> AppResult<(StatusCode, Json<StaffProject>)> {
    staff.require_admin()?;
    request.body.validate().map_err(AppError::Validation)?;
    let project = state
        .store
        .create_project(&request.body, &staff.actor, now_unix())
        .await?;
    Ok((StatusCode::CREATED, Json(project)))
}

async fn one(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<StaffProject>> {
    staff.require_project(id, ProjectAccess::CheckIn)?;
    Ok(Json(state.store.staff_project(id).await?))
}

async fn update(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
    request: WriteRequest<ProjectDraft>,
) -> AppResult<Json<StaffProject>> {
    staff.require_project(id, ProjectAccess::Manage)?;
    request.body.validate().map_err(AppError::Validation)?;
    let before = state.store.staff_project(id).await?;
    // The town decides which district office sees it: only admins move a project.
    if before.draft.town != request.body.town {
        staff.require_admin()?;
    }
    Ok(Json(
        state
            .store
            .update_project(id, &request.body, &staff.actor, now_unix())
            .await?,
    ))
}

/// Puts a sales office or door account on the project, or takes it off (admins). The
/// account's sessions end, as with any change of rights.
async fn assign(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
    request: WriteRequest<StaffAssignment>,
) -> AppResult<Json<StaffProject>> {
    staff.require_admin()?;
    state.store.staff_project(id).await?;
    let account = state
        .store
        .accounts()
        .await?
        .into_iter()
        .find(|a| a.id == request.body.account_id)
        .ok_or(AppError::NotFound)?;
    if !matches!(account.grant.role, Role::ProjectOffice | Role::Door) {
        return Err(AppError::Validation(FieldErrors::from([(
            "account_id".to_string(),
            FieldError::Invalid,
        )])));
    }
    let mut scopes: Vec<Scope> = account
        .grant
        .scopes
        .into_iter()
        .filter(|s| *s != Scope::Project(id))
        .collect();
    if request.body.assigned {
        scopes.push(Scope::Project(id));
    }
    let change = AccountChange {
        role: None,
        scopes: Some(scopes),
        disabled: None,
    };
    state
        .store
        .change_account(account.id, &change, &staff.actor, now_unix())
        .await?;
    Ok(Json(state.store.staff_project(id).await?))
}

async fn change_plan(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
    request: WriteRequest<PlanChange>,
) -> AppResult<Json<PlanOutcome>> {
    staff.require_project(id, ProjectAccess::Manage)?;
    request.body.plan.validate().map_err(AppError::Validation)?;
    let outcome = state
        .store
        .change_plan(id, &request.body, &staff.actor, now_unix())
        .await?;
    if outcome.committed {
        state.wake_notifications();
    }
    Ok(Json(outcome))
}

/// Reads the uploaded list, checks every row, and compares it with the list as it
/// stands. A commit with any bad row, or with a booked flat left out and not decided,
/// changes nothing.
async fn import(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
    request: WriteRequest<BuyerImport>,
) -> AppResult<Json<ImportReport>> {
    staff.require_project(id, ProjectAccess::Manage)?;
    let body = &request.body;
    let file_problem =
        |reason| AppError::Validation(FieldErrors::from([("file".to_string(), reason)]));
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(body.content_base64.trim())
        .map_err(|_| file_problem(FieldError::Invalid))?;
    let sheet = tokio::task::spawn_blocking({
        let name = body.file_name.clone();
        move || sheets::read(&name, &bytes)
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
    .map_err(|e| match e {
        sheets::SheetError::Empty => file_problem(FieldError::Required),
        sheets::SheetError::TooLong => file_problem(FieldError::TooLong),
        _ => file_problem(FieldError::Invalid),
    })?;
    let (headers, data) = sheet
        .rows
        .split_first()
        .ok_or(file_problem(FieldError::Required))?;
    let mut report = ImportReport {
        committed: false,
        headers: headers.clone(),
        mapping: body.mapping.or_else(|| ColumnMapping::guess(headers)),
        rows: 0,
        problems: Vec::new(),
        added: 0,
        changed: 0,
        removed: 0,
        unchanged: 0,
        booked_removals: Vec::new(),
    };
    let Some(mapping) = report.mapping else {
        // No guess: the office maps the columns by hand first.
        if body.commit {
            return Err(AppError::Validation(FieldErrors::from([(
                "mapping".to_string(),
                FieldError::Required,
            )])));
        }
        return Ok(Json(report));
    };
    if [
        mapping.building,
        mapping.unit,
        mapping.room,
        mapping.name,
        mapping.phone,
    ]
    .iter()
    .any(|c| *c >= headers.len())
    {
        return Err(AppError::Validation(FieldErrors::from([(
            "mapping".to_string(),
            FieldError::OutOfRange,
        )])));
    }
    let (good, problems) = check_buyer_rows(data, mapping, sheet.header_row);
    let read = data
        .iter()
        .filter(|r| r.iter().any(|c| !c.trim().is_empty()));
    report.rows = u32::try_from(read.count()).unwrap_or(u32::MAX);
    report.problems = problems;
    let commit = body.commit && report.problems.is_empty();
    if body.commit && !commit {
        return Err(AppError::Validation(FieldErrors::from([(
            "rows".to_string(),
            FieldError::Invalid,
        )])));
    }
    let diff = state
        .store
        .import_buyers(
            id,
            &BuyerList {
                rows: &good,
                file_name: &body.file_name,
                commit,
                removals: &body.removals,
            },
            &staff.actor,
            now_unix(),
        )
        .await?;
    report.committed = commit;
    report.added = diff.added;
    report.changed = diff.changed;
    report.removed = diff.removed;
    report.unchanged = diff.unchanged;
    report.booked_removals = diff.booked_removals;
    if commit {
        state.wake_notifications();
    }
    Ok(Json(report))
}

#[derive(Deserialize)]
struct DayQuery {
    day: String,
}

async fn visits(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
    Query(query): Query<DayQuery>,
) -> AppResult<Json<Vec<Visit>>> {
    staff.require_project(id, ProjectAccess::CheckIn)?;
    let day = BeijingDate::parse(&query.day).ok_or(AppError::InvalidQuery("day"))?;
    Ok(Json(state.store.visits(id, day).await?))
}

async fn check_in(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
    request: WriteRequest<VisitCode>,
) -> AppResult<Json<VisitCheckin>> {
    staff.require_project(id, ProjectAccess::CheckIn)?;
    Ok(Json(
        state
            .store
            .check_in_visit(id, &request.body.code, &staff.actor, now_unix())
            .await?,
    ))
}

async fn no_show(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
    request: WriteRequest<VisitCode>,
) -> AppResult<Json<Visit>> {
    staff.require_project(id, ProjectAccess::CheckIn)?;
    Ok(Json(
        state
            .store
            .mark_no_show(id, &request.body.code, &staff.actor, now_unix())
            .await?,
    ))
}

async fn defects(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<Json<Vec<Defect>>> {
    staff.require_project(id, ProjectAccess::CheckIn)?;
    let mut defects = state.store.project_defects(id).await?;
    sign_defects(&state, &mut defects);
    Ok(Json(defects))
}

/// Door staff (or the office) record a defect at the visit, for the buyer.
async fn record_defect(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath((id, code)): ApiPath<(i64, String)>,
    request: WriteRequest<NewDefect>,
) -> AppResult<(StatusCode, Json<Defect>)> {
    staff.require_project(id, ProjectAccess::CheckIn)?;
    let code = BookingCode::parse(&code).map_err(|_| AppError::NotFound)?;
    request.body.validate().map_err(AppError::Validation)?;
    let photos = keep_photos(&state, &request.body.photos, "photos").await?;
    let who = DefectActor::Staff {
        project_id: id,
        actor: &staff.actor,
    };
    let result = state
        .store
        .record_defect(who, &code, &request.body, &photos.ids(), None, now_unix())
        .await;
    let mut defect = photos.settle(&state, result).await?.value;
    state.wake_notifications();
    sign_defect(&state, &mut defect);
    Ok((StatusCode::CREATED, Json(defect)))
}

/// The office marks a defect in progress or repaired (with a note and a photo).
async fn update_defect(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath((id, defect_id)): ApiPath<(i64, i64)>,
    request: WriteRequest<DefectUpdate>,
) -> AppResult<Json<Defect>> {
    staff.require_project(id, ProjectAccess::Manage)?;
    request
        .body
        .validate(Party::Staff)
        .map_err(AppError::Validation)?;
    let code = state.store.defect_booking(id, defect_id).await?;
    let photos = keep_photos(&state, request.body.photo.as_slice(), "photo").await?;
    let who = DefectActor::Staff {
        project_id: id,
        actor: &staff.actor,
    };
    let result = state
        .store
        .update_defect(
            who,
            (&code, defect_id),
            &request.body,
            &photos.ids(),
            None,
            now_unix(),
        )
        .await;
    let mut defect = photos.settle(&state, result).await?.value;
    state.wake_notifications();
    sign_defect(&state, &mut defect);
    Ok(Json(defect))
}

async fn coverage(State(state): State<AppState>, staff: Staff) -> AppResult<Json<Coverage>> {
    staff.require_admin()?;
    Ok(Json(state.store.coverage().await?))
}

async fn coverage_xlsx(State(state): State<AppState>, staff: Staff) -> AppResult<Response> {
    staff.require_admin()?;
    export::coverage_xlsx(&state.store.coverage().await?)
}
