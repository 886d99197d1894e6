//! Calendar arithmetic on unix-millisecond instants, in UTC: the day an
//! instant falls on and its ISO 8601 spelling. (Reports bucket by UTC day;
//! no time-zone database is needed, on either side.) Invoices are dated in
//! the shop's own time, Paris's ([`paris_date`]), by the EU's fixed
//! summer-time rule.

/// Milliseconds in a day.
pub const DAY_MS: i64 = 86_400_000;

/// The day number (days since 1970-01-01, UTC) of an instant.
pub fn day_of(ms: i64) -> i64 {
    ms.div_euclid(DAY_MS)
}

/// The `(year, month, day)` of a day number (proleptic Gregorian calendar;
/// Howard Hinnant's `civil_from_days`).
pub fn civil(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    // Both are small by construction (1..=31, 1..=12).
    (
        year,
        u32::try_from(month).unwrap_or(1),
        u32::try_from(day).unwrap_or(1),
    )
}

/// The day number of a date (the inverse of [`civil`]; Hinnant's
/// `days_from_civil`).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let (month, day) = (i64::from(month), i64::from(day));
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let yoe = year.rem_euclid(400);
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The day number of the last Sunday of a month.
fn last_sunday(year: i64, month: u32) -> i64 {
    let first_of_next = if month == 12 {
        days_from_civil(year + 1, 1, 1)
    } else {
        days_from_civil(year, month + 1, 1)
    };
    let last = first_of_next - 1;
    last - i64::from((weekday(last) + 1) % 7)
}

/// Paris's offset from UTC at an instant, in ms: one hour, two in summer
/// time (from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last
/// Sunday of October).
pub fn paris_offset_ms(ms: i64) -> i64 {
    let (year, _, _) = civil(day_of(ms));
    let hour = 3_600_000;
    let starts = last_sunday(year, 3) * DAY_MS + hour;
    let ends = last_sunday(year, 10) * DAY_MS + hour;
    if (starts..ends).contains(&ms) {
        2 * hour
    } else {
        hour
    }
}

/// The day number an instant falls on in Paris.
pub fn paris_day(ms: i64) -> i64 {
    day_of(ms + paris_offset_ms(ms))
}

/// When Paris day `day` begins (unix ms).
pub fn paris_day_start_ms(day: i64) -> i64 {
    let utc_midnight = day * DAY_MS;
    utc_midnight - paris_offset_ms(utc_midnight)
}

/// The `(year, month, day)` an instant falls on in Paris.
pub fn paris_date(ms: i64) -> (i64, u32, u32) {
    civil(paris_day(ms))
}

/// The weekday of a day number: 0 = Monday … 6 = Sunday (1970-01-01 was a
/// Thursday).
pub fn weekday(day: i64) -> u8 {
    u8::try_from((day + 3).rem_euclid(7)).unwrap_or(0)
}

/// `2026-11-24` for a day number.
pub fn iso_day(day: i64) -> String {
    let (y, m, d) = civil(day);
    format!("{y:04}-{m:02}-{d:02}")
}

/// `2026-11-24` for an instant (its UTC day).
pub fn iso_date(ms: i64) -> String {
    iso_day(day_of(ms))
}

/// `2026-11-24T09:05:03Z` for an instant (whole seconds).
pub fn iso_datetime(ms: i64) -> String {
    let secs = ms.rem_euclid(DAY_MS) / 1000;
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        iso_date(ms),
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_instants() {
        assert_eq!(iso_date(0), "1970-01-01");
        assert_eq!(iso_datetime(-1), "1969-12-31T23:59:59Z");
        assert_eq!(iso_datetime(951_782_400_000), "2000-02-29T00:00:00Z");
        assert_eq!(iso_datetime(1_795_510_503_000), "2026-11-24T08:55:03Z");
        assert_eq!(day_of(DAY_MS - 1), 0);
        assert_eq!(day_of(-1), -1);
    }

    #[test]
    fn paris_changes_hour_on_the_last_sundays_of_march_and_october() {
        // 2026: summer time from 29 March 01:00 UTC to 25 October 01:00 UTC.
        let at = |y, m, d, h: i64| days_from_civil(y, m, d) * DAY_MS + h * 3_600_000;
        assert_eq!(paris_offset_ms(at(2026, 3, 29, 0)), 3_600_000);
        assert_eq!(paris_offset_ms(at(2026, 3, 29, 1)), 7_200_000);
        assert_eq!(paris_offset_ms(at(2026, 10, 25, 0)), 7_200_000);
        assert_eq!(paris_offset_ms(at(2026, 10, 25, 1)), 3_600_000);
        // New Year's Eve at 23:30 UTC is already next year in Paris.
        assert_eq!(paris_date(at(2026, 12, 31, 23) + 1_800_000), (2027, 1, 1));
        assert_eq!(paris_date(at(2026, 6, 30, 21) + 59 * 60_000), (2026, 6, 30));
        assert_eq!(paris_date(at(2026, 6, 30, 22)), (2026, 7, 1));
        for days in -1_000..100_000 {
            assert_eq!(
                days_from_civil(civil(days).0, civil(days).1, civil(days).2),
                days
            );
        }
    }

    #[test]
    fn paris_days_begin_at_local_midnight_and_know_their_weekday() {
        let monday = days_from_civil(2026, 12, 7);
        assert_eq!(weekday(monday), 0);
        assert_eq!(weekday(monday + 6), 6);
        assert_eq!(iso_day(monday), "2026-12-07");
        // Winter: Paris midnight is 23:00 UTC the day before; summer 22:00.
        assert_eq!(paris_day_start_ms(monday), monday * DAY_MS - 3_600_000);
        let july = days_from_civil(2026, 7, 1);
        assert_eq!(paris_day_start_ms(july), july * DAY_MS - 7_200_000);
        assert_eq!(paris_day(paris_day_start_ms(monday)), monday);
        assert_eq!(paris_day(paris_day_start_ms(monday) - 1), monday - 1);
    }

    #[test]
    fn consecutive_days_follow_each_other() {
        let mut previous = civil(-800_000);
        for days in -799_999..800_000 {
            let (y, m, d) = civil(days);
            let (py, pm, pd) = previous;
            let next_day = (y, m) == (py, pm) && d == pd + 1;
            let next_month =
                d == 1 && ((y == py && m == pm + 1) || (y == py + 1 && m == 1 && pm == 12));
            assert!(next_day || next_month, "{previous:?} -> {:?}", (y, m, d));
            previous = (y, m, d);
        }
    }
}
