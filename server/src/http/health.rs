use crate::AppState;
use crate::error::AppResult;
use axum::extract::State;
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};

/// The API's own description, kept beside the routes it describes.
const OPENAPI: &str = include_str!("../../openapi.json");

pub fn router() -> Router<AppState> {
    Router::new().route("/health", get(health)).route(
        "/openapi.json",
        get(|| async { ([(header::CONTENT_TYPE, "application/json")], OPENAPI) }),
    )
}

async fn health(State(state): State<AppState>) -> AppResult<impl IntoResponse> {
    state.store.ping().await?;
    Ok(Json(
        serde_json::json!({ "status": "ok", "database": "ok" }),
    ))
}
