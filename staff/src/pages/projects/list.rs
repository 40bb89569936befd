use leptos::prelude::*;
use model::StaffProject;
use quality_month_web::components::{Loader, PageHeading};

use crate::api;
use crate::app::{Session, paths};
use crate::i18n::use_staff_texts;
use crate::pages::fresh;

/// The projects in the staff member's scope; the district office opens new ones here.
#[component]
pub fn ProjectList() -> impl IntoView {
    let t = use_staff_texts();
    let session = expect_context::<Session>();
    let admin = session.me().is_some_and(|me| me.grant.is_admin());
    Effect::new(move |_| {
        quality_month_web::prefs::set_title(t.get().projects.list_title, t.get().app_name)
    });
    view! {
        <PageHeading>{move || t.get().projects.list_title}</PageHeading>
        {admin.then(|| view! {
            <p class="actions">
                <a class="button" href=paths::NEW_PROJECT>{move || t.get().projects.new_project}</a>
                <a class="button button--secondary" href=paths::COVERAGE>{move || t.get().projects.coverage}</a>
            </p>
        })}
        <Loader fetch=move || fresh(api::projects()) render={move |projects: Vec<StaffProject>| {
            if projects.is_empty() {
                return view! { <p>{move || t.get().projects.none}</p> }.into_any();
            }
            view! {
                <ul class="cards">
                    {projects.into_iter().map(|p| {
                        let id = p.id;
                        let (town, flats, handover) = (p.draft.town, p.flats, p.draft.handover_on);
                        let waiting = p.waiting_for_office;
                        view! {
                            <li class="card">
                                <h2 class="card__title"><a href=paths::project(id)>{move || super::name(t.get(), &p)}</a></h2>
                                <p class="card__meta">{move || town.name(t.get().lang)} " · " {move || (t.get().projects.handover_on)(&handover.to_string())}</p>
                                <p class="card__meta">{move || (t.get().projects.flats_n)(flats)}</p>
                                {(waiting > 0).then(|| view! {
                                    <p><span class="badge badge--low">{move || t.get().projects.defects} " · " {move || (t.get().projects.defects_waiting)(waiting)}</span></p>
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }} />
    }
}
