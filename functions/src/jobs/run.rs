//! `POST /api/jobs/run`: runs every periodic duty once ([`super::run_due`]),
//! for schedulers (a Kubernetes `CronJob`, Spin's cron trigger, `curl` in a
//! crontab). Authenticated by the `jobs_secret` variable as a bearer token,
//! compared in constant time; without a configured secret every call is
//! refused, the same way as a wrong one.

use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, header};
use comptoir_shared::ApiError;
use comptoir_shared::jobs::JobsReport;
use sha2::{Digest as _, Sha256};
use subtle::ConstantTimeEq as _;

use crate::config::Config;
use crate::error::{AppError, AppResult};
use crate::port::Host;

/// Runs the duties and answers what each did.
#[utoipa::path(
    post,
    path = "/api/jobs/run",
    operation_id = "run_jobs",

    summary = "Run the periodic duties once",
    tag = "jobs",
    description = "Schedulers: `Authorization: Bearer <jobs_secret>` (no session). Brings the schema up to \
        date, then runs each duty once under its own lease — release lapsed stock reservations, \
        send committed refunds, expire at the provider the payment sessions closed with their \
        orders, deliver the outbox through the configured mail API, delete expired sign-in \
        sessions, apply the automation rules admins switched on (`GET /api/jobs/automation`), and (sandbox provider) once a day pay out what was taken over a day ago — and answers what each did; a duty another caller is running is `skipped`. \
        Safe to call from any instance at any rate. The body is ignored (send none, or JSON).",
    security(("jobs_secret" = [])),
    responses(
        (status = 200, description = "What each duty did.", body = JobsReport),
        (status = 401, description = "`unauthorized`: no bearer token, or not the configured secret (every call is refused while none is configured).", body = ApiError),
        (status = 503, description = "`service_unavailable`: the store is unreachable or its schema could not be brought up to date.", body = ApiError),
    )
)]
pub async fn handle(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    headers: HeaderMap,
) -> AppResult<Json<JobsReport>> {
    authorize(&host.config, &headers)?;
    match super::run_due(&host).await {
        Ok(report) => Ok(Json(report)),
        Err(e) => {
            tracing::error!(error = format!("{e:#}"), "the job runner could not start");
            Err(ApiError::ServiceUnavailable {
                message: "the store is unreachable or its schema is behind".into(),
            }
            .into())
        }
    }
}

/// Accepts `Authorization: Bearer <jobs_secret>` only; a missing, malformed
/// or wrong token and an unconfigured secret are the same 401.
fn authorize(config: &Config, headers: &HeaderMap) -> Result<(), AppError> {
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim);
    let Some(secret) = config.jobs_secret.as_deref() else {
        tracing::warn!("POST /api/jobs/run refused: no jobs_secret is configured");
        return Err(ApiError::Unauthorized.into());
    };
    // Equal-length digests compared in constant time: neither the secret
    // nor its length shows in the timing.
    let matches = given.is_some_and(|given| {
        bool::from(
            Sha256::digest(given.as_bytes())
                .as_slice()
                .ct_eq(Sha256::digest(secret.as_bytes()).as_slice()),
        )
    });
    if matches {
        Ok(())
    } else {
        Err(ApiError::Unauthorized.into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(secret: Option<&str>) -> Config {
        let secret = secret.map(str::to_owned);
        Config::from_lookup(|name| (name == "jobs_secret").then(|| secret.clone()).flatten())
            .unwrap()
    }

    fn bearer(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, value.parse().unwrap());
        headers
    }

    #[test]
    fn only_the_configured_secret_as_a_bearer_token_passes() {
        let with = config(Some("s3cret-for-the-cron"));
        assert!(authorize(&with, &bearer("Bearer s3cret-for-the-cron")).is_ok());
        for wrong in [
            "Bearer s3cret",
            "Bearer ",
            "s3cret-for-the-cron",
            "Basic s3cret-for-the-cron",
        ] {
            assert!(authorize(&with, &bearer(wrong)).is_err(), "{wrong}");
        }
        assert!(authorize(&with, &HeaderMap::new()).is_err());
        let without = config(None);
        assert!(authorize(&without, &bearer("Bearer ")).is_err());
        assert!(authorize(&without, &HeaderMap::new()).is_err());
    }
}
