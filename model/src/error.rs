//! The one error shape of the API:
//! `{"error":{"code":"slot_full","message":"…","fields":{"phone":"invalid"}}}`.
//! `code` is stable; the web app maps it to a localized message.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// A vocabulary the API sends and phones map to text: the variants, their wire spelling
/// and `ALL` written once, so the published description (`server/openapi.json`, tested
/// against `ALL`) cannot miss one. `Unknown` stands for a value from a newer server.
macro_rules! wire_vocabulary {
    ($(#[$doc:meta])* $name:ident { $($(#[$vdoc:meta])* $variant:ident => $wire:literal,)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vdoc])* $variant,)+
            /// Any value this build does not know yet (a newer server).
            #[serde(other)]
            Unknown,
        }

        impl $name {
            /// Every known value (not `Unknown`).
            pub const ALL: &'static [Self] = &[$(Self::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Self::$variant => $wire,)+
                    Self::Unknown => "unknown",
                }
            }
        }
    };
}

wire_vocabulary! {
    /// Stable, machine-readable error codes. New variants may be added; existing ones never
    /// change their spelling, because phones in the field map them to text.
    ErrorCode {
        /// One or more fields failed validation; see `fields`.
        Validation => "validation",
        /// The body was not JSON of the expected shape.
        MalformedBody => "malformed_body",
        /// The body exceeded the size limit.
        PayloadTooLarge => "payload_too_large",
        NotFound => "not_found",
        /// The event is cancelled or no longer takes sign-ups.
        EventClosed => "event_closed",
        /// This phone already has an active sign-up for the event.
        AlreadyRegistered => "already_registered",
        /// This organisation (its unified social credit code) already has an active
        /// sign-up for the event, made by whichever contact.
        OrganisationAlreadyRegistered => "organisation_already_registered",
        /// The event takes sign-ups from people only, or from organisations only, and this
        /// one is of the other kind.
        WrongAudience => "wrong_audience",
        /// The same `Idempotency-Key` was sent with a different request.
        IdempotencyKeyReused => "idempotency_key_reused",
        /// The `Idempotency-Key` header is not a valid key.
        InvalidIdempotencyKey => "invalid_idempotency_key",
        /// The sign-up is already cancelled.
        AlreadyCancelled => "already_cancelled",
        RateLimited => "rate_limited",
        /// A query parameter could not be understood.
        InvalidQuery => "invalid_query",
        /// Something went wrong on our side; the details are in the server log.
        Internal => "internal",
        /// The visit slot has no place left.
        SlotFull => "slot_full",
        /// The flat and buyer details do not match the buyer list. Deliberately says no more.
        BuyerMismatch => "buyer_mismatch",
        /// The flat already has an active pre-inspection booking.
        AlreadyBooked => "already_booked",
        /// The project's booking window is not open.
        BookingClosed => "booking_closed",
        /// Too late: the visit is within the project's cut-off for changes.
        PastCutoff => "past_cutoff",
        /// The survey wave is not open for responses.
        SurveyClosed => "survey_closed",
        /// A response with this phone number is already in for the wave.
        AlreadyResponded => "already_responded",
        /// The write names a phone that this request has not proved (no, an expired or a
        /// forged phone token, or one for another phone): verify the phone first.
        VerificationRequired => "verification_required",
        /// No live code for this phone: it expired, was used, or took too many wrong tries.
        CodeExpired => "code_expired",
        /// Never sent by the server: the app got an answer it cannot read (a newer or broken
        /// server), so it stops retrying and tells the person.
        UnreadableAnswer => "unreadable_answer",
        /// A staff path without a live staff session (none, expired, or logged out).
        LoginRequired => "login_required",
        /// The staff member's role or scope does not cover this, or the write came from
        /// another site (`Origin`).
        Forbidden => "forbidden",
        /// The login, password or second factor is not right. Deliberately says no more.
        WrongLogin => "wrong_login",
        /// Capacity may not go below the places already taken.
        CapacityBelowTaken => "capacity_below_taken",
        /// The check-in code belongs to another event.
        WrongEvent => "wrong_event",
        /// The event is not in a state that allows this (publish a cancelled event…).
        WrongStatus => "wrong_status",
        /// People have signed up: the event can be cancelled (they are told), not withdrawn.
        HasSignUps => "has_sign_ups",
        /// The password was right; the account's second factor (a one-time code) is needed too.
        SecondFactorRequired => "second_factor_required",
        /// Admins must set up a second factor before anything else.
        SecondFactorSetup => "second_factor_setup",
        /// The change would take away booked visits (a closed window, a flat dropped from the
        /// buyer list): the office must say, for each, whether it is moved, kept or cancelled.
        DecisionNeeded => "decision_needed",
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

wire_vocabulary! {
    /// Why one field was refused.
    FieldError {
        Required => "required",
        Invalid => "invalid",
        TooShort => "too_short",
        TooLong => "too_long",
        OutOfRange => "out_of_range",
        /// More choices than the question allows.
        TooMany => "too_many",
        /// An answer to a question that does not exist or is not asked (skip logic hid it).
        Unexpected => "unexpected",
        /// A password found in the list of common passwords.
        Common => "common",
        /// Already taken (a login).
        Taken => "taken",
        /// Said twice where once is allowed (the same buyer of a flat on two rows).
        Duplicate => "duplicate",
        /// A question with nothing to choose from.
        NoOptions => "no_options",
        /// Refers to something that does not exist (skip logic naming an unknown question).
        UnknownReference => "unknown_reference",
        /// Part of a loop (questions whose skip logic waits on each other).
        Cycle => "cycle",
        /// A code whose check character does not match the rest: a character is mistyped.
        CheckCharacter => "check_character",
    }
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
        for &code in ErrorCode::ALL {
            let wire = serde_json::to_value(code).unwrap();
            assert_eq!(wire, code.as_str());
            assert_eq!(serde_json::from_value::<ErrorCode>(wire).unwrap(), code);
        }
        for &reason in FieldError::ALL {
            let wire = serde_json::to_value(reason).unwrap();
            assert_eq!(wire, reason.as_str());
            assert_eq!(serde_json::from_value::<FieldError>(wire).unwrap(), reason);
        }
    }
}
