use leptos::prelude::*;
use model::defect::{Defect, DefectStatus};

use crate::i18n::use_texts;

/// A defect's state as a badge: amber while the office works on it, green once confirmed.
#[component]
pub fn DefectBadge(status: DefectStatus) -> impl IntoView {
    let t = use_texts();
    view! {
        <span class="badge" class:badge--done=status == DefectStatus::Confirmed
            class:badge--low=matches!(status, DefectStatus::Open | DefectStatus::InProgress)>
            {move || (t.get().defects.status)(status)}
        </span>
    }
}

/// What a defect is and every step it went through, with its photos: the buyer's pass and
/// the office's defects page show it alike. `with_flat`: name the flat (the office sees
/// many).
#[component]
pub fn DefectSummary(defect: Defect, #[prop(optional)] with_flat: bool) -> impl IntoView {
    let t = use_texts();
    let Defect {
        flat,
        room,
        category,
        description,
        status,
        history,
        ..
    } = defect;
    let flat = with_flat.then(|| format!("{} · ", flat.zh()));
    view! {
        <p class="card__title">
            {flat}
            {move || format!("{} · {}", (t.get().defects.room)(room), (t.get().defects.category)(category))}
        </p>
        <p><DefectBadge status /></p>
        <p>{description}</p>
        <ul class="list list--plain">
            {history.into_iter().map(|step| view! {
                <li>
                    {move || format!("{} · {} · {}", t.get().date_time(step.at), (t.get().defects.by)(step.by), (t.get().defects.status)(step.status))}
                    {(!step.note.is_empty()).then(|| format!("：{}", step.note))}
                    <span class="photos">
                        {step.photos.into_iter().map(|src| view! {
                            <a href=src.clone() target="_blank" rel="noopener">
                                <img class="photo" src=src.clone() alt=move || t.get().defects.photo_alt loading="lazy" width="96" height="72" />
                            </a>
                        }).collect_view()}
                    </span>
                </li>
            }).collect_view()}
        </ul>
    }
}
