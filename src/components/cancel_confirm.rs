use leptos::prelude::*;

use super::{DeliveryProblem, SendButton, VerifyWith};
use crate::api::IdempotencyKey;
use crate::i18n::{Texts, use_texts};
use crate::mine::{Receipt, Saved};
use crate::offline::{Outbox, Undelivered};

/// Cancelling something kept on this phone (a sign-up, a booking): a button, then a
/// question with a button that really cancels, so a single tap never does. The cancel goes
/// through the outbox, whose answer replaces the kept receipt; a refusal, or the cancel
/// waiting on the phone for a connection, is said in place.
#[component]
pub fn CancelWithConfirm<R>(
    saved: Saved<R>,
    /// The first button.
    label: fn(&Texts) -> &'static str,
    /// What the confirmation asks.
    question: fn(&Texts) -> &'static str,
) -> impl IntoView
where
    R: Receipt,
{
    let t = use_texts();
    let outbox = expect_context::<Outbox>();
    let confirming = RwSignal::new(false);
    // Made once, for every retry of this one cancel.
    let key = StoredValue::new(IdempotencyKey::new());
    let question_id = format!("cancel-q-{}", saved.receipt.code());
    let saved = StoredValue::new(saved);
    let cancel = Action::new_local(move |_: &()| {
        let saved = saved.get_value();
        let write = saved.receipt.cancel(saved.phone.clone());
        outbox.deliver(write, saved.receipt.about(), key.get_value(), None)
    });
    let problem = Memo::new(move |_| match cancel.value().get() {
        Some(Err(e)) if !cancel.pending().get() => Some(e),
        _ => None,
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = cancel.value().get() {
            confirming.set(false);
        }
    });
    let pending = cancel.pending();
    view! {
        <DeliveryProblem problem=problem.into() verify=VerifyWith {
            phone: Signal::stored(saved.with_value(|s| Some(s.phone.clone()))),
            retry: Callback::new(move |()| { cancel.dispatch_local(()); }),
            change_number: None,
        } />
        {move || {
            let t = t.get();
            let verifying = matches!(problem.get(), Some(Undelivered::Refused(e)) if e.needs_verification());
            if problem.get() == Some(Undelivered::Kept) || verifying {
                // On its way: nothing more to press.
                ().into_any()
            } else if confirming.get() {
                view! {
                    <div class="confirm" role="group" aria-labelledby=question_id.clone()>
                        <p id=question_id.clone()>{question(t)}</p>
                        <SendButton pending label=t.cancel_yes class="button button--warning"
                            on_send=Callback::new(move |()| { cancel.dispatch_local(()); }) />
                        <button type="button" class="button button--secondary" on:click=move |_| confirming.set(false)>
                            {t.cancel_no}
                        </button>
                    </div>
                }
                .into_any()
            } else {
                view! {
                    <button type="button" class="button button--secondary" on:click=move |_| confirming.set(true)>
                        {label(t)}
                    </button>
                }
                .into_any()
            }
        }}
    }
}
