//! The black-box suite: one test binary (one link, one file on disk)
//! holding every journey, a module per area. Each test starts its own
//! host on a free port with a fresh database, so modules share nothing
//! but the process. `-- --skip browser::` leaves out the two browser
//! modules (the Postgres lane runs the rest again).

mod accounts;
mod admin_browser;
mod api;
mod audience;
mod audit;
mod authorization;
mod automation;
mod books;
mod browser;
mod budgets;
mod captures;
mod catalog;
mod catalog_admin;
mod catalog_search;
mod catalog_translations;
mod copy;
mod customers;
mod edge;
mod fulfilment;
mod invoices;
mod jobs;
mod kpis;
mod openapi;
mod order_board;
mod outbox;
mod pages;
mod payments;
mod pricing;
mod purchasing;
mod reconciliation;
mod refunds;
mod retention;
mod scale_out;
mod signin;
mod staff;
mod stock;
mod stripe;
mod support;
