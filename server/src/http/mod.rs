//! The JSON API: one router per resource, merged here with the limits every request meets.

pub mod cache;
mod events;
mod extract;
mod health;
mod inspections;
pub mod rate_limit;
mod registrations;
mod surveys;

use crate::AppState;
use crate::error::AppError;
use axum::Router;
use axum::extract::DefaultBodyLimit;
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
        .merge(surveys::router())
        .fallback(|| async { AppError::NotFound })
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            rate_limit::limit_writes,
        ))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(15),
        ))
        .layer(CompressionLayer::new().quality(CompressionLevel::Fastest))
        .with_state(state)
}
