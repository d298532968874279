//! `secctx audit`: the dangerous edges of a fixture's world.

use crate::cli::{self, Outcome, Stop};
use lexopt::{Arg, Parser};
use secctx::fixture::{audit, Runner};
use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

/// What `secctx audit --help` shows.
pub const HELP: &str = "\
secctx audit FIXTURE [--under PATH] [--format text|json|dot]

Lists the dangerous edges of the fixture's world: for every principal and
every object (under PATH, itself included, when given), each right an
attacker or auditor cares about, named as BloodHound names it, with the
ACEs, owner rights or privilege that grant it.

Directory objects: GenericAll, GenericWrite, WriteDacl, WriteOwner, Owns,
AllExtendedRights, ForceChangePassword (users, computers), AddMember and
AddSelf (groups), GetChanges, GetChangesAll and DCSync (the domain head,
class domainDNS), WriteSPN, AddKeyCredentialLink, AddAllowedToAct
(computers) and ReadLAPSPassword (computers, when the fixture's `guids`
names ms-Mcs-AdmPwd). Files and directories: FullControl, Write, Delete,
ChangePermissions, TakeOwnership, Owns.

Each edge is one access check of the principal's token against the
object's descriptor, directory rights with Active Directory's object-type
list (class, property set, attribute): no edge is inferred from ACE text.
The principals are the fixture's tokens (and the network logons of
imported accounts); with none, its principals; with none, the DACLs'
trustees, each as a token of that SID with Everyone and Authenticated
Users.

--format text (default): `name (SID) -[EDGE]-> PATH  via ...`
--format json: one JSON object per line, {\"principal\", \"name\", \"right\",
  \"object\", \"via\"}
--format dot: a Graphviz digraph, principals to objects, edges labelled.";

#[derive(Clone, Copy, PartialEq, Eq)]
enum Out {
    Text,
    Json,
    Dot,
}

/// Runs `secctx audit` with the arguments left in `p`.
pub fn run(p: &mut Parser) -> Outcome {
    let mut under: Option<String> = None;
    let mut format = Out::Text;
    let mut pos = Vec::new();
    while let Some(arg) = cli::next(p)? {
        match arg {
            Arg::Long("under") => under = Some(cli::value(p, "an object path")?),
            Arg::Long("format") => {
                const EXPECTED: &str = "text, json or dot";
                format = match cli::value(p, EXPECTED)?.as_str() {
                    "text" => Out::Text,
                    "json" => Out::Json,
                    "dot" => Out::Dot,
                    other => return Err(cli::bad_value("--format", EXPECTED, other)),
                };
            }
            Arg::Value(v) => pos.push(cli::text(v)?),
            a => return Err(cli::unexpected(a)),
        }
    }
    let [file] = pos.as_slice() else {
        return Err(Stop::Usage("audit needs one FIXTURE".into()));
    };
    let path = Path::new(file);
    let text = cli::read_text(path)?;
    let mut runner = Runner::new();
    if let Some(dir) = path.parent() {
        runner = runner.base(dir);
    }
    let stage = runner
        .inspect(&text, &mut |_, _| {})
        .map_err(|e| Stop::Input(format!("{file}: {e}")))?;
    let root = match &under {
        Some(u) => match stage.world.lookup(u) {
            Ok(id) => Some(id),
            Err(_) => return Err(Stop::Input(format!("{file} has no object at `{u}`"))),
        },
        None => None,
    };
    {
        let mut err = io::stderr().lock();
        for w in &stage.warnings {
            writeln!(err, "warning: {w}")?;
        }
    }
    let edges = audit(&stage, root);
    let mut out = io::stdout().lock();
    match format {
        Out::Text => {
            for e in &edges {
                writeln!(
                    out,
                    "{} ({}) -[{}]-> {}  via {}",
                    e.name,
                    e.principal,
                    e.right,
                    e.object,
                    e.via.join("; ")
                )?;
            }
            writeln!(out, "{} edge(s)", edges.len())?;
        }
        Out::Json => {
            for e in &edges {
                serde_json::to_writer(&mut out, e).map_err(io::Error::from)?;
                writeln!(out)?;
            }
        }
        Out::Dot => {
            writeln!(out, "digraph audit {{")?;
            writeln!(out, "  rankdir=LR;")?;
            let q = |s: &str| serde_json::to_string(s).unwrap_or_else(|_| "\"?\"".to_string());
            let mut nodes: Vec<String> = Vec::new();
            for e in &edges {
                let who = format!("{} ({})", e.name, e.principal);
                if !nodes.contains(&who) {
                    writeln!(out, "  {} [shape=ellipse];", q(&who))?;
                    nodes.push(who);
                }
                if !nodes.contains(&e.object) {
                    writeln!(out, "  {} [shape=box];", q(&e.object))?;
                    nodes.push(e.object.clone());
                }
            }
            for e in &edges {
                let who = format!("{} ({})", e.name, e.principal);
                writeln!(
                    out,
                    "  {} -> {} [label={}];",
                    q(&who),
                    q(&e.object),
                    q(e.right)
                )?;
            }
            writeln!(out, "}}")?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
