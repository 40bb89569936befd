//! Verified phones, over a real socket on both databases, with the `log` SMS sender (so
//! verification is on). Codes are read where the sender would read them: the outbox.

mod common;

use common::inspections::{booking, created, fixture};
use common::{TestApp, error_code, event, phone, test_settings};
use futures::future::join_all;
use model::{Category, Town};
use quality_month_server::Settings;
use quality_month_server::store::now_unix;
use quality_month_server::verification::sender::Sender;
use quality_month_server::verification::token;
use reqwest::StatusCode;
use serde_json::{Value, json};

fn verifying() -> Settings {
    Settings {
        sms: Some(Sender::Log),
        ..test_settings()
    }
}

on_both_databases!(with verifying;
    a_phone_is_verified_once_and_its_token_carries_every_write,
    tokens_forged_expired_or_for_another_phone_are_refused,
    codes_are_limited_per_phone_and_die_after_five_wrong_tries,
    a_second_sign_up_of_a_verified_phone_gets_its_own_back,
    a_guessed_code_closes_to_guessers_but_not_to_its_owner,
    the_buyer_check_counts_per_verified_phone,
);

impl TestApp {
    /// The code of the latest message queued for `phone`.
    async fn latest_code(&self, phone: &str) -> String {
        let (body,): (String,) = sqlx::query_as(
            "SELECT body FROM notifications WHERE recipient = $1 ORDER BY id DESC LIMIT 1",
        )
        .bind(phone)
        .fetch_one(&self.db)
        .await
        .unwrap();
        body.chars()
            .skip_while(|c| !c.is_ascii_digit())
            .take(6)
            .collect()
    }

    async fn messages_to(&self, phone: &str) -> i64 {
        let (n,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM notifications WHERE recipient = $1")
                .bind(phone)
                .fetch_one(&self.db)
                .await
                .unwrap();
        n
    }

    async fn ask_code(&self, phone: &str) -> reqwest::Response {
        self.post_json("/api/verifications", &json!({"phone": phone}), None)
            .await
    }

    async fn confirm(&self, phone: &str, code: &str) -> reqwest::Response {
        self.post_json(
            "/api/verifications/confirm",
            &json!({"phone": phone, "code": code}),
            None,
        )
        .await
    }

    /// Verifies `phone` the way the app does; returns its token.
    async fn verify(&self, phone: &str) -> String {
        assert_eq!(self.ask_code(phone).await.status(), StatusCode::ACCEPTED);
        let code = self.latest_code(phone).await;
        let r = self.confirm(phone, &code).await;
        assert_eq!(r.status(), StatusCode::OK);
        let answer: Value = r.json().await.unwrap();
        answer["token"].as_str().unwrap().to_string()
    }

    async fn post_with_token(&self, path: &str, body: &Value, token: &str) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .unwrap()
    }
}

fn signup(phone: &str) -> Value {
    json!({"name": "张三", "phone": phone, "party_size": 1})
}

async fn a_phone_is_verified_once_and_its_token_carries_every_write(app: TestApp) {
    let id = app
        .add_event(event(Town::Nanqiao, Category::Clinic, 3, 10))
        .await;
    let path = format!("/api/events/{id}/registrations");
    let r = app.post_json(&path, &signup(&phone(1)), None).await;
    assert_eq!(
        error_code(r, StatusCode::UNAUTHORIZED).await.0,
        "verification_required"
    );

    let r = app.ask_code(&phone(1)).await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let sent: Value = r.json().await.unwrap();
    assert_eq!(sent["resend_after_secs"], 60);
    assert!(
        sent.get("demo_code").is_none(),
        "only a demo server tells the code"
    );
    // Every phone gets the same answer, whether or not a code went out.
    assert_eq!(
        app.ask_code(&phone(1)).await.json::<Value>().await.unwrap(),
        sent
    );
    let r = app
        .confirm(&phone(1), &app.latest_code(&phone(1)).await)
        .await;
    let token: Value = r.json().await.unwrap();
    let token = token["token"].as_str().unwrap();

    let r = app.post_with_token(&path, &signup(&phone(1)), token).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let code = r.json::<Value>().await.unwrap()["code"]
        .as_str()
        .unwrap()
        .to_string();
    let r = app
        .post_with_token(
            &format!("/api/registrations/{code}/cancel"),
            &json!({"phone": phone(1)}),
            token,
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    // A code is used once.
    let r = app
        .confirm(&phone(1), &app.latest_code(&phone(1)).await)
        .await;
    assert_eq!(
        error_code(r, StatusCode::UNPROCESSABLE_ENTITY).await.0,
        "code_expired"
    );
}

async fn tokens_forged_expired_or_for_another_phone_are_refused(app: TestApp) {
    let id = app
        .add_event(event(Town::Nanqiao, Category::Clinic, 3, 10))
        .await;
    let path = format!("/api/events/{id}/registrations");
    let own = app.verify(&phone(2)).await;
    let phone2 = model::PhoneNumber::parse(&phone(2)).unwrap();
    let expired = token::sign(&app.secret, &phone2, now_unix() - 1);
    let forged = token::sign(
        &quality_month_server::secret::ServerSecret::random(),
        &phone2,
        now_unix() + 3600,
    );
    let altered = own.replace(&phone(2), &phone(3));
    for (what, token, body) in [
        ("expired", expired.as_str(), signup(&phone(2))),
        ("forged", forged.as_str(), signup(&phone(2))),
        ("altered", altered.as_str(), signup(&phone(3))),
        ("another phone's", own.as_str(), signup(&phone(3))),
        ("garbage", "not-a-token", signup(&phone(2))),
    ] {
        let r = app.post_with_token(&path, &body, token).await;
        assert_eq!(
            error_code(r, StatusCode::UNAUTHORIZED).await.0,
            "verification_required",
            "{what}"
        );
    }
    assert_eq!(app.count_all_registrations().await, 0);
}

async fn codes_are_limited_per_phone_and_die_after_five_wrong_tries(app: TestApp) {
    // Asked five times within a minute: one code goes out.
    for _ in 0..5 {
        assert_eq!(app.ask_code(&phone(4)).await.status(), StatusCode::ACCEPTED);
    }
    assert_eq!(app.messages_to(&phone(4)).await, 1);
    let right = app.latest_code(&phone(4)).await;
    let wrong = if right == "000000" {
        "111111"
    } else {
        "000000"
    };
    // Five wrong tries in parallel: each counted, then the code is dead.
    let phone4 = phone(4);
    let answers = join_all((0..5).map(|_| app.confirm(&phone4, wrong))).await;
    for r in answers {
        assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    }
    let r = app.confirm(&phone(4), &right).await;
    assert_eq!(
        error_code(r, StatusCode::UNPROCESSABLE_ENTITY).await.0,
        "code_expired"
    );
    // Bad input is named by field.
    let r = app.confirm(&phone(4), "12ab").await;
    let (code, body) = error_code(r, StatusCode::UNPROCESSABLE_ENTITY).await;
    assert_eq!(
        (code.as_str(), &body["error"]["fields"]["code"]),
        ("validation", &json!("invalid"))
    );
}

async fn a_second_sign_up_of_a_verified_phone_gets_its_own_back(app: TestApp) {
    let id = app
        .add_event(event(Town::Nanqiao, Category::Clinic, 3, 10))
        .await;
    let path = format!("/api/events/{id}/registrations");
    let token = app.verify(&phone(5)).await;
    let first: Value = created(app.post_with_token(&path, &signup(&phone(5)), &token).await).await;
    let r = app.post_with_token(&path, &signup(&phone(5)), &token).await;
    assert_eq!(r.status(), StatusCode::OK);
    let again: Value = r.json().await.unwrap();
    assert_eq!(again["code"], first["code"]);
    assert_eq!(app.taken(id).await, 1, "no second place taken");
}

async fn a_guessed_code_closes_to_guessers_but_not_to_its_owner(app: TestApp) {
    let id = app
        .add_event(event(Town::Nanqiao, Category::Clinic, 3, 10))
        .await;
    let owner = app.verify(&phone(6)).await;
    let code = created(
        app.post_with_token(
            &format!("/api/events/{id}/registrations"),
            &signup(&phone(6)),
            &owner,
        )
        .await,
    )
    .await["code"]
        .as_str()
        .unwrap()
        .to_string();
    let cancel = format!("/api/registrations/{code}/cancel");
    // Twenty guessers, each with a token for their own phone (the pass showed 139****0006).
    let mut refused = 0;
    for i in 0..20 {
        let guess = format!("1390000{:04}", 100 + i);
        let token = token::sign(
            &app.secret,
            &model::PhoneNumber::parse(&guess).unwrap(),
            now_unix() + 3600,
        );
        let r = app
            .post_with_token(&cancel, &json!({"phone": guess}), &token)
            .await;
        match r.status() {
            StatusCode::NOT_FOUND => {}
            StatusCode::TOO_MANY_REQUESTS => refused += 1,
            other => panic!("guess {i}: {other}"),
        }
    }
    assert_eq!(
        refused, 15,
        "after five misses the code is closed to guessers"
    );
    // The right phone without its token: refused before the guard.
    let r = app
        .post_json(&cancel, &json!({"phone": phone(6)}), None)
        .await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    // The owner, with the token, cancels.
    let r = app
        .post_with_token(&cancel, &json!({"phone": phone(6)}), &owner)
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.unwrap()["status"], "cancelled");
}

async fn the_buyer_check_counts_per_verified_phone(app: TestApp) {
    let f = fixture(&app, 1, &[(50, 5)]).await;
    // A guesser with a verified phone of its own, behind the buyer's address, misses until
    // paused …
    let guesser = app.verify(&phone(77)).await;
    let mut wrong = booking(f.project, 0, f.slots[0]);
    wrong["phone"] = json!(phone(77));
    for _ in 0..10 {
        app.post_with_token("/api/inspections/bookings", &wrong, &guesser)
            .await;
    }
    let r = app
        .post_with_token("/api/inspections/bookings", &wrong, &guesser)
        .await;
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS);
    // … and the buyer, same address, verified, books.
    let buyer = app.verify(&phone(0)).await;
    created(
        app.post_with_token(
            "/api/inspections/bookings",
            &booking(f.project, 0, f.slots[0]),
            &buyer,
        )
        .await,
    )
    .await;
}

/// Demo content asked for on a server with a real SMS gateway: codes stay random and
/// secret (a fixed, announced code would switch verification off).
#[tokio::test]
async fn a_real_gateway_never_gets_the_demo_code() {
    let settings = Settings {
        sms: Some(Sender::Webhook {
            url: "http://127.0.0.1:9/sms".into(),
            secret: "a-secret-of-sixteen".into(),
        }),
        demo: true,
        ..test_settings()
    };
    let app = common::spawn_app_with(common::Db::Sqlite, settings, Default::default())
        .await
        .unwrap();
    let r = app.ask_code(&phone(9)).await;
    assert_eq!(r.status(), StatusCode::ACCEPTED);
    let sent: Value = r.json().await.unwrap();
    assert!(sent.get("demo_code").is_none(), "{sent}");
    assert_ne!(app.latest_code(&phone(9)).await, "123456");
}
