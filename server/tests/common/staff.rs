//! Staff accounts and logged-in staff clients for the tests.

use super::TestApp;
use model::{Grant, Role, Scope};
use quality_month_server::staff::{passwords, second_factor};
use quality_month_server::store::Actor;
use quality_month_server::store::now_unix;
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde_json::Value;

pub const PASSWORD: &str = "river-lamp-orbit-47";

/// A browser of a logged-in staff member: sends the session cookie and our own Origin.
pub struct StaffClient {
    pub address: String,
    pub origin: String,
    pub cookie: String,
    client: reqwest::Client,
}

impl TestApp {
    /// Makes an account with [`PASSWORD`]; an admin's with a second factor too, set up
    /// as the app does it (see [`TestApp::login`] for its codes).
    pub async fn add_staff(&self, login: &str, role: Role, scopes: &[Scope]) {
        let account = self
            .add_staff_without_second_factor(login, role, scopes)
            .await;
        if role == Role::Admin {
            let secret = second_factor::new_secret();
            self.store
                .set_totp_pending(account.id, &secret)
                .await
                .unwrap();
            let actor = Actor {
                id: account.id,
                login: login.into(),
                client: "test".into(),
            };
            // Confirmed with a code of a minute ago, so the current one is still unused.
            let step = now_unix() / 30 - 2;
            self.store
                .confirm_totp(&actor, step, now_unix())
                .await
                .unwrap();
        }
    }

    pub async fn add_staff_without_second_factor(
        &self,
        login: &str,
        role: Role,
        scopes: &[Scope],
    ) -> model::StaffAccount {
        let grant = Grant {
            role,
            scopes: scopes.to_vec(),
        };
        self.store
            .create_account(login, &passwords::hash(PASSWORD), &grant, None, now_unix())
            .await
            .expect("create account")
    }

    /// The current one-time code of an account with a second factor.
    pub async fn current_code(&self, login: &str) -> Option<String> {
        let account = self.store.account_by_login(login).await.unwrap()?;
        let secret = account.totp_secret?;
        second_factor::code_at(&secret, login, now_unix() as u64)
    }

    /// `POST /api/staff/session` from `client` (through the trusted proxy).
    pub async fn try_login(&self, login: &str, password: &str, client: &str) -> Response {
        self.try_login_with(login, password, None, client).await
    }

    pub async fn try_login_with(
        &self,
        login: &str,
        password: &str,
        otp: Option<&str>,
        client: &str,
    ) -> Response {
        self.client
            .post(self.url("/api/staff/session"))
            .header("origin", &self.origin)
            .header("x-forwarded-for", client)
            .json(&serde_json::json!({"login": login, "password": password, "otp": otp}))
            .send()
            .await
            .expect("login")
    }

    /// Logs in with [`PASSWORD`] and, where the account has one, its current code.
    pub async fn login(&self, login: &str) -> StaffClient {
        self.login_with(login, PASSWORD).await
    }

    pub async fn login_with(&self, login: &str, password: &str) -> StaffClient {
        let code = self.current_code(login).await;
        let r = self
            .try_login_with(login, password, code.as_deref(), "127.0.0.1")
            .await;
        assert_eq!(r.status(), StatusCode::OK, "login {login}");
        let set_cookie = r
            .headers()
            .get("set-cookie")
            .expect("a session cookie")
            .to_str()
            .unwrap()
            .to_string();
        for attribute in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/"] {
            assert!(set_cookie.contains(attribute), "{set_cookie}");
        }
        let cookie = set_cookie.split(';').next().unwrap().to_string();
        assert!(cookie.starts_with("__Host-qm_staff="));
        self.client_with_cookie(cookie)
    }

    pub fn client_with_cookie(&self, cookie: String) -> StaffClient {
        StaffClient {
            address: self.address.clone(),
            origin: self.origin.clone(),
            cookie,
            client: self.client.clone(),
        }
    }

    /// Audit rows of an action, straight from the database.
    pub async fn audit_rows(&self, action: &str) -> i64 {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM audit_log WHERE action = $1")
            .bind(action)
            .fetch_one(&self.db)
            .await
            .expect("count audit rows");
        n
    }
}

impl StaffClient {
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.client
            .request(method, format!("{}{}", self.address, path))
            .header("cookie", &self.cookie)
            .header("origin", &self.origin)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.request(Method::GET, path).send().await.expect("GET")
    }

    pub async fn send(&self, method: Method, path: &str, body: &Value) -> Response {
        self.request(method, path)
            .json(body)
            .send()
            .await
            .expect("write")
    }

    pub async fn post(&self, path: &str, body: &Value) -> Response {
        self.send(Method::POST, path, body).await
    }

    /// Creates an event and returns its id (asserting 201).
    pub async fn create_event(&self, draft: &Value) -> i64 {
        let r = self.post("/api/staff/events", draft).await;
        assert_eq!(r.status(), StatusCode::CREATED);
        r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
    }
}

/// An event draft in `town`, `days` from now, as the staff app sends it.
pub fn draft(town: &str, days: i64, capacity: u32) -> Value {
    let starts = model::BeijingTime::from_unix(now_unix() + days * 86_400);
    let text = |zh: &str, en: &str| serde_json::json!({"zh": zh, "en": en});
    serde_json::json!({
        "category": "clinic",
        "town": town,
        "title": text("贤城质量义诊", "Quality clinic day"),
        "description": text("免费检测家电。", "Free appliance checks."),
        "venue": text("南桥镇文化中心", "Nanqiao Cultural Centre"),
        "address": text("南桥镇解放东路1号", "1 Jiefang Rd E, Nanqiao"),
        "organiser": text("区市场监管局", "District SAMR"),
        "starts_at": starts,
        "ends_at": starts.add_secs(7200),
        "capacity": capacity,
    })
}
