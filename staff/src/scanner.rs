//! The door's QR scanner: the phone's back camera through `getUserMedia`, a frame every
//! quarter second drawn to a canvas and read by `rqrr`. Only the staff bundle links it.

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, HtmlVideoElement, MediaStream};

/// How often a frame is read.
const FRAME_MS: u32 = 250;

/// Starts the camera into `video`; the stream, to stop later.
pub async fn start(video: &HtmlVideoElement) -> Result<MediaStream, JsValue> {
    let devices = web_sys::window()
        .ok_or(JsValue::NULL)?
        .navigator()
        .media_devices()?;
    let constraints = web_sys::MediaStreamConstraints::new();
    // The back camera where there is one; any camera otherwise.
    let video_wish = js_sys::Object::new();
    js_sys::Reflect::set(&video_wish, &"facingMode".into(), &"environment".into())?;
    constraints.set_video(&video_wish);
    let stream: MediaStream =
        JsFuture::from(devices.get_user_media_with_constraints(&constraints)?)
            .await?
            .dyn_into()?;
    video.set_src_object(Some(&stream));
    video.set_muted(true);
    let _ = JsFuture::from(video.play()?).await;
    Ok(stream)
}

pub fn stop(stream: &MediaStream) {
    for track in stream.get_tracks().iter() {
        if let Ok(track) = track.dyn_into::<web_sys::MediaStreamTrack>() {
            track.stop();
        }
    }
}

/// The text of a QR code in the video's current frame, if one can be read.
pub fn read_frame(video: &HtmlVideoElement, canvas: &HtmlCanvasElement) -> Option<String> {
    let (w, h) = (video.video_width(), video.video_height());
    if w == 0 || h == 0 {
        return None;
    }
    canvas.set_width(w);
    canvas.set_height(h);
    let ctx: CanvasRenderingContext2d = canvas.get_context("2d").ok()??.dyn_into().ok()?;
    ctx.draw_image_with_html_video_element(video, 0.0, 0.0)
        .ok()?;
    let pixels = ctx
        .get_image_data(0.0, 0.0, f64::from(w), f64::from(h))
        .ok()?
        .data();
    let (w, h) = (w as usize, h as usize);
    let mut image = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| {
        let i = (y * w + x) * 4;
        // Luma from RGB (ITU-R BT.601), in integers.
        let (r, g, b) = (pixels[i] as u32, pixels[i + 1] as u32, pixels[i + 2] as u32);
        ((r * 299 + g * 587 + b * 114) / 1000) as u8
    });
    image
        .detect_grids()
        .into_iter()
        .find_map(|grid| grid.decode().ok().map(|(_, text)| text))
}

/// A camera view that calls `on_code` with each code it reads (the same code at most once
/// every few seconds, so one pass held up is one scan).
#[component]
pub fn Scanner(on_code: Callback<String>, on_error: Callback<()>) -> impl IntoView {
    let video = NodeRef::<html::Video>::new();
    let canvas = NodeRef::<html::Canvas>::new();
    let stream = StoredValue::new_local(None::<MediaStream>);
    let timer = StoredValue::new_local(None::<gloo_timers::callback::Interval>);
    Effect::new(move |_| {
        let Some(v) = video.get() else { return };
        leptos::task::spawn_local(async move {
            match start(&v).await {
                Ok(s) => stream.set_value(Some(s)),
                Err(_) => {
                    on_error.run(());
                    return;
                }
            }
            let last = std::rc::Rc::new(std::cell::RefCell::new((String::new(), 0.0)));
            let interval = gloo_timers::callback::Interval::new(FRAME_MS, move || {
                let (Some(v), Some(c)) = (video.get_untracked(), canvas.get_untracked()) else {
                    return;
                };
                if let Some(code) = read_frame(&v, &c) {
                    let now = js_sys::Date::now();
                    let mut last = last.borrow_mut();
                    if last.0 != code || now - last.1 > 3000.0 {
                        *last = (code.clone(), now);
                        on_code.run(code);
                    }
                }
            });
            timer.set_value(Some(interval));
        });
    });
    on_cleanup(move || {
        timer.update_value(|t| drop(t.take()));
        stream.with_value(|s| {
            if let Some(s) = s {
                stop(s)
            }
        });
    });
    view! {
        <div class="scanner">
            <video class="scanner__video" node_ref=video playsinline="" aria-hidden="true"></video>
            <canvas class="scanner__canvas" node_ref=canvas hidden></canvas>
        </div>
    }
}
