//! Defects on the booking pass, once the visit has begun: what was recorded and where each
//! stands, a form to record one more (with photos from the camera), and the buyer's word on
//! a repair. Every write goes through the outbox, so a weak signal in a bare concrete flat
//! loses nothing; the answer lands in the kept booking, which this section shows.

use leptos::prelude::*;
use model::defect::{Defect, DefectStatus, DefectUpdate, NewDefect};
use model::{ApiError, FieldError};

use crate::api::{ClientError, IdempotencyKey};
use crate::components::{DefectFields, DefectInput, DefectSummary, SendButton, TextField};
use crate::i18n::use_texts;
use crate::mine::SavedBooking;
use crate::offline::{About, Outbox, Undelivered, Write};

#[component]
pub fn BookingDefects(saved: SavedBooking) -> impl IntoView {
    let t = use_texts();
    let defects = saved.receipt.defects.clone();
    // One "what is still wrong" form at a time, under one id.
    let reopening = RwSignal::new(None::<i64>);
    view! {
        <section class="section" aria-labelledby="defects-title">
            <h2 id="defects-title">{move || t.get().defects.title}</h2>
            <p class="field__hint">{move || t.get().defects.intro}</p>
            {if defects.is_empty() {
                view! { <p>{move || t.get().defects.none}</p> }.into_any()
            } else {
                view! {
                    <ul class="cards">
                        {defects.into_iter().map(|d| view! { <DefectCard defect=d saved=saved.clone() reopening /> }).collect_view()}
                    </ul>
                }.into_any()
            }}
            <RecordDefect saved />
        </section>
    }
}

/// Where a field's error comes from: the model before sending, the server after.
fn field_error(failure: Option<Undelivered>, field: &str) -> Option<FieldError> {
    match failure {
        Some(Undelivered::Refused(ClientError::Api {
            error: ApiError { fields, .. },
            ..
        })) => fields.get(field).copied(),
        _ => None,
    }
}

#[component]
fn DefectCard(
    defect: Defect,
    saved: SavedBooking,
    reopening: RwSignal<Option<i64>>,
) -> impl IntoView {
    let (id, status) = (defect.id, defect.status);
    view! {
        <li class="card">
            <DefectSummary defect />
            {(status == DefectStatus::Repaired).then(|| view! { <AnswerRepair defect_id=id saved reopening /> })}
        </li>
    }
}

/// The buyer confirms the repair, or says what is still wrong.
#[component]
fn AnswerRepair(
    defect_id: i64,
    saved: SavedBooking,
    reopening: RwSignal<Option<i64>>,
) -> impl IntoView {
    let t = use_texts();
    let outbox = expect_context::<Outbox>();
    let note = RwSignal::new(String::new());
    let key = StoredValue::new(IdempotencyKey::new());
    let saved = StoredValue::new(saved);
    let answer = Action::new_local(move |status: &DefectStatus| {
        let saved = saved.get_value();
        let write = Write::AnswerRepair {
            code: saved.receipt.code.clone(),
            defect_id,
            body: DefectUpdate {
                phone: saved.phone.as_str().to_string(),
                status: *status,
                note: note.get_untracked(),
                photo: None,
            },
        };
        let about = About {
            subject: Some(saved.receipt.project.name.clone()),
            when: None,
        };
        outbox.deliver(write, about, key.get_value(), None)
    });
    let pending = answer.pending();
    let failure = Signal::derive(move || match answer.value().get() {
        Some(Err(e)) if !pending.get() => Some(e),
        _ => None,
    });
    let note_error = Signal::derive(move || {
        field_error(failure.get(), "note").map(|e| t.get().defects.description_errors.get(e))
    });
    view! {
        <div class="actions">
            <SendButton pending label=Signal::derive(move || t.get().defects.confirm_repair)
                on_send=Callback::new(move |()| { answer.dispatch_local(DefectStatus::Confirmed); })
                failure />
            {move || if reopening.get() == Some(defect_id) {
                view! {
                    <form class="form" on:submit=move |ev| {
                        ev.prevent_default();
                        if !pending.get_untracked() {
                            key.set_value(IdempotencyKey::new());
                            answer.dispatch_local(DefectStatus::Open);
                        }
                    }>
                        <TextField id="reopen-note" label=Signal::derive(move || t.get().defects.field_reopen_note)
                            hint=Signal::derive(move || t.get().defects.field_reopen_note_hint)
                            error=note_error value=note maxlength=500 rows=2 />
                        <SendButton pending label=Signal::derive(move || t.get().defects.reopen) class="button button--block button--secondary" />
                    </form>
                }.into_any()
            } else {
                view! {
                    <button type="button" class="button button--block button--secondary" on:click=move |_| reopening.set(Some(defect_id))>
                        {move || t.get().defects.reopen}
                    </button>
                }.into_any()
            }}
        </div>
    }
}

#[component]
fn RecordDefect(saved: SavedBooking) -> impl IntoView {
    let t = use_texts();
    let outbox = expect_context::<Outbox>();
    let input = DefectInput::new();
    let checked = RwSignal::new(model::FieldErrors::new());
    let key = StoredValue::new(IdempotencyKey::new());
    let saved = StoredValue::new(saved);
    let record = Action::new_local(move |body: &NewDefect| {
        let saved = saved.get_value();
        let write = Write::RecordDefect {
            code: saved.receipt.code.clone(),
            body: body.clone(),
        };
        let about = About {
            subject: Some(saved.receipt.project.name.clone()),
            when: None,
        };
        outbox.deliver(write, about, key.get_value(), None)
    });
    let pending = record.pending();
    let failure = Signal::derive(move || match record.value().get() {
        Some(Err(e)) if !pending.get() => Some(e),
        _ => None,
    });
    // The model's word before sending, the server's after.
    let errors = Signal::derive(move || {
        let mut all = match failure.get() {
            Some(Undelivered::Refused(ClientError::Api { error, .. })) => error.fields,
            _ => model::FieldErrors::new(),
        };
        all.extend(checked.get());
        all
    });
    let done = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(Ok(_)) = record.value().get() {
            input.clear();
            key.set_value(IdempotencyKey::new());
            done.set(true);
        }
    });
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        done.set(false);
        let body = input.defect(saved.with_value(|s| s.phone.as_str().to_string()));
        match body.validate() {
            Err(e) => checked.set(e),
            Ok(()) => {
                checked.set(Default::default());
                record.dispatch_local(body);
            }
        }
    };
    view! {
        <form class="form" on:submit=send aria-labelledby="record-defect-title">
            <h3 id="record-defect-title">{move || t.get().defects.record_title}</h3>
            {move || done.get().then(|| view! { <p class="notice" role="status">{move || t.get().defects.recorded}</p> })}
            <DefectFields input errors />
            <SendButton pending label=Signal::derive(move || t.get().defects.record) failure />
        </form>
    }
}
