//! `secctx effective`: an object's who-can-do-what matrix.

use crate::args::Args;
use secctx::fixture::{effective_matrix, Rows, Runner};
use std::path::Path;
use std::process::ExitCode;

pub const HELP: &str = "\
secctx effective FIXTURE OBJECT [--principals] [--at-step N] [--format json]

Shows who can do what to OBJECT (a path in the fixture's world): one row
per token of the fixture (or, with --principals, per principal, each as a
bare logon with Everyone and Authenticated Users), one column per right of
the object's type. Each cell is granted (+), denied (-) or not granted (.),
with what decided it: an ACE (D2 = the DACL's third ACE), owner rights
(OW), a privilege (PR), the integrity label (IL), a null DACL (ND) or the
restricting SIDs (RS).

The world is the one the fixture's steps leave (objects they create, DACLs
they set); --at-step N runs only steps 0 to N-1.";

pub fn run(args: &[String]) -> ExitCode {
    let mut a = Args::new(args);
    let principals = a.flag("--principals");
    let at = match a.value("--at-step") {
        Ok(v) => v,
        Err(e) => return crate::usage_error(&e),
    };
    let json = match a.value("--format") {
        Ok(None) => false,
        Ok(Some(f)) if f == "text" => false,
        Ok(Some(f)) if f == "json" => true,
        Ok(Some(f)) => {
            return crate::usage_error(&format!("--format: expected text or json, not `{f}`"))
        }
        Err(e) => return crate::usage_error(&e),
    };
    let pos = a.positionals();
    if let Err(e) = a.finish() {
        return crate::usage_error(&e);
    }
    let [file, object] = pos.as_slice() else {
        return crate::usage_error("effective needs a FIXTURE and an OBJECT path");
    };
    let limit = match at.map(|n| n.parse::<usize>()) {
        None => None,
        Some(Ok(n)) => Some(n),
        Some(Err(_)) => return crate::usage_error("--at-step needs a number"),
    };
    let path = Path::new(file);
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("secctx effective: cannot read `{file}`: {e}");
            return ExitCode::from(2);
        }
    };
    let mut runner = Runner::new();
    if let Some(n) = limit {
        runner = runner.limit(n);
    }
    if let Some(dir) = path.parent() {
        runner = runner.base(dir);
    }
    let stage = match runner.inspect(&text, &mut |_, _| {}) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("secctx effective: {file}: {e}");
            return ExitCode::from(2);
        }
    };
    let Ok(id) = stage.world.lookup(object) else {
        eprintln!("secctx effective: {file} has no object at `{object}`");
        return ExitCode::from(2);
    };
    let rows = if principals {
        Rows::Principals
    } else {
        Rows::Tokens
    };
    let Some(m) = effective_matrix(&stage, id, rows) else {
        eprintln!("secctx effective: `{object}` has no descriptor");
        return ExitCode::from(2);
    };
    if json {
        match serde_json::to_string_pretty(&m) {
            Ok(s) => println!("{s}"),
            Err(e) => {
                eprintln!("secctx effective: {e}");
                return ExitCode::from(2);
            }
        }
    } else {
        print!("{}", m.render());
    }
    ExitCode::SUCCESS
}
