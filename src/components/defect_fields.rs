use leptos::prelude::*;
use model::FieldErrors;
use model::defect::{DefectCategory, DefectRoom, MAX_PHOTOS, NewDefect};

use super::{FilePicker, PickedFile, SelectField, TextField};
use crate::i18n::use_texts;

/// A defect as typed: where, what kind, the description, the photos chosen. The buyer's
/// pass and the door's day list both fill it.
#[derive(Clone, Copy)]
pub struct DefectInput {
    room: RwSignal<String>,
    category: RwSignal<String>,
    description: RwSignal<String>,
    photos: RwSignal<Vec<PickedFile>>,
}

impl Default for DefectInput {
    fn default() -> Self {
        Self::new()
    }
}

impl DefectInput {
    pub fn new() -> Self {
        Self {
            room: RwSignal::new(DefectRoom::LivingRoom.as_str().to_string()),
            category: RwSignal::new(DefectCategory::Wall.as_str().to_string()),
            description: RwSignal::new(String::new()),
            photos: RwSignal::new(Vec::new()),
        }
    }

    /// The defect to send; `phone` is the buyer's (empty when staff send it).
    pub fn defect(&self, phone: String) -> NewDefect {
        NewDefect {
            phone,
            room: DefectRoom::parse(&self.room.get_untracked()).unwrap_or(DefectRoom::Other),
            category: DefectCategory::parse(&self.category.get_untracked())
                .unwrap_or(DefectCategory::Other),
            description: self.description.get_untracked(),
            photos: self
                .photos
                .get_untracked()
                .into_iter()
                .map(|p| p.base64)
                .collect(),
        }
    }

    /// Ready for the next defect (where and what kind stay: often the same room).
    pub fn clear(&self) {
        self.description.set(String::new());
        self.photos.set(Vec::new());
    }
}

/// The fields of a defect, with the problems `errors` names beside them.
#[component]
pub fn DefectFields(
    input: DefectInput,
    #[prop(into)] errors: Signal<FieldErrors>,
) -> impl IntoView {
    let t = use_texts();
    let error_of = move |field: &'static str| {
        Signal::derive(move || {
            let d = t.get().defects;
            let messages = if field == "photos" {
                &d.photo_errors
            } else {
                &d.description_errors
            };
            errors.get().get(field).map(|e| messages.get(*e))
        })
    };
    let rooms = Signal::derive(move || {
        DefectRoom::ALL
            .iter()
            .map(|r| {
                (
                    r.as_str().to_string(),
                    (t.get().defects.room)(*r).to_string(),
                )
            })
            .collect::<Vec<_>>()
    });
    let categories = Signal::derive(move || {
        DefectCategory::ALL
            .iter()
            .map(|c| {
                (
                    c.as_str().to_string(),
                    (t.get().defects.category)(*c).to_string(),
                )
            })
            .collect::<Vec<_>>()
    });
    let photos = input.photos;
    view! {
        <SelectField id="defect-room" label=Signal::derive(move || t.get().defects.field_room) value=input.room options=rooms />
        <SelectField id="defect-category" label=Signal::derive(move || t.get().defects.field_category) value=input.category options=categories />
        <TextField id="defect-description" label=Signal::derive(move || t.get().defects.field_description)
            hint=Signal::derive(move || t.get().defects.field_description_hint)
            error=error_of("description") value=input.description maxlength=500 rows=3 />
        <FilePicker id="defect-photos" label=Signal::derive(move || t.get().defects.field_photos)
            hint=Signal::derive(move || t.get().defects.field_photos_hint)
            accept="image/jpeg,image/png" multiple=true capture="environment"
            error=error_of("photos")
            on_files=Callback::new(move |files: Vec<PickedFile>| {
                photos.set(files.into_iter().take(MAX_PHOTOS).collect());
            }) />
        {move || (!photos.get().is_empty()).then(|| view! { <p class="field__hint">{move || (t.get().defects.photos_chosen)(photos.get().len())}</p> })}
    }
}
