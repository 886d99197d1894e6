//! Feedback trends: satisfaction-survey answers per Paris calendar month
//! (CSAT average, NPS) and the latest comments, so staff see the trend and
//! read what customers wrote. The arithmetic is [`crate::kpi`]'s (`nps`,
//! `scaled`), the months [`crate::retention`]'s.

use serde::{Deserialize, Serialize};

use crate::ids::OrderId;
use crate::kpi::{nps, scaled};
use crate::retention::{month_label, paris_month};

/// One survey answer: when, CSAT (1–5), NPS answer (0–10).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Score {
    /// When it was answered, unix ms.
    pub at_ms: i64,
    /// Satisfaction, 1 to 5.
    pub csat: u8,
    /// Likelihood to recommend, 0 to 10.
    pub nps: u8,
}

/// The answers of one month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeedbackMonth {
    /// `2026-11` (Paris time).
    pub month: String,
    /// Answers given that month.
    pub responses: i64,
    /// Mean CSAT (1–5) in thousandths; `null` without answers.
    pub csat_average_milli: Option<i64>,
    /// Promoters minus detractors in % of answers; `null` without answers.
    pub nps: Option<i64>,
}

/// One answer with a comment, for staff to read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeedbackComment {
    /// The order the answer is about.
    pub order_id: OrderId,
    /// Satisfaction, 1 to 5.
    pub csat: u8,
    /// Likelihood to recommend, 0 to 10.
    pub nps: u8,
    /// What the customer wrote.
    pub comment: String,
    /// When, unix ms.
    pub at_ms: i64,
}

/// `GET /api/kpis/feedback?from=&to=`: the trend over `[from, to)` and the
/// latest comments in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeedbackTrends {
    /// Start, unix ms.
    pub from_ms: i64,
    /// End (exclusive), unix ms.
    pub to_ms: i64,
    /// Every month the period touches, oldest first (empty ones included).
    pub months: Vec<FeedbackMonth>,
    /// The latest answers with a comment, newest first (at most 20).
    pub comments: Vec<FeedbackComment>,
}

/// Most comments listed.
pub const COMMENTS: u32 = 20;

/// Per Paris month touched by `[from_ms, to_ms)`, the answers in it.
pub fn months(scores: &[Score], from_ms: i64, to_ms: i64) -> Vec<FeedbackMonth> {
    let (first, last) = (paris_month(from_ms), paris_month(to_ms.saturating_sub(1)));
    (first..=last)
        .map(|month| {
            let answers: Vec<&Score> = scores
                .iter()
                .filter(|s| (from_ms..to_ms).contains(&s.at_ms) && paris_month(s.at_ms) == month)
                .collect();
            let responses = i64::try_from(answers.len()).unwrap_or(i64::MAX);
            let csat_sum: i64 = answers.iter().map(|s| i64::from(s.csat)).sum();
            let nps_answers: Vec<u8> = answers.iter().map(|s| s.nps).collect();
            FeedbackMonth {
                month: month_label(month),
                responses,
                csat_average_milli: scaled(csat_sum, responses, 1000),
                nps: nps(&nps_answers),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::{DAY_MS, days_from_civil};

    fn at(y: i64, m: u32, d: u32) -> i64 {
        days_from_civil(y, m, d) * DAY_MS + 12 * 3_600_000
    }

    #[test]
    fn answers_are_grouped_by_month_with_empty_months_kept() {
        let score = |at_ms, csat, nps| Score { at_ms, csat, nps };
        let scores = [
            score(at(2026, 9, 3), 5, 10),
            score(at(2026, 9, 20), 4, 9),
            score(at(2026, 9, 28), 1, 3),
            score(at(2026, 11, 2), 2, 7),
        ];
        let got = months(&scores, at(2026, 9, 1), at(2026, 11, 30));
        let month = |m: &str, responses, csat, nps| FeedbackMonth {
            month: m.to_owned(),
            responses,
            csat_average_milli: csat,
            nps,
        };
        assert_eq!(
            got,
            vec![
                // (5 + 4 + 1) / 3 = 3.333; 2 promoters − 1 detractor of 3 = 33 %.
                month("2026-09", 3, Some(3333), Some(33)),
                month("2026-10", 0, None, None),
                // One passive (7): NPS 0.
                month("2026-11", 1, Some(2000), Some(0)),
            ]
        );
    }
}
