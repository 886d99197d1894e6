//! The native adapter of the database port: sqlx over SQLite (one file in
//! WAL mode, the embedded default) or Postgres (the store several instances
//! share). Statements are rewritten for the store by its
//! [`Dialect`](comptoir_functions::dialect::Dialect), the one place dialects
//! differ.

use std::path::{Path, PathBuf};
use std::str::FromStr as _;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use anyhow::Context as _;
use async_trait::async_trait;
use comptoir_functions::dialect::Dialect;
use comptoir_functions::port::{Database, Executor, Row, Transaction, Value};
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions, PgRow, PgTypeInfo, types::Oid};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{PgPool, Postgres, Row as _, Sqlite, SqlitePool, TypeInfo as _, ValueRef as _};
use tokio::sync::{Mutex, OwnedMutexGuard};

/// Where the shop keeps its data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Store {
    /// A SQLite file (created if missing).
    Sqlite(PathBuf),
    /// A Postgres database, by its `postgres://` URL.
    Postgres(String),
}

impl Store {
    /// Postgres when `url` is set (`database_url`), else the SQLite `file`.
    pub fn choose(url: Option<&str>, file: &Path) -> anyhow::Result<Self> {
        match url.map(str::trim).filter(|u| !u.is_empty()) {
            None => Ok(Self::Sqlite(file.to_path_buf())),
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                Ok(Self::Postgres(url.to_owned()))
            }
            Some(_) => anyhow::bail!("database_url must be a postgres:// URL"),
        }
    }
}

/// A pool of connections to the shop's store, counting the statements it
/// runs (each one host call under Spin).
///
/// SQLite lets one connection write at a time; a connection that finds the
/// file locked sleeps in SQLite's busy handler (1, 2, 5 … 100 ms) and
/// retries, so under many writers the lock sits free while they sleep. The
/// writers of this process therefore take turns on an async mutex (first
/// come, first served) before `BEGIN IMMEDIATE` or an autocommit write, and
/// SQLite's busy handler is left to other processes (the copy tool, a
/// second host on the same file). The write-ahead log is checkpointed
/// beside the writers ([`Checkpoints`]), not by whichever writer's commit
/// crosses SQLite's threshold while it holds the turn.
pub struct NativeStore {
    pool: Pool,
    statements: Arc<AtomicU64>,
    /// SQLite's checkpointing task, stopped with the store.
    _checkpoints: Option<Checkpoints>,
}

enum Pool {
    Sqlite(SqlitePool, Arc<Mutex<()>>),
    Postgres(PgPool),
}

/// How long a writer waits for its turn at most, as SQLite's busy timeout.
const WRITE_QUEUE: Duration = Duration::from_secs(10);

/// Waits for this process's turn to write to SQLite.
async fn write_turn(queue: &Arc<Mutex<()>>) -> anyhow::Result<OwnedMutexGuard<()>> {
    tokio::time::timeout(WRITE_QUEUE, Arc::clone(queue).lock_owned())
        .await
        .context("waited 10 s for the SQLite write lock")
}

/// Whether `sql` only reads (it may run beside a writer in WAL mode). A
/// write taken for a read would wait in the queue (and a read inside a task
/// that holds a transaction would wait for itself), so only statements that
/// cannot write skip the queue.
fn reads_only(sql: &str) -> bool {
    let head = sql.trim_start();
    // Not `WITH`: a common table expression may lead to an `INSERT`.
    ["SELECT", "PRAGMA", "EXPLAIN"].iter().any(|word| {
        head.get(..word.len())
            .is_some_and(|h| h.eq_ignore_ascii_case(word))
    })
}

impl NativeStore {
    /// Connects to `store` (creating a SQLite file if needed).
    pub async fn open(store: &Store) -> anyhow::Result<Self> {
        Self::counting(store, Arc::default()).await
    }

    /// Connects to `store`, adding every statement run to `statements`.
    pub async fn counting(store: &Store, statements: Arc<AtomicU64>) -> anyhow::Result<Self> {
        let pool = match store {
            Store::Sqlite(path) => Pool::Sqlite(open_sqlite(path).await?, Arc::default()),
            Store::Postgres(url) => {
                let options = PgConnectOptions::from_str(url).context("parsing database_url")?;
                Pool::Postgres(
                    PgPoolOptions::new()
                        .max_connections(16)
                        .acquire_timeout(Duration::from_secs(10))
                        .connect_with(options)
                        .await
                        .context("connecting to Postgres")?,
                )
            }
        };
        let checkpoints = match &pool {
            Pool::Sqlite(sqlite, _) => Some(Checkpoints::start(sqlite.clone())),
            Pool::Postgres(_) => None,
        };
        Ok(Self {
            pool,
            statements,
            _checkpoints: checkpoints,
        })
    }
}

/// How often the write-ahead log is checkpointed beside the writers.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(250);

/// The task that checkpoints a SQLite store's write-ahead log every
/// [`CHECKPOINT_EVERY`] (`PASSIVE`: it copies what no reader still needs
/// into the database file and waits for nobody), so that the log stays
/// short and the commits of writers holding the turn rarely find it past
/// SQLite's automatic threshold (1 000 pages), whose checkpoint — copying
/// and syncing the log — they would run themselves. The automatic one stays
/// as the safety net. Stopped with the store.
struct Checkpoints(tokio::task::AbortHandle);

impl Checkpoints {
    fn start(pool: SqlitePool) -> Self {
        let task = tokio::spawn(async move {
            let mut every = tokio::time::interval(CHECKPOINT_EVERY);
            every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                every.tick().await;
                if let Err(e) = sqlx::raw_sql("PRAGMA wal_checkpoint(PASSIVE)")
                    .execute(&pool)
                    .await
                {
                    tracing::warn!(error = %e, "checkpointing the write-ahead log");
                }
            }
        });
        Self(task.abort_handle())
    }
}

impl Drop for Checkpoints {
    fn drop(&mut self) {
        self.0.abort();
    }
}

async fn open_sqlite(path: &Path) -> anyhow::Result<SqlitePool> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("creating {}", parent.display()))?;
    }
    let options = SqliteConnectOptions::from_str("sqlite:")?
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(Duration::from_secs(10));
    SqlitePoolOptions::new()
        .max_connections(8)
        // A connection to a local file does not go stale: pinging it before
        // each use would only add a round trip to its worker thread (inside
        // the write turn, for a writer).
        .test_before_acquire(false)
        .connect_with(options)
        .await
        .with_context(|| format!("opening {}", path.display()))
}

async fn run_sqlite<'c, E>(executor: E, sql: &str, params: &[Value]) -> anyhow::Result<Vec<Row>>
where
    E: sqlx::Executor<'c, Database = Sqlite>,
{
    // The SQL text is the functions' own constant; values only ever come as binds.
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql.to_owned()));
    for param in params {
        query = match param {
            Value::Null => query.bind(None::<i64>),
            Value::Integer(i) => query.bind(*i),
            Value::Real(f) => query.bind(*f),
            Value::Text(s) => query.bind(s.clone()),
        };
    }
    let rows = query
        .fetch_all(executor)
        .await
        .with_context(|| format!("executing {sql}"))?;
    rows.iter().map(sqlite_row).collect()
}

fn sqlite_row(row: &SqliteRow) -> anyhow::Result<Row> {
    let values: anyhow::Result<Vec<Value>> = (0..row.len())
        .map(|i| {
            let raw = row.try_get_raw(i)?;
            if raw.is_null() {
                return Ok(Value::Null);
            }
            let kind = raw.type_info().name().to_owned();
            Ok(match kind.as_str() {
                "INTEGER" | "BOOLEAN" => Value::Integer(row.try_get_unchecked(i)?),
                "REAL" | "NUMERIC" => Value::Real(row.try_get_unchecked(i)?),
                _ => Value::Text(row.try_get_unchecked(i)?),
            })
        })
        .collect();
    values.map(Row)
}

/// A NULL whose type Postgres infers from where it is used (parameter type
/// 0, "unspecified"), as SQLite's untyped NULL goes anywhere.
struct UntypedNull;

impl sqlx::Type<Postgres> for UntypedNull {
    fn type_info() -> PgTypeInfo {
        PgTypeInfo::with_oid(Oid(0))
    }
}

impl sqlx::Encode<'_, Postgres> for UntypedNull {
    fn encode_by_ref(
        &self,
        _: &mut sqlx::postgres::PgArgumentBuffer,
    ) -> Result<sqlx::encode::IsNull, sqlx::error::BoxDynError> {
        Ok(sqlx::encode::IsNull::Yes)
    }
}

async fn run_postgres<'c, E>(executor: E, sql: &str, params: &[Value]) -> anyhow::Result<Vec<Row>>
where
    E: sqlx::Executor<'c, Database = Postgres>,
{
    let text = Dialect::Postgres.statement(sql).into_owned();
    let mut query = sqlx::query(sqlx::AssertSqlSafe(text));
    for param in params {
        query = match param {
            Value::Null => query.bind(UntypedNull),
            Value::Integer(i) => query.bind(*i),
            Value::Real(f) => query.bind(*f),
            Value::Text(s) => query.bind(s.clone()),
        };
    }
    let rows = query
        .fetch_all(executor)
        .await
        .with_context(|| format!("executing {sql}"))?;
    rows.iter().map(postgres_row).collect()
}

/// Postgres' types back to the port's values: integers of every width and
/// booleans as integers (SQLite's 0/1), `NUMERIC` (what `SUM` of integers
/// gives) as an integer when whole.
fn postgres_row(row: &PgRow) -> anyhow::Result<Row> {
    let values: anyhow::Result<Vec<Value>> = (0..row.len())
        .map(|i| {
            let raw = row.try_get_raw(i)?;
            if raw.is_null() {
                return Ok(Value::Null);
            }
            let kind = raw.type_info().name().to_owned();
            Ok(match kind.as_str() {
                // What `pg_advisory_xact_lock` returns.
                "VOID" => Value::Null,
                "INT8" => Value::Integer(row.try_get::<i64, _>(i)?),
                "INT4" => Value::Integer(i64::from(row.try_get::<i32, _>(i)?)),
                "INT2" => Value::Integer(i64::from(row.try_get::<i16, _>(i)?)),
                "BOOL" => Value::Integer(i64::from(row.try_get::<bool, _>(i)?)),
                "FLOAT8" => Value::Real(row.try_get::<f64, _>(i)?),
                "FLOAT4" => Value::Real(f64::from(row.try_get::<f32, _>(i)?)),
                "NUMERIC" => {
                    use rust_decimal::prelude::ToPrimitive as _;
                    let n: rust_decimal::Decimal = row.try_get(i)?;
                    match (n.fract().is_zero(), n.to_i64()) {
                        (true, Some(whole)) => Value::Integer(whole),
                        _ => Value::Real(n.to_f64().context("a NUMERIC out of range")?),
                    }
                }
                "TEXT" | "VARCHAR" | "BPCHAR" | "NAME" | "UNKNOWN" => {
                    Value::Text(row.try_get::<String, _>(i)?)
                }
                other => {
                    anyhow::bail!("column {i} has type {other}, which the port does not carry")
                }
            })
        })
        .collect();
    values.map(Row)
}

#[async_trait]
impl Database for NativeStore {
    fn dialect(&self) -> Dialect {
        match self.pool {
            Pool::Sqlite(..) => Dialect::Sqlite,
            Pool::Postgres(_) => Dialect::Postgres,
        }
    }

    async fn query(&self, sql: &str, params: &[Value]) -> anyhow::Result<Vec<Row>> {
        self.statements.fetch_add(1, Ordering::Relaxed);
        match &self.pool {
            Pool::Sqlite(pool, _) if reads_only(sql) => run_sqlite(pool, sql, params).await,
            Pool::Sqlite(pool, queue) => {
                let _turn = write_turn(queue).await?;
                run_sqlite(pool, sql, params).await
            }
            Pool::Postgres(pool) => run_postgres(pool, sql, params).await,
        }
    }

    async fn begin(&self) -> anyhow::Result<Box<dyn Transaction>> {
        let mut tx = match &self.pool {
            Pool::Sqlite(pool, queue) => {
                // The turn first, then a connection: writers waiting their
                // turn hold no connection the readers need.
                let turn = write_turn(queue).await?;
                NativeTx {
                    conn: Some(Conn::Sqlite(
                        pool.acquire().await.context("acquiring a connection")?,
                    )),
                    statements: Arc::clone(&self.statements),
                    turn: Some(turn),
                }
            }
            Pool::Postgres(pool) => NativeTx {
                conn: Some(Conn::Postgres(
                    pool.acquire().await.context("acquiring a connection")?,
                )),
                statements: Arc::clone(&self.statements),
                turn: None,
            },
        };
        for statement in self.dialect().begin() {
            tx.query(statement, &[]).await?;
        }
        Ok(Box::new(tx))
    }
}

enum Conn {
    Sqlite(PoolConnection<Sqlite>),
    Postgres(PoolConnection<Postgres>),
}

/// A transaction holding its pooled connection (and, on SQLite, the
/// process's turn to write until it ends).
struct NativeTx {
    conn: Option<Conn>,
    statements: Arc<AtomicU64>,
    turn: Option<OwnedMutexGuard<()>>,
}

#[async_trait]
impl Executor for NativeTx {
    async fn query(&mut self, sql: &str, params: &[Value]) -> anyhow::Result<Vec<Row>> {
        self.statements.fetch_add(1, Ordering::Relaxed);
        match self.conn.as_mut().context("transaction already finished")? {
            Conn::Sqlite(conn) => run_sqlite(&mut **conn, sql, params).await,
            Conn::Postgres(conn) => run_postgres(&mut **conn, sql, params).await,
        }
    }
}

#[async_trait]
impl Transaction for NativeTx {
    async fn commit(mut self: Box<Self>) -> anyhow::Result<()> {
        self.statements.fetch_add(1, Ordering::Relaxed);
        let conn = self.conn.take().context("transaction already finished")?;
        // Never hand a connection with an open transaction back to the pool.
        match conn {
            Conn::Sqlite(mut conn) => {
                let committed = run_sqlite(&mut *conn, "COMMIT", &[]).await.map(drop);
                if committed.is_err() {
                    conn.close_on_drop();
                }
                committed
            }
            Conn::Postgres(mut conn) => {
                let committed = run_postgres(&mut *conn, "COMMIT", &[]).await.map(drop);
                if committed.is_err() {
                    conn.close_on_drop();
                }
                committed
            }
        }
    }
}

impl Drop for NativeTx {
    fn drop(&mut self) {
        // Not committed: roll back before the connection goes back to the pool.
        match self.conn.take() {
            None => {}
            Some(Conn::Sqlite(mut conn)) => {
                // The turn is given back once the rollback is done.
                let turn = self.turn.take();
                tokio::spawn(async move {
                    if sqlx::raw_sql("ROLLBACK").execute(&mut *conn).await.is_err() {
                        conn.close_on_drop();
                    }
                    drop(turn);
                });
            }
            Some(Conn::Postgres(mut conn)) => {
                tokio::spawn(async move {
                    if sqlx::raw_sql("ROLLBACK").execute(&mut *conn).await.is_err() {
                        conn.close_on_drop();
                    }
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_statements_that_cannot_write_skip_the_write_queue() {
        for read in ["SELECT 1", "  select * from orders", "PRAGMA journal_mode"] {
            assert!(reads_only(read), "{read}");
        }
        for write in [
            "INSERT INTO t VALUES (1)",
            "UPDATE t SET a = 1",
            "DELETE FROM t",
            "BEGIN IMMEDIATE",
            "WITH t AS (SELECT 1) INSERT INTO u SELECT * FROM t",
            "CREATE TABLE t (a)",
            "SEL",
        ] {
            assert!(!reads_only(write), "{write}");
        }
    }

    /// 40 concurrent transactions of one process, each a read-modify-write,
    /// all get their turn (none waits for ever or times out: the turn is
    /// given back on commit) and none is lost. (That the turn replaces the
    /// busy handler's sleeps shows in the benchmark, not here.)
    #[tokio::test]
    async fn concurrent_transactions_take_turns_and_lose_nothing() -> anyhow::Result<()> {
        let dir = std::env::temp_dir().join(format!("comptoir-turns-{}", std::process::id()));
        let store = Arc::new(NativeStore::open(&Store::Sqlite(dir.join("t.db"))).await?);
        store
            .query(
                "CREATE TABLE IF NOT EXISTS counter (n INTEGER NOT NULL)",
                &[],
            )
            .await?;
        store.query("DELETE FROM counter", &[]).await?;
        store
            .query("INSERT INTO counter (n) VALUES (0)", &[])
            .await?;
        let writers: Vec<_> = (0..40)
            .map(|_| {
                let store = Arc::clone(&store);
                tokio::spawn(async move {
                    let mut tx = store.begin().await?;
                    let n = tx.query("SELECT n FROM counter", &[]).await?[0].int(0)?;
                    tokio::task::yield_now().await;
                    tx.query("UPDATE counter SET n = ?1", &[Value::Integer(n + 1)])
                        .await?;
                    tx.commit().await
                })
            })
            .collect();
        for writer in writers {
            writer.await??;
        }
        let n = store.query("SELECT n FROM counter", &[]).await?[0].int(0)?;
        assert_eq!(n, 40);
        let _ = std::fs::remove_dir_all(dir);
        Ok(())
    }

    /// The log is checkpointed beside the writers: after a pause, the next
    /// writes start the log over instead of growing it (SQLite's own
    /// checkpoint would wait for 1 000 pages; these bursts stay under it).
    #[tokio::test]
    async fn the_write_ahead_log_is_checkpointed_beside_the_writers() -> anyhow::Result<()> {
        let dir = std::env::temp_dir().join(format!("comptoir-wal-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let store = NativeStore::open(&Store::Sqlite(dir.join("t.db"))).await?;
        store
            .query("CREATE TABLE pages (body TEXT NOT NULL)", &[])
            .await?;
        let wal = dir.join("t.db-wal");
        let mut sizes = Vec::new();
        for _ in 0..3 {
            // About 300 pages of 4 KiB (each commit of a 3 500-byte row
            // writes about three).
            for _ in 0..100 {
                store
                    .query(
                        "INSERT INTO pages (body) VALUES (?1)",
                        &[Value::Text("x".repeat(3500))],
                    )
                    .await?;
            }
            sizes.push(std::fs::metadata(&wal)?.len());
            tokio::time::sleep(CHECKPOINT_EVERY * 3).await;
        }
        // Each burst writes about 1.2 MB of log: three in a row without a
        // checkpoint leave about 3.7 MB.
        assert!(
            sizes[2] < 2_400_000,
            "the log grew burst after burst: {sizes:?}"
        );
        drop(store);
        let _ = std::fs::remove_dir_all(dir);
        Ok(())
    }
}
