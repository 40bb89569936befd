//! Signing up, the waitlist, look-up and cancel, idempotent replays, and capacity under
//! concurrent sign-ups.

mod common;

use common::{TestApp, error_code, event, phone};
use futures::future::join_all;
use model::{
    Category, EventStatus, RegistrationCode, RegistrationReceipt, RegistrationStatus, Town,
};
use quality_month_server::sweep::sweep_once;
use reqwest::StatusCode;
use serde_json::json;

on_both_databases!(
    signing_up_returns_a_code_and_takes_places,
    sixty_parallel_sign_ups_for_five_places,
    ten_parallel_sign_ups_with_one_phone_make_one,
    idempotent_replay_returns_the_same_code,
    same_key_with_another_body_is_409,
    lookup_needs_the_right_phone,
    cancel_frees_places_and_moves_the_waitlist_up,
    cancelled_and_past_events_take_no_sign_ups,
    one_active_sign_up_per_phone_per_event,
    old_idempotency_keys_are_forgotten,
);

async fn receipt(r: reqwest::Response, status: StatusCode) -> RegistrationReceipt {
    assert_eq!(r.status(), status);
    r.json().await.unwrap()
}

async fn signing_up_returns_a_code_and_takes_places(app: TestApp) {
    let id = app
        .add_event(event(Town::Nanqiao, Category::Clinic, 3, 10))
        .await;
    let r = receipt(
        app.register(id, "张三", "138 0013 8000", 3).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(r.status, RegistrationStatus::Registered);
    assert_eq!(r.code.as_str().len(), 8);
    assert!(RegistrationCode::parse(r.code.as_str()).is_ok());
    assert_eq!(r.phone_masked, "138****8000");
    assert_eq!(r.event.id, id);
    assert_eq!(r.event.places_left, 7);
    assert_eq!(app.event_json(id).await["places_left"], 7);
    // The list shows the new count at once, cache or not.
    let list: Vec<model::EventSummary> = app.get("/api/events").await.json().await.unwrap();
    assert_eq!(list[0].places_left, 7);
}

async fn sixty_parallel_sign_ups_for_five_places(app: TestApp) {
    let id = app
        .add_event(event(Town::Haiwan, Category::OpenDay, 3, 5))
        .await;
    let requests = (0..60).map(|i| {
        let app = &app;
        async move { app.register(id, "李四", &phone(i), 1).await }
    });
    let mut receipts = Vec::new();
    for r in join_all(requests).await {
        receipts.push(receipt(r, StatusCode::CREATED).await);
    }
    let registered = receipts
        .iter()
        .filter(|r| r.status == RegistrationStatus::Registered)
        .count();
    let mut positions: Vec<u32> = receipts
        .iter()
        .filter(|r| r.status == RegistrationStatus::Waitlisted)
        .map(|r| {
            r.waitlist_position
                .expect("waitlisted sign-ups have a position")
        })
        .collect();
    positions.sort_unstable();
    assert_eq!(registered, 5);
    assert_eq!(
        positions,
        (1..=55).collect::<Vec<u32>>(),
        "55 waitlisted, in order, none twice"
    );
    assert_eq!(app.count_registrations(id, "registered").await, 5);
    assert_eq!(app.count_registrations(id, "waitlisted").await, 55);
    assert_eq!(app.taken(id).await, 5);
    let codes: std::collections::HashSet<_> = receipts.iter().map(|r| r.code.clone()).collect();
    assert_eq!(codes.len(), 60, "every sign-up has its own code");
}

async fn ten_parallel_sign_ups_with_one_phone_make_one(app: TestApp) {
    let id = app
        .add_event(event(Town::Haiwan, Category::OpenDay, 3, 50))
        .await;
    let requests = (0..10).map(|_| app.register(id, "王五", "13912345678", 1));
    let statuses: Vec<StatusCode> = join_all(requests)
        .await
        .iter()
        .map(|r| r.status())
        .collect();
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::CREATED)
            .count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses
            .iter()
            .filter(|s| **s == StatusCode::CONFLICT)
            .count(),
        9,
        "{statuses:?}"
    );
    assert_eq!(app.count_registrations(id, "registered").await, 1);
    assert_eq!(
        app.taken(id).await,
        1,
        "refused attempts give their places back"
    );
}

async fn idempotent_replay_returns_the_same_code(app: TestApp) {
    let id = app
        .add_event(event(Town::Nanqiao, Category::Clinic, 3, 10))
        .await;
    let path = format!("/api/events/{id}/registrations");
    let body = json!({"name": "赵六", "phone": "13700000001", "party_size": 2});
    let key = "6f1c2b4e-2d0a-4c1b-9a8e-0a1b2c3d4e5f";
    let first = app.post_json(&path, &body, Some(key)).await;
    assert!(first.headers().get("idempotent-replayed").is_none());
    let first = receipt(first, StatusCode::CREATED).await;
    // The phone retries: once after the answer was lost, and several times at once.
    let retries = join_all((0..5).map(|_| app.post_json(&path, &body, Some(key)))).await;
    for r in retries {
        assert_eq!(r.headers()["idempotent-replayed"], "true");
        assert_eq!(receipt(r, StatusCode::CREATED).await.code, first.code);
    }
    assert_eq!(app.count_registrations(id, "registered").await, 1);
    assert_eq!(app.taken(id).await, 2);
}

async fn same_key_with_another_body_is_409(app: TestApp) {
    let id = app
        .add_event(event(Town::Nanqiao, Category::Clinic, 3, 10))
        .await;
    let path = format!("/api/events/{id}/registrations");
    let key = "key-reused-0001";
    let a = json!({"name": "赵六", "phone": "13700000001", "party_size": 1});
    let b = json!({"name": "钱七", "phone": "13700000002", "party_size": 1});
    assert_eq!(
        app.post_json(&path, &a, Some(key)).await.status(),
        StatusCode::CREATED
    );
    let (code, _) = error_code(
        app.post_json(&path, &b, Some(key)).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(code, "idempotency_key_reused");
    assert_eq!(app.count_all_registrations().await, 1);
    let (code, _) = error_code(
        app.post_json(&path, &b, Some("bad key!")).await,
        StatusCode::BAD_REQUEST,
    )
    .await;
    assert_eq!(code, "invalid_idempotency_key");
}

async fn lookup_needs_the_right_phone(app: TestApp) {
    let id = app
        .add_event(event(Town::Nanqiao, Category::Clinic, 3, 10))
        .await;
    let r = receipt(
        app.register(id, "孙八", "13600000001", 1).await,
        StatusCode::CREATED,
    )
    .await;
    let path = format!(
        "/api/registrations/{}/lookup",
        r.code.as_str().to_lowercase()
    );
    let found = receipt(
        app.post_json(&path, &json!({"phone": "13600000001"}), None)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(found.code, r.code);
    assert_eq!(found.status, RegistrationStatus::Registered);

    // A wrong phone and an unknown code get the same answer.
    let (code, _) = error_code(
        app.post_json(&path, &json!({"phone": "13600000002"}), None)
            .await,
        StatusCode::NOT_FOUND,
    )
    .await;
    assert_eq!(code, "not_found");
    let (code, _) = error_code(
        app.post_json(
            "/api/registrations/ABCDEFGH/lookup",
            &json!({"phone": "13600000001"}),
            None,
        )
        .await,
        StatusCode::NOT_FOUND,
    )
    .await;
    assert_eq!(code, "not_found");
    let (code, body) = error_code(
        app.post_json(&path, &json!({"phone": "12"}), None).await,
        StatusCode::UNPROCESSABLE_ENTITY,
    )
    .await;
    assert_eq!(code, "validation");
    assert_eq!(body["error"]["fields"]["phone"], "invalid");
}

async fn cancel_frees_places_and_moves_the_waitlist_up(app: TestApp) {
    let id = app
        .add_event(event(Town::Nanqiao, Category::Clinic, 3, 3))
        .await;
    let first = receipt(
        app.register(id, "周一", &phone(1), 2).await,
        StatusCode::CREATED,
    )
    .await;
    let second = receipt(
        app.register(id, "吴二", &phone(2), 1).await,
        StatusCode::CREATED,
    )
    .await;
    let third = receipt(
        app.register(id, "郑三", &phone(3), 2).await,
        StatusCode::CREATED,
    )
    .await;
    let fourth = receipt(
        app.register(id, "王四", &phone(4), 1).await,
        StatusCode::CREATED,
    )
    .await;
    assert_eq!(second.status, RegistrationStatus::Registered);
    assert_eq!(
        (third.status, third.waitlist_position),
        (RegistrationStatus::Waitlisted, Some(1))
    );
    assert_eq!(
        (fourth.status, fourth.waitlist_position),
        (RegistrationStatus::Waitlisted, Some(2))
    );

    let cancel = format!("/api/registrations/{}/cancel", first.code);
    let cancelled = receipt(
        app.post_json(&cancel, &json!({"phone": phone(1)}), None)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(cancelled.status, RegistrationStatus::Cancelled);
    // Two places freed: the party of two at the head of the waitlist moves up, then the
    // party of one behind it waits for the next place.
    let lookup = |r: &RegistrationReceipt, p: String| {
        let path = format!("/api/registrations/{}/lookup", r.code);
        let app = &app;
        async move {
            receipt(
                app.post_json(&path, &json!({"phone": p}), None).await,
                StatusCode::OK,
            )
            .await
        }
    };
    assert_eq!(
        lookup(&third, phone(3)).await.status,
        RegistrationStatus::Registered
    );
    let fourth_now = lookup(&fourth, phone(4)).await;
    assert_eq!(
        (fourth_now.status, fourth_now.waitlist_position),
        (RegistrationStatus::Waitlisted, Some(1))
    );
    assert_eq!(app.taken(id).await, 3);

    // Cancelling again is harmless and changes nothing.
    let again = receipt(
        app.post_json(&cancel, &json!({"phone": phone(1)}), None)
            .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(again.status, RegistrationStatus::Cancelled);
    assert_eq!(app.taken(id).await, 3);
    // A wrong phone cannot cancel someone else's sign-up.
    let other = format!("/api/registrations/{}/cancel", second.code);
    let (code, _) = error_code(
        app.post_json(&other, &json!({"phone": phone(9)}), None)
            .await,
        StatusCode::NOT_FOUND,
    )
    .await;
    assert_eq!(code, "not_found");
    assert_eq!(app.count_registrations(id, "registered").await, 2);
}

async fn cancelled_and_past_events_take_no_sign_ups(app: TestApp) {
    let mut e = event(Town::Zhelin, Category::Training, 3, 10);
    e.status = EventStatus::Cancelled;
    let cancelled = app.add_event(e).await;
    let past = app
        .add_event(event(Town::Zhelin, Category::Training, -1, 10))
        .await;
    for id in [cancelled, past] {
        let (code, _) = error_code(
            app.register(id, "张三", &phone(1), 1).await,
            StatusCode::CONFLICT,
        )
        .await;
        assert_eq!(code, "event_closed");
    }
    assert_eq!(app.count_all_registrations().await, 0);
}

async fn one_active_sign_up_per_phone_per_event(app: TestApp) {
    let id = app
        .add_event(event(Town::Nanqiao, Category::Clinic, 3, 10))
        .await;
    let r = receipt(
        app.register(id, "张三", &phone(7), 1).await,
        StatusCode::CREATED,
    )
    .await;
    let (code, _) = error_code(
        app.register(id, "张三", &phone(7), 1).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(code, "already_registered");
    // After cancelling, the same phone may sign up again.
    let cancel = format!("/api/registrations/{}/cancel", r.code);
    assert_eq!(
        app.post_json(&cancel, &json!({"phone": phone(7)}), None)
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        app.register(id, "张三", &phone(7), 1).await.status(),
        StatusCode::CREATED
    );
    assert_eq!(app.taken(id).await, 1);
}

/// Keys past their lifetime are forgotten; a replay after that is a new request, which
/// the one-per-phone rule still refuses.
async fn old_idempotency_keys_are_forgotten(app: TestApp) {
    let id = app
        .add_event(event(Town::Nanqiao, Category::Clinic, 3, 10))
        .await;
    let path = format!("/api/events/{id}/registrations");
    let body = json!({"name": "赵六", "phone": "13700000009", "party_size": 1});
    let key = "forget-me-0001";
    assert_eq!(
        app.post_json(&path, &body, Some(key)).await.status(),
        StatusCode::CREATED
    );
    let now = quality_month_server::store::now_unix();
    let swept = sweep_once(&app.store, now + 60, 90).await.unwrap();
    assert_eq!(swept.idempotency_keys, 0, "a fresh key stays");
    // The answer names the person: it is kept a day, not the key's full week.
    let later = now + quality_month_server::store::PERSONAL_ANSWER_LIFETIME_SECS + 1;
    let swept = sweep_once(&app.store, later, 90).await.unwrap();
    assert_eq!(swept.idempotency_keys, 1);
    let (code, _) = error_code(
        app.post_json(&path, &body, Some(key)).await,
        StatusCode::CONFLICT,
    )
    .await;
    assert_eq!(code, "already_registered");
    assert_eq!(app.count_registrations(id, "registered").await, 1);
}
