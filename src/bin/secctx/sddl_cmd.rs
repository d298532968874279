//! `secctx sddl`: canonicalise descriptors given as SDDL or self-relative hex.

use crate::cli::Outcome;
use crate::jsonl::{self, id_or_null, Reply, Service};
use lexopt::Parser;
use secctx::{binary, sddl, Sid};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::borrow::Cow;

/// What `secctx sddl --help` shows.
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

/// Runs `secctx sddl` with the arguments left in `p`.
pub fn run(p: &mut Parser) -> Outcome {
    let o = jsonl::Options::read(p, false)?;
    jsonl::serve_stdio(&mut Canonicaliser {
        default_domain: o.domain,
    })
}

/// Answers `secctx sddl` requests.
struct Canonicaliser {
    /// The domain for requests that name none.
    default_domain: Option<Sid>,
}

impl Service for Canonicaliser {
    const OK_FIELD: bool = true;
    type Answer<'a> = Answer<'a>;

    fn answer<'a>(&mut self, line: &'a str) -> Reply<'a, Answer<'a>> {
        let req: Request<'a> = match serde_json::from_str(line) {
            Ok(r) => r,
            Err(e) => {
                return Reply::Malformed {
                    id: id_or_null(None),
                    error: jsonl::json_error(&e),
                }
            }
        };
        let id = id_or_null(req.id);
        let malformed = |error: String| Reply::Malformed { id, error };
        let domain = match req.domain_sid.as_deref().map(|d| Sid::parse_sddl(d, None)) {
            None => self.default_domain,
            Some(Ok(d)) => Some(d),
            Some(Err(e)) => return malformed(format!("domain_sid: {e}")),
        };
        let parsed = match (req.sddl.as_deref(), req.hex.as_deref()) {
            (Some(_), Some(_)) => return malformed("give either `sddl` or `hex`, not both".into()),
            (None, None) => return malformed("missing `sddl` or `hex`".into()),
            (Some(text), None) => sddl::parse(text, domain.as_ref())
                .map_err(|e| (e.kind().to_string(), Some(e.offset()))),
            (None, Some(hex)) => binary::from_hex(hex)
                .and_then(|b| binary::decode(&b))
                .map_err(|e| (e.to_string(), e.offset())),
        };
        let sd = match parsed {
            Ok(sd) => sd,
            Err((msg, offset)) => return Reply::Answer(fail(id, msg, offset)),
        };
        let printed = sddl::print(&sd, domain.as_ref());
        let encoded = binary::encode(&sd);
        Reply::Answer(match (printed, encoded) {
            (Ok(s), Ok(b)) => Answer {
                id,
                ok: true,
                sddl: Some(s),
                hex: Some(binary::to_hex(&b)),
                error: None,
                offset: None,
            },
            (Err(e), _) => fail(id, format!("cannot print as SDDL: {}", e.kind()), None),
            (_, Err(e)) => fail(id, format!("cannot encode: {e}"), None),
        })
    }
}

/// A well-formed request's failure: what is wrong and where.
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
