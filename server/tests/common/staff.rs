//! Staff accounts and logged-in staff clients for the tests.

use super::TestApp;
use model::{Grant, Role, Scope};
use quality_month_server::staff::passwords;
use quality_month_server::store::now_unix;
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde_json::Value;

pub const PASSWORD: &str = "river-lamp-orbit-47";

/// A browser of a logged-in staff member: sends the session cookie and our own Origin.
pub struct StaffClient {
    pub address: String,
    pub cookie: String,
    client: reqwest::Client,
}

impl TestApp {
    /// Makes an account with [`PASSWORD`].
    pub async fn add_staff(&self, login: &str, role: Role, scopes: &[Scope]) {
        let grant = Grant {
            role,
            scopes: scopes.to_vec(),
        };
        self.store
            .create_account(login, &passwords::hash(PASSWORD), &grant, None, now_unix())
            .await
            .expect("create account");
    }

    /// `POST /api/staff/session` from `client` (through the trusted proxy).
    pub async fn try_login(&self, login: &str, password: &str, client: &str) -> Response {
        self.client
            .post(self.url("/api/staff/session"))
            .header("origin", &self.address)
            .header("x-forwarded-for", client)
            .json(&serde_json::json!({"login": login, "password": password}))
            .send()
            .await
            .expect("login")
    }

    pub async fn login(&self, login: &str) -> StaffClient {
        let r = self.try_login(login, PASSWORD, "127.0.0.1").await;
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
        StaffClient {
            address: self.address.clone(),
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
            .header("origin", &self.address)
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
