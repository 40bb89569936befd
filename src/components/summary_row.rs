use leptos::prelude::*;

use crate::i18n::texts_now;

/// One answer on the check page, with a button to go back and change it. Drawn afresh by
/// its page on a change of language, so its words are plain text.
#[component]
pub fn SummaryRow(
    #[prop(into)] label: String,
    #[prop(into)] value: String,
    #[prop(optional)] on_change: Option<Callback<()>>,
) -> impl IntoView {
    let t = texts_now();
    view! {
        <div class="summary__row">
            <dt>{label.clone()}</dt>
            <dd>{value}</dd>
            {on_change.map(|cb| view! {
                <dd class="summary__action">
                    <button type="button" class="link-button" on:click=move |_| cb.run(())>
                        {t.change}
                        <span class="visually-hidden">{format!(" {label}")}</span>
                    </button>
                </dd>
            })}
        </div>
    }
}
