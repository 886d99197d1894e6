//! Account SQL for the back office: staff members as admins see them.

use anyhow::Context as _;
use comptoir_shared::account::{Role, StaffMember};
use comptoir_shared::ids::{Email, OpaqueId};

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
        &format!("{STAFF} WHERE role <> 'customer' AND id <> ?1 ORDER BY role <> 'admin', email"),
        params![crate::audit::AUTOMATION_ID],
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
        &format!("{STAFF} WHERE id = ?1 AND role <> 'customer' AND id <> ?2"),
        params![id.as_str(), crate::audit::AUTOMATION_ID],
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
