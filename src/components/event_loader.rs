use leptos::prelude::*;
use model::EventDetail;

use super::LoadError;
use crate::api;
use crate::i18n::use_texts;

/// Loads one event and shows it through `render`; while loading, a note; on failure,
/// what went wrong and a way to try again.
#[component]
pub fn EventLoader<F, V>(
    /// The event's id.
    id: Memo<i64>,
    /// What to show once the event is here.
    render: F,
) -> impl IntoView
where
    F: Fn(EventDetail) -> V + Copy + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let t = use_texts();
    let event = LocalResource::new(move || {
        let id = id.get();
        async move { api::event(id).await }
    });
    let retry = Callback::new(move |_| event.refetch());
    view! {
        <Transition fallback=move || view! { <p class="loading">{t.get().loading}</p> }>
            <ErrorBoundary fallback=move |errors| view! { <LoadError errors retry /> }>
                {move || Suspend::new(async move { event.await.map(render) })}
            </ErrorBoundary>
        </Transition>
    }
}
