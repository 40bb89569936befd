//! Reminders as staff see them: per event and project, how many went out, failed or were
//! turned off, what goes next, and who came among those reminded and not; and the time of
//! the evening reminder, which the event's organiser or the project's office chooses.

use super::Staff;
use crate::AppState;
use crate::error::AppResult;
use crate::http::extract::{ApiPath, WriteRequest};
use crate::reminders::upcoming;
use crate::store::{REMINDER_HORIZON_SECS, ReminderSubject, SubjectOutcomes, now_unix};
use axum::extract::State;
use axum::routing::{get, put};
use axum::{Json, Router};
use model::reminder::{ReminderFigures, ReminderSetting};
use model::{EventAccess, ProjectAccess};
use std::collections::{BTreeMap, HashMap};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/reminders", get(figures))
        .route("/staff/events/{id}/reminders", put(set_event_time))
        .route("/staff/projects/{id}/reminders", put(set_project_time))
}

/// Events stay on the figures this long after they end (their no-shows are the point).
const FIGURES_PAST_SECS: i64 = 60 * 86_400;

impl Staff {
    /// Whether the account sees this subject's reminders (anyone who works at its door).
    fn sees(&self, subject: ReminderSubject, town: Option<model::Town>) -> bool {
        let grant = &self.account.grant;
        match (subject, town) {
            (ReminderSubject::Event(id), Some(town)) => {
                grant.event_access(Some(id), town) >= EventAccess::CheckIn
            }
            (ReminderSubject::Project(id), _) => grant.project_access(id) >= ProjectAccess::CheckIn,
            (ReminderSubject::Event(_), None) => grant.is_admin(),
        }
    }
}

async fn figures(
    State(state): State<AppState>,
    staff: Staff,
) -> AppResult<Json<Vec<ReminderFigures>>> {
    let now = now_unix();
    let subjects = state
        .store
        .reminder_subjects(now - FIGURES_PAST_SECS)
        .await?;
    let mut outcomes: HashMap<String, SubjectOutcomes> = state
        .store
        .reminder_outcomes(now)
        .await?
        .into_iter()
        .map(|o| (o.subject.clone(), o))
        .collect();
    // The next reminders of each subject: the earliest due time, and how many share it.
    let mut next: BTreeMap<String, (model::BeijingTime, u32)> = BTreeMap::new();
    for c in state
        .store
        .reminder_candidates(now, now + REMINDER_HORIZON_SECS)
        .await?
    {
        for due in upcoming(&c, now) {
            let entry = next.entry(c.subject.clone()).or_insert((due, 0));
            if due < entry.0 {
                *entry = (due, 1);
            } else if due == entry.0 {
                entry.1 += 1;
            }
        }
    }
    let list = subjects
        .into_iter()
        .filter(|s| staff.sees(s.subject, s.town))
        .filter_map(|s| {
            let key = s.subject.to_string();
            let o = outcomes.remove(&key).unwrap_or_default();
            let due = next.get(&key).copied();
            // A project nobody booked and nothing reminded says nothing.
            let empty = o == SubjectOutcomes::default() && due.is_none();
            (!empty || matches!(s.subject, ReminderSubject::Event(_))).then(|| ReminderFigures {
                subject: key,
                name: s.name,
                starts_at: s.starts_at,
                evening_at: s.evening,
                sent: o.sent,
                failed: o.failed,
                waiting: o.waiting,
                turned_off: o.turned_off,
                next_due_at: due.map(|d| d.0),
                next_due: due.map_or(0, |d| d.1),
                came_reminded: o.came_reminded,
                missed_reminded: o.missed_reminded,
                came_unreminded: o.came_unreminded,
                missed_unreminded: o.missed_unreminded,
            })
        })
        .collect();
    Ok(Json(list))
}

async fn set_time(
    state: &AppState,
    staff: &Staff,
    subject: ReminderSubject,
    setting: ReminderSetting,
) -> AppResult<Json<ReminderSetting>> {
    let evening_at = state
        .store
        .set_reminder_time(subject, setting.evening_at, &staff.actor, now_unix())
        .await?;
    Ok(Json(ReminderSetting { evening_at }))
}

async fn set_event_time(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
    request: WriteRequest<ReminderSetting>,
) -> AppResult<Json<ReminderSetting>> {
    let event = state.store.staff_event(id).await?;
    staff.require_event(&event, EventAccess::Manage)?;
    set_time(&state, &staff, ReminderSubject::Event(id), request.body).await
}

async fn set_project_time(
    State(state): State<AppState>,
    staff: Staff,
    ApiPath(id): ApiPath<i64>,
    request: WriteRequest<ReminderSetting>,
) -> AppResult<Json<ReminderSetting>> {
    staff.require_project(id, ProjectAccess::Manage)?;
    set_time(&state, &staff, ReminderSubject::Project(id), request.body).await
}
