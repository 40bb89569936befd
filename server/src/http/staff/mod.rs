//! The staff API under `/api/staff`: sessions, accounts, the audit log, events and
//! check-in. Every path but login needs a live session ([`Staff`]); every write must come
//! from our own origin ([`same_origin_writes`]); each handler asks the account's
//! [`model::Grant`] before it touches anything.

mod accounts;
mod audit;
mod events;
mod export;
mod projects;
mod reminders;
mod session;
mod survey_export;
mod surveys;
mod year;
mod year_export;

use super::client::client_of;
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::store::{Account, Actor, now_unix};
use axum::Router;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{Method, header, request::Parts};
use axum::middleware::Next;
use axum::response::Response;
use model::{EventAccess, StaffEvent};

/// The session cookie: `__Host-` pins it to our own origin, path `/`, Secure.
pub const COOKIE: &str = "__Host-qm_staff";

/// Marks a browser where a login succeeded before (signed, for that login): such a
/// browser is not slowed by the limits that strangers could exhaust for a login or an
/// address, only by its own.
pub const DEVICE_COOKIE: &str = "__Host-qm_device";

pub fn router(state: AppState) -> Router<AppState> {
    Router::new()
        .merge(session::router())
        .merge(accounts::router())
        .merge(audit::router())
        .merge(events::router())
        .merge(projects::router())
        .merge(surveys::router())
        .merge(reminders::router())
        .merge(year::router())
        .layer(axum::middleware::from_fn_with_state(
            state,
            same_origin_writes,
        ))
}

/// A staff write from another site is refused before anything else happens: the
/// cookie is SameSite=Strict already, and this holds even where a browser ignores that.
/// Served over https, only an https origin is ours (a page injected over plain http is
/// not).
async fn same_origin_writes(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Result<Response, AppError> {
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        let headers = request.headers();
        // HTTP/2 names the host in the request line, not in a Host header.
        let host = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .or_else(|| request.uri().authority().map(|a| a.as_str()));
        let origin = headers.get(header::ORIGIN).and_then(|h| h.to_str().ok());
        let ours = |origin: &str| {
            let rest = if state.https {
                origin.strip_prefix("https://")
            } else {
                origin
                    .strip_prefix("http://")
                    .or_else(|| origin.strip_prefix("https://"))
            };
            rest.zip(host)
                .is_some_and(|(o, h)| o.eq_ignore_ascii_case(h))
        };
        if !origin.is_some_and(ours) {
            return Err(AppError::Forbidden);
        }
    }
    Ok(next.run(request).await)
}

/// A logged-in staff member: the request's session is live and its account enabled.
pub struct Staff {
    pub account: Account,
    pub actor: Actor,
    token_hash: String,
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> AppResult<Self> {
        let token = crate::http::cookie(&parts.headers, COOKIE).ok_or(AppError::LoginRequired)?;
        let token_hash = crate::secret::sha256_hex(&token);
        let account = state
            .store
            .session_account(&token_hash, now_unix())
            .await?
            .ok_or(AppError::LoginRequired)?;
        // An admin holds every key: until a second factor guards the account, it may only
        // set one up (or log out).
        let path = parts.uri.path();
        let setting_up = path.starts_with("/staff/me") || path.starts_with("/staff/session");
        if account.grant.is_admin() && account.totp_secret.is_none() && !setting_up {
            return Err(AppError::SecondFactorSetup);
        }
        let actor = Actor {
            id: account.id,
            login: account.login.clone(),
            client: client_of(parts, state).key(),
        };
        Ok(Self {
            account,
            actor,
            token_hash,
        })
    }
}

impl Staff {
    pub fn require_admin(&self) -> AppResult<()> {
        if self.account.grant.is_admin() {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }

    /// At least `needed` on this event, or 403.
    pub fn require_event(&self, event: &StaffEvent, needed: EventAccess) -> AppResult<()> {
        if self
            .account
            .grant
            .event_access(Some(event.id), event.draft.town)
            >= needed
        {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }
}
