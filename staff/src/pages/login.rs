use leptos::prelude::*;
use model::LoginRequest;
use quality_month_web::components::{PageHeading, SendButton, TextField};

use super::Refusal;
use crate::api;
use crate::app::Session;
use crate::i18n::use_staff_texts;

/// The login form. The server answers a wrong login and a wrong password alike.
#[component]
pub fn Login() -> impl IntoView {
    let t = use_staff_texts();
    let session = expect_context::<Session>();
    let login = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let otp = RwSignal::new(String::new());
    // Asked for once the server says the password was right and the account has one.
    let asks_code = RwSignal::new(false);
    Effect::new(move |_| {
        quality_month_web::prefs::set_title(t.get().login_title, t.get().app_name)
    });
    let submit = Action::new_local(move |request: &LoginRequest| {
        let request = request.clone();
        async move {
            let me = api::log_in(&request).await?;
            session.0.set(Some(Some(me)));
            Ok::<(), quality_month_web::api::ClientError>(())
        }
    });
    let pending = submit.pending();
    Effect::new(move |_| {
        if let Some(Err(e)) = submit.value().get()
            && e.code() == Some(model::ErrorCode::SecondFactorRequired)
        {
            asks_code.set(true);
        }
    });
    let refusal = Signal::derive(move || match submit.value().get() {
        Some(Err(e))
            if !pending.get() && e.code() != Some(model::ErrorCode::SecondFactorRequired) =>
        {
            Some(e)
        }
        _ => None,
    });
    let no_error = Signal::derive(|| None);
    view! {
        <PageHeading>{move || t.get().login_title}</PageHeading>
        <p>{move || t.get().login_intro}</p>
        <form class="form" on:submit=move |ev| {
            ev.prevent_default();
            if !pending.get_untracked() {
                submit.dispatch_local(LoginRequest {
                    login: login.get_untracked(),
                    password: password.get_untracked(),
                    otp: asks_code.get_untracked().then(|| otp.get_untracked()),
                });
            }
        }>
            <TextField id="login" label=Signal::derive(move || t.get().field_login)
                hint=Signal::derive(move || t.get().field_login_hint) error=no_error
                value=login autocomplete="username" />
            <TextField id="password" label=Signal::derive(move || t.get().field_password)
                hint=Signal::derive(move || t.get().field_password_hint) error=no_error
                value=password input_type="password" autocomplete="current-password" maxlength=200 />
            {move || asks_code.get().then(|| view! {
                <TextField id="otp" label=Signal::derive(move || t.get().field_otp)
                    hint=Signal::derive(move || t.get().field_otp_hint) error=no_error
                    value=otp autocomplete="one-time-code" inputmode="numeric" maxlength=6 />
            })}
            <Refusal error=refusal />
            <SendButton pending label=Signal::derive(move || t.get().log_in) />
        </form>
    }
}
