//! `GET /api/finance/documents/{number}?key=`: one document as a PDF.

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use comptoir_shared::ApiError;
use comptoir_shared::account::Role;
use serde::Deserialize;
use subtle::ConstantTimeEq as _;

use crate::error::AppResult;
use crate::extract::ApiQuery;
use crate::identity::Viewer;
use crate::port::Host;

/// The query: the document's access key, when the reader holds its link.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct KeyQuery {
    /// The key its link carries.
    pub key: Option<String>,
}

/// Whether `raw` is shaped like a document number (`F2026-000042`).
fn is_number(raw: &str) -> bool {
    let rest = raw
        .strip_prefix("AV")
        .or_else(|| raw.strip_prefix('F'))
        .unwrap_or("");
    let (year, seq) = rest.split_once('-').unwrap_or(("", ""));
    year.len() == 4
        && seq.len() >= 6
        && seq.len() <= 9
        && year.bytes().chain(seq.bytes()).all(|b| b.is_ascii_digit())
}

/// Answers the PDF.
#[utoipa::path(
    get,
    path = "/api/finance/documents/{number}",
    operation_id = "get_document_pdf",

    summary = "Download an invoice or a credit note (PDF)",
    tag = "accounting",
    description = "Public with the document's link (its `key`); else Roles: the customer whose \
        order it bills, finance, support, admin. The PDF/A-3 drawn from the document frozen when \
        it was issued: every download is the same file. Anyone else gets 404, so a number's \
        existence is not revealed.",
    params(
        ("number" = String, Path, description = "`F2026-000042` or `AV2026-000003`."),
        KeyQuery,
    ),
    security((), ("session" = [])),
    responses(
        (status = 200, description = "The PDF.", body = Vec<u8>, content_type = "application/pdf"),
        (status = 404, description = "`not_found` (`document`).", body = ApiError),
    )
)]
pub async fn handle(
    State(host): State<Host>,
    viewer: Viewer,
    Path(number): Path<String>,
    ApiQuery(query): ApiQuery<KeyQuery>,
) -> AppResult<Response> {
    let not_found = || ApiError::not_found("document");
    if !is_number(&number) {
        return Err(not_found().into());
    }
    let mut db = host.db.auto();
    let stored = super::db::by_number(&mut db, &number)
        .await?
        .ok_or_else(not_found)?;
    let by_key = query
        .key
        .is_some_and(|key| bool::from(key.as_bytes().ct_eq(stored.access_key.as_bytes())));
    let allowed = by_key
        || viewer.require(&[Role::Finance, Role::Support]).is_ok()
        || match viewer.signed_in() {
            Ok(account) => {
                crate::orders::is_owner(&mut db, &stored.document.order_id, &account.id).await?
            }
            Err(_) => false,
        };
    if !allowed {
        return Err(not_found().into());
    }
    let pdf = super::pdf::render(&stored.document)?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{number}.pdf\""),
            ),
            (
                header::CACHE_CONTROL,
                "private, max-age=31536000, immutable".to_owned(),
            ),
        ],
        pdf,
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_document_numbers_are_looked_up() {
        for ok in ["F2026-000001", "AV2027-123456"] {
            assert!(super::is_number(ok), "{ok}");
        }
        for bad in [
            "F26-000001",
            "X2026-000001",
            "F2026-1",
            "F2026-00000a",
            "../etc",
            "",
        ] {
            assert!(!super::is_number(bad), "{bad}");
        }
    }
}
