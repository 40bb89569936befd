//! The audit log, for admins, filtered by person, kind and Beijing dates.

use super::Staff;
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::store::AuditFilter;
use axum::extract::{Query, State};
use axum::routing::get;
use axum::{Json, Router};
use model::{AuditEntry, BeijingDate};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/staff/audit", get(list))
}

#[derive(Deserialize)]
struct AuditQuery {
    actor: Option<String>,
    action: Option<String>,
    /// First day, `2026-09-01` (Beijing).
    from: Option<String>,
    /// Last day, inclusive.
    to: Option<String>,
}

fn day(value: Option<&str>, name: &'static str) -> AppResult<Option<BeijingDate>> {
    match value.filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => BeijingDate::parse(v)
            .map(Some)
            .ok_or(AppError::InvalidQuery(name)),
    }
}

async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<AuditQuery>,
) -> AppResult<Json<Vec<AuditEntry>>> {
    staff.require_admin()?;
    let filter = AuditFilter {
        actor: q.actor.filter(|a| !a.is_empty()),
        action: q.action.filter(|a| !a.is_empty()),
        from: day(q.from.as_deref(), "from")?.map(|d| d.start().unix()),
        to: day(q.to.as_deref(), "to")?.map(|d| d.add_days(1).start().unix()),
    };
    Ok(Json(state.store.audit_entries(&filter).await?))
}
