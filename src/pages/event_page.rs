use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use model::{Audience, EventDetail, EventStatus};
use wasm_bindgen::JsCast;

use crate::api;
use crate::app::paths;
use crate::components::{EventLoader, PageHeading, PlacesBadge, WhenFact};
use crate::i18n::use_texts;
use crate::prefs::set_title;

/// The event id in the path, or -1 (which the API answers with "not found").
pub fn event_id_param() -> Memo<i64> {
    let params = use_params_map();
    Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|s| s.parse().ok())
            .unwrap_or(-1)
    })
}

#[component]
pub fn EventPage() -> impl IntoView {
    let t = use_texts();
    let id = event_id_param();
    view! {
        <p class="back"><a href=paths::EVENTS>{move || t.get().back_to_events}</a></p>
        <EventLoader id render=|event| view! { <EventDetails event /> } />
    }
}

#[component]
fn EventDetails(event: EventDetail) -> impl IntoView {
    let t = use_texts();
    let e = StoredValue::new(event);
    let s = e.with_value(|e| e.summary.clone());
    Effect::new(move |_| {
        e.with_value(|e| set_title(e.summary.title.get(t.get().lang), t.get().app_name))
    });
    let open = s.status == EventStatus::Published;
    let id = s.id;
    let full = s.is_full();
    let (start, end) = (s.starts_at, s.ends_at);
    let share_note = RwSignal::new(None::<&'static str>);
    let share = move |_| {
        let title = e.with_value(|e| e.summary.title.get(t.get_untracked().lang).to_string());
        let url = window().location().href().unwrap_or_default();
        if !share_or_copy(&title, &url) {
            share_note.set(Some(t.get_untracked().link_copied));
        }
    };
    view! {
        <PageHeading>{move || e.with_value(|e| e.summary.title.get(t.get().lang).to_string())}</PageHeading>
        <p class="kicker">{move || format!("{} · {}", s.category.name(t.get().lang), s.town.name(t.get().lang))}</p>
        {(!open).then(|| view! { <p class="notice notice--warning">{move || t.get().event_not_open}</p> })}
        <dl class="facts">
            <WhenFact start end />
            <div class="facts__row">
                <dt>{move || t.get().venue_label}</dt>
                <dd>
                    {move || e.with_value(|e| e.summary.venue.get(t.get().lang).to_string())}
                    <br />
                    <span class="facts__note">{move || e.with_value(|e| e.address.get(t.get().lang).to_string())}</span>
                </dd>
            </div>
            <div class="facts__row">
                <dt>{move || t.get().places_label}</dt>
                <dd>
                    <PlacesBadge event=s.clone() />
                    " "
                    <span class="facts__note">{move || (t.get().places_of)(s.places_left, s.capacity)}</span>
                    {move || e.with_value(|e| (e.waitlisted > 0).then(|| format!(" · {}", (t.get().waitlisted_count)(e.waitlisted))))}
                </dd>
            </div>
            <div class="facts__row">
                <dt>{move || t.get().organiser_label}</dt>
                <dd>{move || e.with_value(|e| e.organiser.get(t.get().lang).to_string())}</dd>
            </div>
            {e.with_value(|e| e.host.clone()).map(|host| view! {
                <div class="facts__row">
                    <dt>{move || t.get().org.host_label}</dt>
                    <dd>{move || host.get(t.get().lang).to_string()}</dd>
                </div>
            })}
            // Said only where it differs from what residents expect of every event.
            {(s.audience != Audience::Residents).then(|| view! {
                <div class="facts__row">
                    <dt>{move || t.get().org.audience_label}</dt>
                    <dd>{move || t.get().org.audience(s.audience)}</dd>
                </div>
            })}
        </dl>
        <p class="description">{move || e.with_value(|e| e.description.get(t.get().lang).to_string())}</p>
        <div class="actions">
            {open.then(|| view! {
                <a class="button button--block" href=paths::signup(id)>
                    {move || if full { t.get().join_waitlist } else { t.get().sign_up }}
                </a>
            })}
            <a class="button button--secondary button--block" href=api::event_calendar_url(id) download="" rel="external">
                {move || t.get().add_to_calendar}
            </a>
            <button type="button" class="button button--secondary button--block" on:click=share>
                {move || t.get().share}
            </button>
            <p class="share-note" role="status">{move || share_note.get()}</p>
        </div>
    }
}

/// Opens the phone's share sheet where there is one; otherwise copies the link. Returns
/// whether the share sheet was used.
fn share_or_copy(title: &str, url: &str) -> bool {
    let navigator = window().navigator();
    let share = js_sys::Reflect::get(&navigator, &"share".into()).ok();
    if let Some(share) = share.and_then(|f| f.dyn_into::<js_sys::Function>().ok()) {
        let data = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&data, &"title".into(), &title.into());
        let _ = js_sys::Reflect::set(&data, &"url".into(), &url.into());
        // A dismissed share sheet rejects the promise; that is not an error to report.
        if let Ok(promise) = share.call1(&navigator, &data)
            && let Ok(promise) = promise.dyn_into::<js_sys::Promise>()
        {
            leptos::task::spawn_local(async move {
                let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
            });
        }
        return true;
    }
    if let Ok(clipboard) = js_sys::Reflect::get(&navigator, &"clipboard".into())
        && let Ok(write) = js_sys::Reflect::get(&clipboard, &"writeText".into())
        && let Ok(write) = write.dyn_into::<js_sys::Function>()
    {
        let _ = write.call1(&clipboard, &url.into());
    }
    false
}
