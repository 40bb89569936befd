//! A landing page's first HTML carries its words and data (first_paint.rs): escaped, only
//! what residents may see, and filtered as the address says. That the app then shows the
//! same text at the same place is the e2e journey `first-paint.test.js`.

mod common;

use common::{TestApp, event, loc};
use model::{Category, EventStatus, Lang, Town};
use reqwest::StatusCode;
use serde_json::Value;

async fn page(app: &TestApp, path: &str) -> String {
    let r = app.get(path).await;
    assert_eq!(r.status(), StatusCode::OK, "{path}");
    assert_eq!(r.headers()["content-type"], "text/html; charset=utf-8");
    assert_eq!(
        r.headers()["cache-control"],
        "no-cache",
        "{path}: live figures are never kept"
    );
    let html = r.text().await.unwrap();
    let main = html
        .split_once(r#"<main class="main">"#)
        .and_then(|(_, rest)| rest.split_once("</main>"))
        .map(|(main, _)| main.to_string())
        .expect("the shell's <main> is kept");
    assert!(
        !main.contains("正在打开"),
        "{path}: the placeholder gives way"
    );
    main
}

async fn landing_pages_carry_the_catalogs_words(app: TestApp) {
    let t = catalog::texts(Lang::Zh);
    let home = page(&app, "/").await;
    assert!(
        home.contains(t.home_title) && home.contains(t.home_intro),
        "{home}"
    );
    let inspections = page(&app, "/inspections").await;
    assert!(inspections.contains(t.inspect.intro), "{inspections}");
    // The language the person chose in the app (its cookie), else Chinese.
    let en = catalog::texts(Lang::En);
    let r = app
        .client
        .get(app.url("/inspections"))
        .header("cookie", "theme=x; qm_lang=en")
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["vary"], "cookie");
    let english = r.text().await.unwrap();
    assert!(english.contains(r#"<html lang="en">"#), "{english}");
    assert!(english.contains(en.inspect.title) && !english.contains(t.inspect.title));
    // No open survey: the app says so itself; nothing is painted that it would not show.
    let survey = page(&app, "/survey").await;
    assert!(!survey.contains(t.survey.title), "{survey}");
}

/// The service worker asks the network first on every visit: an unchanged page costs a
/// 304 and no bytes; a change on it (places taken) gives the new page.
async fn an_unchanged_page_is_not_sent_again(app: TestApp) {
    let id = app
        .add_event(event(Town::Nanqiao, Category::Clinic, 3, 20))
        .await;
    let path = format!("/events/{id}");
    let first = app.get(&path).await;
    let tag = first.headers()["etag"].clone();
    let again = app
        .client
        .get(app.url(&path))
        .header("if-none-match", tag.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
    assert!(again.bytes().await.unwrap().is_empty());
    app.register(id, "张三", &common::phone(1), 2).await;
    let changed = app
        .client
        .get(app.url(&path))
        .header("if-none-match", tag)
        .send()
        .await
        .unwrap();
    assert_eq!(
        changed.status(),
        StatusCode::OK,
        "places changed: the new page"
    );
    assert!(changed.text().await.unwrap().contains("余 18 个名额"));
}

async fn text_from_the_database_is_escaped_not_run(app: TestApp) {
    let mut e = event(Town::Nanqiao, Category::Clinic, 3, 20);
    e.title = loc("<script>alert(1)</script> & 义诊", "x");
    e.description = loc("<img src=x onerror=alert(2)>", "y");
    let id = app.add_event(e).await;
    let main = page(&app, &format!("/events/{id}")).await;
    assert!(
        main.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; 义诊"),
        "{main}"
    );
    assert!(
        main.contains("&lt;img src=x onerror=alert(2)&gt;"),
        "{main}"
    );
    assert!(
        !main.contains("<script") && !main.contains("<img"),
        "{main}"
    );
}

/// The page carries the API's own answer for what it shows, which the app reads instead of
/// asking again; no text from the database can end that block early.
async fn the_page_carries_the_apis_answer_for_what_it_shows(app: TestApp) {
    let mut e = event(Town::Nanqiao, Category::Clinic, 3, 20);
    e.title = loc("义诊</script><script>alert(1)</script>", "x");
    let id = app.add_event(e).await;
    let html = app
        .get(&format!("/events/{id}"))
        .await
        .text()
        .await
        .unwrap();
    let open =
        format!(r#"<script type="application/json" id="qm-answer" data-url="/api/events/{id}">"#);
    let carried = html
        .split_once(&open)
        .and_then(|(_, rest)| rest.split_once("</script>"))
        .map(|(json, _)| json)
        .expect("the answer is in the page");
    assert!(!carried.contains('<'), "{carried}");
    let carried: Value = serde_json::from_str(carried).unwrap();
    let api: Value = app
        .get(&format!("/api/events/{id}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(carried, api);
    assert_eq!(
        carried["title"]["zh"],
        "义诊</script><script>alert(1)</script>"
    );
}

async fn only_what_residents_may_see_is_painted(app: TestApp) {
    let mut draft = event(Town::Nanqiao, Category::Clinic, 3, 20);
    draft.title = loc("尚未发布的草稿", "Draft");
    draft.status = EventStatus::Draft;
    let id = app.add_event(draft).await;
    for path in [
        format!("/events/{id}"),
        "/events".to_string(),
        "/".to_string(),
    ] {
        assert!(
            !page(&app, &path).await.contains("尚未发布的草稿"),
            "{path}"
        );
    }
    // A path that is no event is the way back to the list, not an error page.
    let unknown = page(&app, "/events/not-a-number").await;
    assert!(unknown.contains(r#"href="/events""#), "{unknown}");
}

async fn the_list_is_filtered_as_its_address_says(app: TestApp) {
    let mut nanqiao = event(Town::Nanqiao, Category::Clinic, 3, 20);
    nanqiao.title = loc("南桥的义诊", "a");
    let mut zhelin = event(Town::Zhelin, Category::Training, 4, 20);
    zhelin.title = loc("柘林的培训", "b");
    app.add_event(nanqiao).await;
    app.add_event(zhelin).await;
    let t = catalog::texts(Lang::Zh);
    let all = page(&app, "/events").await;
    assert!(
        all.contains("南桥的义诊") && all.contains("柘林的培训"),
        "{all}"
    );
    assert!(all.contains(&(t.results_count)(2)), "{all}");
    let one = page(&app, "/events?town=nanqiao").await;
    assert!(
        one.contains("南桥的义诊") && !one.contains("柘林的培训"),
        "{one}"
    );
    assert!(
        one.contains(r#"<option value="nanqiao" selected>"#),
        "{one}"
    );
    // "This week" depends on the phone's clock: the app draws that list.
    let week = page(&app, "/events?when=week").await;
    assert!(
        !week.contains("南桥的义诊") && week.contains(t.events_title),
        "{week}"
    );
}

on_both_databases!(
    landing_pages_carry_the_catalogs_words,
    an_unchanged_page_is_not_sent_again,
    the_page_carries_the_apis_answer_for_what_it_shows,
    text_from_the_database_is_escaped_not_run,
    only_what_residents_may_see_is_painted,
    the_list_is_filtered_as_its_address_says,
);
