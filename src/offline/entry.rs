//! One outbox entry and its rules, apart from storage and timers: what one entry holds, the states it
//! moves through, which answers end it and which keep it for another try, and how long to
//! wait before that try.
//!
//! ```text
//! Saved ──send──▶ Sending ──answer──▶ Done (the server stored it; we have its code)
//!   ▲                │      └────────▶ Refused (the server said no; the person decides)
//!   └──no answer─────┘  (no connection, timeout, 5xx, 429: kept, tried again later)
//! ```
//! Every try of one entry carries the same idempotency key, so the server stores it once
//! however many of the tries arrive. A refused entry that the person corrects becomes a new
//! entry with a new key.

use model::defect::{Defect, DefectUpdate, NewDefect};
use model::survey::{NewResponse, ResponseReceipt};
use model::{
    ApiError, BeijingTime, BookingReceipt, ErrorCode, Localized, NewBooking, NewRegistration,
    PhoneNumber, RegistrationCode, RegistrationReceipt,
};
use serde::{Deserialize, Serialize};

use crate::api::{self, ClientError, IdempotencyKey};

/// One request a person made, exactly as it will be sent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Write {
    Signup {
        event_id: i64,
        body: NewRegistration,
    },
    CancelSignup {
        code: RegistrationCode,
        phone: PhoneNumber,
    },
    Book {
        body: NewBooking,
    },
    Reschedule {
        code: RegistrationCode,
        phone: PhoneNumber,
        slot_id: i64,
    },
    CancelBooking {
        code: RegistrationCode,
        phone: PhoneNumber,
    },
    Respond {
        survey_id: i64,
        body: NewResponse,
    },
    /// A defect found at the pre-inspection visit (the photos travel in the body).
    RecordDefect {
        code: RegistrationCode,
        body: NewDefect,
    },
    /// The buyer confirms a repair or reopens the defect.
    AnswerRepair {
        code: RegistrationCode,
        defect_id: i64,
        body: DefectUpdate,
    },
}

/// What the server gave back for a write.
#[derive(Debug, Clone, PartialEq)]
pub enum Done {
    Signup(Box<RegistrationReceipt>),
    Booking(Box<BookingReceipt>),
    Response(ResponseReceipt),
    Defect(Box<Defect>),
}

impl Done {
    /// The code or reference the person keeps.
    pub fn code(&self) -> String {
        match self {
            Done::Signup(r) => r.code.to_string(),
            Done::Booking(r) => r.code.to_string(),
            Done::Response(r) => r.reference.clone(),
            Done::Defect(d) => d.booking_code.clone(),
        }
    }
}

impl Write {
    /// The phone number the request proves ownership with, if any.
    pub fn phone(&self) -> Option<PhoneNumber> {
        let phone = match self {
            Write::CancelSignup { phone, .. }
            | Write::Reschedule { phone, .. }
            | Write::CancelBooking { phone, .. } => return Some(phone.clone()),
            // Bodies carry the number as typed; the server checks it again.
            Write::Signup { body, .. } => &body.phone,
            Write::Book { body } => &body.phone,
            Write::Respond { body, .. } => body.phone.as_ref()?,
            Write::RecordDefect { body, .. } => &body.phone,
            Write::AnswerRepair { body, .. } => &body.phone,
        };
        PhoneNumber::parse(phone).ok()
    }

    /// Sends the request once, with `key`.
    pub async fn send(&self, key: &IdempotencyKey) -> Result<Done, ClientError> {
        // A stored write without a valid phone can never succeed: say so, do not retry.
        let phone = || self.phone().ok_or(ClientError::Unreadable);
        Ok(match self {
            Write::Signup { event_id, body } => {
                Done::Signup(Box::new(api::register(*event_id, body, key).await?))
            }
            Write::CancelSignup { code, .. } => {
                Done::Signup(Box::new(api::cancel(code, &phone()?, key).await?))
            }
            Write::Book { body } => Done::Booking(Box::new(api::book(body, key).await?)),
            Write::Reschedule { code, slot_id, .. } => Done::Booking(Box::new(
                api::reschedule(code, &phone()?, *slot_id, key).await?,
            )),
            Write::CancelBooking { code, .. } => {
                Done::Booking(Box::new(api::cancel_booking(code, &phone()?, key).await?))
            }
            Write::Respond { survey_id, body } => {
                Done::Response(api::respond(*survey_id, body, key).await?)
            }
            Write::RecordDefect { code, body } => {
                Done::Defect(Box::new(api::record_defect(code, body, key).await?))
            }
            Write::AnswerRepair {
                code,
                defect_id,
                body,
            } => Done::Defect(Box::new(
                api::answer_repair(code, *defect_id, body, key).await?,
            )),
        })
    }
}

/// What the person sees of an entry besides its kind: the event or project, and when.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct About {
    pub subject: Option<Localized>,
    pub when: Option<BeijingTime>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum State {
    /// On the phone, waiting for a connection or for its next try.
    Saved,
    Sending,
    /// Stored by the server, which gave this code or reference.
    Done {
        code: String,
    },
    /// The server said no, and why; sending it again would get the same answer.
    Refused {
        error: ApiError,
    },
}

impl State {
    /// A stable name, as stored and as the page marks it.
    pub fn name(&self) -> &'static str {
        match self {
            State::Saved => "saved",
            State::Sending => "sending",
            State::Done { .. } => "done",
            State::Refused { .. } => "refused",
        }
    }
}

/// How an answer (or the lack of one) ends a try.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Done(Done),
    Refused(ClientError),
    /// No usable answer: the entry stays on the phone for another try.
    Kept,
}

impl Outcome {
    pub fn of(result: Result<Done, ClientError>) -> Self {
        match result {
            Ok(done) => Outcome::Done(done),
            // No connection, a timeout, a page that is not our API (a captive portal), a
            // busy or broken server, a rate limit: the same request may succeed later.
            Err(e) if e.is_unreachable() => Outcome::Kept,
            Err(e) => Outcome::Refused(e),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    pub key: IdempotencyKey,
    pub write: Write,
    #[serde(default)]
    pub about: About,
    /// When the person made it (ms since 1970), which is also the sending order.
    pub saved_at: f64,
    pub state: State,
    /// Tries so far.
    pub attempts: u32,
}

impl Entry {
    pub fn new(write: Write, about: About, key: IdempotencyKey, now: f64) -> Self {
        Self {
            key,
            write,
            about,
            saved_at: now,
            state: State::Saved,
            attempts: 0,
        }
    }

    /// Starts a try; false (and nothing changes) unless the entry is waiting for one.
    pub fn begin_sending(&mut self) -> bool {
        if self.state != State::Saved {
            return false;
        }
        self.state = State::Sending;
        self.attempts += 1;
        true
    }

    /// Ends the try in progress with its outcome.
    pub fn settle(&mut self, outcome: &Outcome) {
        if self.state != State::Sending {
            return;
        }
        self.state = match outcome {
            Outcome::Done(done) => State::Done { code: done.code() },
            Outcome::Refused(ClientError::Api { error, .. }) => State::Refused {
                error: error.clone(),
            },
            // Trying again would get the same answer: the person must hear of it.
            Outcome::Refused(ClientError::Unreadable) => State::Refused {
                error: ApiError {
                    code: ErrorCode::UnreadableAnswer,
                    message: "The server's answer could not be read.".into(),
                    fields: Default::default(),
                },
            },
            Outcome::Refused(_) | Outcome::Kept => State::Saved,
        };
    }

    /// The app stopped during a try: whether the server got it is unknown, so it is tried
    /// again with the same key.
    pub fn interrupted(&mut self) {
        if self.state == State::Sending {
            self.state = State::Saved;
        }
    }

    /// Still to be answered by the server.
    pub fn is_waiting(&self) -> bool {
        matches!(self.state, State::Saved | State::Sending)
    }
}

/// The first retry after 2 s, doubling up to 5 minutes; `jitter` (0 to 1) spreads it over
/// ±25 % so that phones coming back after an outage do not all call at once.
pub fn retry_delay_ms(attempts: u32, jitter: f64) -> f64 {
    const FIRST_MS: f64 = 2_000.0;
    const MOST_MS: f64 = 300_000.0;
    let doubled = FIRST_MS * 2f64.powi(attempts.saturating_sub(1).min(16) as i32);
    doubled.min(MOST_MS) * (0.75 + 0.5 * jitter.clamp(0.0, 1.0))
}
