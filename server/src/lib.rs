//! Quality Month server: the JSON API under `/api` and the host of the built web app.
//! Everything testable is here, behind [`app`]; `main.rs` only wires configuration.

pub mod config;
pub mod connections;
pub mod demo;
pub mod error;
pub mod first_paint;
pub mod http;
pub mod ics;
pub mod projects;
pub mod reminders;
pub mod secret;
pub mod staff;
pub mod static_files;
pub mod store;
pub mod sweep;
pub mod verification;

use axum::Router;
use ipnet::IpNet;
use std::path::Path;
use std::sync::Arc;

pub use config::Config;
pub use store::Store;

/// The settings of a running app that handlers need (the rest of [`Config`] is about
/// starting it).
#[derive(Debug, Clone)]
pub struct Settings {
    /// What one client address may POST in a minute.
    pub writes_per_minute: u32,
    /// Reverse proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<IpNet>,
    /// Served over https (behind a proxy): answers carry HSTS.
    pub https: bool,
    pub secret: secret::ServerSecret,
    /// Where SMS go; `None`: phone verification is off.
    pub sms: Option<verification::sender::Sender>,
    /// A demo server: every code is [`verification::DEMO_CODE`], and the app is told so.
    pub demo: bool,
    /// Where defect photos are kept (`<QM_DATA_DIR>/photos`).
    pub photo_dir: std::path::PathBuf,
    /// The address people use, for links in messages and feeds (`QM_PUBLIC_URL`).
    pub public_url: Option<String>,
}

impl Settings {
    pub fn from_config(config: &Config) -> Result<Self, Box<dyn std::error::Error>> {
        if config.sms_sender == "webhook" && config.public_url.is_none() {
            // Reminder texts link to 我的 and to their "turn off" page: at the address people
            // use, never at the one the server listens on behind the proxy.
            return Err("QM_SMS_SENDER=webhook needs QM_PUBLIC_URL (the links in texts)".into());
        }
        Ok(Self {
            writes_per_minute: config.writes_per_minute,
            trusted_proxies: config.trusted_proxies.clone(),
            https: config.https(),
            secret: secret::ServerSecret::load(config.secret_key.as_deref(), &config.data_dir)?,
            sms: verification::sender::Sender::from_config(
                &config.sms_sender,
                config.sms_webhook_url.as_deref(),
                config.sms_webhook_secret.as_deref(),
            )?,
            demo: config.demo,
            photo_dir: config.data_dir.join("photos"),
            public_url: config
                .public_url
                .as_deref()
                .map(|u| u.trim_end_matches('/').to_string()),
        })
    }
}

/// Phone verification, when an SMS sender is configured.
pub struct Verification {
    pub demo: bool,
    /// Codes one client address may have sent, per hour.
    pub codes_per_client: http::rate_limit::WriteLimiter,
    /// Wakes the notification worker when a message was queued.
    pub wake_sender: Arc<tokio::sync::Notify>,
}

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub event_lists: Arc<http::cache::ListCache>,
    pub write_limiter: Arc<http::rate_limit::WriteLimiter>,
    pub trusted_proxies: Arc<[IpNet]>,
    pub https: bool,
    pub secret: Arc<secret::ServerSecret>,
    pub verification: Option<Arc<Verification>>,
    /// Staff password checks (argon2: ~19 MiB and a core each) that may run at once.
    pub password_checks: Arc<tokio::sync::Semaphore>,
    pub photos: projects::photos::PhotoFolder,
    /// Photo decodes (up to a few hundred MiB and a core each) that may run at once.
    pub photo_work: Arc<tokio::sync::Semaphore>,
    pub public_url: Option<Arc<str>>,
}

impl AppState {
    pub fn new(store: Store, settings: &Settings) -> Self {
        Self {
            store,
            event_lists: Arc::new(http::cache::ListCache::default()),
            write_limiter: Arc::new(http::rate_limit::WriteLimiter::new(
                settings.writes_per_minute,
            )),
            trusted_proxies: settings.trusted_proxies.clone().into(),
            https: settings.https,
            secret: Arc::new(settings.secret.clone()),
            password_checks: Arc::new(tokio::sync::Semaphore::new(4)),
            photos: projects::photos::PhotoFolder::new(&settings.photo_dir),
            photo_work: Arc::new(tokio::sync::Semaphore::new(2)),
            public_url: settings.public_url.as_deref().map(Arc::from),
            verification: settings.sms.as_ref().map(|_| {
                Arc::new(Verification {
                    // A fixed code only where codes go to the log: never with a real
                    // gateway, even if demo content was asked for too.
                    demo: settings.demo && settings.sms == Some(verification::sender::Sender::Log),
                    codes_per_client: http::rate_limit::WriteLimiter::per_window(
                        verification::CODES_PER_CLIENT_PER_HOUR,
                        3600,
                    ),
                    wake_sender: Arc::new(tokio::sync::Notify::new()),
                })
            }),
        }
    }
}

impl AppState {
    /// `https://host` for links the server hands out: `QM_PUBLIC_URL`, or else the host
    /// the request came to.
    pub fn public_base(&self, headers: &axum::http::HeaderMap) -> String {
        if let Some(url) = &self.public_url {
            return url.to_string();
        }
        let host = headers
            .get(axum::http::header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("127.0.0.1");
        let scheme = if self.https { "https" } else { "http" };
        format!("{scheme}://{host}")
    }

    /// Tells the notification worker that a write queued messages.
    pub fn wake_notifications(&self) {
        if let Some(v) = &self.verification {
            v.wake_sender.notify_one();
        }
    }
}

/// The whole application: API, static app, and the headers every response carries.
pub fn app(state: AppState, dist_dir: &Path) -> Router {
    let headers = static_files::SecurityHeaders::new(dist_dir, state.https);
    let mut app = Router::new().nest("/api", http::router(state.clone()));
    if let Some(shell) = first_paint::Shell::read(dist_dir) {
        app = app.merge(first_paint::router(shell, state));
    }
    app.merge(static_files::router(dist_dir))
        .layer(axum::middleware::from_fn_with_state(
            headers,
            static_files::security_headers,
        ))
}

/// Connects, migrates, fills an empty database with demo content if asked, and serves
/// until SIGTERM or Ctrl-C; then finishes the requests under way and closes the pool.
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
        if !added.accounts.is_empty() {
            // Printed once, to the terminal of whoever started the demo; never logged again.
            println!("\nDemo staff accounts (the staff app is at /staff/):");
            for a in &added.accounts {
                println!(
                    "  {:<10} {:<10} password: {}",
                    a.login,
                    a.role.as_str(),
                    a.password
                );
            }
            println!();
        }
    }
    if !config.dist_dir.join("index.html").exists() {
        tracing::warn!(dist = %config.dist_dir.display(), "no built web app here; only the API is served (run `cargo xtask run`)");
    }
    let settings = Settings::from_config(&config)?;

    let sweeper = tokio::spawn(sweep::hourly(store.clone(), config.retention_days));
    let state = AppState::new(store.clone(), &settings);
    // Reminders go through the SMS sender: without one there is nothing to remind with.
    let workers = match (&settings.sms, &state.verification) {
        (Some(sender), Some(v)) => vec![
            tokio::spawn(verification::sender::run_worker(
                store.clone(),
                sender.clone(),
                v.wake_sender.clone(),
            )),
            tokio::spawn(reminders::every_minute(
                store.clone(),
                state.secret.clone(),
                settings
                    .public_url
                    .clone()
                    .unwrap_or_else(|| format!("http://{}", config.listen)),
                v.wake_sender.clone(),
            )),
        ],
        _ => Vec::new(),
    };
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    tracing::info!("Quality Month is at http://{}", listener.local_addr()?);
    let limits = connections::ConnectionLimits {
        max_connections: config.max_connections,
        ..Default::default()
    };
    let app = app(state, &config.dist_dir);
    connections::serve(listener, app, limits, connections::shutdown_signal()).await;
    sweeper.abort();
    for worker in workers {
        worker.abort();
    }
    store.close().await;
    tracing::info!("stopped");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    #[test]
    fn a_real_sms_gateway_needs_the_public_address_its_texts_link_to() {
        let args = |extra: &[&str]| {
            let base = [
                "quality-month-server",
                "--sms-sender",
                "webhook",
                "--sms-webhook-url",
                "http://10.0.0.5:8025/sms",
                "--sms-webhook-secret",
                "a-shared-secret-of-length",
                "--secret-key",
                "k-0123456789abcdef0123456789abcdef",
            ];
            Config::try_parse_from(base.iter().chain(extra)).unwrap()
        };
        let refused = Settings::from_config(&args(&[])).unwrap_err().to_string();
        assert!(refused.contains("QM_PUBLIC_URL"), "{refused}");
        let settings = Settings::from_config(&args(&["--public-url", "https://zlm.example.cn/"]))
            .expect("starts with a public address");
        assert_eq!(
            settings.public_url.as_deref(),
            Some("https://zlm.example.cn")
        );
    }
}
