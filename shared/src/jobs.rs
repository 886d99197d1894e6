//! What the job runner (`POST /api/jobs/run`) and the health probe
//! (`GET /api/health`) answer.

use serde::{Deserialize, Serialize};

/// One periodic duty of the job runner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Duty {
    /// Unpaid orders whose stock reservation lapsed: cancelled, stock released.
    Reservations,
    /// Refunds committed but never sent to the provider: sent.
    Refunds,
    /// Payment sessions closed with their orders: expired at the provider.
    PaymentSessions,
    /// Notifications in the outbox: delivered through the configured mailer.
    Outbox,
    /// Expired sign-in sessions and forgotten sign-in throttle counters: deleted.
    Housekeeping,
    /// The automation rules admins switched on (`GET /api/jobs/automation`):
    /// detractor answers get a support thread, late picking is escalated,
    /// SKUs at their reorder point are drafted on a purchase order, late
    /// orders are announced, small returns approved.
    Automation,
    /// The sandbox provider pays out what it took, once a day (Stripe pays
    /// out on its own; `off` then).
    Payouts,
    /// The audience beacon's raw events rolled up per hour; raw events,
    /// aggregates and salts past their time deleted.
    Audience,
}

/// How a duty went on this call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DutyOutcome {
    /// It ran (`done` and `failed` say what it did).
    Ran,
    /// Another caller holds its lease: it is being done elsewhere right now.
    Skipped,
    /// Nothing to run it with (the outbox without a mail API or relay configured).
    Off,
    /// It failed as a whole (the cause is in the server log); the next call retries.
    Failed,
}

/// What one duty did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DutyReport {
    /// Which duty.
    pub duty: Duty,
    /// How it went.
    pub outcome: DutyOutcome,
    /// Items done (orders released, refunds sent, sessions expired, messages
    /// sent, rows deleted).
    pub done: u32,
    /// Items tried and left for a later call.
    pub failed: u32,
}

/// The job runner's answer: the schema it ran on, and every duty's report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JobsReport {
    /// The schema version after the migrate step (the latest migration applied).
    pub schema: i64,
    /// Each duty, in the order they ran.
    pub duties: Vec<DutyReport>,
}

/// `GET /api/health`: the store answered and its schema is current.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Health {
    /// Always `ok` (a store that is not answers 503).
    pub status: String,
    /// The schema version (the latest migration applied).
    pub schema: i64,
}
