//! French first, English on a switch.
//!
//! In the account and staff bundles the language is one global signal that
//! persists, so any text read inside a reactive closure follows the switch
//! without a reload. Shop pages carry their language in the URL (`/` French,
//! `/en/…` English): they provide it as context, which [`lang`] reads first
//! (on the server, where there is no browser storage, and in the islands).
//! Copy stays where it is used, as a French/English pair:
//! `{t("Panier", "Cart")}`.

use std::sync::OnceLock;

use leptos::prelude::*;

use crate::state::storage;

const KEY: &str = "comptoir.lang";

pub use comptoir_shared::lang::Lang;

/// Reference-counted rather than arena-owned: the first reader may run inside
/// a short-lived reactive scope, and the language must outlive it.
fn signal() -> &'static ArcRwSignal<Lang> {
    static LANG: OnceLock<ArcRwSignal<Lang>> = OnceLock::new();
    LANG.get_or_init(|| {
        let lang = storage()
            .and_then(|s| s.get_item(KEY).ok().flatten())
            .and_then(|saved| Lang::from_code(&saved))
            .unwrap_or_default();
        mark_document(lang);
        ArcRwSignal::new(lang)
    })
}

fn mark_document(lang: Lang) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = root.set_attribute("lang", lang.pick("fr", "en"));
    }
}

/// The current language: the page's (context) when it has one, else the
/// persisted switch (tracked: a closure reading it re-runs on a switch).
pub fn lang() -> Lang {
    use_context::<Lang>().unwrap_or_else(|| signal().get())
}

/// Switches language and remembers it for the next visit.
pub fn set_lang(lang: Lang) {
    if let Some(s) = storage() {
        let _ = s.set_item(KEY, lang.pick("fr", "en"));
    }
    mark_document(lang);
    signal().set(lang);
}

/// Remembers the language a shop page is in, so the account area (a
/// client-rendered bundle without the language in its URL) follows it.
pub fn remember(lang: Lang) {
    if let Some(s) = storage() {
        let _ = s.set_item(KEY, lang.code());
    }
}

/// A French/English pair as reactive text.
pub fn t(fr: &'static str, en: &'static str) -> impl Fn() -> &'static str + Copy + Send + Sync {
    move || lang().pick(fr, en)
}
