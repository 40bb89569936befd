//! The staff second factor: RFC 6238 one-time codes (SHA-1, 6 digits, 30 s), as every
//! authenticator app makes them. A code is accepted for the step before, at and after
//! now (clocks drift), and each step only once.

use totp_rs::{Algorithm, Secret, TOTP};

/// How an authenticator app names the account: "QualityMonth (login)".
const ISSUER: &str = "QualityMonth";
const STEP_SECS: u64 = 30;

/// A fresh secret, base32 (what people type into an app that cannot scan).
pub fn new_secret() -> String {
    Secret::Raw(rand::random::<[u8; 20]>().to_vec())
        .to_encoded()
        .to_string()
}

fn totp(secret: &str, login: &str) -> Option<TOTP> {
    let bytes = Secret::Encoded(secret.to_string()).to_bytes().ok()?;
    TOTP::new(
        Algorithm::SHA1,
        6,
        1,
        STEP_SECS,
        bytes,
        Some(ISSUER.to_string()),
        login.to_string(),
    )
    .ok()
}

/// The `otpauth://` link an authenticator app scans.
pub fn otpauth_url(secret: &str, login: &str) -> Option<String> {
    totp(secret, login).map(|t| t.get_url())
}

/// The code for `unix_secs` (tests, and nothing else, need to make one).
pub fn code_at(secret: &str, login: &str, unix_secs: u64) -> Option<String> {
    totp(secret, login).map(|t| t.generate(unix_secs))
}

/// The time step `code` belongs to, if it is right for the step before, at or after
/// `unix_secs`.
pub fn matching_step(secret: &str, login: &str, code: &str, unix_secs: u64) -> Option<i64> {
    let totp = totp(secret, login)?;
    let code = code.trim();
    if code.len() != 6 {
        return None;
    }
    [
        unix_secs.saturating_sub(STEP_SECS),
        unix_secs,
        unix_secs + STEP_SECS,
    ]
    .into_iter()
    .find(|t| totp.generate(*t) == code)
    .map(|t| (t / STEP_SECS) as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc_6238_test_vector() {
        // RFC 6238 appendix B: the ASCII secret "12345678901234567890", SHA-1, at 59 s,
        // gives 94287082 with eight digits; with six, its last six.
        let secret = Secret::Raw(b"12345678901234567890".to_vec())
            .to_encoded()
            .to_string();
        assert_eq!(code_at(&secret, "admin", 59).as_deref(), Some("287082"));
        assert_eq!(
            code_at(&secret, "admin", 1_111_111_109).as_deref(),
            Some("081804")
        );
    }

    #[test]
    fn codes_match_their_step_and_its_neighbours_only() {
        let secret = new_secret();
        let now = 1_800_000_000;
        let code = code_at(&secret, "admin", now).unwrap();
        assert_eq!(
            matching_step(&secret, "admin", &code, now),
            Some((now / 30) as i64)
        );
        assert!(
            matching_step(&secret, "admin", &code, now + 30).is_some(),
            "a slow clock"
        );
        assert!(
            matching_step(&secret, "admin", &code, now + 90).is_none(),
            "too old"
        );
        assert!(matching_step(&secret, "admin", "12345", now).is_none());
        let url = otpauth_url(&secret, "admin").unwrap();
        assert!(url.starts_with("otpauth://totp/QualityMonth:admin?secret="));
    }
}
