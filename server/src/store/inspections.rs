//! Pre-inspection visits: projects, buyer lists, slots and bookings.
//!
//! Lock order, on every path that changes a booking: the booking row first (when it
//! exists), then slot rows in ascending id order. A new booking locks only its slot before
//! inserting; the partial unique index on (project, flat) makes a second active booking
//! for the same flat wait for the first and then give way. Places are taken with a
//! conditional `UPDATE … WHERE taken < capacity`, and a reschedule takes the new place
//! before it gives the old one back, in one transaction.

use super::Store;
use super::idempotency::{self, Begun, IdempotencyKey, Replayable};
use crate::error::{AppError, AppResult};
use model::{
    BeijingDate, BeijingTime, BookingAction, BookingChange, BookingCode, BookingReceipt,
    BookingRules, BookingStatus, FlatId, Localized, PhoneNumber, Project, Slot, Town, ValidBooking,
    mask_phone, project_admin::PlannedSlot,
};
use sqlx::{Any, Transaction};

type Tx = Transaction<'static, Any>;

/// A project to publish (demo content and tests; staff import comes later).
#[derive(Debug, Clone)]
pub struct NewProject {
    pub town: Town,
    pub name: Localized,
    pub developer: Localized,
    pub address: Localized,
    pub rules: BookingRules,
}

/// One row of a project's buyer list.
#[derive(Debug, Clone)]
pub struct Buyer {
    pub flat: FlatId,
    pub name: String,
    pub phone: String,
}

#[derive(sqlx::FromRow)]
pub(super) struct ProjectRow {
    pub id: i64,
    town: String,
    pub name_zh: String,
    name_en: String,
    developer_zh: String,
    developer_en: String,
    address_zh: String,
    address_en: String,
    handover_on: String,
    opens_days_before: i64,
    cutoff_hours: i64,
    instructions_zh: String,
    instructions_en: String,
    contact_phone: String,
}

const PROJECT_COLUMNS: &str = "id, town, name_zh, name_en, developer_zh, developer_en, \
     address_zh, address_en, handover_on, opens_days_before, cutoff_hours, instructions_zh, \
     instructions_en, contact_phone";

impl ProjectRow {
    pub fn rules(&self) -> AppResult<BookingRules> {
        let corrupt = |what: &str| AppError::Internal(format!("project {}: bad {what}", self.id));
        Ok(BookingRules {
            handover_on: BeijingDate::parse(&self.handover_on)
                .ok_or_else(|| corrupt("handover_on"))?,
            opens_days_before: u32::try_from(self.opens_days_before)
                .map_err(|_| corrupt("opens_days_before"))?,
            cutoff_hours: u32::try_from(self.cutoff_hours).map_err(|_| corrupt("cutoff_hours"))?,
        })
    }

    pub fn into_project(self) -> AppResult<Project> {
        let rules = self.rules()?;
        let town = Town::from_slug(&self.town)
            .ok_or_else(|| AppError::Internal(format!("project {}: bad town", self.id)))?;
        Ok(Project {
            id: self.id,
            name: Localized {
                zh: self.name_zh,
                en: self.name_en,
            },
            developer: Localized {
                zh: self.developer_zh,
                en: self.developer_en,
            },
            address: Localized {
                zh: self.address_zh,
                en: self.address_en,
            },
            town,
            handover_on: rules.handover_on,
            booking_opens_at: rules.opens_at(),
            booking_closes_at: rules.closes_at(),
            change_cutoff_hours: rules.cutoff_hours,
            instructions: Localized {
                zh: self.instructions_zh,
                en: self.instructions_en,
            },
            contact_phone: self.contact_phone,
        })
    }
}

#[derive(sqlx::FromRow)]
struct SlotRow {
    id: i64,
    starts_at: i64,
    ends_at: i64,
    capacity: i64,
    taken: i64,
}

const SLOT_COLUMNS: &str = "id, starts_at, ends_at, capacity, taken";

impl SlotRow {
    fn into_slot(self) -> Slot {
        let capacity = u32::try_from(self.capacity).unwrap_or(0);
        let taken = u32::try_from(self.taken).unwrap_or(0);
        Slot {
            id: self.id,
            starts_at: BeijingTime::from_unix(self.starts_at),
            ends_at: BeijingTime::from_unix(self.ends_at),
            capacity,
            taken,
            places_left: capacity.saturating_sub(taken),
        }
    }
}

#[derive(sqlx::FromRow)]
struct BookingRow {
    id: i64,
    project_id: i64,
    flat: String,
    slot_id: i64,
    code: String,
    buyer_name: String,
    phone: String,
    party_size: i64,
    notes: String,
    status: String,
    office_notice: Option<String>,
}

const BOOKING_COLUMNS: &str = "id, project_id, flat, slot_id, code, buyer_name, phone, \
     party_size, notes, status, office_notice";

/// The flat as one key: `building/unit/room` (no part may contain `/`).
pub(super) fn flat_key(flat: &FlatId) -> String {
    format!("{}/{}/{}", flat.building, flat.unit, flat.room)
}

pub(super) fn flat_from_key(key: &str) -> Option<FlatId> {
    let mut parts = key.splitn(3, '/').map(str::to_string);
    Some(FlatId {
        building: parts.next()?,
        unit: parts.next()?,
        room: parts.next()?,
    })
}

impl Store {
    pub async fn insert_project(&self, p: &NewProject, now: i64) -> AppResult<i64> {
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO projects (town, name_zh, name_en, developer_zh, developer_en, \
               address_zh, address_en, handover_on, opens_days_before, cutoff_hours, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        )
        .bind(p.town.slug())
        .bind(&p.name.zh)
        .bind(&p.name.en)
        .bind(&p.developer.zh)
        .bind(&p.developer.en)
        .bind(&p.address.zh)
        .bind(&p.address.en)
        .bind(p.rules.handover_on.to_string())
        .bind(i64::from(p.rules.opens_days_before))
        .bind(i64::from(p.rules.cutoff_hours))
        .bind(now)
        .fetch_one(&self.pool)
        .await?;
        Ok(id)
    }

    /// Adds rows to a project's buyer list, in one transaction.
    pub async fn insert_buyers(&self, project_id: i64, buyers: &[Buyer]) -> AppResult<()> {
        let mut tx = self.pool.begin().await?;
        for b in buyers {
            sqlx::query(
                "INSERT INTO buyers (project_id, building, unit, room, name, phone) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(project_id)
            .bind(&b.flat.building)
            .bind(&b.flat.unit)
            .bind(&b.flat.room)
            .bind(&b.name)
            .bind(&b.phone)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Keeps a project's visit plan without making slots from it (demo content and tests,
    /// which store the slots they want with [`Store::insert_slots`]).
    pub async fn keep_plan(&self, project_id: i64, plan: &model::VisitPlan) -> AppResult<()> {
        let json = serde_json::to_string(plan).map_err(|e| AppError::Internal(e.to_string()))?;
        sqlx::query("UPDATE projects SET plan_json = $1 WHERE id = $2")
            .bind(json)
            .bind(project_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Stores slots (made by a [`model::VisitPlan`]) and returns their ids in order.
    pub async fn insert_slots(
        &self,
        project_id: i64,
        slots: &[PlannedSlot],
    ) -> AppResult<Vec<i64>> {
        let mut tx = self.pool.begin().await?;
        let mut ids = Vec::with_capacity(slots.len());
        for s in slots {
            let (id,): (i64,) = sqlx::query_as(
                "INSERT INTO slots (project_id, starts_at, ends_at, capacity) \
                 VALUES ($1, $2, $3, $4) RETURNING id",
            )
            .bind(project_id)
            .bind(s.starts_at.unix())
            .bind(s.ends_at.unix())
            .bind(i64::from(s.capacity))
            .fetch_one(&mut *tx)
            .await?;
            ids.push(id);
        }
        tx.commit().await?;
        Ok(ids)
    }

    /// Projects whose booking window has not closed yet, soonest handover first.
    pub async fn projects(&self, now: i64) -> AppResult<Vec<Project>> {
        let sql = format!("SELECT {PROJECT_COLUMNS} FROM projects ORDER BY handover_on, id");
        let rows: Vec<ProjectRow> = sqlx::query_as(&sql).fetch_all(&self.pool).await?;
        let mut out = Vec::new();
        for row in rows {
            let project = row.into_project()?;
            if project.booking_closes_at.unix() > now {
                out.push(project);
            }
        }
        Ok(out)
    }

    pub async fn project(&self, id: i64) -> AppResult<Project> {
        fetch_project(&self.pool, id).await?.into_project()
    }

    /// Slots that can still be booked at `now` (from the cut-off on) within `[from, to)`,
    /// full ones included so the app can show them as taken.
    pub async fn slots(
        &self,
        project_id: i64,
        from: Option<BeijingTime>,
        to: Option<BeijingTime>,
        now: i64,
    ) -> AppResult<Vec<Slot>> {
        let rules = fetch_project(&self.pool, project_id).await?.rules()?;
        let earliest = now + i64::from(rules.cutoff_hours) * 3600 + 1;
        let from = from.map_or(earliest, |f| f.unix().max(earliest));
        let to = to.map_or(i64::MAX, BeijingTime::unix);
        let sql = format!(
            "SELECT {SLOT_COLUMNS} FROM slots \
             WHERE project_id = $1 AND starts_at >= $2 AND starts_at < $3 AND withdrawn = 0 \
             ORDER BY starts_at"
        );
        let rows: Vec<SlotRow> = sqlx::query_as(&sql)
            .bind(project_id)
            .bind(from)
            .bind(to)
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.into_iter().map(SlotRow::into_slot).collect())
    }

    /// Books a visit. The key is claimed first, so a replay always gets the stored answer,
    /// even after the window closed. Then the buyer check, under the (asker, flat) back-off
    /// row: a mismatch is kept (with the back-off it earns) and answered with one generic
    /// error whatever was wrong. `asker` is the verified phone when a token proves one,
    /// else the client address: never the flat alone, which would let anyone pause it.
    pub async fn book(
        &self,
        project_id: i64,
        slot_id: i64,
        booking: &ValidBooking,
        asker: &str,
        key: Option<&IdempotencyKey>,
        now: i64,
    ) -> AppResult<Replayable<BookingReceipt>> {
        let mut tx = match idempotency::begin(&self.pool, key, now).await? {
            Begun::Fresh(tx) => tx,
            Begun::Replayed(answer) => return Ok(answer),
        };
        let flat = format!("{project_id}:{}", flat_key(&booking.buyer.flat));
        // A write, so that a transaction without a key also starts with one.
        let backoff = take_backoff_row(&mut tx, asker, &flat).await?;
        if now < backoff.blocked_until {
            return Err(AppError::RateLimited);
        }
        let project = fetch_project(&mut *tx, project_id).await?;
        let rules = project.rules()?;
        if !rules.window_open(BeijingTime::from_unix(now)) {
            return Err(AppError::BookingClosed);
        }
        if !buyer_matches(&mut tx, project_id, booking).await? {
            record_failure(&mut tx, asker, &flat, backoff.failures + 1, now).await?;
            // The failure stays; the key does not: nothing was booked under it.
            idempotency::release(&mut tx, key).await?;
            tx.commit().await?;
            return Err(AppError::BuyerMismatch);
        }
        forget_failures(&mut tx, asker, &flat).await?;

        let taken: Option<(i64,)> = sqlx::query_as(
            "UPDATE slots SET taken = taken + 1 \
             WHERE id = $1 AND project_id = $2 AND taken < capacity AND withdrawn = 0 \
             RETURNING starts_at",
        )
        .bind(slot_id)
        .bind(project_id)
        .fetch_optional(&mut *tx)
        .await?;
        let starts_at = match taken {
            Some((starts_at,)) => starts_at,
            None => {
                let exists = slot_start(&mut tx, project_id, slot_id).await?;
                return Err(match exists {
                    None => AppError::NotFound,
                    Some(s) if !rules.can_change(BeijingTime::from_unix(s), now_t(now)) => {
                        AppError::PastCutoff
                    }
                    Some(_) => AppError::SlotFull,
                });
            }
        };
        if !rules.can_change(BeijingTime::from_unix(starts_at), now_t(now)) {
            return Err(AppError::PastCutoff);
        }
        let b = booking;
        let code = BookingCode::from_random(rand::random());
        let inserted: Option<(i64,)> = sqlx::query_as(
            "INSERT INTO bookings (project_id, flat, slot_id, code, buyer_name, phone, \
               party_size, notes, status, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'confirmed', $9, $9) \
             ON CONFLICT (project_id, flat) WHERE status <> 'cancelled' DO NOTHING \
             RETURNING id",
        )
        .bind(project_id)
        .bind(flat_key(&b.buyer.flat))
        .bind(slot_id)
        .bind(code.as_str())
        .bind(b.buyer.buyer_name.as_str())
        .bind(b.buyer.phone.as_str())
        .bind(i64::from(b.visit.party_size.get()))
        .bind(b.visit.notes.as_str())
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((id,)) = inserted else {
            // Dropping the transaction gives the place back.
            return Err(AppError::AlreadyBooked);
        };
        record_change(&mut tx, id, BookingAction::Booked, slot_id, now).await?;
        let receipt = receipt(&mut tx, id).await?;
        idempotency::commit(tx, key, receipt).await
    }

    /// The booking with this code, if `phone` is the one it was made with; a wrong phone
    /// and an unknown code get the same answer.
    pub async fn lookup_booking(
        &self,
        code: &BookingCode,
        phone: &PhoneNumber,
    ) -> AppResult<BookingReceipt> {
        self.receipt_of(code, Some(phone)).await
    }

    /// The booking with this code, for its calendar file (which shows nothing personal).
    pub async fn booking_for_calendar(&self, code: &BookingCode) -> AppResult<BookingReceipt> {
        self.receipt_of(code, None).await
    }

    async fn receipt_of(
        &self,
        code: &BookingCode,
        phone: Option<&PhoneNumber>,
    ) -> AppResult<BookingReceipt> {
        let mut tx = self.pool.begin().await?;
        let found: Option<(i64,)> = match phone {
            Some(phone) => {
                sqlx::query_as("SELECT id FROM bookings WHERE code = $1 AND phone = $2")
                    .bind(code.as_str())
                    .bind(phone.as_str())
                    .fetch_optional(&mut *tx)
                    .await?
            }
            None => {
                sqlx::query_as("SELECT id FROM bookings WHERE code = $1")
                    .bind(code.as_str())
                    .fetch_optional(&mut *tx)
                    .await?
            }
        };
        let (id,) = found.ok_or(AppError::NotFound)?;
        let receipt = receipt(&mut tx, id).await?;
        tx.commit().await?;
        Ok(receipt)
    }

    /// Moves a booking to another slot of the same project: the new place is taken before
    /// the old one is given back, so a booking that cannot move keeps its slot.
    pub async fn reschedule(
        &self,
        code: &BookingCode,
        phone: &PhoneNumber,
        new_slot: i64,
        key: Option<&IdempotencyKey>,
        now: i64,
    ) -> AppResult<Replayable<BookingReceipt>> {
        let mut tx = match idempotency::begin(&self.pool, key, now).await? {
            Begun::Fresh(tx) => tx,
            Begun::Replayed(answer) => return Ok(answer),
        };
        let booking = lock_booking(&mut tx, code, phone).await?;
        let rules = changeable(&mut tx, &booking, now).await?;
        if new_slot != booking.slot_id {
            let (low, high) = (booking.slot_id.min(new_slot), booking.slot_id.max(new_slot));
            for id in [low, high] {
                sqlx::query("UPDATE slots SET taken = taken WHERE id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
            }
            let starts = slot_start(&mut tx, booking.project_id, new_slot)
                .await?
                .ok_or(AppError::NotFound)?;
            if !rules.can_change(BeijingTime::from_unix(starts), now_t(now)) {
                return Err(AppError::PastCutoff);
            }
            let took = sqlx::query(
                "UPDATE slots SET taken = taken + 1 \
                 WHERE id = $1 AND taken < capacity AND withdrawn = 0",
            )
            .bind(new_slot)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if !took {
                return Err(AppError::SlotFull);
            }
            release_place(&mut tx, booking.slot_id).await?;
            sqlx::query("UPDATE bookings SET slot_id = $1, updated_at = $2 WHERE id = $3")
                .bind(new_slot)
                .bind(now)
                .bind(booking.id)
                .execute(&mut *tx)
                .await?;
            record_change(
                &mut tx,
                booking.id,
                BookingAction::Rescheduled,
                new_slot,
                now,
            )
            .await?;
        }
        let receipt = receipt(&mut tx, booking.id).await?;
        idempotency::commit(tx, key, receipt).await
    }

    /// Cancels a booking and gives its place back. Cancelling what is already cancelled
    /// answers with the cancelled booking: a retry is harmless.
    pub async fn cancel_booking(
        &self,
        code: &BookingCode,
        phone: &PhoneNumber,
        key: Option<&IdempotencyKey>,
        now: i64,
    ) -> AppResult<Replayable<BookingReceipt>> {
        let mut tx = match idempotency::begin(&self.pool, key, now).await? {
            Begun::Fresh(tx) => tx,
            Begun::Replayed(answer) => return Ok(answer),
        };
        let booking = lock_booking(&mut tx, code, phone).await?;
        if booking.status != BookingStatus::Cancelled.as_str() {
            changeable(&mut tx, &booking, now).await?;
            release_place(&mut tx, booking.slot_id).await?;
            sqlx::query("UPDATE bookings SET status = 'cancelled', updated_at = $1 WHERE id = $2")
                .bind(now)
                .bind(booking.id)
                .execute(&mut *tx)
                .await?;
            record_change(
                &mut tx,
                booking.id,
                BookingAction::Cancelled,
                booking.slot_id,
                now,
            )
            .await?;
        }
        let receipt = receipt(&mut tx, booking.id).await?;
        idempotency::commit(tx, key, receipt).await
    }

    /// For the hourly sweep: back-off rows whose last failure is older than
    /// [`BACKOFF_MEMORY_SECS`] (that asker starts afresh on that flat).
    pub async fn forget_buyer_check_failures_before(&self, cutoff: i64) -> AppResult<u64> {
        Ok(
            sqlx::query("DELETE FROM buyer_check_backoff WHERE last_failure_at < $1")
                .bind(cutoff)
                .execute(&self.pool)
                .await?
                .rows_affected(),
        )
    }
}

/// Buyer checks that may fail for one (asker, flat) before each further try must wait.
pub const FREE_BUYER_CHECKS: i64 = 5;
/// The wait after the last free failure; it doubles with every failure after that.
const FIRST_BACKOFF_SECS: i64 = 60;
const LONGEST_BACKOFF_SECS: i64 = 86_400;
/// An (asker, flat) without a failure for this long starts afresh.
pub const BACKOFF_MEMORY_SECS: i64 = 86_400;

/// How long the next buyer check must wait after `failures` failures: nothing for the
/// first few (people mistype), then a minute, doubling, at most a day. A person who
/// mistyped gets through; a guesser gets a handful of tries a day per flat.
pub fn backoff_after(failures: i64) -> i64 {
    if failures < FREE_BUYER_CHECKS {
        return 0;
    }
    let doublings = (failures - FREE_BUYER_CHECKS).min(20);
    (FIRST_BACKOFF_SECS << doublings).min(LONGEST_BACKOFF_SECS)
}

struct Backoff {
    failures: i64,
    blocked_until: i64,
}

/// Takes (creating it if need be) the back-off row of (asker, flat): on PostgreSQL its row
/// lock, on SQLite the write lock, so checks of one pair run one at a time.
async fn take_backoff_row(tx: &mut Tx, asker: &str, flat: &str) -> AppResult<Backoff> {
    let (failures, blocked_until): (i64, i64) = sqlx::query_as(
        "INSERT INTO buyer_check_backoff (client, flat) VALUES ($1, $2) \
         ON CONFLICT (client, flat) DO UPDATE SET failures = buyer_check_backoff.failures \
         RETURNING failures, blocked_until",
    )
    .bind(asker)
    .bind(flat)
    .fetch_one(&mut **tx)
    .await?;
    Ok(Backoff {
        failures,
        blocked_until,
    })
}

async fn buyer_matches(tx: &mut Tx, project_id: i64, booking: &ValidBooking) -> AppResult<bool> {
    let f = &booking.buyer.flat;
    let matched: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM buyers WHERE project_id = $1 AND building = $2 AND unit = $3 \
         AND room = $4 AND phone = $5 AND name = $6",
    )
    .bind(project_id)
    .bind(&f.building)
    .bind(&f.unit)
    .bind(&f.room)
    .bind(booking.buyer.phone.as_str())
    .bind(booking.buyer.buyer_name.as_str())
    .fetch_optional(&mut **tx)
    .await?;
    Ok(matched.is_some())
}

async fn record_failure(
    tx: &mut Tx,
    asker: &str,
    flat: &str,
    failures: i64,
    now: i64,
) -> AppResult<()> {
    sqlx::query(
        "UPDATE buyer_check_backoff SET failures = $1, last_failure_at = $2, blocked_until = $3 \
         WHERE client = $4 AND flat = $5",
    )
    .bind(failures)
    .bind(now)
    .bind(now + backoff_after(failures))
    .bind(asker)
    .bind(flat)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The asker proved to be the buyer: earlier typos are forgiven.
async fn forget_failures(tx: &mut Tx, asker: &str, flat: &str) -> AppResult<()> {
    sqlx::query("DELETE FROM buyer_check_backoff WHERE client = $1 AND flat = $2")
        .bind(asker)
        .bind(flat)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

fn now_t(now: i64) -> BeijingTime {
    BeijingTime::from_unix(now)
}

pub(super) async fn fetch_project<'e, E>(executor: E, id: i64) -> AppResult<ProjectRow>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    let sql = format!("SELECT {PROJECT_COLUMNS} FROM projects WHERE id = $1");
    sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(executor)
        .await?
        .ok_or(AppError::NotFound)
}

async fn slot_start(tx: &mut Tx, project_id: i64, slot_id: i64) -> AppResult<Option<i64>> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT starts_at FROM slots WHERE id = $1 AND project_id = $2")
            .bind(slot_id)
            .bind(project_id)
            .fetch_optional(&mut **tx)
            .await?;
    Ok(row.map(|(s,)| s))
}

pub(super) async fn release_place(tx: &mut Tx, slot_id: i64) -> AppResult<()> {
    sqlx::query("UPDATE slots SET taken = taken - 1 WHERE id = $1")
        .bind(slot_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Takes the booking's row lock (the first lock of every change; see the module comment).
async fn lock_booking(
    tx: &mut Tx,
    code: &BookingCode,
    phone: &PhoneNumber,
) -> AppResult<BookingRow> {
    let sql = format!(
        "UPDATE bookings SET updated_at = updated_at WHERE code = $1 AND phone = $2 \
         RETURNING {BOOKING_COLUMNS}"
    );
    sqlx::query_as(&sql)
        .bind(code.as_str())
        .bind(phone.as_str())
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(AppError::NotFound)
}

/// The project's rules, if the booking may still be moved or cancelled.
async fn changeable(tx: &mut Tx, booking: &BookingRow, now: i64) -> AppResult<BookingRules> {
    match BookingStatus::parse(&booking.status) {
        Some(BookingStatus::Confirmed) => {}
        Some(BookingStatus::Cancelled) => return Err(AppError::AlreadyCancelled),
        _ => return Err(AppError::PastCutoff),
    }
    let rules = fetch_project(&mut **tx, booking.project_id)
        .await?
        .rules()?;
    let starts = slot_start(tx, booking.project_id, booking.slot_id)
        .await?
        .ok_or_else(|| AppError::Internal(format!("booking {}: no slot", booking.id)))?;
    if rules.can_change(BeijingTime::from_unix(starts), now_t(now)) {
        Ok(rules)
    } else {
        Err(AppError::PastCutoff)
    }
}

pub(super) async fn record_change(
    tx: &mut Tx,
    booking_id: i64,
    action: BookingAction,
    slot_id: i64,
    now: i64,
) -> AppResult<()> {
    sqlx::query(
        "INSERT INTO booking_changes (booking_id, action, slot_id, at) VALUES ($1, $2, $3, $4)",
    )
    .bind(booking_id)
    .bind(action.as_str())
    .bind(slot_id)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn receipt(tx: &mut Tx, booking_id: i64) -> AppResult<BookingReceipt> {
    let sql = format!("SELECT {BOOKING_COLUMNS} FROM bookings WHERE id = $1");
    let row: BookingRow = sqlx::query_as(&sql)
        .bind(booking_id)
        .fetch_one(&mut **tx)
        .await?;
    let corrupt = |what: &str| AppError::Internal(format!("booking {}: bad {what}", row.id));
    let project = fetch_project(&mut **tx, row.project_id).await?;
    let rules = project.rules()?;
    let sql = format!("SELECT {SLOT_COLUMNS} FROM slots WHERE id = $1");
    let slot: SlotRow = sqlx::query_as(&sql)
        .bind(row.slot_id)
        .fetch_one(&mut **tx)
        .await?;
    let changes: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT c.at, c.action, s.starts_at FROM booking_changes c \
         JOIN slots s ON s.id = c.slot_id WHERE c.booking_id = $1 ORDER BY c.id",
    )
    .bind(row.id)
    .fetch_all(&mut **tx)
    .await?;
    let history = changes
        .into_iter()
        .map(|(at, action, starts)| {
            Ok(BookingChange {
                at: BeijingTime::from_unix(at),
                action: BookingAction::parse(&action).ok_or_else(|| corrupt("action"))?,
                slot_starts_at: BeijingTime::from_unix(starts),
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    let slot = slot.into_slot();
    Ok(BookingReceipt {
        code: BookingCode::parse(&row.code).map_err(|_| corrupt("code"))?,
        status: BookingStatus::parse(&row.status).ok_or_else(|| corrupt("status"))?,
        flat: flat_from_key(&row.flat).ok_or_else(|| corrupt("flat"))?,
        buyer_name: row.buyer_name.clone(),
        phone_masked: mask_phone(&row.phone),
        party_size: u8::try_from(row.party_size).map_err(|_| corrupt("party_size"))?,
        notes: row.notes.clone(),
        change_deadline: rules.change_deadline(slot.starts_at),
        slot,
        history,
        office_notice: row.office_notice.clone(),
        defects: Vec::new(),
        project: project.into_project()?,
    })
}

/// The SMS a buyer gets when the sales office changes their visit.
pub(super) mod booking_notice {
    use model::BeijingTime;

    fn when(t: BeijingTime) -> String {
        let c = t.civil();
        format!(
            "{}月{}日 {:02}:{:02}",
            c.date.month, c.date.day, c.hour, c.minute
        )
    }

    pub fn moved(project: &str, to: BeijingTime, code: &str) -> String {
        format!(
            "【奉贤质量月】{project}售楼处调整了看房时间，您的预看房（预约码 {code}）改到{}。如不便前来，可在“我的”中改约或取消。",
            when(to)
        )
    }

    pub fn cancelled(project: &str, was: BeijingTime, code: &str) -> String {
        format!(
            "【奉贤质量月】{project}售楼处取消了{}的看房时段，您的预看房（预约码 {code}）已取消，请在“我的”中重新预约。给您带来不便，敬请谅解。",
            when(was)
        )
    }
}
