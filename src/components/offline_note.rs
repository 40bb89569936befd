use leptos::prelude::*;

use model::PhoneNumber;

use super::VerifyPhone;
use crate::app::paths;
use crate::i18n::{ClientErrorText, Texts, use_texts};
use crate::offline::Undelivered;

/// Said above data that came from the phone rather than the server: "离线 · 数据更新于 …",
/// and, where it matters (places left), what may have changed since.
#[component]
pub fn OfflineNote(
    /// When the kept copy was fetched (ms since 1970).
    kept_since: f64,
    #[prop(default = None)] warning: Option<fn(&Texts) -> &'static str>,
) -> impl IntoView {
    let t = use_texts();
    view! {
        <p class="notice notice--offline" role="status">
            {move || {
                let t = t.get();
                let mut text = format!("{}{}", t.offline.kept_since, t.moment(kept_since));
                if let Some(warning) = warning {
                    text.push_str(if t.lang == model::Lang::Zh { "。" } else { ". " });
                    text.push_str(warning(t));
                }
                text
            }}
        </p>
    }
}

/// Said when a write could not reach the server and waits on the phone instead.
#[component]
pub fn SavedOnPhone() -> impl IntoView {
    let t = use_texts();
    view! {
        <div class="notice notice--saved" role="status">
            <p><strong>{move || t.get().offline.saved_title}</strong></p>
            <p>{move || t.get().offline.saved_body}</p>
            <p><a href=paths::MINE>{move || t.get().offline.see_outbox}</a></p>
        </div>
    }
}

/// How a write that the server refused until its phone is proved goes on: the phone,
/// and what sends the write again (with the same key) once it is.
#[derive(Clone, Copy)]
pub struct VerifyWith {
    pub phone: Signal<Option<PhoneNumber>>,
    pub retry: Callback<()>,
    /// Back to the answers, to give another number.
    pub change_number: Option<Callback<()>>,
}

/// What became of a write that did not end while the person waited: kept on the phone,
/// refused by the server and why, or waiting for the phone to be proved ("check your
/// phone", when `verify` says how to go on).
#[component]
pub fn DeliveryProblem(
    problem: Signal<Option<Undelivered>>,
    #[prop(optional)] verify: Option<VerifyWith>,
) -> impl IntoView {
    let t = use_texts();
    move || {
        problem.get().map(|p| match p {
            Undelivered::Kept => view! { <SavedOnPhone /> }.into_any(),
            Undelivered::Refused(e)
                if e.needs_verification()
                    && let Some(v) = verify
                    && let Some(phone) = v.phone.get() =>
            {
                match v.change_number {
                    Some(change) => view! {
                        <VerifyPhone phone on_verified=v.retry on_change_number=change />
                    }
                    .into_any(),
                    None => view! { <VerifyPhone phone on_verified=v.retry /> }.into_any(),
                }
            }
            Undelivered::Refused(e) => view! {
                <div class="notice notice--error" role="alert">
                    <p>{t.get().client_error(&e)}</p>
                </div>
            }
            .into_any(),
        })
    }
}
