//! Running events (staff): write, publish, cancel, list who signed up, check people in.
//! Every write appends its audit row in its own transaction; lock order as in
//! `registrations.rs` (the event row first).

use super::Store;
use super::audit::{self, Act, Actor};
use super::events::{host, status_of_slug, status_slug};
use super::notifications::queue_sms;
use super::registrations::{organisation_shown, promote_waitlist};
use crate::error::{AppError, AppResult};
use model::{
    Audience, BeijingTime, Category, CheckinResult, EventDraft, EventStatus, Localized, PersonName,
    PhoneNumber, Registrant, RegistrationCode, RegistrationStatus, StaffEvent, Town, WalkIn,
    mask_phone,
};
use serde_json::json;
use sqlx::{Any, Row, Transaction};

type Tx = Transaction<'static, Any>;

const EVENT_COLUMNS: &str = "e.id, e.category, e.town, e.title_zh, e.title_en, e.venue_zh, \
     e.venue_en, e.address_zh, e.address_en, e.description_zh, e.description_en, \
     e.organiser_zh, e.organiser_en, e.starts_at, e.ends_at, e.capacity, e.taken, e.status, \
     e.cancel_reason, e.signup_closes_at, e.audience, e.host_zh, e.host_en, \
     (SELECT COUNT(*) FROM registrations r \
       WHERE r.event_id = e.id AND r.status = 'waitlisted') AS waitlisted, \
     (SELECT CAST(COALESCE(SUM(r.party_size), 0) AS BIGINT) FROM registrations r \
       WHERE r.event_id = e.id AND r.checked_in_at IS NOT NULL) AS attended";

#[derive(sqlx::FromRow)]
struct EventRow {
    id: i64,
    category: String,
    town: String,
    title_zh: String,
    title_en: String,
    venue_zh: String,
    venue_en: String,
    address_zh: String,
    address_en: String,
    description_zh: String,
    description_en: String,
    organiser_zh: String,
    organiser_en: String,
    starts_at: i64,
    ends_at: i64,
    capacity: i64,
    taken: i64,
    status: String,
    cancel_reason: Option<String>,
    signup_closes_at: Option<i64>,
    audience: String,
    host_zh: Option<String>,
    host_en: Option<String>,
    waitlisted: i64,
    attended: i64,
}

impl EventRow {
    fn into_event(self) -> AppResult<StaffEvent> {
        let corrupt = |what: &str| AppError::Internal(format!("event {}: bad {what}", self.id));
        let count = |n: i64| u32::try_from(n).unwrap_or(u32::MAX);
        let text = |zh: String, en: String| Localized { zh, en };
        Ok(StaffEvent {
            id: self.id,
            draft: EventDraft {
                category: Category::from_slug(&self.category).ok_or_else(|| corrupt("category"))?,
                town: Town::from_slug(&self.town).ok_or_else(|| corrupt("town"))?,
                title: text(self.title_zh, self.title_en),
                description: text(self.description_zh, self.description_en),
                venue: text(self.venue_zh, self.venue_en),
                address: text(self.address_zh, self.address_en),
                organiser: text(self.organiser_zh, self.organiser_en),
                starts_at: BeijingTime::from_unix(self.starts_at),
                ends_at: BeijingTime::from_unix(self.ends_at),
                capacity: count(self.capacity),
                signup_closes_at: self.signup_closes_at.map(BeijingTime::from_unix),
                audience: Audience::parse(&self.audience).ok_or_else(|| corrupt("audience"))?,
                host: host(self.host_zh, self.host_en),
            },
            status: status_of_slug(&self.status).ok_or_else(|| corrupt("status"))?,
            cancel_reason: self.cancel_reason,
            taken: count(self.taken),
            waitlisted: count(self.waitlisted),
            attended: count(self.attended),
        })
    }
}

#[derive(sqlx::FromRow)]
struct RegistrantRow {
    code: String,
    org_name: Option<String>,
    org_code: Option<String>,
    name: String,
    phone: String,
    party_size: i64,
    status: String,
    walk_in: i64,
    checked_in_at: Option<i64>,
    created_at: i64,
}

/// A sign-up as the door's scan finds it.
#[derive(sqlx::FromRow)]
struct CheckedRow {
    event_id: i64,
    name: String,
    org_name: Option<String>,
    party_size: i64,
    status: String,
    checked_in_at: Option<i64>,
}

/// A publish or an unpublish.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    Publish,
    Unpublish,
}

async fn fetch_event(tx: &mut Tx, id: i64) -> AppResult<StaffEvent> {
    let sql = format!("SELECT {EVENT_COLUMNS} FROM events e WHERE e.id = $1");
    let row: EventRow = sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(AppError::NotFound)?;
    row.into_event()
}

/// Takes the event's row lock (see the module comment); `NotFound` if there is none.
async fn lock(tx: &mut Tx, id: i64) -> AppResult<StaffEvent> {
    let locked = sqlx::query("UPDATE events SET taken = taken WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
    if locked == 0 {
        return Err(AppError::NotFound);
    }
    fetch_event(tx, id).await
}

type Query<'q> = sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>;

/// Binds what staff write about an event as `$1`…`$19`, in the column order both the
/// insert and the update name them.
fn bind_draft<'q>(query: Query<'q>, d: &'q EventDraft) -> Query<'q> {
    query
        .bind(d.category.slug())
        .bind(d.town.slug())
        .bind(d.title.zh.trim())
        .bind(d.title.en.trim())
        .bind(d.venue.zh.trim())
        .bind(d.venue.en.trim())
        .bind(d.address.zh.trim())
        .bind(d.address.en.trim())
        .bind(d.description.zh.trim())
        .bind(d.description.en.trim())
        .bind(d.organiser.zh.trim())
        .bind(d.organiser.en.trim())
        .bind(d.starts_at.unix())
        .bind(d.ends_at.unix())
        .bind(i64::from(d.capacity))
        .bind(d.signup_closes_at.map(BeijingTime::unix))
        .bind(d.audience.as_str())
        .bind(d.host.as_ref().map(|h| h.zh.trim()))
        .bind(d.host.as_ref().map(|h| h.en.trim()))
}

fn audit_view(e: &StaffEvent) -> serde_json::Value {
    json!(e)
}

impl Store {
    /// Every event, newest start first (staff filter by scope on top).
    pub async fn staff_events(&self) -> AppResult<Vec<StaffEvent>> {
        let sql = format!(
            "SELECT {EVENT_COLUMNS} FROM events e ORDER BY e.starts_at DESC, e.id DESC LIMIT 1000"
        );
        let rows: Vec<EventRow> = sqlx::query_as(&sql).fetch_all(&self.pool).await?;
        rows.into_iter().map(EventRow::into_event).collect()
    }

    pub async fn staff_event(&self, id: i64) -> AppResult<StaffEvent> {
        let mut tx = self.pool.begin().await?;
        let event = fetch_event(&mut tx, id).await?;
        tx.commit().await?;
        Ok(event)
    }

    /// A new event, as a draft.
    pub async fn create_event(
        &self,
        d: &EventDraft,
        actor: &Actor,
        now: i64,
    ) -> AppResult<StaffEvent> {
        let mut tx = self.pool.begin().await?;
        let row = bind_draft(
            sqlx::query(
                "INSERT INTO events (category, town, title_zh, title_en, venue_zh, venue_en, \
                 address_zh, address_en, description_zh, description_en, organiser_zh, \
                 organiser_en, starts_at, ends_at, capacity, signup_closes_at, audience, \
                 host_zh, host_en, taken, status, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, \
                 $17, $18, $19, 0, 'draft', $20) RETURNING id",
            ),
            d,
        )
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = row.try_get(0)?;
        let event = fetch_event(&mut tx, id).await?;
        let act = Act {
            action: "event.create",
            subject: format!("event:{id}"),
            before: None,
            after: Some(audit_view(&event)),
        };
        audit::append(&mut tx, actor, act, now).await?;
        tx.commit().await?;
        Ok(event)
    }

    /// Rewrites an event. Capacity may not go below the places taken; more capacity
    /// gives places to the waitlist in order.
    pub async fn update_event(
        &self,
        id: i64,
        d: &EventDraft,
        actor: &Actor,
        now: i64,
    ) -> AppResult<StaffEvent> {
        let mut tx = self.pool.begin().await?;
        let before = lock(&mut tx, id).await?;
        if d.capacity < before.taken {
            return Err(AppError::CapacityBelowTaken);
        }
        bind_draft(
            sqlx::query(
                "UPDATE events SET category = $1, town = $2, title_zh = $3, title_en = $4, \
                 venue_zh = $5, venue_en = $6, address_zh = $7, address_en = $8, \
                 description_zh = $9, description_en = $10, organiser_zh = $11, \
                 organiser_en = $12, starts_at = $13, ends_at = $14, capacity = $15, \
                 signup_closes_at = $16, audience = $17, host_zh = $18, host_en = $19, \
                 revision = revision + 1, changed_at = $20 \
                 WHERE id = $21",
            ),
            d,
        )
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if d.capacity > before.draft.capacity {
            promote_waitlist(&mut tx, id, now).await?;
        }
        let after = fetch_event(&mut tx, id).await?;
        let act = Act {
            action: "event.update",
            subject: format!("event:{id}"),
            before: Some(audit_view(&before)),
            after: Some(audit_view(&after)),
        };
        audit::append(&mut tx, actor, act, now).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Publishes a draft, or takes a published event back to draft while nobody has ever
    /// signed up (once people have, even if they cancelled, their 我的 shows it: it can only
    /// be cancelled, with a reason they get).
    pub async fn set_event_visibility(
        &self,
        id: i64,
        to: Visibility,
        actor: &Actor,
        now: i64,
    ) -> AppResult<StaffEvent> {
        let mut tx = self.pool.begin().await?;
        let before = lock(&mut tx, id).await?;
        let (from_status, to_status, action) = match to {
            Visibility::Publish => (EventStatus::Draft, EventStatus::Published, "event.publish"),
            Visibility::Unpublish => (
                EventStatus::Published,
                EventStatus::Draft,
                "event.unpublish",
            ),
        };
        if before.status != from_status {
            return Err(AppError::WrongStatus);
        }
        if to == Visibility::Unpublish {
            let (active,): (i64,) =
                sqlx::query_as("SELECT COUNT(*) FROM registrations WHERE event_id = $1")
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await?;
            if active > 0 {
                return Err(AppError::HasSignUps);
            }
        }
        sqlx::query(
            "UPDATE events SET status = $1, revision = revision + 1, changed_at = $2 WHERE id = $3",
        )
        .bind(status_slug(to_status))
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let after = fetch_event(&mut tx, id).await?;
        let act = Act {
            action,
            subject: format!("event:{id}"),
            before: Some(json!({ "status": before.status })),
            after: Some(json!({ "status": after.status })),
        };
        audit::append(&mut tx, actor, act, now).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Cancels an event and queues a message with the reason to everyone signed up or
    /// waiting; their sign-ups stay, so 我的 shows the event cancelled and why.
    pub async fn cancel_event(
        &self,
        id: i64,
        reason: &str,
        actor: &Actor,
        now: i64,
    ) -> AppResult<StaffEvent> {
        let mut tx = self.pool.begin().await?;
        let before = lock(&mut tx, id).await?;
        if before.status == EventStatus::Cancelled {
            return Err(AppError::WrongStatus);
        }
        sqlx::query(
            "UPDATE events SET status = 'cancelled', cancel_reason = $1, \
             revision = revision + 1, changed_at = $2 WHERE id = $3",
        )
        .bind(reason)
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        let phones: Vec<(String,)> = sqlx::query_as(
            "SELECT phone FROM registrations \
             WHERE event_id = $1 AND status IN ('registered', 'waitlisted') ORDER BY id",
        )
        .bind(id)
        .fetch_all(&mut *tx)
        .await?;
        let when = before.draft.starts_at.date();
        let body = format!(
            "【奉贤质量月】您报名的“{}”（{}月{}日）已取消：{}。给您带来不便，敬请谅解。",
            before.draft.title.zh, when.month, when.day, reason
        );
        for (phone,) in &phones {
            queue_sms(&mut tx, phone, &body, now).await?;
        }
        let after = fetch_event(&mut tx, id).await?;
        let act = Act {
            action: "event.cancel",
            subject: format!("event:{id}"),
            before: Some(json!({ "status": before.status })),
            after: Some(json!({ "status": after.status, "reason": reason, "told": phones.len() })),
        };
        audit::append(&mut tx, actor, act, now).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Everyone who signed up, in arrival order, phones masked.
    pub async fn registrants(&self, event_id: i64) -> AppResult<Vec<Registrant>> {
        let rows: Vec<RegistrantRow> = sqlx::query_as(
            "SELECT code, org_name, org_code, name, phone, party_size, status, walk_in, \
                    checked_in_at, created_at \
             FROM registrations WHERE event_id = $1 ORDER BY id",
        )
        .bind(event_id)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|r| {
                Ok(Registrant {
                    status: RegistrationStatus::parse(&r.status)
                        .ok_or_else(|| AppError::Internal(format!("{}: bad status", r.code)))?,
                    code: r.code,
                    organisation: organisation_shown(r.org_name, r.org_code),
                    name: r.name,
                    phone_masked: mask_phone(&r.phone),
                    party_size: u8::try_from(r.party_size).unwrap_or(0),
                    walk_in: r.walk_in != 0,
                    checked_in_at: r.checked_in_at.map(BeijingTime::from_unix),
                    signed_up_at: BeijingTime::from_unix(r.created_at),
                })
            })
            .collect()
    }

    /// The full phone number of one sign-up; the reveal is audited.
    pub async fn reveal_phone(
        &self,
        event_id: i64,
        code: &RegistrationCode,
        actor: &Actor,
    ) -> AppResult<String> {
        let mut tx = self.pool.begin().await?;
        let row: Option<(String,)> =
            sqlx::query_as("SELECT phone FROM registrations WHERE event_id = $1 AND code = $2")
                .bind(event_id)
                .bind(code.as_str())
                .fetch_optional(&mut *tx)
                .await?;
        let (phone,) = row.ok_or(AppError::NotFound)?;
        let act = Act {
            action: "registration.reveal_phone",
            subject: format!("event:{event_id} registration:{}", code.as_str()),
            before: None,
            after: None,
        };
        audit::append(&mut tx, actor, act, super::now_unix()).await?;
        tx.commit().await?;
        Ok(phone)
    }

    /// Checks a sign-up in at the door. The first scan marks it attended; later ones say
    /// when that was. A code of another event, a cancelled sign-up, and a place still on
    /// the waitlist are said plainly and check nobody in.
    pub async fn check_in(
        &self,
        event_id: i64,
        code: &str,
        actor: &Actor,
        now: i64,
    ) -> AppResult<CheckinResult> {
        let code = RegistrationCode::parse(code).map_err(|_| AppError::NotFound)?;
        let mut tx = self.pool.begin().await?;
        // The one conditional write decides who was first, on both databases.
        let first = sqlx::query(
            "UPDATE registrations SET checked_in_at = $1, updated_at = $1 \
             WHERE code = $2 AND event_id = $3 AND status = 'registered' \
               AND checked_in_at IS NULL",
        )
        .bind(now)
        .bind(code.as_str())
        .bind(event_id)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        let row: Option<CheckedRow> = sqlx::query_as(
            "SELECT event_id, name, org_name, party_size, status, checked_in_at \
             FROM registrations WHERE code = $1",
        )
        .bind(code.as_str())
        .fetch_optional(&mut *tx)
        .await?;
        let CheckedRow {
            event_id: of_event,
            name,
            org_name,
            party_size: party,
            status,
            checked_in_at,
        } = row.ok_or(AppError::NotFound)?;
        if of_event != event_id {
            return Err(AppError::WrongEvent);
        }
        let status = RegistrationStatus::parse(&status)
            .ok_or_else(|| AppError::Internal(format!("{}: bad status", code.as_str())))?;
        if status == RegistrationStatus::Cancelled {
            return Err(AppError::AlreadyCancelled);
        }
        if first {
            let act = Act {
                action: "registration.check_in",
                subject: format!("event:{event_id} registration:{}", code.as_str()),
                before: None,
                after: None,
            };
            audit::append(&mut tx, actor, act, now).await?;
        }
        let (attended,): (i64,) = sqlx::query_as(
            "SELECT CAST(COALESCE(SUM(party_size), 0) AS BIGINT) FROM registrations \
             WHERE event_id = $1 AND checked_in_at IS NOT NULL",
        )
        .bind(event_id)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(CheckinResult {
            name,
            organisation: org_name,
            party_size: u8::try_from(party).unwrap_or(0),
            status,
            checked_in_at: checked_in_at.map(BeijingTime::from_unix),
            already: !first && checked_in_at.is_some(),
            attended: u32::try_from(attended).unwrap_or(u32::MAX),
        })
    }

    /// Someone who came without signing up, registered and checked in at once (if a
    /// place is left).
    pub async fn walk_in(
        &self,
        event_id: i64,
        name: &PersonName,
        phone: &PhoneNumber,
        party_size: u8,
        actor: &Actor,
        now: i64,
    ) -> AppResult<CheckinResult> {
        let mut tx = self.pool.begin().await?;
        let event = lock(&mut tx, event_id).await?;
        if event.status != EventStatus::Published {
            return Err(AppError::EventClosed);
        }
        // A walk-in is a person: an event for organisations only takes none (its figures
        // would count a resident who was never invited).
        if !event.draft.audience.takes_residents() {
            return Err(AppError::WrongAudience);
        }
        let party = i64::from(party_size);
        let granted = sqlx::query(
            "UPDATE events SET taken = taken + $1 WHERE id = $2 AND taken + $1 <= capacity",
        )
        .bind(party)
        .bind(event_id)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if !granted {
            return Err(AppError::SlotFull);
        }
        let code = RegistrationCode::from_random(rand::random());
        let inserted: Option<(i64,)> = sqlx::query_as(
            "INSERT INTO registrations (event_id, code, name, phone, party_size, status, \
               created_at, updated_at, checked_in_at, walk_in) \
             VALUES ($1, $2, $3, $4, $5, 'registered', $6, $6, $6, 1) \
             ON CONFLICT (event_id, phone) WHERE status <> 'cancelled' DO NOTHING \
             RETURNING id",
        )
        .bind(event_id)
        .bind(code.as_str())
        .bind(name.as_str())
        .bind(phone.as_str())
        .bind(party)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        if inserted.is_none() {
            return Err(AppError::AlreadyRegistered);
        }
        let act = Act {
            action: "registration.walk_in",
            subject: format!("event:{event_id} registration:{}", code.as_str()),
            before: None,
            after: Some(json!({ "party_size": party_size })),
        };
        audit::append(&mut tx, actor, act, now).await?;
        let attended = event.attended + u32::from(party_size);
        tx.commit().await?;
        Ok(CheckinResult {
            name: name.as_str().to_string(),
            organisation: None,
            party_size,
            status: RegistrationStatus::Registered,
            checked_in_at: Some(BeijingTime::from_unix(now)),
            already: false,
            attended,
        })
    }
}

/// Checks a walk-in's fields like the sign-up form does.
pub fn valid_walk_in(w: &WalkIn) -> Result<(PersonName, PhoneNumber, u8), model::FieldErrors> {
    let registration = model::NewRegistration {
        name: w.name.clone(),
        phone: w.phone.clone(),
        party_size: i64::from(w.party_size),
        organisation: None,
    }
    .validate()?;
    Ok((
        registration.name,
        registration.phone,
        registration.party_size,
    ))
}
