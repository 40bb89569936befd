use leptos::prelude::*;

use crate::app::paths;
use crate::components::PageHeading;
use crate::i18n::use_texts;
use crate::prefs::set_title;

#[component]
pub fn NotFound() -> impl IntoView {
    let t = use_texts();
    Effect::new(move |_| set_title(t.get().not_found_title, t.get().app_name));
    view! {
        <PageHeading>{move || t.get().not_found_title}</PageHeading>
        <p>{move || t.get().not_found_body}</p>
        <p><a class="button" href=paths::HOME>{move || t.get().go_home}</a></p>
    }
}
