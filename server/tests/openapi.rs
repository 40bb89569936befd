//! `server/openapi.json` says what the code does, so it cannot drift again: every route the
//! routers declare (method and path) is documented and nothing else is, and every
//! vocabulary the API sends (error codes, field reasons, towns, categories, statuses) is
//! listed exactly as the model spells it.

use model::inspection::{BookingAction, BookingStatus};
use model::{Category, ErrorCode, FieldError, RegistrationStatus, Town};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;

fn spec() -> Value {
    serde_json::from_str(include_str!("../openapi.json")).expect("openapi.json is JSON")
}

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// `(method, /api path)` of every `.route("…", get(…).post(…))` under `src/http`: the
/// routers are the only place routes are declared, all nested under `/api`.
fn declared_routes() -> BTreeSet<(String, String)> {
    let mut found = BTreeSet::new();
    let mut files = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("src/http")];
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
        } else if path.extension().is_some_and(|e| e == "rs") {
            let source = std::fs::read_to_string(&path).unwrap();
            for (method, route) in routes_in(&source) {
                found.insert((method, format!("/api{route}")));
            }
        }
    }
    found
}

/// The routes of one file: each `.route(` call's path, and the method routers named at
/// the top level of its second argument.
fn routes_in(source: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = source;
    while let Some(at) = rest.find(".route(") {
        let call = &rest[at + ".route(".len()..];
        let args_end = closing_paren(call);
        let args = &call[..args_end];
        rest = &call[args_end..];
        let Some(path) = args
            .trim_start()
            .strip_prefix('"')
            .and_then(|p| p.split('"').next())
        else {
            continue;
        };
        let mut depth = 0;
        let bytes = args.as_bytes();
        for (i, &b) in bytes.iter().enumerate() {
            match b {
                b'(' => depth += 1,
                b')' => depth -= 1,
                _ if depth == 0 => {
                    for m in METHODS {
                        let starts_word = i == 0
                            || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_');
                        if starts_word
                            && args[i..].starts_with(m)
                            && args[i + m.len()..].starts_with('(')
                        {
                            out.push((m.to_string(), path.to_string()));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    out
}

/// Where the parenthesis opened just before `text` closes.
fn closing_paren(text: &str) -> usize {
    let mut depth = 1;
    for (i, c) in text.char_indices() {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    text.len()
}

fn documented_routes(spec: &Value) -> BTreeSet<(String, String)> {
    spec["paths"]
        .as_object()
        .unwrap()
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .unwrap()
                .keys()
                .filter(|k| METHODS.contains(&k.as_str()))
                .map(move |m| (m.clone(), path.clone()))
        })
        .collect()
}

#[test]
fn the_route_reader_finds_chained_methods_and_skips_nested_calls() {
    let source = r#"Router::new().route("/a/{id}", get(show).patch(edit)).route(
        "/b",
        post(|State(s): State<S>| async move { s.get(1) }),
    )"#;
    assert_eq!(
        routes_in(source),
        [("get", "/a/{id}"), ("patch", "/a/{id}"), ("post", "/b")]
            .map(|(m, p)| (m.to_string(), p.to_string()))
    );
}

#[test]
fn every_declared_route_is_documented_and_nothing_else() {
    let declared = declared_routes();
    assert!(
        declared.len() > 50,
        "the reader finds the routes: {declared:?}"
    );
    let documented = documented_routes(&spec());
    let missing: Vec<_> = declared.difference(&documented).collect();
    let stale: Vec<_> = documented.difference(&declared).collect();
    assert!(
        missing.is_empty(),
        "routes missing from openapi.json: {missing:?}"
    );
    assert!(
        stale.is_empty(),
        "openapi.json documents routes that do not exist: {stale:?}"
    );
}

#[test]
fn every_operation_says_what_it_does_and_who_may_call_it() {
    let spec = spec();
    for (method, path) in documented_routes(&spec) {
        let op = &spec["paths"][&path][&method];
        assert!(
            op["summary"].as_str().is_some_and(|s| s.len() > 10),
            "{method} {path}: a summary"
        );
        assert!(op["responses"].is_object(), "{method} {path}: its answers");
        // Staff paths need the session cookie, except logging in; no other path does.
        let staff =
            path.starts_with("/api/staff/") && !(path == "/api/staff/session" && method == "post");
        assert_eq!(
            op.get("security").is_some(),
            staff,
            "{method} {path}: the staff session"
        );
    }
}

fn wire<T: Serialize>(values: impl IntoIterator<Item = T>) -> Vec<String> {
    values
        .into_iter()
        .map(|v| {
            serde_json::to_value(v)
                .unwrap()
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

fn listed(spec: &Value, pointer: &str) -> Vec<String> {
    spec.pointer(pointer)
        .and_then(|v| v.as_array())
        .unwrap_or_else(|| panic!("openapi.json has {pointer}"))
        .iter()
        .map(|v| v.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn every_error_code_and_field_reason_is_listed_as_sent() {
    let spec = spec();
    let error = "/components/schemas/ErrorBody/properties/error/properties";
    // `unreadable_answer` is the app's own name for an answer it cannot read: never sent.
    let sent = ErrorCode::ALL
        .iter()
        .filter(|&&c| c != ErrorCode::UnreadableAnswer);
    assert_eq!(listed(&spec, &format!("{error}/code/enum")), wire(sent));
    assert_eq!(
        listed(&spec, &format!("{error}/fields/additionalProperties/enum")),
        wire(FieldError::ALL)
    );
}

#[test]
fn every_vocabulary_is_listed_as_the_model_spells_it() {
    let spec = spec();
    let schemas = "/components/schemas";
    assert_eq!(
        listed(&spec, &format!("{schemas}/Town/enum")),
        wire(Town::ALL)
    );
    assert_eq!(
        listed(&spec, &format!("{schemas}/Category/enum")),
        wire(Category::ALL)
    );
    assert_eq!(
        listed(
            &spec,
            &format!("{schemas}/RegistrationReceipt/properties/status/enum")
        ),
        wire([
            RegistrationStatus::Registered,
            RegistrationStatus::Waitlisted,
            RegistrationStatus::Cancelled
        ])
    );
    assert_eq!(
        listed(
            &spec,
            &format!("{schemas}/BookingReceipt/properties/status/enum")
        ),
        wire(BookingStatus::ALL)
    );
    assert_eq!(
        listed(
            &spec,
            &format!("{schemas}/BookingReceipt/properties/history/items/properties/action/enum")
        ),
        wire(BookingAction::ALL)
    );
}
