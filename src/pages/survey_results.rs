//! Survey results: the satisfaction index by area and by town, each as a bar chart with
//! the same figures in a table.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use model::Town;
use model::survey::{Dimension, OTHER_TOWNS, PublicCount, SurveyResults};
use model::survey_wave::PublishedWave;

use crate::api;
use crate::app::paths;
use crate::components::{BarChart, Loader, PageHeading};
use crate::i18n::{Texts, use_texts};
use crate::prefs::set_title;

/// `/survey/results`: the latest wave with public results; `/survey/results/{id}`: that
/// wave, at an address that stays. Either way, the other waves are listed below.
#[component]
pub fn SurveyResultsPage() -> impl IntoView {
    let t = use_texts();
    Effect::new(move |_| set_title(t.get().survey.results_title, t.get().app_name));
    let params = use_params_map();
    let chosen = Memo::new(move |_| {
        params
            .read()
            .get("id")
            .and_then(|id| id.parse::<i64>().ok())
    });
    let fetch = move || async move {
        let waves = api::public_waves().await?;
        let Some(wave) = (match chosen.get_untracked() {
            Some(id) => waves.value.iter().find(|w| w.id == id).cloned(),
            None => waves.value.first().cloned(),
        }) else {
            // A wave not public (yet), or none at all: say which, and list the others.
            return Ok(api::Loaded {
                value: Err(waves.value),
                kept_since: waves.kept_since,
            });
        };
        let results = api::survey_results(wave.id).await?;
        // Offline, the older of the two kept copies says how old the page is.
        let kept_since = match (waves.kept_since, results.kept_since) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        Ok(api::Loaded {
            value: Ok((wave, results.value, waves.value)),
            kept_since,
        })
    };
    view! {
        <p class="back"><a href=paths::SURVEY>{move || t.get().survey.title}</a></p>
        {move || {
            // A new address (another wave from the list below) loads that wave.
            chosen.track();
            view! {
                <Loader fetch render={move |found: Result<(PublishedWave, SurveyResults, Vec<PublishedWave>), Vec<PublishedWave>>| match found {
                    Ok((wave, results, waves)) => view! { <WaveResults wave results waves /> }.into_any(),
                    Err(waves) => view! {
                        <PageHeading>{move || t.get().survey.results_title}</PageHeading>
                        <p>{move || if chosen.get_untracked().is_some() { t.get().survey.no_such_results } else { t.get().survey.no_results }}</p>
                        <OtherWaves waves />
                    }.into_any(),
                }} />
            }
        }}
    }
}

#[component]
fn WaveResults(
    wave: PublishedWave,
    results: SurveyResults,
    waves: Vec<PublishedWave>,
) -> impl IntoView {
    let t = use_texts();
    let others: Vec<PublishedWave> = waves.into_iter().filter(|w| w.id != wave.id).collect();
    let live = wave.published_at.is_none();
    view! {
        <p class="kicker" id="wave-name">{let w = wave.wave.clone(); move || w.get(t.get().lang).to_string()}</p>
        {move || match wave.published_at {
            Some(at) => view! { <p class="facts__note">{(t.get().survey.published_on)(&t.get().date(at.date()))}</p> }.into_any(),
            None => view! { <p class="notice">{t.get().survey.live_note}</p> }.into_any(),
        }}
        <Results results live />
        <OtherWaves waves=others />
    }
}

/// Links to other waves' results, at their lasting addresses.
#[component]
fn OtherWaves(waves: Vec<PublishedWave>) -> impl IntoView {
    let t = use_texts();
    (!waves.is_empty()).then(|| view! {
        <section class="section" aria-labelledby="other-waves">
            <h2 id="other-waves">{move || t.get().survey.other_waves}</h2>
            <ul class="link-list">
                {waves.into_iter().map(|w| view! {
                    <li><a href=paths::survey_results(w.id)>{move || w.wave.get(t.get().lang).to_string()}</a></li>
                }).collect_view()}
            </ul>
        </section>
    })
}

fn town_name(t: &Texts, slug: &str) -> String {
    if slug == OTHER_TOWNS {
        return t.survey.other_towns.to_string();
    }
    Town::from_slug(slug).map_or_else(|| slug.to_string(), |town| town.name(t.lang).to_string())
}

#[component]
fn Results(
    results: SurveyResults,
    /// The open wave: its figures move in steps, under the privacy rule.
    live: bool,
) -> impl IntoView {
    let t = use_texts();
    move || {
        let t = t.get();
        let s = t.survey;
        let r = &results;
        let dimensions: Vec<(String, f64)> = Dimension::RATED
            .iter()
            .filter_map(|d| {
                r.index
                    .by_dimension
                    .get(d)
                    .map(|v| (s.dimension(*d).to_string(), *v))
            })
            .collect();
        let towns: Vec<(String, PublicCount, Option<f64>)> = r
            .by_town
            .iter()
            .map(|g| (town_name(t, &g.town), g.responses, g.index.overall))
            .collect();
        let town_bars: Vec<(String, f64)> = towns
            .iter()
            .filter_map(|(name, _, v)| v.map(|v| (name.clone(), v)))
            .collect();
        let overall = r
            .index
            .overall
            .map_or_else(|| s.no_index.to_string(), |v| format!("{v:.1}"));
        view! {
            <PageHeading>{s.results_title}</PageHeading>
            <p class="lead">{(s.responses)(r.responses)}</p>
            <div class="panel">
                <p class="panel__label">{s.overall_index}</p>
                <p class="panel__code">{overall}</p>
            </div>
            <p class="facts__note">{s.index_explained}</p>
            <section class="section" aria-labelledby="by-dimension">
                <h2 id="by-dimension">{s.by_dimension}</h2>
                <BarChart caption_id="by-dimension" rows=dimensions.clone() />
                <table class="table">
                    <caption class="visually-hidden">{s.by_dimension}</caption>
                    <thead><tr><th scope="col">{s.dimension_col}</th><th scope="col">{s.index_col}</th></tr></thead>
                    <tbody>
                        {dimensions.into_iter().map(|(name, v)| view! {
                            <tr><th scope="row">{name}</th><td>{format!("{v:.1}")}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
            <section class="section" aria-labelledby="by-town">
                <h2 id="by-town">{s.by_town}</h2>
                <BarChart caption_id="by-town" rows=town_bars />
                <table class="table">
                    <caption class="visually-hidden">{s.by_town}</caption>
                    <thead><tr>
                        <th scope="col">{s.town_col}</th><th scope="col">{s.responses_col}</th><th scope="col">{s.index_col}</th>
                    </tr></thead>
                    <tbody>
                        {towns.into_iter().map(|(name, n, v)| view! {
                            <tr>
                                <th scope="row">{name}</th>
                                <td>{n.to_string()}</td>
                                <td>{v.map_or_else(|| s.no_index.to_string(), |v| format!("{v:.1}"))}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                <p class="facts__note">{s.small_groups}</p>
            </section>
            {live.then(|| view! { <p class="facts__note">{s.privacy_rule}</p> })}
        }
    }
}
