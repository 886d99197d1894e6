//! Refunds: the customer asks per line, finance decides, the provider pays
//! back. Σ refunded ≤ captured holds under concurrency because every amount
//! is committed (`pending`) inside one write transaction that first sums what
//! is already committed ([`db::commit_amount`]).
//!
//! - `POST /api/refunds` — a customer's request ([`request`])
//! - `GET /api/refunds` — finance's queue ([`queue`])
//! - `GET /api/refunds/mine?order=` — the customer's own refunds ([`mine`])
//! - `POST /api/refunds/{id}/decline` ([`decline`])
//!
//! Sending a refund to the provider is [`crate::payments::refund`]; the
//! refunds function also serves finance's approvals, direct refunds and
//! (re)sends, which send at once ([`crate::backoffice`]): its route table is
//! in the crate root.

pub mod db;
pub mod decline;
pub mod mine;
pub mod queue;
pub mod request;
