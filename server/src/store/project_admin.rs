//! Running a project as the district office and its sales office: its details (names,
//! booking window, what buyers are told) and who works on it. Every write appends its
//! audit row in its own transaction.

use super::Store;
use super::audit::{self, Act, Actor};
use super::projects::{ProjectRow, fetch_project};
use crate::error::{AppError, AppResult};
use model::{Localized, ProjectDraft, StaffProject, VisitPlan};
use serde_json::json;
use sqlx::Any;

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
        let (waiting,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM defects WHERE project_id = $1 AND status = 'open'",
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
            waiting_for_office: u32::try_from(waiting).unwrap_or(u32::MAX),
            staff,
        })
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
