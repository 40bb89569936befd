use leptos::prelude::*;

use crate::app::paths;
use crate::i18n::{Texts, use_texts};
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

/// What became of a write that did not end while the person waited: kept on the phone,
/// or refused by the server and why.
#[component]
pub fn DeliveryProblem(problem: Signal<Option<Undelivered>>) -> impl IntoView {
    let t = use_texts();
    move || {
        problem.get().map(|p| match p {
            Undelivered::Kept => view! { <SavedOnPhone /> }.into_any(),
            Undelivered::Refused(e) => view! {
                <div class="notice notice--error" role="alert">
                    <p>{t.get().client_error(&e)}</p>
                </div>
            }
            .into_any(),
        })
    }
}
