//! Retention: customers grouped into cohorts by the month of their first
//! paid order, and what each cohort did in the twelve months from it; the
//! repeat-purchase rate, the median time between one order and the next,
//! and revenue per customer over the twelve months after a first order.
//!
//! The rule is pure: it takes paid orders as [`Purchase`]s and returns the
//! [`RetentionReport`]. Its choices:
//!
//! - **Who a customer is** ([`customer_key`]): the account when the order
//!   has one, else the order's e-mail, lowercased. A guest's orders join
//!   their account only once its e-mail is verified (the shop attaches them
//!   then), so until then they count as another customer.
//! - **What counts**: an order counts once paid, at its payment instant; a
//!   refund does not undo the purchase (the customer came back, which is
//!   what retention measures), and the amount is what was paid.
//! - **Months** are the shop's calendar months, Paris time
//!   ([`crate::calendar::paris_date`]); offset 0 is the cohort's own month.
//!   A month that has not begun yet (after `as_of`) is `null`, not 0.
//! - **Twelve months of revenue** are 365 days from the first order, and
//!   only customers whose 365 days are over by `as_of` are averaged, so a
//!   recent customer does not pull the figure down.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::Money;
use crate::calendar::{DAY_MS, paris_date};
use crate::kpi::{percentile, ratio_bps, scaled};

/// Months followed per cohort (offsets 0 to 11).
pub const MONTHS: usize = 12;

/// The revenue window after a first order.
pub const YEAR_MS: i64 = 365 * DAY_MS;

/// One paid order, as retention sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Purchase {
    /// Who bought ([`customer_key`]).
    pub customer: String,
    /// When it was paid, unix ms.
    pub paid_at_ms: i64,
    /// What was paid, minor units.
    pub amount_cents: i64,
}

/// The customer an order belongs to: `account:<id>` when it has an
/// account, else `email:<address lowercased>`.
pub fn customer_key(account: Option<&str>, email: &str) -> String {
    match account {
        Some(id) => format!("account:{id}"),
        None => format!("email:{}", email.trim().to_lowercase()),
    }
}

/// The Paris calendar month of an instant, as `year × 12 + month − 1`.
pub fn paris_month(ms: i64) -> i64 {
    let (year, month, _) = paris_date(ms);
    year * 12 + i64::from(month) - 1
}

/// `2026-11` for a month of [`paris_month`].
pub fn month_label(month: i64) -> String {
    format!(
        "{:04}-{:02}",
        month.div_euclid(12),
        month.rem_euclid(12) + 1
    )
}

/// Customers who first paid in one month, and who came back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Cohort {
    /// The month of their first paid order, Paris time: `2026-11`.
    pub month: String,
    /// Customers in the cohort.
    pub customers: i64,
    /// For month offsets 0 to 11 from the cohort's month: customers of the
    /// cohort who paid an order that month (`null`: the month has not begun).
    pub active: Vec<Option<i64>>,
    /// The same as shares of the cohort, in basis points.
    pub active_bps: Vec<Option<i64>>,
}

/// `GET /api/kpis/retention?from=&to=`: the cohorts of customers whose first
/// paid order falls in `[from, to)`, and their figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RetentionReport {
    /// Start, unix ms.
    pub from_ms: i64,
    /// End (exclusive), unix ms.
    pub to_ms: i64,
    /// One per month with new customers, oldest first.
    pub cohorts: Vec<Cohort>,
    /// Customers in the cohorts.
    pub customers: i64,
    /// Of them, those with at least two paid orders.
    pub repeat_customers: i64,
    /// `repeat_customers / customers`, in basis points.
    pub repeat_purchase_bps: Option<i64>,
    /// Median time from one paid order to the same customer's next one, in
    /// ms (nearest rank; `null` without a second order).
    pub median_ms_between_orders: Option<i64>,
    /// Revenue in the 365 days from a customer's first order, averaged over
    /// the customers whose 365 days are over.
    pub revenue_per_customer_12m: Option<Money>,
    /// How many customers that average is over.
    pub customers_with_12_months: i64,
}

/// The retention figures of the customers whose first purchase falls in
/// `[from_ms, to_ms)`, from every purchase known (`as_of_ms`: now).
pub fn report(purchases: &[Purchase], from_ms: i64, to_ms: i64, as_of_ms: i64) -> RetentionReport {
    let mut by_customer: BTreeMap<&str, Vec<(i64, i64)>> = BTreeMap::new();
    for p in purchases {
        by_customer
            .entry(p.customer.as_str())
            .or_default()
            .push((p.paid_at_ms, p.amount_cents));
    }
    let now_month = paris_month(as_of_ms);
    // Per cohort month: size and, per offset, active customers.
    let mut cohorts: BTreeMap<i64, (i64, [i64; MONTHS])> = BTreeMap::new();
    let (mut customers, mut repeaters, mut with_year) = (0i64, 0i64, 0i64);
    let mut gaps = Vec::new();
    let mut year_revenue: i128 = 0;
    for orders in by_customer.values_mut() {
        orders.sort_unstable();
        let Some(&(first, _)) = orders.first() else {
            continue;
        };
        if !(from_ms..to_ms).contains(&first) {
            continue;
        }
        customers += 1;
        if orders.len() >= 2 {
            repeaters += 1;
        }
        gaps.extend(orders.windows(2).map(|w| w[1].0 - w[0].0));
        if first.saturating_add(YEAR_MS) <= as_of_ms {
            with_year += 1;
            year_revenue += orders
                .iter()
                .filter(|(at, _)| *at < first.saturating_add(YEAR_MS))
                .map(|(_, cents)| i128::from(*cents))
                .sum::<i128>();
        }
        let cohort = paris_month(first);
        let entry = cohorts.entry(cohort).or_insert((0, [0; MONTHS]));
        entry.0 += 1;
        let mut seen = [false; MONTHS];
        for (at, _) in orders.iter() {
            let offset = paris_month(*at) - cohort;
            if let Some(slot) = usize::try_from(offset).ok().and_then(|o| seen.get_mut(o)) {
                *slot = true;
            }
        }
        for (count, seen) in entry.1.iter_mut().zip(seen) {
            *count += i64::from(seen);
        }
    }
    let cohorts = cohorts
        .into_iter()
        .map(|(month, (size, active))| {
            let active: Vec<Option<i64>> = (0..MONTHS)
                .map(|offset| {
                    let begun = month + i64::try_from(offset).unwrap_or(0) <= now_month;
                    begun.then(|| active.get(offset).copied().unwrap_or(0))
                })
                .collect();
            Cohort {
                month: month_label(month),
                customers: size,
                active_bps: active
                    .iter()
                    .map(|a| a.and_then(|n| ratio_bps(n, size)))
                    .collect(),
                active,
            }
        })
        .collect();
    let revenue_per_customer_12m = i64::try_from(year_revenue)
        .ok()
        .and_then(|sum| scaled(sum, with_year, 1))
        .map(Money::eur);
    RetentionReport {
        from_ms,
        to_ms,
        cohorts,
        customers,
        repeat_customers: repeaters,
        repeat_purchase_bps: ratio_bps(repeaters, customers),
        median_ms_between_orders: percentile(&mut gaps, 50),
        revenue_per_customer_12m,
        customers_with_12_months: with_year,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::days_from_civil;

    /// Noon UTC on a date (13:00 or 14:00 in Paris: the same day).
    fn at(y: i64, m: u32, d: u32) -> i64 {
        days_from_civil(y, m, d) * DAY_MS + 12 * 3_600_000
    }

    fn buy(who: &str, ms: i64, cents: i64) -> Purchase {
        Purchase {
            customer: who.to_owned(),
            paid_at_ms: ms,
            amount_cents: cents,
        }
    }

    #[test]
    fn customers_are_accounts_else_lowercased_emails() {
        assert_eq!(customer_key(Some("abc"), "X@Y.fr"), "account:abc");
        assert_eq!(
            customer_key(None, "Marie@Exemple.FR"),
            "email:marie@exemple.fr"
        );
    }

    #[test]
    fn months_are_parisian() {
        // 31 December 2025 at 23:30 UTC is already January in Paris.
        let new_year = days_from_civil(2026, 1, 1) * DAY_MS - 30 * 60_000;
        assert_eq!(month_label(paris_month(new_year)), "2026-01");
        assert_eq!(month_label(paris_month(new_year - 3_600_000)), "2025-12");
    }

    /// The table worked out by hand:
    ///
    /// | customer | orders (paid)                              |
    /// |----------|--------------------------------------------|
    /// | a        | 10 Jan 2025 (50 €), 20 Feb (30 €), 5 Apr (20 €) |
    /// | b        | 15 Jan 2025 (100 €)                         |
    /// | c        | 25 Jan 2025 (40 €), 25 Jan 2026 (10 €)      |
    /// | d        | 3 Feb 2025 (60 €), 13 Feb (60 €), 3 Mar (60 €) |
    /// | e        | 1 Dec 2024 (10 €), 10 Jan 2025 — before the period |
    ///
    /// Period January–February 2025, as of 1 March 2026. Cohort 2025-01: a,
    /// b, c (3); offset 0: 3, offset 1: a (1), offset 2: 0, offset 3: a (1),
    /// offsets 4–11: 0 (c's January 2026 is offset 12). Cohort 2025-02: d
    /// (1); offset 0: 1, offset 1: 1, 2–11: 0. Repeaters: a, c, d = 3 of 4.
    /// Gaps (days): a 41, 44; c 365; d 10, 18 → sorted 10 18 41 44 365,
    /// median 41. Revenue in 365 days: a 100 €, b 100 €, c 40 € (its second
    /// order is day 365, outside), d 180 € → 420 € / 4 = 105 €.
    #[test]
    fn a_hand_computed_table() {
        let purchases = [
            buy("a", at(2025, 1, 10), 5000),
            buy("a", at(2025, 2, 20), 3000),
            buy("a", at(2025, 4, 5), 2000),
            buy("b", at(2025, 1, 15), 10_000),
            buy("c", at(2025, 1, 25), 4000),
            buy("c", at(2026, 1, 25), 1000),
            buy("d", at(2025, 2, 13), 6000),
            buy("d", at(2025, 2, 3), 6000),
            buy("d", at(2025, 3, 3), 6000),
            buy("e", at(2024, 12, 1), 1000),
            buy("e", at(2025, 1, 10), 1000),
        ];
        let r = report(
            &purchases,
            at(2025, 1, 1) - 12 * 3_600_000,
            at(2025, 3, 1) - 12 * 3_600_000,
            at(2026, 3, 1),
        );
        let zeros = |n| std::iter::repeat_n(Some(0), n);
        let jan: Vec<_> = [Some(3), Some(1), Some(0), Some(1)]
            .into_iter()
            .chain(zeros(8))
            .collect();
        let feb: Vec<_> = [Some(1), Some(1)].into_iter().chain(zeros(10)).collect();
        assert_eq!(
            r.cohorts,
            vec![
                Cohort {
                    month: "2025-01".into(),
                    customers: 3,
                    active_bps: jan
                        .iter()
                        .map(|a| a.map(|n| ratio_bps(n, 3).unwrap()))
                        .collect(),
                    active: jan,
                },
                Cohort {
                    month: "2025-02".into(),
                    customers: 1,
                    active_bps: feb.iter().map(|a| a.map(|n| n * 10_000)).collect(),
                    active: feb,
                },
            ]
        );
        assert_eq!(r.cohorts[0].active_bps[1], Some(3333));
        assert_eq!((r.customers, r.repeat_customers), (4, 3));
        assert_eq!(r.repeat_purchase_bps, Some(7500));
        assert_eq!(r.median_ms_between_orders, Some(41 * DAY_MS));
        assert_eq!(r.revenue_per_customer_12m, Some(Money::eur(10_500)));
        assert_eq!(r.customers_with_12_months, 4);
    }

    #[test]
    fn months_to_come_are_null_and_recent_customers_wait_for_their_year() {
        let r = report(
            &[
                buy("a", at(2026, 10, 5), 1000),
                buy("a", at(2026, 11, 5), 500),
            ],
            at(2026, 10, 1),
            at(2026, 11, 1),
            at(2026, 11, 20),
        );
        let active = &r.cohorts[0].active;
        assert_eq!(&active[..3], &[Some(1), Some(1), None]);
        assert!(active[2..].iter().all(Option::is_none));
        assert_eq!(r.revenue_per_customer_12m, None);
        assert_eq!(r.customers_with_12_months, 0);
        assert_eq!(r.median_ms_between_orders, Some(31 * DAY_MS));
    }

    #[test]
    fn nothing_to_report() {
        let r = report(&[], 0, 1, 1);
        assert!(r.cohorts.is_empty());
        assert_eq!(r.repeat_purchase_bps, None);
        assert_eq!(r.median_ms_between_orders, None);
        assert_eq!(r.revenue_per_customer_12m, None);
    }
}
