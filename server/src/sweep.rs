//! The hourly sweep: forgets what has served its purpose.

use crate::error::AppResult;
use crate::store::{
    self, BACKOFF_MEMORY_SECS, CODE_WINDOW_SECS, Erased, PERSONAL_ANSWER_LIFETIME_SECS, Store,
};

/// How long a write's `Idempotency-Key` is remembered (an anonymous answer's; one that
/// names a person goes after [`PERSONAL_ANSWER_LIFETIME_SECS`]).
pub const IDEMPOTENCY_KEY_LIFETIME_SECS: i64 = 7 * 86_400;

/// What one pass forgot.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Swept {
    pub idempotency_keys: u64,
    pub buyer_check_rows: u64,
    pub survey_phone_hashes: u64,
    pub notifications: u64,
    pub verification_codes: u64,
    pub code_attempts: u64,
    pub staff_login_failures: u64,
    pub staff_sessions: u64,
    pub personal: Erased,
    /// Calendar feeds whose phone has nothing left here.
    pub calendar_feeds: u64,
}

/// One pass at `now`; personal data of events and visits older than `retention_days` is
/// erased.
pub async fn sweep_once(store: &Store, now: i64, retention_days: u32) -> AppResult<Swept> {
    // Ended or expired a day ago: nothing to keep them for.
    let (staff_login_failures, staff_sessions) =
        store.forget_staff_leftovers(now, now - 86_400).await?;
    let personal = store
        .erase_personal_data_before(now - i64::from(retention_days) * 86_400)
        .await?;
    Ok(Swept {
        staff_login_failures,
        staff_sessions,
        idempotency_keys: store
            .forget_idempotency_keys_before(
                now - IDEMPOTENCY_KEY_LIFETIME_SECS,
                now - PERSONAL_ANSWER_LIFETIME_SECS,
            )
            .await?,
        buyer_check_rows: store
            .forget_buyer_check_failures_before(now - BACKOFF_MEMORY_SECS)
            .await?,
        survey_phone_hashes: store.erase_phone_hashes_of_closed_waves(now).await?,
        // Sent messages hold a phone number and, for codes, nothing of use after a day.
        notifications: store.forget_notifications_before(now - 86_400).await?,
        verification_codes: store.forget_codes_before(now).await?,
        code_attempts: store
            .forget_code_attempts_before(now - CODE_WINDOW_SECS)
            .await?,
        personal,
        // After the erasure, which may have taken a phone's last item.
        calendar_feeds: store.forget_idle_feeds().await?,
    })
}

/// Runs [`sweep_once`] at start and then hourly, for the life of the server.
pub async fn hourly(store: Store, retention_days: u32) {
    let mut hourly = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        hourly.tick().await;
        match sweep_once(&store, store::now_unix(), retention_days).await {
            Ok(swept) if swept == Swept::default() => {}
            Ok(swept) => tracing::info!(?swept, "forgot what has served its purpose"),
            Err(e) => tracing::warn!(error = %e, "the sweep failed; it runs again in an hour"),
        }
    }
}
