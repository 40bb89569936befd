//! The organisations behind the year's organisation figures, most participations first.

use leptos::prelude::*;
use model::OrganisationYear;
use quality_month_web::components::{Loader, PageHeading};

use super::{area_name, use_chosen};
use crate::api;
use crate::app::paths;
use crate::i18n::use_staff_texts;
use crate::pages::fresh;

#[component]
pub fn YearOrganisations() -> impl IntoView {
    let t = use_staff_texts();
    Effect::new(move |_| {
        quality_month_web::prefs::set_title(t.get().year.organisations_title, t.get().app_name)
    });
    let chosen = use_chosen();
    view! {
        <PageHeading>{move || t.get().year.organisations_title}</PageHeading>
        <p>{move || t.get().year.organisations_intro}</p>
        {move || match chosen.get() {
            Some(Ok((range, town))) => view! {
                <p class="facts__note">{move || (t.get().year.scope)(&range.from().to_string(), &range.to().to_string(), area_name(t.get(), town))}</p>
                <p><a href=paths::year(range, town)>{move || t.get().year.back}</a></p>
                <Loader fetch=move || fresh(api::year_organisations(range, town)) render={move |list: Vec<OrganisationYear>| view! { <Table list /> }} />
            }.into_any(),
            _ => view! { <p><a href=paths::YEAR>{move || t.get().year.back}</a></p> }.into_any(),
        }}
    }
}

#[component]
fn Table(list: Vec<OrganisationYear>) -> impl IntoView {
    let t = use_staff_texts();
    if list.is_empty() {
        return view! { <p>{move || t.get().year.no_organisations}</p> }.into_any();
    }
    view! {
        <div class="table-wrap" role="region" tabindex="0" aria-labelledby="year-organisations">
            <table class="table">
                <caption id="year-organisations" class="visually-hidden">{move || t.get().year.organisations_title}</caption>
                <thead><tr>
                    <th scope="col">{move || t.get().year.col_org_name}</th>
                    <th scope="col">{move || t.get().year.col_credit_code}</th>
                    <th scope="col">{move || t.get().year.col_participations}</th>
                    <th scope="col">{move || t.get().year.col_people}</th>
                </tr></thead>
                <tbody>
                    {list.into_iter().map(|o| view! {
                        <tr>
                            <th scope="row">{o.name}</th>
                            <td><code>{o.credit_code}</code></td>
                            <td>{o.participations}</td>
                            <td>{o.attendees}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
