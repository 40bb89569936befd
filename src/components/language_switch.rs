use leptos::prelude::*;
use model::Lang;

use crate::i18n::use_texts;
use crate::prefs::Prefs;

/// The header's switch to the other language, named in that language; the choice is
/// remembered (residents' and staff app alike).
#[component]
pub fn LanguageSwitch() -> impl IntoView {
    let t = use_texts();
    let prefs = expect_context::<Prefs>();
    view! {
        <button
            type="button"
            class="header__lang"
            lang=move || if t.get().lang == Lang::Zh { "en" } else { "zh-CN" }
            aria-label=move || t.get().switch_language
            on:click=move |_| prefs.lang.update(|l| *l = if *l == Lang::Zh { Lang::En } else { Lang::Zh })
        >
            {move || t.get().other_language}
        </button>
    }
}
