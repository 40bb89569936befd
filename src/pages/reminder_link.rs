//! Where a reminder's "不再提醒" link leads: what it is about, and the choice of stopping
//! reminders for that one item or for the whole phone (and of undoing either). The link
//! itself is the proof: it reached the phone the reminder went to.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use model::reminder::{ReminderLink, ReminderSwitch};

use crate::api::{self, ClientError};
use crate::app::paths;
use crate::components::{PageHeading, WhenFact};
use crate::i18n::{ClientErrorText, use_texts};
use crate::prefs::set_title;

#[component]
pub fn ReminderSettings() -> impl IntoView {
    let t = use_texts();
    Effect::new(move |_| set_title(t.get().remind.link_title, t.get().app_name));
    let params = use_params_map();
    let token = move || params.read().get("token").unwrap_or_default();
    let state = RwSignal::new(None::<Result<ReminderLink, ClientError>>);
    let busy = RwSignal::new(false);
    Effect::new(move |_| {
        let token = token();
        leptos::task::spawn_local(async move { state.set(Some(api::reminder_link(&token).await)) });
    });
    let switch = move |whole_phone: bool, on: bool| {
        let token = token();
        busy.set(true);
        leptos::task::spawn_local(async move {
            let answer = api::switch_reminders(&token, ReminderSwitch { whole_phone, on }).await;
            state.set(Some(answer));
            busy.set(false);
        });
    };
    view! {
        <PageHeading>{move || t.get().remind.link_title}</PageHeading>
        {move || match state.get() {
            None => view! { <p class="loading">{t.get().loading}</p> }.into_any(),
            Some(Err(ClientError::Api { status: 404, .. })) => view! {
                <p>{move || t.get().remind.link_gone}</p>
                <p><a class="button" href=paths::MINE>{move || t.get().nav_mine}</a></p>
            }.into_any(),
            Some(Err(e)) => view! { <p class="error" role="alert">{t.get().client_error(&e)}</p> }.into_any(),
            Some(Ok(link)) => {
                let title = link.title.clone();
                let start = link.starts_at;
                let now_state = move || {
                    let r = t.get().remind;
                    if link.phone_off {
                        r.phone_is_off
                    } else if link.item_off {
                        r.item_is_off
                    } else {
                        r.none_is_off
                    }
                };
                view! {
                    <p>{move || t.get().remind.link_about}</p>
                    <dl class="facts">
                        <div class="facts__row">
                            <dt>{move || t.get().signup_for}</dt>
                            <dd>{move || title.get(t.get().lang).to_string()}</dd>
                        </div>
                        <WhenFact start end=start />
                    </dl>
                    <p class="notice" role="status">{now_state}</p>
                    <div class="actions">
                        <button type="button" class="button" disabled=move || busy.get()
                            on:click=move |_| switch(false, link.item_off)>
                            {move || if link.item_off { t.get().remind.item_on } else { t.get().remind.item_off }}
                        </button>
                        <button type="button" class="button button--secondary" disabled=move || busy.get()
                            on:click=move |_| switch(true, link.phone_off)>
                            {move || if link.phone_off { t.get().remind.phone_on } else { t.get().remind.phone_off }}
                        </button>
                    </div>
                }.into_any()
            }
        }}
    }
}
