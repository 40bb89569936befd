//! The phone's IndexedDB, reduced to what the outbox and the kept answers need: string
//! values under string keys in two stores. Values are JSON, so a change of a Rust type
//! never needs a schema migration here, only `serde(default)`.
//!
//! Hand-written over web-sys rather than a wrapper crate: four operations are all we use,
//! and every kilobyte of wasm goes to a phone.

use js_sys::{Array, Promise};
use std::cell::RefCell;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbObjectStore, IdbRequest, IdbTransaction, IdbTransactionMode};

const DATABASE: &str = "quality-month";
const VERSION: u32 = 1;

/// The two stores: what waits to be sent, and the last answer of every GET.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Store {
    Outbox,
    Responses,
}

impl Store {
    const ALL: [Store; 2] = [Store::Outbox, Store::Responses];

    fn name(self) -> &'static str {
        match self {
            Store::Outbox => "outbox",
            Store::Responses => "responses",
        }
    }
}

/// IndexedDB is missing (some private modes) or refused the operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Unavailable;

thread_local! {
    static OPEN: RefCell<Option<IdbDatabase>> = const { RefCell::new(None) };
}

/// Waits for `request` to succeed and gives its result.
async fn finished(request: &IdbRequest) -> Result<JsValue, Unavailable> {
    let mut handlers = Vec::new();
    let promise = Promise::new(&mut |resolve, reject| {
        let ok = Closure::once(move |e: web_sys::Event| {
            let result = e
                .target()
                .and_then(|t| t.dyn_into::<IdbRequest>().ok())
                .and_then(|r| r.result().ok())
                .unwrap_or(JsValue::UNDEFINED);
            let _ = resolve.call1(&JsValue::NULL, &result);
        });
        let err = Closure::once(move |_: web_sys::Event| {
            let _ = reject.call0(&JsValue::NULL);
        });
        request.set_onsuccess(Some(ok.as_ref().unchecked_ref()));
        request.set_onerror(Some(err.as_ref().unchecked_ref()));
        handlers.push((ok, err));
    });
    let result = JsFuture::from(promise).await;
    request.set_onsuccess(None);
    request.set_onerror(None);
    drop(handlers);
    result.map_err(|_| Unavailable)
}

/// Waits until `tx` has committed: only then is a write on the phone's storage.
async fn committed(tx: &IdbTransaction) -> Result<(), Unavailable> {
    let mut handlers = Vec::new();
    let promise = Promise::new(&mut |resolve, reject| {
        let ok = Closure::once(move |_: web_sys::Event| {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let err = Closure::once(move |_: web_sys::Event| {
            let _ = reject.call0(&JsValue::NULL);
        });
        tx.set_oncomplete(Some(ok.as_ref().unchecked_ref()));
        tx.set_onerror(Some(err.as_ref().unchecked_ref()));
        tx.set_onabort(Some(err.as_ref().unchecked_ref()));
        handlers.push((ok, err));
    });
    let result = JsFuture::from(promise).await;
    tx.set_oncomplete(None);
    tx.set_onerror(None);
    tx.set_onabort(None);
    drop(handlers);
    result.map(|_| ()).map_err(|_| Unavailable)
}

async fn database() -> Result<IdbDatabase, Unavailable> {
    if let Some(db) = OPEN.with(|o| o.borrow().clone()) {
        return Ok(db);
    }
    let factory = web_sys::window()
        .and_then(|w| w.indexed_db().ok().flatten())
        .ok_or(Unavailable)?;
    let open = factory
        .open_with_u32(DATABASE, VERSION)
        .map_err(|_| Unavailable)?;
    let upgrade = Closure::once(move |e: web_sys::Event| {
        let Some(db) = e
            .target()
            .and_then(|t| t.dyn_into::<IdbRequest>().ok())
            .and_then(|r| r.result().ok())
            .and_then(|r| r.dyn_into::<IdbDatabase>().ok())
        else {
            return;
        };
        for store in Store::ALL {
            if !db.object_store_names().contains(store.name()) {
                let _ = db.create_object_store(store.name());
            }
        }
    });
    open.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
    let db = finished(&open).await;
    open.set_onupgradeneeded(None);
    drop(upgrade);
    let db: IdbDatabase = db?.dyn_into().map_err(|_| Unavailable)?;
    OPEN.with(|o| *o.borrow_mut() = Some(db.clone()));
    Ok(db)
}

async fn begin(
    store: Store,
    mode: IdbTransactionMode,
) -> Result<(IdbTransaction, IdbObjectStore), Unavailable> {
    let db = database().await?;
    let tx = db
        .transaction_with_str_and_mode(store.name(), mode)
        .map_err(|_| Unavailable)?;
    let objects = tx.object_store(store.name()).map_err(|_| Unavailable)?;
    Ok((tx, objects))
}

/// Stores `value` under `key`, replacing what was there; returns once committed.
pub async fn put(store: Store, key: &str, value: &str) -> Result<(), Unavailable> {
    let (tx, objects) = begin(store, IdbTransactionMode::Readwrite).await?;
    objects
        .put_with_key(&JsValue::from_str(value), &JsValue::from_str(key))
        .map_err(|_| Unavailable)?;
    committed(&tx).await
}

pub async fn delete(store: Store, key: &str) -> Result<(), Unavailable> {
    let (tx, objects) = begin(store, IdbTransactionMode::Readwrite).await?;
    objects
        .delete(&JsValue::from_str(key))
        .map_err(|_| Unavailable)?;
    committed(&tx).await
}

pub async fn get(store: Store, key: &str) -> Result<Option<String>, Unavailable> {
    let (_tx, objects) = begin(store, IdbTransactionMode::Readonly).await?;
    let request = objects
        .get(&JsValue::from_str(key))
        .map_err(|_| Unavailable)?;
    Ok(finished(&request).await?.as_string())
}

/// Every value in the store, in key order.
pub async fn all(store: Store) -> Result<Vec<String>, Unavailable> {
    let (_tx, objects) = begin(store, IdbTransactionMode::Readonly).await?;
    let request = objects.get_all().map_err(|_| Unavailable)?;
    let values: Array = finished(&request)
        .await?
        .dyn_into()
        .map_err(|_| Unavailable)?;
    Ok(values.iter().filter_map(|v| v.as_string()).collect())
}
