//! The sign-ups made (or found) on this phone, kept in local storage so that 我的 works
//! without an account. Each entry keeps the phone number because look-up and cancel need
//! it; the number never leaves this phone except in those requests' bodies.

use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
use model::{PhoneNumber, RegistrationReceipt};
use serde::{Deserialize, Serialize};

const KEY: &str = "qm.signups";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedSignup {
    pub phone: String,
    pub receipt: RegistrationReceipt,
}

impl SavedSignup {
    pub fn phone(&self) -> Option<PhoneNumber> {
        PhoneNumber::parse(&self.phone).ok()
    }
}

/// The list, newest first, shared by every page.
#[derive(Clone, Copy)]
pub struct MySignups(RwSignal<Vec<SavedSignup>>);

impl MySignups {
    pub fn provide() -> Self {
        let list: Vec<SavedSignup> = LocalStorage::get(KEY).unwrap_or_default();
        let me = Self(RwSignal::new(list));
        provide_context(me);
        me
    }

    pub fn list(&self) -> Vec<SavedSignup> {
        self.0.get()
    }

    /// The list as it is now, without following later changes.
    pub fn snapshot(&self) -> Vec<SavedSignup> {
        self.0.get_untracked()
    }

    pub fn find(&self, code: &str) -> Option<SavedSignup> {
        self.0
            .with(|l| l.iter().find(|s| s.receipt.code.as_str() == code).cloned())
    }

    /// Adds or refreshes an entry (matched by code) and stores the list.
    pub fn save(&self, phone: &PhoneNumber, receipt: RegistrationReceipt) {
        self.0.update(|list| {
            list.retain(|s| s.receipt.code != receipt.code);
            list.insert(
                0,
                SavedSignup {
                    phone: phone.as_str().to_string(),
                    receipt,
                },
            );
            let _ = LocalStorage::set(KEY, &*list);
        });
    }
}
