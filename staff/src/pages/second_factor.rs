//! Setting up the second factor: a secret for an authenticator app (scanned from a QR
//! code or typed in), confirmed with a code from it. Admins must; anyone may.

use leptos::prelude::*;
use model::SecondFactorSetup;
use quality_month_web::components::{PageHeading, QrPass, SendButton, TextField};

use super::Refusal;
use crate::api;
use crate::app::Session;
use crate::i18n::use_staff_texts;

#[component]
pub fn SecondFactor() -> impl IntoView {
    let t = use_staff_texts();
    let session = expect_context::<Session>();
    Effect::new(move |_| {
        quality_month_web::prefs::set_title(t.get().second_factor_title, t.get().app_name)
    });
    let me = session.me();
    let on = me.as_ref().is_some_and(|m| m.totp_enabled);
    let admin = me.as_ref().is_some_and(|m| m.grant.is_admin());
    let start = Action::new_local(|_: &()| api::start_second_factor());
    let start_refusal = Signal::derive(move || match start.value().get() {
        Some(Err(e)) => Some(e),
        _ => None,
    });
    view! {
        <PageHeading>{move || t.get().second_factor_title}</PageHeading>
        {(admin && !on).then(|| view! { <p class="notice notice--warning">{move || t.get().second_factor_admin}</p> })}
        <p>{move || t.get().second_factor_intro}</p>
        {if on {
            view! { <p class="notice notice--saved">{move || t.get().second_factor_on}</p> }.into_any()
        } else {
            view! {
                {move || match start.value().get() {
                    Some(Ok(setup)) => view! { <Confirm setup /> }.into_any(),
                    _ => view! {
                        <Refusal error=start_refusal />
                        <button type="button" class="button" aria-disabled=move || start.pending().get().to_string()
                            on:click=move |_| { start.dispatch_local(()); }>
                            {move || t.get().second_factor_start}
                        </button>
                    }.into_any(),
                }}
            }.into_any()
        }}
    }
}

#[component]
fn Confirm(setup: SecondFactorSetup) -> impl IntoView {
    let t = use_staff_texts();
    let session = expect_context::<Session>();
    let otp = RwSignal::new(String::new());
    let confirm = Action::new_local(move |otp: &String| api::confirm_second_factor(otp.clone()));
    let pending = confirm.pending();
    let done = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(Ok(())) = confirm.value().get() {
            done.set(true);
        }
    });
    let wrong = Signal::derive(move || match confirm.value().get() {
        Some(Err(e)) if e.code() == Some(model::ErrorCode::Validation) => {
            Some(t.get().err_otp_invalid)
        }
        _ => None,
    });
    let refusal = Signal::derive(move || match confirm.value().get() {
        Some(Err(e)) if !pending.get() && wrong.get().is_none() => Some(e),
        _ => None,
    });
    // Groups of four, as authenticator apps print keys.
    let grouped: String = setup
        .secret
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    view! {
        {move || if done.get() {
            view! {
                <p class="notice notice--saved" role="status">{move || t.get().second_factor_done}</p>
                <button type="button" class="button" on:click=move |_| session.0.set(Some(None))>
                    {move || t.get().log_in}
                </button>
            }.into_any()
        } else {
            let grouped = grouped.clone();
            let url = setup.otpauth_url.clone();
            view! {
                <p>{move || t.get().second_factor_qr}</p>
                <QrPass code=url label=Signal::derive(move || t.get().second_factor_qr.to_string()) />
                <p>{move || t.get().second_factor_secret} "：" <code class="code" data-secret=setup.secret.clone()>{grouped}</code></p>
                <form class="form" on:submit=move |ev| {
                    ev.prevent_default();
                    if !pending.get_untracked() { confirm.dispatch_local(otp.get_untracked()); }
                }>
                    <TextField id="confirm-otp" label=Signal::derive(move || t.get().field_otp)
                        hint=Signal::derive(move || t.get().field_otp_hint) error=wrong
                        value=otp autocomplete="one-time-code" inputmode="numeric" maxlength=6 />
                    <Refusal error=refusal />
                    <SendButton pending label=Signal::derive(move || t.get().second_factor_confirm) />
                </form>
            }.into_any()
        }}
    }
}
