//! The shopper's journey: catalog → product → cart → checkout → payment → order.

pub mod cart;
pub mod catalog;
pub mod checkout;
pub mod order;
pub mod pay;
pub mod product;
