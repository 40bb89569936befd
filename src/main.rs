fn main() {
    console_error_panic_hook::set_once();
    // The page the server painted gives way to the app, which draws the same words at the
    // same place (the loader in Trunk.toml starts it after that page's first frame).
    if let Some(boot) = leptos::prelude::document().get_element_by_id("boot") {
        boot.remove();
    }
    leptos::mount::mount_to_body(quality_month_web::app::App);
}
