use leptos::prelude::*;

/// A labelled `<select>` bound to `value`; options are (value, label) pairs. The staff
/// forms use it; the residents' filters could too.
#[component]
pub fn SelectField(
    /// The select's id and name.
    id: &'static str,
    #[prop(into)] label: Signal<&'static str>,
    value: RwSignal<String>,
    #[prop(into)] options: Signal<Vec<(String, String)>>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label class="field__label" for=id>{label}</label>
            <select class="field__select" id=id name=id
                on:change:target=move |ev| value.set(ev.target().value())
                prop:value=move || value.get()>
                {move || options.get().into_iter().map(|(v, l)| {
                    let selected = v == value.get_untracked();
                    view! { <option value=v selected=selected>{l}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}
