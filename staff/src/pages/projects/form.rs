//! Opening a project (the district office) and editing it (its sales office): names in both
//! languages, the booking window, what buyers are told, the office's phone.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use model::{BeijingDate, FieldError, FieldErrors, Localized, ProjectDraft, StaffProject, Town};
use quality_month_web::components::{
    ErrorSummary, Loader, PageHeading, SelectField, SendButton, TextField,
};

use crate::api;
use crate::app::{Session, paths};
use crate::fields::{pair, problems, text};
use crate::i18n::projects::ProjectTexts;
use crate::i18n::use_staff_texts;
use crate::pages::{Refusal, failure_of, fresh, path_id};

#[component]
pub fn NewProject() -> impl IntoView {
    view! { <ProjectForm project=None /> }
}

#[component]
pub fn EditProject() -> impl IntoView {
    let id = path_id();
    view! {
        <Loader fetch=move || fresh(api::project(id.get().unwrap_or_default()))
            render={|p: StaffProject| view! { <ProjectForm project=Some(p) /> }} />
    }
}

const FIELD_IDS: &[(&str, &str)] = &[
    ("name.zh", "name-zh"),
    ("name.en", "name-en"),
    ("developer.zh", "developer-zh"),
    ("developer.en", "developer-en"),
    ("address.zh", "address-zh"),
    ("address.en", "address-en"),
    ("handover_on", "handover"),
    ("opens_days_before", "opens"),
    ("change_cutoff_hours", "cutoff"),
    ("instructions.zh", "instructions-zh"),
    ("instructions.en", "instructions-en"),
    ("contact_phone", "contact"),
];

#[component]
fn ProjectForm(project: Option<StaffProject>) -> impl IntoView {
    let t = use_staff_texts();
    let session = expect_context::<Session>();
    let navigate = use_navigate();
    let admin = session.me().is_some_and(|me| me.grant.is_admin());
    let id = project.as_ref().map(|p| p.id);
    let d = project.map(|p| p.draft);
    let empty = Localized::default();
    let town = RwSignal::new(
        d.as_ref()
            .map_or(Town::Nanqiao, |d| d.town)
            .slug()
            .to_string(),
    );
    let name = pair(d.as_ref().map_or(&empty, |d| &d.name));
    let developer = pair(d.as_ref().map_or(&empty, |d| &d.developer));
    let address = pair(d.as_ref().map_or(&empty, |d| &d.address));
    let instructions = pair(d.as_ref().map_or(&empty, |d| &d.instructions));
    let handover = RwSignal::new(
        d.as_ref()
            .map(|d| d.handover_on.to_string())
            .unwrap_or_default(),
    );
    let opens = RwSignal::new(
        d.as_ref()
            .map_or("30".into(), |d| d.opens_days_before.to_string()),
    );
    let cutoff = RwSignal::new(
        d.as_ref()
            .map_or("24".into(), |d| d.change_cutoff_hours.to_string()),
    );
    let contact = RwSignal::new(
        d.as_ref()
            .map(|d| d.contact_phone.clone())
            .unwrap_or_default(),
    );
    let checked = RwSignal::new(FieldErrors::new());
    let heading = move || {
        if id.is_some() {
            t.get().projects.edit_title
        } else {
            t.get().projects.new_title
        }
    };
    Effect::new(move |_| quality_month_web::prefs::set_title(heading(), t.get().app_name));
    let save = Action::new_local(move |draft: &ProjectDraft| {
        let draft = draft.clone();
        async move {
            match id {
                Some(id) => api::update_project(id, &draft).await,
                None => api::create_project(&draft).await,
            }
        }
    });
    let pending = save.pending();
    let failure = failure_of(save);
    Effect::new(move |_| {
        if let Some(Ok(p)) = save.value().get() {
            navigate(&paths::project(p.id), Default::default());
        }
    });
    let errors = failure.and(checked);
    let field_problems =
        Signal::derive(move || problems(&errors.get(), FIELD_IDS, |e| t.get().field_error(e)));
    let error_of = move |field: &'static str| {
        Signal::derive(move || errors.get().get(field).map(|e| t.get().field_error(*e)))
    };
    let label =
        move |f: fn(&ProjectTexts) -> &'static str| Signal::derive(move || f(t.get().projects));
    let towns = Signal::derive(move || {
        Town::ALL
            .iter()
            .map(|c| (c.slug().to_string(), c.name(t.get().lang).to_string()))
            .collect()
    });
    let draft = move || {
        let mut errors = FieldErrors::new();
        let handover_on = BeijingDate::parse(handover.get_untracked().trim());
        if handover_on.is_none() {
            errors.insert("handover_on".into(), FieldError::Invalid);
        }
        let number = |s: RwSignal<String>, field: &str, errors: &mut FieldErrors| {
            s.get_untracked().trim().parse::<u32>().unwrap_or_else(|_| {
                errors.insert(field.into(), FieldError::OutOfRange);
                0
            })
        };
        let draft = ProjectDraft {
            town: Town::from_slug(&town.get_untracked()).unwrap_or(Town::Nanqiao),
            name: text(name),
            developer: text(developer),
            address: text(address),
            handover_on: handover_on.unwrap_or(BeijingDate::new(2000, 1, 1).expect("a date")),
            opens_days_before: number(opens, "opens_days_before", &mut errors),
            change_cutoff_hours: number(cutoff, "change_cutoff_hours", &mut errors),
            instructions: text(instructions),
            contact_phone: contact.get_untracked(),
        };
        let validated = draft.validate();
        crate::fields::checked(draft, errors, validated)
    };
    view! {
        <PageHeading>{heading}</PageHeading>
        <ErrorSummary problems=field_problems />
        <form class="form form--wide" novalidate on:submit=move |ev| {
            ev.prevent_default();
            if pending.get_untracked() { return; }
            match draft() {
                Ok(d) => { checked.set(FieldErrors::new()); save.dispatch_local(d); }
                Err(e) => checked.set(e),
            }
        }>
            {admin.then(|| view! { <SelectField id="town" label=Signal::derive(move || t.get().field_town) value=town options=towns /> })}
            <div class="form__pair">
                <TextField id="name-zh" label=label(|p| p.field_name_zh) hint="" error=error_of("name.zh") value=name[0] maxlength=60 />
                <TextField id="name-en" label=label(|p| p.field_name_en) hint="" error=error_of("name.en") value=name[1] maxlength=60 />
            </div>
            <div class="form__pair">
                <TextField id="developer-zh" label=label(|p| p.field_developer_zh) hint="" error=error_of("developer.zh") value=developer[0] maxlength=80 />
                <TextField id="developer-en" label=label(|p| p.field_developer_en) hint="" error=error_of("developer.en") value=developer[1] maxlength=80 />
            </div>
            <div class="form__pair">
                <TextField id="address-zh" label=label(|p| p.field_address_zh) hint="" error=error_of("address.zh") value=address[0] maxlength=120 />
                <TextField id="address-en" label=label(|p| p.field_address_en) hint="" error=error_of("address.en") value=address[1] maxlength=120 />
            </div>
            <TextField id="handover" label=label(|p| p.field_handover) hint=label(|p| p.field_handover_hint) error=error_of("handover_on") value=handover input_type="date" />
            <div class="form__pair">
                <TextField id="opens" label=label(|p| p.field_opens) hint=label(|p| p.field_opens_hint) error=error_of("opens_days_before") value=opens inputmode="numeric" maxlength=3 />
                <TextField id="cutoff" label=label(|p| p.field_cutoff) hint=label(|p| p.field_cutoff_hint) error=error_of("change_cutoff_hours") value=cutoff inputmode="numeric" maxlength=3 />
            </div>
            <div class="form__pair">
                <TextField id="instructions-zh" label=label(|p| p.field_instructions_zh) hint=label(|p| p.field_instructions_hint) error=error_of("instructions.zh") value=instructions[0] maxlength=1000 rows=4 />
                <TextField id="instructions-en" label=label(|p| p.field_instructions_en) hint=label(|p| p.field_instructions_hint) error=error_of("instructions.en") value=instructions[1] maxlength=1000 rows=4 />
            </div>
            <TextField id="contact" label=label(|p| p.field_contact) hint=label(|p| p.field_contact_hint) error=error_of("contact_phone") value=contact input_type="tel" inputmode="tel" maxlength=20 />
            <Refusal error=failure.refusal />
            <SendButton pending label=Signal::derive(move || t.get().save) />
        </form>
    }
}
