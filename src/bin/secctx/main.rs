//! The `secctx` command-line tool: thin wrappers over the library.

mod audit_cmd;
mod check_cmd;
mod cli;
mod course;
mod effective_cmd;
mod effective_tree;
mod explain_cmd;
mod import_cmd;
mod inherit_cmd;
mod jsonl;
mod run_cmd;
mod schema_cmd;
mod sddl_cmd;
mod serve_cmd;

use cli::{Outcome, Stop};
use lexopt::{Arg, Parser};
use std::process::ExitCode;

/// What `secctx --help` shows.
const USAGE: &str = "\
secctx — a simulation of the Windows security model

usage: secctx <command> [options]

commands:
  run       play fixtures back and judge each step (the main job)
  explain   one access question (a fixture's step, or a check) with its full trace
  effective who can do what to an object in a fixture, right by right
  audit     the dangerous edges (BloodHound names) of a fixture's world
  import    turn icacls /save, LDIF or Get-Acl output into a fixture's objects
  check     answer access checks, JSON lines on stdin/stdout
  inherit   compute a new object's descriptor, JSON lines on stdin/stdout
  sddl      canonicalise descriptors (SDDL or hex), JSON lines on stdin/stdout
  schema    print the fixture format's JSON Schema
  serve     the playground: run and picture fixtures in a browser (127.0.0.1)

Run `secctx help <command>` or `secctx <command> --help` for a command's
options. A bad command line exits with status 2; a closed stdout (as in
`secctx run | head`) ends a command quietly with status 0.";

/// A subcommand: its name, its `--help` text and what runs it.
struct Command {
    /// The name that selects it.
    name: &'static str,
    /// What `secctx NAME --help` shows.
    help: &'static str,
    /// Runs it on the arguments after its name.
    run: fn(&mut Parser) -> Outcome,
}

/// Every subcommand, in the order the general help lists them.
static COMMANDS: [Command; 10] = [
    Command {
        name: "run",
        help: run_cmd::HELP,
        run: run_cmd::run,
    },
    Command {
        name: "explain",
        help: explain_cmd::HELP,
        run: explain_cmd::run,
    },
    Command {
        name: "effective",
        help: effective_cmd::HELP,
        run: effective_cmd::run,
    },
    Command {
        name: "audit",
        help: audit_cmd::HELP,
        run: audit_cmd::run,
    },
    Command {
        name: "import",
        help: import_cmd::HELP,
        run: import_cmd::run,
    },
    Command {
        name: "check",
        help: check_cmd::HELP,
        run: check_cmd::run,
    },
    Command {
        name: "inherit",
        help: inherit_cmd::HELP,
        run: inherit_cmd::run,
    },
    Command {
        name: "sddl",
        help: sddl_cmd::HELP,
        run: sddl_cmd::run,
    },
    Command {
        name: "schema",
        help: schema_cmd::HELP,
        run: schema_cmd::run,
    },
    Command {
        name: "serve",
        help: serve_cmd::HELP,
        run: serve_cmd::run,
    },
];

fn main() -> ExitCode {
    let mut p = Parser::from_env();
    match dispatch(&mut p) {
        (Some(c), outcome) => cli::exit(Some(c.name), c.help, outcome),
        (None, outcome) => cli::exit(None, USAGE, outcome),
    }
}

/// Runs the command the arguments name; returns it (or `None` for
/// `secctx` itself) and how it ended.
fn dispatch(p: &mut Parser) -> (Option<&'static Command>, Outcome) {
    let name = match p.next() {
        Ok(Some(Arg::Value(v))) => v,
        Ok(Some(Arg::Short('h') | Arg::Long("help"))) => return (None, Err(Stop::Help)),
        Ok(Some(Arg::Short('V') | Arg::Long("version"))) => {
            let version = format!("secctx {}", env!("CARGO_PKG_VERSION"));
            return (
                None,
                cli::print_line(&version)
                    .map(|()| ExitCode::SUCCESS)
                    .map_err(Stop::Io),
            );
        }
        Ok(Some(a)) => return (None, Err(cli::unexpected(a))),
        Ok(None) => {
            cli::say(USAGE);
            return (None, Ok(ExitCode::from(2)));
        }
        Err(e) => return (None, Err(e.into())),
    };
    let name = name.to_string_lossy();
    if name == "help" {
        return help(p);
    }
    match find(&name) {
        Ok(c) => (Some(c), (c.run)(p)),
        Err(stop) => (None, Err(stop)),
    }
}

/// `secctx help [COMMAND]`: the general help, or a command's.
fn help(p: &mut Parser) -> (Option<&'static Command>, Outcome) {
    let name = match p.next() {
        Ok(None) => return (None, Err(Stop::Help)),
        Ok(Some(Arg::Value(v))) => v,
        Ok(Some(a)) => return (None, Err(cli::unexpected(a))),
        Err(e) => return (None, Err(e.into())),
    };
    let command = match find(&name.to_string_lossy()) {
        Ok(c) => c,
        Err(stop) => return (None, Err(stop)),
    };
    match p.next() {
        Ok(None) => (Some(command), Err(Stop::Help)),
        Ok(Some(a)) => (None, Err(cli::unexpected(a))),
        Err(e) => (None, Err(e.into())),
    }
}

/// The command called `name`.
fn find(name: &str) -> Result<&'static Command, Stop> {
    COMMANDS.iter().find(|c| c.name == name).ok_or_else(|| {
        let names: Vec<&str> = COMMANDS.iter().map(|c| c.name).collect();
        Stop::Usage(format!(
            "unknown command `{name}`; expected one of {}",
            names.join(", ")
        ))
    })
}
