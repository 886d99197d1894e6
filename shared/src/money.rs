//! Money as integer minor units with its currency. Never a float.

use serde::{Deserialize, Serialize};

/// The currencies the shop sells in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Currency {
    /// Euro, two decimals.
    #[serde(rename = "EUR")]
    Eur,
}

impl Currency {
    /// ISO 4217 code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Eur => "EUR",
        }
    }

    /// Parses an ISO 4217 code, case-insensitively.
    pub fn parse(code: &str) -> Option<Self> {
        code.eq_ignore_ascii_case("EUR").then_some(Self::Eur)
    }
}

/// An amount in minor units (cents) of a currency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Money {
    /// Minor units; negative only for refunds and discounts.
    pub amount: i64,
    /// The currency of `amount`.
    pub currency: Currency,
}

impl Money {
    /// An amount of euro cents.
    pub const fn eur(cents: i64) -> Self {
        Self {
            amount: cents,
            currency: Currency::Eur,
        }
    }

    /// Zero in `currency`.
    pub const fn zero(currency: Currency) -> Self {
        Self {
            amount: 0,
            currency,
        }
    }

    /// Sum of two amounts of the same currency; `None` on mismatch or overflow.
    pub fn checked_add(self, other: Self) -> Option<Self> {
        (self.currency == other.currency).then_some(())?;
        Some(Self {
            amount: self.amount.checked_add(other.amount)?,
            currency: self.currency,
        })
    }

    /// The amount times a count; `None` on overflow.
    pub fn checked_mul(self, count: u32) -> Option<Self> {
        Some(Self {
            amount: self.amount.checked_mul(i64::from(count))?,
            currency: self.currency,
        })
    }

    /// French display: `1 234,56 €` (narrow no-break space between thousands).
    pub fn format_fr(self) -> String {
        let (units, cents) = self.split();
        format!(
            "{}{},{cents:02}\u{a0}€",
            if self.amount < 0 { "-" } else { "" },
            group(units, '\u{202f}')
        )
    }

    /// English display: `€1,234.56`.
    pub fn format_en(self) -> String {
        let (units, cents) = self.split();
        format!(
            "{}€{}.{cents:02}",
            if self.amount < 0 { "-" } else { "" },
            group(units, ',')
        )
    }

    /// Plain decimal units, no symbol or grouping: `1234.50`, `-0.05`
    /// (CSV exports, spreadsheets).
    pub fn format_decimal(self) -> String {
        let (units, cents) = self.split();
        let sign = if self.amount < 0 { "-" } else { "" };
        format!("{sign}{units}.{cents:02}")
    }

    fn split(self) -> (u64, u64) {
        let abs = self.amount.unsigned_abs();
        (abs / 100, abs % 100)
    }
}

fn group(units: u64, sep: char) -> String {
    let digits = units.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, d) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(d);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_in_both_locales() {
        assert_eq!(Money::eur(123_456).format_fr(), "1\u{202f}234,56\u{a0}€");
        assert_eq!(Money::eur(5).format_fr(), "0,05\u{a0}€");
        assert_eq!(Money::eur(123_456).format_en(), "€1,234.56");
        assert_eq!(Money::eur(-990).format_en(), "-€9.90");
    }

    #[test]
    fn formats_plain_decimals() {
        assert_eq!(Money::eur(123_456).format_decimal(), "1234.56");
        assert_eq!(Money::eur(5).format_decimal(), "0.05");
        assert_eq!(Money::eur(-1205).format_decimal(), "-12.05");
        assert_eq!(
            Money::eur(i64::MIN).format_decimal(),
            "-92233720368547758.08"
        );
    }

    #[test]
    fn arithmetic_is_checked() {
        assert_eq!(Money::eur(1).checked_mul(3), Some(Money::eur(3)));
        assert_eq!(Money::eur(i64::MAX).checked_add(Money::eur(1)), None);
        assert_eq!(Money::eur(i64::MAX).checked_mul(2), None);
    }
}
