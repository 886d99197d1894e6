//! Pages grouped by audience.

pub mod shop;
