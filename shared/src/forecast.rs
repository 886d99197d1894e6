//! Stock demand forecasting: how fast a SKU sells, and what that means for
//! reordering it. The back office runs it per SKU over the daily sales
//! history.
//!
//! - [`Day`], [`fit`], [`Model`]: the history and the fitted model.
//! - [`plan`], [`Plan`]: velocity, days of cover, expected stockout, reorder
//!   point and suggested order quantity.
//! - [`backtest`], [`Backtest`], [`Accuracy`]: rolling-origin evaluation
//!   against a seasonal-naive baseline, so the model earns its keep.
//! - [`generate`]: a deterministic synthetic history for tests and
//!   benchmarks.
//!
//! The model is **simple exponential smoothing with weekday seasonal
//! indices**: a weekday profile (Saturday sells more than Tuesday) multiplied
//! by a level that follows the recent pace of sales. There is no trend term;
//! a level that adapts is enough for reorder decisions a few weeks out.
//!
//! A day when the SKU was out of stock says nothing about demand: we sold
//! nothing because there was nothing to sell. Such days are *censored*, not
//! zero: they are skipped when estimating the profile and the level, and they
//! are never scored. Treating them as zeros would make a SKU that sells out
//! look slow, and we would then order less of exactly what sells best.
//!
//! Forecasts are estimates, so they are `f64`; the planning figures are whole
//! units, rounded with saturating conversions so that no input (huge stock,
//! a lead time of `u32::MAX` days) can panic or wrap. Only `std` is used, so
//! this builds for `wasm32` like the rest of the crate.

/// Days in a week; weekdays are numbered 0 = Monday … 6 = Sunday.
const WEEK: usize = 7;

/// How many in-stock observations of *every* weekday the seasonal profile
/// needs (three full weeks' worth); with fewer, all indices stay 1.
const MIN_SEASONAL_WEEKS: usize = 3;

/// The floor of a seasonal index: a weekday that sold nothing still gets a
/// small forecast, and deseasonalizing never divides by zero.
const INDEX_FLOOR: f64 = 0.2;

/// The ceiling of a seasonal index, so one freak weekday cannot dominate.
const INDEX_CEILING: f64 = 5.0;

/// The smoothing factors tried by [`fit`]: 0.05, 0.10, … 0.50.
const ALPHAS: [f64; 10] = [0.05, 0.10, 0.15, 0.20, 0.25, 0.30, 0.35, 0.40, 0.45, 0.50];

/// How far ahead [`plan`] looks for a stockout, in days.
const STOCKOUT_HORIZON_DAYS: u32 = 365;

/// Sums of `f64` factors drift by a few ulps (2 × 12 may come out as
/// 24.000000000000004); values this close to a whole number count as it, so
/// we never order a unit because of rounding noise.
const SNAP_TOLERANCE: f64 = 1e-9;

/// One day of a SKU's sales history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day {
    /// Units sold that day.
    pub sold: u32,
    /// Whether the SKU could be bought all day. `false` marks the day as
    /// censored: demand is unknown, not zero.
    pub in_stock: bool,
}

/// A fitted demand model for one SKU: simple exponential smoothing with
/// weekday seasonal indices. Built by [`fit`].
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    level: f64,
    indices: [f64; WEEK],
    alpha: f64,
    seasonal: bool,
}

impl Model {
    /// The forecast of units sold on a future day falling on `weekday`
    /// (0 = Monday … 6 = Sunday; taken modulo 7).
    pub fn daily(&self, weekday: u8) -> f64 {
        self.level * self.indices[usize::from(weekday) % WEEK]
    }

    /// The forecasts for the next `days` days, the first falling on
    /// `from_weekday` (0 = Monday … 6 = Sunday; taken modulo 7).
    pub fn forecast(&self, from_weekday: u8, days: usize) -> Vec<f64> {
        (0..days)
            .map(|offset| self.daily(weekday_after(from_weekday, offset)))
            .collect()
    }

    /// The mean units sold per day over a whole week.
    pub fn velocity(&self) -> f64 {
        self.indices
            .iter()
            .map(|index| self.level * index)
            .sum::<f64>()
            / WEEK as f64
    }

    /// The deseasonalized level: units per average day.
    pub fn level(&self) -> f64 {
        self.level
    }

    /// The weekday indices, Monday first; they average 1. All 1 when the
    /// history was too short to estimate a weekday profile.
    pub fn indices(&self) -> [f64; WEEK] {
        self.indices
    }

    /// The smoothing factor chosen for the level (see [`fit`]).
    pub fn alpha(&self) -> f64 {
        self.alpha
    }

    /// Whether a weekday profile was estimated (see [`fit`]).
    pub fn is_seasonal(&self) -> bool {
        self.seasonal
    }
}

/// Fits the model to a daily history, oldest day first, whose first day
/// falls on `first_weekday` (0 = Monday … 6 = Sunday; taken modulo 7).
/// Returns `None` when no day was in stock: there is nothing to learn from.
///
/// Only in-stock days are used, in two steps:
///
/// 1. **Weekday profile.** When every weekday was seen in stock at least
///    three times, each weekday's index is its mean sales divided by the mean
///    of the seven weekday means (so a weekday that happened to be censored
///    more often does not skew the base). Indices are clamped to [0.2, 5] — the
///    floor keeps a weekday that sold nothing forecastable and divisible —
///    then rescaled to average exactly 1. With less history (or no sale at
///    all), every index is 1.
/// 2. **Level.** The deseasonalized sales (sales ÷ index) are smoothed:
///    `level ← level + alpha × (sales ÷ index − level)`, starting from the mean
///    of the first seven in-stock days. Out-of-stock days leave the level
///    untouched. `alpha` is picked from 0.05, 0.10, … 0.50 as the one whose
///    one-step-ahead forecasts (`level × index`, made before seeing the day)
///    have the smallest sum of squared errors over all in-stock days; ties
///    go to the smaller, steadier `alpha`.
pub fn fit(history: &[Day], first_weekday: u8) -> Option<Model> {
    let observed: Vec<(usize, f64)> = history
        .iter()
        .enumerate()
        .filter(|(_, day)| day.in_stock)
        .map(|(offset, day)| {
            let weekday = usize::from(weekday_after(first_weekday, offset));
            (weekday, f64::from(day.sold))
        })
        .collect();
    if observed.is_empty() {
        return None;
    }

    let (indices, seasonal) = match seasonal_indices(&observed) {
        Some(indices) => (indices, true),
        None => ([1.0; WEEK], false),
    };

    let start = initial_level(&observed, &indices);
    let mut best: Option<(f64, f64, f64)> = None; // (sse, alpha, level)
    for alpha in ALPHAS {
        let (level, sse) = smooth(&observed, &indices, start, alpha);
        if best.is_none_or(|(best_sse, _, _)| sse < best_sse) {
            best = Some((sse, alpha, level));
        }
    }
    let (_, alpha, level) = best?;
    Some(Model {
        level,
        indices,
        alpha,
        seasonal,
    })
}

/// The weekday profile of in-stock observations `(weekday, sales)`, oldest
/// first, or `None` when some weekday has fewer than three observations or
/// nothing sold at all.
/// See [`fit`] for the recipe.
fn seasonal_indices(observed: &[(usize, f64)]) -> Option<[f64; WEEK]> {
    let mut counts = [0usize; WEEK];
    let mut sums = [0.0f64; WEEK];
    for &(weekday, sales) in observed {
        counts[weekday] += 1;
        sums[weekday] += sales;
    }
    if counts.iter().any(|&count| count < MIN_SEASONAL_WEEKS) {
        return None;
    }
    let mut means = [0.0f64; WEEK];
    for (mean, (sum, count)) in means.iter_mut().zip(sums.iter().zip(counts)) {
        *mean = sum / count as f64;
    }
    let overall = means.iter().sum::<f64>() / WEEK as f64;
    if !(overall.is_finite() && overall > 0.0) {
        // Nothing ever sold: there is no profile to speak of.
        return None;
    }
    let mut indices = means.map(|mean| (mean / overall).clamp(INDEX_FLOOR, INDEX_CEILING));
    let average = indices.iter().sum::<f64>() / WEEK as f64;
    for index in &mut indices {
        *index /= average;
    }
    Some(indices)
}

/// The starting level: the mean deseasonalized sales of the first seven
/// in-stock days (fewer if that is all there is).
fn initial_level(observed: &[(usize, f64)], indices: &[f64; WEEK]) -> f64 {
    let first_week = observed.iter().take(WEEK);
    let count = first_week.len().max(1) as f64;
    first_week
        .map(|&(weekday, sales)| sales / indices[weekday])
        .sum::<f64>()
        / count
}

/// Runs the level recursion over the in-stock observations; returns the
/// final level and the sum of squared one-step-ahead errors, in units.
fn smooth(observed: &[(usize, f64)], indices: &[f64; WEEK], start: f64, alpha: f64) -> (f64, f64) {
    let mut level = start;
    let mut sse = 0.0;
    for &(weekday, sales) in observed {
        let index = indices[weekday];
        let error = sales - level * index;
        sse += error * error;
        level += alpha * (sales / index - level);
    }
    (level, sse)
}

/// What the forecast means for one SKU's stock, in whole units and days.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Plan {
    /// Mean units sold per day over a week, in thousandths (2 500 = 2.5
    /// units/day), rounded to the nearest.
    pub velocity_per_day_milli: u64,
    /// Whole days the stock on hand lasts at the current velocity
    /// (`on_hand ÷ velocity`, rounded down; 0 when nothing is on hand).
    /// `None` when nothing sells.
    pub days_of_cover: Option<u32>,
    /// When the shelf is expected to go empty: `Some(n)` means the forecast
    /// demand of the next `n` days is covered in full and day `n + 1` (the
    /// day of `next_weekday` being day 1) is the first whose cumulative
    /// demand exceeds the stock on hand. `Some(0)` when nothing is on hand;
    /// `None` when the stock lasts beyond 365 days.
    pub stockout_in_days: Option<u32>,
    /// Order when on hand plus on order falls to this: the forecast demand
    /// over the lead time plus the safety stock, rounded up.
    pub reorder_point: u32,
    /// Units to order now; 0 when on hand plus on order is above the
    /// reorder point.
    pub suggested_quantity: u32,
}

/// Turns a fitted model into stock figures for one SKU.
///
/// - `next_weekday`: the weekday of the first day to plan for (0 = Monday
///   … 6 = Sunday; taken modulo 7).
/// - `on_hand`: units in stock; zero or negative when oversold.
/// - `on_order`: units ordered from the supplier, not yet received.
/// - `lead_time_days`: days between ordering and receiving.
/// - `safety_days`: the safety stock, in days of average sales.
/// - `review_days`: days until the next chance to order, which this order
///   must also cover.
///
/// The safety stock is **cover-based**: `ceil(velocity × safety_days)`.
/// It is simple to explain and to tune per SKU; it does not model the
/// spread of demand. The reorder point is `ceil(lead-time demand) + safety`.
/// When on hand plus on order is at or below it, the suggestion orders up
/// to the demand over lead time plus review period, plus the safety stock:
/// `ceil(demand over lead_time_days + review_days) + safety − on_hand −
/// on_order`, never below 0. Demand over a period follows the weekday
/// forecasts from `next_weekday`.
pub fn plan(
    model: &Model,
    next_weekday: u8,
    on_hand: i64,
    on_order: u32,
    lead_time_days: u32,
    safety_days: u32,
    review_days: u32,
) -> Plan {
    let velocity = finite_non_negative(model.velocity());

    let days_of_cover = if velocity > 0.0 {
        Some(if on_hand <= 0 {
            0
        } else {
            saturating_u32(snap(on_hand as f64 / velocity).floor())
        })
    } else {
        None
    };

    let safety = ceil_units(velocity * f64::from(safety_days));
    let lead_demand = demand_over(model, next_weekday, u64::from(lead_time_days));
    let reorder_point = ceil_units(lead_demand).saturating_add(safety);

    let position = i128::from(on_hand) + i128::from(on_order);
    let suggested_quantity = if position > i128::from(reorder_point) {
        0
    } else {
        let period = u64::from(lead_time_days) + u64::from(review_days);
        let order_up_to =
            ceil_units(demand_over(model, next_weekday, period)).saturating_add(safety);
        let missing = i128::from(order_up_to) - position;
        u32::try_from(missing.max(0)).unwrap_or(u32::MAX)
    };

    Plan {
        velocity_per_day_milli: saturating_u64((velocity * 1000.0).round()),
        days_of_cover,
        stockout_in_days: stockout_in_days(model, next_weekday, on_hand),
        reorder_point: u32::try_from(reorder_point).unwrap_or(u32::MAX),
        suggested_quantity,
    }
}

/// See [`Plan::stockout_in_days`].
fn stockout_in_days(model: &Model, next_weekday: u8, on_hand: i64) -> Option<u32> {
    if on_hand <= 0 {
        return Some(0);
    }
    let stock = on_hand as f64;
    let mut cumulative = 0.0;
    for offset in 0..STOCKOUT_HORIZON_DAYS {
        cumulative +=
            finite_non_negative(model.daily(weekday_after(next_weekday, offset as usize)));
        if snap(cumulative) > stock {
            return Some(offset);
        }
    }
    None
}

/// Forecast demand over the next `days` days from `from_weekday`, in closed
/// form (whole weeks, then the remaining days) so huge periods cost nothing.
fn demand_over(model: &Model, from_weekday: u8, days: u64) -> f64 {
    let week: f64 = (0..WEEK)
        .map(|offset| finite_non_negative(model.daily(weekday_after(from_weekday, offset))))
        .sum();
    let rest: f64 = (0..(days % WEEK as u64) as usize)
        .map(|offset| finite_non_negative(model.daily(weekday_after(from_weekday, offset))))
        .sum();
    (days / WEEK as u64) as f64 * week + rest
}

/// A forecast as a usable quantity: NaN, infinite or negative become 0.
fn finite_non_negative(value: f64) -> f64 {
    if value.is_finite() && value > 0.0 {
        value
    } else {
        0.0
    }
}

/// Rounds to the nearest whole number when within rounding noise of it
/// (see [`SNAP_TOLERANCE`]).
fn snap(value: f64) -> f64 {
    let nearest = value.round();
    if (value - nearest).abs() <= SNAP_TOLERANCE * value.abs().max(1.0) {
        nearest
    } else {
        value
    }
}

/// Whole units needed to cover `demand`: rounded up, saturating.
fn ceil_units(demand: f64) -> u64 {
    saturating_u64(snap(demand).ceil())
}

/// `value` as a `u64`: 0 for NaN or negatives, `u64::MAX` when too large.
fn saturating_u64(value: f64) -> u64 {
    if !value.is_finite() {
        return if value == f64::INFINITY { u64::MAX } else { 0 };
    }
    if value <= 0.0 {
        0
    } else if value >= u64::MAX as f64 {
        u64::MAX
    } else {
        value as u64
    }
}

/// `value` as a `u32`: 0 for NaN or negatives, `u32::MAX` when too large.
fn saturating_u32(value: f64) -> u32 {
    u32::try_from(saturating_u64(value)).unwrap_or(u32::MAX)
}

/// The weekday `offset` days after `weekday` (both 0 = Monday … 6 = Sunday).
fn weekday_after(weekday: u8, offset: usize) -> u8 {
    // Both terms are below 7, so the sum fits and the cast is exact.
    ((usize::from(weekday) % WEEK + offset % WEEK) % WEEK) as u8
}

/// How close forecasts came to what sold.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Accuracy {
    /// Weighted absolute percentage error: Σ |actual − forecast| ÷ Σ actual
    /// (0.25 = off by 25 % of what sold).
    pub wape: f64,
    /// Mean absolute scaled error: the mean absolute error divided by that of
    /// the in-sample seasonal-naive forecast (see [`backtest`]). Below 1
    /// beats "same as last week" on the training data.
    pub mase: f64,
}

/// The result of [`backtest`]: the model and the seasonal-naive baseline,
/// scored on exactly the same days.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Backtest {
    /// The accuracy of [`fit`]'s model.
    pub model: Accuracy,
    /// The accuracy of the seasonal-naive baseline: each day forecast as the
    /// sales of the most recent in-stock same weekday before the origin.
    pub seasonal_naive: Accuracy,
    /// How many days were scored.
    pub days: usize,
}

/// Measures the model out of sample, with rolling origins.
///
/// Origins start at `min_train` and step by `horizon` days (so each day is
/// forecast exactly once; the last window may be shorter). At each origin
/// `t` the model is fitted on `history[..t]` and forecasts days
/// `t .. t + horizon`. A day is scored when it was in stock (a censored day
/// has no known demand) and the baseline has a forecast for it: the sales of
/// the most recent in-stock day of the same weekday before `t` (seven,
/// fourteen, … days earlier). The model and the baseline are scored on the
/// same days.
///
/// The MASE denominator is the mean absolute error of the lag-7
/// seasonal-naive forecast in sample, over `history[..min_train]` (the
/// training part before the first origin), using the pairs of days a week
/// apart that were both in stock. It is the same for both forecasts, so
/// their MASEs compare like their mean errors.
///
/// `None` when there is nothing to measure: `horizon` is 0, no day could be
/// scored, nothing sold on the scored days, or the in-sample baseline error
/// is 0 (or has no pair of days to measure it).
pub fn backtest(
    history: &[Day],
    first_weekday: u8,
    horizon: usize,
    min_train: usize,
) -> Option<Backtest> {
    if horizon == 0 || min_train >= history.len() {
        return None;
    }
    let scale = in_sample_naive_mae(&history[..min_train])?;

    let mut model_error = 0.0;
    let mut naive_error = 0.0;
    let mut actual_total = 0.0;
    let mut days = 0usize;
    let mut origin = min_train;
    while origin < history.len() {
        let end = origin.saturating_add(horizon).min(history.len());
        if let Some(model) = fit(&history[..origin], first_weekday) {
            let forecasts = model.forecast(weekday_after(first_weekday, origin), end - origin);
            for ((target, day), forecast) in history
                .iter()
                .enumerate()
                .take(end)
                .skip(origin)
                .zip(forecasts)
            {
                if !day.in_stock {
                    continue;
                }
                let Some(naive) = seasonal_naive(history, origin, target) else {
                    continue;
                };
                let actual = f64::from(day.sold);
                model_error += (actual - forecast).abs();
                naive_error += (actual - naive).abs();
                actual_total += actual;
                days += 1;
            }
        }
        origin = end;
    }
    if days == 0 || actual_total <= 0.0 {
        return None;
    }
    let accuracy = |error: f64| Accuracy {
        wape: error / actual_total,
        mase: error / days as f64 / scale,
    };
    Some(Backtest {
        model: accuracy(model_error),
        seasonal_naive: accuracy(naive_error),
        days,
    })
}

/// The seasonal-naive forecast of day `target` made at `origin`: the sales of
/// the most recent in-stock day before `origin` on the same weekday.
fn seasonal_naive(history: &[Day], origin: usize, target: usize) -> Option<f64> {
    (target % WEEK..origin.min(history.len()))
        .step_by(WEEK)
        .rev()
        .filter_map(|index| history.get(index))
        .find(|day| day.in_stock)
        .map(|day| f64::from(day.sold))
}

/// The mean absolute error of "same as seven days ago" within `training`,
/// over pairs of in-stock days; `None` when there is no pair or it is 0.
fn in_sample_naive_mae(training: &[Day]) -> Option<f64> {
    let (sum, count) = training
        .iter()
        .zip(training.iter().skip(WEEK))
        .filter(|(before, after)| before.in_stock && after.in_stock)
        .fold((0.0, 0usize), |(sum, count), (before, after)| {
            (sum + f64::from(before.sold.abs_diff(after.sold)), count + 1)
        });
    let mae = sum / count.max(1) as f64;
    (count > 0 && mae > 0.0).then_some(mae)
}

/// A synthetic sales history of `days` days, the same for the same `seed`,
/// with the weekday of its first day (drawn from the seed).
///
/// Demand is Poisson around `6 × weekday × swell` units/day, where the
/// weekday profile runs Monday ×0.7, Tuesday ×0.8, Wednesday ×0.9, Thursday
/// ×1.0, Friday ×1.2, Saturday ×1.8, Sunday ×1.5, and the swell is a slow
/// ±25 % wave over 26 weeks (the level changes, so a model must adapt).
/// Three stockouts of 4 to 9 days, one in each third of the history (when
/// it is long enough), have `in_stock = false` and `sold = 0`. Randomness
/// comes from a splitmix64 generator; no crate is involved.
pub fn generate(days: usize, seed: u64) -> (Vec<Day>, u8) {
    const BASE: f64 = 6.0;
    const PROFILE: [f64; WEEK] = [0.7, 0.8, 0.9, 1.0, 1.2, 1.8, 1.5];
    const SWELL_PERIOD_DAYS: f64 = 182.0;
    const SWELL_AMPLITUDE: f64 = 0.25;

    let mut rng = SplitMix64(seed);
    let first_weekday = (rng.next() % WEEK as u64) as u8;

    let mut in_stock = vec![true; days];
    let third = days / 3;
    for stretch in 0..3 {
        let length = 4 + (rng.next() % 6) as usize;
        if third <= length {
            continue;
        }
        let start = stretch * third + (rng.next() % (third - length) as u64) as usize;
        if let Some(window) = in_stock.get_mut(start..start + length) {
            window.fill(false);
        }
    }

    let history = in_stock
        .into_iter()
        .enumerate()
        .map(|(offset, in_stock)| {
            let phase = std::f64::consts::TAU * offset as f64 / SWELL_PERIOD_DAYS;
            let swell = 1.0 + SWELL_AMPLITUDE * phase.sin();
            let weekday = usize::from(weekday_after(first_weekday, offset));
            // Demand exists on out-of-stock days too; it is just lost. Drawing
            // it anyway keeps the random stream independent of stockouts.
            let demand = poisson(&mut rng, BASE * PROFILE[weekday] * swell);
            Day {
                sold: if in_stock { demand } else { 0 },
                in_stock,
            }
        })
        .collect();
    (history, first_weekday)
}

/// The splitmix64 pseudo-random generator: tiny, fast, good enough for
/// synthetic data, and deterministic everywhere.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform draw from [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A Poisson draw with mean `lambda` (Knuth's method, fine for the small
/// means used here; capped so a huge mean cannot loop for long).
fn poisson(rng: &mut SplitMix64, lambda: f64) -> u32 {
    let limit = (-lambda).exp();
    let mut product = rng.unit();
    let mut count = 0;
    while product > limit && count < 1_000 {
        product *= rng.unit();
        count += 1;
    }
    count
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flat(days: usize, sold: u32) -> Vec<Day> {
        vec![
            Day {
                sold,
                in_stock: true
            };
            days
        ]
    }

    #[test]
    fn the_model_beats_seasonal_naive_out_of_sample() {
        for seed in [7, 1, 42, 2024] {
            let (history, first_weekday) = generate(364, seed);
            let result = backtest(&history, first_weekday, 14, 84).unwrap();
            println!(
                "seed {seed:>4}: {} days scored | model WAPE {:.4} MASE {:.4} | seasonal-naive WAPE {:.4} MASE {:.4}",
                result.days,
                result.model.wape,
                result.model.mase,
                result.seasonal_naive.wape,
                result.seasonal_naive.mase,
            );
            assert!(result.days > 200, "seed {seed}: {result:?}");
            assert!(
                result.model.wape < result.seasonal_naive.wape,
                "seed {seed}: {result:?}"
            );
            assert!(
                result.model.mase < result.seasonal_naive.mase,
                "seed {seed}: {result:?}"
            );
        }
    }

    #[test]
    fn stockout_days_do_not_drag_velocity_down() {
        let mut history = flat(56, 10);
        for day in &mut history[46..] {
            *day = Day {
                sold: 0,
                in_stock: false,
            };
        }
        let velocity = fit(&history, 0).unwrap().velocity();
        assert!((velocity - 10.0).abs() <= 0.5, "velocity {velocity}");

        // The same days read as "sold nothing" would say the SKU is dying.
        let as_zeros: Vec<Day> = history
            .iter()
            .map(|day| Day {
                in_stock: true,
                ..*day
            })
            .collect();
        let naive_velocity = fit(&as_zeros, 0).unwrap().velocity();
        assert!(naive_velocity < 9.5, "velocity {naive_velocity}");
    }

    #[test]
    fn the_weekend_profile_is_found() {
        for seed in [7, 1, 42] {
            let (history, first_weekday) = generate(364, seed);
            let model = fit(&history, first_weekday).unwrap();
            assert!(model.is_seasonal());
            let weekend = (model.daily(5) + model.daily(6)) / 2.0;
            let weekdays = (0..5).map(|weekday| model.daily(weekday)).sum::<f64>() / 5.0;
            assert!(
                weekend > weekdays * 1.3,
                "seed {seed}: {:?}",
                model.indices()
            );
            assert!(
                model.daily(5) > model.daily(0),
                "seed {seed}: {:?}",
                model.indices()
            );
        }
    }

    #[test]
    fn short_histories_have_no_weekday_profile() {
        let model = fit(&flat(20, 3), 2).unwrap();
        assert!(!model.is_seasonal());
        assert_eq!(model.indices(), [1.0; WEEK]);
        assert_eq!(model.forecast(4, 3), vec![3.0, 3.0, 3.0]);
    }

    #[test]
    fn plan_matches_the_hand_computation() {
        // 2 units every day; 10 on hand, nothing on order; lead time 5 days,
        // safety 3 days, next order possible in 7 days.
        let model = fit(&flat(28, 2), 0).unwrap();
        let plan = plan(&model, 0, 10, 0, 5, 3, 7);
        assert_eq!(
            plan,
            Plan {
                velocity_per_day_milli: 2_000,
                days_of_cover: Some(5),
                // Days 1–5 use the 10 units exactly; day 6 would need 12.
                stockout_in_days: Some(5),
                // ceil(2 × 5) + ceil(2 × 3) = 10 + 6
                reorder_point: 16,
                // ceil(2 × (5 + 7)) + 6 − 10 − 0 = 20
                suggested_quantity: 20,
            }
        );
        // Above the reorder point, nothing to order.
        let stocked = super::plan(&model, 0, 10, 7, 5, 3, 7);
        assert_eq!(stocked.suggested_quantity, 0);
        // At the reorder point, order up to the target.
        let at_point = super::plan(&model, 0, 10, 6, 5, 3, 7);
        assert_eq!(at_point.suggested_quantity, 14);
    }

    #[test]
    fn the_stockout_follows_the_weekday_forecast() {
        // Monday to Friday sell 1, the weekend 5: a week sells 15.
        let mut history = Vec::new();
        for _ in 0..8 {
            history.extend([1, 1, 1, 1, 1, 5, 5].map(|sold| Day {
                sold,
                in_stock: true,
            }));
        }
        let model = fit(&history, 0).unwrap();
        // From Monday, 5 on hand covers Monday to Friday; Saturday runs out.
        assert_eq!(plan(&model, 0, 5, 0, 0, 0, 0).stockout_in_days, Some(5));
        // From Saturday, 5 on hand only covers Saturday.
        assert_eq!(plan(&model, 5, 5, 0, 0, 0, 0).stockout_in_days, Some(1));
    }

    #[test]
    fn degenerate_inputs_do_not_panic() {
        assert_eq!(fit(&[], 0), None);
        let out = Day {
            sold: 0,
            in_stock: false,
        };
        assert_eq!(fit(&[out; 30], 3), None);
        assert_eq!(backtest(&[], 0, 14, 84), None);
        assert_eq!(backtest(&flat(100, 4), 0, 0, 84), None);
        // A constant history: the in-sample baseline is perfect, MASE has no scale.
        assert_eq!(backtest(&flat(100, 4), 0, 14, 84), None);

        let model = fit(&flat(28, 2), 200).unwrap();
        let huge = plan(
            &model,
            255,
            i64::MAX,
            u32::MAX,
            u32::MAX,
            u32::MAX,
            u32::MAX,
        );
        assert_eq!(huge.days_of_cover, Some(u32::MAX));
        assert_eq!(huge.stockout_in_days, None);
        assert_eq!(huge.suggested_quantity, 0);
        assert_eq!(huge.reorder_point, u32::MAX);

        let oversold = plan(&model, 0, i64::MIN, 0, u32::MAX, u32::MAX, u32::MAX);
        assert_eq!(oversold.days_of_cover, Some(0));
        assert_eq!(oversold.stockout_in_days, Some(0));
        assert_eq!(oversold.suggested_quantity, u32::MAX);

        let idle = fit(&flat(28, 0), 0).unwrap();
        let plan = plan(&idle, 0, 0, 0, 5, 3, 7);
        assert_eq!(plan.velocity_per_day_milli, 0);
        assert_eq!(plan.days_of_cover, None);
        assert_eq!(plan.stockout_in_days, Some(0));
        assert_eq!(plan.reorder_point, 0);
        assert_eq!(plan.suggested_quantity, 0);
        let stocked_idle = super::plan(&idle, 0, 50, 0, 5, 3, 7);
        assert_eq!(stocked_idle.stockout_in_days, None);
        assert_eq!(stocked_idle.suggested_quantity, 0);
    }

    #[test]
    fn generate_is_deterministic_and_has_stockouts() {
        let (a, weekday_a) = generate(364, 7);
        let (b, weekday_b) = generate(364, 7);
        assert_eq!((a.clone(), weekday_a), (b, weekday_b));
        assert!(weekday_a < 7);
        let censored = a.iter().filter(|day| !day.in_stock).count();
        assert!((12..=27).contains(&censored), "{censored} censored days");
        assert!(
            a.iter()
                .filter(|day| !day.in_stock)
                .all(|day| day.sold == 0)
        );
        assert_ne!(generate(364, 8).0, a);
        assert!(generate(0, 1).0.is_empty());
        assert_eq!(generate(5, 1).0.len(), 5);
    }
}
