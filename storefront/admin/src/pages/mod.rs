//! The staff pages, one file per section, and the figure formatting they share.

pub mod audit;
pub mod automation;
pub mod catalog;
pub mod customers;
pub mod dashboard;
pub mod finance;
pub mod funnel;
pub mod order;
pub mod orders;
pub mod purchasing;
pub mod refunds;
pub mod retention;
pub mod stock;
pub mod support;
pub mod team;

/// `12,3 %` from basis points; `—` when there is nothing to divide.
pub fn percent(bps: Option<i64>) -> String {
    match bps {
        None => "—".to_owned(),
        Some(b) => {
            let sign = if b < 0 { "-" } else { "" };
            let b = b.abs();
            format!("{sign}{},{} %", b / 100, (b % 100) / 10)
        }
    }
}

/// `12,5 h` from milliseconds.
pub fn hours(ms: Option<i64>) -> String {
    match ms {
        None => "—".to_owned(),
        Some(ms) => {
            let tenths = ms / 360_000;
            format!("{},{} h", tenths / 10, tenths % 10)
        }
    }
}

/// `4,2` from thousandths.
pub fn milli(v: Option<i64>) -> String {
    match v {
        None => "—".to_owned(),
        Some(v) => format!("{},{}", v / 1000, (v % 1000) / 100),
    }
}

/// Unix ms of a `YYYY-MM-DD` date input at 00:00 UTC.
pub fn day_start_ms(date: &str) -> Option<i64> {
    let ms = js_sys::Date::parse(date);
    (!ms.is_nan()).then_some(ms as i64)
}

/// A one-line form field value changed.
pub fn value(ev: &leptos::ev::Event) -> String {
    leptos::prelude::event_target_value(ev)
}

/// `12,50` or `12.50` → 1250 cents; `None` when it is not an amount.
pub fn parse_euros(raw: &str) -> Option<i64> {
    let raw = raw.trim().replace(',', ".");
    let (units, cents) = raw.split_once('.').unwrap_or((raw.as_str(), "0"));
    let cents = match cents.len() {
        1 => cents.parse::<i64>().ok()? * 10,
        2 => cents.parse::<i64>().ok()?,
        _ => return None,
    };
    units
        .parse::<i64>()
        .ok()?
        .checked_mul(100)?
        .checked_add(cents)
}

/// `12,50` from 1250 cents: how amounts are typed back into forms.
pub fn euros(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.abs();
    format!("{sign}{},{:02}", cents / 100, cents % 100)
}

#[cfg(test)]
mod tests {
    #[test]
    fn euros_read_with_comma_or_point() {
        assert_eq!(super::parse_euros("12,50"), Some(1250));
        assert_eq!(super::parse_euros("12.5"), Some(1250));
        assert_eq!(super::parse_euros("35"), Some(3500));
        assert_eq!(super::parse_euros("1,234"), None);
        assert_eq!(super::parse_euros("abc"), None);
        assert_eq!(super::parse_euros(&super::euros(1250)), Some(1250));
    }
}
