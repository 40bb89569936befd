//! The day's visits in time order (printable on A4) and the door: scan the booking pass
//! or type its code; after a time has ended, mark who did not come.

use leptos::prelude::*;
use model::{Visit, VisitCheckin, VisitState};
use quality_month_web::components::{
    DefectFields, DefectInput, Loader, PageHeading, SendButton, TextField,
};

use crate::api;
use crate::app::paths;
use crate::i18n::use_staff_texts;
use crate::pages::code_entry::CodeEntry;
use crate::pages::{Refusal, failure_of, fresh, path_id};

fn today() -> String {
    quality_month_web::today::today().to_string()
}

#[component]
pub fn Visits() -> impl IntoView {
    let t = use_staff_texts();
    let id = path_id();
    Effect::new(move |_| {
        quality_month_web::prefs::set_title(t.get().projects.visits_title, t.get().app_name)
    });
    let day = RwSignal::new(today());
    let shown = RwSignal::new(today());
    // Bumped by a check-in or a no-show, so the list reads again.
    let version = RwSignal::new(0u32);
    view! {
        <PageHeading>{move || t.get().projects.visits_title}</PageHeading>
        <p class="no-print"><a href=move || paths::project(id.get().unwrap_or_default())>{move || t.get().projects.back}</a></p>
        <Door version />
        <form class="form form--inline no-print" on:submit=move |ev| { ev.prevent_default(); shown.set(day.get_untracked()); }>
            <TextField id="day" label=Signal::derive(move || t.get().projects.field_day) hint="" error=Signal::derive(|| None) value=day input_type="date" />
            <button type="submit" class="button button--secondary">{move || t.get().projects.show_day}</button>
            <button type="button" class="button button--secondary" on:click=move |_| { if let Some(w) = web_sys::window() { let _ = w.print(); } }>
                {move || t.get().projects.print}
            </button>
        </form>
        <Loader fetch=move || { version.track(); let (id, d) = (id.get().unwrap_or_default(), shown.get()); async move { fresh(api::visits(id, &d)).await } }
            render={move |visits: Vec<Visit>| view! { <DayList visits version /> }} />
    }
}

#[component]
fn Door(version: RwSignal<u32>) -> impl IntoView {
    let t = use_staff_texts();
    let id = path_id();
    let check = Action::new_local(move |code: &String| {
        let code = code.trim().to_uppercase();
        async move { api::check_in_visit(id.get_untracked().unwrap_or_default(), code).await }
    });
    let pending = check.pending();
    let failure = failure_of(check);
    Effect::new(move |_| {
        if let Some(Ok(_)) = check.value().get() {
            version.update(|v| *v += 1);
        }
    });
    view! {
        <section class="section no-print" aria-label=move || t.get().door_title>
            <div aria-live="polite">
                {move || match check.value().get() {
                    Some(Ok(r)) => Some(view! { <Checked r /> }),
                    _ => None,
                }}
                <Refusal error=failure.refusal />
            </div>
            <CodeEntry pending on_code=Callback::new(move |code: String| { check.dispatch_local(code); }) />
        </section>
    }
}

#[component]
fn Checked(r: VisitCheckin) -> impl IntoView {
    let t = use_staff_texts();
    let residents = move || quality_month_web::i18n::texts(t.get().lang);
    let v = r.visit;
    let flat = v.flat.zh();
    let headline = move || match (r.already, v.checked_in_at) {
        (true, Some(at)) => (t.get().checked_in_before)(&residents().time_of_day(at)),
        _ => (t.get().projects.checked_in_flat)(&flat),
    };
    let (name, party) = (v.buyer_name.clone(), v.party_size);
    let when = (v.starts_at, v.ends_at);
    view! {
        <div class="panel" class:panel--waiting=r.already role="status">
            <p class="panel__code">{headline}</p>
            <p>{name} " · " {move || (residents().people)(party)}</p>
            <p>{move || format!("{} {}", residents().date(when.0.date()), residents().time_range(when.0, when.1))}</p>
            {(!v.notes.is_empty()).then(|| view! { <p>{v.notes.clone()}</p> })}
        </div>
    }
}

#[component]
fn DayList(visits: Vec<Visit>, version: RwSignal<u32>) -> impl IntoView {
    let t = use_staff_texts();
    let residents = move || quality_month_web::i18n::texts(t.get().lang);
    let id = path_id();
    let no_show = Action::new_local(move |code: &String| {
        let code = code.clone();
        async move { api::no_show(id.get_untracked().unwrap_or_default(), code).await }
    });
    let failure = failure_of(no_show);
    Effect::new(move |_| {
        if let Some(Ok(_)) = no_show.value().get() {
            version.update(|v| *v += 1);
        }
    });
    if visits.is_empty() {
        return view! { <p>{move || t.get().projects.no_visits}</p> }.into_any();
    }
    let now = quality_month_web::today::now();
    // The checked-in visit whose defect the door is recording (one form at a time).
    let recording = RwSignal::new(None::<(String, String)>);
    let recorded = RwSignal::new(false);
    view! {
        <Refusal error=failure.refusal />
        <table class="table table--print">
            <thead><tr>
                <th scope="col">{move || t.get().projects.col_time}</th>
                <th scope="col">{move || t.get().projects.col_flat}</th>
                <th scope="col">{move || t.get().col_name}</th>
                <th scope="col">{move || t.get().col_party}</th>
                <th scope="col">{move || t.get().projects.col_notes}</th>
                <th scope="col">{move || t.get().col_status}</th>
            </tr></thead>
            <tbody>
                {visits.into_iter().map(|v| {
                    let (starts, ends, state) = (v.starts_at, v.ends_at, v.state);
                    let code = v.code.clone();
                    let ended = ends <= now && state == VisitState::Booked;
                    let record = (state == VisitState::CheckedIn).then(|| (v.code.clone(), v.flat.zh()));
                    view! {
                        <tr>
                            <td>{move || residents().time_range(starts, ends)}</td>
                            <td>{v.flat.zh()}</td>
                            <td>{v.buyer_name.clone()} " " <span class="code">{v.phone_masked.clone()}</span></td>
                            <td>{v.party_size}</td>
                            <td>{v.notes.clone()}</td>
                            <td>
                                {move || super::state_text(t.get(), state)}
                                {record.map(|(code, flat)| view! {
                                    " "
                                    <button type="button" class="button button--secondary button--small no-print"
                                        on:click=move |_| { recorded.set(false); recording.set(Some((code.clone(), flat.clone()))); }>
                                        {move || residents().defects.record}
                                    </button>
                                })}
                                {ended.then(|| view! {
                                    " "
                                    <button type="button" class="button button--secondary button--small no-print"
                                        on:click=move |_| { no_show.dispatch_local(code.clone()); }>
                                        {move || t.get().projects.mark_no_show}
                                    </button>
                                })}
                            </td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        {move || recorded.get().then(|| view! { <p class="notice" role="status">{move || residents().defects.recorded}</p> })}
        {move || recording.get().map(|(code, flat)| view! { <DoorDefect code flat recording recorded /> })}
    }.into_any()
}

/// A defect recorded at the door for a checked-in visit; the buyer sees it on the pass.
#[component]
fn DoorDefect(
    code: String,
    flat: String,
    recording: RwSignal<Option<(String, String)>>,
    recorded: RwSignal<bool>,
) -> impl IntoView {
    let t = use_staff_texts();
    let residents = move || quality_month_web::i18n::texts(t.get().lang);
    let id = path_id();
    let input = DefectInput::new();
    let checked = RwSignal::new(model::FieldErrors::new());
    let record = Action::new_local(move |body: &model::defect::NewDefect| {
        let (body, code) = (body.clone(), code.clone());
        async move { api::record_defect(id.get_untracked().unwrap_or_default(), &code, &body).await }
    });
    let pending = record.pending();
    let failure = failure_of(record);
    let errors = failure.and(checked);
    Effect::new(move |_| {
        if let Some(Ok(_)) = record.value().get() {
            recording.set(None);
            recorded.set(true);
        }
    });
    let title = (t.get_untracked().projects.record_defect_for)(&flat);
    view! {
        <form class="form no-print" aria-labelledby="door-defect-title" on:submit=move |ev| {
            ev.prevent_default();
            if pending.get_untracked() { return; }
            let body = input.defect(String::new());
            match body.validate() {
                Err(e) => checked.set(e),
                Ok(()) => { checked.set(Default::default()); record.dispatch_local(body); }
            }
        }>
            <h2 id="door-defect-title">{title}</h2>
            <DefectFields input errors />
            <Refusal error=failure.refusal />
            <SendButton pending label=Signal::derive(move || residents().defects.record) />
        </form>
    }
}
