//! `GET /api/orders?status=&from=&to=&customer=&q=&page=`: the staff order
//! board, newest first, 50 a page (`page` from 1). `from`/`to` bound the
//! creation time (unix ms, `to` exclusive); `customer` is an account id or
//! an e-mail; `q` searches the id, e-mail, recipient name and tracking
//! number. The CSV export ([`super::export`]) takes the same filters.

use axum::Json;
use axum::extract::State;
use comptoir_shared::ids::{Email, OpaqueId, OrderId};
use comptoir_shared::order::{OrderRow, OrderStatus};
use comptoir_shared::{ApiError, Money};
use serde::Deserialize;

use crate::error::AppResult;
use crate::extract::{ApiQuery, contains_pattern, int_param};
use crate::identity::Viewer;
use crate::params;
use crate::port::{Executor, Host};

/// Rows per page.
pub const PAGE_SIZE: i64 = 50;

/// The query string, as sent.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// Only orders in this status.
    #[param(value_type = Option<OrderStatus>)]
    status: Option<String>,
    /// Created from this instant (unix ms, inclusive).
    #[param(value_type = Option<i64>, minimum = 0)]
    from: Option<String>,
    /// Created before this instant (unix ms, exclusive).
    #[param(value_type = Option<i64>, minimum = 0)]
    to: Option<String>,
    /// Who placed them: an account id (signed-in orders) or an e-mail (any order under it).
    customer: Option<String>,
    /// Words to look for in the id, e-mail, recipient name and tracking number (at most 100 characters).
    #[param(max_length = 100)]
    q: Option<String>,
    /// 1-based page of 50 (the export ignores it).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 100000)]
    page: Option<String>,
}

/// Who placed the order: an account, or an e-mail.
#[derive(Debug, Clone)]
pub enum Customer {
    /// Placed signed in by this account.
    Account(OpaqueId),
    /// Under this e-mail (guest or not).
    Email(Email),
}

/// The filters, parsed.
#[derive(Debug, Clone, Default)]
pub struct Filter {
    status: Option<OrderStatus>,
    from: Option<i64>,
    to: Option<i64>,
    customer: Option<Customer>,
    pattern: Option<String>,
    /// 1-based page.
    pub page: i64,
}

impl Filter {
    /// Every order `customer` placed signed in.
    pub fn for_customer(customer: OpaqueId) -> Self {
        Self {
            customer: Some(Customer::Account(customer)),
            page: 1,
            ..Self::default()
        }
    }

    /// Parses the query string; 422 naming the bad parameter.
    pub fn parse(params: &Params) -> Result<Self, ApiError> {
        let status = params
            .status
            .as_deref()
            .map(|raw| {
                OrderStatus::parse(raw)
                    .ok_or_else(|| ApiError::validation("status", "an order status"))
            })
            .transpose()?;
        let customer = params
            .customer
            .as_deref()
            .map(|raw| match OpaqueId::parse(raw) {
                Ok(id) => Ok(Customer::Account(id)),
                Err(_) => Email::parse(raw)
                    .map(Customer::Email)
                    .map_err(|_| ApiError::validation("customer", "an account id or an e-mail")),
            })
            .transpose()?;
        Ok(Self {
            status,
            from: int_param("from", params.from.as_deref(), 0..=i64::MAX)?,
            to: int_param("to", params.to.as_deref(), 0..=i64::MAX)?,
            customer,
            pattern: contains_pattern("q", params.q.as_deref())?,
            page: int_param("page", params.page.as_deref(), 1..=100_000)?.unwrap_or(1),
        })
    }
}

/// The orders matching `filter`, newest first, `limit` from `offset`.
pub async fn rows(
    db: &mut dyn Executor,
    filter: &Filter,
    limit: i64,
    offset: i64,
) -> anyhow::Result<Vec<OrderRow>> {
    let (account, email) = match &filter.customer {
        Some(Customer::Account(id)) => (Some(id.as_str()), None),
        Some(Customer::Email(email)) => (None, Some(email.as_str())),
        None => (None, None),
    };
    let rows = db
        .query(
            "SELECT o.id, o.status, o.email, o.total_cents, o.created_at, o.paid_at, \
                    (SELECT COALESCE(SUM(l.quantity), 0) FROM order_lines l WHERE l.order_id = o.id) \
             FROM orders o \
             WHERE (CAST(?1 AS TEXT) IS NULL OR o.status = ?1) AND (CAST(?2 AS BIGINT) IS NULL OR o.created_at >= ?2) \
               AND (CAST(?3 AS BIGINT) IS NULL OR o.created_at < ?3) AND (CAST(?4 AS TEXT) IS NULL OR o.customer_id = ?4) \
               AND (CAST(?5 AS TEXT) IS NULL OR o.email = ?5) \
               AND (CAST(?6 AS TEXT) IS NULL OR o.id LIKE ?6 ESCAPE '\\' OR LOWER(o.email) LIKE ?6 ESCAPE '\\' \
                    OR LOWER(o.ship_name) LIKE ?6 ESCAPE '\\' OR LOWER(o.tracking_number) LIKE ?6 ESCAPE '\\') \
             ORDER BY o.created_at DESC, o.id LIMIT ?7 OFFSET ?8",
            params![
                filter.status.map(OrderStatus::as_str),
                filter.from,
                filter.to,
                account,
                email,
                filter.pattern.as_deref(),
                limit,
                offset
            ],
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(OrderRow {
                id: r.parse(0, OrderId::parse)?,
                status: OrderStatus::parse(r.text(1)?)
                    .ok_or_else(|| anyhow::anyhow!("stored status"))?,
                email: r.parse(2, Email::parse)?,
                total: Money::eur(r.int(3)?),
                created_at_ms: r.int(4)?,
                paid_at_ms: r.opt_int(5)?,
                item_count: r.int(6)?,
            })
        })
        .collect()
}

/// Lists one page of the board, for any staff member.
#[utoipa::path(
    get,
    path = "/api/orders",
    operation_id = "list_orders",

    summary = "List orders (staff board)",
    tag = "orders",
    description = "Roles: admin, support, warehouse, finance. The order board, newest first, 50 a page.",
    params(Params),
    security(("session" = [])),
    responses(
        (status = 200, description = "One page of orders.", body = Vec<OrderRow>),
        (status = 403, description = "`forbidden`: not a staff account.", body = ApiError),
        (status = 422, description = "`validation`: a filter does not parse (the parameter is named).", body = ApiError),
    )
)]
pub async fn handle(
    State(host): State<Host>,
    viewer: Viewer,
    ApiQuery(params): ApiQuery<Params>,
) -> AppResult<Json<Vec<OrderRow>>> {
    viewer.staff()?;
    let filter = Filter::parse(&params)?;
    let offset = (filter.page - 1) * PAGE_SIZE;
    Ok(Json(
        rows(&mut host.db.auto(), &filter, PAGE_SIZE, offset).await?,
    ))
}
