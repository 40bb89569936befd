use leptos::prelude::*;
use model::{EventAccess, EventStatus, StaffEvent, Town};
use quality_month_web::components::{Loader, PageHeading};

use super::fresh;
use super::year::EventFilter;
use crate::api;
use crate::app::{Session, paths};
use crate::i18n::{StaffTexts, use_staff_texts};

/// The events in the staff member's scope, newest first, with how many signed up and
/// came, and attendance per town.
#[component]
pub fn Dashboard() -> impl IntoView {
    let t = use_staff_texts();
    let session = expect_context::<Session>();
    // A sales office (or a door only at projects) has no events: its home is 预看房; an
    // analyst's is the survey.
    if let Some(me) = session.me().filter(|me| !me.grant.works_on_events()) {
        let home = if me.grant.works_on_surveys() {
            paths::SURVEYS
        } else {
            paths::PROJECTS
        };
        return view! { <leptos_router::components::Redirect path=home /> }.into_any();
    }
    Effect::new(move |_| {
        quality_month_web::prefs::set_title(t.get().events_title, t.get().app_name)
    });
    // Anyone who may run events of some town may make one there.
    let may_create = move || {
        session.me().is_some_and(|me| {
            Town::ALL
                .iter()
                .any(|town| me.grant.event_access(None, *town) == EventAccess::Manage)
        })
    };
    // The list behind a figure of the year in numbers comes filtered.
    let query = leptos_router::hooks::use_query_map();
    let filter = Memo::new(move |_| query.with(|q| EventFilter::read(|key| q.get(key))));
    let sees_year = move || {
        session
            .me()
            .is_some_and(|me| !me.grant.year_towns().is_empty())
    };
    view! {
        <PageHeading>{move || t.get().events_title}</PageHeading>
        {move || may_create().then(|| view! {
            <p><a class="button" href=paths::NEW_EVENT>{move || t.get().new_event}</a></p>
        })}
        <p><a href=paths::REMINDERS>{move || t.get().reminders.dashboard_link}</a></p>
        {move || sees_year().then(|| view! { <p><a href=paths::YEAR>{move || t.get().year.dashboard_link}</a></p> })}
        <Loader fetch=move || fresh(api::events()) render={move |events: Vec<StaffEvent>| {
            let (f, now) = (filter.get(), quality_month_web::today::now());
            let events: Vec<StaffEvent> = events.into_iter().filter(|e| f.keeps(e, now)).collect();
            let shown = events.len();
            view! {
                {(!f.is_empty()).then(|| view! {
                    <p class="notice">{move || (t.get().year.filtered)(shown)} " " <a href=paths::HOME>{move || t.get().year.show_all}</a></p>
                })}
                <EventList events=events.clone() />
                <ByTown events />
            }
        }} />
    }
    .into_any()
}

pub(crate) fn status_text(t: &StaffTexts, s: EventStatus) -> &'static str {
    match s {
        EventStatus::Draft => t.status_draft,
        EventStatus::Published => t.status_published,
        EventStatus::Cancelled => t.status_cancelled,
    }
}

#[component]
fn EventList(events: Vec<StaffEvent>) -> impl IntoView {
    let t = use_staff_texts();
    if events.is_empty() {
        return view! { <p>{move || t.get().no_events}</p> }.into_any();
    }
    view! {
        <ul class="cards">
            {events.into_iter().map(|e| {
                let title = e.draft.title.clone();
                let start = e.draft.starts_at;
                let (town, kind, status) = (e.draft.town, e.draft.category, e.status);
                let (taken, capacity, attended, waiting) = (e.taken, e.draft.capacity, e.attended, e.waitlisted);
                view! {
                    <li class="card" class:card--muted=status == EventStatus::Cancelled>
                        <p class="card__kind">
                            <span class="badge" class:badge--muted=status != EventStatus::Published>
                                {move || status_text(t.get(), status)}
                            </span>
                            " " {move || format!("{} · {}", kind.name(t.get().lang), town.name(t.get().lang))}
                        </p>
                        <h2 class="card__title"><a href=paths::event(e.id)>{move || title.get(t.get().lang).to_string()}</a></h2>
                        <p class="card__meta">{move || quality_month_web::i18n::texts(t.get().lang).date_time(start)}</p>
                        <p class="card__meta">
                            {move || (t.get().taken_of)(taken, capacity)} " · "
                            {move || (t.get().attended_n)(attended)}
                            {(waiting > 0).then(|| view! { " · " {move || (t.get().waitlisted_n)(waiting)} })}
                        </p>
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// Attendance per town over the listed events (cancelled ones left out).
#[component]
fn ByTown(events: Vec<StaffEvent>) -> impl IntoView {
    let t = use_staff_texts();
    let rows: Vec<(Town, usize, u32, u32)> = Town::ALL
        .iter()
        .filter_map(|town| {
            let of_town: Vec<&StaffEvent> = events
                .iter()
                .filter(|e| e.draft.town == *town && e.status != EventStatus::Cancelled)
                .collect();
            (!of_town.is_empty()).then(|| {
                (
                    *town,
                    of_town.len(),
                    of_town.iter().map(|e| e.taken).sum(),
                    of_town.iter().map(|e| e.attended).sum(),
                )
            })
        })
        .collect();
    (!rows.is_empty()).then(|| {
        view! {
            <h2>{move || t.get().attendance_by_town}</h2>
            <div class="table-wrap">
                <table class="table">
                    <thead><tr>
                        <th scope="col">{move || t.get().col_town}</th>
                        <th scope="col">{move || t.get().col_events}</th>
                        <th scope="col">{move || t.get().col_taken}</th>
                        <th scope="col">{move || t.get().col_attended}</th>
                    </tr></thead>
                    <tbody>
                        {rows.into_iter().map(|(town, n, taken, attended)| view! {
                            <tr>
                                <th scope="row">{move || town.name(t.get().lang)}</th>
                                <td>{n}</td><td>{taken}</td><td>{attended}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
    })
}
