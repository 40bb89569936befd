use leptos::either::Either;
use leptos::prelude::*;

use crate::i18n::use_texts;

/// A labelled text input with a hint and an error message, both tied to it by
/// `aria-describedby`.
#[component]
pub fn TextField(
    /// The input's id; the hint and error ids derive from it.
    id: &'static str,
    /// The visible label.
    #[prop(into)]
    label: Signal<&'static str>,
    /// Help shown under the label.
    #[prop(into)]
    hint: Signal<&'static str>,
    /// The current error, if any.
    #[prop(into)]
    error: Signal<Option<&'static str>>,
    /// The text typed.
    value: RwSignal<String>,
    /// `text`, `tel`, …
    #[prop(default = "text")]
    input_type: &'static str,
    /// Autocomplete token, e.g. `name`, `tel`.
    #[prop(default = "off")]
    autocomplete: &'static str,
    /// Keyboard to show on phones.
    #[prop(default = "text")]
    inputmode: &'static str,
    /// Longest input accepted by the field.
    #[prop(default = 40)]
    maxlength: u32,
    /// Makes it a multi-line `<textarea>` of this many rows.
    #[prop(optional)]
    rows: Option<u32>,
) -> impl IntoView {
    let t = use_texts();
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described_by = described_by(hint_id.clone(), error_id.clone(), error);
    let invalid = move || {
        if error.get().is_some() {
            "true"
        } else {
            "false"
        }
    };
    view! {
        <div class="field" class:field--error=move || error.get().is_some()>
            <label class="field__label" for=id>{label}</label>
            <p class="field__hint" id=hint_id>{hint}</p>
            {move || {
                error
                    .get()
                    .map(|message| {
                        view! {
                            <p class="field__error" id=error_id.clone()>
                                <span class="visually-hidden">{t.get().error_prefix}</span>
                                {message}
                            </p>
                        }
                    })
            }}
            {match rows {
                None => Either::Left(view! {
                    <input
                        class="field__input"
                        id=id
                        name=id
                        type=input_type
                        autocomplete=autocomplete
                        inputmode=inputmode
                        maxlength=maxlength
                        aria-describedby=described_by
                        aria-invalid=invalid
                        prop:value=move || value.get()
                        on:input:target=move |ev| value.set(ev.target().value())
                    />
                }),
                Some(rows) => Either::Right(view! {
                    <textarea
                        class="field__input field__input--multiline"
                        id=id
                        name=id
                        rows=rows
                        maxlength=maxlength
                        aria-describedby=described_by
                        aria-invalid=invalid
                        prop:value=move || value.get()
                        on:input:target=move |ev| value.set(ev.target().value())
                    ></textarea>
                }),
            }}
        </div>
    }
}

/// `aria-describedby` of a field: its hint, and its error while there is one.
pub(super) fn described_by(
    hint_id: String,
    error_id: String,
    error: Signal<Option<&'static str>>,
) -> impl Fn() -> String + Clone + Send + Sync + 'static {
    move || {
        if error.get().is_some() {
            format!("{hint_id} {error_id}")
        } else {
            hint_id.clone()
        }
    }
}
