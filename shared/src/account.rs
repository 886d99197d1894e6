//! Accounts: customers and staff, as the wire sees them.

use serde::{Deserialize, Serialize};

use crate::error::ValidationError;
use crate::ids::{Email, OpaqueId};

/// What an account may do. Staff roles are checked by every function.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A shopper with an account.
    Customer,
    /// Runs the shop; may do everything staff may.
    Admin,
    /// Answers customers, cancels orders.
    Support,
    /// Picks, ships and delivers.
    Warehouse,
    /// Approves refunds.
    Finance,
}

impl Role {
    /// Every role.
    pub const ALL: [Self; 5] = [
        Self::Customer,
        Self::Admin,
        Self::Support,
        Self::Warehouse,
        Self::Finance,
    ];

    /// The wire and database name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Customer => "customer",
            Self::Admin => "admin",
            Self::Support => "support",
            Self::Warehouse => "warehouse",
            Self::Finance => "finance",
        }
    }

    /// Parses a wire name.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == raw)
    }

    /// Whether this is a staff role.
    pub fn is_staff(self) -> bool {
        self != Self::Customer
    }
}

/// A new password: 10 to 128 characters. Never printed.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct Password(String);

impl Password {
    /// Checks the length rule.
    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let n = raw.chars().count();
        if !(10..=128).contains(&n) {
            return Err(ValidationError(
                "a password has 10 to 128 characters".into(),
            ));
        }
        Ok(Self(raw.to_owned()))
    }

    /// The secret itself, for hashing.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Password {
    type Error = ValidationError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl Serialize for Password {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Password {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        crate::openapi::string(
            &["A new password: 10 to 128 characters, any of them."],
            crate::openapi::Str {
                pattern: "",
                min: Some(10),
                max: Some(128),
                example: "correct horse battery",
            },
        )
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Password {}

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(…)")
    }
}

/// Body of `POST /api/accounts/signup`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SignUp {
    /// Sign-in e-mail.
    pub email: Email,
    /// The new password.
    pub password: Password,
    /// Display name (one line).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 100))]
    pub name: String,
}

/// Body of `POST /api/accounts/verify`: the token of a verification link
/// (`/compte/verifier?token=…`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct VerifyEmail {
    /// `<account id>.<expiry, unix ms>.<HMAC-SHA256, hex>`.
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub token: String,
}

/// Answer of `POST /api/accounts/verify`: the e-mail is verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct EmailVerified {
    /// The verified address.
    pub email: Email,
    /// When it was first verified, unix ms (the same on every later call).
    pub verified_at_ms: i64,
    /// Guest orders under this e-mail placed before it was verified,
    /// attached to the account by this call (guest orders placed after
    /// stay guest orders: an order joins the account when placed signed in).
    pub attached_orders: i64,
}

/// Answer of `POST /api/accounts/verification`: where the link went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VerificationSent {
    /// The address the link is sent to.
    pub email: Email,
}

/// Body of `POST /api/accounts/signin`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SignIn {
    /// Sign-in e-mail.
    pub email: Email,
    /// The password as typed.
    pub password: String,
}

/// Body of `POST /api/accounts/password`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ChangePassword {
    /// The current password.
    pub current: String,
    /// The new one.
    pub new: Password,
}

/// The signed-in account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Account {
    /// Its id.
    pub id: OpaqueId,
    /// Sign-in e-mail.
    pub email: Email,
    /// Display name.
    pub name: String,
    /// What it may do.
    pub role: Role,
}

/// A staff account as admins manage it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StaffMember {
    /// Its id.
    pub id: OpaqueId,
    /// Sign-in e-mail.
    pub email: Email,
    /// Display name.
    pub name: String,
    /// What it may do (never `customer`).
    pub role: Role,
    /// A disabled account cannot sign in and has no sessions.
    pub disabled: bool,
    /// Unix ms.
    pub created_at_ms: i64,
}

/// Body of `POST /api/accounts/staff`: an admin creates a staff account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewStaff {
    /// Sign-in e-mail.
    pub email: Email,
    /// Its first password (to be changed by its owner).
    pub password: Password,
    /// A staff role (`customer` is refused).
    pub role: Role,
    /// Display name (one line).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 100))]
    pub name: String,
}

/// Body of `POST /api/accounts/staff/{id}`: change the role, or disable
/// (`true`) / enable (`false`) the account. At least one of the two.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UpdateStaff {
    /// The new staff role.
    #[serde(default)]
    pub role: Option<Role>,
    /// Disable or enable.
    #[serde(default)]
    pub disabled: Option<bool>,
}

/// A customer in the back office's list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CustomerRow {
    /// The account.
    pub id: OpaqueId,
    /// Sign-in e-mail.
    pub email: Email,
    /// Display name.
    pub name: String,
    /// Signed up, unix ms.
    pub created_at_ms: i64,
    /// Orders placed signed in.
    pub order_count: i64,
    /// What their paid orders charged, refunds not deducted.
    pub total_paid: crate::money::Money,
    /// Their latest order, unix ms.
    pub last_order_at_ms: Option<i64>,
}

/// Everything the shop knows about a customer (`GET /api/accounts/customers/{id}`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Customer360 {
    /// Who.
    pub customer: CustomerRow,
    /// Their orders, newest first.
    pub orders: Vec<crate::order::OrderRow>,
    /// Their refunds, newest first.
    pub refunds: Vec<crate::refund::Refund>,
    /// Their support threads, latest activity first.
    pub threads: Vec<crate::support::ThreadSummary>,
    /// Their survey answers, newest first.
    pub surveys: Vec<crate::support::Survey>,
    /// Staff notes about them, oldest first.
    pub notes: Vec<crate::note::StaffNote>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_bounded_and_never_printed() {
        assert!(Password::parse("short").is_err());
        let p = Password::parse("correct horse battery").unwrap();
        assert_eq!(format!("{p:?}"), "Password(…)");
    }
}
