//! The year in numbers: a range of days and an area kept in the address (so each figure's
//! link, a bookmark and the back button keep them), the figures, and the workbook.

mod figures;
mod filter;
mod organisations;

pub use filter::EventFilter;
pub use organisations::YearOrganisations;

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use model::year_figures::RangeProblem;
use model::{Grant, Town, YearFigures, YearRange};
use quality_month_web::components::{
    ErrorSummary, FieldProblem, Loader, PageHeading, SelectField, TextField,
};
use quality_month_web::today::today;

use crate::api;
use crate::app::{Session, paths};
use crate::i18n::{StaffTexts, use_staff_texts};
use crate::pages::fresh;

/// The days and the area (`None`: the whole district) of the figures shown, or why the
/// address's range is refused.
pub(crate) type Chosen = Result<(YearRange, Option<Town>), RangeProblem>;

/// The range and area the address asks for, with the defaults filled in: this year to
/// date; the whole district for an admin, else the first town the account runs. A town
/// the account may not read falls back to that default too (the server would refuse it).
pub(crate) fn chosen(
    from: Option<&str>,
    to: Option<&str>,
    town: Option<&str>,
    grant: &Grant,
) -> Chosen {
    let range = YearRange::parse(from, to, today())?;
    let asked = town
        .and_then(Town::from_slug)
        .filter(|t| grant.sees_year(Some(*t)));
    let town = match asked {
        Some(town) => Some(town),
        None if grant.sees_year(None) => None,
        None => grant.year_towns().first().copied(),
    };
    Ok((range, town))
}

fn problem_text(t: &StaffTexts, p: RangeProblem) -> &'static str {
    match p {
        RangeProblem::BadFrom | RangeProblem::BadTo => t.year.err_date,
        RangeProblem::Backwards => t.year.err_backwards,
        RangeProblem::TooLong => t.year.err_too_long,
    }
}

/// The area's name: a town's, or the district's.
pub(crate) fn area_name(t: &StaffTexts, town: Option<Town>) -> &'static str {
    town.map_or(t.year.whole_district, |town| town.name(t.lang))
}

/// The query as the address holds it, read by the year's pages.
pub(crate) fn use_chosen() -> Memo<Option<Chosen>> {
    let session = expect_context::<Session>();
    let query = use_query_map();
    Memo::new(move |_| {
        let grant = session.me()?.grant;
        Some(query.with(|q| {
            chosen(
                q.get_str("from"),
                q.get_str("to"),
                q.get_str("town"),
                &grant,
            )
        }))
    })
}

#[component]
pub fn Year() -> impl IntoView {
    let t = use_staff_texts();
    let session = expect_context::<Session>();
    let Some(grant) = session
        .me()
        .map(|me| me.grant)
        .filter(|g| !g.year_towns().is_empty())
    else {
        return view! { <leptos_router::components::Redirect path=paths::HOME /> }.into_any();
    };
    Effect::new(move |_| quality_month_web::prefs::set_title(t.get().year.title, t.get().app_name));
    let chosen = use_chosen();
    let initial = chosen.get_untracked().and_then(Result::ok);
    let from = RwSignal::new(
        initial
            .map(|(r, _)| r.from().to_string())
            .unwrap_or_default(),
    );
    let to = RwSignal::new(initial.map(|(r, _)| r.to().to_string()).unwrap_or_default());
    let town = RwSignal::new(
        initial
            .and_then(|(_, town)| town)
            .map(|t| t.slug().to_string())
            .unwrap_or_default(),
    );
    // A range typed wrong is said at once, before anything is asked of the server; a
    // wrong one in the address is said the same way.
    let typed = RwSignal::new(None::<RangeProblem>);
    // The address changes without this form (a town's row, back and forward): the form
    // follows it, so "show" never goes back to what the page showed before.
    Effect::new(move |_| {
        if let Some(Ok((range, area))) = chosen.get() {
            from.set(range.from().to_string());
            to.set(range.to().to_string());
            town.set(area.map(|t| t.slug().to_string()).unwrap_or_default());
            typed.set(None);
        }
    });
    let problem =
        Signal::derive(move || typed.get().or_else(|| chosen.get().and_then(Result::err)));
    let error_of = move |field: &'static str| {
        Signal::derive(move || {
            problem
                .get()
                .filter(|p| p.parameter() == field)
                .map(|p| problem_text(t.get(), p))
        })
    };
    let problems = Signal::derive(move || {
        problem
            .get()
            .map(|p| FieldProblem {
                field_id: p.parameter(),
                message: problem_text(t.get(), p),
            })
            .into_iter()
            .collect::<Vec<_>>()
    });
    let admin = grant.is_admin();
    let towns = grant.year_towns();
    let options = Signal::derive(move || {
        let t = t.get();
        admin
            .then(|| (String::new(), t.year.whole_district.to_string()))
            .into_iter()
            .chain(
                towns
                    .iter()
                    .map(|town| (town.slug().to_string(), town.name(t.lang).to_string())),
            )
            .collect::<Vec<_>>()
    });
    let navigate = use_navigate();
    let label = move |f: fn(&StaffTexts) -> &'static str| Signal::derive(move || f(t.get()));
    view! {
        <PageHeading>{move || t.get().year.title}</PageHeading>
        <p>{move || t.get().year.intro}</p>
        <ErrorSummary problems />
        <form class="form form--wide" novalidate on:submit=move |ev| {
            ev.prevent_default();
            let (f, to_day) = (from.get_untracked(), to.get_untracked());
            match YearRange::parse(Some(&f), Some(&to_day), today()) {
                Err(p) => typed.set(Some(p)),
                Ok(range) => {
                    typed.set(None);
                    let town = Town::from_slug(&town.get_untracked());
                    navigate(&paths::year(range, town), Default::default());
                }
            }
        }>
            <div class="form__pair">
                <TextField id="from" label=label(|t| t.year.field_from) hint=label(|t| t.year.field_date_hint)
                    error=error_of("from") value=from input_type="date" />
                <TextField id="to" label=label(|t| t.year.field_to) hint=label(|t| t.year.field_date_hint)
                    error=error_of("to") value=to input_type="date" />
            </div>
            <SelectField id="town" label=label(|t| t.year.field_town) value=town options />
            <button type="submit" class="button">{move || t.get().year.show}</button>
        </form>
        {move || chosen.get().and_then(Result::ok).map(|(range, town)| view! {
            <p class="facts__note">{move || (t.get().year.scope)(&range.from().to_string(), &range.to().to_string(), area_name(t.get(), town))}</p>
            <p><a class="button button--secondary" href=api::year_file(range, town) download="" rel="external">{move || t.get().year.download}</a></p>
            <Loader fetch=move || fresh(api::year(range, town)) render={move |f: YearFigures| view! { <figures::Figures figures=f range /> }} />
        })}
    }
    .into_any()
}
