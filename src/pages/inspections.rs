use leptos::prelude::*;
use model::Project;

use crate::api;
use crate::app::paths;
use crate::components::{Loader, PageHeading};
use crate::i18n::use_texts;
use crate::prefs::set_title;

/// 预看房: the housing projects taking bookings, each with its handover date and address.
#[component]
pub fn Inspections() -> impl IntoView {
    let t = use_texts();
    Effect::new(move |_| set_title(t.get().inspect.title, t.get().app_name));
    let render = move |projects: Vec<Project>| {
        if projects.is_empty() {
            return view! { <p class="empty">{move || t.get().inspect.no_projects}</p> }.into_any();
        }
        view! {
            <ul class="cards">
                {projects.into_iter().map(|p| view! { <ProjectCard project=p /> }).collect_view()}
            </ul>
        }
        .into_any()
    };
    view! {
        <PageHeading>{move || t.get().inspect.title}</PageHeading>
        <p class="lead">{move || t.get().inspect.intro}</p>
        <Loader fetch=api::projects render />
    }
}

#[component]
fn ProjectCard(project: Project) -> impl IntoView {
    let t = use_texts();
    let Project {
        id,
        name,
        developer,
        address,
        town,
        handover_on,
        booking_closes_at,
        ..
    } = project;
    // Bookings close at midnight starting handover day: the last day is the day before.
    let last_day = booking_closes_at.add_secs(-1).date();
    let name_id = format!("project-{id}");
    view! {
        <li class="card">
            <p class="card__kind">{move || town.name(t.get().lang)}</p>
            <h2 class="card__title" id=name_id.clone()>{move || name.get(t.get().lang).to_string()}</h2>
            <dl class="facts facts--compact">
                <div class="facts__row">
                    <dt>{move || t.get().inspect.handover_label}</dt>
                    <dd>{move || t.get().date(handover_on)}</dd>
                </div>
                <div class="facts__row">
                    <dt>{move || t.get().inspect.booking_until}</dt>
                    <dd>{move || t.get().date(last_day)}</dd>
                </div>
                <div class="facts__row">
                    <dt>{move || t.get().inspect.address_label}</dt>
                    <dd>{move || address.get(t.get().lang).to_string()}</dd>
                </div>
                <div class="facts__row">
                    <dt>{move || t.get().inspect.developer_label}</dt>
                    <dd>{move || developer.get(t.get().lang).to_string()}</dd>
                </div>
            </dl>
            <a class="button button--block" href=paths::project_booking(id) aria-describedby=name_id>
                {move || t.get().inspect.book_visit}
            </a>
        </li>
    }
}
