//! Claims in JSON: the SDDL form or an object with name, type, values and
//! flags, resolved into a [`ClaimAttribute`] (MS-DTYP 2.4.10.1
//! CLAIM_SECURITY_ATTRIBUTE_RELATIVE_V1).

use super::mask::Bits;
use super::read::{field, index, Names, SpecError, StrOr};
use crate::descriptor::claims::{self, ClaimAttribute, ClaimValues};
use serde::Deserialize;

/// A claim: the SDDL form `("Dept",TS,0x0,"Sales")`, or
/// `{"name", "type"?, "values" | "value", "flags"?, "case_sensitive"?}`.
pub type ClaimSpec = StrOr<ClaimFull>;

/// The full form of a [`ClaimSpec`].
#[derive(Clone, Debug, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClaimFull {
    /// The claim name.
    pub name: String,
    /// `int64`, `uint64`, `string`, `sid`, `boolean` or `octet` (or the
    /// SDDL letters `TI`, `TU`, `TS`, `TD`, `TB`, `TX`); inferred from the
    /// values when absent.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// The values; may be empty (a string claim unless `type` says
    /// otherwise), and a condition treats such a claim as absent.
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
        // An empty `values` list is accepted (a string claim unless `type`
        // says otherwise): Windows carries such claims (Samba's krb5
        // conditional_ace_tests send claims with no values and record the
        // result), and a condition treats one as absent.
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
