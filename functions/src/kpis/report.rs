//! `GET /api/kpis?from=&to=`: the KPI report over `[from, to)` (unix ms;
//! default the last 30 days, at most 366 days), for every staff member.

use axum::Json;
use axum::extract::State;
use comptoir_shared::calendar::{DAY_MS, day_of, iso_date};
use comptoir_shared::kpi::{
    self, BillingFigures, DayPoint, KpiReport, RefundFigures, Revenue, Satisfaction, Shipping,
    StockFigures, percentile, ratio_bps, scaled,
};
use comptoir_shared::{ApiError, Money};
use serde::Deserialize;

use crate::error::AppResult;
use crate::extract::{ApiQuery, int_param};
use crate::identity::Viewer;
use crate::port::Host;

/// The longest period one report covers.
pub const MAX_DAYS: i64 = 366;

/// `?from=&to=`, unix ms.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct Params {
    /// Start (unix ms, inclusive; default 30 days before `to`).
    #[param(value_type = Option<i64>, minimum = 0, maximum = 4611686018427387903_i64)]
    from: Option<String>,
    /// End (unix ms, exclusive; default now).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 4611686018427387903_i64)]
    to: Option<String>,
}

impl Params {
    /// The period `[from, to)` asked for: default the 30 days before now,
    /// at most [`MAX_DAYS`] long.
    pub fn period(&self, now: i64) -> Result<(i64, i64), ApiError> {
        let to = int_param("to", self.to.as_deref(), 1..=i64::MAX / 2)?.unwrap_or(now);
        let from = int_param("from", self.from.as_deref(), 0..=i64::MAX / 2)?
            .unwrap_or(to - 30 * DAY_MS)
            .max(0);
        if from >= to || to - from > MAX_DAYS * DAY_MS {
            return Err(ApiError::validation(
                "to",
                "after from, at most 366 days later",
            ));
        }
        Ok((from, to))
    }
}

/// Computes the report.
#[utoipa::path(
    get,
    path = "/api/kpis",
    operation_id = "get_kpi_report",

    summary = "Read the KPI report",
    tag = "kpis",
    description = "Roles: admin, support, warehouse, finance. The KPI report over `[from, to)` \
        (default the last 30 days, at most 366 days; days are UTC). Money in minor units, \
        ratios in basis points (10 000 = 100 %), averages in thousandths, durations in ms; a \
        ratio over nothing is `null`.",
    params(Params),
    security(("session" = [])),
    responses(
        (status = 200, description = "The report.", body = KpiReport),
        (status = 403, description = "`forbidden`: not a staff account.", body = ApiError),
        (status = 422, description = "`validation`: `from`/`to` not whole numbers, `to` not after `from`, or more than 366 days apart.", body = ApiError),
    )
)]
pub async fn handle(
    State(host): State<Host>,
    viewer: Viewer,
    ApiQuery(params): ApiQuery<Params>,
) -> AppResult<Json<KpiReport>> {
    viewer.staff()?;
    let now = host.clock.now_ms();
    let (from, to) = params.period(now)?;
    let db = &mut host.db.auto();
    let costs = super::db::costs(db).await?;

    let (checkouts_started, started_and_paid) = super::db::checkouts(db, from, to).await?;
    let days = super::db::paid_per_day(db, from, to).await?;
    let paid_orders: i64 = days.iter().map(|(_, n, _)| n).sum();
    let gross: i64 = days.iter().map(|(_, _, cents)| cents).sum();
    let refunded = super::db::refunded(db, from, to).await?;
    let orders_per_day = (day_of(from)..=day_of(to - 1))
        .map(|day| {
            let (orders, revenue) = days
                .iter()
                .find(|(d, _, _)| *d == day)
                .map_or((0, 0), |(_, n, cents)| (*n, *cents));
            DayPoint {
                day: iso_date(day * DAY_MS),
                orders,
                revenue: Money::eur(revenue),
            }
        })
        .collect();

    let mut shipping_times = super::db::shipping_times(db, from, to).await?;
    let sla_ms = i64::from(costs.shipping_sla_hours) * 3_600_000;
    let shipped = i64::try_from(shipping_times.len()).unwrap_or(i64::MAX);
    let on_time =
        i64::try_from(shipping_times.iter().filter(|&&t| t <= sla_ms).count()).unwrap_or(i64::MAX);

    let units_sold = super::db::units_sold(db, from, to).await?;
    let average_on_hand_milli = scaled(
        super::db::on_hand_at(db, from).await? + super::db::on_hand_at(db, to).await?,
        2,
        1000,
    )
    .unwrap_or(0);

    let (payment_errors, failed_refunds) = super::db::billing(db, from, to).await?;
    let mut turnarounds = super::db::refund_turnarounds(db, from, to).await?;
    let scores = super::db::survey_scores(db, from, to).await?;
    let responses = i64::try_from(scores.len()).unwrap_or(i64::MAX);
    let csat_sum: i64 = scores.iter().map(|(c, _)| i64::from(*c)).sum();
    let satisfied = i64::try_from(scores.iter().filter(|(c, _)| *c >= 4).count()).unwrap_or(0);
    let nps_answers: Vec<u8> = scores.iter().map(|(_, n)| *n).collect();
    let (payers, repeaters) = super::db::repeat_customers(db, from, to).await?;

    Ok(Json(KpiReport {
        from_ms: from,
        to_ms: to,
        checkouts_started,
        paid_orders,
        conversion_bps: ratio_bps(started_and_paid, checkouts_started),
        revenue: Revenue {
            gross: Money::eur(gross),
            refunded: Money::eur(refunded),
            net: Money::eur(gross - refunded),
            average_order_value: scaled(gross, paid_orders, 1).map(Money::eur),
        },
        orders_per_day,
        shipping: Shipping {
            shipped,
            paid_to_shipped_p50_ms: percentile(&mut shipping_times, 50),
            paid_to_shipped_p90_ms: percentile(&mut shipping_times, 90),
            sla_hours: costs.shipping_sla_hours,
            on_time_bps: ratio_bps(on_time, shipped),
        },
        cost_per_order: kpi::cost_per_order(&costs, to - from, paid_orders, shipped, gross),
        costs,
        stock: StockFigures {
            units_sold,
            average_on_hand_milli,
            rotation_bps: scaled(units_sold * 1000, average_on_hand_milli, 10_000),
            stockout_skus_now: super::db::stockouts_now(db).await?,
            sales_that_emptied_a_sku: super::db::emptying_sales(db, from, to).await?,
        },
        billing: BillingFigures {
            payment_errors,
            failed_refunds,
        },
        refunds: RefundFigures {
            refund_rate_bps: ratio_bps(refunded, gross),
            orders_with_refund_bps: ratio_bps(
                super::db::paid_orders_refunded(db, from, to).await?,
                paid_orders,
            ),
            turnaround_p50_ms: percentile(&mut turnarounds, 50),
        },
        satisfaction: Satisfaction {
            responses,
            csat_average_milli: scaled(csat_sum, responses, 1000),
            csat_satisfied_bps: ratio_bps(satisfied, responses),
            nps: kpi::nps(&nps_answers),
        },
        repeat_customer_bps: ratio_bps(repeaters, payers),
        stuck_orders: crate::orders::stuck::list(db, now, i64::from(costs.shipping_sla_hours))
            .await?,
    }))
}
