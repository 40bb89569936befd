//! Turning per-field errors into the shared error summary's problems.

use quality_month_web::components::FieldProblem;

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

/// A text field in both languages, as the forms edit it.
pub fn pair(l: &model::Localized) -> [leptos::prelude::RwSignal<String>; 2] {
    use leptos::prelude::RwSignal;
    [RwSignal::new(l.zh.clone()), RwSignal::new(l.en.clone())]
}

/// The two languages of a field as typed.
pub fn text(p: [leptos::prelude::RwSignal<String>; 2]) -> model::Localized {
    use leptos::prelude::GetUntracked;
    model::Localized {
        zh: p[0].get_untracked(),
        en: p[1].get_untracked(),
    }
}

/// A form's value once the model has checked it too: the problems the form found while
/// reading the fields (`found`) come first, the model's are added for the other fields.
pub fn checked<T>(
    value: T,
    mut found: model::FieldErrors,
    validated: Result<(), model::FieldErrors>,
) -> Result<T, model::FieldErrors> {
    if let Err(more) = validated {
        for (k, v) in more {
            found.entry(k).or_insert(v);
        }
    }
    if found.is_empty() {
        Ok(value)
    } else {
        Err(found)
    }
}
