//! The one outbox every write goes through. An action becomes an [`Entry`] stored on the
//! phone (IndexedDB) before anything is sent; it is sent at once when the phone is online,
//! and again on the `online` event, when the app starts, and on a backoff timer, until
//! the server answers. The outbox is transport only: it announces each write the server
//! stored, with its receipt, and whoever keeps receipts listens (我的's lists, the
//! survey's "sent" mark; see `App`).

use gloo_timers::callback::Timeout;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::prelude::*;

use super::entry::{About, Done, Entry, Outcome, State, Write, retry_delay_ms};
use super::idb::{self, Store};
use crate::api::{ClientError, IdempotencyKey};

/// Done and refused entries are shown in 我的 for this long, then forgotten.
const KEEP_SETTLED_MS: f64 = 30.0 * 24.0 * 3600.0 * 1000.0;

/// Why a write did not end while the person waited.
#[derive(Debug, Clone, PartialEq)]
pub enum Undelivered {
    /// Saved on the phone; it will be sent when the connection allows.
    Kept,
    /// The server said no; nothing was stored there.
    Refused(ClientError),
}

/// Told of a write the server stored, and what it gave back.
type Listener = Box<dyn Fn(&Write, &Done)>;

#[derive(Clone, Copy)]
pub struct Outbox {
    entries: RwSignal<Vec<Entry>>,
    flushing: StoredValue<bool>,
    retry: StoredValue<Option<Timeout>, LocalStorage>,
    listeners: StoredValue<Vec<Listener>, LocalStorage>,
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

fn online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

impl Outbox {
    /// Makes the outbox for the app. Nothing is sent before [`Outbox::start`], so that
    /// every listener hears of what an earlier visit left.
    pub fn provide() -> Self {
        let me = Self {
            entries: RwSignal::new(Vec::new()),
            flushing: StoredValue::new(false),
            retry: StoredValue::new_local(None),
            listeners: StoredValue::new_local(Vec::new()),
        };
        provide_context(me);
        me
    }

    /// Calls `listener` for every write the server stores from now on.
    pub fn on_done(&self, listener: impl Fn(&Write, &Done) + 'static) {
        self.listeners.update_value(|l| l.push(Box::new(listener)));
    }

    /// Loads what an earlier visit left and sends it; sends again whenever the phone
    /// comes back online.
    pub fn start(self) {
        let me = self;
        spawn_local(async move {
            me.load().await;
            me.flush().await;
        });
        if let Some(window) = web_sys::window() {
            let on_online = Closure::<dyn Fn()>::new(move || spawn_local(me.flush()));
            let _ = window
                .add_event_listener_with_callback("online", on_online.as_ref().unchecked_ref());
            // Listens for the life of the app.
            on_online.forget();
        }
    }

    async fn load(self) {
        let Ok(stored) = idb::all(Store::Outbox).await else {
            return;
        };
        let cutoff = now_ms() - KEEP_SETTLED_MS;
        let mut loaded = Vec::new();
        for text in stored {
            let Ok(mut entry) = serde_json::from_str::<Entry>(&text) else {
                continue;
            };
            if !entry.is_waiting() && entry.saved_at < cutoff {
                let _ = idb::delete(Store::Outbox, entry.key.as_str()).await;
                continue;
            }
            entry.interrupted();
            loaded.push(entry);
        }
        self.entries.update(|list| {
            // Anything made while loading stays, and is newer.
            for entry in loaded.into_iter().rev() {
                if !list.iter().any(|e| e.key == entry.key) {
                    list.insert(0, entry);
                }
            }
            list.sort_by(|a, b| a.saved_at.total_cmp(&b.saved_at));
        });
    }

    /// Every entry, oldest first.
    pub fn entries(&self) -> Vec<Entry> {
        self.entries.get()
    }

    pub fn find(&self, key: &str) -> Option<Entry> {
        self.entries
            .with_untracked(|l| l.iter().find(|e| e.key.as_str() == key).cloned())
    }

    /// An entry still waiting to be sent, among those `matching` says are the same kind.
    pub fn waiting(&self, matching: impl Fn(&Write) -> bool) -> Option<Entry> {
        self.entries.with(|l| {
            l.iter()
                .find(|e| e.is_waiting() && matching(&e.write))
                .cloned()
        })
    }

    /// Keeps `action` on the phone, then sends it now if the phone is online. `replaces`
    /// names a refused entry this one corrects; it goes once the new one is stored.
    pub async fn deliver(
        self,
        write: Write,
        about: About,
        key: IdempotencyKey,
        replaces: Option<IdempotencyKey>,
    ) -> Result<Done, Undelivered> {
        request_persistence();
        match self.find(key.as_str()) {
            // A second tap on the same action: the entry is already on its way.
            Some(entry) if entry.state != State::Saved => return Err(Undelivered::Kept),
            Some(_) => {}
            None => {
                let entry = Entry::new(write, about, key.clone(), now_ms());
                self.keep(&entry).await;
                if let Some(old) = replaces {
                    self.dismiss(&old);
                }
            }
        }
        match self.send(&key).await {
            Outcome::Done(done) => {
                // The connection works: anything older waiting goes now too.
                spawn_local(self.flush());
                Ok(done)
            }
            Outcome::Refused(e) => {
                // Said to the person on the page, who corrects it there (with a new key).
                self.dismiss(&key);
                Err(Undelivered::Refused(e))
            }
            Outcome::Kept => {
                self.retry_later(&key);
                Err(Undelivered::Kept)
            }
        }
    }

    /// Sends every waiting entry, oldest first, until one gets no answer.
    pub async fn flush(self) {
        if self.flushing.get_value() {
            return;
        }
        self.flushing.set_value(true);
        self.retry.set_value(None);
        let waiting: Vec<IdempotencyKey> = self.entries.with_untracked(|l| {
            l.iter()
                .filter(|e| e.state == State::Saved)
                .map(|e| e.key.clone())
                .collect()
        });
        for key in waiting {
            if self.send(&key).await == Outcome::Kept {
                self.retry_later(&key);
                break;
            }
        }
        self.flushing.set_value(false);
    }

    /// Removes a settled entry from the phone.
    pub fn dismiss(&self, key: &IdempotencyKey) {
        self.entries.update(|l| l.retain(|e| &e.key != key));
        let key = key.clone();
        spawn_local(async move {
            let _ = idb::delete(Store::Outbox, key.as_str()).await;
        });
    }

    /// One try of one entry; offline, none is made.
    async fn send(self, key: &IdempotencyKey) -> Outcome {
        let Some(mut entry) = self.find(key.as_str()) else {
            return Outcome::Kept;
        };
        if !online() || !entry.begin_sending() {
            return Outcome::Kept;
        }
        self.show(&entry);
        let outcome = Outcome::of(entry.write.send(&entry.key).await);
        entry.settle(&outcome);
        if let Outcome::Done(done) = &outcome {
            self.listeners
                .with_value(|l| l.iter().for_each(|listen| listen(&entry.write, done)));
        }
        self.keep(&entry).await;
        outcome
    }

    fn show(&self, entry: &Entry) {
        self.entries
            .update(|l| match l.iter_mut().find(|e| e.key == entry.key) {
                Some(e) => *e = entry.clone(),
                None => l.push(entry.clone()),
            });
    }

    /// Shows the entry and stores it; returns once it is on the phone's storage (or the
    /// storage refused, in which case it still lives in memory and is still sent).
    async fn keep(&self, entry: &Entry) {
        self.show(entry);
        if let Ok(text) = serde_json::to_string(entry) {
            let _ = idb::put(Store::Outbox, entry.key.as_str(), &text).await;
        }
    }

    /// After a try without an answer. Offline no timer is needed: the `online` event
    /// comes first.
    fn retry_later(&self, key: &IdempotencyKey) {
        if !online() {
            return;
        }
        let attempts = self.find(key.as_str()).map_or(1, |e| e.attempts);
        let me = *self;
        let delay = retry_delay_ms(attempts, js_sys::Math::random());
        self.retry
            .set_value(Some(Timeout::new(delay as u32, move || {
                spawn_local(me.flush())
            })));
    }
}

/// Asks the browser not to clear the app's storage under pressure: the outbox may hold
/// the only copy of what someone did. Once per visit; the browser decides, silently.
fn request_persistence() {
    thread_local!(static ASKED: std::cell::Cell<bool> = const { std::cell::Cell::new(false) });
    if ASKED.with(|a| a.replace(true)) {
        return;
    }
    if let Some(window) = web_sys::window() {
        let _ = window.navigator().storage().persist();
    }
}
