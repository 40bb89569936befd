//! The one error type of the API and its single mapping to HTTP.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use model::{ApiError, ErrorBody, ErrorCode, FieldErrors};

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("invalid fields: {0:?}")]
    Validation(FieldErrors),
    #[error("malformed body: {0}")]
    MalformedBody(String),
    #[error("unsupported media type")]
    UnsupportedMediaType,
    #[error("payload too large")]
    PayloadTooLarge,
    #[error("invalid query: {0}")]
    InvalidQuery(&'static str),
    #[error("not found")]
    NotFound,
    #[error("event closed for sign-ups")]
    EventClosed,
    #[error("already registered")]
    AlreadyRegistered,
    /// The phone has an active sign-up for the event made for someone else (itself, or
    /// another organisation): the wire says `already_registered`, but that sign-up is
    /// never given back to this request.
    #[error("the phone is signed up for another")]
    PhoneSignedUpForAnother,
    #[error("the organisation is already registered")]
    OrganisationAlreadyRegistered,
    #[error("the event does not take this kind of sign-up")]
    WrongAudience,
    #[error("idempotency key reused with another request")]
    IdempotencyKeyReused,
    #[error("invalid idempotency key")]
    InvalidIdempotencyKey,
    #[error("already cancelled")]
    AlreadyCancelled,
    #[error("slot full")]
    SlotFull,
    #[error("buyer check failed")]
    BuyerMismatch,
    #[error("flat already booked")]
    AlreadyBooked,
    #[error("booking window not open")]
    BookingClosed,
    #[error("past the cut-off for changes")]
    PastCutoff,
    #[error("survey wave not open")]
    SurveyClosed,
    #[error("this phone already answered the wave")]
    AlreadyResponded,
    #[error("too many writes from one client")]
    RateLimited,
    #[error("the phone is not verified")]
    VerificationRequired,
    #[error("no live code for this phone")]
    CodeExpired,
    #[error("no staff session")]
    LoginRequired,
    #[error("outside the staff member's role or scope, or from another site")]
    Forbidden,
    #[error("wrong login, password or second factor")]
    WrongLogin,
    #[error("capacity below the places taken")]
    CapacityBelowTaken,
    #[error("the code belongs to another event")]
    WrongEvent,
    #[error("booked visits need a decision")]
    DecisionNeeded,
    #[error("not allowed in the event's status")]
    WrongStatus,
    #[error("people have signed up")]
    HasSignUps,
    #[error("the second factor is needed")]
    SecondFactorRequired,
    #[error("an admin without a second factor")]
    SecondFactorSetup,
    #[error("too many failed logins; retry in {0} s")]
    LoginThrottled(i64),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error("internal: {0}")]
    Internal(String),
}

impl AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::MalformedBody(_) | Self::InvalidQuery(_) | Self::InvalidIdempotencyKey => {
                StatusCode::BAD_REQUEST
            }
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::EventClosed
            | Self::AlreadyRegistered
            | Self::PhoneSignedUpForAnother
            | Self::OrganisationAlreadyRegistered
            | Self::WrongAudience
            | Self::IdempotencyKeyReused
            | Self::AlreadyCancelled
            | Self::SlotFull
            | Self::AlreadyBooked
            | Self::BookingClosed
            | Self::PastCutoff
            | Self::SurveyClosed
            | Self::AlreadyResponded => StatusCode::CONFLICT,
            Self::BuyerMismatch => StatusCode::UNPROCESSABLE_ENTITY,
            Self::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            Self::VerificationRequired => StatusCode::UNAUTHORIZED,
            Self::CodeExpired => StatusCode::UNPROCESSABLE_ENTITY,
            Self::LoginRequired | Self::WrongLogin | Self::SecondFactorRequired => {
                StatusCode::UNAUTHORIZED
            }
            Self::Forbidden | Self::SecondFactorSetup => StatusCode::FORBIDDEN,
            Self::CapacityBelowTaken
            | Self::WrongEvent
            | Self::WrongStatus
            | Self::HasSignUps
            | Self::DecisionNeeded => StatusCode::CONFLICT,
            Self::LoginThrottled(_) => StatusCode::TOO_MANY_REQUESTS,
            Self::Database(_) | Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn code(&self) -> ErrorCode {
        match self {
            Self::Validation(_) => ErrorCode::Validation,
            Self::MalformedBody(_) | Self::UnsupportedMediaType => ErrorCode::MalformedBody,
            Self::PayloadTooLarge => ErrorCode::PayloadTooLarge,
            Self::InvalidQuery(_) => ErrorCode::InvalidQuery,
            Self::NotFound => ErrorCode::NotFound,
            Self::EventClosed => ErrorCode::EventClosed,
            Self::AlreadyRegistered | Self::PhoneSignedUpForAnother => ErrorCode::AlreadyRegistered,
            Self::OrganisationAlreadyRegistered => ErrorCode::OrganisationAlreadyRegistered,
            Self::WrongAudience => ErrorCode::WrongAudience,
            Self::IdempotencyKeyReused => ErrorCode::IdempotencyKeyReused,
            Self::InvalidIdempotencyKey => ErrorCode::InvalidIdempotencyKey,
            Self::RateLimited => ErrorCode::RateLimited,
            Self::AlreadyCancelled => ErrorCode::AlreadyCancelled,
            Self::SlotFull => ErrorCode::SlotFull,
            Self::BuyerMismatch => ErrorCode::BuyerMismatch,
            Self::AlreadyBooked => ErrorCode::AlreadyBooked,
            Self::BookingClosed => ErrorCode::BookingClosed,
            Self::PastCutoff => ErrorCode::PastCutoff,
            Self::SurveyClosed => ErrorCode::SurveyClosed,
            Self::AlreadyResponded => ErrorCode::AlreadyResponded,
            Self::VerificationRequired => ErrorCode::VerificationRequired,
            Self::CodeExpired => ErrorCode::CodeExpired,
            Self::LoginRequired => ErrorCode::LoginRequired,
            Self::Forbidden => ErrorCode::Forbidden,
            Self::WrongLogin => ErrorCode::WrongLogin,
            Self::CapacityBelowTaken => ErrorCode::CapacityBelowTaken,
            Self::WrongEvent => ErrorCode::WrongEvent,
            Self::DecisionNeeded => ErrorCode::DecisionNeeded,
            Self::WrongStatus => ErrorCode::WrongStatus,
            Self::HasSignUps => ErrorCode::HasSignUps,
            Self::SecondFactorRequired => ErrorCode::SecondFactorRequired,
            Self::SecondFactorSetup => ErrorCode::SecondFactorSetup,
            Self::LoginThrottled(_) => ErrorCode::RateLimited,
            Self::Database(_) | Self::Internal(_) => ErrorCode::Internal,
        }
    }

    /// A short English message for developers reading the API; people see the web app's
    /// localized text for `code`. Never carries an internal cause.
    fn public_message(&self) -> String {
        match self {
            Self::Validation(_) => "Some fields are not valid.".into(),
            Self::MalformedBody(why) => format!("The request body could not be read: {why}"),
            Self::UnsupportedMediaType => "Send the body as application/json.".into(),
            Self::PayloadTooLarge => "The request body is too large.".into(),
            Self::InvalidQuery(which) => format!("The query parameter `{which}` is not valid."),
            Self::NotFound => "Not found.".into(),
            Self::EventClosed => "This event does not take sign-ups.".into(),
            Self::AlreadyRegistered => {
                "This phone number is already signed up for the event.".into()
            }
            Self::PhoneSignedUpForAnother => {
                "This phone number is already signed up for the event, for someone else.".into()
            }
            Self::OrganisationAlreadyRegistered => {
                "This organisation is already signed up for the event.".into()
            }
            Self::WrongAudience => {
                "This event takes sign-ups from people only, or from organisations only.".into()
            }
            Self::IdempotencyKeyReused => {
                "This Idempotency-Key was used for a different request.".into()
            }
            Self::InvalidIdempotencyKey => {
                "Idempotency-Key must be 8 to 64 letters, digits or dashes.".into()
            }
            Self::AlreadyCancelled => "This booking is already cancelled.".into(),
            Self::SlotFull => "This slot has no place left. Please choose another.".into(),
            Self::BuyerMismatch => "The details do not match the buyer list.".into(),
            Self::AlreadyBooked => "This flat already has a booking.".into(),
            Self::BookingClosed => "This project does not take bookings now.".into(),
            Self::PastCutoff => "It is too late to book or change this visit.".into(),
            Self::SurveyClosed => "This survey wave is not open.".into(),
            Self::AlreadyResponded => {
                "A response with this phone number is already in for this wave.".into()
            }
            Self::RateLimited => "Too many requests. Please wait a minute and try again.".into(),
            Self::VerificationRequired => {
                "Verify this phone number first (POST /api/verifications), then send \
                 Authorization: Bearer <phone token>."
                    .into()
            }
            Self::CodeExpired => "There is no valid code for this phone. Ask for a new one.".into(),
            Self::LoginRequired => "Log in as staff first (POST /api/staff/session).".into(),
            Self::Forbidden => "Your account may not do this here.".into(),
            Self::WrongLogin => "The login, password or one-time code is not right.".into(),
            Self::CapacityBelowTaken => "Capacity cannot go below the places already taken.".into(),
            Self::WrongEvent => "This code is for another event.".into(),
            Self::DecisionNeeded => {
                "Booked visits would be taken away: say for each whether it is moved, kept or cancelled."
                    .into()
            }
            Self::WrongStatus => "The event's status does not allow this.".into(),
            Self::HasSignUps => "People have signed up: cancel the event instead.".into(),
            Self::SecondFactorRequired => {
                "Send the one-time code of the account's authenticator app as `otp`.".into()
            }
            Self::SecondFactorSetup => {
                "Admins set up a second factor first (POST /api/staff/me/second-factor).".into()
            }
            Self::LoginThrottled(secs) => {
                format!("Too many failed logins. Try again in {secs} seconds.")
            }
            Self::Database(_) | Self::Internal(_) => {
                "Something went wrong on our side. Please try again.".into()
            }
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status_code();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        let fields = match &self {
            Self::Validation(fields) => fields.clone(),
            _ => FieldErrors::new(),
        };
        let body = ErrorBody {
            error: ApiError {
                code: self.code(),
                message: self.public_message(),
                fields,
            },
        };
        let mut response = (status, axum::Json(body)).into_response();
        if let Self::LoginThrottled(secs) = self {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(secs.max(1)),
            );
        }
        response
    }
}

pub type AppResult<T> = Result<T, AppError>;
