//! Support SQL: threads with their summary figures, messages, surveys.

use anyhow::Context as _;
use comptoir_shared::account::Account;
use comptoir_shared::ids::{Email, OpaqueId, OrderId};
use comptoir_shared::support::{
    MessageAuthor, SupportMessage, SupportThread, Survey, ThreadStatus, ThreadSummary,
};

use crate::params;
use crate::port::{Executor, Row, new_id};

/// A thread's columns and figures; the first response is measured from the
/// customer's first message to the first staff reply.
const SUMMARY: &str = "SELECT t.id, t.order_id, t.customer_email, t.subject, t.status, t.created_at, \
        MIN(CASE WHEN m.author = 'staff' THEN m.at END) - MIN(CASE WHEN m.author = 'customer' THEN m.at END), \
        MAX(m.at), COUNT(m.id) \
     FROM support_threads t JOIN support_messages m ON m.thread_id = t.id";
const GROUP: &str =
    "GROUP BY t.id, t.order_id, t.customer_email, t.subject, t.status, t.created_at";

fn summary(r: &Row) -> anyhow::Result<ThreadSummary> {
    Ok(ThreadSummary {
        id: r.parse(0, OpaqueId::parse)?,
        order_id: r
            .opt_text(1)?
            .map(OrderId::parse)
            .transpose()
            .context("stored order id")?,
        customer_email: r.parse(2, Email::parse)?,
        subject: r.text(3)?.to_owned(),
        status: ThreadStatus::parse(r.text(4)?).context("stored thread status")?,
        created_at_ms: r.int(5)?,
        first_response_ms: r.opt_int(6)?,
        last_message_at_ms: r.int(7)?,
        message_count: r.int(8)?,
    })
}

/// What to list; `None` filters nothing.
#[derive(Debug, Default)]
pub struct Filter {
    /// Only this customer's threads.
    pub customer_id: Option<OpaqueId>,
    /// Only in this status.
    pub status: Option<ThreadStatus>,
    /// Only about this order.
    pub order: Option<OrderId>,
    /// Only this customer e-mail.
    pub email: Option<Email>,
    /// A `LIKE` pattern the subject or a message must match (lower case).
    pub pattern: Option<String>,
}

/// Threads matching `filter`, latest activity first (at most 200).
pub async fn list(db: &mut dyn Executor, filter: &Filter) -> anyhow::Result<Vec<ThreadSummary>> {
    let sql = format!(
        "{SUMMARY} WHERE (CAST(?1 AS TEXT) IS NULL OR t.customer_id = ?1) AND (CAST(?2 AS TEXT) IS NULL OR t.status = ?2) \
           AND (CAST(?3 AS TEXT) IS NULL OR t.order_id = ?3) AND (CAST(?4 AS TEXT) IS NULL OR t.customer_email = ?4) \
           AND (CAST(?5 AS TEXT) IS NULL OR LOWER(t.subject) LIKE ?5 ESCAPE '\\' OR EXISTS (SELECT 1 FROM support_messages q \
                WHERE q.thread_id = t.id AND LOWER(q.body) LIKE ?5 ESCAPE '\\')) \
         {GROUP} ORDER BY MAX(m.at) DESC, t.id LIMIT 200"
    );
    db.query(
        &sql,
        params![
            filter.customer_id.as_ref().map(OpaqueId::as_str),
            filter.status.map(ThreadStatus::as_str),
            filter.order.as_ref().map(OpaqueId::as_str),
            filter.email.as_ref().map(Email::as_str),
            filter.pattern.as_deref(),
        ],
    )
    .await?
    .iter()
    .map(summary)
    .collect()
}

/// A thread with its messages; `None` when it does not exist or, with
/// `owner`, belongs to someone else.
pub async fn load(
    db: &mut dyn Executor,
    id: &OpaqueId,
    owner: Option<&Account>,
) -> anyhow::Result<Option<SupportThread>> {
    let sql = format!(
        "{SUMMARY} WHERE t.id = ?1 AND (CAST(?2 AS TEXT) IS NULL OR t.customer_id = ?2) {GROUP}"
    );
    let Some(row) = db
        .optional(&sql, params![id.as_str(), owner.map(|a| a.id.as_str())])
        .await?
    else {
        return Ok(None);
    };
    let head = summary(&row)?;
    let messages = db
        .query(
            "SELECT id, at, author, author_name, body FROM support_messages WHERE thread_id = ?1 ORDER BY seq",
            params![id.as_str()],
        )
        .await?
        .iter()
        .map(|m| {
            Ok(SupportMessage {
                id: m.parse(0, OpaqueId::parse)?,
                at_ms: m.int(1)?,
                author: MessageAuthor::parse(m.text(2)?).context("stored author")?,
                author_name: m.text(3)?.to_owned(),
                body: m.text(4)?.to_owned(),
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    Ok(Some(SupportThread {
        id: head.id,
        order_id: head.order_id,
        customer_email: head.customer_email,
        subject: head.subject,
        status: head.status,
        created_at_ms: head.created_at_ms,
        first_response_ms: head.first_response_ms,
        messages,
    }))
}

/// Creates a thread (status `open`); its first message is added separately.
pub async fn insert_thread(
    tx: &mut dyn Executor,
    customer: &Account,
    order: Option<&OrderId>,
    subject: &str,
    now_ms: i64,
) -> anyhow::Result<OpaqueId> {
    let id = new_id();
    tx.query(
        "INSERT INTO support_threads (id, customer_id, customer_email, order_id, subject, status, created_at) \
         VALUES (?1, ?2, ?3, ?4, ?5, 'open', ?6)",
        params![
            id.as_str(),
            customer.id.as_str(),
            customer.email.as_str(),
            order.map(OpaqueId::as_str),
            subject,
            now_ms
        ],
    )
    .await?;
    Ok(id)
}

/// Appends `author`'s message and sets the status it implies: `open` after
/// the customer, `pending` after staff.
pub async fn add_message(
    tx: &mut dyn Executor,
    thread: &OpaqueId,
    author: &Account,
    side: MessageAuthor,
    body: &str,
    now_ms: i64,
) -> anyhow::Result<()> {
    let (shown, status) = match side {
        MessageAuthor::Customer => (author.email.as_str(), ThreadStatus::Open),
        MessageAuthor::Staff => ("Service client", ThreadStatus::Pending),
    };
    let name = if author.name.trim().is_empty() {
        shown
    } else {
        author.name.as_str()
    };
    tx.query(
        "INSERT INTO support_messages (id, thread_id, seq, at, author, author_id, author_name, body) \
         SELECT ?1, ?2, COALESCE(MAX(seq), 0) + 1, ?3, ?4, ?5, ?6, ?7 FROM support_messages WHERE thread_id = ?2",
        params![
            new_id().as_str(),
            thread.as_str(),
            now_ms,
            side.as_str(),
            author.id.as_str(),
            name,
            body
        ],
    )
    .await?;
    set_status(tx, thread, status).await?;
    Ok(())
}

/// Sets a thread's status; `false` when there is no such thread.
pub async fn set_status(
    tx: &mut dyn Executor,
    thread: &OpaqueId,
    status: ThreadStatus,
) -> anyhow::Result<bool> {
    Ok(tx
        .optional(
            "UPDATE support_threads SET status = ?2 WHERE id = ?1 RETURNING id",
            params![thread.as_str(), status.as_str()],
        )
        .await?
        .is_some())
}

/// Survey answers, newest first: one order's, or all of one customer's.
pub async fn surveys(
    db: &mut dyn Executor,
    order: Option<&OrderId>,
    customer: Option<&OpaqueId>,
) -> anyhow::Result<Vec<Survey>> {
    db.query(
        "SELECT order_id, csat, nps, comment, at FROM surveys \
         WHERE (CAST(?1 AS TEXT) IS NULL OR order_id = ?1) AND (CAST(?2 AS TEXT) IS NULL OR customer_id = ?2) ORDER BY at DESC LIMIT 200",
        params![
            order.map(OpaqueId::as_str),
            customer.map(OpaqueId::as_str)
        ],
    )
    .await?
    .iter()
    .map(|r| {
        Ok(Survey {
            order_id: r.parse(0, OrderId::parse)?,
            csat: u8::try_from(r.int(1)?).context("stored csat")?,
            nps: u8::try_from(r.int(2)?).context("stored nps")?,
            comment: r.text(3)?.to_owned(),
            at_ms: r.int(4)?,
        })
    })
    .collect()
}
