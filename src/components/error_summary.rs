use leptos::html;
use leptos::prelude::*;

use crate::i18n::use_texts;

/// One problem to list: the id of the field it concerns and what to do.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldProblem {
    pub field_id: &'static str,
    pub message: &'static str,
}

/// The GOV.UK-style error summary: announced, focused when it appears, each problem a
/// link that moves focus to its field.
#[component]
pub fn ErrorSummary(
    /// The problems; the summary is shown when there is at least one.
    problems: Signal<Vec<FieldProblem>>,
) -> impl IntoView {
    let t = use_texts();
    let summary = NodeRef::<html::Div>::new();
    Effect::new(move |_| {
        if !problems.read().is_empty()
            && let Some(el) = summary.get()
        {
            let _ = el.focus();
        }
    });
    move || {
        let list = problems.get();
        (!list.is_empty()).then(|| {
            view! {
                <div class="error-summary" role="alert" tabindex="-1" node_ref=summary aria-labelledby="error-summary-title">
                    <h2 id="error-summary-title" class="error-summary__title">{t.get().error_summary_title}</h2>
                    <ul class="error-summary__list">
                        {list
                            .into_iter()
                            .map(|p| {
                                let href = format!("#{}", p.field_id);
                                view! {
                                    <li>
                                        <a
                                            href=href
                                            on:click=move |ev| {
                                                ev.prevent_default();
                                                if let Some(el) = document().get_element_by_id(p.field_id) {
                                                    use wasm_bindgen::JsCast;
                                                    if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                                                        let _ = el.focus();
                                                    }
                                                }
                                            }
                                        >
                                            {p.message}
                                        </a>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                </div>
            }
        })
    }
}

/// The problems of a form in the order of its fields: `fields` pairs each API field name
/// with its input's id; `message` words each problem.
pub fn problems_in_order(
    errors: &model::FieldErrors,
    fields: &[(&str, &'static str)],
    message: impl Fn(&str, model::FieldError) -> &'static str,
) -> Vec<FieldProblem> {
    fields
        .iter()
        .filter_map(|(field, id)| {
            errors.get(*field).map(|&e| FieldProblem {
                field_id: id,
                message: message(field, e),
            })
        })
        .collect()
}
