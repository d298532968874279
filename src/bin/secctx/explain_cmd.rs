//! `secctx explain`: one access question, answered with the full trace.

use crate::args::Args;
use crate::check_cmd::{Checker, Request};
use secctx::fixture::{self, result_line, RunOptions, StepReport};
use secctx::json::{Bits, BitsItem, StrOr};
use secctx::NtStatus;
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

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

pub fn run(args: &[String]) -> ExitCode {
    let mut a = Args::new(args);
    let mut get = |name: &str| a.value(name);
    let step = get("--step");
    let format = get("--format");
    let sd = get("--sd");
    let token = get("--token");
    let desired = get("--desired");
    let mapping = get("--mapping");
    let self_sid = get("--self-sid");
    let domain = get("--domain-sid");
    let mut vals = Vec::new();
    for v in [step, format, sd, token, desired, mapping, self_sid, domain] {
        match v {
            Ok(x) => vals.push(x),
            Err(e) => return crate::usage_error(&e),
        }
    }
    let [step, format, sd, token, desired, mapping, self_sid, domain]: [Option<String>; 8] =
        match vals.try_into() {
            Ok(v) => v,
            Err(_) => return ExitCode::from(2),
        };
    let json = match format.as_deref() {
        None | Some("text") => false,
        Some("json") => true,
        Some(f) => {
            return crate::usage_error(&format!("--format: expected text or json, not `{f}`"))
        }
    };
    let pos = a.positionals();
    if let Err(e) = a.finish() {
        return crate::usage_error(&e);
    }
    match (pos.as_slice(), step) {
        ([file], Some(n)) => {
            let Ok(n) = n.parse::<usize>() else {
                return crate::usage_error(&format!("--step: `{n}` is not a step number"));
            };
            explain_step(Path::new(file), n, json)
        }
        ([_], None) => crate::usage_error("explain FIXTURE needs --step N"),
        ([], None) => explain_request(
            Flags {
                sd,
                token,
                desired,
                mapping,
                self_sid,
                domain_sid: domain,
            },
            json,
        ),
        _ => crate::usage_error("explain takes one fixture with --step, or a check request"),
    }
}

/// A question given by flags: `--sd`, `--token`, `--desired` and the rest.
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

/// Explains the question the flags ask, or else the one request on stdin,
/// asking it as `secctx check --explain` would.
fn explain_request(flags: Flags, json: bool) -> ExitCode {
    let mut line = String::new();
    let sd_raw;
    let token_raw;
    let asked = if flags.sd.is_some() || flags.token.is_some() || flags.desired.is_some() {
        sd_raw = flags.sd.map(|sd| raw_json(&sd)).transpose();
        // A token that is not JSON is passed on as a string, for the check
        // to say what is wrong with it.
        token_raw = flags
            .token
            .map(|t| RawValue::from_string(t.clone()).or_else(|_| raw_json(&t)))
            .transpose();
        match (&sd_raw, &token_raw) {
            (Ok(sd), Ok(token)) => Ok(Request {
                sd: sd.as_deref(),
                token: token.as_deref(),
                desired: flags.desired.map(|d| Bits(vec![BitsItem::Text(d)])),
                mapping: flags.mapping.map(StrOr::Str),
                self_sid: flags.self_sid.map(Cow::Owned),
                domain_sid: flags.domain_sid.map(Cow::Owned),
                ..Request::default()
            }),
            (Err(e), _) | (_, Err(e)) => Err(e.to_string()),
        }
    } else {
        if let Err(e) = std::io::stdin().read_to_string(&mut line) {
            eprintln!("secctx explain: cannot read stdin: {e}");
            return ExitCode::from(2);
        }
        secctx::json::from_json(line.trim(), "").map_err(|e| e.to_string())
    };
    let answer = asked.and_then(|req| {
        Checker::new(None, true)
            .ask(&req)
            .map_err(|e| e.to_string())
    });
    let answer = match answer {
        Ok(a) => a,
        Err(e) => {
            eprintln!("secctx explain: {e}");
            return ExitCode::from(2);
        }
    };
    if json {
        match serde_json::to_string(&answer) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("secctx explain: {e}");
                return ExitCode::from(2);
            }
        }
    } else {
        println!("{}, granted {}", answer.status, answer.granted);
        if let Some(e) = &answer.error {
            println!("  {e}");
        }
        for l in answer.explanation.iter().flat_map(|e| e.0.lines()) {
            println!("  {l}");
        }
    }
    ExitCode::from(u8::from(answer.status != NtStatus::Success))
}

/// `text` as a JSON string.
fn raw_json(text: &str) -> serde_json::Result<Box<RawValue>> {
    serde_json::value::to_raw_value(text)
}

fn explain_step(file: &Path, n: usize, json: bool) -> ExitCode {
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("secctx explain: cannot read `{}`: {e}", file.display());
            return ExitCode::from(2);
        }
    };
    let options = RunOptions {
        explain: true,
        limit: Some(n + 1),
    };
    let mut found: Option<StepReport> = None;
    let r = fixture::run_inspect(&text, file.parent(), options, &mut |_, report| {
        if report.index == n {
            found = Some(report.clone());
        }
    });
    if let Err(e) = r {
        eprintln!("secctx explain: {}: {e}", file.display());
        return ExitCode::from(2);
    }
    let Some(report) = found else {
        eprintln!("secctx explain: {} has no step {n}", file.display());
        return ExitCode::from(2);
    };
    if json {
        match serde_json::to_string_pretty(&report) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("secctx explain: {e}");
                return ExitCode::from(2);
            }
        }
    } else {
        println!("steps[{n}] {}: {}", report.op, report.title);
        if let Some(note) = &report.note {
            println!("  # {note}");
        }
        println!("  {}", result_line(&report));
        for d in &report.details {
            println!("  {d}");
        }
        for f in &report.failures {
            println!("  expected {f}");
        }
        match &report.trace {
            Some(t) => {
                println!("  why:");
                for l in t.render().lines() {
                    println!("    {l}");
                }
            }
            None => println!("  (this step makes no access check)"),
        }
    }
    ExitCode::from(if report.status.is_success() { 0 } else { 1 })
}
