//! The stock forecast per SKU: its daily sales rebuilt from the stock
//! ledger (Paris days), the model of [`comptoir_shared::forecast`] fitted to
//! them, and what that means for reordering.
//!
//! A day is **out of stock** when it began with nothing on the shelf and
//! sold nothing: the shelf at each day's start is rebuilt backwards from
//! today's on-hand through the ledger's receipts, adjustments, sales and
//! returns. Such days are missing demand, not zero demand.

use std::collections::HashMap;

use axum::Json;
use axum::extract::{Path, State};
use comptoir_shared::ApiError;
use comptoir_shared::account::Role;
use comptoir_shared::calendar::{DAY_MS, iso_day, paris_day, weekday};
use comptoir_shared::catalog::variant_description;
use comptoir_shared::forecast::{self, Day};
use comptoir_shared::ids::Sku;
use comptoir_shared::purchasing::{SalesDay, SkuForecast, SkuForecastDetail, Supply};

use crate::error::AppResult;
use crate::identity::Viewer;
use crate::params;
use crate::port::{Executor, Host};

/// Days of history the model learns from (26 weeks).
const HISTORY_DAYS: usize = 182;
/// Days of history a SKU's chart shows.
const SHOWN_DAYS: usize = 91;
/// Days a SKU's chart forecasts.
const FORECAST_DAYS: usize = 28;
/// SKUs the list answers at most (the most urgent; a catalog may hold
/// 100 000 variants, most never short).
const LISTED: usize = 500;

/// A SKU as the forecast needs it.
struct Shelf {
    sku: Sku,
    description: String,
    on_hand: i64,
    reserved: i64,
    on_order: i64,
    supply: Option<Supply>,
}

async fn shelves(db: &mut dyn Executor, only: Option<&Sku>) -> anyhow::Result<Vec<Shelf>> {
    db.query(
        &format!(
            "SELECT s.sku, p.name, v.colour, v.size, s.on_hand, s.reserved, \
                COALESCE((SELECT SUM(l.ordered - l.received) FROM purchase_order_lines l \
                    JOIN purchase_orders o ON o.id = l.po_id WHERE l.sku = s.sku AND o.status = 'sent'), 0), \
                ss.unit_cost_cents, ss.safety_days, ss.review_days, {} \
             FROM stock s JOIN variants v ON v.sku = s.sku JOIN products p ON p.id = v.product_id \
             LEFT JOIN sku_supply ss ON ss.sku = s.sku LEFT JOIN suppliers su ON su.id = ss.supplier_id \
             WHERE CAST(?1 AS TEXT) IS NULL OR s.sku = ?1 ORDER BY s.sku",
            super::db::SUPPLIER
        ),
        params![only.map(Sku::as_str)],
    )
    .await?
    .iter()
    .map(|r| {
        Ok(Shelf {
            sku: r.parse(0, Sku::parse)?,
            description: variant_description(r.text(1)?, r.opt_text(2)?, r.opt_text(3)?),
            on_hand: r.int(4)?,
            reserved: r.int(5)?,
            on_order: r.int(6)?,
            supply: super::db::supply(r, 7)?,
        })
    })
    .collect()
}

/// Per SKU that moved, per day from [`HISTORY_DAYS`] before `today` to
/// `today` (index 0 = the first): units sold, and the on-hand change.
type Moves = HashMap<String, (Vec<i64>, Vec<i64>)>;

/// The ledger's moves since [`HISTORY_DAYS`] before `today` (of one SKU, or
/// of all): only SKUs that moved take room.
async fn moves(db: &mut dyn Executor, today: i64, only: Option<&Sku>) -> anyhow::Result<Moves> {
    let first = today - HISTORY_DAYS as i64;
    // Paris is at most two hours ahead of UTC: start early, bucket exactly.
    let since = first * DAY_MS - 2 * 3_600_000;
    // One SKU by its own index (`sku, at`); every SKU by time (`at`).
    let rows = match only {
        Some(sku) => {
            db.query(
                "SELECT sku, kind, quantity, at FROM stock_movements \
                 WHERE sku = ?1 AND at >= ?2 AND kind IN ('receipt', 'adjustment', 'sale', 'return')",
                params![sku.as_str(), since],
            )
            .await?
        }
        None => {
            db.query(
                "SELECT sku, kind, quantity, at FROM stock_movements \
                 WHERE at >= ?1 AND kind IN ('receipt', 'adjustment', 'sale', 'return')",
                params![since],
            )
            .await?
        }
    };
    // Per SKU and day (index 0 = `first`, HISTORY_DAYS = today): units sold,
    // and the on-hand change.
    let span = HISTORY_DAYS + 1;
    let mut moves = Moves::new();
    for r in &rows {
        let Ok(i) = usize::try_from(paris_day(r.int(3)?) - first) else {
            continue;
        };
        if i >= span {
            continue;
        }
        let (sold, delta) = moves
            .entry(r.text(0)?.to_owned())
            .or_insert_with(|| (vec![0; span], vec![0; span]));
        let quantity = r.int(2)?;
        if r.text(1)? == "sale" {
            sold[i] -= quantity;
        }
        delta[i] += quantity;
    }
    Ok(moves)
}

/// A SKU's last [`HISTORY_DAYS`] whole days before today, oldest first,
/// from its moves (taken from `moves`) and today's on-hand.
fn history(shelf: &Shelf, moves: &mut Moves) -> Vec<Day> {
    let span = HISTORY_DAYS + 1;
    let (sold, delta) = moves
        .remove(shelf.sku.as_str())
        .unwrap_or_else(|| (vec![0; span], vec![0; span]));
    let mut days = vec![
        Day {
            sold: 0,
            in_stock: true
        };
        HISTORY_DAYS
    ];
    // Walk back from today's on-hand: a day's start is its end minus what
    // moved during it.
    let mut end = shelf.on_hand;
    for i in (0..span).rev() {
        let start = end - delta[i];
        if i < HISTORY_DAYS {
            days[i] = Day {
                sold: u32::try_from(sold[i].max(0)).unwrap_or(u32::MAX),
                in_stock: start > 0 || sold[i] > 0,
            };
        }
        end = start;
    }
    days
}

/// The figures of one SKU, and its fitted model.
fn summarize(shelf: Shelf, history: &[Day], today: i64) -> (SkuForecast, Option<forecast::Model>) {
    let first_weekday = weekday(today - HISTORY_DAYS as i64);
    let available = shelf.on_hand - shelf.reserved;
    let model = forecast::fit(history, first_weekday);
    let on_order = u32::try_from(shelf.on_order.max(0)).unwrap_or(u32::MAX);
    let plan = model.as_ref().map(|m| {
        let (lead, safety, review) = shelf.supply.as_ref().map_or((1, 0, 1), |s| {
            (s.supplier.lead_time_days, s.safety_days, s.review_days)
        });
        forecast::plan(m, weekday(today), available, on_order, lead, safety, review)
    });
    let sells = plan.as_ref().filter(|p| p.velocity_per_day_milli > 0);
    let planned = plan.as_ref().filter(|_| shelf.supply.is_some());
    let summary = SkuForecast {
        sku: shelf.sku,
        description: shelf.description,
        available,
        on_order: shelf.on_order,
        velocity_per_day_milli: plan.as_ref().map(|p| p.velocity_per_day_milli),
        days_of_cover: sells.and_then(|p| p.days_of_cover),
        stockout_date: sells
            .and_then(|p| p.stockout_in_days)
            .map(|n| iso_day(today + i64::from(n))),
        reorder_point: planned.map(|p| p.reorder_point),
        suggested_quantity: planned.map_or(0, |p| p.suggested_quantity),
        supply: shelf.supply,
    };
    (summary, model)
}

/// One SKU's forecast at `now`, with its history and model.
async fn compute(
    db: &mut dyn Executor,
    now: i64,
    sku: &Sku,
) -> anyhow::Result<Option<(SkuForecast, Vec<Day>, Option<forecast::Model>)>> {
    let today = paris_day(now);
    let Some(shelf) = shelves(db, Some(sku)).await?.into_iter().next() else {
        return Ok(None);
    };
    let history = history(&shelf, &mut moves(db, today, Some(sku)).await?);
    let (summary, model) = summarize(shelf, &history, today);
    Ok(Some((summary, history, model)))
}

/// Every SKU's forecast: soonest stockout first, then by SKU. Each SKU's
/// history is built, fitted and dropped in turn (a catalog may hold 100 000
/// variants).
pub async fn all(db: &mut dyn Executor, now: i64) -> anyhow::Result<Vec<SkuForecast>> {
    let today = paris_day(now);
    let shelves = shelves(db, None).await?;
    let mut moves = moves(db, today, None).await?;
    let mut list: Vec<SkuForecast> = shelves
        .into_iter()
        .map(|shelf| {
            let history = history(&shelf, &mut moves);
            summarize(shelf, &history, today).0
        })
        .collect();
    list.sort_by(|a, b| {
        (a.stockout_date.is_none(), &a.stockout_date, a.sku.as_str()).cmp(&(
            b.stockout_date.is_none(),
            &b.stockout_date,
            b.sku.as_str(),
        ))
    });
    Ok(list)
}

/// Lists every SKU's forecast.
#[utoipa::path(
    get,
    path = "/api/stock/forecast",
    operation_id = "list_stock_forecasts",

    summary = "Forecast every SKU's sales and reorders",
    tag = "stock",
    description = "Roles: warehouse, admin. Per SKU, from the last 182 days of the stock ledger \
        (days out of stock left out as missing demand): sales velocity (simple exponential \
        smoothing with weekday seasonality), days of cover, expected stockout date, and with a \
        supplier set the reorder point (demand over the lead time + safety stock) and the \
        quantity to order. The 500 most urgent: soonest stockout first, then by SKU.",
    security(("session" = [])),
    responses(
        (status = 200, description = "The forecasts.", body = Vec<SkuForecast>),
        (status = 403, description = "`forbidden`: neither warehouse nor an admin.", body = ApiError),
    )
)]
pub async fn list(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    viewer: Viewer,
) -> AppResult<Json<Vec<SkuForecast>>> {
    viewer.require(&[Role::Warehouse])?;
    let mut list = all(&mut host.db.auto(), host.clock.now_ms()).await?;
    list.truncate(LISTED);
    Ok(Json(list))
}

/// One SKU's history and forecast.
#[utoipa::path(
    get,
    path = "/api/stock/{sku}/forecast",
    operation_id = "get_stock_forecast",

    summary = "One SKU's sales history and forecast",
    tag = "stock",
    description = "Roles: warehouse, admin. The SKU's figures, its last 91 days (units sold, \
        in stock or not) and the forecast for the next 28 days, for its chart.",
    params(("sku" = Sku, Path, description = "The SKU.")),
    security(("session" = [])),
    responses(
        (status = 200, description = "History and forecast.", body = SkuForecastDetail),
        (status = 403, description = "`forbidden`: neither warehouse nor an admin.", body = ApiError),
        (status = 404, description = "`not_found` (`sku`).", body = ApiError),
    )
)]
pub async fn detail(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    viewer: Viewer,
    Path(raw): Path<String>,
) -> AppResult<Json<SkuForecastDetail>> {
    viewer.require(&[Role::Warehouse])?;
    let sku = Sku::parse(&raw).map_err(|_| ApiError::not_found("sku"))?;
    let now = host.clock.now_ms();
    let today = paris_day(now);
    let Some((summary, history, model)) = compute(&mut host.db.auto(), now, &sku).await? else {
        return Err(ApiError::not_found("sku").into());
    };
    let shown = history.len().saturating_sub(SHOWN_DAYS);
    let history = history
        .iter()
        .enumerate()
        .skip(shown)
        .map(|(i, d)| SalesDay {
            date: iso_day(today - (HISTORY_DAYS - i) as i64),
            sold: d.sold,
            in_stock: d.in_stock,
        })
        .collect();
    let forecast_milli = model
        .map(|m| {
            m.forecast(weekday(today), FORECAST_DAYS)
                .into_iter()
                .map(|units| {
                    let milli = (units * 1000.0).round();
                    if milli.is_finite() && milli > 0.0 {
                        milli as u64
                    } else {
                        0
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(Json(SkuForecastDetail {
        summary,
        history,
        forecast_milli,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paris_days_and_weekdays() {
        // 2026-12-07 is a Monday; 23:30 UTC on the 6th is already the 7th in Paris.
        let monday = comptoir_shared::calendar::days_from_civil(2026, 12, 7);
        assert_eq!(weekday(monday), 0);
        assert_eq!(weekday(monday + 6), 6);
        assert_eq!(
            paris_day((monday - 1) * DAY_MS + 23 * 3_600_000 + 1_800_000),
            monday
        );
        assert_eq!(iso_day(monday), "2026-12-07");
    }
}
