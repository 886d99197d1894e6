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
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;

    use comptoir_functions::config::{DATABASE_URL, SECRETS as SECRET_VARIABLES};

    /// Variables components read besides those of
    /// [`comptoir_functions::config::VARIABLES`]: the files component reads
    /// `public_base_url` itself, the Spin adapter the store's address.
    const READ_OUTSIDE_CONFIG: [&str; 2] = ["public_base_url", DATABASE_URL];

    fn root() -> &'static Path {
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
    }

    fn spin_toml() -> toml::Table {
        std::fs::read_to_string(root().join("spin.toml"))
            .unwrap()
            .parse()
            .unwrap()
    }

    fn components(manifest: &toml::Table) -> &toml::Table {
        manifest["component"].as_table().unwrap()
    }

    fn strings(value: Option<&toml::Value>) -> Vec<&str> {
        value
            .and_then(|v| v.as_array())
            .map(|a| a.iter().map(|v| v.as_str().unwrap()).collect())
            .unwrap_or_default()
    }

    /// The variable names a Spin template (`"postgres://{{ postgres_host }}"`) refers to.
    fn template_names(template: &str) -> Vec<&str> {
        template
            .split("{{")
            .skip(1)
            .map(|rest| {
                rest.split_once("}}")
                    .expect("an unclosed {{ in spin.toml")
                    .0
                    .trim()
            })
            .collect()
    }

    /// A template with each `{{ name }}` replaced by the variable's default.
    fn with_defaults(template: &str, variables: &toml::Table) -> String {
        let mut out = template.to_owned();
        for name in template_names(template) {
            let default = variables[name]["default"].as_str().unwrap();
            out = out.replace(&format!("{{{{ {name} }}}}"), default);
        }
        out
    }

    /// Every package of the workspace, by name, with its manifest.
    fn workspace_packages() -> BTreeMap<String, toml::Table> {
        let workspace: toml::Table = std::fs::read_to_string(root().join("Cargo.toml"))
            .unwrap()
            .parse()
            .unwrap();
        strings(workspace["workspace"].get("members"))
            .into_iter()
            .map(|member| {
                let package: toml::Table =
                    std::fs::read_to_string(root().join(member).join("Cargo.toml"))
                        .unwrap()
                        .parse()
                        .unwrap();
                let name = package["package"]["name"].as_str().unwrap().to_owned();
                (name, package)
            })
            .collect()
    }

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

    #[test]
    fn every_route_names_a_component_and_every_component_has_a_route() {
        let manifest = spin_toml();
        let routes = routes(&root().join("spin.toml")).unwrap();
        let routed: BTreeSet<&str> = routes.iter().map(|r| r.component.as_str()).collect();
        let declared: BTreeSet<&str> = components(&manifest).keys().map(String::as_str).collect();
        assert_eq!(
            routed, declared,
            "routed components against [component.*] tables"
        );
        let mut seen = BTreeSet::new();
        for route in &routes {
            assert!(
                seen.insert((&route.prefix, route.wildcard)),
                "{} is routed twice",
                route.prefix
            );
        }
    }

    #[test]
    fn every_component_source_is_the_artifact_its_build_command_produces() {
        // `spin build` on a fresh clone runs each command from the manifest's
        // directory, then `spin up` loads `source`: they must name one file.
        let manifest = spin_toml();
        let packages = workspace_packages();
        for (id, component) in components(&manifest) {
            let command = component["build"]["command"].as_str().unwrap();
            let mut cargo = Vec::new();
            for step in command.split("&&").map(str::trim) {
                let words: Vec<&str> = step.split_whitespace().collect();
                match words.as_slice() {
                    ["cargo", "build", args @ ..] => cargo.push(args.to_vec()),
                    ["bash", script] => assert!(
                        root().join(script).is_file(),
                        "{id}: {script} does not exist"
                    ),
                    _ => panic!("{id}: unexpected build step {step:?}"),
                }
            }
            let [args] = cargo.as_slice() else {
                panic!("{id}: one `cargo build` expected in {command:?}");
            };
            for flag in ["--release", "--target"] {
                assert!(args.contains(&flag), "{id}: {flag} missing in {command:?}");
            }
            let target = args[args.iter().position(|a| *a == "--target").unwrap() + 1];
            assert_eq!(target, "wasm32-wasip2", "{id}");
            let selected: Vec<&str> = args
                .windows(2)
                .filter(|w| w[0] == "-p" || w[0] == "--package")
                .map(|w| w[1])
                .collect();
            let [package] = selected.as_slice() else {
                panic!("{id}: exactly one -p expected in {command:?}");
            };
            assert_eq!(
                component["source"].as_str().unwrap(),
                format!(
                    "target/wasm32-wasip2/release/{}.wasm",
                    package.replace('-', "_")
                ),
                "{id}: source is not what `{command}` builds"
            );
            let crate_manifest = packages
                .get(*package)
                .unwrap_or_else(|| panic!("{id}: {package} is not a workspace member"));
            assert_eq!(
                strings(crate_manifest.get("lib").and_then(|l| l.get("crate-type"))),
                ["cdylib"],
                "{id}: {package} must be a cdylib to be a Spin component"
            );
        }
    }

    #[test]
    fn every_variable_a_component_reads_is_declared_and_secrets_are_marked() {
        let manifest = spin_toml();
        let variables = manifest["variables"].as_table().unwrap();
        for (name, declaration) in variables {
            assert!(
                declaration.get("default").is_some() || declaration.get("required").is_some(),
                "{name} needs a default or required = true"
            );
            let secret = declaration.get("secret").and_then(|s| s.as_bool()) == Some(true);
            assert_eq!(
                secret,
                SECRET_VARIABLES.contains(&name.as_str()),
                "{name}: secret = {secret}"
            );
        }
        for name in comptoir_functions::config::VARIABLES
            .into_iter()
            .chain(READ_OUTSIDE_CONFIG)
            .chain(SECRET_VARIABLES)
        {
            assert!(variables.contains_key(name), "{name} is not declared");
        }
        let mut used = BTreeSet::new();
        for (id, component) in components(&manifest) {
            let passed = component.get("variables").and_then(|v| v.as_table());
            for (key, value) in passed.into_iter().flatten() {
                assert!(
                    comptoir_functions::config::VARIABLES.contains(&key.as_str())
                        || READ_OUTSIDE_CONFIG.contains(&key.as_str()),
                    "{id} is given {key}, which no code reads"
                );
                // Each component variable is the application variable of its name.
                assert_eq!(
                    value.as_str(),
                    Some(format!("{{{{ {key} }}}}").as_str()),
                    "{id}.{key}"
                );
                used.insert(key.clone());
            }
            for host in strings(component.get("allowed_outbound_hosts")) {
                for name in template_names(host) {
                    assert!(
                        variables.contains_key(name),
                        "{id}: {host} names no variable"
                    );
                    used.insert(name.to_owned());
                }
            }
        }
        let declared: BTreeSet<String> = variables.keys().cloned().collect();
        assert_eq!(
            used, declared,
            "declared variables no component uses, or the reverse"
        );
    }

    #[test]
    fn every_component_on_the_store_reaches_sqlite_and_postgres() {
        // database_url chooses the store at run time, so a component that
        // touches it needs both: its SQLite label and the Postgres host.
        let manifest = spin_toml();
        for (id, component) in components(&manifest) {
            let sqlite = strings(component.get("sqlite_databases"));
            let hosts = strings(component.get("allowed_outbound_hosts"));
            let url = component
                .get("variables")
                .and_then(|v| v.get("database_url"))
                .is_some();
            let postgres = hosts.contains(&"postgres://{{ postgres_host }}");
            if id == "files" {
                assert!(
                    sqlite.is_empty() && !url && !postgres,
                    "files holds no data"
                );
            } else {
                assert_eq!(sqlite, ["default"], "{id}");
                assert!(
                    url && postgres,
                    "{id} must read database_url and reach postgres_host"
                );
            }
        }
    }

    #[test]
    fn stripe_and_mail_are_reachable_only_where_they_are_used() {
        // Each component gets only the capabilities it needs: only payments,
        // refunds and the job runner (committed refunds, expired sessions)
        // talk to Stripe and read its secrets; only the job runner sends mail.
        let manifest = spin_toml();
        let holders = |pred: &dyn Fn(&toml::Value) -> bool| -> BTreeSet<&str> {
            components(&manifest)
                .iter()
                .filter(|(_, c)| pred(c))
                .map(|(id, _)| id.as_str())
                .collect()
        };
        let reads = |name: &'static str| {
            move |c: &toml::Value| c.get("variables").and_then(|v| v.get(name)).is_some()
        };
        let reaches = |template: &'static str| {
            move |c: &toml::Value| strings(c.get("allowed_outbound_hosts")).contains(&template)
        };
        let stripe = BTreeSet::from(["payments", "refunds", "jobs"]);
        assert_eq!(holders(&reads("stripe_secret_key")), stripe);
        assert_eq!(holders(&reads("webhook_secret")), stripe);
        assert_eq!(holders(&reaches("{{ stripe_api_base }}")), stripe);
        let mail = BTreeSet::from(["jobs"]);
        assert_eq!(holders(&reads("mail_api_key")), mail);
        assert_eq!(holders(&reads("jobs_secret")), mail);
        assert_eq!(holders(&reaches("{{ mail_api_base }}")), mail);
        // Only accounts signs and checks e-mail verification links.
        assert_eq!(
            holders(&reads("verification_secret")),
            BTreeSet::from(["accounts"])
        );
    }

    #[test]
    fn every_component_that_reads_the_client_address_knows_the_trusted_proxies() {
        // Behind an ingress the peer is the proxy: without trusted_proxies a
        // component would take every visitor for it. The components whose
        // handlers take `edge::ClientAddr`: accounts (sign-up, sign-in and
        // password throttling) and kpis (`POST /api/events`, the visitor key).
        let root = root().join("functions/src");
        let mut readers = BTreeSet::new();
        let mut stack = vec![root.clone()];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.file_name().is_some_and(|n| n != "edge.rs")
                    && std::fs::read_to_string(&path)
                        .unwrap()
                        .contains("ClientAddr")
                {
                    let context = path.strip_prefix(&root).unwrap().iter().next().unwrap();
                    readers.insert(context.to_string_lossy().into_owned());
                }
            }
        }
        // The context each reader belongs to, and the component serving it.
        let component = |context: &str| match context {
            "audience" => "kpis",
            other => panic!("{other} reads the client address: name its component here"),
        };
        let expected: BTreeSet<&str> = readers
            .iter()
            .map(|c| {
                if c == "accounts" {
                    "accounts"
                } else {
                    component(c)
                }
            })
            .collect();
        assert_eq!(expected, BTreeSet::from(["accounts", "kpis"]));
        let manifest = spin_toml();
        for id in expected {
            assert_eq!(
                manifest["component"][id]["variables"]
                    .get("trusted_proxies")
                    .and_then(|v| v.as_str()),
                Some("{{ trusted_proxies }}"),
                "{id} reads the client address but is not given trusted_proxies"
            );
        }
    }

    #[test]
    fn outbound_hosts_are_templated_and_valid_with_the_defaults() {
        // Spin resolves templated hosts when the app starts and refuses to
        // start if one is not `scheme://host[:port]`: no path, never empty
        // (spinframework/spin, crates/outbound-networking-config/src/allowed_hosts.rs).
        let manifest = spin_toml();
        let variables = manifest["variables"].as_table().unwrap();
        for (id, component) in components(&manifest) {
            for host in strings(component.get("allowed_outbound_hosts")) {
                assert!(
                    !template_names(host).is_empty(),
                    "{id}: {host} is literal; changing it would need a spin.toml edit"
                );
                let resolved = with_defaults(host, variables);
                let (scheme, authority) = resolved
                    .split_once("://")
                    .unwrap_or_else(|| panic!("{id}: {resolved:?} has no scheme"));
                assert!(
                    matches!(scheme, "https" | "http" | "postgres"),
                    "{id}: {resolved}"
                );
                let authority = authority.strip_suffix('/').unwrap_or(authority);
                assert!(
                    !authority.is_empty() && !authority.contains(['/', '*', '@', '?', '#']),
                    "{id}: {resolved:?} must be scheme://host[:port]"
                );
            }
        }
        // The defaults the functions fall back to are origins too.
        for name in ["stripe_api_base", "mail_api_base"] {
            let default = variables[name]["default"].as_str().unwrap();
            assert_eq!(
                comptoir_functions::config::origin_of(default).as_deref(),
                Some(default),
                "{name}"
            );
        }
    }

    #[tokio::test]
    async fn the_native_host_mounts_a_router_for_every_spin_component() {
        let manifest = spin_toml();
        let spin: BTreeSet<&str> = components(&manifest)
            .keys()
            .map(String::as_str)
            // The storefront's files and the shop's pages (they need the
            // built storefront's asset names) are mounted by `app` itself.
            .filter(|id| !["files", "pages"].contains(id))
            .collect();
        let functions: BTreeSet<&str> = comptoir_functions::FUNCTIONS.into_iter().collect();
        assert_eq!(spin, functions, "spin.toml components against FUNCTIONS");
        let file =
            std::env::temp_dir().join(format!("comptoir-manifest-test-{}.db", std::process::id()));
        let database = crate::store::Store::Sqlite(file.clone());
        let config = comptoir_functions::config::Config::from_lookup(|_| None).unwrap();
        let host = crate::host(&database, config).await.unwrap();
        for id in &spin {
            assert!(
                comptoir_functions::router_for(id, host.clone()).is_some(),
                "no router for the {id} component"
            );
        }
        // What the native host does with spin.toml: mount every route.
        let mounted = crate::app(
            host,
            routes(&root().join("spin.toml")).unwrap(),
            &root().join("dist"),
        );
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
        }
        let _app = mounted.expect("the native host refuses this spin.toml");
    }
}
