//! The contexts import one another downwards only: each module of
//! `functions/src` names (`crate::<context>`) only the contexts below it in
//! [`LAYERS`], so no two contexts depend on each other, however indirectly;
//! and no module, the ground's included, reaches itself through others.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use comptoir_functions::LAYERS;

/// The modules every context may use: not contexts.
const GROUND: [&str; 9] = [
    "cache", "config", "dialect", "edge", "error", "extract", "migrate", "openapi", "port",
];

/// The crate's modules that `code` names as `crate::x` or in `crate::{x, …}`,
/// comments aside.
fn named_modules(code: &str) -> BTreeSet<String> {
    let code: String = code
        .lines()
        .map(|line| line.split_once("//").map_or(line, |(code, _)| code))
        .collect::<Vec<_>>()
        .join("\n");
    let ident = |s: &str| -> String {
        s.trim_start()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut names = BTreeSet::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        match rest.strip_prefix('{') {
            Some(group) => {
                // The first segment of each item at the group's top level.
                let (mut depth, mut item_start) = (0, true);
                for (i, c) in group.char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' if depth == 0 => break,
                        '}' => depth -= 1,
                        ',' if depth == 0 => item_start = true,
                        c if item_start && !c.is_whitespace() => {
                            names.insert(ident(&group[i..]));
                            item_start = false;
                        }
                        _ => {}
                    }
                }
            }
            None => {
                names.insert(ident(rest));
            }
        }
    }
    names
}

/// Whether `name` is one of the crate's modules (a context or ground).
fn is_module(name: &str) -> bool {
    LAYERS.contains(&name) || GROUND.contains(&name)
}

/// `(module, file, modules it names)` for every source file but the crate
/// root (which wires everything together).
fn sources() -> std::io::Result<Vec<(String, String, BTreeSet<String>)>> {
    fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) -> std::io::Result<()> {
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            if path.is_dir() {
                walk(&path, out)?;
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
        Ok(())
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    walk(&root, &mut files)?;
    files.sort();
    let mut sources = Vec::new();
    for file in files.into_iter().filter(|f| f != &root.join("lib.rs")) {
        let relative = file
            .strip_prefix(&root)
            .unwrap_or(&file)
            .to_string_lossy()
            .into_owned();
        let module = relative
            .split('/')
            .next()
            .unwrap_or_default()
            .trim_end_matches(".rs")
            .to_owned();
        let named = named_modules(&std::fs::read_to_string(&file)?)
            .into_iter()
            .filter(|m| *m != module && is_module(m))
            .collect();
        sources.push((module, relative, named));
    }
    Ok(sources)
}

#[test]
fn every_module_is_a_context_or_ground() {
    for (module, file, _) in sources().unwrap() {
        assert!(
            LAYERS.contains(&module.as_str()) || GROUND.contains(&module.as_str()),
            "{file}: module `{module}` is neither in LAYERS nor ground"
        );
    }
}

#[test]
fn contexts_import_only_the_contexts_below_them() {
    let mut wrong = Vec::new();
    for (module, file, named) in sources().unwrap() {
        let Some(level) = LAYERS.iter().position(|l| *l == module) else {
            continue;
        };
        for name in named {
            if !LAYERS[..level].contains(&name.as_str()) && !GROUND.contains(&name.as_str()) {
                wrong.push(format!("{file}: {module} imports {name}, above it"));
            }
        }
    }
    assert!(wrong.is_empty(), "imports upwards:\n{}", wrong.join("\n"));
}

#[test]
fn no_module_depends_on_itself_through_others() {
    // The ground included: a context reached from the ground it stands on
    // would be a loop too.
    let mut uses: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, _, named) in sources().unwrap() {
        uses.entry(module).or_default().extend(named);
    }
    fn reaches(
        uses: &BTreeMap<String, BTreeSet<String>>,
        from: &str,
        target: &str,
        seen: &mut BTreeSet<String>,
    ) -> bool {
        uses.get(from).into_iter().flatten().any(|next| {
            next == target || (seen.insert(next.clone()) && reaches(uses, next, target, seen))
        })
    }
    let looping: Vec<&String> = uses
        .keys()
        .filter(|m| reaches(&uses, m, m, &mut BTreeSet::new()))
        .collect();
    assert!(looping.is_empty(), "modules in a loop: {looping:?}");
}

#[test]
fn the_parser_sees_paths_and_groups() {
    let named = named_modules(
        "use crate::{cart, orders::{head, summary}, stock};\n\
         let x = crate::audit::record(); // crate::jobs in a comment\n\
         use crate::params;",
    );
    assert_eq!(
        named.into_iter().collect::<Vec<_>>(),
        ["audit", "cart", "orders", "params", "stock"]
    );
}
