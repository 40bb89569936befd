//! Bad input gets a 4xx with the error shape, never a 500, and stores nothing.

mod common;

use common::{TestApp, error_code, event};
use model::{Category, Town};
use reqwest::StatusCode;
use serde_json::json;

on_both_databases!(
    malformed_and_mistyped_bodies,
    oversized_bodies,
    overlong_and_hostile_strings,
    unknown_events_and_codes,
);

async fn post_raw(
    app: &TestApp,
    path: &str,
    content_type: &str,
    body: Vec<u8>,
) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .unwrap()
}

async fn malformed_and_mistyped_bodies(app: TestApp) {
    let id = app
        .add_event(event(Town::Nanqiao, Category::Clinic, 3, 10))
        .await;
    let path = format!("/api/events/{id}/registrations");
    let cases: &[(&str, &str, StatusCode)] = &[
        ("application/json", "{not json", StatusCode::BAD_REQUEST),
        ("application/json", "", StatusCode::BAD_REQUEST),
        ("application/json", "[]", StatusCode::BAD_REQUEST),
        (
            "application/json",
            r#"{"name":"张三","phone":13800138000,"party_size":1}"#,
            StatusCode::BAD_REQUEST,
        ),
        (
            "application/json",
            r#"{"name":"张三","phone":"13800138000","party_size":"2"}"#,
            StatusCode::BAD_REQUEST,
        ),
        (
            "application/json",
            r#"{"name":"张三","phone":"13800138000","party_size":1.5}"#,
            StatusCode::BAD_REQUEST,
        ),
        (
            "application/json",
            r#"{"name":"张三","phone":"13800138000"}"#,
            StatusCode::BAD_REQUEST,
        ),
        (
            "application/json",
            r#"{"name":null,"phone":"13800138000","party_size":1}"#,
            StatusCode::BAD_REQUEST,
        ),
        (
            "text/plain",
            r#"{"name":"张三","phone":"13800138000","party_size":1}"#,
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
        ),
    ];
    for (content_type, body, status) in cases {
        let r = post_raw(&app, &path, content_type, body.as_bytes().to_vec()).await;
        let (code, _) = error_code(r, *status).await;
        assert_eq!(code, "malformed_body", "{body}");
    }
    assert_eq!(app.count_all_registrations().await, 0);
    assert_eq!(app.taken(id).await, 0);
}

async fn oversized_bodies(app: TestApp) {
    let id = app
        .add_event(event(Town::Nanqiao, Category::Clinic, 3, 10))
        .await;
    let big = format!(
        r#"{{"name":"{}","phone":"13800138000","party_size":1}}"#,
        "张".repeat(40_000)
    );
    let r = post_raw(
        &app,
        &format!("/api/events/{id}/registrations"),
        "application/json",
        big.into_bytes(),
    )
    .await;
    let (code, _) = error_code(r, StatusCode::PAYLOAD_TOO_LARGE).await;
    assert_eq!(code, "payload_too_large");
    assert_eq!(app.count_all_registrations().await, 0);
}

async fn overlong_and_hostile_strings(app: TestApp) {
    let id = app
        .add_event(event(Town::Nanqiao, Category::Clinic, 3, 10))
        .await;
    let cases = [
        (
            json!({"name": "<script>alert(1)</script>", "phone": "13800138000", "party_size": 1}),
            "name",
            "invalid",
        ),
        (
            json!({"name": "张三<img src=x onerror=alert(1)>", "phone": "13800138000", "party_size": 1}),
            "name",
            "invalid",
        ),
        (
            json!({"name": "张".repeat(31), "phone": "13800138000", "party_size": 1}),
            "name",
            "too_long",
        ),
        (
            json!({"name": "张三", "phone": "1".repeat(5000), "party_size": 1}),
            "phone",
            "too_long",
        ),
        (
            json!({"name": "张三", "phone": "13800138000", "party_size": 99}),
            "party_size",
            "out_of_range",
        ),
        (
            json!({"name": "张三", "phone": "13800138000", "party_size": -1}),
            "party_size",
            "out_of_range",
        ),
        (
            json!({"name": "", "phone": "", "party_size": 1}),
            "phone",
            "required",
        ),
    ];
    for (body, field, reason) in cases {
        let r = app
            .post_json(&format!("/api/events/{id}/registrations"), &body, None)
            .await;
        let (code, err) = error_code(r, StatusCode::UNPROCESSABLE_ENTITY).await;
        assert_eq!(code, "validation");
        assert_eq!(err["error"]["fields"][field], reason, "{body}");
    }
    assert_eq!(app.count_all_registrations().await, 0);
}

async fn unknown_events_and_codes(app: TestApp) {
    let body = json!({"name": "张三", "phone": "13800138000", "party_size": 1});
    for path in [
        "/api/events/424242/registrations",
        "/api/events/x/registrations",
        "/api/events/99999999999999999999/registrations",
    ] {
        let (code, _) = error_code(
            app.post_json(path, &body, None).await,
            StatusCode::NOT_FOUND,
        )
        .await;
        assert_eq!(code, "not_found", "{path}");
    }
    for path in [
        "/api/registrations/0OIL1234/lookup",
        "/api/registrations/ZZZZZZZZ/cancel",
    ] {
        let (code, _) = error_code(
            app.post_json(path, &json!({"phone": "13800138000"}), None)
                .await,
            StatusCode::NOT_FOUND,
        )
        .await;
        assert_eq!(code, "not_found", "{path}");
    }
    assert_eq!(app.count_all_registrations().await, 0);
}

/// One client may not flood writes; the refused ones store nothing.
#[tokio::test]
async fn writes_beyond_the_per_client_limit_are_429() {
    let app = common::spawn_app_with_write_limit(common::Db::Sqlite, 3)
        .await
        .unwrap();
    let id = app
        .add_event(event(Town::Nanqiao, Category::Clinic, 3, 10))
        .await;
    for i in 0..3 {
        assert_eq!(
            app.register(id, "张三", &common::phone(i), 1)
                .await
                .status(),
            StatusCode::CREATED
        );
    }
    let (code, _) = error_code(
        app.register(id, "张三", &common::phone(9), 1).await,
        StatusCode::TOO_MANY_REQUESTS,
    )
    .await;
    assert_eq!(code, "rate_limited");
    assert_eq!(app.count_all_registrations().await, 3);
    assert_eq!(
        app.get("/api/events").await.status(),
        StatusCode::OK,
        "reads are not limited"
    );
}
