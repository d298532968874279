//! Bit sets in JSON: access masks (MS-DTYP 2.4.3), group attributes
//! (MS-DTYP 2.5.2, `SE_GROUP_*`), mandatory label policies (MS-DTYP
//! 2.4.4.13) and claim flags (MS-DTYP 2.4.10.1), written as names, numbers
//! or lists of either.

use super::read::SpecError;
use crate::descriptor::claims;
use crate::ids::mask::AccessMask;
use crate::ids::right_names;
use crate::token::{GroupAttributes, MandatoryPolicy};
use serde::de::{self, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer};
use std::fmt;

/// One item of a bit-set form: a name (`READ_CONTROL`, `enabled`) or a
/// number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BitsItem {
    /// A name, or several joined with `|`, or a number written as text.
    Text(String),
    /// A number.
    Number(u64),
}

/// A bit set written as a string (`"READ_CONTROL|0x1"`), a number, or a
/// list of either.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Bits(pub Vec<BitsItem>);

impl<'de> Deserialize<'de> for Bits {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Bits;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string of names joined by `|`, a number, or a list of them")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Bits, E> {
                Ok(Bits(vec![BitsItem::Text(v.to_owned())]))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Bits, E> {
                Ok(Bits(vec![BitsItem::Number(v)]))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Bits, E> {
                u64::try_from(v)
                    .map(|v| Bits(vec![BitsItem::Number(v)]))
                    .map_err(|_| E::custom(format!("`{v}` is negative")))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Bits, A::Error> {
                let mut items = Vec::new();
                while let Some(b) = seq.next_element::<Bits>()? {
                    items.extend(b.0);
                }
                Ok(Bits(items))
            }
        }
        d.deserialize_any(V)
    }
}

impl Bits {
    /// The names and numbers, each `|`-separated part on its own.
    fn parts(&self) -> impl Iterator<Item = Part<'_>> {
        // Without a list per item: a number is one part, a text its
        // `|`-separated names.
        self.0.iter().flat_map(|i| {
            let (number, text) = match i {
                BitsItem::Number(n) => (Some(Part::Number(*n)), None),
                BitsItem::Text(t) => (None, Some(t.split('|').map(|p| Part::Name(p.trim())))),
            };
            number.into_iter().chain(text.into_iter().flatten())
        })
    }

    /// Resolves as an access mask: numbers, right names (`FILE_READ_DATA`,
    /// `GENERIC_READ`, …) and SDDL codes (`FR`, `RC`, …).
    pub fn mask(&self, path: &str) -> Result<AccessMask, SpecError> {
        let mut m = 0u32;
        for p in self.parts() {
            m |= match p {
                Part::Number(n) => u32::try_from(n).map_err(|_| {
                    SpecError::new(path, format!("access mask `{n}` does not fit in 32 bits"))
                })?,
                Part::Name(name) => {
                    right_names::parse_right(name)
                        .map_err(|e| SpecError::new(path, e.to_string()))?
                        .0
                }
            };
        }
        Ok(AccessMask(m))
    }

    /// Resolves as group attributes (`mandatory`, `enabled`, `deny_only`,
    /// `owner`, … or numbers).
    pub fn group_attributes(&self, path: &str) -> Result<GroupAttributes, SpecError> {
        let mut a = 0u32;
        for p in self.parts() {
            a |= match p {
                Part::Number(n) => u32::try_from(n).map_err(|_| {
                    SpecError::new(path, format!("attributes `{n}` do not fit in 32 bits"))
                })?,
                Part::Name(name) => match GroupAttributes::from_name(name) {
                    Some(v) => v.0,
                    None => match parse_number(name) {
                        Some(v) => v,
                        None => {
                            let known: Vec<&str> =
                                GroupAttributes::NAMES.iter().map(|(n, _)| *n).collect();
                            return Err(SpecError::new(
                                path,
                                format!(
                                    "unknown group attribute `{name}`; expected one of {}",
                                    known.join(", ")
                                ),
                            ));
                        }
                    },
                },
            };
        }
        Ok(GroupAttributes(a))
    }

    /// Resolves as a mandatory policy (`NO_WRITE_UP`, `NEW_PROCESS_MIN`,
    /// `off`, or a number).
    pub fn mandatory_policy(&self, path: &str) -> Result<MandatoryPolicy, SpecError> {
        let mut v = 0u32;
        for p in self.parts() {
            v |= match p {
                Part::Number(n) if n <= 3 => n as u32,
                Part::Number(n) => {
                    return Err(SpecError::new(
                        path,
                        format!("mandatory policy `{n}` is not 0 to 3"),
                    ))
                }
                Part::Name(name) => {
                    let upper = name.to_ascii_uppercase();
                    let upper = upper.trim_start_matches("TOKEN_MANDATORY_POLICY_");
                    match upper {
                        "NO_WRITE_UP" => 1,
                        "NEW_PROCESS_MIN" => 2,
                        "VALID_MASK" | "DEFAULT" => 3,
                        "OFF" | "" => 0,
                        _ => {
                            return Err(SpecError::new(
                                path,
                                format!("unknown mandatory policy `{name}`; expected NO_WRITE_UP, NEW_PROCESS_MIN or off"),
                            ))
                        }
                    }
                }
            };
        }
        Ok(MandatoryPolicy(v))
    }

    /// Resolves as claim flags (`case_sensitive`, `deny_only`, `disabled`,
    /// `disabled_by_default`, `mandatory`, `non_inheritable`, or numbers).
    pub fn claim_flags(&self, path: &str) -> Result<u32, SpecError> {
        let mut v = 0u32;
        for p in self.parts() {
            v |= match p {
                Part::Number(n) => u32::try_from(n).map_err(|_| {
                    SpecError::new(path, format!("flags `{n}` do not fit in 32 bits"))
                })?,
                Part::Name(name) => match name.to_ascii_lowercase().as_str() {
                    "non_inheritable" => claims::FLAG_NON_INHERITABLE,
                    "case_sensitive" => claims::FLAG_CASE_SENSITIVE,
                    "deny_only" | "use_for_deny_only" => claims::FLAG_USE_FOR_DENY_ONLY,
                    "disabled_by_default" => claims::FLAG_DISABLED_BY_DEFAULT,
                    "disabled" => claims::FLAG_DISABLED,
                    "mandatory" => claims::FLAG_MANDATORY,
                    _ => parse_number(name).ok_or_else(|| {
                        SpecError::new(path, format!("unknown claim flag `{name}`"))
                    })?,
                },
            };
        }
        Ok(v)
    }
}

enum Part<'a> {
    Name(&'a str),
    Number(u64),
}

/// A number written as decimal or `0x` hex text.
fn parse_number(text: &str) -> Option<u32> {
    let t = text.trim();
    if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        u32::from_str_radix(h, 16).ok()
    } else if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        t.parse().ok()
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_in_every_form() {
        let b: Bits = serde_json::from_str(r#"["READ_CONTROL|0x1", 2, "FR"]"#).unwrap();
        assert_eq!(
            b.mask("desired").unwrap().0,
            0x2_0000 | 0x1 | 0x2 | 0x12_0089
        );
        let b: Bits = serde_json::from_str(r#""0x120089""#).unwrap();
        assert_eq!(b.mask("desired").unwrap().0, 0x12_0089);
        let b: Bits = serde_json::from_str(r#"4294967296"#).unwrap();
        assert!(b.mask("desired").unwrap_err().message.contains("32 bits"));
        let b: Bits = serde_json::from_str(r#""FILE_READ_DATTA""#).unwrap();
        assert_eq!(
            b.mask("desired").unwrap_err().to_string(),
            "desired: unknown access right `FILE_READ_DATTA`"
        );
    }
}
