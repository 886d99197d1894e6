//! The shop's pages: catalog → product → cart.

pub mod cart;
pub mod catalog;
pub mod product;
