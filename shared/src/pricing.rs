//! Pricing: from line amounts to what the shopper pays. Used by the storefront
//! to display and by checkout to charge, so the two cannot disagree.
//!
//! Prices are VAT-inclusive (French display rules); VAT is extracted, not added.

use serde::{Deserialize, Serialize};

use crate::money::Money;

/// Standard shipping in France.
pub const STANDARD_SHIPPING: Money = Money::eur(490);
/// Orders from this subtotal ship free.
pub const FREE_SHIPPING_FROM: Money = Money::eur(6000);
/// French standard VAT, in basis points.
pub const VAT_STANDARD_BPS: i64 = 2000;

/// The priced totals of a cart or an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    /// Σ line totals.
    pub subtotal: Money,
    /// Shipping charged.
    pub shipping: Money,
    /// What is charged: subtotal + shipping.
    pub total: Money,
    /// VAT contained in `total`.
    pub vat: Money,
}

/// Prices line totals (each already `unit × quantity`); `None` on overflow.
pub fn quote(line_totals: &[Money]) -> Option<Totals> {
    let subtotal = line_totals
        .iter()
        .try_fold(Money::eur(0), |acc, line| acc.checked_add(*line))?;
    let shipping = if subtotal.amount == 0 || subtotal.amount >= FREE_SHIPPING_FROM.amount {
        Money::eur(0)
    } else {
        STANDARD_SHIPPING
    };
    let total = subtotal.checked_add(shipping)?;
    let vat = Money {
        amount: vat_included(total.amount, VAT_STANDARD_BPS),
        currency: total.currency,
    };
    Some(Totals {
        subtotal,
        shipping,
        total,
        vat,
    })
}

/// VAT contained in a VAT-inclusive amount: `gross × rate / (1 + rate)`.
pub fn vat_included(gross: i64, rate_bps: i64) -> i64 {
    round_div(
        i128::from(gross) * i128::from(rate_bps),
        i128::from(10_000 + rate_bps),
    )
}

/// The one rounding rule: half away from zero.
pub fn round_div(numerator: i128, denominator: i128) -> i64 {
    let q = numerator / denominator;
    let r = numerator % denominator;
    let q = if 2 * r.abs() >= denominator.abs() {
        q + numerator.signum() * denominator.signum()
    } else {
        q
    };
    i64::try_from(q).unwrap_or(if q < 0 { i64::MIN } else { i64::MAX })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn shipping_is_free_from_the_threshold() {
        assert_eq!(
            quote(&[Money::eur(5999)]).unwrap().shipping,
            STANDARD_SHIPPING
        );
        assert_eq!(quote(&[Money::eur(6000)]).unwrap().shipping, Money::eur(0));
        assert_eq!(quote(&[]).unwrap().total, Money::eur(0));
    }

    #[test]
    fn vat_is_extracted_and_rounded_half_away() {
        assert_eq!(vat_included(12_000, 2000), 2000);
        assert_eq!(vat_included(100, 2000), 17);
        assert_eq!(round_div(5, 2), 3);
        assert_eq!(round_div(-5, 2), -3);
    }

    proptest! {
        #[test]
        fn totals_add_up_and_are_never_negative(lines in proptest::collection::vec(0i64..1_000_000, 0..20)) {
            let money: Vec<Money> = lines.iter().copied().map(Money::eur).collect();
            let t = quote(&money).unwrap();
            prop_assert_eq!(t.subtotal.amount, lines.iter().sum::<i64>());
            prop_assert_eq!(t.total.amount, t.subtotal.amount + t.shipping.amount);
            prop_assert!(t.total.amount >= 0 && t.vat.amount >= 0 && t.vat.amount <= t.total.amount);
        }
    }
}
