//! Facts about the database itself (`instance_facts`).

use super::Store;
use crate::error::AppResult;

impl Store {
    /// Whether demo mode filled this database.
    pub async fn is_demo(&self) -> AppResult<bool> {
        let row: Option<(String,)> =
            sqlx::query_as("SELECT value FROM instance_facts WHERE name = 'demo'")
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.is_some_and(|(v,)| v == "true"))
    }

    pub async fn mark_demo(&self) -> AppResult<()> {
        sqlx::query(
            "INSERT INTO instance_facts (name, value) VALUES ('demo', 'true') \
             ON CONFLICT (name) DO UPDATE SET value = 'true'",
        )
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Whether anything people or staff would see is stored: events, projects, waves.
    pub async fn holds_content(&self) -> AppResult<bool> {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM events) + (SELECT COUNT(*) FROM projects) \
             + (SELECT COUNT(*) FROM surveys)",
        )
        .fetch_one(&self.pool)
        .await?;
        Ok(n > 0)
    }
}
