//! Calendar feeds calendar apps subscribe to: the published events (all, or one town's or
//! kind's, with the events list's own filters), and a phone's own sign-ups and visits
//! behind an unguessable token that 我的 can reset. Both answer `If-None-Match` with 304.

use super::events::parse_filter;
use super::extract::{ApiPath, WriteRequest};
use super::registrations::phone_field;
use super::revalidate::revalidate;
use super::verifications::PhoneProof;
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::ics;
use crate::secret::{keyed, sha256_hex};
use crate::store::now_unix;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, header};
use axum::middleware::from_fn;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use model::reminder::{FeedRequest, PersonalFeed};
use model::{Lang, PhoneNumber};

pub fn router() -> Router<AppState> {
    Router::new()
        // ETag and 304 for the feeds' GETs, never for the POST that makes an address.
        .route(
            "/calendar/events.ics",
            get(events_feed).layer(from_fn(revalidate)),
        )
        .route("/calendar/feeds", post(personal_feed_address))
        .route(
            "/calendar/feeds/{token}",
            get(personal_feed).layer(from_fn(revalidate)),
        )
}

/// Ended events stay in a feed this long, so a calendar keeps the recent past.
const FEED_PAST_SECS: i64 = 30 * 86_400;

fn calendar_answer(body: String, cache: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/calendar; charset=utf-8"),
            (header::CACHE_CONTROL, cache),
        ],
        body,
    )
        .into_response()
}

/// `?town=&category=`, as the events list takes them; `from`/`to` are ignored (a feed
/// follows the campaign as it goes).
async fn events_feed(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> AppResult<Response> {
    let filter = parse_filter(&query.unwrap_or_default())?;
    let events = state
        .store
        .calendar_events(&filter, now_unix() - FEED_PAST_SECS)
        .await?;
    let mut name = String::from("奉贤质量月");
    for part in [
        filter.town.map(|t| t.name(Lang::Zh)),
        filter.category.map(|c| c.name(Lang::Zh)),
    ]
    .into_iter()
    .flatten()
    {
        name.push_str(" · ");
        name.push_str(part);
    }
    let entries: Vec<_> = events
        .iter()
        .map(|e| ics::event_entry(&e.detail, e.revision, e.changed_at))
        .collect();
    Ok(calendar_answer(ics::feed(&name, &entries), "no-cache"))
}

/// A phone's feed token: derived from the phone and its random nonce under the server's
/// secret, so the same address can be shown again until a reset, and none ever returns.
fn feed_token(state: &AppState, phone: &PhoneNumber, nonce: &str) -> String {
    let mac = keyed(
        &state.secret.derive("calendar-feed"),
        &[nonce.as_bytes(), b".", phone.as_str().as_bytes()],
    );
    URL_SAFE_NO_PAD.encode(mac)
}

/// The address of the phone's own feed (made on first ask; a new one with `reset`). Only
/// for a phone this device proved, even where verification is off: the feed lists codes.
async fn personal_feed_address(
    State(state): State<AppState>,
    headers: HeaderMap,
    proof: PhoneProof,
    request: WriteRequest<FeedRequest>,
) -> AppResult<Json<PersonalFeed>> {
    let phone = phone_field(&request.body.phone)?;
    if !proof.proves(&phone) {
        return Err(AppError::VerificationRequired);
    }
    let nonce = match state.store.feed_nonce(&phone).await? {
        Some(nonce) if !request.body.reset => nonce,
        _ => {
            let nonce = URL_SAFE_NO_PAD.encode(rand::random::<[u8; 16]>());
            let token = feed_token(&state, &phone, &nonce);
            state
                .store
                .set_feed(&phone, &nonce, &sha256_hex(&token), now_unix())
                .await?;
            nonce
        }
    };
    let token = feed_token(&state, &phone, &nonce);
    Ok(Json(PersonalFeed {
        url: format!(
            "{}/api/calendar/feeds/{token}.ics",
            state.public_base(&headers)
        ),
    }))
}

async fn personal_feed(
    State(state): State<AppState>,
    ApiPath(token): ApiPath<String>,
) -> AppResult<Response> {
    let token = token.strip_suffix(".ics").ok_or(AppError::NotFound)?;
    let phone = state
        .store
        .feed_phone(&sha256_hex(token))
        .await?
        .ok_or(AppError::NotFound)?;
    let since = now_unix() - FEED_PAST_SECS;
    let events = state
        .store
        .calendar_events_of(phone.as_str(), since)
        .await?;
    let bookings = state.store.bookings_of(&phone, since).await?;
    let mut entries: Vec<_> = events
        .iter()
        .map(|(e, waitlisted, changed_at)| {
            ics::signed_up_entry(
                &e.detail,
                e.revision,
                e.changed_at,
                *waitlisted,
                *changed_at,
            )
        })
        .collect();
    entries.extend(bookings.iter().map(|b| {
        let stamp = b.history.last().map_or(0, |c| c.at.unix());
        ics::booking_entry(b, stamp)
    }));
    Ok(calendar_answer(
        ics::feed("我的质量月 · My Quality Month", &entries),
        "private, no-cache",
    ))
}
