//! OpenAPI schemas of the newtypes whose wire type is a plain string or
//! number (feature `openapi`): the wire type with the bounds and pattern of
//! the newtype's `parse`, so the published document promises what the
//! functions accept and every value they answer matches it.
//!
//! Patterns are written for the three regex dialects that read them
//! (ECMA-262 per JSON Schema, Python's `re` in Schemathesis, Rust's `regex`
//! in validators): plain classes, `\uXXXX` escapes, no look-around. When a
//! rule cannot be written as a pattern cheaply (text must show something
//! visible), the pattern is a little wider than the rule and the
//! description says the rest.

use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::{KnownFormat, RefOr};

/// One line of typed text ([`crate::text::Lines::One`]): no control
/// characters, no bidirectional controls, no Unicode line separators.
pub(crate) const ONE_LINE: &str = r"^[^\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$";

/// Typed text over several lines ([`crate::text::Lines::Many`]): the same,
/// with line breaks and tabs allowed.
pub(crate) const MANY_LINES: &str =
    r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$";

/// A string's rule.
pub(crate) struct Str {
    /// ECMA-262 pattern, anchored; empty for none.
    pub pattern: &'static str,
    /// Fewest characters.
    pub min: Option<usize>,
    /// Most characters.
    pub max: Option<usize>,
    /// A value the functions accept.
    pub example: &'static str,
}

/// Typed text of `min..=max` characters (`many` lines or one).
pub(crate) const fn text(min: usize, max: usize, many: bool, example: &'static str) -> Str {
    Str {
        pattern: if many { MANY_LINES } else { ONE_LINE },
        min: if min == 0 { None } else { Some(min) },
        max: Some(max),
        example,
    }
}

/// The description of a type from its doc comment lines.
pub(crate) fn description(doc: &[&str]) -> String {
    doc.iter()
        .map(|line| line.trim())
        .collect::<Vec<_>>()
        .join(" ")
        .trim()
        .to_owned()
}

/// A string schema.
pub(crate) fn string(doc: &[&str], rule: Str) -> RefOr<Schema> {
    let mut description = description(doc);
    if rule.pattern == ONE_LINE || rule.pattern == MANY_LINES {
        description.push_str(
            " Trimmed before it is checked; it must show something visible, without control \
             or direction-changing characters.",
        );
    }
    ObjectBuilder::new()
        .schema_type(Type::String)
        .description(Some(description))
        .pattern((!rule.pattern.is_empty()).then_some(rule.pattern))
        .min_length(rule.min)
        .max_length(rule.max)
        .examples([rule.example])
        .into()
}

/// An integer schema of `min..=max`.
pub(crate) fn integer(doc: &[&str], min: i64, max: i64, example: i64) -> RefOr<Schema> {
    let format = if i32::try_from(min).is_ok() && i32::try_from(max).is_ok() {
        KnownFormat::Int32
    } else {
        KnownFormat::Int64
    };
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .format(Some(SchemaFormat::KnownFormat(format)))
        .description(Some(description(doc)))
        .minimum(Some(min))
        .maximum(Some(max))
        .examples([example])
        .into()
}
