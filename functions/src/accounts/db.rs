//! Account SQL for the back office: staff members and customers as admins
//! and support see them.

use anyhow::Context as _;
use comptoir_shared::Money;
use comptoir_shared::account::{CustomerRow, Role, StaffMember};
use comptoir_shared::ids::{Email, OpaqueId};
use comptoir_shared::note::StaffNote;

use crate::params;
use crate::port::{Executor, Row};

const STAFF: &str =
    "SELECT id, email, name, role, disabled_at IS NOT NULL, created_at FROM accounts";

fn staff_member(r: &Row) -> anyhow::Result<StaffMember> {
    Ok(StaffMember {
        id: r.parse(0, OpaqueId::parse)?,
        email: r.parse(1, Email::parse)?,
        name: r.text(2)?.to_owned(),
        role: Role::parse(r.text(3)?).context("stored role")?,
        disabled: r.int(4)? != 0,
        created_at_ms: r.int(5)?,
    })
}

/// Every staff account, admins first, then by e-mail.
pub async fn staff(db: &mut dyn Executor) -> anyhow::Result<Vec<StaffMember>> {
    db.query(
        &format!("{STAFF} WHERE role <> 'customer' ORDER BY role <> 'admin', email"),
        &[],
    )
    .await?
    .iter()
    .map(staff_member)
    .collect()
}

/// One staff account (a customer's id reads as absent).
pub async fn staff_member_by_id(
    db: &mut dyn Executor,
    id: &OpaqueId,
) -> anyhow::Result<Option<StaffMember>> {
    db.optional(
        &format!("{STAFF} WHERE id = ?1 AND role <> 'customer'"),
        params![id.as_str()],
    )
    .await?
    .as_ref()
    .map(staff_member)
    .transpose()
}

/// Enabled admins other than `except`.
pub async fn other_active_admins(db: &mut dyn Executor, except: &OpaqueId) -> anyhow::Result<i64> {
    db.one(
        "SELECT COUNT(*) FROM accounts WHERE role = 'admin' AND disabled_at IS NULL AND id <> ?1",
        params![except.as_str()],
    )
    .await?
    .int(0)
}

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
