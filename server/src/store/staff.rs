//! Staff accounts, their server-side sessions, and the back-off of failed logins.

use super::Store;
use super::audit::{self, Act, Actor};
use crate::error::{AppError, AppResult};
use model::{AccountChange, FieldError, FieldErrors, Grant, Role, Scope, StaffAccount};
use serde_json::json;

/// A session ends after this long without a request…
pub const SESSION_IDLE_SECS: i64 = 30 * 60;
/// …and this long after login, whatever happens.
pub const SESSION_ABSOLUTE_SECS: i64 = 12 * 3600;

/// An account as the server needs it to log someone in and check what they may do.
#[derive(Debug, Clone)]
pub struct Account {
    pub id: i64,
    pub login: String,
    pub password_hash: String,
    pub grant: Grant,
    pub totp_secret: Option<String>,
    /// A secret shown for setting up, not yet confirmed with a code.
    pub totp_pending: Option<String>,
    pub disabled: bool,
}

impl Account {
    pub fn public(&self) -> StaffAccount {
        StaffAccount {
            id: self.id,
            login: self.login.clone(),
            grant: self.grant.clone(),
            disabled: self.disabled,
            totp_enabled: self.totp_secret.is_some(),
        }
    }
}

#[derive(sqlx::FromRow)]
struct AccountRow {
    id: i64,
    login: String,
    password_hash: String,
    role: String,
    scopes: String,
    totp_secret: Option<String>,
    totp_pending: Option<String>,
    disabled: i64,
}

const ACCOUNT_COLUMNS: &str =
    "id, login, password_hash, role, scopes, totp_secret, totp_pending, disabled";

impl AccountRow {
    fn into_account(self) -> AppResult<Account> {
        let role = Role::parse(&self.role)
            .ok_or_else(|| AppError::Internal(format!("account {}: bad role", self.id)))?;
        let scopes = parse_scopes(&self.scopes)
            .map_err(|_| AppError::Internal(format!("account {}: bad scopes", self.id)))?;
        Ok(Account {
            id: self.id,
            login: self.login,
            password_hash: self.password_hash,
            grant: Grant { role, scopes },
            totp_secret: self.totp_secret,
            totp_pending: self.totp_pending,
            disabled: self.disabled != 0,
        })
    }
}

fn parse_scopes(text: &str) -> Result<Vec<Scope>, FieldError> {
    text.split_whitespace().map(Scope::parse).collect()
}

fn scopes_text(scopes: &[Scope]) -> String {
    scopes
        .iter()
        .map(Scope::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

/// How long a key is blocked after `failures` failures, once past `free`: 30 s doubling,
/// at most 15 minutes.
pub fn login_backoff_secs(failures: i64, free: i64) -> i64 {
    if failures < free {
        return 0;
    }
    let doublings = (failures - free).min(5) as u32;
    (30_i64 << doublings).min(15 * 60)
}

/// Failures older than this are forgotten.
const FAILURE_MEMORY_SECS: i64 = 3600;

impl Store {
    /// Creates an account. `actor` is `None` for the command line (no network, no account).
    pub async fn create_account(
        &self,
        login: &str,
        password_hash: &str,
        grant: &Grant,
        actor: Option<&Actor>,
        now: i64,
    ) -> AppResult<StaffAccount> {
        let mut tx = self.pool.begin().await?;
        let inserted: Option<(i64,)> = sqlx::query_as(
            "INSERT INTO staff_accounts (login, password_hash, role, scopes, created_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (login) DO NOTHING RETURNING id",
        )
        .bind(login)
        .bind(password_hash)
        .bind(grant.role.as_str())
        .bind(scopes_text(&grant.scopes))
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((id,)) = inserted else {
            return Err(AppError::Validation(FieldErrors::from([(
                "login".to_string(),
                FieldError::Taken,
            )])));
        };
        let account = StaffAccount {
            id,
            login: login.to_string(),
            grant: grant.clone(),
            disabled: false,
            totp_enabled: false,
        };
        let command_line = Actor::command_line();
        let act = Act {
            action: "account.create",
            subject: format!("account:{id}"),
            before: None,
            after: Some(json!(account)),
        };
        audit::append(&mut tx, actor.unwrap_or(&command_line), act, now).await?;
        tx.commit().await?;
        Ok(account)
    }

    pub async fn count_accounts(&self) -> AppResult<i64> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM staff_accounts")
            .fetch_one(&self.pool)
            .await?;
        Ok(n)
    }

    pub async fn account_by_login(&self, login: &str) -> AppResult<Option<Account>> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM staff_accounts WHERE login = $1");
        let row: Option<AccountRow> = sqlx::query_as(&sql)
            .bind(login)
            .fetch_optional(&self.pool)
            .await?;
        row.map(AccountRow::into_account).transpose()
    }

    pub async fn accounts(&self) -> AppResult<Vec<StaffAccount>> {
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM staff_accounts ORDER BY login");
        let rows: Vec<AccountRow> = sqlx::query_as(&sql).fetch_all(&self.pool).await?;
        rows.into_iter()
            .map(|r| r.into_account().map(|a| a.public()))
            .collect()
    }

    /// Changes role, scopes or whether the account may log in; disabling ends its
    /// sessions at once.
    pub async fn change_account(
        &self,
        id: i64,
        change: &AccountChange,
        actor: &Actor,
        now: i64,
    ) -> AppResult<StaffAccount> {
        let mut tx = self.pool.begin().await?;
        // Take the row's lock first (module comment of the store).
        sqlx::query("UPDATE staff_accounts SET id = id WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let sql = format!("SELECT {ACCOUNT_COLUMNS} FROM staff_accounts WHERE id = $1");
        let row: AccountRow = sqlx::query_as(&sql)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(AppError::NotFound)?;
        let before = row.into_account()?.public();
        let mut after = before.clone();
        if let Some(role) = change.role {
            after.grant.role = role;
        }
        if let Some(scopes) = &change.scopes {
            after.grant.scopes = scopes.clone();
        }
        if let Some(disabled) = change.disabled {
            after.disabled = disabled;
        }
        sqlx::query(
            "UPDATE staff_accounts SET role = $1, scopes = $2, disabled = $3 WHERE id = $4",
        )
        .bind(after.grant.role.as_str())
        .bind(scopes_text(&after.grant.scopes))
        .bind(i64::from(after.disabled))
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if after.disabled || after.grant != before.grant {
            // New rights apply from the next login; none keep the old ones.
            end_sessions_of(&mut tx, id, now).await?;
        }
        let act = Act {
            action: "account.change",
            subject: format!("account:{id}"),
            before: Some(json!(before)),
            after: Some(json!(after)),
        };
        audit::append(&mut tx, actor, act, now).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Keeps a new second-factor secret until a code from it confirms it.
    pub async fn set_totp_pending(&self, account_id: i64, secret: &str) -> AppResult<()> {
        sqlx::query("UPDATE staff_accounts SET totp_pending = $1 WHERE id = $2")
            .bind(secret)
            .bind(account_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The pending secret becomes the account's second factor (`step`: the confirming
    /// code's, used up).
    pub async fn confirm_totp(&self, actor: &Actor, step: i64, now: i64) -> AppResult<()> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE staff_accounts SET totp_secret = totp_pending, totp_pending = NULL, \
             totp_last_step = $1 WHERE id = $2 AND totp_pending IS NOT NULL",
        )
        .bind(step)
        .bind(actor.id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if done == 0 {
            return Err(AppError::WrongStatus);
        }
        // Sessions made before the second factor end: from now on it takes both.
        end_sessions_of(&mut tx, actor.id, now).await?;
        let act = Act {
            action: "account.second_factor",
            subject: format!("account:{}", actor.id),
            before: None,
            after: None,
        };
        audit::append(&mut tx, actor, act, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Uses up a code's time step; `false` if that step (or a later one) was used already:
    /// a code overheard or typed twice does not log in again.
    pub async fn use_totp_step(&self, account_id: i64, step: i64) -> AppResult<bool> {
        let used = sqlx::query(
            "UPDATE staff_accounts SET totp_last_step = $1 \
             WHERE id = $2 AND (totp_last_step IS NULL OR totp_last_step < $1)",
        )
        .bind(step)
        .bind(account_id)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok(used == 1)
    }

    pub async fn start_session(
        &self,
        account_id: i64,
        token_hash: &str,
        now: i64,
    ) -> AppResult<()> {
        sqlx::query(
            "INSERT INTO staff_sessions (token_hash, account_id, created_at, last_seen_at) \
             VALUES ($1, $2, $3, $3)",
        )
        .bind(token_hash)
        .bind(account_id)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The account of a live session, touching it; `None` when the session is unknown,
    /// ended, idle too long, too old, or its account is disabled.
    pub async fn session_account(&self, token_hash: &str, now: i64) -> AppResult<Option<Account>> {
        let touched: Option<(i64,)> = sqlx::query_as(
            "UPDATE staff_sessions SET last_seen_at = $1 \
             WHERE token_hash = $2 AND ended_at IS NULL \
               AND last_seen_at > $3 AND created_at > $4 \
             RETURNING account_id",
        )
        .bind(now)
        .bind(token_hash)
        .bind(now - SESSION_IDLE_SECS)
        .bind(now - SESSION_ABSOLUTE_SECS)
        .fetch_optional(&self.pool)
        .await?;
        let Some((account_id,)) = touched else {
            return Ok(None);
        };
        let sql =
            format!("SELECT {ACCOUNT_COLUMNS} FROM staff_accounts WHERE id = $1 AND disabled = 0");
        let row: Option<AccountRow> = sqlx::query_as(&sql)
            .bind(account_id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(AccountRow::into_account).transpose()
    }

    pub async fn end_session(&self, token_hash: &str, now: i64) -> AppResult<()> {
        sqlx::query(
            "UPDATE staff_sessions SET ended_at = $1 WHERE token_hash = $2 AND ended_at IS NULL",
        )
        .bind(now)
        .bind(token_hash)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// "Log out everywhere".
    pub async fn end_all_sessions(&self, actor: &Actor, now: i64) -> AppResult<()> {
        let mut tx = self.pool.begin().await?;
        end_sessions_of(&mut tx, actor.id, now).await?;
        let act = Act {
            action: "session.end_all",
            subject: format!("account:{}", actor.id),
            before: None,
            after: None,
        };
        audit::append(&mut tx, actor, act, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Counts a login attempt against each `(key, free tries)` **before** the password is
    /// looked at, so that attempts sent at once cannot all slip under a limit. The attempt
    /// that uses a key's last free try blocks the key at once (growing back-off) for the
    /// ones behind it. `Some(seconds)`: a key is blocked; refuse this attempt unread.
    pub async fn login_attempt(&self, keys: &[(String, i64)], now: i64) -> AppResult<Option<i64>> {
        let mut refused = None;
        for (key, free) in keys {
            let mut tx = self.pool.begin().await?;
            // Counted only while the key is not blocked: hammering a blocked key does not
            // lengthen its block.
            let counted: Option<(i64,)> = sqlx::query_as(
                "INSERT INTO staff_login_failures (key, failures, last_failed_at, blocked_until) \
                 VALUES ($1, 1, $2, 0) \
                 ON CONFLICT (key) DO UPDATE SET \
                   failures = CASE WHEN staff_login_failures.last_failed_at < $3 THEN 1 \
                                   ELSE staff_login_failures.failures + 1 END, \
                   last_failed_at = $2 \
                 WHERE staff_login_failures.blocked_until <= $2 \
                 RETURNING failures",
            )
            .bind(key)
            .bind(now)
            .bind(now - FAILURE_MEMORY_SECS)
            .fetch_optional(&mut *tx)
            .await?;
            match counted {
                None => {
                    let (until,): (i64,) = sqlx::query_as(
                        "SELECT blocked_until FROM staff_login_failures WHERE key = $1",
                    )
                    .bind(key)
                    .fetch_one(&mut *tx)
                    .await?;
                    refused = refused.max(Some(until - now));
                }
                Some((failures,)) => {
                    let wait = login_backoff_secs(failures, *free);
                    if wait > 0 {
                        sqlx::query(
                            "UPDATE staff_login_failures SET blocked_until = $1 WHERE key = $2",
                        )
                        .bind(now + wait)
                        .bind(key)
                        .execute(&mut *tx)
                        .await?;
                    }
                }
            }
            tx.commit().await?;
        }
        Ok(refused)
    }

    /// A login succeeded: the (login, client) pair starts afresh; the wider keys get the
    /// attempt back, and their block if that takes them under their free tries.
    pub async fn login_succeeded(&self, keys: &[(String, i64)]) -> AppResult<()> {
        let Some(((pair, _), wider)) = keys.split_first() else {
            return Ok(());
        };
        sqlx::query("DELETE FROM staff_login_failures WHERE key = $1")
            .bind(pair)
            .execute(&self.pool)
            .await?;
        for (key, free) in wider {
            sqlx::query(
                "UPDATE staff_login_failures SET failures = failures - 1, \
                   blocked_until = CASE WHEN failures - 1 < $1 THEN 0 ELSE blocked_until END \
                 WHERE key = $2 AND failures > 0",
            )
            .bind(free)
            .bind(key)
            .execute(&self.pool)
            .await?;
        }
        Ok(())
    }
}

impl Store {
    /// Forgets failed logins older than the back-off's memory whose block is over, and
    /// sessions that ended or expired before `before`. `(failures, sessions)` removed.
    pub async fn forget_staff_leftovers(&self, now: i64, before: i64) -> AppResult<(u64, u64)> {
        let failures = sqlx::query(
            "DELETE FROM staff_login_failures WHERE last_failed_at < $1 AND blocked_until < $2",
        )
        .bind(now - FAILURE_MEMORY_SECS)
        .bind(now)
        .execute(&self.pool)
        .await?
        .rows_affected();
        let sessions = sqlx::query(
            "DELETE FROM staff_sessions WHERE ended_at < $1 OR last_seen_at < $2 \
             OR created_at < $3",
        )
        .bind(before)
        .bind(before - SESSION_IDLE_SECS)
        .bind(before - SESSION_ABSOLUTE_SECS)
        .execute(&self.pool)
        .await?
        .rows_affected();
        Ok((failures, sessions))
    }
}

async fn end_sessions_of(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    account_id: i64,
    now: i64,
) -> AppResult<()> {
    sqlx::query(
        "UPDATE staff_sessions SET ended_at = $1 WHERE account_id = $2 AND ended_at IS NULL",
    )
    .bind(now)
    .bind(account_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn back_off_grows_from_the_first_failure_past_the_free_ones() {
        assert_eq!(login_backoff_secs(4, 5), 0);
        assert_eq!(login_backoff_secs(5, 5), 30);
        assert_eq!(login_backoff_secs(6, 5), 60);
        assert_eq!(login_backoff_secs(9, 5), 480);
        assert_eq!(login_backoff_secs(50, 5), 900);
    }
}
