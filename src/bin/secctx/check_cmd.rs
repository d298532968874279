//! `secctx check`: access checks as JSON lines.

use crate::args::Args;
use crate::jsonl::{self, id_or_null, Outcome};
use secctx::compiled::{self, CompiledDescriptor, CompiledToken, NoTrace};
use secctx::json::{
    self, Bits, DescriptorSpec, MappingSpec, Names, ObjectTypeSpec, SpecError, TokenSpec,
};
use secctx::TokenType;
use secctx::Trace;
use secctx::{
    compiled::SidTable, AccessMask, AccessRequest, AuditEvent, NtStatus, ObjectTypeResult,
    PrivilegeSet, Sid,
};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::collections::HashMap;
use std::process::ExitCode;
use std::rc::Rc;

pub const HELP: &str = "\
secctx check [--explain] [--domain-sid S-1-5-21-...]

Answers AccessCheck questions given as JSON lines on stdin, one JSON line per
request on stdout, in order.

  request: {\"id\": any,
            \"sd\": \"O:BAG:SYD:(A;;FR;;;WD)\" | {\"hex\": \"...\"} | {\"base64\": \"...\"},
            \"token\": {\"user\": \"S-1-5-21-...\", \"groups\": [\"WD\", {\"sid\": \"BA\", \"attributes\": \"deny_only\"}],
                      \"privileges\": [\"SeBackupPrivilege\"], \"integrity\": \"medium\", ...},
            \"desired\": \"0x120089\" | \"FILE_READ_DATA|READ_CONTROL\" | [\"FR\", \"WD\"],
            \"mapping\": \"file\" | {\"read\": ..., \"write\": ..., \"execute\": ..., \"all\": ...},
            \"self_sid\": \"S-...\", \"object_types\": [{\"level\": 0, \"guid\": \"...\"}],
            \"result_list\": false, \"backup_intent\": false, \"domain_sid\": \"S-...\"}
  answer:  {\"id\": ..., \"status\": \"STATUS_SUCCESS\", \"granted\": \"0x00120089\",
            \"results\": [...], \"audit\": [...], \"privileges_used\": [...], \"trace\": ...}

The token is an impersonation token unless it says \"type\": \"primary\"; as
with AccessCheck, a primary token answers STATUS_NO_IMPERSONATION_TOKEN.
--explain adds the explanation trace (\"trace\" as data, \"explanation\" as
text lines). A malformed line answers {\"id\", \"error\"} and processing goes
on; the exit status is 1 if any line was malformed.";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Request<'a> {
    #[serde(borrow, default)]
    id: Option<&'a RawValue>,
    #[serde(borrow, default)]
    sd: Option<&'a RawValue>,
    #[serde(borrow, default)]
    token: Option<&'a RawValue>,
    #[serde(borrow, default)]
    domain_sid: Option<Cow<'a, str>>,
    #[serde(default)]
    desired: Option<Bits>,
    #[serde(default)]
    mapping: Option<MappingSpec>,
    #[serde(borrow, default)]
    self_sid: Option<Cow<'a, str>>,
    #[serde(default)]
    object_types: Option<Vec<ObjectTypeSpec>>,
    #[serde(default)]
    result_list: bool,
    #[serde(default)]
    backup_intent: bool,
}

#[derive(Serialize)]
struct Answer<'a> {
    id: &'a RawValue,
    status: NtStatus,
    granted: AccessMask,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    results: Option<&'a [ObjectTypeResult]>,
    #[serde(skip_serializing_if = "<[AuditEvent]>::is_empty")]
    audit: &'a [AuditEvent],
    #[serde(skip_serializing_if = "no_privileges")]
    privileges_used: PrivilegeSet,
    #[serde(skip_serializing_if = "Option::is_none")]
    trace: Option<&'a Trace>,
    #[serde(skip_serializing_if = "Option::is_none")]
    explanation: Option<Vec<&'a str>>,
}

/// Compiled tokens and descriptors, keyed by their JSON text and domain, so
/// that a stream asking many questions about the same few tokens and
/// descriptors compiles each once. Bounded: past [`CACHE_LIMIT`] entries
/// everything is dropped and compiled afresh.
struct Cache {
    table: SidTable,
    tokens: HashMap<Key, Rc<CachedToken>>,
    descriptors: HashMap<Key, Rc<CompiledDescriptor>>,
}

/// A token or descriptor's JSON text and the domain it was read against.
type Key = (String, Option<Sid>);

/// A compiled token and, if AccessCheck would refuse it, the status.
type CachedToken = (Option<NtStatus>, CompiledToken);

const CACHE_LIMIT: usize = 4096;

impl Cache {
    fn new() -> Cache {
        Cache {
            table: SidTable::new(),
            tokens: HashMap::new(),
            descriptors: HashMap::new(),
        }
    }

    fn make_room(&mut self) {
        if self.tokens.len() + self.descriptors.len() >= CACHE_LIMIT {
            *self = Cache::new();
        }
    }

    fn token(
        &mut self,
        raw: &str,
        names: &Names,
    ) -> Result<Rc<(Option<NtStatus>, CompiledToken)>, SpecError> {
        let key = (raw.to_string(), names.domain);
        if let Some(t) = self.tokens.get(&key) {
            return Ok(t.clone());
        }
        let spec: TokenSpec = json::from_json(raw, "token")?;
        let mut token = spec.resolve(names, "token")?;
        if spec.token_type.is_none() {
            // AccessCheck takes an impersonation token; one described
            // without a type is taken to be one.
            token.token_type = TokenType::Impersonation;
        }
        let api = compiled::access_check_api_status(&token);
        self.make_room();
        let entry = Rc::new((api, self.table.compile_token(&token)));
        self.tokens.insert(key, entry.clone());
        Ok(entry)
    }

    fn descriptor(
        &mut self,
        raw: &str,
        names: &Names,
    ) -> Result<Rc<CompiledDescriptor>, SpecError> {
        let key = (raw.to_string(), names.domain);
        if let Some(d) = self.descriptors.get(&key) {
            return Ok(d.clone());
        }
        let spec: DescriptorSpec = json::from_json(raw, "sd")?;
        let sd = spec.resolve(names, "sd")?;
        self.make_room();
        let entry = Rc::new(self.table.compile_descriptor(&sd));
        self.descriptors.insert(key, entry.clone());
        Ok(entry)
    }
}

pub fn run(args: &[String]) -> ExitCode {
    let mut a = Args::new(args);
    let explain = a.flag("--explain");
    let default_domain = match a.domain_sid() {
        Ok(d) => d,
        Err(e) => return crate::usage_error(&e),
    };
    if let Err(e) = a.finish() {
        return crate::usage_error(&e);
    }
    let mut cache = Cache::new();
    let stdin = std::io::stdin();
    let result = jsonl::process(stdin.lock(), std::io::stdout(), false, |line, out| {
        answer(line, default_domain, explain, &mut cache, out)
    });
    crate::finish(result)
}

/// Answers one request as `secctx check` would, returning the JSON answer.
pub fn answer_one(line: &str, explain: bool) -> String {
    let mut cache = Cache::new();
    let mut out = Vec::new();
    answer(line, None, explain, &mut cache, &mut out);
    String::from_utf8_lossy(&out).into_owned()
}

fn answer(
    line: &str,
    default_domain: Option<Sid>,
    explain: bool,
    cache: &mut Cache,
    out: &mut Vec<u8>,
) -> Outcome {
    let req: Request<'_> = match json::from_json(line, "") {
        Ok(r) => r,
        Err(e) => {
            // The id, if the line has one, still labels the answer.
            let id = jsonl::peek_id(line);
            malformed(out, id_or_null(id), e.to_string());
            return Outcome::Malformed;
        }
    };
    let id = id_or_null(req.id);
    match ask(&req, default_domain, explain, cache, id, out) {
        Ok(()) => Outcome::Answered,
        Err(e) => {
            malformed(out, id, e.to_string());
            Outcome::Malformed
        }
    }
}

fn ask(
    req: &Request<'_>,
    default_domain: Option<Sid>,
    explain: bool,
    cache: &mut Cache,
    id: &RawValue,
    out: &mut Vec<u8>,
) -> Result<(), SpecError> {
    let domain = jsonl::request_domain(req.domain_sid.as_deref(), default_domain)?;
    let names = Names::with_domain(domain);
    let sd_raw = req
        .sd
        .ok_or_else(|| SpecError::new("sd", "missing the descriptor `sd`"))?;
    let token_raw = req
        .token
        .ok_or_else(|| SpecError::new("token", "missing the `token`"))?;
    let desired = req
        .desired
        .as_ref()
        .ok_or_else(|| SpecError::new("desired", "missing the `desired` access"))?
        .mask("desired")?;
    let mapping = match &req.mapping {
        Some(m) => Some(m.resolve("mapping")?.0),
        None => None,
    };
    let self_sid = match req.self_sid.as_deref() {
        Some(s) => Some(names.sid(s, "self_sid")?),
        None => None,
    };
    let object_types = match &req.object_types {
        Some(list) => json::object_types(list, "object_types")?,
        None => Vec::new(),
    };
    if req.result_list && object_types.is_empty() {
        return Err(SpecError::new(
            "result_list",
            "a result list needs `object_types`",
        ));
    }
    let sd = cache.descriptor(sd_raw.get(), &names)?;
    let token = cache.token(token_raw.get(), &names)?;
    let request = AccessRequest {
        desired,
        mapping,
        self_sid,
        object_types: &object_types,
        result_list: req.result_list,
        backup_intent: req.backup_intent,
    };
    let empty = Answer {
        id,
        status: NtStatus::Success,
        granted: AccessMask::NONE,
        error: None,
        results: None,
        audit: &[],
        privileges_used: PrivilegeSet::EMPTY,
        trace: None,
        explanation: None,
    };
    if let Some(status) = token.0 {
        let reason = match status {
            NtStatus::NoImpersonationToken => "AccessCheck needs an impersonation token",
            _ => "AccessCheck needs an impersonation level of at least identification",
        };
        write(
            out,
            &Answer {
                status,
                error: Some(reason.into()),
                ..empty
            },
        );
        return Ok(());
    }
    let mut trace = Trace::default();
    let decided = if explain {
        compiled::check(&cache.table, &token.1, &sd, &request, &mut trace)
    } else {
        compiled::check(&cache.table, &token.1, &sd, &request, &mut NoTrace)
    };
    let d = match decided {
        Ok(d) => d,
        Err(e) => {
            write(
                out,
                &Answer {
                    status: e.status(),
                    error: Some(e.to_string()),
                    ..empty
                },
            );
            return Ok(());
        }
    };
    let text = explain.then(|| trace.render());
    write(
        out,
        &Answer {
            status: d.status,
            granted: d.granted,
            results: req.result_list.then_some(&d.results[..]),
            audit: &d.audit,
            privileges_used: d.privileges_used,
            trace: explain.then_some(&trace),
            explanation: text.as_deref().map(|t| t.lines().collect()),
            ..empty
        },
    );
    Ok(())
}

fn no_privileges(p: &PrivilegeSet) -> bool {
    p.is_empty()
}

#[derive(Serialize)]
struct Malformed<'a> {
    id: &'a RawValue,
    error: String,
}

fn malformed(out: &mut Vec<u8>, id: &RawValue, error: String) {
    write(out, &Malformed { id, error });
}

fn write<T: Serialize>(out: &mut Vec<u8>, v: &T) {
    let _ = serde_json::to_writer(out, v);
}
