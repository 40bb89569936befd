//! Sending the notification outbox: the senders, and the worker that leases due messages
//! and sends them with retries.

use crate::secret::keyed;
use crate::store::{Notification, Store, now_unix};
use model::mask_phone;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// Where messages go (`QM_SMS_SENDER`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sender {
    /// Development: the server log shows the masked phone and the text.
    Log,
    /// POSTs `{"id","to","text"}` to the operator's SMS gateway, signed with
    /// `X-QM-Signature: sha256=<hex HMAC-SHA256 of the body>` under the shared secret.
    Webhook { url: String, secret: String },
}

impl Sender {
    /// `log`, or `webhook` with its URL and secret; `None` (verification off) for `none`.
    pub fn from_config(
        kind: &str,
        url: Option<&str>,
        secret: Option<&str>,
    ) -> Result<Option<Self>, String> {
        match kind {
            "" | "none" => Ok(None),
            "log" => Ok(Some(Self::Log)),
            "webhook" => match (url, secret) {
                (Some(url), Some(secret)) if url.starts_with("http://") && secret.len() >= 16 => {
                    Ok(Some(Self::Webhook {
                        url: url.to_string(),
                        secret: secret.to_string(),
                    }))
                }
                _ => Err(
                    "QM_SMS_SENDER=webhook needs QM_SMS_WEBHOOK_URL (http or https) \
                     and QM_SMS_WEBHOOK_SECRET (at least 16 characters)"
                        .into(),
                ),
            },
            other => Err(format!(
                "QM_SMS_SENDER: unknown sender `{other}` (none, log, webhook)"
            )),
        }
    }

    async fn send(&self, client: &reqwest::Client, message: &Notification) -> Result<(), String> {
        match self {
            Self::Log => {
                tracing::info!(to = %mask_phone(&message.recipient), text = %message.body, "sms");
                Ok(())
            }
            Self::Webhook { url, secret } => {
                let body = serde_json::json!({
                    "id": message.id, "to": message.recipient, "text": message.body,
                })
                .to_string();
                let signature: String = keyed(secret.as_bytes(), &[body.as_bytes()])
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect();
                let answer = client
                    .post(url)
                    .header("content-type", "application/json")
                    .header("x-qm-signature", format!("sha256={signature}"))
                    .body(body)
                    .send()
                    .await
                    .map_err(|e| format!("gateway unreachable: {}", e.without_url()))?;
                if answer.status().is_success() {
                    Ok(())
                } else {
                    Err(format!("gateway answered {}", answer.status()))
                }
            }
        }
    }
}

/// Tries per message before it is given up (about a day of back-off).
const MOST_ATTEMPTS: i64 = 12;

/// Seconds before the next try after `attempts` tries: 10 s, doubling, at most 2 hours.
pub fn retry_after(attempts: i64) -> i64 {
    (10i64 << attempts.clamp(1, 16).saturating_sub(1)).min(7_200)
}

/// Sends due messages, woken by `wake` (a write just queued one) or every few seconds
/// (retries, and messages another instance queued). Runs for the life of the server.
pub async fn run_worker(store: Store, sender: Sender, wake: Arc<Notify>) {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap_or_default();
    loop {
        let now = now_unix();
        match store.lease_due_notifications(now, 50).await {
            Ok(batch) => {
                for message in batch {
                    let outcome = sender.send(&client, &message).await;
                    let now = now_unix();
                    let recorded = match outcome {
                        Ok(()) => store.notification_sent(message.id, now).await,
                        Err(error) => {
                            tracing::warn!(id = message.id, %error, "a message was not sent");
                            let retry = (message.attempts < MOST_ATTEMPTS)
                                .then(|| now + retry_after(message.attempts));
                            store
                                .notification_failed(message.id, &error, retry, now)
                                .await
                        }
                    };
                    if let Err(e) = recorded {
                        tracing::warn!(error = %e, "could not record a message's outcome");
                    }
                }
            }
            Err(e) => tracing::warn!(error = %e, "could not read the notification outbox"),
        }
        tokio::select! {
            () = wake.notified() => {},
            () = tokio::time::sleep(Duration::from_secs(5)) => {},
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn senders_are_read_from_the_configuration() {
        assert_eq!(Sender::from_config("none", None, None), Ok(None));
        assert_eq!(
            Sender::from_config("log", None, None),
            Ok(Some(Sender::Log))
        );
        assert!(Sender::from_config("webhook", Some("http://10.0.0.5:8025/sms"), None).is_err());
        assert!(
            Sender::from_config("webhook", Some("http://10.0.0.5:8025/sms"), Some("short"))
                .is_err()
        );
        assert!(Sender::from_config("carrier-pigeon", None, None).is_err());
        assert!(matches!(
            Sender::from_config(
                "webhook",
                Some("http://10.0.0.5:8025/sms"),
                Some(&"k".repeat(16))
            ),
            Ok(Some(Sender::Webhook { .. }))
        ));
    }

    #[test]
    fn retries_back_off() {
        assert_eq!(retry_after(1), 10);
        assert_eq!(retry_after(2), 20);
        assert_eq!(retry_after(5), 160);
        assert_eq!(retry_after(40), 7_200);
    }
}
