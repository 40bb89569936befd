//! The catalog (its own crate, `catalog/`) and what ties it to the page: the language the
//! person chose, and words for what went wrong with a request.

use leptos::prelude::*;
use model::ErrorCode;

pub use catalog::*;

use crate::api::ClientError;
use crate::prefs::Prefs;

/// The catalog of the language the person chose; follows every switch.
pub fn use_texts() -> Memo<&'static Texts> {
    let prefs = expect_context::<Prefs>();
    Memo::new(move |_| texts(prefs.lang.get()))
}

/// A message made from a value (e.g. "最多选 3 项") as a `&'static str`, the form fields
/// take. Each distinct text is kept once for the life of the page, so a definition's
/// handful of maxima cost a few bytes, however often they are shown.
pub fn intern(text: String) -> &'static str {
    use std::cell::RefCell;
    use std::collections::BTreeSet;
    thread_local! {
        static KEPT: RefCell<BTreeSet<&'static str>> = const { RefCell::new(BTreeSet::new()) };
    }
    KEPT.with(|kept| {
        let mut kept = kept.borrow_mut();
        if let Some(&known) = kept.get(text.as_str()) {
            return known;
        }
        let leaked: &'static str = Box::leak(text.into_boxed_str());
        kept.insert(leaked);
        leaked
    })
}

/// The catalog of the language chosen now, without following later switches: for views
/// that their parent draws afresh when the language changes.
pub fn texts_now() -> &'static Texts {
    texts(expect_context::<Prefs>().lang.get_untracked())
}

/// Words for a failed request. The catalog knows nothing of the client, so this lives
/// beside the client.
pub trait ClientErrorText {
    /// What went wrong with a request, in words for the person holding the phone.
    fn client_error(&self, e: &ClientError) -> &'static str;
}

impl ClientErrorText for Texts {
    fn client_error(&self, e: &ClientError) -> &'static str {
        match e {
            ClientError::Network => self.err_network,
            ClientError::Timeout => self.err_timeout,
            ClientError::Api { error, .. } => match error.code {
                ErrorCode::NotFound => self.err_not_found,
                ErrorCode::EventClosed => self.err_event_closed,
                ErrorCode::AlreadyRegistered => self.err_already_registered,
                ErrorCode::OrganisationAlreadyRegistered => self.org.err_already_registered,
                ErrorCode::WrongAudience => self.org.err_wrong_audience,
                ErrorCode::Validation => self.err_validation,
                ErrorCode::RateLimited => self.err_rate_limited,
                ErrorCode::BuyerMismatch => self.inspect.err_buyer_mismatch,
                ErrorCode::SlotFull => self.inspect.err_slot_full,
                ErrorCode::AlreadyBooked => self.inspect.err_already_booked,
                ErrorCode::BookingClosed => self.inspect.err_booking_closed,
                ErrorCode::PastCutoff => self.inspect.err_past_cutoff,
                ErrorCode::AlreadyCancelled => self.inspect.cancelled_done,
                ErrorCode::AlreadyResponded => self.survey.err_already_responded,
                ErrorCode::SurveyClosed => self.survey.err_closed,
                ErrorCode::UnreadableAnswer => self.err_unreadable,
                ErrorCode::VerificationRequired => self.verify.required,
                ErrorCode::CodeExpired => self.verify.expired,
                _ => self.err_server,
            },
            ClientError::Decode => self.err_server,
            ClientError::Unreadable => self.err_unreadable,
        }
    }
}
