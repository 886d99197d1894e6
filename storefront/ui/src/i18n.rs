//! French first, English on a switch that persists.
//!
//! The language is one global signal, so any text read inside a reactive
//! closure follows the switch without a reload. Copy stays where it is used,
//! as a French/English pair: `{t("Panier", "Cart")}`.

use std::sync::OnceLock;

use leptos::prelude::*;

use crate::state::storage;

const KEY: &str = "comptoir.lang";

/// A language the shop speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// The default.
    Fr,
    /// On the switch.
    En,
}

impl Lang {
    /// The BCP 47 tag, for `<html lang>` and `Intl`.
    pub fn tag(self) -> &'static str {
        match self {
            Self::Fr => "fr-FR",
            Self::En => "en-GB",
        }
    }

    /// The French or the English of something.
    pub fn pick<T>(self, fr: T, en: T) -> T {
        match self {
            Self::Fr => fr,
            Self::En => en,
        }
    }
}

/// Reference-counted rather than arena-owned: the first reader may run inside
/// a short-lived reactive scope, and the language must outlive it.
fn signal() -> &'static ArcRwSignal<Lang> {
    static LANG: OnceLock<ArcRwSignal<Lang>> = OnceLock::new();
    LANG.get_or_init(|| {
        let saved = storage().and_then(|s| s.get_item(KEY).ok().flatten());
        let lang = if saved.as_deref() == Some("en") {
            Lang::En
        } else {
            Lang::Fr
        };
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

/// The current language (tracked: a closure reading it re-runs on a switch).
pub fn lang() -> Lang {
    signal().get()
}

/// Switches language and remembers it for the next visit.
pub fn set_lang(lang: Lang) {
    if let Some(s) = storage() {
        let _ = s.set_item(KEY, lang.pick("fr", "en"));
    }
    mark_document(lang);
    signal().set(lang);
}

/// A French/English pair as reactive text.
pub fn t(fr: &'static str, en: &'static str) -> impl Fn() -> &'static str + Copy + Send + Sync {
    move || lang().pick(fr, en)
}
