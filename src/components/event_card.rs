use leptos::prelude::*;
use model::EventSummary;

use crate::i18n::use_texts;

/// How many places are left, in words and colour (the words carry the meaning).
#[component]
pub fn PlacesBadge(
    /// The event.
    event: EventSummary,
) -> impl IntoView {
    let t = use_texts();
    move || {
        let (class, text) = t.get().places_badge(&event);
        view! { <span class=class>{text}</span> }
    }
}

/// An event in a list: its title links to the event's page.
#[component]
pub fn EventCard(
    /// The event shown.
    event: EventSummary,
    /// The level of the card's heading: one below the list's own heading.
    #[prop(default = 2)]
    heading_level: u8,
) -> impl IntoView {
    let t = use_texts();
    let href = format!("/events/{}", event.id);
    let e = event.clone();
    view! {
        <li class="card">
            <p class="card__kind">
                {move || format!("{} · {}", e.category.name(t.get().lang), e.town.name(t.get().lang))}
            </p>
            {
                let title = event.title.clone();
                let link = view! { <a href=href>{move || title.get(t.get().lang).to_string()}</a> };
                if heading_level == 3 {
                    view! { <h3 class="card__title">{link}</h3> }.into_any()
                } else {
                    view! { <h2 class="card__title">{link}</h2> }.into_any()
                }
            }
            <p class="card__meta">{
                let start = event.starts_at;
                move || t.get().date_time(start)
            }</p>
            <p class="card__meta">{
                let venue = event.venue.clone();
                move || venue.get(t.get().lang).to_string()
            }</p>
            {
                let audience = event.audience;
                move || t.get().org.card_note(audience).map(|who| view! { <p class="card__meta">{who}</p> })
            }
            <PlacesBadge event=event.clone() />
        </li>
    }
}
