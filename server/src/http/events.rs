use super::extract::ApiPath;
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::ics;
use crate::store::{EventFilter, now_unix};
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::header;
use axum::response::IntoResponse;
use axum::routing::get;
use axum::{Json, Router};
use model::{BeijingDate, BeijingTime, Category, Town};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/events", get(list))
        .route("/events/{id}", get(detail))
        .route("/events/{id}/calendar.ics", get(calendar))
}

/// `?town=&category=&from=&to=`: slugs, and days (`YYYY-MM-DD`, Beijing) or RFC 3339
/// instants. `to` as a day includes that whole day.
pub(super) fn parse_filter(query: &str) -> AppResult<EventFilter> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(query).map_err(|_| AppError::InvalidQuery("query"))?;
    let mut filter = EventFilter::default();
    for (name, value) in pairs {
        if value.is_empty() {
            continue;
        }
        match name.as_str() {
            "town" => {
                filter.town = Some(Town::from_slug(&value).ok_or(AppError::InvalidQuery("town"))?)
            }
            "category" => {
                filter.category =
                    Some(Category::from_slug(&value).ok_or(AppError::InvalidQuery("category"))?)
            }
            "from" => {
                filter.from = Some(parse_bound(&value, 0).ok_or(AppError::InvalidQuery("from"))?)
            }
            "to" => filter.to = Some(parse_bound(&value, 1).ok_or(AppError::InvalidQuery("to"))?),
            _ => {}
        }
    }
    Ok(filter)
}

pub(super) fn parse_bound(value: &str, days_after: i64) -> Option<BeijingTime> {
    BeijingDate::parse(value)
        .map(|d| d.add_days(days_after).start())
        .or_else(|| BeijingTime::parse_rfc3339(value))
}

async fn list(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
) -> AppResult<impl IntoResponse> {
    let body = list_json(&state, query.unwrap_or_default()).await?;
    Ok(([(header::CONTENT_TYPE, "application/json")], body))
}

/// The list for a query, as JSON, from the short-lived cache every instance keeps (the
/// busiest read there is; a page's first paint reads it too).
pub(crate) async fn list_json(state: &AppState, query: String) -> AppResult<Bytes> {
    if let Some(body) = state.event_lists.get(&query) {
        return Ok(body);
    }
    let filter = parse_filter(&query)?;
    let events = state.store.list_events(&filter, now_unix()).await?;
    let body =
        Bytes::from(serde_json::to_vec(&events).map_err(|e| AppError::Internal(e.to_string()))?);
    state.event_lists.put(query, body.clone());
    Ok(body)
}

async fn detail(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<impl IntoResponse> {
    Ok(Json(state.store.event(id).await?))
}

async fn calendar(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> AppResult<impl IntoResponse> {
    let event = state.store.event(id).await?;
    let body = ics::event_calendar(&event, now_unix());
    Ok(ics::attachment(
        &format!("quality-month-event-{id}.ics"),
        body,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_parse_slugs_days_and_instants() {
        let f = parse_filter("town=nanqiao&category=clinic&from=2026-09-12&to=2026-09-13").unwrap();
        assert_eq!(f.town, Some(Town::Nanqiao));
        assert_eq!(f.category, Some(Category::Clinic));
        assert_eq!(f.from.unwrap().to_rfc3339(), "2026-09-12T00:00:00+08:00");
        assert_eq!(f.to.unwrap().to_rfc3339(), "2026-09-14T00:00:00+08:00");
        let f = parse_filter("from=2026-09-12T10%3A00%3A00%2B08%3A00&town=").unwrap();
        assert_eq!(f.from.unwrap().to_rfc3339(), "2026-09-12T10:00:00+08:00");
        assert_eq!(f.town, None);
    }

    #[test]
    fn bad_filters_name_the_parameter() {
        for (q, name) in [
            ("town=atlantis", "town"),
            ("category=x", "category"),
            ("from=tomorrow", "from"),
            ("to=2026-02-30", "to"),
        ] {
            match parse_filter(q) {
                Err(AppError::InvalidQuery(which)) => assert_eq!(which, name),
                other => panic!("{q}: {other:?}"),
            }
        }
    }
}
