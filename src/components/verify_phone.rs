use gloo_timers::callback::Interval;
use leptos::prelude::*;
use model::PhoneNumber;
use model::verification::{CodeSent, OneTimeCode};

use super::TextField;
use crate::api::{self, ClientError};
use crate::i18n::{ClientErrorText, use_texts};

/// "Check your phone" (GOV.UK's pattern), in the flow of the first write that names a
/// phone on this device: a code is texted at once; typing it gets the phone's token,
/// kept on the device, and then `on_verified` sends the write again. Another code after
/// 60 s; a way back to change the number. Never again on this device for this phone.
#[component]
pub fn VerifyPhone(
    /// The phone the write names.
    phone: PhoneNumber,
    /// Called once the device holds the phone's token.
    on_verified: Callback<()>,
    /// Back to the answers, to give another number.
    #[prop(optional)]
    on_change_number: Option<Callback<()>>,
) -> impl IntoView {
    let t = use_texts();
    let phone = StoredValue::new(phone);
    let code = RwSignal::new(String::new());
    // What the phone itself finds wrong with the typed code, until the next try.
    let typed_error = RwSignal::new(None::<&'static str>);
    let wait = RwSignal::new(0u32);
    let ticking = StoredValue::new_local(None::<Interval>);

    let send = Action::new_local(move |_: &()| async move {
        let sent = api::request_code(&phone.get_value()).await;
        if let Ok(CodeSent {
            resend_after_secs, ..
        }) = &sent
        {
            wait.set(*resend_after_secs);
            ticking.set_value(Some(Interval::new(1_000, move || {
                wait.update(|w| *w = w.saturating_sub(1));
            })));
        }
        sent
    });
    send.dispatch_local(());
    let demo_code = Memo::new(move |_| match send.value().get() {
        Some(Ok(sent)) => sent.demo_code,
        _ => None,
    });
    let send_failed = Memo::new(move |_| match send.value().get() {
        Some(Err(e)) => Some(e),
        _ => None,
    });

    let confirm = Action::new_local(move |typed: &String| {
        let typed = typed.clone();
        async move { api::confirm_code(&phone.get_value(), &typed).await }
    });
    let confirm_failed = Memo::new(move |_| match confirm.value().get() {
        Some(Err(e)) if !confirm.pending().get() => Some(e),
        _ => None,
    });
    Effect::new(move |_| {
        if let Some(Ok(())) = confirm.value().get() {
            on_verified.run(());
        }
    });
    let field_error = Signal::derive(move || {
        typed_error.get().or_else(|| match confirm_failed.get() {
            Some(ClientError::Api { error, .. }) if error.fields.contains_key("code") => {
                Some(t.get().verify.wrong_code)
            }
            _ => None,
        })
    });
    let pending = confirm.pending();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        let verify = t.get_untracked().verify;
        match OneTimeCode::parse(&code.get_untracked()) {
            Ok(valid) => {
                typed_error.set(None);
                confirm.dispatch_local(valid.as_str().to_string());
            }
            Err(model::FieldError::Required) => typed_error.set(Some(verify.code_required)),
            Err(_) => typed_error.set(Some(verify.wrong_code)),
        }
    };

    view! {
        <section class="verify" aria-labelledby="verify-title">
            <h2 id="verify-title" tabindex="-1">{move || t.get().verify.title}</h2>
            <p>{move || (t.get().verify.sent_to)(&phone.with_value(|p| p.masked()))}</p>
            <p class="facts__note">{move || t.get().verify.once_per_phone}</p>
            {move || demo_code.get().map(|c| view! {
                <p class="notice notice--warning" role="note">{(t.get().verify.demo)(&c)}</p>
            })}
            {move || send_failed.get().map(|e| view! {
                <div class="notice notice--error" role="alert"><p>{t.get().client_error(&e)}</p></div>
            })}
            {move || confirm_failed.get().filter(|_| field_error.get().is_none()).map(|e| view! {
                <div class="notice notice--error" role="alert"><p>{t.get().client_error(&e)}</p></div>
            })}
            <form on:submit=on_submit novalidate>
                <TextField
                    id="verify-code"
                    label=Signal::derive(move || t.get().verify.code_label)
                    hint=Signal::derive(move || t.get().verify.code_hint)
                    error=field_error
                    value=code
                    autocomplete="one-time-code"
                    inputmode="numeric"
                    maxlength=8
                />
                <button type="submit" class="button button--block" aria-disabled=move || pending.get().to_string()>
                    {move || if pending.get() { t.get().verify.confirming } else { t.get().verify.confirm }}
                </button>
            </form>
            <p>
                {move || if wait.get() > 0 {
                    view! { <span class="facts__note" role="status">{(t.get().verify.resend_in)(wait.get())}</span> }.into_any()
                } else {
                    view! {
                        <button type="button" class="button button--secondary"
                            on:click=move |_| { send.dispatch_local(()); }>
                            {t.get().verify.resend}
                        </button>
                    }.into_any()
                }}
            </p>
            {on_change_number.map(|change| view! {
                <p>
                    <button type="button" class="link-button" on:click=move |_| change.run(())>
                        {move || t.get().verify.change_number}
                    </button>
                </p>
            })}
        </section>
    }
}
