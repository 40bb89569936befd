//! Proving a phone number: a one-time code sent by SMS, then a signed phone token that
//! the app keeps and sends with every write for that phone.

use crate::error::FieldError;
use crate::time::BeijingTime;
use serde::{Deserialize, Serialize};

/// How long a sent code may be used.
pub const CODE_LIFETIME_SECS: u32 = 600;
/// A new code for the same phone may be asked for after this.
pub const RESEND_AFTER_SECS: u32 = 60;
/// Wrong tries that kill a code.
pub const WRONG_TRIES_PER_CODE: u32 = 5;
/// How long a phone token proves its phone.
pub const TOKEN_LIFETIME_SECS: i64 = 180 * 86_400;

/// `POST /api/verifications/confirm`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConfirmPhone {
    pub phone: String,
    pub code: String,
}

/// `202` to `POST /api/verifications`, the same whatever the phone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CodeSent {
    pub resend_after_secs: u32,
    pub expires_in_secs: u32,
    /// Only on a demo server (where every code is this): shown in the app so that anyone
    /// trying it can go on without a phone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub demo_code: Option<String>,
}

/// The answer to a right code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhoneToken {
    pub token: String,
    pub expires_at: BeijingTime,
}

/// Six digits, as typed (spaces allowed, full-width digits read as digits).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OneTimeCode(String);

impl OneTimeCode {
    pub fn parse(input: &str) -> Result<Self, FieldError> {
        let digits: String = input
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| match c {
                '０'..='９' => char::from(b'0' + (c as u32 - '０' as u32) as u8),
                c => c,
            })
            .collect();
        if digits.is_empty() {
            return Err(FieldError::Required);
        }
        if digits.len() != 6 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(FieldError::Invalid);
        }
        Ok(Self(digits))
    }

    /// A code from a random number (any `u32`).
    pub fn from_random(n: u32) -> Self {
        Self(format!("{:06}", n % 1_000_000))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_six_digits_as_people_type_them() {
        assert_eq!(OneTimeCode::parse(" 123 456 ").unwrap().as_str(), "123456");
        assert_eq!(
            OneTimeCode::parse("１２３４５６").unwrap().as_str(),
            "123456"
        );
        assert_eq!(OneTimeCode::parse(""), Err(FieldError::Required));
        assert_eq!(OneTimeCode::parse("12345"), Err(FieldError::Invalid));
        assert_eq!(OneTimeCode::parse("12345a"), Err(FieldError::Invalid));
        assert_eq!(OneTimeCode::parse("1234567"), Err(FieldError::Invalid));
    }

    #[test]
    fn random_codes_keep_their_leading_zeros() {
        assert_eq!(OneTimeCode::from_random(42).as_str(), "000042");
        assert_eq!(OneTimeCode::from_random(1_234_567).as_str(), "234567");
    }
}
