use leptos::prelude::*;
use model::EventDetail;

use super::Loader;
use crate::api;

/// Loads one event and shows it through `render`.
#[component]
pub fn EventLoader<F, V>(
    /// The event's id.
    id: Memo<i64>,
    /// What to show once the event is here.
    render: F,
) -> impl IntoView
where
    F: Fn(EventDetail) -> V + Copy + Send + Sync + 'static,
    V: IntoView + 'static,
{
    view! { <Loader fetch=move || { let id = id.get(); async move { api::event(id).await } } render /> }
}
