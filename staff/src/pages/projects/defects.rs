//! A project's defects, the latest change first, with their history and photos; the sales
//! office marks them in progress or repaired, with a note and a photo of the repair.

use leptos::prelude::*;
use model::defect::{Defect, DefectStatus, DefectUpdate};
use quality_month_web::components::{
    DefectSummary, FilePicker, Loader, PageHeading, PickedFile, SendButton, TextField,
};

use crate::api;
use crate::app::{Session, paths};
use crate::i18n::use_staff_texts;
use crate::pages::{Refusal, failure_of, fresh, path_id};

#[component]
pub fn ProjectDefects() -> impl IntoView {
    let t = use_staff_texts();
    let id = path_id();
    Effect::new(move |_| {
        quality_month_web::prefs::set_title(t.get().projects.defects_title, t.get().app_name)
    });
    // One repair form open at a time, under one set of ids.
    let open_form = RwSignal::new(None::<i64>);
    view! {
        <PageHeading>{move || t.get().projects.defects_title}</PageHeading>
        <p><a href=move || paths::project(id.get().unwrap_or_default())>{move || t.get().projects.back}</a></p>
        <Loader fetch=move || fresh(api::project_defects(id.get().unwrap_or_default()))
            render={move |defects: Vec<Defect>| {
                if defects.is_empty() {
                    return view! { <p>{move || t.get().projects.no_defects}</p> }.into_any();
                }
                view! {
                    <ul class="cards">
                        {defects.into_iter().map(|d| view! { <DefectCard defect=d open_form /> }).collect_view()}
                    </ul>
                }.into_any()
            }} />
    }
}

#[component]
fn DefectCard(defect: Defect, open_form: RwSignal<Option<i64>>) -> impl IntoView {
    let session = expect_context::<Session>();
    let id = path_id();
    let manage = session.me().is_some_and(|me| {
        me.grant
            .project_access(id.get_untracked().unwrap_or_default())
            == model::ProjectAccess::Manage
    });
    let state = RwSignal::new(defect);
    let defect_id = state.with_untracked(|d| d.id);
    view! {
        <li class="card">
            {move || {
                let d = state.get();
                let status = d.status;
                view! {
                    <DefectSummary defect=d with_flat=true />
                    {(manage && matches!(status, DefectStatus::Open | DefectStatus::InProgress)).then(|| view! {
                        <Repair defect_id status state open_form />
                    })}
                }
            }}
        </li>
    }
}

#[component]
fn Repair(
    defect_id: i64,
    status: DefectStatus,
    state: RwSignal<Defect>,
    open_form: RwSignal<Option<i64>>,
) -> impl IntoView {
    let t = use_staff_texts();
    let id = path_id();
    let note = RwSignal::new(String::new());
    let photo = RwSignal::new(None::<String>);
    let send = Action::new_local(move |to: &DefectStatus| {
        let update = DefectUpdate {
            phone: String::new(),
            status: *to,
            note: note.get_untracked(),
            photo: photo.get_untracked(),
        };
        async move {
            api::update_defect(id.get_untracked().unwrap_or_default(), defect_id, &update).await
        }
    });
    let pending = send.pending();
    let failure = failure_of(send);
    Effect::new(move |_| {
        if let Some(Ok(d)) = send.value().get() {
            open_form.set(None);
            state.set(d);
        }
    });
    let note_error = Signal::derive(move || {
        failure
            .fields
            .get()
            .get("note")
            .map(|e| t.get().field_error(*e))
    });
    let photo_error = Signal::derive(move || {
        failure
            .fields
            .get()
            .get("photo")
            .map(|e| t.get().field_error(*e))
    });
    view! {
        {move || if open_form.get() == Some(defect_id) {
            view! {
                <form class="form" on:submit=move |ev| { ev.prevent_default(); if !pending.get_untracked() { send.dispatch_local(DefectStatus::Repaired); } }>
                    <TextField id="repair-note" label=Signal::derive(move || t.get().projects.field_note)
                        hint=Signal::derive(move || t.get().projects.field_note_hint) error=note_error value=note maxlength=500 rows=2 />
                    <FilePicker id="repair-photo" label=Signal::derive(move || t.get().projects.field_repair_photo)
                        hint=Signal::derive(move || t.get().projects.field_repair_photo_hint) accept="image/jpeg,image/png"
                        capture="environment" error=photo_error
                        on_files=Callback::new(move |files: Vec<PickedFile>| photo.set(files.into_iter().next().map(|f| f.base64))) />
                    <Refusal error=failure.refusal />
                    <SendButton pending label=Signal::derive(move || t.get().projects.mark_repaired) />
                </form>
            }.into_any()
        } else {
            view! {
                <div class="actions">
                    {(status == DefectStatus::Open).then(|| view! {
                        <SendButton pending label=Signal::derive(move || t.get().projects.mark_in_progress) class="button button--secondary"
                            on_send=Callback::new(move |()| { send.dispatch_local(DefectStatus::InProgress); }) />
                    })}
                    <button type="button" class="button" on:click=move |_| open_form.set(Some(defect_id))>
                        {move || t.get().projects.mark_repaired}
                    </button>
                    <Refusal error=failure.refusal />
                </div>
            }.into_any()
        }}
    }
}
