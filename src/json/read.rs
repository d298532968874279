//! Reading a JSON form: the error that names the JSON path of the offending
//! value, the path helpers, [`from_json`], [`Names`] (how principal names,
//! SDDL aliases and `S-1-…` strings become SIDs, MS-DTYP 2.4.2 and 2.5.1.1),
//! and the string-or-object form every spec shares.

use crate::ids::sid::Sid;
use indexmap::IndexMap;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};
use std::fmt;
use std::marker::PhantomData;

/// A JSON form that could not be read or resolved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}", if path.is_empty() { String::new() } else { format!("{path}: ") })]
pub struct SpecError {
    /// The JSON path of the offending value (`token.groups[2]`), or the
    /// root name when the whole text is at fault.
    pub path: String,
    /// What is wrong.
    pub message: String,
}

impl SpecError {
    /// An error at `path`.
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> SpecError {
        SpecError {
            path: path.into(),
            message: message.into(),
        }
    }
}

/// `base.key`, or `key` at the root.
pub fn field(base: &str, key: &str) -> String {
    if base.is_empty() {
        return key.to_string();
    }
    // Pieces pushed into one allocation: paths are written for every step.
    let mut s = String::with_capacity(base.len() + 1 + key.len());
    s.push_str(base);
    s.push('.');
    s.push_str(key);
    s
}

/// Reads a field that is there, so that `null` is `Some(None)` while a
/// field left out (with `#[serde(default)]`) stays `None`.
pub fn present<'de, D: serde::Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<T>, D::Error> {
    T::deserialize(d).map(Some)
}

/// `base[i]`.
pub fn index(base: &str, i: usize) -> String {
    // The digits are written without the formatting machinery: a path is
    // written for every step.
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut n = i;
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let mut s = String::with_capacity(base.len() + 2 + digits.len() - at);
    s.push_str(base);
    s.push('[');
    s.extend(digits[at..].iter().map(|&d| char::from(d)));
    s.push(']');
    s
}

/// Reads `text` as JSON of type `T`. Errors carry the JSON path below
/// `root` (via `serde_path_to_error`) and, for syntax errors, the line and
/// column.
pub fn from_json<'a, T: Deserialize<'a>>(text: &'a str, root: &str) -> Result<T, SpecError> {
    // The fast path: most input is well formed.
    if let Ok(v) = serde_json::from_str(text) {
        return Ok(v);
    }
    let mut de = serde_json::Deserializer::from_str(text);
    match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Ok(v) => Ok(v),
        Err(e) => {
            let inner = e.path().to_string();
            let path = if inner == "." || inner.is_empty() {
                root.to_string()
            } else if root.is_empty() {
                inner
            } else if inner.starts_with('[') {
                format!("{root}{inner}")
            } else {
                format!("{root}.{inner}")
            };
            let inner = e.into_inner();
            let msg = if inner.is_syntax() || inner.is_eof() {
                format!("invalid JSON: {inner}")
            } else {
                inner.to_string()
            };
            Err(SpecError::new(path, msg))
        }
    }
}

/// How names become SIDs: friendly principal names first, then SDDL aliases
/// and `S-1-…` strings, domain-relative aliases against `domain`.
#[derive(Clone, Debug, Default)]
pub struct Names {
    /// The domain SID for aliases such as `DA` and `DU`.
    pub domain: Option<Sid>,
    /// Friendly names (`alice`, `file-server`) for SIDs.
    pub principals: IndexMap<String, Sid>,
}

impl Names {
    /// Names with a domain and no principals.
    pub fn with_domain(domain: Option<Sid>) -> Names {
        Names {
            domain,
            principals: IndexMap::new(),
        }
    }

    /// Resolves a SID written as a principal name, an SDDL alias or a SID
    /// string.
    pub fn sid(&self, text: &str, path: &str) -> Result<Sid, SpecError> {
        if let Some(s) = self.principals.get(text) {
            return Ok(*s);
        }
        Sid::parse_sddl(text.trim(), self.domain.as_ref()).map_err(|e| {
            let hint = if self.principals.is_empty() {
                String::new()
            } else {
                " (nor a principal name)".to_string()
            };
            SpecError::new(path, format!("`{text}` is not a SID or alias{hint}: {e}"))
        })
    }
}

/// A string, or an object of type `T`.
#[derive(Clone, Debug, PartialEq)]
pub enum StrOr<T> {
    /// The short form.
    Str(String),
    /// The full form.
    Full(T),
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for StrOr<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = StrOr<T>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string or an object")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<StrOr<T>, E> {
                Ok(StrOr::Str(v.to_owned()))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<StrOr<T>, A::Error> {
                T::deserialize(de::value::MapAccessDeserializer::new(map)).map(StrOr::Full)
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `index` and `field` write what `format!` would: `base[i]` for every
    /// number of digits, `base.key`, and `key` at the root.
    #[test]
    fn paths_are_written_as_format_would() {
        for i in [0, 7, 10, 99, 12_345, usize::MAX] {
            assert_eq!(index("steps", i), format!("steps[{i}]"));
        }
        assert_eq!(index("", 3), "[3]");
        assert_eq!(field("steps[2]", "expect"), "steps[2].expect");
        assert_eq!(field("", "expect"), "expect");
    }

    #[test]
    fn principals_resolve_before_aliases() {
        let mut names = Names::default();
        names
            .principals
            .insert("alice".into(), "S-1-5-21-1-2-3-1001".parse().unwrap());
        assert_eq!(
            names.sid("alice", "x").unwrap().to_string(),
            "S-1-5-21-1-2-3-1001"
        );
        assert_eq!(names.sid("BA", "x").unwrap().to_string(), "S-1-5-32-544");
        assert!(names
            .sid("bob", "x")
            .unwrap_err()
            .message
            .contains("nor a principal name"));
    }
}
