//! Registers `public/sw.js`, which keeps the app's own files on the phone so that it opens
//! without a connection. The worker itself decides what to keep; see its comments.

/// Registers the worker once the app runs. Browsers without service workers (or with
/// them switched off) simply keep working online.
pub fn register() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let navigator = window.navigator();
    // `navigator.serviceWorker` is missing outside secure contexts; reading it then throws.
    if !js_sys::Reflect::has(&navigator, &"serviceWorker".into()).unwrap_or(false) {
        return;
    }
    let _ = navigator.service_worker().register("/sw.js");
}
