//! A landing page's first HTML: the built `index.html` with the route's own heading, lead
//! text and, where there is data, what the app will show of it, in the catalog's words.
//!
//! Most residents meet the app once, from a link on a cheap phone. Their page's largest
//! text used to wait for the wasm (largest contentful paint 3.4 s on slow 4G); now it is in
//! the first response. The server fills the shell rather than a build step prerendering
//! it because three of the five landing pages show data that changes by the minute (the
//! events, one event, the open survey): the words come from the same catalog crate and the
//! data from the same store calls the API answers with, so the text equals what the app
//! then draws (the e2e journey `first_paint` compares them). Everything is escaped by
//! `maud`, and nothing inline is added, so the Content-Security-Policy is unchanged.
//!
//! The app replaces these nodes with its own at the same place: new nodes never count as a
//! layout shift, and a text of the same size is no new largest paint. The language is the
//! one the person chose (the app keeps it in the `qm_lang` cookie too), else Chinese.

use axum::Router;
use axum::extract::{Path as UrlPath, RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use catalog::{Texts, texts};
use maud::{Markup, PreEscaped, html};
use model::{Audience, Category, EventDetail, EventStatus, EventSummary, Lang, Town};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use tower_http::timeout::TimeoutLayer;

use crate::AppState;
use crate::store::now_unix;

/// The built `index.html`, cut around its first-paint shell (`<div id="boot">`), which
/// the server draws afresh: header, the page's `<main>`, navigation, in the person's
/// language.
#[derive(Clone)]
pub struct Shell {
    head: Arc<str>,
    tail: Arc<str>,
}

impl Shell {
    /// `None` when there is no built app (API-only tests) or it has no first-paint shell.
    pub fn read(dist: &Path) -> Option<Self> {
        let html = std::fs::read_to_string(dist.join("index.html")).ok()?;
        const OPEN: &str = r#"<div id="boot">"#;
        // The shell holds no other <div>: its own end is the first one after it.
        let Some((start, end)) = html
            .find(OPEN)
            .map(|at| at + OPEN.len())
            .and_then(|start| html[start..].find("</div>").map(|len| (start, start + len)))
        else {
            tracing::warn!("index.html has no first-paint shell: landing pages go out unpainted");
            return None;
        };
        Some(Self {
            head: html[..start].into(),
            tail: html[end + "</div>".len()..].into(),
        })
    }

    fn page(&self, lang: Lang, main: Markup) -> Response {
        self.page_with(lang, main, None)
    }

    /// `answer`: the API's answer for what the page shows, which the app then reads from
    /// the page instead of asking again (`src/api`'s `get`), so the painted content does not
    /// give way to a "loading" line while a slow network carries the same data twice.
    fn page_with(&self, lang: Lang, main: Markup, answer: Option<Answer>) -> Response {
        let head = match lang {
            Lang::Zh => self.head.to_string(),
            Lang::En => self
                .head
                .replacen(r#"<html lang="zh-CN">"#, r#"<html lang="en">"#, 1),
        };
        let answer = answer.map_or_else(String::new, |a| a.markup().into_string());
        let body = format!(
            "{head}{}</div>{answer}{}",
            frame(texts(lang), main).into_string(),
            self.tail
        );
        let mut response =
            ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response();
        // The page holds live figures (places left): always asked again, never kept stale.
        let headers = response.headers_mut();
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
        headers.insert(header::VARY, HeaderValue::from_static("cookie"));
        response
    }
}

/// An API answer carried in the page: its address, and its JSON as the API sends it.
struct Answer {
    url: String,
    json: String,
}

impl Answer {
    /// A data block (`type="application/json"`: never run, so no CSP hash); every `<` is
    /// written `\u003c`, so no text from the database can close the block.
    fn markup(&self) -> Markup {
        let json = self.json.replace('<', "\\u003c");
        html! { script type="application/json" id="qm-answer" data-url=(self.url) { (PreEscaped(json)) } }
    }
}

/// The language the person chose in the app (cookie `qm_lang`), else Chinese.
fn chosen(headers: &HeaderMap) -> Lang {
    crate::http::cookie(headers, "qm_lang")
        .and_then(|tag| Lang::from_tag(&tag))
        .unwrap_or_default()
}

/// The landing routes, each painted from its data; every other path stays with the static
/// host's fallback (the plain shell).
pub fn router(shell: Shell, state: AppState) -> Router {
    Router::new()
        .route("/", get(home))
        .route("/events", get(event_list))
        .route("/events/{id}", get(event_page))
        .route("/inspections", get(inspections))
        .route("/survey", get(survey))
        .layer(axum::Extension(shell))
        .layer(axum::middleware::from_fn(
            crate::http::revalidate::revalidate,
        ))
        // As the API: a stalled database never holds a page for ever, and the log says
        // which request it was.
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(15),
        ))
        .layer(axum::middleware::from_fn(crate::http::request_span))
        .layer(tower_http::compression::CompressionLayer::new())
        .with_state(state)
}

type Painted = axum::Extension<Shell>;

/// The app's `Shell` around a page: header, the page, bottom navigation (`src/app.rs`).
fn frame(t: &Texts, main: Markup) -> Markup {
    let tab = |href: &str, icon: &str, label: &str| {
        html! { a href=(href) { span.tabs__icon aria-hidden="true" { (icon) } span { (label) } } }
    };
    html! {
        header.header {
            a.header__brand href="/" {
                span.header__logo aria-hidden="true" { "质" }
                span { (t.app_name) }
                span.header__district { (t.district) }
            }
            // The language switch's place (the app's button arrives with the app).
            span.header__lang aria-hidden="true" lang=(t.lang.other().tag()) { (t.other_language) }
        }
        main.main { (main) }
        noscript { p.main { "请开启浏览器的 JavaScript 后使用。Please turn on JavaScript to use this service." } }
        nav.tabs aria-label=(t.nav_label) {
            (tab("/events", "◎", t.nav_events))
            (tab("/inspections", "⌂", t.nav_inspection))
            (tab("/survey", "☆", t.nav_survey))
            (tab("/mine", "☺", t.nav_mine))
        }
    }
}

/// `PageHeading`'s markup.
fn heading(text: &str) -> Markup {
    html! { h1 #page-heading tabindex="-1" { (text) } }
}

async fn home(
    State(state): State<AppState>,
    axum::Extension(shell): Painted,
    headers: HeaderMap,
) -> Response {
    let lang = chosen(&headers);
    let t = texts(lang);
    // The upcoming events the app lists below the lead, without a second trip.
    let answer = crate::http::events::list_json(&state, String::new())
        .await
        .ok()
        .map(|json| Answer {
            url: "/api/events".into(),
            json: String::from_utf8_lossy(&json).into_owned(),
        });
    shell.page_with(
        lang,
        html! {
            (heading(t.home_title))
            p.lead { (t.home_intro) }
        },
        answer,
    )
}

async fn inspections(axum::Extension(shell): Painted, headers: HeaderMap) -> Response {
    let lang = chosen(&headers);
    let t = texts(lang);
    shell.page(
        lang,
        html! {
            (heading(t.inspect.title))
            p.lead { (t.inspect.intro) }
        },
    )
}

/// The intro a first visit meets: without an open wave, the app says so itself.
async fn survey(
    State(state): State<AppState>,
    axum::Extension(shell): Painted,
    headers: HeaderMap,
) -> Response {
    let lang = chosen(&headers);
    let t = texts(lang);
    let Ok(open) = state.store.current_survey(now_unix()).await else {
        return shell.page(lang, html! {});
    };
    shell.page(
        lang,
        html! {
            (heading(t.survey.title))
            p.kicker { (open.wave.get(lang)) }
            @for paragraph in t.survey.intro { p { (paragraph) } }
        },
    )
}

/// The list as the app's `EventList` draws it for `?town=&kind=` (the phone's own week or
/// month, `when=`, is left to the app: its clock decides).
async fn event_list(
    State(state): State<AppState>,
    axum::Extension(shell): Painted,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let lang = chosen(&headers);
    let t = texts(lang);
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(query.as_deref().unwrap_or("")).unwrap_or_default();
    let get = |name: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    };
    let town = get("town").and_then(Town::from_slug);
    let kind = get("kind").and_then(Category::from_slug);
    let when = get("when").unwrap_or("");
    // The API's own query, so the page shares its short-lived cache.
    let api_query = [
        town.map(|t| format!("town={}", t.slug())),
        kind.map(|k| format!("category={}", k.slug())),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join("&");
    let url = if api_query.is_empty() {
        "/api/events".to_string()
    } else {
        format!("/api/events?{api_query}")
    };
    let json = match when {
        "week" | "month" => None,
        _ => crate::http::events::list_json(&state, api_query).await.ok(),
    };
    let events = json
        .as_ref()
        .and_then(|json| serde_json::from_slice::<Vec<EventSummary>>(json).ok());
    let answer = json.map(|json| Answer {
        url,
        json: String::from_utf8_lossy(&json).into_owned(),
    });
    shell.page_with(lang, html! {
        (heading(t.events_title))
        form.filters aria-label=(t.filters) {
            (filter("filter-town", t.filter_town, std::iter::once(("", t.filter_all_towns, town.is_none()))
                .chain(Town::ALL.iter().map(|&each| (each.slug(), each.name(lang), town == Some(each))))))
            (filter("filter-kind", t.filter_kind, std::iter::once(("", t.filter_all_kinds, kind.is_none()))
                .chain(Category::ALL.iter().map(|&each| (each.slug(), each.name(lang), kind == Some(each))))))
            (filter("filter-when", t.filter_when, [
                ("", t.when_any, when != "week" && when != "month"),
                ("week", t.when_week, when == "week"),
                ("month", t.when_month, when == "month"),
            ]))
        }
        (subscribe(t, &state.public_base(&headers), town, kind))
        @if let Some(events) = events {
            p.results-count role="status" { ((t.results_count)(events.len())) }
            @if !events.is_empty() {
                ul.cards { @for event in &events { (event_card(t, lang, event)) } }
            }
        }
    }, answer)
}

/// `EventList`'s subscribe panel, closed, with the feed of the list's town and kind.
fn subscribe(t: &Texts, base: &str, town: Option<Town>, kind: Option<Category>) -> Markup {
    let address = format!("{base}{}", model::event::events_feed_path(town, kind));
    let webcal = format!(
        "webcal://{}",
        address
            .split_once("://")
            .map_or(address.as_str(), |(_, rest)| rest)
    );
    html! {
        details.subscribe {
            summary { (t.remind.subscribe) }
            p { (t.feed_holds(town, kind)) }
            p { a.button.button--secondary href=(webcal) { (t.remind.subscribe_open) } }
            div.field {
                label.field__label for="feed-address" { (t.remind.feed_address) }
                input #feed-address .field__input type="url" readonly
                    aria-describedby="feed-address-hint" value=(address);
                p #feed-address-hint .field__hint { (t.remind.subscribe_hint) }
            }
        }
    }
}

/// One of `EventList`'s filters: a labelled select of (value, words, chosen).
fn filter<'a>(
    id: &str,
    label: &str,
    options: impl IntoIterator<Item = (&'a str, &'a str, bool)>,
) -> Markup {
    html! {
        div.field {
            label.field__label for=(id) { (label) }
            select id=(id) class="field__select" {
                @for (value, words, chosen) in options { option value=(value) selected[chosen] { (words) } }
            }
        }
    }
}

/// `EventCard`'s markup.
fn event_card(t: &Texts, lang: Lang, e: &EventSummary) -> Markup {
    html! {
        li.card {
            p.card__kind { (e.category.name(lang)) " · " (e.town.name(lang)) }
            h2.card__title { a href=(format!("/events/{}", e.id)) { (e.title.get(lang)) } }
            p.card__meta { (t.date_time(e.starts_at)) }
            p.card__meta { (e.venue.get(lang)) }
            @if let Some(who) = t.org.card_note(e.audience) { p.card__meta { (who) } }
            (places_badge(t, e))
        }
    }
}

/// `PlacesBadge`'s markup.
fn places_badge(t: &Texts, e: &EventSummary) -> Markup {
    let (class, text) = t.places_badge(e);
    html! { span class=(class) { (text) } }
}

/// The top of `EventDetails`, down to the description (the page's largest text).
async fn event_page(
    State(state): State<AppState>,
    axum::Extension(shell): Painted,
    headers: HeaderMap,
    UrlPath(id): UrlPath<String>,
) -> Response {
    let lang = chosen(&headers);
    let t = texts(lang);
    let event = match id.parse::<i64>() {
        Ok(id) => state.store.event(id).await.ok(),
        Err(_) => None,
    };
    let back = html! { p.back { a href="/events" { (t.back_to_events) } } };
    let Some(event) = event else {
        return shell.page(lang, back);
    };
    let answer = serde_json::to_string(&event).ok().map(|json| Answer {
        url: format!("/api/events/{}", event.summary.id),
        json,
    });
    shell.page_with(
        lang,
        html! { (back) (event_details(t, lang, &event)) },
        answer,
    )
}

fn event_details(t: &Texts, lang: Lang, e: &EventDetail) -> Markup {
    let s = &e.summary;
    html! {
        (heading(s.title.get(lang)))
        p.kicker { (s.category.name(lang)) " · " (s.town.name(lang)) }
        @if s.status != EventStatus::Published { p.notice.notice--warning { (t.event_not_open) } }
        dl.facts {
            div.facts__row {
                dt { (t.when_label) }
                dd { (t.span(s.starts_at, s.ends_at)) span.facts__note { "（" (t.beijing_time) "）" } }
            }
            div.facts__row {
                dt { (t.venue_label) }
                dd { (s.venue.get(lang)) br; span.facts__note { (e.address.get(lang)) } }
            }
            div.facts__row {
                dt { (t.places_label) }
                dd {
                    (places_badge(t, s)) " "
                    span.facts__note { ((t.places_of)(s.places_left, s.capacity)) }
                    @if e.waitlisted > 0 { " · " ((t.waitlisted_count)(e.waitlisted)) }
                }
            }
            div.facts__row {
                dt { (t.organiser_label) }
                dd { (e.organiser.get(lang)) }
            }
            @if let Some(host) = &e.host {
                div.facts__row {
                    dt { (t.org.host_label) }
                    dd { (host.get(lang)) }
                }
            }
            @if s.audience != Audience::Residents {
                div.facts__row {
                    dt { (t.org.audience_label) }
                    dd { (t.org.audience(s.audience)) }
                }
            }
        }
        p.description { (e.description.get(lang)) }
    }
}
