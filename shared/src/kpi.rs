//! The back office's key figures over a period, and the pure arithmetic
//! behind them (percentiles, ratios, NPS, cost per order), so the figures are
//! exact and tested once.
//!
//! Units, everywhere in this module:
//! - money in integer minor units ([`Money`]);
//! - ratios in **basis points** (`_bps`: 10 000 = 100 %, 1 bp = 0.01 %);
//! - averages (of scores, of units on hand) in **thousandths** (`_milli`:
//!   4 250 = 4.25);
//! - durations in **milliseconds** (`_ms`; divide by 3 600 000 for hours);
//! - NPS as a whole number from −100 to 100.
//!
//! A ratio whose denominator is zero is `None`, never a made-up 0.

use serde::{Deserialize, Serialize};

use crate::error::ValidationError;
use crate::money::{Currency, Money};
use crate::order::StuckOrder;
use crate::pricing::round_div;

/// What running the shop costs, as entered by an admin (`PUT /api/kpis/costs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CostSettings {
    /// Fixed costs per month (rent, software…); prorated over 30-day months.
    pub fixed_monthly: Money,
    /// Packaging and handling, per paid order.
    pub per_order_handling: Money,
    /// The payment provider's fee, in basis points of what is charged.
    #[cfg_attr(feature = "openapi", schema(maximum = 10_000))]
    pub payment_fee_bps: u32,
    /// What the carrier charges per shipment.
    pub per_shipment_carrier: Money,
    /// Shipped within this many hours of payment counts as on time.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 720))]
    pub shipping_sla_hours: u32,
}

impl Default for CostSettings {
    fn default() -> Self {
        Self {
            fixed_monthly: Money::eur(0),
            per_order_handling: Money::eur(0),
            payment_fee_bps: 0,
            per_shipment_carrier: Money::eur(0),
            shipping_sla_hours: 48,
        }
    }
}

impl CostSettings {
    /// Checks the inputs: euros from 0 to 10 000 000.00, a fee of at most
    /// 100 %, an SLA of 1 to 720 hours. The error names the field.
    pub fn validate(&self) -> Result<(), (&'static str, ValidationError)> {
        let amounts = [
            ("fixed_monthly", self.fixed_monthly),
            ("per_order_handling", self.per_order_handling),
            ("per_shipment_carrier", self.per_shipment_carrier),
        ];
        for (field, money) in amounts {
            if money.currency != Currency::Eur || !(0..=1_000_000_000).contains(&money.amount) {
                return Err((
                    field,
                    ValidationError("an amount in EUR from 0 to 10000000.00".into()),
                ));
            }
        }
        if self.payment_fee_bps > 10_000 {
            return Err((
                "payment_fee_bps",
                ValidationError("0 to 10000 basis points".into()),
            ));
        }
        if !(1..=720).contains(&self.shipping_sla_hours) {
            return Err((
                "shipping_sla_hours",
                ValidationError("1 to 720 hours".into()),
            ));
        }
        Ok(())
    }
}

/// One UTC day of the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DayPoint {
    /// `2026-11-24`.
    pub day: String,
    /// Orders paid that day.
    pub orders: i64,
    /// What they charged.
    pub revenue: Money,
}

/// Money in and out over the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Revenue {
    /// Σ totals of orders paid in the period.
    pub gross: Money,
    /// Σ refunds that succeeded in the period.
    pub refunded: Money,
    /// `gross − refunded`.
    pub net: Money,
    /// `gross / paid orders`, rounded half away from zero.
    pub average_order_value: Option<Money>,
}

/// Fulfilment speed over orders shipped in the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Shipping {
    /// Orders shipped in the period.
    pub shipped: i64,
    /// Median time from payment to shipping.
    pub paid_to_shipped_p50_ms: Option<i64>,
    /// 90th percentile of the same.
    pub paid_to_shipped_p90_ms: Option<i64>,
    /// The SLA used.
    pub sla_hours: u32,
    /// Share shipped within the SLA.
    pub on_time_bps: Option<i64>,
}

/// What one paid order cost to serve, and how that splits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CostPerOrder {
    /// Fixed costs of the period (prorated), per order.
    pub fixed: Money,
    /// Packaging and handling per order.
    pub handling: Money,
    /// Payment fees per order.
    pub payment_fees: Money,
    /// Carrier cost per order (shipments of the period / paid orders).
    pub carrier: Money,
    /// The sum of the four.
    pub total: Money,
}

/// Stock movement over the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StockFigures {
    /// Units that left the shelf as sales.
    pub units_sold: i64,
    /// Mean of the units on hand at the start and at the end of the period.
    pub average_on_hand_milli: i64,
    /// `units sold / average on hand` over the period, in basis points like
    /// every ratio (15 000 = the shelf turned over 1.5 times).
    pub rotation_bps: Option<i64>,
    /// SKUs with nothing available right now.
    pub stockout_skus_now: i64,
    /// Sales in the period after which the SKU's shelf was empty.
    pub sales_that_emptied_a_sku: i64,
}

/// Payments and refunds that went wrong in the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BillingFigures {
    /// Payments that did not match their order (never marked paid).
    pub payment_errors: i64,
    /// Refunds the provider could not make.
    pub failed_refunds: i64,
}

/// Refunds over the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RefundFigures {
    /// `refunded / gross revenue`.
    pub refund_rate_bps: Option<i64>,
    /// Share of the period's paid orders with a refund that succeeded.
    pub orders_with_refund_bps: Option<i64>,
    /// Median time from request to money back, over refunds that succeeded
    /// in the period.
    pub turnaround_p50_ms: Option<i64>,
}

/// Survey answers given in the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Satisfaction {
    /// Answers.
    pub responses: i64,
    /// Mean CSAT (1–5) in thousandths.
    pub csat_average_milli: Option<i64>,
    /// Share of CSAT answers of 4 or 5.
    pub csat_satisfied_bps: Option<i64>,
    /// Promoters (9–10) minus detractors (0–6), in % of answers.
    pub nps: Option<i64>,
}

/// `GET /api/kpis?from=&to=`: the period's figures (`from` inclusive, `to`
/// exclusive, unix ms; days are UTC).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct KpiReport {
    /// Start, unix ms.
    pub from_ms: i64,
    /// End (exclusive), unix ms.
    pub to_ms: i64,
    /// Orders created by checkout in the period.
    pub checkouts_started: i64,
    /// Orders paid in the period.
    pub paid_orders: i64,
    /// Share of the period's checkouts that got paid.
    pub conversion_bps: Option<i64>,
    /// Money in and out.
    pub revenue: Revenue,
    /// Paid orders and revenue per UTC day, every day of the period.
    pub orders_per_day: Vec<DayPoint>,
    /// Fulfilment speed.
    pub shipping: Shipping,
    /// What an order cost, with the inputs used.
    pub cost_per_order: Option<CostPerOrder>,
    /// The cost inputs used.
    pub costs: CostSettings,
    /// Stock movement.
    pub stock: StockFigures,
    /// What went wrong with money.
    pub billing: BillingFigures,
    /// Refunds.
    pub refunds: RefundFigures,
    /// Survey answers.
    pub satisfaction: Satisfaction,
    /// Share of the period's paying customers (by e-mail) with at least two
    /// paid orders by the period's end.
    pub repeat_customer_bps: Option<i64>,
    /// Paid orders waiting longer than the SLA to ship, right now.
    pub stuck_orders: Vec<StuckOrder>,
}

/// `part / whole` in basis points, rounded half away from zero; `None` for
/// an empty whole.
pub fn ratio_bps(part: i64, whole: i64) -> Option<i64> {
    scaled(part, whole, 10_000)
}

/// `part / whole × scale`, rounded half away from zero; `None` when `whole`
/// is 0.
pub fn scaled(part: i64, whole: i64, scale: i64) -> Option<i64> {
    (whole != 0).then(|| round_div(i128::from(part) * i128::from(scale), i128::from(whole)))
}

/// The `pct`-th percentile (0–100) of `values` by the nearest-rank method:
/// the smallest value with at least `pct` % of the values at or below it.
/// Sorts `values`; `None` when empty.
pub fn percentile(values: &mut [i64], pct: u8) -> Option<i64> {
    if values.is_empty() {
        return None;
    }
    values.sort_unstable();
    let n = values.len();
    // rank = ceil(pct/100 × n), at least 1.
    let rank = (usize::from(pct.min(100)) * n).div_ceil(100).max(1);
    values.get(rank - 1).copied()
}

/// Net promoter score of 0–10 answers: % promoters (9–10) − % detractors
/// (0–6), rounded half away from zero; `None` without answers.
pub fn nps(answers: &[u8]) -> Option<i64> {
    let n = i64::try_from(answers.len()).ok()?;
    let promoters = answers.iter().filter(|&&a| a >= 9).count();
    let detractors = answers
        .iter()
        .filter(|&&a| a <= crate::support::Survey::DETRACTOR_NPS)
        .count();
    let net = i64::try_from(promoters).ok()? - i64::try_from(detractors).ok()?;
    scaled(net, n, 100)
}

/// Splits the period's costs over its paid orders: fixed costs prorated to
/// the period (30-day months), handling per order, the payment fee on
/// `gross`, the carrier per shipment. `None` without paid orders.
pub fn cost_per_order(
    costs: &CostSettings,
    period_ms: i64,
    paid_orders: i64,
    shipments: i64,
    gross: i64,
) -> Option<CostPerOrder> {
    const MONTH_MS: i128 = 30 * 86_400_000;
    if paid_orders <= 0 {
        return None;
    }
    let orders = i128::from(paid_orders);
    let per_order = |total: i128| Money::eur(round_div(total, orders));
    let fixed = per_order(i128::from(round_div(
        i128::from(costs.fixed_monthly.amount) * i128::from(period_ms.max(0)),
        MONTH_MS,
    )));
    let handling = costs.per_order_handling;
    let payment_fees = per_order(i128::from(round_div(
        i128::from(gross) * i128::from(costs.payment_fee_bps),
        10_000,
    )));
    let carrier = per_order(i128::from(costs.per_shipment_carrier.amount) * i128::from(shipments));
    let total = Money::eur(fixed.amount + handling.amount + payment_fees.amount + carrier.amount);
    Some(CostPerOrder {
        fixed,
        handling,
        payment_fees,
        carrier,
        total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let mut v = vec![40, 10, 30, 20, 50];
        assert_eq!(percentile(&mut v, 50), Some(30));
        assert_eq!(percentile(&mut v, 90), Some(50));
        assert_eq!(percentile(&mut v, 20), Some(10));
        assert_eq!(percentile(&mut v, 0), Some(10));
        assert_eq!(percentile(&mut v, 100), Some(50));
        assert_eq!(percentile(&mut [7], 90), Some(7));
        assert_eq!(percentile(&mut [], 50), None);
        let mut ten: Vec<i64> = (1..=10).collect();
        assert_eq!(percentile(&mut ten, 90), Some(9));
        assert_eq!(percentile(&mut ten, 50), Some(5));
    }

    #[test]
    fn nps_is_promoters_minus_detractors() {
        assert_eq!(nps(&[]), None);
        assert_eq!(nps(&[10, 9, 8, 7, 0]), Some(20));
        assert_eq!(nps(&[0, 6, 6]), Some(-100));
        assert_eq!(nps(&[9, 10]), Some(100));
        assert_eq!(nps(&[9, 8, 7]), Some(33));
        assert_eq!(nps(&[9, 9, 6]), Some(33));
        assert_eq!(nps(&[9, 6, 6]), Some(-33));
    }

    #[test]
    fn ratios_round_and_refuse_empty_wholes() {
        assert_eq!(ratio_bps(1, 3), Some(3333));
        assert_eq!(ratio_bps(2, 3), Some(6667));
        assert_eq!(ratio_bps(5, 0), None);
        assert_eq!(scaled(17, 4, 1000), Some(4250));
    }

    #[test]
    fn costs_split_over_orders() {
        let costs = CostSettings {
            fixed_monthly: Money::eur(300_000),
            per_order_handling: Money::eur(150),
            payment_fee_bps: 140,
            per_shipment_carrier: Money::eur(600),
            shipping_sla_hours: 48,
        };
        // Ten days, 20 orders, 18 shipments, 1 000 € charged.
        let split = cost_per_order(&costs, 10 * 86_400_000, 20, 18, 100_000).unwrap();
        assert_eq!(split.fixed, Money::eur(5_000)); // 1 000 € / 20
        assert_eq!(split.handling, Money::eur(150));
        assert_eq!(split.payment_fees, Money::eur(70)); // 14 € / 20
        assert_eq!(split.carrier, Money::eur(540)); // 108 € / 20
        assert_eq!(split.total, Money::eur(5_760));
        assert_eq!(cost_per_order(&costs, 1, 0, 0, 0), None);
    }

    #[test]
    fn cost_inputs_are_validated() {
        assert_eq!(CostSettings::default().validate(), Ok(()));
        let field = |c: CostSettings| c.validate().map_err(|(f, _)| f);
        let base = CostSettings::default();
        assert_eq!(
            field(CostSettings {
                payment_fee_bps: 10_001,
                ..base
            }),
            Err("payment_fee_bps")
        );
        assert_eq!(
            field(CostSettings {
                shipping_sla_hours: 0,
                ..base
            }),
            Err("shipping_sla_hours")
        );
        assert_eq!(
            field(CostSettings {
                per_order_handling: Money::eur(-1),
                ..base
            }),
            Err("per_order_handling")
        );
    }

    proptest! {
        #[test]
        fn a_percentile_is_one_of_the_values_and_grows_with_p(
            mut values in proptest::collection::vec(-1_000_000i64..1_000_000, 1..200),
            a in 0u8..=100,
            b in 0u8..=100,
        ) {
            let (lo, hi) = (a.min(b), a.max(b));
            let p_lo = percentile(&mut values, lo).unwrap();
            let p_hi = percentile(&mut values, hi).unwrap();
            prop_assert!(values.contains(&p_lo));
            prop_assert!(p_lo <= p_hi);
            // At least lo % of the values are at or below the lo-th percentile.
            let at_or_below = values.iter().filter(|&&v| v <= p_lo).count();
            prop_assert!(at_or_below * 100 >= usize::from(lo) * values.len());
        }

        #[test]
        fn nps_stays_within_its_scale(answers in proptest::collection::vec(0u8..=10, 1..300)) {
            let score = nps(&answers).unwrap();
            prop_assert!((-100..=100).contains(&score));
        }
    }
}
