use leptos::prelude::*;
use model::{
    BookingReceipt, BookingStatus, FieldErrors, PhoneNumber, RegistrationCode, RegistrationReceipt,
    RegistrationStatus,
};

use super::mine_outbox::OutboxSection;
use super::mine_reminders::RemindersSection;
use crate::api::{self, ClientError};
use crate::app::paths;
use crate::components::DefectBadge;
use crate::components::{
    CancelWithConfirm, ErrorSummary, FieldProblem, PageHeading, TextField, VerifyPhone,
};
use crate::i18n::{ClientErrorText, use_texts};
use crate::mine::{MyBookings, MySignups, SavedBooking, SavedSignup};
use crate::prefs::set_title;

/// 我的: the sign-ups made on this phone, with cancel, and a look-up for any other.
#[component]
pub fn Mine() -> impl IntoView {
    let t = use_texts();
    let mine = expect_context::<MySignups>();
    let bookings = expect_context::<MyBookings>();
    Effect::new(move |_| set_title(t.get().mine_title, t.get().app_name));
    // Statuses change on the server (a waitlist moves up, staff check a visit in):
    // refresh what is shown, once per visit.
    mine.refresh_open();
    bookings.refresh_open();
    view! {
        <PageHeading>{move || t.get().mine_title}</PageHeading>
        <OutboxSection open=true />
        <section aria-labelledby="mine-bookings">
            <h2 id="mine-bookings">{move || t.get().inspect.mine_title}</h2>
            {move || {
                let list = bookings.list();
                if list.is_empty() {
                    view! { <p class="empty">{t.get().inspect.mine_empty}</p> }.into_any()
                } else {
                    view! {
                        <ul class="cards">
                            {list.into_iter().map(|saved| view! { <BookingCard saved /> }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
        </section>
        <section aria-labelledby="mine-signups">
            <h2 id="mine-signups">{move || t.get().mine_signups}</h2>
            {move || {
                let list = mine.list();
                if list.is_empty() {
                    view! {
                        <p class="empty">{t.get().mine_empty}</p>
                        <p><a class="button" href=paths::EVENTS>{t.get().see_all_events}</a></p>
                    }.into_any()
                } else {
                    view! {
                        <ul class="cards">
                            {list.into_iter().map(|saved| view! { <SignupCard saved /> }).collect_view()}
                        </ul>
                    }.into_any()
                }
            }}
        </section>
        <RemindersSection />
        <OutboxSection open=false />
        <Lookup />
    }
}

#[component]
fn SignupCard(saved: SavedSignup) -> impl IntoView {
    let t = use_texts();
    let r = saved.receipt.clone();
    let status = r.status;
    let title = r.event.title.clone();
    let start = r.event.starts_at;
    let code = r.code.to_string();
    let done_href = paths::signup_done(&code);
    // Staff cancelled the event: say so, in their words, instead of offering to cancel.
    let event_cancelled = (r.event.status == model::EventStatus::Cancelled)
        .then(|| r.event.cancel_reason.clone().unwrap_or_default());
    let may_cancel = status.is_active() && event_cancelled.is_none();
    let org = r.organisation.as_ref().map(|o| o.name.clone());
    let status_text = move || match status {
        RegistrationStatus::Registered => t.get().status_registered.to_string(),
        RegistrationStatus::Waitlisted => match r.waitlist_position {
            Some(n) => format!("{} · {}", t.get().status_waitlisted, n),
            None => t.get().status_waitlisted.to_string(),
        },
        RegistrationStatus::Cancelled => t.get().status_cancelled.to_string(),
    };
    view! {
        <li class="card" class:card--muted=!status.is_active()>
            <p class="card__kind">
                <span class="badge" class:badge--muted=!status.is_active()>{status_text}</span>
            </p>
            <h3 class="card__title"><a href=done_href>{move || title.get(t.get().lang).to_string()}</a></h3>
            <p class="card__meta">{move || t.get().date_time(start)}</p>
            {org.map(|name| view! {
                <p class="card__meta">{move || t.get().org.organisation_label} {move || t.get().org.colon} {name}</p>
            })}
            <p class="card__meta">{move || t.get().your_code} "：" <span class="code">{code.clone()}</span></p>
            {event_cancelled.map(|reason| view! {
                <p class="notice notice--warning"><strong>{move || t.get().cancelled_event}</strong> " " {reason}</p>
            })}
            {may_cancel.then(|| view! {
                <CancelWithConfirm
                    saved
                    label=|t| t.cancel_signup
                    question=|t| t.cancel_question
                />
            })}
        </li>
    }
}

#[component]
fn BookingCard(saved: SavedBooking) -> impl IntoView {
    let t = use_texts();
    let r = saved.receipt;
    let status = r.status;
    let active = status == BookingStatus::Confirmed;
    let status_text = move || {
        let i = t.get().inspect;
        match status {
            BookingStatus::Confirmed => i.status_confirmed,
            BookingStatus::Cancelled => i.status_cancelled,
            BookingStatus::CheckedIn => i.status_checked_in,
        }
    };
    let name = r.project.name.clone();
    let slot = r.slot.clone();
    let code = r.code.to_string();
    let notice = r.office_notice.clone();
    let defects: Vec<(String, model::defect::DefectStatus)> = r
        .defects
        .iter()
        .map(|d| (d.description.clone(), d.status))
        .collect();
    view! {
        <li class="card" class:card--muted=!active>
            <p class="card__kind">
                <span class="badge" class:badge--muted=!active>{status_text}</span>
            </p>
            <h3 class="card__title"><a href=paths::booking_pass(&code)>{move || name.get(t.get().lang).to_string()}</a></h3>
            <p class="card__meta">
                {move || format!("{} {}", t.get().day(slot.starts_at.date()), t.get().time_range(slot.starts_at, slot.ends_at))}
            </p>
            <p class="card__meta">{move || t.get().inspect.code_label} "：" <span class="code">{code.clone()}</span></p>
            {notice.map(|n| view! { <p class="notice notice--warning">{n}</p> })}
            {(!defects.is_empty()).then(|| view! {
                <p class="card__meta">{let n = defects.len(); move || (t.get().defects.summary)(n)}</p>
                <ul class="list list--plain defect-states">
                    {defects.iter().cloned().map(|(text, status)| view! {
                        <li><DefectBadge status /> " " {text}</li>
                    }).collect_view()}
                </ul>
            })}
        </li>
    }
}

/// What a look-up found: a booking or a sign-up.
#[derive(Clone)]
enum Found {
    Booking(PhoneNumber, Box<BookingReceipt>),
    Signup(PhoneNumber, Box<RegistrationReceipt>),
}

/// Find a sign-up made elsewhere by its code and the phone number it was made with.
#[component]
fn Lookup() -> impl IntoView {
    let t = use_texts();
    let mine = expect_context::<MySignups>();
    let code = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let errors = RwSignal::new(FieldErrors::new());
    let bookings = expect_context::<MyBookings>();
    // Codes of both kinds look alike: try a booking first, then a sign-up.
    let find = Action::new_local(move |(c, p): &(RegistrationCode, PhoneNumber)| {
        let (c, p) = (c.clone(), p.clone());
        async move {
            match api::lookup_booking(&c, &p).await {
                Ok(b) => Ok(Found::Booking(p, Box::new(b))),
                Err(ClientError::Api { status: 404, .. }) => api::lookup(&c, &p)
                    .await
                    .map(|r| Found::Signup(p, Box::new(r))),
                Err(e) => Err(e),
            }
        }
    });
    // The last look-up asked, to ask again once the phone is proved.
    let asked = RwSignal::new(None::<(RegistrationCode, PhoneNumber)>);
    let verifying = Memo::new(move |_| {
        !find.pending().get()
            && matches!(find.value().get(), Some(Err(e)) if e.needs_verification())
    });
    let failure = Memo::new(move |_| match find.value().get() {
        _ if find.pending().get() || verifying.get() => None,
        Some(Err(ClientError::Api { status: 404, .. })) => Some(t.get().err_lookup_not_found),
        Some(Err(e)) => Some(t.get().client_error(&e)),
        _ => None,
    });
    Effect::new(move |_| match find.value().get() {
        Some(Ok(Found::Booking(p, receipt))) => {
            code.set(String::new());
            bookings.save(&p, *receipt);
        }
        Some(Ok(Found::Signup(p, receipt))) => {
            code.set(String::new());
            mine.save(&p, *receipt);
        }
        _ => {}
    });
    let code_error =
        Signal::derive(move || errors.with(|e| e.get("code").map(|&e| t.get().code_errors.get(e))));
    let phone_error = Signal::derive(move || {
        errors.with(|e| e.get("phone").map(|&e| t.get().phone_errors.get(e)))
    });
    let problems = Signal::derive(move || {
        [
            ("lookup-code", code_error.get()),
            ("lookup-phone", phone_error.get()),
        ]
        .into_iter()
        .filter_map(|(field_id, m)| m.map(|message| FieldProblem { field_id, message }))
        .collect::<Vec<_>>()
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let c = RegistrationCode::parse(&code.get());
        let p = PhoneNumber::parse(&phone.get());
        let mut e = FieldErrors::new();
        if let Err(err) = &c {
            e.insert("code".into(), *err);
        }
        if let Err(err) = &p {
            e.insert("phone".into(), *err);
        }
        errors.set(e);
        if let (Ok(c), Ok(p)) = (c, p)
            && !find.pending().get_untracked()
        {
            asked.set(Some((c.clone(), p.clone())));
            find.dispatch_local((c, p));
        }
    };
    view! {
        <section aria-labelledby="lookup-title" class="section">
            <h2 id="lookup-title">{move || t.get().lookup_title}</h2>
            <p>{move || t.get().lookup_hint}</p>
            <form class="form" novalidate on:submit=submit>
                <ErrorSummary problems />
                <TextField
                    id="lookup-code"
                    label=Signal::derive(move || t.get().field_code)
                    hint=Signal::derive(move || t.get().field_code_hint)
                    error=code_error
                    value=code
                    maxlength=12
                />
                <TextField
                    id="lookup-phone"
                    label=Signal::derive(move || t.get().field_phone)
                    hint=Signal::derive(move || t.get().field_phone_hint)
                    error=phone_error
                    value=phone
                    input_type="tel"
                    autocomplete="tel-national"
                    inputmode="tel"
                    maxlength=20
                />
                {move || failure.get().map(|m| view! { <p class="notice notice--error" role="alert">{m}</p> })}
                <button type="submit" class="button">{move || t.get().lookup_submit}</button>
            </form>
            {move || verifying.get().then(|| asked.get()).flatten().map(|(c, p)| view! {
                <VerifyPhone phone=p.clone()
                    on_verified=Callback::new(move |()| { find.dispatch_local((c.clone(), p.clone())); }) />
            })}
        </section>
    }
}
