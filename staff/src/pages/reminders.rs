//! Reminders as staff run them: per event and project, what went out and failed, what
//! goes next, the day-before time (for those who run it), and no-shows among people
//! reminded and not.

use leptos::prelude::*;
use model::reminder::{ReminderFigures, ReminderSetting, ReminderTime};
use quality_month_web::components::{Loader, PageHeading};
use quality_month_web::i18n::texts;

use crate::api;
use crate::app::Session;
use crate::i18n::use_staff_texts;
use crate::pages::fresh;

#[component]
pub fn Reminders() -> impl IntoView {
    let t = use_staff_texts();
    Effect::new(move |_| {
        quality_month_web::prefs::set_title(t.get().reminders.title, t.get().app_name)
    });
    view! {
        <PageHeading>{move || t.get().reminders.title}</PageHeading>
        <p>{move || t.get().reminders.intro}</p>
        <Loader fetch=move || fresh(api::reminders()) render={move |rows: Vec<ReminderFigures>| view! { <Table rows /> }} />
    }
}

#[component]
fn Table(rows: Vec<ReminderFigures>) -> impl IntoView {
    let t = use_staff_texts();
    if rows.is_empty() {
        return view! { <p>{move || t.get().reminders.none}</p> }.into_any();
    }
    view! {
        <div class="table-wrap" role="region" tabindex="0" aria-labelledby="reminders-caption">
            <table class="table">
                <caption id="reminders-caption" class="visually-hidden">{move || t.get().reminders.title}</caption>
                <thead><tr>
                    <th scope="col">{move || t.get().reminders.col_subject}</th>
                    <th scope="col">{move || t.get().reminders.col_evening}</th>
                    <th scope="col">{move || t.get().reminders.col_next}</th>
                    <th scope="col">{move || t.get().reminders.col_sent}</th>
                    <th scope="col">{move || t.get().reminders.col_failed}</th>
                    <th scope="col">{move || t.get().reminders.col_waiting}</th>
                    <th scope="col">{move || t.get().reminders.col_turned_off}</th>
                    <th scope="col">{move || t.get().reminders.col_no_show_reminded}</th>
                    <th scope="col">{move || t.get().reminders.col_no_show_unreminded}</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|row| view! { <Row row /> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn Row(row: ReminderFigures) -> impl IntoView {
    let t = use_staff_texts();
    let session = expect_context::<Session>();
    let name = row.name.clone();
    let is_project = row.subject.starts_with("project:");
    let starts = row.starts_at;
    let next = row.next_due_at.map(|at| (row.next_due, at));
    let (came_r, missed_r) = (row.came_reminded, row.missed_reminded);
    let (came_u, missed_u) = (row.came_unreminded, row.missed_unreminded);
    // Whoever runs the event or project may move its time; the door only reads.
    let may_change = session.me().is_some_and(|me| {
        let (kind, id) = row.subject.split_once(':').unwrap_or_default();
        let id: i64 = id.parse().unwrap_or_default();
        match kind {
            "project" => me.grant.project_access(id) == model::ProjectAccess::Manage,
            _ => me.grant.is_admin() || me.grant.role == model::Role::Organiser,
        }
    });
    let label_name = name.clone();
    view! {
        <tr>
            <th scope="row">
                {move || name.get(t.get().lang).to_string()}
                <span class="card__meta">{move || {
                    let lang = t.get().lang;
                    match starts {
                        Some(at) => format!(" · {}", texts(lang).date_time(at)),
                        None if is_project => format!(" · {}", t.get().reminders.project),
                        None => String::new(),
                    }
                }}</span>
            </th>
            <td>
                {if may_change {
                    view! { <EveningTime subject=row.subject.clone() current=row.evening_at name=label_name /> }.into_any()
                } else {
                    view! { {row.evening_at.to_string()} }.into_any()
                }}
            </td>
            <td>{move || next.map_or_else(|| "—".to_string(), |(n, at)| (t.get().reminders.next)(n, &texts(t.get().lang).date_time(at)))}</td>
            <td>{row.sent}</td>
            <td>{row.failed}</td>
            <td>{row.waiting}</td>
            <td>{row.turned_off}</td>
            <td>{move || (t.get().reminders.no_shows)(missed_r, came_r + missed_r)}</td>
            <td>{move || (t.get().reminders.no_shows)(missed_u, came_u + missed_u)}</td>
        </tr>
    }
}

#[component]
fn EveningTime(subject: String, current: ReminderTime, name: model::Localized) -> impl IntoView {
    let t = use_staff_texts();
    let value = RwSignal::new(current.to_string());
    let outcome = RwSignal::new(None::<Result<(), &'static str>>);
    let id = format!("evening-{}", subject.replace(':', "-"));
    let hint_id = format!("{id}-hint");
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let subject = subject.clone();
        let Ok(evening_at) = ReminderTime::parse(&value.get_untracked()) else {
            outcome.set(Some(Err(t
                .get_untracked()
                .field_error(model::FieldError::OutOfRange))));
            return;
        };
        leptos::task::spawn_local(async move {
            let answer = api::set_reminder_time(&subject, &ReminderSetting { evening_at }).await;
            outcome.set(Some(
                answer
                    .map(|s| value.set(s.evening_at.to_string()))
                    .map_err(|e| t.get_untracked().client_error(&e)),
            ));
        });
    };
    view! {
        <form class="inline-form" on:submit=save>
            <label class="visually-hidden" for=id.clone()>{move || (t.get().reminders.evening_label)(name.get(t.get().lang))}</label>
            <input id=id class="field__input" type="time" min="08:00" max="20:59" required
                aria-describedby=hint_id.clone()
                prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
            <span id=hint_id class="visually-hidden">{move || t.get().reminders.evening_hint}</span>
            <button type="submit" class="button button--secondary">{move || t.get().reminders.save}</button>
            <span role="status">{move || match outcome.get() {
                Some(Ok(())) => t.get().reminders.saved,
                Some(Err(e)) => e,
                None => "",
            }}</span>
        </form>
    }
}
