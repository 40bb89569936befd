//! Working without a connection: every write goes through one [`Outbox`] that keeps it on
//! the phone until the server answers, and every GET's last answer is kept so that lists
//! seen once stay readable. The service worker (`public/sw.js`) serves the app itself.

pub mod cache;
pub mod entry;
pub mod idb;
pub mod outbox;
pub mod service_worker;

pub use entry::{About, Done, Entry, Outcome, State, Write, retry_delay_ms};
pub use outbox::{Outbox, Undelivered};
