use leptos::prelude::*;
use std::future::Future;

use super::LoadError;
use crate::api::ClientError;
use crate::i18n::use_texts;

/// Loads something from the API and shows it through `render`; while loading, a note; on
/// failure, what went wrong and a way to try again.
#[component]
pub fn Loader<T, Fut, Fetch, F, V>(
    /// Starts the request; runs again when a signal it reads changes, or on retry.
    fetch: Fetch,
    /// What to show once the answer is here.
    render: F,
) -> impl IntoView
where
    T: Clone + 'static,
    Fut: Future<Output = Result<T, ClientError>> + 'static,
    Fetch: Fn() -> Fut + 'static,
    F: Fn(T) -> V + Copy + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let t = use_texts();
    let data = LocalResource::new(fetch);
    let retry = Callback::new(move |_| data.refetch());
    view! {
        <Transition fallback=move || view! { <p class="loading">{t.get().loading}</p> }>
            <ErrorBoundary fallback=move |errors| view! { <LoadError errors retry /> }>
                {move || Suspend::new(async move { data.await.map(render) })}
            </ErrorBoundary>
        </Transition>
    }
}
