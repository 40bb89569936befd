//! 我的: text reminders on or off for each phone used here, and that phone's own calendar
//! feed. Both need this device's proof of the phone (the server refuses without it).

use leptos::prelude::*;
use model::{PhoneNumber, mask_phone};

use crate::api;
use crate::i18n::{ClientErrorText, use_texts};
use crate::mine::{MyBookings, MySignups};

#[component]
pub fn RemindersSection() -> impl IntoView {
    let t = use_texts();
    let signups = expect_context::<MySignups>();
    let bookings = expect_context::<MyBookings>();
    // Every phone something was done with here, once.
    let phones = Memo::new(move |_| {
        let mut phones: Vec<PhoneNumber> = signups
            .list()
            .into_iter()
            .map(|s| s.phone)
            .chain(bookings.list().into_iter().map(|s| s.phone))
            .collect();
        phones.sort_by(|a, b| a.as_str().cmp(b.as_str()));
        phones.dedup();
        phones
    });
    view! {
        <Show when=move || !phones.get().is_empty()>
            <section aria-labelledby="mine-reminders">
                <h2 id="mine-reminders">{move || t.get().remind.title}</h2>
                <p>{move || t.get().remind.explain}</p>
                <For each=move || phones.get() key=|p| p.as_str().to_string() let:phone>
                    <PhoneReminders phone />
                </For>
            </section>
        </Show>
    }
}

#[component]
fn PhoneReminders(phone: PhoneNumber) -> impl IntoView {
    let t = use_texts();
    let masked = mask_phone(phone.as_str());
    let proved = api::device_proves(&phone);
    let id = format!("reminders-{}", phone.as_str());
    let on = RwSignal::new(None::<bool>);
    let problem = RwSignal::new(None::<&'static str>);
    let busy = RwSignal::new(false);
    if proved {
        let phone = phone.clone();
        leptos::task::spawn_local(async move {
            match api::phone_reminders(&phone, None).await {
                Ok(state) => on.set(Some(state.on)),
                Err(e) => problem.set(Some(t.get_untracked().client_error(&e))),
            }
        });
    }
    let toggle = {
        let phone = phone.clone();
        move |ev: leptos::ev::Event| {
            let wanted = event_target_checked(&ev);
            let phone = phone.clone();
            busy.set(true);
            problem.set(None);
            leptos::task::spawn_local(async move {
                match api::phone_reminders(&phone, Some(wanted)).await {
                    Ok(state) => on.set(Some(state.on)),
                    Err(e) => problem.set(Some(t.get_untracked().client_error(&e))),
                }
                busy.set(false);
            });
        }
    };
    let label = {
        let masked = masked.clone();
        move || (t.get().remind.switch_label)(&masked)
    };
    view! {
        <div class="card">
            {if proved {
                let id = id.clone();
                view! {
                    <div class="switch-row">
                        <label for=id.clone()>{label}</label>
                        <input id=id type="checkbox" role="switch" class="switch"
                            prop:checked=move || on.get().unwrap_or(false)
                            disabled=move || busy.get() || on.get().is_none()
                            on:change=toggle />
                    </div>
                    <p class="field__hint" role="status">{move || {
                        let t = t.get();
                        if busy.get() {
                            t.remind.saving
                        } else {
                            match on.get() {
                                Some(true) => t.remind.on,
                                Some(false) => t.remind.off,
                                None => "",
                            }
                        }
                    }}</p>
                    <PersonalFeed phone=phone.clone() />
                }.into_any()
            } else {
                view! {
                    <p><strong>{masked.clone()}</strong></p>
                    <p class="field__hint">{move || t.get().remind.verify_first}</p>
                }.into_any()
            }}
            <div role="alert">{move || problem.get().map(|p| view! { <p class="notice notice--error">{p}</p> })}</div>
        </div>
    }
}

/// The phone's own feed: shown on request (it is a secret address), and made anew when
/// the person thinks it got out.
#[component]
fn PersonalFeed(phone: PhoneNumber) -> impl IntoView {
    let t = use_texts();
    let url = RwSignal::new(None::<String>);
    let note = RwSignal::new(None::<&'static str>);
    let input_id = format!("feed-{}", phone.as_str());
    let fetch = Action::new_local(move |reset: &bool| {
        let (phone, reset) = (phone.clone(), *reset);
        async move {
            match api::personal_feed(&phone, reset).await {
                Ok(feed) => {
                    url.set(Some(feed.url));
                    note.set(reset.then(|| t.get_untracked().remind.my_feed_reset_done));
                }
                Err(e) => note.set(Some(t.get_untracked().client_error(&e))),
            }
        }
    });
    let busy = fetch.pending();
    view! {
        <h3>{move || t.get().remind.my_feed}</h3>
        <p class="field__hint">{move || t.get().remind.my_feed_hint}</p>
        {move || match url.get() {
            None => view! {
                <button type="button" class="button button--secondary" disabled=move || busy.get()
                    on:click=move |_| { fetch.dispatch_local(false); }>
                    {move || t.get().remind.my_feed_show}
                </button>
            }.into_any(),
            Some(address) => {
                let webcal = address.replacen("https://", "webcal://", 1).replacen("http://", "webcal://", 1);
                view! {
                    <p><a class="button button--secondary" href=webcal>{move || t.get().remind.subscribe_open}</a></p>
                    <div class="field">
                        <label class="field__label" for=input_id.clone()>{move || t.get().remind.feed_address}</label>
                        <input id=input_id.clone() class="field__input" type="url" readonly prop:value=address />
                    </div>
                    <button type="button" class="button button--secondary" disabled=move || busy.get()
                        on:click=move |_| { fetch.dispatch_local(true); }>
                        {move || t.get().remind.my_feed_reset}
                    </button>
                }.into_any()
            }
        }}
        <p role="status">{move || note.get()}</p>
    }
}
