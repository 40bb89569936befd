//! Typing in paper questionnaires, keyboard only: one question at a time, the option's
//! number and Enter, Esc to go back, a last look, Enter to save, and the next form
//! starts at once. The same skip logic as on the phone; the server checks the whole form
//! as it checks online answers.

use leptos::prelude::*;
use model::survey::{
    AnswerValue, Answers, DONT_KNOW, NewResponse, Question, QuestionKind, SurveyDefinition, check,
};
use model::survey_wave::StaffWave;
use quality_month_web::api::IdempotencyKey;
use quality_month_web::components::{Loader, PageHeading};
use quality_month_web::i18n::{Texts, texts};
use quality_month_web::survey_draft::{answer_text, next_question, previous_question};

use crate::api;
use crate::app::paths;
use crate::i18n::use_staff_texts;
use crate::pages::{Refusal, failure_of, focus_after_render, fresh, path_id};

#[component]
pub fn PaperEntry() -> impl IntoView {
    let t = use_staff_texts();
    let id = path_id();
    Effect::new(move |_| {
        quality_month_web::prefs::set_title(t.get().surveys.paper_title, t.get().app_name)
    });
    view! {
        <Loader fetch=move || fresh(api::wave(id.get().unwrap_or_default()))
            render={|w: StaffWave| view! { <Entry wave=w /> }} />
    }
}

/// The numbered choices of a question as the form prints them: (number typed, value,
/// label). A 5-point scale is 1–5 and 6 for 不了解; a 0–10 rating is typed as the score.
fn numbered(q: &Question, t: &Texts) -> Vec<(String, String, String)> {
    let options = |list: &[model::survey::Choice]| {
        list.iter()
            .enumerate()
            .map(|(i, o)| {
                (
                    (i + 1).to_string(),
                    o.value.clone(),
                    o.label.get(t.lang).to_string(),
                )
            })
            .collect()
    };
    match &q.kind {
        QuestionKind::Single { options: list } | QuestionKind::Multiple { options: list, .. } => {
            options(list)
        }
        QuestionKind::Scale5 => (1..=5)
            .map(|n| {
                (
                    n.to_string(),
                    n.to_string(),
                    t.survey.scale[n - 1].to_string(),
                )
            })
            .chain([("6".into(), DONT_KNOW.into(), t.survey.dont_know.to_string())])
            .collect(),
        QuestionKind::Rating10 | QuestionKind::Text { .. } => Vec::new(),
    }
}

/// What was typed, as an answer: `Ok(None)` for nothing, `Err` for a number not on the
/// form.
fn read_typed(q: &Question, typed: &str, t: &Texts) -> Result<Option<AnswerValue>, ()> {
    let typed = typed.trim();
    if typed.is_empty() {
        return Ok(None);
    }
    let value_of = |n: &str| {
        numbered(q, t)
            .into_iter()
            .find(|(number, _, _)| number == n)
            .map(|(_, value, _)| value)
            .ok_or(())
    };
    Ok(Some(match &q.kind {
        QuestionKind::Text { .. } => AnswerValue::Text(typed.to_string()),
        QuestionKind::Rating10 => AnswerValue::Number(typed.parse().map_err(|_| ())?),
        QuestionKind::Scale5 => match value_of(typed)?.as_str() {
            DONT_KNOW => AnswerValue::Text(DONT_KNOW.into()),
            n => AnswerValue::Number(n.parse().map_err(|_| ())?),
        },
        QuestionKind::Single { .. } => AnswerValue::Text(value_of(typed)?),
        QuestionKind::Multiple { .. } => AnswerValue::Many(
            typed
                .split(|c: char| c.is_whitespace() || c == ',' || c == '，')
                .filter(|s| !s.is_empty())
                .map(value_of)
                .collect::<Result<_, _>>()?,
        ),
    }))
}

/// The answer as typed on the form again (to change it after Esc).
fn as_typed(q: &Question, v: Option<&AnswerValue>, t: &Texts) -> String {
    let number_of = |value: &str| {
        numbered(q, t)
            .into_iter()
            .find(|(_, v, _)| v == value)
            .map_or_else(|| value.to_string(), |(n, _, _)| n)
    };
    match (&q.kind, v) {
        (_, None) => String::new(),
        (QuestionKind::Text { .. } | QuestionKind::Rating10, v) => answer_text(v),
        (_, Some(AnswerValue::Many(vs))) => vs
            .iter()
            .map(|v| number_of(v))
            .collect::<Vec<_>>()
            .join(" "),
        (_, Some(v)) => number_of(&answer_text(Some(v))),
    }
}

/// Where the entry is: a question (by id) or the last look before saving.
#[derive(Clone, PartialEq)]
enum Step {
    Question(String),
    Review,
}

fn first(definition: &SurveyDefinition) -> Step {
    definition
        .questions
        .first()
        .map_or(Step::Review, |q| Step::Question(q.id.clone()))
}

#[component]
fn Entry(wave: StaffWave) -> impl IntoView {
    let t = use_staff_texts();
    let id = wave.id;
    let open = wave.status.takes_paper();
    let version = wave.definition.version;
    let definition = StoredValue::new(wave.definition.clone());
    let answers = RwSignal::new(Answers::new());
    let step = RwSignal::new(definition.with_value(first));
    let typed = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<&'static str>);
    let entered = RwSignal::new(0u32);
    // One key per form: a retry after a lost answer does not count the form twice.
    let key = RwSignal::new(IdempotencyKey::new());
    let save = Action::new_local(move |response: &NewResponse| {
        let (response, key) = (response.clone(), key.get_untracked());
        async move { api::enter_paper(id, &response, &key).await }
    });
    let failure = failure_of(save);
    let receipt = Memo::new(move |_| match save.value().get() {
        Some(Ok(r)) => Some(r.reference),
        _ => None,
    });
    // A saved form: count it and start the next at its first question.
    Effect::new(move |_| {
        if receipt.get().is_some() {
            key.set(IdempotencyKey::new());
            entered.update(|n| *n += 1);
            answers.set(Answers::new());
            typed.set(String::new());
            step.set(definition.with_value(first));
        }
    });
    // Keyboard only: the answer field (or the save button) always has the focus.
    Effect::new(move |_| {
        focus_after_render(match step.get() {
            Step::Question(_) => "paper-answer",
            Step::Review => "paper-save",
        })
    });
    let go_back = move || {
        let at = step.get_untracked();
        let previous = definition.with_value(|d| {
            answers.with_untracked(|a| match &at {
                Step::Question(q) => previous_question(d, a, q).cloned(),
                Step::Review => d.shown(a).last().cloned(),
            })
        });
        if let Some(q) = previous {
            let rt = texts(t.get_untracked().lang);
            typed.set(answers.with_untracked(|a| as_typed(&q, a.get(&q.id), rt)));
            problem.set(None);
            step.set(Step::Question(q.id));
        }
    };
    let on_enter = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Step::Question(qid) = step.get_untracked() else {
            return;
        };
        let Some(q) = definition.with_value(|d| d.question(&qid).cloned()) else {
            return;
        };
        let st = t.get_untracked().surveys;
        let rt = texts(t.get_untracked().lang);
        let value = match read_typed(&q, &typed.get_untracked(), rt) {
            Err(()) => {
                problem.set(Some(st.bad_number));
                return;
            }
            Ok(v) => v,
        };
        let refused = match &value {
            None if q.required => Some(rt.survey.answer_required),
            None => None,
            Some(v) => check(&q, v).err().map(|_| st.bad_number),
        };
        if refused.is_some() {
            problem.set(refused);
            return;
        }
        problem.set(None);
        answers.update(|a| {
            match value {
                Some(v) => a.insert(q.id.clone(), v),
                None => a.remove(&q.id),
            };
        });
        let next = definition
            .with_value(|d| answers.with_untracked(|a| next_question(d, a, &q.id).cloned()));
        match next {
            Some(n) => {
                typed.set(answers.with_untracked(|a| as_typed(&n, a.get(&n.id), rt)));
                step.set(Step::Question(n.id));
            }
            None => step.set(Step::Review),
        }
    };
    let submit = move || {
        if save.pending().get_untracked() {
            return;
        }
        let shown: Answers = definition.with_value(|d| {
            answers.with_untracked(|a| {
                a.iter()
                    .filter(|(id, _)| d.question(id).is_some_and(|q| d.is_shown(q, a)))
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect()
            })
        });
        save.dispatch_local(NewResponse {
            version,
            town: answer_text(shown.get("town")),
            answers: shown,
            phone: None,
        });
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.prevent_default();
            go_back();
        }
    };
    view! {
        <p class="back"><a href=paths::wave(id)>{move || super::name(t.get(), &wave)}</a></p>
        <PageHeading>{move || t.get().surveys.paper_title}</PageHeading>
        <p>{move || t.get().surveys.paper_intro}</p>
        {(!open).then(|| view! { <p class="notice">{move || t.get().surveys.paper_closed}</p> })}
        <p role="status">{move || receipt.get().map(|r| (t.get().surveys.paper_saved)(&r, entered.get()))}</p>
        <div class="paper" on:keydown=on_key>
            {move || match step.get() {
                Step::Question(qid) => {
                    let Some(q) = definition.with_value(|d| d.question(&qid).cloned()) else {
                        return ().into_any();
                    };
                    let st = t.get().surveys;
                    let rt = texts(t.get().lang);
                    let (n, total) = definition.with_value(|d| answers.with_untracked(|a| {
                        let shown: Vec<_> = d.shown(a).map(|q| q.id.clone()).collect();
                        (shown.iter().position(|id| *id == qid).unwrap_or(0) + 1, shown.len())
                    }));
                    let hint = match &q.kind {
                        QuestionKind::Multiple { max, .. } => (st.hint_many)(*max),
                        QuestionKind::Rating10 => st.hint_rating.to_string(),
                        QuestionKind::Text { .. } => st.hint_text.to_string(),
                        _ => st.hint_choice.to_string(),
                    };
                    let optional = (!q.required).then_some(st.hint_optional);
                    view! {
                        <form class="form" novalidate on:submit=on_enter>
                            <p class="kicker">{(st.question_of)(n, total)}</p>
                            <label class="field__label paper__question" for="paper-answer">{q.text.get(rt.lang).to_string()}</label>
                            <ol class="paper__options">
                                {numbered(&q, rt).into_iter().map(|(number, _, label)| view! {
                                    <li><kbd>{number}</kbd>" "{label}</li>
                                }).collect_view()}
                            </ol>
                            <p class="field__hint" id="paper-hint">{hint}" "{optional}</p>
                            {move || problem.get().map(|m| view! { <p class="field__error" id="paper-error" role="alert">{m}</p> })}
                            <input class="field__input" id="paper-answer" autocomplete="off"
                                aria-describedby="paper-hint paper-error"
                                aria-invalid=move || problem.get().is_some().to_string()
                                prop:value=move || typed.get()
                                on:input:target=move |ev| typed.set(ev.target().value()) />
                        </form>
                    }.into_any()
                }
                Step::Review => {
                    let st = t.get().surveys;
                    let rt = texts(t.get().lang);
                    let rows = definition.with_value(|d| answers.with_untracked(|a| {
                        d.shown(a).map(|q| (q.text.get(rt.lang).to_string(), as_typed(q, a.get(&q.id), rt))).collect::<Vec<_>>()
                    }));
                    view! {
                        <h2>{st.review_title}</h2>
                        <p>{st.review_hint}</p>
                        <dl class="summary">
                            {rows.into_iter().map(|(q, a)| view! {
                                <div class="summary__row"><dt>{q}</dt><dd>{a}</dd></div>
                            }).collect_view()}
                        </dl>
                        // Never disabled: the focus stays here for Enter and Esc, and
                        // submit() ignores a second press while the first is on its way.
                        <button type="button" class="button" id="paper-save"
                            aria-busy=move || save.pending().get().to_string()
                            on:click=move |_| submit()>{st.save_paper}</button>
                    }.into_any()
                }
            }}
        </div>
        <Refusal error=failure.refusal />
        {move || {
            // The server refused the form: each problem with the question it is about.
            let fields = failure.fields.get();
            (!fields.is_empty()).then(|| {
                let t = t.get();
                let rt = texts(t.lang);
                let items = fields.iter().map(|(k, e)| {
                    let question = definition.with_value(|d| d.question(k).map(|q| q.text.get(rt.lang).to_string()));
                    format!("{}: {}", question.unwrap_or_else(|| k.clone()), t.field_error(*e))
                }).collect::<Vec<_>>();
                view! {
                    <div class="notice notice--error" role="alert">
                        <ul>{items.into_iter().map(|i| view! { <li>{i}</li> }).collect_view()}</ul>
                    </div>
                }
            })
        }}
    }
}
