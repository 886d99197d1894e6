//! Checkout, payment, orders, the customer portal and e-mail verification.

pub mod auth;
pub mod checkout;
pub mod order;
pub mod pay;
pub mod portal;
pub mod verify;
