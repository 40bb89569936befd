//! Defects followed to repair. The buyer (with their booking code and phone) or the door
//! records one; the office moves it to in progress and repaired; the buyer confirms or
//! reopens. Each change is a step of the defect's history, told to the other side by SMS
//! (the buyer's phone; the office's contact number when it is a mobile), and each staff
//! change is audited. Photos are stored as files beforehand; rows here name them.
//!
//! Lock order: the booking row, then the defect row.

use super::Store;
use super::audit::{self, Act, Actor};
use super::idempotency::{self, Begun, IdempotencyKey, Replayable};
use super::notifications::queue_sms;
use super::projects::flat_from_key;
use crate::error::{AppError, AppResult};
use model::defect::{
    Defect, DefectCategory, DefectRoom, DefectStatus, DefectStep, DefectUpdate, NewDefect, Party,
};
use model::{BeijingTime, BookingCode, PhoneNumber};
use serde_json::json;
use sqlx::{Any, Transaction};

type Tx = Transaction<'static, Any>;

/// Who is acting on a defect, and on which booking or project.
pub enum DefectActor<'a> {
    /// The buyer, proved by the booking's code and phone.
    Buyer { phone: &'a PhoneNumber },
    /// Staff of the project (the caller checked the scope).
    Staff { project_id: i64, actor: &'a Actor },
}

impl DefectActor<'_> {
    fn party(&self) -> Party {
        match self {
            Self::Buyer { .. } => Party::Buyer,
            Self::Staff { .. } => Party::Staff,
        }
    }
}

struct BookingFacts {
    id: i64,
    project_id: i64,
    phone: String,
    status: String,
    starts_at: i64,
    project_name: String,
    contact_phone: String,
}

impl Store {
    /// Records a defect for the visit of booking `code` (staff name the code; the buyer
    /// proves it). Allowed once the visit has begun (checked in, or its time has come).
    pub async fn record_defect(
        &self,
        who: DefectActor<'_>,
        code: &BookingCode,
        defect: &NewDefect,
        photo_ids: &[String],
        key: Option<&IdempotencyKey>,
        now: i64,
    ) -> AppResult<Replayable<Defect>> {
        let mut tx = match idempotency::begin(&self.pool, key, now).await? {
            Begun::Fresh(tx) => tx,
            Begun::Replayed(answer) => return Ok(answer),
        };
        let booking = lock_booking(&mut tx, &who, code).await?;
        let begun = booking.status == "checked_in"
            || (booking.status == "confirmed" && booking.starts_at <= now);
        if !begun {
            return Err(AppError::WrongStatus);
        }
        let by = who.party();
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO defects (project_id, booking_id, room, category, description, status, \
               recorded_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, 'open', $6, $7, $7) RETURNING id",
        )
        .bind(booking.project_id)
        .bind(booking.id)
        .bind(defect.room.as_str())
        .bind(defect.category.as_str())
        .bind(defect.description.trim())
        .bind(by.as_str())
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        add_step(&mut tx, id, &who, DefectStatus::Open, "", photo_ids, now).await?;
        if let DefectActor::Staff { actor, project_id } = &who {
            let act = Act {
                action: "defect.record",
                subject: format!("project:{project_id} defect:{id}"),
                before: None,
                after: Some(json!({
                    "booking": code.as_str(),
                    "room": defect.room,
                    "category": defect.category,
                    "photos": photo_ids.len(),
                })),
            };
            audit::append(&mut tx, actor, act, now).await?;
        } else if let Ok(office) = PhoneNumber::parse(&booking.contact_phone) {
            let body = format!(
                "【奉贤质量月】{}有业主记录了新的房屋问题（预约码 {}），请在工作台查看。",
                booking.project_name,
                code.as_str()
            );
            queue_sms(&mut tx, office.as_str(), &body, now).await?;
        }
        let answer = load_defect(&mut tx, id).await?;
        idempotency::commit(tx, key, answer).await
    }

    /// Moves a defect (of the booking with that code) on, if [`DefectStatus::may_become`]
    /// allows it for who is acting.
    pub async fn update_defect(
        &self,
        who: DefectActor<'_>,
        (code, defect_id): (&BookingCode, i64),
        update: &DefectUpdate,
        photo_ids: &[String],
        key: Option<&IdempotencyKey>,
        now: i64,
    ) -> AppResult<Replayable<Defect>> {
        let mut tx = match idempotency::begin(&self.pool, key, now).await? {
            Begun::Fresh(tx) => tx,
            Begun::Replayed(answer) => return Ok(answer),
        };
        let booking = lock_booking(&mut tx, &who, code).await?;
        let row: Option<(String,)> = sqlx::query_as(
            "UPDATE defects SET updated_at = updated_at WHERE id = $1 AND booking_id = $2 \
             RETURNING status",
        )
        .bind(defect_id)
        .bind(booking.id)
        .fetch_optional(&mut *tx)
        .await?;
        let (status,) = row.ok_or(AppError::NotFound)?;
        let from = DefectStatus::parse(&status)
            .ok_or_else(|| AppError::Internal(format!("defect {defect_id}: bad status")))?;
        if !from.may_become(update.status, who.party()) {
            return Err(AppError::WrongStatus);
        }
        sqlx::query(
            "UPDATE defects SET status = $1, updated_at = $2, \
               first_repaired_at = CASE WHEN $1 = 'repaired' AND first_repaired_at IS NULL \
                                        THEN $2 ELSE first_repaired_at END \
             WHERE id = $3",
        )
        .bind(update.status.as_str())
        .bind(now)
        .bind(defect_id)
        .execute(&mut *tx)
        .await?;
        let note = update.note.trim();
        add_step(
            &mut tx,
            defect_id,
            &who,
            update.status,
            note,
            photo_ids,
            now,
        )
        .await?;
        match &who {
            DefectActor::Staff { actor, project_id } => {
                let act = Act {
                    action: "defect.status",
                    subject: format!("project:{project_id} defect:{defect_id}"),
                    before: Some(json!({ "status": from })),
                    after: Some(json!({ "status": update.status, "note": note })),
                };
                audit::append(&mut tx, actor, act, now).await?;
                let word = match update.status {
                    DefectStatus::InProgress => "正在处理",
                    _ => "已整改，请查看后确认",
                };
                let body = format!(
                    "【奉贤质量月】您在{}预看房记录的问题{word}（预约码 {}）。",
                    booking.project_name,
                    code.as_str()
                );
                queue_sms(&mut tx, &booking.phone, &body, now).await?;
            }
            DefectActor::Buyer { .. } => {
                if let Ok(office) = PhoneNumber::parse(&booking.contact_phone) {
                    let word = match update.status {
                        DefectStatus::Confirmed => "已确认整改",
                        _ => "认为整改未完成，已重新打开",
                    };
                    let body = format!(
                        "【奉贤质量月】{}业主{word}（预约码 {}），请在工作台查看。",
                        booking.project_name,
                        code.as_str()
                    );
                    queue_sms(&mut tx, office.as_str(), &body, now).await?;
                }
            }
        }
        let answer = load_defect(&mut tx, defect_id).await?;
        idempotency::commit(tx, key, answer).await
    }

    /// The defects of one booking, oldest first (photo fields hold photo ids).
    pub async fn booking_defects(&self, code: &BookingCode) -> AppResult<Vec<Defect>> {
        let ids: Vec<(i64,)> = sqlx::query_as(
            "SELECT d.id FROM defects d JOIN bookings b ON b.id = d.booking_id \
             WHERE b.code = $1 ORDER BY d.id",
        )
        .bind(code.as_str())
        .fetch_all(&self.pool)
        .await?;
        self.defects_by_id(ids).await
    }

    /// A project's defects, those that changed last first.
    pub async fn project_defects(&self, project_id: i64) -> AppResult<Vec<Defect>> {
        let ids: Vec<(i64,)> = sqlx::query_as(
            "SELECT id FROM defects WHERE project_id = $1 ORDER BY updated_at DESC, id DESC",
        )
        .bind(project_id)
        .fetch_all(&self.pool)
        .await?;
        self.defects_by_id(ids).await
    }

    /// The booking code of a defect of the project; `NotFound` for another project's.
    pub async fn defect_booking(&self, project_id: i64, defect_id: i64) -> AppResult<BookingCode> {
        let row: Option<(String,)> = sqlx::query_as(
            "SELECT b.code FROM defects d JOIN bookings b ON b.id = d.booking_id \
             WHERE d.id = $1 AND d.project_id = $2",
        )
        .bind(defect_id)
        .bind(project_id)
        .fetch_optional(&self.pool)
        .await?;
        let (code,) = row.ok_or(AppError::NotFound)?;
        BookingCode::parse(&code)
            .map_err(|_| AppError::Internal(format!("defect {defect_id}: bad code")))
    }

    /// Which project a photo belongs to, and the code of its booking.
    pub async fn photo_owner(&self, photo_id: &str) -> AppResult<(i64, String)> {
        let row: Option<(i64, String)> = sqlx::query_as(
            "SELECT d.project_id, b.code FROM defect_photos p \
             JOIN defect_steps st ON st.id = p.step_id JOIN defects d ON d.id = st.defect_id \
             JOIN bookings b ON b.id = d.booking_id WHERE p.file = $1",
        )
        .bind(photo_id)
        .fetch_optional(&self.pool)
        .await?;
        row.ok_or(AppError::NotFound)
    }

    async fn defects_by_id(&self, ids: Vec<(i64,)>) -> AppResult<Vec<Defect>> {
        let mut tx = self.pool.begin().await?;
        let mut out = Vec::with_capacity(ids.len());
        for (id,) in ids {
            out.push(load_defect(&mut tx, id).await?);
        }
        tx.rollback().await?;
        Ok(out)
    }
}

/// Takes the booking's row lock, checking who may act on it.
async fn lock_booking(
    tx: &mut Tx,
    who: &DefectActor<'_>,
    code: &BookingCode,
) -> AppResult<BookingFacts> {
    let row: Option<(i64, i64, String, String, i64)> = sqlx::query_as(
        "UPDATE bookings SET updated_at = updated_at WHERE code = $1 \
         RETURNING id, project_id, phone, status, slot_id",
    )
    .bind(code.as_str())
    .fetch_optional(&mut **tx)
    .await?;
    let (id, project_id, phone, status, slot_id) = row.ok_or(AppError::NotFound)?;
    let allowed = match who {
        DefectActor::Buyer { phone: p, .. } => p.as_str() == phone,
        DefectActor::Staff { project_id: p, .. } => *p == project_id,
    };
    if !allowed {
        return Err(AppError::NotFound);
    }
    if status == "cancelled" {
        return Err(AppError::AlreadyCancelled);
    }
    let (starts_at, project_name, contact_phone): (i64, String, String) = sqlx::query_as(
        "SELECT s.starts_at, p.name_zh, p.contact_phone FROM slots s \
         JOIN projects p ON p.id = s.project_id WHERE s.id = $1",
    )
    .bind(slot_id)
    .fetch_one(&mut **tx)
    .await?;
    Ok(BookingFacts {
        id,
        project_id,
        phone,
        status,
        starts_at,
        project_name,
        contact_phone,
    })
}

async fn add_step(
    tx: &mut Tx,
    defect_id: i64,
    who: &DefectActor<'_>,
    status: DefectStatus,
    note: &str,
    photo_ids: &[String],
    now: i64,
) -> AppResult<()> {
    let actor = match who {
        DefectActor::Staff { actor, .. } => actor.login.as_str(),
        DefectActor::Buyer { .. } => "",
    };
    let (step,): (i64,) = sqlx::query_as(
        "INSERT INTO defect_steps (defect_id, at, by_party, actor, status, note) \
         VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
    )
    .bind(defect_id)
    .bind(now)
    .bind(who.party().as_str())
    .bind(actor)
    .bind(status.as_str())
    .bind(note)
    .fetch_one(&mut **tx)
    .await?;
    for photo in photo_ids {
        sqlx::query("INSERT INTO defect_photos (step_id, file, created_at) VALUES ($1, $2, $3)")
            .bind(step)
            .bind(photo)
            .bind(now)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

type DefectRow = (
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    i64,
    i64,
    String,
);

async fn load_defect(tx: &mut Tx, id: i64) -> AppResult<Defect> {
    let (id, code, flat, room, category, description, status, created, updated, by): DefectRow =
        sqlx::query_as(
            "SELECT d.id, b.code, b.flat, d.room, d.category, d.description, d.status, \
               d.created_at, d.updated_at, d.recorded_by \
             FROM defects d JOIN bookings b ON b.id = d.booking_id WHERE d.id = $1",
        )
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(AppError::NotFound)?;
    let corrupt = |what: &str| AppError::Internal(format!("defect {id}: bad {what}"));
    let steps: Vec<(i64, i64, String, String, String)> = sqlx::query_as(
        "SELECT id, at, by_party, status, note FROM defect_steps WHERE defect_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(&mut **tx)
    .await?;
    let photos: Vec<(i64, String)> = sqlx::query_as(
        "SELECT p.step_id, p.file FROM defect_photos p JOIN defect_steps s ON s.id = p.step_id \
         WHERE s.defect_id = $1 ORDER BY p.id",
    )
    .bind(id)
    .fetch_all(&mut **tx)
    .await?;
    let history = steps
        .into_iter()
        .map(|(step, at, by, status, note)| {
            Ok(DefectStep {
                at: BeijingTime::from_unix(at),
                by: Party::parse(&by).ok_or_else(|| corrupt("party"))?,
                status: DefectStatus::parse(&status).ok_or_else(|| corrupt("status"))?,
                note,
                photos: photos
                    .iter()
                    .filter(|(s, _)| *s == step)
                    .map(|(_, f)| f.clone())
                    .collect(),
            })
        })
        .collect::<AppResult<Vec<_>>>()?;
    Ok(Defect {
        id,
        booking_code: code,
        flat: flat_from_key(&flat).ok_or_else(|| corrupt("flat"))?,
        room: DefectRoom::parse(&room).ok_or_else(|| corrupt("room"))?,
        category: DefectCategory::parse(&category).ok_or_else(|| corrupt("category"))?,
        description,
        status: DefectStatus::parse(&status).ok_or_else(|| corrupt("status"))?,
        recorded_by: Party::parse(&by).ok_or_else(|| corrupt("party"))?,
        recorded_at: BeijingTime::from_unix(created),
        updated_at: BeijingTime::from_unix(updated),
        history,
    })
}
