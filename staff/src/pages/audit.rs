//! The audit log, for admins: filter by person, kind and dates.

use leptos::prelude::*;
use model::AuditEntry;
use quality_month_web::components::{Loader, PageHeading, TextField};

use super::fresh;
use crate::api;
use crate::i18n::use_staff_texts;

#[component]
pub fn Audit() -> impl IntoView {
    let t = use_staff_texts();
    Effect::new(move |_| {
        quality_month_web::prefs::set_title(t.get().audit_title, t.get().app_name)
    });
    let actor = RwSignal::new(String::new());
    let action = RwSignal::new(String::new());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    // The filters applied: the list reloads on "filter", not on every key.
    let applied = RwSignal::new((String::new(), String::new(), String::new(), String::new()));
    let no_error = Signal::derive(|| None);
    let label =
        move |f: fn(&crate::i18n::StaffTexts) -> &'static str| Signal::derive(move || f(t.get()));
    view! {
        <PageHeading>{move || t.get().audit_title}</PageHeading>
        <form class="form form--wide" on:submit=move |ev| {
            ev.prevent_default();
            applied.set((actor.get_untracked(), action.get_untracked(), from.get_untracked(), to.get_untracked()));
        }>
            <div class="form__pair">
                <TextField id="actor" label=label(|t| t.field_actor) hint="" error=no_error value=actor />
                <TextField id="action" label=label(|t| t.field_action) hint="event.cancel" error=no_error value=action />
            </div>
            <div class="form__pair">
                <TextField id="from" label=label(|t| t.field_from) hint="" error=no_error value=from input_type="date" />
                <TextField id="to" label=label(|t| t.field_to) hint="" error=no_error value=to input_type="date" />
            </div>
            <button type="submit" class="button">{move || t.get().filter}</button>
        </form>
        <Loader fetch=move || {
            let (a, b, c, d) = applied.get();
            async move { fresh(api::audit(&a, &b, &c, &d)).await }
        } render={move |entries: Vec<AuditEntry>| view! { <Entries entries /> }} />
    }
}

#[component]
fn Entries(entries: Vec<AuditEntry>) -> impl IntoView {
    let t = use_staff_texts();
    if entries.is_empty() {
        return view! { <p>{move || t.get().no_entries}</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="table">
                <thead><tr>
                    <th scope="col">{move || t.get().col_when}</th>
                    <th scope="col">{move || t.get().col_who}</th>
                    <th scope="col">{move || t.get().col_what}</th>
                    <th scope="col">{move || t.get().col_subject}</th>
                    <th scope="col">{move || t.get().col_from}</th>
                </tr></thead>
                <tbody>
                    {entries.into_iter().map(|e| {
                        let at = e.at;
                        view! {
                            <tr>
                                <td>{move || quality_month_web::i18n::texts(t.get().lang).date_time(at)}</td>
                                <td>{e.actor}</td>
                                <td><code>{e.action}</code></td>
                                <td>{e.subject}</td>
                                <td>{e.client}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
