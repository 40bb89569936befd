use leptos::html;
use leptos::prelude::*;
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether a page has been shown yet: the first page keeps the browser's own focus.
static SHOWN_A_PAGE: AtomicBool = AtomicBool::new(false);

/// The page's `<h1>`. After a navigation it takes focus, so screen readers announce the
/// new page as they would after a full load.
#[component]
pub fn PageHeading(children: Children) -> impl IntoView {
    let heading = NodeRef::<html::H1>::new();
    Effect::new(move |_| {
        if let Some(el) = heading.get()
            && SHOWN_A_PAGE.swap(true, Ordering::Relaxed)
        {
            let _ = el.focus();
        }
    });
    view! {
        <h1 id="page-heading" tabindex="-1" node_ref=heading>
            {children()}
        </h1>
    }
}
