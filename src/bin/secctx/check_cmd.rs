//! `secctx check`: access checks as JSON lines.

use crate::cli::Outcome;
use crate::jsonl::{self, id_or_null, Reply, Service};
use lexopt::Parser;
use secctx::compiled::{self, CompiledDescriptor, CompiledToken, NoTrace, SidTable};
use secctx::json::{
    self, Bits, DescriptorSpec, MappingSpec, Names, ObjectTypeSpec, SpecError, TokenSpec,
};
use secctx::{
    AccessMask, AccessRequest, AuditEvent, NtStatus, ObjectTypeResult, PrivilegeSet, Sid,
    TokenType, Trace,
};
use serde::{Deserialize, Serialize, Serializer};
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::collections::HashMap;
use std::rc::Rc;

/// What `secctx check --help` shows.
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
            \"result_list\": false, \"backup_intent\": false, \"domain_sid\": \"S-...\",
            \"privilege_set_length\": 20}
  answer:  {\"id\": ..., \"status\": \"STATUS_SUCCESS\", \"call_status\": \"STATUS_SUCCESS\",
            \"granted\": \"0x00120089\", \"results\": [...], \"audit\": [...],
            \"privileges_used\": [...], \"trace\": ...}

\"status\" is the access status (a result list's first node); \"call_status\" is
the call's own: STATUS_SUCCESS whenever the check ran, even when access is
denied. Each result-list node reports what it holds, even when denied.
As AccessCheck, the call is refused in NtAccessCheck's order: a result list
without object_types (STATUS_INVALID_PARAMETER), generic bits in \"desired\",
even with a mapping (STATUS_GENERIC_NOT_MAPPED: map them first), the token,
the object-type list, then the descriptor (STATUS_INVALID_SECURITY_DESCR).

The token is an impersonation token unless it says \"type\": \"primary\"; as
with AccessCheck, a primary token answers STATUS_NO_IMPERSONATION_TOKEN.
--explain adds the explanation trace (\"trace\" as data, \"explanation\" as
text lines). A malformed line answers {\"id\", \"error\"} and processing goes
on; the exit status is 1 if any line was malformed.";

/// One access question, as a line of `secctx check` gives it.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Request<'a> {
    /// Echoed in the answer.
    #[serde(borrow, default)]
    pub id: Option<&'a RawValue>,
    /// The descriptor: SDDL, or `{"hex"}` / `{"base64"}`.
    #[serde(borrow, default)]
    pub sd: Option<&'a RawValue>,
    /// The client token.
    #[serde(borrow, default)]
    pub token: Option<&'a RawValue>,
    /// The domain the aliases resolve against.
    #[serde(borrow, default)]
    pub domain_sid: Option<Cow<'a, str>>,
    /// The desired access.
    #[serde(default)]
    pub desired: Option<Bits>,
    /// The generic mapping.
    #[serde(default)]
    pub mapping: Option<MappingSpec>,
    /// The SID that PRINCIPAL_SELF stands for.
    #[serde(borrow, default)]
    pub self_sid: Option<Cow<'a, str>>,
    /// The object type list.
    #[serde(default)]
    pub object_types: Option<Vec<ObjectTypeSpec>>,
    /// Whether to answer per object type node.
    #[serde(default)]
    pub result_list: bool,
    /// Whether the caller asks with backup/restore intent.
    #[serde(default)]
    pub backup_intent: bool,
    /// The PrivilegeSetLength the caller passes, in bytes; too short for the
    /// privileges the check uses is STATUS_BUFFER_TOO_SMALL. Unchecked when
    /// absent.
    #[serde(default)]
    pub privilege_set_length: Option<u32>,
}

/// The answer to one access question.
#[derive(Serialize)]
pub struct Answer<'a> {
    /// The request's id, or `null`.
    pub id: &'a RawValue,
    /// The access status: for a check that ran, STATUS_SUCCESS,
    /// STATUS_ACCESS_DENIED or STATUS_PRIVILEGE_NOT_HELD (for a result
    /// list, the first node's); for a call refused before the check, the
    /// call's status, as `call_status`.
    pub status: NtStatus,
    /// The status of the call itself: STATUS_SUCCESS whenever the check
    /// ran, whatever access it found (NtAccessCheck* return
    /// STATUS_SUCCESS and put the answer in AccessStatus; the Win32 calls
    /// return TRUE, AccessCheckByTypeResultList with a status per node:
    /// the "AccessCheckByTypeResultList" page; Wine `test_AccessCheck`,
    /// "Access denied by SD" returns TRUE), else the status that refused
    /// the call.
    pub call_status: NtStatus,
    /// The access granted.
    pub granted: AccessMask,
    /// Why AccessCheck failed before deciding, when it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// With `result_list`, the answer for each object type node.
    #[serde(skip_serializing_if = "Option::is_none")]
    results: Option<Vec<ObjectTypeResult>>,
    /// The audit events the check raised.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    audit: Vec<AuditEvent>,
    /// The privileges the check used.
    #[serde(skip_serializing_if = "no_privileges")]
    privileges_used: PrivilegeSet,
    /// With `--explain`, the trace as data.
    #[serde(skip_serializing_if = "Option::is_none")]
    trace: Option<Trace>,
    /// With `--explain`, the trace as text.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explanation: Option<Lines>,
}

impl<'a> Answer<'a> {
    /// An answer with nothing granted and nothing to add.
    fn empty(id: &'a RawValue) -> Answer<'a> {
        Answer {
            id,
            status: NtStatus::Success,
            call_status: NtStatus::Success,
            granted: AccessMask::NONE,
            error: None,
            results: None,
            audit: Vec::new(),
            privileges_used: PrivilegeSet::EMPTY,
            trace: None,
            explanation: None,
        }
    }
}

/// A text, written in JSON as the list of its lines.
pub struct Lines(pub String);

impl Serialize for Lines {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.lines())
    }
}

/// Compiled tokens and descriptors, keyed by their JSON text and domain, so
/// that a stream asking many questions about the same few tokens and
/// descriptors compiles each once. Bounded: past [`CACHE_LIMIT`] entries
/// everything is dropped and compiled afresh, but only between requests
/// ([`Cache::make_room`]), so that a request's token and descriptor are
/// always compiled by the same SID table (issue 18, item 1).
struct Cache {
    table: SidTable,
    tokens: HashMap<Key, Rc<CachedToken>>,
    descriptors: HashMap<Key, Rc<CompiledDescriptor>>,
}

/// A token or descriptor's JSON text and the domain it was read against.
type Key = (String, Option<Sid>);

/// A compiled token, the status AccessCheck would refuse it with, if any,
/// and its enabled privileges (for SePrivilegePolicyCheck).
type CachedToken = (Option<NtStatus>, CompiledToken, PrivilegeSet);

const CACHE_LIMIT: usize = 4096;

impl Cache {
    fn new() -> Cache {
        Cache {
            table: SidTable::new(),
            tokens: HashMap::new(),
            descriptors: HashMap::new(),
        }
    }

    /// Drops everything when full. Called once per request, before its
    /// token or descriptor is looked up: a reset between the two would
    /// leave them compiled by different tables, which `compiled::check`
    /// refuses with STATUS_INVALID_PARAMETER. A request adds at most two
    /// entries, so the cache holds at most `CACHE_LIMIT + 1`.
    fn make_room(&mut self) {
        if self.tokens.len() + self.descriptors.len() >= CACHE_LIMIT {
            *self = Cache::new();
        }
    }

    fn token(&mut self, raw: &str, names: &Names) -> Result<Rc<CachedToken>, SpecError> {
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
        let entry = Rc::new((
            api,
            self.table.compile_token(&token),
            token.enabled_privileges(),
        ));
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
        let entry = Rc::new(self.table.compile_descriptor(&sd));
        self.descriptors.insert(key, entry.clone());
        Ok(entry)
    }
}

/// Runs `secctx check` with the arguments left in `p`.
pub fn run(p: &mut Parser) -> Outcome {
    let o = jsonl::Options::read(p, true)?;
    jsonl::serve_stdio(&mut Checker::new(o.domain, o.explain))
}

/// Answers access checks, keeping what it compiled for the next question.
pub struct Checker {
    /// What was compiled for earlier questions.
    cache: Cache,
    /// The domain for requests that name none.
    default_domain: Option<Sid>,
    /// Whether answers carry their explanation.
    explain: bool,
}

impl Checker {
    /// A checker whose requests' aliases resolve against `default_domain`
    /// unless they name their own; `explain` adds the trace to answers.
    pub fn new(default_domain: Option<Sid>, explain: bool) -> Checker {
        Checker {
            cache: Cache::new(),
            default_domain,
            explain,
        }
    }

    /// Answers `req`; an error names the field that is not a valid part of
    /// a request.
    pub fn ask<'a>(&mut self, req: &Request<'a>) -> Result<Answer<'a>, SpecError> {
        let id = id_or_null(req.id);
        let empty = Answer::empty(id);
        let domain = jsonl::request_domain(req.domain_sid.as_deref(), self.default_domain)?;
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
        let cache = &mut self.cache;
        cache.make_room();
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
        let refused = |status: NtStatus, reason: String| Answer {
            status,
            call_status: status,
            error: Some(reason),
            ..Answer::empty(id)
        };
        // NtAccessCheck's order (ReactOS `SepAccessCheck`): the arguments
        // (a result list without a list, generic bits), then the token,
        // then the object-type list and the descriptor (`check`).
        if let Err(e) = compiled::call_arguments(&request) {
            return Ok(refused(e.status(), e.to_string()));
        }
        if let Some(status) = token.0 {
            let reason = match status {
                NtStatus::NoImpersonationToken => "AccessCheck needs an impersonation token",
                _ => "AccessCheck needs an impersonation level of at least identification",
            };
            return Ok(refused(status, reason.into()));
        }
        match compiled::before_descriptor(token.2, &request, req.privilege_set_length) {
            Err(e) => return Ok(refused(e.status(), e.to_string())),
            // SePrivilegePolicyCheck refused: the call succeeds with
            // STATUS_PRIVILEGE_NOT_HELD, before the descriptor is read.
            Ok(Some(d)) => {
                return Ok(Answer {
                    status: d.status,
                    results: req.result_list.then_some(d.results),
                    ..empty
                })
            }
            Ok(None) => {}
        }
        let mut trace = Trace::default();
        let decided = if self.explain {
            compiled::check(&cache.table, &token.1, &sd, &request, &mut trace)
        } else {
            compiled::check(&cache.table, &token.1, &sd, &request, &mut NoTrace)
        };
        let d = match decided {
            Ok(d) => d,
            Err(e) => return Ok(refused(e.status(), e.to_string())),
        };
        let explanation = self.explain.then(|| Lines(trace.render()));
        Ok(Answer {
            status: d.status,
            granted: d.granted,
            results: req.result_list.then_some(d.results),
            audit: d.audit,
            privileges_used: d.privileges_used,
            trace: self.explain.then_some(trace),
            explanation,
            ..empty
        })
    }
}

impl Service for Checker {
    const OK_FIELD: bool = false;
    type Answer<'a> = Answer<'a>;

    fn answer<'a>(&mut self, line: &'a str) -> Reply<'a, Answer<'a>> {
        jsonl::answer_spec(line, |req: Request<'a>| self.ask(&req))
    }
}

fn no_privileges(p: &PrivilegeSet) -> bool {
    p.is_empty()
}
