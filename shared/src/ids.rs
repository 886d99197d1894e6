//! Validated identifiers and small values. Each has one way in (`parse`,
//! also used by serde), so a value that exists is valid.

use serde::{Deserialize, Serialize};

use crate::error::ValidationError;

/// Declares a string newtype whose serde and `parse` go through `$check`;
/// with the `openapi` feature, its schema is a string following `$schema`
/// (an [`crate::openapi::Str`]) described by its doc comment. Extra derives
/// go in brackets after the name (`Description [Default]`).
macro_rules! string_newtype {
    ($(#[doc = $doc:expr])* $name:ident $([$($derive:ident),*])?, $check:expr, schema: $schema:expr) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize $($(, $derive)*)?)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Parses and normalises `raw`; the only way to build one.
            pub fn parse(raw: &str) -> Result<Self, ValidationError> {
                let check: fn(&str) -> Result<String, ValidationError> = $check;
                check(raw).map(Self)
            }

            /// The value as text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = ValidationError;
            fn try_from(raw: String) -> Result<Self, Self::Error> {
                Self::parse(&raw)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> String {
                value.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                crate::openapi::string(&[$($doc),*], $schema)
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {}
    };
}
pub(crate) use string_newtype;

fn token(
    raw: &str,
    what: &str,
    max: usize,
    allowed: fn(char) -> bool,
) -> Result<String, ValidationError> {
    if raw.is_empty() || raw.len() > max || !raw.chars().all(allowed) {
        return Err(ValidationError(format!(
            "{what} must be 1 to {max} characters of the allowed set"
        )));
    }
    Ok(raw.to_owned())
}

/// Text a person typed, checked by [`crate::text::typed`]; the refusal
/// names `what` (`a subject`, `a name`).
pub(crate) fn typed_text(
    raw: &str,
    what: &str,
    (min, max): (usize, usize),
    multiline: bool,
) -> Result<String, ValidationError> {
    let lines = if multiline {
        crate::text::Lines::Many
    } else {
        crate::text::Lines::One
    };
    crate::text::typed(raw, min, max, lines)
        .map_err(|e| ValidationError(format!("{what}: {}", e.0)))
}

string_newtype!(
    /// A stock-keeping unit: `TS-LIN-BLEU-M`. Upper-case letters, digits and dashes.
    Sku,
    |raw| token(raw, "a SKU", 64, |c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-'),
    schema: crate::openapi::Str { pattern: "^[A-Z0-9-]{1,64}$", min: None, max: None, example: "TS-LIN-BLEU-M" }
);

string_newtype!(
    /// A promotion code as typed, normalised to upper case: `ETE2026`.
    PromoCode,
    |raw| {
        let code = raw.trim().to_ascii_uppercase();
        if !(3..=32).contains(&code.len()) || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(ValidationError("a promotion code is 3 to 32 letters, digits or dashes".into()));
        }
        Ok(code)
    },
    schema: crate::openapi::Str { pattern: "^[A-Za-z0-9-]{3,32}$", min: None, max: None, example: "BIENVENUE10" }
);

string_newtype!(
    /// A product's URL slug: `t-shirt-lin`.
    ProductId,
    |raw| token(raw, "a product id", 80, |c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
    schema: crate::openapi::Str { pattern: "^[a-z0-9-]{1,80}$", min: None, max: None, example: "t-shirt-lin" }
);

string_newtype!(
    /// A server-issued opaque id (cart, order, payment session): 32 hex digits.
    OpaqueId,
    |raw| {
        if raw.len() == 32 && raw.chars().all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()) {
            Ok(raw.to_owned())
        } else {
            Err(ValidationError("an id is 32 lower-case hex digits".into()))
        }
    },
    schema: crate::openapi::Str { pattern: "^[0-9a-f]{32}$", min: None, max: None, example: "0123456789abcdef0123456789abcdef" }
);

string_newtype!(
    /// A client-chosen key that makes a money request safe to retry.
    IdempotencyKey,
    |raw| token(raw, "an idempotency key", 255, |c| c.is_ascii_graphic()),
    schema: crate::openapi::Str { pattern: "^[!-~]{1,255}$", min: None, max: None, example: "checkout-7f3a" }
);

string_newtype!(
    /// An e-mail address, trimmed and lower-cased (so `Lea@x.fr` and `lea@x.fr`
    /// are one customer).
    Email,
    |raw| {
        let raw = raw.trim();
        let bad = || ValidationError("an e-mail address looks like name@example.fr".into());
        let (local, domain) = raw.rsplit_once('@').ok_or_else(bad)?;
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && domain.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        if raw.len() > 254 || local.is_empty() || local.len() > 64 || !domain_ok
            || local.chars().any(|c| c.is_whitespace() || c == '@' || c.is_control())
        {
            return Err(bad());
        }
        Ok(raw.to_lowercase())
    },
    // Answers hold the trimmed, lower-cased address; a request's may be
    // surrounded by spaces. The pattern is the rule but for two details no
    // portable regex states: the domain's letters and digits may be any
    // script's (the class admits any non-ASCII character), and the part
    // before the `@` is at most 64 bytes (the class counts characters).
    schema: crate::openapi::Str {
        pattern: r"^[^\s@\x00-\x1f\x7f-\x9f]{1,64}@[^\s@.\x00-\x2c\x2f\x3a-\x40\x5b-\x60\x7b-\x9f][^\s@\x00-\x2c\x2f\x3a-\x40\x5b-\x60\x7b-\x9f]*\.[^\s@\x00-\x2c\x2f\x3a-\x40\x5b-\x60\x7b-\x9f]*[^\s@.\x00-\x2c\x2f\x3a-\x40\x5b-\x60\x7b-\x9f]$",
        min: None,
        max: Some(254),
        example: "marie.curie@exemple.fr",
    }
);

impl OpaqueId {
    /// Its first 8 digits: how mails and staff pages name an order or a
    /// purchase order to a person (the whole id stays in links).
    pub fn short(&self) -> &str {
        self.0.get(..8).unwrap_or(&self.0)
    }

    /// The id spelling of 128 bits; valid by construction.
    pub fn from_u128(bits: u128) -> Self {
        Self(format!("{bits:032x}"))
    }
}

/// A cart's id.
pub type CartId = OpaqueId;
/// An order's id; also the guest's capability to read it.
pub type OrderId = OpaqueId;

/// How many units of one SKU on one line: 1 to [`Quantity::MAX`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "u32")]
pub struct Quantity(u32);

impl Quantity {
    /// The most units of one SKU a line may hold.
    pub const MAX: u32 = 99;

    /// Parses a count; 0, negatives and more than [`Quantity::MAX`] are refused.
    pub fn parse(raw: i64) -> Result<Self, ValidationError> {
        match u32::try_from(raw) {
            Ok(n) if (1..=Self::MAX).contains(&n) => Ok(Self(n)),
            _ => Err(ValidationError(format!(
                "a quantity is between 1 and {}",
                Self::MAX
            ))),
        }
    }

    /// The count.
    pub fn get(self) -> u32 {
        self.0
    }
}

impl TryFrom<i64> for Quantity {
    type Error = ValidationError;
    fn try_from(raw: i64) -> Result<Self, Self::Error> {
        Self::parse(raw)
    }
}

impl From<Quantity> for u32 {
    fn from(q: Quantity) -> u32 {
        q.0
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Quantity {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        crate::openapi::integer(
            &["How many units of one SKU on one line."],
            1,
            i64::from(Self::MAX),
            1,
        )
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Quantity {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sku_accepts_only_its_alphabet() {
        assert!(Sku::parse("TS-LIN-BLEU-M").is_ok());
        assert!(Sku::parse("ts-lin").is_err());
        assert!(Sku::parse("").is_err());
        assert!(Sku::parse("A B").is_err());
    }

    #[test]
    fn promo_codes_are_upper_cased() {
        assert_eq!(PromoCode::parse(" ete-2026 ").unwrap().as_str(), "ETE-2026");
        assert!(PromoCode::parse("é!").is_err());
        assert!(PromoCode::parse("AB").is_err());
    }

    #[test]
    fn quantity_is_bounded() {
        assert!(Quantity::parse(0).is_err());
        assert!(Quantity::parse(-1).is_err());
        assert!(Quantity::parse(100).is_err());
        assert!(Quantity::parse(i64::MAX).is_err());
        assert_eq!(Quantity::parse(99).map(Quantity::get), Ok(99));
        assert!(serde_json::from_str::<Quantity>("1000000000000").is_err());
    }

    #[test]
    fn email_is_normalised() {
        assert_eq!(
            Email::parse("  Marie.Curie@Exemple.FR ").unwrap().as_str(),
            "marie.curie@exemple.fr"
        );
        for bad in [
            "",
            "marie",
            "marie@",
            "@exemple.fr",
            "marie@exemple",
            "ma rie@exemple.fr",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn opaque_ids_are_32_hex() {
        assert!(OpaqueId::parse("0123456789abcdef0123456789abcdef").is_ok());
        assert!(OpaqueId::parse("0123456789ABCDEF0123456789ABCDEF").is_err());
        assert!(OpaqueId::parse("../etc/passwd").is_err());
    }
}
