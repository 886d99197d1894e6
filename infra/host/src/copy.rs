//! Copies a shop's data from one store into another (SQLite → Postgres is the
//! point; any store to any store works) and verifies the copy row for row.
//!
//! The source must hold the current schema (or be migrated explicitly, with
//! `migrate_source`); the target must be empty: no tables at all, or only the
//! current schema holding nothing but what the migrations themselves seed.
//! Every table the source holds (but `schema_migrations`: the target keeps
//! its own) is copied in one target transaction, parents before children as
//! the target's foreign keys order them, in multi-row `INSERT`s whose values
//! are all bound parameters; table and column names come from the schema
//! itself, quoted. While it copies, the copy holds both stores' write locks
//! (SQLite's `BEGIN IMMEDIATE`, Postgres' advisory lock), so a shop left
//! running on either side waits rather than writes. After the commit, every
//! table is read back on both sides and compared row for row.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use comptoir_functions::config::Config;
use comptoir_functions::dialect::Dialect;
use comptoir_functions::migrate::{self, MIGRATIONS};
use comptoir_functions::port::{Database, Row, Value};

use crate::store::{NativeStore, Store};

/// The table the migrations keep their own record in (never copied).
const MIGRATIONS_TABLE: &str = "schema_migrations";

/// At most this many rows per `INSERT`.
const ROWS_PER_INSERT: usize = 200;

/// At most this many bound parameters per statement (SQLite allows 32 766,
/// Postgres 65 535).
const MAX_PARAMS: usize = 30_000;

/// What to copy, and how.
#[derive(Debug, Clone)]
pub struct CopyOptions {
    /// The store read from.
    pub from: Store,
    /// The store written to.
    pub to: Store,
    /// Brings an out-of-date source schema up to date first (a write to the
    /// source); without it, such a source is refused.
    pub migrate_source: bool,
}

/// One table's part of the copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCopy {
    /// The table.
    pub table: String,
    /// Rows copied.
    pub rows: u64,
    /// Time spent reading and writing them.
    pub copied_in: Duration,
    /// Rows found equal on both sides after the commit.
    pub verified: u64,
}

/// What a copy did.
#[derive(Debug, Clone)]
pub struct CopyReport {
    /// Every table copied, in the order it was copied (parents first).
    pub tables: Vec<TableCopy>,
    /// From the first read to the commit.
    pub copy_time: Duration,
    /// The verification after the commit.
    pub verify_time: Duration,
    /// Every difference the verification found (empty: a faithful copy).
    pub mismatches: Vec<String>,
}

impl CopyReport {
    /// Rows copied in all.
    pub fn rows(&self) -> u64 {
        self.tables.iter().map(|t| t.rows).sum()
    }

    /// The per-table report, as printed by `copy-store`.
    pub fn render(&self) -> String {
        let width = self
            .tables
            .iter()
            .map(|t| t.table.len())
            .chain([5])
            .max()
            .unwrap_or(5);
        let mut out = format!(
            "{:<width$}  {:>8}  {:>8}  {:>9}\n",
            "table", "copied", "verified", "time (ms)"
        );
        for t in &self.tables {
            out.push_str(&format!(
                "{:<width$}  {:>8}  {:>8}  {:>9.1}\n",
                t.table,
                t.rows,
                t.verified,
                t.copied_in.as_secs_f64() * 1000.0
            ));
        }
        out.push_str(&format!(
            "{:<width$}  {:>8}  {:>8}  {:>9.1}\n",
            "total",
            self.rows(),
            self.tables.iter().map(|t| t.verified).sum::<u64>(),
            self.copy_time.as_secs_f64() * 1000.0
        ));
        out.push_str(&format!(
            "copied in {:.1} ms, verified in {:.1} ms: {}\n",
            self.copy_time.as_secs_f64() * 1000.0,
            self.verify_time.as_secs_f64() * 1000.0,
            if self.mismatches.is_empty() {
                "every row equal".to_owned()
            } else {
                format!("{} MISMATCHES", self.mismatches.len())
            }
        ));
        for mismatch in &self.mismatches {
            out.push_str(&format!("  mismatch: {mismatch}\n"));
        }
        out
    }
}

/// A store named on the command line: a `postgres://` URL or a SQLite file.
pub fn parse_store(arg: &str) -> Store {
    if arg.starts_with("postgres://") || arg.starts_with("postgresql://") {
        Store::Postgres(arg.to_owned())
    } else {
        Store::Sqlite(PathBuf::from(arg))
    }
}

fn latest() -> i64 {
    MIGRATIONS.last().map_or(0, |m| m.version)
}

fn migrations_only() -> anyhow::Result<Config> {
    let mut config = Config::from_lookup(|_| None)?;
    config.demo_catalog = false;
    Ok(config)
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(0))
}

/// Copies `options.from` into `options.to` and verifies the copy. An error
/// means nothing was written to the target (or, for a failed verification
/// read, that the copy was committed but could not be checked); a report
/// with mismatches means the committed copy differs from its source.
pub async fn copy(options: &CopyOptions) -> anyhow::Result<CopyReport> {
    if options.from == options.to {
        bail!("the source and the target are the same store");
    }
    if let Store::Sqlite(path) = &options.from
        && !path.is_file()
    {
        bail!("the source {} does not exist", path.display());
    }
    let source = NativeStore::open(&options.from)
        .await
        .context("opening the source")?;
    check_source(&source, options.migrate_source).await?;
    let target = NativeStore::open(&options.to)
        .await
        .context("opening the target")?;
    prepare_target(&target).await?;
    let seeded = seeded_rows().await?;

    let target_tables = tables(&target).await?;
    let tables = tables(&source).await?;
    let mut columns = BTreeMap::new();
    for table in &tables {
        let here = table_columns(&source, table).await?;
        let there = table_columns(&target, table).await?;
        let (a, b): (BTreeSet<&String>, BTreeSet<&String>) =
            (here.iter().collect(), there.iter().collect());
        if a != b {
            bail!("table {table} has columns {here:?} in the source but {there:?} in the target");
        }
        columns.insert(table.clone(), here);
    }
    let missing: Vec<&String> = target_tables
        .iter()
        .filter(|t| !tables.contains(t))
        .collect();
    if !missing.is_empty() {
        bail!("the target has tables the source lacks: {missing:?}");
    }
    let order = parents_first(&target, &tables).await?;

    let started = Instant::now();
    let copied = copy_tables(&source, &target, &order, &columns, &seeded).await?;
    let copy_time = started.elapsed();
    if target.dialect() == Dialect::Postgres {
        // Fresh statistics for the planner, rather than after autovacuum's turn.
        target
            .query("ANALYZE", &[])
            .await
            .context("analysing the target")?;
    }

    let started = Instant::now();
    let (verified, mismatches) = verify(&source, &target, &order, &columns).await?;
    let verify_time = started.elapsed();
    let tables = copied
        .into_iter()
        .map(|(table, rows, copied_in)| TableCopy {
            verified: verified.get(&table).copied().unwrap_or(0),
            table,
            rows,
            copied_in,
        })
        .collect();
    Ok(CopyReport {
        tables,
        copy_time,
        verify_time,
        mismatches,
    })
}

/// The schema version a store records (`None`: no migrations table).
async fn version(db: &NativeStore) -> anyhow::Result<Option<i64>> {
    if !tables_of(db)
        .await?
        .iter()
        .any(|t| t.as_str() == MIGRATIONS_TABLE)
    {
        return Ok(None);
    }
    let rows = db
        .query(
            "SELECT COALESCE(MAX(version), 0) FROM schema_migrations",
            &[],
        )
        .await?;
    Ok(Some(rows.first().context("no version row")?.int(0)?))
}

async fn check_source(source: &NativeStore, migrate_source: bool) -> anyhow::Result<()> {
    let latest = latest();
    match version(source).await? {
        Some(v) if v == latest => Ok(()),
        Some(v) if v > latest => bail!(
            "the source's schema (version {v}) is newer than this program's ({latest}): copy it with the version of Comptoir that wrote it"
        ),
        None => bail!("the source holds no Comptoir schema (no schema_migrations table)"),
        Some(v) if migrate_source => {
            tracing::info!("migrating the source from schema version {v} to {latest}");
            migrate::ensure(source, &migrations_only()?, now_ms())
                .await
                .context("migrating the source")
        }
        Some(v) => bail!(
            "the source's schema is at version {v}, not the current {latest}: start the shop on it once, or pass --migrate-source"
        ),
    }
}

/// A target holding no tables is migrated; one holding the current schema is
/// kept as is (whether it is empty is checked under its write lock); anything
/// else is refused.
async fn prepare_target(target: &NativeStore) -> anyhow::Result<()> {
    let existing = tables_of(target).await?;
    if !existing.is_empty() {
        match version(target).await? {
            Some(v) if v == latest() => {}
            Some(v) => bail!(
                "the target already holds a schema at version {v}: copy only into an empty store"
            ),
            None => bail!(
                "the target already holds tables ({}): copy only into an empty store",
                existing.join(", ")
            ),
        }
    }
    migrate::ensure(target, &migrations_only()?, now_ms())
        .await
        .context("migrating the target")
}

/// What a freshly migrated store holds (rows some migrations insert, like
/// the one `cost_settings` row), by table: measured on a throwaway SQLite
/// file, so any future seeded table is handled alike.
async fn seeded_rows() -> anyhow::Result<BTreeMap<String, Vec<Row>>> {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_nanos();
    let dir = std::env::temp_dir().join(format!("comptoir-copy-{}-{nanos}", std::process::id()));
    let result = async {
        let scratch = NativeStore::open(&Store::Sqlite(dir.join("fresh.db"))).await?;
        migrate::ensure(&scratch, &migrations_only()?, now_ms()).await?;
        let mut seeded = BTreeMap::new();
        for table in tables(&scratch).await? {
            let columns = table_columns(&scratch, &table).await?;
            let rows = sorted_rows(&scratch, &table, &columns).await?;
            if !rows.is_empty() {
                seeded.insert(table, rows);
            }
        }
        anyhow::Ok(seeded)
    }
    .await
    .context("measuring what the migrations seed");
    let _ = std::fs::remove_dir_all(&dir);
    result
}

/// Every table of the store's schema, by name.
async fn tables_of(db: &dyn Database) -> anyhow::Result<Vec<String>> {
    let sql = match db.dialect() {
        Dialect::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        }
        Dialect::Postgres => {
            "SELECT table_name::text FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY 1"
        }
    };
    db.query(sql, &[])
        .await?
        .iter()
        .map(|r| Ok(r.text(0)?.to_owned()))
        .collect()
}

/// The shop's tables (every table but `schema_migrations`).
async fn tables(db: &dyn Database) -> anyhow::Result<Vec<String>> {
    Ok(tables_of(db)
        .await?
        .into_iter()
        .filter(|t| t != MIGRATIONS_TABLE)
        .collect())
}

async fn table_columns(db: &dyn Database, table: &str) -> anyhow::Result<Vec<String>> {
    let sql = match db.dialect() {
        Dialect::Sqlite => "SELECT name FROM pragma_table_info(?1) ORDER BY cid",
        Dialect::Postgres => {
            "SELECT column_name::text FROM information_schema.columns \
             WHERE table_schema = current_schema() AND table_name = ?1 ORDER BY ordinal_position"
        }
    };
    let columns: Vec<String> = db
        .query(sql, &[Value::Text(table.to_owned())])
        .await?
        .iter()
        .map(|r| Ok(r.text(0)?.to_owned()))
        .collect::<anyhow::Result<_>>()?;
    if columns.is_empty() {
        bail!("table {table} has no columns");
    }
    Ok(columns)
}

/// The tables `table` references by a foreign key.
async fn parents(db: &dyn Database, table: &str) -> anyhow::Result<BTreeSet<String>> {
    let sql = match db.dialect() {
        Dialect::Sqlite => "SELECT \"table\" FROM pragma_foreign_key_list(?1)",
        Dialect::Postgres => {
            "SELECT p.relname::text FROM pg_constraint c \
             JOIN pg_class t ON t.oid = c.conrelid \
             JOIN pg_namespace n ON n.oid = t.relnamespace \
             JOIN pg_class p ON p.oid = c.confrelid \
             WHERE c.contype = 'f' AND n.nspname = current_schema() AND t.relname = ?1"
        }
    };
    db.query(sql, &[Value::Text(table.to_owned())])
        .await?
        .iter()
        .map(|r| Ok(r.text(0)?.to_owned()))
        .collect()
}

/// `tables` ordered so that every table comes after the tables it
/// references (by the target's foreign keys); ties by name.
async fn parents_first(db: &dyn Database, tables: &[String]) -> anyhow::Result<Vec<String>> {
    let mut waiting = BTreeMap::new();
    for table in tables {
        let mut refs = parents(db, table).await?;
        // A table referencing itself would need its rows ordered: none does.
        if refs.remove(table) {
            bail!("table {table} references itself, which the copy does not order");
        }
        if let Some(unknown) = refs.iter().find(|r| !tables.contains(r)) {
            bail!("table {table} references {unknown}, which the source lacks");
        }
        waiting.insert(table.clone(), refs);
    }
    let mut order: Vec<String> = Vec::with_capacity(tables.len());
    while !waiting.is_empty() {
        let ready: Vec<String> = waiting
            .iter()
            .filter(|(_, refs)| refs.iter().all(|r| order.contains(r)))
            .map(|(t, _)| t.clone())
            .collect();
        if ready.is_empty() {
            bail!(
                "the foreign keys between {:?} form a cycle",
                waiting.keys().collect::<Vec<_>>()
            );
        }
        for table in ready {
            waiting.remove(&table);
            order.push(table);
        }
    }
    Ok(order)
}

/// `name` as a quoted SQL identifier.
fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn select_all(table: &str, columns: &[String]) -> String {
    let list: Vec<String> = columns.iter().map(|c| quoted(c)).collect();
    format!("SELECT {} FROM {}", list.join(", "), quoted(table))
}

/// A multi-row `INSERT` of `rows` rows, every value a placeholder.
fn insert(table: &str, columns: &[String], rows: usize) -> String {
    let list: Vec<String> = columns.iter().map(|c| quoted(c)).collect();
    let mut sql = format!(
        "INSERT INTO {} ({}) VALUES ",
        quoted(table),
        list.join(", ")
    );
    let mut n = 0;
    for row in 0..rows {
        if row > 0 {
            sql.push_str(", ");
        }
        sql.push('(');
        for column in 0..columns.len() {
            if column > 0 {
                sql.push_str(", ");
            }
            n += 1;
            sql.push_str(&format!("?{n}"));
        }
        sql.push(')');
    }
    sql
}

type Copied = Vec<(String, u64, Duration)>;

async fn copy_tables(
    source: &NativeStore,
    target: &NativeStore,
    order: &[String],
    columns: &BTreeMap<String, Vec<String>>,
    seeded: &BTreeMap<String, Vec<Row>>,
) -> anyhow::Result<Copied> {
    // The source's write lock keeps a running shop from changing it mid-copy.
    let mut reading = source
        .begin()
        .await
        .context("taking the source's write lock")?;
    let mut writing = target
        .begin()
        .await
        .context("starting the target transaction")?;
    // Empty, checked under the target's write lock: nothing but what the
    // migrations seed, which goes (children first) before the copy.
    for table in order {
        let names = columns.get(table).context("columns")?;
        let mut rows: Vec<Row> = writing
            .query(&select_all(table, names), &[])
            .await?
            .iter()
            .map(normal_row)
            .collect();
        sort_rows(&mut rows);
        let expected = seeded.get(table).map_or(&[][..], Vec::as_slice);
        if !same_rows(&rows, expected) {
            bail!(
                "the target is not empty: table {table} holds {} row(s) a fresh store does not",
                rows.len()
            );
        }
    }
    for table in order.iter().rev().filter(|t| seeded.contains_key(*t)) {
        writing
            .query(&format!("DELETE FROM {}", quoted(table)), &[])
            .await?;
    }
    let mut copied = Vec::with_capacity(order.len());
    for table in order {
        let started = Instant::now();
        let names = columns.get(table).context("columns")?;
        let rows = reading
            .query(&select_all(table, names), &[])
            .await
            .with_context(|| format!("reading {table}"))?;
        let per_insert = (MAX_PARAMS / names.len()).clamp(1, ROWS_PER_INSERT);
        for chunk in rows.chunks(per_insert) {
            let params: Vec<Value> = chunk.iter().flat_map(|r| r.0.iter().cloned()).collect();
            writing
                .query(&insert(table, names, chunk.len()), &params)
                .await
                .with_context(|| format!("writing {table}"))?;
        }
        copied.push((table.clone(), u64::try_from(rows.len())?, started.elapsed()));
    }
    writing
        .commit()
        .await
        .context("committing the target transaction")?;
    reading.commit().await.context("releasing the source")?;
    Ok(copied)
}

/// Reads every table on both sides and compares them row for row; returns
/// the rows found equal by table, and every difference.
pub async fn verify(
    source: &NativeStore,
    target: &NativeStore,
    order: &[String],
    columns: &BTreeMap<String, Vec<String>>,
) -> anyhow::Result<(BTreeMap<String, u64>, Vec<String>)> {
    let mut verified = BTreeMap::new();
    let mut mismatches = Vec::new();
    for table in order {
        let names = columns.get(table).context("columns")?;
        let here = sorted_rows(source, table, names).await?;
        let there = sorted_rows(target, table, names).await?;
        if here.len() != there.len() {
            mismatches.push(format!(
                "{table}: {} row(s) in the source, {} in the target",
                here.len(),
                there.len()
            ));
        }
        let mut equal = 0u64;
        for (a, b) in here.iter().zip(&there) {
            if same_row(a, b) {
                equal += 1;
            } else {
                mismatches.push(format!("{table}: source row {a:?} != target row {b:?}"));
                break;
            }
        }
        verified.insert(table.clone(), equal);
    }
    Ok((verified, mismatches))
}

/// Every row of `table`, in one store-independent order (sorted here, not
/// by the store: Postgres may collate text otherwise than SQLite does).
pub async fn sorted_rows(
    db: &dyn Database,
    table: &str,
    columns: &[String],
) -> anyhow::Result<Vec<Row>> {
    let mut rows = db
        .query(&select_all(table, columns), &[])
        .await
        .with_context(|| format!("reading {table}"))?;
    for row in &mut rows {
        for value in &mut row.0 {
            *value = normal(std::mem::replace(value, Value::Null));
        }
    }
    sort_rows(&mut rows);
    Ok(rows)
}

/// A whole REAL as the INTEGER it equals (SQLite may hold either in a
/// column of INTEGER affinity; Postgres gives what the column's type is).
fn normal(value: Value) -> Value {
    match value {
        Value::Real(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Value::Integer(f as i64),
        other => other,
    }
}

fn sort_rows(rows: &mut [Row]) {
    rows.sort_by(compare_rows);
}

fn compare_rows(a: &Row, b: &Row) -> Ordering {
    for (x, y) in a.0.iter().zip(&b.0) {
        let o = compare(x, y);
        if o != Ordering::Equal {
            return o;
        }
    }
    a.0.len().cmp(&b.0.len())
}

fn rank(v: &Value) -> u8 {
    match v {
        Value::Null => 0,
        Value::Integer(_) => 1,
        Value::Real(_) => 2,
        Value::Text(_) => 3,
    }
}

fn compare(a: &Value, b: &Value) -> Ordering {
    match (a, b) {
        (Value::Integer(x), Value::Integer(y)) => x.cmp(y),
        (Value::Real(x), Value::Real(y)) => x.total_cmp(y),
        (Value::Text(x), Value::Text(y)) => x.cmp(y),
        _ => rank(a).cmp(&rank(b)),
    }
}

fn same_row(a: &Row, b: &Row) -> bool {
    compare_rows(a, b) == Ordering::Equal
}

fn same_rows(a: &[Row], b: &[Row]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| same_row(x, y))
}

fn normal_row(row: &Row) -> Row {
    Row(row.0.iter().cloned().map(normal).collect())
}

/// Every table of `db` but `schema_migrations` with its rows in a
/// store-independent order: equal for two stores holding the same shop.
pub async fn dump(db: &NativeStore) -> anyhow::Result<BTreeMap<String, Vec<Row>>> {
    let mut all = BTreeMap::new();
    for table in tables(db).await? {
        let columns = table_columns(db, &table).await?;
        let rows = sorted_rows(db, &table, &columns).await?;
        all.insert(table, rows);
    }
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inserts_bind_every_value() {
        let columns = vec!["id".to_owned(), "odd \"name\"".to_owned()];
        assert_eq!(
            insert("t", &columns, 2),
            "INSERT INTO \"t\" (\"id\", \"odd \"\"name\"\"\") VALUES (?1, ?2), (?3, ?4)"
        );
    }

    #[test]
    fn rows_sort_and_compare_across_stores() {
        let mut rows = vec![
            Row(vec![Value::Text("b".into()), Value::Integer(2)]),
            Row(vec![Value::Text("B".into()), Value::Null]),
            Row(vec![Value::Text("a".into()), Value::Real(3.0)]),
        ];
        sort_rows(&mut rows);
        assert_eq!(rows[0].0[0], Value::Text("B".into()));
        assert!(same_rows(
            &[normal_row(&Row(vec![Value::Real(3.0)]))],
            &[Row(vec![Value::Integer(3)])]
        ));
        assert!(!same_rows(
            &[Row(vec![Value::Null])],
            &[Row(vec![Value::Text(String::new())])]
        ));
    }

    #[test]
    fn stores_are_named_by_url_or_file() {
        assert_eq!(
            parse_store("postgres://u@h/db"),
            Store::Postgres("postgres://u@h/db".into())
        );
        assert_eq!(
            parse_store(".data/comptoir.db"),
            Store::Sqlite(".data/comptoir.db".into())
        );
    }
}
