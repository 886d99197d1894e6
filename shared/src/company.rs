//! A business's identity on an invoice: its SIREN (the French register's
//! number) and its intra-EU VAT number, each checked by its own check digits,
//! and the company a business buyer gives at checkout.

use serde::{Deserialize, Serialize};

use crate::error::ValidationError;

/// Keeps the letters and digits of `raw`, upper-cased (people write
/// `901 234 567`, `FR 15 901234567`, `fr15-901.234.567`).
fn compact(raw: &str) -> String {
    raw.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// A SIREN: nine digits, the last a Luhn check digit.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Siren(String);

impl Siren {
    /// Parses a SIREN written with or without spaces.
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let digits = compact(raw);
        if digits.len() == 9 && digits.bytes().all(|b| b.is_ascii_digit()) && luhn(&digits) {
            Ok(Self(digits))
        } else {
            Err(ValidationError(
                "a SIREN has 9 digits, the last one a check digit (e.g. 901 234 567)".into(),
            ))
        }
    }

    /// The nine digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The Luhn check on a string of ASCII digits.
fn luhn(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            match (i % 2 == 1, d * 2) {
                (false, _) => d,
                (true, doubled) if doubled > 9 => doubled - 9,
                (true, doubled) => doubled,
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// The countries whose VAT numbers are accepted (the EU's, with Greece's
/// `EL` prefix), and how many characters follow the prefix.
const VAT_PREFIXES: [(&str, usize, usize); 27] = [
    ("AT", 9, 9),
    ("BE", 10, 10),
    ("BG", 9, 10),
    ("CY", 9, 9),
    ("CZ", 8, 10),
    ("DE", 9, 9),
    ("DK", 8, 8),
    ("EE", 9, 9),
    ("EL", 9, 9),
    ("ES", 9, 9),
    ("FI", 8, 8),
    ("FR", 11, 11),
    ("HR", 11, 11),
    ("HU", 8, 8),
    ("IE", 8, 9),
    ("IT", 11, 11),
    ("LT", 9, 12),
    ("LU", 8, 8),
    ("LV", 11, 11),
    ("MT", 8, 8),
    ("NL", 12, 12),
    ("PL", 10, 10),
    ("PT", 9, 9),
    ("RO", 2, 10),
    ("SE", 12, 12),
    ("SI", 8, 8),
    ("SK", 10, 10),
];

/// An intra-EU VAT number: a member state's prefix and its number; a French
/// one is `FR`, a two-digit key and the SIREN, the key checked.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct VatNumber(String);

impl VatNumber {
    /// Parses a VAT number written with or without spaces.
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let value = compact(raw);
        let invalid = || {
            ValidationError(
                "an EU VAT number: its country's prefix and number (e.g. FR 15 901234567)".into(),
            )
        };
        let (prefix, rest) = value.split_at_checked(2).ok_or_else(invalid)?;
        let &(_, min, max) = VAT_PREFIXES
            .iter()
            .find(|(p, _, _)| *p == prefix)
            .ok_or_else(invalid)?;
        if !(min..=max).contains(&rest.len()) {
            return Err(invalid());
        }
        if prefix == "FR" {
            let (key, siren) = rest.split_at(2);
            let siren = Siren::parse(siren).map_err(|_| invalid())?;
            if key != format!("{:02}", french_vat_key(&siren)) {
                return Err(ValidationError(
                    "this French VAT number's key does not match its SIREN".into(),
                ));
            }
        }
        Ok(Self(value))
    }

    /// The French VAT number of a SIREN.
    pub fn french(siren: &Siren) -> Self {
        Self(format!("FR{:02}{}", french_vat_key(siren), siren.as_str()))
    }

    /// The compact form (`FR15901234567`).
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Its member state's prefix (`FR`, `DE`; Greece's is `EL`).
    pub fn prefix(&self) -> &str {
        self.0.get(..2).unwrap_or_default()
    }

    /// The SIREN a French VAT number carries.
    pub fn siren(&self) -> Option<&str> {
        self.0.strip_prefix("FR").and_then(|rest| rest.get(2..))
    }
}

/// A French VAT key: `(12 + 3 × (SIREN mod 97)) mod 97`.
fn french_vat_key(siren: &Siren) -> u64 {
    let n: u64 = siren.as_str().parse().unwrap_or(0);
    (12 + 3 * (n % 97)) % 97
}

macro_rules! string_newtype {
    ($t:ty, $doc:literal, $pattern:literal, $example:literal) => {
        impl TryFrom<String> for $t {
            type Error = ValidationError;
            fn try_from(raw: String) -> Result<Self, Self::Error> {
                Self::parse(&raw)
            }
        }

        impl From<$t> for String {
            fn from(v: $t) -> String {
                v.0
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $t {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                crate::openapi::string(
                    &[$doc],
                    crate::openapi::Str {
                        pattern: $pattern,
                        min: None,
                        max: None,
                        example: $example,
                    },
                )
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $t {}
    };
}

string_newtype!(
    Siren,
    "A SIREN: 9 digits, the last a Luhn check digit (spaces allowed; answers give the digits).",
    r"^[0-9 ]{9,11}$",
    "901 234 567"
);
string_newtype!(
    VatNumber,
    "An intra-EU VAT number (spaces allowed; a French one's key is checked against its SIREN).",
    r"^[A-Za-z]{2}[0-9A-Za-z .-]{2,16}$",
    "FR 15 901234567"
);

/// A business buyer, as given at checkout: its invoices name it, with its
/// SIREN and VAT number, and carry business terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields, try_from = "RawCompany")]
pub struct Company {
    /// The company's name (1 to 100 characters on one line).
    #[cfg_attr(feature = "openapi", schema(example = "Atelier Curie SARL"))]
    pub name: String,
    /// Its SIREN, for a French company.
    #[serde(default)]
    pub siren: Option<Siren>,
    /// Its intra-EU VAT number, if it has one.
    #[serde(default)]
    pub vat_number: Option<VatNumber>,
}

/// [`Company`] before its fields are checked together.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawCompany {
    name: String,
    #[serde(default)]
    siren: Option<Siren>,
    #[serde(default)]
    vat_number: Option<VatNumber>,
}

impl Company {
    /// Checks the name, and that a French VAT number carries the SIREN given.
    pub fn new(
        name: &str,
        siren: Option<Siren>,
        vat_number: Option<VatNumber>,
    ) -> Result<Self, (&'static str, ValidationError)> {
        let name = crate::text::typed(name, 1, 100, crate::text::Lines::One)
            .map_err(|e| ("company.name", e))?;
        if let (Some(siren), Some(carried)) = (&siren, vat_number.as_ref().and_then(|v| v.siren()))
            && siren.as_str() != carried
        {
            return Err((
                "company.vat_number",
                ValidationError("this VAT number belongs to another SIREN".into()),
            ));
        }
        Ok(Self {
            name,
            siren,
            vat_number,
        })
    }
}

impl TryFrom<RawCompany> for Company {
    type Error = ValidationError;
    fn try_from(raw: RawCompany) -> Result<Self, Self::Error> {
        Self::new(&raw.name, raw.siren, raw.vat_number)
            .map_err(|(field, e)| ValidationError(format!("{field}: {e}")))
    }
}

/// How a sale is taxed: whose VAT rates apply, and whether the buyer
/// accounts for the VAT itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VatTreatment<'a> {
    /// The country whose VAT the sale bears (ISO alpha-2).
    pub country: &'a str,
    /// An exempt intra-EU delivery to a business (art. 262 ter, I of the
    /// CGI): no VAT charged, the buyer accounts for it.
    pub reverse_charge: bool,
}

impl VatTreatment<'static> {
    /// French VAT, charged.
    pub const FRANCE: Self = Self {
        country: "FR",
        reverse_charge: false,
    };
}

/// The VAT treatment of goods delivered to `destination` (a country the
/// shop delivers to) for `company` (none: a consumer), the seller under the
/// VAT franchise or not, exempting intra-EU deliveries or not (`exempt`):
/// - a business giving a VAT number of the destination, outside France: an
///   exempt intra-EU delivery, the price before the destination's VAT
///   (when the shop exempts them; else as the next case);
/// - any other business with a VAT number (French, or of a third member
///   state): a supply taxed in France, at French rates;
/// - a consumer (or a company without a VAT number): the destination's VAT,
///   declared through the One-Stop Shop when it is not France;
/// - a seller under the franchise charges no VAT: French, for the books.
pub fn vat_treatment<'a>(
    destination: &'a str,
    company: Option<&Company>,
    vat_franchise: bool,
    exempt: bool,
) -> VatTreatment<'a> {
    let prefix = company
        .and_then(|c| c.vat_number.as_ref())
        .map(VatNumber::prefix);
    match prefix {
        _ if vat_franchise => VatTreatment::FRANCE,
        Some(p) if exempt && p == destination && destination != "FR" => VatTreatment {
            country: destination,
            reverse_charge: true,
        },
        Some(_) => VatTreatment::FRANCE,
        None => VatTreatment {
            country: destination,
            reverse_charge: false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sirens_are_checked_by_their_luhn_digit() {
        assert_eq!(Siren::parse("901 234 567").unwrap().as_str(), "901234567");
        // A real one: La Poste.
        assert!(Siren::parse("356000000").is_ok());
        for bad in ["901234568", "90123456", "9012345670", "90123456a", ""] {
            assert!(Siren::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn french_vat_numbers_carry_their_siren_and_key() {
        let siren = Siren::parse("901234567").unwrap();
        assert_eq!(VatNumber::french(&siren).as_str(), "FR15901234567");
        assert_eq!(
            VatNumber::parse("fr 15 901.234.567").unwrap().siren(),
            Some("901234567")
        );
        // La Poste's published number.
        assert!(VatNumber::parse("FR39356000000").is_ok());
        for bad in [
            "FR16901234567",
            "FR1590123456",
            "XX15901234567",
            "FR15901234568",
        ] {
            assert!(VatNumber::parse(bad).is_err(), "{bad}");
        }
        assert!(VatNumber::parse("DE 123456789").is_ok());
        assert!(VatNumber::parse("DE12345678").is_err());
    }

    #[test]
    fn a_company_vat_number_must_be_its_own() {
        let siren = Siren::parse("356000000").ok();
        let other = VatNumber::parse("FR15901234567").ok();
        assert_eq!(
            Company::new("La Poste", siren.clone(), other)
                .unwrap_err()
                .0,
            "company.vat_number"
        );
        assert!(Company::new("La Poste", siren, VatNumber::parse("FR39356000000").ok()).is_ok());
        assert_eq!(Company::new(" ", None, None).unwrap_err().0, "company.name");
        let json = r#"{"name":"Atelier","siren":"901 234 567","vat_number":"FR15901234567"}"#;
        let company: Company = serde_json::from_str(json).unwrap();
        assert_eq!(
            company.siren.map(String::from).as_deref(),
            Some("901234567")
        );
    }

    #[test]
    fn the_vat_a_sale_bears_follows_the_buyer_and_where_the_goods_go() {
        let company = |vat: &str| Company::new("Atelier", None, VatNumber::parse(vat).ok()).ok();
        let belgian = company("BE0123456789");
        let french = company("FR15901234567");
        let without = Company::new("Atelier", None, None).ok();
        let treated = |to, buyer: Option<&Company>| {
            let t = vat_treatment(to, buyer, false, true);
            (t.country, t.reverse_charge)
        };
        // A Belgian business delivered in Belgium: exempt, reverse charged.
        assert_eq!(treated("BE", belgian.as_ref()), ("BE", true));
        // Delivered elsewhere than its VAT number's country, or a French
        // business delivered abroad: a supply taxed in France.
        assert_eq!(treated("DE", belgian.as_ref()), ("FR", false));
        assert_eq!(treated("BE", french.as_ref()), ("FR", false));
        assert_eq!(treated("FR", belgian.as_ref()), ("FR", false));
        // Consumers and companies without a VAT number: the destination's VAT.
        assert_eq!(treated("BE", None), ("BE", false));
        assert_eq!(treated("BE", without.as_ref()), ("BE", false));
        assert_eq!(treated("FR", None), ("FR", false));
        // Under the franchise, nothing is reverse charged.
        assert_eq!(
            vat_treatment("BE", belgian.as_ref(), true, true),
            VatTreatment::FRANCE
        );
        // A shop that does not exempt taxes the business in France.
        assert_eq!(
            vat_treatment("BE", belgian.as_ref(), false, false),
            VatTreatment::FRANCE
        );
    }
}
