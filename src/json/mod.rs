//! The JSON forms of tokens, descriptors, access masks, generic mappings,
//! claims and object-type lists, shared by `secctx check` and the fixtures.
//!
//! Reading is in two steps. Serde reads the structure (unknown fields are
//! errors); then each form is *resolved* against [`Names`] (the domain SID
//! and friendly principal names), which turns strings into SIDs, rights and
//! levels. Every error names the JSON path of the offending value, e.g.
//! `token.groups[2].attributes: unknown group attribute \`enabeld\``.

use crate::descriptor::acl::Acl;
use crate::descriptor::claims::{self, ClaimAttribute, ClaimValues};
use crate::descriptor::sd::SecurityDescriptor;
use crate::eval::access::ObjectTypeNode;
use crate::ids::guid::Guid;
use crate::ids::mask::{self, AccessMask, GenericMapping, ObjectKind};
use crate::ids::privilege::Privilege;
use crate::ids::sid::Sid;
use crate::token::{
    GroupAttributes, ImpersonationLevel, IntegrityLevel, MandatoryPolicy, Token, TokenGroup,
    TokenPrivilege, TokenType,
};
use indexmap::IndexMap;
use serde::de::{self, MapAccess, SeqAccess, Visitor};
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
        key.to_string()
    } else {
        format!("{base}.{key}")
    }
}

/// `base[i]`.
pub fn index(base: &str, i: usize) -> String {
    format!("{base}[{i}]")
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
        self.0.iter().flat_map(|i| match i {
            BitsItem::Number(n) => vec![Part::Number(*n)],
            BitsItem::Text(t) => t.split('|').map(|p| Part::Name(p.trim())).collect(),
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
                    mask::parse_right(name)
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

/// A group (or user, restricting SID, capability, device group): a SID
/// string, or `{"sid": …, "attributes": …}`.
pub type GroupSpec = StrOr<GroupFull>;

/// The full form of a [`GroupSpec`].
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupFull {
    /// The SID, alias or principal name.
    pub sid: String,
    /// The attributes; default mandatory, enabled by default and enabled.
    #[serde(default)]
    pub attributes: Option<Bits>,
}

impl GroupSpec {
    /// Resolves to a SID and attributes (default: mandatory, enabled by
    /// default, enabled).
    pub fn resolve(&self, names: &Names, path: &str) -> Result<TokenGroup, SpecError> {
        self.resolve_with(names, path, GroupAttributes::DEFAULT)
    }

    fn resolve_with(
        &self,
        names: &Names,
        path: &str,
        default: GroupAttributes,
    ) -> Result<TokenGroup, SpecError> {
        match self {
            StrOr::Str(s) => Ok(TokenGroup::with_attributes(names.sid(s, path)?, default)),
            StrOr::Full(g) => {
                let sid = names.sid(&g.sid, &field(path, "sid"))?;
                let attributes = match &g.attributes {
                    Some(b) => b.group_attributes(&field(path, "attributes"))?,
                    None => default,
                };
                Ok(TokenGroup::with_attributes(sid, attributes))
            }
        }
    }

    fn sid_text(&self) -> &str {
        match self {
            StrOr::Str(s) => s,
            StrOr::Full(g) => &g.sid,
        }
    }
}

/// A privilege: its name (enabled), or `{"name": …, "enabled": false}`.
pub type PrivilegeSpec = StrOr<PrivilegeFull>;

/// The full form of a [`PrivilegeSpec`].
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrivilegeFull {
    /// `SeBackupPrivilege`, `Backup`, … (any case).
    pub name: String,
    /// Whether it is enabled (default true).
    #[serde(default = "yes")]
    pub enabled: bool,
}

fn yes() -> bool {
    true
}

impl PrivilegeSpec {
    /// Resolves to a privilege and its state.
    pub fn resolve(&self, path: &str) -> Result<TokenPrivilege, SpecError> {
        let (name, enabled, at) = match self {
            StrOr::Str(s) => (s.as_str(), true, path.to_string()),
            StrOr::Full(p) => (p.name.as_str(), p.enabled, field(path, "name")),
        };
        let privilege = Privilege::from_name(name)
            .ok_or_else(|| SpecError::new(at, format!("unknown privilege `{name}`")))?;
        Ok(TokenPrivilege {
            privilege,
            enabled,
            enabled_by_default: enabled,
        })
    }
}

/// A claim: the SDDL form `("Dept",TS,0x0,"Sales")`, or
/// `{"name", "type"?, "values" | "value", "flags"?, "case_sensitive"?}`.
pub type ClaimSpec = StrOr<ClaimFull>;

/// The full form of a [`ClaimSpec`].
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimFull {
    /// The claim name.
    pub name: String,
    /// `int64`, `uint64`, `string`, `sid`, `boolean` or `octet` (or the
    /// SDDL letters `TI`, `TU`, `TS`, `TD`, `TB`, `TX`); inferred from the
    /// values when absent.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// The values.
    #[serde(default)]
    pub values: Option<Vec<serde_json::Value>>,
    /// A single value.
    #[serde(default)]
    pub value: Option<serde_json::Value>,
    /// `CLAIM_SECURITY_ATTRIBUTE_*` flags.
    #[serde(default)]
    pub flags: Option<Bits>,
    /// Shorthand for the case-sensitive flag.
    #[serde(default)]
    pub case_sensitive: bool,
}

impl ClaimSpec {
    /// Resolves to a claim attribute.
    pub fn resolve(&self, names: &Names, path: &str) -> Result<ClaimAttribute, SpecError> {
        match self {
            StrOr::Str(s) => {
                let (c, used) = ClaimAttribute::parse_sddl(s.as_bytes(), 0, names.domain.as_ref())
                    .map_err(|e| SpecError::new(path, format!("claim `{s}`: {e}")))?;
                if s[used..].trim().is_empty() {
                    Ok(c)
                } else {
                    Err(SpecError::new(
                        path,
                        format!("unexpected text after the claim at offset {used}"),
                    ))
                }
            }
            StrOr::Full(c) => c.resolve(names, path),
        }
    }
}

impl ClaimFull {
    fn resolve(&self, names: &Names, path: &str) -> Result<ClaimAttribute, SpecError> {
        let values: Vec<&serde_json::Value> = match (&self.values, &self.value) {
            (Some(_), Some(_)) => {
                return Err(SpecError::new(path, "give `values` or `value`, not both"))
            }
            (Some(v), None) => v.iter().collect(),
            (None, Some(v)) => vec![v],
            (None, None) => return Err(SpecError::new(path, "a claim needs `values` or `value`")),
        };
        if values.is_empty() {
            return Err(SpecError::new(
                field(path, "values"),
                "a claim needs at least one value",
            ));
        }
        let vpath = |i: usize| {
            if self.values.is_some() {
                index(&field(path, "values"), i)
            } else {
                field(path, "value")
            }
        };
        let kind = match &self.kind {
            Some(k) => k.to_ascii_lowercase(),
            None => infer_kind(&values).to_string(),
        };
        let bad = |i: usize, want: &str| {
            SpecError::new(vpath(i), format!("`{}` is not {want}", values[i]))
        };
        let parsed = match kind.as_str() {
            "int64" | "ti" | "int" => ClaimValues::Int64(
                (0..values.len())
                    .map(|i| values[i].as_i64().ok_or_else(|| bad(i, "a signed 64-bit integer")))
                    .collect::<Result<_, _>>()?,
            ),
            "uint64" | "tu" => ClaimValues::Uint64(
                (0..values.len())
                    .map(|i| values[i].as_u64().ok_or_else(|| bad(i, "an unsigned 64-bit integer")))
                    .collect::<Result<_, _>>()?,
            ),
            "string" | "ts" => ClaimValues::String(
                (0..values.len())
                    .map(|i| values[i].as_str().map(str::to_owned).ok_or_else(|| bad(i, "a string")))
                    .collect::<Result<_, _>>()?,
            ),
            "boolean" | "bool" | "tb" => ClaimValues::Boolean(
                (0..values.len())
                    .map(|i| values[i].as_bool().ok_or_else(|| bad(i, "true or false")))
                    .collect::<Result<_, _>>()?,
            ),
            "sid" | "td" => ClaimValues::Sid(
                (0..values.len())
                    .map(|i| {
                        let s = values[i].as_str().ok_or_else(|| bad(i, "a SID string"))?;
                        names.sid(s, &vpath(i))
                    })
                    .collect::<Result<_, _>>()?,
            ),
            "octet" | "octets" | "octet_string" | "tx" => ClaimValues::OctetString(
                (0..values.len())
                    .map(|i| {
                        let s = values[i].as_str().ok_or_else(|| bad(i, "a hex string"))?;
                        crate::descriptor::binary::from_hex(s).map_err(|_| bad(i, "a hex string"))
                    })
                    .collect::<Result<_, _>>()?,
            ),
            other => {
                return Err(SpecError::new(
                    field(path, "type"),
                    format!("unknown claim type `{other}`; expected int64, uint64, string, sid, boolean or octet"),
                ))
            }
        };
        let mut flags = match &self.flags {
            Some(b) => b.claim_flags(&field(path, "flags"))?,
            None => 0,
        };
        if self.case_sensitive {
            flags |= claims::FLAG_CASE_SENSITIVE;
        }
        Ok(ClaimAttribute {
            name: self.name.clone(),
            flags,
            values: parsed,
        })
    }
}

/// The claim type JSON values imply: strings, booleans, integers (unsigned
/// when one does not fit a signed 64-bit integer).
fn infer_kind(values: &[&serde_json::Value]) -> &'static str {
    if values.iter().all(|v| v.is_string()) {
        "string"
    } else if values.iter().all(|v| v.is_boolean()) {
        "boolean"
    } else if values.iter().all(|v| v.is_i64()) {
        "int64"
    } else if values.iter().all(|v| v.is_u64()) {
        "uint64"
    } else {
        "mixed"
    }
}

/// A descriptor: SDDL text, or `{"sddl": …}`, `{"hex": …}` (self-relative
/// bytes) or `{"base64": …}`.
pub type DescriptorSpec = StrOr<DescriptorFull>;

/// The full form of a [`DescriptorSpec`].
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DescriptorFull {
    /// SDDL text.
    #[serde(default)]
    pub sddl: Option<String>,
    /// Self-relative bytes in hex.
    #[serde(default)]
    pub hex: Option<String>,
    /// Self-relative bytes in base64 (as LDAP tools dump
    /// `nTSecurityDescriptor`).
    #[serde(default)]
    pub base64: Option<String>,
}

impl DescriptorSpec {
    /// Resolves to a descriptor.
    pub fn resolve(&self, names: &Names, path: &str) -> Result<SecurityDescriptor, SpecError> {
        let sddl = |text: &str, at: &str| {
            crate::descriptor::sddl::parse(text, names.domain.as_ref())
                .map_err(|e| SpecError::new(at, format!("invalid SDDL: {e}")))
        };
        match self {
            StrOr::Str(s) => sddl(s, path),
            StrOr::Full(d) => match (&d.sddl, &d.hex, &d.base64) {
                (Some(s), None, None) => sddl(s, &field(path, "sddl")),
                (None, Some(h), None) => {
                    let at = field(path, "hex");
                    let bytes = crate::descriptor::binary::from_hex(h)
                        .map_err(|e| SpecError::new(&at, e.to_string()))?;
                    crate::descriptor::binary::decode(&bytes)
                        .map_err(|e| SpecError::new(&at, e.to_string()))
                }
                (None, None, Some(b)) => {
                    let at = field(path, "base64");
                    let bytes = crate::descriptor::binary::from_base64(b)
                        .map_err(|e| SpecError::new(&at, e.to_string()))?;
                    crate::descriptor::binary::decode(&bytes)
                        .map_err(|e| SpecError::new(&at, e.to_string()))
                }
                _ => Err(SpecError::new(
                    path,
                    "give exactly one of `sddl`, `hex` or `base64`",
                )),
            },
        }
    }
}

/// A generic mapping: an object kind (`file`, `directory`, `key`,
/// `process`, `thread`, `token`, `ds`) or `{"read", "write", "execute",
/// "all"}`.
pub type MappingSpec = StrOr<MappingFull>;

/// The explicit form of a [`MappingSpec`].
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MappingFull {
    /// What GENERIC_READ means.
    pub read: Bits,
    /// What GENERIC_WRITE means.
    pub write: Bits,
    /// What GENERIC_EXECUTE means.
    pub execute: Bits,
    /// What GENERIC_ALL means.
    pub all: Bits,
}

impl MappingSpec {
    /// Resolves to a mapping and, for a named kind, the kind.
    pub fn resolve(&self, path: &str) -> Result<(GenericMapping, Option<ObjectKind>), SpecError> {
        match self {
            StrOr::Str(s) => {
                let kind = ObjectKind::from_name(s).ok_or_else(|| {
                    let known: Vec<&str> = ObjectKind::ALL.iter().map(|k| k.name()).collect();
                    SpecError::new(
                        path,
                        format!(
                            "unknown object type `{s}`; expected one of {}",
                            known.join(", ")
                        ),
                    )
                })?;
                Ok((kind.mapping(), Some(kind)))
            }
            StrOr::Full(m) => {
                let one = |b: &Bits, k: &str| -> Result<AccessMask, SpecError> {
                    let at = field(path, k);
                    let v = b.mask(&at)?;
                    if v.has_generic() {
                        return Err(SpecError::new(
                            at,
                            "a generic mapping cannot map to generic rights",
                        ));
                    }
                    Ok(v)
                };
                Ok((
                    GenericMapping {
                        read: one(&m.read, "read")?,
                        write: one(&m.write, "write")?,
                        execute: one(&m.execute, "execute")?,
                        all: one(&m.all, "all")?,
                    },
                    None,
                ))
            }
        }
    }
}

/// One entry of an object-type list.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectTypeSpec {
    /// The level (0 for the root).
    pub level: u16,
    /// The GUID.
    pub guid: String,
}

/// Resolves an object-type list (the tree itself is validated by the
/// access check).
pub fn object_types(list: &[ObjectTypeSpec], path: &str) -> Result<Vec<ObjectTypeNode>, SpecError> {
    list.iter()
        .enumerate()
        .map(|(i, o)| {
            let guid: Guid = o
                .guid
                .parse()
                .map_err(|e| SpecError::new(field(&index(path, i), "guid"), format!("{e}")))?;
            Ok(ObjectTypeNode {
                level: o.level,
                guid,
            })
        })
        .collect()
}

/// A token in JSON. Only `user` is required.
#[derive(Clone, Debug, PartialEq, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct TokenSpec {
    /// The user (a SID, or `{"sid", "attributes": "deny_only"}`).
    pub user: Option<GroupSpec>,
    /// Groups; a SID alone is mandatory, enabled by default and enabled.
    /// An integrity SID (S-1-16-X) given as a group sets the level.
    #[serde(default)]
    pub groups: Vec<GroupSpec>,
    /// Privileges, enabled unless `{"name", "enabled": false}`.
    #[serde(default)]
    pub privileges: Vec<PrivilegeSpec>,
    /// Restricting SIDs.
    #[serde(default)]
    pub restricted_sids: Vec<GroupSpec>,
    /// Whether the restricting SIDs restrict write access only.
    #[serde(default)]
    pub write_restricted: bool,
    /// The integrity level: `untrusted`, `low`, `medium`, `medium_plus`,
    /// `high`, `system`, `protected`, an alias (`LW`, `ME`, `HI`, `SI`) or
    /// an `S-1-16-X` SID. Default medium.
    #[serde(default)]
    pub integrity: Option<String>,
    /// The mandatory policy; default `NO_WRITE_UP|NEW_PROCESS_MIN`.
    #[serde(default)]
    pub mandatory_policy: Option<Bits>,
    /// The default owner of new objects; default the user.
    #[serde(default)]
    pub owner: Option<String>,
    /// The default primary group of new objects; default the user.
    #[serde(default)]
    pub primary_group: Option<String>,
    /// The default DACL as SDDL (`D:(A;;GA;;;SY)…`).
    #[serde(default)]
    pub default_dacl: Option<String>,
    /// `primary` or `impersonation`.
    #[serde(default, rename = "type")]
    pub token_type: Option<String>,
    /// `anonymous`, `identification`, `impersonation` or `delegation`.
    #[serde(default)]
    pub impersonation_level: Option<String>,
    /// User claims.
    #[serde(default)]
    pub user_claims: Vec<ClaimSpec>,
    /// Device claims.
    #[serde(default)]
    pub device_claims: Vec<ClaimSpec>,
    /// Local claims.
    #[serde(default)]
    pub local_claims: Vec<ClaimSpec>,
    /// The device's groups.
    #[serde(default)]
    pub device_groups: Vec<GroupSpec>,
    /// The AppContainer package SID.
    #[serde(default)]
    pub app_container: Option<String>,
    /// AppContainer capabilities.
    #[serde(default)]
    pub capabilities: Vec<GroupSpec>,
    /// A less-privileged AppContainer.
    #[serde(default)]
    pub less_privileged_app_container: bool,
    /// The process trust level (`S-1-19-T-L`).
    #[serde(default)]
    pub trust_level: Option<String>,
    /// The logon session (authentication id).
    #[serde(default)]
    pub logon_id: Option<u64>,
    /// The session id.
    #[serde(default)]
    pub session_id: Option<u32>,
}

impl TokenSpec {
    /// Resolves to a [`Token`]. Defaults: a primary token at Medium
    /// integrity, owner and primary group the user.
    pub fn resolve(&self, names: &Names, path: &str) -> Result<Token, SpecError> {
        let user_spec = self
            .user
            .as_ref()
            .ok_or_else(|| SpecError::new(field(path, "user"), "a token needs a `user`"))?;
        let user = user_spec.resolve_with(names, &field(path, "user"), GroupAttributes(0))?;
        let mut t = Token::new(user.sid);
        t.user = user;
        let mut integrity_group = None;
        for (i, g) in self.groups.iter().enumerate() {
            let at = index(&field(path, "groups"), i);
            let sid = names.sid(g.sid_text(), &at)?;
            if let Some(level) = IntegrityLevel::from_sid(&sid) {
                // Windows lists the integrity SID among the groups with
                // SE_GROUP_INTEGRITY | SE_GROUP_INTEGRITY_ENABLED; it
                // matches no ACE.
                integrity_group = Some(level);
                let default = GroupAttributes::INTEGRITY.with(GroupAttributes::INTEGRITY_ENABLED);
                t.groups.push(g.resolve_with(names, &at, default)?);
                continue;
            }
            t.groups.push(g.resolve(names, &at)?);
        }
        for (i, p) in self.privileges.iter().enumerate() {
            let tp = p.resolve(&index(&field(path, "privileges"), i))?;
            t.privileges.retain(|x| x.privilege != tp.privilege);
            t.privileges.push(tp);
        }
        t.restricted_sids = groups(
            &self.restricted_sids,
            names,
            &field(path, "restricted_sids"),
        )?;
        t.write_restricted = self.write_restricted;
        if self.write_restricted && t.restricted_sids.is_empty() {
            return Err(SpecError::new(
                field(path, "write_restricted"),
                "a write-restricted token needs `restricted_sids`",
            ));
        }
        t.integrity = match &self.integrity {
            Some(s) => IntegrityLevel::from_name(s).ok_or_else(|| {
                SpecError::new(
                    field(path, "integrity"),
                    format!("unknown integrity level `{s}`; expected untrusted, low, medium, medium_plus, high, system, protected or an S-1-16-X SID"),
                )
            })?,
            None => integrity_group.unwrap_or(IntegrityLevel::MEDIUM),
        };
        if let Some(p) = &self.mandatory_policy {
            t.mandatory_policy = p.mandatory_policy(&field(path, "mandatory_policy"))?;
        }
        if let Some(o) = &self.owner {
            t.owner = names.sid(o, &field(path, "owner"))?;
        }
        if let Some(g) = &self.primary_group {
            t.primary_group = names.sid(g, &field(path, "primary_group"))?;
        }
        if let Some(d) = &self.default_dacl {
            t.default_dacl = Some(acl_from_sddl(d, names, &field(path, "default_dacl"))?);
        }
        if let Some(k) = &self.token_type {
            t.token_type = match k.to_ascii_lowercase().as_str() {
                "primary" => TokenType::Primary,
                "impersonation" => TokenType::Impersonation,
                _ => {
                    return Err(SpecError::new(
                        field(path, "type"),
                        format!("unknown token type `{k}`; expected primary or impersonation"),
                    ))
                }
            };
        }
        if let Some(l) = &self.impersonation_level {
            t.impersonation_level = ImpersonationLevel::from_name(l).ok_or_else(|| {
                SpecError::new(
                    field(path, "impersonation_level"),
                    format!("unknown impersonation level `{l}`; expected anonymous, identification, impersonation or delegation"),
                )
            })?;
        }
        let claims = |list: &[ClaimSpec], key: &str| -> Result<Vec<ClaimAttribute>, SpecError> {
            list.iter()
                .enumerate()
                .map(|(i, c)| c.resolve(names, &index(&field(path, key), i)))
                .collect()
        };
        t.user_claims = claims(&self.user_claims, "user_claims")?;
        t.device_claims = claims(&self.device_claims, "device_claims")?;
        t.local_claims = claims(&self.local_claims, "local_claims")?;
        t.device_groups = groups(&self.device_groups, names, &field(path, "device_groups"))?;
        if let Some(a) = &self.app_container {
            t.app_container = Some(names.sid(a, &field(path, "app_container"))?);
        }
        t.capabilities = groups(&self.capabilities, names, &field(path, "capabilities"))?;
        t.less_privileged_app_container = self.less_privileged_app_container;
        if let Some(l) = &self.trust_level {
            t.trust_level = Some(names.sid(l, &field(path, "trust_level"))?);
        }
        if let Some(l) = self.logon_id {
            t.logon_id = l;
        }
        if let Some(s) = self.session_id {
            t.session_id = s;
        }
        Ok(t)
    }
}

fn groups(list: &[GroupSpec], names: &Names, path: &str) -> Result<Vec<TokenGroup>, SpecError> {
    list.iter()
        .enumerate()
        .map(|(i, g)| g.resolve(names, &index(path, i)))
        .collect()
}

/// Reads an ACL written as SDDL, with or without the `D:` prefix.
pub fn acl_from_sddl(text: &str, names: &Names, path: &str) -> Result<Acl, SpecError> {
    let t = text.trim();
    let full = if t.starts_with("D:") {
        t.to_string()
    } else {
        format!("D:{t}")
    };
    let sd = crate::descriptor::sddl::parse(&full, names.domain.as_ref())
        .map_err(|e| SpecError::new(path, format!("invalid ACL: {e}")))?;
    Ok(sd.dacl.unwrap_or_else(Acl::empty))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(json: &str) -> Result<Token, SpecError> {
        let spec: TokenSpec = from_json(json, "token")?;
        spec.resolve(&Names::default(), "token")
    }

    #[test]
    fn a_full_token() {
        let t = token(
            r#"{"user": "S-1-5-21-1-2-3-1001",
                "groups": ["WD", {"sid": "BA", "attributes": "deny_only"}, {"sid": "BU", "attributes": ["mandatory"]}, "HI"],
                "privileges": ["SeBackupPrivilege", {"name": "restore", "enabled": false}],
                "restricted_sids": ["WD"], "write_restricted": true,
                "mandatory_policy": "NO_WRITE_UP",
                "user_claims": [{"name": "Dept", "values": ["Sales"]}, "(\"Level\",TI,0x0,3)"],
                "device_groups": ["BU"],
                "type": "impersonation", "impersonation_level": "identification"}"#,
        )
        .unwrap();
        assert_eq!(t.groups.len(), 4);
        assert!(t.groups[1].is_deny_only());
        assert!(!t.groups[2].is_enabled());
        assert_eq!(
            t.integrity,
            IntegrityLevel::HIGH,
            "an integrity group sets the level"
        );
        assert!(
            !t.groups[3].matches_allow(),
            "the integrity group matches no ACE"
        );
        assert!(t.has_privilege(Privilege::Backup));
        assert!(!t.has_privilege(Privilege::Restore));
        assert!(t.write_restricted && t.is_restricted());
        assert_eq!(t.mandatory_policy, MandatoryPolicy::NO_WRITE_UP);
        assert_eq!(
            t.user_claims[0].values,
            ClaimValues::String(vec!["Sales".into()])
        );
        assert_eq!(t.user_claims[1].values, ClaimValues::Int64(vec![3]));
        assert_eq!(t.token_type, TokenType::Impersonation);
        assert_eq!(t.impersonation_level, ImpersonationLevel::Identification);
    }

    #[test]
    fn errors_name_the_json_path() {
        let cases = [
            (
                r#"{"user": "WD", "groups": ["WD", "S-1-x"]}"#,
                "token.groups[1]",
            ),
            (
                r#"{"user": "WD", "groups": [{"sid": "BA", "attributes": "enabeld"}]}"#,
                "token.groups[0].attributes",
            ),
            (
                r#"{"user": "WD", "privileges": ["SeFooPrivilege"]}"#,
                "token.privileges[0]",
            ),
            (
                r#"{"user": "WD", "integrity": "lowish"}"#,
                "token.integrity",
            ),
            (
                r#"{"user": "WD", "groups": [{"sid": "BA", "atributes": "enabled"}]}"#,
                "token.groups[0].atributes",
            ),
            (r#"{"user": "WD", "colour": 1}"#, "token.colour"),
            (r#"{"groups": []}"#, "token.user"),
            (
                r#"{"user": "WD", "user_claims": [{"name": "x", "values": [1, "a"]}]}"#,
                "token.user_claims[0].type",
            ),
            (
                r#"{"user": "WD", "user_claims": [{"name": "x", "type": "int64", "values": [1, "a"]}]}"#,
                "token.user_claims[0].values[1]",
            ),
        ];
        for (json, path) in cases {
            let e = token(json).unwrap_err();
            assert_eq!(e.path, path, "{json}: {e}");
        }
        let e = token(r#"{"user": "WD", "groups": [{"sid": "BA", "atributes": "enabled"}]}"#)
            .unwrap_err();
        assert!(e.message.contains("unknown field `atributes`"), "{e}");
        let e = token(r#"{"user": "WD", "privileges": ["SeFooPrivilege"]}"#).unwrap_err();
        assert_eq!(
            e.to_string(),
            "token.privileges[0]: unknown privilege `SeFooPrivilege`"
        );
    }

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

    #[test]
    fn mappings_by_name_or_explicit() {
        let m: MappingSpec = serde_json::from_str(r#""key""#).unwrap();
        assert_eq!(m.resolve("mapping").unwrap().0, ObjectKind::Key.mapping());
        let m: MappingSpec =
            serde_json::from_str(r#"{"read": 1, "write": 2, "execute": 4, "all": 7}"#).unwrap();
        assert_eq!(
            m.resolve("mapping").unwrap().0,
            GenericMapping::new(1, 2, 4, 7)
        );
        let m: MappingSpec = serde_json::from_str(r#""folderx""#).unwrap();
        assert!(m
            .resolve("mapping")
            .unwrap_err()
            .message
            .contains("unknown object type `folderx`"));
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
