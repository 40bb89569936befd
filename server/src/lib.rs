//! Quality Month server: the JSON API under `/api` and the host of the built web app.
//! Everything testable is here, behind [`app`]; `main.rs` only wires configuration.

pub mod config;
pub mod demo;
pub mod error;
pub mod http;
pub mod ics;
pub mod static_files;
pub mod store;

use axum::Router;
use std::path::Path;
use std::sync::Arc;

pub use config::Config;
pub use store::Store;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub event_lists: Arc<http::cache::ListCache>,
    pub write_limiter: Arc<http::rate_limit::WriteLimiter>,
}

impl AppState {
    /// `writes_per_minute`: what one client may POST in a minute.
    pub fn new(store: Store, writes_per_minute: u32) -> Self {
        Self {
            store,
            event_lists: Arc::new(http::cache::ListCache::default()),
            write_limiter: Arc::new(http::rate_limit::WriteLimiter::new(writes_per_minute)),
        }
    }
}

/// The whole application: API, static app, and the headers every response carries.
pub fn app(state: AppState, dist_dir: &Path) -> Router {
    Router::new()
        .nest("/api", http::router(state))
        .merge(static_files::router(dist_dir))
        .layer(axum::middleware::from_fn_with_state(
            static_files::content_security_policy(dist_dir),
            static_files::security_headers,
        ))
}

/// How long a write's `Idempotency-Key` is remembered.
pub const IDEMPOTENCY_KEY_LIFETIME_SECS: i64 = 7 * 86_400;

/// Hourly, forgets idempotency keys older than their lifetime and failed buyer checks
/// older than the window their limits count.
async fn forget_old_records(store: Store) {
    let mut hourly = tokio::time::interval(std::time::Duration::from_secs(3600));
    loop {
        hourly.tick().await;
        let now = store::now_unix();
        match store
            .forget_idempotency_keys_before(now - IDEMPOTENCY_KEY_LIFETIME_SECS)
            .await
        {
            Ok(0) => {}
            Ok(n) => tracing::info!(keys = n, "forgot old idempotency keys"),
            Err(e) => tracing::warn!(error = %e, "could not forget old idempotency keys"),
        }
        if let Err(e) = store
            .forget_buyer_check_failures_before(now - store::FAILURE_WINDOW_SECS)
            .await
        {
            tracing::warn!(error = %e, "could not forget old buyer-check failures");
        }
    }
}

/// Connects, migrates, fills an empty database with demo content if asked, and serves
/// until Ctrl-C.
pub async fn serve(config: Config) -> Result<(), Box<dyn std::error::Error>> {
    let store = Store::connect(&config.database_url, config.db_max_connections).await?;
    store.migrate().await?;
    if config.demo {
        let added = demo::seed_if_empty(&store, store::now_unix()).await?;
        if added != demo::Seeded::default() {
            tracing::info!(
                events = added.events,
                projects = added.projects,
                survey_responses = added.survey_responses,
                "demo content added"
            );
        }
    }
    if !config.dist_dir.join("index.html").exists() {
        tracing::warn!(dist = %config.dist_dir.display(), "no built web app here; only the API is served (run `cargo xtask run`)");
    }
    let app = app(
        AppState::new(store.clone(), config.writes_per_minute),
        &config.dist_dir,
    );
    tokio::spawn(forget_old_records(store.clone()));
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    tracing::info!("Quality Month is at http://{}", listener.local_addr()?);
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await?;
    store.close().await;
    Ok(())
}
