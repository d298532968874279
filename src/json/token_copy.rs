//! The vocabulary of CreateRestrictedToken's and NtFilterToken's flags, as
//! fixtures write them (`DISABLE_MAX_PRIVILEGE`, `SANDBOX_INERT`,
//! `LUA_TOKEN`, `WRITE_RESTRICTED`, in any case).

use super::schema::{anchored, any_case, string_pattern};
use crate::machine::token_copy::RestrictFlags;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::de::{self, Deserializer};
use serde::Deserialize;
use std::borrow::Cow;

/// One flag of CreateRestrictedToken by its winnt.h name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RestrictFlagName(pub RestrictFlags);

impl<'de> Deserialize<'de> for RestrictFlagName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        RestrictFlags::from_name(&s)
            .map(RestrictFlagName)
            .ok_or_else(|| {
                let names: Vec<&str> = RestrictFlags::NAMES.iter().map(|(n, _)| *n).collect();
                de::Error::custom(format!(
                    "unknown restricted-token flag `{s}`; expected {}",
                    names.join(", ")
                ))
            })
    }
}

impl JsonSchema for RestrictFlagName {
    fn schema_name() -> Cow<'static, str> {
        "RestrictFlag".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        string_pattern(
            "A CreateRestrictedToken flag: DISABLE_MAX_PRIVILEGE, SANDBOX_INERT, LUA_TOKEN or WRITE_RESTRICTED (any case).",
            anchored(RestrictFlags::NAMES.iter().map(|(n, _)| any_case(n)), true),
        )
    }
}
