//! Audience measurement without consent: the storefront's beacon
//! (`POST /api/events`), the rules that classify a request (bot, device,
//! source), how raw events become counted visits and steps, and the funnel
//! the dashboard shows (`GET /api/kpis/funnel`).
//!
//! The beacon carries a page path (its query string is dropped), the
//! referrer (only its host is kept) and the `utm_*` campaign tags. The
//! server adds a visitor key — a hash of the day's random salt, the client
//! address and the user agent — and the device class. That key makes a raw
//! event pseudonymised data while the day's salt lives; re-identification
//! is impossible once the salt is deleted (the next day). Raw events are
//! deleted about two hours after they came, once the next hour is rolled up
//! (7 days at most, [`RAW_RETENTION_MS`]); beyond that only anonymous
//! hourly aggregates remain, at most 13 months. The storefront sends
//! nothing under DNT, GPC or its privacy page's opt-out (`/confidentialite`).
//!
//! Counting rules ([`tally`]):
//! - a **visit** is a visitor's first event after [`VISIT_GAP_MS`] of
//!   inactivity (or ever);
//! - a **reload** — the same visitor, kind and path again within
//!   [`VISIT_GAP_MS`] — counts nothing more;
//! - every counted event carries the source of its visit's first event.
//!
//! Ratios in basis points (10 000 = 100 %), `None` over nothing, as in
//! [`crate::kpi`].

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::error::ValidationError;
use crate::kpi::ratio_bps;

/// Inactivity that ends a visit, and the window in which a repeated view
/// is a reload: 30 minutes, as analytics tools do.
pub const VISIT_GAP_MS: i64 = 30 * 60 * 1000;

/// One hour, the aggregates' granularity.
pub const HOUR_MS: i64 = 3_600_000;

/// How long raw events are kept at most (7 days), should the roll-up not
/// reach them (a stopped job runner catching up); it deletes those it no
/// longer needs about two hours after they came.
pub const RAW_RETENTION_MS: i64 = 7 * 24 * HOUR_MS;

/// How long hourly aggregates are kept: 390 days, under 13 months.
pub const AGGREGATE_RETENTION_MS: i64 = 390 * 24 * HOUR_MS;

/// Longest path, referrer or tag the beacon may send.
pub const MAX_FIELD: usize = 512;

/// What the beacon reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// A shop page was shown.
    View,
    /// A product page was shown.
    ProductView,
    /// Something was put in the cart.
    AddToCart,
    /// The checkout page was opened.
    CheckoutStarted,
}

/// What the aggregates count: a visit, or one of the beacon's events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// A visit began.
    Visit,
    /// A shop page was shown.
    View,
    /// A product page was shown.
    ProductView,
    /// Something was put in the cart.
    AddToCart,
    /// The checkout page was opened.
    CheckoutStarted,
}

impl Step {
    /// Every step, in funnel order (pages shown sits beside the funnel).
    pub const ALL: [Step; 5] = [
        Step::Visit,
        Step::View,
        Step::ProductView,
        Step::AddToCart,
        Step::CheckoutStarted,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Step::Visit => "visit",
            Step::View => "view",
            Step::ProductView => "product_view",
            Step::AddToCart => "add_to_cart",
            Step::CheckoutStarted => "checkout_started",
        }
    }

    /// The step of a stored name.
    pub fn parse(s: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| ValidationError(format!("unknown step {s:?}")))
    }
}

impl EventKind {
    /// The stored name (that of its [`Step`]).
    pub fn as_str(self) -> &'static str {
        Step::from(self).as_str()
    }

    /// The kind of a stored name.
    pub fn parse(s: &str) -> Result<Self, ValidationError> {
        match Step::parse(s)? {
            Step::View => Ok(EventKind::View),
            Step::ProductView => Ok(EventKind::ProductView),
            Step::AddToCart => Ok(EventKind::AddToCart),
            Step::CheckoutStarted => Ok(EventKind::CheckoutStarted),
            Step::Visit => Err(ValidationError("a visit is no beacon event".into())),
        }
    }
}

impl From<EventKind> for Step {
    fn from(kind: EventKind) -> Self {
        match kind {
            EventKind::View => Step::View,
            EventKind::ProductView => Step::ProductView,
            EventKind::AddToCart => Step::AddToCart,
            EventKind::CheckoutStarted => Step::CheckoutStarted,
        }
    }
}

/// The beacon's body: only what the page is and where the visit came from
/// (the server adds the pseudonymous visitor key).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Beacon {
    /// What happened.
    pub kind: EventKind,
    /// The page's path (`/produits/t-shirt-lin`); a query string or
    /// fragment is dropped.
    pub path: String,
    /// `document.referrer`: only its host is kept, and only if it is not
    /// the shop's own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referrer: Option<String>,
    /// The page URL's `utm_source`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utm_source: Option<String>,
    /// The page URL's `utm_medium`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utm_medium: Option<String>,
    /// The page URL's `utm_campaign`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub utm_campaign: Option<String>,
}

impl Beacon {
    /// The stored path: the part before `?` or `#`, which must start with
    /// `/` and be at most [`MAX_FIELD`] bytes; every field at most that long.
    /// The error names the field.
    pub fn checked_path(&self) -> Result<&str, (&'static str, ValidationError)> {
        let fields = [
            ("referrer", &self.referrer),
            ("utm_source", &self.utm_source),
            ("utm_medium", &self.utm_medium),
            ("utm_campaign", &self.utm_campaign),
        ];
        for (name, value) in fields {
            if value.as_ref().is_some_and(|v| v.len() > MAX_FIELD) {
                return Err((name, ValidationError(format!("at most {MAX_FIELD} bytes"))));
            }
        }
        let path = self.path.split(['?', '#']).next().unwrap_or_default();
        if !path.starts_with('/') || path.len() > MAX_FIELD || path.chars().any(char::is_control) {
            return Err((
                "path",
                ValidationError(format!(
                    "a path starting with / of at most {MAX_FIELD} bytes"
                )),
            ));
        }
        Ok(path)
    }
}

/// Device class, from the user agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Device {
    /// Phones.
    Mobile,
    /// Tablets.
    Tablet,
    /// Everything else.
    Desktop,
}

impl Device {
    /// Every class.
    pub const ALL: [Device; 3] = [Device::Mobile, Device::Tablet, Device::Desktop];

    /// The class of a user agent: iPads, Android without "Mobile" and
    /// anything saying "Tablet" are tablets; "Mobi", iPhones and Android
    /// phones are mobiles; the rest desktops.
    pub fn of(user_agent: &str) -> Self {
        let ua = user_agent.to_ascii_lowercase();
        let android = ua.contains("android");
        if ua.contains("ipad") || ua.contains("tablet") || (android && !ua.contains("mobi")) {
            Device::Tablet
        } else if ua.contains("mobi") || ua.contains("iphone") || android {
            Device::Mobile
        } else {
            Device::Desktop
        }
    }

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Device::Mobile => "mobile",
            Device::Tablet => "tablet",
            Device::Desktop => "desktop",
        }
    }

    /// The class of a stored name.
    pub fn parse(s: &str) -> Result<Self, ValidationError> {
        Self::ALL
            .into_iter()
            .find(|d| d.as_str() == s)
            .ok_or_else(|| ValidationError(format!("unknown device {s:?}")))
    }
}

/// Words in a user agent that mark a robot (crawlers, link previews,
/// monitoring, HTTP libraries, audits).
const BOT_MARKS: [&str; 16] = [
    "bot",
    "crawl",
    "spider",
    "slurp",
    "facebookexternalhit",
    "preview",
    "monitor",
    "lighthouse",
    "pingdom",
    "curl",
    "wget",
    "python-",
    "go-http-client",
    "java/",
    "okhttp",
    "headless",
];

/// Whether a user agent is a robot's: empty, or naming one of the usual
/// marks (`bot`, `crawl`, `spider`, HTTP libraries, headless browsers…).
pub fn is_bot(user_agent: &str) -> bool {
    let ua = user_agent.trim().to_ascii_lowercase();
    ua.is_empty() || BOT_MARKS.iter().any(|mark| ua.contains(mark))
}

/// The host of a URL (`https://www.Example.com:8443/x` → `example.com`),
/// lower-cased, without a leading `www.`; `None` if there is none.
pub fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = authority.rsplit('@').next().unwrap_or_default();
    let host = if host.starts_with('[') {
        host.split(']').next().map(|h| format!("{h}]"))?
    } else {
        host.split(':').next().unwrap_or_default().to_owned()
    };
    let host = host.to_ascii_lowercase();
    let host = host
        .strip_prefix("www.")
        .map_or(host.clone(), str::to_owned);
    (!host.is_empty()).then_some(host)
}

/// The source of a visit: the `utm_source` tag made a label (lower-case
/// ASCII letters, digits, `.`, `_`, `-`; any other run of characters one
/// `-`; at most [`MAX_SOURCE`] characters) if anything is left of it, else
/// the referrer's host when it is not the host of one of the shop's own URLs
/// (`own`), else `direct`.
pub fn source_of(beacon: &Beacon, own: &[&str]) -> String {
    if let Some(tag) = beacon
        .utm_source
        .as_deref()
        .map(label)
        .filter(|t| !t.is_empty())
    {
        return tag;
    }
    let own: Vec<String> = own.iter().filter_map(|url| host_of(url)).collect();
    match beacon.referrer.as_deref().and_then(host_of) {
        Some(host) if !own.contains(&host) => host.chars().take(MAX_SOURCE).collect(),
        _ => DIRECT.to_owned(),
    }
}

/// `tag` as a source label (see [`source_of`]).
fn label(tag: &str) -> String {
    let mut out = String::new();
    for c in tag.trim().chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
        if out.len() >= MAX_SOURCE {
            break;
        }
    }
    out.trim_end_matches('-').to_owned()
}

/// The longest source label.
pub const MAX_SOURCE: usize = 40;

/// The source of a visit with neither tag nor outside referrer.
pub const DIRECT: &str = "direct";

/// Sources an hour's aggregates name at most: beyond them (fewest visits
/// first) they are counted under [`OTHER`], so made-up tags cannot grow the
/// aggregates without bound.
pub const SOURCES_PER_HOUR: usize = 50;

/// Where the sources beyond an hour's [`SOURCES_PER_HOUR`] are counted.
pub const OTHER: &str = "other";

/// One stored raw event, as the roll-up reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawEvent {
    /// The visitor key (a salted hash; the same within one UTC day).
    pub visitor: String,
    /// When it was received (unix ms).
    pub at_ms: i64,
    /// What happened.
    pub kind: EventKind,
    /// The page's path.
    pub path: String,
    /// The source computed for this event on its own.
    pub source: String,
    /// The device class.
    pub device: Device,
}

/// One aggregate row: how many times `step` was counted for a source and
/// device, and by how many distinct visitors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    /// What was counted.
    pub step: Step,
    /// The visit's source.
    pub source: String,
    /// The device class.
    pub device: Device,
    /// Times counted.
    pub count: i64,
    /// Distinct visitors counted.
    pub visitors: i64,
}

/// Counts the events received in `[from_ms, to_ms)` by the rules of this
/// module. `events` must also hold the events of the [`VISIT_GAP_MS`]
/// before `from_ms` (they decide whether an event starts a visit or is a
/// reload, and which source a visit has); they are not counted themselves.
pub fn tally(events: &mut [RawEvent], from_ms: i64, to_ms: i64) -> Vec<Tally> {
    events.sort_by(|a, b| (&a.visitor, a.at_ms).cmp(&(&b.visitor, b.at_ms)));
    let mut counts: BTreeMap<(Step, String, Device), (i64, BTreeSet<&str>)> = BTreeMap::new();
    let mut previous: Option<(&str, i64)> = None;
    let mut source = DIRECT;
    // The last time this visit saw each (kind, path).
    let mut seen: BTreeMap<(EventKind, &str), i64> = BTreeMap::new();
    for event in events.iter() {
        let new_visit = match previous {
            Some((visitor, at)) => visitor != event.visitor || event.at_ms - at > VISIT_GAP_MS,
            None => true,
        };
        if new_visit {
            source = &event.source;
            seen.clear();
        }
        let reload = seen
            .insert((event.kind, &event.path), event.at_ms)
            .is_some_and(|at| event.at_ms - at <= VISIT_GAP_MS);
        previous = Some((&event.visitor, event.at_ms));
        if !(from_ms..to_ms).contains(&event.at_ms) {
            continue;
        }
        let mut count = |step: Step| {
            let entry = counts
                .entry((step, source.to_owned(), event.device))
                .or_default();
            entry.0 += 1;
            entry.1.insert(&event.visitor);
        };
        if new_visit {
            count(Step::Visit);
        }
        if !reload {
            count(event.kind.into());
        }
    }
    // The hour's sources by visits (then by name): the first ones keep
    // their name, the rest are counted as one.
    let mut visits: BTreeMap<&str, i64> = BTreeMap::new();
    for ((step, source, _), (count, _)) in &counts {
        *visits.entry(source.as_str()).or_default() +=
            if *step == Step::Visit { *count } else { 0 };
    }
    let mut ranked: Vec<(&str, i64)> = visits.into_iter().collect();
    ranked.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    let kept: BTreeSet<String> = ranked
        .iter()
        .take(SOURCES_PER_HOUR)
        .map(|(s, _)| (*s).to_owned())
        .collect();
    let mut folded: BTreeMap<(Step, String, Device), (i64, BTreeSet<&str>)> = BTreeMap::new();
    for ((step, source, device), (count, visitors)) in counts {
        let source = if kept.contains(&source) {
            source
        } else {
            OTHER.to_owned()
        };
        let entry = folded.entry((step, source, device)).or_default();
        entry.0 += count;
        entry.1.extend(visitors);
    }
    folded
        .into_iter()
        .map(|((step, source, device), (count, visitors))| Tally {
            step,
            source,
            device,
            count,
            visitors: i64::try_from(visitors.len()).unwrap_or(i64::MAX),
        })
        .collect()
}

/// The funnel's counts over a period: the beacon's steps, and paid orders
/// from the orders themselves.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StepCounts {
    /// Visits begun.
    pub visits: i64,
    /// Shop pages shown (other than product pages).
    pub page_views: i64,
    /// Product pages shown.
    pub product_views: i64,
    /// Additions to a cart.
    pub add_to_cart: i64,
    /// Checkout pages opened.
    pub checkout_started: i64,
    /// Orders paid (from the orders, not the beacon; 0 in a breakdown by
    /// source or device, which the payment cannot be tied to).
    pub paid: i64,
}

impl StepCounts {
    /// Adds `count` to `step`'s counter.
    pub fn add(&mut self, step: Step, count: i64) {
        let counter = match step {
            Step::Visit => &mut self.visits,
            Step::View => &mut self.page_views,
            Step::ProductView => &mut self.product_views,
            Step::AddToCart => &mut self.add_to_cart,
            Step::CheckoutStarted => &mut self.checkout_started,
        };
        *counter += count;
    }

    /// The funnel in order — visits, product views, add to cart, checkout
    /// started, paid — each step with its conversion from the one before.
    pub fn steps(&self) -> Vec<FunnelStep> {
        let counts = [
            (FunnelStage::Visits, self.visits),
            (FunnelStage::ProductViews, self.product_views),
            (FunnelStage::AddToCart, self.add_to_cart),
            (FunnelStage::CheckoutStarted, self.checkout_started),
            (FunnelStage::Paid, self.paid),
        ];
        let mut before = None;
        counts
            .into_iter()
            .map(|(stage, count)| {
                let step = FunnelStep {
                    stage,
                    count,
                    from_previous_bps: before.and_then(|b| ratio_bps(count, b)),
                };
                before = Some(count);
                step
            })
            .collect()
    }
}

/// A stage of the funnel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum FunnelStage {
    /// Visits.
    Visits,
    /// Product pages shown.
    ProductViews,
    /// Additions to a cart.
    AddToCart,
    /// Checkout pages opened.
    CheckoutStarted,
    /// Orders paid.
    Paid,
}

/// One stage with its count and its conversion from the stage before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FunnelStep {
    /// Which stage.
    pub stage: FunnelStage,
    /// Its count.
    pub count: i64,
    /// `count / previous count` in basis points; `None` for the first stage
    /// or when the previous count is 0.
    pub from_previous_bps: Option<i64>,
}

/// The counts of one source or one device class.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FunnelSlice {
    /// The source (`direct`, a referrer host, a `utm_source`) or the device
    /// class (`mobile`, `tablet`, `desktop`).
    pub key: String,
    /// Its counts (`paid` is 0: see [`StepCounts::paid`]).
    pub counts: StepCounts,
    /// Checkouts started per visit of this slice, in basis points.
    pub checkout_rate_bps: Option<i64>,
}

/// `GET /api/kpis/funnel`: the visitor funnel over `[from_ms, to_ms)`,
/// read from the hourly aggregates (hours starting in the period).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Funnel {
    /// Start (unix ms, inclusive).
    pub from_ms: i64,
    /// End (unix ms, exclusive).
    pub to_ms: i64,
    /// The totals.
    pub counts: StepCounts,
    /// The stages in order with their step conversion.
    pub steps: Vec<FunnelStep>,
    /// Paid orders per visit, in basis points.
    pub conversion_bps: Option<i64>,
    /// By the visit's source, most visits first.
    pub by_source: Vec<FunnelSlice>,
    /// By device class, most visits first.
    pub by_device: Vec<FunnelSlice>,
}

impl Funnel {
    /// The funnel of aggregate rows `(step, source, device, count)` and the
    /// paid orders of the period.
    pub fn from_rows(
        from_ms: i64,
        to_ms: i64,
        rows: &[(Step, String, Device, i64)],
        paid: i64,
    ) -> Self {
        let mut counts = StepCounts {
            paid,
            ..StepCounts::default()
        };
        let mut sources: BTreeMap<&str, StepCounts> = BTreeMap::new();
        let mut devices: BTreeMap<&str, StepCounts> = BTreeMap::new();
        for (step, source, device, n) in rows {
            counts.add(*step, *n);
            sources.entry(source).or_default().add(*step, *n);
            devices.entry(device.as_str()).or_default().add(*step, *n);
        }
        let slices = |map: BTreeMap<&str, StepCounts>| {
            let mut slices: Vec<FunnelSlice> = map
                .into_iter()
                .map(|(key, counts)| FunnelSlice {
                    key: key.to_owned(),
                    checkout_rate_bps: ratio_bps(counts.checkout_started, counts.visits),
                    counts,
                })
                .collect();
            slices.sort_by_key(|s| std::cmp::Reverse(s.counts.visits));
            slices
        };
        Self {
            from_ms,
            to_ms,
            steps: counts.steps(),
            conversion_bps: ratio_bps(paid, counts.visits),
            counts,
            by_source: slices(sources),
            by_device: slices(devices),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn beacon(referrer: Option<&str>, utm: Option<&str>) -> Beacon {
        Beacon {
            kind: EventKind::View,
            path: "/".into(),
            referrer: referrer.map(Into::into),
            utm_source: utm.map(Into::into),
            utm_medium: None,
            utm_campaign: None,
        }
    }

    #[test]
    fn the_source_is_the_tag_then_an_outside_referrer_then_direct() {
        let own = &["http://127.0.0.1:3000", "https://boutique.example.fr"];
        assert_eq!(
            source_of(
                &beacon(Some("https://www.google.com/"), Some(" Newsletter ")),
                own
            ),
            "newsletter"
        );
        assert_eq!(
            source_of(
                &beacon(Some("https://www.Google.com/search?q=x"), None),
                own
            ),
            "google.com"
        );
        assert_eq!(
            source_of(
                &beacon(Some("https://boutique.example.fr/produits/x"), None),
                own
            ),
            "direct"
        );
        assert_eq!(source_of(&beacon(None, Some("")), own), "direct");
        assert_eq!(
            source_of(&beacon(None, Some(" Black Friday / 2026 ")), own),
            "black-friday-2026"
        );
        assert_eq!(source_of(&beacon(None, Some("<script>")), own), "script");
        assert_eq!(source_of(&beacon(None, Some("€€")), own), "direct");
        assert_eq!(
            source_of(&beacon(None, Some(&"x".repeat(500))), own).len(),
            MAX_SOURCE
        );
        assert_eq!(source_of(&beacon(Some(""), None), own), "direct");
        assert_eq!(host_of("http://user@[::1]:80/x"), Some("[::1]".into()));
    }

    #[test]
    fn devices_and_bots_are_told_by_the_user_agent() {
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148";
        let ipad = "Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) AppleWebKit/605.1.15";
        let android_phone =
            "Mozilla/5.0 (Linux; Android 14; Pixel 8) Chrome/120.0 Mobile Safari/537.36";
        let android_tablet = "Mozilla/5.0 (Linux; Android 14; SM-X700) Chrome/120.0 Safari/537.36";
        let desktop =
            "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36";
        assert_eq!(Device::of(iphone), Device::Mobile);
        assert_eq!(Device::of(android_phone), Device::Mobile);
        assert_eq!(Device::of(ipad), Device::Tablet);
        assert_eq!(Device::of(android_tablet), Device::Tablet);
        assert_eq!(Device::of(desktop), Device::Desktop);
        for ua in [iphone, desktop] {
            assert!(!is_bot(ua), "{ua}");
        }
        for ua in [
            "",
            "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
            "curl/8.5.0",
            "Mozilla/5.0 (X11; Linux x86_64) HeadlessChrome/120.0",
            "facebookexternalhit/1.1",
        ] {
            assert!(is_bot(ua), "{ua}");
        }
    }

    #[test]
    fn the_path_loses_its_query_and_must_be_a_path() {
        let mut b = beacon(None, None);
        b.path = "/produits/x?email=a@b.fr#top".into();
        assert_eq!(b.checked_path(), Ok("/produits/x"));
        b.path = "https://elsewhere/".into();
        assert_eq!(b.checked_path().map_err(|e| e.0), Err("path"));
        b.path = "/".into();
        b.utm_campaign = Some("x".repeat(MAX_FIELD + 1));
        assert_eq!(b.checked_path().map_err(|e| e.0), Err("utm_campaign"));
    }

    fn event(visitor: &str, minute: i64, kind: EventKind, path: &str, source: &str) -> RawEvent {
        RawEvent {
            visitor: visitor.into(),
            at_ms: minute * 60_000,
            kind,
            path: path.into(),
            source: source.into(),
            device: Device::Desktop,
        }
    }

    fn count(tallies: &[Tally], step: Step) -> i64 {
        tallies
            .iter()
            .filter(|t| t.step == step)
            .map(|t| t.count)
            .sum()
    }

    #[test]
    fn a_reload_is_no_new_visit_and_no_new_view_and_a_visit_ends_after_30_idle_minutes() {
        use EventKind::*;
        let mut events = vec![
            event("a", 0, View, "/", "google.com"),
            event("a", 1, View, "/", "direct"), // reload
            event("a", 2, ProductView, "/produits/x", "direct"),
            event("a", 3, AddToCart, "/produits/x", "direct"),
            event("a", 40, View, "/", "direct"), // 37 idle minutes: a new visit
            event("b", 5, ProductView, "/produits/x", "newsletter"),
        ];
        let tallies = tally(&mut events, 0, 60 * 60_000);
        assert_eq!(count(&tallies, Step::Visit), 3);
        assert_eq!(count(&tallies, Step::View), 2);
        assert_eq!(count(&tallies, Step::ProductView), 2);
        assert_eq!(count(&tallies, Step::AddToCart), 1);
        // The first visit's steps carry its source, google.com.
        let cart = tallies.iter().find(|t| t.step == Step::AddToCart);
        assert_eq!(cart.map(|t| t.source.as_str()), Some("google.com"));
        let visits_by_a: Vec<_> = tallies
            .iter()
            .filter(|t| t.step == Step::Visit && t.source != "newsletter")
            .map(|t| (t.source.as_str(), t.count, t.visitors))
            .collect();
        assert_eq!(visits_by_a, [("direct", 1, 1), ("google.com", 1, 1)]);
    }

    #[test]
    fn events_before_the_period_decide_but_are_not_counted() {
        use EventKind::*;
        // Hour two, with the end of hour one loaded for context.
        let mut events = vec![
            event("a", 50, View, "/", "google.com"),
            event("a", 61, View, "/", "direct"), // reload across the hour
            event("a", 62, ProductView, "/p", "direct"),
        ];
        let tallies = tally(&mut events, 60 * 60_000, 120 * 60_000);
        assert_eq!(count(&tallies, Step::Visit), 0);
        assert_eq!(count(&tallies, Step::View), 0);
        assert_eq!(count(&tallies, Step::ProductView), 1);
        assert_eq!(tallies[0].source, "google.com");
    }

    #[test]
    fn an_hour_names_its_busiest_sources_and_counts_the_rest_as_other() {
        use EventKind::*;
        // "big" brings 3 visitors, then 60 made-up tags one visitor each.
        let mut events: Vec<RawEvent> = (0..3)
            .map(|i| event(&format!("big{i}"), 1, View, "/", "big"))
            .collect();
        events
            .extend((0..60).map(|i| event(&format!("v{i}"), 2, View, "/", &format!("tag{i:02}"))));
        let tallies = tally(&mut events, 0, 60 * 60_000);
        let sources: BTreeSet<&str> = tallies.iter().map(|t| t.source.as_str()).collect();
        assert_eq!(sources.len(), SOURCES_PER_HOUR + 1);
        assert!(sources.contains("big") && sources.contains(OTHER));
        // Ties by name: tag00..tag48 kept, tag49..tag59 folded.
        assert!(sources.contains("tag48") && !sources.contains("tag49"));
        let other: Vec<_> = tallies
            .iter()
            .filter(|t| t.source == OTHER && t.step == Step::Visit)
            .map(|t| (t.count, t.visitors))
            .collect();
        assert_eq!(other, [(11, 11)]);
        assert_eq!(count(&tallies, Step::Visit), 63, "nothing lost by folding");
    }

    #[test]
    fn the_funnel_converts_step_by_step_and_never_divides_by_zero() {
        let rows = vec![
            (Step::Visit, "direct".to_owned(), Device::Desktop, 4),
            (Step::Visit, "google.com".to_owned(), Device::Mobile, 4),
            (Step::ProductView, "direct".to_owned(), Device::Desktop, 6),
            (Step::AddToCart, "direct".to_owned(), Device::Desktop, 3),
            (
                Step::CheckoutStarted,
                "direct".to_owned(),
                Device::Desktop,
                2,
            ),
        ];
        let funnel = Funnel::from_rows(0, 1, &rows, 1);
        let bps: Vec<_> = funnel.steps.iter().map(|s| s.from_previous_bps).collect();
        assert_eq!(
            bps,
            [None, Some(7_500), Some(5_000), Some(6_667), Some(5_000)]
        );
        assert_eq!(funnel.conversion_bps, Some(1_250));
        assert_eq!(funnel.by_device.len(), 2);
        let google = funnel.by_source.iter().find(|s| s.key == "google.com");
        assert_eq!(google.map(|s| s.checkout_rate_bps), Some(Some(0)));
        let empty = Funnel::from_rows(0, 1, &[], 0);
        assert_eq!(empty.conversion_bps, None);
        assert!(empty.steps.iter().all(|s| s.from_previous_bps.is_none()));
    }
}
