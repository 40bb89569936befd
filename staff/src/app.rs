//! The staff shell (skip link, header, navigation), the session, and the routes.

use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;
use model::StaffMe;
use quality_month_web::api::ClientError;
use quality_month_web::components::LanguageSwitch;
use quality_month_web::prefs::Prefs;

use crate::api;
use crate::i18n::use_staff_texts;
use crate::pages;

/// Every path of the staff app, in one place.
pub mod paths {
    pub const HOME: &str = "/staff/";
    pub const NEW_EVENT: &str = "/staff/events/new";
    pub const ACCOUNTS: &str = "/staff/accounts";
    pub const AUDIT: &str = "/staff/audit";
    pub const SECOND_FACTOR: &str = "/staff/second-factor";
    pub const PROJECTS: &str = "/staff/projects";
    pub const NEW_PROJECT: &str = "/staff/projects/new";
    pub const COVERAGE: &str = "/staff/coverage";
    pub const SURVEYS: &str = "/staff/surveys";
    pub const REMINDERS: &str = "/staff/reminders";
    pub const YEAR: &str = "/staff/year";

    /// The year's figures for a range and an area (`None`: the whole district).
    pub fn year(range: model::YearRange, town: Option<model::Town>) -> String {
        format!("{YEAR}?{}", range.query(town))
    }

    pub fn year_organisations(range: model::YearRange, town: Option<model::Town>) -> String {
        format!("{YEAR}/organisations?{}", range.query(town))
    }

    pub fn wave(id: i64) -> String {
        format!("/staff/surveys/{id}")
    }

    pub fn wave_paper(id: i64) -> String {
        format!("/staff/surveys/{id}/paper")
    }

    pub fn wave_analysis(id: i64) -> String {
        format!("/staff/surveys/{id}/analysis")
    }

    pub fn project(id: i64) -> String {
        format!("/staff/projects/{id}")
    }

    pub fn edit_project(id: i64) -> String {
        format!("/staff/projects/{id}/edit")
    }

    pub fn project_import(id: i64) -> String {
        format!("/staff/projects/{id}/import")
    }

    pub fn project_plan(id: i64) -> String {
        format!("/staff/projects/{id}/plan")
    }

    pub fn project_visits(id: i64) -> String {
        format!("/staff/projects/{id}/visits")
    }

    pub fn project_defects(id: i64) -> String {
        format!("/staff/projects/{id}/defects")
    }

    pub fn event(id: i64) -> String {
        format!("/staff/events/{id}")
    }

    pub fn edit_event(id: i64) -> String {
        format!("/staff/events/{id}/edit")
    }

    pub fn door(id: i64) -> String {
        format!("/staff/events/{id}/door")
    }
}

/// Who is logged in: `None` while the app asks the server, then `Some(None)` when
/// nobody is.
#[derive(Clone, Copy)]
pub struct Session(pub RwSignal<Option<Option<StaffMe>>>);

impl Session {
    pub fn me(&self) -> Option<StaffMe> {
        self.0.get().flatten()
    }

    /// A staff call answered 401: the session ended (idle, logged out elsewhere); show
    /// the login instead of an error.
    pub fn notice(&self, e: &ClientError) {
        if matches!(e, ClientError::Api { status: 401, .. }) {
            self.0.set(Some(None));
        }
    }
}

#[component]
pub fn App() -> impl IntoView {
    Prefs::provide();
    let session = Session(RwSignal::new(None));
    provide_context(session);
    leptos::task::spawn_local(async move {
        session.0.set(Some(api::me().await.ok()));
    });
    view! {
        <Router>
            <Shell />
        </Router>
    }
}

#[component]
fn Shell() -> impl IntoView {
    let t = use_staff_texts();
    let session = expect_context::<Session>();
    view! {
        <a class="skip-link" href="#main">{move || quality_month_web::i18n::texts(t.get().lang).skip_to_content}</a>
        <header class="header">
            <a class="header__brand" href=paths::HOME>
                <span class="header__logo" aria-hidden="true">"质"</span>
                <span>{move || t.get().app_name}</span>
            </a>
            <LanguageSwitch />
        </header>
        {move || session.me().map(|me| view! { <StaffNav me /> })}
        <main id="main" class="main main--staff" tabindex="-1">
            {move || match session.0.get() {
                None => view! { <p class="loading">{move || quality_month_web::i18n::texts(t.get().lang).loading}</p> }.into_any(),
                Some(None) => view! { <pages::Login /> }.into_any(),
                // Admins hold every key: nothing else until a second factor guards it.
                Some(Some(me)) if me.grant.is_admin() && !me.totp_enabled => view! { <pages::SecondFactor /> }.into_any(),
                Some(Some(_)) => view! {
                    <Routes fallback=pages::NotFound>
                        <Route path=path!("/staff") view=pages::Dashboard />
                        <Route path=path!("/staff/events/new") view=pages::NewEvent />
                        <Route path=path!("/staff/events/:id") view=pages::EventDesk />
                        <Route path=path!("/staff/events/:id/edit") view=pages::EditEvent />
                        <Route path=path!("/staff/events/:id/door") view=pages::Door />
                        <Route path=path!("/staff/projects") view=pages::ProjectList />
                        <Route path=path!("/staff/projects/new") view=pages::NewProject />
                        <Route path=path!("/staff/projects/:id") view=pages::ProjectDesk />
                        <Route path=path!("/staff/projects/:id/edit") view=pages::EditProject />
                        <Route path=path!("/staff/projects/:id/import") view=pages::BuyerImport />
                        <Route path=path!("/staff/projects/:id/plan") view=pages::VisitPlan />
                        <Route path=path!("/staff/projects/:id/visits") view=pages::Visits />
                        <Route path=path!("/staff/projects/:id/defects") view=pages::ProjectDefects />
                        <Route path=path!("/staff/coverage") view=pages::Coverage />
                        <Route path=path!("/staff/reminders") view=pages::Reminders />
                        <Route path=path!("/staff/year") view=pages::Year />
                        <Route path=path!("/staff/year/organisations") view=pages::YearOrganisations />
                        <Route path=path!("/staff/surveys") view=pages::SurveyList />
                        <Route path=path!("/staff/surveys/:id") view=pages::WaveDesk />
                        <Route path=path!("/staff/surveys/:id/paper") view=pages::PaperEntry />
                        <Route path=path!("/staff/surveys/:id/analysis") view=pages::WaveAnalysisPage />
                        <Route path=path!("/staff/accounts") view=pages::Accounts />
                        <Route path=path!("/staff/audit") view=pages::Audit />
                        <Route path=path!("/staff/second-factor") view=pages::SecondFactor />
                    </Routes>
                }.into_any(),
            }}
        </main>
    }
}

#[component]
fn StaffNav(me: StaffMe) -> impl IntoView {
    let t = use_staff_texts();
    let session = expect_context::<Session>();
    let admin = me.grant.is_admin();
    let events = me.grant.works_on_events();
    let projects = me.grant.works_on_projects();
    let surveys = me.grant.works_on_surveys();
    let year = !me.grant.year_towns().is_empty();
    let role = me.grant.role;
    let login = me.login.clone();
    let end = Action::new_local(move |everywhere: &bool| {
        let everywhere = *everywhere;
        async move {
            let _ = if everywhere {
                api::log_out_everywhere().await
            } else {
                api::log_out().await
            };
            session.0.set(Some(None));
        }
    });
    view! {
        <nav class="staff-nav" aria-label=move || t.get().nav_label>
            <ul class="staff-nav__links">
                {events.then(|| view! { <li><a href=paths::HOME>{move || t.get().nav_events}</a></li> })}
                {projects.then(|| view! { <li><a href=paths::PROJECTS>{move || t.get().projects.nav}</a></li> })}
                {(events || projects).then(|| view! { <li><a href=paths::REMINDERS>{move || t.get().reminders.nav}</a></li> })}
                {surveys.then(|| view! { <li><a href=paths::SURVEYS>{move || t.get().surveys.nav}</a></li> })}
                {year.then(|| view! { <li><a href=paths::YEAR>{move || t.get().year.nav}</a></li> })}
                {admin.then(|| view! {
                    <li><a href=paths::ACCOUNTS>{move || t.get().nav_accounts}</a></li>
                    <li><a href=paths::AUDIT>{move || t.get().nav_audit}</a></li>
                })}
                <li><a href=paths::SECOND_FACTOR>{move || t.get().nav_second_factor}</a></li>
            </ul>
            <p class="staff-nav__who">{move || (t.get().logged_in_as)(&login, (t.get().role_name)(role))}</p>
            <div class="staff-nav__out">
                <button type="button" class="button button--secondary" on:click=move |_| { end.dispatch_local(false); }>
                    {move || t.get().log_out}
                </button>
                <button type="button" class="button button--secondary" on:click=move |_| { end.dispatch_local(true); }>
                    {move || t.get().log_out_everywhere}
                </button>
            </div>
        </nav>
    }
}
