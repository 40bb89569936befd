//! Check-in at the door, on a phone: scan the resident's QR code or type it; see who it
//! is, how many, and whether they were already in. Walk-ins are registered here too.

use leptos::prelude::*;
use model::{CheckinResult, RegistrationStatus, StaffEvent, WalkIn};
use quality_month_web::api::ClientError;
use quality_month_web::components::{Loader, PageHeading, SendButton, TextField};

use super::code_entry::CodeEntry;
use super::{Refusal, fresh, path_id};
use crate::api;
use crate::app::{Session, paths};
use crate::i18n::use_staff_texts;
use crate::scan_queue::{self, PendingScan};

#[component]
pub fn Door() -> impl IntoView {
    let id = path_id();
    view! {
        <Loader fetch=move || fresh(api::event(id.get().unwrap_or_default()))
            render={|event: StaffEvent| view! { <Desk event /> }} />
    }
}

#[component]
fn Desk(event: StaffEvent) -> impl IntoView {
    let t = use_staff_texts();
    let session = expect_context::<Session>();
    let id = event.id;
    let title = event.draft.title.clone();
    // Walk-ins are people: an event for organisations only takes none (the server agrees).
    let walk_ins = event.draft.audience.takes_residents();
    Effect::new(move |_| quality_month_web::prefs::set_title(t.get().door_title, t.get().app_name));
    // Scans waiting on this phone for a connection, and what the server said once they
    // were sent.
    let waiting = RwSignal::new(scan_queue::waiting(id));
    let sent_later = RwSignal::new(Vec::<CheckinResult>::new());
    let check = Action::new_local(move |code: &String| {
        let code = code.trim().to_uppercase();
        async move {
            let result = api::check_in(id, code.clone()).await;
            if matches!(&result, Err(e) if e.is_unreachable()) {
                scan_queue::keep(PendingScan { event_id: id, code });
                waiting.set(scan_queue::waiting(id));
            }
            result
        }
    });
    let send_kept = move || {
        leptos::task::spawn_local(async move {
            let answered = scan_queue::flush().await;
            waiting.set(scan_queue::waiting(id));
            let mine = answered
                .into_iter()
                .filter(|(scan, _)| scan.event_id == id)
                .filter_map(|(_, r)| r.ok());
            sent_later.update(|list| list.extend(mine));
        });
    };
    // At once (scans left from a closed page) and whenever the connection comes back.
    send_kept();
    let online = window_event_listener(leptos::ev::online, move |_| send_kept());
    on_cleanup(move || online.remove());
    let pending = check.pending();
    Effect::new(move |_| {
        if let Some(Err(e)) = check.value().get() {
            session.notice(&e);
        }
    });
    let result = Signal::derive(move || match check.value().get() {
        Some(Ok(r)) => Some(r),
        _ => None,
    });
    let refusal = Signal::derive(move || match check.value().get() {
        Some(Err(e)) if !pending.get() && !e.is_unreachable() => Some(e),
        _ => None,
    });
    view! {
        <PageHeading>{move || t.get().door_title}</PageHeading>
        <p><a href=paths::event(id)>{move || title.get(t.get().lang).to_string()}</a></p>
        <div class="door__result" aria-live="polite">
            {move || result.get().map(|r| view! { <Outcome r /> })}
            <Refusal error=refusal />
            {move || (waiting.get() > 0).then(|| view! {
                <p class="notice notice--offline">{move || (t.get().scans_kept)(waiting.get())}</p>
            })}
            {move || (!sent_later.get().is_empty()).then(|| view! {
                <h2>{move || t.get().sent_later}</h2>
                {sent_later.get().into_iter().map(|r| view! { <Outcome r /> }).collect_view()}
            })}
        </div>
        <CodeEntry pending on_code=Callback::new(move |code: String| { check.dispatch_local(code); }) />
        {walk_ins.then(|| view! { <WalkInForm id /> })}
    }
}

/// What one scan found, said plainly.
#[component]
fn Outcome(r: CheckinResult) -> impl IntoView {
    let t = use_staff_texts();
    let residents = move || quality_month_web::i18n::texts(t.get().lang);
    let headline = move || match (r.status, r.checked_in_at) {
        (RegistrationStatus::Waitlisted, _) => t.get().waitlisted_no_place.to_string(),
        (_, Some(at)) if r.already => (t.get().checked_in_before)(&residents().time_of_day(at)),
        _ => t.get().checked_in_now.to_string(),
    };
    let good = !r.already && r.status == RegistrationStatus::Registered;
    // An organisation's contact is named after it.
    let name = match &r.organisation {
        Some(org) => format!("{org} · {}", r.name),
        None => r.name.clone(),
    };
    let party = r.party_size;
    let attended = r.attended;
    view! {
        <div class="panel" class:panel--waiting=!good role="status">
            <p class="panel__code">{headline}</p>
            <p>{name} " · " {move || (residents().people)(party)}</p>
            <p>{move || (t.get().attended_n)(attended)}</p>
        </div>
    }
}

#[component]
fn WalkInForm(id: i64) -> impl IntoView {
    let t = use_staff_texts();
    let residents = move || quality_month_web::i18n::texts(t.get().lang);
    let name = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let party = RwSignal::new("1".to_string());
    let register = Action::new_local(move |w: &WalkIn| {
        let w = w.clone();
        async move { api::walk_in(id, &w).await }
    });
    let pending = register.pending();
    let fields = Signal::derive(move || match register.value().get() {
        Some(Err(ClientError::Api { error, .. })) => error.fields,
        _ => Default::default(),
    });
    let error_of = move |field: &'static str| {
        Signal::derive(move || {
            let r = residents();
            let messages = match field {
                "name" => &r.name_errors,
                "phone" => &r.phone_errors,
                _ => &r.party_errors,
            };
            fields.get().get(field).map(|e| messages.get(*e))
        })
    };
    let refusal = Signal::derive(move || match register.value().get() {
        Some(Err(e)) if !pending.get() && fields.get().is_empty() => Some(e),
        _ => None,
    });
    Effect::new(move |_| {
        if let Some(Ok(_)) = register.value().get() {
            name.set(String::new());
            phone.set(String::new());
            party.set("1".into());
        }
    });
    view! {
        <section aria-labelledby="walk-in-title">
            <h2 id="walk-in-title">{move || t.get().walk_in}</h2>
            {move || match register.value().get() {
                Some(Ok(r)) => Some(view! { <Outcome r /> }),
                _ => None,
            }}
            <form class="form" on:submit=move |ev| {
                ev.prevent_default();
                if pending.get_untracked() { return; }
                register.dispatch_local(WalkIn {
                    name: name.get_untracked(),
                    phone: phone.get_untracked(),
                    party_size: party.get_untracked().trim().parse().unwrap_or(0),
                });
            }>
                <TextField id="walk-in-name" label=Signal::derive(move || t.get().field_person_name) hint="" error=error_of("name") value=name autocomplete="off" />
                <TextField id="walk-in-phone" label=Signal::derive(move || t.get().field_phone) hint="" error=error_of("phone") value=phone input_type="tel" inputmode="tel" maxlength=20 />
                <TextField id="walk-in-party" label=Signal::derive(move || t.get().field_party) hint="" error=error_of("party_size") value=party inputmode="numeric" maxlength=1 />
                <Refusal error=refusal />
                <SendButton pending label=Signal::derive(move || t.get().register_walk_in) class="button button--block button--secondary" />
            </form>
        </section>
    }
}
