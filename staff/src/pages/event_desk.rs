//! One event, as its organiser runs it: status and the acts that change it, attendance,
//! and who signed up (phones masked; one audited "show number" per person).

use leptos::prelude::*;
use model::{EventAccess, EventStatus, Registrant, RegistrationStatus, StaffEvent};
use quality_month_web::api::ClientError;
use quality_month_web::components::{Loader, PageHeading, SendButton, TextField, WhenFact};

use super::dashboard::status_text;
use super::{Refusal, fresh, path_id};
use crate::api;
use crate::app::{Session, paths};
use crate::i18n::use_staff_texts;

#[component]
pub fn EventDesk() -> impl IntoView {
    let id = path_id();
    // Bumped after each act, so the page shows the event as it now stands.
    let version = RwSignal::new(0u32);
    view! {
        <Loader fetch=move || {
            version.track();
            let id = id.get().unwrap_or_default();
            async move {
                let event = api::event(id).await;
                let people = match &event {
                    Ok(_) => api::registrants(id).await,
                    Err(e) => Err(e.clone()),
                };
                fresh(async move { Ok((event?, people?)) }).await
            }
        } render={move |(event, people): (StaffEvent, Vec<Registrant>)| view! {
            <Desk event people version />
        }} />
    }
}

#[component]
fn Desk(event: StaffEvent, people: Vec<Registrant>, version: RwSignal<u32>) -> impl IntoView {
    let t = use_staff_texts();
    let session = expect_context::<Session>();
    let access = session.me().map_or(EventAccess::None, |me| {
        me.grant.event_access(Some(event.id), event.draft.town)
    });
    let manage = access == EventAccess::Manage;
    let id = event.id;
    let status = event.status;
    let title = event.draft.title.clone();
    let venue = event.draft.venue.clone();
    Effect::new({
        let title = title.clone();
        move |_| quality_month_web::prefs::set_title(title.get(t.get().lang), t.get().app_name)
    });
    let act = Action::new_local(move |publish: &bool| api::set_visibility(id, *publish));
    Effect::new(move |_| match act.value().get() {
        Some(Ok(_)) => version.update(|v| *v += 1),
        Some(Err(e)) => session.notice(&e),
        None => {}
    });
    let act_refusal = Signal::derive(move || match act.value().get() {
        Some(Err(e)) if !act.pending().get() => Some(e),
        _ => None,
    });
    let reason = event.cancel_reason.clone();
    let facts = (
        event.taken,
        event.draft.capacity,
        event.attended,
        event.waitlisted,
    );
    view! {
        <p class="card__kind">
            <span class="badge" class:badge--muted=status != EventStatus::Published>{move || status_text(t.get(), status)}</span>
        </p>
        <PageHeading>{move || title.get(t.get().lang).to_string()}</PageHeading>
        {reason.map(|r| view! { <p class="notice notice--warning">{move || t.get().cancelled_because} {r.clone()}</p> })}
        <dl class="facts">
            <WhenFact start=event.draft.starts_at end=event.draft.ends_at />
            <div class="facts__row">
                <dt>{move || quality_month_web::i18n::texts(t.get().lang).venue_label}</dt>
                <dd>{move || venue.get(t.get().lang).to_string()}</dd>
            </div>
            <div class="facts__row">
                <dt>{move || quality_month_web::i18n::texts(t.get().lang).places_label}</dt>
                <dd>
                    {move || (t.get().taken_of)(facts.0, facts.1)} " · " {move || (t.get().attended_n)(facts.2)}
                    {(facts.3 > 0).then(|| view! { " · " {move || (t.get().waitlisted_n)(facts.3)} })}
                </dd>
            </div>
        </dl>
        <div class="actions">
            {(status == EventStatus::Published).then(|| view! {
                <a class="button" href=paths::door(id)>{move || t.get().door}</a>
            })}
            {(manage && status != EventStatus::Cancelled).then(|| view! {
                <a class="button button--secondary" href=paths::edit_event(id)>{move || t.get().edit}</a>
            })}
            {(manage && status == EventStatus::Draft).then(|| view! {
                <button type="button" class="button" on:click=move |_| { act.dispatch_local(true); }>{move || t.get().publish}</button>
            })}
            {(manage && status == EventStatus::Published).then(|| view! {
                <button type="button" class="button button--secondary" on:click=move |_| { act.dispatch_local(false); }>{move || t.get().unpublish}</button>
            })}
        </div>
        <Refusal error=act_refusal />
        {(manage && status != EventStatus::Cancelled).then(|| view! { <CancelEvent id version /> })}
        <People id people manage />
    }
}

/// Cancelling takes a reason, and a second, explicit press.
#[component]
fn CancelEvent(id: i64, version: RwSignal<u32>) -> impl IntoView {
    let t = use_staff_texts();
    let session = expect_context::<Session>();
    let open = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let cancel = Action::new_local(move |reason: &String| api::cancel_event(id, reason.clone()));
    let pending = cancel.pending();
    Effect::new(move |_| match cancel.value().get() {
        Some(Ok(_)) => version.update(|v| *v += 1),
        Some(Err(e)) => session.notice(&e),
        None => {}
    });
    let problem = Signal::derive(move || match cancel.value().get() {
        Some(Err(ClientError::Api { error, .. })) if !error.fields.is_empty() => {
            error.fields.get("reason").map(|e| t.get().field_error(*e))
        }
        _ => None,
    });
    let refusal = Signal::derive(move || match cancel.value().get() {
        Some(Err(e)) if !pending.get() && problem.get().is_none() => Some(e),
        _ => None,
    });
    view! {
        {move || if open.get() {
            view! {
                <form class="confirm" on:submit=move |ev| {
                    ev.prevent_default();
                    if !pending.get_untracked() { cancel.dispatch_local(reason.get_untracked()); }
                }>
                    <TextField id="cancel-reason" label=Signal::derive(move || t.get().cancel_reason)
                        hint=Signal::derive(move || t.get().cancel_reason_hint) error=problem value=reason maxlength=200 rows=2 />
                    <Refusal error=refusal />
                    <SendButton pending label=Signal::derive(move || t.get().cancel_confirm) class="button button--warning" />
                    <button type="button" class="button button--secondary" on:click=move |_| open.set(false)>
                        {move || t.get().keep_event}
                    </button>
                </form>
            }.into_any()
        } else {
            view! {
                <p><button type="button" class="button button--secondary" on:click=move |_| open.set(true)>
                    {move || t.get().cancel_event}
                </button></p>
            }.into_any()
        }}
    }
}

#[component]
fn People(id: i64, people: Vec<Registrant>, manage: bool) -> impl IntoView {
    let orgs = people.iter().any(|p| p.organisation.is_some());
    let t = use_staff_texts();
    let residents = move || quality_month_web::i18n::texts(t.get().lang);
    view! {
        <h2 id="people-title">{move || t.get().registrants}</h2>
        {manage.then(|| view! {
            <p class="actions">
                <a class="button button--secondary" href=api::registrants_file(id, "xlsx") download="">{move || t.get().export_xlsx}</a>
                <a class="button button--secondary" href=api::registrants_file(id, "csv") download="">{move || t.get().export_csv}</a>
            </p>
        })}
        {if people.is_empty() {
            view! { <p>{move || t.get().no_registrants}</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table class="table" aria-labelledby="people-title">
                        <thead><tr>
                            <th scope="col">{move || if orgs { t.get().col_name_or_org } else { t.get().col_name }}</th>
                            <th scope="col">{move || t.get().col_phone}</th>
                            <th scope="col">{move || t.get().col_party}</th>
                            <th scope="col">{move || t.get().col_status}</th>
                            <th scope="col">{move || t.get().col_checked_in}</th>
                        </tr></thead>
                        <tbody>
                            {people.into_iter().map(|p| {
                                let status = p.status;
                                let checked = p.checked_in_at;
                                view! {
                                    <tr>
                                        <th scope="row">
                                            {match p.organisation.clone() {
                                                // An organisation's row names it and its code; its contact below.
                                                Some(o) => view! {
                                                    {o.name}<br />
                                                    <small>{o.credit_code} " · " {p.name.clone()}</small>
                                                }.into_any(),
                                                None => p.name.clone().into_any(),
                                            }}
                                            {p.walk_in.then(|| view! { " " <span class="badge">{move || t.get().walk_in_badge}</span> })}
                                        </th>
                                        <td><Phone id code=p.code.clone() masked=p.phone_masked.clone() manage /></td>
                                        <td>{p.party_size}</td>
                                        <td>{move || match status {
                                            RegistrationStatus::Registered => residents().status_registered,
                                            RegistrationStatus::Waitlisted => residents().status_waitlisted,
                                            RegistrationStatus::Cancelled => residents().status_cancelled,
                                        }}</td>
                                        <td>{move || checked.map(|c| residents().time_of_day(c)).unwrap_or_default()}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
    }
}

/// A masked number, and for organisers a button that shows the whole one (audited).
#[component]
fn Phone(id: i64, code: String, masked: String, manage: bool) -> impl IntoView {
    let t = use_staff_texts();
    let reveal = Action::new_local(move |code: &String| {
        let code = code.clone();
        async move { api::reveal_phone(id, &code).await }
    });
    let shown = move || match reveal.value().get() {
        Some(Ok(p)) => Some(p.phone),
        _ => None,
    };
    view! {
        {move || shown().unwrap_or_else(|| masked.clone())}
        {move || (manage && shown().is_none()).then(|| {
            let code = code.clone();
            view! {
                " " <button type="button" class="button button--small button--secondary"
                    on:click=move |_| { reveal.dispatch_local(code.clone()); }>
                    {move || t.get().show_number}
                </button>
            }
        })}
    }
}
