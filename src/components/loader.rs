use leptos::prelude::*;
use std::future::Future;

use super::{LoadError, OfflineNote};
use crate::api::{ClientError, Loaded};
use crate::i18n::{Texts, use_texts};

/// Loads something from the API and shows it through `render`; while loading, a note; on
/// failure, what went wrong and a way to try again. Offline, the copy kept on the phone is
/// shown under a note saying how old it is.
#[component]
pub fn Loader<T, Fut, Fetch, F, V>(
    /// Starts the request; runs again when a signal it reads changes, or on retry.
    fetch: Fetch,
    /// What to show once the answer is here.
    render: F,
    /// Added to the offline note, for data that may have changed in a way that matters.
    #[prop(optional)]
    offline_warning: Option<fn(&Texts) -> &'static str>,
) -> impl IntoView
where
    T: Clone + 'static,
    Fut: Future<Output = Result<Loaded<T>, ClientError>> + 'static,
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
                {move || Suspend::new(async move {
                    data.await.map(|loaded| view! {
                        {loaded.kept_since.map(|kept_since| view! { <OfflineNote kept_since warning=offline_warning /> })}
                        {render(loaded.value)}
                    })
                })}
            </ErrorBoundary>
        </Transition>
    }
}
