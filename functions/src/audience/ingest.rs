//! `POST /api/events`: the storefront's beacon. Same-origin only (the
//! [`crate::edge`]), JSON, no cookie read or set. The event is stored
//! pseudonymised (a visitor key salted with the day's salt; re-identification
//! is impossible once that salt is deleted) and kept about two hours (7 days
//! at most); beyond that only anonymous hourly aggregates remain, at most 13
//! months. It must come from a page (`Origin` or `Sec-Fetch-Site:
//! same-origin`). A
//! visitor who asks not to be tracked (`DNT: 1`, `Sec-GPC: 1`) or a robot's
//! user agent is counted nowhere, with the same answer; the storefront sends
//! nothing at all then, nor after the privacy page's opt-out.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use comptoir_shared::ApiError;
use comptoir_shared::audience::{Beacon, Device, HOUR_MS, is_bot, source_of};

use crate::edge::ClientAddr;
use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::port::{AppendTable, Host, Value};

/// Where raw events are stored.
const EVENTS: AppendTable = AppendTable {
    name: "audience_events",
    columns: &[
        "visitor", "at_ms", "hour", "kind", "path", "source", "device",
    ],
};

/// Records one event.
#[utoipa::path(
    post,
    path = "/api/events",
    operation_id = "record_event",
    summary = "Record a storefront event (audience beacon)",
    tag = "kpis",
    description = "Public, from the shop's own pages. One page view, product view, addition \
        to a cart or checkout opened, counted without cookies. Stored pseudonymised: the visitor \
        is a hash of the day's random salt, the client address and the user agent (neither of \
        which is stored); re-identification is impossible once the day's salt is deleted, the \
        next day. Raw events are deleted about two hours after they came (once the next hour is \
        rolled up; 7 days at most), beyond that only anonymous hourly aggregates, at most 13 \
        months. The request must say it comes from a page: `Origin` (the shop's) or \
        `Sec-Fetch-Site: same-origin`. `DNT: 1`, `Sec-GPC: 1` and robots' user agents are \
        counted nowhere, with the same answer (the storefront sends nothing then, nor after \
        the opt-out of its privacy page, `/confidentialite`). A query string in `path` is \
        dropped; of `referrer` only the host is kept.",
    request_body = Beacon,
    security(()),
    responses(
        (status = 204, description = "Recorded (or, for an opt-out or a robot, deliberately not)."),
        (status = 400, description = "`malformed_request`: not JSON.", body = ApiError),
        (status = 403, description = "`cross_origin`: not from the shop's own pages (another `Origin`, or neither `Origin` nor `Sec-Fetch-Site: same-origin`).", body = ApiError),
        (status = 415, description = "`unsupported_media_type`: not declared JSON.", body = ApiError),
        (status = 422, description = "`validation`: a field missing, unknown or too long, or `path` not a path.", body = ApiError),
    )
)]
pub async fn handle(
    State(host): State<Host>,
    client: ClientAddr,
    headers: HeaderMap,
    ApiJson(beacon): ApiJson<Beacon>,
) -> AppResult<StatusCode> {
    if !from_a_page(&headers) {
        return Err(ApiError::CrossOrigin.into());
    }
    let path = beacon
        .checked_path()
        .map_err(|(field, e)| ApiError::validation(field, e.0))?;
    let user_agent = headers
        .get(header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if opted_out(&headers) || is_bot(user_agent) {
        return Ok(StatusCode::NO_CONTENT);
    }
    let now = host.clock.now_ms();
    let salt = super::salt::today(&host, now).await?;
    let own: Vec<&str> = std::iter::once(host.config.public_base_url.as_str())
        .chain(host.config.origins.iter().map(String::as_str))
        .collect();
    let row = vec![
        Value::from(super::salt::visitor_key(&salt, client.0, user_agent)),
        Value::from(now),
        Value::from(now - now.rem_euclid(HOUR_MS)),
        Value::from(beacon.kind.as_str()),
        Value::from(path),
        Value::from(source_of(&beacon, &own)),
        Value::from(Device::of(user_agent).as_str()),
    ];
    host.appender.append(&EVENTS, row).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Whether the request says it comes from a page: browsers send `Origin`
/// with every `POST` (the edge has checked it is the shop's) or at least
/// `Sec-Fetch-Site: same-origin`. A bare HTTP client sends neither; its
/// events would only be noise, so it is refused rather than counted.
fn from_a_page(headers: &HeaderMap) -> bool {
    headers.contains_key(header::ORIGIN)
        || headers
            .get("sec-fetch-site")
            .is_some_and(|v| v.as_bytes() == b"same-origin")
}

/// Whether the browser says its user opts out: `DNT: 1` or `Sec-GPC: 1`.
fn opted_out(headers: &HeaderMap) -> bool {
    ["dnt", "sec-gpc"].iter().any(|name| {
        headers
            .get(*name)
            .is_some_and(|v| v.as_bytes().trim_ascii() == b"1")
    })
}
