//! The pass of a pre-inspection booking: code and QR, when and where, what to bring, what
//! happens; change or cancel until the cut-off. Shown from what this phone keeps, so it
//! opens without a connection, and refreshed from the server when one is there.

use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use model::{BookingAction, BookingStatus, Lang};

use crate::api;
use crate::app::paths;
use crate::components::{CancelWithConfirm, PageHeading, QrPass};
use crate::i18n::use_texts;
use crate::mine::{MyBookings, SavedBooking};
use crate::prefs::set_title;
use crate::today::now;

/// The booking of the code in the path, as this phone keeps it.
pub fn saved_booking_param() -> Memo<Option<SavedBooking>> {
    let mine = expect_context::<MyBookings>();
    let params = use_params_map();
    Memo::new(move |_| params.read().get("code").and_then(|code| mine.find(&code)))
}

#[component]
pub fn BookingPass() -> impl IntoView {
    let saved = saved_booking_param();
    let mine = expect_context::<MyBookings>();
    // Refresh once from the server (staff may have checked it in).
    if let Some(s) = saved.get_untracked() {
        mine.refresh(s);
    }
    move || match saved.get() {
        None => view! { <super::NotFound /> }.into_any(),
        Some(saved) => view! { <Pass saved /> }.into_any(),
    }
}

#[component]
fn Pass(saved: SavedBooking) -> impl IntoView {
    let t = use_texts();
    let r = saved.receipt.clone();
    let status = r.status;
    let heading = move || match status {
        BookingStatus::Confirmed => t.get().inspect.booked_title,
        BookingStatus::Cancelled => t.get().inspect.status_cancelled,
        BookingStatus::CheckedIn => t.get().inspect.status_checked_in,
    };
    Effect::new(move |_| set_title(heading(), t.get().app_name));
    let code = r.code.to_string();
    let p = r.project.clone();
    let (name, address) = (p.name.clone(), p.address.clone());
    let instructions = p.instructions.clone();
    let contact = p.contact_phone.clone();
    let flat = r.flat.clone();
    let slot = r.slot.clone();
    let deadline = r.change_deadline;
    let can_change = r.can_change(now());
    let history = r.history.clone();
    let notes = r.notes.clone();
    let party = r.party_size;
    // From the start of the visit: what the buyer finds in the flat.
    let show_defects = status == BookingStatus::CheckedIn
        || (status == BookingStatus::Confirmed && slot.starts_at <= now());
    let just_rescheduled = use_query_map().with_untracked(|q| q.get("rescheduled").is_some());
    view! {
        {just_rescheduled.then(|| view! {
            <p class="notice" role="status">{move || t.get().inspect.rescheduled_done}</p>
        })}
        {r.office_notice.clone().map(|n| view! { <p class="notice notice--warning" role="status">{n}</p> })}
        <div class="panel" class:panel--muted=status != BookingStatus::Confirmed>
            <PageHeading>{heading}</PageHeading>
            <p class="panel__label">{move || t.get().inspect.code_label}</p>
            <p class="panel__code">{code.clone()}</p>
            {(status == BookingStatus::Confirmed).then(|| view! { <QrPass code=code.clone() /> })}
        </div>
        {(status == BookingStatus::Confirmed).then(|| view! { <p>{move || t.get().inspect.pass_hint}</p> })}
        <dl class="facts">
            <div class="facts__row">
                <dt>{move || t.get().when_label}</dt>
                <dd>
                    {move || format!("{} {}", t.get().date(slot.starts_at.date()), t.get().time_range(slot.starts_at, slot.ends_at))}
                    <span class="facts__note">{move || format!("（{}）", t.get().beijing_time)}</span>
                </dd>
            </div>
            <div class="facts__row">
                <dt>{move || t.get().inspect.project_label}</dt>
                <dd>{move || name.get(t.get().lang).to_string()}</dd>
            </div>
            <div class="facts__row">
                <dt>{move || t.get().inspect.address_label}</dt>
                <dd>{move || address.get(t.get().lang).to_string()}</dd>
            </div>
            {(!contact.is_empty()).then(|| view! {
                <div class="facts__row">
                    <dt>{move || t.get().inspect.contact_label}</dt>
                    <dd><a href=format!("tel:{}", contact.replace([' ', '-'], ""))>{contact.clone()}</a></dd>
                </div>
            })}
            <div class="facts__row">
                <dt>{move || t.get().inspect.flat_label}</dt>
                <dd>{move || if t.get().lang == Lang::Zh { flat.zh() } else { flat.en() }}</dd>
            </div>
            <div class="facts__row">
                <dt>{move || t.get().inspect.buyer_label}</dt>
                <dd>{format!("{} · {}", r.buyer_name, r.phone_masked)}</dd>
            </div>
            <div class="facts__row">
                <dt>{move || t.get().inspect.field_party}</dt>
                <dd>{move || (t.get().people)(party)}</dd>
            </div>
            {(!notes.is_empty()).then(|| view! {
                <div class="facts__row">
                    <dt>{move || t.get().inspect.field_notes}</dt>
                    <dd>{notes.clone()}</dd>
                </div>
            })}
        </dl>
        {(status == BookingStatus::Confirmed && !(instructions.zh.is_empty() && instructions.en.is_empty())).then(|| view! {
            <section class="section" aria-labelledby="office-says-title">
                <h2 id="office-says-title">{move || t.get().inspect.office_says_title}</h2>
                // In the reader's language when the office wrote it; else in the one it did.
                <p>{move || {
                    let lang = t.get().lang;
                    let said = instructions.get(lang);
                    let said = if said.is_empty() { instructions.get(lang.other()) } else { said };
                    said.to_string()
                }}</p>
            </section>
        })}
        {(status == BookingStatus::Confirmed).then(|| view! {
            <section class="section" aria-labelledby="bring-title">
                <h2 id="bring-title">{move || t.get().inspect.bring_title}</h2>
                <ul class="list">{move || t.get().inspect.bring.iter().map(|item| view! { <li>{*item}</li> }).collect_view()}</ul>
            </section>
            <section class="section" aria-labelledby="visit-title">
                <h2 id="visit-title">{move || t.get().inspect.at_visit_title}</h2>
                <ol class="list">{move || t.get().inspect.at_visit.iter().map(|item| view! { <li>{*item}</li> }).collect_view()}</ol>
            </section>
            <div class="actions">
                <a class="button button--block" href=api::booking_calendar_url(&r.code) download="" rel="external">
                    {move || t.get().add_to_calendar}
                </a>
            </div>
        })}
        {(status == BookingStatus::Confirmed).then(|| if can_change {
            view! {
                <p class="notice">{move || (t.get().inspect.change_until)(&t.get().date_time(deadline))}</p>
                <div class="actions">
                    <a class="button button--secondary button--block" href=paths::booking_reschedule(r.code.as_str())>
                        {move || t.get().inspect.reschedule}
                    </a>
                    <CancelWithConfirm
                        saved=saved.clone()
                        label=|t| t.inspect.cancel
                        question=|t| t.inspect.cancel_question
                    />
                </div>
            }.into_any()
        } else {
            view! { <p class="notice">{move || t.get().inspect.too_late}</p> }.into_any()
        })}
        {show_defects.then(|| view! { <super::booking_defects::BookingDefects saved=saved.clone() /> })}
        <section class="section" aria-labelledby="history-title">
            <h2 id="history-title">{move || t.get().inspect.history_title}</h2>
            <ul class="list list--plain">
                {history.into_iter().map(|change| {
                    let action = move || {
                        let i = t.get().inspect;
                        match change.action {
                            BookingAction::Booked => i.action_booked,
                            BookingAction::Rescheduled => i.action_rescheduled,
                            BookingAction::Cancelled => i.action_cancelled,
                            BookingAction::CheckedIn => i.action_checked_in,
                        }
                    };
                    view! {
                        <li>
                            {move || t.get().date_time(change.at)} " · " {action} " · "
                            {move || t.get().date_time(change.slot_starts_at)}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
        <p><a href=paths::MINE>{move || t.get().inspect.see_mine}</a></p>
    }
}
