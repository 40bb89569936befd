//! Calendar feeds, read with the `icalendar` crate's RFC 5545 parser: the events feed with
//! the list's filters, SEQUENCE raised by a change, STATUS:CANCELLED, 304 for a matching
//! ETag; a phone's own feed only for that phone, and a reset that stops the old address.

mod common;

use common::inspections::{booking, fixture};
use common::{TestApp, event, phone, test_settings};
use icalendar::parser::{read_calendar, unfold};
use model::{Category, Town};
use quality_month_server::Settings;
use quality_month_server::store::{Actor, now_unix};
use quality_month_server::verification::sender::Sender;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::collections::BTreeMap;

fn verifying() -> Settings {
    Settings {
        sms: Some(Sender::Log),
        ..test_settings()
    }
}

on_both_databases!(with verifying;
    the_events_feed_follows_its_filters_and_every_change,
    a_personal_feed_is_only_the_phones_own_and_a_reset_stops_the_old_address,
);

/// The feed's calendar properties, and each VEVENT's properties by name.
type Parsed = (BTreeMap<String, String>, Vec<BTreeMap<String, String>>);

fn parse(body: &str) -> Parsed {
    let unfolded = unfold(body);
    let calendar = read_calendar(&unfolded).expect("an RFC 5545 calendar");
    let props = |ps: &[icalendar::parser::Property]| {
        ps.iter()
            .map(|p| (p.name.to_string(), p.val.to_string()))
            .collect::<BTreeMap<_, _>>()
    };
    let root = calendar
        .components
        .iter()
        .find(|c| c.name == "VCALENDAR")
        .map(|c| (props(&c.properties), &c.components))
        .unwrap_or_else(|| (props(&calendar.properties), &calendar.components));
    let events = root
        .1
        .iter()
        .filter(|c| c.name == "VEVENT")
        .map(|c| props(&c.properties))
        .collect();
    (root.0, events)
}

impl TestApp {
    async fn feed(&self, path: &str, etag: Option<&str>) -> reqwest::Response {
        let mut request = self.client.get(self.url(path));
        if let Some(tag) = etag {
            request = request.header("if-none-match", tag);
        }
        request.send().await.unwrap()
    }

    async fn feed_address(&self, phone: &str, proved: bool, reset: bool) -> reqwest::Response {
        let mut request = self
            .client
            .post(self.url("/api/calendar/feeds"))
            .json(&json!({"phone": phone, "reset": reset}));
        if proved {
            request = request.header("authorization", self.bearer(phone));
        }
        request.send().await.unwrap()
    }
}

async fn the_events_feed_follows_its_filters_and_every_change(app: TestApp) {
    let clinic = app
        .add_event(event(Town::Nanqiao, Category::Clinic, 3, 10))
        .await;
    let training = app
        .add_event(event(Town::Nanqiao, Category::Training, 4, 10))
        .await;
    let elsewhere = app
        .add_event(event(Town::Zhelin, Category::Clinic, 5, 10))
        .await;

    let r = app
        .feed("/api/calendar/events.ics?town=nanqiao", None)
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let etag = r.headers()["etag"].to_str().unwrap().to_string();
    let (calendar, events) = parse(&r.text().await.unwrap());
    assert!(calendar["X-WR-CALNAME"].contains("南桥镇"));
    assert_eq!(calendar["REFRESH-INTERVAL"], "PT6H");
    let uids: Vec<&str> = events.iter().map(|e| e["UID"].as_str()).collect();
    assert_eq!(
        uids,
        [
            format!("event-{clinic}@quality-month"),
            format!("event-{training}@quality-month")
        ]
    );
    assert!(events.iter().all(|e| e["SEQUENCE"] == "0"));
    assert!(events.iter().all(|e| e["STATUS"] == "CONFIRMED"));

    let r = app
        .feed(
            "/api/calendar/events.ics?town=nanqiao&category=clinic",
            None,
        )
        .await;
    let (_, only_clinic) = parse(&r.text().await.unwrap());
    assert_eq!(only_clinic.len(), 1);
    assert!(only_clinic[0]["UID"].starts_with(&format!("event-{clinic}@")));
    let r = app.feed("/api/calendar/events.ics", None).await;
    assert_eq!(parse(&r.text().await.unwrap()).1.len(), 3);
    let r = app
        .feed("/api/calendar/events.ics?town=atlantis", None)
        .await;
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);

    // Nothing changed: 304 and no body.
    let r = app
        .feed("/api/calendar/events.ics?town=nanqiao", Some(&etag))
        .await;
    assert_eq!(r.status(), StatusCode::NOT_MODIFIED);
    assert!(r.bytes().await.unwrap().is_empty());

    // Staff move the clinic by an hour, then cancel it.
    let mut draft = app.store.staff_event(clinic).await.unwrap().draft;
    draft.starts_at = draft.starts_at.add_secs(3600);
    draft.ends_at = draft.ends_at.add_secs(3600);
    app.store
        .update_event(clinic, &draft, &Actor::command_line(), now_unix())
        .await
        .unwrap();
    let r = app
        .feed("/api/calendar/events.ics?town=nanqiao", Some(&etag))
        .await;
    assert_eq!(r.status(), StatusCode::OK, "the old tag no longer matches");
    let (_, events) = parse(&r.text().await.unwrap());
    let moved = events
        .iter()
        .find(|e| e["UID"].starts_with(&format!("event-{clinic}@")))
        .unwrap();
    assert_eq!(moved["SEQUENCE"], "1");
    app.store
        .cancel_event(clinic, "场地维修", &Actor::command_line(), now_unix())
        .await
        .unwrap();
    let r = app
        .feed("/api/calendar/events.ics?town=nanqiao", None)
        .await;
    let (_, events) = parse(&r.text().await.unwrap());
    let cancelled = events
        .iter()
        .find(|e| e["UID"].starts_with(&format!("event-{clinic}@")))
        .unwrap();
    assert_eq!(cancelled["STATUS"], "CANCELLED");
    assert_eq!(cancelled["SEQUENCE"], "2");
    let _ = elsewhere;
}

async fn a_personal_feed_is_only_the_phones_own_and_a_reset_stops_the_old_address(app: TestApp) {
    let mine = app
        .add_event(event(Town::Nanqiao, Category::Clinic, 3, 10))
        .await;
    let theirs = app
        .add_event(event(Town::Nanqiao, Category::Training, 4, 10))
        .await;
    for (event, i) in [(mine, 0), (theirs, 1)] {
        let r = app
            .post_proved(
                &phone(i),
                &format!("/api/events/{event}/registrations"),
                &json!({"name": "居民", "phone": phone(i), "party_size": 1}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    let f = fixture(&app, 1, &[(72, 5)]).await;
    let r = app
        .post_proved(
            &phone(0),
            "/api/inspections/bookings",
            &booking(f.project, 0, f.slots[0]),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let visit: Value = r.json().await.unwrap();

    // Only the phone's owner gets its address.
    let r = app.feed_address(&phone(0), false, false).await;
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = app.feed_address(&phone(0), true, false).await;
    assert_eq!(r.status(), StatusCode::OK);
    let url = r.json::<Value>().await.unwrap()["url"]
        .as_str()
        .unwrap()
        .to_string();
    let path = url.strip_prefix(&app.address).expect("on this server");
    assert!(path.starts_with("/api/calendar/feeds/") && path.ends_with(".ics"));
    let again: Value = app
        .feed_address(&phone(0), true, false)
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(again["url"], url.as_str(), "the same address until a reset");

    let r = app.feed(path, None).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(
        r.headers()["cache-control"]
            .to_str()
            .unwrap()
            .contains("private")
    );
    let body = r.text().await.unwrap();
    assert!(!body.contains(&phone(0)), "no phone number in a calendar");
    let (_, events) = parse(&body);
    let uids: Vec<&str> = events.iter().map(|e| e["UID"].as_str()).collect();
    assert_eq!(
        uids,
        [
            format!("event-{mine}@quality-month"),
            format!("booking-{}@quality-month", visit["code"].as_str().unwrap())
        ]
    );

    // A reset: a new address, and the old one is gone.
    let reset: Value = app
        .feed_address(&phone(0), true, true)
        .await
        .json()
        .await
        .unwrap();
    let new_url = reset["url"].as_str().unwrap();
    assert_ne!(new_url, url);
    assert_eq!(app.feed(path, None).await.status(), StatusCode::NOT_FOUND);
    let new_path = new_url.strip_prefix(&app.address).unwrap();
    assert_eq!(app.feed(new_path, None).await.status(), StatusCode::OK);
    let guessed = new_path.replace(".ics", "x.ics");
    assert_eq!(
        app.feed(&guessed, None).await.status(),
        StatusCode::NOT_FOUND
    );

    // Waiting for a place: tentative in the phone's calendar.
    let full = app
        .add_event(event(Town::Nanqiao, Category::Clinic, 6, 1))
        .await;
    for i in [1, 0] {
        let r = app
            .post_proved(
                &phone(i),
                &format!("/api/events/{full}/registrations"),
                &json!({"name": "居民", "phone": phone(i), "party_size": 1}),
            )
            .await;
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    let (_, events) = parse(&app.feed(new_path, None).await.text().await.unwrap());
    let waiting = events
        .iter()
        .find(|e| e["UID"].starts_with(&format!("event-{full}@")))
        .expect("the waitlisted event is in the feed");
    assert_eq!(waiting["STATUS"], "TENTATIVE");

    // The number's items are erased (retention) and the sweep drops the feed; if the
    // number (perhaps reissued by the carrier to someone else) signs up again, its feed
    // address is new: none of the old ones ever works again.
    for table in ["registrations", "bookings"] {
        sqlx::query(&format!(
            "UPDATE {table} SET phone = 'erased:' || CAST(id AS TEXT) WHERE phone = $1"
        ))
        .bind(phone(0))
        .execute(&app.db)
        .await
        .unwrap();
    }
    assert_eq!(app.store.forget_idle_feeds().await.unwrap(), 1);
    let r = app
        .post_proved(
            &phone(0),
            &format!("/api/events/{theirs}/registrations"),
            &json!({"name": "新用户", "phone": phone(0), "party_size": 1}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let again: Value = app
        .feed_address(&phone(0), true, false)
        .await
        .json()
        .await
        .unwrap();
    let again = again["url"].as_str().unwrap();
    assert!(
        again != url && again != new_url,
        "an old address never returns"
    );
    assert_eq!(app.feed(path, None).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        app.feed(new_path, None).await.status(),
        StatusCode::NOT_FOUND
    );
}
