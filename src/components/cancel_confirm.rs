use leptos::prelude::*;
use model::{PhoneNumber, RegistrationCode};
use std::future::Future;

use crate::api::{ClientError, IdempotencyKey};
use crate::i18n::{Texts, use_texts};
use crate::mine::{MyList, Receipt, Saved};

/// Cancelling something kept on this phone (a sign-up, a booking): a button, then a
/// question with a button that really cancels, so a single tap never does. The answer
/// replaces the kept receipt; a failure is said in place.
#[component]
pub fn CancelWithConfirm<R, Fut>(
    saved: Saved<R>,
    /// Sends the cancel; its key is made once, for every retry of this one cancel.
    send: fn(RegistrationCode, PhoneNumber, IdempotencyKey) -> Fut,
    /// The first button.
    label: fn(&Texts) -> &'static str,
    /// What the confirmation asks.
    question: fn(&Texts) -> &'static str,
) -> impl IntoView
where
    R: Receipt,
    Fut: Future<Output = Result<R, ClientError>> + 'static,
{
    let t = use_texts();
    let mine = expect_context::<MyList<R>>();
    let confirming = RwSignal::new(false);
    let key = StoredValue::new(IdempotencyKey::new());
    let question_id = format!("cancel-q-{}", saved.receipt.code());
    let saved = StoredValue::new(saved);
    let cancel = Action::new_local(move |_: &()| {
        let saved = saved.get_value();
        let key = key.get_value();
        async move {
            let phone = saved.phone().ok_or(ClientError::Decode)?;
            send(saved.receipt.code().clone(), phone.clone(), key)
                .await
                .map(|r| (phone, r))
        }
    });
    let failure = Memo::new(move |_| match cancel.value().get() {
        Some(Err(e)) if !cancel.pending().get() => Some(e),
        _ => None,
    });
    Effect::new(move |_| {
        if let Some(Ok((phone, receipt))) = cancel.value().get() {
            confirming.set(false);
            mine.save(&phone, receipt);
        }
    });
    let pending = cancel.pending();
    view! {
        {move || failure.get().map(|e| view! { <p class="notice notice--error" role="alert">{t.get().client_error(&e)}</p> })}
        {move || {
            let t = t.get();
            if confirming.get() {
                view! {
                    <div class="confirm" role="group" aria-labelledby=question_id.clone()>
                        <p id=question_id.clone()>{question(t)}</p>
                        <button type="button" class="button button--warning" aria-disabled=move || pending.get().to_string()
                            on:click=move |_| if !pending.get_untracked() { cancel.dispatch_local(()); }>
                            {move || if pending.get() { t.sending } else { t.cancel_yes }}
                        </button>
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
