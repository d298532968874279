//! JSON-lines plumbing shared by the streaming subcommands: read one request
//! per line, write one response per line, in order.

use crate::cli::{self, Outcome, Stop};
use lexopt::{Arg, Parser};
use secctx::json::{self, SpecError};
use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use std::io::{self, BufRead, Write};
use std::process::ExitCode;

/// The longest request line accepted. Longer lines are answered with an error
/// and skipped without being held in memory.
pub const MAX_LINE: usize = 16 << 20;

/// The options of a JSON-lines command.
pub struct Options {
    /// `--explain`: answers carry their explanation.
    pub explain: bool,
    /// `--domain-sid`: the domain for requests that name none.
    pub domain: Option<secctx::Sid>,
}

impl Options {
    /// Reads `--domain-sid` and, where the command has it, `--explain`.
    pub fn read(p: &mut Parser, has_explain: bool) -> Result<Options, Stop> {
        let mut o = Options {
            explain: false,
            domain: None,
        };
        while let Some(arg) = cli::next(p)? {
            match arg {
                Arg::Long("explain") if has_explain => o.explain = true,
                Arg::Long("domain-sid") => o.domain = Some(cli::domain_sid(p)?),
                a => return Err(cli::unexpected(a)),
            }
        }
        Ok(o)
    }
}

/// The domain a request's aliases resolve against: its own `domain_sid`
/// when given, else the command line's `--domain-sid`.
pub fn request_domain(
    field: Option<&str>,
    default: Option<secctx::Sid>,
) -> Result<Option<secctx::Sid>, SpecError> {
    match field {
        None => Ok(default),
        Some(d) => secctx::Sid::parse_sddl(d, None)
            .map(Some)
            .map_err(|e| SpecError::new("domain_sid", format!("`{d}`: {e}"))),
    }
}

/// The id of a request, echoed verbatim, or `null`.
pub fn id_or_null(id: Option<&RawValue>) -> &RawValue {
    id.unwrap_or(RawValue::NULL)
}

/// The `id` of a line, when the line is at least a JSON object with one.
fn peek_id(line: &str) -> Option<&RawValue> {
    #[derive(serde::Deserialize)]
    struct IdOnly<'a> {
        #[serde(borrow, default)]
        id: Option<&'a RawValue>,
    }
    serde_json::from_str::<IdOnly<'_>>(line)
        .ok()
        .and_then(|i| i.id)
}

/// A reply for a line that is not a valid request.
#[derive(Serialize)]
struct Malformed<'a> {
    /// The request id, when it could be read.
    id: &'a RawValue,
    /// Always `false` for `secctx sddl`; absent elsewhere.
    #[serde(skip_serializing_if = "Option::is_none")]
    ok: Option<bool>,
    /// What is wrong with the line.
    error: String,
}

/// What a service says about one line.
pub enum Reply<'a, A> {
    /// The line was a well-formed request: its answer (whatever it says).
    Answer(A),
    /// The line was not a valid request.
    Malformed {
        /// The request's id, or `null`.
        id: &'a RawValue,
        /// What is wrong with it.
        error: String,
    },
}

/// A command that answers JSON lines: `secctx check`, `inherit` and `sddl`.
pub trait Service {
    /// Whether a malformed line's reply carries `"ok": false`.
    const OK_FIELD: bool;
    /// The answer to a valid request; it may borrow from the line.
    type Answer<'a>: Serialize;
    /// Answers one non-blank line.
    fn answer<'a>(&mut self, line: &'a str) -> Reply<'a, Self::Answer<'a>>;
}

/// Answers a line the `json` way: reads it as a request `T` and asks
/// `ask`. A line that is not a valid request gets a reply naming the field
/// at fault, with the line's `id` when it has one.
pub fn answer_spec<'a, T: Deserialize<'a>, A>(
    line: &'a str,
    ask: impl FnOnce(T) -> Result<A, SpecError>,
) -> Reply<'a, A> {
    match json::from_json(line, "").and_then(ask) {
        Ok(a) => Reply::Answer(a),
        Err(e) => Reply::Malformed {
            id: id_or_null(peek_id(line)),
            error: e.to_string(),
        },
    }
}

/// Serves `service` on stdin and stdout until stdin ends. Exit status: 0 if
/// every line was a valid request, 1 if one was not.
pub fn serve_stdio<S: Service>(service: &mut S) -> Outcome {
    let any_malformed = serve(service, io::stdin().lock(), io::stdout().lock())?;
    Ok(ExitCode::from(u8::from(any_malformed)))
}

/// Reads requests line by line (each at most [`MAX_LINE`] bytes) and writes
/// one reply per non-blank line, in order. Returns whether any line was not
/// a valid request.
fn serve<S: Service, R: BufRead, W: Write>(
    service: &mut S,
    mut input: R,
    output: W,
) -> io::Result<bool> {
    let mut out = io::BufWriter::with_capacity(1 << 16, output);
    let mut line = Vec::with_capacity(1024);
    let mut any_malformed = false;
    let mut number = 0usize;
    loop {
        line.clear();
        let status = read_line_limited(&mut input, &mut line, MAX_LINE)?;
        if status == LineStatus::Eof {
            break;
        }
        number += 1;
        let reply = match status {
            LineStatus::TooLong => Reply::Malformed {
                id: RawValue::NULL,
                error: format!("line {number} is longer than {MAX_LINE} bytes"),
            },
            _ => match std::str::from_utf8(&line) {
                Err(e) => Reply::Malformed {
                    id: RawValue::NULL,
                    error: format!("line {number} is not UTF-8 at byte {}", e.valid_up_to()),
                },
                Ok(text) => {
                    let text = text.trim_end_matches(['\n', '\r']);
                    if text.trim().is_empty() {
                        continue;
                    }
                    service.answer(text)
                }
            },
        };
        match reply {
            Reply::Answer(a) => serde_json::to_writer(&mut out, &a)?,
            Reply::Malformed { id, error } => {
                any_malformed = true;
                let m = Malformed {
                    id,
                    ok: S::OK_FIELD.then_some(false),
                    error,
                };
                serde_json::to_writer(&mut out, &m)?;
            }
        }
        out.write_all(b"\n")?;
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
