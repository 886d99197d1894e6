//! The published API contract against the code and the running shop: the
//! committed documents are what the code generates, every documented route
//! is mounted (by the native host, and by spin.toml at the component that
//! documents it), and no route is mounted that is not documented.

use std::collections::BTreeSet;
use std::path::Path;

use comptoir_e2e::{spawn_app, workspace};
use comptoir_host::api_docs;
use serde_json::Value;

fn document() -> Value {
    serde_json::from_str(comptoir_functions::openapi::document_json()).unwrap_or_default()
}

#[test]
fn the_committed_api_documents_are_what_the_code_generates() {
    for (name, generated) in api_docs::generate().unwrap() {
        let path = workspace().join("docs").join(name);
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == generated,
            "docs/{name} is not what the code generates: run `{}` and commit the result",
            api_docs::COMMAND
        );
    }
}

#[test]
fn the_reference_lists_every_kind_of_refusal() {
    let doc = document();
    assert!(doc.is_object(), "the document is JSON");
    let documented: BTreeSet<String> = doc["components"]["schemas"]["ApiError"]["oneOf"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            v["properties"]["error"]["enum"][0]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    let listed: BTreeSet<String> = api_docs::every_refusal()
        .iter()
        .map(|e| {
            serde_json::to_value(e).unwrap()["error"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(
        documented, listed,
        "api_docs::every_refusal is missing a variant"
    );
}

/// A value of the shape a path parameter of `schema` takes.
fn sample(schema: &Value) -> &'static str {
    match schema["$ref"].as_str().unwrap_or_default() {
        "#/components/schemas/Sku" => "TS-LIN-BLEU-M",
        "#/components/schemas/ProductId" => "t-shirt-lin",
        "#/components/schemas/PromoCode" => "BIENVENUE10",
        _ => "0123456789abcdef0123456789abcdef",
    }
}

#[tokio::test]
async fn every_documented_route_is_mounted() {
    let app = spawn_app().await.unwrap();
    let doc = document();
    let ops = api_docs::operations(&doc);
    assert!(ops.len() >= 65);
    for (method, path, op) in ops {
        let mut url = path.to_owned();
        for p in op["parameters"].as_array().into_iter().flatten() {
            if p["in"] == "path" {
                let name = p["name"].as_str().unwrap();
                url = url.replace(&format!("{{{name}}}"), sample(&p["schema"]));
            }
        }
        let body = op["requestBody"].is_object().then(|| "{}".to_owned());
        let answer = app
            .call(&method.to_uppercase(), &url, body, &[])
            .await
            .unwrap();
        let unrouted =
            answer.status == 405 || (answer.status == 404 && answer.json["resource"] == "route");
        assert!(
            !unrouted,
            "{} {path} is documented but not mounted: {} {}",
            method.to_uppercase(),
            answer.status,
            answer.json
        );
    }
}

#[test]
fn spin_mounts_each_documented_route_at_the_function_that_documents_it() {
    let routes = comptoir_host::manifest::routes(&workspace().join("spin.toml")).unwrap();
    // As Spin matches: exact routes first, then the longest wildcard prefix.
    let component_of = |path: &str| {
        let mut candidates: Vec<_> = routes.iter().filter(|r| r.matches(path)).collect();
        candidates.sort_by_key(|r| std::cmp::Reverse((!r.wildcard, r.prefix.len())));
        candidates.first().map(|r| r.component.clone())
    };
    for name in comptoir_functions::FUNCTIONS {
        let (_, doc) = comptoir_functions::api_for(name).unwrap().split_for_parts();
        assert!(!doc.paths.paths.is_empty(), "{name} documents no route");
        for path in doc.paths.paths.keys() {
            let concrete = path.replace(['{', '}'], "");
            assert_eq!(
                component_of(&concrete).as_deref(),
                Some(name),
                "spin.toml does not send {path} to {name}"
            );
        }
    }
    assert_eq!(
        component_of(comptoir_functions::openapi::DOCUMENT_PATH).as_deref(),
        Some("files"),
        "spin.toml must send the API document to the files component"
    );
}

/// Rust files under `dir`, recursively.
fn sources(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            sources(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    Ok(())
}

#[test]
fn every_route_of_the_functions_is_declared_documented() {
    // Routes come only from the `api_routes!` declarations, whose handlers
    // carry `#[utoipa::path]`: no other way to mount one in the functions.
    // The shop's HTML pages (`pages/`) are not operations of the API.
    let mut files = Vec::new();
    sources(&workspace().join("functions/src"), &mut files).unwrap();
    let mut annotated = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).unwrap();
        let relative = file
            .strip_prefix(workspace())
            .unwrap()
            .display()
            .to_string();
        for forbidden in [
            ".route(",
            ".route_service(",
            ".nest(",
            ".nest_service(",
            "axum::routing::",
            "Router::new()",
        ] {
            let allowed = relative.ends_with("functions/src/openapi.rs")
                || relative.starts_with("functions/src/pages/");
            assert!(
                allowed || !text.contains(forbidden),
                "{relative} mounts a route outside api_routes! (`{forbidden}`): declare it there, \
                 annotated with #[utoipa::path]"
            );
        }
        annotated += text.matches("#[utoipa::path(").count();
    }
    let documented = api_docs::operations(&document()).len();
    assert_eq!(
        annotated, documented,
        "an annotated handler is missing from its context's api_routes! (or the reverse)"
    );
}
