//! Where a reminder's "不再提醒" link leads: what it is about, and the choice of stopping
//! reminders for that one item or for the whole phone (and of undoing either). The link
//! itself is the proof: it reached the phone the reminder went to.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use model::reminder::{ReminderLink, ReminderSwitch};

use crate::api::{self, ClientError};
use crate::app::paths;
use crate::components::PageHeading;
use crate::i18n::{ClientErrorText, use_texts};
use crate::prefs::set_title;

#[component]
pub fn ReminderSettings() -> impl IntoView {
    let t = use_texts();
    Effect::new(move |_| set_title(t.get().remind.link_title, t.get().app_name));
    let params = use_params_map();
    let token = move || params.read_untracked().get("token").unwrap_or_default();
    let loaded = LocalResource::new(move || {
        let token = params.read().get("token").unwrap_or_default();
        async move { api::reminder_link(&token).await }
    });
    view! {
        <PageHeading>{move || t.get().remind.link_title}</PageHeading>
        {move || match loaded.get() {
            None => view! { <p class="loading">{t.get().loading}</p> }.into_any(),
            Some(Err(ClientError::Api { status: 404, .. })) => view! {
                <p>{move || t.get().remind.link_gone}</p>
                <p><a class="button" href=paths::MINE>{move || t.get().nav_mine}</a></p>
            }.into_any(),
            Some(Err(e)) => view! { <p class="notice notice--error" role="alert">{t.get().client_error(&e)}</p> }.into_any(),
            Some(Ok(link)) => view! { <Choices link token=token() /> }.into_any(),
        }}
    }
}

/// Drawn once: the buttons and the status line stay in place while the choice changes,
/// so focus stays on the button pressed and the status is announced.
#[component]
fn Choices(link: ReminderLink, token: String) -> impl IntoView {
    let t = use_texts();
    let title = link.title.clone();
    let start = link.starts_at;
    let state = RwSignal::new((link.item_off, link.phone_off));
    let problem = RwSignal::new(None::<&'static str>);
    let switch = Action::new_local(move |&(whole_phone, on): &(bool, bool)| {
        let token = token.clone();
        async move {
            match api::switch_reminders(&token, ReminderSwitch { whole_phone, on }).await {
                Ok(link) => {
                    state.set((link.item_off, link.phone_off));
                    problem.set(None);
                }
                Err(e) => problem.set(Some(t.get_untracked().client_error(&e))),
            }
        }
    });
    let busy = switch.pending();
    let now_state = move || {
        let r = t.get().remind;
        match state.get() {
            (_, true) => r.phone_is_off,
            (true, false) => r.item_is_off,
            (false, false) => r.none_is_off,
        }
    };
    view! {
        <p>{move || t.get().remind.link_about}</p>
        <dl class="facts">
            <div class="facts__row">
                <dt>{move || t.get().remind.about_label}</dt>
                <dd>{move || title.get(t.get().lang).to_string()}</dd>
            </div>
            <div class="facts__row">
                <dt>{move || t.get().when_label}</dt>
                <dd>
                    {move || t.get().date_time(start)}
                    <span class="facts__note">{move || format!("（{}）", t.get().beijing_time)}</span>
                </dd>
            </div>
        </dl>
        <p class="notice" role="status">{now_state}</p>
        <div role="alert">{move || problem.get().map(|p| view! { <p class="notice notice--error">{p}</p> })}</div>
        <div class="actions">
            <button type="button" class="button" disabled=move || busy.get()
                on:click=move |_| { switch.dispatch_local((false, state.get_untracked().0)); }>
                {move || if state.get().0 { t.get().remind.item_on } else { t.get().remind.item_off }}
            </button>
            <button type="button" class="button button--secondary" disabled=move || busy.get()
                on:click=move |_| { switch.dispatch_local((true, state.get_untracked().1)); }>
                {move || if state.get().1 { t.get().remind.phone_on } else { t.get().remind.phone_off }}
            </button>
        </div>
    }
}
