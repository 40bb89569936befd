//! The year in numbers for the office's annual report: the figures, the organisations
//! behind them, and both as one workbook. Admins read the district and every town;
//! organisers the towns they run, one at a time; nobody else.

use super::{Staff, year_export};
use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::store::now_unix;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use axum::routing::get;
use axum::{Json, Router};
use model::{BeijingTime, OrganisationYear, Town, YearFigures, YearRange};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/year", get(figures))
        .route("/staff/year/organisations", get(organisations))
        .route("/staff/year.xlsx", get(workbook))
}

#[derive(Deserialize)]
struct YearQuery {
    /// First day, `2026-01-01` (Beijing); the calendar year's first by default.
    from: Option<String>,
    /// Last day, inclusive; today by default.
    to: Option<String>,
    /// A town's slug; none for the whole district.
    town: Option<String>,
}

impl Staff {
    /// The range and town asked for, if the account may read them: a role that reads no
    /// figures is refused before its query is looked at.
    fn year_scope(&self, query: Option<&str>) -> AppResult<(YearRange, Option<Town>)> {
        let grant = &self.account.grant;
        if grant.year_towns().is_empty() {
            return Err(AppError::Forbidden);
        }
        let q: YearQuery = serde_urlencoded::from_str(query.unwrap_or_default())
            .map_err(|_| AppError::InvalidQuery("query"))?;
        let town = match q.town.as_deref().filter(|t| !t.is_empty()) {
            None => None,
            Some(slug) => Some(Town::from_slug(slug).ok_or(AppError::InvalidQuery("town"))?),
        };
        let today = BeijingTime::from_unix(now_unix()).date();
        let range = YearRange::parse(q.from.as_deref(), q.to.as_deref(), today)
            .map_err(|problem| AppError::InvalidQuery(problem.parameter()))?;
        if !grant.sees_year(town) {
            return Err(AppError::Forbidden);
        }
        Ok((range, town))
    }
}

async fn figures(
    State(state): State<AppState>,
    staff: Staff,
    RawQuery(query): RawQuery,
) -> AppResult<Json<YearFigures>> {
    let (range, town) = staff.year_scope(query.as_deref())?;
    Ok(Json(
        state
            .store
            .year_figures(
                range,
                town,
                now_unix(),
                staff.account.grant.works_on_surveys(),
            )
            .await?,
    ))
}

async fn organisations(
    State(state): State<AppState>,
    staff: Staff,
    RawQuery(query): RawQuery,
) -> AppResult<Json<Vec<OrganisationYear>>> {
    let (range, town) = staff.year_scope(query.as_deref())?;
    Ok(Json(
        state
            .store
            .year_organisations(range, town, now_unix())
            .await?,
    ))
}

async fn workbook(
    State(state): State<AppState>,
    staff: Staff,
    RawQuery(query): RawQuery,
) -> AppResult<Response> {
    let (range, town) = staff.year_scope(query.as_deref())?;
    let now = now_unix();
    let live = staff.account.grant.works_on_surveys();
    let figures = state.store.year_figures(range, town, now, live).await?;
    let organisations = state.store.year_organisations(range, town, now).await?;
    year_export::xlsx(&figures, &organisations)
}
