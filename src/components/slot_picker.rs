use leptos::prelude::*;
use model::{BeijingDate, Slot};

use super::{ChoiceFieldset, Loader, RadioChoice};
use crate::api;
use crate::i18n::{Texts, use_texts};

/// The id of the first choice that can be taken, which an error summary links to.
pub const FIRST_SLOT_ID: &str = "slot-first";

/// Visit slots as a plain list grouped by day (9月12日 周六 · 上午 9:00–10:00 · 余 2 个名额).
/// Full slots are shown but cannot be chosen. Loads the project's slots afresh each time
/// it appears, so a slot that filled meanwhile shows as full.
#[component]
pub fn SlotPicker(
    project_id: i64,
    /// The chosen slot's id, as text.
    selected: RwSignal<String>,
    /// Filled with the slots once loaded, so the caller can find the chosen one.
    loaded: RwSignal<Vec<Slot>>,
    #[prop(into)] error: Signal<Option<&'static str>>,
    /// A slot not to offer (the one a booking already has).
    #[prop(optional)]
    exclude: Option<i64>,
) -> impl IntoView {
    let t = use_texts();
    let render = move |slots: Vec<Slot>| {
        let slots: Vec<Slot> = slots
            .into_iter()
            .filter(|s| Some(s.id) != exclude)
            .collect();
        loaded.set(slots.clone());
        if slots.is_empty() {
            return view! { <p class="empty">{move || t.get().inspect.no_slots}</p> }.into_any();
        }
        let first_open = slots.iter().find(|s| !s.is_full()).map(|s| s.id);
        let mut days: Vec<(BeijingDate, Vec<Slot>)> = Vec::new();
        for slot in slots {
            let day = slot.starts_at.date();
            match days.last_mut() {
                Some((d, list)) if *d == day => list.push(slot),
                _ => days.push((day, vec![slot])),
            }
        }
        view! {
            <ChoiceFieldset
                id="slot"
                label=Signal::derive(move || t.get().inspect.slot_legend)
                hint=Signal::derive(move || t.get().inspect.slot_hint)
                error
            >
                {days.into_iter().map(|(day, slots)| {
                    let heading_id = format!("slot-day-{day}");
                    let labelled_by = heading_id.clone();
                    view! {
                        <div class="slot-day" role="group" aria-labelledby=labelled_by>
                            <h2 class="slot-day__title" id=heading_id>{move || t.get().day(day)}</h2>
                            <div class="choices choices--stacked">
                                {slots.into_iter().map(|slot| {
                                    let full = slot.is_full();
                                    let id = if Some(slot.id) == first_open {
                                        FIRST_SLOT_ID.to_string()
                                    } else {
                                        format!("slot-{}", slot.id)
                                    };
                                    let label = Signal::derive(move || {
                                        let t = t.get();
                                        let places = if full {
                                            t.inspect.slot_full.to_string()
                                        } else {
                                            (t.places_left)(slot.places_left)
                                        };
                                        format!("{} · {places}", t.time_range(slot.starts_at, slot.ends_at))
                                    });
                                    view! {
                                        <RadioChoice name="slot" id value=slot.id.to_string() label selected disabled=full />
                                    }
                                }).collect_view()}
                            </div>
                        </div>
                    }
                }).collect_view()}
            </ChoiceFieldset>
        }
        .into_any()
    };
    view! {
        <Loader fetch=move || api::slots(project_id) render
            offline_warning=|t: &Texts| t.offline.slots_may_have_changed />
    }
}
