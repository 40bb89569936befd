//! Writing an event: every field in both languages, checked by the model's rules before
//! it is sent (the server applies the same), with a live preview of the residents' card.

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use model::{
    Audience, Category, EventAccess, EventDraft, EventStatus, EventSummary, FieldError,
    FieldErrors, Localized, StaffEvent, Town,
};
use quality_month_web::api::ClientError;
use quality_month_web::components::{
    ErrorSummary, EventCard, Loader, PageHeading, SelectField, SendButton, TextField,
};

use super::{Refusal, fresh, path_id};
use crate::api;
use crate::app::{Session, paths};
use crate::fields::{pair, problems, text};
use crate::i18n::{StaffTexts, use_staff_texts};
use crate::time_input;

#[component]
pub fn NewEvent() -> impl IntoView {
    view! { <EventForm event=None /> }
}

#[component]
pub fn EditEvent() -> impl IntoView {
    let id = path_id();
    view! {
        <Loader fetch=move || async move {
            fresh(api::event(id.get().unwrap_or_default())).await
        } render={|e: StaffEvent| view! { <EventForm event=Some(e) /> }} />
    }
}

/// The form's fields as typed.
#[derive(Clone, Copy)]
struct Fields {
    kind: RwSignal<String>,
    town: RwSignal<String>,
    title: [RwSignal<String>; 2],
    description: [RwSignal<String>; 2],
    venue: [RwSignal<String>; 2],
    address: [RwSignal<String>; 2],
    organiser: [RwSignal<String>; 2],
    audience: RwSignal<String>,
    host: [RwSignal<String>; 2],
    starts: RwSignal<String>,
    ends: RwSignal<String>,
    closes: RwSignal<String>,
    capacity: RwSignal<String>,
}

/// Field name (as the model reports it) → input id, in the order of the form.
const FIELD_IDS: &[(&str, &str)] = &[
    ("title.zh", "title-zh"),
    ("title.en", "title-en"),
    ("description.zh", "description-zh"),
    ("description.en", "description-en"),
    ("venue.zh", "venue-zh"),
    ("venue.en", "venue-en"),
    ("address.zh", "address-zh"),
    ("address.en", "address-en"),
    ("organiser.zh", "organiser-zh"),
    ("organiser.en", "organiser-en"),
    ("host.zh", "host-zh"),
    ("host.en", "host-en"),
    ("starts_at", "starts"),
    ("ends_at", "ends"),
    ("signup_closes_at", "closes"),
    ("capacity", "capacity"),
];

impl Fields {
    fn of(event: Option<&StaffEvent>, town: Town) -> Self {
        let empty = Localized {
            zh: String::new(),
            en: String::new(),
        };
        let d = event.map(|e| &e.draft);
        Self {
            kind: RwSignal::new(d.map_or(Category::Clinic, |d| d.category).slug().into()),
            town: RwSignal::new(d.map_or(town, |d| d.town).slug().into()),
            title: pair(d.map_or(&empty, |d| &d.title)),
            description: pair(d.map_or(&empty, |d| &d.description)),
            venue: pair(d.map_or(&empty, |d| &d.venue)),
            address: pair(d.map_or(&empty, |d| &d.address)),
            organiser: pair(d.map_or(&empty, |d| &d.organiser)),
            audience: RwSignal::new(
                d.map_or(Audience::Residents, |d| d.audience)
                    .as_str()
                    .into(),
            ),
            host: pair(d.and_then(|d| d.host.as_ref()).unwrap_or(&empty)),
            starts: RwSignal::new(
                d.map(|d| time_input::format(d.starts_at))
                    .unwrap_or_default(),
            ),
            ends: RwSignal::new(d.map(|d| time_input::format(d.ends_at)).unwrap_or_default()),
            closes: RwSignal::new(
                d.and_then(|d| d.signup_closes_at)
                    .map(time_input::format)
                    .unwrap_or_default(),
            ),
            capacity: RwSignal::new(d.map(|d| d.capacity.to_string()).unwrap_or_default()),
        }
    }

    /// Makes the caller run again when any field changes (the preview).
    fn track(&self) {
        for s in [
            self.kind,
            self.town,
            self.audience,
            self.starts,
            self.ends,
            self.closes,
            self.capacity,
        ] {
            s.track();
        }
        for p in [
            self.title,
            self.description,
            self.venue,
            self.address,
            self.organiser,
            self.host,
        ] {
            p[0].track();
            p[1].track();
        }
    }

    /// The draft, or every problem at once (the model's rules, and what cannot be read).
    fn draft(&self) -> Result<EventDraft, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut time = |name: &str, value: RwSignal<String>, required: bool| {
            let v = value.get_untracked();
            match time_input::parse(&v) {
                Some(t) => Some(t),
                None => {
                    if required || !v.trim().is_empty() {
                        let e = if v.trim().is_empty() {
                            FieldError::Required
                        } else {
                            FieldError::Invalid
                        };
                        errors.insert(name.into(), e);
                    }
                    None
                }
            }
        };
        let starts = time("starts_at", self.starts, true);
        let ends = time("ends_at", self.ends, true);
        let closes = time("signup_closes_at", self.closes, false);
        let capacity = self.capacity.get_untracked().trim().parse::<u32>().ok();
        if capacity.is_none() {
            errors.insert("capacity".into(), FieldError::OutOfRange);
        }
        let draft = EventDraft {
            category: Category::from_slug(&self.kind.get_untracked()).unwrap_or(Category::Clinic),
            town: Town::from_slug(&self.town.get_untracked()).unwrap_or(Town::Nanqiao),
            title: text(self.title),
            description: text(self.description),
            venue: text(self.venue),
            address: text(self.address),
            organiser: text(self.organiser),
            starts_at: starts.unwrap_or(model::BeijingTime::from_unix(0)),
            ends_at: ends.unwrap_or(model::BeijingTime::from_unix(1)),
            capacity: capacity.unwrap_or(1),
            signup_closes_at: closes,
            audience: Audience::parse(&self.audience.get_untracked()).unwrap_or_default(),
            // No host is both fields empty; one of the two is a problem the model names.
            host: Some(text(self.host))
                .filter(|h| !(h.zh.trim().is_empty() && h.en.trim().is_empty())),
        };
        let validated = draft.validate();
        crate::fields::checked(draft, errors, validated)
    }
}

#[component]
fn EventForm(event: Option<StaffEvent>) -> impl IntoView {
    let t = use_staff_texts();
    let session = expect_context::<Session>();
    let navigate = use_navigate();
    let me = session.me();
    // The towns this person may run events in: the only ones offered.
    let towns: Vec<Town> = Town::ALL
        .iter()
        .copied()
        .filter(|town| {
            me.as_ref()
                .is_some_and(|m| m.grant.event_access(None, *town) == EventAccess::Manage)
        })
        .collect();
    let first_town = towns.first().copied().unwrap_or(Town::Nanqiao);
    let id = event.as_ref().map(|e| e.id);
    let existing = event.clone();
    let f = Fields::of(event.as_ref(), first_town);
    let errors = RwSignal::new(FieldErrors::new());
    let heading = move || {
        if id.is_some() {
            t.get().edit_title
        } else {
            t.get().new_title
        }
    };
    Effect::new(move |_| quality_month_web::prefs::set_title(heading(), t.get().app_name));
    let save = Action::new_local(move |draft: &EventDraft| {
        let draft = draft.clone();
        async move {
            match id {
                Some(id) => api::update_event(id, &draft).await,
                None => api::create_event(&draft).await,
            }
        }
    });
    let pending = save.pending();
    Effect::new(move |_| match save.value().get() {
        Some(Ok(e)) => navigate(&paths::event(e.id), Default::default()),
        Some(Err(ClientError::Api { error, .. })) if !error.fields.is_empty() => {
            errors.set(error.fields)
        }
        Some(Err(e)) => session.notice(&e),
        None => {}
    });
    let refusal = Signal::derive(move || match save.value().get() {
        Some(Err(e))
            if !pending.get()
                && !matches!(&e, ClientError::Api { error, .. } if !error.fields.is_empty()) =>
        {
            Some(e)
        }
        _ => None,
    });
    let field_problems =
        Signal::derive(move || problems(&errors.get(), FIELD_IDS, |e| t.get().field_error(e)));
    let error_of = move |name: &'static str| {
        Signal::derive(move || errors.get().get(name).map(|e| t.get().field_error(*e)))
    };
    let label = move |f: fn(&StaffTexts) -> &'static str| Signal::derive(move || f(t.get()));
    let kinds = Signal::derive(move || {
        Category::ALL
            .iter()
            .map(|c| (c.slug().to_string(), c.name(t.get().lang).to_string()))
            .collect()
    });
    let audiences = Signal::derive(move || {
        let org = quality_month_web::i18n::texts(t.get().lang).org;
        Audience::ALL
            .iter()
            .map(|a| (a.as_str().to_string(), org.audience(*a).to_string()))
            .collect()
    });
    let town_options = Signal::derive(move || {
        towns
            .iter()
            .map(|c| (c.slug().to_string(), c.name(t.get().lang).to_string()))
            .collect()
    });
    // What residents would see in the list, from the fields as they are now.
    let preview = move || {
        f.track();
        let d = f.draft().ok()?;
        let (taken, status) = existing.as_ref().map_or((0, EventStatus::Published), |e| {
            let status = if e.status == EventStatus::Cancelled {
                e.status
            } else {
                EventStatus::Published
            };
            (e.taken, status)
        });
        Some(EventSummary {
            id: id.unwrap_or(0),
            category: d.category,
            town: d.town,
            title: d.title,
            venue: d.venue,
            starts_at: d.starts_at,
            ends_at: d.ends_at,
            capacity: d.capacity,
            taken,
            places_left: d.capacity.saturating_sub(taken),
            status,
            cancel_reason: None,
            audience: d.audience,
        })
    };
    view! {
        <PageHeading>{heading}</PageHeading>
        <ErrorSummary problems=field_problems />
        <form class="form form--wide" novalidate on:submit=move |ev| {
            ev.prevent_default();
            if pending.get_untracked() {
                return;
            }
            match f.draft() {
                Ok(d) => { errors.set(FieldErrors::new()); save.dispatch_local(d); }
                Err(e) => errors.set(e),
            }
        }>
            <SelectField id="kind" label=label(|t| t.field_kind) value=f.kind options=kinds />
            <SelectField id="town" label=label(|t| t.field_town) value=f.town options=town_options />
            <SelectField id="audience" label=label(|t| t.field_audience) value=f.audience options=audiences />
            <div class="form__pair">
                <TextField id="title-zh" label=label(|t| t.field_title_zh) hint="" error=error_of("title.zh") value=f.title[0] maxlength=80 />
                <TextField id="title-en" label=label(|t| t.field_title_en) hint="" error=error_of("title.en") value=f.title[1] maxlength=80 />
            </div>
            <div class="form__pair">
                <TextField id="description-zh" label=label(|t| t.field_description_zh) hint=label(|t| t.optional_hint) error=error_of("description.zh") value=f.description[0] maxlength=2000 rows=4 />
                <TextField id="description-en" label=label(|t| t.field_description_en) hint=label(|t| t.optional_hint) error=error_of("description.en") value=f.description[1] maxlength=2000 rows=4 />
            </div>
            <div class="form__pair">
                <TextField id="venue-zh" label=label(|t| t.field_venue_zh) hint="" error=error_of("venue.zh") value=f.venue[0] maxlength=80 />
                <TextField id="venue-en" label=label(|t| t.field_venue_en) hint="" error=error_of("venue.en") value=f.venue[1] maxlength=80 />
            </div>
            <div class="form__pair">
                <TextField id="address-zh" label=label(|t| t.field_address_zh) hint="" error=error_of("address.zh") value=f.address[0] maxlength=120 />
                <TextField id="address-en" label=label(|t| t.field_address_en) hint="" error=error_of("address.en") value=f.address[1] maxlength=120 />
            </div>
            <div class="form__pair">
                <TextField id="organiser-zh" label=label(|t| t.field_organiser_zh) hint="" error=error_of("organiser.zh") value=f.organiser[0] maxlength=80 />
                <TextField id="organiser-en" label=label(|t| t.field_organiser_en) hint="" error=error_of("organiser.en") value=f.organiser[1] maxlength=80 />
            </div>
            <div class="form__pair">
                <TextField id="host-zh" label=label(|t| t.field_host_zh) hint=label(|t| t.field_host_hint) error=error_of("host.zh") value=f.host[0] maxlength=60 />
                <TextField id="host-en" label=label(|t| t.field_host_en) hint=label(|t| t.field_host_hint) error=error_of("host.en") value=f.host[1] maxlength=60 />
            </div>
            <div class="form__pair">
                <TextField id="starts" label=label(|t| t.field_starts) hint=label(|t| t.field_time_hint) error=error_of("starts_at") value=f.starts input_type="datetime-local" />
                <TextField id="ends" label=label(|t| t.field_ends) hint=label(|t| t.field_time_hint) error=error_of("ends_at") value=f.ends input_type="datetime-local" />
            </div>
            <div class="form__pair">
                <TextField id="closes" label=label(|t| t.field_closes) hint=label(|t| t.field_closes_hint) error=error_of("signup_closes_at") value=f.closes input_type="datetime-local" />
                <TextField id="capacity" label=label(|t| t.field_capacity) hint=label(|t| t.field_capacity_hint) error=error_of("capacity") value=f.capacity inputmode="numeric" maxlength=5 />
            </div>
            <Refusal error=refusal />
            <SendButton pending label=Signal::derive(move || t.get().save) />
        </form>
        <section class="preview" aria-labelledby="preview-title">
            <h2 id="preview-title">{move || t.get().preview}</h2>
            <p class="field__hint">{move || t.get().preview_hint}</p>
            {move || preview().map(|event| view! { <ul class="cards"><EventCard event /></ul> })}
        </section>
    }
}
