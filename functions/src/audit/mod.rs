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

/// The account the automation rules act as (a disabled support account
/// nobody can sign in to; migration `20261210090000`). Its audit rows say
/// `automation`.
pub const AUTOMATION_ID: &str = "00000000000000000000000000000a70";

/// Appends what `actor` did to `target` (and how: `detail`).
pub async fn record(
    tx: &mut dyn Executor,
    actor: &Account,
    action: AuditAction,
    target: &str,
    detail: &str,
    now_ms: i64,
) -> anyhow::Result<()> {
    insert(
        tx,
        (actor.id.as_str(), actor.email.as_str()),
        action,
        target,
        detail,
        now_ms,
    )
    .await
}

/// Appends what an automation rule did to `target`, with the actor
/// `automation`.
pub async fn record_automation(
    tx: &mut dyn Executor,
    action: AuditAction,
    target: &str,
    detail: &str,
    now_ms: i64,
) -> anyhow::Result<()> {
    insert(
        tx,
        (AUTOMATION_ID, "automation"),
        action,
        target,
        detail,
        now_ms,
    )
    .await
}

async fn insert(
    tx: &mut dyn Executor,
    (actor_id, actor_label): (&str, &str),
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
            actor_id,
            actor_label,
            action.as_str(),
            target,
            detail
        ],
    )
    .await?;
    Ok(())
}

/// Ends a staff-note action the same way wherever the note is written (an
/// order, a customer): the audit row (first 80 characters), the commit, and
/// `201` with the note as staff will read it.
pub async fn finish_note(
    mut tx: Box<dyn crate::port::Transaction>,
    staff: &Account,
    action: AuditAction,
    target: &str,
    text: &str,
    now_ms: i64,
) -> crate::error::AppResult<(
    axum::http::StatusCode,
    axum::Json<comptoir_shared::note::StaffNote>,
)> {
    let excerpt: String = text.chars().take(80).collect();
    record(tx.as_mut(), staff, action, target, &excerpt, now_ms).await?;
    tx.commit().await?;
    Ok((
        axum::http::StatusCode::CREATED,
        axum::Json(comptoir_shared::note::StaffNote {
            at_ms: now_ms,
            author: staff.email.to_string(),
            body: text.to_owned(),
        }),
    ))
}
