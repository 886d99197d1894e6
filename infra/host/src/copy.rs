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
//! table is read back on both sides and compared row for row: its row count
//! and an order-independent digest of its rows (the stores may order text
//! differently), then, for a table that differs, its rows sorted side by
//! side to name the first difference. Tables are read in pages along their
//! primary key, so memory stays bounded whatever their size.
//!
//! The catalog's search index (SQLite's FTS5 table, Postgres' GIN index) is
//! no table of the shop's: it is rebuilt in the target from the copied
//! products before the commit.
//!
//! A target found with no tables is migrated first (outside the copy's
//! transaction): a copy that then fails leaves it empty and current, ready
//! for another try.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};
use std::hash::{Hash as _, Hasher};
use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};
use comptoir_functions::config::Config;
use comptoir_functions::dialect::Dialect;
use comptoir_functions::migrate::{self, MIGRATIONS};
use comptoir_functions::port::{AutoCommit, Database, Executor, Row, Value};

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
    /// At most this many rows read at once ([`PAGE_ROWS`]; a table of any
    /// size is copied and verified in bounded memory).
    pub page_rows: usize,
}

/// One table's part of the copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TableCopy {
    /// The table.
    pub table: String,
    /// Rows copied (the source's rows, for [`compare`]).
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
            "table", "rows", "verified", "copy (ms)"
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
        let copied = if self.copy_time.is_zero() {
            String::new()
        } else {
            format!(
                "copied in {:.1} ms, ",
                self.copy_time.as_secs_f64() * 1000.0
            )
        };
        out.push_str(&format!(
            "{copied}verified in {:.1} ms: {}\n",
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

    let (order, shapes) = layout(&source, &target).await?;

    let started = Instant::now();
    let copied = copy_tables(
        &source,
        &target,
        &order,
        &shapes,
        &seeded,
        options.page_rows,
    )
    .await?;
    let copy_time = started.elapsed();
    if target.dialect() == Dialect::Postgres {
        // Fresh statistics for the planner, rather than after autovacuum's turn.
        target
            .query("ANALYZE", &[])
            .await
            .context("analysing the target")?;
    }

    let started = Instant::now();
    let (verified, mismatches) =
        verify(&source, &target, &order, &shapes, options.page_rows).await?;
    let verify_time = started.elapsed();
    let tables = copied
        .into_iter()
        .map(|(table, rows, copied_in)| TableCopy {
            verified: verified.get(&table).map_or(0, |v| v.1),
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

/// The tables to copy, parents first, and their shapes; refuses two stores
/// whose tables or columns differ.
async fn layout(
    source: &NativeStore,
    target: &NativeStore,
) -> anyhow::Result<(Vec<String>, BTreeMap<String, Shape>)> {
    let target_tables = tables(target).await?;
    let tables = tables(source).await?;
    let mut shapes = BTreeMap::new();
    for table in &tables {
        let here = table_columns(source, table).await?;
        let there = table_columns(target, table).await?;
        let (a, b): (BTreeSet<&String>, BTreeSet<&String>) =
            (here.iter().collect(), there.iter().collect());
        if a != b {
            bail!("table {table} has columns {here:?} in the source but {there:?} in the target");
        }
        let shape = Shape {
            source_key: key_of(source, table, &here).await?,
            target_key: key_of(target, table, &here).await?,
            columns: here,
        };
        shapes.insert(table.clone(), shape);
    }
    let missing: Vec<&String> = target_tables
        .iter()
        .filter(|t| !tables.contains(t))
        .collect();
    if !missing.is_empty() {
        bail!("the target has tables the source lacks: {missing:?}");
    }
    let order = parents_first(target, &tables).await?;
    Ok((order, shapes))
}

/// Compares two stores holding the same schema table by table, row for
/// row, writing nothing: what [`copy`] does after its commit, on its own
/// (`copy-store --verify-only`, e.g. to check a restored backup). The
/// report's `rows` are the source's.
pub async fn compare(from: &Store, to: &Store, page_rows: usize) -> anyhow::Result<CopyReport> {
    for store in [from, to] {
        if let Store::Sqlite(path) = store
            && !path.is_file()
        {
            bail!("{} does not exist", path.display());
        }
    }
    let source = NativeStore::open(from)
        .await
        .context("opening the source")?;
    let target = NativeStore::open(to).await.context("opening the target")?;
    let (order, shapes) = layout(&source, &target).await?;
    let started = Instant::now();
    let (verified, mismatches) = verify(&source, &target, &order, &shapes, page_rows).await?;
    let tables = order
        .into_iter()
        .map(|table| {
            let (rows, verified) = verified.get(&table).copied().unwrap_or_default();
            TableCopy {
                table,
                rows,
                copied_in: Duration::ZERO,
                verified,
            }
        })
        .collect();
    Ok(CopyReport {
        tables,
        copy_time: Duration::ZERO,
        verify_time: started.elapsed(),
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
    // The search index (`product_search`: an FTS5 virtual table and its
    // shadow tables on SQLite, a plain table on Postgres) is not copied:
    // it is rebuilt from the copied rows.
    let sql = match db.dialect() {
        Dialect::Sqlite => {
            "SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' \
             AND name NOT LIKE 'sqlite_%' ORDER BY name"
        }
        Dialect::Postgres => {
            "SELECT table_name::text FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' \
             AND table_name <> 'product_search' ORDER BY 1"
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

/// Tables copied after every other: the closed fiscal years, whose rows
/// make the store refuse journal entries dated in them.
const COPIED_LAST: [&str; 1] = ["closed_years"];

/// `tables` ordered so that every table comes after the tables it
/// references (by the target's foreign keys), ties by name, and those of
/// [`COPIED_LAST`] at the end.
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
    order.sort_by_key(|t| COPIED_LAST.contains(&t.as_str()));
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

/// A table's columns (in the source's order, read alike on both sides) and
/// the positions among them of each side's primary key, which pages reads.
#[derive(Debug, Clone)]
struct Shape {
    columns: Vec<String>,
    source_key: Vec<usize>,
    target_key: Vec<usize>,
}

/// Rows read at once, unless told otherwise.
pub const PAGE_ROWS: usize = 5_000;

/// The positions in `columns` of `table`'s primary key columns (empty: no
/// primary key, the table is read in one go).
async fn key_of(db: &dyn Database, table: &str, columns: &[String]) -> anyhow::Result<Vec<usize>> {
    let sql = match db.dialect() {
        Dialect::Sqlite => "SELECT name FROM pragma_table_info(?1) WHERE pk > 0 ORDER BY pk",
        Dialect::Postgres => {
            "SELECT a.attname::text FROM pg_index i \
             JOIN pg_class t ON t.oid = i.indrelid \
             JOIN pg_namespace n ON n.oid = t.relnamespace \
             JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = ANY (i.indkey) \
             WHERE i.indisprimary AND n.nspname = current_schema() AND t.relname = ?1 \
             ORDER BY array_position(i.indkey::int2[], a.attnum)"
        }
    };
    db.query(sql, &[Value::Text(table.to_owned())])
        .await?
        .iter()
        .map(|r| {
            let name = r.text(0)?;
            columns
                .iter()
                .position(|c| c == name)
                .with_context(|| format!("{table}'s key column {name} is not among its columns"))
        })
        .collect()
}

/// The statement reading the page of `table` after the key `?1…?n` (or the
/// first page), in the store's own key order.
fn page_sql(table: &str, columns: &[String], key: &[usize], after: bool, limit: usize) -> String {
    let mut sql = select_all(table, columns);
    if key.is_empty() {
        return sql;
    }
    let names: Vec<String> = key
        .iter()
        .filter_map(|&i| columns.get(i))
        .map(|c| quoted(c))
        .collect();
    if after {
        let params: Vec<String> = (1..=names.len()).map(|n| format!("?{n}")).collect();
        sql.push_str(&format!(
            " WHERE ({}) > ({})",
            names.join(", "),
            params.join(", ")
        ));
    }
    sql.push_str(&format!(" ORDER BY {} LIMIT {limit}", names.join(", ")));
    sql
}

/// Reads `table` page by page.
struct Pages<'a> {
    table: &'a str,
    columns: &'a [String],
    key: &'a [usize],
    limit: usize,
    after: Option<Vec<Value>>,
    done: bool,
}

impl<'a> Pages<'a> {
    fn new(table: &'a str, columns: &'a [String], key: &'a [usize], limit: usize) -> Self {
        Self {
            table,
            columns,
            key,
            limit: limit.max(1),
            after: None,
            done: false,
        }
    }

    /// The next page (empty: none left).
    async fn next(&mut self, exec: &mut dyn Executor) -> anyhow::Result<Vec<Row>> {
        if self.done {
            return Ok(Vec::new());
        }
        let sql = page_sql(
            self.table,
            self.columns,
            self.key,
            self.after.is_some(),
            self.limit,
        );
        let rows = exec
            .query(&sql, self.after.as_deref().unwrap_or_default())
            .await
            .with_context(|| format!("reading {}", self.table))?;
        match rows.last() {
            Some(last) if !self.key.is_empty() && rows.len() == self.limit => {
                let key: Option<Vec<Value>> =
                    self.key.iter().map(|&i| last.0.get(i).cloned()).collect();
                self.after = Some(key.context("a key column missing from a row")?);
            }
            _ => self.done = true,
        }
        Ok(rows)
    }
}

type Copied = Vec<(String, u64, Duration)>;

async fn copy_tables(
    source: &NativeStore,
    target: &NativeStore,
    order: &[String],
    shapes: &BTreeMap<String, Shape>,
    seeded: &BTreeMap<String, Vec<Row>>,
    page_rows: usize,
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
        let shape = shapes.get(table).context("shape")?;
        let expected = seeded.get(table).map_or(&[][..], Vec::as_slice);
        let sql = format!(
            "{} LIMIT {}",
            select_all(table, &shape.columns),
            expected.len() + 1
        );
        let mut rows: Vec<Row> = writing
            .query(&sql, &[])
            .await?
            .iter()
            .map(normal_row)
            .collect();
        sort_rows(&mut rows);
        if !same_rows(&rows, expected) {
            bail!("the target is not empty: table {table} holds rows a fresh store does not");
        }
    }
    for table in order.iter().rev().filter(|t| seeded.contains_key(*t)) {
        writing
            .query(&format!("DELETE FROM {}", quoted(table)), &[])
            .await?;
    }
    // Availability is computed once at the end (`index::rebuild`), not by
    // the store's trigger per insert of shelves.
    comptoir_functions::catalog::index::hold_availability(writing.as_mut(), target.dialect())
        .await?;
    let mut copied = Vec::with_capacity(order.len());
    for table in order {
        let started = Instant::now();
        let shape = shapes.get(table).context("shape")?;
        let names = &shape.columns;
        let expected = reading
            .query(&format!("SELECT COUNT(*) FROM {}", quoted(table)), &[])
            .await?
            .first()
            .context("no count")?
            .int(0)?;
        let per_insert = (MAX_PARAMS / names.len()).clamp(1, ROWS_PER_INSERT);
        let mut pages = Pages::new(table, names, &shape.source_key, page_rows);
        let mut rows = 0u64;
        loop {
            let page = pages.next(&mut *reading).await?;
            if page.is_empty() {
                break;
            }
            for chunk in page.chunks(per_insert) {
                let params: Vec<Value> = chunk.iter().flat_map(|r| r.0.iter().cloned()).collect();
                writing
                    .query(&insert(table, names, chunk.len()), &params)
                    .await
                    .with_context(|| format!("writing {table}"))?;
            }
            rows += u64::try_from(page.len())?;
        }
        // A row the key order skipped (a NULL in a SQLite key) fails the copy.
        if i64::try_from(rows)? != expected {
            bail!("{table}: read {rows} rows page by page but it holds {expected}");
        }
        copied.push((table.clone(), rows, started.elapsed()));
    }
    // The search index is rebuilt from the copied rows (it is not copied:
    // on SQLite an FTS5 table, on Postgres a plain one).
    comptoir_functions::catalog::index::resume_availability(writing.as_mut(), target.dialect())
        .await?;
    comptoir_functions::catalog::index::rebuild(writing.as_mut(), target.dialect())
        .await
        .context("indexing the copied catalog for search")?;
    writing
        .commit()
        .await
        .context("committing the target transaction")?;
    reading.commit().await.context("releasing the source")?;
    Ok(copied)
}

/// An order-independent fingerprint of a table's rows: their count and two
/// sums of 64-bit row hashes. Two stores give equal digests for the same
/// multiset of rows, read in whatever order each store keeps them.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Digest {
    rows: u64,
    sums: [u64; 2],
}

impl Digest {
    fn add(&mut self, row: &Row) {
        self.rows += 1;
        for (seed, sum) in self.sums.iter_mut().enumerate() {
            let mut hasher = std::hash::DefaultHasher::new();
            hasher.write_usize(seed);
            for value in &row.0 {
                hash_value(value, &mut hasher);
            }
            *sum = sum.wrapping_add(hasher.finish());
        }
    }
}

fn hash_value(value: &Value, hasher: &mut impl Hasher) {
    match value {
        Value::Null => hasher.write_u8(0),
        Value::Integer(i) => {
            hasher.write_u8(1);
            hasher.write_i64(*i);
        }
        Value::Real(f) => match normal(Value::Real(*f)) {
            Value::Integer(i) => hash_value(&Value::Integer(i), hasher),
            _ => {
                hasher.write_u8(2);
                hasher.write_u64(f.to_bits());
            }
        },
        Value::Text(s) => {
            hasher.write_u8(3);
            s.hash(hasher);
        }
    }
}

async fn digest(
    db: &NativeStore,
    table: &str,
    shape: &Shape,
    key: &[usize],
    page_rows: usize,
) -> anyhow::Result<Digest> {
    let mut digest = Digest::default();
    let mut pages = Pages::new(table, &shape.columns, key, page_rows);
    let mut reader = AutoCommit(db);
    loop {
        let page = pages.next(&mut reader).await?;
        if page.is_empty() {
            return Ok(digest);
        }
        page.iter().for_each(|row| digest.add(row));
    }
}

/// Reads every table on both sides and compares them row for row (by
/// digest, then, for a table that differs, sorted in memory to name the
/// first difference); returns by table the source's rows and the rows
/// found equal, and every difference.
async fn verify(
    source: &NativeStore,
    target: &NativeStore,
    order: &[String],
    shapes: &BTreeMap<String, Shape>,
    page_rows: usize,
) -> anyhow::Result<(BTreeMap<String, (u64, u64)>, Vec<String>)> {
    let mut verified = BTreeMap::new();
    let mut mismatches = Vec::new();
    for table in order {
        let shape = shapes.get(table).context("shape")?;
        let here = digest(source, table, shape, &shape.source_key, page_rows).await?;
        let there = digest(target, table, shape, &shape.target_key, page_rows).await?;
        if here == there {
            verified.insert(table.clone(), (here.rows, here.rows));
            continue;
        }
        let rows = here.rows;
        let here = sorted_rows(source, table, &shape.columns).await?;
        let there = sorted_rows(target, table, &shape.columns).await?;
        if here.len() != there.len() {
            mismatches.push(format!(
                "{table}: {} row(s) in the source, {} in the target",
                here.len(),
                there.len()
            ));
        }
        let equal = here
            .iter()
            .zip(&there)
            .take_while(|(a, b)| same_row(a, b))
            .count();
        match (here.get(equal), there.get(equal)) {
            (Some(a), Some(b)) => {
                mismatches.push(format!("{table}: source row {a:?} != target row {b:?}"));
            }
            (None, None) => mismatches.push(format!(
                "{table}: changed while being verified (its digests differ)"
            )),
            _ => {}
        }
        verified.insert(table.clone(), (rows, u64::try_from(equal)?));
    }
    Ok((verified, mismatches))
}

/// Every row of `table`, in one store-independent order (sorted here, not
/// by the store: Postgres may collate text otherwise than SQLite does).
async fn sorted_rows(
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
        let o = compare_values(x, y);
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

fn compare_values(a: &Value, b: &Value) -> Ordering {
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
    fn pages_follow_the_key() {
        let columns = vec![
            "order_id".to_owned(),
            "note".to_owned(),
            "position".to_owned(),
        ];
        assert_eq!(
            page_sql("order_lines", &columns, &[0, 2], true, 50),
            "SELECT \"order_id\", \"note\", \"position\" FROM \"order_lines\" \
             WHERE (\"order_id\", \"position\") > (?1, ?2) ORDER BY \"order_id\", \"position\" LIMIT 50"
        );
        assert_eq!(
            page_sql("t", &columns[..1], &[], false, 50),
            "SELECT \"order_id\" FROM \"t\""
        );
    }

    #[test]
    fn digests_ignore_order_but_not_content() {
        let rows = [
            Row(vec![Value::Text("a".into()), Value::Integer(1)]),
            Row(vec![Value::Text("b".into()), Value::Null]),
        ];
        let (mut one, mut other, mut third) =
            (Digest::default(), Digest::default(), Digest::default());
        rows.iter().for_each(|r| one.add(r));
        rows.iter().rev().for_each(|r| other.add(r));
        assert_eq!(one, other);
        third.add(&rows[0]);
        third.add(&Row(vec![
            Value::Text("b".into()),
            Value::Text(String::new()),
        ]));
        assert_ne!(one, third);
        let (mut real, mut integer) = (Digest::default(), Digest::default());
        real.add(&Row(vec![Value::Real(3.0)]));
        integer.add(&Row(vec![Value::Integer(3)]));
        assert_eq!(real, integer);
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
