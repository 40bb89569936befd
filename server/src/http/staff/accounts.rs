//! Accounts, for admins: list, create, change role and scopes, disable.

use super::Staff;
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::http::extract::{ApiPath, WriteRequest};
use crate::staff::passwords;
use crate::store::now_unix;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, patch};
use axum::{Json, Router};
use model::{AccountChange, FieldErrors, Grant, NewAccount, StaffAccount};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/accounts", get(list).post(create))
        .route("/staff/accounts/{id}", patch(change))
}

async fn list(State(state): State<AppState>, staff: Staff) -> AppResult<Json<Vec<StaffAccount>>> {
    staff.require_admin()?;
    Ok(Json(state.store.accounts().await?))
}

async fn create(
    State(state): State<AppState>,
    staff: Staff,
    request: WriteRequest<NewAccount>,
) -> AppResult<(StatusCode, Json<StaffAccount>)> {
    staff.require_admin()?;
    let new = request.body;
    let mut errors = FieldErrors::new();
    let login = model::staff::parse_login(&new.login)
        .map_err(|e| errors.insert("login".into(), e))
        .ok();
    if let Err(e) = passwords::check_new(login.as_deref().unwrap_or(""), &new.password) {
        errors.insert("password".into(), e);
    }
    let Some(login) = login.filter(|_| errors.is_empty()) else {
        return Err(AppError::Validation(errors));
    };
    let password = new.password;
    let hash = tokio::task::spawn_blocking(move || passwords::hash(&password))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let grant = Grant {
        role: new.role,
        scopes: new.scopes,
    };
    let account = state
        .store
        .create_account(&login, &hash, &grant, Some(&staff.actor), now_unix())
        .await?;
    Ok((StatusCode::CREATED, Json(account)))
}

async fn change(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
    request: WriteRequest<AccountChange>,
) -> AppResult<Json<StaffAccount>> {
    staff.require_admin()?;
    // An admin cannot lock themself out by accident (another admin can).
    if id == staff.account.id && request.body != AccountChange::default() {
        return Err(AppError::Forbidden);
    }
    let account = state
        .store
        .change_account(id, &request.body, &staff.actor, now_unix())
        .await?;
    Ok(Json(account))
}
