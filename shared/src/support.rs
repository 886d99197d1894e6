//! Customer support: conversation threads between a customer and the shop
//! (about an order or not), and the satisfaction survey a customer answers
//! once an order was delivered.
//!
//! Typed text comes in through [`Subject`], [`MessageBody`] and
//! [`SurveyComment`], scores through [`Csat`] and [`Nps`]: a request that
//! parses holds valid values.

use serde::{Deserialize, Serialize};

use crate::error::ValidationError;
use crate::ids::{Email, OpaqueId, OrderId, string_newtype, typed_text};

string_newtype!(
    /// A thread's subject: 1 to 200 characters on one line.
    Subject,
    |raw| typed_text(raw, "a subject", (1, 200), false),
    schema: crate::openapi::text(1, 200, false, "Colis pas encore arrivé")
);

string_newtype!(
    /// A message: 1 to 4000 characters, line breaks allowed.
    MessageBody,
    |raw| typed_text(raw, "a message", (1, 4000), true),
    schema: crate::openapi::text(1, 4000, true, "Bonjour, où en est ma commande ?")
);

string_newtype!(
    /// A survey's free comment: at most 2000 characters, may be empty
    /// (the default).
    SurveyComment [Default],
    |raw| typed_text(raw, "a comment", (0, 2000), true),
    schema: crate::openapi::text(0, 2000, true, "Très bien emballé.")
);

/// Declares a score newtype holding `$min..=$max`, a plain number on the wire.
macro_rules! score {
    ($(#[doc = $doc:expr])* $name:ident, $min:literal ..= $max:literal) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "i64", into = "u8")]
        pub struct $name(u8);

        impl $name {
            /// Parses a score; anything outside the scale is refused.
            pub fn parse(raw: i64) -> Result<Self, ValidationError> {
                match u8::try_from(raw) {
                    Ok(n) if ($min..=$max).contains(&n) => Ok(Self(n)),
                    _ => Err(ValidationError(format!(
                        "a score from {} to {}",
                        $min, $max
                    ))),
                }
            }

            /// The score.
            pub fn get(self) -> u8 {
                self.0
            }
        }

        impl TryFrom<i64> for $name {
            type Error = ValidationError;
            fn try_from(raw: i64) -> Result<Self, Self::Error> {
                Self::parse(raw)
            }
        }

        impl From<$name> for u8 {
            fn from(score: $name) -> u8 {
                score.0
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                crate::openapi::integer(&[$($doc),*], $min, $max, $max)
            }
        }

        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $name {}
    };
}

score!(
    /// Customer satisfaction: 1 (very unhappy) to 5 (very happy).
    Csat,
    1..=5
);

score!(
    /// Net promoter answer: how likely to recommend the shop, 0 to 10.
    Nps,
    0..=10
);

/// Where a thread is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ThreadStatus {
    /// The customer wrote last: the shop owes an answer.
    Open,
    /// The shop answered: waiting for the customer.
    Pending,
    /// Settled (a new customer message opens it again).
    Closed,
}

impl ThreadStatus {
    /// Every status.
    pub const ALL: [Self; 3] = [Self::Open, Self::Pending, Self::Closed];

    /// The wire and database name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Pending => "pending",
            Self::Closed => "closed",
        }
    }

    /// Parses a wire name.
    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == raw)
    }
}

/// Who wrote a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum MessageAuthor {
    /// The customer the thread belongs to.
    Customer,
    /// Someone of the shop (support or admin).
    Staff,
}

impl MessageAuthor {
    /// The wire and database name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Customer => "customer",
            Self::Staff => "staff",
        }
    }

    /// Parses a wire name.
    pub fn parse(raw: &str) -> Option<Self> {
        [Self::Customer, Self::Staff]
            .into_iter()
            .find(|a| a.as_str() == raw)
    }
}

/// One message of a thread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SupportMessage {
    /// Its id.
    pub id: OpaqueId,
    /// Unix ms.
    pub at_ms: i64,
    /// Customer or staff.
    pub author: MessageAuthor,
    /// The name shown beside it.
    pub author_name: String,
    /// What was written.
    pub body: String,
}

/// A conversation with its messages, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SupportThread {
    /// Its id.
    pub id: OpaqueId,
    /// The order it is about, if any.
    pub order_id: Option<OrderId>,
    /// The customer's e-mail.
    pub customer_email: Email,
    /// What it is about.
    pub subject: String,
    /// Where it is.
    pub status: ThreadStatus,
    /// Unix ms.
    pub created_at_ms: i64,
    /// Milliseconds from the customer's first message to the first staff
    /// reply; `None` while unanswered.
    pub first_response_ms: Option<i64>,
    /// Every message, oldest first.
    pub messages: Vec<SupportMessage>,
}

/// A thread in a list: no messages, but when the last one came and how many.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ThreadSummary {
    /// Its id.
    pub id: OpaqueId,
    /// The order it is about, if any.
    pub order_id: Option<OrderId>,
    /// The customer's e-mail.
    pub customer_email: Email,
    /// What it is about.
    pub subject: String,
    /// Where it is.
    pub status: ThreadStatus,
    /// Unix ms.
    pub created_at_ms: i64,
    /// See [`SupportThread::first_response_ms`].
    pub first_response_ms: Option<i64>,
    /// When the last message was written, unix ms.
    pub last_message_at_ms: i64,
    /// How many messages it holds.
    pub message_count: i64,
}

/// Body of `POST /api/support/threads`: a customer opens a thread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewThread {
    /// One of the customer's orders, when it is about one.
    #[serde(default)]
    pub order_id: Option<OrderId>,
    /// What it is about.
    pub subject: Subject,
    /// The first message.
    pub body: MessageBody,
}

/// Body of `POST /api/support/threads/{id}/messages`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NewMessage {
    /// What to say.
    pub body: MessageBody,
}

/// Body of `POST /api/support/threads/{id}/status` (staff).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SetThreadStatus {
    /// The new status.
    pub status: ThreadStatus,
}

/// Body of `POST /api/support/surveys`: the customer rates a delivered order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SurveyAnswer {
    /// The delivered order.
    pub order_id: OrderId,
    /// Satisfaction, 1 to 5.
    pub csat: Csat,
    /// Likelihood to recommend, 0 to 10.
    pub nps: Nps,
    /// Anything to add (may be empty).
    #[serde(default)]
    pub comment: SurveyComment,
}

/// A recorded survey answer (one per order).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Survey {
    /// The order rated.
    pub order_id: OrderId,
    /// Satisfaction, 1 to 5.
    pub csat: u8,
    /// Likelihood to recommend, 0 to 10.
    pub nps: u8,
    /// The comment, possibly empty.
    pub comment: String,
    /// When it was answered, unix ms.
    pub at_ms: i64,
}

impl Survey {
    /// Answers at or below this likelihood to recommend are a detractor's.
    pub const DETRACTOR_NPS: u8 = 6;
    /// Answers at or below this satisfaction are a detractor's.
    pub const DETRACTOR_CSAT: u8 = 2;

    /// A detractor: would not recommend the shop (NPS 0–6) or was
    /// dissatisfied (CSAT 1–2); someone should call them back.
    pub fn is_detractor(&self) -> bool {
        self.nps <= Self::DETRACTOR_NPS || self.csat <= Self::DETRACTOR_CSAT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detractors_are_nps_six_or_less_or_csat_two_or_less() {
        let answer = |csat, nps| Survey {
            order_id: OrderId::from_u128(1),
            csat,
            nps,
            comment: String::new(),
            at_ms: 0,
        };
        assert!(answer(5, 6).is_detractor());
        assert!(answer(2, 10).is_detractor());
        assert!(!answer(3, 7).is_detractor());
        assert!(!answer(5, 10).is_detractor());
    }

    #[test]
    fn texts_are_trimmed_and_bounded() {
        assert_eq!(Subject::parse("  Colis  ").unwrap().as_str(), "Colis");
        assert!(Subject::parse("   ").is_err());
        assert!(Subject::parse(&"é".repeat(200)).is_ok());
        assert!(Subject::parse(&"é".repeat(201)).is_err());
        assert!(Subject::parse("deux\nlignes").is_err());
        assert!(MessageBody::parse("Bonjour,\nmon colis ?").is_ok());
        assert!(MessageBody::parse("").is_err());
        assert!(MessageBody::parse(&"x".repeat(4001)).is_err());
        assert!(MessageBody::parse("bip\u{7}").is_err());
        assert!(SurveyComment::parse("").is_ok());
        assert!(SurveyComment::parse(&"x".repeat(2001)).is_err());
    }

    #[test]
    fn scores_stay_on_their_scale() {
        assert!(Csat::parse(0).is_err());
        assert!(Csat::parse(6).is_err());
        assert_eq!(Csat::parse(5).map(Csat::get), Ok(5));
        assert_eq!(Nps::parse(0).map(Nps::get), Ok(0));
        assert!(Nps::parse(11).is_err());
        assert!(Nps::parse(-1).is_err());
        assert!(serde_json::from_str::<Csat>("300").is_err());
    }

    #[test]
    fn a_survey_answer_names_the_bad_field() {
        let ok: SurveyAnswer = serde_json::from_value(serde_json::json!({
            "order_id": "0123456789abcdef0123456789abcdef", "csat": 4, "nps": 9
        }))
        .unwrap();
        assert_eq!(ok.comment.as_str(), "");
        let bad = serde_json::from_value::<SurveyAnswer>(serde_json::json!({
            "order_id": "0123456789abcdef0123456789abcdef", "csat": 7, "nps": 9
        }));
        assert!(bad.is_err());
    }

    #[test]
    fn statuses_round_trip() {
        for s in ThreadStatus::ALL {
            assert_eq!(ThreadStatus::parse(s.as_str()), Some(s));
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
        assert_eq!(MessageAuthor::parse("staff"), Some(MessageAuthor::Staff));
    }
}
