//! Text a person typed — names, addresses, notes, messages — and the one rule
//! that decides whether it may be stored: [`typed`]. The browser checks
//! forms with it and the functions refuse requests with it, so both sides
//! always agree.
//!
//! What it refuses, besides lengths: text that shows nothing once invisible
//! characters are removed (zero-width spaces, joiners, byte-order marks,
//! fillers), and characters that change how *other* text is displayed —
//! bidirectional embeddings, overrides and isolates (U+202A–U+202E,
//! U+2066–U+2069: "Trojan source" text reads differently than it is) and the
//! Unicode line and paragraph separators (U+2028, U+2029), which break a
//! one-line field where a reader cannot see it. Control characters are
//! refused too, except line breaks and tabs in multi-line text.

use crate::error::ValidationError;

/// How many lines a text may span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lines {
    /// A name, a city, a subject: no line breaks.
    One,
    /// A message or a description: `\n`, `\r` and tabs allowed.
    Many,
}

/// Characters that reorder or restyle the text around them.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Characters that take no room and draw nothing (besides whitespace).
fn is_invisible(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || is_bidi_control(c)
        || matches!(
            c,
            '\u{00AD}'                      // soft hyphen
            | '\u{034F}'                    // combining grapheme joiner
            | '\u{061C}'                    // Arabic letter mark
            | '\u{115F}' | '\u{1160}'       // Hangul fillers
            | '\u{17B4}' | '\u{17B5}'       // Khmer inherent vowels
            | '\u{180B}'..='\u{180F}'       // Mongolian selectors and vowel separator
            | '\u{200B}'..='\u{200F}'       // zero-width space/joiners, LRM, RLM
            | '\u{2060}'..='\u{2064}'       // word joiner, invisible operators
            | '\u{206A}'..='\u{206F}'       // deprecated format characters
            | '\u{2800}'                    // braille blank
            | '\u{3164}' | '\u{FFA0}'       // Hangul fillers
            | '\u{FE00}'..='\u{FE0F}'       // variation selectors
            | '\u{FEFF}'                    // byte-order mark
            | '\u{1D173}'..='\u{1D17A}'     // musical formatting
            | '\u{E0000}'..='\u{E0FFF}' // tags and supplementary variation selectors
        )
}

/// Trims `raw` and checks it: `min..=max` characters, something visible
/// unless it is empty and `min` is 0, no bidirectional controls or Unicode
/// line/paragraph separators, and no control characters (line breaks and
/// tabs allowed in [`Lines::Many`]).
pub fn typed(raw: &str, min: usize, max: usize, lines: Lines) -> Result<String, ValidationError> {
    let text = raw.trim();
    let count = text.chars().count();
    if count < min || count > max {
        return Err(ValidationError(if min == 0 {
            format!("at most {max} characters")
        } else {
            format!("{min} to {max} characters")
        }));
    }
    let allowed_control = |c: char| lines == Lines::Many && matches!(c, '\n' | '\r' | '\t');
    if text.chars().any(|c| {
        is_bidi_control(c)
            || matches!(c, '\u{2028}' | '\u{2029}')
            || (c.is_control() && !allowed_control(c))
    }) {
        return Err(ValidationError(
            match lines {
                Lines::One => "one line of text, without control or direction-changing characters",
                Lines::Many => "text without control or direction-changing characters",
            }
            .into(),
        ));
    }
    if !text.is_empty() && text.chars().all(is_invisible) {
        return Err(ValidationError(
            "shows nothing: only invisible characters".into(),
        ));
    }
    Ok(text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinary_text_is_trimmed_and_kept() {
        assert_eq!(
            typed("  Zoé Müller ", 1, 100, Lines::One).unwrap(),
            "Zoé Müller"
        );
        assert_eq!(typed("محمد", 1, 100, Lines::One).unwrap(), "محمد");
        assert_eq!(
            typed("ligne 1\nligne 2\tfin", 1, 100, Lines::Many).unwrap(),
            "ligne 1\nligne 2\tfin"
        );
        // A joiner inside an emoji or a mark inside words is fine: something shows.
        assert!(typed("👩\u{200D}💻 Lin", 1, 100, Lines::One).is_ok());
        assert_eq!(typed("", 0, 10, Lines::One).unwrap(), "");
    }

    #[test]
    fn text_that_shows_nothing_is_refused() {
        for blank in [
            "\u{200B}\u{200B}",
            "\u{200D}\u{FEFF} \u{2060}",
            "\u{3164}",
            "\u{00AD}\u{034F}",
            "\u{E0041}\u{E0042}",
        ] {
            assert!(typed(blank, 0, 100, Lines::One).is_err(), "{blank:?}");
            assert!(typed(blank, 1, 100, Lines::Many).is_err(), "{blank:?}");
        }
        assert!(typed("   ", 1, 100, Lines::One).is_err());
    }

    #[test]
    fn direction_overrides_and_separators_are_refused() {
        for bad in [
            "Jean \u{202E}nioc",
            "a\u{2066}b\u{2069}",
            "rue\u{2028}de Paris",
            "para\u{2029}graph",
            "tab\there",
            "bell\u{7}",
        ] {
            assert!(typed(bad, 1, 100, Lines::One).is_err(), "{bad:?}");
        }
        assert!(typed("over\u{202D}ride", 1, 100, Lines::Many).is_err());
        assert!(typed("sep\u{2028}x", 1, 100, Lines::Many).is_err());
        assert!(typed("nul\u{0}", 1, 100, Lines::Many).is_err());
    }

    #[test]
    fn lengths_count_characters() {
        assert!(typed(&"é".repeat(10), 1, 10, Lines::One).is_ok());
        assert!(typed(&"é".repeat(11), 1, 10, Lines::One).is_err());
        assert!(typed("ab", 3, 10, Lines::One).is_err());
    }
}
