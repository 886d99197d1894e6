//! Guest checkout: who is buying and where it goes.

use serde::{Deserialize, Serialize};

use crate::error::ValidationError;
use crate::ids::{CartId, Email, OrderId};
use crate::order::OrderStatus;
use crate::pricing::{ShippingMethodCode, Totals};

/// Body of `POST /api/checkout`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckoutRequest {
    /// The cart to buy.
    pub cart_id: CartId,
    /// Where the confirmation goes.
    pub email: Email,
    /// Where the parcel goes.
    pub shipping_address: Address,
    /// How it travels (Colissimo when absent).
    #[serde(default)]
    pub shipping_method: ShippingMethodCode,
}

/// A postal address, validated on the way in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawAddress", into = "RawAddress")]
pub struct Address(RawAddress);

/// The fields of an [`Address`] before validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawAddress {
    /// Recipient.
    pub name: String,
    /// Street and number.
    pub line1: String,
    /// Building, floor…
    #[serde(default)]
    pub line2: String,
    /// Postal code (5 digits in France).
    pub postal_code: String,
    /// City.
    pub city: String,
    /// ISO 3166-1 alpha-2 country; only `FR` is shipped to for now.
    pub country: String,
}

impl Address {
    /// Checks every field; the error names the first field at fault.
    pub fn parse(raw: RawAddress) -> Result<Self, (&'static str, ValidationError)> {
        fn text(
            field: &'static str,
            value: &str,
            max: usize,
        ) -> Result<String, (&'static str, ValidationError)> {
            let value = value.trim();
            if value.is_empty()
                || value.chars().count() > max
                || value.chars().any(char::is_control)
            {
                return Err((
                    field,
                    ValidationError(format!("required, at most {max} characters")),
                ));
            }
            Ok(value.to_owned())
        }
        let country = raw.country.trim().to_ascii_uppercase();
        if country != "FR" {
            return Err((
                "country",
                ValidationError("we ship to France (FR) only".into()),
            ));
        }
        let postal_code = raw.postal_code.trim().to_owned();
        if postal_code.len() != 5 || !postal_code.chars().all(|c| c.is_ascii_digit()) {
            return Err((
                "postal_code",
                ValidationError("a French postal code has 5 digits".into()),
            ));
        }
        let line2 = raw.line2.trim();
        if line2.chars().count() > 120 || line2.chars().any(char::is_control) {
            return Err(("line2", ValidationError("at most 120 characters".into())));
        }
        Ok(Self(RawAddress {
            name: text("name", &raw.name, 100)?,
            line1: text("line1", &raw.line1, 120)?,
            line2: line2.to_owned(),
            postal_code,
            city: text("city", &raw.city, 80)?,
            country,
        }))
    }

    /// The validated fields.
    pub fn fields(&self) -> &RawAddress {
        &self.0
    }
}

impl TryFrom<RawAddress> for Address {
    type Error = ValidationError;
    fn try_from(raw: RawAddress) -> Result<Self, Self::Error> {
        Self::parse(raw).map_err(|(field, e)| ValidationError(format!("{field}: {e}")))
    }
}

impl From<Address> for RawAddress {
    fn from(a: Address) -> RawAddress {
        a.0
    }
}

/// Answer to a checkout: an order waiting for its payment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CheckoutResult {
    /// The new order.
    pub order_id: OrderId,
    /// Always `pending_payment` on creation.
    pub status: OrderStatus,
    /// The priced totals the payment must match.
    pub totals: Totals,
    /// Unix milliseconds when the stock reservation lapses if unpaid.
    pub reservation_expires_at_ms: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw() -> RawAddress {
        RawAddress {
            name: "Marie Curie".into(),
            line1: "1 rue Pierre et Marie Curie".into(),
            line2: String::new(),
            postal_code: "75005".into(),
            city: "Paris".into(),
            country: "fr".into(),
        }
    }

    #[test]
    fn address_is_checked_field_by_field() {
        assert_eq!(Address::parse(raw()).unwrap().fields().country, "FR");
        let mut bad = raw();
        bad.postal_code = "7500".into();
        assert_eq!(Address::parse(bad).unwrap_err().0, "postal_code");
        let mut bad = raw();
        bad.name = "  ".into();
        assert_eq!(Address::parse(bad).unwrap_err().0, "name");
    }
}
