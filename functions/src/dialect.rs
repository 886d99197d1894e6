//! The SQL dialects of the shop's stores, named in this one place.
//!
//! The contexts write their SQL once, in the portable subset SQLite and
//! Postgres share (`?`/`?N` placeholders, `ON CONFLICT`, `RETURNING`,
//! integers for money, times and flags). What differs is rewritten here, and
//! only here, for every adapter of that store alike (the native host's sqlx
//! and Spin's `pg` interface run the same text):
//!
//! - placeholders: `?N` → `$N`, a bare `?` → the next number, as SQLite counts;
//! - migrations' column types: `INTEGER` (SQLite's 64-bit integer) → `BIGINT`
//!   (Postgres' `INTEGER` is 32 bits: unix milliseconds would overflow);
//! - write transactions: SQLite's `BEGIN IMMEDIATE` takes the database's one
//!   write lock up front. On Postgres, `READ COMMITTED` lets two transactions
//!   read the same row and both write from what they read, so every write
//!   transaction first takes one transaction-scoped advisory lock: writers
//!   queue exactly as on SQLite, across every instance sharing the store, and
//!   each statement of the holder sees every earlier writer's commit. Every
//!   invariant proven on SQLite keeps its proof. Reads never wait for it;
//! - catalog search: the same pre-folded tokens, indexed by SQLite's FTS5
//!   (rows numbered by the products' search keys, a range per language) or
//!   by a Postgres GIN index over a `tsvector`, queried with prefix terms
//!   ([`Dialect::product_search`]) and written by the statements of
//!   [`Dialect::insert_search_rows`] and [`Dialect::delete_search_rows`].

use std::borrow::Cow;

use comptoir_shared::lang::Lang;

/// A store's SQL dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// SQLite: the embedded default (one file, one machine).
    Sqlite,
    /// Postgres: the store shared by several instances.
    Postgres,
}

/// The advisory lock key every Postgres write transaction takes ("comptoir").
pub const WRITE_LOCK_KEY: i64 = 0x636F_6D70_746F_6972;

impl Dialect {
    /// The statements that open a write transaction.
    pub fn begin(self) -> &'static [&'static str] {
        match self {
            Self::Sqlite => &["BEGIN IMMEDIATE"],
            Self::Postgres => &[
                "BEGIN",
                // `WRITE_LOCK_KEY`, spelled out: the statement is a constant.
                "SELECT pg_advisory_xact_lock(7165065861926971762)",
            ],
        }
    }

    /// What a store keeps once set, set after migrating: SQLite's
    /// write-ahead log (readers never wait for the writer, one fsync per
    /// commit), which the file keeps for every later connection — Spin opens
    /// one per request and sets nothing itself. Postgres needs nothing.
    pub fn after_migrating(self) -> Option<&'static str> {
        match self {
            Self::Sqlite => Some("PRAGMA journal_mode = WAL"),
            Self::Postgres => None,
        }
    }

    /// `sql` as this store takes it.
    pub fn statement(self, sql: &str) -> Cow<'_, str> {
        match self {
            Self::Sqlite => Cow::Borrowed(sql),
            Self::Postgres => rewrite(sql, Rewrite::Placeholders),
        }
    }

    /// Products `p` whose search row in `lang` matches the search bound as
    /// `?1` (the text [`Dialect::search_terms`] builds): what to select
    /// from, and the condition. Every term must be the prefix of one of the
    /// product's tokens in that language: what
    /// `comptoir_shared::search::matches` decides, answered by an index.
    /// SQLite starts from the FTS5 matches (`CROSS JOIN` keeps that order:
    /// without statistics its planner would rather walk every product and
    /// look each one up), reads the language as its range of rowids
    /// ([`search_rowid`]) and reaches each product by its search key.
    /// Postgres' planner chooses itself; the language is one of the shop's
    /// constant codes, written into the statement.
    pub fn product_search(self, lang: Lang) -> (String, String) {
        match self {
            Self::Sqlite => {
                let first = search_rowid(lang, 0);
                (
                    format!(
                        "product_search s CROSS JOIN products p ON p.search_key = s.rowid - {first}"
                    ),
                    format!(
                        "product_search MATCH ?1 AND s.rowid BETWEEN {first} AND {}",
                        first + (LANGUAGE_ROWIDS - 1)
                    ),
                )
            }
            // `terms`: the tokens as a `tsvector`, GIN-indexed.
            Self::Postgres => (
                "product_search s JOIN products p ON p.id = s.product_id".to_owned(),
                format!(
                    "s.terms @@ CAST(CAST(?1 AS TEXT) AS tsquery) AND s.lang = '{}'",
                    lang.code()
                ),
            ),
        }
    }

    /// The search text for [`Dialect::product_search`] from query tokens
    /// (`comptoir_shared::search::tokens`, so only letters and digits):
    /// every token as a prefix term, all required. `None` for no tokens
    /// (no search: everything matches).
    pub fn search_terms(self, tokens: &[String]) -> Option<String> {
        if tokens.is_empty() {
            return None;
        }
        // Quoted all the same, so no token can read as query syntax.
        Some(match self {
            Self::Sqlite => tokens
                .iter()
                .map(|t| format!("\"{}\"*", t.replace('"', "\"\"")))
                .collect::<Vec<_>>()
                .join(" AND "),
            Self::Postgres => tokens
                .iter()
                .map(|t| format!("'{}':*", t.replace('\\', "\\\\").replace('\'', "''")))
                .collect::<Vec<_>>()
                .join(" & "),
        })
    }

    /// The statement that removes the search rows of the products
    /// `condition` keeps (a condition on `products p`, its values bound as
    /// the caller binds them).
    pub fn delete_search_rows(self, condition: &str) -> String {
        match self {
            Self::Sqlite => {
                let keys: Vec<String> = Lang::ALL
                    .into_iter()
                    .map(|lang| {
                        format!(
                            "SELECT p.search_key + {} FROM products p WHERE {condition}",
                            search_rowid(lang, 0)
                        )
                    })
                    .collect();
                format!(
                    "DELETE FROM product_search WHERE rowid IN ({})",
                    keys.join(" UNION ALL ")
                )
            }
            Self::Postgres => format!(
                "DELETE FROM product_search \
                 WHERE product_id IN (SELECT p.id FROM products p WHERE {condition})"
            ),
        }
    }

    /// The statement that writes search rows given as `VALUES` tuples
    /// `values` of (product id, language code, tokens).
    pub fn insert_search_rows(self, values: &str) -> String {
        match self {
            Self::Sqlite => {
                let firsts: Vec<String> = Lang::ALL
                    .into_iter()
                    .map(|lang| format!("WHEN '{}' THEN {}", lang.code(), search_rowid(lang, 0)))
                    .collect();
                // `VALUES` names its columns column1, column2…
                format!(
                    "INSERT INTO product_search (rowid, tokens) \
                     SELECT p.search_key + CASE v.column2 {} END, v.column3 \
                     FROM (VALUES {values}) AS v JOIN products p ON p.id = v.column1",
                    firsts.join(" ")
                )
            }
            Self::Postgres => {
                format!("INSERT INTO product_search (product_id, lang, tokens) VALUES {values}")
            }
        }
    }

    /// A migration's statement as this store takes it (its placeholders,
    /// if any, are rewritten when it runs, like any statement's).
    pub fn migration(self, sql: &str) -> Cow<'_, str> {
        match self {
            Self::Sqlite => Cow::Borrowed(sql),
            Self::Postgres => rewrite(sql, Rewrite::Types),
        }
    }
}

/// Rowids each language has in SQLite's `product_search`: room for 2^32
/// search keys.
const LANGUAGE_ROWIDS: i64 = 1 << 32;

/// The rowid of the SQLite search row of the product whose search key is
/// `key`, in `lang`: the languages in the order of [`Lang::ALL`], each a
/// range of [`LANGUAGE_ROWIDS`] rowids (so a language is read as a range,
/// and a new language, added at the end, moves no row).
fn search_rowid(lang: Lang, key: i64) -> i64 {
    let number = Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0);
    i64::try_from(number).unwrap_or(0) * LANGUAGE_ROWIDS + key
}

#[derive(Clone, Copy)]
enum Rewrite {
    Placeholders,
    Types,
}

/// Rewrites outside string literals, quoted identifiers and comments.
fn rewrite(sql: &str, what: Rewrite) -> Cow<'_, str> {
    let needed = match what {
        Rewrite::Placeholders => sql.contains('?'),
        Rewrite::Types => sql.to_ascii_uppercase().contains("INTEGER"),
    };
    if !needed {
        return Cow::Borrowed(sql);
    }
    let bytes = sql.as_bytes();
    let mut out = String::with_capacity(sql.len() + 8);
    let mut next = 0u32;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        match c {
            b'\'' | b'"' => {
                let end = closing(bytes, i + 1, c);
                out.push_str(&sql[i..end]);
                i = end;
            }
            b'-' if bytes.get(i + 1) == Some(&b'-') => {
                let end = sql[i..].find('\n').map_or(bytes.len(), |n| i + n);
                out.push_str(&sql[i..end]);
                i = end;
            }
            b'?' if matches!(what, Rewrite::Placeholders) => {
                let digits = bytes[i + 1..]
                    .iter()
                    .take_while(|b| b.is_ascii_digit())
                    .count();
                let number = if digits == 0 {
                    next + 1
                } else {
                    sql[i + 1..i + 1 + digits].parse().unwrap_or(next + 1)
                };
                next = next.max(number);
                out.push('$');
                out.push_str(&number.to_string());
                i += 1 + digits;
            }
            _ if matches!(what, Rewrite::Types)
                && word_at(bytes, i, b"INTEGER")
                && (i == 0 || !is_word(bytes[i - 1])) =>
            {
                out.push_str("BIGINT");
                i += "INTEGER".len();
            }
            _ => {
                // Copy one whole character (SQL text may hold any UTF-8).
                let len = sql[i..].chars().next().map_or(1, char::len_utf8);
                out.push_str(&sql[i..i + len]);
                i += len;
            }
        }
    }
    Cow::Owned(out)
}

/// The index just past the quote closing the literal opened before `from`
/// (a doubled quote escapes itself).
fn closing(bytes: &[u8], from: usize, quote: u8) -> usize {
    let mut i = from;
    while i < bytes.len() {
        if bytes[i] == quote {
            if bytes.get(i + 1) == Some(&quote) {
                i += 2;
                continue;
            }
            return i + 1;
        }
        i += 1;
    }
    bytes.len()
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn word_at(bytes: &[u8], i: usize, word: &[u8]) -> bool {
    bytes.len() >= i + word.len()
        && bytes[i..i + word.len()].eq_ignore_ascii_case(word)
        && bytes.get(i + word.len()).is_none_or(|b| !is_word(*b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_statements_are_left_alone() {
        let sql = "SELECT a FROM t WHERE b = ?1 AND c = ?";
        assert!(matches!(Dialect::Sqlite.statement(sql), Cow::Borrowed(_)));
        assert_eq!(Dialect::Sqlite.migration("x INTEGER"), "x INTEGER");
    }

    #[test]
    fn placeholders_are_numbered_as_sqlite_numbers_them() {
        let pg = |sql| Dialect::Postgres.statement(sql).into_owned();
        assert_eq!(pg("a = ? AND b = ?"), "a = $1 AND b = $2");
        assert_eq!(
            pg("a = ?2 AND b = ?1 AND c = ?2"),
            "a = $2 AND b = $1 AND c = $2"
        );
        // A bare `?` after `?N` takes the largest number so far plus one.
        assert_eq!(pg("a = ?3 AND b = ?"), "a = $3 AND b = $4");
        assert_eq!(pg("?10, ?"), "$10, $11");
    }

    #[test]
    fn quoted_text_and_comments_keep_their_question_marks() {
        let pg = |sql| Dialect::Postgres.statement(sql).into_owned();
        assert_eq!(
            pg("SELECT 'why?', \"odd?name\", 'it''s ?' FROM t WHERE x = ? -- what?\n AND y = ?"),
            "SELECT 'why?', \"odd?name\", 'it''s ?' FROM t WHERE x = $1 -- what?\n AND y = $2"
        );
        assert_eq!(pg("SELECT 'é?' || ?"), "SELECT 'é?' || $1");
    }

    #[test]
    fn migrations_widen_integers_to_64_bits_and_nothing_else() {
        let pg = |sql| Dialect::Postgres.migration(sql).into_owned();
        assert_eq!(
            pg(
                "CREATE TABLE t (at INTEGER NOT NULL, integers_seen integer, note TEXT DEFAULT 'INTEGER')"
            ),
            "CREATE TABLE t (at BIGINT NOT NULL, integers_seen BIGINT, note TEXT DEFAULT 'INTEGER')"
        );
    }

    #[test]
    fn search_terms_are_quoted_prefixes_all_required() {
        let tokens = |words: &[&str]| words.iter().map(|w| (*w).to_owned()).collect::<Vec<_>>();
        assert_eq!(Dialect::Sqlite.search_terms(&[]), None);
        assert_eq!(Dialect::Postgres.search_terms(&[]), None);
        assert_eq!(
            Dialect::Sqlite
                .search_terms(&tokens(&["chemi", "lin"]))
                .as_deref(),
            Some("\"chemi\"* AND \"lin\"*")
        );
        assert_eq!(
            Dialect::Postgres
                .search_terms(&tokens(&["chemi", "lin"]))
                .as_deref(),
            Some("'chemi':* & 'lin':*")
        );
        // Not produced by the tokenizer, but harmless if ever given.
        assert_eq!(
            Dialect::Sqlite.search_terms(&tokens(&["a\"b"])).as_deref(),
            Some("\"a\"\"b\"*")
        );
        assert_eq!(
            Dialect::Postgres
                .search_terms(&tokens(&["a'b\\"]))
                .as_deref(),
            Some("'a''b\\\\':*")
        );
    }

    #[test]
    fn each_language_is_a_range_of_sqlite_search_rowids() {
        assert_eq!(search_rowid(Lang::Fr, 7), 7);
        assert_eq!(search_rowid(Lang::En, 7), (1 << 32) + 7);
        let (from, condition) = Dialect::Sqlite.product_search(Lang::En);
        assert!(
            from.ends_with("p.search_key = s.rowid - 4294967296"),
            "{from}"
        );
        assert!(
            condition.ends_with("s.rowid BETWEEN 4294967296 AND 8589934591"),
            "{condition}"
        );
        let insert = Dialect::Sqlite.insert_search_rows("(?1, ?2, ?3)");
        assert!(
            insert.contains("CASE v.column2 WHEN 'fr' THEN 0 WHEN 'en' THEN 4294967296 END"),
            "{insert}"
        );
    }

    #[test]
    fn the_lock_statement_names_the_lock_key() {
        assert_eq!(
            Dialect::Postgres.begin()[1],
            format!("SELECT pg_advisory_xact_lock({WRITE_LOCK_KEY})")
        );
    }
}
