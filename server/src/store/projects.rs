//! Housing projects open for pre-inspection, and their buyer lists as the demo and tests
//! load them (staff imports: buyer_import.rs).

use super::Store;
use crate::error::{AppError, AppResult};
use model::{BeijingDate, BookingRules, FlatId, Localized, Project, Town};
use sqlx::Any;

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
