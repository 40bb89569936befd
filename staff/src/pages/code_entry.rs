//! How a code reaches the door's check-in: the phone's camera reading the pass's QR code,
//! or the code typed. Events and 预看房 visits share it; each says what a code does.

use leptos::prelude::*;
use quality_month_web::components::{SendButton, TextField};

use crate::i18n::use_staff_texts;
use crate::scanner::Scanner;

#[component]
pub(crate) fn CodeEntry(
    /// Whether a check-in is under way (the typed code waits for it).
    #[prop(into)]
    pending: Signal<bool>,
    /// Called with each code scanned or typed.
    on_code: Callback<String>,
) -> impl IntoView {
    let t = use_staff_texts();
    let code = RwSignal::new(String::new());
    let scanning = RwSignal::new(false);
    let camera_failed = RwSignal::new(false);
    let scanned = Callback::new(move |read: String| {
        code.set(read.clone());
        on_code.run(read);
    });
    let on_error = Callback::new(move |()| {
        camera_failed.set(true);
        scanning.set(false);
    });
    view! {
        <p>
            <button type="button" class="button button--block" aria-pressed=move || scanning.get().to_string()
                on:click=move |_| { camera_failed.set(false); scanning.update(|s| *s = !*s); }>
                {move || if scanning.get() { t.get().scan_stop } else { t.get().scan }}
            </button>
        </p>
        {move || camera_failed.get().then(|| view! { <p class="notice notice--warning" role="alert">{move || t.get().camera_unavailable}</p> })}
        {move || scanning.get().then(|| view! {
            <p class="field__hint">{move || t.get().scan_hint}</p>
            <Scanner on_code=scanned on_error />
        })}
        <form class="form" on:submit=move |ev| {
            ev.prevent_default();
            if !pending.get_untracked() && !code.get_untracked().trim().is_empty() {
                on_code.run(code.get_untracked());
            }
        }>
            <TextField id="code" label=Signal::derive(move || t.get().field_code)
                hint=Signal::derive(move || t.get().field_code_hint) error=Signal::derive(|| None) value=code
                maxlength=12 autocomplete="off" />
            <SendButton pending label=Signal::derive(move || t.get().check_in) />
        </form>
    }
}
