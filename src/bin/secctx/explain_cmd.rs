//! `secctx explain`: one access question, answered with the full trace.

use crate::check_cmd::{Checker, Request};
use crate::cli::{self, Format, Outcome, Stop};
use lexopt::{Arg, Parser};
use secctx::fixture::{name_guids, result_line, Runner, StepReport};
use secctx::json::{Bits, BitsItem, StrOr};
use secctx::NtStatus;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// What `secctx explain --help` shows.
pub const HELP: &str = "\
secctx explain FIXTURE --step N [--format json]
secctx explain [--sd SDDL --token JSON --desired RIGHTS [--mapping KIND]
                [--self-sid SID] [--domain-sid SID]] [--format json]

Answers one access question with its full explanation.

With a fixture, runs its steps up to step N (0-based, as in `steps[N]`)
and explains that step: what it did, its outcome, and every stage of the
access check behind it.

Without a fixture, asks the question `secctx check` would: either from
the flags, or from one JSON request on stdin (the fields of `secctx check`:
sd, token, desired, mapping, self_sid, object_types, result_list,
backup_intent, domain_sid).

Exit status: 0 if access was granted, 1 if it was denied, 2 on bad input.";

/// A question given by flags: `--sd`, `--token`, `--desired` and the rest.
#[derive(Default)]
struct Flags {
    /// `--sd`: the descriptor, in SDDL.
    sd: Option<String>,
    /// `--token`: the token, as JSON.
    token: Option<String>,
    /// `--desired`: the rights asked for.
    desired: Option<String>,
    /// `--mapping`: the object type whose generic mapping applies.
    mapping: Option<String>,
    /// `--self-sid`: the SID PRINCIPAL_SELF stands for.
    self_sid: Option<String>,
    /// `--domain-sid`: the domain the aliases resolve against.
    domain_sid: Option<String>,
}

/// Runs `secctx explain` with the arguments left in `p`.
pub fn run(p: &mut Parser) -> Outcome {
    let mut format = Format::Text;
    let mut step = None;
    let mut flags = Flags::default();
    let mut files = Vec::new();
    while let Some(arg) = cli::next(p)? {
        let f = &mut flags;
        match arg {
            Arg::Long("format") => format = Format::read(p)?,
            Arg::Long("step") => step = Some(cli::step(p, "--step")?),
            Arg::Long("sd") => f.sd = Some(cli::value(p, "a descriptor in SDDL")?),
            Arg::Long("token") => f.token = Some(cli::value(p, "a token as JSON")?),
            Arg::Long("desired") => f.desired = Some(cli::value(p, "the rights asked for")?),
            Arg::Long("mapping") => f.mapping = Some(cli::value(p, "an object type")?),
            Arg::Long("self-sid") => f.self_sid = Some(cli::value(p, "a SID")?),
            Arg::Long("domain-sid") => f.domain_sid = Some(cli::value(p, "a domain SID")?),
            Arg::Value(v) => files.push(PathBuf::from(v)),
            a => return Err(cli::unexpected(a)),
        }
    }
    let json = format == Format::Json;
    match (files.as_slice(), step) {
        ([file], Some(n)) => explain_step(file, n, json),
        ([_], None) => Err(Stop::Usage("explain FIXTURE needs --step N".into())),
        ([], None) => explain_request(flags, json),
        _ => Err(Stop::Usage(
            "explain takes one fixture with --step, or a check request".into(),
        )),
    }
}

/// Explains the question the flags ask, or else the one request on stdin.
fn explain_request(flags: Flags, json: bool) -> Outcome {
    let mut line = String::new();
    let sd_raw;
    let token_raw;
    let req = if flags.sd.is_some() || flags.token.is_some() || flags.desired.is_some() {
        sd_raw = flags.sd.map(|sd| raw_json(&sd)).transpose()?;
        // A token that is not JSON is passed on as a string, for the check
        // to say what is wrong with it.
        token_raw = flags
            .token
            .map(|t| RawValue::from_string(t.clone()).or_else(|_| raw_json(&t)))
            .transpose()?;
        Request {
            sd: sd_raw.as_deref(),
            token: token_raw.as_deref(),
            desired: flags.desired.map(|d| Bits(vec![BitsItem::Text(d)])),
            mapping: flags.mapping.map(StrOr::Str),
            self_sid: flags.self_sid.map(Cow::Owned),
            domain_sid: flags.domain_sid.map(Cow::Owned),
            ..Request::default()
        }
    } else {
        io::stdin()
            .read_to_string(&mut line)
            .map_err(|e| Stop::Input(format!("cannot read stdin: {e}")))?;
        secctx::json::from_json(line.trim(), "").map_err(|e| Stop::Input(e.to_string()))?
    };
    let answer = Checker::new(None, true)
        .ask(&req)
        .map_err(|e| Stop::Input(e.to_string()))?;
    let mut out = io::stdout().lock();
    if json {
        serde_json::to_writer(&mut out, &answer).map_err(io::Error::from)?;
        writeln!(out)?;
    } else {
        writeln!(out, "{}, granted {}", answer.status, answer.granted)?;
        if let Some(e) = &answer.error {
            writeln!(out, "  {e}")?;
        }
        for l in answer.explanation.iter().flat_map(|e| e.0.lines()) {
            writeln!(out, "  {l}")?;
        }
    }
    out.flush()?;
    Ok(ExitCode::from(u8::from(answer.status != NtStatus::Success)))
}

/// `text` as a JSON string.
fn raw_json(text: &str) -> Result<Box<RawValue>, Stop> {
    serde_json::value::to_raw_value(text).map_err(|e| Stop::Input(e.to_string()))
}

/// Explains step `n` of the fixture `file`.
fn explain_step(file: &Path, n: usize, json: bool) -> Outcome {
    let text = cli::read_text(file)?;
    let mut runner = Runner::new().explain(true).limit(n + 1);
    if let Some(dir) = file.parent() {
        runner = runner.base(dir);
    }
    let mut found: Option<StepReport> = None;
    let stage = runner
        .inspect(&text, &mut |_, report| {
            if report.index == n {
                found = Some(report.clone());
            }
        })
        .map_err(|e| Stop::Input(format!("{}: {e}", file.display())))?;
    let Some(report) = found else {
        return Err(Stop::Input(format!("{} has no step {n}", file.display())));
    };
    let mut out = io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &report).map_err(io::Error::from)?;
        writeln!(out)?;
    } else {
        writeln!(out, "steps[{n}] {}: {}", report.op, report.title)?;
        if let Some(note) = &report.note {
            writeln!(out, "  # {note}")?;
        }
        writeln!(out, "  {}", result_line(&report))?;
        for d in &report.details {
            writeln!(out, "  {d}")?;
        }
        for f in &report.failures {
            writeln!(out, "  expected {f}")?;
        }
        match &report.trace {
            Some(t) => {
                writeln!(out, "  why:")?;
                // GUIDs print with their names: the fixture's `guids`,
                // then the schema table.
                for l in t.render().lines() {
                    writeln!(out, "    {}", name_guids(&stage, l))?;
                }
            }
            None => match report.reason() {
                Some(reason) => writeln!(out, "  why: {reason}")?,
                None => writeln!(out, "  (this step makes no access check)")?,
            },
        }
    }
    out.flush()?;
    Ok(ExitCode::from(u8::from(!report.status.is_success())))
}
