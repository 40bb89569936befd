fn main() {
    console_error_panic_hook::set_once();
    // The static first-paint shell in index.html gives way to the app.
    if let Some(boot) = leptos::prelude::document().get_element_by_id("boot") {
        boot.remove();
    }
    leptos::mount::mount_to_body(quality_month_web::app::App);
}
