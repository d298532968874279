//! Descriptors, generic mappings, ACLs and object-type lists in JSON:
//! SDDL, hex or base64 descriptors (MS-DTYP 2.4.6, 2.5.1), generic
//! mappings by object kind or explicit (MS-DTYP 2.4.3), and the
//! object-type list of AccessCheckByType (MS-DTYP 2.5.3.2).

use super::mask::Bits;
use super::read::{field, index, Names, SpecError, StrOr};
use crate::descriptor::acl::Acl;
use crate::descriptor::sd::SecurityDescriptor;
use crate::eval::access::ObjectTypeNode;
use crate::ids::guid::Guid;
use crate::ids::mask::{AccessMask, GenericMapping, ObjectKind};
use serde::Deserialize;

/// A descriptor: SDDL text, or `{"sddl": …}`, `{"hex": …}` (self-relative
/// bytes) or `{"base64": …}`.
pub type DescriptorSpec = StrOr<DescriptorFull>;

/// The full form of a [`DescriptorSpec`].
#[derive(Clone, Debug, PartialEq, Deserialize, schemars::JsonSchema)]
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
#[derive(Clone, Debug, PartialEq, Deserialize, schemars::JsonSchema)]
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
#[derive(Clone, Debug, PartialEq, Deserialize, schemars::JsonSchema)]
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
}
