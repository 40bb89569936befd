use leptos::prelude::*;

use crate::i18n::use_texts;
use crate::offline::Undelivered;

/// The one send button of every write, residents' and staff's: "正在提交…" while the
/// write is under way (a second tap sends nothing), and, for a write through the outbox,
/// gone once the write is kept on the phone (it is on its way) or waits for the phone's
/// code (the code form sends it). The refusal itself is said beside it, in place, by
/// [`super::DeliveryProblem`] (residents) or the staff app's refusal note.
#[component]
pub fn SendButton(
    /// Whether the write is under way.
    #[prop(into)]
    pending: Signal<bool>,
    /// What the button says while idle.
    #[prop(into)]
    label: Signal<&'static str>,
    /// Sends the write. `None`: the button submits its form (Enter in a field does too),
    /// whose handler sends, as the staff forms do.
    #[prop(optional)]
    on_send: Option<Callback<()>>,
    /// How the last try of an outbox write ended, if it did not.
    #[prop(optional, into)]
    failure: Option<Signal<Option<Undelivered>>>,
    #[prop(default = "button button--block")] class: &'static str,
) -> impl IntoView {
    let t = use_texts();
    let on_its_way = move || {
        failure.is_some_and(|f| match f.get() {
            Some(Undelivered::Kept) => true,
            Some(Undelivered::Refused(e)) => e.needs_verification(),
            None => false,
        })
    };
    move || {
        (!on_its_way()).then(|| {
            view! {
                <button type=if on_send.is_some() { "button" } else { "submit" } class=class
                    aria-disabled=move || pending.get().to_string()
                    on:click=move |_| if let Some(send) = on_send && !pending.get_untracked() { send.run(()) }>
                    {move || if pending.get() { t.get().sending } else { label.get() }}
                </button>
            }
        })
    }
}
