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

/// A phone number, kept in E.164 form (`+33612345678`). Accepts French
/// numbers written `06 12 34 56 78`, `06.12.34.56.78`, `+33 6 12 34 56 78`,
/// `0033612345678`, and other countries' in international form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String, bool);

impl Phone {
    /// Parses a French number written any of the usual ways, or another
    /// country's in international form (`+32 470 12 34 56`).
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
        let digits = |s: &str| s.chars().all(|c| c.is_ascii_digit());
        match national {
            Some(n) if n.len() == 9 && digits(n) && !n.starts_with('0') => Ok(Self(
                format!("+33{n}"),
                !compact.starts_with('+') && !compact.starts_with("00"),
            )),
            // Another country's number, in international form (E.164: a
            // country code that does not start with 0, at most 15 digits).
            None if compact.strip_prefix('+').is_some_and(|n| {
                (8..=15).contains(&n.len()) && digits(n) && !n.starts_with('0')
            }) =>
            {
                Ok(Self(compact, false))
            }
            _ => Err(ValidationError(
                "a phone number: French (06 12 34 56 78) or international (+32 470 12 34 56)"
                    .into(),
            )),
        }
    }

    /// The E.164 form.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether it may reach someone at `destination`: a number written the
    /// French national way (`06…`) is taken as French, so outside France it
    /// must be written in international form (a Dutch `06…` is not a French
    /// mobile).
    pub fn fits(&self, destination: &str) -> Result<(), ValidationError> {
        if self.1 && destination != "FR" {
            return Err(ValidationError(
                "outside France, the number in international form, like +32 470 12 34 56".into(),
            ));
        }
        Ok(())
    }

    /// `+33 6 12 34 56 78` (another country's number as kept).
    pub fn display(&self) -> String {
        let Some(digits) = self.0.strip_prefix("+33") else {
            return self.0.clone();
        };
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
                "A phone number: French, or another country's in international form",
                "(`+32 470 12 34 56`); answers give it in E.164 form (`+33612345678`).",
                "Requests may also write it `06 12 34 56 78`, `06.12.34.56.78`,",
                "`+33 6 12 34 56 78`, `+33 (0)6 12 34 56 78` or `0033612345678`.",
            ],
            crate::openapi::Str {
                pattern: r"^((\+33|0033|0)[1-9]([ .-]?[0-9]{2}){4}|\+[1-9]([ .()-]?[0-9]){7,14})$",
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
    /// Postal code, as the country writes it: 5 digits in France (not
    /// starting with `00`), Germany, Spain and Italy; 4 in Belgium and
    /// Luxembourg; `1234 AB` in the Netherlands; `1234-567` in Portugal.
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = "^([0-9]{4,5}|[1-9][0-9]{3} ?[A-Za-z]{2}|[0-9]{4}-[0-9]{3})$",
            example = "75005"
        )
    )]
    pub postal_code: String,
    /// City (1 to 80 characters on one line).
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 80, example = "Paris")
    )]
    pub city: String,
    /// ISO 3166-1 alpha-2 country the shop delivers to (any case): `FR`,
    /// `BE`, `DE`, `ES`, `IT`, `LU`, `NL`, `PT`.
    #[cfg_attr(
        feature = "openapi",
        schema(
            pattern = "^([Ff][Rr]|[Bb][Ee]|[Dd][Ee]|[Ee][Ss]|[Ii][Tt]|[Ll][Uu]|[Nn][Ll]|[Pp][Tt])$",
            example = "FR"
        )
    )]
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
        if !crate::pricing::ships_to(&country) {
            return Err((
                "country",
                ValidationError(
                    "we deliver to France, Belgium, Germany, Spain, Italy, Luxembourg, the \
                     Netherlands and Portugal (FR, BE, DE, ES, IT, LU, NL, PT)"
                        .into(),
                ),
            ));
        }
        let postal_code =
            postal_code(&country, &raw.postal_code).map_err(|e| ("postal_code", e))?;
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

/// `raw` as a postal code of `country` (one the shop delivers to), written
/// the way that country's post writes it.
fn postal_code(country: &str, raw: &str) -> Result<String, ValidationError> {
    let compact: String = raw.split_whitespace().collect();
    let digits = |s: &str, n: usize| s.len() == n && s.bytes().all(|b| b.is_ascii_digit());
    let (ok, written, rule) = match country {
        "FR" => (
            digits(&compact, 5) && !compact.starts_with("00"),
            compact.clone(),
            "a French postal code has 5 digits",
        ),
        "DE" | "ES" | "IT" => (
            digits(&compact, 5),
            compact.clone(),
            "a postal code of 5 digits",
        ),
        "BE" | "LU" => (
            digits(&compact, 4),
            compact.clone(),
            "a postal code of 4 digits",
        ),
        "NL" => {
            let upper = compact.to_ascii_uppercase();
            let (number, letters) = upper.split_at_checked(4).unwrap_or((&upper, ""));
            (
                digits(number, 4)
                    && !number.starts_with('0')
                    && letters.len() == 2
                    && letters.bytes().all(|b| b.is_ascii_uppercase())
                    && !matches!(letters, "SA" | "SD" | "SS"),
                format!("{number} {letters}"),
                "a Dutch postal code: 4 digits and 2 letters (1234 AB)",
            )
        }
        "PT" => {
            let (number, area) = compact.split_once('-').unwrap_or((&compact, ""));
            (
                digits(number, 4) && digits(area, 3),
                compact.clone(),
                "a Portuguese postal code: 1234-567",
            )
        }
        _ => (false, compact.clone(), "a postal code"),
    };
    if !ok {
        return Err(ValidationError(rule.into()));
    }
    if outside_vat_area(country, &written) {
        return Err(ValidationError(
            "the shop does not deliver there: outside the EU's VAT area or with VAT rates of \
             its own (overseas France, the Canaries, Ceuta, Melilla, Madeira, the Azores, \
             Büsingen, Heligoland, Livigno, Campione, San Marino, the Vatican)"
                .into(),
        ));
    }
    Ok(written)
}

/// Whether a well-formed postal code of `country` is a territory outside
/// the EU's VAT area, or one with rates of its own, which the VAT table
/// does not know (Monaco, `980xx`, is French VAT territory).
fn outside_vat_area(country: &str, code: &str) -> bool {
    let starts = |prefixes: &[&str]| prefixes.iter().any(|p| code.starts_with(p));
    match country {
        "FR" => starts(&["97", "98"]) && !code.starts_with("980"),
        "ES" => starts(&["35", "38", "51", "52"]) || !starts(&["0", "1", "2", "3", "4", "50"]),
        "PT" => code.starts_with('9'),
        "DE" => matches!(code, "78266" | "27498"),
        "IT" => matches!(code, "23041" | "22061" | "00120") || code.starts_with("4789"),
        _ => false,
    }
}

/// The name of a country the shop delivers to, in `lang` (its code for
/// any other).
pub fn country_name(code: &str, lang: crate::lang::Lang) -> &str {
    match code {
        "FR" => "France",
        "BE" => lang.pick("Belgique", "Belgium"),
        "DE" => lang.pick("Allemagne", "Germany"),
        "ES" => lang.pick("Espagne", "Spain"),
        "IT" => lang.pick("Italie", "Italy"),
        "LU" => "Luxembourg",
        "NL" => lang.pick("Pays-Bas", "Netherlands"),
        "PT" => "Portugal",
        other => other,
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
                "A postal address in a country the shop delivers to, each field checked (the \
                 first field at fault is named in the refusal)."
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
                Phone::parse(raw).map(|p| p.0.clone()),
                Ok("+33612345678".into()),
                "{raw}"
            );
        }
        assert_eq!(
            Phone::parse("0612345678").map(|p| p.display()),
            Ok("+33 6 12 34 56 78".into())
        );
        // Written the French way, a number is French: fine in France only.
        let national = Phone::parse("06 12 34 56 78").unwrap();
        assert!(national.fits("FR").is_ok());
        assert!(national.fits("NL").is_err());
        assert!(
            Phone::parse("+33 6 12 34 56 78")
                .unwrap()
                .fits("NL")
                .is_ok()
        );
        // A shopper delivered in Belgium or Germany gives their own number.
        for (raw, kept) in [
            ("+32 470 12 34 56", "+32470123456"),
            ("+49 (30) 1234-5678", "+493012345678"),
        ] {
            assert_eq!(
                Phone::parse(raw).map(|p| p.display()),
                Ok(kept.into()),
                "{raw}"
            );
        }
        for raw in [
            "",
            "06 12 34 56",
            "00 12 34 56 78",
            "+0 20 7946 0958",
            "+32 12",
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

    #[test]
    fn each_country_delivered_to_has_its_postal_codes() {
        let at = |country: &str, code: &str| {
            Address::parse(RawAddress {
                country: country.into(),
                postal_code: code.into(),
                ..raw()
            })
            .map(|a| a.fields().postal_code.clone())
            .map_err(|(field, _)| field)
        };
        for (country, code, kept) in [
            ("be", "1000", "1000"),
            ("DE", "10115", "10115"),
            ("ES", "28001", "28001"),
            ("IT", "00184", "00184"),
            ("LU", "1009", "1009"),
            ("NL", "1012ab", "1012 AB"),
            ("NL", "1012 AB", "1012 AB"),
            ("PT", "1100-148", "1100-148"),
        ] {
            assert_eq!(at(country, code), Ok(kept.into()), "{country} {code}");
        }
        for (country, code) in [
            ("FR", "00100"),
            ("BE", "10000"),
            ("DE", "1011"),
            ("NL", "0123 AB"),
            ("NL", "1012 SS"),
            ("NL", "1012"),
            ("PT", "1100148"),
        ] {
            assert_eq!(at(country, code), Err("postal_code"), "{country} {code}");
        }
        for (country, code) in [
            ("FR", "97400"),
            ("FR", "98800"),
            ("ES", "35001"),
            ("ES", "38001"),
            ("ES", "51001"),
            ("ES", "53000"),
            ("PT", "9000-001"),
            ("DE", "78266"),
            ("IT", "23041"),
            ("IT", "47890"),
        ] {
            assert_eq!(at(country, code), Err("postal_code"), "{country} {code}");
        }
        assert_eq!(at("FR", "98000"), Ok("98000".into()), "Monaco");
        assert_eq!(at("ES", "50001"), Ok("50001".into()));
        assert_eq!(at("US", "10001"), Err("country"));
        assert_eq!(at("GB", "10001"), Err("country"));
    }
}
