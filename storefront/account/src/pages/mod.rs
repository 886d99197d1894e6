//! Checkout, payment, orders and the customer portal.

pub mod auth;
pub mod checkout;
pub mod order;
pub mod pay;
pub mod portal;
