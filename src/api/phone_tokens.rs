//! Phone tokens kept on this device: proof, for 180 days, that the person holding it
//! received a code on that phone. Sent with every write that names the phone, including
//! writes the outbox sends later.

use gloo_storage::{LocalStorage, Storage};
use model::verification::PhoneToken;
use std::collections::BTreeMap;

const KEY: &str = "qm.phone_tokens";

fn all() -> BTreeMap<String, PhoneToken> {
    LocalStorage::get(KEY).unwrap_or_default()
}

/// The token for `phone`, while it is valid.
pub fn token_for(phone: &str) -> Option<String> {
    let now = (js_sys::Date::now() / 1000.0) as i64;
    all()
        .remove(phone)
        .filter(|t| t.expires_at.unix() > now)
        .map(|t| t.token)
}

pub fn keep(phone: &str, token: PhoneToken) {
    let now = (js_sys::Date::now() / 1000.0) as i64;
    let mut tokens = all();
    tokens.retain(|_, t| t.expires_at.unix() > now);
    tokens.insert(phone.to_string(), token);
    let _ = LocalStorage::set(KEY, tokens);
}
