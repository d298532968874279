//! `secctx inherit`: what descriptor a new object gets, as JSON lines.

use crate::cli::Outcome;
use crate::jsonl::{self, id_or_null, Reply, Service};
use lexopt::Parser;
use secctx::json::{Bits, BitsItem, MappingSpec, Names, SpecError, TokenSpec};
use secctx::{
    create_security_descriptor, AceOrigin, Control, Guid, InheritApi, InheritError, InheritRequest,
    NtStatus, ObjectKind, SecurityDescriptor, SefFlags, Sid,
};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::borrow::Cow;

/// What `secctx inherit --help` shows.
pub const HELP: &str = "\
secctx inherit [--explain] [--domain-sid S-1-5-21-...]

Computes the security descriptor a new object gets, for JSON lines on stdin,
one answer per line on stdout, in order.

  request: {\"id\": any,
            \"api\": \"SeAssignSecurity\" | \"SeAssignSecurityEx\" | \"NtCreateFile\" | \"ds_add\" | \"registry\",
            \"parent_sd\": \"<SDDL>\" | null | \"\", \"creator_sd\": \"<SDDL>\" | null | \"\",
            \"creator_dacl_defaulted\": false, \"parent_dacl_defaulted\": false,
            \"is_container\": bool, \"object_type\": \"file\" | \"directory\" | \"key\" | ... | \"ds\",
            \"object_class_guid\": \"<GUID>\", \"mapping\": {\"read\", \"write\", \"execute\", \"all\"},
            \"token\": {... as for secctx check, plus \"default_dacl\": \"D:(...)\"},
            \"flags\": [\"SEF_DACL_AUTO_INHERIT\", ...], \"domain_sid\": \"S-...\"}
  answer:  {\"id\": ..., \"status\": \"STATUS_SUCCESS\", \"sddl\": \"<new descriptor>\",
            \"control\": [\"SE_DACL_PRESENT\", ..., \"SE_SELF_RELATIVE\"]}
           with --explain, \"origins\": where each DACL and SACL ACE came from.

A malformed line answers {\"id\", \"error\"} naming the field; the exit status
is then 1.";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Request<'a> {
    #[serde(borrow, default)]
    id: Option<&'a RawValue>,
    #[serde(default)]
    api: Option<String>,
    #[serde(default)]
    parent_sd: Option<String>,
    #[serde(default)]
    creator_sd: Option<String>,
    #[serde(default)]
    creator_dacl_defaulted: bool,
    #[serde(default)]
    parent_dacl_defaulted: bool,
    #[serde(default)]
    is_container: Option<bool>,
    #[serde(default)]
    object_type: Option<String>,
    #[serde(default)]
    object_class_guid: Option<String>,
    #[serde(default)]
    mapping: Option<MappingSpec>,
    #[serde(default)]
    token: Option<TokenSpec>,
    #[serde(default)]
    flags: Option<Bits>,
    #[serde(borrow, default)]
    domain_sid: Option<Cow<'a, str>>,
}

#[derive(Serialize)]
struct Answer<'a> {
    id: &'a RawValue,
    status: NtStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    sddl: Option<String>,
    /// The new descriptor's control bits by their `SE_…` names, in bit
    /// order: SDDL cannot say SE_*_DEFAULTED or SE_SELF_RELATIVE.
    #[serde(skip_serializing_if = "Option::is_none")]
    control: Option<Vec<&'static str>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    origins: Option<Origins>,
}

#[derive(Serialize)]
struct Origins {
    dacl: Vec<Origin>,
    sacl: Vec<Origin>,
}

#[derive(Serialize)]
struct Origin {
    ace: String,
    #[serde(flatten)]
    origin: AceOrigin,
    text: String,
}

/// Runs `secctx inherit` with the arguments left in `p`.
pub fn run(p: &mut Parser) -> Outcome {
    let o = jsonl::Options::read(p, true)?;
    jsonl::serve_stdio(&mut Inheritor {
        default_domain: o.domain,
        explain: o.explain,
    })
}

/// Answers `secctx inherit` requests.
struct Inheritor {
    /// The domain for requests that name none.
    default_domain: Option<Sid>,
    /// Whether answers say where each ACE came from.
    explain: bool,
}

impl Service for Inheritor {
    const OK_FIELD: bool = false;
    type Answer<'a> = Answer<'a>;

    fn answer<'a>(&mut self, line: &'a str) -> Reply<'a, Answer<'a>> {
        jsonl::answer_spec(line, |req: Request<'a>| {
            ask(&req, self.default_domain, self.explain, id_or_null(req.id))
        })
    }
}

fn optional_sd(
    text: &Option<String>,
    names: &Names,
    field: &str,
) -> Result<Option<SecurityDescriptor>, SpecError> {
    match text.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => secctx::sddl::parse(t, names.domain.as_ref())
            .map(Some)
            .map_err(|e| SpecError::new(field, format!("invalid SDDL: {e}"))),
    }
}

fn ask<'a>(
    req: &Request<'_>,
    default_domain: Option<Sid>,
    explain: bool,
    id: &'a RawValue,
) -> Result<Answer<'a>, SpecError> {
    let domain = jsonl::request_domain(req.domain_sid.as_deref(), default_domain)?;
    let names = Names::with_domain(domain);
    let api_name = req
        .api
        .as_deref()
        .ok_or_else(|| SpecError::new("api", "missing the `api`"))?;
    let api = InheritApi::from_name(api_name).ok_or_else(|| {
        let known: Vec<&str> = InheritApi::ALL.iter().map(|a| a.name()).collect();
        SpecError::new(
            "api",
            format!(
                "unknown api `{api_name}`; expected one of {}",
                known.join(", ")
            ),
        )
    })?;
    let kind = match req.object_type.as_deref() {
        Some(k) => Some(ObjectKind::from_name(k).ok_or_else(|| {
            let known: Vec<&str> = ObjectKind::ALL.iter().map(|k| k.name()).collect();
            SpecError::new(
                "object_type",
                format!(
                    "unknown object type `{k}`; expected one of {}",
                    known.join(", ")
                ),
            )
        })?),
        None => None,
    };
    let kind = match (kind, api) {
        (Some(k), _) => k,
        (None, InheritApi::DsAdd) => ObjectKind::DirectoryService,
        (None, InheritApi::Registry) => ObjectKind::Key,
        (None, _) => return Err(SpecError::new("object_type", "missing the `object_type`")),
    };
    let object_class = match req.object_class_guid.as_deref() {
        Some(g) => Some(
            g.parse::<Guid>()
                .map_err(|e| SpecError::new("object_class_guid", e.to_string()))?,
        ),
        None => None,
    };
    if api == InheritApi::DsAdd && object_class.is_none() {
        return Err(SpecError::new(
            "object_class_guid",
            "a directory-service object needs its object class",
        ));
    }
    let mapping = match &req.mapping {
        Some(m) => m.resolve("mapping")?.0,
        None => kind.mapping(),
    };
    let mut flags = SefFlags::default();
    if let Some(b) = &req.flags {
        if api != InheritApi::SeAssignSecurityEx {
            return Err(SpecError::new(
                "flags",
                format!(
                    "SEF flags apply to SeAssignSecurityEx, not `{}`",
                    api.name()
                ),
            ));
        }
        for item in &b.0 {
            flags.0 |= match item {
                BitsItem::Number(n) => u32::try_from(*n).map_err(|_| {
                    SpecError::new("flags", format!("flags `{n}` do not fit in 32 bits"))
                })?,
                BitsItem::Text(t) => {
                    let mut v = 0;
                    for name in t.split('|') {
                        v |= SefFlags::from_name(name)
                            .ok_or_else(|| {
                                SpecError::new("flags", format!("unknown flag `{}`", name.trim()))
                            })?
                            .0;
                    }
                    v
                }
            };
        }
    }
    let parent = optional_sd(&req.parent_sd, &names, "parent_sd")?;
    let creator = optional_sd(&req.creator_sd, &names, "creator_sd")?;
    let token = match &req.token {
        Some(t) => Some(t.resolve(&names, "token")?),
        None => None,
    };
    let request = InheritRequest {
        api,
        parent: parent.as_ref(),
        creator: creator.as_ref(),
        creator_dacl_defaulted: req.creator_dacl_defaulted,
        parent_dacl_defaulted: req.parent_dacl_defaulted,
        is_container: req.is_container.unwrap_or(kind.is_container()),
        mapping,
        object_class,
        flags,
        token: token.as_ref(),
    };
    let out = match create_security_descriptor(&request) {
        Ok(o) => o,
        Err(InheritError::NoToken { what }) => {
            return Err(SpecError::new(
                "token",
                format!("a token is needed for the {what}"),
            ));
        }
        Err(e) => {
            return Ok(Answer {
                id,
                status: e.status(),
                sddl: None,
                control: None,
                error: Some(e.to_string()),
                origins: None,
            });
        }
    };
    let sddl = out
        .sd
        .to_sddl(domain.as_ref())
        .map_err(|e| SpecError::new("", format!("cannot print the result: {e}")))?;
    let origins = explain.then(|| {
        let list = |acl: Option<&secctx::Acl>, origins: &[AceOrigin]| -> Vec<Origin> {
            acl.map(|a| a.aces.as_slice())
                .unwrap_or(&[])
                .iter()
                .zip(origins)
                .map(|(ace, o)| {
                    let mut text = String::from("(");
                    // Cannot fail: the whole descriptor, this ACE
                    // included, printed above.
                    let _ = secctx::sddl::print_ace(&mut text, ace, domain.as_ref());
                    text.push(')');
                    Origin {
                        ace: text,
                        origin: *o,
                        text: o.to_string(),
                    }
                })
                .collect()
        };
        Origins {
            dacl: list(out.sd.dacl.as_ref(), &out.dacl_origins),
            sacl: list(out.sd.sacl.as_ref(), &out.sacl_origins),
        }
    });
    Ok(Answer {
        id,
        status: NtStatus::Success,
        sddl: Some(sddl),
        control: Some(
            Control::NAMES
                .iter()
                .filter(|(_, bit)| out.sd.control.contains(*bit))
                .map(|(name, _)| *name)
                .collect(),
        ),
        error: None,
        origins,
    })
}
