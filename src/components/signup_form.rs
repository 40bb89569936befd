use leptos::prelude::*;
use model::{
    Attendees, Audience, CreditCode, FieldError, FieldErrors, NewOrganisation, PartySize,
    ValidRegistration,
};

use super::{ChoiceFieldset, ErrorSummary, FieldProblem, RadioChoice, TextField};
use crate::i18n::{Texts, use_texts};

/// What the person typed, kept as typed so that going back to change it loses nothing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SignupAnswers {
    /// Signing up an organisation, not oneself.
    pub as_org: bool,
    pub org_name: String,
    pub credit_code: String,
    /// The person's name, or the organisation's contact's.
    pub name: String,
    pub phone: String,
    pub party_size: String,
}

impl SignupAnswers {
    /// Applies the shared rules of `model`, the same the server applies.
    pub fn validate(&self) -> Result<ValidRegistration, FieldErrors> {
        if self.as_org {
            let org = NewOrganisation {
                name: self.org_name.clone(),
                credit_code: self.credit_code.clone(),
            };
            ValidRegistration::for_organisation(
                &org,
                &self.name,
                &self.phone,
                Attendees::parse(&self.party_size),
            )
        } else {
            ValidRegistration::from_parts(
                &self.name,
                &self.phone,
                PartySize::parse(&self.party_size),
            )
        }
    }
}

/// Field name (as the API names it) → the id of its input, in the order of the form.
const PERSON_FIELDS: [(&str, &str); 3] = [
    ("name", "signup-name"),
    ("phone", "signup-phone"),
    ("party_size", "signup-party-1"),
];

const ORG_FIELDS: [(&str, &str); 5] = [
    ("organisation.name", "signup-org-name"),
    ("organisation.credit_code", "signup-credit-code"),
    ("name", "signup-name"),
    ("phone", "signup-phone"),
    ("party_size", "signup-attendees"),
];

fn message(t: &Texts, as_org: bool, field: &str, e: FieldError) -> &'static str {
    match field {
        "organisation.name" => t.org.org_name_errors.get(e),
        "organisation.credit_code" => t.org.credit_code_error(e),
        "name" => t.name_errors.get(e),
        "phone" => t.phone_errors.get(e),
        _ if as_org => t.org.attendees_errors.get(e),
        _ => t.party_errors.get(e),
    }
}

/// The sign-up form: a person's name, mobile number and party size, or an organisation's
/// name and credit code with its contact and how many attend, as the event's audience
/// allows. Checks every answer with the shared rules before handing them on, and shows
/// problems in an error summary and at each field.
#[component]
pub fn SignupForm(
    /// Answers to start from (when coming back to change them).
    initial: SignupAnswers,
    /// Who the event takes: the form offers only those.
    #[prop(optional)]
    audience: Audience,
    /// Problems the server found, shown as if found here.
    #[prop(into, optional)]
    server_errors: Signal<FieldErrors>,
    /// Runs with the answers once they pass every rule.
    on_valid: Callback<(SignupAnswers, ValidRegistration)>,
) -> impl IntoView {
    let t = use_texts();
    let as_org = initial.as_org || !audience.takes_residents();
    let kind = RwSignal::new(if as_org { "org" } else { "person" }.to_string());
    let as_org = Signal::derive(move || kind.get() == "org");
    let org_name = RwSignal::new(initial.org_name);
    let credit_code = RwSignal::new(initial.credit_code);
    let name = RwSignal::new(initial.name);
    let phone = RwSignal::new(initial.phone);
    let party_size = RwSignal::new(initial.party_size);
    let local_errors = RwSignal::new(None::<FieldErrors>);
    // Until the person submits again, the server's findings stand.
    let errors = Memo::new(move |_| local_errors.get().unwrap_or_else(|| server_errors.get()));
    let error_for = move |field: &'static str| {
        Signal::derive(move || {
            errors.with(|e| {
                e.get(field)
                    .map(|&e| message(t.get(), as_org.get(), field, e))
            })
        })
    };
    // A whole code typed with one character wrong is said at once, not on sending: the
    // licence is still in the person's hand.
    let code_error = Signal::derive(move || {
        let typed = credit_code.get();
        let whole = typed.chars().filter(|c| c.is_alphanumeric()).count() == CreditCode::LEN;
        match CreditCode::parse(&typed) {
            Err(FieldError::CheckCharacter) if whole => Some(t.get().org.credit_code_mistyped),
            // A letter the code never has (O for 0, I for 1) is wrong at any length.
            Err(FieldError::Invalid) => Some(t.get().org.credit_code_errors.invalid),
            _ => error_for("organisation.credit_code").get(),
        }
    });
    let problems = Signal::derive(move || {
        let t = t.get();
        let as_org = as_org.get();
        let fields: &[(&str, &str)] = if as_org { &ORG_FIELDS } else { &PERSON_FIELDS };
        errors.with(|errors| {
            fields
                .iter()
                .filter_map(|(field, id)| {
                    errors.get(*field).map(|&e| FieldProblem {
                        field_id: id,
                        message: message(t, as_org, field, e),
                    })
                })
                .collect::<Vec<_>>()
        })
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let answers = SignupAnswers {
            as_org: as_org.get(),
            org_name: org_name.get(),
            credit_code: credit_code.get(),
            name: name.get(),
            phone: phone.get(),
            party_size: party_size.get(),
        };
        match answers.validate() {
            Ok(valid) => {
                local_errors.set(Some(FieldErrors::new()));
                on_valid.run((answers, valid));
            }
            Err(e) => local_errors.set(Some(e)),
        }
    };
    let both = audience == Audience::Both;
    view! {
        <form class="form" novalidate on:submit=submit>
            <ErrorSummary problems />
            {both.then(|| view! {
                <ChoiceFieldset
                    id="signup-as"
                    label=Signal::derive(move || t.get().org.signup_as)
                    hint=Signal::derive(move || t.get().org.signup_as_hint)
                    error=Signal::stored(None::<&'static str>)
                >
                    <div class="choices">
                        <RadioChoice name="signup_as" id="signup-as-person".to_string() value="person".to_string()
                            label=Signal::derive(move || t.get().org.as_person.to_string()) selected=kind />
                        <RadioChoice name="signup_as" id="signup-as-org".to_string() value="org".to_string()
                            label=Signal::derive(move || t.get().org.as_org.to_string()) selected=kind />
                    </div>
                </ChoiceFieldset>
            })}
            <Show when=move || as_org.get()>
                <TextField
                    id="signup-org-name"
                    label=Signal::derive(move || t.get().org.field_org_name)
                    hint=Signal::derive(move || t.get().org.field_org_name_hint)
                    error=error_for("organisation.name")
                    value=org_name
                    autocomplete="organization"
                    maxlength=60
                />
                <TextField
                    id="signup-credit-code"
                    label=Signal::derive(move || t.get().org.field_credit_code)
                    hint=Signal::derive(move || t.get().org.field_credit_code_hint)
                    error=code_error
                    value=credit_code
                    maxlength=24
                />
                // The field's error appears while typing: said to screen readers too.
                <p class="visually-hidden" role="status">{move || code_error.get()}</p>
            </Show>
            <TextField
                id="signup-name"
                label=Signal::derive(move || if as_org.get() { t.get().org.field_contact } else { t.get().field_name })
                hint=Signal::derive(move || t.get().field_name_hint)
                error=error_for("name")
                value=name
                autocomplete="name"
                maxlength=30
            />
            <TextField
                id="signup-phone"
                label=Signal::derive(move || if as_org.get() { t.get().org.field_contact_phone } else { t.get().field_phone })
                hint=Signal::derive(move || t.get().field_phone_hint)
                error=error_for("phone")
                value=phone
                input_type="tel"
                autocomplete="tel-national"
                inputmode="tel"
                maxlength=20
            />
            <Show
                when=move || as_org.get()
                fallback=move || view! {
                    <ChoiceFieldset
                        id="signup-party"
                        label=Signal::derive(move || t.get().field_party)
                        hint=Signal::derive(move || t.get().field_party_hint)
                        error=error_for("party_size")
                    >
                        <div class="choices">
                            {(1..=PartySize::MAX)
                                .map(|n| view! {
                                    <RadioChoice
                                        name="party_size"
                                        id=format!("signup-party-{n}")
                                        value=n.to_string()
                                        label=Signal::derive(move || (t.get().people)(n))
                                        selected=party_size
                                    />
                                })
                                .collect_view()}
                        </div>
                    </ChoiceFieldset>
                }
            >
                <TextField
                    id="signup-attendees"
                    label=Signal::derive(move || t.get().org.field_attendees)
                    hint=Signal::derive(move || t.get().org.field_attendees_hint)
                    error=error_for("party_size")
                    value=party_size
                    inputmode="numeric"
                    maxlength=2
                />
            </Show>
            <button type="submit" class="button">{move || t.get().continue_}</button>
        </form>
    }
}
