//! `Idempotency-Key`: the phone makes one key per user action and sends it with every
//! retry of that action. The key is claimed inside the transaction of the write it guards:
//! a retry that arrives while the first attempt is still running waits on the key's row
//! (PostgreSQL) or on the write lock (SQLite) and then finds the stored answer.

use crate::error::{AppError, AppResult};
use serde::Serialize;
use serde::de::DeserializeOwned;
use sha2::{Digest, Sha256};
use sqlx::{Any, AnyPool, Transaction};

/// A validated key together with the fingerprint of the request it came with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey {
    key: String,
    fingerprint: String,
}

impl IdempotencyKey {
    /// `key` must be 8–64 ASCII letters, digits or dashes (a UUID fits). The fingerprint
    /// covers the method, the path and the exact body, so the same key on another request
    /// is recognised as reuse.
    pub fn new(key: &str, method: &str, path: &str, body: &[u8]) -> AppResult<Self> {
        let valid = (8..=64).contains(&key.len())
            && key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if !valid {
            return Err(AppError::InvalidIdempotencyKey);
        }
        let mut hasher = Sha256::new();
        for part in [method.as_bytes(), b" ", path.as_bytes(), b"\n", body] {
            hasher.update(part);
        }
        let fingerprint = hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        Ok(Self {
            key: key.to_string(),
            fingerprint,
        })
    }
}

/// A write's result, and whether it was a stored answer to an earlier identical request.
#[derive(Debug, Clone)]
pub struct Replayable<T> {
    pub value: T,
    pub replayed: bool,
}

/// How a guarded write starts: in a fresh transaction that holds the key, or with the
/// stored answer of an earlier identical request.
pub(super) enum Begun<T> {
    Fresh(Transaction<'static, Any>),
    Replayed(Replayable<T>),
}

/// Begins a write transaction and, when the request has a key, claims it first (the claim
/// is the transaction's first write; see the store's rules).
pub(super) async fn begin<T: DeserializeOwned>(
    pool: &AnyPool,
    key: Option<&IdempotencyKey>,
    now: i64,
) -> AppResult<Begun<T>> {
    let mut tx = pool.begin().await?;
    let Some(key) = key else {
        return Ok(Begun::Fresh(tx));
    };
    let inserted = sqlx::query(
        "INSERT INTO idempotency_keys (key, fingerprint, created_at) VALUES ($1, $2, $3) \
         ON CONFLICT (key) DO NOTHING",
    )
    .bind(&key.key)
    .bind(&key.fingerprint)
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    if inserted == 1 {
        return Ok(Begun::Fresh(tx));
    }
    let (fingerprint, response): (String, Option<String>) =
        sqlx::query_as("SELECT fingerprint, response FROM idempotency_keys WHERE key = $1")
            .bind(&key.key)
            .fetch_one(&mut *tx)
            .await?;
    if fingerprint != key.fingerprint {
        return Err(AppError::IdempotencyKeyReused);
    }
    // A claimed key always has its answer: the claim and the answer commit together.
    let stored =
        response.ok_or_else(|| AppError::Internal("idempotency key without answer".into()))?;
    serde_json::from_str(&stored)
        .map(|value| {
            Begun::Replayed(Replayable {
                value,
                replayed: true,
            })
        })
        .map_err(|e| AppError::Internal(format!("stored answer unreadable: {e}")))
}

/// Gives the key back within the transaction, for a refusal that must still commit
/// something else (a failed check that counts): a retry with the key is a new attempt.
pub(super) async fn release(
    tx: &mut Transaction<'static, Any>,
    key: Option<&IdempotencyKey>,
) -> AppResult<()> {
    if let Some(key) = key {
        sqlx::query("DELETE FROM idempotency_keys WHERE key = $1")
            .bind(&key.key)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Stores the answer under the key (if any) and commits it together with the write. The
/// answer names a person, so it is forgotten after [`PERSONAL_ANSWER_LIFETIME_SECS`].
pub(super) async fn commit<T: Serialize>(
    tx: Transaction<'static, Any>,
    key: Option<&IdempotencyKey>,
    answer: T,
) -> AppResult<Replayable<T>> {
    commit_answer(tx, key, answer, true).await
}

/// As [`commit`], for an answer that names nobody (kept for the key's whole lifetime).
pub(super) async fn commit_anonymous<T: Serialize>(
    tx: Transaction<'static, Any>,
    key: Option<&IdempotencyKey>,
    answer: T,
) -> AppResult<Replayable<T>> {
    commit_answer(tx, key, answer, false).await
}

/// How long a stored answer that names a person is kept.
pub const PERSONAL_ANSWER_LIFETIME_SECS: i64 = 86_400;

async fn commit_answer<T: Serialize>(
    mut tx: Transaction<'static, Any>,
    key: Option<&IdempotencyKey>,
    answer: T,
    personal: bool,
) -> AppResult<Replayable<T>> {
    if let Some(key) = key {
        let json = serde_json::to_string(&answer).map_err(|e| AppError::Internal(e.to_string()))?;
        sqlx::query(
            "UPDATE idempotency_keys SET response = $1, holds_personal_data = $2 WHERE key = $3",
        )
        .bind(json)
        .bind(i64::from(personal))
        .bind(&key.key)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(Replayable {
        value: answer,
        replayed: false,
    })
}

impl super::Store {
    /// Forgets keys claimed before `cutoff`, and those whose answer names a person
    /// claimed before `personal_cutoff`: a phone retries an action for minutes or days,
    /// not for ever. Returns how many were forgotten.
    pub async fn forget_idempotency_keys_before(
        &self,
        cutoff: i64,
        personal_cutoff: i64,
    ) -> AppResult<u64> {
        let result = sqlx::query(
            "DELETE FROM idempotency_keys \
             WHERE created_at < $1 OR (holds_personal_data = 1 AND created_at < $2)",
        )
        .bind(cutoff)
        .bind(personal_cutoff)
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_validated() {
        assert!(
            IdempotencyKey::new("0f8fad5b-d9cb-469f-a165-70867728950e", "POST", "/x", b"{}")
                .is_ok()
        );
        for bad in [
            "short",
            "has space in it",
            "ключ-ключ-ключ",
            &"a".repeat(65),
        ] {
            assert!(
                matches!(
                    IdempotencyKey::new(bad, "POST", "/x", b"{}"),
                    Err(AppError::InvalidIdempotencyKey)
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn fingerprint_covers_path_and_body() {
        let k =
            |path: &str, body: &[u8]| IdempotencyKey::new("key-12345", "POST", path, body).unwrap();
        assert_eq!(k("/a", b"1"), k("/a", b"1"));
        assert_ne!(k("/a", b"1"), k("/a", b"2"));
        assert_ne!(k("/a", b"1"), k("/b", b"1"));
    }
}
