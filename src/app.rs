//! The shell (skip link, header, bottom navigation) and the routes.

use leptos::prelude::*;
use leptos_router::components::{A, Route, Router, Routes};
use leptos_router::path;

use crate::components::LanguageSwitch;
use crate::i18n::use_texts;
use crate::mine::{self, MyBookings, MySignups};
use crate::offline::{Outbox, service_worker};
use crate::pages;
use crate::prefs::Prefs;
use crate::survey_draft;

/// Every path of the app, in one place.
pub mod paths {
    pub const HOME: &str = "/";
    pub const EVENTS: &str = "/events";
    pub const INSPECTIONS: &str = "/inspections";
    pub const SURVEY: &str = "/survey";
    pub const SURVEY_RESULTS: &str = "/survey/results";
    pub const SURVEY_PREVIEW: &str = "/survey/preview";

    /// A wave's results, at an address that stays.
    pub fn survey_results(id: i64) -> String {
        format!("/survey/results/{id}")
    }
    pub const MINE: &str = "/mine";

    /// The events list with its filters in the query (`when` is `""`, `week` or `month`),
    /// so a filtered list can be shared and survives a reload.
    pub fn events_filtered(
        town: Option<model::Town>,
        kind: Option<model::Category>,
        when: &str,
    ) -> String {
        let parts: Vec<String> = [
            town.map(|t| format!("town={}", t.slug())),
            kind.map(|k| format!("kind={}", k.slug())),
            (!when.is_empty()).then(|| format!("when={when}")),
        ]
        .into_iter()
        .flatten()
        .collect();
        if parts.is_empty() {
            EVENTS.to_string()
        } else {
            format!("{EVENTS}?{}", parts.join("&"))
        }
    }

    pub fn event(id: i64) -> String {
        format!("/events/{id}")
    }

    pub fn signup(event_id: i64) -> String {
        format!("/events/{event_id}/signup")
    }

    pub fn signup_done(code: &str) -> String {
        format!("/signups/{code}")
    }

    pub fn project_booking(project_id: i64) -> String {
        format!("/inspections/{project_id}")
    }

    /// Booking again from a request the server refused (`key` is its outbox entry).
    pub fn booking_again(project_id: i64, key: &str) -> String {
        format!("/inspections/{project_id}?again={key}")
    }

    pub fn booking_pass(code: &str) -> String {
        format!("/inspections/bookings/{code}")
    }

    /// The pass, saying the time has just been changed.
    pub fn booking_pass_rescheduled(code: &str) -> String {
        format!("/inspections/bookings/{code}?rescheduled=1")
    }

    pub fn booking_reschedule(code: &str) -> String {
        format!("/inspections/bookings/{code}/reschedule")
    }
}

#[component]
pub fn App() -> impl IntoView {
    Prefs::provide();
    let outbox = Outbox::provide();
    let signups = MySignups::provide();
    let bookings = MyBookings::provide();
    // What the outbox delivers lands where the app looks for it; then it may send.
    mine::keep_deliveries(outbox, signups, bookings);
    survey_draft::Sent::keep_deliveries(outbox);
    outbox.start();
    service_worker::register();
    view! {
        <Router>
            <Shell />
        </Router>
    }
}

#[component]
fn Shell() -> impl IntoView {
    let t = use_texts();
    view! {
        <a class="skip-link" href="#main">{move || t.get().skip_to_content}</a>
        <header class="header">
            <a class="header__brand" href=paths::HOME>
                <span class="header__logo" aria-hidden="true">"质"</span>
                <span>{move || t.get().app_name}</span>
                <span class="header__district">{move || t.get().district}</span>
            </a>
            <LanguageSwitch />
        </header>
        <main id="main" class="main" tabindex="-1">
            <Routes fallback=pages::NotFound>
                <Route path=path!("/") view=pages::Home />
                <Route path=path!("/events") view=pages::EventList />
                <Route path=path!("/events/:id") view=pages::EventPage />
                <Route path=path!("/events/:id/signup") view=pages::Signup />
                <Route path=path!("/signups/:code") view=pages::SignupDone />
                <Route path=path!("/mine") view=pages::Mine />
                <Route path=path!("/reminders/:token") view=pages::ReminderSettings />
                <Route path=path!("/inspections") view=pages::Inspections />
                <Route path=path!("/inspections/:project") view=pages::Booking />
                <Route path=path!("/inspections/bookings/:code") view=pages::BookingPass />
                <Route path=path!("/inspections/bookings/:code/reschedule") view=pages::Reschedule />
                <Route path=path!("/survey") view=pages::SurveyPage />
                <Route path=path!("/survey/results") view=pages::SurveyResultsPage />
                <Route path=path!("/survey/results/:id") view=pages::SurveyResultsPage />
                <Route path=path!("/survey/preview") view=pages::SurveyPreview />
            </Routes>
        </main>
        <nav class="tabs" aria-label=move || t.get().nav_label>
            <A href=paths::EVENTS>
                <span class="tabs__icon" aria-hidden="true">"◎"</span>
                <span>{move || t.get().nav_events}</span>
            </A>
            <A href=paths::INSPECTIONS>
                <span class="tabs__icon" aria-hidden="true">"⌂"</span>
                <span>{move || t.get().nav_inspection}</span>
            </A>
            <A href=paths::SURVEY>
                <span class="tabs__icon" aria-hidden="true">"☆"</span>
                <span>{move || t.get().nav_survey}</span>
            </A>
            <A href=paths::MINE>
                <span class="tabs__icon" aria-hidden="true">"☺"</span>
                <span>{move || t.get().nav_mine}</span>
            </A>
        </nav>
    }
}

#[cfg(test)]
mod tests {
    use super::paths;
    use model::{Category, Town};

    #[test]
    fn filtered_event_lists_have_shareable_addresses() {
        assert_eq!(paths::events_filtered(None, None, ""), "/events");
        assert_eq!(
            paths::events_filtered(Some(Town::Nanqiao), Some(Category::Clinic), "week"),
            "/events?town=nanqiao&kind=clinic&when=week"
        );
        assert_eq!(
            paths::events_filtered(None, None, "month"),
            "/events?when=month"
        );
    }
}
