//! Guessing the phone behind a code: failed look-ups, cancels and reschedules are counted
//! per code ([`FAILURES_PER_CODE`] an hour). Past that the code answers 429 to anyone who
//! does not prove its phone with a phone token; its owner, who can, still gets through.

use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::store::now_unix;
use std::future::Future;

/// Wrong phones tried on one code in an hour before the code is closed to guessers.
pub const FAILURES_PER_CODE: i64 = 5;

/// Runs `attempt` on `code` under the guard. `proved`: the request proved the phone it
/// names with a token. A `NotFound` (wrong phone, or no such code) counts as a failure;
/// anything else was the right phone and is given back.
pub async fn guarded<T, F>(state: &AppState, code: &str, proved: bool, attempt: F) -> AppResult<T>
where
    F: Future<Output = AppResult<T>>,
{
    let attempts = state.store.count_code_attempt(code, now_unix()).await?;
    let closed = attempts > FAILURES_PER_CODE;
    if closed && !proved {
        return Err(AppError::RateLimited);
    }
    match attempt.await {
        // A proved phone that is not the code's learns nothing more than a guesser.
        Err(AppError::NotFound) if closed => Err(AppError::RateLimited),
        Err(AppError::NotFound) => Err(AppError::NotFound),
        other => {
            state.store.give_back_code_attempt(code).await?;
            other
        }
    }
}
