//! The job runner: the shop's periodic duties — releasing lapsed stock
//! reservations, sending committed refunds, expiring at the provider the
//! payment sessions closed with their orders, delivering the notification
//! outbox, deleting expired sign-in sessions — as one function any caller
//! may run at any rate, from any instance ([`run_due`]; [`runner`]).
//!
//! Each duty runs under its own lease ([`lease`]): a caller that finds a
//! duty's lease held skips it (another caller is doing it right now). The
//! leases only save work: every duty also claims each item with a
//! conditional update before acting on it, so two runners that both hold a
//! lease (one outlived its lease) still never send one message or one refund
//! twice at once.
//!
//! Callers: the native host's timer (every 2 s), and `POST /api/jobs/run`
//! (secret-guarded; [`run`]) for Spin, where no process stays resident — a
//! Kubernetes `CronJob`, Spin's cron trigger or any scheduler calls it.
//! `GET /api/health` ([`health`]) answers probes.
//!
//! - `POST /api/jobs/run` — run every duty once ([`run`])
//! - `GET /api/health` — store reachable, schema current ([`health`])
//! - `GET`/`PUT /api/jobs/automation` — the automation rules the runner
//!   applies ([`crate::automation`])

pub mod health;
pub mod lease;
pub mod mail_api;
pub mod run;
pub mod runner;

pub use mail_api::MailApi;
pub use runner::{run_due, run_with};

use crate::automation;

// The routes on full paths (Spin passes `/api/…/42`, not `/42`), one
// group per path: `api()` with their documentation, `router(host)`.
crate::openapi::api_routes! {
    [run::handle]
    [health::handle]
    [automation::settings::get, automation::settings::set]
}
