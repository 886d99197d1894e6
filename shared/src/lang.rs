//! The languages the shop speaks: French, its reference (every product has
//! its French text), and English, into which catalog content may be
//! translated (French is served where a translation is missing).

use serde::{Deserialize, Serialize};

/// A language the shop speaks. On the wire: `fr`, `en`.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// The reference language: a product's own text.
    #[default]
    Fr,
    /// Served from translations, with French as the fallback.
    En,
}

impl Lang {
    /// Every language, the reference first.
    pub const ALL: [Self; 2] = [Self::Fr, Self::En];

    /// The languages catalog content is translated into (all but French).
    pub const TRANSLATED: [Self; 1] = [Self::En];

    /// The BCP 47 tag, for `Intl` and `Content-Language`.
    pub fn tag(self) -> &'static str {
        self.pick("fr-FR", "en-GB")
    }

    /// The short tag of URLs, `hreflang`, `<html lang>` and the wire: `fr`, `en`.
    pub fn code(self) -> &'static str {
        self.pick("fr", "en")
    }

    /// The language whose [`Self::code`] this is.
    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The shop's path prefix for this language: nothing for French, `/en`.
    pub fn prefix(self) -> &'static str {
        self.pick("", "/en")
    }

    /// The shop page `path` (French form, starting with `/`) in this language.
    pub fn path(self, path: &str) -> String {
        match (self, path) {
            (Self::Fr, _) => path.to_owned(),
            (Self::En, "/") => "/en/".to_owned(),
            (Self::En, _) => format!("/en{path}"),
        }
    }

    /// The other language.
    pub fn other(self) -> Self {
        self.pick(Self::En, Self::Fr)
    }

    /// The French or the English of something.
    pub fn pick<T>(self, fr: T, en: T) -> T {
        match self {
            Self::Fr => fr,
            Self::En => en,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip_and_are_the_wire_names() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
            assert_eq!(
                serde_json::to_string(&lang).unwrap(),
                format!("\"{}\"", lang.code())
            );
        }
        assert_eq!(Lang::from_code("de"), None);
        assert!(!Lang::TRANSLATED.contains(&Lang::default()));
        assert_eq!(Lang::En.path("/"), "/en/");
        assert_eq!(Lang::En.path("/panier"), "/en/panier");
    }
}
