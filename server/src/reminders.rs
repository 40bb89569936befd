//! The reminder worker: every minute it decides the reminders that are due (the rules are
//! `model::reminder`'s) and queues their messages in the notification outbox, which sends
//! them. Each reminder is decided once, whatever the number of instances (the store's
//! unique row); one for a phone that asked for none is recorded, not sent.

use crate::error::AppResult;
use crate::secret::{ServerSecret, keyed};
use crate::store::{Decided, ReminderCandidate, Store, now_unix};
use crate::verification::token::{sign_for, verify_for};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use model::BeijingTime;
use model::reminder::ReminderItem;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

const LINK_PURPOSE: &str = "reminder-link";

/// The keyed hash a phone's "no reminders" is kept under: the list holds no number.
pub fn phone_key(secret: &ServerSecret, phone: &str) -> String {
    URL_SAFE_NO_PAD.encode(keyed(
        &secret.derive("reminder-optout"),
        &[phone.as_bytes()],
    ))
}

/// The token of a reminder's "turn off" link: names the item, signed, good until 90 days
/// after the start (the personal data is gone by then).
pub fn link_token(secret: &ServerSecret, item: ReminderItem, id: i64, starts_at: i64) -> String {
    sign_for(
        secret,
        LINK_PURPOSE,
        &format!("{}{id}", item_letter(item)),
        starts_at + 90 * 86_400,
    )
}

/// The item a link token names, if the server made it and it has not expired.
pub fn read_link_token(
    secret: &ServerSecret,
    token: &str,
    now: i64,
) -> Option<(ReminderItem, i64)> {
    let subject = verify_for(secret, LINK_PURPOSE, token, now)?;
    let (letter, id) = subject.split_at_checked(1)?;
    let item = [ReminderItem::Registration, ReminderItem::Booking]
        .into_iter()
        .find(|i| item_letter(*i) == letter)?;
    Some((item, id.parse().ok()?))
}

fn item_letter(item: ReminderItem) -> &'static str {
    match item {
        ReminderItem::Registration => "r",
        ReminderItem::Booking => "b",
    }
}

/// What the message says: what, when, where, the code, where the pass is, and how to
/// stop them.
/// In Chinese, like every SMS the district sends; the pass it links to is bilingual.
pub fn message(c: &ReminderCandidate, secret: &ServerSecret, public_url: &str) -> String {
    let when = c.starts_at.civil();
    let what = match c.item {
        ReminderItem::Registration => "您报名的活动",
        ReminderItem::Booking => "您预约的预看房",
    };
    // 我的, not the pass's own address: it shows the pass on the phone that signed up,
    // and finds it by code and number on any other (a link opened in another browser).
    let pass = format!("{public_url}/mine");
    let off = format!(
        "{public_url}/reminders/{}",
        link_token(secret, c.item, c.item_id, c.starts_at.unix())
    );
    format!(
        "【奉贤质量月】提醒：{what}“{title}”在{month}月{day}日 {hour:02}:{minute:02}，地点：{place}。\
         凭码 {code} 入场，凭证：{pass} 。不再提醒：{off}",
        title = c.title.zh,
        month = when.date.month,
        day = when.date.day,
        hour = when.hour,
        minute = when.minute,
        place = c.place.zh,
        code = c.code,
    )
}

/// What one pass decided.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Pass {
    pub queued: u32,
    pub turned_off: u32,
}

/// Decides every reminder due at `now`. Safe to run on several instances at once.
pub async fn run_once(
    store: &Store,
    secret: &ServerSecret,
    public_url: &str,
    now: i64,
) -> AppResult<Pass> {
    let mut pass = Pass::default();
    // The evening reminder is due at most a day and a half before the start.
    for c in store.reminder_candidates(now, now + 2 * 86_400).await? {
        for &kind in c.kinds() {
            let due = !c.done.contains(&kind)
                && kind.goes_now(
                    c.starts_at,
                    c.made_at,
                    c.evening,
                    BeijingTime::from_unix(now),
                );
            if !due {
                continue;
            }
            let off = store
                .reminders_off_for_phone(&phone_key(secret, &c.phone))
                .await?;
            let text = (!off).then(|| message(&c, secret, public_url));
            match store
                .decide_reminder(&c, kind, text.as_deref(), now)
                .await?
            {
                Decided::Queued => pass.queued += 1,
                Decided::TurnedOff => pass.turned_off += 1,
                Decided::Nothing => {}
            }
        }
    }
    Ok(pass)
}

/// Runs [`run_once`] every minute for the life of the server, waking the sender when it
/// queued something.
pub async fn every_minute(
    store: Store,
    secret: Arc<ServerSecret>,
    public_url: String,
    wake_sender: Arc<Notify>,
) {
    let mut minute = tokio::time::interval(Duration::from_secs(60));
    loop {
        minute.tick().await;
        match run_once(&store, &secret, &public_url, now_unix()).await {
            Ok(pass) if pass.queued > 0 => {
                tracing::info!(
                    queued = pass.queued,
                    turned_off = pass.turned_off,
                    "reminders"
                );
                wake_sender.notify_one();
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "reminders failed; tried again in a minute"),
        }
    }
}

/// When one candidate's reminders not yet decided will go, by the worker's own rule (a
/// missed one still in time goes at once, at `now`).
pub fn upcoming(c: &ReminderCandidate, now: i64) -> impl Iterator<Item = BeijingTime> + '_ {
    let now = BeijingTime::from_unix(now);
    c.kinds().iter().filter_map(move |&kind| {
        let at = kind.goes_at(c.starts_at, c.made_at, c.evening)?;
        (!c.done.contains(&kind) && now < kind.latest(c.starts_at)).then(|| at.max(now))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn link_tokens_name_their_item_and_cannot_be_altered() {
        let secret = ServerSecret::random();
        let t = link_token(&secret, ReminderItem::Booking, 42, 1_000);
        assert_eq!(
            read_link_token(&secret, &t, 500),
            Some((ReminderItem::Booking, 42))
        );
        assert_eq!(
            read_link_token(&secret, &t.replace("b42", "b43"), 500),
            None
        );
        assert_eq!(read_link_token(&ServerSecret::random(), &t, 500), None);
        assert_eq!(read_link_token(&secret, &t, 1_000 + 90 * 86_400), None);
    }
}
