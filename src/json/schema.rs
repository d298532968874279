//! Building blocks of the JSON Schema (draft 2020-12) that the JSON forms
//! and the fixture types generate: patterns for the closed vocabularies,
//! which accept exactly the spellings the readers accept, and the schemas of
//! the forms whose reader is written by hand ([`Bits`], [`StrOr`]).
//!
//! Patterns are written for both ECMA-262 (what the JSON Schema text says)
//! and Python's `re` (what common validators run): no flags, no `\Z`, and
//! `$(?!\n)` so that a trailing newline is not taken for the end.

use super::mask::Bits;
use super::read::StrOr;
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use std::borrow::Cow;

/// A regex matching `word` in any ASCII case: `Low` → `[Ll][Oo][Ww]`.
/// Characters that are not letters are escaped.
pub fn any_case(word: &str) -> String {
    let mut out = String::with_capacity(word.len() * 4);
    for c in word.chars() {
        if c.is_ascii_alphabetic() {
            out.push('[');
            out.push(c.to_ascii_uppercase());
            out.push(c.to_ascii_lowercase());
            out.push(']');
        } else {
            if "\\^$.|?*+()[]{}-/".contains(c) {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

/// An anchored pattern for one of `alternatives` (already regexes); with
/// `trimmed`, whitespace around the value is allowed, as readers that trim
/// allow it.
pub fn anchored(alternatives: impl IntoIterator<Item = String>, trimmed: bool) -> String {
    let core: Vec<String> = alternatives.into_iter().collect();
    let ws = if trimmed { r"\s*" } else { "" };
    format!("^{ws}(?:{}){ws}$(?!\\n)", core.join("|"))
}

/// A string schema with a pattern and a description.
pub fn string_pattern(description: &str, pattern: String) -> Schema {
    json_schema!({
        "type": "string",
        "description": description,
        "pattern": pattern,
    })
}

impl JsonSchema for Bits {
    fn schema_name() -> Cow<'static, str> {
        "Bits".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let this = generator.subschema_for::<Bits>();
        json_schema!({
            "description": "A bit set: names joined by `|` (`READ_CONTROL|FILE_READ_DATA`, SDDL codes such as `FR`), a number as text (`0x120089`), a non-negative integer, or a list of these. Names are resolved when the fixture runs.",
            "anyOf": [
                {"type": "string"},
                {"type": "integer", "minimum": 0},
                {"type": "array", "items": this},
            ],
        })
    }
}

impl<T: JsonSchema> JsonSchema for StrOr<T> {
    fn schema_name() -> Cow<'static, str> {
        format!("StrOr_{}", T::schema_name()).into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let full = generator.subschema_for::<T>();
        json_schema!({
            "anyOf": [{"type": "string"}, full],
        })
    }
}
