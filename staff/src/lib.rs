//! Quality Month staff app: the district office, towns and door staff run the campaign
//! here. Served at `/staff/`; shares the residents' components, catalog mechanism,
//! preferences and API client, and is its own bundle, so residents never download it.

pub mod api;
pub mod app;
pub mod fields;
pub mod i18n;
pub mod pages;
pub mod scan_queue;
pub mod scanner;
pub mod time_input;
