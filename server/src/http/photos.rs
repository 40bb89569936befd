//! Defect photos over HTTP: kept on arrival (cleaned, see `projects::photos`), and served
//! only through addresses signed for this photo, which the API hands to the buyer of the
//! flat and to the project's staff with the defect. An address works for eight days at most;
//! it changes once a day, so a browser can cache a photo for that day.

use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::projects::photos::{self, CleanPhoto, PhotoError};
use crate::store::{Replayable, now_unix};
use crate::verification::token::{sign_for, verify_for};
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use model::defect::{Defect, MAX_PHOTOS};
use model::{FieldError, FieldErrors};
use serde::Deserialize;

/// Three photos of at most 5 MB, base64, and the rest of the defect.
pub const PHOTOS_BODY_LIMIT: usize =
    MAX_PHOTOS * model::defect::MAX_PHOTO_BYTES / 3 * 4 + 64 * 1024;

const PURPOSE: &str = "defect-photo";
const DAY: i64 = 86_400;

pub fn router() -> Router<AppState> {
    Router::new().route("/photos/{id}", get(photo))
}

/// Photos written to the folder for a write that has not happened yet.
pub struct KeptPhotos {
    ids: Vec<String>,
}

impl KeptPhotos {
    pub fn ids(&self) -> Vec<String> {
        self.ids.clone()
    }

    /// After the write: its files stay only if it happened now (not refused, not a
    /// replay whose first run kept its own).
    pub async fn settle(
        self,
        state: &AppState,
        result: AppResult<Replayable<Defect>>,
    ) -> AppResult<Replayable<Defect>> {
        if !matches!(&result, Ok(r) if !r.replayed) {
            state
                .photos
                .remove(self.ids.iter().map(String::as_str))
                .await;
        }
        result
    }
}

/// Cleans and stores the photos of a write; a bad one is a validation error on `field`.
pub async fn keep_photos(
    state: &AppState,
    photos: &[String],
    field: &str,
) -> AppResult<KeptPhotos> {
    let mut clean: Vec<CleanPhoto> = Vec::with_capacity(photos.len());
    // Decodes wait their turn: a burst of uploads slows uploads, never the server.
    let _turn = state
        .photo_work
        .acquire()
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?;
    for text in photos {
        let text = text.clone();
        let result = tokio::task::spawn_blocking(move || photos::clean(&text))
            .await
            .map_err(|e| AppError::Internal(e.to_string()))?;
        let photo = result.map_err(|e| {
            let reason = match e {
                PhotoError::TooLarge => FieldError::TooLong,
                PhotoError::NotAPicture => FieldError::Invalid,
            };
            AppError::Validation(FieldErrors::from([(field.to_string(), reason)]))
        })?;
        clean.push(photo);
    }
    state
        .photos
        .write(&clean)
        .await
        .map_err(|e| AppError::Internal(format!("photo folder: {e}")))?;
    Ok(KeptPhotos {
        ids: clean.into_iter().map(|p| p.id).collect(),
    })
}

/// Turns the photo ids of a defect's history into signed addresses, good for a week
/// from the start of the next day (so an address stays the same all day).
pub fn sign_defect(state: &AppState, defect: &mut Defect) {
    let expires = (now_unix() / DAY + 1 + 7) * DAY;
    for step in &mut defect.history {
        for photo in &mut step.photos {
            let token = sign_for(&state.secret, PURPOSE, photo, expires);
            *photo = format!("/api/photos/{photo}?t={token}");
        }
    }
}

pub fn sign_defects(state: &AppState, defects: &mut [Defect]) {
    for d in defects {
        sign_defect(state, d);
    }
}

#[derive(Deserialize)]
struct PhotoQuery {
    #[serde(default)]
    t: String,
}

async fn photo(
    State(state): State<AppState>,
    axum::extract::Path(id): axum::extract::Path<String>,
    Query(query): Query<PhotoQuery>,
) -> AppResult<Response> {
    // Unsigned, altered, expired or signed for another photo: as if there were none.
    if verify_for(&state.secret, PURPOSE, &query.t, now_unix()).as_deref() != Some(id.as_str()) {
        return Err(AppError::NotFound);
    }
    let path = state.photos.path(&id).ok_or(AppError::NotFound)?;
    let bytes = tokio::fs::read(path)
        .await
        .map_err(|_| AppError::NotFound)?;
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("image/jpeg"));
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, max-age=86400"),
    );
    Ok(response)
}
