use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use model::{ErrorCode, EventDetail, FieldErrors, ValidRegistration};

use super::event_page::event_id_param;
use crate::api::{ClientError, IdempotencyKey};
use crate::app::paths;
use crate::components::{
    DeliveryProblem, EventLoader, PageHeading, SendButton, SignupAnswers, SignupForm, SummaryRow,
    VerifyWith,
};
use crate::i18n::use_texts;
use crate::offline::{About, Outbox, Undelivered, Write};
use crate::prefs::set_title;

#[derive(Clone, PartialEq)]
enum Step {
    Answer,
    /// Check your answers; the key is made when the person arrives here and kept for every
    /// retry of this one submission.
    Check(ValidRegistration, IdempotencyKey),
}

#[component]
pub fn Signup() -> impl IntoView {
    let t = use_texts();
    let id = event_id_param();
    Effect::new(move |_| set_title(t.get().signup_title, t.get().app_name));
    view! {
        <p class="back"><a href=move || paths::event(id.get())>{move || t.get().back_to_events}</a></p>
        <EventLoader id render=|event| view! { <SignupSteps event /> } />
    }
}

#[component]
fn SignupSteps(event: EventDetail) -> impl IntoView {
    let t = use_texts();
    let outbox = expect_context::<Outbox>();
    let navigate = use_navigate();
    let answers = RwSignal::new(SignupAnswers {
        party_size: "1".into(),
        ..Default::default()
    });
    let step = RwSignal::new(Step::Answer);
    let server_errors = RwSignal::new(FieldErrors::new());
    let event_id = event.summary.id;
    let title = StoredValue::new(event.summary.title.clone());
    let start = event.summary.starts_at;
    let audience = event.summary.audience;

    let submit = Action::new_local(move |(valid, key): &(ValidRegistration, IdempotencyKey)| {
        let write = Write::Signup {
            event_id,
            body: valid.to_new(),
        };
        let about = About {
            subject: Some(title.get_value()),
            when: Some(start),
        };
        outbox.deliver(write, about, key.clone(), None)
    });
    // What went wrong with the last attempt, shown until the next one starts.
    let failure = Memo::new(move |_| match submit.value().get() {
        Some(Err(e)) if !submit.pending().get() && !is_validation(&e) => Some(e),
        _ => None,
    });
    Effect::new(move |_| match submit.value().get() {
        Some(Ok(done)) => navigate(&paths::signup_done(&done.code()), Default::default()),
        Some(Err(Undelivered::Refused(ClientError::Api { error, .. })))
            if error.code == ErrorCode::Validation =>
        {
            server_errors.set(error.fields);
            step.set(Step::Answer);
        }
        Some(Err(_)) | None => {}
    });

    let on_valid = Callback::new(move |(typed, valid): (SignupAnswers, ValidRegistration)| {
        answers.set(typed);
        // New answers, new attempt: the last one's outcome no longer applies.
        submit.value().set(None);
        step.set(Step::Check(valid, IdempotencyKey::new()));
    });
    let change = Callback::new(move |_| step.set(Step::Answer));

    move || {
        // Drawn afresh on a change of step or language.
        let now = t.get();
        match step.get() {
        Step::Answer => view! {
            <PageHeading>{move || t.get().signup_title}</PageHeading>
            <p class="kicker">
                {move || t.get().signup_for} "：" {move || title.with_value(|l| l.get(t.get().lang).to_string())}
            </p>
            <SignupForm initial=answers.get_untracked() audience server_errors=server_errors on_valid />
        }
        .into_any(),
        Step::Check(valid, key) => {
            let party = valid.party_size;
            let masked = valid.phone.masked();
            let name = valid.name.as_str().to_string();
            let org = valid.organisation.clone();
            let (name_label, phone_label) = if org.is_some() {
                (now.org.field_contact, now.org.field_contact_phone)
            } else {
                (now.field_name, now.field_phone)
            };
            let party_label = if org.is_some() { now.org.field_attendees } else { now.field_party };
            let pending = submit.pending();
            let send = {
                let (valid, key) = (valid.clone(), key.clone());
                Callback::new(move |()| {
                    // A second tap while sending does nothing.
                    if !pending.get_untracked() {
                        submit.dispatch_local((valid.clone(), key.clone()));
                    }
                })
            };
            let verify = VerifyWith {
                phone: Signal::stored(Some(valid.phone.clone())),
                retry: Callback::new({
                    let (valid, key) = (valid.clone(), key.clone());
                    // Same key: the server never stored the refused attempt.
                    move |()| {
                        submit.dispatch_local((valid.clone(), key.clone()));
                    }
                }),
                change_number: Some(change),
            };
            view! {
                <PageHeading>{move || t.get().check_title}</PageHeading>
                <dl class="summary">
                    <div class="summary__row">
                        <dt>{move || t.get().signup_for}</dt>
                        <dd>
                            {move || title.with_value(|l| l.get(t.get().lang).to_string())}
                            <br />
                            <span class="facts__note">{move || t.get().date_time(start)}</span>
                        </dd>
                    </div>
                    {org.map(|o| view! {
                        <SummaryRow label=now.org.field_org_name value=o.name.as_str().to_string() on_change=change />
                        <SummaryRow label=now.org.field_credit_code value=o.credit_code.as_str().to_string() on_change=change />
                    })}
                    <SummaryRow label=name_label value=name on_change=change />
                    <SummaryRow label=phone_label value=masked on_change=change />
                    <SummaryRow label=party_label value=(now.people)(party) on_change=change />
                </dl>
                <DeliveryProblem problem=failure.into() verify />
                // Once kept on the phone, it is on its way: no second submission; while
                // the phone is being proved, that form sends it.
                <SendButton pending failure label=Signal::derive(move || t.get().submit_signup) on_send=send />
            }
            .into_any()
        }
    }
    }
}

fn is_validation(e: &Undelivered) -> bool {
    matches!(e, Undelivered::Refused(ClientError::Api { error, .. }) if error.code == ErrorCode::Validation)
}
