//! `secctx explain`: one access question, answered with the full trace.

use crate::args::Args;
use crate::check_cmd;
use secctx::fixture::{result_line, Runner, StepReport};
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
        ([], None) => {
            let line = if sd.is_some() || token.is_some() || desired.is_some() {
                let mut req = serde_json::Map::new();
                let mut put = |k: &str, v: Option<String>, raw: bool| {
                    if let Some(v) = v {
                        let value = if raw {
                            serde_json::from_str(&v).unwrap_or(serde_json::Value::String(v))
                        } else {
                            serde_json::Value::String(v)
                        };
                        req.insert(k.to_string(), value);
                    }
                };
                put("sd", sd, false);
                put("token", token, true);
                put("desired", desired, false);
                put("mapping", mapping, false);
                put("self_sid", self_sid, false);
                put("domain_sid", domain, false);
                serde_json::Value::Object(req).to_string()
            } else {
                let mut s = String::new();
                if let Err(e) = std::io::stdin().read_to_string(&mut s) {
                    eprintln!("secctx explain: cannot read stdin: {e}");
                    return ExitCode::from(2);
                }
                s
            };
            explain_request(line.trim(), json)
        }
        _ => crate::usage_error("explain takes one fixture with --step, or a check request"),
    }
}

fn explain_request(line: &str, json: bool) -> ExitCode {
    let answer = check_cmd::answer_one(line, true);
    let v: serde_json::Value = match serde_json::from_str(&answer) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("secctx explain: {e}");
            return ExitCode::from(2);
        }
    };
    if let Some(err) = v.get("error").and_then(|e| e.as_str()) {
        if v.get("status").is_none() {
            eprintln!("secctx explain: {err}");
            return ExitCode::from(2);
        }
    }
    let status = v.get("status").and_then(|s| s.as_str()).unwrap_or("");
    if json {
        println!("{answer}");
    } else {
        println!(
            "{status}, granted {}",
            v.get("granted").and_then(|g| g.as_str()).unwrap_or("")
        );
        if let Some(e) = v.get("error").and_then(|e| e.as_str()) {
            println!("  {e}");
        }
        for l in v
            .get("explanation")
            .and_then(|e| e.as_array())
            .into_iter()
            .flatten()
        {
            println!("  {}", l.as_str().unwrap_or(""));
        }
    }
    ExitCode::from(if status == "STATUS_SUCCESS" { 0 } else { 1 })
}

fn explain_step(file: &Path, n: usize, json: bool) -> ExitCode {
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("secctx explain: cannot read `{}`: {e}", file.display());
            return ExitCode::from(2);
        }
    };
    let mut runner = Runner::new().explain(true).limit(n + 1);
    if let Some(dir) = file.parent() {
        runner = runner.base(dir);
    }
    let mut found: Option<StepReport> = None;
    let r = runner.inspect(&text, &mut |_, report| {
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
