//! Failed attempts per sign-up or booking code (see the migration of `code_attempts`).

use super::Store;
use crate::error::AppResult;

/// The window in which failures on one code are counted.
pub const CODE_WINDOW_SECS: i64 = 3600;

impl Store {
    /// Counts an attempt on `code` before it is tried; returns the attempts counted in
    /// the current window, this one included.
    pub async fn count_code_attempt(&self, code: &str, now: i64) -> AppResult<i64> {
        let (failures,): (i64,) = sqlx::query_as(
            "INSERT INTO code_attempts (code, failures, window_start) VALUES ($1, 1, $2) \
             ON CONFLICT (code) DO UPDATE SET \
               failures = CASE WHEN code_attempts.window_start <= $3 THEN 1 \
                 ELSE code_attempts.failures + 1 END, \
               window_start = CASE WHEN code_attempts.window_start <= $3 THEN $2 \
                 ELSE code_attempts.window_start END \
             RETURNING failures",
        )
        .bind(code)
        .bind(now)
        .bind(now - CODE_WINDOW_SECS)
        .fetch_one(&self.pool)
        .await?;
        Ok(failures)
    }

    /// The attempt succeeded (the phone was the code's): it was no failure.
    pub async fn give_back_code_attempt(&self, code: &str) -> AppResult<()> {
        sqlx::query(
            "UPDATE code_attempts SET failures = failures - 1 WHERE code = $1 AND failures > 0",
        )
        .bind(code)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// For the sweep: windows that have ended.
    pub async fn forget_code_attempts_before(&self, cutoff: i64) -> AppResult<u64> {
        Ok(
            sqlx::query("DELETE FROM code_attempts WHERE window_start < $1")
                .bind(cutoff)
                .execute(&self.pool)
                .await?
                .rows_affected(),
        )
    }
}
