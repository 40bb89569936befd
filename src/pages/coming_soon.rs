use leptos::prelude::*;

use crate::components::PageHeading;
use crate::i18n::{Texts, use_texts};
use crate::prefs::set_title;

/// A tab whose feature is not open yet.
#[component]
fn ComingSoon(
    heading: fn(&Texts) -> &'static str,
    body: fn(&Texts) -> &'static str,
) -> impl IntoView {
    let t = use_texts();
    Effect::new(move |_| set_title(heading(t.get()), t.get().app_name));
    view! {
        <PageHeading>{move || heading(t.get())}</PageHeading>
        <div class="notice">
            <h2 class="notice__title">{move || t.get().coming_soon}</h2>
            <p>{move || body(t.get())}</p>
        </div>
    }
}

#[component]
pub fn SurveySoon() -> impl IntoView {
    view! { <ComingSoon heading=|t| t.nav_survey body=|t| t.survey_soon /> }
}
