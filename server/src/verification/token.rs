//! Signed tokens: `v1.<subject>.<expires at, unix>.<signature>`, the signature an
//! HMAC-SHA256 under a key derived from the server's secret for one purpose. Stateless,
//! so any instance checks a token another made; a token carries nothing its holder does
//! not know already. Phone tokens (the subject a phone number) are one use; a staff
//! device that logged in before (the subject a login) is another.

use crate::secret::{ServerSecret, keyed};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use model::PhoneNumber;

const PURPOSE: &str = "phone-token";

fn signature(secret: &ServerSecret, purpose: &str, subject: &str, expires_at: i64) -> String {
    let key = secret.derive(purpose);
    let mac = keyed(&key, &[format!("v1.{subject}.{expires_at}").as_bytes()]);
    URL_SAFE_NO_PAD.encode(mac)
}

/// A token for `subject` (no dots) and `purpose`, good until `expires_at`.
pub fn sign_for(secret: &ServerSecret, purpose: &str, subject: &str, expires_at: i64) -> String {
    let sig = signature(secret, purpose, subject, expires_at);
    format!("v1.{subject}.{expires_at}.{sig}")
}

/// The subject of a token made for `purpose`; `None` for anything forged, altered,
/// made for another purpose, or expired at `now`.
pub fn verify_for(secret: &ServerSecret, purpose: &str, token: &str, now: i64) -> Option<String> {
    let mut parts = token.split('.');
    let (Some("v1"), Some(subject), Some(expires), Some(sig), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return None;
    };
    let expires_at: i64 = expires.parse().ok()?;
    let expected = signature(secret, purpose, subject, expires_at);
    // Constant-time comparison: a timing difference must not leak the signature.
    let same = expected.len() == sig.len()
        && expected
            .bytes()
            .zip(sig.bytes())
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0;
    (same && expires_at > now).then(|| subject.to_string())
}

/// A token proving `phone` until `expires_at`.
pub fn sign(secret: &ServerSecret, phone: &PhoneNumber, expires_at: i64) -> String {
    sign_for(secret, PURPOSE, phone.as_str(), expires_at)
}

/// The phone a token proves at `now`; `None` for anything forged, altered or expired.
pub fn verify(secret: &ServerSecret, token: &str, now: i64) -> Option<PhoneNumber> {
    let phone = verify_for(secret, PURPOSE, token, now)?;
    PhoneNumber::parse(&phone).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phone(s: &str) -> PhoneNumber {
        PhoneNumber::parse(s).unwrap()
    }

    #[test]
    fn a_token_proves_its_phone_until_it_expires() {
        let secret = ServerSecret::random();
        let t = sign(&secret, &phone("13800138000"), 1_000);
        assert_eq!(verify(&secret, &t, 999), Some(phone("13800138000")));
        assert_eq!(verify(&secret, &t, 1_000), None, "expired");
    }

    #[test]
    fn forged_and_altered_tokens_prove_nothing() {
        let secret = ServerSecret::random();
        let t = sign(&secret, &phone("13800138000"), 1_000);
        let other_phone = t.replace("13800138000", "13800138001");
        assert_eq!(verify(&secret, &other_phone, 0), None);
        let later = t.replace(".1000.", ".9999999999.");
        assert_eq!(verify(&secret, &later, 0), None);
        assert_eq!(
            verify(&ServerSecret::random(), &t, 0),
            None,
            "another server's"
        );
        assert_eq!(
            verify_for(&secret, "staff-device", &t, 0),
            None,
            "made for another purpose"
        );
        for junk in [
            "",
            "v1",
            "v1.a.b.c",
            "v2.13800138000.1000.x",
            &format!("{t}.x"),
        ] {
            assert_eq!(verify(&secret, junk, 0), None, "{junk}");
        }
    }
}
