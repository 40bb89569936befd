use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use model::FieldErrors;
use model::survey_wave::{NewWave, StaffWave};
use quality_month_web::components::{Loader, PageHeading, SelectField, SendButton};

use crate::api;
use crate::app::paths;
use crate::i18n::use_staff_texts;
use crate::pages::{Refusal, failure_of, fresh};

/// Every wave, the latest first, and a new draft started empty or from a past wave.
#[component]
pub fn SurveyList() -> impl IntoView {
    let t = use_staff_texts();
    Effect::new(move |_| {
        quality_month_web::prefs::set_title(t.get().surveys.list_title, t.get().app_name)
    });
    view! {
        <PageHeading>{move || t.get().surveys.list_title}</PageHeading>
        <Loader fetch=move || fresh(api::waves()) render={move |waves: Vec<StaffWave>| view! {
            {waves.is_empty().then(|| view! { <p>{move || t.get().surveys.none}</p> })}
            <ul class="cards">
                {waves.iter().cloned().map(|w| {
                    let (id, status) = (w.id, w.status);
                    let dates = (w.details.opens_on.to_string(), w.details.closes_on.to_string());
                    view! {
                        <li class="card">
                            <h2 class="card__title"><a href=paths::wave(id)>{let w = w.clone(); move || super::name(t.get(), &w)}</a></h2>
                            <p class="card__meta"><span class="badge">{move || (t.get().surveys.status)(status)}</span>
                                " " {move || (t.get().surveys.dates)(&dates.0, &dates.1)}</p>
                            <p class="card__meta">{move || (t.get().surveys.counts)(w.online, w.paper)}</p>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <NewWaveForm waves />
        }} />
    }
}

#[component]
fn NewWaveForm(waves: Vec<StaffWave>) -> impl IntoView {
    let t = use_staff_texts();
    let navigate = use_navigate();
    let input = super::DetailsInput::new(None);
    // The latest wave is the usual start: last year's questions, fixed up.
    let copy = RwSignal::new(waves.first().map(|w| w.id.to_string()).unwrap_or_default());
    let checked = RwSignal::new(FieldErrors::new());
    let create = Action::new_local(|new: &NewWave| {
        let new = new.clone();
        async move { api::create_wave(&new).await }
    });
    let pending = create.pending();
    let failure = failure_of(create);
    Effect::new(move |_| {
        if let Some(Ok(w)) = create.value().get() {
            navigate(&paths::wave(w.id), Default::default());
        }
    });
    let errors = failure.and(checked);
    let s = move |f: fn(&crate::i18n::surveys::SurveyTexts) -> &'static str| {
        Signal::derive(move || f(t.get().surveys))
    };
    let sources = Signal::derive(move || {
        let t = t.get();
        std::iter::once((String::new(), t.surveys.copy_none.to_string()))
            .chain(waves.iter().map(|w| (w.id.to_string(), super::name(t, w))))
            .collect()
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let read = input.read();
        checked.set(read.clone().err().unwrap_or_default());
        if let Ok(details) = read {
            create.dispatch_local(NewWave {
                details,
                copy_of: copy.get_untracked().parse().ok(),
            });
        }
    };
    view! {
        <section class="section" aria-labelledby="new-wave">
            <h2 id="new-wave">{move || t.get().surveys.new_title}</h2>
            <form class="form form--wide" novalidate on:submit=submit>
                <super::DetailsFields input errors />
                <SelectField id="copy-of" label=s(|s| s.field_copy) value=copy options=sources />
                <Refusal error=failure.refusal />
                <SendButton pending label=s(|s| s.create) />
            </form>
        </section>
    }
}
