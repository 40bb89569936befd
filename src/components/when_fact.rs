use leptos::prelude::*;
use model::BeijingTime;

use crate::i18n::use_texts;

/// The "when" row of a fact list: the span in Beijing time, saying so.
#[component]
pub fn WhenFact(
    /// Start.
    start: BeijingTime,
    /// End.
    end: BeijingTime,
) -> impl IntoView {
    let t = use_texts();
    view! {
        <div class="facts__row">
            <dt>{move || t.get().when_label}</dt>
            <dd>
                {move || t.get().span(start, end)}
                <span class="facts__note">{move || format!("（{}）", t.get().beijing_time)}</span>
            </dd>
        </div>
    }
}
