use leptos::prelude::*;

use crate::api::{self, EventQuery};
use crate::app::paths;
use crate::components::{EventCard, LoadError, OfflineNote, PageHeading};
use crate::i18n::use_texts;
use crate::prefs::{Prefs, set_title};

/// How many upcoming events the home screen shows.
const UPCOMING: usize = 4;

#[component]
pub fn Home() -> impl IntoView {
    let t = use_texts();
    let prefs = expect_context::<Prefs>();
    Effect::new(move |_| set_title(t.get().home_title, t.get().app_name));
    let events = LocalResource::new(|| async { api::events(&EventQuery::default()).await });
    let retry = Callback::new(move |_| events.refetch());
    view! {
        <PageHeading>{move || t.get().home_title}</PageHeading>
        <p class="lead">{move || t.get().home_intro}</p>
        <div class="elder-switch">
            <button
                type="button"
                class="button button--secondary button--block"
                aria-pressed=move || if prefs.elder.get() { "true" } else { "false" }
                aria-describedby="elder-hint"
                on:click=move |_| prefs.elder.update(|e| *e = !*e)
            >
                {move || if prefs.elder.get() { t.get().standard_mode } else { t.get().elder_mode }}
            </button>
            <p class="field__hint" id="elder-hint">{move || t.get().elder_mode_hint}</p>
        </div>
        <section aria-labelledby="upcoming-title">
            <h2 id="upcoming-title">{move || t.get().home_upcoming}</h2>
            <Transition fallback=move || view! { <p class="loading">{t.get().loading}</p> }>
                <ErrorBoundary fallback=move |errors| view! { <LoadError errors retry /> }>
                    {move || Suspend::new(async move {
                        events.await.map(|loaded| {
                            let note = loaded.kept_since.map(|kept_since| view! { <OfflineNote kept_since /> });
                            let cards = loaded
                                .value
                                .into_iter()
                                .filter(|e| e.status == model::EventStatus::Published)
                                .take(UPCOMING)
                                .map(|event| view! { <EventCard event heading_level=3 /> })
                                .collect_view();
                            view! { {note} <ul class="cards">{cards}</ul> }
                        })
                    })}
                </ErrorBoundary>
            </Transition>
            <p><a class="button button--block" href=paths::EVENTS>{move || t.get().see_all_events}</a></p>
        </section>
    }
}
