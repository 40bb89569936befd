//! One wave: its status and the step to the next, its name and dates, its questions as
//! JSON (checked question by question, previewed as residents see them, saved as a new
//! version), and the ways to its paper entry, analysis and exports.

use leptos::prelude::*;
use model::FieldErrors;
use model::survey::Survey;
use model::survey_wave::{DefinitionProblem, StaffWave, WaveDetails, WaveStatus, read_definition};
use quality_month_web::components::{ErrorSummary, Loader, PageHeading, SendButton, TextField};
use wasm_bindgen::JsCast;

use crate::api;
use crate::app::paths;
use crate::fields::problems;
use crate::i18n::surveys::SurveyTexts;
use crate::i18n::use_staff_texts;
use crate::pages::{Refusal, failure_of, focus_after_render, fresh, path_id};

#[component]
pub fn WaveDesk() -> impl IntoView {
    let id = path_id();
    view! {
        <Loader fetch=move || fresh(api::wave(id.get().unwrap_or_default()))
            render={|w: StaffWave| view! { <Wave wave=RwSignal::new(w) /> }} />
    }
}

#[component]
fn Wave(wave: RwSignal<StaffWave>) -> impl IntoView {
    let t = use_staff_texts();
    let id = wave.with_untracked(|w| w.id);
    Effect::new(move |_| {
        quality_month_web::prefs::set_title(&super::name(t.get(), &wave.get()), t.get().app_name)
    });
    let status = Memo::new(move |_| wave.with(|w| w.status));
    // Opening a draft keeps it editable: the forms (and what is typed in them) stay.
    let editable = Memo::new(move |_| status.get().takes_versions());
    view! {
        <p class="back"><a href=paths::SURVEYS>{move || t.get().surveys.back}</a></p>
        <PageHeading>{move || super::name(t.get(), &wave.get())}</PageHeading>
        <p>
            <span class="badge">{move || (t.get().surveys.status)(status.get())}</span>
            " " {move || wave.with(|w| (t.get().surveys.dates)(&w.details.opens_on.to_string(), &w.details.closes_on.to_string()))}
            " · " {move || wave.with(|w| (t.get().surveys.counts)(w.online, w.paper))}
        </p>
        <ul class="link-list">
            {move || status.get().takes_paper().then(|| view! {
                <li><a href=paths::wave_paper(id)>{move || t.get().surveys.paper}</a></li>
            })}
            <li><a href=paths::wave_analysis(id)>{move || t.get().surveys.analysis}</a></li>
            <li><a href=api::wave_file(id, "export.xlsx") download="">{move || t.get().surveys.export_xlsx}</a></li>
            <li><a href=api::wave_file(id, "export.csv") download="">{move || t.get().surveys.export_csv}</a></li>
            <li><a href=api::wave_file(id, "codebook.csv") download="">{move || t.get().surveys.codebook}</a></li>
            {move || (status.get() == WaveStatus::Published).then(|| view! {
                <li><a href=quality_month_web::app::paths::survey_results(id)>{move || t.get().surveys.public_page}</a></li>
            })}
        </ul>
        <p class="facts__note">{move || t.get().surveys.export_note}</p>
        <StatusStep wave />
        {move || editable.get().then(|| view! {
            <Details wave />
            <Questions wave />
        })}
        {move || (!editable.get()).then(|| view! { <p class="notice">{t.get().surveys.locked}</p> })}
        <section class="section" aria-labelledby="versions">
            <h2 id="versions">{move || t.get().surveys.versions_title}</h2>
            <ul class="link-list">
                {move || wave.with(|w| w.versions.iter().rev().map(|v| {
                    let (n, at, answers) = (v.version, v.saved_at.date().to_string(), v.responses);
                    view! { <li>{move || (t.get().surveys.version_line)(n, &at, answers)}</li> }
                }).collect_view())}
            </ul>
        </section>
    }
}

/// The one step a wave can take next, asked twice: every step is public or final.
#[component]
fn StatusStep(wave: RwSignal<StaffWave>) -> impl IntoView {
    let t = use_staff_texts();
    let asking = RwSignal::new(false);
    // The confirmation takes the focus when it appears, the section's heading when the
    // step is done or called off: the button pressed is gone either way.
    Effect::new(move |was: Option<bool>| {
        let now = asking.get();
        if now {
            focus_after_render("confirm-step");
        } else if was == Some(true) {
            focus_after_render("wave-status");
        }
        now
    });
    let step = Action::new_local(move |to: &WaveStatus| {
        let (id, to) = (wave.with_untracked(|w| w.id), *to);
        async move { api::change_wave_status(id, to).await }
    });
    let failure = failure_of(step);
    Effect::new(move |_| {
        if let Some(Ok(w)) = step.value().get() {
            asking.set(false);
            wave.set(w);
        }
    });
    let next = Memo::new(move |_| match wave.with(|w| w.status) {
        WaveStatus::Draft => Some(WaveStatus::Open),
        WaveStatus::Open => Some(WaveStatus::Closed),
        WaveStatus::Closed => Some(WaveStatus::Published),
        WaveStatus::Published => None,
    });
    let label = move |to: WaveStatus, s: &'static SurveyTexts| match to {
        WaveStatus::Open => s.open,
        WaveStatus::Closed => s.close,
        _ => s.publish,
    };
    view! {
        <section class="section" aria-labelledby="wave-status">
            <h2 id="wave-status" tabindex="-1">{move || t.get().surveys.actions_title}</h2>
            {move || wave.with(|w| w.published_at).map(|at| view! {
                <p>{(t.get().surveys.published_at)(&at.date().to_string())}</p>
            })}
            {move || next.get().map(|to| {
                let s = t.get().surveys;
                if asking.get() {
                    view! {
                        <div class="notice" role="alert">
                            <p>{(s.confirm)(to)}</p>
                            <div class="actions">
                                <button type="button" class="button" id="confirm-step"
                                    on:click=move |_| { if !step.pending().get_untracked() { step.dispatch_local(to); } }>{s.confirm_yes}</button>
                                <button type="button" class="button button--secondary"
                                    on:click=move |_| asking.set(false)>{s.confirm_no}</button>
                            </div>
                        </div>
                    }.into_any()
                } else {
                    view! {
                        <button type="button" class="button" on:click=move |_| asking.set(true)>{label(to, s)}</button>
                    }.into_any()
                }
            })}
            <Refusal error=failure.refusal />
        </section>
    }
}

#[component]
fn Details(wave: RwSignal<StaffWave>) -> impl IntoView {
    let t = use_staff_texts();
    let input = wave.with_untracked(|w| super::DetailsInput::new(Some(&w.details)));
    let checked = RwSignal::new(FieldErrors::new());
    let save = Action::new_local(move |details: &WaveDetails| {
        let (id, details) = (wave.with_untracked(|w| w.id), details.clone());
        async move { api::update_wave(id, &details).await }
    });
    let pending = save.pending();
    let failure = failure_of(save);
    Effect::new(move |_| {
        if let Some(Ok(w)) = save.value().get() {
            wave.set(w);
        }
    });
    let errors = failure.and(checked);
    let s = move |f: fn(&SurveyTexts) -> &'static str| Signal::derive(move || f(t.get().surveys));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let read = input.read();
        checked.set(read.clone().err().unwrap_or_default());
        if let Ok(details) = read
            && !pending.get_untracked()
        {
            save.dispatch_local(details);
        }
    };
    view! {
        <section class="section" aria-labelledby="wave-details">
            <h2 id="wave-details">{move || t.get().surveys.details_title}</h2>
            <form class="form form--wide" novalidate on:submit=submit>
                <super::DetailsFields input errors />
                {move || matches!(save.value().get(), Some(Ok(_))).then(|| view! { <p role="status">{t.get().surveys.saved}</p> })}
                <Refusal error=failure.refusal />
                <SendButton pending label=s(|s| s.save_details) />
            </form>
        </section>
    }
}

/// What the check says of the text: nothing yet, fine (how many questions), or problems.
#[derive(Clone, PartialEq)]
enum Checked {
    NotYet,
    Fine(usize),
    Problem(DefinitionProblem),
}

const EDITOR: &str = "definition";

/// Puts the cursor on question `id` in the editor, so a problem leads to its text.
fn select_question(id: &str) {
    let Some(area) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(EDITOR))
        .and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
    else {
        return;
    };
    let text = area.value();
    let at = [format!("\"id\": \"{id}\""), format!("\"id\":\"{id}\"")]
        .iter()
        .find_map(|needle| text.find(needle.as_str()));
    if let Some(at) = at {
        // The textarea counts UTF-16 units.
        let start = text[..at].encode_utf16().count() as u32;
        let _ = area.focus();
        let _ = area.set_selection_range(start, start + id.encode_utf16().count() as u32 + 8);
    }
}

#[component]
fn Questions(wave: RwSignal<StaffWave>) -> impl IntoView {
    let t = use_staff_texts();
    let pretty = |w: &StaffWave| serde_json::to_string_pretty(&w.definition).unwrap_or_default();
    let json = RwSignal::new(wave.with_untracked(pretty));
    let checked = RwSignal::new(Checked::NotYet);
    let check = move || {
        let result = read_definition(&json.get_untracked());
        checked.set(match &result {
            Ok(d) => Checked::Fine(d.questions.len()),
            Err(p) => Checked::Problem(p.clone()),
        });
        result.ok()
    };
    let save = Action::new_local(move |text: &String| {
        let (id, text) = (wave.with_untracked(|w| w.id), text.clone());
        async move { api::save_definition(id, text).await }
    });
    let pending = save.pending();
    let failure = failure_of(save);
    Effect::new(move |_| {
        if let Some(Ok(w)) = save.value().get() {
            json.set(pretty(&w));
            checked.set(Checked::NotYet);
            wave.set(w);
        }
    });
    let on_upload = Callback::new(move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        leptos::task::spawn_local(async move {
            if let Ok(text) = wasm_bindgen_futures::JsFuture::from(file.text()).await {
                json.set(text.as_string().unwrap_or_default());
                check();
            }
        });
    });
    // The preview reads the text as it is now (if it passes the check) from this browser.
    let preview = move |ev: leptos::ev::MouseEvent| match check() {
        Some(definition) => wave.with_untracked(|w| {
            quality_month_web::survey_draft::keep_preview(&Survey {
                id: w.id,
                wave: w.details.wave.clone(),
                opens_at: w.details.opens_at(),
                closes_at: w.details.closes_at(),
                definition,
            })
        }),
        None => ev.prevent_default(),
    };
    let verdict = move || {
        let s = t.get().surveys;
        match checked.get() {
            Checked::NotYet => None,
            Checked::Fine(n) => Some(
                view! { <p class="notice" role="status">{(s.definition_ok)(n)}</p> }.into_any(),
            ),
            Checked::Problem(p) => {
                let items: Vec<(Option<String>, String)> = match &p {
                    DefinitionProblem::Syntax {
                        line,
                        column,
                        message,
                    } => {
                        vec![(None, format!("{} ({message})", (s.syntax)(*line, *column)))]
                    }
                    DefinitionProblem::Empty => vec![(None, s.empty.to_string())],
                    DefinitionProblem::TooMany => vec![(None, s.too_many.to_string())],
                    DefinitionProblem::Rules(errors) => errors
                        .iter()
                        .map(|e| (Some(e.question().to_string()), (s.rule)(e)))
                        .collect(),
                };
                Some(view! {
                    <div class="notice notice--error" role="alert">
                        <h3>{s.problems_title}</h3>
                        <ul>
                            {items.into_iter().map(|(question, message)| match question {
                                Some(q) => view! {
                                    <li><button type="button" class="link-button" on:click=move |_| select_question(&q)>{message}</button></li>
                                }.into_any(),
                                None => view! { <li>{message}</li> }.into_any(),
                            }).collect_view()}
                        </ul>
                    </div>
                }.into_any())
            }
        }
    };
    let server_problems = Signal::derive(move || {
        let fields = failure.fields.get();
        problems(&fields, &[("definition", EDITOR)], |e| {
            t.get().field_error(e)
        })
    });
    view! {
        <section class="section" aria-labelledby="questions">
            <h2 id="questions">{move || t.get().surveys.definition_title}</h2>
            <p>{move || t.get().surveys.definition_intro}</p>
            <ErrorSummary problems=server_problems />
            <div class="editor">
                <div class="editor__text">
                    <TextField id=EDITOR label=Signal::derive(move || t.get().surveys.field_definition)
                        hint=Signal::derive(move || t.get().surveys.field_definition_hint)
                        error=Signal::derive(move || matches!(checked.get(), Checked::Problem(_)).then(|| t.get().surveys.see_problems))
                        value=json maxlength=200_000 rows=24 />
                </div>
                <div class="editor__problems" id="definition-problems">{verdict}</div>
            </div>
            <div class="field">
                <label class="field__label" for="definition-file">{move || t.get().surveys.field_upload}</label>
                <input class="field__file" type="file" id="definition-file" accept=".json,application/json" on:change=move |ev| on_upload.run(ev) />
            </div>
            <div class="actions">
                <button type="button" class="button button--secondary" on:click=move |_| { check(); }>{move || t.get().surveys.check}</button>
                <a class="button button--secondary" href=quality_month_web::app::paths::SURVEY_PREVIEW target="_blank" rel="noopener"
                    on:click=preview>{move || t.get().surveys.preview}</a>
                <button type="button" class="button" disabled=move || pending.get()
                    on:click=move |_| { if check().is_some() { save.dispatch_local(json.get_untracked()); } }>
                    {move || t.get().surveys.save_version}
                </button>
            </div>
            <p class="facts__note">{move || t.get().surveys.preview_hint}</p>
            <Refusal error=failure.refusal />
        </section>
    }
}
