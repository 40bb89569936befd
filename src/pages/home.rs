use leptos::prelude::*;

use crate::api::{self, EventQuery};
use crate::app::paths;
use crate::components::{ElderSwitch, EventCard, LoadError, OfflineNote, PageHeading};
use crate::i18n::use_texts;
use crate::prefs::set_title;

/// How many upcoming events the home screen shows.
const UPCOMING: usize = 4;

#[component]
pub fn Home() -> impl IntoView {
    let t = use_texts();
    Effect::new(move |_| set_title(t.get().home_title, t.get().app_name));
    let events = LocalResource::new(|| async { api::events(&EventQuery::default()).await });
    let retry = Callback::new(move |_| events.refetch());
    view! {
        <PageHeading>{move || t.get().home_title}</PageHeading>
        <p class="lead">{move || t.get().home_intro}</p>
        <ElderSwitch />
        <section aria-labelledby="upcoming-title">
            <h2 id="upcoming-title">{move || t.get().home_upcoming}</h2>
            <Transition fallback=move || view! { <p class="loading">{t.get().loading}</p> }>
                <ErrorBoundary fallback=move |errors| view! { <LoadError errors retry /> <SeeAll /> }>
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
                            // The link comes with the list, after it: drawn below the list
                            // while it loads, it would be pushed down (a layout shift).
                            view! { {note} <ul class="cards">{cards}</ul> <SeeAll /> }
                        })
                    })}
                </ErrorBoundary>
            </Transition>
        </section>
    }
}

/// To the whole list of events.
#[component]
fn SeeAll() -> impl IntoView {
    let t = use_texts();
    view! { <p><a class="button button--block" href=paths::EVENTS>{move || t.get().see_all_events}</a></p> }
}
