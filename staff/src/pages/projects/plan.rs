//! The visit plan: open weekdays, the day's times with how many flats each takes, closed
//! dates. "Check" shows what saving would do; a time that closes with visits booked in it
//! asks, visit by visit, where each goes (or that it is cancelled with an SMS).

use leptos::prelude::*;
use model::{
    BeijingDate, BeijingTime, PlanChange, PlanOutcome, PlanWindow, StaffProject, VisitDecision,
    VisitPlan as Plan,
};
use quality_month_web::components::{Loader, PageHeading, SelectField, SendButton, TextField};

use crate::api;
use crate::app::paths;
use crate::i18n::use_staff_texts;
use crate::pages::{Refusal, failure_of, fresh, path_id};

#[component]
pub fn VisitPlan() -> impl IntoView {
    let id = path_id();
    view! {
        <Loader fetch=move || fresh(api::project(id.get().unwrap_or_default()))
            render={|p: StaffProject| view! { <PlanForm project=p /> }} />
    }
}

#[derive(Clone, Copy)]
struct Window {
    key: usize,
    start: RwSignal<String>,
    end: RwSignal<String>,
    capacity: RwSignal<String>,
}

fn clock(minute: u16) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

fn minute(text: &str) -> Option<u16> {
    let (h, m) = text.trim().split_once(':')?;
    let (h, m): (u16, u16) = (h.parse().ok()?, m.get(..2)?.parse().ok()?);
    (h <= 24 && m < 60).then_some(h * 60 + m)
}

#[component]
fn PlanForm(project: StaffProject) -> impl IntoView {
    let t = use_staff_texts();
    Effect::new(move |_| {
        quality_month_web::prefs::set_title(t.get().projects.plan_title, t.get().app_name)
    });
    let id = project.id;
    let plan = project.plan.clone().unwrap_or(Plan {
        weekdays: vec![0, 1, 2, 3, 4, 5],
        windows: vec![PlanWindow {
            start_minute: 540,
            end_minute: 600,
            capacity: 4,
        }],
        closed: vec![],
    });
    let weekdays = RwSignal::new(plan.weekdays.clone());
    let next_key = StoredValue::new(plan.windows.len());
    let window = |key: usize, w: &PlanWindow| Window {
        key,
        start: RwSignal::new(clock(w.start_minute)),
        end: RwSignal::new(clock(w.end_minute)),
        capacity: RwSignal::new(w.capacity.to_string()),
    };
    let windows = RwSignal::new(
        plan.windows
            .iter()
            .enumerate()
            .map(|(i, w)| window(i, w))
            .collect::<Vec<_>>(),
    );
    let closed = RwSignal::new(
        plan.closed
            .iter()
            .map(|d| d.to_string())
            .collect::<Vec<_>>()
            .join("\n"),
    );
    // Booking code → "" (undecided), "cancel", or the new slot's start (RFC 3339).
    let decisions = RwSignal::new(Vec::<(String, RwSignal<String>)>::new());
    let current = move || Plan {
        weekdays: weekdays.get_untracked(),
        windows: windows
            .get_untracked()
            .iter()
            .map(|w| PlanWindow {
                start_minute: minute(&w.start.get_untracked()).unwrap_or(0),
                end_minute: minute(&w.end.get_untracked()).unwrap_or(0),
                capacity: w.capacity.get_untracked().trim().parse().unwrap_or(0),
            })
            .collect(),
        closed: closed
            .get_untracked()
            .split_whitespace()
            .filter_map(BeijingDate::parse)
            .collect(),
    };
    let send = Action::new_local(move |commit: &bool| {
        let change = PlanChange {
            plan: current(),
            commit: *commit,
            decisions: decisions
                .get_untracked()
                .into_iter()
                .filter_map(|(code, choice)| match choice.get_untracked().as_str() {
                    "" => None,
                    "cancel" => Some(VisitDecision {
                        code,
                        move_to: None,
                    }),
                    at => BeijingTime::parse_rfc3339(at).map(|t| VisitDecision {
                        code,
                        move_to: Some(t),
                    }),
                })
                .collect(),
        };
        async move { api::change_plan(id, &change).await }
    });
    let pending = send.pending();
    let failure = failure_of(send);
    let outcome = RwSignal::new(None::<PlanOutcome>);
    Effect::new(move |_| {
        if let Some(Ok(o)) = send.value().get() {
            if !o.committed {
                decisions.set(
                    o.displaced
                        .iter()
                        .map(|v| (v.code.clone(), RwSignal::new(String::new())))
                        .collect(),
                );
            } else {
                decisions.set(Vec::new());
            }
            outcome.set(Some(o));
        }
    });
    let closed_error = RwSignal::new(None::<model::FieldError>);
    // Before checking and before saving: a mistyped day ("2026-5-1") is said beside the
    // field, never dropped from the plan silently.
    let closed_readable = move || {
        let unread = closed
            .get_untracked()
            .split_whitespace()
            .any(|d| BeijingDate::parse(d).is_none());
        closed_error.set(unread.then_some(model::FieldError::Invalid));
        if unread {
            crate::pages::focus_after_render("closed");
        }
        !unread
    };
    let save = Callback::new(move |()| {
        if closed_readable() && !pending.get_untracked() {
            send.dispatch_local(true);
        }
    });
    let plan_error = Signal::derive(move || {
        let fields = failure.fields.get();
        fields
            .iter()
            .next()
            .map(|(k, e)| format!("{k}: {}", t.get().field_error(*e)))
    });
    view! {
        <PageHeading>{move || t.get().projects.plan_title}</PageHeading>
        <p><a href=paths::project(id)>{move || super::name(t.get(), &project)}</a></p>
        <p>{move || t.get().projects.plan_intro}</p>
        <form class="form form--wide" novalidate on:submit=move |ev| {
            ev.prevent_default();
            if closed_readable() && !pending.get_untracked() {
                send.dispatch_local(false);
            }
        }>
            <fieldset class="choice">
                <legend>{move || t.get().projects.weekdays}</legend>
                {(0u8..7).map(|d| view! {
                    <label class="choice__inline">
                        <input type="checkbox" prop:checked=move || weekdays.get().contains(&d)
                            on:change:target=move |ev| {
                                let on = ev.target().checked();
                                weekdays.update(|w| { w.retain(|x| *x != d); if on { w.push(d); w.sort_unstable(); } });
                            } />
                        {move || (t.get().projects.weekday)(d)}
                    </label>
                }).collect_view()}
            </fieldset>
            <fieldset class="choice">
                <legend>{move || t.get().projects.windows}</legend>
                <For each=move || windows.get() key=|w| w.key let(w)>
                    <div class="form__grid window" role="group" aria-label=move || (t.get().projects.window_n)(w.key + 1)>
                        <WindowField w />
                        <button type="button" class="button button--secondary button--small"
                            on:click=move |_| windows.update(|l| l.retain(|x| x.key != w.key))>
                            {move || t.get().projects.remove_window}
                        </button>
                    </div>
                </For>
                <button type="button" class="button button--secondary" on:click=move |_| {
                    let key = next_key.get_value();
                    next_key.set_value(key + 1);
                    windows.update(|l| l.push(window(key, &PlanWindow { start_minute: 840, end_minute: 900, capacity: 4 })));
                }>{move || t.get().projects.add_window}</button>
            </fieldset>
            <TextField id="closed" label=Signal::derive(move || t.get().projects.field_closed)
                hint=Signal::derive(move || t.get().projects.field_closed_hint)
                error=Signal::derive(move || closed_error.get().map(|e| t.get().field_error(e)))
                value=closed rows=3 maxlength=4000 />
            {move || plan_error.get().map(|e| view! { <p class="notice notice--error" role="alert">{e}</p> })}
            <Refusal error=failure.refusal />
            <SendButton pending label=Signal::derive(move || t.get().projects.check_plan) class="button button--secondary" />
        </form>
        {move || outcome.get().map(|o| view! { <Outcome outcome=o decisions save pending /> })}
    }
}

#[component]
fn WindowField(w: Window) -> impl IntoView {
    let t = use_staff_texts();
    let ids = |part: &str| -> &'static str {
        // Ids are per window and part; a handful per page, kept for the page's life.
        quality_month_web::i18n::intern(format!("window-{}-{part}", w.key))
    };
    view! {
        <TextField id=ids("start") label=Signal::derive(move || t.get().projects.field_start) hint="" error=Signal::derive(|| None) value=w.start input_type="time" />
        <TextField id=ids("end") label=Signal::derive(move || t.get().projects.field_end) hint="" error=Signal::derive(|| None) value=w.end input_type="time" />
        <TextField id=ids("capacity") label=Signal::derive(move || t.get().projects.field_capacity) hint="" error=Signal::derive(|| None) value=w.capacity inputmode="numeric" maxlength=3 />
    }
}

#[component]
fn Outcome(
    outcome: PlanOutcome,
    decisions: RwSignal<Vec<(String, RwSignal<String>)>>,
    /// Saves the plan as it stands in the form (its closed days checked first).
    save: Callback<()>,
    pending: Memo<bool>,
) -> impl IntoView {
    let t = use_staff_texts();
    let residents = move || quality_month_web::i18n::texts(t.get().lang);
    let (added, removed, changed) = (
        outcome.slots_added,
        outcome.slots_removed,
        outcome.slots_changed,
    );
    let free = outcome.free.clone();
    let displaced = outcome.displaced.clone();
    view! {
        <section class="section" aria-labelledby="outcome-title" aria-live="polite">
            <h2 id="outcome-title">{move || (t.get().projects.plan_outcome)(added, removed, changed)}</h2>
            {outcome.committed.then(|| view! { <p class="notice" role="status">{move || t.get().projects.plan_saved}</p> })}
            {(!displaced.is_empty()).then(|| view! {
                <h3>{move || t.get().projects.displaced_title}</h3>
                <p>{move || t.get().projects.displaced_intro}</p>
                {displaced.iter().map(|v| {
                    let choice = decisions.with_untracked(|d| d.iter().find(|(c, _)| *c == v.code).map(|(_, s)| *s)).unwrap_or(RwSignal::new(String::new()));
                    let free = free.clone();
                    let options = Signal::derive(move || {
                        let r = residents();
                        std::iter::once((String::new(), "—".to_string()))
                            .chain(std::iter::once(("cancel".to_string(), t.get().projects.cancel_with_notice.to_string())))
                            .chain(free.iter().map(|s| (s.starts_at.to_rfc3339(), format!("{} {}", t.get().projects.move_to, r.date_time(s.starts_at)))))
                            .collect::<Vec<_>>()
                    });
                    let id = quality_month_web::i18n::intern(format!("move-{}", v.code));
                    let label = format!("{} · {} · {}", v.flat.zh(), v.buyer_name, v.phone_masked);
                    let label: &'static str = quality_month_web::i18n::intern(label);
                    view! { <SelectField id label=Signal::stored(label) value=choice options /> }
                }).collect_view()}
            })}
            {(!outcome.committed).then(|| view! {
                <SendButton pending label=Signal::derive(move || t.get().projects.save_plan)
                    on_send=save />
            })}
        </section>
    }
}
