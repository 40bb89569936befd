//! Form pieces the staff forms need beyond the residents' text field.

use leptos::prelude::*;
use quality_month_web::components::FieldProblem;

/// A labelled `<select>`; options are (value, label) pairs.
#[component]
pub fn SelectField(
    id: &'static str,
    #[prop(into)] label: Signal<&'static str>,
    value: RwSignal<String>,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label class="field__label" for=id>{label}</label>
            <select class="field__input" id=id name=id
                on:change:target=move |ev| value.set(ev.target().value())
                prop:value=move || value.get()>
                {move || options.get().into_iter().map(|(v, l)| {
                    let selected = v == value.get_untracked();
                    view! { <option value=v selected=selected>{l}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

/// The server's (or the model's) per-field errors as the error summary lists them, in
/// the order of `fields` (field name → input id).
pub fn problems(
    errors: &model::FieldErrors,
    fields: &[(&str, &'static str)],
    message: impl Fn(model::FieldError) -> &'static str,
) -> Vec<FieldProblem> {
    fields
        .iter()
        .filter_map(|(name, id)| {
            errors.get(*name).map(|e| FieldProblem {
                field_id: id,
                message: message(*e),
            })
        })
        .collect()
}
