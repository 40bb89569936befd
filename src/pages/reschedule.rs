//! Moving a booking to another time: choose → check (old and new side by side) → confirm.
//! The server takes the new place before it gives up the old one, so a refusal leaves the
//! booking where it was.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use model::Slot;

use super::booking_pass::saved_booking_param;
use crate::api::IdempotencyKey;
use crate::app::paths;
use crate::components::{
    DeliveryProblem, ErrorSummary, FIRST_SLOT_ID, FieldProblem, PageHeading, SendButton,
    SlotPicker, SummaryRow, VerifyWith,
};
use crate::i18n::use_texts;
use crate::mine::SavedBooking;
use crate::offline::{About, Outbox, Write};
use crate::prefs::set_title;

#[component]
pub fn Reschedule() -> impl IntoView {
    let saved = saved_booking_param();
    // Drawn again only for another booking: the new receipt that the change itself brings
    // must not reset the page before it moves on to the pass.
    let code = Memo::new(move |_| saved.with(|s| s.as_ref().map(|s| s.receipt.code.clone())));
    move || match code.get().and(saved.get_untracked()) {
        None => view! { <super::NotFound /> }.into_any(),
        Some(saved) => view! { <RescheduleSteps saved /> }.into_any(),
    }
}

#[component]
fn RescheduleSteps(saved: SavedBooking) -> impl IntoView {
    let t = use_texts();
    let outbox = expect_context::<Outbox>();
    let navigate = use_navigate();
    Effect::new(move |_| set_title(t.get().inspect.reschedule_title, t.get().app_name));
    let code = saved.receipt.code.clone();
    let current = saved.receipt.slot.clone();
    let project_id = saved.receipt.project.id;
    let selected = RwSignal::new(String::new());
    let slots = RwSignal::new(Vec::<Slot>::new());
    let chosen = RwSignal::new(None::<Slot>);
    let slot_error = RwSignal::new(None::<&'static str>);
    let key = StoredValue::new(IdempotencyKey::new());
    let saved = StoredValue::new(saved);

    let submit = Action::new_local(move |(slot_id, key): &(i64, IdempotencyKey)| {
        let saved = saved.get_value();
        let write = Write::Reschedule {
            code: saved.receipt.code.clone(),
            phone: saved.phone.clone(),
            slot_id: *slot_id,
        };
        let about = About {
            subject: Some(saved.receipt.project.name.clone()),
            when: chosen.get_untracked().map(|s| s.starts_at),
        };
        outbox.deliver(write, about, key.clone(), None)
    });
    let failure = Memo::new(move |_| match submit.value().get() {
        Some(Err(e)) if !submit.pending().get() => Some(e),
        _ => None,
    });
    {
        let code = code.to_string();
        Effect::new(move |_| {
            if let Some(Ok(_)) = submit.value().get() {
                navigate(&paths::booking_pass_rescheduled(&code), Default::default());
            }
        });
    }
    let on_choose = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let id: Option<i64> = selected.get_untracked().parse().ok();
        match slots.with_untracked(|l| l.iter().find(|s| Some(s.id) == id && !s.is_full()).cloned())
        {
            Some(slot) => {
                slot_error.set(None);
                key.set_value(IdempotencyKey::new());
                submit.value().set(None);
                chosen.set(Some(slot));
            }
            None => slot_error.set(Some(t.get_untracked().inspect.slot_required)),
        }
    };
    let problems = Signal::derive(move || {
        slot_error
            .get()
            .map(|message| FieldProblem {
                field_id: FIRST_SLOT_ID,
                message,
            })
            .into_iter()
            .collect::<Vec<_>>()
    });
    let pass_href = paths::booking_pass(code.as_str());
    view! {
        <p class="back"><a href=pass_href>{move || t.get().inspect.view_pass}</a></p>
        {move || {
            let t = t.get();
            match chosen.get() {
            None => view! {
                <PageHeading>{t.inspect.reschedule_title}</PageHeading>
                <dl class="summary">
                    <SummaryRow label=t.inspect.current_slot
                        value=t.slot_when(&current) />
                </dl>
                <form class="form" novalidate on:submit=on_choose>
                    <ErrorSummary problems />
                    <SlotPicker project_id selected loaded=slots error=slot_error exclude=current.id />
                    <button type="submit" class="button">{t.continue_}</button>
                </form>
            }.into_any(),
            Some(new) => {
                let pending = submit.pending();
                let new_id = new.id;
                view! {
                    <PageHeading>{t.inspect.check_title}</PageHeading>
                    <dl class="summary">
                        <SummaryRow label=t.inspect.current_slot
                            value=t.slot_when(&current) />
                        <SummaryRow label=t.inspect.new_slot
                            value=t.slot_when(&new)
                            on_change=Callback::new(move |_| chosen.set(None)) />
                    </dl>
                    <DeliveryProblem problem=failure.into() verify=VerifyWith {
                        phone: Signal::stored(saved.with_value(|s| Some(s.phone.clone()))),
                        retry: Callback::new(move |()| { submit.dispatch_local((new_id, key.get_value())); }),
                        change_number: None,
                    } />
                    <SendButton pending failure label=t.inspect.reschedule_submit
                        on_send=Callback::new(move |()| { submit.dispatch_local((new_id, key.get_value())); }) />
                }.into_any()
            }
        }}}
    }
}
