//! Whether buyers are served, per project and for the district: flats on the list, flats
//! booked and visited, no-shows, and defects by state with the median days to repair.

use super::Store;
use super::projects::fetch_project;
use crate::error::AppResult;
use model::project_admin::median;
use model::{Coverage, Localized, ProjectCoverage, Town};

const DAY_SECS: f64 = 86_400.0;

impl Store {
    pub async fn coverage(&self) -> AppResult<Coverage> {
        let ids: Vec<(i64,)> = sqlx::query_as("SELECT id FROM projects ORDER BY town, id")
            .fetch_all(&self.pool)
            .await?;
        let mut projects = Vec::with_capacity(ids.len());
        let mut all_repair_days = Vec::new();
        for (id,) in ids {
            let (figures, mut days) = self.project_coverage(id).await?;
            all_repair_days.append(&mut days);
            projects.push(figures);
        }
        let sum = |f: fn(&ProjectCoverage) -> u32| projects.iter().map(f).sum::<u32>();
        let total = ProjectCoverage {
            project_id: 0,
            name: Localized {
                zh: "全区".into(),
                en: "District".into(),
            },
            town: projects.first().map_or(Town::Nanqiao, |p| p.town),
            flats: sum(|p| p.flats),
            booked: sum(|p| p.booked),
            visited: sum(|p| p.visited),
            no_shows: sum(|p| p.no_shows),
            defects: sum(|p| p.defects),
            open: sum(|p| p.open),
            repaired: sum(|p| p.repaired),
            confirmed: sum(|p| p.confirmed),
            median_days_to_repair: median(&mut all_repair_days),
        };
        Ok(Coverage { projects, total })
    }

    /// One project's figures, and its days from record to first repair.
    async fn project_coverage(&self, id: i64) -> AppResult<(ProjectCoverage, Vec<f64>)> {
        let project = fetch_project(&self.pool, id).await?.into_project()?;
        let count = |sql: &'static str| async move {
            let (n,): (i64,) = sqlx::query_as(sql).bind(id).fetch_one(&self.pool).await?;
            AppResult::Ok(u32::try_from(n).unwrap_or(u32::MAX))
        };
        let flats = count(
            "SELECT COUNT(*) FROM (SELECT DISTINCT building, unit, room FROM buyers \
             WHERE project_id = $1) f",
        )
        .await?;
        let booked = count(
            "SELECT COUNT(DISTINCT flat) FROM bookings WHERE project_id = $1 \
             AND status <> 'cancelled'",
        )
        .await?;
        let visited =
            count("SELECT COUNT(*) FROM bookings WHERE project_id = $1 AND status = 'checked_in'")
                .await?;
        let no_shows = count(
            "SELECT COUNT(*) FROM bookings WHERE project_id = $1 AND status = 'confirmed' \
             AND no_show_at IS NOT NULL",
        )
        .await?;
        let by_status: Vec<(String, i64)> = sqlx::query_as(
            "SELECT status, COUNT(*) FROM defects WHERE project_id = $1 GROUP BY status",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let of = |wanted: &[&str]| {
            by_status
                .iter()
                .filter(|(s, _)| wanted.contains(&s.as_str()))
                .map(|(_, n)| u32::try_from(*n).unwrap_or(u32::MAX))
                .sum::<u32>()
        };
        let spans: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT created_at, first_repaired_at FROM defects \
             WHERE project_id = $1 AND first_repaired_at IS NOT NULL",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let mut days: Vec<f64> = spans
            .iter()
            .map(|(recorded, repaired)| (repaired - recorded) as f64 / DAY_SECS)
            .collect();
        let figures = ProjectCoverage {
            project_id: id,
            name: project.name,
            town: project.town,
            flats,
            booked,
            visited,
            no_shows,
            defects: of(&["open", "in_progress", "repaired", "confirmed"]),
            open: of(&["open", "in_progress"]),
            repaired: of(&["repaired"]),
            confirmed: of(&["confirmed"]),
            median_days_to_repair: median(&mut days),
        };
        Ok((figures, days))
    }
}
