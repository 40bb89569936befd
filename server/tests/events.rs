//! Listing, filtering and reading events, their calendar files, health and the API's
//! self-description.

mod common;

use common::{TestApp, error_code, event};
use model::{Category, EventStatus, EventSummary, Town};
use reqwest::StatusCode;
use serde_json::Value;

on_both_databases!(
    lists_upcoming_events_soonest_first_with_places_left,
    filters_by_town_category_and_dates,
    past_events_are_left_out_unless_asked_for,
    detail_has_everything_the_event_page_shows,
    unknown_events_are_404_with_the_error_shape,
    bad_filters_are_400_naming_the_parameter,
    calendar_file_is_in_shanghai_time,
    health_reports_the_database,
);

async fn list(app: &TestApp, query: &str) -> Vec<EventSummary> {
    let r = app.get(&format!("/api/events{query}")).await;
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.unwrap()
}

async fn lists_upcoming_events_soonest_first_with_places_left(app: TestApp) {
    let later = app
        .add_event(event(Town::Nanqiao, Category::Clinic, 5, 40))
        .await;
    let sooner = app
        .add_event(event(Town::Haiwan, Category::Training, 2, 30))
        .await;
    let mut full = event(Town::Jinhui, Category::OpenDay, 3, 10);
    full.taken = 10;
    let full = app.add_event(full).await;

    let events = list(&app, "").await;
    let ids: Vec<i64> = events.iter().map(|e| e.id).collect();
    assert_eq!(ids, vec![sooner, full, later]);
    let full = &events[1];
    assert_eq!((full.capacity, full.taken, full.places_left), (10, 10, 0));
    assert_eq!(events[0].places_left, 30);
}

async fn filters_by_town_category_and_dates(app: TestApp) {
    let a = app
        .add_event(event(Town::Nanqiao, Category::Clinic, 1, 40))
        .await;
    let b = app
        .add_event(event(Town::Nanqiao, Category::Training, 10, 40))
        .await;
    let c = app
        .add_event(event(Town::Haiwan, Category::Clinic, 20, 40))
        .await;

    let ids = |events: Vec<EventSummary>| events.iter().map(|e| e.id).collect::<Vec<_>>();
    assert_eq!(ids(list(&app, "?town=nanqiao").await), vec![a, b]);
    assert_eq!(ids(list(&app, "?category=clinic").await), vec![a, c]);
    assert_eq!(
        ids(list(&app, "?town=nanqiao&category=clinic").await),
        vec![a]
    );
    assert_eq!(ids(list(&app, "?town=fengpu").await), Vec::<i64>::new());

    let day = |n: i64| {
        model::BeijingTime::from_unix(quality_month_server::store::now_unix() + n * 86_400).date()
    };
    let window = format!("?from={}&to={}", day(5), day(15));
    assert_eq!(ids(list(&app, &window).await), vec![b]);
}

async fn past_events_are_left_out_unless_asked_for(app: TestApp) {
    let past = app
        .add_event(event(Town::Nanqiao, Category::Clinic, -3, 40))
        .await;
    let next = app
        .add_event(event(Town::Nanqiao, Category::Clinic, 3, 40))
        .await;
    assert_eq!(
        list(&app, "")
            .await
            .iter()
            .map(|e| e.id)
            .collect::<Vec<_>>(),
        vec![next]
    );

    let from =
        model::BeijingTime::from_unix(quality_month_server::store::now_unix() - 10 * 86_400).date();
    let all: Vec<i64> = list(&app, &format!("?from={from}"))
        .await
        .iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(all, vec![next, past], "upcoming first, then the past");
}

async fn detail_has_everything_the_event_page_shows(app: TestApp) {
    let mut e = event(Town::Fengpu, Category::MetrologyDay, 4, 25);
    e.taken = 5;
    let id = app.add_event(e).await;
    let d = app.event_json(id).await;
    assert_eq!(d["id"], id);
    assert_eq!(d["town"], "fengpu");
    assert_eq!(d["category"], "metrology_day");
    assert_eq!(d["places_left"], 20);
    assert_eq!(d["waitlisted"], 0);
    for field in ["title", "venue", "address", "description", "organiser"] {
        assert!(
            d[field]["zh"].is_string() && d[field]["en"].is_string(),
            "{field}"
        );
    }
    let starts = d["starts_at"].as_str().unwrap();
    assert!(starts.ends_with("+08:00"), "{starts}");
}

async fn unknown_events_are_404_with_the_error_shape(app: TestApp) {
    for path in [
        "/api/events/999999",
        "/api/events/abc",
        "/api/events/1/calendar.ics",
        "/api/nothing-here",
    ] {
        let (code, _) = error_code(app.get(path).await, StatusCode::NOT_FOUND).await;
        assert_eq!(code, "not_found", "{path}");
    }
}

async fn bad_filters_are_400_naming_the_parameter(app: TestApp) {
    for query in [
        "?town=atlantis",
        "?category=party",
        "?from=tomorrow",
        "?to=2026-02-30",
    ] {
        let (code, body) = error_code(
            app.get(&format!("/api/events{query}")).await,
            StatusCode::BAD_REQUEST,
        )
        .await;
        assert_eq!(code, "invalid_query");
        let name = query[1..].split('=').next().unwrap();
        assert!(
            body["error"]["message"].as_str().unwrap().contains(name),
            "{query}"
        );
    }
}

async fn calendar_file_is_in_shanghai_time(app: TestApp) {
    let mut e = event(Town::Nanqiao, Category::StandardsDay, 3, 25);
    e.status = EventStatus::Published;
    let id = app.add_event(e.clone()).await;
    let r = app.get(&format!("/api/events/{id}/calendar.ics")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let body = r.text().await.unwrap();
    let c = e.starts_at.civil();
    let start = format!(
        "DTSTART;TZID=Asia/Shanghai:{:04}{:02}{:02}T{:02}{:02}",
        c.date.year, c.date.month, c.date.day, c.hour, c.minute
    );
    assert!(body.contains(&start), "{body}");
    assert!(body.contains("TZID:Asia/Shanghai"));
    assert!(body.contains("SUMMARY:测试活动"));
    assert!(body.lines().all(|l| l.len() <= 76), "lines are folded");
}

async fn health_reports_the_database(app: TestApp) {
    let r = app.get("/api/health").await;
    assert_eq!(r.status(), StatusCode::OK);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["database"], "ok");

    let r = app.get("/api/openapi.json").await;
    assert_eq!(r.status(), StatusCode::OK);
    let spec: Value = r.json().await.unwrap();
    for path in [
        "/api/events",
        "/api/events/{id}",
        "/api/events/{id}/registrations",
        "/api/registrations/{code}/lookup",
        "/api/registrations/{code}/cancel",
        "/api/events/{id}/calendar.ics",
        "/api/health",
        "/api/inspections/projects",
        "/api/inspections/projects/{id}/slots",
        "/api/inspections/bookings",
        "/api/inspections/bookings/{code}/lookup",
        "/api/inspections/bookings/{code}/reschedule",
        "/api/inspections/bookings/{code}/cancel",
        "/api/inspections/bookings/{code}/calendar.ics",
        "/api/surveys/current",
        "/api/surveys/{id}/responses",
        "/api/surveys/{id}/results",
    ] {
        assert!(spec["paths"][path].is_object(), "openapi documents {path}");
    }
}
