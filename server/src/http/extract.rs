//! Extractors that answer bad input with the API's error shape instead of axum's plain
//! text.

use crate::error::AppError;
use crate::store::IdempotencyKey;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, FromRequestParts, Path, Request};
use axum::http::{StatusCode, header, request::Parts};
use serde::de::DeserializeOwned;

/// A path parameter; one that does not parse names nothing that exists: 404.
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(v)| ApiPath(v))
            .map_err(|_| AppError::NotFound)
    }
}

/// The body of a write: JSON of type `T`, and the request's `Idempotency-Key` if it sent
/// one, fingerprinted with the exact bytes received.
pub struct WriteRequest<T> {
    pub body: T,
    pub key: Option<IdempotencyKey>,
}

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for WriteRequest<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.trim_start()
                    .to_ascii_lowercase()
                    .starts_with("application/json")
            });
        if !is_json {
            return Err(AppError::UnsupportedMediaType);
        }
        let method = req.method().to_string();
        let path = req.uri().path().to_string();
        let key_header = req
            .headers()
            .get("idempotency-key")
            .map(|v| v.to_str().map(str::to_owned));
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|e: BytesRejection| {
                if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                    AppError::PayloadTooLarge
                } else {
                    AppError::MalformedBody("could not read the body".into())
                }
            })?;
        let key = match key_header {
            None => None,
            Some(Ok(k)) => Some(IdempotencyKey::new(&k, &method, &path, &bytes)?),
            Some(Err(_)) => return Err(AppError::InvalidIdempotencyKey),
        };
        let body =
            serde_json::from_slice(&bytes).map_err(|e| AppError::MalformedBody(e.to_string()))?;
        Ok(Self { body, key })
    }
}
