//! `secctx sddl`: canonicalise descriptors given as SDDL or self-relative hex.

use crate::args::Args;
use crate::jsonl::{self, id_or_null, Outcome};
use secctx::{binary, sddl, Sid};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::process::ExitCode;

pub const HELP: &str = "\
secctx sddl [--domain-sid S-1-5-21-...]

Reads JSON lines on stdin and answers each on stdout, in order.

  request:  {\"id\": any, \"sddl\": \"O:BAG:SYD:(A;;FA;;;WD)\", \"domain_sid\": \"S-...\"}
        or  {\"id\": any, \"hex\": \"<self-relative descriptor bytes>\"}
  answer:   {\"id\": ..., \"ok\": true, \"sddl\": \"<canonical SDDL>\", \"hex\": \"<bytes>\"}
        or  {\"id\": ..., \"ok\": false, \"error\": \"...\", \"offset\": N}

--domain-sid sets the domain that aliases such as DA and DU resolve against
when a request gives none. Exit status 1 if any line was not a valid request.";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Request<'a> {
    #[serde(borrow, default)]
    id: Option<&'a RawValue>,
    #[serde(borrow, default)]
    sddl: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    hex: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    domain_sid: Option<Cow<'a, str>>,
}

#[derive(Serialize)]
struct Answer<'a> {
    id: &'a RawValue,
    ok: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    sddl: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    hex: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    offset: Option<usize>,
}

pub fn run(args: &[String]) -> ExitCode {
    let mut a = Args::new(args);
    let default_domain = match a.domain_sid() {
        Ok(d) => d,
        Err(e) => return crate::usage_error(&e),
    };
    if let Err(e) = a.finish() {
        return crate::usage_error(&e);
    }
    let stdin = std::io::stdin();
    let result = jsonl::process(stdin.lock(), std::io::stdout(), true, |line, out| {
        answer(line, default_domain.as_ref(), out)
    });
    crate::finish(result)
}

fn answer(line: &str, default_domain: Option<&Sid>, out: &mut Vec<u8>) -> Outcome {
    let req: Request<'_> = match serde_json::from_str(line) {
        Ok(r) => r,
        Err(e) => {
            write(out, &fail(id_or_null(None), jsonl::json_error(&e), None));
            return Outcome::Malformed;
        }
    };
    let id = id_or_null(req.id);
    let domain = match req.domain_sid.as_deref().map(|d| Sid::parse_sddl(d, None)) {
        None => default_domain.copied(),
        Some(Ok(d)) => Some(d),
        Some(Err(e)) => {
            write(out, &fail(id, format!("domain_sid: {e}"), None));
            return Outcome::Malformed;
        }
    };
    let parsed = match (req.sddl.as_deref(), req.hex.as_deref()) {
        (Some(_), Some(_)) => {
            write(
                out,
                &fail(id, "give either `sddl` or `hex`, not both".into(), None),
            );
            return Outcome::Malformed;
        }
        (None, None) => {
            write(out, &fail(id, "missing `sddl` or `hex`".into(), None));
            return Outcome::Malformed;
        }
        (Some(text), None) => {
            sddl::parse(text, domain.as_ref()).map_err(|e| (e.kind().to_string(), Some(e.offset())))
        }
        (None, Some(hex)) => binary::from_hex(hex)
            .and_then(|b| binary::decode(&b))
            .map_err(|e| (e.to_string(), e.offset())),
    };
    let sd = match parsed {
        Ok(sd) => sd,
        Err((msg, offset)) => {
            write(out, &fail(id, msg, offset));
            return Outcome::Answered;
        }
    };
    let printed = sddl::print(&sd, domain.as_ref());
    let encoded = binary::encode(&sd);
    match (printed, encoded) {
        (Ok(s), Ok(b)) => write(
            out,
            &Answer {
                id,
                ok: true,
                sddl: Some(s),
                hex: Some(binary::to_hex(&b)),
                error: None,
                offset: None,
            },
        ),
        (Err(e), _) => write(
            out,
            &fail(id, format!("cannot print as SDDL: {}", e.kind()), None),
        ),
        (_, Err(e)) => write(out, &fail(id, format!("cannot encode: {e}"), None)),
    }
    Outcome::Answered
}

fn fail(id: &RawValue, error: String, offset: Option<usize>) -> Answer<'_> {
    Answer {
        id,
        ok: false,
        sddl: None,
        hex: None,
        error: Some(error),
        offset,
    }
}

fn write<T: Serialize>(out: &mut Vec<u8>, v: &T) {
    let _ = serde_json::to_writer(out, v);
}
