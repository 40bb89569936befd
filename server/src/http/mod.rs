//! The JSON API: one router per resource, merged here with the limits every request meets.

pub mod cache;
mod calendar;
pub mod client;
mod code_guard;
mod defects;
pub(crate) mod events;
mod extract;
mod health;
mod inspections;
pub mod photos;
pub mod rate_limit;
mod registrations;
mod reminders;
pub(crate) mod revalidate;
mod staff;
mod surveys;
pub mod verifications;

use crate::AppState;
use crate::error::AppError;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::{HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::Response;
use std::time::Duration;
use tower_http::compression::{CompressionLayer, CompressionLevel};
use tower_http::timeout::TimeoutLayer;

/// Largest request body we read.
pub const BODY_LIMIT: usize = 64 * 1024;

pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(health::router())
        .merge(events::router())
        .merge(registrations::router())
        .merge(inspections::router())
        .merge(defects::router())
        .merge(photos::router())
        .merge(surveys::router())
        .merge(verifications::router())
        .merge(calendar::router())
        .merge(reminders::router())
        .merge(staff::router(state.clone()))
        .fallback(|| async { AppError::NotFound })
        .layer(axum::middleware::from_fn(never_store_writes))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            rate_limit::limit_writes,
        ))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(15),
        ))
        .layer(axum::middleware::from_fn(request_span))
        .layer(CompressionLayer::new().quality(CompressionLevel::Fastest))
        .with_state(state)
}

/// The value of cookie `name`, if the request carries it.
pub(crate) fn cookie(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value.to_string())
}

/// The header that names a request, in the answer and in support calls.
const REQUEST_ID: &str = "x-request-id";

/// Every request gets an id of our own (one the client sent is dropped: nobody writes our
/// log's keys). Everything logged while answering (a 5xx's "request failed" too) is in a
/// span with that id, the method and the route as declared (`/api/inspections/bookings/
/// {code}`, never a code or a query), and the answer carries the id in `X-Request-Id`.
pub(crate) async fn request_span(mut request: Request, next: Next) -> Response {
    use tracing::Instrument;
    let id = format!("{:016x}", rand::random::<u64>());
    let route = request
        .extensions()
        .get::<axum::extract::MatchedPath>()
        .map_or_else(|| "(no route)".to_string(), |p| p.as_str().to_string());
    let span = tracing::info_span!("request", id = %id, method = %request.method(), route = %route);
    request.headers_mut().remove(REQUEST_ID);
    let mut response = next.run(request).instrument(span).await;
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    response
}

/// Every write's answer names a person (a sign-up, a booking, a phone token) or says
/// whether one exists, and every staff answer is for one staff member: no browser, proxy
/// or shared cache may keep them. Public reads set their own rules.
async fn never_store_writes(request: Request, next: Next) -> Response {
    // Staff reads carry names and lists: no browser of a shared office PC keeps them.
    let path = request.uri().path();
    let staff = path.starts_with("/staff/") || path.starts_with("/api/staff/");
    let write = staff || !matches!(*request.method(), Method::GET | Method::HEAD);
    let mut response = next.run(request).await;
    if write {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}
