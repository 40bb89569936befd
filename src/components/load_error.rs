use leptos::prelude::*;

use crate::api::ClientError;
use crate::i18n::{ClientErrorText, use_texts};

/// What an error boundary shows: what went wrong, in words, and a way to try again.
#[component]
pub fn LoadError(
    /// The errors the boundary caught.
    errors: ArcRwSignal<Errors>,
    /// Runs when the person asks to try again.
    retry: Callback<()>,
) -> impl IntoView {
    let t = use_texts();
    let message = move || {
        let t = t.get();
        errors.with(|errors| {
            errors
                .iter()
                .next()
                .map(|(_, e)| {
                    e.downcast_ref::<ClientError>()
                        .map_or(t.err_server, |e| t.client_error(e))
                })
                .unwrap_or(t.err_server)
        })
    };
    view! {
        <div class="notice notice--error" role="alert">
            <h2 class="notice__title">{move || t.get().error_title}</h2>
            <p>{message}</p>
            <button type="button" class="button button--secondary" on:click=move |_| retry.run(())>
                {move || t.get().retry}
            </button>
        </div>
    }
}
