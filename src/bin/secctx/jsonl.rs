//! JSON-lines plumbing shared by the streaming subcommands: read one request
//! per line, write one response per line, in order.

use serde::Serialize;
use serde_json::value::RawValue;
use std::io::{self, BufRead, Write};

/// The longest request line accepted. Longer lines are answered with an error
/// and skipped without being held in memory.
pub const MAX_LINE: usize = 16 << 20;

/// The domain a request's aliases resolve against: its own `domain_sid`
/// when given, else the command line's `--domain-sid`.
pub fn request_domain(
    field: Option<&str>,
    default: Option<secctx::Sid>,
) -> Result<Option<secctx::Sid>, secctx::json::SpecError> {
    match field {
        None => Ok(default),
        Some(d) => secctx::Sid::parse_sddl(d, None)
            .map(Some)
            .map_err(|e| secctx::json::SpecError::new("domain_sid", format!("`{d}`: {e}"))),
    }
}

/// The id of a request, echoed verbatim, or `null`.
pub fn id_or_null(id: Option<&RawValue>) -> &RawValue {
    id.unwrap_or(RawValue::NULL)
}

/// The `id` of a line that failed to parse as a request, when the line is
/// at least a JSON object with one.
pub fn peek_id(line: &str) -> Option<&RawValue> {
    #[derive(serde::Deserialize)]
    struct IdOnly<'a> {
        #[serde(borrow, default)]
        id: Option<&'a RawValue>,
    }
    serde_json::from_str::<IdOnly<'_>>(line)
        .ok()
        .and_then(|i| i.id)
}

/// A response for a line that is not a valid request.
#[derive(Serialize)]
pub struct Malformed<'a> {
    /// The request id, when it could be read.
    pub id: &'a RawValue,
    /// Always `false` for `secctx sddl`; absent elsewhere.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ok: Option<bool>,
    /// What is wrong with the line.
    pub error: String,
}

/// What a handler says about one line.
pub enum Outcome {
    /// The line was a well-formed request (whatever its answer).
    Answered,
    /// The line was not a valid request.
    Malformed,
}

/// Reads requests line by line and calls `handle` for each non-blank one with
/// the line and a buffer to write the JSON response into (without newline).
/// Returns whether any line was malformed.
pub fn process<R: BufRead, W: Write>(
    mut input: R,
    output: W,
    ok_field: bool,
    mut handle: impl FnMut(&str, &mut Vec<u8>) -> Outcome,
) -> io::Result<bool> {
    let mut out = io::BufWriter::with_capacity(1 << 16, output);
    let mut line = Vec::with_capacity(1024);
    let mut resp = Vec::with_capacity(1024);
    let mut any_malformed = false;
    let mut number = 0usize;
    loop {
        line.clear();
        let status = read_line_limited(&mut input, &mut line, MAX_LINE)?;
        if status == LineStatus::Eof {
            break;
        }
        number += 1;
        resp.clear();
        let bad = |msg: String, resp: &mut Vec<u8>| {
            let m = Malformed {
                id: RawValue::NULL,
                ok: ok_field.then_some(false),
                error: msg,
            };
            let _ = serde_json::to_writer(&mut *resp, &m);
        };
        match status {
            LineStatus::TooLong => {
                any_malformed = true;
                bad(
                    format!("line {number} is longer than {MAX_LINE} bytes"),
                    &mut resp,
                );
            }
            _ => match std::str::from_utf8(&line) {
                Err(e) => {
                    any_malformed = true;
                    bad(
                        format!("line {number} is not UTF-8 at byte {}", e.valid_up_to()),
                        &mut resp,
                    );
                }
                Ok(text) => {
                    let text = text.trim_end_matches(['\n', '\r']);
                    if text.trim().is_empty() {
                        continue;
                    }
                    if let Outcome::Malformed = handle(text, &mut resp) {
                        any_malformed = true;
                    }
                }
            },
        }
        resp.push(b'\n');
        out.write_all(&resp)?;
    }
    out.flush()?;
    Ok(any_malformed)
}

#[derive(PartialEq, Eq, Clone, Copy)]
enum LineStatus {
    Line,
    TooLong,
    Eof,
}

/// Reads up to and including `\n`. A line over `limit` bytes is consumed but
/// not stored.
fn read_line_limited<R: BufRead>(
    r: &mut R,
    buf: &mut Vec<u8>,
    limit: usize,
) -> io::Result<LineStatus> {
    let mut too_long = false;
    let mut read_any = false;
    loop {
        let chunk = match r.fill_buf() {
            Ok(c) => c,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if chunk.is_empty() {
            return Ok(if !read_any {
                LineStatus::Eof
            } else if too_long {
                LineStatus::TooLong
            } else {
                LineStatus::Line
            });
        }
        read_any = true;
        let (take, done) = match chunk.iter().position(|&b| b == b'\n') {
            Some(i) => (i + 1, true),
            None => (chunk.len(), false),
        };
        if !too_long {
            if buf.len() + take > limit {
                too_long = true;
                buf.clear();
            } else {
                buf.extend_from_slice(&chunk[..take]);
            }
        }
        r.consume(take);
        if done {
            return Ok(if too_long {
                LineStatus::TooLong
            } else {
                LineStatus::Line
            });
        }
    }
}

/// Describes a serde_json error about a request line, with its column.
pub fn json_error(e: &serde_json::Error) -> String {
    let msg = e.to_string();
    // serde_json appends " at line L column C"; keep the column only.
    match msg.rfind(" at line ") {
        Some(i) => format!("invalid request: {} (column {})", &msg[..i], e.column()),
        None => format!("invalid request: {msg}"),
    }
}
