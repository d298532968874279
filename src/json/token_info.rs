//! The token information classes a fixture names in `get_token_information`
//! and `set_token_information`: Windows' TOKEN_INFORMATION_CLASS name with
//! or without `Token`, in any case (`TokenUser`, `user`), or a class number.
//! An unknown name, or the number of a Windows class secctx does not model,
//! is an error of the fixture; a number that is no class at all (0, or
//! above TokenLoggingInformation) is passed on, and the machine answers
//! STATUS_INVALID_INFO_CLASS as Windows does.

use super::schema::{anchored, any_case};
use crate::machine::token_info::{TokenInformationClass, MAX_TOKEN_INFORMATION_CLASS};
use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::de::{self, Deserializer};
use serde::Deserialize;
use std::borrow::Cow;

/// A token information class as a fixture writes it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InfoClassName {
    /// A class the machine models.
    Class(TokenInformationClass),
    /// A number that is no TOKEN_INFORMATION_CLASS.
    Unknown(u32),
}

impl std::fmt::Display for InfoClassName {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            InfoClassName::Class(c) => f.write_str(c.name()),
            InfoClassName::Unknown(n) => write!(f, "class {n}"),
        }
    }
}

/// The accepted names, for error messages.
fn known() -> String {
    let names: Vec<&str> = TokenInformationClass::ALL
        .iter()
        .map(|c| c.name())
        .collect();
    names.join(", ")
}

/// A class by number: a modelled class, a number that is no class, or an
/// error for a Windows class secctx does not model.
fn from_number(n: u32) -> Result<InfoClassName, String> {
    match TokenInformationClass::from_value(n) {
        Some(c) => Ok(InfoClassName::Class(c)),
        None if n == 0 || n > MAX_TOKEN_INFORMATION_CLASS => Ok(InfoClassName::Unknown(n)),
        None => Err(format!(
            "token information class {n} is a Windows class secctx does not model; modelled: {}",
            known()
        )),
    }
}

impl<'de> Deserialize<'de> for InfoClassName {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let v = serde_json::Value::deserialize(d)?;
        let r = match &v {
            serde_json::Value::String(s) => TokenInformationClass::from_name(s)
                .map(InfoClassName::Class)
                .ok_or_else(|| {
                    format!(
                        "unknown token information class `{s}`; expected one of {} (the `Token` prefix is optional), or a number",
                        known()
                    )
                }),
            serde_json::Value::Number(n) => n
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .ok_or_else(|| format!("token information class {n} is not a class number"))
                .and_then(from_number),
            other => Err(format!(
                "a token information class is a name or a number, not {other}"
            )),
        };
        r.map_err(de::Error::custom)
    }
}

impl JsonSchema for InfoClassName {
    fn schema_name() -> Cow<'static, str> {
        "TokenInformationClass".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let names: Vec<String> = TokenInformationClass::ALL
            .iter()
            .map(|c| any_case(&c.name()[5..]))
            .collect();
        let text = format!("(?:{})?(?:{})", any_case("token"), names.join("|"));
        json_schema!({
            "description": "A TOKEN_INFORMATION_CLASS: its name with or without `Token`, in any case (`TokenUser`, `user`), or its number.",
            "anyOf": [
                {"type": "string", "pattern": anchored([text], true)},
                {"type": "integer", "minimum": 0, "maximum": u32::MAX},
            ],
        })
    }
}
