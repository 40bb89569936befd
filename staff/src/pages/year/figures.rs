//! The figures, each a link to the list behind it: events to the filtered events list,
//! organisations to their list, 预看房 to the coverage page (admins), a wave to its
//! analysis (survey staff), a town to its own figures.

use leptos::prelude::*;
use model::year_figures::{Rate, TownFigures, WaveFigures};
use model::{Category, Town, YearFigures, YearRange};

use super::EventFilter;
use crate::app::{Session, paths};
use crate::i18n::{StaffTexts, use_staff_texts};

type Label = fn(&StaffTexts) -> &'static str;

/// One `dt`/`dd` row: a label, and the figure as a link when there is a list behind it.
#[component]
fn Figure(
    /// The figure's name.
    label: Label,
    /// The figure as shown.
    #[prop(into)]
    value: Signal<String>,
    /// The list behind it, if the account may open it.
    #[prop(default = None)]
    href: Option<String>,
    /// What exactly is counted.
    #[prop(optional)]
    hint: Option<Label>,
) -> impl IntoView {
    let t = use_staff_texts();
    view! {
        <div class="facts__row">
            // What exactly is counted stays with the name, so the figure keeps its width.
            <dt>
                <span>{move || label(t.get())}</span>
                {hint.map(|hint| view! { <br /><span class="facts__note">{move || hint(t.get())}</span> })}
            </dt>
            <dd>
                {match href {
                    // A link's name says what the number is (a list of links reads it alone).
                    Some(href) => view! {
                        <a href=href aria-label=move || format!("{} {}", label(t.get()), value.get())>{value}</a>
                    }.into_any(),
                    None => view! { <span>{value}</span> }.into_any(),
                }}
            </dd>
        </div>
    }
}

fn count(n: u32) -> Signal<String> {
    Signal::stored(n.to_string())
}

#[component]
pub fn Figures(
    /// What the server counted.
    figures: YearFigures,
    /// The days counted.
    range: YearRange,
) -> impl IntoView {
    let t = use_staff_texts();
    let session = expect_context::<Session>();
    let grant = session.me().map(|me| me.grant);
    let admin = grant.as_ref().is_some_and(|g| g.is_admin());
    let surveys = grant.as_ref().is_some_and(|g| g.works_on_surveys());
    let town = figures.town;
    let held = |kind: Option<Category>| {
        let filter = EventFilter {
            kind,
            town,
            from: Some(range.from()),
            to: Some(range.to()),
            held: true,
        };
        format!("{}?{}", paths::HOME, filter.query())
    };
    let organisations = paths::year_organisations(range, town);
    let rate = move |r: Rate| Signal::derive(move || (t.get().year.rate)(r));
    let (o, i) = (figures.organisations, figures.inspections);
    let coverage = move || admin.then(|| paths::COVERAGE.to_string());
    let counted = figures.counted;
    view! {
        <h2>{move || t.get().year.events_heading}</h2>
        <dl class="facts facts--wide">
            <Figure label=|t| t.year.events_held value=count(figures.events.total) href=Some(held(None)) hint=|t| t.year.events_held_hint />
        </dl>
        <div class="table-wrap" role="region" tabindex="0" aria-labelledby="year-kinds">
            <table class="table">
                <caption id="year-kinds">{move || t.get().year.by_kind}</caption>
                <thead><tr>
                    <th scope="col">{move || t.get().year.col_kind}</th>
                    <th scope="col">{move || t.get().year.col_events}</th>
                </tr></thead>
                <tbody>
                    {figures.events.by_kind.iter().map(|k| {
                        let kind = k.category;
                        view! {
                            <tr>
                                <th scope="row">{move || kind.name(t.get().lang)}</th>
                                <td><a href=held(Some(kind))>{k.events}</a></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>

        <h2>{move || t.get().year.participation_heading}</h2>
        <p class="notice">{move || (t.get().year.counted)(counted.from_checkins, counted.from_signups)}</p>
        <dl class="facts facts--wide">
            <Figure label=|t| t.year.org_participations value=count(o.participations) href=Some(organisations.clone()) />
            <Figure label=|t| t.year.organisations value=count(o.organisations) href=Some(organisations.clone()) />
            <Figure label=|t| t.year.org_attendees value=count(o.attendees) href=Some(organisations) />
            <Figure label=|t| t.year.residents value=count(figures.residents) href=Some(held(None)) />
            <Figure label=|t| t.year.waitlist_rate value=rate(figures.waitlist) href=Some(held(None)) hint=|t| t.year.waitlist_hint />
            <Figure label=|t| t.year.no_show_rate value=rate(figures.no_shows) href=Some(held(None)) hint=|t| t.year.no_show_hint />
        </dl>

        <h2>{move || t.get().year.inspections_heading}</h2>
        <p class="facts__note">{move || t.get().year.inspections_hint}</p>
        <dl class="facts facts--wide">
            <Figure label=|t| t.year.booked value=count(i.booked) href=coverage() />
            <Figure label=|t| t.year.visited value=count(i.visited) href=coverage() />
            <Figure label=|t| t.year.no_shows value=count(i.no_shows) href=coverage() />
            <Figure label=|t| t.year.defects value=count(i.defects) href=coverage() />
            <Figure label=|t| t.year.open value=count(i.open) href=coverage() />
            <Figure label=|t| t.year.repaired value=count(i.repaired) href=coverage() />
            <Figure label=|t| t.year.confirmed value=count(i.confirmed) href=coverage() />
        </dl>

        <h2>{move || t.get().year.surveys_heading}</h2>
        <Surveys waves=figures.surveys surveys />
        {(!figures.by_town.is_empty()).then(|| view! { <ByTown rows=figures.by_town range /> })}
    }
}

#[component]
fn Surveys(
    /// The waves with responses in the range.
    waves: Vec<WaveFigures>,
    /// Whether the account opens a wave's analysis.
    surveys: bool,
) -> impl IntoView {
    let t = use_staff_texts();
    if waves.is_empty() {
        return view! { <p>{move || t.get().year.no_surveys}</p> }.into_any();
    }
    view! {
        <div class="table-wrap" role="region" tabindex="0" aria-labelledby="year-surveys">
            <table class="table">
                <caption id="year-surveys" class="visually-hidden">{move || t.get().year.surveys_heading}</caption>
                <thead><tr>
                    <th scope="col">{move || t.get().year.col_wave}</th>
                    <th scope="col">{move || t.get().year.col_responses}</th>
                    <th scope="col">{move || t.get().year.col_index}</th>
                </tr></thead>
                <tbody>
                    {waves.into_iter().map(|w| {
                        let name = w.name.clone();
                        let name = move || name.get(t.get().lang).to_string();
                        let index = w.index.map(|e| format!("{:.1}", e.value));
                        view! {
                            <tr>
                                <th scope="row">{if surveys {
                                    view! { <a href=paths::wave_analysis(w.wave)>{name}</a> }.into_any()
                                } else {
                                    name.into_any()
                                }}</th>
                                <td>{w.responses}</td>
                                <td>{match index {
                                    Some(index) => index.into_any(),
                                    None => (move || t.get().year.withheld).into_any(),
                                }}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn ByTown(
    /// One row per town.
    rows: Vec<TownFigures>,
    /// The days counted, kept by each town's link.
    range: YearRange,
) -> impl IntoView {
    let t = use_staff_texts();
    view! {
        <h2 id="year-towns">{move || t.get().year.by_town}</h2>
        <div class="table-wrap" role="region" tabindex="0" aria-labelledby="year-towns">
            <table class="table">
                <caption class="visually-hidden">{move || t.get().year.by_town}</caption>
                <thead><tr>
                    <th scope="col">{move || t.get().year.col_town}</th>
                    <th scope="col">{move || t.get().year.col_events}</th>
                    <th scope="col">{move || t.get().year.col_org_participations}</th>
                    <th scope="col">{move || t.get().year.col_residents}</th>
                    <th scope="col">{move || t.get().year.col_visits}</th>
                    <th scope="col">{move || t.get().year.col_survey_responses}</th>
                </tr></thead>
                <tbody>
                    {rows.into_iter().map(|r| {
                        let town: Town = r.town;
                        view! {
                            <tr>
                                <th scope="row"><a href=paths::year(range, Some(town))>{move || town.name(t.get().lang)}</a></th>
                                <td>{r.events}</td>
                                <td>{r.org_participations}</td>
                                <td>{r.residents}</td>
                                <td>{r.visits}</td>
                                <td>{r.survey_responses}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}
