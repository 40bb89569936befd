//! Staff passwords: argon2id hashes in the PHC format, and the rules a new password meets.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use model::FieldError;
use model::staff::MIN_PASSWORD_CHARS;
use std::sync::LazyLock;

/// Breached passwords long enough to pass the length rule (see the file's header).
static COMMON: LazyLock<std::collections::HashSet<&'static str>> = LazyLock::new(|| {
    include_str!("common-passwords.txt")
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect()
});

/// Whether `password` may be set for `login`.
pub fn check_new(login: &str, password: &str) -> Result<(), FieldError> {
    let chars = password.chars().count();
    if chars == 0 {
        return Err(FieldError::Required);
    }
    if chars < MIN_PASSWORD_CHARS {
        return Err(FieldError::TooShort);
    }
    if chars > 200 {
        return Err(FieldError::TooLong);
    }
    let lower = password.to_lowercase();
    let one_character = password.chars().all(|c| password.starts_with(c));
    if COMMON.contains(lower.as_str()) || lower.contains(&login.to_lowercase()) || one_character {
        return Err(FieldError::Common);
    }
    Ok(())
}

/// An argon2id hash with a fresh salt (the crate's defaults: 19 MiB, 2 passes).
pub fn hash(password: &str) -> String {
    let salt = SaltString::encode_b64(&rand::random::<[u8; 16]>()).expect("16 bytes encode");
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 with default parameters")
        .to_string()
}

/// Checks a password against a stored hash. A hash that does not parse matches nothing.
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// A hash to check against when the login does not exist, so that an unknown login
/// takes as long to refuse as a wrong password.
pub static DECOY_HASH: LazyLock<String> = LazyLock::new(|| hash("decoy password, never set"));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_common_and_obvious_passwords_are_refused() {
        assert_eq!(check_new("zhang", "short-1"), Err(FieldError::TooShort));
        assert_eq!(check_new("zhang", "1qaz2wsx3edc"), Err(FieldError::Common));
        assert_eq!(check_new("zhang", "Q1W2E3R4T5Y6"), Err(FieldError::Common));
        assert_eq!(
            check_new("zhang", "zhang-password"),
            Err(FieldError::Common)
        );
        assert_eq!(
            check_new("zhang", "aaaaaaaaaaaaaaa"),
            Err(FieldError::Common)
        );
        assert_eq!(check_new("zhang", "南桥质量月二〇二六年九月"), Ok(()));
        assert_eq!(check_new("zhang", "river-lamp-orbit-47"), Ok(()));
    }

    #[test]
    fn hashes_are_argon2id_and_verify() {
        let h = hash("river-lamp-orbit-47");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("river-lamp-orbit-47", &h));
        assert!(!verify("river-lamp-orbit-48", &h));
        assert!(!verify("anything", "not a hash"));
    }
}
