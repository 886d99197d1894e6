//! The native host: runs the functions without Spin, on tokio + axum + sqlx.
//!
//! It reads `spin.toml`, mounts each function's router at the route Spin
//! would give it (full paths, no prefix stripping), serves the storefront
//! files for the rest, and implements the host port on sqlx SQLite or
//! Postgres ([`store::NativeStore`]), an HTTP client ([`http::ReqwestClient`]) and
//! the environment ([`config_from_env`]).

pub mod api_docs;
pub mod appender;
pub mod copy;
pub mod http;
pub mod manifest;
pub mod seed;
pub mod smtp;
pub mod store;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context as _;
use axum::Router;
use axum::extract::Request;
use axum::response::{IntoResponse, Response};
use comptoir_functions::config::Config;
use comptoir_functions::port::{Host, SystemClock};
use tower::ServiceExt as _;

pub use manifest::Route;

/// Everything needed to start a shop.
#[derive(Debug, Clone)]
pub struct Options {
    /// The store: a SQLite file (created if missing) or Postgres.
    pub database: store::Store,
    /// Where to listen.
    pub addr: SocketAddr,
    /// The Spin manifest whose routes are mounted.
    pub manifest: PathBuf,
    /// The built storefront (`dist/`), served for every non-API path.
    pub storefront: PathBuf,
    /// Parsed configuration.
    pub config: Config,
    /// Deliver the outbox through this relay (every few seconds); without
    /// it, through the HTTP mail API if `mail_api_base` is configured, else
    /// notifications are kept for staff to read.
    pub smtp: Option<smtp::SmtpMailer>,
    /// Counts every statement the shop's store runs (transaction control
    /// included: each is one host call under Spin), for the statement
    /// budgets of the tests and the benchmark.
    pub statements: Arc<std::sync::atomic::AtomicU64>,
    /// Run the job runner (lapsed reservations, committed refunds, session
    /// expiries, outbox, housekeeping) every 2 s; off only for tests that
    /// must see the database still.
    pub back_office: bool,
    /// Once notified the server stops taking requests, finishes those under
    /// way, and writes what the appender still holds (the binary notifies
    /// it on Ctrl-C or SIGTERM).
    pub until: Arc<tokio::sync::Notify>,
}

/// Reads configuration from `COMPTOIR_<VARIABLE>` environment variables,
/// the native mirror of the Spin variables.
pub fn config_from_env() -> anyhow::Result<Config> {
    config_from(|key| std::env::var(key).ok())
}

/// [`config_from_env`] over any environment. The native host serves every
/// function, so it is given every variable: an unset one reads as empty
/// (which is what refuses, off this machine, a shop without its
/// `verification_secret`).
pub fn config_from(env: impl Fn(&str) -> Option<String>) -> anyhow::Result<Config> {
    Config::from_lookup(|name| {
        Some(env(&format!("COMPTOIR_{}", name.to_ascii_uppercase())).unwrap_or_default())
    })
}

/// CPU-heavy work (password hashing) on tokio's blocking threads, at most
/// half the cores at once (at least one): the async workers keep serving
/// pages while sign-ins queue, and a burst of sign-ins cannot take every core.
/// At most [`BlockingPool::MAX_QUEUED`] jobs wait; more are refused
/// ([`Overloaded`](comptoir_functions::port::Overloaded): "try again in a second").
pub struct BlockingPool {
    permits: Arc<tokio::sync::Semaphore>,
    queued: std::sync::atomic::AtomicUsize,
    max_queued: usize,
}

impl BlockingPool {
    /// Jobs that may wait for a core.
    pub const MAX_QUEUED: usize = 256;

    /// A pool sized for this machine.
    pub fn new() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZeroUsize::get);
        Self::with((cores / 2).max(1), Self::MAX_QUEUED)
    }

    /// A pool running `running` jobs at once with `max_queued` waiting.
    pub fn with(running: usize, max_queued: usize) -> Self {
        Self {
            permits: Arc::new(tokio::sync::Semaphore::new(running)),
            queued: std::sync::atomic::AtomicUsize::new(0),
            max_queued,
        }
    }
}

impl Default for BlockingPool {
    fn default() -> Self {
        Self::new()
    }
}

#[async_trait::async_trait]
impl comptoir_functions::port::Cpu for BlockingPool {
    async fn run(&self, job: Box<dyn FnOnce() + Send + 'static>) -> anyhow::Result<()> {
        use std::sync::atomic::Ordering;
        if self.queued.fetch_add(1, Ordering::AcqRel) >= self.max_queued {
            self.queued.fetch_sub(1, Ordering::AcqRel);
            return Err(comptoir_functions::port::Overloaded.into());
        }
        let permit = Arc::clone(&self.permits).acquire_owned().await;
        self.queued.fetch_sub(1, Ordering::AcqRel);
        let _permit = permit.context("the CPU pool is closed")?;
        tokio::task::spawn_blocking(job)
            .await
            .context("a CPU job failed")
    }
}

/// Opens the database, applies migrations (and the demo seed), and builds the host port.
pub async fn host(database: &store::Store, config: Config) -> anyhow::Result<Host> {
    counting_host(database, config, Arc::default()).await
}

/// [`host`], adding every statement its store runs to `statements`.
pub async fn counting_host(
    database: &store::Store,
    config: Config,
    statements: Arc<std::sync::atomic::AtomicU64>,
) -> anyhow::Result<Host> {
    let db: Arc<dyn comptoir_functions::port::Database> =
        Arc::new(store::NativeStore::counting(database, statements).await?);
    let host = Host {
        appender: Arc::new(appender::WriteBehind::start(Arc::clone(&db))),
        day_secret: Arc::default(),
        db,
        http: Arc::new(http::ReqwestClient::new()),
        config: Arc::new(config),
        clock: Arc::new(SystemClock),
        cpu: Arc::new(BlockingPool::new()),
    };
    comptoir_functions::migrate::ensure(host.db.as_ref(), &host.config, host.clock.now_ms())
        .await
        .context("migrating the database")?;
    Ok(host)
}

/// The whole shop as one axum app: every `spin.toml` route dispatched like
/// Spin does (exact routes first, then the longest wildcard prefix).
pub fn app(host: Host, routes: Vec<Route>, storefront: &Path) -> anyhow::Result<Router> {
    let https = host.config.public_base_url.starts_with("https://");
    let mut mounted = Vec::new();
    for route in routes {
        let router = if route.component == "files" {
            static_files(storefront, &host.config, https)
        } else if route.component == "pages" {
            comptoir_functions::pages::router(
                host.clone(),
                comptoir_functions::pages::assets_in(storefront),
            )
        } else {
            comptoir_functions::router_for(&route.component, host.clone()).with_context(|| {
                format!(
                    "spin.toml names a component this host does not know: {}",
                    route.component
                )
            })?
        };
        mounted.push((route, router));
    }
    // Most specific first, as Spin matches.
    mounted.sort_by_key(|(route, _)| std::cmp::Reverse((!route.wildcard, route.prefix.len())));
    let table = Arc::new(mounted);
    Ok(Router::new()
        .fallback(move |request: Request| {
            let table = Arc::clone(&table);
            async move { dispatch(&table, request).await }
        })
        // What a shop's proxy or CDN would do: text, JSON and WebAssembly
        // go out gzipped to a client that accepts it.
        .layer(tower_http::compression::CompressionLayer::new().gzip(true))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(
            move |_: Box<dyn std::any::Any + Send + 'static>| panicked(https),
        )))
}

/// A handler that panicked (a bug: requests must never reach a panic) is
/// answered like any internal failure, with the headers the edge adds, and logged.
fn panicked(https: bool) -> Response {
    let mut response = comptoir_functions::error::AppError::Internal(anyhow::anyhow!(
        "a request handler panicked"
    ))
    .into_response();
    comptoir_functions::edge::api_headers(&mut response, https);
    response
}

async fn dispatch(table: &[(Route, Router)], mut request: Request) -> Response {
    let path = request.uri().path().to_owned();
    let peer = request
        .extensions()
        .get::<axum::extract::ConnectInfo<SocketAddr>>()
        .map(|info| info.0.ip());
    if let Some(peer) = peer {
        request
            .extensions_mut()
            .insert(comptoir_functions::edge::PeerAddr(peer));
    }
    match table.iter().find(|(route, _)| route.matches(&path)) {
        Some((_, router)) => match router.clone().oneshot(request).await {
            Ok(response) => response,
            Err(never) => match never {},
        },
        None => axum::http::StatusCode::NOT_FOUND.into_response(),
    }
}

/// The storefront files; unknown extension-less paths get the page booting
/// their bundle (`comptoir_shared::site::index_for`) so the client-side
/// router owns them, except under `/api/` (the same rules as the Spin
/// `files` component).
fn static_files(dir: &Path, config: &Arc<Config>, https: bool) -> Router {
    let root = dir.to_path_buf();
    let page = axum::routing::get(move |uri: axum::http::Uri| {
        let root = root.clone();
        async move {
            let path = uri.path();
            let last = path.rsplit('/').next().unwrap_or_default();
            if last.contains('.') {
                return axum::http::StatusCode::NOT_FOUND.into_response();
            }
            match tokio::fs::read_to_string(root.join(comptoir_shared::site::index_for(path))).await
            {
                Ok(html) => (
                    [(axum::http::header::CACHE_CONTROL, "no-cache")],
                    axum::response::Html(html),
                )
                    .into_response(),
                Err(_) => axum::http::StatusCode::NOT_FOUND.into_response(),
            }
        }
    });
    let serve = tower_http::services::ServeDir::new(dir)
        .append_index_html_on_directories(false)
        .fallback(page);
    let pages = with_page_headers(Router::new().fallback_service(serve), https).layer(
        axum::middleware::from_fn(
            |request: Request, next: axum::middleware::Next| async move {
                let policy = comptoir_shared::site::cache_policy(request.uri().path());
                let mut response = next.run(request).await;
                if response.status().is_success() {
                    response.headers_mut().insert(
                        axum::http::header::CACHE_CONTROL,
                        axum::http::HeaderValue::from_static(policy),
                    );
                }
                response
            },
        ),
    );
    // The API document (a `files` route in spin.toml) is the in-process one,
    // behind the API's edge. (Other unrouted API paths reach the pages
    // function, which answers the typed 404.)
    let api = Router::new().route(
        comptoir_functions::openapi::DOCUMENT_PATH,
        axum::routing::get(comptoir_functions::openapi::document),
    );
    comptoir_functions::edge::guard(api, Arc::clone(config)).merge(pages)
}

/// The native host's timer: every 2 s, the same job runner
/// `POST /api/jobs/run` calls ([`comptoir_functions::jobs`]), under the same
/// leases, so several instances on one database never do a duty at once.
/// The outbox goes out through the SMTP relay when one is configured, else
/// through the HTTP mail API when `mail_api_base` is set, else stays unsent
/// for staff to read.
fn spawn_job_timer(host: Host, smtp: Option<smtp::SmtpMailer>) {
    tokio::spawn(async move {
        let mail_api = comptoir_functions::jobs::MailApi::configured(&host);
        let mailer: Option<&dyn comptoir_functions::outbox::Mailer> = match (&smtp, &mail_api) {
            (Some(smtp), _) => Some(smtp),
            (None, Some(api)) => Some(api),
            (None, None) => None,
        };
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(2));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if let Err(e) = comptoir_functions::jobs::run_with(&host, mailer).await {
                tracing::error!(error = format!("{e:#}"), "job runner");
            }
        }
    });
}

/// The storefront's files behind the page CSP and the security headers.
fn with_page_headers(router: Router, https: bool) -> Router {
    router.layer(axum::middleware::map_response(
        move |mut response: Response| async move {
            comptoir_functions::edge::insert_security_headers(
                response.headers_mut(),
                comptoir_shared::site::PAGE_CSP,
                https,
            );
            response
        },
    ))
}

/// Starts the shop and returns the bound address and the server task.
pub async fn start(
    options: Options,
) -> anyhow::Result<(SocketAddr, tokio::task::JoinHandle<anyhow::Result<()>>)> {
    let routes = manifest::routes(&options.manifest)?;
    let host = counting_host(&options.database, options.config, options.statements).await?;
    if options.back_office {
        spawn_job_timer(host.clone(), options.smtp);
    }
    let appender = Arc::clone(&host.appender);
    let app = app(host, routes, &options.storefront)?;
    let listener = tokio::net::TcpListener::bind(options.addr)
        .await
        .with_context(|| format!("binding {}", options.addr))?;
    let addr = listener.local_addr()?;
    // The peer address reaches the functions (sign-in throttling) as `ConnectInfo`.
    let service = app.into_make_service_with_connect_info::<SocketAddr>();
    let task = tokio::spawn(async move {
        let served = axum::serve(listener, service)
            .with_graceful_shutdown(async move { options.until.notified().await })
            .await
            .context("serving");
        // Written out even if serving failed.
        let flushed = appender
            .flush()
            .await
            .context("writing the queued audience events");
        served.and(flushed)
    });
    Ok((addr, task))
}

#[cfg(test)]
mod tests {
    use super::*;
    use comptoir_functions::port::{Cpu as _, Overloaded};

    #[test]
    fn the_host_refuses_to_start_off_this_machine_without_a_verification_secret() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |key: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == key)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        // `bash infra/run.sh`: nothing set, 127.0.0.1, sandbox.
        assert!(config_from(env(&[])).is_ok());
        assert!(
            config_from(env(&[(
                "COMPTOIR_ALLOWED_ORIGINS",
                "http://localhost:3000"
            )]))
            .is_ok()
        );
        static PUBLIC: [(&str, &str); 1] =
            [("COMPTOIR_PUBLIC_BASE_URL", "https://boutique.example")];
        let error = config_from(env(&PUBLIC)).unwrap_err().to_string();
        assert!(error.contains("verification_secret"), "{error}");
        static WITH_SECRET: [(&str, &str); 2] = [
            ("COMPTOIR_PUBLIC_BASE_URL", "https://boutique.example"),
            ("COMPTOIR_VERIFICATION_SECRET", "une longue clé aléatoire"),
        ];
        let config = config_from(env(&WITH_SECRET)).unwrap();
        assert_eq!(
            config.verification_key().unwrap(),
            "une longue clé aléatoire"
        );
    }

    #[tokio::test]
    async fn the_cpu_pool_refuses_work_beyond_its_queue() {
        let pool = Arc::new(BlockingPool::with(1, 1));
        let (release, hold) = std::sync::mpsc::channel::<()>();
        let (started, running) = tokio::sync::oneshot::channel();
        let busy = Arc::clone(&pool);
        let first = tokio::spawn(async move {
            busy.run(Box::new(move || {
                let _ = started.send(());
                let _ = hold.recv();
            }))
            .await
        });
        running.await.unwrap();
        let waiting = Arc::clone(&pool);
        let second = tokio::spawn(async move { waiting.run(Box::new(|| {})).await });
        while pool.queued.load(std::sync::atomic::Ordering::Acquire) == 0 {
            tokio::task::yield_now().await;
        }
        let third = pool.run(Box::new(|| {})).await;
        assert!(third.is_err_and(|e| e.is::<Overloaded>()));
        release.send(()).unwrap();
        first.await.unwrap().unwrap();
        second.await.unwrap().unwrap();
    }
}
