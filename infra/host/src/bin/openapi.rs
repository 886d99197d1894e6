//! `openapi DIR`: writes the API document (`openapi.json`) and its Markdown
//! reference (`API.md`) into `DIR` (default `docs`), from the routers
//! themselves. `cargo run -p comptoir-host --bin openapi -- docs/`.

use anyhow::Context as _;

fn main() -> anyhow::Result<()> {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "docs".into()));
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    for (name, text) in comptoir_host::api_docs::generate()? {
        let path = dir.join(name);
        std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))?;
        println!("wrote {}", path.display());
    }
    Ok(())
}
