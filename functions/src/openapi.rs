//! The published API contract: one OpenAPI 3.1 document built from the
//! routers themselves. Each context declares its routes once, with
//! utoipa-axum's `routes!` over handlers annotated `#[utoipa::path]` (its
//! `api()`); the same declaration gives the mounted axum router ([`mount`])
//! and the context's part of the document, which [`openapi`] gathers with
//! the refusals every operation can get at the [`crate::edge`]
//! ([`CommonRefusals`]).
//!
//! Served at [`DOCUMENT_PATH`] (by the native host from [`document_json`],
//! under Spin by the `files` component from the committed `docs/openapi.json`),
//! and rendered into `docs/API.md`.

use std::sync::OnceLock;

use axum::Router;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use comptoir_shared::ApiError;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
use utoipa::{Modify, OpenApi};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::port::Host;

/// Where the document is served.
pub const DOCUMENT_PATH: &str = comptoir_shared::site::API_DOCUMENT_PATH;

/// The security scheme of the session cookie, as operations name it.
pub const SESSION: &str = "session";

/// The security scheme of the job runner's bearer secret.
pub const JOBS_SECRET: &str = "jobs_secret";

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Comptoir API",
        description = "The HTTP API of the Comptoir shop: catalog, cart, checkout and payments for \
            shoppers; orders, accounts, refunds, stock, support and KPIs for customers and staff. \
            Bodies are JSON. Refusals are a typed `ApiError` (`{\"error\": \"…\", …}`). State \
            changes (`POST`, `PUT`, `DELETE`) are accepted only from the shop's own origin \
            (`Origin` header) with a body declared `application/json`; the session is the \
            `comptoir_session` cookie that sign-up and sign-in set.",
        license(name = "Apache-2.0", identifier = "Apache-2.0")
    ),
    modifiers(&SessionCookie),
    // Schemas only parameters name (they are not collected from `IntoParams`).
    components(schemas(
        ApiError,
        comptoir_shared::catalog::ProductSort,
        comptoir_shared::lang::Lang,
        comptoir_shared::catalog_admin::Label,
        comptoir_shared::pricing::ShippingMethodCode,
        comptoir_shared::order::OrderStatus,
        comptoir_shared::refund::RefundStatus,
        comptoir_shared::support::ThreadStatus,
        comptoir_shared::audit::AuditAction,
        comptoir_shared::ids::Email,
        comptoir_shared::ids::OpaqueId,
        comptoir_shared::ids::IdempotencyKey,
    )),
    tags(
        (name = "catalog", description = "Published products for shoppers; the whole catalog and promotion codes for admins."),
        (name = "cart", description = "Carts, priced by the server on every read."),
        (name = "checkout", description = "Turning a cart into an order waiting for payment."),
        (name = "payments", description = "Payment sessions, the offline sandbox provider and provider webhooks."),
        (name = "orders", description = "Orders for their buyer, and the staff board and actions."),
        (name = "accounts", description = "Sign-up, sign-in and sessions; staff accounts; customers seen by staff; the audit log."),
        (name = "refunds", description = "Refund requests, finance decisions and execution through the provider."),
        (name = "stock", description = "Stock levels, the movement ledger, receipts and adjustments."),
        (name = "support", description = "Support threads between customers and staff, and satisfaction surveys."),
        (name = "kpis", description = "Key figures of the back office and their cost inputs."),
        (name = "jobs", description = "The periodic duties for schedulers, and the health probe."),
        (name = "meta", description = "This document."),
    )
)]
struct ApiDoc;

/// Declares the session cookie scheme.
struct SessionCookie;

impl Modify for SessionCookie {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme(
                SESSION,
                SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                    crate::identity::COOKIE,
                    "The session, set by sign-up and sign-in (HttpOnly; SameSite=Strict for \
                     staff, Lax for customers). Operations that need it answer 401 \
                     `unauthorized` without a live one, and 403 `forbidden` to an account \
                     without one of the roles they name.",
                ))),
            );
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme(
                JOBS_SECRET,
                SecurityScheme::Http(
                    utoipa::openapi::security::HttpBuilder::new()
                        .scheme(utoipa::openapi::security::HttpAuthScheme::Bearer)
                        .description(Some(
                            "The `jobs_secret` variable, for schedulers calling the job runner.",
                        ))
                        .build(),
                ),
            );
    }
}

/// Every context's routes with their document, and the document's own.
fn all() -> OpenApiRouter<Host> {
    crate::FUNCTIONS
        .iter()
        .filter_map(|name| crate::api_for(name))
        .fold(
            OpenApiRouter::with_openapi(ApiDoc::openapi()),
            OpenApiRouter::merge,
        )
        .routes(routes!(document))
}

/// The API document.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let (_, mut doc) = all().split_for_parts();
    // After the routes are in: a modifier of `ApiDoc` would run before.
    CommonRefusals.modify(&mut doc);
    doc
}

/// The document as pretty JSON (what `docs/openapi.json` holds), built once,
/// its descriptions tidied ([`tidy`]).
pub fn document_json() -> &'static str {
    static JSON: OnceLock<String> = OnceLock::new();
    JSON.get_or_init(|| {
        // Serialized from the typed document, which keeps declaration order
        // (a `serde_json::Value` would sort every object's keys).
        let mut json = tidy(&serde_json::to_string_pretty(&openapi()).unwrap_or_default());
        json.push('\n');
        json
    })
}

/// Every `"description": "…"` of pretty-printed `json` through [`tidy_text`].
fn tidy(json: &str) -> String {
    const KEY: &str = "\"description\": ";
    let mut out = String::with_capacity(json.len());
    let mut rest = json;
    while let Some(at) = rest.find(KEY) {
        let value_start = at + KEY.len();
        out.push_str(&rest[..value_start]);
        rest = &rest[value_start..];
        let mut stream = serde_json::Deserializer::from_str(rest).into_iter::<serde_json::Value>();
        if let Some(Ok(serde_json::Value::String(text))) = stream.next() {
            let end = stream.byte_offset();
            out.push_str(&serde_json::to_string(&tidy_text(&text)).unwrap_or_default());
            rest = &rest[end..];
        }
    }
    out.push_str(rest);
    out
}

/// A description written as a doc comment, made for readers of the
/// document: wrapped lines joined (a blank line stays a paragraph break),
/// and rustdoc links (`` [`Address`] ``, `` [`crate::search`] ``) as plain code.
fn tidy_text(text: &str) -> String {
    let joined = text
        .split("\n\n")
        .map(|paragraph| {
            paragraph
                .lines()
                .map(str::trim)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n\n");
    let mut out = String::with_capacity(joined.len());
    let mut rest = joined.as_str();
    while let Some(start) = rest.find("[`") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        match after.find("`]") {
            Some(end) => {
                let name = &after[..end];
                out.push('`');
                out.push_str(name.rsplit("::").next().unwrap_or(name));
                out.push('`');
                rest = &after[end + 2..];
            }
            None => {
                out.push_str("[`");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The API document (OpenAPI 3.1), this one.
#[utoipa::path(
    get,
    path = "/api/openapi.json",
    operation_id = "get_openapi_document",

    summary = "Read this API document",
    tag = "meta",
    description = "Public.",
    security(()),
    responses((status = 200, description = "The OpenAPI 3.1 document.", body = serde_json::Value))
)]
pub async fn document(_: crate::extract::NoQuery) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/json"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        document_json(),
    )
        .into_response()
}

/// Declares a context's routes once: each bracket is the handlers of one
/// path (utoipa-axum's `routes!` mounts a group on every path it names, so
/// one path per group), each handler annotated `#[utoipa::path]`. Expands to
///
/// - `api()`: the routes with their documentation (utoipa-axum's
///   `OpenApiRouter`), which [`openapi()`] gathers;
/// - `router(host)`: the axum router both hosts mount, built from the same
///   annotations' paths and methods only. Under Spin every request builds
///   the router anew; building the operations and schemas too would cost
///   each request that work and each component the code (a quarter of its
///   size), so the components never call `api()`.
macro_rules! api_routes {
    ($( [ $( $($segment:ident)::+ ),+ $(,)? ] )+) => {
        /// The routes with their documentation, on full paths.
        pub fn api() -> utoipa_axum::router::OpenApiRouter<crate::port::Host> {
            utoipa_axum::router::OpenApiRouter::new()
                $( .routes(utoipa_axum::routes!($( $($segment)::+ ),+)) )+
        }

        /// The router both hosts mount: the routes of [`api`], without the
        /// document.
        pub fn router(host: crate::port::Host) -> axum::Router {
            let router = axum::Router::new();
            $(
                let router = {
                    let mut path = None;
                    let mut methods = axum::routing::MethodRouter::new();
                    $(
                        let (at, verbs) = crate::openapi::path_and_methods::<
                            crate::openapi::path_struct!([] $($segment)+)
                        >();
                        crate::openapi::same_path(&mut path, at);
                        for verb in verbs {
                            methods = methods.on(
                                utoipa_axum::PathItemExt::to_method_filter(&verb),
                                $($segment)::+,
                            );
                        }
                    )+
                    router.route(&path.unwrap_or_default(), methods)
                };
            )+
            crate::openapi::mount(router, host)
        }
    };
}
pub(crate) use api_routes;

/// The `__path_<handler>` item `#[utoipa::path]` generates beside a handler,
/// from the handler's path segments.
macro_rules! path_struct {
    ([$($prefix:ident)*] $last:ident) => {
        utoipa_axum::paste! { $($prefix::)* [<__path_ $last>] }
    };
    ([$($prefix:ident)*] $head:ident $($rest:ident)+) => {
        crate::openapi::path_struct!([$($prefix)* $head] $($rest)+)
    };
}
pub(crate) use path_struct;

/// Where an annotated handler is mounted, and for which methods (no
/// operation or schema is built).
pub fn path_and_methods<P: utoipa::Path>() -> (String, Vec<utoipa::openapi::HttpMethod>) {
    (P::path(), P::methods())
}

/// Keeps the path of a route group, which must be one path.
pub fn same_path(path: &mut Option<String>, at: String) {
    debug_assert!(
        path.as_ref().is_none_or(|p| *p == at),
        "one routes group, one path: {path:?} and {at}"
    );
    path.get_or_insert(at);
}

/// A context's routes as the axum router both hosts mount: the typed 404
/// and 405 for what it does not serve, and its state.
pub fn mount(router: Router<Host>, host: Host) -> Router {
    router
        .fallback(crate::error::no_route)
        .method_not_allowed_fallback(crate::error::wrong_method)
        .with_state(host)
}

/// Adds to every operation the refusals the [`crate::edge`] and the
/// extractors give whatever the handler does, merged into the handler's own
/// description of a status when it has one:
///
/// - any request: 400 `malformed_request` (an unreadable body or path),
///   413 `payload_too_large`, 500 `internal`;
/// - a state change (`POST`, `PUT`, `DELETE`), the payment webhook aside:
///   403 `cross_origin`, 415 `unsupported_media_type`;
/// - any operation: 422 `validation` (a body field, or a query parameter
///   that is unknown, repeated or invalid — operations without query
///   parameters refuse any);
/// - path parameters: 404 `not_found`;
/// - a required session: 401 `unauthorized` (other schemes document their own).
pub struct CommonRefusals;

impl Modify for CommonRefusals {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::path::{Operation, ParameterIn};

        /// Documents `status` on `op`; when the handler documents it already,
        /// `description` is appended if it names another refusal (`merge`).
        fn add(op: &mut Operation, status: &str, description: &str, merge: bool) {
            let responses = &mut op.responses.responses;
            match responses.get_mut(status) {
                Some(RefOr::T(response)) => {
                    if merge && !response.description.contains(description) {
                        response.description = format!("{} {description}", response.description);
                    }
                }
                Some(RefOr::Ref(_)) => {}
                None => {
                    let body = ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("ApiError")))
                        .build();
                    responses.insert(
                        status.to_owned(),
                        RefOr::T(
                            ResponseBuilder::new()
                                .description(description)
                                .content("application/json", body)
                                .build(),
                        ),
                    );
                }
            }
        }

        for (path, item) in openapi.paths.paths.iter_mut() {
            let exempt = crate::edge::EXEMPT.contains(&path.as_str());
            let changes = [
                (false, &mut item.get),
                (true, &mut item.post),
                (true, &mut item.put),
                (true, &mut item.delete),
                (true, &mut item.patch),
            ];
            for (changes_state, op) in changes {
                let Some(op) = op.as_mut() else { continue };
                let params: Vec<ParameterIn> = op
                    .parameters
                    .iter()
                    .flatten()
                    .filter_map(|p| match p {
                        RefOr::T(p) => Some(p.parameter_in.clone()),
                        RefOr::Ref(_) => None,
                    })
                    .collect();
                let public = op.security.iter().flatten().any(|requirement| {
                    serde_json::to_value(requirement).is_ok_and(|v| v == serde_json::json!({}))
                });
                add(
                    op,
                    "400",
                    "`malformed_request`: the body or a path segment cannot be read.",
                    true,
                );
                let session = op.security.iter().flatten().any(|requirement| {
                    serde_json::to_value(requirement).is_ok_and(|v| v.get(SESSION).is_some())
                });
                if !public && session {
                    add(op, "401", "`unauthorized`: no live session.", true);
                }
                if changes_state && !exempt {
                    add(
                        op,
                        "403",
                        "`cross_origin`: a state change from a page that is not the shop's.",
                        true,
                    );
                }
                if params.contains(&ParameterIn::Path) {
                    add(
                        op,
                        "404",
                        "`not_found`: nothing answers at this path.",
                        false,
                    );
                }
                add(
                    op,
                    "413",
                    "`payload_too_large`: the body is over 64 KiB.",
                    false,
                );
                if changes_state && !exempt {
                    add(
                        op,
                        "415",
                        "`unsupported_media_type`: a body not declared `application/json`.",
                        false,
                    );
                }
                add(
                    op,
                    "422",
                    "`validation`: a field or parameter is missing, unknown or invalid (named in `field`).",
                    false,
                );
                add(
                    op,
                    "500",
                    "`internal`: a failure on the shop's side.",
                    false,
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const METHODS: [&str; 8] = [
        "get", "put", "post", "delete", "patch", "options", "head", "trace",
    ];

    fn doc() -> serde_json::Value {
        serde_json::from_str(document_json()).unwrap()
    }

    fn refs<'a>(value: &'a serde_json::Value, out: &mut Vec<&'a str>) {
        match value {
            serde_json::Value::Object(map) => {
                if let Some(r) = map.get("$ref").and_then(|r| r.as_str()) {
                    out.push(r);
                }
                map.values().for_each(|v| refs(v, out));
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }

    #[test]
    fn the_document_is_well_formed() {
        let doc = doc();
        assert_eq!(doc["openapi"], "3.1.0");
        let mut ids = std::collections::HashSet::new();
        let mut count = 0;
        for (path, item) in doc["paths"].as_object().unwrap() {
            let segments: std::collections::BTreeSet<&str> = path
                .split('/')
                .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
                .collect();
            for (method, op) in item.as_object().unwrap() {
                assert!(METHODS.contains(&method.as_str()), "{method} {path}");
                count += 1;
                let what = format!("{method} {path}");
                let id = op["operationId"].as_str().unwrap();
                assert!(ids.insert(id.to_owned()), "{what}: operationId {id} twice");
                assert_eq!(
                    op["tags"].as_array().map(Vec::len),
                    Some(1),
                    "{what}: one tag"
                );
                assert!(
                    op["summary"].as_str().is_some_and(|s| !s.is_empty()),
                    "{what}: summary"
                );
                let description = op["description"].as_str().unwrap_or_default();
                assert!(
                    description.starts_with("Roles: ")
                        || description.starts_with("Public")
                        || description.starts_with("Schedulers: "),
                    "{what}: the description starts with who may call it"
                );
                assert!(op["security"].is_array(), "{what}: security stated");
                let declared: std::collections::BTreeSet<&str> = op["parameters"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter(|p| p["in"] == "path")
                    .map(|p| p["name"].as_str().unwrap())
                    .collect();
                assert_eq!(declared, segments, "{what}: path parameters");
                for (status, answer) in op["responses"].as_object().unwrap() {
                    assert!(
                        answer["description"]
                            .as_str()
                            .is_some_and(|d| !d.is_empty()),
                        "{what} {status}: described"
                    );
                }
                assert!(
                    op["responses"]["500"].is_object(),
                    "{what}: common refusals"
                );
            }
        }
        assert_eq!(count, ids.len());
        assert!(count >= 65, "{count} operations");
    }

    #[test]
    fn every_reference_resolves() {
        let doc = doc();
        let mut found = Vec::new();
        refs(&doc, &mut found);
        for r in found {
            let name = r.strip_prefix("#/components/schemas/").unwrap_or(r);
            assert!(
                doc["components"]["schemas"][name].is_object(),
                "{r} dangles"
            );
        }
    }

    #[test]
    fn descriptions_carry_no_rustdoc_links() {
        assert!(
            !document_json().contains("[`"),
            "rustdoc link left in the document"
        );
    }

    #[test]
    fn the_webhook_is_documented_where_the_edge_exempts_it() {
        let doc = doc();
        assert!(doc["paths"][crate::edge::WEBHOOK_PATH]["post"].is_object());
        assert!(doc["paths"][DOCUMENT_PATH]["get"].is_object());
    }
}
