//! Automation rules: what the job runner does on its own, as admins set it
//! (`GET`/`PUT /api/jobs/automation`), and the alerts it raises for the
//! dashboard. Each rule acts at most once per subject (an order); every
//! action is written to the audit log with the actor `automation`.

use serde::{Deserialize, Serialize};

use crate::error::ValidationError;
use crate::ids::OrderId;

/// The rules and their settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AutomationSettings {
    /// A detractor's survey answer (see [`crate::support::is_detractor`])
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
}

impl Default for AutomationSettings {
    /// Every rule on; escalation after 24 hours.
    fn default() -> Self {
        Self {
            detractors: true,
            unpicked_orders: true,
            unpicked_after_hours: 24,
            low_stock: true,
        }
    }
}

impl AutomationSettings {
    /// Checks the settings: 1 to 720 hours. The error names the field.
    pub fn validate(&self) -> Result<(), (&'static str, ValidationError)> {
        if !(1..=720).contains(&self.unpicked_after_hours) {
            return Err((
                "unpicked_after_hours",
                ValidationError("1 to 720 hours".into()),
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
}

impl Rule {
    /// The stored spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Detractor => "detractor",
            Self::UnpickedOrder => "unpicked_order",
        }
    }

    /// Reads the stored spelling.
    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Detractor, Self::UnpickedOrder]
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
        for rule in [Rule::Detractor, Rule::UnpickedOrder] {
            assert_eq!(Rule::parse(rule.as_str()), Some(rule));
        }
        assert_eq!(Rule::parse("other"), None);
    }
}
