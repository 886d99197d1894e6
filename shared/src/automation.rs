//! Automation rules: what the job runner does on its own, as admins set it
//! (`GET`/`PUT /api/jobs/automation`), and the alerts it raises for the
//! dashboard. Each rule acts at most once per subject (an order); every
//! action is written to the audit log with the actor `automation`.

use serde::{Deserialize, Serialize};

use crate::error::ValidationError;
use crate::ids::OrderId;
use crate::money::{Currency, Money};

/// The rules and their settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AutomationSettings {
    /// A detractor's survey answer (see [`crate::support::Survey::is_detractor`])
    /// opens a support thread on that order, so someone calls back.
    pub detractors: bool,
    /// A paid order not picked within [`Self::unpicked_after_hours`] is
    /// escalated: an alert on the dashboard and a message to the admins and
    /// the warehouse.
    pub unpicked_orders: bool,
    /// Hours after payment before an unpicked order is escalated.
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 720))]
    pub unpicked_after_hours: u32,
    /// A SKU whose available and on-order units fall to its reorder point
    /// (`GET /api/stock/forecast`) is added to a purchase-order draft for
    /// its supplier, unless a draft or sent order already has it; checked
    /// once an hour.
    pub low_stock: bool,
    /// An order not delivered by the date promised at checkout gets a
    /// message: in the customer's portal thread on that order (opened if
    /// need be), or by e-mail for a guest.
    pub late_orders: bool,
    /// Return requests (within the 30-day policy, which the request itself
    /// enforces) of at most [`Self::small_return_max`] are approved and paid
    /// back without waiting for finance, at most
    /// [`Self::small_returns_per_customer`] per customer over 365 days.
    /// Off by default: the kill switch for money going out on its own.
    pub small_returns: bool,
    /// The largest return approved on its own (EUR, 0 to 500.00).
    pub small_return_max: Money,
    /// Returns approved on their own per customer over 365 days (1 to 20).
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 20))]
    pub small_returns_per_customer: u32,
}

impl Default for AutomationSettings {
    /// Every rule on but small returns (money going out is the admin's
    /// choice); escalation after 24 hours; returns up to 30,00 €, two per
    /// customer a year.
    fn default() -> Self {
        Self {
            detractors: true,
            unpicked_orders: true,
            unpicked_after_hours: 24,
            low_stock: true,
            late_orders: true,
            small_returns: false,
            small_return_max: Money::eur(3000),
            small_returns_per_customer: 2,
        }
    }
}

impl AutomationSettings {
    /// Checks the settings: 1 to 720 hours, up to 500,00 €, 1 to 20
    /// returns. The error names the field.
    pub fn validate(&self) -> Result<(), (&'static str, ValidationError)> {
        if !(1..=720).contains(&self.unpicked_after_hours) {
            return Err((
                "unpicked_after_hours",
                ValidationError("1 to 720 hours".into()),
            ));
        }
        if self.small_return_max.currency != Currency::Eur
            || !(0..=50_000).contains(&self.small_return_max.amount)
        {
            return Err((
                "small_return_max",
                ValidationError("an amount in EUR from 0 to 500.00".into()),
            ));
        }
        if !(1..=20).contains(&self.small_returns_per_customer) {
            return Err((
                "small_returns_per_customer",
                ValidationError("1 to 20 returns".into()),
            ));
        }
        Ok(())
    }
}

/// One automation rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// A detractor's answer opened a support thread.
    Detractor,
    /// A paid order was not picked in time.
    UnpickedOrder,
    /// An order was not delivered by the promised date.
    LateOrder,
    /// A small return was approved on its own.
    SmallReturn,
}

impl Rule {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Detractor => "detractor",
            Self::UnpickedOrder => "unpicked_order",
            Self::LateOrder => "late_order",
            Self::SmallReturn => "small_return",
        }
    }

    /// Reads the stored spelling.
    pub fn parse(raw: &str) -> Option<Self> {
        [
            Self::Detractor,
            Self::UnpickedOrder,
            Self::LateOrder,
            Self::SmallReturn,
        ]
        .into_iter()
        .find(|r| r.as_str() == raw)
    }
}

/// A paid order still waiting to be picked after the rule's delay, shown
/// on the dashboard until the warehouse takes it (or it is cancelled).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Alert {
    /// The rule that raised it.
    pub rule: Rule,
    /// The order.
    pub order_id: OrderId,
    /// When it was paid (unix ms).
    pub paid_at_ms: i64,
    /// When the rule raised it (unix ms).
    pub raised_at_ms: i64,
}

/// `GET /api/jobs/automation`: the settings, and the alerts still open.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Automation {
    /// The rules' settings.
    pub settings: AutomationSettings,
    /// Escalated orders still not picked, oldest payment first.
    pub alerts: Vec<Alert>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_are_bounded_and_rules_spelled_once() {
        assert!(AutomationSettings::default().validate().is_ok());
        for hours in [0, 721] {
            let s = AutomationSettings {
                unpicked_after_hours: hours,
                ..AutomationSettings::default()
            };
            assert_eq!(s.validate().map_err(|e| e.0), Err("unpicked_after_hours"));
        }
        let too_much = AutomationSettings {
            small_return_max: Money::eur(50_001),
            ..AutomationSettings::default()
        };
        assert_eq!(
            too_much.validate().map_err(|e| e.0),
            Err("small_return_max")
        );
        let none = AutomationSettings {
            small_returns_per_customer: 0,
            ..AutomationSettings::default()
        };
        assert_eq!(
            none.validate().map_err(|e| e.0),
            Err("small_returns_per_customer")
        );
        for rule in [
            Rule::Detractor,
            Rule::UnpickedOrder,
            Rule::LateOrder,
            Rule::SmallReturn,
        ] {
            assert_eq!(Rule::parse(rule.as_str()), Some(rule));
        }
        assert_eq!(Rule::parse("other"), None);
    }
}
