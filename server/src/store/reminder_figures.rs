//! Reminders as staff run them: the day-before time per event or project (audited), and
//! the figures per subject: what went out, failed or was turned off, and who came among
//! the people reminded and not.

use super::Store;
use super::audit::{self, Act, Actor};
use crate::error::{AppError, AppResult};
use model::reminder::ReminderTime;
use model::{BeijingTime, Localized, Town};
use serde_json::json;

/// kind, id, name zh/en, start (events), reminder minute, town.
type SubjectTuple = (String, i64, String, String, Option<i64>, i64, String);

impl Store {
    /// The staff's choice of the evening reminder's time, audited.
    pub async fn set_reminder_time(
        &self,
        subject: ReminderSubject,
        evening: ReminderTime,
        actor: &Actor,
        now: i64,
    ) -> AppResult<ReminderTime> {
        let (table, id) = subject.table_and_id();
        let mut tx = self.pool.begin().await?;
        let before: Option<(i64,)> = sqlx::query_as(&format!(
            "UPDATE {table} SET reminder_minute = reminder_minute WHERE id = $1 \
             RETURNING reminder_minute"
        ))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let (before,) = before.ok_or(AppError::NotFound)?;
        sqlx::query(&format!(
            "UPDATE {table} SET reminder_minute = $1 WHERE id = $2"
        ))
        .bind(evening.minutes())
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let act = Act {
            action: "reminders.time",
            subject: subject.to_string(),
            before: Some(json!({ "evening_at": ReminderTime::from_minutes(before).to_string() })),
            after: Some(json!({ "evening_at": evening.to_string() })),
        };
        audit::append(&mut tx, actor, act, now).await?;
        tx.commit().await?;
        Ok(evening)
    }

    /// Events not over before `since` (published or cancelled) and every project: what
    /// the staff's reminder figures are about.
    pub async fn reminder_subjects(&self, since: i64) -> AppResult<Vec<SubjectRow>> {
        let rows: Vec<SubjectTuple> = sqlx::query_as(
            "SELECT 'event', id, title_zh, title_en, starts_at, reminder_minute, town \
             FROM events WHERE status IN ('published', 'cancelled') AND ends_at >= $1 \
             UNION ALL \
             SELECT 'project', id, name_zh, name_en, NULL, reminder_minute, town FROM projects \
             ORDER BY 1, 5, 2",
        )
        .bind(since)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(kind, id, zh, en, starts_at, minute, town)| SubjectRow {
                subject: if kind == "event" {
                    ReminderSubject::Event(id)
                } else {
                    ReminderSubject::Project(id)
                },
                name: Localized { zh, en },
                starts_at: starts_at.map(BeijingTime::from_unix),
                evening: ReminderTime::from_minutes(minute),
                town: Town::from_slug(&town),
            })
            .collect())
    }

    /// How the reminders of each event and project went: by outcome, and who came or
    /// missed among those reminded and not (ended items only).
    pub async fn reminder_outcomes(&self, now: i64) -> AppResult<Vec<SubjectOutcomes>> {
        let outcomes: Vec<(String, i64, String, i64)> = sqlx::query_as(
            "SELECT 'event', r.event_id, m.outcome, COUNT(*) FROM reminders m \
               JOIN registrations r ON m.item = 'registration' AND r.id = m.item_id \
               WHERE m.kind <> 'promoted' GROUP BY r.event_id, m.outcome \
             UNION ALL \
             SELECT 'project', b.project_id, m.outcome, COUNT(*) FROM reminders m \
               JOIN bookings b ON m.item = 'booking' AND b.id = m.item_id \
               GROUP BY b.project_id, m.outcome",
        )
        .fetch_all(&self.pool)
        .await?;
        let reminded = "EXISTS (SELECT 1 FROM reminders m WHERE m.item = $2 AND m.item_id = x.id \
                        AND m.kind <> 'promoted' AND m.outcome = 'sent')";
        let attendance: Vec<(String, i64, i64, i64, i64)> = sqlx::query_as(&format!(
            "SELECT 'event', x.event_id, \
                    CASE WHEN {reminded} THEN 1 ELSE 0 END, \
                    CASE WHEN x.checked_in_at IS NULL THEN 0 ELSE 1 END, COUNT(*) \
             FROM registrations x JOIN events e ON e.id = x.event_id \
             WHERE x.status = 'registered' AND x.walk_in = 0 AND e.status = 'published' \
               AND e.ends_at < $1 \
             GROUP BY x.event_id, 3, 4"
        ))
        .bind(now)
        .bind("registration")
        .fetch_all(&self.pool)
        .await?;
        let visits: Vec<(String, i64, i64, i64, i64)> = sqlx::query_as(&format!(
            "SELECT 'project', x.project_id, \
                    CASE WHEN {reminded} THEN 1 ELSE 0 END, \
                    CASE WHEN x.checked_in_at IS NULL THEN 0 ELSE 1 END, COUNT(*) \
             FROM bookings x JOIN slots s ON s.id = x.slot_id \
             WHERE x.status <> 'cancelled' AND s.ends_at < $1 \
               AND (x.checked_in_at IS NOT NULL OR x.no_show_at IS NOT NULL) \
             GROUP BY x.project_id, 3, 4"
        ))
        .bind(now)
        .bind("booking")
        .fetch_all(&self.pool)
        .await?;
        // Items whose reminders were turned off by their link are never decided: counted
        // here, beside phones that turned them all off.
        let items_off: Vec<(String, i64, i64)> = sqlx::query_as(
            "SELECT 'event', event_id, COUNT(*) FROM registrations \
               WHERE reminders_off = 1 AND status = 'registered' GROUP BY event_id \
             UNION ALL \
             SELECT 'project', project_id, COUNT(*) FROM bookings \
               WHERE reminders_off = 1 AND status <> 'cancelled' GROUP BY project_id",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut by_subject: std::collections::BTreeMap<String, SubjectOutcomes> =
            Default::default();
        for (kind, id, n) in items_off {
            by_subject
                .entry(format!("{kind}:{id}"))
                .or_default()
                .turned_off += u32::try_from(n).unwrap_or(u32::MAX);
        }
        for (kind, id, outcome, n) in outcomes {
            let o = by_subject.entry(format!("{kind}:{id}")).or_default();
            let n = u32::try_from(n).unwrap_or(u32::MAX);
            match outcome.as_str() {
                "sent" => o.sent += n,
                "failed" => o.failed += n,
                "queued" => o.waiting += n,
                _ => o.turned_off += n,
            }
        }
        for (kind, id, reminded, came, n) in attendance.into_iter().chain(visits) {
            let o = by_subject.entry(format!("{kind}:{id}")).or_default();
            let n = u32::try_from(n).unwrap_or(u32::MAX);
            match (reminded != 0, came != 0) {
                (true, true) => o.came_reminded += n,
                (true, false) => o.missed_reminded += n,
                (false, true) => o.came_unreminded += n,
                (false, false) => o.missed_unreminded += n,
            }
        }
        Ok(by_subject
            .into_iter()
            .map(|(subject, o)| SubjectOutcomes { subject, ..o })
            .collect())
    }
}

/// An event or a project, whose reminders staff set and count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReminderSubject {
    Event(i64),
    Project(i64),
}

impl ReminderSubject {
    fn table_and_id(self) -> (&'static str, i64) {
        match self {
            Self::Event(id) => ("events", id),
            Self::Project(id) => ("projects", id),
        }
    }
}

/// `event:12`, `project:3`: as the audit log and the figures name it.
impl std::fmt::Display for ReminderSubject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Event(id) => write!(f, "event:{id}"),
            Self::Project(id) => write!(f, "project:{id}"),
        }
    }
}

/// An event or a project as the reminder figures list it.
#[derive(Debug, Clone)]
pub struct SubjectRow {
    pub subject: ReminderSubject,
    pub name: Localized,
    pub starts_at: Option<BeijingTime>,
    pub evening: ReminderTime,
    pub town: Option<Town>,
}

/// One subject's counts, before names and the schedule are added.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubjectOutcomes {
    pub subject: String,
    pub sent: u32,
    pub failed: u32,
    pub waiting: u32,
    pub turned_off: u32,
    pub came_reminded: u32,
    pub missed_reminded: u32,
    pub came_unreminded: u32,
    pub missed_unreminded: u32,
}
