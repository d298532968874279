//! The `secctx` command-line tool: thin wrappers over the library.

mod args;
mod check_cmd;
mod effective_cmd;
mod explain_cmd;
mod import_cmd;
mod inherit_cmd;
mod jsonl;
mod run_cmd;
mod sddl_cmd;

use std::process::ExitCode;

const USAGE: &str = "\
secctx — a simulation of the Windows security model

usage: secctx <command> [options]

commands:
  run       play fixtures back and judge each step (the main job)
  explain   one access question (a fixture's step, or a check) with its full trace
  effective who can do what to an object in a fixture, right by right
  import    turn icacls /save, LDIF or Get-Acl output into a fixture's objects
  check     answer access checks, JSON lines on stdin/stdout
  inherit   compute a new object's descriptor, JSON lines on stdin/stdout
  sddl      canonicalise descriptors (SDDL or hex), JSON lines on stdin/stdout

Run `secctx <command> --help` for a command's options.";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((cmd, rest)) = args.split_first() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let wants_help = rest.iter().any(|a| a == "--help" || a == "-h");
    match cmd.as_str() {
        "-h" | "--help" | "help" => {
            println!("{USAGE}");
            ExitCode::SUCCESS
        }
        "-V" | "--version" => {
            println!("secctx {}", env!("CARGO_PKG_VERSION"));
            ExitCode::SUCCESS
        }
        "run" if wants_help => help(run_cmd::HELP),
        "run" => run_cmd::run(rest),
        "explain" if wants_help => help(explain_cmd::HELP),
        "explain" => explain_cmd::run(rest),
        "effective" if wants_help => help(effective_cmd::HELP),
        "effective" => effective_cmd::run(rest),
        "import" if wants_help => help(import_cmd::HELP),
        "import" => import_cmd::run(rest),
        "check" if wants_help => help(check_cmd::HELP),
        "check" => check_cmd::run(rest),
        "inherit" if wants_help => help(inherit_cmd::HELP),
        "inherit" => inherit_cmd::run(rest),
        "sddl" if wants_help => help(sddl_cmd::HELP),
        "sddl" => sddl_cmd::run(rest),
        other => usage_error(&format!("unknown command `{other}`")),
    }
}

fn help(text: &str) -> ExitCode {
    println!("{text}");
    ExitCode::SUCCESS
}

/// Reports a bad command line and exits with status 2.
pub fn usage_error(msg: &str) -> ExitCode {
    eprintln!("secctx: {msg}\n\n{USAGE}");
    ExitCode::from(2)
}

/// Exit status for a JSON-lines run: 0 if every line was valid, 1 if any was
/// malformed, 2 on an I/O error.
pub fn finish(result: std::io::Result<bool>) -> ExitCode {
    match result {
        Ok(false) => ExitCode::SUCCESS,
        Ok(true) => ExitCode::from(1),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("secctx: {e}");
            ExitCode::from(2)
        }
    }
}
