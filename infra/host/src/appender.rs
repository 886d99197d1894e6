//! The native host's [`Appender`]: rows go into a bounded queue, and one
//! writer task inserts them by batches of up to [`BATCH`] in one
//! transaction each — so the audience beacon costs a request a queue push,
//! not a commit, and SQLite's one writer commits once per batch.
//!
//! Nothing is dropped in normal operation: a full queue makes the request
//! wait (back-pressure), a failed batch is retried with back-off, and only
//! after [`ATTEMPTS`] failures is it given up, with an error in the log.
//! What a crash of the process takes with it is at most the queue (rows of
//! the last few milliseconds). `flush` (the roll-up calls it) waits until
//! everything queued before it is written.

use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use comptoir_functions::port::{Appender, Database, Value};
use tokio::sync::{mpsc, oneshot};

/// Rows the queue holds before appending waits.
const QUEUE: usize = 50_000;

/// Rows written per transaction at most.
const BATCH: usize = 2_000;

/// Tries per batch before it is given up (logged).
const ATTEMPTS: u32 = 6;

enum Item {
    Row(&'static str, Vec<Value>),
    Flush(oneshot::Sender<()>),
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
            while items.recv_many(&mut batch, BATCH).await > 0 {
                let mut rows = Vec::with_capacity(batch.len());
                let mut waiting = Vec::new();
                for item in batch.drain(..) {
                    match item {
                        Item::Row(sql, params) => rows.push((sql, params)),
                        Item::Flush(done) => waiting.push(done),
                    }
                }
                if !rows.is_empty() {
                    write(db.as_ref(), &rows).await;
                }
                for done in waiting {
                    let _ = done.send(());
                }
            }
        });
        Self { queue }
    }
}

/// Writes `rows` in one transaction, retrying with back-off.
async fn write(db: &dyn Database, rows: &[(&'static str, Vec<Value>)]) {
    let mut pause = Duration::from_millis(20);
    for attempt in 1..=ATTEMPTS {
        match write_once(db, rows).await {
            Ok(()) => return,
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
}

async fn write_once(db: &dyn Database, rows: &[(&'static str, Vec<Value>)]) -> anyhow::Result<()> {
    let mut tx = db.begin().await?;
    for (sql, params) in rows {
        tx.query(sql, params).await?;
    }
    tx.commit().await
}

#[async_trait::async_trait]
impl Appender for WriteBehind {
    async fn append(&self, sql: &'static str, params: Vec<Value>) -> anyhow::Result<()> {
        self.queue
            .send(Item::Row(sql, params))
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
        written.await.context("the appender's writer has stopped")
    }
}
