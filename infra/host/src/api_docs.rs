//! The committed API documents: `docs/openapi.json` and `docs/API.md`.

/// The files and their text.
pub fn generate() -> anyhow::Result<Vec<(&'static str, String)>> {
    let json = comptoir_functions::openapi::document_json().to_owned();
    Ok(vec![("openapi.json", json)])
}
