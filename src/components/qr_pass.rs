use leptos::prelude::*;
use qrcode::QrCode;
use qrcode::render::svg;

use crate::i18n::use_texts;

/// A code as a QR code, drawn on the phone from the code alone, so the pass opens without
/// a connection. Staff scan it at the door; the staff app also shows its second-factor
/// link this way, with its own `label`.
#[component]
pub fn QrPass(
    code: String,
    /// What the picture holds, for screen readers; by default, "the pass for <code>".
    #[prop(optional, into)]
    label: Option<Signal<String>>,
) -> impl IntoView {
    let t = use_texts();
    // Medium error correction survives a cracked screen or glare; an 8-character code
    // always fits, so the error branch only guards against a future longer code.
    let svg = QrCode::new(code.as_bytes())
        .map(|qr| {
            qr.render::<svg::Color>()
                .min_dimensions(200, 200)
                .quiet_zone(true)
                .build()
        })
        .unwrap_or_default();
    view! {
        <div
            class="qr"
            role="img"
            aria-label=move || match label {
                Some(label) => label.get(),
                None => (t.get().inspect.qr_label)(&code),
            }
            inner_html=svg
        ></div>
    }
}
