//! 满意度: intro → one question per page (skip logic applied as you go, every answer kept
//! on the phone) → check your answers, each editable → send → reference.

use leptos::prelude::*;
use model::survey::{
    AnswerValue, DONT_KNOW, NewResponse, Question, QuestionKind, ResponseReceipt, Survey, check,
};
use model::{FieldError, Lang};

use crate::api::{self, ClientError};
use crate::app::paths;
use crate::components::{
    ChoiceFieldset, DeliveryProblem, ElderSwitch, ErrorSummary, FieldProblem, Loader, PageHeading,
    RadioChoice, SendButton, SummaryRow, TextField, VerifyWith,
};
use crate::i18n::{Texts, intern, use_texts};
use crate::offline::{About, Done, Outbox, Undelivered, Write};
use crate::prefs::set_title;
use crate::survey_draft::{
    self, Draft, Position, Sent, answer_text, next_question, previous_question, to_answer,
};

/// The id of a question's first input, which the error summary links to.
const FIRST_INPUT: &str = "answer-first";

#[component]
pub fn SurveyPage() -> impl IntoView {
    let t = use_texts();
    Effect::new(move |_| set_title(t.get().survey.title, t.get().app_name));
    view! { <Loader fetch=api::current_survey render=|survey| view! { <SurveyFlow survey preview=false /> } /> }
}

/// The questions staff are editing, exactly as residents will meet them, from the
/// definition the staff app left in this browser; nothing is kept or sent.
#[component]
pub fn SurveyPreview() -> impl IntoView {
    let t = use_texts();
    Effect::new(move |_| set_title(t.get().survey.preview_banner, t.get().app_name));
    match survey_draft::preview() {
        Some(survey) => view! {
            <p class="notice" role="status">{move || t.get().survey.preview_banner}</p>
            <ElderSwitch />
            <SurveyFlow survey preview=true />
        }
        .into_any(),
        None => view! {
            <PageHeading>{move || t.get().survey.preview_banner}</PageHeading>
            <p>{move || t.get().survey.preview_missing}</p>
        }
        .into_any(),
    }
}

#[component]
fn SurveyFlow(
    survey: Survey,
    /// Staff previewing: the draft is not kept and the answers cannot be sent.
    preview: bool,
) -> impl IntoView {
    let t = use_texts();
    let kept = (!preview).then(|| Draft::load(&survey)).flatten();
    let draft = RwSignal::new(kept.unwrap_or_else(|| Draft::new(&survey)));
    // Every change is kept on the phone at once.
    if !preview {
        Effect::new(move |_| draft.with(Draft::store));
    }
    let sent = RwSignal::new((!preview).then(|| Sent::load(survey.id)).flatten());
    let outbox = expect_context::<Outbox>();
    let survey_id = survey.id;
    // Answers sent offline wait in the outbox; meanwhile there is nothing to start again.
    let waiting = Memo::new(move |_| {
        outbox
            .waiting(|w| matches!(w, Write::Respond { survey_id: id, .. } if *id == survey_id))
            .is_some()
    });
    let receipt = RwSignal::new(None::<ResponseReceipt>);
    let survey = StoredValue::new(survey);
    // Redraw on a move to another step only, not on every keystroke kept in the draft.
    let at = Memo::new(move |_| draft.with(|d| d.at.clone()));

    move || {
        let t = t.get();
        if let Some(r) = receipt.get() {
            return view! { <Done receipt=r /> }.into_any();
        }
        match at.get() {
            Position::Intro => {
                view! { <Intro survey draft sent=sent.get() waiting=waiting.get() t /> }.into_any()
            }
            Position::Question(id) | Position::Change(id) => {
                let from_check = matches!(at.get_untracked(), Position::Change(_));
                // A draft is kept per version, so its question always exists; if not, the
                // intro is a safe place to start from.
                match survey.with_value(|s| s.definition.question(&id).cloned()) {
                    Some(question) => {
                        view! { <QuestionStep survey draft question from_check t /> }.into_any()
                    }
                    None => {
                        view! { <Intro survey draft sent=sent.get() waiting=waiting.get() t /> }
                            .into_any()
                    }
                }
            }
            Position::Check if preview => view! { <PreviewEnd survey draft t /> }.into_any(),
            Position::Check => view! { <Check survey draft receipt sent t /> }.into_any(),
        }
    }
}

#[component]
fn Intro(
    survey: StoredValue<Survey>,
    draft: RwSignal<Draft>,
    sent: Option<Sent>,
    /// Answers from this phone wait in the outbox.
    waiting: bool,
    t: &'static Texts,
) -> impl IntoView {
    let s = t.survey;
    let wave = survey.with_value(|s| s.wave.get(t.lang).to_string());
    let started = draft.with_untracked(|d| !d.answers.is_empty());
    // To the first question still to answer (the first of all on a fresh start), or the
    // check page when none is left.
    let go_on = move |_| {
        let at = draft.with_untracked(|d| {
            survey.with_value(|sv| {
                sv.definition
                    .shown(&d.answers)
                    .find(|q| !d.answers.contains_key(&q.id))
                    .map(|q| q.id.clone())
            })
        });
        draft.update(|d| d.at = at.map_or(Position::Check, Position::Question));
    };
    let start_over = move |_| {
        draft.set(survey.with_value(Draft::new));
    };
    view! {
        <PageHeading>{s.title}</PageHeading>
        <p class="kicker">{wave}</p>
        {s.intro.iter().map(|p| view! { <p>{*p}</p> }).collect_view()}
        {match sent {
            None if waiting => view! {
                <p class="notice" role="status">{t.offline.survey_waiting}</p>
                <p><a href=paths::MINE>{t.offline.see_outbox}</a></p>
            }.into_any(),
            Some(sent) => view! {
                <p class="notice" role="status">{(s.already_done)(&sent.reference)}</p>
                <p><a class="button button--block" href=paths::SURVEY_RESULTS>{s.see_results}</a></p>
            }.into_any(),
            None if started => view! {
                <div class="actions">
                    <button type="button" class="button button--block" on:click=go_on>{s.resume}</button>
                    <button type="button" class="button button--secondary button--block" on:click=start_over>{s.start_over}</button>
                </div>
            }.into_any(),
            None => view! {
                <button type="button" class="button button--block" on:click=go_on>{s.start}</button>
                <p><a href=paths::SURVEY_RESULTS>{s.see_results}</a></p>
            }.into_any(),
        }}
    }
}

fn question_text(q: &Question, lang: Lang) -> String {
    q.text.get(lang).to_string()
}

/// The radio choices of a question: (value, label).
fn radio_options(q: &Question, t: &'static Texts) -> Vec<(String, String)> {
    match &q.kind {
        QuestionKind::Single { options } => options
            .iter()
            .map(|o| (o.value.clone(), o.label.get(t.lang).to_string()))
            .collect(),
        QuestionKind::Scale5 => (1..=5)
            .map(|n| (n.to_string(), t.survey.scale[n - 1].to_string()))
            .chain([(DONT_KNOW.to_string(), t.survey.dont_know.to_string())])
            .collect(),
        QuestionKind::Rating10 => (0..=10).map(|n| (n.to_string(), n.to_string())).collect(),
        QuestionKind::Multiple { options, .. } => options
            .iter()
            .map(|o| (o.value.clone(), o.label.get(t.lang).to_string()))
            .collect(),
        QuestionKind::Text { .. } => Vec::new(),
    }
}

fn problem_text(t: &'static Texts, q: &Question, e: FieldError) -> &'static str {
    match (&q.kind, e) {
        (QuestionKind::Multiple { max, .. }, FieldError::TooMany) => {
            intern((t.survey.too_many)(*max))
        }
        (QuestionKind::Text { max_chars }, FieldError::TooLong) => {
            intern((t.survey.text_too_long)(*max_chars))
        }
        _ => t.survey.answer_required,
    }
}

#[component]
fn QuestionStep(
    survey: StoredValue<Survey>,
    draft: RwSignal<Draft>,
    question: Question,
    /// Changing an answer from the check page: "next" returns there.
    from_check: bool,
    t: &'static Texts,
) -> impl IntoView {
    let s = t.survey;
    let stored = draft.with_untracked(|d| d.answers.get(&question.id).cloned());
    let text = RwSignal::new(answer_text(stored.as_ref()));
    let many = RwSignal::new(match &stored {
        Some(AnswerValue::Many(v)) => v.clone(),
        _ => Vec::new(),
    });
    let error = RwSignal::new(None::<&'static str>);
    let (number, total) = draft.with_untracked(|d| {
        survey.with_value(|sv| {
            let shown: Vec<_> = sv
                .definition
                .shown(&d.answers)
                .map(|q| q.id.clone())
                .collect();
            let n = shown.iter().position(|id| *id == question.id).unwrap_or(0) + 1;
            (n, shown.len())
        })
    });
    let q = StoredValue::new(question.clone());
    let on_next = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let q = q.get_value();
        let value = to_answer(&q, &text.get_untracked(), &many.get_untracked());
        let problem = match &value {
            None if q.required => Some(s.answer_required),
            None => None,
            Some(v) => check(&q, v).err().map(|e| problem_text(t, &q, e)),
        };
        if problem.is_some() {
            error.set(problem);
            return;
        }
        draft.update(|d| {
            match value {
                Some(v) => d.answers.insert(q.id.clone(), v),
                None => d.answers.remove(&q.id),
            };
            let next = survey.with_value(|sv| {
                next_question(&sv.definition, &d.answers, &q.id).map(|n| n.id.clone())
            });
            d.at = match next {
                Some(id) if !from_check => Position::Question(id),
                // From the check page, back there unless a newly shown follow-up needs an answer.
                Some(id) if !d.answers.contains_key(&id) => Position::Change(id),
                _ => Position::Check,
            };
        });
    };
    let on_back = move |_| {
        let q = q.get_value();
        draft.update(|d| {
            let previous = survey.with_value(|sv| {
                previous_question(&sv.definition, &d.answers, &q.id).map(|p| p.id.clone())
            });
            d.at = match previous {
                // Changing one answer: back means back to the list of answers.
                _ if from_check => Position::Check,
                Some(id) => Position::Question(id),
                None => Position::Intro,
            };
        });
    };
    let problems = Signal::derive(move || {
        error
            .get()
            .map(|message| FieldProblem {
                field_id: FIRST_INPUT,
                message,
            })
            .into_iter()
            .collect::<Vec<_>>()
    });
    let heading = question_text(&question, t.lang);
    let optional = (!question.required).then_some(s.optional);
    let hint: &'static str = match &question.kind {
        QuestionKind::Multiple { max, .. } => intern((s.choose_up_to)(*max)),
        QuestionKind::Text { max_chars } => intern((s.text_hint)(*max_chars)),
        QuestionKind::Rating10 => s.rating_hint,
        _ => "",
    };
    let options = radio_options(&question, t);
    let input = match &question.kind {
        QuestionKind::Text { max_chars } => view! {
            <TextField id=FIRST_INPUT label=s.answer_label hint error value=text maxlength=u32::from(*max_chars) rows=4 />
        }
        .into_any(),
        QuestionKind::Multiple { .. } => view! {
            <ChoiceFieldset id="answer" label=s.choose_label hint error>
                <div class="choices choices--stacked">
                    {options.into_iter().enumerate().map(|(i, (value, label))| {
                        let id = if i == 0 { FIRST_INPUT.to_string() } else { format!("answer-{value}") };
                        let checked = { let value = value.clone(); move || many.with(|m| m.contains(&value)) };
                        view! {
                            <div class="choice">
                                <input type="checkbox" class="choice__input" id=id.clone() value=value.clone()
                                    prop:checked=checked
                                    on:change=move |_| many.update(|m| {
                                        if let Some(at) = m.iter().position(|v| *v == value) { m.remove(at); } else { m.push(value.clone()); }
                                    }) />
                                <label class="choice__label" for=id>{label}</label>
                            </div>
                        }
                    }).collect_view()}
                </div>
            </ChoiceFieldset>
        }
        .into_any(),
        kind => {
            let class = if matches!(kind, QuestionKind::Rating10) { "choices choices--rating" } else { "choices choices--stacked" };
            view! {
                <ChoiceFieldset id="answer" label=s.choose_label hint error>
                    <div class=class>
                        {options.into_iter().enumerate().map(|(i, (value, label))| {
                            let id = if i == 0 { FIRST_INPUT.to_string() } else { format!("answer-{value}") };
                            view! { <RadioChoice name="answer" id value label selected=text /> }
                        }).collect_view()}
                    </div>
                </ChoiceFieldset>
            }
            .into_any()
        }
    };
    view! {
        <p class="kicker" aria-live="polite">{(s.progress)(number, total)}</p>
        <PageHeading>{heading}{optional}</PageHeading>
        <form class="form" novalidate on:submit=on_next>
            <ErrorSummary problems />
            {input}
            <div class="actions actions--split">
                <button type="button" class="button button--secondary" on:click=on_back>{s.back}</button>
                <button type="submit" class="button">{if from_check { s.to_check } else { s.next }}</button>
            </div>
        </form>
    }
}

fn show_answer(q: &Question, v: Option<&AnswerValue>, t: &'static Texts) -> String {
    let label_of = |value: &str| {
        radio_options(q, t)
            .into_iter()
            .find(|(v, _)| v == value)
            .map_or_else(|| value.to_string(), |(_, l)| l)
    };
    match v {
        None => t.survey.not_answered.to_string(),
        Some(AnswerValue::Number(n)) => label_of(&n.to_string()),
        Some(AnswerValue::Text(s)) if matches!(q.kind, QuestionKind::Text { .. }) => s.clone(),
        Some(AnswerValue::Text(s)) => label_of(s),
        Some(AnswerValue::Many(vs)) => vs
            .iter()
            .map(|v| label_of(v))
            .collect::<Vec<_>>()
            .join("、"),
    }
}

/// The preview's last page: the answers as the check page lists them, and no sending.
#[component]
fn PreviewEnd(
    survey: StoredValue<Survey>,
    draft: RwSignal<Draft>,
    t: &'static Texts,
) -> impl IntoView {
    let s = t.survey;
    view! {
        <PageHeading>{s.check_title}</PageHeading>
        <AnswerSummary survey draft t />
        <p class="notice" role="status">{s.preview_not_sent}</p>
        <button type="button" class="button button--secondary button--block"
            on:click=move |_| draft.set(survey.with_value(Draft::new))>{s.start_over}</button>
    }
}

/// Every question asked with its answer, each with a way back to change it.
#[component]
fn AnswerSummary(
    survey: StoredValue<Survey>,
    draft: RwSignal<Draft>,
    t: &'static Texts,
) -> impl IntoView {
    let rows = draft.with_untracked(|d| {
        survey.with_value(|sv| {
            sv.definition
                .shown(&d.answers)
                .map(|q| {
                    (
                        q.id.clone(),
                        question_text(q, t.lang),
                        show_answer(q, d.answers.get(&q.id), t),
                    )
                })
                .collect::<Vec<_>>()
        })
    });
    view! {
        <dl class="summary">
            {rows.into_iter().map(|(id, question, answer)| view! {
                <SummaryRow label=question value=answer
                    on_change=Callback::new(move |_| draft.update(|d| d.at = Position::Change(id.clone()))) />
            }).collect_view()}
        </dl>
    }
}

#[component]
fn Check(
    survey: StoredValue<Survey>,
    draft: RwSignal<Draft>,
    receipt: RwSignal<Option<ResponseReceipt>>,
    sent: RwSignal<Option<Sent>>,
    t: &'static Texts,
) -> impl IntoView {
    let s = t.survey;
    let phone = RwSignal::new(draft.with_untracked(|d| d.phone.clone()));
    let phone_error = RwSignal::new(None::<&'static str>);
    let outbox = expect_context::<Outbox>();
    let submit = Action::new_local(move |_: &()| {
        let d = draft.get_untracked();
        let (write, wave) = survey.with_value(|sv| {
            let answers = d.shown_answers(&sv.definition);
            let town = answer_text(answers.get("town"));
            let phone = Some(d.phone.trim().to_string()).filter(|p| !p.is_empty());
            let write = Write::Respond {
                survey_id: sv.id,
                body: NewResponse {
                    version: d.version,
                    answers,
                    town,
                    phone,
                },
            };
            (write, sv.wave.clone())
        });
        let about = About {
            subject: Some(wave),
            when: None,
        };
        outbox.deliver(write, about, d.key.clone(), None)
    });
    let failure = Memo::new(move |_| match submit.value().get() {
        Some(Err(e)) if !submit.pending().get() => Some(e),
        _ => None,
    });
    Effect::new(move |_| match submit.value().get() {
        Some(Ok(Done::Response(r))) => {
            sent.set(Some(Sent {
                survey_id: r.survey_id,
                reference: r.reference.clone(),
            }));
            Draft::forget();
            receipt.set(Some(r));
        }
        // The answers now wait in the outbox, which sends them; the draft has done its job.
        Some(Err(Undelivered::Kept)) => Draft::forget(),
        _ => {}
    });
    let pending = submit.pending();
    let send = Callback::new(move |()| {
        let p = phone.get_untracked();
        if !p.trim().is_empty() && model::PhoneNumber::parse(&p).is_err() {
            phone_error.set(Some(t.phone_errors.invalid));
            return;
        }
        phone_error.set(None);
        draft.update(|d| d.phone = p);
        if !pending.get_untracked() {
            submit.dispatch_local(());
        }
    });
    view! {
        <PageHeading>{s.check_title}</PageHeading>
        <AnswerSummary survey draft t />
        <TextField id="survey-phone" label=s.phone_label hint=s.phone_hint error=phone_error value=phone
            input_type="tel" autocomplete="tel-national" inputmode="tel" maxlength=20 />
        <DeliveryProblem problem=failure.into() verify=VerifyWith {
            phone: Signal::derive(move || model::PhoneNumber::parse(&phone.get()).ok()),
            // The same answers and key, now with the phone's token.
            retry: Callback::new(move |()| { submit.dispatch_local(()); }),
            change_number: None,
        } />
        {move || matches!(failure.get(), Some(Undelivered::Refused(ClientError::Api { status: 409, .. }))).then(|| view! {
            <p><a href=paths::SURVEY_RESULTS>{s.see_results}</a></p>
        })}
        <SendButton pending failure label=s.submit on_send=send />
    }
}

#[component]
fn Done(receipt: ResponseReceipt) -> impl IntoView {
    let t = use_texts();
    view! {
        {move || {
            let s = t.get().survey;
            view! {
                <div class="panel">
                    <PageHeading>{s.done_title}</PageHeading>
                    <p class="panel__label">{s.reference}</p>
                    <p class="panel__code">{receipt.reference.clone()}</p>
                </div>
                <p>{s.done_body}</p>
                <p><a class="button button--block" href=paths::SURVEY_RESULTS>{s.see_results}</a></p>
            }
        }}
    }
}
