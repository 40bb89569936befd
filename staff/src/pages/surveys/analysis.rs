//! The live analysis of a wave, for staff only: responses per day, the index with its
//! 95 % interval overall and by group, the change against the previous wave, and the
//! comments to read, tag and hide. Every chart has its table.

use leptos::prelude::*;
use model::Town;
use model::survey::{Dimension, OTHER_TOWNS};
use model::survey_analysis::{Breakdown, Estimate, Group, WaveAnalysis};
use model::survey_wave::{Channel, Comment, CommentMarks, CommentTag, StaffWave};
use quality_month_web::components::{BarChart, Loader, PageHeading};
use quality_month_web::i18n::texts;

use crate::api;
use crate::app::paths;
use crate::i18n::{StaffTexts, use_staff_texts};
use crate::pages::{Refusal, failure_of, fresh, path_id};

#[component]
pub fn WaveAnalysisPage() -> impl IntoView {
    let t = use_staff_texts();
    let id = path_id();
    Effect::new(move |_| {
        quality_month_web::prefs::set_title(t.get().surveys.analysis_title, t.get().app_name)
    });
    let fetch = move || async move {
        let id = id.get_untracked().unwrap_or_default();
        let wave = fresh(api::wave(id)).await?;
        let analysis = fresh(api::wave_analysis(id)).await?;
        let comments = fresh(api::comments(id)).await?;
        Ok(quality_month_web::api::Loaded {
            value: (wave.value, analysis.value, comments.value),
            kept_since: None,
        })
    };
    view! {
        <Loader fetch render={move |(wave, analysis, comments): (StaffWave, WaveAnalysis, Vec<Comment>)| view! {
            <p class="back"><a href=paths::wave(wave.id)>{let w = wave.clone(); move || super::name(t.get(), &w)}</a></p>
            <PageHeading>{move || t.get().surveys.analysis_title}</PageHeading>
            <Figures analysis />
            <Comments wave=wave.id comments />
        }} />
    }
}

fn interval(e: &Estimate, t: &StaffTexts) -> String {
    match (e.low, e.high) {
        (Some(low), Some(high)) => format!("{low:.1}–{high:.1}"),
        _ => t.surveys.no_interval.to_string(),
    }
}

fn group_name(by: &str, g: &Group, t: &StaffTexts) -> String {
    if let Some(label) = &g.label {
        return label.get(t.lang).to_string();
    }
    match by {
        "channel" => Channel::parse(&g.key)
            .map_or_else(|| g.key.clone(), |c| (t.surveys.channel)(c).to_string()),
        _ if g.key == OTHER_TOWNS => t.surveys.other_towns.to_string(),
        _ => Town::from_slug(&g.key)
            .map_or_else(|| g.key.clone(), |town| town.name(t.lang).to_string()),
    }
}

fn dimension_name(d: Option<Dimension>, t: &StaffTexts) -> String {
    match d {
        Some(d) => texts(t.lang).survey.dimension(d).to_string(),
        None => t.surveys.overall.to_string(),
    }
}

#[component]
fn Figures(analysis: WaveAnalysis) -> impl IntoView {
    let t = use_staff_texts();
    move || {
        let t = t.get();
        let s = t.surveys;
        let a = &analysis;
        let mut index_rows: Vec<(String, Estimate)> = a
            .index
            .by_dimension
            .iter()
            .map(|(d, e)| (dimension_name(Some(*d), t), *e))
            .collect();
        index_rows.extend(a.index.overall.map(|e| (s.overall.to_string(), e)));
        let bars = index_rows
            .iter()
            .map(|(n, e)| (n.clone(), e.value))
            .collect();
        view! {
            <p class="lead">{(s.responses)(a.responses)}</p>
            <section class="section" aria-labelledby="by-day">
                <h2 id="by-day">{s.by_day}</h2>
                <table class="table">
                    <thead><tr><th scope="col">{s.col_day}</th><th scope="col">{s.col_online}</th><th scope="col">{s.col_paper}</th></tr></thead>
                    <tbody>
                        {a.by_day.iter().map(|d| view! {
                            <tr><th scope="row">{d.day.to_string()}</th><td>{d.online}</td><td>{d.paper}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
            <section class="section" aria-labelledby="index">
                <h2 id="index">{s.index_title}</h2>
                <p class="facts__note">{s.index_note}</p>
                <BarChart caption_id="index" rows=bars />
                <table class="table">
                    <thead><tr><th scope="col">{s.col_group}</th><th scope="col">{s.col_index}</th><th scope="col">{s.col_interval}</th></tr></thead>
                    <tbody>
                        {index_rows.into_iter().map(|(name, e)| view! {
                            <tr><th scope="row">{name}</th><td>{format!("{:.1}", e.value)}</td><td>{interval(&e, t)}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
            {a.breakdowns.iter().enumerate().map(|(i, b)| view! { <BreakdownTable b=b.clone() i t /> }).collect_view()}
            <Previous analysis=a.clone() t />
        }
    }
}

#[component]
fn BreakdownTable(b: Breakdown, i: usize, t: &'static StaffTexts) -> impl IntoView {
    let s = t.surveys;
    let title = match (b.by.as_str(), &b.label) {
        ("town", _) => s.by_town.to_string(),
        ("channel", _) => s.by_channel.to_string(),
        (_, Some(label)) => label.get(t.lang).to_string(),
        (by, None) => by.to_string(),
    };
    let heading_id = format!("breakdown-{i}");
    // BarChart wants a 'static caption id; there are only a few breakdowns.
    let caption: &'static str = quality_month_web::i18n::intern(heading_id);
    let bars: Vec<(String, f64)> = b
        .groups
        .iter()
        .filter_map(|g| g.index.overall.map(|e| (group_name(&b.by, g, t), e.value)))
        .collect();
    view! {
        <section class="section" aria-labelledby=caption>
            <h2 id=caption>{title}</h2>
            <BarChart caption_id=caption rows=bars />
            <table class="table">
                <thead><tr><th scope="col">{s.col_group}</th><th scope="col">{s.col_n}</th><th scope="col">{s.col_index}</th><th scope="col">{s.col_interval}</th></tr></thead>
                <tbody>
                    {b.groups.iter().map(|g| {
                        let (value, range) = g.index.overall.map_or_else(
                            || (s.no_interval.to_string(), s.no_interval.to_string()),
                            |e| (format!("{:.1}", e.value), interval(&e, t)),
                        );
                        view! { <tr><th scope="row">{group_name(&b.by, g, t)}</th><td>{g.responses}</td><td>{value}</td><td>{range}</td></tr> }
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}

#[component]
fn Previous(analysis: WaveAnalysis, t: &'static StaffTexts) -> impl IntoView {
    let s = t.surveys;
    let Some(c) = analysis.previous else {
        return view! { <p>{s.no_previous}</p> }.into_any();
    };
    view! {
        <section class="section" aria-labelledby="previous">
            <h2 id="previous">{(s.vs_previous)(c.name.get(t.lang))}</h2>
            <p class="facts__note">{s.vs_note}</p>
            <table class="table">
                <thead><tr>
                    <th scope="col">{s.col_group}</th><th scope="col">{s.col_previous}</th><th scope="col">{s.col_current}</th>
                    <th scope="col">{s.col_change}</th><th scope="col">{s.col_margin}</th><th scope="col">{s.col_significant}</th>
                </tr></thead>
                <tbody>
                    {c.changes.iter().map(|ch| view! {
                        <tr>
                            <th scope="row">{dimension_name(ch.dimension, t)}</th>
                            <td>{format!("{:.1}", ch.previous)}</td>
                            <td>{format!("{:.1}", ch.current)}</td>
                            <td>{format!("{:+.1}", ch.change)}</td>
                            <td>{ch.margin.map_or_else(|| s.no_interval.to_string(), |m| format!("±{m:.1}"))}</td>
                            <td>{if ch.significant { s.yes } else { s.no }}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
    .into_any()
}

#[component]
fn Comments(wave: i64, comments: Vec<Comment>) -> impl IntoView {
    let t = use_staff_texts();
    let show_hidden = RwSignal::new(false);
    let none = comments.is_empty();
    // Each comment with its marks as the analyst sets them: a card stays in place (and
    // keeps the focus) while its tags change; hiding it takes it off the list.
    let list: Vec<(Comment, RwSignal<CommentMarks>)> = comments
        .into_iter()
        .map(|c| {
            let marks = RwSignal::new(CommentMarks {
                tags: c.tags.clone(),
                hidden: c.hidden,
            });
            (c, marks)
        })
        .collect();
    let list = StoredValue::new(list);
    view! {
        <section class="section" aria-labelledby="comments">
            <h2 id="comments">{move || t.get().surveys.comments_title}</h2>
            <p class="facts__note">{move || t.get().surveys.comments_note}</p>
            <div class="choice">
                <input type="checkbox" class="choice__input" id="show-hidden"
                    prop:checked=move || show_hidden.get() on:change=move |_| show_hidden.update(|v| *v = !*v) />
                <label class="choice__label" for="show-hidden">{move || t.get().surveys.show_hidden}</label>
            </div>
            {none.then(|| view! { <p>{move || t.get().surveys.no_comments}</p> })}
            <ul class="cards">
                <For
                    each=move || list.with_value(|l| l.iter().enumerate()
                        .filter(|(_, (_, m))| show_hidden.get() || !m.with(|m| m.hidden))
                        .map(|(i, (c, m))| (i, c.clone(), *m))
                        .collect::<Vec<_>>())
                    key=|(i, _, _)| *i
                    children=move |(i, comment, marks)| view! { <CommentCard wave i comment marks /> }
                />
            </ul>
        </section>
    }
}

#[component]
fn CommentCard(
    wave: i64,
    i: usize,
    comment: Comment,
    marks: RwSignal<CommentMarks>,
) -> impl IntoView {
    let t = use_staff_texts();
    let (response, question) = (comment.response, comment.question.clone());
    // The marks as they now stand are sent; a later change sends them again, whole.
    let mark = Action::new_local(move |marks: &CommentMarks| {
        let (marks, question) = (marks.clone(), question.clone());
        async move { api::mark_comment(wave, response, &question, &marks).await }
    });
    let failure = failure_of(mark);
    let change = move |f: &dyn Fn(&mut CommentMarks)| {
        marks.update(|m| f(m));
        mark.dispatch_local(marks.get_untracked());
    };
    let hidden = move || marks.with(|m| m.hidden);
    view! {
        <li class="card" class:card--hidden=hidden>
            <p class="card__meta">{comment.day.to_string()} " · " {move || (t.get().surveys.channel)(comment.channel)}
                {move || hidden().then(|| view! { " · " <span class="badge">{t.get().surveys.hidden}</span> })}</p>
            // Residents write in Chinese whatever the staff app's language.
            <p lang="zh-CN">{comment.text.clone()}</p>
            <fieldset class="tags">
                <legend class="field__label">{move || t.get().surveys.tags}</legend>
                {CommentTag::ALL.iter().map(|&tag| {
                    let id = format!("tag-{i}-{}", tag.as_str());
                    view! {
                        <span class="choice choice--inline">
                            <input type="checkbox" class="choice__input" id=id.clone()
                                prop:checked=move || marks.with(|m| m.tags.contains(&tag))
                                on:change=move |_| change(&|m: &mut CommentMarks| {
                                    if let Some(at) = m.tags.iter().position(|x| *x == tag) { m.tags.remove(at); } else { m.tags.push(tag); }
                                }) />
                            <label class="choice__label" for=id>{move || (t.get().surveys.tag)(tag)}</label>
                        </span>
                    }
                }).collect_view()}
            </fieldset>
            <button type="button" class="button button--secondary" on:click=move |_| change(&|m: &mut CommentMarks| m.hidden = !m.hidden)>
                {move || if hidden() { t.get().surveys.unhide } else { t.get().surveys.hide }}
            </button>
            <Refusal error=failure.refusal />
        </li>
    }
}
