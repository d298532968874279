//! NtQueryObject's information classes, as a fixture names them.

use super::schema::{anchored, any_case, string_pattern};
use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::de::{self, Deserializer};
use serde::Deserialize;
use std::borrow::Cow;

/// An OBJECT_INFORMATION_CLASS that `query_object` answers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ObjectInfoClass {
    /// ObjectBasicInformation (0): PUBLIC_OBJECT_BASIC_INFORMATION.
    Basic,
    /// ObjectTypeInformation (2): OBJECT_TYPE_INFORMATION for the
    /// handle's type.
    Type,
    /// ObjectTypesInformation (3): OBJECT_TYPES_INFORMATION, every type.
    Types,
}

/// The winternl.h names, then the short names a fixture may write.
const CLASSES: [(&str, ObjectInfoClass); 6] = [
    ("ObjectBasicInformation", ObjectInfoClass::Basic),
    ("ObjectTypeInformation", ObjectInfoClass::Type),
    ("ObjectTypesInformation", ObjectInfoClass::Types),
    ("basic", ObjectInfoClass::Basic),
    ("type", ObjectInfoClass::Type),
    ("types", ObjectInfoClass::Types),
];

impl ObjectInfoClass {
    /// Its name in winternl.h.
    pub fn name(self) -> &'static str {
        CLASSES
            .iter()
            .find(|(_, c)| *c == self)
            .map_or("", |(n, _)| n)
    }
}

impl<'de> Deserialize<'de> for ObjectInfoClass {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        CLASSES
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(s.trim()))
            .map(|(_, c)| *c)
            .ok_or_else(|| {
                de::Error::custom(format!(
                    "unknown object information class `{s}`; expected ObjectBasicInformation, ObjectTypeInformation or ObjectTypesInformation (or basic, type, types)"
                ))
            })
    }
}

impl JsonSchema for ObjectInfoClass {
    fn schema_name() -> Cow<'static, str> {
        "ObjectInfoClass".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        string_pattern(
            "An NtQueryObject information class: ObjectBasicInformation, ObjectTypeInformation or ObjectTypesInformation (or basic, type, types), in any case.",
            anchored(CLASSES.iter().map(|(n, _)| any_case(n)), true),
        )
    }
}
