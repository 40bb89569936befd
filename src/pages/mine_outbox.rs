//! 我的's view of the outbox: every write made on this phone with its state. What still
//! needs the connection or the person (尚未完成) comes first, with what to do about a
//! refused one and a copy as text of a waiting one (so nothing is trapped on a phone whose
//! storage is cleared); what is done (提交记录) comes last.

use leptos::prelude::*;
use model::{ErrorCode, Lang};
use wasm_bindgen_futures::JsFuture;

use crate::api::ClientError;
use crate::app::paths;
use crate::i18n::{ClientErrorText, Texts, use_texts};
use crate::offline::{Entry, Outbox, State, Write};

/// The outbox entries that are `open` (still waiting, or refused and so waiting for the
/// person) or, when not, the finished ones; nothing when there are none.
#[component]
pub fn OutboxSection(open: bool) -> impl IntoView {
    let t = use_texts();
    let outbox = expect_context::<Outbox>();
    let id = if open {
        "mine-outbox-open"
    } else {
        "mine-outbox-done"
    };
    move || {
        let mut entries: Vec<Entry> = outbox
            .entries()
            .into_iter()
            .filter(|e| !matches!(e.state, State::Done { .. }) == open)
            .collect();
        if entries.is_empty() {
            return None;
        }
        entries.reverse();
        let o = t.get().offline;
        Some(view! {
            <section aria-labelledby=id>
                <h2 id=id>{if open { o.open_title } else { o.outbox_title }}</h2>
                <p class="field__hint">{o.outbox_intro}</p>
                <ul class="cards">
                    {entries.into_iter().map(|entry| view! { <OutboxCard entry /> }).collect_view()}
                </ul>
            </section>
        })
    }
}

fn kind(t: &Texts, write: &Write) -> &'static str {
    let o = t.offline;
    match write {
        Write::Signup { .. } => o.kind_signup,
        Write::CancelSignup { .. } => o.kind_cancel_signup,
        Write::Book { .. } => o.kind_book,
        Write::Reschedule { .. } => o.kind_reschedule,
        Write::CancelBooking { .. } => o.kind_cancel_booking,
        Write::Respond { .. } => o.kind_respond,
        Write::RecordDefect { .. } => o.kind_record_defect,
        Write::AnswerRepair { .. } => o.kind_answer_repair,
    }
}

fn state_text(t: &Texts, state: &State) -> &'static str {
    let o = t.offline;
    match state {
        State::Saved => o.state_saved,
        State::Sending => o.state_sending,
        State::Done { .. } => o.state_done,
        State::Refused { .. } => o.state_refused,
    }
}

/// Where the result of a finished write is seen.
fn done_href(write: &Write, code: &str) -> String {
    match write {
        Write::Signup { .. } | Write::CancelSignup { .. } => paths::signup_done(code),
        Write::Respond { .. } => paths::SURVEY_RESULTS.to_string(),
        Write::Book { .. }
        | Write::Reschedule { .. }
        | Write::CancelBooking { .. }
        | Write::RecordDefect { .. }
        | Write::AnswerRepair { .. } => paths::booking_pass(code),
    }
}

/// Where a refused write is put right.
fn fix_href(write: &Write, key: &str) -> String {
    match write {
        Write::Signup { event_id, .. } => paths::signup(*event_id),
        Write::Book { body } => paths::booking_again(body.project_id, key),
        Write::Reschedule { code, .. }
        | Write::CancelBooking { code, .. }
        | Write::RecordDefect { code, .. }
        | Write::AnswerRepair { code, .. } => paths::booking_pass(code.as_str()),
        Write::CancelSignup { code, .. } => paths::signup_done(code.as_str()),
        Write::Respond { .. } => paths::SURVEY.to_string(),
    }
}

/// The entry as a person can read it and keep it elsewhere: what, when, and the request.
fn as_text(t: &Texts, entry: &Entry) -> String {
    let mut lines = vec![t.offline.copy_heading.to_string(), heading(t, entry)];
    if let Some(when) = entry.about.when {
        lines.push(t.date_time(when));
    }
    lines.push(format!(
        "{}{}",
        t.offline.saved_at,
        t.moment(entry.saved_at)
    ));
    lines.push(serde_json::to_string_pretty(&entry.write).unwrap_or_default());
    lines.push(format!("Idempotency-Key: {}", entry.key.as_str()));
    lines.join("\n")
}

fn heading(t: &Texts, entry: &Entry) -> String {
    let kind = kind(t, &entry.write);
    match &entry.about.subject {
        Some(subject) => {
            let sep = if t.lang == Lang::Zh { "：" } else { ": " };
            format!("{kind}{sep}{}", subject.get(t.lang))
        }
        None => kind.to_string(),
    }
}

#[component]
fn OutboxCard(entry: Entry) -> impl IntoView {
    let t = use_texts();
    let outbox = expect_context::<Outbox>();
    let copied = RwSignal::new(None::<bool>);
    let entry = StoredValue::new(entry);
    let copy = move |_| {
        let text = entry.with_value(|e| as_text(t.get_untracked(), e));
        leptos::task::spawn_local(async move {
            let clipboard = web_sys::window().map(|w| w.navigator().clipboard());
            let ok = match clipboard {
                Some(c) => JsFuture::from(c.write_text(&text)).await.is_ok(),
                None => false,
            };
            copied.set(Some(ok));
        });
    };
    let dismiss = move |_| outbox.dismiss(&entry.with_value(|e| e.key.clone()));
    let retry = move |_| leptos::task::spawn_local(outbox.flush());

    move || {
        let t = t.get();
        let e = entry.get_value();
        let state_class = match e.state {
            State::Saved | State::Sending => "badge badge--low",
            State::Done { .. } => "badge",
            State::Refused { .. } => "badge badge--full",
        };
        let details = match &e.state {
            State::Saved | State::Sending => view! {
                <p class="card__meta">{format!("{}{}", t.offline.saved_at, t.moment(e.saved_at))}</p>
                {(e.attempts > 0).then(|| view! { <p class="card__meta">{(t.offline.tries)(e.attempts)}</p> })}
                <div class="actions">
                    <button type="button" class="button button--secondary" on:click=retry>{t.offline.send_now}</button>
                    <button type="button" class="button button--secondary" on:click=copy>{t.offline.copy}</button>
                </div>
                {move || copied.get().map(|ok| if ok {
                    view! { <p class="notice" role="status">{t.offline.copied}</p> }.into_any()
                } else {
                    view! {
                        <p class="notice notice--error" role="alert">{t.offline.copy_failed}</p>
                        <pre class="outbox__text">{entry.with_value(|e| as_text(t, e))}</pre>
                    }.into_any()
                })}
            }
            .into_any(),
            State::Done { code } => view! {
                <p class="card__meta">{t.offline.code_label} "：" <span class="code">{code.clone()}</span></p>
                <p><a href=done_href(&e.write, code)>{t.offline.view_result}</a></p>
                <button type="button" class="link-button" on:click=dismiss>{t.offline.dismiss}</button>
            }
            .into_any(),
            State::Refused { error } => {
                let reason = t.client_error(&ClientError::Api { status: 409, error: error.clone() });
                let fix = match (&e.write, error.code) {
                    (Write::Book { .. }, ErrorCode::SlotFull) => t.inspect.choose_other_slot,
                    (Write::Book { .. }, ErrorCode::BuyerMismatch) => t.inspect.fix_buyer,
                    _ => t.offline.fix_and_send,
                };
                view! {
                    <p class="notice notice--error">{reason}</p>
                    <p><a class="button" href=fix_href(&e.write, e.key.as_str())>{fix}</a></p>
                    <button type="button" class="link-button" on:click=dismiss>{t.offline.dismiss}</button>
                }
                .into_any()
            }
        };
        view! {
            <li class="card outbox__entry" data-state=e.state.name()>
                <h3 class="card__title">{heading(t, &e)}</h3>
                {e.about.when.map(|w| view! { <p class="card__meta">{t.date_time(w)}</p> })}
                <p><span class=state_class>{state_text(t, &e.state)}</span></p>
                {details}
            </li>
        }
    }
}
