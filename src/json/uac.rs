//! The UAC vocabulary of the fixture format: a token's elevation type
//! (TOKEN_ELEVATION_TYPE, winnt.h), as a token spec declares it.

use super::schema::{anchored, any_case, string_pattern};
use crate::machine::world::ElevationType;
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::de::{self, Deserializer};
use serde::Deserialize;
use std::borrow::Cow;

/// `default`, `limited` or `full` (any case): a token's place in a UAC
/// split.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ElevationName(pub ElevationType);

const ELEVATIONS: [ElevationType; 3] = [
    ElevationType::Default,
    ElevationType::Limited,
    ElevationType::Full,
];

impl<'de> Deserialize<'de> for ElevationName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        ELEVATIONS
            .into_iter()
            .find(|e| e.name().eq_ignore_ascii_case(s.trim()))
            .map(ElevationName)
            .ok_or_else(|| {
                de::Error::custom(format!(
                    "unknown elevation type `{s}`; expected default, limited or full"
                ))
            })
    }
}

impl JsonSchema for ElevationName {
    fn schema_name() -> Cow<'static, str> {
        "ElevationType".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        string_pattern(
            "A UAC elevation type: `default`, `limited` or `full`, in any case.",
            anchored(ELEVATIONS.iter().map(|e| any_case(e.name())), true),
        )
    }
}
