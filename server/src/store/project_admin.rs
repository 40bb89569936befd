//! Running a project as its sales office: its details, its visit plan (slots regenerated
//! for the future without touching booked places), the day's visits, check-in and
//! no-shows. Every write appends its audit row in its own transaction.
//!
//! A plan change locks the project row, then withdraws the slots it drops (ascending id, so
//! no new booking gets into them), then each displaced booking (checked to be as read) and
//! the slot it moves to. A buyer's reschedule locks its booking before slots, so a buyer
//! moving a visit out of a slot at the very moment the office closes that slot can meet it
//! the other way round; PostgreSQL then refuses one of the two with an error, and that
//! write is sent again (the phone's outbox retries it; the office presses again).

use super::Store;
use super::audit::{self, Act, Actor};
use super::inspections::{
    ProjectRow, booking_notice, fetch_project, flat_from_key, record_change, release_place,
};
use super::notifications::queue_sms;
use crate::error::{AppError, AppResult};
use model::project_admin::{PlannedSlot, mask_name};
use model::{
    BeijingDate, BeijingTime, BookingAction, BookingCode, Localized, PlanChange, PlanOutcome,
    ProjectDraft, Slot, StaffProject, Visit, VisitCheckin, VisitPlan, VisitState, mask_phone,
};
use serde_json::json;
use sqlx::{Any, Transaction};
use std::collections::{BTreeMap, HashMap};

type Tx = Transaction<'static, Any>;

#[derive(sqlx::FromRow)]
pub(super) struct VisitRow {
    pub id: i64,
    pub slot_id: i64,
    pub code: String,
    pub flat: String,
    pub buyer_name: String,
    pub phone: String,
    pub party_size: i64,
    pub notes: String,
    pub status: String,
    pub checked_in_at: Option<i64>,
    pub no_show_at: Option<i64>,
    pub starts_at: i64,
    pub ends_at: i64,
}

pub(super) const VISIT_COLUMNS: &str = "b.id, b.slot_id, b.code, b.flat, b.buyer_name, \
     b.phone, b.party_size, b.notes, b.status, b.checked_in_at, b.no_show_at, s.starts_at, \
     s.ends_at";

impl VisitRow {
    pub fn into_visit(self) -> AppResult<Visit> {
        let corrupt = |what: &str| AppError::Internal(format!("booking {}: bad {what}", self.id));
        let status = model::BookingStatus::parse(&self.status).ok_or_else(|| corrupt("status"))?;
        Ok(Visit {
            flat: flat_from_key(&self.flat).ok_or_else(|| corrupt("flat"))?,
            buyer_name: mask_name(&self.buyer_name),
            phone_masked: mask_phone(&self.phone),
            party_size: u8::try_from(self.party_size).map_err(|_| corrupt("party_size"))?,
            notes: self.notes,
            starts_at: BeijingTime::from_unix(self.starts_at),
            ends_at: BeijingTime::from_unix(self.ends_at),
            state: VisitState::of(status, self.no_show_at.is_some()),
            checked_in_at: self.checked_in_at.map(BeijingTime::from_unix),
            code: self.code,
        })
    }
}

/// Binds what the office writes about a project as `$1`…`$13`, in the column order both
/// the insert and the update name them.
fn bind_draft<'q>(
    query: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>,
    d: &'q ProjectDraft,
) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>> {
    query
        .bind(d.town.slug())
        .bind(d.name.zh.trim())
        .bind(d.name.en.trim())
        .bind(d.developer.zh.trim())
        .bind(d.developer.en.trim())
        .bind(d.address.zh.trim())
        .bind(d.address.en.trim())
        .bind(d.handover_on.to_string())
        .bind(i64::from(d.opens_days_before))
        .bind(i64::from(d.change_cutoff_hours))
        .bind(d.instructions.zh.trim())
        .bind(d.instructions.en.trim())
        .bind(d.contact_phone.trim())
}

impl Store {
    pub async fn create_project(
        &self,
        draft: &ProjectDraft,
        actor: &Actor,
        now: i64,
    ) -> AppResult<StaffProject> {
        let mut tx = self.pool.begin().await?;
        let row = bind_draft(
            sqlx::query(
                "INSERT INTO projects (town, name_zh, name_en, developer_zh, developer_en, \
                   address_zh, address_en, handover_on, opens_days_before, cutoff_hours, \
                   instructions_zh, instructions_en, contact_phone, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) \
                 RETURNING id",
            ),
            draft,
        )
        .bind(now)
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = sqlx::Row::try_get(&row, 0)?;
        let act = Act {
            action: "project.create",
            subject: format!("project:{id}"),
            before: None,
            after: Some(json!(draft)),
        };
        audit::append(&mut tx, actor, act, now).await?;
        tx.commit().await?;
        self.staff_project(id).await
    }

    pub async fn update_project(
        &self,
        id: i64,
        draft: &ProjectDraft,
        actor: &Actor,
        now: i64,
    ) -> AppResult<StaffProject> {
        let before = self.staff_project(id).await?;
        let mut tx = self.pool.begin().await?;
        let changed = bind_draft(
            sqlx::query(
                "UPDATE projects SET town = $1, name_zh = $2, name_en = $3, developer_zh = $4, \
                   developer_en = $5, address_zh = $6, address_en = $7, handover_on = $8, \
                   opens_days_before = $9, cutoff_hours = $10, instructions_zh = $11, \
                   instructions_en = $12, contact_phone = $13 WHERE id = $14",
            ),
            draft,
        )
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if changed == 0 {
            return Err(AppError::NotFound);
        }
        let act = Act {
            action: "project.update",
            subject: format!("project:{id}"),
            before: Some(json!(before.draft)),
            after: Some(json!(draft)),
        };
        audit::append(&mut tx, actor, act, now).await?;
        tx.commit().await?;
        self.staff_project(id).await
    }

    /// Every project, newest handover last; the caller keeps those the staff member may see.
    pub async fn staff_projects(&self) -> AppResult<Vec<StaffProject>> {
        let ids: Vec<(i64,)> = sqlx::query_as("SELECT id FROM projects ORDER BY handover_on, id")
            .fetch_all(&self.pool)
            .await?;
        let mut out = Vec::with_capacity(ids.len());
        for (id,) in ids {
            out.push(self.staff_project(id).await?);
        }
        Ok(out)
    }

    pub async fn staff_project(&self, id: i64) -> AppResult<StaffProject> {
        let row = fetch_project(&self.pool, id).await?;
        let extra: (String, String, String, Option<String>) = sqlx::query_as(
            "SELECT instructions_zh, instructions_en, contact_phone, plan_json \
             FROM projects WHERE id = $1",
        )
        .bind(id)
        .fetch_one(&self.pool)
        .await?;
        let (flats,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM (SELECT DISTINCT building, unit, room FROM buyers \
             WHERE project_id = $1) f",
        )
        .bind(id)
        .fetch_one(&self.pool)
        .await?;
        let plan = extra
            .3
            .as_deref()
            .map(serde_json::from_str::<VisitPlan>)
            .transpose()
            .map_err(|e| AppError::Internal(format!("project {id}: bad plan: {e}")))?;
        let staff = self
            .accounts()
            .await?
            .into_iter()
            .filter(|a| a.grant.scopes.contains(&model::Scope::Project(id)))
            .map(|a| model::AssignedStaff {
                id: a.id,
                login: a.login,
                role: a.grant.role,
            })
            .collect();
        Ok(StaffProject {
            id,
            draft: draft_of(row, extra.0, extra.1, extra.2)?,
            plan,
            flats: u32::try_from(flats).unwrap_or(u32::MAX),
            staff,
        })
    }

    /// Sets the visit plan and makes the future slots follow it: new times are added,
    /// changed capacities applied (never below the places taken), times the plan dropped
    /// are withdrawn. Booked visits in a dropped time are moved or cancelled as
    /// `change.decisions` say, each buyer told by SMS. Without `commit` the whole change
    /// is made and rolled back, so the answer is exactly what a commit would do.
    pub async fn change_plan(
        &self,
        id: i64,
        change: &PlanChange,
        actor: &Actor,
        now: i64,
    ) -> AppResult<PlanOutcome> {
        let mut tx = self.pool.begin().await?;
        let locked = sqlx::query("UPDATE projects SET plan_json = $1 WHERE id = $2")
            .bind(
                serde_json::to_string(&change.plan)
                    .map_err(|e| AppError::Internal(e.to_string()))?,
            )
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if locked == 0 {
            return Err(AppError::NotFound);
        }
        let project = fetch_project(&mut *tx, id).await?;
        let rules = project.rules()?;
        let today = BeijingTime::from_unix(now).date();
        let first = today.max(rules.opens_at().date());
        let last = rules.handover_on.add_days(-1);
        let planned: Vec<PlannedSlot> = change
            .plan
            .slots(first, last)
            .into_iter()
            .filter(|s| s.starts_at.unix() > now)
            .collect();
        let existing: Vec<(i64, i64, i64, i64, i64, i64)> = sqlx::query_as(
            "SELECT id, starts_at, ends_at, capacity, taken, withdrawn FROM slots \
             WHERE project_id = $1 AND starts_at > $2",
        )
        .bind(id)
        .bind(now)
        .fetch_all(&mut *tx)
        .await?;
        let by_start: HashMap<i64, (i64, i64, i64, i64, i64)> = existing
            .iter()
            .map(|&(sid, s, e, c, t, w)| (s, (sid, e, c, t, w)))
            .collect();
        let mut outcome = PlanOutcome {
            committed: false,
            slots_added: 0,
            slots_removed: 0,
            slots_changed: 0,
            displaced: Vec::new(),
            free: Vec::new(),
        };
        // Times the plan drops are withdrawn first: from here on no new booking gets in,
        // and the visits already in them are all there is to decide about.
        let planned_starts: std::collections::HashSet<i64> =
            planned.iter().map(|p| p.starts_at.unix()).collect();
        let mut dropped: Vec<i64> = existing
            .iter()
            .filter(|&&(_, s, _, _, _, w)| w == 0 && !planned_starts.contains(&s))
            .map(|&(sid, ..)| sid)
            .collect();
        dropped.sort_unstable();
        for &sid in &dropped {
            sqlx::query("UPDATE slots SET withdrawn = 1 WHERE id = $1")
                .bind(sid)
                .execute(&mut *tx)
                .await?;
        }
        let mut new_slot_at = BTreeMap::new();
        for p in &planned {
            let (start, end, capacity) =
                (p.starts_at.unix(), p.ends_at.unix(), i64::from(p.capacity));
            match by_start.get(&start) {
                Some(&(sid, e, c, t, w)) => {
                    let capacity = capacity.max(t);
                    if e != end || c != capacity || w != 0 {
                        sqlx::query(
                            "UPDATE slots SET ends_at = $1, capacity = $2, withdrawn = 0 WHERE id = $3",
                        )
                        .bind(end)
                        .bind(capacity)
                        .bind(sid)
                        .execute(&mut *tx)
                        .await?;
                        outcome.slots_changed += 1;
                    }
                    new_slot_at.insert(start, sid);
                }
                None => {
                    let (sid,): (i64,) = sqlx::query_as(
                        "INSERT INTO slots (project_id, starts_at, ends_at, capacity) \
                         VALUES ($1, $2, $3, $4) RETURNING id",
                    )
                    .bind(id)
                    .bind(start)
                    .bind(end)
                    .bind(capacity)
                    .fetch_one(&mut *tx)
                    .await?;
                    new_slot_at.insert(start, sid);
                    outcome.slots_added += 1;
                }
            }
        }
        let name = project.name_zh.clone();
        let mut decided = 0;
        for &sid in &dropped {
            let sql = format!(
                "SELECT {VISIT_COLUMNS} FROM bookings b JOIN slots s ON s.id = b.slot_id \
                 WHERE b.slot_id = $1 AND b.status = 'confirmed' ORDER BY b.id"
            );
            let visits: Vec<VisitRow> = sqlx::query_as(&sql).bind(sid).fetch_all(&mut *tx).await?;
            for row in visits {
                let decision = change.decisions.iter().find(|d| d.code == row.code);
                match decision {
                    Some(d) => {
                        decided += 1;
                        let target = match d.move_to {
                            Some(at) => Some(*new_slot_at.get(&at.unix()).ok_or(
                                AppError::Validation(model::FieldErrors::from([(
                                    format!("decisions.{}", row.code),
                                    model::FieldError::Invalid,
                                )])),
                            )?),
                            None => None,
                        };
                        displace(&mut tx, &row, target, &name, now).await?;
                    }
                    None => outcome.displaced.push(row.into_visit()?),
                }
            }
            // Gone for good if nothing ever pointed to it; else it stays, withdrawn.
            sqlx::query(
                "DELETE FROM slots WHERE id = $1 AND taken = 0 \
                 AND NOT EXISTS (SELECT 1 FROM bookings WHERE slot_id = $1) \
                 AND NOT EXISTS (SELECT 1 FROM booking_changes WHERE slot_id = $1)",
            )
            .bind(sid)
            .execute(&mut *tx)
            .await?;
            outcome.slots_removed += 1;
        }
        let free: Vec<(i64, i64, i64, i64, i64)> = sqlx::query_as(
            "SELECT id, starts_at, ends_at, capacity, taken FROM slots \
             WHERE project_id = $1 AND starts_at > $2 AND withdrawn = 0 AND taken < capacity \
             ORDER BY starts_at",
        )
        .bind(id)
        .bind(now)
        .fetch_all(&mut *tx)
        .await?;
        outcome.free = free
            .into_iter()
            .map(|(sid, s, e, c, t)| slot(sid, s, e, c, t))
            .collect();
        if !change.commit {
            tx.rollback().await?;
            return Ok(outcome);
        }
        if !outcome.displaced.is_empty() {
            return Err(AppError::DecisionNeeded);
        }
        let act = Act {
            action: "project.plan",
            subject: format!("project:{id}"),
            before: None,
            after: Some(json!({
                "plan": change.plan,
                "slots_added": outcome.slots_added,
                "slots_removed": outcome.slots_removed,
                "slots_changed": outcome.slots_changed,
                "visits_moved_or_cancelled": decided,
            })),
        };
        audit::append(&mut tx, actor, act, now).await?;
        tx.commit().await?;
        outcome.committed = true;
        Ok(outcome)
    }

    /// The visits of one day, in time order, cancelled ones left out.
    pub async fn visits(&self, project_id: i64, day: BeijingDate) -> AppResult<Vec<Visit>> {
        let sql = format!(
            "SELECT {VISIT_COLUMNS} FROM bookings b JOIN slots s ON s.id = b.slot_id \
             WHERE b.project_id = $1 AND s.starts_at >= $2 AND s.starts_at < $3 \
               AND b.status <> 'cancelled' ORDER BY s.starts_at, b.flat"
        );
        let rows: Vec<VisitRow> = sqlx::query_as(&sql)
            .bind(project_id)
            .bind(day.start().unix())
            .bind(day.add_days(1).start().unix())
            .fetch_all(&self.pool)
            .await?;
        rows.into_iter().map(VisitRow::into_visit).collect()
    }

    /// Checks a buyer in by the booking code on their pass. A second scan answers with
    /// the first check-in (`already`).
    pub async fn check_in_visit(
        &self,
        project_id: i64,
        code: &str,
        actor: &Actor,
        now: i64,
    ) -> AppResult<VisitCheckin> {
        let code = BookingCode::parse(code).map_err(|_| AppError::NotFound)?;
        let mut tx = self.pool.begin().await?;
        // The one conditional write decides who was first, on both databases.
        let first = sqlx::query(
            "UPDATE bookings SET status = 'checked_in', checked_in_at = $1, no_show_at = NULL, \
               updated_at = $1 \
             WHERE code = $2 AND project_id = $3 AND status = 'confirmed'",
        )
        .bind(now)
        .bind(code.as_str())
        .bind(project_id)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        let row = visit_by_code(&mut tx, code.as_str()).await?;
        let (of_project,): (i64,) = sqlx::query_as("SELECT project_id FROM bookings WHERE id = $1")
            .bind(row.id)
            .fetch_one(&mut *tx)
            .await?;
        if of_project != project_id {
            return Err(AppError::WrongEvent);
        }
        if row.status == "cancelled" {
            return Err(AppError::AlreadyCancelled);
        }
        if first {
            record_change(&mut tx, row.id, BookingAction::CheckedIn, row.slot_id, now).await?;
            let act = Act {
                action: "booking.check_in",
                subject: format!("project:{project_id} booking:{}", code.as_str()),
                before: None,
                after: None,
            };
            audit::append(&mut tx, actor, act, now).await?;
        }
        tx.commit().await?;
        Ok(VisitCheckin {
            visit: row.into_visit()?,
            already: !first,
        })
    }

    /// Marks a booked visit whose slot has ended without the buyer as a no-show.
    pub async fn mark_no_show(
        &self,
        project_id: i64,
        code: &str,
        actor: &Actor,
        now: i64,
    ) -> AppResult<Visit> {
        let code = BookingCode::parse(code).map_err(|_| AppError::NotFound)?;
        let mut tx = self.pool.begin().await?;
        let marked = sqlx::query(
            "UPDATE bookings SET no_show_at = $1, updated_at = $1 \
             WHERE code = $2 AND project_id = $3 AND status = 'confirmed' \
               AND no_show_at IS NULL \
               AND slot_id IN (SELECT id FROM slots WHERE ends_at <= $1)",
        )
        .bind(now)
        .bind(code.as_str())
        .bind(project_id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let row = visit_by_code(&mut tx, code.as_str()).await?;
        let (of_project,): (i64,) = sqlx::query_as("SELECT project_id FROM bookings WHERE id = $1")
            .bind(row.id)
            .fetch_one(&mut *tx)
            .await?;
        if of_project != project_id {
            return Err(AppError::NotFound);
        }
        if marked == 0 && row.no_show_at.is_none() {
            // Checked in, cancelled, or its slot has not ended yet.
            return Err(AppError::WrongStatus);
        }
        if marked == 1 {
            let act = Act {
                action: "booking.no_show",
                subject: format!("project:{project_id} booking:{}", code.as_str()),
                before: None,
                after: None,
            };
            audit::append(&mut tx, actor, act, now).await?;
        }
        tx.commit().await?;
        row.into_visit()
    }
}

fn draft_of(
    row: ProjectRow,
    instructions_zh: String,
    instructions_en: String,
    contact_phone: String,
) -> AppResult<ProjectDraft> {
    let rules = row.rules()?;
    let project = row.into_project()?;
    Ok(ProjectDraft {
        town: project.town,
        name: project.name,
        developer: project.developer,
        address: project.address,
        handover_on: rules.handover_on,
        opens_days_before: rules.opens_days_before,
        change_cutoff_hours: rules.cutoff_hours,
        instructions: Localized {
            zh: instructions_zh,
            en: instructions_en,
        },
        contact_phone,
    })
}

fn slot(id: i64, starts_at: i64, ends_at: i64, capacity: i64, taken: i64) -> Slot {
    let capacity = u32::try_from(capacity).unwrap_or(0);
    let taken = u32::try_from(taken).unwrap_or(0);
    Slot {
        id,
        starts_at: BeijingTime::from_unix(starts_at),
        ends_at: BeijingTime::from_unix(ends_at),
        capacity,
        taken,
        places_left: capacity.saturating_sub(taken),
    }
}

async fn visit_by_code(tx: &mut Tx, code: &str) -> AppResult<VisitRow> {
    let sql = format!(
        "SELECT {VISIT_COLUMNS} FROM bookings b JOIN slots s ON s.id = b.slot_id WHERE b.code = $1"
    );
    sqlx::query_as(&sql)
        .bind(code)
        .fetch_optional(&mut **tx)
        .await?
        .ok_or(AppError::NotFound)
}

/// Moves a booked visit to `target` (taking a place there first) or cancels it, gives
/// its old place back, and tells the buyer.
pub(super) async fn displace(
    tx: &mut Tx,
    visit: &VisitRow,
    target: Option<i64>,
    project_name: &str,
    now: i64,
) -> AppResult<()> {
    // The booking's lock, and a check that it is still as read: a buyer who moved or
    // cancelled it meanwhile has settled it already (and got their place back).
    let still = sqlx::query(
        "UPDATE bookings SET updated_at = updated_at \
         WHERE id = $1 AND slot_id = $2 AND status = 'confirmed'",
    )
    .bind(visit.id)
    .bind(visit.slot_id)
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if still == 0 {
        return Ok(());
    }
    let notice = match target {
        Some(slot_id) => {
            let took = sqlx::query(
                "UPDATE slots SET taken = taken + 1 WHERE id = $1 AND taken < capacity",
            )
            .bind(slot_id)
            .execute(&mut **tx)
            .await?
            .rows_affected();
            if took == 0 {
                return Err(AppError::SlotFull);
            }
            let (starts,): (i64,) = sqlx::query_as("SELECT starts_at FROM slots WHERE id = $1")
                .bind(slot_id)
                .fetch_one(&mut **tx)
                .await?;
            sqlx::query("UPDATE bookings SET slot_id = $1, updated_at = $2 WHERE id = $3")
                .bind(slot_id)
                .bind(now)
                .bind(visit.id)
                .execute(&mut **tx)
                .await?;
            record_change(tx, visit.id, BookingAction::Rescheduled, slot_id, now).await?;
            booking_notice::moved(project_name, BeijingTime::from_unix(starts), &visit.code)
        }
        None => {
            sqlx::query("UPDATE bookings SET status = 'cancelled', updated_at = $1 WHERE id = $2")
                .bind(now)
                .bind(visit.id)
                .execute(&mut **tx)
                .await?;
            record_change(tx, visit.id, BookingAction::Cancelled, visit.slot_id, now).await?;
            booking_notice::cancelled(
                project_name,
                BeijingTime::from_unix(visit.starts_at),
                &visit.code,
            )
        }
    };
    release_place(tx, visit.slot_id).await?;
    sqlx::query("UPDATE bookings SET office_notice = $1 WHERE id = $2")
        .bind(&notice)
        .bind(visit.id)
        .execute(&mut **tx)
        .await?;
    queue_sms(tx, &visit.phone, &notice, now).await
}
