//! Catalog search that forgives how people type: case, accents, hyphens,
//! plurals and the usual spellings of compound garment names.
//!
//! "tee shirt", "tee-shirt", "t shirt" and "T-shirts" all become the token
//! `tshirt`; "eté" and "Été" both become `ete`. A product matches when every
//! query token is the start of one of its tokens ("chemi" finds "Chemise").

/// Lower case without diacritics; anything that is not a letter or digit
/// becomes a space.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        match c {
            'à' | 'â' | 'ä' | 'á' | 'ã' | 'å' => out.push('a'),
            'ç' => out.push('c'),
            'é' | 'è' | 'ê' | 'ë' => out.push('e'),
            'î' | 'ï' | 'í' | 'ì' => out.push('i'),
            'ô' | 'ö' | 'ó' | 'ò' | 'õ' | 'ø' => out.push('o'),
            'ù' | 'û' | 'ü' | 'ú' => out.push('u'),
            'ÿ' => out.push('y'),
            'ñ' => out.push('n'),
            // Combining accents (text typed in decomposed form) just go.
            '\u{300}'..='\u{36f}' => {}
            'æ' => out.push_str("ae"),
            'œ' => out.push_str("oe"),
            c if c.is_alphanumeric() => out.push(c),
            _ => out.push(' '),
        }
    }
    out
}

/// Spellings of one word, mapped to one token.
const SYNONYMS: [(&str, &str); 2] = [("teeshirt", "tshirt"), ("teeshirts", "tshirt")];

/// Compound names written as two words, glued into one token.
const COMPOUNDS: [(&str, &str); 3] = [("t", "shirt"), ("tee", "shirt"), ("sweat", "shirt")];

/// The normalised tokens of a text: folded, synonyms applied, compounds
/// glued (`t shirt` → `tshirt`), plural `s`/`x` dropped.
pub fn tokens(text: &str) -> Vec<String> {
    let folded = fold(text);
    let words: Vec<&str> = folded
        .split_whitespace()
        .map(|w| {
            SYNONYMS
                .iter()
                .find(|(from, _)| *from == w)
                .map_or(w, |(_, to)| to)
        })
        .collect();
    let mut out = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let next = words.get(i + 1).copied();
        if let Some(next) = next.filter(|n| COMPOUNDS.contains(&(words[i], singular(n).as_str()))) {
            let first = if words[i] == "tee" { "t" } else { words[i] };
            out.push(singular(&format!("{first}{next}")));
            i += 2;
        } else {
            out.push(singular(words[i]));
            i += 1;
        }
    }
    out
}

fn singular(word: &str) -> String {
    match word.strip_suffix(['s', 'x']) {
        Some(stem) if stem.chars().count() >= 3 => stem.to_owned(),
        _ => word.to_owned(),
    }
}

/// Whether every token of `query` starts one of `text`'s tokens. An empty
/// query matches everything.
pub fn matches(query: &[String], text: &[String]) -> bool {
    query
        .iter()
        .all(|q| text.iter().any(|t| t.starts_with(q.as_str())))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finds(query: &str, text: &str) -> bool {
        matches(&tokens(query), &tokens(text))
    }

    #[test]
    fn spellings_of_t_shirt_find_each_other() {
        for query in [
            "tee shirt",
            "tee-shirt",
            "t shirt",
            "T-Shirt",
            "tshirt",
            "TEE SHIRTS",
        ] {
            assert!(finds(query, "T-shirt col rond en coton bio"), "{query}");
        }
    }

    #[test]
    fn accents_and_case_do_not_matter() {
        assert!(finds("eté", "Robe d'Été"));
        assert!(finds("ETE", "Robe d'été"));
        assert!(finds("été", "robe ete"));
        assert!(finds("cœur", "Pull coeur"));
        assert!(
            finds("e\u{301}te\u{301}", "Robe d'été"),
            "decomposed accents"
        );
    }

    #[test]
    fn prefixes_and_plurals_match_but_other_words_do_not() {
        assert!(finds("chemi", "Chemise en lin"));
        assert!(finds("chemises lin", "Chemise en lin"));
        assert!(!finds("chemise laine", "Chemise en lin"));
        assert!(!finds("pull", "Chemise en lin"));
        assert!(finds("", "anything"));
        assert!(
            !finds("tee", "Pantalon toile"),
            "tee alone is not any t-word"
        );
    }
}
