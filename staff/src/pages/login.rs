use leptos::prelude::*;
use model::LoginRequest;
use quality_month_web::components::{PageHeading, TextField};

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
    Effect::new(move |_| {
        quality_month_web::prefs::set_title(t.get().login_title, t.get().app_name)
    });
    let submit = Action::new_local(move |request: &LoginRequest| {
        let request = request.clone();
        async move {
            let me = api::log_in(&request).await?;
            session.0.set(Some(Some(me)));
            Ok(())
        }
    });
    let pending = submit.pending();
    let refusal = Signal::derive(move || match submit.value().get() {
        Some(Err(e)) if !pending.get() => Some(e),
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
                    otp: None,
                });
            }
        }>
            <TextField id="login" label=Signal::derive(move || t.get().field_login)
                hint=Signal::derive(move || t.get().field_login_hint) error=no_error
                value=login autocomplete="username" />
            <TextField id="password" label=Signal::derive(move || t.get().field_password)
                hint=Signal::derive(move || t.get().field_password_hint) error=no_error
                value=password input_type="password" autocomplete="current-password" maxlength=200 />
            <Refusal error=refusal />
            <button type="submit" class="button button--block" aria-disabled=move || pending.get().to_string()>
                {move || if pending.get() { quality_month_web::i18n::texts(t.get().lang).sending } else { t.get().log_in }}
            </button>
        </form>
    }
}
