//! One project: what buyers are told, where each part of running it is, and (for the
//! district office) who works on it.

use leptos::prelude::*;
use model::{Role, StaffAccount, StaffAssignment, StaffProject};
use quality_month_web::components::{Loader, PageHeading, SelectField, SendButton};

use crate::api;
use crate::app::{Session, paths};
use crate::i18n::use_staff_texts;
use crate::pages::{Refusal, failure_of, fresh, path_id};

#[component]
pub fn ProjectDesk() -> impl IntoView {
    let id = path_id();
    view! {
        <Loader fetch=move || fresh(api::project(id.get().unwrap_or_default()))
            render={|p: StaffProject| view! { <Desk project=p /> }} />
    }
}

#[component]
fn Desk(project: StaffProject) -> impl IntoView {
    let t = use_staff_texts();
    let session = expect_context::<Session>();
    let admin = session.me().is_some_and(|me| me.grant.is_admin());
    let manage = session
        .me()
        .is_some_and(|me| me.grant.project_access(project.id) == model::ProjectAccess::Manage);
    let id = project.id;
    let title = project.clone();
    Effect::new(move |_| {
        quality_month_web::prefs::set_title(&super::name(t.get(), &title), t.get().app_name)
    });
    let heading = project.clone();
    let d = project.draft.clone();
    let town = d.town;
    let handover = d.handover_on.to_string();
    let (address, instructions, developer) = (
        d.address.clone(),
        d.instructions.clone(),
        d.developer.clone(),
    );
    let flats = project.flats;
    let waiting = project.waiting_for_office;
    view! {
        <PageHeading>{move || super::name(t.get(), &heading)}</PageHeading>
        <dl class="facts">
            <div class="facts__row"><dt>{move || t.get().field_town}</dt><dd>{move || town.name(t.get().lang)}</dd></div>
            <div class="facts__row"><dt>{move || t.get().projects.field_developer_zh}</dt><dd>{move || developer.get(t.get().lang).to_string()}</dd></div>
            <div class="facts__row"><dt>{move || t.get().projects.field_address_zh}</dt><dd>{move || address.get(t.get().lang).to_string()}</dd></div>
            <div class="facts__row"><dt>{move || t.get().projects.field_handover}</dt><dd>{handover}</dd></div>
            <div class="facts__row"><dt>{move || t.get().projects.field_contact}</dt><dd>{d.contact_phone.clone()}</dd></div>
            <div class="facts__row"><dt>{move || t.get().projects.col_flats}</dt><dd>{flats}</dd></div>
            <div class="facts__row"><dt>{move || t.get().projects.field_instructions_zh}</dt><dd>{move || instructions.get(t.get().lang).to_string()}</dd></div>
        </dl>
        <ul class="link-list">
            <li><a class="button button--block" href=paths::project_visits(id)>{move || t.get().projects.visits}</a></li>
            <li><a class="button button--block button--secondary" href=paths::project_defects(id)>
                {move || t.get().projects.defects}
                {(waiting > 0).then(|| view! { " · " <span class="badge badge--low">{move || (t.get().projects.defects_waiting)(waiting)}</span> })}
            </a></li>
            {manage.then(|| view! {
                <li><a class="button button--block button--secondary" href=paths::project_import(id)>{move || t.get().projects.import}</a></li>
                <li><a class="button button--block button--secondary" href=paths::project_plan(id)>{move || t.get().projects.plan}</a></li>
                <li><a class="button button--block button--secondary" href=paths::edit_project(id)>{move || t.get().edit}</a></li>
            })}
        </ul>
        {admin.then(|| view! { <Assigned project /> })}
    }
}

/// The sales office and door accounts on the project; the district office adds and removes.
#[component]
fn Assigned(project: StaffProject) -> impl IntoView {
    let t = use_staff_texts();
    let id = project.id;
    let staff = RwSignal::new(project.staff);
    let chosen = RwSignal::new(String::new());
    let assign = Action::new_local(move |a: &StaffAssignment| {
        let a = a.clone();
        async move { api::assign(id, &a).await }
    });
    let pending = assign.pending();
    let failure = failure_of(assign);
    Effect::new(move |_| {
        if let Some(Ok(p)) = assign.value().get() {
            staff.set(p.staff);
        }
    });
    view! {
        <section class="section" aria-labelledby="staff-title">
            <h2 id="staff-title">{move || t.get().projects.staff_title}</h2>
            {move || {
                let list = staff.get();
                if list.is_empty() {
                    view! { <p>{move || t.get().projects.no_staff}</p> }.into_any()
                } else {
                    view! {
                        <ul class="list list--plain">
                            {list.into_iter().map(|a| {
                                let account_id = a.id;
                                view! {
                                    <li>
                                        {a.login.clone()} " · " {move || (t.get().role_name)(a.role)} " "
                                        <button type="button" class="button button--secondary button--small"
                                            on:click=move |_| { assign.dispatch_local(StaffAssignment { account_id, assigned: false }); }>
                                            {move || t.get().projects.unassign}
                                        </button>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
            <Loader fetch=move || fresh(api::accounts()) render={move |accounts: Vec<StaffAccount>| {
                let options: Vec<(String, String)> = accounts
                    .into_iter()
                    .filter(|a| matches!(a.grant.role, Role::ProjectOffice | Role::Door) && !a.disabled)
                    .map(|a| (a.id.to_string(), format!("{} · {}", a.login, (t.get_untracked().role_name)(a.grant.role))))
                    .collect();
                if let Some((first, _)) = options.first() {
                    chosen.set(first.clone());
                }
                view! {
                    <form class="form" on:submit=move |ev| {
                        ev.prevent_default();
                        if let Ok(account_id) = chosen.get_untracked().parse() {
                            assign.dispatch_local(StaffAssignment { account_id, assigned: true });
                        }
                    }>
                        <SelectField id="assign-account" label=Signal::derive(move || t.get().projects.field_account) value=chosen options=Signal::stored(options) />
                        <Refusal error=failure.refusal />
                        <SendButton pending label=Signal::derive(move || t.get().projects.assign) class="button button--secondary" />
                    </form>
                }
            }} />
        </section>
    }
}
