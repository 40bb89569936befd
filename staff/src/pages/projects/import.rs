//! Loading a sales office's buyer list: choose the file, see how its columns were read
//! (and change that), see every bad row by number, column and reason, decide for booked
//! flats the new list leaves out, then import it whole.

use leptos::prelude::*;
use model::{
    BuyerImport as Upload, ColumnMapping, FieldError, FlatId, ImportReport, RemovalDecision,
};
use quality_month_web::components::{FilePicker, PageHeading, PickedFile, SelectField, SendButton};

use crate::api;
use crate::app::paths;
use crate::i18n::{StaffTexts, use_staff_texts};
use crate::pages::{Refusal, failure_of, path_id};

#[component]
pub fn BuyerImport() -> impl IntoView {
    let t = use_staff_texts();
    let id = path_id();
    Effect::new(move |_| {
        quality_month_web::prefs::set_title(t.get().projects.import_title, t.get().app_name)
    });
    let file = RwSignal::new(None::<PickedFile>);
    let columns: [RwSignal<String>; 5] = std::array::from_fn(|_| RwSignal::new(String::new()));
    // Flat → cancel its booking (true) or keep it (false); unanswered flats are absent.
    let decisions = RwSignal::new(Vec::<(FlatId, bool)>::new());
    let run = Action::new_local(move |commit: &bool| {
        let commit = *commit;
        let picked = file.get_untracked();
        let parse = |i: usize| columns[i].get_untracked().parse::<usize>().ok();
        let mapping = (|| {
            Some(ColumnMapping {
                building: parse(0)?,
                unit: parse(1)?,
                room: parse(2)?,
                name: parse(3)?,
                phone: parse(4)?,
            })
        })();
        let removals = decisions
            .get_untracked()
            .into_iter()
            .map(|(flat, cancel_booking)| RemovalDecision {
                flat,
                cancel_booking,
            })
            .collect();
        async move {
            let picked = picked.unwrap_or(PickedFile {
                name: String::new(),
                base64: String::new(),
            });
            let upload = Upload {
                file_name: picked.name,
                content_base64: picked.base64,
                mapping,
                commit,
                removals,
            };
            api::import_buyers(id.get_untracked().unwrap_or_default(), &upload).await
        }
    });
    let pending = run.pending();
    let failure = failure_of(run);
    let report = RwSignal::new(None::<ImportReport>);
    Effect::new(move |_| {
        if let Some(Ok(r)) = run.value().get() {
            if let Some(m) = r.mapping {
                for (signal, column) in columns
                    .iter()
                    .zip([m.building, m.unit, m.room, m.name, m.phone])
                {
                    signal.set(column.to_string());
                }
            }
            report.set(Some(r));
        }
    });
    let file_error = Signal::derive(move || {
        failure
            .fields
            .get()
            .get("file")
            .map(|e| t.get().field_error(*e))
    });
    view! {
        <PageHeading>{move || t.get().projects.import_title}</PageHeading>
        <p><a href=move || paths::project(id.get().unwrap_or_default())>{move || t.get().projects.back}</a></p>
        <p>{move || t.get().projects.import_intro}</p>
        <FilePicker id="buyer-file" label=Signal::derive(move || t.get().projects.field_file)
            hint=Signal::derive(move || t.get().projects.field_file_hint)
            accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
            error=file_error
            on_files=Callback::new(move |files: Vec<PickedFile>| {
                file.set(files.into_iter().next());
                for c in columns { c.set(String::new()); }
                decisions.set(Vec::new());
                report.set(None);
                if file.get_untracked().is_some() { run.dispatch_local(false); }
            }) />
        <Refusal error=failure.refusal />
        {move || report.get().map(|r| view! { <Report report=r columns decisions run pending /> })}
    }
}

fn reason_text(t: &StaffTexts, reason: FieldError) -> &'static str {
    match reason {
        FieldError::Duplicate => t.projects.reason_duplicate,
        FieldError::TooMany => t.projects.reason_too_many,
        other => t.field_error(other),
    }
}

fn column_name(t: &StaffTexts, field: &str) -> &'static str {
    let p = t.projects;
    match field {
        "building" => p.col_building,
        "unit" => p.col_unit,
        "room" => p.col_room,
        "name" => p.col_buyer,
        _ => p.col_phone,
    }
}

#[component]
fn Report(
    report: ImportReport,
    columns: [RwSignal<String>; 5],
    decisions: RwSignal<Vec<(FlatId, bool)>>,
    run: Action<bool, Result<ImportReport, quality_month_web::api::ClientError>>,
    pending: Memo<bool>,
) -> impl IntoView {
    let t = use_staff_texts();
    let options: Vec<(String, String)> = std::iter::once((String::new(), "—".to_string()))
        .chain(
            report
                .headers
                .iter()
                .enumerate()
                .map(|(i, h)| (i.to_string(), format!("{} · {h}", i + 1))),
        )
        .collect();
    let problems = report.problems.clone();
    let clean = problems.is_empty() && report.mapping.is_some();
    let (rows, added, changed, removed, unchanged) = (
        report.rows,
        report.added,
        report.changed,
        report.removed,
        report.unchanged,
    );
    let committed = report.committed;
    let booked = report.booked_removals.clone();
    view! {
        {committed.then(|| view! { <p class="notice" role="status">{move || t.get().projects.imported}</p> })}
        <section class="section" aria-labelledby="mapping-title">
            <h2 id="mapping-title">{move || t.get().projects.mapping_title}</h2>
            <div class="form__grid">
                {ColumnMapping::FIELDS.iter().zip(columns).enumerate().map(|(i, (field, value))| {
                    let ids = ["map-building", "map-unit", "map-room", "map-name", "map-phone"];
                    let field = *field;
                    view! { <SelectField id=ids[i] label=Signal::derive(move || column_name(t.get(), field)) value options=Signal::stored(options.clone()) /> }
                }).collect_view()}
            </div>
            <button type="button" class="button button--secondary" on:click=move |_| { if !pending.get_untracked() { run.dispatch_local(false); } }>
                {move || t.get().projects.check_again}
            </button>
        </section>
        <p role="status">{move || (t.get().projects.rows_read)(rows)} " · " {move || (t.get().projects.diff)(added, changed, removed, unchanged)}</p>
        {(!problems.is_empty()).then(|| view! {
            <section class="section" aria-labelledby="problems-title">
                <h2 id="problems-title">{let n = problems.len(); move || (t.get().projects.problems_title)(n)}</h2>
                <table class="table">
                    <thead><tr>
                        <th scope="col">{move || t.get().projects.col_row}</th>
                        <th scope="col">{move || t.get().projects.col_column}</th>
                        <th scope="col">{move || t.get().projects.col_reason}</th>
                    </tr></thead>
                    <tbody>
                        {problems.clone().into_iter().map(|p| {
                            let column = p.column.clone();
                            view! {
                                <tr>
                                    <td>{p.row}</td>
                                    <td>{move || column_name(t.get(), &column)}</td>
                                    <td>{move || reason_text(t.get(), p.reason)}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </section>
        })}
        {(!booked.is_empty() && !committed).then(|| view! {
            <section class="section" aria-labelledby="booked-title">
                <h2 id="booked-title">{move || t.get().projects.booked_removals_title}</h2>
                <p>{move || t.get().projects.booked_removals_intro}</p>
                {booked.clone().into_iter().map(|v| {
                    let flat = v.flat.clone();
                    let name = format!("remove-{}-{}-{}", flat.building, flat.unit, flat.room);
                    let choose = move |cancel: bool| {
                        let flat = flat.clone();
                        move |_| decisions.update(|d| { d.retain(|(f, _)| *f != flat); d.push((flat.clone(), cancel)); })
                    };
                    view! {
                        <fieldset class="choice">
                            <legend>{v.flat.zh()} " · " {v.buyer_name.clone()} " · " {v.phone_masked.clone()}</legend>
                            <label><input type="radio" name=name.clone() on:change=choose(false) /> {move || t.get().projects.keep_flat}</label>
                            <label><input type="radio" name=name on:change=choose(true) /> {move || t.get().projects.cancel_booking}</label>
                        </fieldset>
                    }
                }).collect_view()}
            </section>
        })}
        {(clean && !committed).then(|| view! {
            <SendButton pending label=Signal::derive(move || t.get().projects.commit_import)
                on_send=Callback::new(move |()| { run.dispatch_local(true); }) />
        })}
    }
}
