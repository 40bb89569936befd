//! One module per staff screen.

mod accounts;
mod audit;
mod code_entry;
mod dashboard;
mod door;
mod event_desk;
mod event_form;
mod login;
mod projects;
mod reminders;
mod second_factor;
mod surveys;
mod year;

pub use accounts::Accounts;
pub use audit::Audit;
pub use dashboard::Dashboard;
pub use door::Door;
pub use event_desk::EventDesk;
pub use event_form::{EditEvent, NewEvent};
pub use login::Login;
pub use projects::{
    BuyerImport, Coverage, EditProject, NewProject, ProjectDefects, ProjectDesk, ProjectList,
    VisitPlan, Visits,
};
pub use reminders::Reminders;
pub use second_factor::SecondFactor;
pub use surveys::{PaperEntry, SurveyList, WaveAnalysisPage, WaveDesk};
pub use year::{Year, YearOrganisations};

use leptos::prelude::*;
use quality_month_web::api::{ClientError, Loaded};
use quality_month_web::components::PageHeading;

use crate::app::Session;
use crate::i18n::use_staff_texts;

#[component]
pub fn NotFound() -> impl IntoView {
    let t = quality_month_web::i18n::use_texts();
    view! {
        <PageHeading>{move || t.get().not_found_title}</PageHeading>
        <p><a href=crate::app::paths::HOME>{move || use_staff_texts().get().nav_events}</a></p>
    }
}

/// A staff GET as the shared [`quality_month_web::components::Loader`] takes it: always
/// fresh (nothing staff sees is kept on the device); a 401 shows the login.
pub(crate) async fn fresh<T>(
    request: impl std::future::Future<Output = Result<T, ClientError>>,
) -> Result<Loaded<T>, ClientError> {
    let session = use_context::<Session>();
    request
        .await
        .map(|value| Loaded {
            value,
            kept_since: None,
        })
        .inspect_err(|e| {
            if let Some(s) = session {
                s.notice(e)
            }
        })
}

/// The id in the path (`/staff/events/:id…`, `/staff/projects/:id…`).
pub(crate) fn path_id() -> Memo<Option<i64>> {
    let params = leptos_router::hooks::use_params_map();
    Memo::new(move |_| params.read().get("id").and_then(|id| id.parse().ok()))
}

/// Moves the focus to element `id` once the frame that draws it is done: the element a
/// step replaced is gone, and keyboard users must not be left on the page's body.
pub(crate) fn focus_after_render(id: &'static str) {
    request_animation_frame(move || {
        use wasm_bindgen::JsCast;
        let element = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(id))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(element) = element {
            let _ = element.focus();
        }
    });
}

/// A refusal said where the action was taken, announced to screen readers.
#[component]
pub(crate) fn Refusal(error: Signal<Option<ClientError>>) -> impl IntoView {
    let t = use_staff_texts();
    move || {
        error.get().map(|e| {
            view! { <p class="notice notice--error" role="alert">{t.get().client_error(&e)}</p> }
        })
    }
}

/// How a staff write went wrong, split as forms show it: per-field reasons beside the
/// fields, anything else as a refusal said in place (a 401 shows the login instead).
pub(crate) struct Failure {
    pub fields: Signal<model::FieldErrors>,
    pub refusal: Signal<Option<ClientError>>,
}

impl Failure {
    /// The server's per-field reasons together with those the form found before sending.
    pub fn and(&self, checked: RwSignal<model::FieldErrors>) -> Signal<model::FieldErrors> {
        let fields = self.fields;
        Signal::derive(move || {
            let mut all = fields.get();
            all.extend(checked.get());
            all
        })
    }
}

pub(crate) fn failure_of<I, T>(action: Action<I, Result<T, ClientError>>) -> Failure
where
    I: 'static,
    T: Clone + 'static,
{
    let session = use_context::<Session>();
    let pending = action.pending();
    let value = action.value();
    Effect::new(move |_| {
        if let (Some(Err(e)), Some(s)) = (value.get(), session) {
            s.notice(&e);
        }
    });
    Failure {
        fields: Signal::derive(move || match value.get() {
            Some(Err(ClientError::Api { error, .. })) => error.fields,
            _ => Default::default(),
        }),
        refusal: Signal::derive(move || match value.get() {
            Some(Err(e))
                if !pending.get()
                    && !matches!(&e, ClientError::Api { error, .. } if !error.fields.is_empty()) =>
            {
                Some(e)
            }
            _ => None,
        }),
    }
}
