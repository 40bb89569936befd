//! Attacks on the buyer check of 预看房 bookings, over a real socket on both databases.
//! Different clients are played through `X-Forwarded-For` (the test is a trusted proxy).

mod common;

use common::inspections::{booking, created, fixture};
use common::{TestApp, error_code};
use futures::future::join_all;
use quality_month_server::store::{FREE_BUYER_CHECKS, backoff_after};
use reqwest::StatusCode;
use serde_json::{Value, json};

const PATH: &str = "/api/inspections/bookings";

fn wrong_name(project: i64, slot: i64) -> Value {
    let mut body = booking(project, 0, slot);
    body["buyer_name"] = json!("王五");
    body
}

on_both_databases!(
    guessers_elsewhere_never_lock_the_real_buyer_out,
    one_client_gets_a_few_tries_on_a_flat_then_waits,
    parallel_guesses_are_evaluated_at_most_the_limit,
    a_booking_replayed_after_a_pause_or_the_window_gets_its_stored_answer,
);

async fn guessers_elsewhere_never_lock_the_real_buyer_out(app: TestApp) {
    let f = fixture(&app, 1, &[(50, 5)]).await;
    let wrong = wrong_name(f.project, f.slots[0]);
    // Five guessers, one try each, and one persistent guesser until it is stopped.
    for i in 0..5 {
        let r = app
            .post_json_from(&format!("198.51.100.{i}"), PATH, &wrong, None)
            .await;
        assert_eq!(
            error_code(r, StatusCode::UNPROCESSABLE_ENTITY).await.0,
            "buyer_mismatch"
        );
    }
    let mut stopped = false;
    for _ in 0..10 {
        let r = app.post_json_from("203.0.113.66", PATH, &wrong, None).await;
        stopped |= r.status() == StatusCode::TOO_MANY_REQUESTS;
    }
    assert!(stopped, "the persistent guesser is stopped");
    // The real buyer, from another address, books at once.
    let r = app
        .post_json_from("192.0.2.10", PATH, &booking(f.project, 0, f.slots[0]), None)
        .await;
    created(r).await;
}

async fn one_client_gets_a_few_tries_on_a_flat_then_waits(app: TestApp) {
    let f = fixture(&app, 2, &[(50, 5)]).await;
    let wrong = wrong_name(f.project, f.slots[0]);
    for _ in 0..FREE_BUYER_CHECKS {
        let r = app.post_json_from("198.51.100.7", PATH, &wrong, None).await;
        assert_eq!(
            error_code(r, StatusCode::UNPROCESSABLE_ENTITY).await.0,
            "buyer_mismatch"
        );
    }
    let r = app.post_json_from("198.51.100.7", PATH, &wrong, None).await;
    assert_eq!(
        error_code(r, StatusCode::TOO_MANY_REQUESTS).await.0,
        "rate_limited"
    );
    // The pause is on this client and this flat only.
    let other_flat = booking(f.project, 1, f.slots[0]);
    created(
        app.post_json_from("198.51.100.7", PATH, &other_flat, None)
            .await,
    )
    .await;
    // The waits grow: a guesser gets a handful of tries a day, a person who mistyped waits
    // a minute.
    assert_eq!(backoff_after(FREE_BUYER_CHECKS - 1), 0);
    assert_eq!(backoff_after(FREE_BUYER_CHECKS), 60);
    assert_eq!(backoff_after(FREE_BUYER_CHECKS + 3), 480);
    assert_eq!(backoff_after(FREE_BUYER_CHECKS + 40), 86_400);
}

async fn parallel_guesses_are_evaluated_at_most_the_limit(app: TestApp) {
    let f = fixture(&app, 1, &[(50, 5)]).await;
    let wrong = wrong_name(f.project, f.slots[0]);
    let keys: Vec<String> = (0..12).map(|i| format!("guess-key-{i:04}")).collect();
    let answers = join_all(
        keys.iter()
            .map(|k| app.post_json_from("198.51.100.9", PATH, &wrong, Some(k))),
    )
    .await;
    let mut evaluated = 0;
    for r in answers {
        match r.status() {
            StatusCode::UNPROCESSABLE_ENTITY => evaluated += 1,
            StatusCode::TOO_MANY_REQUESTS => {}
            other => panic!("unexpected {other}"),
        }
    }
    assert_eq!(evaluated, FREE_BUYER_CHECKS, "guesses evaluated");
}

async fn a_booking_replayed_after_a_pause_or_the_window_gets_its_stored_answer(app: TestApp) {
    let f = fixture(&app, 1, &[(50, 5)]).await;
    let body = booking(f.project, 0, f.slots[0]);
    let first = created(app.post_json(PATH, &body, Some("lost-answer-0001")).await).await;
    // Someone behind the same address guesses at the flat until paused …
    let wrong = wrong_name(f.project, f.slots[0]);
    for _ in 0..=FREE_BUYER_CHECKS {
        app.post_json(PATH, &wrong, None).await;
    }
    let r = app.post_json(PATH, &wrong, None).await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    // … and the phone whose answer was lost retries: it gets its booking, not a 429.
    let r = app.post_json(PATH, &body, Some("lost-answer-0001")).await;
    assert_eq!(r.headers()["idempotent-replayed"], "true");
    assert_eq!(created(r).await["code"], first["code"]);
    // The window closes (handover moved to yesterday); the retry still gets its answer.
    sqlx::query("UPDATE projects SET handover_on = '2000-01-01' WHERE id = $1")
        .bind(f.project)
        .execute(&app.db)
        .await
        .unwrap();
    let r = app
        .post_json_from("192.0.2.1", PATH, &body, Some("lost-answer-0001"))
        .await;
    assert_eq!(created(r).await["code"], first["code"]);
}
