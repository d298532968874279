//! `secctx effective`: an object's who-can-do-what matrix.

use crate::cli::{self, Format, Outcome, Stop};
use lexopt::{Arg, Parser};
use secctx::fixture::{effective_matrix, Rows, Runner};
use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

/// What `secctx effective --help` shows.
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

/// Runs `secctx effective` with the arguments left in `p`.
pub fn run(p: &mut Parser) -> Outcome {
    let mut principals = false;
    let mut limit = None;
    let mut format = Format::Text;
    let mut pos = Vec::new();
    while let Some(arg) = cli::next(p)? {
        match arg {
            Arg::Long("principals") => principals = true,
            Arg::Long("at-step") => limit = Some(cli::step(p, "--at-step")?),
            Arg::Long("format") => format = Format::read(p)?,
            Arg::Value(v) => pos.push(cli::text(v)?),
            a => return Err(cli::unexpected(a)),
        }
    }
    let [file, object] = pos.as_slice() else {
        return Err(Stop::Usage(
            "effective needs a FIXTURE and an OBJECT path".into(),
        ));
    };
    let path = Path::new(file);
    let text = std::fs::read_to_string(path)
        .map_err(|e| Stop::Input(format!("cannot read `{file}`: {e}")))?;
    let mut runner = Runner::new();
    if let Some(n) = limit {
        runner = runner.limit(n);
    }
    if let Some(dir) = path.parent() {
        runner = runner.base(dir);
    }
    let stage = runner
        .inspect(&text, &mut |_, _| {})
        .map_err(|e| Stop::Input(format!("{file}: {e}")))?;
    let Ok(id) = stage.world.lookup(object) else {
        return Err(Stop::Input(format!("{file} has no object at `{object}`")));
    };
    let rows = if principals {
        Rows::Principals
    } else {
        Rows::Tokens
    };
    let Some(m) = effective_matrix(&stage, id, rows) else {
        return Err(Stop::Input(format!("`{object}` has no descriptor")));
    };
    let mut out = io::stdout().lock();
    match format {
        Format::Json => {
            serde_json::to_writer_pretty(&mut out, &m).map_err(io::Error::from)?;
            writeln!(out)?;
        }
        Format::Text => write!(out, "{}", m.render())?,
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
