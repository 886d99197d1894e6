//! The native host's [`Appender`]: rows go into a bounded queue, and one
//! writer task inserts them by batches of up to [`BATCH`] in one
//! transaction each, [`ROWS_PER_STATEMENT`] rows per `INSERT` — so the
//! audience beacon costs a request a queue push, not a commit, and SQLite's
//! one writer holds its lock a few milliseconds per batch.
//!
//! Nothing is dropped in normal operation: a full queue makes the request
//! wait (back-pressure), a failed batch is retried with back-off, and only
//! after [`ATTEMPTS`] failures is it given up, with an error in the log (and
//! the next `flush` fails). The host flushes before it exits; what a crash
//! of the process takes with it is at most the queue (rows of the last
//! tenth of a second, more under a burst the writer is behind on). `flush` (the roll-up calls it) waits until everything
//! queued before it is written.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use comptoir_functions::port::{AppendTable, Appender, Database, Value};
use tokio::sync::{mpsc, oneshot};

/// Rows the queue holds before appending waits.
const QUEUE: usize = 50_000;

/// Rows written per transaction at most.
const BATCH: usize = 2_000;

/// Rows per `INSERT` statement at most (7 columns: 896 parameters, far
/// under SQLite's and Postgres' limits): each statement is a round trip to
/// the connection's worker thread while the batch holds the write turn.
/// A power of two: see [`chunks`].
const ROWS_PER_STATEMENT: usize = 128;

/// How long the writer lets rows gather after a batch: a few large
/// transactions rather than many small ones, so the store's one writer
/// lock changes hands less often.
const GATHER: Duration = Duration::from_millis(100);

/// Tries per batch before it is given up (logged).
const ATTEMPTS: u32 = 6;

/// One row for a table.
type Row = (&'static AppendTable, Vec<Value>);

enum Item {
    Row(Row),
    /// Answers whether every row queued before it was written.
    Flush(oneshot::Sender<bool>),
}

/// The queue's sending end; the writer task ends when it is dropped.
pub struct WriteBehind {
    queue: mpsc::Sender<Item>,
}

impl WriteBehind {
    /// Starts the writer task on `db` (call inside the tokio runtime).
    pub fn start(db: Arc<dyn Database>) -> Self {
        let (queue, mut items) = mpsc::channel(QUEUE);
        tokio::spawn(async move {
            let mut batch = Vec::with_capacity(BATCH);
            // Whether every batch since the last flush was written.
            let mut all_written = true;
            while items.recv_many(&mut batch, BATCH).await > 0 {
                let mut rows = Vec::with_capacity(batch.len());
                let mut waiting = Vec::new();
                for item in batch.drain(..) {
                    match item {
                        Item::Row(row) => rows.push(row),
                        Item::Flush(done) => waiting.push(done),
                    }
                }
                let wrote = !rows.is_empty();
                if wrote {
                    all_written &= write(db.as_ref(), &rows).await;
                }
                if !waiting.is_empty() {
                    for done in waiting {
                        let _ = done.send(all_written);
                    }
                    all_written = true;
                }
                if wrote {
                    tokio::time::sleep(GATHER).await;
                }
            }
        });
        Self { queue }
    }
}

/// Writes `rows` in one transaction, retrying with back-off; answers
/// whether they were written.
async fn write(db: &dyn Database, rows: &[Row]) -> bool {
    let mut pause = Duration::from_millis(20);
    for attempt in 1..=ATTEMPTS {
        match write_once(db, rows).await {
            Ok(()) => return true,
            Err(e) if attempt < ATTEMPTS => {
                tracing::warn!(
                    rows = rows.len(),
                    attempt,
                    error = format!("{e:#}"),
                    "appending rows; retrying"
                );
                tokio::time::sleep(pause).await;
                pause *= 2;
            }
            Err(e) => {
                tracing::error!(
                    rows = rows.len(),
                    error = format!("{e:#}"),
                    "appending rows failed: given up"
                );
            }
        }
    }
    false
}

/// Writes `rows` in one transaction: consecutive rows of one table by
/// statements of up to [`ROWS_PER_STATEMENT`].
async fn write_once(db: &dyn Database, rows: &[Row]) -> anyhow::Result<()> {
    let mut tx = db.begin().await?;
    for same_table in rows.chunk_by(|a, b| std::ptr::eq(a.0, b.0)) {
        for chunk in chunks(same_table) {
            if let Some((table, _)) = chunk.first() {
                let params: Vec<Value> =
                    chunk.iter().flat_map(|(_, v)| v.iter().cloned()).collect();
                tx.query(&table.insert(chunk.len()), &params).await?;
            }
        }
    }
    tx.commit().await
}

/// `rows` cut in statements of [`ROWS_PER_STATEMENT`] rows, the rest in
/// powers of two: so few statement shapes that each is prepared once per
/// connection and stays in its cache (a shape per remainder would push the
/// shop's other statements out of it).
fn chunks(mut rows: &[Row]) -> impl Iterator<Item = &[Row]> {
    std::iter::from_fn(move || {
        let size = if rows.len() >= ROWS_PER_STATEMENT {
            ROWS_PER_STATEMENT
        } else {
            // The largest power of two not above what is left.
            1 << rows.len().checked_ilog2()?
        };
        let (chunk, rest) = rows.split_at(size);
        rows = rest;
        Some(chunk)
    })
}

#[async_trait::async_trait]
impl Appender for WriteBehind {
    async fn append(&self, table: &'static AppendTable, row: Vec<Value>) -> anyhow::Result<()> {
        self.queue
            .send(Item::Row((table, row)))
            .await
            .ok()
            .context("the appender's writer has stopped")
    }

    async fn flush(&self) -> anyhow::Result<()> {
        let (done, written) = oneshot::channel();
        self.queue
            .send(Item::Flush(done))
            .await
            .ok()
            .context("the appender's writer has stopped")?;
        let all = written.await.context("the appender's writer has stopped")?;
        anyhow::ensure!(all, "rows were given up since the last flush (see the log)");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    static T: AppendTable = AppendTable {
        name: "t",
        columns: &["a"],
    };

    #[test]
    fn rows_go_by_a_hundred_and_twenty_eight_then_by_powers_of_two() {
        let rows: Vec<Row> = (0..459).map(|i| (&T, vec![Value::Integer(i)])).collect();
        let sizes: Vec<usize> = chunks(&rows).map(<[Row]>::len).collect();
        assert_eq!(sizes, [128, 128, 128, 64, 8, 2, 1]);
        assert_eq!(chunks(&rows[..0]).count(), 0);
    }
}
