//! Events: publishing (demo content and tests), listing with filters, detail.

use super::Store;
use crate::error::{AppError, AppResult};
use model::{
    Audience, BeijingTime, Category, EventDetail, EventStatus, EventSummary, Localized, Town,
};

/// An event to publish.
#[derive(Debug, Clone)]
pub struct NewEvent {
    pub category: Category,
    pub town: Town,
    pub title: Localized,
    pub venue: Localized,
    pub address: Localized,
    pub description: Localized,
    pub organiser: Localized,
    pub starts_at: BeijingTime,
    pub ends_at: BeijingTime,
    pub capacity: u32,
    /// Places already taken through other channels (the organiser's own list).
    pub taken: u32,
    pub status: EventStatus,
    pub audience: Audience,
    pub host: Option<Localized>,
}

/// Filters of the public list. `from`/`to` bound the start time: `[from, to)`.
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    pub town: Option<Town>,
    pub category: Option<Category>,
    pub from: Option<BeijingTime>,
    pub to: Option<BeijingTime>,
}

pub(super) const SUMMARY_COLUMNS: &str = "e.id, e.category, e.town, e.title_zh, e.title_en, \
     e.venue_zh, e.venue_en, e.starts_at, e.ends_at, e.capacity, e.taken, e.status, \
     e.cancel_reason, e.audience";

#[derive(sqlx::FromRow)]
pub(super) struct SummaryRow {
    id: i64,
    category: String,
    town: String,
    title_zh: String,
    title_en: String,
    venue_zh: String,
    venue_en: String,
    starts_at: i64,
    ends_at: i64,
    capacity: i64,
    taken: i64,
    status: String,
    cancel_reason: Option<String>,
    audience: String,
}

impl SummaryRow {
    pub(super) fn into_summary(self) -> AppResult<EventSummary> {
        let corrupt = |what: &str| AppError::Internal(format!("event {}: bad {what}", self.id));
        let category = Category::from_slug(&self.category).ok_or_else(|| corrupt("category"))?;
        let town = Town::from_slug(&self.town).ok_or_else(|| corrupt("town"))?;
        let status = status_of_slug(&self.status).ok_or_else(|| corrupt("status"))?;
        let capacity = u32::try_from(self.capacity).map_err(|_| corrupt("capacity"))?;
        let taken = u32::try_from(self.taken).map_err(|_| corrupt("taken"))?;
        let audience = Audience::parse(&self.audience).ok_or_else(|| corrupt("audience"))?;
        Ok(EventSummary {
            id: self.id,
            category,
            town,
            title: Localized {
                zh: self.title_zh,
                en: self.title_en,
            },
            venue: Localized {
                zh: self.venue_zh,
                en: self.venue_en,
            },
            starts_at: BeijingTime::from_unix(self.starts_at),
            ends_at: BeijingTime::from_unix(self.ends_at),
            capacity,
            taken,
            places_left: capacity.saturating_sub(taken),
            status,
            cancel_reason: self.cancel_reason,
            audience,
        })
    }
}

#[derive(sqlx::FromRow)]
struct DetailRow {
    #[sqlx(flatten)]
    summary: SummaryRow,
    address_zh: String,
    address_en: String,
    description_zh: String,
    description_en: String,
    organiser_zh: String,
    organiser_en: String,
    host_zh: Option<String>,
    host_en: Option<String>,
    waitlisted: i64,
}

pub(super) fn status_slug(status: EventStatus) -> &'static str {
    match status {
        EventStatus::Draft => "draft",
        EventStatus::Published => "published",
        EventStatus::Cancelled => "cancelled",
    }
}

pub(super) fn status_of_slug(slug: &str) -> Option<EventStatus> {
    [
        EventStatus::Draft,
        EventStatus::Published,
        EventStatus::Cancelled,
    ]
    .into_iter()
    .find(|s| status_slug(*s) == slug)
}

impl Store {
    pub async fn insert_event(&self, e: &NewEvent, now: i64) -> AppResult<i64> {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO events (category, town, title_zh, title_en, venue_zh, venue_en, \
             address_zh, address_en, description_zh, description_en, organiser_zh, organiser_en, \
             starts_at, ends_at, capacity, taken, status, created_at, audience, host_zh, host_en) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, \
                     $19, $20, $21) \
             RETURNING id",
        )
        .bind(e.category.slug())
        .bind(e.town.slug())
        .bind(&e.title.zh)
        .bind(&e.title.en)
        .bind(&e.venue.zh)
        .bind(&e.venue.en)
        .bind(&e.address.zh)
        .bind(&e.address.en)
        .bind(&e.description.zh)
        .bind(&e.description.en)
        .bind(&e.organiser.zh)
        .bind(&e.organiser.en)
        .bind(e.starts_at.unix())
        .bind(e.ends_at.unix())
        .bind(i64::from(e.capacity))
        .bind(i64::from(e.taken))
        .bind(status_slug(e.status))
        .bind(now)
        .bind(e.audience.as_str())
        .bind(e.host.as_ref().map(|h| h.zh.as_str()))
        .bind(e.host.as_ref().map(|h| h.en.as_str()))
        .fetch_one(&self.pool)
        .await?;
        Ok(id)
    }

    pub async fn count_events(&self) -> AppResult<i64> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM events")
            .fetch_one(&self.pool)
            .await?;
        Ok(n)
    }

    /// Public events matching `filter`: those still to come (or under way) first, soonest
    /// first, then past ones, latest first. Without `from`, only events not yet over.
    pub async fn list_events(
        &self,
        filter: &EventFilter,
        now: i64,
    ) -> AppResult<Vec<EventSummary>> {
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS} FROM events e \
             WHERE e.status IN ('published', 'cancelled') \
               AND ($1 IS NULL OR e.town = $1) \
               AND ($2 IS NULL OR e.category = $2) \
               AND e.ends_at >= COALESCE($3, $5) \
               AND ($4 IS NULL OR e.starts_at < $4) \
             ORDER BY CASE WHEN e.ends_at >= $5 THEN 0 ELSE 1 END, \
                      CASE WHEN e.ends_at >= $5 THEN e.starts_at ELSE -e.starts_at END, e.id \
             LIMIT 200"
        );
        let rows: Vec<SummaryRow> = sqlx::query_as(&sql)
            .bind(filter.town.map(Town::slug))
            .bind(filter.category.map(Category::slug))
            .bind(filter.from.map(BeijingTime::unix))
            .bind(filter.to.map(BeijingTime::unix))
            .bind(now)
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter().map(SummaryRow::into_summary).collect()
    }

    pub async fn event(&self, id: i64) -> AppResult<EventDetail> {
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS}, {DETAIL_COLUMNS} FROM events e \
             WHERE e.id = $1 AND e.status IN ('published', 'cancelled')"
        );
        let row: DetailRow = sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(AppError::NotFound)?;
        row.into_detail()
    }

    /// Public events for a calendar feed: matching `filter`, not over before `since`,
    /// cancelled ones too (a subscriber's calendar must learn of it), soonest first.
    pub async fn calendar_events(
        &self,
        filter: &EventFilter,
        since: i64,
    ) -> AppResult<Vec<CalendarEvent>> {
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS}, {DETAIL_COLUMNS}, e.revision, COALESCE(e.changed_at, e.created_at) AS changed_at \
             FROM events e WHERE e.status IN ('published', 'cancelled') \
               AND ($1 IS NULL OR e.town = $1) AND ($2 IS NULL OR e.category = $2) \
               AND e.ends_at >= $3 \
             ORDER BY e.starts_at, e.id LIMIT 1000"
        );
        let rows: Vec<CalendarRow> = sqlx::query_as(&sql)
            .bind(filter.town.map(Town::slug))
            .bind(filter.category.map(Category::slug))
            .bind(since)
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter().map(CalendarRow::into_event).collect()
    }

    /// The events a phone is signed up to (or waiting for), for its own feed: each with
    /// whether it waits, and when its sign-up last changed.
    pub async fn calendar_events_of(
        &self,
        phone: &str,
        since: i64,
    ) -> AppResult<Vec<(CalendarEvent, bool, i64)>> {
        let sql = format!(
            "SELECT {SUMMARY_COLUMNS}, {DETAIL_COLUMNS}, e.revision, \
                    COALESCE(e.changed_at, e.created_at) AS changed_at, \
                    r.status AS signed_up_status, r.updated_at AS signed_up_changed_at \
             FROM events e JOIN registrations r ON r.event_id = e.id \
             WHERE e.status IN ('published', 'cancelled') AND e.ends_at >= $2 \
               AND r.phone = $1 AND r.status <> 'cancelled' \
             ORDER BY e.starts_at, e.id"
        );
        let rows: Vec<SignedUpRow> = sqlx::query_as(&sql)
            .bind(phone)
            .bind(since)
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter()
            .map(|r| {
                let waitlisted = r.signed_up_status == "waitlisted";
                Ok((r.event.into_event()?, waitlisted, r.signed_up_changed_at))
            })
            .collect()
    }
}

#[derive(sqlx::FromRow)]
struct SignedUpRow {
    #[sqlx(flatten)]
    event: CalendarRow,
    signed_up_status: String,
    signed_up_changed_at: i64,
}

const DETAIL_COLUMNS: &str = "e.address_zh, e.address_en, e.description_zh, \
     e.description_en, e.organiser_zh, e.organiser_en, e.host_zh, e.host_en, \
     (SELECT COUNT(*) FROM registrations r \
       WHERE r.event_id = e.id AND r.status = 'waitlisted') AS waitlisted";

impl DetailRow {
    fn into_detail(self) -> AppResult<EventDetail> {
        Ok(EventDetail {
            summary: self.summary.into_summary()?,
            description: Localized {
                zh: self.description_zh,
                en: self.description_en,
            },
            address: Localized {
                zh: self.address_zh,
                en: self.address_en,
            },
            organiser: Localized {
                zh: self.organiser_zh,
                en: self.organiser_en,
            },
            waitlisted: u32::try_from(self.waitlisted).unwrap_or(u32::MAX),
            host: host(self.host_zh, self.host_en),
        })
    }
}

/// The host as kept: both languages or none.
pub(super) fn host(zh: Option<String>, en: Option<String>) -> Option<Localized> {
    zh.zip(en).map(|(zh, en)| Localized { zh, en })
}

/// An event as a calendar feed carries it: its SEQUENCE and when it last changed.
#[derive(Debug, Clone)]
pub struct CalendarEvent {
    pub detail: EventDetail,
    pub revision: i64,
    pub changed_at: i64,
}

#[derive(sqlx::FromRow)]
struct CalendarRow {
    #[sqlx(flatten)]
    detail: DetailRow,
    revision: i64,
    changed_at: i64,
}

impl CalendarRow {
    fn into_event(self) -> AppResult<CalendarEvent> {
        Ok(CalendarEvent {
            detail: self.detail.into_detail()?,
            revision: self.revision,
            changed_at: self.changed_at,
        })
    }
}
