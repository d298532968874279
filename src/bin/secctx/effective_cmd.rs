//! `secctx effective`: an object's who-can-do-what matrix.

use crate::cli::{self, Format, Outcome, Stop};
use crate::effective_tree;
use lexopt::{Arg, Parser};
use secctx::fixture::{effective_matrix_with, Rows, Runner};
use secctx::json::TokenSpec;
use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

/// What `secctx effective --help` shows.
pub const HELP: &str = "\
secctx effective FIXTURE OBJECT [--principals | --trustees] [--token JSON]...
                 [--at-step N] [--format json]

Shows who can do what to OBJECT (a path in the fixture's world), one column
per right of the object's type. The rows, as the header says:
  - the fixture's tokens: those it declares and, for each user account an
    import brought (LDIF), the token of its network logon;
  - with no such tokens, or with --trustees: one row per trustee SID of the
    DACL, each a token of that SID alone plus Everyone and Authenticated
    Users;
  - with --principals: one row per principal of the fixture, the same way;
  - each --token JSON (a token in the fixture's `tokens` form, e.g.
    '{\"user\": \"alice\", \"groups\": [\"DU\"]}') adds a row.
An empty matrix says why it is empty. Each cell is granted (+), denied (-) or not granted (.),
with what decided it: an ACE (D2 = the DACL's third ACE), owner rights
(OW), a privilege (PR), the integrity label (IL), a null DACL (ND) or the
restricting SIDs (RS).

The world is the one the fixture's steps leave (objects they create, DACLs
they set); --at-step N runs only steps 0 to N-1.

secctx effective FIXTURE PATH --tree [--principal NAME]
                 [--rights write|read|delete|change-permissions|take-ownership|NAMES]
lists every object under PATH (itself included) where the principal (a
token of the fixture, an imported account, a principal name or a SID; all
of the fixture's tokens, else principals, when not given) holds the rights
(default write; NAMES as FILE_WRITE_DATA|FILE_APPEND_DATA, GENERIC_* mapped
per object kind), with the ACEs that grant them. Each line is one access
check against the object's own descriptor.";

/// Runs `secctx effective` with the arguments left in `p`.
pub fn run(p: &mut Parser) -> Outcome {
    let mut principals = false;
    let mut trustees = false;
    let mut extra: Vec<String> = Vec::new();
    let mut limit = None;
    let mut format = Format::Text;
    let mut pos = Vec::new();
    let mut tree = false;
    let mut tree_opts = effective_tree::TreeOptions {
        principal: None,
        rights: None,
    };
    while let Some(arg) = cli::next(p)? {
        match arg {
            Arg::Long("tree") => tree = true,
            Arg::Long("principal") => tree_opts.principal = Some(cli::value(p, "a principal")?),
            Arg::Long("rights") => tree_opts.rights = Some(cli::value(p, "rights")?),
            Arg::Long("principals") => principals = true,
            Arg::Long("trustees") => trustees = true,
            Arg::Long("token") => extra.push(cli::value(p, "a token as JSON")?),
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
    if principals && trustees {
        return Err(Stop::Usage(
            "--principals and --trustees choose different rows; give one".into(),
        ));
    }
    let path = Path::new(file);
    let text = cli::read_text(path)?;
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
    if tree {
        return effective_tree::run(&stage, file, object, &tree_opts, format);
    }
    if tree_opts.principal.is_some() || tree_opts.rights.is_some() {
        return Err(Stop::Usage(
            "--principal and --rights go with --tree".into(),
        ));
    }
    let Ok(id) = stage.world.lookup(object) else {
        return Err(Stop::Input(format!("{file} has no object at `{object}`")));
    };
    let rows = if principals {
        Rows::Principals
    } else if trustees {
        Rows::Trustees
    } else {
        Rows::Tokens
    };
    let mut tokens = Vec::new();
    for (i, json) in extra.iter().enumerate() {
        let spec: TokenSpec = serde_json::from_str(json)
            .map_err(|e| Stop::Usage(format!("--token `{json}`: {e}")))?;
        let at = format!("--token[{i}]");
        let token = spec
            .resolve(&stage.names, &at)
            .map_err(|e| Stop::Usage(e.to_string()))?;
        let label = format!("--token {}", stage.sid_name(&token.user.sid));
        tokens.push((label, token));
    }
    {
        let mut err = io::stderr().lock();
        for w in &stage.warnings {
            writeln!(err, "warning: {w}")?;
        }
    }
    let Some(m) = effective_matrix_with(&stage, id, rows, tokens) else {
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
