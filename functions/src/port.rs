//! The host port: everything the functions need from whoever runs them.
//!
//! Two adapters implement it: Spin (`comptoir-spin-host`, spin-sdk SQLite and
//! variables) and native (`comptoir-host`, sqlx SQLite and environment). The
//! contexts only ever see [`Host`].

use std::sync::Arc;

use anyhow::{Context as _, anyhow};
use async_trait::async_trait;

use crate::config::Config;

/// What a request handler is given: database, configuration, clock,
/// outbound HTTP.
#[derive(Clone)]
pub struct Host {
    /// The shop's database.
    pub db: Arc<dyn Database>,
    /// Outbound HTTP (payment provider APIs).
    pub http: Arc<dyn HttpClient>,
    /// Configuration and secrets, already parsed.
    pub config: Arc<Config>,
    /// Wall clock (replaceable in tests).
    pub clock: Arc<dyn Clock>,
    /// Where CPU-heavy work (password hashing) runs.
    pub cpu: Arc<dyn Cpu>,
    /// Where append-only rows (the audience beacon's events) are written:
    /// at once under Spin, batched by a writer task on the native host.
    pub appender: Arc<dyn Appender>,
    /// The audience salt of the day, kept in memory between requests.
    pub day_secret: Arc<DaySecret>,
}

/// A SQL parameter or column value (SQLite's storage classes).
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// SQL NULL.
    Null,
    /// 64-bit integer.
    Integer(i64),
    /// Double.
    Real(f64),
    /// UTF-8 text.
    Text(String),
}

impl From<i64> for Value {
    fn from(v: i64) -> Self {
        Self::Integer(v)
    }
}
impl From<u32> for Value {
    fn from(v: u32) -> Self {
        Self::Integer(i64::from(v))
    }
}
impl From<bool> for Value {
    fn from(v: bool) -> Self {
        Self::Integer(i64::from(v))
    }
}
impl From<&str> for Value {
    fn from(v: &str) -> Self {
        Self::Text(v.to_owned())
    }
}
impl From<String> for Value {
    fn from(v: String) -> Self {
        Self::Text(v)
    }
}
impl From<&String> for Value {
    fn from(v: &String) -> Self {
        Self::Text(v.clone())
    }
}
impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Self {
        v.map_or(Self::Null, Into::into)
    }
}

/// Builds a parameter slice: `params![sku.as_str(), qty]`.
#[macro_export]
macro_rules! params {
    ($($v:expr),* $(,)?) => { &[$($crate::port::Value::from($v)),*][..] };
}

/// One result row; columns by position, in `SELECT` order.
#[derive(Debug, Clone, PartialEq)]
pub struct Row(pub Vec<Value>);

impl Row {
    fn at(&self, i: usize) -> anyhow::Result<&Value> {
        self.0.get(i).ok_or_else(|| anyhow!("no column {i}"))
    }

    /// Integer column `i`.
    pub fn int(&self, i: usize) -> anyhow::Result<i64> {
        match self.at(i)? {
            Value::Integer(v) => Ok(*v),
            other => Err(anyhow!("column {i} is {other:?}, not an integer")),
        }
    }

    /// Nullable integer column `i`.
    pub fn opt_int(&self, i: usize) -> anyhow::Result<Option<i64>> {
        match self.at(i)? {
            Value::Null => Ok(None),
            _ => self.int(i).map(Some),
        }
    }

    /// Text column `i`.
    pub fn text(&self, i: usize) -> anyhow::Result<&str> {
        match self.at(i)? {
            Value::Text(v) => Ok(v),
            other => Err(anyhow!("column {i} is {other:?}, not text")),
        }
    }

    /// Nullable text column `i`.
    pub fn opt_text(&self, i: usize) -> anyhow::Result<Option<&str>> {
        match self.at(i)? {
            Value::Null => Ok(None),
            _ => self.text(i).map(Some),
        }
    }

    /// Text column `i` parsed into a contract type.
    pub fn parse<T>(
        &self,
        i: usize,
        parse: impl FnOnce(&str) -> Result<T, comptoir_shared::ValidationError>,
    ) -> anyhow::Result<T> {
        let raw = self.text(i)?;
        parse(raw).with_context(|| format!("stored value {raw:?} in column {i}"))
    }
}

/// Runs SQL. Implemented by a transaction and by [`Database::auto`].
#[async_trait]
pub trait Executor: Send {
    /// Runs one statement and returns its rows (`RETURNING` included).
    async fn query(&mut self, sql: &str, params: &[Value]) -> anyhow::Result<Vec<Row>>;

    /// Runs one statement expected to return at most one row.
    async fn optional(&mut self, sql: &str, params: &[Value]) -> anyhow::Result<Option<Row>> {
        Ok(self.query(sql, params).await?.into_iter().next())
    }

    /// Runs one statement expected to return exactly one row.
    async fn one(&mut self, sql: &str, params: &[Value]) -> anyhow::Result<Row> {
        self.optional(sql, params)
            .await?
            .ok_or_else(|| anyhow!("expected a row from: {sql}"))
    }
}

/// A write transaction. Dropping it without [`Transaction::commit`] rolls back.
#[async_trait]
pub trait Transaction: Executor {
    /// Makes every statement of the transaction durable.
    async fn commit(self: Box<Self>) -> anyhow::Result<()>;
}

/// The database. SQLite semantics on every store: `begin` takes the write
/// lock up front (`Dialect::begin`), so a transaction never fails half-way on
/// a lock upgrade and sees every earlier writer's commit.
#[async_trait]
pub trait Database: Send + Sync {
    /// The SQL dialect the store speaks (the adapter rewrites statements
    /// with it; migrations and a few tools ask).
    fn dialect(&self) -> crate::dialect::Dialect;

    /// Runs one statement in autocommit mode.
    async fn query(&self, sql: &str, params: &[Value]) -> anyhow::Result<Vec<Row>>;

    /// Starts a write transaction.
    async fn begin(&self) -> anyhow::Result<Box<dyn Transaction>>;
}

/// An [`Executor`] over autocommit statements, for reads outside a transaction.
pub struct AutoCommit<'a>(pub &'a dyn Database);

#[async_trait]
impl Executor for AutoCommit<'_> {
    async fn query(&mut self, sql: &str, params: &[Value]) -> anyhow::Result<Vec<Row>> {
        self.0.query(sql, params).await
    }
}

impl dyn Database + '_ {
    /// Autocommit executor: `catalog::load(&mut host.db.auto(), …)`.
    pub fn auto(&self) -> AutoCommit<'_> {
        AutoCommit(self)
    }
}

/// An outbound HTTP request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboundRequest {
    /// `GET`, `POST`, …
    pub method: &'static str,
    /// Absolute URL.
    pub url: String,
    /// Header names and values.
    pub headers: Vec<(&'static str, String)>,
    /// Body bytes.
    pub body: Vec<u8>,
}

/// An outbound HTTP response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboundResponse {
    /// Status code.
    pub status: u16,
    /// Body bytes.
    pub body: Vec<u8>,
}

/// Sends HTTP requests to the outside world (Spin: `wasi:http` outbound,
/// limited by `allowed_outbound_hosts`; native: an HTTP client).
#[async_trait]
pub trait HttpClient: Send + Sync {
    /// Sends `request` and reads the whole response.
    async fn send(&self, request: OutboundRequest) -> anyhow::Result<OutboundResponse>;
}

/// Runs CPU-heavy work where it cannot stall other requests: the native
/// host on a bounded pool of blocking threads (so the async executor keeps
/// serving), Spin in the request's own instance (one request per instance).
#[async_trait]
pub trait Cpu: Send + Sync {
    /// Runs `job` to completion.
    async fn run(&self, job: Box<dyn FnOnce() + Send + 'static>) -> anyhow::Result<()>;
}

/// Writes append-only rows that nobody reads back at once (the audience
/// beacon's events), so a host may batch them: the native host queues them
/// for a writer task that inserts many per transaction (a bounded queue: a
/// full one makes the caller wait, never drops a row); under Spin, where no
/// task outlives the request, [`Immediate`] runs each at once.
#[async_trait]
pub trait Appender: Send + Sync {
    /// Appends one row to `table`, its values in the order of the table's
    /// columns; when this returns, the row is written or queued to be
    /// written shortly.
    async fn append(&self, table: &'static AppendTable, row: Vec<Value>) -> anyhow::Result<()>;

    /// Waits until every row appended before this call is written.
    async fn flush(&self) -> anyhow::Result<()>;
}

/// A table rows are appended to: its name and the columns each row fills.
#[derive(Debug, PartialEq, Eq)]
pub struct AppendTable {
    /// The table's name.
    pub name: &'static str,
    /// The columns, in the order of a row's values.
    pub columns: &'static [&'static str],
}

impl AppendTable {
    /// The `INSERT` of `rows` rows in one statement, the parameters in
    /// order row after row. Anonymous placeholders (`(?, ?), (?, ?)`): a
    /// driver binds them by position, where a numbered one (`?7`) costs
    /// SQLite's bind-by-name a search through every name before it.
    pub fn insert(&self, rows: usize) -> String {
        let row = format!("({})", vec!["?"; self.columns.len()].join(", "));
        format!(
            "INSERT INTO {} ({}) VALUES {}",
            self.name,
            self.columns.join(", "),
            vec![row; rows].join(", ")
        )
    }
}

/// The [`Appender`] that inserts each row at once.
pub struct Immediate(pub Arc<dyn Database>);

#[async_trait]
impl Appender for Immediate {
    async fn append(&self, table: &'static AppendTable, row: Vec<Value>) -> anyhow::Result<()> {
        self.0.query(&table.insert(1), &row).await.map(drop)
    }

    async fn flush(&self) -> anyhow::Result<()> {
        Ok(())
    }
}

/// A secret that lives one UTC day (the audience salt), kept in memory
/// between requests by a host that outlives them (the native host); under
/// Spin each request starts with none and reads the store.
#[derive(Default)]
pub struct DaySecret(std::sync::Mutex<Option<(i64, String)>>);

impl DaySecret {
    /// The secret of `day`, if the one held is that day's.
    pub fn get(&self, day: i64) -> Option<String> {
        let held = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        held.as_ref()
            .filter(|(d, _)| *d == day)
            .map(|(_, s)| s.clone())
    }

    /// Holds `secret` as `day`'s.
    pub fn set(&self, day: i64, secret: String) {
        *self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some((day, secret));
    }

    /// Forgets the secret held if it is of a day before `day`.
    pub fn forget_before(&self, day: i64) {
        let mut held = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if held.as_ref().is_some_and(|(d, _)| *d < day) {
            *held = None;
        }
    }
}

/// A [`Cpu`]'s refusal when too much work is queued already: the caller
/// answers "try again in a moment" rather than queueing without bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overloaded;

impl std::fmt::Display for Overloaded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("too much CPU work queued")
    }
}

impl std::error::Error for Overloaded {}

/// Runs `job` on `cpu` and returns what it computed.
pub async fn offload<T: Send + 'static>(
    cpu: &dyn Cpu,
    job: impl FnOnce() -> T + Send + 'static,
) -> anyhow::Result<T> {
    let slot = Arc::new(std::sync::Mutex::new(None));
    let out = Arc::clone(&slot);
    cpu.run(Box::new(move || {
        let value = job();
        if let Ok(mut out) = out.lock() {
            *out = Some(value);
        }
    }))
    .await?;
    let value = slot.lock().ok().and_then(|mut slot| slot.take());
    value.context("the offloaded job returned nothing")
}

/// Runs jobs right where they are asked for: Spin (an instance serves one
/// request) and tests.
pub struct InPlace;

#[async_trait]
impl Cpu for InPlace {
    async fn run(&self, job: Box<dyn FnOnce() + Send + 'static>) -> anyhow::Result<()> {
        job();
        Ok(())
    }
}

/// The time, as unix milliseconds.
pub trait Clock: Send + Sync {
    /// Now.
    fn now_ms(&self) -> i64;
}

/// The real clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now_ms(&self) -> i64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
    }
}

/// A fresh 128-bit random id (uuid v4 bits) as 32 lower-case hex digits.
pub fn new_id() -> comptoir_shared::ids::OpaqueId {
    comptoir_shared::ids::OpaqueId::from_u128(uuid::Uuid::new_v4().as_u128())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_append_binds_by_position_and_postgres_numbers_its_placeholders_in_order() {
        static T: AppendTable = AppendTable {
            name: "t",
            columns: &["a", "b"],
        };
        let sql = T.insert(2);
        assert_eq!(sql, "INSERT INTO t (a, b) VALUES (?, ?), (?, ?)");
        assert_eq!(
            crate::dialect::Dialect::Postgres.statement(&sql),
            "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)"
        );
    }
}
