//! Customer SQL for the back office: customers with their order figures, and
//! the notes staff keep about them.

use comptoir_shared::Money;
use comptoir_shared::account::CustomerRow;
use comptoir_shared::ids::{Email, OpaqueId};
use comptoir_shared::note::StaffNote;

use crate::params;
use crate::port::Executor;

/// A customer with their order figures; `id` and `pattern` (a lower-case
/// `LIKE` on e-mail or name) narrow the list. Newest accounts first.
pub async fn customers(
    db: &mut dyn Executor,
    id: Option<&OpaqueId>,
    pattern: Option<&str>,
) -> anyhow::Result<Vec<CustomerRow>> {
    db.query(
        "SELECT a.id, a.email, a.name, a.created_at, \
                (SELECT COUNT(*) FROM orders o WHERE o.customer_id = a.id), \
                (SELECT COALESCE(SUM(o.total_cents), 0) FROM orders o WHERE o.customer_id = a.id AND o.paid_at IS NOT NULL), \
                (SELECT MAX(o.created_at) FROM orders o WHERE o.customer_id = a.id) \
         FROM accounts a WHERE a.role = 'customer' AND (CAST(?1 AS TEXT) IS NULL OR a.id = ?1) \
           AND (CAST(?2 AS TEXT) IS NULL OR LOWER(a.email) LIKE ?2 ESCAPE '\\' OR LOWER(a.name) LIKE ?2 ESCAPE '\\') \
         ORDER BY a.created_at DESC, a.id LIMIT 200",
        params![id.map(OpaqueId::as_str), pattern],
    )
    .await?
    .iter()
    .map(|r| {
        Ok(CustomerRow {
            id: r.parse(0, OpaqueId::parse)?,
            email: r.parse(1, Email::parse)?,
            name: r.text(2)?.to_owned(),
            created_at_ms: r.int(3)?,
            order_count: r.int(4)?,
            total_paid: Money::eur(r.int(5)?),
            last_order_at_ms: r.opt_int(6)?,
        })
    })
    .collect()
}

/// Staff notes about a customer, oldest first.
pub async fn customer_notes(
    db: &mut dyn Executor,
    customer: &OpaqueId,
) -> anyhow::Result<Vec<StaffNote>> {
    db.query(
        "SELECT at_ms, author_email, body FROM customer_notes WHERE customer_id = ?1 ORDER BY at_ms, id",
        params![customer.as_str()],
    )
    .await?
    .iter()
    .map(|r| {
        Ok(StaffNote {
            at_ms: r.int(0)?,
            author: r.text(1)?.to_owned(),
            body: r.text(2)?.to_owned(),
        })
    })
    .collect()
}
