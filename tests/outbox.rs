//! The outbox's rules in a real browser: the states an entry moves through, which answers
//! end it and which keep it (with the same key) for another try, the backoff, and entries kept in the browser's IndexedDB.

use model::{ApiError, ErrorCode, FieldErrors, NewRegistration};
use quality_month_web::api::{ClientError, IdempotencyKey};
use quality_month_web::offline::idb::{self, Store};
use quality_month_web::offline::{About, Entry, Outcome, State, Write, retry_delay_ms};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn signup() -> Write {
    Write::Signup {
        event_id: 7,
        body: NewRegistration {
            name: "张三".into(),
            phone: "13800138000".into(),
            party_size: 2,
            organisation: None,
        },
    }
}

fn entry() -> Entry {
    Entry::new(signup(), About::default(), IdempotencyKey::new(), 1_000.0)
}

fn refused(status: u16, code: ErrorCode) -> Outcome {
    Outcome::of(Err(ClientError::Api {
        status,
        error: ApiError {
            code,
            message: "no".into(),
            fields: FieldErrors::new(),
        },
    }))
}

fn unanswered(status: u16) -> Outcome {
    refused(status, ErrorCode::Internal)
}

#[wasm_bindgen_test]
fn a_new_entry_waits_on_the_phone_and_a_try_counts() {
    let mut e = entry();
    assert_eq!(e.state, State::Saved);
    assert!(e.is_waiting());
    assert!(e.begin_sending());
    assert_eq!((e.state.clone(), e.attempts), (State::Sending, 1));
    // One try at a time: a second start while sending changes nothing.
    assert!(!e.begin_sending());
    assert_eq!(e.attempts, 1);
}

#[wasm_bindgen_test]
fn no_answer_keeps_the_entry_for_another_try_with_the_same_key() {
    let mut e = entry();
    let key = e.key.clone();
    let no_answers = [
        Outcome::of(Err(ClientError::Network)),
        Outcome::of(Err(ClientError::Timeout)),
        // A captive portal's page instead of our API.
        Outcome::of(Err(ClientError::Decode)),
        unanswered(503),
        unanswered(500),
        refused(429, ErrorCode::RateLimited),
    ];
    for (i, outcome) in no_answers.iter().enumerate() {
        assert_eq!(*outcome, Outcome::Kept, "outcome {i}");
        assert!(e.begin_sending());
        e.settle(outcome);
        assert_eq!(e.state, State::Saved);
        assert_eq!(e.key, key, "every try carries the same key");
    }
    assert_eq!(e.attempts, no_answers.len() as u32);
}

#[wasm_bindgen_test]
fn a_refusal_ends_the_entry_with_the_servers_reason() {
    let mut e = entry();
    e.begin_sending();
    e.settle(&refused(409, ErrorCode::SlotFull));
    match &e.state {
        State::Refused { error } => assert_eq!(error.code, ErrorCode::SlotFull),
        other => panic!("expected refused, got {other:?}"),
    }
    assert!(!e.is_waiting());
    // A settled entry is never sent again.
    assert!(!e.begin_sending());
}

#[wasm_bindgen_test]
fn an_entry_interrupted_while_sending_is_tried_again() {
    let mut e = entry();
    e.begin_sending();
    e.interrupted();
    assert_eq!(e.state, State::Saved);
    assert!(e.begin_sending());
    assert_eq!(e.attempts, 2);
}

#[wasm_bindgen_test]
fn retries_back_off_from_two_seconds_to_five_minutes_with_jitter() {
    let middle: Vec<f64> = (1..=10).map(|n| retry_delay_ms(n, 0.5)).collect();
    assert_eq!(middle[..5], [2_000.0, 4_000.0, 8_000.0, 16_000.0, 32_000.0]);
    assert!(middle.windows(2).all(|w| w[0] <= w[1]));
    assert_eq!(retry_delay_ms(40, 0.5), 300_000.0);
    // Jitter spreads a delay over ±25 %, never more.
    assert_eq!(retry_delay_ms(1, 0.0), 1_500.0);
    assert_eq!(retry_delay_ms(1, 1.0), 2_500.0);
    assert_eq!(retry_delay_ms(3, 7.0), retry_delay_ms(3, 1.0));
}

#[wasm_bindgen_test]
async fn entries_are_kept_in_indexeddb_as_they_were() {
    let mut e = entry();
    e.begin_sending();
    e.settle(&refused(409, ErrorCode::EventClosed));
    let text = serde_json::to_string(&e).unwrap();
    idb::put(Store::Outbox, e.key.as_str(), &text)
        .await
        .unwrap();
    let kept = idb::get(Store::Outbox, e.key.as_str()).await.unwrap();
    let back: Entry = serde_json::from_str(&kept.expect("stored")).unwrap();
    assert_eq!(back, e);
    let all = idb::all(Store::Outbox).await.unwrap();
    assert!(all.iter().any(|t| t == &text));
    idb::delete(Store::Outbox, e.key.as_str()).await.unwrap();
    assert_eq!(idb::get(Store::Outbox, e.key.as_str()).await.unwrap(), None);
}
