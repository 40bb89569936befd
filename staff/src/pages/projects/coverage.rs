//! The district office's view: per project, whether buyers are served (booked, visited,
//! no-shows) and defects repaired; a chart with its table, and the figures as Excel.

use leptos::prelude::*;
use model::{Coverage as Figures, ProjectCoverage};
use quality_month_web::components::{BarChart, Loader, PageHeading};

use crate::api;
use crate::i18n::use_staff_texts;
use crate::pages::fresh;

#[component]
pub fn Coverage() -> impl IntoView {
    let t = use_staff_texts();
    Effect::new(move |_| {
        quality_month_web::prefs::set_title(t.get().projects.coverage_title, t.get().app_name)
    });
    view! {
        <PageHeading>{move || t.get().projects.coverage_title}</PageHeading>
        <p>{move || t.get().projects.coverage_intro}</p>
        <p><a class="button button--secondary" href=api::COVERAGE_FILE download="" rel="external">{move || t.get().projects.export_coverage}</a></p>
        <Loader fetch=move || fresh(api::coverage()) render={move |c: Figures| view! { <Table figures=c /> }} />
    }
}

#[component]
fn Table(figures: Figures) -> impl IntoView {
    let t = use_staff_texts();
    let lang = t.get_untracked().lang;
    let bars: Vec<(String, f64)> = figures
        .projects
        .iter()
        .map(|p| (p.name.get(lang).to_string(), p.visited_percent()))
        .collect();
    let rows: Vec<ProjectCoverage> = figures
        .projects
        .iter()
        .cloned()
        .chain(std::iter::once(figures.total.clone()))
        .collect();
    view! {
        <figure class="figure">
            <figcaption id="coverage-chart">{move || t.get().projects.coverage_chart}</figcaption>
            <BarChart caption_id="coverage-chart" rows=bars />
        </figure>
        <div class="table-wrap">
            <table class="table">
                <thead><tr>
                    <th scope="col">{move || t.get().projects.col_project}</th>
                    <th scope="col">{move || t.get().projects.col_flats}</th>
                    <th scope="col">{move || t.get().projects.col_booked}</th>
                    <th scope="col">{move || t.get().projects.col_visited}</th>
                    <th scope="col">{move || t.get().projects.col_no_shows}</th>
                    <th scope="col">{move || t.get().projects.col_defects}</th>
                    <th scope="col">{move || t.get().projects.col_open}</th>
                    <th scope="col">{move || t.get().projects.col_repaired}</th>
                    <th scope="col">{move || t.get().projects.col_confirmed}</th>
                    <th scope="col">{move || t.get().projects.col_median_days}</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|p| {
                        let name = p.name.clone();
                        view! {
                            <tr>
                                <th scope="row">{move || name.get(t.get().lang).to_string()}</th>
                                <td>{p.flats}</td>
                                <td>{p.booked}</td>
                                <td>{p.visited}</td>
                                <td>{p.no_shows}</td>
                                <td>{p.defects}</td>
                                <td>{p.open}</td>
                                <td>{p.repaired}</td>
                                <td>{p.confirmed}</td>
                                <td>{p.median_days_to_repair.map(|d| format!("{d:.1}")).unwrap_or_else(|| "—".into())}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
