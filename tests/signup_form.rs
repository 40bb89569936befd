//! The sign-up form in a real browser: the shared validation rules, the error summary
//! (announced, focused, linking to each field), and what a valid form hands on.

use leptos::prelude::*;
use quality_month_web::components::{SignupAnswers, SignupForm};
use quality_month_web::prefs::Prefs;
use std::sync::{Arc, Mutex};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

type Submitted = Arc<Mutex<Vec<(String, String, u8)>>>;

/// A mounted form; unmounted and removed when dropped, so that the ids of one test's form
/// never meet another's.
struct Mounted {
    container: HtmlElement,
    _handle: leptos::mount::UnmountHandle<leptos::tachys::view::any_view::AnyViewState>,
}

impl Drop for Mounted {
    fn drop(&mut self) {
        self.container.remove();
    }
}

impl std::ops::Deref for Mounted {
    type Target = HtmlElement;
    fn deref(&self) -> &HtmlElement {
        &self.container
    }
}

/// Mounts a fresh form in its own container and returns it and what it hands on when
/// valid.
fn mount_form() -> (Mounted, Submitted) {
    let _ = web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .clear();
    let container: HtmlElement = document().create_element("div").unwrap().unchecked_into();
    document().body().unwrap().append_child(&container).unwrap();
    let submitted: Submitted = Arc::default();
    let sink = submitted.clone();
    let handle = leptos::mount::mount_to(container.clone(), move || {
        Prefs::provide();
        let sink = sink.clone();
        let on_valid = Callback::new(
            move |(_, valid): (SignupAnswers, model::ValidRegistration)| {
                sink.lock().unwrap().push((
                    valid.name.as_str().to_string(),
                    valid.phone.as_str().to_string(),
                    valid.party_size,
                ));
            },
        );
        view! { <SignupForm initial=SignupAnswers::default() on_valid /> }.into_any()
    });
    (
        Mounted {
            container,
            _handle: handle,
        },
        submitted,
    )
}

fn find(container: &HtmlElement, selector: &str) -> Option<HtmlElement> {
    container
        .query_selector(selector)
        .unwrap()
        .map(|e| e.unchecked_into())
}

fn type_into(container: &HtmlElement, id: &str, text: &str) {
    let input: HtmlInputElement = find(container, &format!("#{id}"))
        .expect(id)
        .unchecked_into();
    input.set_value(text);
    input
        .dispatch_event(&web_sys::Event::new("input").unwrap())
        .unwrap();
}

fn submit(container: &HtmlElement) {
    find(container, "button[type=submit]")
        .expect("submit button")
        .click();
}

/// Lets effects (focus, rendering) run.
async fn settle() {
    gloo_timers::future::TimeoutFuture::new(20).await;
}

#[wasm_bindgen_test]
async fn an_empty_form_shows_a_focused_error_summary_linking_to_each_field() {
    let (form, submitted) = mount_form();
    submit(&form);
    settle().await;

    let summary = find(&form, ".error-summary").expect("an error summary appears");
    assert_eq!(summary.get_attribute("role").as_deref(), Some("alert"));
    let active = document().active_element().expect("something has focus");
    assert!(
        active.is_same_node(Some(&summary)),
        "the summary takes focus"
    );
    let links: Vec<String> = (0..3)
        .filter_map(|i| summary.query_selector_all("a").unwrap().item(i))
        .map(|a| {
            a.unchecked_into::<web_sys::Element>()
                .get_attribute("href")
                .unwrap()
        })
        .collect();
    assert_eq!(
        links,
        vec!["#signup-name", "#signup-phone", "#signup-party-1"]
    );
    assert!(summary.text_content().unwrap().contains("请填写姓名"));

    let name = find(&form, "#signup-name").unwrap();
    assert_eq!(name.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(
        name.get_attribute("aria-describedby").as_deref(),
        Some("signup-name-hint signup-name-error")
    );
    let error = find(&form, "#signup-name-error").expect("the field shows its error");
    assert!(
        error.text_content().unwrap().starts_with("错误："),
        "a hidden 错误： prefix for screen readers"
    );
    assert!(submitted.lock().unwrap().is_empty(), "nothing is handed on");

    // A link in the summary moves focus to its field.
    find(&summary, "a[href='#signup-phone']").unwrap().click();
    settle().await;
    assert_eq!(document().active_element().unwrap().id(), "signup-phone");
}

#[wasm_bindgen_test]
async fn each_rule_of_the_model_is_applied_before_sending() {
    let (form, submitted) = mount_form();
    type_into(&form, "signup-name", "<script>alert(1)</script>");
    type_into(&form, "signup-phone", "1234");
    submit(&form);
    settle().await;
    let text = find(&form, ".error-summary")
        .unwrap()
        .text_content()
        .unwrap();
    assert!(text.contains("姓名只能包含文字"), "{text}");
    assert!(text.contains("请填写 11 位手机号码"), "{text}");
    assert!(text.contains("请选择参加人数"), "{text}");
    assert!(submitted.lock().unwrap().is_empty());

    // Correcting only the name leaves the other problems listed.
    type_into(&form, "signup-name", "张秀英");
    submit(&form);
    settle().await;
    assert!(
        find(&form, "#signup-name-error").is_none(),
        "the name is fine now"
    );
    assert!(find(&form, "#signup-phone-error").is_some());
}

#[wasm_bindgen_test]
async fn a_valid_form_hands_on_the_parsed_answers_and_clears_the_summary() {
    let (form, submitted) = mount_form();
    submit(&form);
    settle().await;
    assert!(find(&form, ".error-summary").is_some());

    type_into(&form, "signup-name", "  张秀英 ");
    type_into(&form, "signup-phone", "+86 139 1234 5678");
    find(&form, "label[for=signup-party-3]").unwrap().click();
    submit(&form);
    settle().await;

    assert_eq!(
        *submitted.lock().unwrap(),
        vec![("张秀英".to_string(), "13912345678".to_string(), 3)]
    );
    assert!(
        find(&form, ".error-summary").is_none(),
        "no problems remain"
    );
}
