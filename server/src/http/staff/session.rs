//! Logging in and out, and who is logged in.

use super::{COOKIE, DEVICE_COOKIE, Staff};
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::http::client::ClientAddr;
use crate::http::cookie;
use crate::http::extract::WriteRequest;
use crate::staff::{passwords, second_factor};
use crate::store::{SESSION_ABSOLUTE_SECS, now_unix};
use crate::verification::token;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use model::{LoginRequest, OneTimePassword, SecondFactorSetup, StaffMe};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/session", post(login).delete(logout))
        .route("/staff/sessions/end-all", post(end_all))
        .route("/staff/me", get(me))
        .route("/staff/me/second-factor", post(start_second_factor))
        .route(
            "/staff/me/second-factor/confirm",
            post(confirm_second_factor),
        )
}

/// Failed logins allowed before back-off: per login from one client (a person
/// mistyping), per client over every login (one machine guessing many accounts), and per
/// login over every client (many machines guessing one account: high, so that they cannot
/// lock its owner out cheaply).
const FREE_PER_LOGIN_AND_CLIENT: i64 = 5;
const FREE_PER_CLIENT: i64 = 20;
const FREE_PER_LOGIN: i64 = 100;

/// How long a login waits for a turn at the password check before it is told to retry.
const PASSWORD_CHECK_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

fn me_of(staff_id: i64, account: &crate::store::Account) -> StaffMe {
    StaffMe {
        id: staff_id,
        login: account.login.clone(),
        grant: account.grant.clone(),
        totp_enabled: account.totp_secret.is_some(),
    }
}

async fn login(
    State(state): State<AppState>,
    client: ClientAddr,
    headers: HeaderMap,
    request: WriteRequest<LoginRequest>,
) -> AppResult<Response> {
    let now = now_unix();
    let login = model::staff::parse_login(&request.body.login).map_err(|_| AppError::WrongLogin)?;
    let client = client.key();
    let device = hex(&login);
    // A browser that logged in as this login before answers to its own limit only:
    // strangers guessing the login, or sharing the address, cannot lock its owner out.
    let known_device = cookie(&headers, DEVICE_COOKIE)
        .and_then(|t| token::verify_for(&state.secret, DEVICE_PURPOSE, &t, now))
        .is_some_and(|subject| subject == device);
    let mut limits = vec![(format!("pair:{login}|{client}"), FREE_PER_LOGIN_AND_CLIENT)];
    if !known_device {
        limits.push((format!("client:{client}"), FREE_PER_CLIENT));
        limits.push((format!("login:{login}"), FREE_PER_LOGIN));
    }
    // At most a few argon2 checks at once (each takes ~19 MiB and a core for tens of
    // milliseconds): a flood of logins cannot take the server's memory or CPU.
    let _permit = tokio::time::timeout(PASSWORD_CHECK_WAIT, state.password_checks.acquire())
        .await
        .map_err(|_| AppError::RateLimited)?
        .map_err(|e| AppError::Internal(e.to_string()))?;
    if let Some(wait) = state.store.login_attempt(&limits, now).await? {
        return Err(AppError::LoginThrottled(wait));
    }
    let account = state.store.account_by_login(&login).await?;
    let stored = account.as_ref().map_or_else(
        || passwords::DECOY_HASH.clone(),
        |a| a.password_hash.clone(),
    );
    let password = request.body.password;
    // argon2 takes tens of milliseconds of CPU: off the async threads.
    let matches = tokio::task::spawn_blocking(move || passwords::verify(&password, &stored))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let account = match account {
        Some(a) if matches && !a.disabled => a,
        _ => {
            return Err(AppError::WrongLogin);
        }
    };
    if let Some(secret) = &account.totp_secret {
        // The password was right; without the code, say what is missing.
        let Some(otp) = request.body.otp.as_deref().filter(|o| !o.trim().is_empty()) else {
            return Err(AppError::SecondFactorRequired);
        };
        let step = second_factor::matching_step(secret, &account.login, otp, now as u64);
        let fresh = match step {
            Some(step) => state.store.use_totp_step(account.id, step).await?,
            None => false,
        };
        if !fresh {
            return Err(AppError::WrongLogin);
        }
    }
    state.store.login_succeeded(&limits).await?;
    let token = session_token();
    state
        .store
        .start_session(account.id, &crate::secret::sha256_hex(&token), now)
        .await?;
    let actor = crate::store::Actor {
        id: account.id,
        login: account.login.clone(),
        client,
    };
    state
        .store
        .audit(&actor, "session.login", format!("account:{}", account.id))
        .await?;
    let cookie = format!(
        "{COOKIE}={token}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age={SESSION_ABSOLUTE_SECS}"
    );
    let device_token = token::sign_for(
        &state.secret,
        DEVICE_PURPOSE,
        &device,
        now + DEVICE_LIFETIME_SECS,
    );
    let device_cookie = format!(
        "{DEVICE_COOKIE}={device_token}; Path=/; HttpOnly; Secure; SameSite=Strict; \
         Max-Age={DEVICE_LIFETIME_SECS}"
    );
    let mut response = Json(me_of(account.id, &account)).into_response();
    for c in [cookie, device_cookie] {
        response.headers_mut().append(
            header::SET_COOKIE,
            HeaderValue::from_str(&c).map_err(|e| AppError::Internal(e.to_string()))?,
        );
    }
    Ok(response)
}

/// What a device cookie is signed for, and how long it is good.
const DEVICE_PURPOSE: &str = "staff-device";
const DEVICE_LIFETIME_SECS: i64 = 180 * 86_400;

/// A login as a token's subject (logins may hold dots, which tokens use as separators).
fn hex(login: &str) -> String {
    login.bytes().map(|b| format!("{b:02x}")).collect()
}

/// 32 random bytes, hex: unguessable, and safe in a cookie.
fn session_token() -> String {
    rand::random::<[u8; 32]>()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn cleared_cookie() -> HeaderValue {
    HeaderValue::from_str(&format!(
        "{COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0"
    ))
    .expect("a plain header value")
}

/// 204, and the browser forgets the cookie.
fn logged_out() -> Response {
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, cleared_cookie());
    response
}

async fn logout(State(state): State<AppState>, staff: Staff) -> AppResult<Response> {
    state
        .store
        .end_session(&staff.token_hash, now_unix())
        .await?;
    state
        .store
        .audit(
            &staff.actor,
            "session.logout",
            format!("account:{}", staff.actor.id),
        )
        .await?;
    Ok(logged_out())
}

async fn end_all(State(state): State<AppState>, staff: Staff) -> AppResult<Response> {
    state
        .store
        .end_all_sessions(&staff.actor, now_unix())
        .await?;
    Ok(logged_out())
}

async fn me(staff: Staff) -> Json<StaffMe> {
    Json(me_of(staff.account.id, &staff.account))
}

/// A new secret for the account's authenticator app; it counts once a code confirms it.
async fn start_second_factor(
    State(state): State<AppState>,
    staff: Staff,
) -> AppResult<Json<SecondFactorSetup>> {
    if staff.account.totp_secret.is_some() {
        return Err(AppError::WrongStatus);
    }
    let secret = second_factor::new_secret();
    let otpauth_url = second_factor::otpauth_url(&secret, &staff.account.login)
        .ok_or_else(|| AppError::Internal("otpauth url".into()))?;
    state
        .store
        .set_totp_pending(staff.account.id, &secret)
        .await?;
    let subject = format!("account:{}", staff.actor.id);
    state
        .store
        .audit(&staff.actor, "second_factor.start", subject)
        .await?;
    Ok(Json(SecondFactorSetup {
        secret,
        otpauth_url,
    }))
}

/// A code from the app confirms the secret. Every session ends (this one too): the next
/// login takes password and code.
async fn confirm_second_factor(
    State(state): State<AppState>,
    staff: Staff,
    request: WriteRequest<OneTimePassword>,
) -> AppResult<Response> {
    let pending = staff
        .account
        .totp_pending
        .as_deref()
        .ok_or(AppError::WrongStatus)?;
    let now = now_unix();
    let step =
        second_factor::matching_step(pending, &staff.account.login, &request.body.otp, now as u64)
            .ok_or_else(|| {
                AppError::Validation(model::FieldErrors::from([(
                    "otp".to_string(),
                    model::FieldError::Invalid,
                )]))
            })?;
    state.store.confirm_totp(&staff.actor, step, now).await?;
    Ok(logged_out())
}
