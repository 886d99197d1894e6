//! Staff actions that span orders, refunds and payments, above all three:
//! an order as staff see it (with its payments and refunds), status changes
//! (with the stock and the refund a cancellation gives back), and refunds
//! that go to the provider at once. Served by the orders and refunds
//! functions.
//!
//! - `GET /api/orders/{id}/staff` — everything staff know about an order ([`order_view`])
//! - `POST /api/orders/{id}/status` — staff move it on ([`order_status`])
//! - `POST /api/refunds/{id}/approve` — finance approves a request ([`approve_refund`])
//! - `POST /api/refunds/direct` — finance refunds an amount directly ([`direct_refund`])
//! - `POST /api/refunds/{id}/execute` — (re)send a committed refund to the
//!   provider, e.g. the one a cancellation committed ([`execute_refund`])

pub mod approve_refund;
pub mod direct_refund;
pub mod execute_refund;
pub mod order_status;
pub mod order_view;
