//! Quality Month web app: Leptos, rendered in the browser.

pub mod api;
pub mod app;
pub mod components;
pub mod i18n;
pub mod mine;
pub mod offline;
pub mod pages;
pub mod prefs;
pub mod survey_draft;
pub mod today;
