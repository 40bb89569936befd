use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use model::RegistrationStatus;

use crate::api;
use crate::app::paths;
use crate::components::{PageHeading, QrPass, WhenFact};
use crate::i18n::use_texts;
use crate::mine::MySignups;
use crate::prefs::set_title;

/// The confirmation page: the code, what it means, and what to do next.
#[component]
pub fn SignupDone() -> impl IntoView {
    let t = use_texts();
    let mine = expect_context::<MySignups>();
    let params = use_params_map();
    let saved = Memo::new(move |_| params.read().get("code").and_then(|code| mine.find(&code)));
    move || match saved.get() {
        None => view! { <super::NotFound /> }.into_any(),
        Some(saved) => {
            let r = saved.receipt;
            let waitlisted = r.status == RegistrationStatus::Waitlisted;
            let heading = move || {
                if waitlisted {
                    t.get().confirm_waitlisted
                } else {
                    t.get().confirm_registered
                }
            };
            Effect::new(move |_| set_title(heading(), t.get().app_name));
            let title = r.event.title.clone();
            let venue = r.event.venue.clone();
            let (start, end) = (r.event.starts_at, r.event.ends_at);
            let position = r.waitlist_position;
            let org = r.organisation.clone();
            view! {
                <div class="panel" class:panel--waiting=waitlisted>
                    <PageHeading>{heading}</PageHeading>
                    <p class="panel__label">{move || t.get().your_code}</p>
                    <p class="panel__code">{r.code.to_string()}</p>
                </div>
                // Door staff scan it; a waitlisted person has no place to check in to yet.
                {(!waitlisted).then(|| view! { <QrPass code=r.code.to_string() /> })}
                {position.map(|n| view! { <p class="notice">{move || (t.get().waitlist_position)(n)}</p> })}
                <p>{move || t.get().code_hint}</p>
                <dl class="facts">
                    <div class="facts__row">
                        <dt>{move || t.get().signup_for}</dt>
                        <dd>{move || title.get(t.get().lang).to_string()}</dd>
                    </div>
                    <WhenFact start end />
                    <div class="facts__row">
                        <dt>{move || t.get().venue_label}</dt>
                        <dd>{move || venue.get(t.get().lang).to_string()}</dd>
                    </div>
                    {org.map(|o| view! {
                        <div class="facts__row">
                            <dt>{move || t.get().org.organisation_label}</dt>
                            <dd>{o.name}<br /><span class="facts__note">{o.credit_code}</span></dd>
                        </div>
                    })}
                    <div class="facts__row">
                        <dt>{move || t.get().field_party}</dt>
                        <dd>{move || (t.get().people)(r.party_size)}</dd>
                    </div>
                </dl>
                <div class="actions">
                    <a class="button button--block" href=api::event_calendar_url(r.event.id) download="" rel="external">
                        {move || t.get().add_to_calendar}
                    </a>
                    <a class="button button--secondary button--block" href=paths::MINE>{move || t.get().view_mine}</a>
                </div>
            }
            .into_any()
        }
    }
}
