//! `POST /api/accounts/staff`: an admin creates a staff account with a
//! first password and a staff role.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use comptoir_shared::ApiError;
use comptoir_shared::account::{NewStaff, Role, StaffMember};
use comptoir_shared::audit::AuditAction;

use crate::error::AppResult;
use crate::extract::ApiJson;
use crate::identity::Viewer;
use crate::port::Host;

/// Creates the account; 422 for the customer role, 409 when the e-mail is taken.
#[utoipa::path(
    post,
    path = "/api/accounts/staff",
    operation_id = "create_staff",

    summary = "Create a staff account",
    tag = "accounts",
    description = "Roles: admin. Creates a staff account with a first password and a staff role.",
    request_body = NewStaff,
    security(("session" = [])),
    responses(
        (status = 201, description = "The account.", body = StaffMember),
        (status = 403, description = "`forbidden`: not an admin.", body = ApiError),
        (status = 409, description = "`conflict`: an account already uses this e-mail.", body = ApiError),
        (status = 422, description = "`validation`: the `customer` role, or an invalid e-mail, password or name.", body = ApiError),
    )
)]
pub async fn handle(
    _: crate::extract::NoQuery,
    State(host): State<Host>,
    viewer: Viewer,
    ApiJson(body): ApiJson<NewStaff>,
) -> AppResult<(StatusCode, Json<StaffMember>)> {
    let admin = viewer.require(&[Role::Admin])?;
    if !body.role.is_staff() {
        return Err(ApiError::validation("role", "admin, support, warehouse or finance").into());
    }
    let name = crate::extract::text("name", &body.name, 100, false)?;
    // Hash before taking the write lock: it is the slow part.
    let hash = super::password::hash(host.cpu.as_ref(), body.password.expose()).await?;
    let now = host.clock.now_ms();
    let mut tx = host.db.begin().await?;
    let Some(account) =
        crate::identity::create(tx.as_mut(), &body.email, &hash, &name, body.role, now).await?
    else {
        return Err(ApiError::Conflict {
            message: "an account already uses this e-mail".into(),
        }
        .into());
    };
    crate::audit::record(
        tx.as_mut(),
        admin,
        AuditAction::StaffCreate,
        account.id.as_str(),
        &format!("{} as {}", account.email, account.role.as_str()),
        now,
    )
    .await?;
    tx.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(StaffMember {
            id: account.id,
            email: account.email,
            name: account.name,
            role: account.role,
            disabled: false,
            created_at_ms: now,
        }),
    ))
}
