//! Residents prove a phone number once per device: a one-time code by SMS, then a signed
//! phone token (DESIGN.md, "Who is who"). Verification is on when an SMS sender is
//! configured (`QM_SMS_SENDER`); off, the limits carry the load alone.

pub mod sender;
pub mod token;

use crate::secret::{ServerSecret, keyed};
use model::PhoneNumber;
use model::verification::OneTimeCode;

/// Every code on a demo server, shown by the app so that anyone can try every journey.
pub const DEMO_CODE: &str = "123456";

/// Codes one client address may have sent in an hour: sized for a carrier NAT (thousands
/// of phones behind one address). Each phone has its own, much lower limit.
pub const CODES_PER_CLIENT_PER_HOUR: u32 = 300;

/// The code as stored: an HMAC, so a copy of the database holds no usable code.
pub fn code_hash(secret: &ServerSecret, phone: &PhoneNumber, code: &OneTimeCode) -> String {
    let key = secret.derive("one-time-code");
    keyed(
        &key,
        &[phone.as_str().as_bytes(), b":", code.as_str().as_bytes()],
    )
    .iter()
    .map(|b| format!("{b:02x}"))
    .collect()
}

/// The SMS text for a code.
pub fn code_message(code: &OneTimeCode) -> String {
    format!(
        "【奉贤质量月】验证码 {}，10 分钟内有效，请勿告诉他人。Quality Month code {}, valid 10 minutes.",
        code.as_str(),
        code.as_str()
    )
}
