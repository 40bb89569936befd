//! What was done on this phone, kept in local storage so that 我的 works without an
//! account: event sign-ups and pre-inspection bookings. Each entry keeps the phone number
//! because look-up, reschedule and cancel need it; the number never leaves this phone
//! except in those requests' bodies.

use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
use model::{BookingReceipt, BookingStatus, PhoneNumber, RegistrationCode, RegistrationReceipt};
use std::future::Future;

use crate::api::{self, ClientError};
use crate::offline::{About, Done, Outbox, Write};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// A receipt the server gave, kept on the phone.
pub trait Receipt:
    Clone + PartialEq + Serialize + DeserializeOwned + Send + Sync + 'static
{
    /// The local-storage key of the list.
    const KEY: &'static str;
    fn code(&self) -> &RegistrationCode;
    /// Whether the server may still change it (a waitlist moves up, staff check a visit in).
    fn may_change(&self) -> bool;
    /// The request that cancels it.
    fn cancel(&self, phone: PhoneNumber) -> Write;
    /// What the outbox shows of a write about it.
    fn about(&self) -> About;
    /// The receipt as the server has it now.
    fn fetch(
        code: RegistrationCode,
        phone: PhoneNumber,
    ) -> impl Future<Output = Result<Self, ClientError>>;
}

impl Receipt for RegistrationReceipt {
    const KEY: &'static str = "qm.signups";
    fn code(&self) -> &RegistrationCode {
        &self.code
    }
    fn may_change(&self) -> bool {
        self.status.is_active()
    }
    fn cancel(&self, phone: PhoneNumber) -> Write {
        Write::CancelSignup {
            code: self.code.clone(),
            phone,
        }
    }
    fn about(&self) -> About {
        About {
            subject: Some(self.event.title.clone()),
            when: Some(self.event.starts_at),
        }
    }
    async fn fetch(code: RegistrationCode, phone: PhoneNumber) -> Result<Self, ClientError> {
        api::lookup(&code, &phone).await
    }
}

impl Receipt for BookingReceipt {
    const KEY: &'static str = "qm.bookings";
    fn code(&self) -> &RegistrationCode {
        &self.code
    }
    /// After the visit too: its defects move on while the office repairs them.
    fn may_change(&self) -> bool {
        self.status != BookingStatus::Cancelled
    }
    fn cancel(&self, phone: PhoneNumber) -> Write {
        Write::CancelBooking {
            code: self.code.clone(),
            phone,
        }
    }
    fn about(&self) -> About {
        About {
            subject: Some(self.project.name.clone()),
            when: Some(self.slot.starts_at),
        }
    }
    async fn fetch(code: RegistrationCode, phone: PhoneNumber) -> Result<Self, ClientError> {
        api::lookup_booking(&code, &phone).await
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(bound = "R: Receipt")]
pub struct Saved<R> {
    pub phone: PhoneNumber,
    pub receipt: R,
}

/// One list, newest first, shared by every page.
pub struct MyList<R: Receipt>(RwSignal<Vec<Saved<R>>>);

impl<R: Receipt> Clone for MyList<R> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<R: Receipt> Copy for MyList<R> {}

pub type MySignups = MyList<RegistrationReceipt>;
pub type SavedSignup = Saved<RegistrationReceipt>;
pub type MyBookings = MyList<BookingReceipt>;
pub type SavedBooking = Saved<BookingReceipt>;

impl<R: Receipt> MyList<R> {
    pub fn provide() -> Self {
        // Entry by entry: one that no longer reads (a rule tightened since it was kept)
        // costs that entry, not the whole list.
        let list: Vec<Saved<R>> = LocalStorage::get::<Vec<serde_json::Value>>(R::KEY)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|entry| serde_json::from_value(entry).ok())
            .collect();
        let me = Self(RwSignal::new(list));
        provide_context(me);
        me
    }

    pub fn list(&self) -> Vec<Saved<R>> {
        self.0.get()
    }

    /// The list as it is now, without following later changes.
    pub fn snapshot(&self) -> Vec<Saved<R>> {
        self.0.get_untracked()
    }

    pub fn find(&self, code: &str) -> Option<Saved<R>> {
        self.0.with(|l| {
            l.iter()
                .find(|s| s.receipt.code().as_str() == code)
                .cloned()
        })
    }

    /// Asks the server for this entry as it is now, and keeps the answer if it changed.
    /// Without a connection the kept entry simply stays.
    pub fn refresh(&self, saved: Saved<R>) {
        let me = *self;
        let phone = saved.phone.clone();
        leptos::task::spawn_local(async move {
            if let Ok(fresh) = R::fetch(saved.receipt.code().clone(), phone.clone()).await
                && fresh != saved.receipt
            {
                me.save(&phone, fresh);
            }
        });
    }

    /// Refreshes every entry the server may still have changed.
    pub fn refresh_open(&self) {
        for saved in self.snapshot() {
            if saved.receipt.may_change() {
                self.refresh(saved);
            }
        }
    }

    /// Adds or refreshes an entry (matched by code) and stores the list.
    pub fn save(&self, phone: &PhoneNumber, receipt: R) {
        self.0.update(|list| {
            list.retain(|s| s.receipt.code() != receipt.code());
            list.insert(
                0,
                Saved {
                    phone: phone.clone(),
                    receipt,
                },
            );
            let _ = LocalStorage::set(R::KEY, &*list);
        });
    }
}

impl MyBookings {
    /// Puts a defect's latest state into the booking it belongs to.
    pub fn keep_defect(&self, defect: model::defect::Defect) {
        let Some(mut saved) = self.find(&defect.booking_code) else {
            return;
        };
        let phone = saved.phone.clone();
        let defects = &mut saved.receipt.defects;
        match defects.iter_mut().find(|d| d.id == defect.id) {
            Some(d) => *d = defect,
            None => defects.push(defect),
        }
        self.save(&phone, saved.receipt);
    }
}

/// 我的 keeps every receipt the outbox delivers: sign-ups and bookings under the phone that
/// made them, a defect's new state in its booking.
pub fn keep_deliveries(outbox: Outbox, signups: MySignups, bookings: MyBookings) {
    outbox.on_done(move |write, done| match (done, write.phone()) {
        (Done::Signup(receipt), Some(phone)) => signups.save(&phone, (**receipt).clone()),
        (Done::Booking(receipt), Some(phone)) => bookings.save(&phone, (**receipt).clone()),
        (Done::Defect(defect), _) => bookings.keep_defect((**defect).clone()),
        _ => {}
    });
}
