//! The Spin adapter of the host port: spin-sdk SQLite (the component's
//! `default` database) or Postgres (`pg`, when the `database_url` variable is
//! set) for [`Database`],
//! Spin variables for [`Config`], `wasi:http` outbound for [`HttpClient`], the
//! WASI clock. Each component's
//! `#[http_service]` entry calls [`serve`] with its context's router, which
//! runs behind the same [`comptoir_functions::edge`] as on the native host
//! (the shop's pages, HTML with their own headers, call [`serve_pages`]:
//! not behind the API's edge, as on the native host).
//!
//! No per-request schema check: the job runner and the health probe apply
//! migrations, and a request that fails (500) triggers one version read —
//! and the migrations when the schema is behind, after which a read
//! (`GET`/`HEAD`, which writes nothing) is answered again. So a fresh
//! database under `spin up` serves its first page, and a request on a
//! current schema pays for nothing.

use std::sync::Arc;

use anyhow::Context as _;
use async_trait::async_trait;
use axum::body::Body;
use comptoir_functions::config::{Config, VARIABLES};
use comptoir_functions::dialect::Dialect;
use comptoir_functions::edge::MAX_BODY;
use comptoir_functions::error::AppError;
use comptoir_functions::port::{
    Database, Executor, Host, HttpClient, Immediate, InPlace, OutboundRequest, OutboundResponse,
    Row, SystemClock, Transaction, Value,
};
use comptoir_shared::ApiError;
use http_body_util::BodyExt as _;
use spin_sdk::{pg, sqlite};
use std::sync::atomic::{AtomicBool, Ordering};
use tower_service::Service as _;

/// Runs one request through `router`, behind the API's edge, with a
/// Spin-backed [`Host`].
pub async fn serve(
    request: spin_sdk::http::Request,
    router: fn(Host) -> axum::Router,
) -> axum::response::Response {
    serve_behind(request, router, Edge::Api).await
}

/// Runs one request for the shop's pages through `router`: GET pages that
/// set their own headers (the page CSP, their cache policy) and answer
/// their own 404 page, so not behind the API's edge (which would type every
/// refusal as JSON).
pub async fn serve_pages(
    request: spin_sdk::http::Request,
    router: fn(Host) -> axum::Router,
) -> axum::response::Response {
    serve_behind(request, router, Edge::Pages).await
}

/// What stands between a request and a router.
#[derive(Clone, Copy)]
enum Edge {
    /// [`comptoir_functions::edge::guard`].
    Api,
    /// Nothing more: the pages' router sets its own headers.
    Pages,
}

async fn serve_behind(
    request: spin_sdk::http::Request,
    router: fn(Host) -> axum::Router,
    edge: Edge,
) -> axum::response::Response {
    // Spin keeps a component's stderr as its log; errors are logged there.
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .without_time()
        .with_ansi(false)
        .try_init();
    match prepare(request).await {
        Ok(Prepared {
            host,
            parts,
            body,
            pg,
        }) => {
            let again = matches!(parts.method, http::Method::GET | http::Method::HEAD)
                .then(|| http::Request::from_parts(parts.clone(), Body::from(body.clone())));
            let request = http::Request::from_parts(parts, Body::from(body));
            let response = answer(&host, router, edge, request, pg.as_ref()).await;
            if response.status() != http::StatusCode::INTERNAL_SERVER_ERROR {
                return response;
            }
            let caught_up = catch_up(&host).await;
            settle(pg.as_ref()).await;
            match (caught_up, again) {
                (Ok(true), Some(request)) => {
                    answer(&host, router, edge, request, pg.as_ref()).await
                }
                (Err(e), _) => {
                    tracing::error!(error = format!("{e:#}"), "migrating after a failed request");
                    response
                }
                _ => response,
            }
        }
        Err(refusal) => refusal,
    }
}

/// What [`prepare`] hands over: the host, the request with its body read,
/// and the Postgres connection when the store is Postgres (settled after
/// each answer).
struct Prepared {
    host: Host,
    parts: http::request::Parts,
    body: bytes::Bytes,
    pg: Option<SpinPg>,
}

/// Never leave a transaction open on a connection Spin may reuse.
async fn settle(pg: Option<&SpinPg>) {
    if let Some(pg) = pg
        && let Err(e) = pg.0.settle().await
    {
        tracing::error!(error = format!("{e:#}"), "rolling back");
    }
}

async fn answer(
    host: &Host,
    router: fn(Host) -> axum::Router,
    edge: Edge,
    request: http::Request<Body>,
    pg: Option<&SpinPg>,
) -> axum::response::Response {
    let mut router = router(host.clone());
    if let Edge::Api = edge {
        router = comptoir_functions::edge::guard(router, Arc::clone(&host.config));
    }
    let response = match router.call(request).await {
        Ok(response) => response,
        Err(never) => match never {},
    };
    settle(pg).await;
    response
}

/// After a failed request: brings the schema up to date if it is behind
/// (one version read when it is not); answers whether it migrated.
async fn catch_up(host: &Host) -> anyhow::Result<bool> {
    let db = host.db.as_ref();
    if matches!(comptoir_functions::migrate::version(db).await, Ok(v) if v >= comptoir_functions::migrate::latest())
    {
        return Ok(false);
    }
    comptoir_functions::migrate::ensure(db, &host.config, host.clock.now_ms()).await?;
    Ok(true)
}

/// The host and the request with its body read (at most the edge's limit),
/// or the answer when that cannot be: a typed 413, or a 500 when the
/// configuration fails.
async fn prepare(request: spin_sdk::http::Request) -> Result<Prepared, axum::response::Response> {
    let (host, pg) = host().await.map_err(|e| refusal(AppError::Internal(e)))?;
    // Buffer the body so the router sees an ordinary axum body; never more
    // than the edge accepts, whatever the client sends.
    let (mut parts, body) = request.into_parts();
    let too_large = || {
        refusal(AppError::Api(ApiError::PayloadTooLarge {
            max_bytes: MAX_BODY as u32,
        }))
    };
    let declared = parts
        .headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_BODY) {
        return Err(too_large());
    }
    let bytes = http_body_util::Limited::new(body, MAX_BODY)
        .collect()
        .await
        .map_err(|_| too_large())?
        .to_bytes();
    // Spin names the client in `spin-client-addr` (`ip:port`).
    if let Some(peer) = parts
        .headers
        .get("spin-client-addr")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<std::net::SocketAddr>().ok())
    {
        parts
            .extensions
            .insert(comptoir_functions::edge::PeerAddr(peer.ip()));
    }
    Ok(Prepared {
        host,
        parts,
        body: bytes,
        pg,
    })
}

/// The host port for this request, and its Postgres connection when the
/// store is Postgres (to settle when the answer is ready).
async fn host() -> anyhow::Result<(Host, Option<SpinPg>)> {
    let config = load_config().await?;
    let (db, pg): (Arc<dyn Database>, _) = match database_url().await? {
        None => (Arc::new(SpinSqlite), None),
        Some(url) => {
            let pg = SpinPg(Arc::new(SpinPostgres::open(&url).await?));
            (Arc::new(pg.clone()), Some(pg))
        }
    };
    let host = Host {
        appender: Arc::new(Immediate(Arc::clone(&db))),
        day_secret: Arc::default(),
        db,
        http: Arc::new(SpinHttp),
        config: Arc::new(config),
        clock: Arc::new(SystemClock),
        // One request per instance: hashing in place stalls nobody else.
        cpu: Arc::new(InPlace),
    };
    Ok((host, pg))
}

/// An answer given before the edge could run, with the headers the edge
/// would have added (no HSTS: the configuration may be what failed).
fn refusal(error: AppError) -> axum::response::Response {
    let mut response = axum::response::IntoResponse::into_response(error);
    comptoir_functions::edge::api_headers(&mut response, false);
    response
}

async fn load_config() -> anyhow::Result<Config> {
    let mut values = Vec::with_capacity(VARIABLES.len());
    for name in VARIABLES {
        let value = match spin_sdk::variables::get(name).await {
            Ok(v) => Some(v),
            // A variable this component does not declare reads as unset.
            Err(
                spin_sdk::variables::Error::Undefined(_)
                | spin_sdk::variables::Error::InvalidName(_),
            ) => None,
            Err(e) => return Err(anyhow::anyhow!("reading variable {name}: {e}")),
        };
        values.push((name, value));
    }
    Config::from_lookup(|name| {
        values
            .iter()
            .find(|(n, _)| *n == name)
            .and_then(|(_, v)| v.clone())
    })
}

/// The Postgres address, when the component is given one: the secret
/// `database_url` variable (its host must be in `allowed_outbound_hosts`).
async fn database_url() -> anyhow::Result<Option<String>> {
    match spin_sdk::variables::get(comptoir_functions::config::DATABASE_URL).await {
        Ok(url) if url.trim().is_empty() => Ok(None),
        Ok(url) => Ok(Some(url)),
        Err(
            spin_sdk::variables::Error::Undefined(_) | spin_sdk::variables::Error::InvalidName(_),
        ) => Ok(None),
        Err(e) => Err(anyhow::anyhow!("reading variable database_url: {e}")),
    }
}

/// The component's `default` SQLite database.
struct SpinSqlite;

async fn run(conn: &sqlite::Connection, sql: &str, params: &[Value]) -> anyhow::Result<Vec<Row>> {
    let params = params.iter().map(|p| match p {
        Value::Null => sqlite::Value::Null,
        Value::Integer(i) => sqlite::Value::Integer(*i),
        Value::Real(f) => sqlite::Value::Real(*f),
        Value::Text(s) => sqlite::Value::Text(s.clone()),
    });
    let result = conn
        .execute(sql, params)
        .await
        .with_context(|| format!("executing {sql}"))?;
    let rows = result
        .collect()
        .await
        .with_context(|| format!("executing {sql}"))?;
    Ok(rows
        .into_iter()
        .map(|row| {
            Row(row
                .values
                .into_iter()
                .map(|v| match v {
                    sqlite::Value::Null => Value::Null,
                    sqlite::Value::Integer(i) => Value::Integer(i),
                    sqlite::Value::Real(f) => Value::Real(f),
                    sqlite::Value::Text(s) => Value::Text(s),
                    sqlite::Value::Blob(b) => Value::Text(String::from_utf8_lossy(&b).into_owned()),
                })
                .collect())
        })
        .collect())
}

#[async_trait]
impl Database for SpinSqlite {
    fn dialect(&self) -> Dialect {
        Dialect::Sqlite
    }

    async fn query(&self, sql: &str, params: &[Value]) -> anyhow::Result<Vec<Row>> {
        let conn = sqlite::Connection::open_default()
            .await
            .context("opening SQLite")?;
        run(&conn, sql, params).await
    }

    async fn begin(&self) -> anyhow::Result<Box<dyn Transaction>> {
        let conn = sqlite::Connection::open_default()
            .await
            .context("opening SQLite")?;
        for statement in Dialect::Sqlite.begin() {
            run(&conn, statement, &[]).await?;
        }
        Ok(Box::new(SpinTx { conn }))
    }
}

/// A transaction on its own connection; dropping the connection uncommitted
/// rolls it back (SQLite closes an open transaction with a rollback).
struct SpinTx {
    conn: sqlite::Connection,
}

#[async_trait]
impl Executor for SpinTx {
    async fn query(&mut self, sql: &str, params: &[Value]) -> anyhow::Result<Vec<Row>> {
        run(&self.conn, sql, params).await
    }
}

#[async_trait]
impl Transaction for SpinTx {
    async fn commit(self: Box<Self>) -> anyhow::Result<()> {
        run(&self.conn, "COMMIT", &[]).await.map(drop)
    }
}

/// Postgres through Spin's `pg` interface: one connection for the request
/// (an instance serves one), the statements rewritten by the same
/// [`Dialect`] as the native host's. A transaction dropped without commit
/// (an error answer) is rolled back before the connection runs anything
/// else, and at the latest when the request ends ([`SpinPostgres::settle`]).
struct SpinPostgres {
    conn: pg::Connection,
    rollback_owed: AtomicBool,
}

impl SpinPostgres {
    async fn open(url: &str) -> anyhow::Result<Self> {
        let conn = pg::Connection::open(url)
            .await
            .map_err(|e| anyhow::anyhow!("connecting to Postgres: {e:?}"))?;
        Ok(Self {
            conn,
            rollback_owed: AtomicBool::new(false),
        })
    }

    async fn run(&self, sql: &str, params: &[Value]) -> anyhow::Result<Vec<Row>> {
        self.settle().await?;
        run_pg(&self.conn, sql, params).await
    }

    /// Rolls back a transaction dropped uncommitted.
    async fn settle(&self) -> anyhow::Result<()> {
        if self.rollback_owed.swap(false, Ordering::AcqRel) {
            run_pg(&self.conn, "ROLLBACK", &[]).await?;
        }
        Ok(())
    }
}

async fn run_pg(conn: &pg::Connection, sql: &str, params: &[Value]) -> anyhow::Result<Vec<Row>> {
    let params: Vec<pg::ParameterValue> = params
        .iter()
        .map(|p| match p {
            Value::Null => pg::ParameterValue::DbNull,
            Value::Integer(i) => pg::ParameterValue::Int64(*i),
            Value::Real(f) => pg::ParameterValue::Floating64(*f),
            Value::Text(s) => pg::ParameterValue::Str(s.clone()),
        })
        .collect();
    let statement = Dialect::Postgres.statement(sql).into_owned();
    let result = conn
        .query(statement, params)
        .await
        .map_err(|e| anyhow::anyhow!("executing {sql}: {e:?}"))?;
    let width = result.columns().len();
    let rows = result
        .collect()
        .await
        .map_err(|e| anyhow::anyhow!("executing {sql}: {e:?}"))?;
    rows.into_iter()
        .map(|row| {
            let values: anyhow::Result<Vec<Value>> =
                (0..width).map(|i| pg_value(&row[i])).collect();
            values.map(Row)
        })
        .collect()
}

/// Postgres' values as the port carries them (the native adapter's rules:
/// integers and booleans as integers, whole decimals as integers).
fn pg_value(value: &pg::DbValue) -> anyhow::Result<Value> {
    Ok(match value {
        pg::DbValue::DbNull => Value::Null,
        pg::DbValue::Boolean(b) => Value::Integer(i64::from(*b)),
        pg::DbValue::Int8(i) => Value::Integer(i64::from(*i)),
        pg::DbValue::Int16(i) => Value::Integer(i64::from(*i)),
        pg::DbValue::Int32(i) => Value::Integer(i64::from(*i)),
        pg::DbValue::Int64(i) => Value::Integer(*i),
        pg::DbValue::Floating32(f) => Value::Real(f64::from(*f)),
        pg::DbValue::Floating64(f) => Value::Real(*f),
        pg::DbValue::Str(s) => Value::Text(s.clone()),
        pg::DbValue::Decimal(d) => match d.parse::<i64>() {
            Ok(whole) => Value::Integer(whole),
            Err(_) => match d.trim_end_matches('0').trim_end_matches('.').parse::<i64>() {
                Ok(whole) => Value::Integer(whole),
                Err(_) => Value::Real(d.parse().with_context(|| format!("decimal {d}"))?),
            },
        },
        other => anyhow::bail!("a Postgres value the port does not carry: {other:?}"),
    })
}

/// The request's Postgres connection, shared by its autocommit reads and
/// its transactions (one at a time: an instance serves one request).
#[derive(Clone)]
struct SpinPg(Arc<SpinPostgres>);

#[async_trait]
impl Database for SpinPg {
    fn dialect(&self) -> Dialect {
        Dialect::Postgres
    }

    async fn query(&self, sql: &str, params: &[Value]) -> anyhow::Result<Vec<Row>> {
        self.0.run(sql, params).await
    }

    async fn begin(&self) -> anyhow::Result<Box<dyn Transaction>> {
        for statement in Dialect::Postgres.begin() {
            self.0.run(statement, &[]).await?;
        }
        Ok(Box::new(SpinPgTx {
            db: Arc::clone(&self.0),
            done: false,
        }))
    }
}

/// A transaction on the request's connection.
struct SpinPgTx {
    db: Arc<SpinPostgres>,
    done: bool,
}

#[async_trait]
impl Executor for SpinPgTx {
    async fn query(&mut self, sql: &str, params: &[Value]) -> anyhow::Result<Vec<Row>> {
        run_pg(&self.db.conn, sql, params).await
    }
}

#[async_trait]
impl Transaction for SpinPgTx {
    async fn commit(mut self: Box<Self>) -> anyhow::Result<()> {
        self.done = true;
        if let Err(e) = run_pg(&self.db.conn, "COMMIT", &[]).await {
            self.db.rollback_owed.store(true, Ordering::Release);
            return Err(e);
        }
        Ok(())
    }
}

impl Drop for SpinPgTx {
    fn drop(&mut self) {
        if !self.done {
            self.db.rollback_owed.store(true, Ordering::Release);
        }
    }
}
/// Outbound HTTP through Spin (only to `allowed_outbound_hosts`).
struct SpinHttp;

#[async_trait]
impl HttpClient for SpinHttp {
    async fn send(&self, request: OutboundRequest) -> anyhow::Result<OutboundResponse> {
        let mut builder = http::Request::builder()
            .method(request.method)
            .uri(&request.url);
        for (name, value) in &request.headers {
            builder = builder.header(*name, value.as_str());
        }
        let outbound = builder
            .body(http_body_util::Full::new(bytes::Bytes::from(request.body)))
            .context("building the outbound request")?;
        let response = spin_sdk::http::send(outbound)
            .await
            .map_err(|e| anyhow::anyhow!("sending to {}: {e:?}", request.url))?;
        let status = response.status().as_u16();
        let body = response
            .into_body()
            .collect()
            .await
            .map_err(|e| anyhow::anyhow!("reading the response from {}: {e:?}", request.url))?
            .to_bytes()
            .to_vec();
        Ok(OutboundResponse { status, body })
    }
}
