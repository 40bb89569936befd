//! The staff API behind an https address: only an https origin may write.

mod common;

use common::TestApp;
use common::staff::draft;
use model::{Role, Scope, Town};
use quality_month_server::Settings;
use reqwest::StatusCode;

fn https() -> Settings {
    Settings {
        https: true,
        ..common::test_settings()
    }
}

on_both_databases!(with https; a_page_over_plain_http_cannot_write);

async fn a_page_over_plain_http_cannot_write(app: TestApp) {
    app.add_staff("nanqiao", Role::Organiser, &[Scope::Town(Town::Nanqiao)])
        .await;
    let nq = app.login("nanqiao").await;
    let host = app.address.trim_start_matches("http://").to_string();
    for (origin, expected) in [
        (format!("http://{host}"), StatusCode::FORBIDDEN),
        (format!("https://{host}"), StatusCode::CREATED),
    ] {
        let r = app
            .client
            .post(app.url("/api/staff/events"))
            .header("cookie", &nq.cookie)
            .header("origin", &origin)
            .json(&draft("nanqiao", 5, 10))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), expected, "{origin}");
    }
}
