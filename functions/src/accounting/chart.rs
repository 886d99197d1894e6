//! `GET /api/finance/chart` and `PUT /api/finance/chart/{role}`: the chart of
//! accounts the books are written with (French defaults, the shop's own
//! numbers where an admin set them).

use axum::Json;
use axum::extract::{Path, State};
use comptoir_shared::ApiError;
use comptoir_shared::account::Role as StaffRole;
use comptoir_shared::audit::AuditAction;
use comptoir_shared::ledger::{ChartAccount, ChartAccountInput, Role};

use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::identity::Viewer;
use crate::params;
use crate::port::{Executor, Host};

/// Every role's account: the shop's own, else the French chart's.
async fn chart(db: &mut dyn Executor) -> anyhow::Result<Vec<ChartAccount>> {
    let custom = super::ledger::custom_chart(db).await?;
    Ok(Role::ALL
        .into_iter()
        .map(|role| match custom.iter().find(|(r, _, _)| *r == role) {
            Some((_, number, name)) => ChartAccount {
                role,
                number: number.clone(),
                name: name.clone(),
                custom: true,
            },
            None => {
                let (number, name) = comptoir_shared::ledger::default_account(role);
                ChartAccount {
                    role,
                    number: number.to_owned(),
                    name: name.to_owned(),
                    custom: false,
                }
            }
        })
        .collect())
}

/// Lists the chart.
#[utoipa::path(
    get,
    path = "/api/finance/chart",
    operation_id = "get_chart_of_accounts",

    summary = "The chart of accounts",
    tag = "accounting",
    description = "Roles: finance, admin. The account of each role the books use (customers, \
        sales, shipping, VAT collected, the provider's clearing account, bank, fees, suspense): \
        the shop's own number and name, else the French chart's (PCG). Sales, shipping and VAT \
        are kept per VAT rate: their number is a prefix the country (outside France) and the rate complete.",
    security(("session" = [])),
    responses(
        (status = 200, description = "The chart.", body = Vec<ChartAccount>),
        (status = 401, description = "`unauthorized`: not signed in.", body = ApiError),
        (status = 403, description = "`forbidden`: neither finance nor admin.", body = ApiError),
    )
)]
pub async fn handle(
    State(host): State<Host>,
    viewer: Viewer,
) -> AppResult<Json<Vec<ChartAccount>>> {
    viewer.require(&[StaffRole::Finance])?;
    Ok(Json(chart(&mut host.db.auto()).await?))
}

/// Sets one account.
#[utoipa::path(
    put,
    path = "/api/finance/chart/{role}",
    operation_id = "set_chart_account",

    summary = "Number and name an account",
    tag = "accounting",
    description = "Roles: admin. The number and name of a role's account from now on (audited); \
        entries already written keep theirs.",
    params(("role" = String, Path, description = "`customers`, `sales`, `shipping`, `vat_collected`, `clearing`, `bank`, `fees` or `suspense`.")),
    request_body = ChartAccountInput,
    security(("session" = [])),
    responses(
        (status = 200, description = "The chart.", body = Vec<ChartAccount>),
        (status = 401, description = "`unauthorized`: not signed in.", body = ApiError),
        (status = 403, description = "`forbidden`: not an admin.", body = ApiError),
        (status = 404, description = "`not_found` (`account_role`).", body = ApiError),
        (status = 422, description = "`validation` (`number`, `name`).", body = ApiError),
    )
)]
pub async fn set(
    State(host): State<Host>,
    viewer: Viewer,
    Path(raw): Path<String>,
    ApiJson(body): ApiJson<ChartAccountInput>,
) -> AppResult<Json<Vec<ChartAccount>>> {
    let admin = viewer.require(&[])?;
    let role = Role::parse(&raw).ok_or_else(|| ApiError::not_found("account_role"))?;
    let (number, name) = body
        .validate(role)
        .map_err(|(field, e)| ApiError::validation(field, e.0))?;
    let now = host.clock.now_ms();
    let mut tx = host.db.begin().await?;
    if chart(tx.as_mut())
        .await?
        .iter()
        .any(|a| a.role != role && a.number == number)
    {
        return Err(ApiError::validation("number", "another account has this number").into());
    }
    tx.query(
        "INSERT INTO chart_of_accounts (role, number, name, updated_at) VALUES (?1, ?2, ?3, ?4) \
         ON CONFLICT (role) DO UPDATE SET number = ?2, name = ?3, updated_at = ?4",
        params![role.as_str(), &number, &name, now],
    )
    .await?;
    crate::audit::record(
        tx.as_mut(),
        admin,
        AuditAction::ChartUpdate,
        role.as_str(),
        &format!("{number} {name}"),
        now,
    )
    .await?;
    let answer = chart(tx.as_mut()).await?;
    tx.commit().await?;
    Ok(Json(answer))
}
