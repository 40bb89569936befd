//! Hosting the built app: precompressed files, cache rules, SPA fallback, security headers.

mod common;

use quality_month_server::{AppState, Store};
use reqwest::StatusCode;

const INDEX: &str = r#"<!doctype html><html><head><style>body{margin:0}</style><script type="module">import init from '/app-0123456789abcdef.js';await init();</script></head><body></body></html>"#;

async fn serve_dist() -> (String, common::TempDir) {
    serve_dist_at(common::TempDir::new()).await
}

async fn serve_dist_at(dist: common::TempDir) -> (String, common::TempDir) {
    std::fs::write(dist.path.join("index.html"), INDEX).unwrap();
    std::fs::write(
        dist.path.join("app-0123456789abcdef.js"),
        "export default 1;",
    )
    .unwrap();
    // A stand-in for the brotli copy xtask writes beside each file.
    std::fs::write(dist.path.join("app-0123456789abcdef.js.br"), "BROTLI").unwrap();
    std::fs::write(dist.path.join("robots.txt"), "User-agent: *").unwrap();
    let store = Store::connect(&format!("sqlite://{}/db.sqlite3", dist.path.display()), 2)
        .await
        .unwrap();
    store.migrate().await.unwrap();
    let settings = quality_month_server::Settings {
        writes_per_minute: 10,
        trusted_proxies: Vec::new(),
        https: false,
        secret: quality_month_server::secret::ServerSecret::random(),
        sms: None,
        demo: false,
        photo_dir: dist.path.join("photos"),
        public_url: None,
    };
    let app = quality_month_server::app(AppState::new(store, &settings), &dist.path);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(quality_month_server::connections::serve(
        listener,
        app,
        Default::default(),
        std::future::pending(),
    ));
    (address, dist)
}

#[tokio::test]
async fn hashed_files_are_cached_for_a_year_and_sent_precompressed() {
    let (address, _dist) = serve_dist().await;
    let client = reqwest::Client::new();
    let r = client
        .get(format!("{address}/app-0123456789abcdef.js"))
        .header("accept-encoding", "br")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        r.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    assert_eq!(r.headers()["content-encoding"], "br");
    assert_eq!(r.text().await.unwrap(), "BROTLI");
}

#[tokio::test]
async fn index_and_app_routes_are_revalidated_every_time() {
    let (address, _dist) = serve_dist().await;
    for path in ["/", "/events/12", "/mine"] {
        let r = reqwest::get(format!("{address}{path}")).await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        assert_eq!(r.headers()["cache-control"], "no-cache", "{path}");
        assert!(
            r.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        assert_eq!(
            r.text().await.unwrap(),
            INDEX,
            "{path} is the app's index.html"
        );
    }
    let r = reqwest::get(format!("{address}/robots.txt")).await.unwrap();
    assert_eq!(r.headers()["cache-control"], "no-cache");
}

#[tokio::test]
async fn security_headers_allow_exactly_the_inline_loader_and_styles() {
    let (address, _dist) = serve_dist().await;
    let r = reqwest::get(format!("{address}/")).await.unwrap();
    let h = r.headers();
    let csp = h["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("default-src 'self'"), "{csp}");
    assert!(csp.contains("'wasm-unsafe-eval'"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert_eq!(
        csp.matches("'sha256-").count(),
        2,
        "one script, one style: {csp}"
    );
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert_eq!(h["x-frame-options"], "DENY");
    assert!(h.contains_key("referrer-policy"));
    // API answers carry them too.
    let r = reqwest::get(format!("{address}/api/health")).await.unwrap();
    assert_eq!(r.headers()["x-content-type-options"], "nosniff");
}

const STAFF_INDEX: &str = r#"<!doctype html><html><head><script type="module">import init from '/staff/staff-0123456789abcdef.js';await init();</script></head><body>staff</body></html>"#;

#[tokio::test]
async fn the_staff_app_has_its_own_routes_loader_and_camera() {
    let dist = common::TempDir::new();
    std::fs::create_dir_all(dist.path.join("staff")).unwrap();
    std::fs::write(dist.path.join("staff/index.html"), STAFF_INDEX).unwrap();
    let (address, _dist) = serve_dist_at(dist).await;
    let staff = reqwest::get(format!("{address}/staff/events/3"))
        .await
        .unwrap();
    assert_eq!(staff.status(), StatusCode::OK);
    let h = staff.headers().clone();
    assert_eq!(
        h["permissions-policy"].to_str().unwrap().split(',').next(),
        Some("camera=(self)"),
        "the door scanner may use the camera"
    );
    let csp = h["content-security-policy"].to_str().unwrap().to_string();
    assert_eq!(
        csp.matches("'sha256-").count(),
        3,
        "both loaders, one style: {csp}"
    );
    assert!(staff.text().await.unwrap().contains("staff"));
    let residents = reqwest::get(format!("{address}/events/3")).await.unwrap();
    assert!(
        residents.headers()["permissions-policy"]
            .to_str()
            .unwrap()
            .starts_with("camera=()"),
        "residents' pages never get the camera"
    );
    assert!(!residents.text().await.unwrap().contains("staff"));
}
