use leptos::prelude::*;

use super::text_field::described_by;
use crate::i18n::use_texts;

/// A group of choices with a legend, a hint and an error, tied to the group by
/// `aria-describedby`, in the pattern of [`super::TextField`].
#[component]
pub fn ChoiceFieldset(
    /// Prefix of the ids inside: `{id}-hint`, `{id}-error`, and each choice's `{id}-{value}`.
    id: &'static str,
    #[prop(into)] label: Signal<&'static str>,
    #[prop(into)] hint: Signal<&'static str>,
    #[prop(into)] error: Signal<Option<&'static str>>,
    children: Children,
) -> impl IntoView {
    let t = use_texts();
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described_by = described_by(hint_id.clone(), error_id.clone(), error);
    view! {
        <div class="field" class:field--error=move || error.get().is_some()>
            <fieldset class="fieldset" aria-describedby=described_by>
                <legend class="field__label">{label}</legend>
                <p class="field__hint" id=hint_id>{hint}</p>
                {move || error.get().map(|m| view! {
                    <p class="field__error" id=error_id.clone()>
                        <span class="visually-hidden">{t.get().error_prefix}</span>{m}
                    </p>
                })}
                {children()}
            </fieldset>
        </div>
    }
}

/// One radio button and its label; `selected` holds the value of the chosen one.
#[component]
pub fn RadioChoice(
    /// The group's name.
    name: &'static str,
    id: String,
    value: String,
    #[prop(into)] label: Signal<String>,
    selected: RwSignal<String>,
    /// Shown, but cannot be chosen (a full slot).
    #[prop(optional)]
    disabled: bool,
) -> impl IntoView {
    let checked = {
        let value = value.clone();
        move || selected.get() == value
    };
    view! {
        <div class="choice" class:choice--disabled=disabled>
            <input
                type="radio"
                class="choice__input"
                name=name
                id=id.clone()
                value=value.clone()
                disabled=disabled
                prop:checked=checked
                on:change=move |_| selected.set(value.clone())
            />
            <label class="choice__label" for=id>{label}</label>
        </div>
    }
}
