//! Guest checkout: who is buying and where it goes.

use serde::{Deserialize, Serialize};

use crate::error::ValidationError;
use crate::ids::{CartId, Email, OrderId};
use crate::order::OrderStatus;
use crate::pricing::{ShippingMethodCode, Totals};

/// Body of `POST /api/checkout`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CheckoutRequest {
    /// The cart to buy.
    pub cart_id: CartId,
    /// Where the confirmation goes.
    pub email: Email,
    /// For the carrier, should the parcel need it.
    pub phone: Phone,
    /// Where the parcel goes.
    pub shipping_address: Address,
    /// Where the invoice goes; the shipping address when absent.
    #[serde(default)]
    pub billing_address: Option<Address>,
    /// How it travels (Colissimo when absent).
    #[serde(default)]
    pub shipping_method: ShippingMethodCode,
    /// A business buyer's company: its invoice names it, with its SIREN and
    /// VAT number, and is a Factur-X.
    #[serde(default)]
    pub company: Option<crate::company::Company>,
}

/// A French phone number, kept in E.164 form (`+33612345678`). Accepts
/// `06 12 34 56 78`, `06.12.34.56.78`, `+33 6 12 34 56 78`, `0033612345678`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);

impl Phone {
    /// Parses a French number written any of the usual ways.
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let compact: String = raw
            .chars()
            .filter(|c| !matches!(c, ' ' | '.' | '-' | '(' | ')' | '\u{a0}'))
            .collect();
        let national = compact
            .strip_prefix("+33")
            .or_else(|| compact.strip_prefix("0033"))
            .map(|rest| rest.strip_prefix('0').unwrap_or(rest))
            .or_else(|| compact.strip_prefix('0'));
        match national {
            Some(n)
                if n.len() == 9 && n.chars().all(|c| c.is_ascii_digit()) && !n.starts_with('0') =>
            {
                Ok(Self(format!("+33{n}")))
            }
            _ => Err(ValidationError(
                "a French phone number, like 06 12 34 56 78 or +33 6 12 34 56 78".into(),
            )),
        }
    }

    /// The E.164 form.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `+33 6 12 34 56 78`.
    pub fn display(&self) -> String {
        let digits = self.0.trim_start_matches("+33");
        let (first, rest) = digits.split_at(1.min(digits.len()));
        let pairs: Vec<&str> = rest
            .as_bytes()
            .chunks(2)
            .filter_map(|c| std::str::from_utf8(c).ok())
            .collect();
        format!("+33 {first} {}", pairs.join(" "))
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Phone {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        crate::openapi::string(
            &[
                "A French phone number; answers give it in E.164 form (`+33612345678`).",
                "Requests may also write it `06 12 34 56 78`, `06.12.34.56.78`,",
                "`+33 6 12 34 56 78`, `+33 (0)6 12 34 56 78` or `0033612345678`.",
            ],
            crate::openapi::Str {
                pattern: r"^(\+33|0033|0)[1-9]([ .-]?[0-9]{2}){4}$",
                min: None,
                max: None,
                example: "06 12 34 56 78",
            },
        )
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Phone {}

impl TryFrom<String> for Phone {
    type Error = ValidationError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<Phone> for String {
    fn from(p: Phone) -> String {
        p.0
    }
}

/// A postal address, validated on the way in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawAddress", into = "RawAddress")]
pub struct Address(RawAddress);

/// The fields of an [`Address`] before validation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct RawAddress {
    /// Recipient (1 to 100 characters on one line).
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 100, example = "Marie Curie")
    )]
    pub name: String,
    /// Street and number (1 to 120 characters on one line).
    #[cfg_attr(
        feature = "openapi",
        schema(
            min_length = 1,
            max_length = 120,
            example = "11 rue Pierre et Marie Curie"
        )
    )]
    pub line1: String,
    /// Building, floor… (at most 120 characters on one line).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 120))]
    pub line2: String,
    /// Postal code (5 digits in France, not starting with `00`).
    #[cfg_attr(
        feature = "openapi",
        schema(pattern = "^(0[1-9]|[1-9][0-9])[0-9]{3}$", example = "75005")
    )]
    pub postal_code: String,
    /// City (1 to 80 characters on one line).
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 80, example = "Paris")
    )]
    pub city: String,
    /// ISO 3166-1 alpha-2 country; only `FR` is shipped to for now (any case).
    #[cfg_attr(feature = "openapi", schema(pattern = "^[Ff][Rr]$", example = "FR"))]
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
            crate::text::typed(value, 1, max, crate::text::Lines::One).map_err(|e| (field, e))
        }
        let country = raw.country.trim().to_ascii_uppercase();
        if country != "FR" {
            return Err((
                "country",
                ValidationError("we ship to France (FR) only".into()),
            ));
        }
        let postal_code = raw.postal_code.trim().to_owned();
        if postal_code.len() != 5
            || !postal_code.chars().all(|c| c.is_ascii_digit())
            || postal_code.starts_with("00")
        {
            return Err((
                "postal_code",
                ValidationError("a French postal code has 5 digits".into()),
            ));
        }
        let line2 = crate::text::typed(&raw.line2, 0, 120, crate::text::Lines::One)
            .map_err(|e| ("line2", e))?;
        Ok(Self(RawAddress {
            name: text("name", &raw.name, 100)?,
            line1: text("line1", &raw.line1, 120)?,
            line2,
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

/// Documented as the fields it is made of, checked as [`Address::parse`] does.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Address {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::RefOr;
        use utoipa::openapi::schema::Schema;
        let mut schema = <RawAddress as utoipa::PartialSchema>::schema();
        if let RefOr::T(Schema::Object(object)) = &mut schema {
            object.description = Some(
                "A postal address in France, each field checked (the first field at fault is \
                 named in the refusal)."
                    .into(),
            );
        }
        schema
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Address {
    fn schemas(
        schemas: &mut Vec<(
            String,
            utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
        )>,
    ) {
        <RawAddress as utoipa::ToSchema>::schemas(schemas);
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
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
    fn french_phone_numbers_are_accepted_however_written() {
        for raw in [
            "06 12 34 56 78",
            "06.12.34.56.78",
            "0612345678",
            "+33 6 12 34 56 78",
            "+33 (0)6 12 34 56 78",
            "0033612345678",
        ] {
            assert_eq!(
                Phone::parse(raw).map(|p| p.0),
                Ok("+33612345678".into()),
                "{raw}"
            );
        }
        assert_eq!(
            Phone::parse("0612345678").map(|p| p.display()),
            Ok("+33 6 12 34 56 78".into())
        );
        for raw in [
            "",
            "06 12 34 56",
            "00 12 34 56 78",
            "+44 20 7946 0958",
            "06 12 34 56 7a",
        ] {
            assert!(Phone::parse(raw).is_err(), "{raw}");
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
