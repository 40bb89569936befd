use leptos::prelude::*;

use crate::i18n::use_texts;
use crate::prefs::Prefs;

/// The 长辈版 switch: larger type and targets, kept on the phone. On the home page, and on
/// the survey preview so that staff see the questions as older residents will.
#[component]
pub fn ElderSwitch() -> impl IntoView {
    let t = use_texts();
    let prefs = expect_context::<Prefs>();
    view! {
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
    }
}
