//! Booking a pre-inspection visit, one topic per step: flat and buyer → time → who is
//! coming → check your answers → the pass.

use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use model::{
    BuyerDetails, ErrorCode, FieldError, FieldErrors, NewBooking, Project, Slot, ValidBooking,
    VisitDetails, VisitPartySize,
};

use crate::api::{self, ClientError, IdempotencyKey};
use crate::app::paths;
use crate::components::{
    ChoiceFieldset, ErrorSummary, FIRST_SLOT_ID, FieldProblem, Loader, PageHeading, RadioChoice,
    SavedOnPhone, SendButton, SlotPicker, SummaryRow, TextField, VerifyPhone, problems_in_order,
};
use crate::i18n::{ClientErrorText, Texts, use_texts};
use crate::offline::{About, Entry, Outbox, State, Undelivered, Write};
use crate::prefs::set_title;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Step {
    Buyer,
    Slot,
    Visit,
    Check,
}

impl Step {
    const COUNT: u8 = 4;

    fn number(self) -> u8 {
        self as u8 + 1
    }
}

/// What the person typed, kept as typed across steps so that going back loses nothing.
#[derive(Clone, Copy)]
struct Answers {
    building: RwSignal<String>,
    unit: RwSignal<String>,
    room: RwSignal<String>,
    buyer_name: RwSignal<String>,
    phone: RwSignal<String>,
    slot: RwSignal<String>,
    party_size: RwSignal<String>,
    notes: RwSignal<String>,
}

impl Answers {
    fn new() -> Self {
        Self {
            building: RwSignal::new(String::new()),
            unit: RwSignal::new(String::new()),
            room: RwSignal::new(String::new()),
            buyer_name: RwSignal::new(String::new()),
            phone: RwSignal::new(String::new()),
            slot: RwSignal::new(String::new()),
            party_size: RwSignal::new("1".into()),
            notes: RwSignal::new(String::new()),
        }
    }

    fn buyer(&self) -> Result<BuyerDetails, FieldErrors> {
        BuyerDetails::from_parts(
            &self.building.get_untracked(),
            &self.unit.get_untracked(),
            &self.room.get_untracked(),
            &self.buyer_name.get_untracked(),
            &self.phone.get_untracked(),
        )
    }

    /// Puts back what a stored booking request held.
    fn fill(&self, body: &NewBooking) {
        self.building.set(body.building.clone());
        self.unit.set(body.unit.clone());
        self.room.set(body.room.clone());
        self.buyer_name.set(body.buyer_name.clone());
        self.phone.set(body.phone.clone());
        self.slot.set(body.slot_id.to_string());
        self.party_size.set(body.party_size.to_string());
        self.notes.set(body.notes.clone());
    }

    fn visit(&self) -> Result<VisitDetails, FieldErrors> {
        VisitDetails::from_parts(
            VisitPartySize::parse(&self.party_size.get_untracked()),
            &self.notes.get_untracked(),
        )
    }
}

/// The refused booking named by `?again=<key>`, with what it sent.
fn refused_booking(outbox: &Outbox) -> Option<(Entry, NewBooking)> {
    let key = use_query_map().read_untracked().get("again")?;
    let entry = outbox.find(&key)?;
    match (&entry.state, &entry.write) {
        (State::Refused { .. }, Write::Book { body }) => {
            let body = body.clone();
            Some((entry, body))
        }
        _ => None,
    }
}

/// The project id in the path, or -1 (which the API answers with "not found").
fn project_id_param() -> Memo<i64> {
    let params = use_params_map();
    Memo::new(move |_| {
        params
            .read()
            .get("project")
            .and_then(|s| s.parse().ok())
            .unwrap_or(-1)
    })
}

#[component]
pub fn Booking() -> impl IntoView {
    let t = use_texts();
    let id = project_id_param();
    Effect::new(move |_| set_title(t.get().inspect.book_visit, t.get().app_name));
    view! {
        <p class="back"><a href=paths::INSPECTIONS>{move || t.get().inspect.back_to_projects}</a></p>
        <Loader
            fetch=move || { let id = id.get(); async move { api::project(id).await } }
            render=|project| view! { <BookingSteps project /> }
        />
    }
}

fn field_message(t: &Texts, field: &str, e: FieldError) -> &'static str {
    match field {
        "buyer_name" => t.name_errors.get(e),
        "phone" => t.phone_errors.get(e),
        "party_size" => t.inspect.party_errors.get(e),
        "notes" => t.inspect.notes_errors.get(e),
        _ => t.inspect.flat_errors.get(e),
    }
}

const BUYER_FIELDS: [(&str, &str); 5] = [
    ("building", "booking-building"),
    ("unit", "booking-unit"),
    ("room", "booking-room"),
    ("buyer_name", "booking-name"),
    ("phone", "booking-phone"),
];
const VISIT_FIELDS: [(&str, &str); 2] = [
    ("party_size", "booking-party-1"),
    ("notes", "booking-notes"),
];

/// One booking being made, shared by its steps: what was typed (kept as typed, so going
/// back loses nothing), the step, the fields refused, and the time chosen.
#[derive(Clone, Copy)]
struct Making {
    answers: Answers,
    step: RwSignal<Step>,
    errors: RwSignal<FieldErrors>,
    chosen_slot: RwSignal<Option<Slot>>,
}

impl Making {
    fn go(&self, to: Step) {
        self.errors.set(FieldErrors::new());
        self.step.set(to);
    }

    /// The summary's problems among `fields`, in the form's order.
    fn problems(
        &self,
        fields: &'static [(&'static str, &'static str)],
    ) -> Signal<Vec<FieldProblem>> {
        let (t, errors) = (use_texts(), self.errors);
        Signal::derive(move || {
            let t = t.get();
            errors.with(|e| problems_in_order(e, fields, |f, e| field_message(t, f, e)))
        })
    }

    fn error_for(&self, field: &'static str) -> Signal<Option<&'static str>> {
        let (t, errors) = (use_texts(), self.errors);
        Signal::derive(move || {
            errors.with(|e| e.get(field).map(|&e| field_message(t.get(), field, e)))
        })
    }

    /// Every step checked by the model's rules, with the time chosen: what the check page
    /// shows and sends. `None` until all of it is there.
    fn checked(&self) -> Option<(ValidBooking, Slot)> {
        let buyer = self.answers.buyer().ok()?;
        let visit = self.answers.visit().ok()?;
        Some((
            ValidBooking { buyer, visit },
            self.chosen_slot.get_untracked()?,
        ))
    }
}

#[component]
fn BookingSteps(project: Project) -> impl IntoView {
    let t = use_texts();
    let outbox = expect_context::<Outbox>();
    let navigate = use_navigate();
    let making = Making {
        answers: Answers::new(),
        step: RwSignal::new(Step::Buyer),
        errors: RwSignal::new(FieldErrors::new()),
        chosen_slot: RwSignal::new(None),
    };
    // Correcting a booking the server refused after it waited on the phone: start from
    // what was sent, at the step the refusal concerns.
    let corrects = refused_booking(&outbox);
    if let Some((entry, body)) = &corrects {
        making.answers.fill(body);
        making.step.set(match &entry.state {
            State::Refused { error } if error.code == ErrorCode::BuyerMismatch => Step::Buyer,
            _ => Step::Slot,
        });
    }
    let replaces = StoredValue::new(corrects.map(|(entry, _)| entry.key));
    // Made when the person reaches the check page; every retry of that submission reuses it.
    let key = StoredValue::new(IdempotencyKey::new());
    let project_id = project.id;
    let project = StoredValue::new(project);

    let submit = Action::new_local(move |(key, body): &(IdempotencyKey, NewBooking)| {
        let about = About {
            subject: Some(project.with_value(|p| p.name.clone())),
            when: making.chosen_slot.get_untracked().map(|s| s.starts_at),
        };
        outbox.deliver(
            Write::Book { body: body.clone() },
            about,
            key.clone(),
            replaces.get_value(),
        )
    });
    Effect::new(move |_| {
        if let Some(Ok(done)) = submit.value().get() {
            navigate(&paths::booking_pass(&done.code()), Default::default());
        }
    });
    let checking = Callback::new(move |()| {
        key.set_value(IdempotencyKey::new());
        submit.value().set(None);
        making.go(Step::Check);
    });

    let heading = move |s: Step| match s {
        Step::Buyer => t.get().inspect.buyer_title,
        Step::Slot => t.get().inspect.slot_title,
        Step::Visit => t.get().inspect.visit_title,
        Step::Check => t.get().inspect.check_title,
    };
    let project_name =
        move || project.with_value(|p| p.name.get(t.get_untracked().lang).to_string());

    move || {
        let s = making.step.get();
        // Each step is drawn afresh on a change of step or language, so its words are
        // plain text rather than a reactive closure each (smaller wasm).
        let t = t.get();
        let header = view! {
            <p class="kicker">
                {move || (t.inspect.step_of)(s.number(), Step::COUNT)} " · " {project_name}
            </p>
            <PageHeading>{move || heading(s)}</PageHeading>
        };
        let body = match s {
            Step::Buyer => view! { <BuyerStep making t /> }.into_any(),
            Step::Slot => view! { <SlotStep making project_id t /> }.into_any(),
            Step::Visit => view! { <VisitStep making checking t /> }.into_any(),
            Step::Check => match making.checked() {
                Some((booking, slot)) => view! {
                    <CheckStep making booking time=slot project_id project_name=project_name() submit key t />
                }
                .into_any(),
                None => ().into_any(),
            },
        };
        view! { {header} {body} }.into_any()
    }
}

#[component]
fn BuyerStep(making: Making, t: &'static Texts) -> impl IntoView {
    let answers = making.answers;
    let on_buyer = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match answers.buyer() {
            Ok(_) => making.go(Step::Slot),
            Err(e) => making.errors.set(e),
        }
    };
    view! {
        <p>{t.inspect.buyer_intro}</p>
        <form class="form" novalidate on:submit=on_buyer>
            <ErrorSummary problems=making.problems(&BUYER_FIELDS) />
            <div class="field-row">
                <TextField id="booking-building" label=t.inspect.field_building
                    hint=t.inspect.field_building_hint
                    error=making.error_for("building") value=answers.building maxlength=10 />
                <TextField id="booking-unit" label=t.inspect.field_unit
                    hint=t.inspect.field_unit_hint
                    error=making.error_for("unit") value=answers.unit maxlength=10 />
                <TextField id="booking-room" label=t.inspect.field_room
                    hint=t.inspect.field_room_hint
                    error=making.error_for("room") value=answers.room maxlength=10 inputmode="numeric" />
            </div>
            <TextField id="booking-name" label=t.inspect.field_buyer_name
                hint=t.inspect.field_buyer_name_hint
                error=making.error_for("buyer_name") value=answers.buyer_name autocomplete="name" maxlength=30 />
            <TextField id="booking-phone" label=t.field_phone
                hint=t.inspect.field_phone_hint
                error=making.error_for("phone") value=answers.phone input_type="tel"
                autocomplete="tel-national" inputmode="tel" maxlength=20 />
            <button type="submit" class="button">{t.continue_}</button>
        </form>
    }
}

#[component]
fn SlotStep(making: Making, project_id: i64, t: &'static Texts) -> impl IntoView {
    let slots = RwSignal::new(Vec::<Slot>::new());
    let slot_error = RwSignal::new(None::<&'static str>);
    let on_slot = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        // The radio's value is the slot id; only a listed slot with room goes on.
        let id = making.answers.slot.get_untracked();
        let slot = slots.with_untracked(|l| {
            l.iter()
                .find(|s| s.id.to_string() == id && !s.is_full())
                .cloned()
        });
        match slot {
            Some(slot) => {
                slot_error.set(None);
                making.chosen_slot.set(Some(slot));
                making.go(Step::Visit);
            }
            None => slot_error.set(Some(t.inspect.slot_required)),
        }
    };
    let slot_problems = Signal::derive(move || {
        slot_error
            .get()
            .map(|message| FieldProblem {
                field_id: FIRST_SLOT_ID,
                message,
            })
            .into_iter()
            .collect::<Vec<_>>()
    });
    view! {
        <form class="form" novalidate on:submit=on_slot>
            <ErrorSummary problems=slot_problems />
            <SlotPicker project_id selected=making.answers.slot loaded=slots error=slot_error />
            <button type="submit" class="button">{t.continue_}</button>
        </form>
    }
}

#[component]
fn VisitStep(making: Making, checking: Callback<()>, t: &'static Texts) -> impl IntoView {
    let answers = making.answers;
    let on_visit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        match answers.visit() {
            Ok(_) => checking.run(()),
            Err(e) => making.errors.set(e),
        }
    };
    view! {
        <form class="form" novalidate on:submit=on_visit>
            <ErrorSummary problems=making.problems(&VISIT_FIELDS) />
            <ChoiceFieldset id="booking-party" label=t.inspect.field_party
                hint=t.inspect.field_party_hint error=making.error_for("party_size")>
                <div class="choices">
                    {(1..=VisitPartySize::MAX).map(|n| view! {
                        <RadioChoice name="party_size" id=format!("booking-party-{n}") value=n.to_string()
                            label=Signal::derive(move || (t.people)(n)) selected=answers.party_size />
                    }).collect_view()}
                </div>
            </ChoiceFieldset>
            <TextField id="booking-notes" label=t.inspect.field_notes
                hint=t.inspect.field_notes_hint
                error=making.error_for("notes") value=answers.notes maxlength=200 rows=3 />
            <button type="submit" class="button">{t.continue_}</button>
        </form>
    }
}

type Submit = Action<(IdempotencyKey, NewBooking), Result<crate::offline::Done, Undelivered>>;

/// Check your answers: each row changes its own step; sending sends the checked booking.
#[component]
fn CheckStep(
    making: Making,
    booking: ValidBooking,
    /// The visit's time (a "slot", a word the view macro keeps for itself).
    time: Slot,
    project_id: i64,
    project_name: String,
    submit: Submit,
    key: StoredValue<IdempotencyKey>,
    t: &'static Texts,
) -> impl IntoView {
    let go = move |to: Step| Callback::new(move |_| making.go(to));
    let body = StoredValue::new(booking.body(project_id, time.id));
    let send = Callback::new(move |()| {
        submit.dispatch_local((key.get_value(), body.get_value()));
    });
    let failure = Memo::new(move |_| match submit.value().get() {
        Some(Err(e)) if !submit.pending().get() => Some(e),
        _ => None,
    });
    let ValidBooking { buyer, visit } = booking;
    let notes = visit.notes.as_str().to_string();
    view! {
        <dl class="summary">
            <SummaryRow label=t.inspect.project_label value=project_name />
            <SummaryRow label=t.inspect.flat_label
                value=if t.lang == model::Lang::Zh { buyer.flat.zh() } else { buyer.flat.en() }
                on_change=go(Step::Buyer) />
            <SummaryRow label=t.inspect.buyer_label
                value=format!("{} · {}", buyer.buyer_name.as_str(), buyer.phone.masked())
                on_change=go(Step::Buyer) />
            <SummaryRow label=t.when_label value=t.slot_when(&time) on_change=go(Step::Slot) />
            <SummaryRow label=t.inspect.field_party value=(t.people)(visit.party_size.get())
                on_change=go(Step::Visit) />
            <SummaryRow label=t.inspect.field_notes
                value=if notes.is_empty() { t.inspect.notes_none.to_string() } else { notes }
                on_change=go(Step::Visit) />
        </dl>
        {move || failure.get().map(|e| {
            let Undelivered::Refused(e) = e else {
                return view! { <SavedOnPhone /> }.into_any();
            };
            if e.needs_verification() {
                // Same key: the server stored nothing of the refused attempt.
                return view! {
                    <VerifyPhone phone=buyer.phone.clone() on_verified=send on_change_number=go(Step::Buyer) />
                }
                .into_any();
            }
            let code = match &e { ClientError::Api { error, .. } => Some(error.code), _ => None };
            view! {
                <div class="notice notice--error" role="alert">
                    <p>{t.client_error(&e)}</p>
                    {(code == Some(ErrorCode::BuyerMismatch)).then(|| view! {
                        <button type="button" class="link-button" on:click=move |_| making.go(Step::Buyer)>{t.inspect.fix_buyer}</button>
                    })}
                    {(code == Some(ErrorCode::SlotFull)).then(|| view! {
                        <button type="button" class="link-button" on:click=move |_| making.go(Step::Slot)>{t.inspect.choose_other_slot}</button>
                    })}
                </div>
            }
            .into_any()
        })}
        // Once kept on the phone, it is on its way: no second submission; while the phone
        // is being proved, that form sends it.
        <SendButton pending=submit.pending() failure label=t.inspect.submit on_send=send />
    }
}
