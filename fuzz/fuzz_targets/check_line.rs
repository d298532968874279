//! One `secctx check` request line, answered with the library pieces the
//! CLI uses (`secctx::json` to read and resolve the token and descriptor
//! specs, `secctx::compiled` to compile and check them). Invariants:
//!
//! - the same line asked twice on fresh state gets the same answer;
//! - the answer does not depend on what an earlier line compiled into the
//!   SID table (the line asked after a busy line equals the line alone);
//! - the compiled answer equals `secctx::access_check` on the resolved
//!   token and descriptor, and the reference evaluator.
#![no_main]

use libfuzzer_sys::fuzz_target;
use secctx::compiled::{self, NoTrace, SidTable};
use secctx::json::{self, Bits, DescriptorSpec, MappingSpec, Names, ObjectTypeSpec, TokenSpec};
use secctx::{access_check, reference, AccessRequest, Sid, Token, TokenType};
use serde::Deserialize;
use serde_json::value::RawValue;

/// The request line, as `secctx check` reads it.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Request<'a> {
    #[serde(borrow, default)]
    #[allow(dead_code)]
    id: Option<&'a RawValue>,
    #[serde(borrow)]
    sd: &'a RawValue,
    #[serde(borrow)]
    token: &'a RawValue,
    #[serde(default)]
    domain_sid: Option<String>,
    desired: Bits,
    #[serde(default)]
    mapping: Option<MappingSpec>,
    #[serde(default)]
    self_sid: Option<String>,
    #[serde(default)]
    object_types: Option<Vec<ObjectTypeSpec>>,
    #[serde(default)]
    result_list: bool,
    #[serde(default)]
    backup_intent: bool,
}

/// An earlier line's token and descriptor: every alias the seeds use.
const BUSY_TOKEN: &str = r#"{"user": "S-1-5-21-1-2-3-1000", "groups": ["WD", "BA", "BU", "SY", "AU", "CO", "OW", "PS", "AC", "IU", "NU", "LS", "NS", "DA", "DU", "RC", "WR", "AN", "ED", "S-1-5-10", "S-1-15-3-1"]}"#;
const BUSY_SD: &str =
    r#""O:BAG:SYD:(A;;FA;;;WD)(D;;FW;;;PS)(A;;FR;;;S-1-5-10)(A;;FR;;;RC)(A;;FR;;;OW)(A;;FR;;;CO)""#;

/// The comparable part of an answer: status, grant, node results, audit
/// and privileges used, as JSON text; or the spec error's text.
fn answer(req: &Request<'_>, table: &mut SidTable) -> Result<String, String> {
    let domain = match &req.domain_sid {
        None => None,
        Some(d) => Some(Sid::parse_sddl(d, None).map_err(|e| e.to_string())?),
    };
    let names = Names::with_domain(domain);
    let desired = req.desired.mask("desired").map_err(|e| e.to_string())?;
    let mapping = match &req.mapping {
        Some(m) => Some(m.resolve("mapping").map_err(|e| e.to_string())?.0),
        None => None,
    };
    let self_sid = match &req.self_sid {
        Some(s) => Some(names.sid(s, "self_sid").map_err(|e| e.to_string())?),
        None => None,
    };
    let nodes = match &req.object_types {
        Some(list) => json::object_types(list, "object_types").map_err(|e| e.to_string())?,
        None => Vec::new(),
    };
    if req.result_list && nodes.is_empty() {
        return Err("a result list needs `object_types`".into());
    }
    let sd_spec: DescriptorSpec = json::from_json(req.sd.get(), "sd").map_err(|e| e.to_string())?;
    let sd = sd_spec.resolve(&names, "sd").map_err(|e| e.to_string())?;
    let token = token(req.token.get(), &names)?;
    let request = AccessRequest {
        desired,
        mapping,
        self_sid,
        object_types: &nodes,
        result_list: req.result_list,
        backup_intent: req.backup_intent,
    };
    let cd = table.compile_descriptor(&sd);
    let ct = table.compile_token(&token);
    if let Some(status) = compiled::access_check_api_status(&token) {
        return Ok(format!("refused {status:?}"));
    }
    let got = compiled::check(table, &ct, &cd, &request, &mut NoTrace);
    let plain = access_check(&token, &sd, &request);
    let slow = reference::naive_access_check(&token, &sd, &request);
    let text = |d: &Result<secctx::AccessDecision, secctx::AccessError>| match d {
        Ok(d) => serde_json::to_string(d).unwrap_or_else(|e| panic!("answer to JSON: {e}")),
        Err(e) => format!("error {:?}", e.status()),
    };
    let (got, plain, slow) = (text(&got), text(&plain), text(&slow));
    assert_eq!(got, plain, "the compiled check differs from access_check");
    assert_eq!(got, slow, "the compiled check differs from the reference");
    Ok(got)
}

fn token(raw: &str, names: &Names) -> Result<Token, String> {
    let spec: TokenSpec = json::from_json(raw, "token").map_err(|e| e.to_string())?;
    let mut token = spec.resolve(names, "token").map_err(|e| e.to_string())?;
    if spec.token_type.is_none() {
        token.token_type = TokenType::Impersonation;
    }
    Ok(token)
}

fuzz_target!(|data: &[u8]| {
    let Ok(line) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(req) = serde_json::from_str::<Request<'_>>(line) else {
        return;
    };
    let first = answer(&req, &mut SidTable::new());
    let second = answer(&req, &mut SidTable::new());
    assert_eq!(first, second, "the same line answered twice differs");
    // The line after a busy line, on the table that line left behind.
    let mut table = SidTable::new();
    let names = Names::with_domain(Sid::parse_sddl("S-1-5-21-1-2-3", None).ok());
    if let Ok(t) = token(BUSY_TOKEN, &names) {
        table.compile_token(&t);
    }
    if let Ok(spec) = json::from_json::<DescriptorSpec>(BUSY_SD, "sd") {
        if let Ok(sd) = spec.resolve(&names, "sd") {
            table.compile_descriptor(&sd);
        }
    }
    let after = answer(&req, &mut table);
    assert_eq!(first, after, "the line's answer depends on an earlier line");
});
