//! Sign-ups: register (or join the waitlist), look up, cancel (which moves the waitlist up).
//!
//! Lock order, on every path: the event row first, then registration rows. Taking the
//! event row first (with an `UPDATE`) serialises every change to one event's places and
//! waitlist on PostgreSQL, and takes the write lock on SQLite.

use super::Store;
use super::events::{SUMMARY_COLUMNS, SummaryRow};
use super::idempotency::{self, Begun, IdempotencyKey, Replayable};
use crate::error::{AppError, AppResult};
use model::{
    Audience, OrganisationShown, PhoneNumber, RegistrationCode, RegistrationReceipt,
    RegistrationStatus, ValidRegistration, mask_phone,
};
use sqlx::{Any, Transaction};

type Tx = Transaction<'static, Any>;

#[derive(sqlx::FromRow)]
struct RegistrationRow {
    id: i64,
    event_id: i64,
    code: String,
    name: String,
    phone: String,
    party_size: i64,
    status: String,
    org_name: Option<String>,
    org_code: Option<String>,
}

const REGISTRATION_COLUMNS: &str =
    "id, event_id, code, name, phone, party_size, status, org_name, org_code";

/// An organisation as kept: both parts or none.
pub(super) fn organisation_shown(
    name: Option<String>,
    credit_code: Option<String>,
) -> Option<OrganisationShown> {
    name.zip(credit_code)
        .map(|(name, credit_code)| OrganisationShown { name, credit_code })
}

impl Store {
    pub async fn register(
        &self,
        event_id: i64,
        reg: &ValidRegistration,
        key: Option<&IdempotencyKey>,
        now: i64,
    ) -> AppResult<Replayable<RegistrationReceipt>> {
        let mut tx = match idempotency::begin(&self.pool, key, now).await? {
            Begun::Fresh(tx) => tx,
            Begun::Replayed(answer) => return Ok(answer),
        };
        let (open, audience) = lock_event(&mut tx, event_id, now).await?;
        if !open {
            return Err(AppError::EventClosed);
        }
        let welcome = match reg.organisation {
            None => audience.takes_residents(),
            Some(_) => audience.takes_organisations(),
        };
        if !welcome {
            return Err(AppError::WrongAudience);
        }
        // Under the event's lock nobody else signs up to it, so what these reads find
        // stands until the insert.
        let org = reg.organisation.as_ref();
        let org_code = org.map(|o| o.credit_code.as_str());
        if let Some(signed_up_for) = phone_signed_up_for(&mut tx, event_id, &reg.phone).await? {
            // The same sign-up again (its owner is given it back) or, with this phone,
            // one for someone else, which is never shown to this request.
            return Err(if signed_up_for.as_deref() == org_code {
                AppError::AlreadyRegistered
            } else {
                AppError::PhoneSignedUpForAnother
            });
        }
        if let Some(o) = org
            && organisation_signed_up(&mut tx, event_id, o).await?
        {
            return Err(AppError::OrganisationAlreadyRegistered);
        }
        let party = i64::from(reg.party_size);
        let granted = sqlx::query(
            "UPDATE events SET taken = taken + $1 WHERE id = $2 AND taken + $1 <= capacity",
        )
        .bind(party)
        .bind(event_id)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        let status = if granted {
            RegistrationStatus::Registered
        } else {
            RegistrationStatus::Waitlisted
        };
        // A clash of random codes is about one in 10^12; it surfaces as an error, not a
        // silent overwrite, because `code` is UNIQUE. The one-active-sign-up indexes of
        // the phone and of the organisation stand behind the reads above.
        let code = RegistrationCode::from_random(rand::random());
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO registrations \
               (event_id, code, name, phone, party_size, status, created_at, updated_at, \
                org_name, org_code) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9) \
             RETURNING id",
        )
        .bind(event_id)
        .bind(code.as_str())
        .bind(reg.name.as_str())
        .bind(reg.phone.as_str())
        .bind(party)
        .bind(status.as_str())
        .bind(now)
        .bind(org.map(|o| o.name.as_str()))
        .bind(org_code)
        .fetch_one(&mut *tx)
        .await?;
        let row = fetch_registration_by_id(&mut tx, id).await?;
        let receipt = receipt(&mut tx, row).await?;
        idempotency::commit(tx, key, receipt).await
    }

    /// The sign-up with this code, if `phone` is the one it was made with. A wrong phone
    /// and an unknown code get the same answer, so codes cannot be probed.
    pub async fn lookup_registration(
        &self,
        code: &RegistrationCode,
        phone: &PhoneNumber,
    ) -> AppResult<RegistrationReceipt> {
        let mut tx = self.pool.begin().await?;
        let row = find_registration(&mut tx, code, phone)
            .await?
            .ok_or(AppError::NotFound)?;
        let receipt = receipt(&mut tx, row).await?;
        tx.commit().await?;
        Ok(receipt)
    }

    /// The phone's active sign-up for the event (for its proved owner signing up again).
    pub async fn active_registration(
        &self,
        event_id: i64,
        phone: &PhoneNumber,
    ) -> AppResult<RegistrationReceipt> {
        let mut tx = self.pool.begin().await?;
        let sql = format!(
            "SELECT {REGISTRATION_COLUMNS} FROM registrations \
             WHERE event_id = $1 AND phone = $2 AND status <> 'cancelled'"
        );
        let row: RegistrationRow = sqlx::query_as(&sql)
            .bind(event_id)
            .bind(phone.as_str())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(AppError::NotFound)?;
        let receipt = receipt(&mut tx, row).await?;
        tx.commit().await?;
        Ok(receipt)
    }

    /// Cancels a sign-up, frees its places and moves the waitlist up. Cancelling what is
    /// already cancelled answers with the cancelled sign-up: a retry is harmless.
    pub async fn cancel_registration(
        &self,
        code: &RegistrationCode,
        phone: &PhoneNumber,
        key: Option<&IdempotencyKey>,
        now: i64,
    ) -> AppResult<Replayable<RegistrationReceipt>> {
        let mut tx = match idempotency::begin(&self.pool, key, now).await? {
            Begun::Fresh(tx) => tx,
            Begun::Replayed(answer) => return Ok(answer),
        };
        // Lock the event first (see the module comment), found through the code.
        sqlx::query(
            "UPDATE events SET taken = taken \
             WHERE id = (SELECT event_id FROM registrations WHERE code = $1)",
        )
        .bind(code.as_str())
        .execute(&mut *tx)
        .await?;
        let row = find_registration(&mut tx, code, phone)
            .await?
            .ok_or(AppError::NotFound)?;
        let was = RegistrationStatus::parse(&row.status);
        if was != Some(RegistrationStatus::Cancelled) {
            sqlx::query(
                "UPDATE registrations SET status = 'cancelled', updated_at = $1 WHERE id = $2",
            )
            .bind(now)
            .bind(row.id)
            .execute(&mut *tx)
            .await?;
        }
        if was == Some(RegistrationStatus::Registered) {
            sqlx::query("UPDATE events SET taken = taken - $1 WHERE id = $2")
                .bind(row.party_size)
                .bind(row.event_id)
                .execute(&mut *tx)
                .await?;
            promote_waitlist(&mut tx, row.event_id, now).await?;
        }
        let row = fetch_registration_by_id(&mut tx, row.id).await?;
        let receipt = receipt(&mut tx, row).await?;
        idempotency::commit(tx, key, receipt).await
    }
}

/// Takes the event's row lock and tells whether it takes sign-ups (published, not yet
/// started), and from whom. An unknown event is `NotFound`.
async fn lock_event(tx: &mut Tx, event_id: i64, now: i64) -> AppResult<(bool, Audience)> {
    let row: Option<(String, i64, Option<i64>, String)> = sqlx::query_as(
        "UPDATE events SET taken = taken WHERE id = $1 AND status <> 'draft' \
         RETURNING status, starts_at, signup_closes_at, audience",
    )
    .bind(event_id)
    .fetch_optional(&mut **tx)
    .await?;
    let (status, starts_at, closes_at, audience) = row.ok_or(AppError::NotFound)?;
    let audience = Audience::parse(&audience)
        .ok_or_else(|| AppError::Internal(format!("event {event_id}: bad audience")))?;
    let open = status == "published" && starts_at.min(closes_at.unwrap_or(starts_at)) > now;
    Ok((open, audience))
}

/// Whether the phone has an active sign-up for the event, and if so the credit code of the
/// organisation it was made for (`None` inside: the person's own).
async fn phone_signed_up_for(
    tx: &mut Tx,
    event_id: i64,
    phone: &PhoneNumber,
) -> AppResult<Option<Option<String>>> {
    let found: Option<(Option<String>,)> = sqlx::query_as(
        "SELECT org_code FROM registrations \
         WHERE event_id = $1 AND phone = $2 AND status <> 'cancelled'",
    )
    .bind(event_id)
    .bind(phone.as_str())
    .fetch_optional(&mut **tx)
    .await?;
    Ok(found.map(|(code,)| code))
}

async fn organisation_signed_up(
    tx: &mut Tx,
    event_id: i64,
    org: &model::Organisation,
) -> AppResult<bool> {
    let found: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM registrations \
         WHERE event_id = $1 AND org_code = $2 AND status <> 'cancelled'",
    )
    .bind(event_id)
    .bind(org.credit_code.as_str())
    .fetch_optional(&mut **tx)
    .await?;
    Ok(found.is_some())
}

/// Gives freed places to the waitlist in arrival order. Stops at the first party that does
/// not fit, so nobody is overtaken by a smaller party that came later.
pub(super) async fn promote_waitlist(tx: &mut Tx, event_id: i64, now: i64) -> AppResult<()> {
    loop {
        let head: Option<(i64, i64)> = sqlx::query_as(
            "SELECT id, party_size FROM registrations \
             WHERE event_id = $1 AND status = 'waitlisted' ORDER BY id LIMIT 1",
        )
        .bind(event_id)
        .fetch_optional(&mut **tx)
        .await?;
        let Some((id, party)) = head else {
            return Ok(());
        };
        let fits = sqlx::query(
            "UPDATE events SET taken = taken + $1 \
             WHERE id = $2 AND status = 'published' AND taken + $1 <= capacity",
        )
        .bind(party)
        .bind(event_id)
        .execute(&mut **tx)
        .await?
        .rows_affected()
            == 1;
        if !fits {
            return Ok(());
        }
        sqlx::query(
            "UPDATE registrations SET status = 'registered', updated_at = $1 WHERE id = $2",
        )
        .bind(now)
        .bind(id)
        .execute(&mut **tx)
        .await?;
        super::reminders::notify_promoted(tx, id, now).await?;
    }
}

async fn find_registration(
    tx: &mut Tx,
    code: &RegistrationCode,
    phone: &PhoneNumber,
) -> AppResult<Option<RegistrationRow>> {
    let sql =
        format!("SELECT {REGISTRATION_COLUMNS} FROM registrations WHERE code = $1 AND phone = $2");
    Ok(sqlx::query_as(&sql)
        .bind(code.as_str())
        .bind(phone.as_str())
        .fetch_optional(&mut **tx)
        .await?)
}

async fn fetch_registration_by_id(tx: &mut Tx, id: i64) -> AppResult<RegistrationRow> {
    let sql = format!("SELECT {REGISTRATION_COLUMNS} FROM registrations WHERE id = $1");
    Ok(sqlx::query_as(&sql).bind(id).fetch_one(&mut **tx).await?)
}

async fn receipt(tx: &mut Tx, row: RegistrationRow) -> AppResult<RegistrationReceipt> {
    let status = RegistrationStatus::parse(&row.status)
        .ok_or_else(|| AppError::Internal(format!("registration {}: bad status", row.id)))?;
    let waitlist_position = if status == RegistrationStatus::Waitlisted {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM registrations \
             WHERE event_id = $1 AND status = 'waitlisted' AND id <= $2",
        )
        .bind(row.event_id)
        .bind(row.id)
        .fetch_one(&mut **tx)
        .await?;
        Some(u32::try_from(n).unwrap_or(u32::MAX))
    } else {
        None
    };
    let sql = format!("SELECT {SUMMARY_COLUMNS} FROM events e WHERE e.id = $1");
    let event: SummaryRow = sqlx::query_as(&sql)
        .bind(row.event_id)
        .fetch_one(&mut **tx)
        .await?;
    Ok(RegistrationReceipt {
        code: RegistrationCode::parse(&row.code)
            .map_err(|_| AppError::Internal(format!("registration {}: bad code", row.id)))?,
        status,
        waitlist_position,
        name: row.name,
        phone_masked: mask_phone(&row.phone),
        party_size: u8::try_from(row.party_size).unwrap_or(0),
        event: event.into_summary()?,
        organisation: organisation_shown(row.org_name, row.org_code),
    })
}
