use leptos::prelude::*;
use model::{FieldError, FieldErrors, PartySize, ValidRegistration};

use super::{ChoiceFieldset, ErrorSummary, FieldProblem, RadioChoice, TextField};
use crate::i18n::{Texts, use_texts};

/// What the person typed, kept as typed so that going back to change it loses nothing.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SignupAnswers {
    pub name: String,
    pub phone: String,
    pub party_size: String,
}

impl SignupAnswers {
    /// Applies the shared rules of `model`, the same the server applies.
    pub fn validate(&self) -> Result<ValidRegistration, FieldErrors> {
        ValidRegistration::from_parts(&self.name, &self.phone, PartySize::parse(&self.party_size))
    }
}

/// Field name (as the API names it) → the id of its input, in the order of the form.
const FIELDS: [(&str, &str); 3] = [
    ("name", "signup-name"),
    ("phone", "signup-phone"),
    ("party_size", "signup-party-1"),
];

fn message(t: &Texts, field: &str, e: FieldError) -> &'static str {
    match field {
        "name" => t.name_errors.get(e),
        "phone" => t.phone_errors.get(e),
        _ => t.party_errors.get(e),
    }
}

/// The sign-up form: name, mobile number, party size. Checks every answer with the
/// shared rules before handing them on, and shows problems in an error summary and at
/// each field.
#[component]
pub fn SignupForm(
    /// Answers to start from (when coming back to change them).
    initial: SignupAnswers,
    /// Problems the server found, shown as if found here.
    #[prop(into, optional)]
    server_errors: Signal<FieldErrors>,
    /// Runs with the answers once they pass every rule.
    on_valid: Callback<(SignupAnswers, ValidRegistration)>,
) -> impl IntoView {
    let t = use_texts();
    let name = RwSignal::new(initial.name);
    let phone = RwSignal::new(initial.phone);
    let party_size = RwSignal::new(initial.party_size);
    let local_errors = RwSignal::new(None::<FieldErrors>);
    // Until the person submits again, the server's findings stand.
    let errors = Memo::new(move |_| local_errors.get().unwrap_or_else(|| server_errors.get()));
    let error_for = move |field: &'static str| {
        Signal::derive(move || errors.with(|e| e.get(field).map(|&e| message(t.get(), field, e))))
    };
    let problems = Signal::derive(move || {
        let t = t.get();
        errors.with(|errors| {
            FIELDS
                .iter()
                .filter_map(|(field, id)| {
                    errors.get(*field).map(|&e| FieldProblem {
                        field_id: id,
                        message: message(t, field, e),
                    })
                })
                .collect::<Vec<_>>()
        })
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let answers = SignupAnswers {
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
    view! {
        <form class="form" novalidate on:submit=submit>
            <ErrorSummary problems />
            <TextField
                id="signup-name"
                label=Signal::derive(move || t.get().field_name)
                hint=Signal::derive(move || t.get().field_name_hint)
                error=error_for("name")
                value=name
                autocomplete="name"
                maxlength=30
            />
            <TextField
                id="signup-phone"
                label=Signal::derive(move || t.get().field_phone)
                hint=Signal::derive(move || t.get().field_phone_hint)
                error=error_for("phone")
                value=phone
                input_type="tel"
                autocomplete="tel-national"
                inputmode="tel"
                maxlength=20
            />
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
            <button type="submit" class="button">{move || t.get().continue_}</button>
        </form>
    }
}
