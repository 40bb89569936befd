//! Turning reminders off (or on again): from the link in a reminder, for that sign-up or
//! visit or for the whole phone; and from 我的, for a phone this device proved.

use super::extract::{ApiPath, WriteRequest};
use super::registrations::phone_field;
use super::verifications::PhoneProof;
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::reminders::{phone_key, read_link_token};
use crate::store::now_unix;
use axum::extract::State;
use axum::routing::{get, post};
use axum::{Json, Router};
use model::reminder::{
    PhoneReminders, PhoneRemindersState, ReminderItem, ReminderLink, ReminderSwitch,
};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/reminders/phone", post(phone_switch))
        .route("/reminders/{token}", get(link).post(link_switch))
}

/// The item a link's token names; anything the server did not sign is 404.
fn linked(state: &AppState, token: &str) -> AppResult<(ReminderItem, i64)> {
    read_link_token(&state.secret, token, now_unix()).ok_or(AppError::NotFound)
}

async fn describe(state: &AppState, item: ReminderItem, id: i64) -> AppResult<ReminderLink> {
    let (title, starts_at, phone, item_off) = state.store.reminder_item(item, id).await?;
    let phone_off = state
        .store
        .reminders_off_for_phone(&phone_key(&state.secret, &phone))
        .await?;
    Ok(ReminderLink {
        item,
        title,
        starts_at,
        item_off,
        phone_off,
    })
}

async fn link(
    State(state): State<AppState>,
    ApiPath(token): ApiPath<String>,
) -> AppResult<Json<ReminderLink>> {
    let (item, id) = linked(&state, &token)?;
    Ok(Json(describe(&state, item, id).await?))
}

/// The link is the proof: it reached the phone the reminder went to.
async fn link_switch(
    State(state): State<AppState>,
    ApiPath(token): ApiPath<String>,
    request: WriteRequest<ReminderSwitch>,
) -> AppResult<Json<ReminderLink>> {
    let (item, id) = linked(&state, &token)?;
    let switch = request.body;
    if switch.whole_phone {
        let (_, _, phone, _) = state.store.reminder_item(item, id).await?;
        state
            .store
            .set_phone_reminders(&phone_key(&state.secret, &phone), switch.on, now_unix())
            .await?;
    } else {
        state.store.set_item_reminders(item, id, switch.on).await?;
    }
    Ok(Json(describe(&state, item, id).await?))
}

/// Reads, or with `on` sets, whether the phone gets reminders. Only for a phone this
/// device proved, even where verification is off: nobody silences another's phone.
async fn phone_switch(
    State(state): State<AppState>,
    proof: PhoneProof,
    request: WriteRequest<PhoneReminders>,
) -> AppResult<Json<PhoneRemindersState>> {
    let phone = phone_field(&request.body.phone)?;
    if !proof.proves(&phone) {
        return Err(AppError::VerificationRequired);
    }
    let key = phone_key(&state.secret, phone.as_str());
    if let Some(on) = request.body.on {
        state
            .store
            .set_phone_reminders(&key, on, now_unix())
            .await?;
    }
    Ok(Json(PhoneRemindersState {
        on: !state.store.reminders_off_for_phone(&key).await?,
    }))
}
