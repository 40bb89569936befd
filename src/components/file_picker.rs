use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// A file as chosen, its content in base64 (the form the API takes files in).
#[derive(Debug, Clone, PartialEq)]
pub struct PickedFile {
    pub name: String,
    pub base64: String,
}

/// A labelled file input: photos from the camera (`capture`) or a list from the computer.
/// The chosen files are read on the phone and handed over whole; nothing is sent here.
#[component]
pub fn FilePicker(
    id: &'static str,
    #[prop(into)] label: Signal<&'static str>,
    #[prop(into)] hint: Signal<&'static str>,
    /// e.g. `image/jpeg,image/png`, `.xlsx,.csv`.
    accept: &'static str,
    #[prop(optional)] multiple: bool,
    /// `environment`: a phone opens its back camera.
    #[prop(optional)]
    capture: Option<&'static str>,
    #[prop(into)] error: Signal<Option<&'static str>>,
    on_files: Callback<Vec<PickedFile>>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described = format!("{hint_id} {error_id}");
    view! {
        <div class="field" class:field--error=move || error.get().is_some()>
            <label class="field__label" for=id>{label}</label>
            <p class="field__hint" id=hint_id>{hint}</p>
            {move || error.get().map(|m| view! { <p class="field__error" id=error_id.clone()>{m}</p> })}
            <input class="field__file" type="file" id=id name=id accept=accept multiple=multiple
                capture=capture aria-describedby=described
                on:change:target=move |ev| {
                    let input: web_sys::HtmlInputElement = ev.target();
                    let files: Vec<web_sys::File> = input
                        .files()
                        .map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect())
                        .unwrap_or_default();
                    leptos::task::spawn_local(async move {
                        let mut picked = Vec::with_capacity(files.len());
                        for file in files {
                            if let Some(base64) = read_base64(&file).await {
                                picked.push(PickedFile { name: file.name(), base64 });
                            }
                        }
                        on_files.run(picked);
                    });
                } />
        </div>
    }
}

/// The file's bytes as base64, through the browser's own reader (no encoder shipped).
async fn read_base64(file: &web_sys::File) -> Option<String> {
    let reader = web_sys::FileReader::new().ok()?;
    let done = js_sys::Promise::new(&mut |resolve, reject| {
        reader.set_onload(Some(resolve.unchecked_ref()));
        reader.set_onerror(Some(reject.unchecked_ref()));
    });
    reader.read_as_data_url(file).ok()?;
    JsFuture::from(done).await.ok()?;
    let url = reader.result().ok()?.as_string()?;
    url.split_once("base64,").map(|(_, data)| data.to_string())
}
