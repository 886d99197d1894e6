//! The routes of `spin.toml`, read so the native host mounts exactly what
//! Spin would.

use std::path::Path;

use anyhow::Context as _;
use serde::Deserialize;

/// One `[[trigger.http]]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// The path, without a trailing `/...`.
    pub prefix: String,
    /// Whether the route ended in `/...` (matches the prefix and below).
    pub wildcard: bool,
    /// The component id.
    pub component: String,
}

impl Route {
    /// Whether Spin would hand `path` to this route.
    pub fn matches(&self, path: &str) -> bool {
        if !self.wildcard {
            return path == self.prefix;
        }
        let prefix = self.prefix.trim_end_matches('/');
        prefix.is_empty()
            || path == prefix
            || path
                .strip_prefix(prefix)
                .is_some_and(|rest| rest.starts_with('/'))
    }
}

#[derive(Deserialize)]
struct Manifest {
    trigger: Triggers,
}

#[derive(Deserialize)]
struct Triggers {
    http: Vec<HttpTrigger>,
}

#[derive(Deserialize)]
struct HttpTrigger {
    route: String,
    component: String,
}

/// Parses the HTTP routes out of a Spin manifest's text.
pub fn parse(text: &str) -> anyhow::Result<Vec<Route>> {
    let manifest: Manifest = toml::from_str(text).context("parsing spin.toml")?;
    Ok(manifest
        .trigger
        .http
        .into_iter()
        .map(|t| match t.route.strip_suffix("/...") {
            Some(prefix) => Route {
                prefix: prefix.to_owned(),
                wildcard: true,
                component: t.component,
            },
            None => Route {
                prefix: t.route,
                wildcard: false,
                component: t.component,
            },
        })
        .collect())
}

/// Reads the HTTP routes of the manifest at `path`.
pub fn routes(path: &Path) -> anyhow::Result<Vec<Route>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    parse(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards_match_their_prefix_and_below_only() {
        let routes = parse(
            "[[trigger.http]]\nroute = \"/api/carts/...\"\ncomponent = \"cart\"\n\
             [[trigger.http]]\nroute = \"/...\"\ncomponent = \"files\"\n",
        )
        .unwrap();
        assert!(routes[0].matches("/api/carts"));
        assert!(routes[0].matches("/api/carts/abc/items"));
        assert!(!routes[0].matches("/api/cartsx"));
        assert!(routes[1].matches("/anything"));
    }

    #[test]
    fn the_project_manifest_mounts_every_function() {
        let routes = routes(Path::new(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../spin.toml"
        )))
        .unwrap();
        for function in comptoir_functions::FUNCTIONS.into_iter().chain(["files"]) {
            assert!(
                routes.iter().any(|r| r.component == function),
                "{function} has no route"
            );
        }
    }

    #[test]
    fn every_function_under_spin_knows_the_shops_origins() {
        // Without them, a component would take the default public address
        // for its own and refuse every state change from the real shop.
        let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../spin.toml"))
            .unwrap();
        let manifest: toml::Table = text.parse().unwrap();
        for function in comptoir_functions::FUNCTIONS {
            let variables = &manifest["component"][function]["variables"];
            for name in ["public_base_url", "allowed_origins"] {
                assert_eq!(
                    variables.get(name).and_then(|v| v.as_str()),
                    Some(format!("{{{{ {name} }}}}").as_str()),
                    "{function} must pass {name}"
                );
            }
        }
    }
}
