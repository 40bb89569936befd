//! Reminders: what is due, each decided once (the unique row in `reminders`), the
//! promotion notice, and who turned reminders off. The staff's side (the time of day,
//! the figures) is in `reminder_figures`.

use super::Store;
use super::notifications::{queue_sms, queue_sms_until};
use crate::error::{AppError, AppResult};
use model::reminder::{ReminderItem, ReminderKind, ReminderTime};
use model::{BeijingTime, Localized};
use sqlx::{Any, Transaction};
use std::collections::HashSet;

type Tx = Transaction<'static, Any>;

/// How far ahead the worker and the staff's "due next" look.
pub const REMINDER_HORIZON_SECS: i64 = 14 * 86_400;

/// A sign-up or a visit that may still need a reminder.
#[derive(Debug, Clone)]
pub struct ReminderCandidate {
    pub item: ReminderItem,
    pub item_id: i64,
    /// `event:12` or `project:3`: whose figures it counts in.
    pub subject: String,
    pub code: String,
    pub phone: String,
    /// When the item got its place or its time (a sign-up promoted from the waitlist, a
    /// visit moved): one made after its reminder was due needs none.
    pub made_at: BeijingTime,
    pub starts_at: BeijingTime,
    pub evening: ReminderTime,
    pub title: Localized,
    pub place: Localized,
    /// Kinds already decided for this start.
    pub done: Vec<ReminderKind>,
}

impl ReminderCandidate {
    /// The kinds this item is reminded with: visits also two hours before.
    pub fn kinds(&self) -> &'static [ReminderKind] {
        match self.item {
            ReminderItem::Registration => &[ReminderKind::DayBefore],
            ReminderItem::Booking => &[ReminderKind::DayBefore, ReminderKind::TwoHours],
        }
    }
}

type CandidateRow = (
    i64,
    i64,
    String,
    String,
    i64,
    i64,
    i64,
    String,
    String,
    String,
    String,
);

/// What one reminder turned out to be, as `reminders.outcome` says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decided {
    Queued,
    TurnedOff,
    /// Another worker decided it first, or the item was cancelled meanwhile.
    Nothing,
}

impl Store {
    /// Active sign-ups and visits starting between `now` and `until`, with reminders on
    /// for the item (the phone's wish is the caller's to check: it is kept hashed).
    pub async fn reminder_candidates(
        &self,
        now: i64,
        until: i64,
    ) -> AppResult<Vec<ReminderCandidate>> {
        let registrations: Vec<CandidateRow> = sqlx::query_as(
            "SELECT r.id, e.id, r.code, r.phone, r.updated_at, e.starts_at, e.reminder_minute, \
                    e.title_zh, e.title_en, e.venue_zh, e.venue_en \
             FROM registrations r JOIN events e ON e.id = r.event_id \
             WHERE r.status = 'registered' AND r.reminders_off = 0 AND r.checked_in_at IS NULL \
               AND e.status = 'published' AND e.starts_at > $1 AND e.starts_at <= $2 \
             ORDER BY e.starts_at, r.id",
        )
        .bind(now)
        .bind(until)
        .fetch_all(&self.pool)
        .await?;
        let bookings: Vec<CandidateRow> = sqlx::query_as(
            "SELECT b.id, p.id, b.code, b.phone, b.updated_at, s.starts_at, p.reminder_minute, \
                    p.name_zh, p.name_en, p.address_zh, p.address_en \
             FROM bookings b JOIN slots s ON s.id = b.slot_id JOIN projects p ON p.id = b.project_id \
             WHERE b.status = 'confirmed' AND b.reminders_off = 0 \
               AND s.starts_at > $1 AND s.starts_at <= $2 \
             ORDER BY s.starts_at, b.id",
        )
        .bind(now)
        .bind(until)
        .fetch_all(&self.pool)
        .await?;
        let decided: Vec<(String, i64, String, i64)> = sqlx::query_as(
            "SELECT item, item_id, kind, for_start FROM reminders WHERE for_start > $1",
        )
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        let decided: HashSet<(String, i64, String, i64)> = decided.into_iter().collect();
        let rows = registrations
            .into_iter()
            .map(|r| (ReminderItem::Registration, "event", r))
            .chain(
                bookings
                    .into_iter()
                    .map(|r| (ReminderItem::Booking, "project", r)),
            );
        Ok(rows
            .map(|(item, subject, r)| {
                let done = ReminderKind::ALL
                    .iter()
                    .copied()
                    .filter(|k| {
                        decided.contains(&(item.as_str().to_string(), r.0, k.as_str().into(), r.5))
                    })
                    .collect();
                ReminderCandidate {
                    item,
                    item_id: r.0,
                    subject: format!("{subject}:{}", r.1),
                    code: r.2,
                    phone: r.3,
                    made_at: BeijingTime::from_unix(r.4),
                    starts_at: BeijingTime::from_unix(r.5),
                    evening: ReminderTime::from_minutes(r.6),
                    title: Localized { zh: r.7, en: r.8 },
                    place: Localized { zh: r.9, en: r.10 },
                    done,
                }
            })
            .collect())
    }

    /// Decides one reminder: queues `sms` (or records that the phone turned reminders off,
    /// when `sms` is `None`), once. The unique row is taken first, in the message's
    /// transaction, and only while the item is still active with reminders on: a second
    /// worker, or a cancellation that came first, leaves nothing to send.
    pub async fn decide_reminder(
        &self,
        c: &ReminderCandidate,
        kind: ReminderKind,
        sms: Option<&str>,
        now: i64,
    ) -> AppResult<Decided> {
        let still_active = match c.item {
            // Still this start: an event cancelled or moved, a visit moved, meanwhile is not
            // reminded of a time that no longer holds.
            ReminderItem::Registration => {
                "EXISTS (SELECT 1 FROM registrations r JOIN events e ON e.id = r.event_id \
                 WHERE r.id = $2 AND r.status = 'registered' AND r.reminders_off = 0 \
                 AND e.status = 'published' AND e.starts_at = $4)"
            }
            ReminderItem::Booking => {
                "EXISTS (SELECT 1 FROM bookings b JOIN slots s ON s.id = b.slot_id \
                 WHERE b.id = $2 AND b.status = 'confirmed' AND b.reminders_off = 0 \
                 AND s.starts_at = $4)"
            }
        };
        let mut tx = self.pool.begin().await?;
        let outcome = if sms.is_some() {
            "queued"
        } else {
            "turned_off"
        };
        let id: Option<(i64,)> = sqlx::query_as(&format!(
            "INSERT INTO reminders (item, item_id, kind, for_start, outcome, created_at) \
             SELECT $1, $2, $3, $4, $5, $6 WHERE {still_active} \
             ON CONFLICT (item, item_id, kind, for_start) DO NOTHING RETURNING id"
        ))
        .bind(c.item.as_str())
        .bind(c.item_id)
        .bind(kind.as_str())
        .bind(c.starts_at.unix())
        .bind(outcome)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((id,)) = id else {
            return Ok(Decided::Nothing);
        };
        let Some(sms) = sms else {
            tx.commit().await?;
            return Ok(Decided::TurnedOff);
        };
        let send_before = kind.send_before(c.starts_at, BeijingTime::from_unix(now));
        let message =
            queue_sms_until(&mut tx, &c.phone, sms, now, Some(send_before.unix())).await?;
        sqlx::query("UPDATE reminders SET notification_id = $1 WHERE id = $2")
            .bind(message)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(Decided::Queued)
    }

    /// Whether the phone (by its keyed hash) asked for no reminders.
    pub async fn reminders_off_for_phone(&self, phone_key: &str) -> AppResult<bool> {
        let row: Option<(i64,)> =
            sqlx::query_as("SELECT 1 FROM reminder_optouts WHERE phone_key = $1")
                .bind(phone_key)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.is_some())
    }

    pub async fn set_phone_reminders(&self, phone_key: &str, on: bool, now: i64) -> AppResult<()> {
        if on {
            sqlx::query("DELETE FROM reminder_optouts WHERE phone_key = $1")
                .bind(phone_key)
                .execute(&self.pool)
                .await?;
        } else {
            sqlx::query(
                "INSERT INTO reminder_optouts (phone_key, at) VALUES ($1, $2) \
                 ON CONFLICT (phone_key) DO NOTHING",
            )
            .bind(phone_key)
            .bind(now)
            .execute(&self.pool)
            .await?;
        }
        Ok(())
    }

    /// What a reminder's link is about: title, start, phone, and whether its reminders are
    /// off. Cancelled items are still found (the link may be tapped later).
    pub async fn reminder_item(
        &self,
        item: ReminderItem,
        id: i64,
    ) -> AppResult<(Localized, BeijingTime, String, bool)> {
        let sql = match item {
            ReminderItem::Registration => {
                "SELECT e.title_zh, e.title_en, e.starts_at, r.phone, r.reminders_off \
                 FROM registrations r JOIN events e ON e.id = r.event_id WHERE r.id = $1"
            }
            ReminderItem::Booking => {
                "SELECT p.name_zh, p.name_en, s.starts_at, b.phone, b.reminders_off \
                 FROM bookings b JOIN slots s ON s.id = b.slot_id \
                 JOIN projects p ON p.id = b.project_id WHERE b.id = $1"
            }
        };
        let row: Option<(String, String, i64, String, i64)> = sqlx::query_as(sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        let (zh, en, starts, phone, off) = row.ok_or(AppError::NotFound)?;
        Ok((
            Localized { zh, en },
            BeijingTime::from_unix(starts),
            phone,
            off != 0,
        ))
    }

    pub async fn set_item_reminders(&self, item: ReminderItem, id: i64, on: bool) -> AppResult<()> {
        let table = match item {
            ReminderItem::Registration => "registrations",
            ReminderItem::Booking => "bookings",
        };
        sqlx::query(&format!(
            "UPDATE {table} SET reminders_off = $1 WHERE id = $2"
        ))
        .bind(i64::from(!on))
        .bind(id)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

/// Tells a waitlisted person at once that they got a place (in the promotion's
/// transaction; the unique row keeps it to one notice per sign-up and start).
pub(super) async fn notify_promoted(tx: &mut Tx, registration_id: i64, now: i64) -> AppResult<()> {
    let (code, phone, title, starts_at): (String, String, String, i64) = sqlx::query_as(
        "SELECT r.code, r.phone, e.title_zh, e.starts_at FROM registrations r \
         JOIN events e ON e.id = r.event_id WHERE r.id = $1",
    )
    .bind(registration_id)
    .fetch_one(&mut **tx)
    .await?;
    // A place freed once the event has begun is no news worth a text.
    if starts_at <= now {
        return Ok(());
    }
    let inserted: Option<(i64,)> = sqlx::query_as(
        "INSERT INTO reminders (item, item_id, kind, for_start, outcome, created_at) \
         VALUES ('registration', $1, 'promoted', $2, 'queued', $3) \
         ON CONFLICT (item, item_id, kind, for_start) DO NOTHING RETURNING id",
    )
    .bind(registration_id)
    .bind(starts_at)
    .bind(now)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((id,)) = inserted else {
        return Ok(());
    };
    let when = BeijingTime::from_unix(starts_at).civil();
    let body = format!(
        "【奉贤质量月】好消息：您候补的“{title}”（{}月{}日 {:02}:{:02}）有了名额，已为您正式报名，\
         报名码 {code}。如不能参加，请在“我的”中取消，把名额留给他人。",
        when.date.month, when.date.day, when.hour, when.minute
    );
    let message = queue_sms(tx, &phone, &body, now).await?;
    sqlx::query("UPDATE reminders SET notification_id = $1 WHERE id = $2")
        .bind(message)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The outcome of a reminder's message, when the worker knows it.
pub(super) async fn message_outcome(
    pool: &sqlx::AnyPool,
    notification_id: i64,
    outcome: &str,
) -> AppResult<()> {
    sqlx::query("UPDATE reminders SET outcome = $1 WHERE notification_id = $2")
        .bind(outcome)
        .bind(notification_id)
        .execute(pool)
        .await?;
    Ok(())
}
