//! The one error shape of the API:
//! `{"error":{"code":"slot_full","message":"…","fields":{"phone":"invalid"}}}`.
//! `code` is stable; the web app maps it to a localized message.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// Stable, machine-readable error codes. New variants may be added; existing ones never
/// change their spelling, because phones in the field map them to text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// One or more fields failed validation; see `fields`.
    Validation,
    /// The body was not JSON of the expected shape.
    MalformedBody,
    /// The body exceeded the size limit.
    PayloadTooLarge,
    NotFound,
    /// The event is cancelled or no longer takes sign-ups.
    EventClosed,
    /// This phone already has an active sign-up for the event.
    AlreadyRegistered,
    /// The same `Idempotency-Key` was sent with a different request.
    IdempotencyKeyReused,
    /// The `Idempotency-Key` header is not a valid key.
    InvalidIdempotencyKey,
    /// The sign-up is already cancelled.
    AlreadyCancelled,
    RateLimited,
    /// A query parameter could not be understood.
    InvalidQuery,
    /// Something went wrong on our side; the details are in the server log.
    Internal,
    /// The visit slot has no place left.
    SlotFull,
    /// The flat and buyer details do not match the buyer list. Deliberately says no more.
    BuyerMismatch,
    /// The flat already has an active pre-inspection booking.
    AlreadyBooked,
    /// The project's booking window is not open.
    BookingClosed,
    /// Too late: the visit is within the project's cut-off for changes.
    PastCutoff,
    /// The survey wave is not open for responses.
    SurveyClosed,
    /// A response with this phone number is already in for the wave.
    AlreadyResponded,
    /// The write names a phone that this request has not proved (no, an expired or a
    /// forged phone token, or one for another phone): verify the phone first.
    VerificationRequired,
    /// No live code for this phone: it expired, was used, or took too many wrong tries.
    CodeExpired,
    /// Never sent by the server: the app got an answer it cannot read (a newer or broken
    /// server), so it stops retrying and tells the person.
    UnreadableAnswer,
    /// A staff path without a live staff session (none, expired, or logged out).
    LoginRequired,
    /// The staff member's role or scope does not cover this, or the write came from
    /// another site (`Origin`).
    Forbidden,
    /// The login, password or second factor is not right. Deliberately says no more.
    WrongLogin,
    /// Capacity may not go below the places already taken.
    CapacityBelowTaken,
    /// The check-in code belongs to another event.
    WrongEvent,
    /// The event is not in a state that allows this (publish a cancelled event…).
    WrongStatus,
    /// People have signed up: the event can be cancelled (they are told), not withdrawn.
    HasSignUps,
    /// The password was right; the account's second factor (a one-time code) is needed too.
    SecondFactorRequired,
    /// Admins must set up a second factor before anything else.
    SecondFactorSetup,
    /// The change would take away booked visits (a closed window, a flat dropped from the
    /// buyer list): the office must say, for each, whether it is moved, kept or cancelled.
    DecisionNeeded,
    /// Any code this build does not know yet (a newer server).
    #[serde(other)]
    Unknown,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Validation => "validation",
            Self::MalformedBody => "malformed_body",
            Self::PayloadTooLarge => "payload_too_large",
            Self::NotFound => "not_found",
            Self::EventClosed => "event_closed",
            Self::AlreadyRegistered => "already_registered",
            Self::IdempotencyKeyReused => "idempotency_key_reused",
            Self::InvalidIdempotencyKey => "invalid_idempotency_key",
            Self::AlreadyCancelled => "already_cancelled",
            Self::RateLimited => "rate_limited",
            Self::InvalidQuery => "invalid_query",
            Self::Internal => "internal",
            Self::SlotFull => "slot_full",
            Self::BuyerMismatch => "buyer_mismatch",
            Self::AlreadyBooked => "already_booked",
            Self::BookingClosed => "booking_closed",
            Self::PastCutoff => "past_cutoff",
            Self::SurveyClosed => "survey_closed",
            Self::AlreadyResponded => "already_responded",
            Self::UnreadableAnswer => "unreadable_answer",
            Self::VerificationRequired => "verification_required",
            Self::CodeExpired => "code_expired",
            Self::LoginRequired => "login_required",
            Self::Forbidden => "forbidden",
            Self::WrongLogin => "wrong_login",
            Self::CapacityBelowTaken => "capacity_below_taken",
            Self::WrongEvent => "wrong_event",
            Self::WrongStatus => "wrong_status",
            Self::HasSignUps => "has_sign_ups",
            Self::SecondFactorRequired => "second_factor_required",
            Self::SecondFactorSetup => "second_factor_setup",
            Self::DecisionNeeded => "decision_needed",
            Self::Unknown => "unknown",
        }
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why one field was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FieldError {
    Required,
    Invalid,
    TooShort,
    TooLong,
    OutOfRange,
    /// More choices than the question allows.
    TooMany,
    /// An answer to a question that does not exist or is not asked (skip logic hid it).
    Unexpected,
    /// A password found in the list of common passwords.
    Common,
    /// Already taken (a login).
    Taken,
    /// Said twice where once is allowed (the same buyer of a flat on two rows).
    Duplicate,
    /// A question with nothing to choose from.
    NoOptions,
    /// Refers to something that does not exist (skip logic naming an unknown question).
    UnknownReference,
    /// Part of a loop (questions whose skip logic waits on each other).
    Cycle,
    #[serde(other)]
    Unknown,
}

/// Field name → reason, ordered so that error summaries list fields in a stable order.
pub type FieldErrors = BTreeMap<String, FieldError>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiError {
    pub code: ErrorCode,
    pub message: String,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fields: FieldErrors,
}

/// The envelope around [`ApiError`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: ApiError,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_body_has_the_documented_shape() {
        let body = ErrorBody {
            error: ApiError {
                code: ErrorCode::Validation,
                message: "check the fields".into(),
                fields: [("phone".to_string(), FieldError::Invalid)].into(),
            },
        };
        let json = serde_json::to_value(&body).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"error":{"code":"validation","message":"check the fields","fields":{"phone":"invalid"}}})
        );
    }

    #[test]
    fn unknown_codes_from_a_newer_server_are_tolerated() {
        let e: ApiError = serde_json::from_str(
            r#"{"code":"some_future_code","message":"m","fields":{"x":"weird"}}"#,
        )
        .unwrap();
        assert_eq!(e.code, ErrorCode::Unknown);
        assert_eq!(e.fields["x"], FieldError::Unknown);
    }

    #[test]
    fn as_str_matches_the_wire_spelling() {
        for code in [
            ErrorCode::AlreadyRegistered,
            ErrorCode::IdempotencyKeyReused,
            ErrorCode::SlotFull,
            ErrorCode::BuyerMismatch,
            ErrorCode::AlreadyBooked,
            ErrorCode::BookingClosed,
            ErrorCode::PastCutoff,
            ErrorCode::SurveyClosed,
            ErrorCode::AlreadyResponded,
        ] {
            let wire = serde_json::to_value(code).unwrap();
            assert_eq!(wire, code.as_str());
        }
    }
}
