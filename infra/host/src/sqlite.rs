//! The native adapter of the database port: sqlx SQLite in WAL mode.

use std::path::Path;
use std::str::FromStr as _;
use std::time::Duration;

use anyhow::Context as _;
use async_trait::async_trait;
use comptoir_functions::port::{Database, Executor, Row, Transaction, Value};
use sqlx::pool::PoolConnection;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{Row as _, Sqlite, SqlitePool, TypeInfo as _, ValueRef as _};

/// A pool of SQLite connections to one file.
pub struct NativeSqlite {
    pool: SqlitePool,
}

impl NativeSqlite {
    /// Opens (creating if needed) the database file.
    pub async fn open(path: &Path) -> anyhow::Result<Self> {
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
        let pool = SqlitePoolOptions::new()
            .max_connections(8)
            .connect_with(options)
            .await
            .with_context(|| format!("opening {}", path.display()))?;
        Ok(Self { pool })
    }
}

async fn run<'c, E>(executor: E, sql: &str, params: &[Value]) -> anyhow::Result<Vec<Row>>
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
    rows.iter().map(row).collect()
}

fn row(row: &SqliteRow) -> anyhow::Result<Row> {
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

#[async_trait]
impl Database for NativeSqlite {
    async fn query(&self, sql: &str, params: &[Value]) -> anyhow::Result<Vec<Row>> {
        run(&self.pool, sql, params).await
    }

    async fn begin(&self) -> anyhow::Result<Box<dyn Transaction>> {
        let mut conn = self
            .pool
            .acquire()
            .await
            .context("acquiring a connection")?;
        run(&mut *conn, "BEGIN IMMEDIATE", &[]).await?;
        Ok(Box::new(NativeTx { conn: Some(conn) }))
    }
}

/// A transaction holding its pooled connection.
struct NativeTx {
    conn: Option<PoolConnection<Sqlite>>,
}

impl NativeTx {
    fn conn(&mut self) -> anyhow::Result<&mut PoolConnection<Sqlite>> {
        self.conn.as_mut().context("transaction already finished")
    }
}

#[async_trait]
impl Executor for NativeTx {
    async fn query(&mut self, sql: &str, params: &[Value]) -> anyhow::Result<Vec<Row>> {
        run(&mut **self.conn()?, sql, params).await
    }
}

#[async_trait]
impl Transaction for NativeTx {
    async fn commit(mut self: Box<Self>) -> anyhow::Result<()> {
        let mut conn = self.conn.take().context("transaction already finished")?;
        let committed = run(&mut *conn, "COMMIT", &[]).await.map(drop);
        if committed.is_err() {
            // Never hand a connection with an open transaction back to the pool.
            conn.close_on_drop();
        }
        committed
    }
}

impl Drop for NativeTx {
    fn drop(&mut self) {
        // Not committed: roll back before the connection goes back to the pool.
        if let Some(mut conn) = self.conn.take() {
            tokio::spawn(async move {
                if sqlx::raw_sql("ROLLBACK").execute(&mut *conn).await.is_err() {
                    conn.close_on_drop();
                }
            });
        }
    }
}
