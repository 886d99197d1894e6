//! `GET /api/health`: for probes. The store answers and its schema is
//! current — one indexed read. A schema found behind is brought up to date
//! first (under Spin nothing else migrates before traffic arrives, so a
//! start-up probe does it), and the probe fails only if that fails.

use axum::Json;
use axum::extract::State;
use comptoir_shared::ApiError;
use comptoir_shared::jobs::Health;

use crate::error::AppResult;
use crate::migrate;
use crate::port::Host;

/// Checks the store and its schema.
#[utoipa::path(
    get,
    path = "/api/health",
    operation_id = "get_health",

    summary = "Check the shop is ready",
    tag = "jobs",
    description = "Public, for probes. `ok` with the schema version when the store answers and its \
        schema is current (a schema found behind is brought up to date first).",
    security(()),
    responses(
        (status = 200, description = "Ready.", body = Health),
        (status = 503, description = "`service_unavailable`: the store is unreachable, or its schema is behind and could not be brought up to date.", body = ApiError),
    )
)]
pub async fn handle(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
) -> AppResult<Json<Health>> {
    let db = host.db.as_ref();
    let mut version = migrate::version(db).await;
    if !matches!(version, Ok(v) if v >= migrate::latest()) {
        match migrate::ensure(db, &host.config, host.clock.now_ms()).await {
            Ok(()) => version = migrate::version(db).await,
            Err(e) => tracing::error!(error = format!("{e:#}"), "health: migrating"),
        }
    }
    match version {
        Ok(schema) if schema >= migrate::latest() => Ok(Json(Health {
            status: "ok".into(),
            schema,
        })),
        Ok(schema) => Err(unavailable(format!("the schema is at {schema}, behind"))),
        Err(e) => {
            tracing::error!(
                error = format!("{e:#}"),
                "health: reading the schema version"
            );
            Err(unavailable("the store does not answer".into()))
        }
    }
}

fn unavailable(message: String) -> crate::error::AppError {
    ApiError::ServiceUnavailable { message }.into()
}
