//! The person's choices, remembered on the phone: language and elder mode (长辈版).

use gloo_storage::{LocalStorage, Storage};
use leptos::prelude::*;
use model::Lang;
use wasm_bindgen::JsCast;

const LANG_KEY: &str = "qm.lang";
const ELDER_KEY: &str = "qm.elder";

#[derive(Clone, Copy)]
pub struct Prefs {
    pub lang: RwSignal<Lang>,
    pub elder: RwSignal<bool>,
}

impl Prefs {
    /// Reads the stored choices (Chinese and standard mode when none) and keeps the page
    /// and the storage in step with every later change.
    pub fn provide() -> Self {
        let lang = LocalStorage::get::<String>(LANG_KEY)
            .ok()
            .and_then(|tag| Lang::from_tag(&tag))
            .unwrap_or_default();
        let elder = LocalStorage::get::<bool>(ELDER_KEY).unwrap_or(false);
        let prefs = Self {
            lang: RwSignal::new(lang),
            elder: RwSignal::new(elder),
        };
        provide_context(prefs);
        Effect::new(move |_| {
            let lang = prefs.lang.get();
            let _ = LocalStorage::set(LANG_KEY, lang.tag());
            if let Some(root) = document().document_element() {
                let _ = root.set_attribute("lang", lang.tag());
            }
            // The server paints the next first HTML in this language too
            // (server/src/first_paint.rs); a preference, nothing personal.
            if let Ok(page) = document().dyn_into::<web_sys::HtmlDocument>() {
                let cookie = format!(
                    "qm_lang={}; Path=/; Max-Age=31536000; SameSite=Lax",
                    lang.tag()
                );
                let _ = page.set_cookie(&cookie);
            }
            // Installing the app names it in the language in use.
            if let Ok(Some(link)) = document().query_selector("link[rel=manifest]") {
                let href = match lang {
                    Lang::Zh => "/manifest.webmanifest",
                    Lang::En => "/manifest.en.webmanifest",
                };
                let _ = link.set_attribute("href", href);
            }
        });
        Effect::new(move |_| {
            let elder = prefs.elder.get();
            let _ = LocalStorage::set(ELDER_KEY, elder);
            if let Some(root) = document().document_element() {
                let _ = root.class_list().toggle_with_force("elder", elder);
            }
        });
        prefs
    }
}

/// Sets the document title: "page · 质量月".
pub fn set_title(page: &str, app: &str) {
    document().set_title(&format!("{page} · {app}"));
}
