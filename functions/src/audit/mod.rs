//! The audit log of staff actions. [`record`] is the one way a row is
//! written, always with the caller's transaction so the entry exists exactly
//! when the action does.
//!
//! - `GET /api/audit?staff=&action=&from=&to=&limit=` — admins read it
//!   ([`list`]; mounted by the accounts function)

pub mod list;

use comptoir_shared::account::Account;
use comptoir_shared::audit::AuditAction;

use crate::params;
use crate::port::{Executor, new_id};

/// Appends what `actor` did to `target` (and how: `detail`).
pub async fn record(
    tx: &mut dyn Executor,
    actor: &Account,
    action: AuditAction,
    target: &str,
    detail: &str,
    now_ms: i64,
) -> anyhow::Result<()> {
    tx.query(
        "INSERT INTO audit_log (id, at_ms, actor_id, actor_email, action, target, detail) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            new_id().as_str(),
            now_ms,
            actor.id.as_str(),
            actor.email.as_str(),
            action.as_str(),
            target,
            detail
        ],
    )
    .await?;
    Ok(())
}
