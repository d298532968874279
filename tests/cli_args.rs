//! The command line itself: help, errors for bad arguments, and a stdout
//! that closes early.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use std::io::Read;
use support::run;

const COMMANDS: [&str; 8] = [
    "run",
    "explain",
    "effective",
    "audit",
    "import",
    "check",
    "inherit",
    "sddl",
];

#[test]
fn help_run_is_run_dash_dash_help() {
    let (code, help, err) = run(&["help", "run"], "");
    assert_eq!(code, 0, "{err}");
    let (code, dash, _) = run(&["run", "--help"], "");
    assert_eq!(code, 0);
    assert_eq!(help, dash);
    assert!(help.contains("--explain"), "{help}");
    assert!(
        help.starts_with("secctx run [PATH...] [--explain] [--format text|json|html|junit]\n"),
        "{help}"
    );
}

#[test]
fn every_command_has_its_own_help() {
    for cmd in COMMANDS {
        let (code, long, err) = run(&[cmd, "--help"], "");
        assert_eq!(code, 0, "{cmd}: {err}");
        assert!(err.is_empty(), "{cmd}: {err}");
        let usage = format!("secctx {cmd} ");
        assert!(
            long.lines().next().unwrap().starts_with(&usage),
            "{cmd}: {long}"
        );
        let (code, short, _) = run(&[cmd, "-h"], "");
        assert_eq!(code, 0, "{cmd}");
        assert_eq!(short, long, "{cmd}");
        let (code, via_help, _) = run(&["help", cmd], "");
        assert_eq!(code, 0, "{cmd}");
        assert_eq!(via_help, long, "{cmd}");
    }
}

#[test]
fn general_help_and_version() {
    let (code, help, _) = run(&["--help"], "");
    assert_eq!(code, 0);
    assert!(
        help.starts_with("secctx — a simulation of the Windows security model\n"),
        "{help}"
    );
    for cmd in COMMANDS {
        assert!(help.contains(&format!("\n  {cmd} ")), "{cmd}: {help}");
    }
    assert_eq!(run(&["-h"], "").1, help);
    assert_eq!(run(&["help"], "").1, help);
    let (code, out, err) = run(&[], "");
    assert_eq!(code, 2, "no command is a bad command line");
    assert!(out.is_empty());
    assert_eq!(err, help);
    let (code, out, _) = run(&["--version"], "");
    assert_eq!(code, 0);
    assert_eq!(out, format!("secctx {}\n", env!("CARGO_PKG_VERSION")));
}

/// Runs a bad command line: it must exit 2, print nothing on stdout, and
/// say exactly `err` on stderr.
fn refused(args: &[&str], err: &str) {
    let (code, out, e) = run(args, "");
    assert_eq!(code, 2, "{args:?}: {e}");
    assert_eq!(out, "", "{args:?}");
    assert_eq!(e, err, "{args:?}");
}

#[test]
fn unknown_options_are_named() {
    refused(
        &["run", "--frobnicate"],
        "secctx run: unknown option `--frobnicate`\nRun `secctx run --help` for usage.\n",
    );
    refused(
        &["check", "-x"],
        "secctx check: unknown option `-x`\nRun `secctx check --help` for usage.\n",
    );
    refused(
        &["sddl", "--explain"],
        "secctx sddl: unknown option `--explain`\nRun `secctx sddl --help` for usage.\n",
    );
}

#[test]
fn bad_format_values_are_named() {
    let expected = |cmd: &str| {
        format!(
            "secctx {cmd}: option `--format` expects text or json, not `yaml`\n\
             Run `secctx {cmd} --help` for usage.\n"
        )
    };
    // `run` also writes HTML and JUnit reports.
    let run_expected = "secctx run: option `--format` expects text, json, html or junit, \
                        not `yaml`\nRun `secctx run --help` for usage.\n";
    refused(&["run", "--format", "yaml"], run_expected);
    refused(&["run", "--format=yaml"], run_expected);
    refused(&["explain", "--format", "yaml"], &expected("explain"));
    refused(
        &["effective", "f", "o", "--format", "yaml"],
        &expected("effective"),
    );
}

#[test]
fn missing_and_unwanted_values_and_arguments() {
    refused(
        &["run", "--format"],
        "secctx run: option `--format` needs a value: text, json, html or junit\n\
         Run `secctx run --help` for usage.\n",
    );
    refused(
        &["check", "--domain-sid"],
        "secctx check: option `--domain-sid` needs a value: a domain SID such as S-1-5-21-1-2-3\n\
         Run `secctx check --help` for usage.\n",
    );
    refused(
        &["inherit", "--domain-sid", "nope"],
        "secctx inherit: option `--domain-sid` expects a domain SID such as S-1-5-21-1-2-3, not `nope`\n\
         Run `secctx inherit --help` for usage.\n",
    );
    refused(
        &["explain", "f.json", "--step", "two"],
        "secctx explain: option `--step` expects a step number, not `two`\n\
         Run `secctx explain --help` for usage.\n",
    );
    refused(
        &["run", "--explain=yes"],
        "secctx run: option `--explain` takes no value, but was given `yes`\n\
         Run `secctx run --help` for usage.\n",
    );
    refused(
        &["check", "extra"],
        "secctx check: unexpected argument `extra`\nRun `secctx check --help` for usage.\n",
    );
    refused(
        &["import", "icacls"],
        "secctx import: import needs a FORMAT and a FILE\n\
         Run `secctx import --help` for usage.\n",
    );
}

#[test]
fn unknown_commands_are_named() {
    let err = "secctx: unknown command `frob`; expected one of run, explain, effective, \
               audit, import, check, inherit, sddl, schema, serve\nRun `secctx --help` for usage.\n";
    refused(&["frob"], err);
    refused(&["help", "frob"], err);
    refused(
        &["help", "run", "extra"],
        "secctx: unexpected argument `extra`\nRun `secctx --help` for usage.\n",
    );
}

/// Runs `secctx args…` with `input` on stdin, reads `take` bytes of its
/// output and closes the pipe; returns the exit status, what was read and
/// stderr.
fn closed_early(args: &[&str], input: &str, take: usize) -> (i32, Vec<u8>, String) {
    let (mut child, writer) = support::spawn(args, input);
    let mut stdout = child.stdout.take().unwrap();
    let mut got = vec![0; take];
    stdout.read_exact(&mut got).unwrap();
    drop(stdout);
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let status = child.wait().unwrap();
    writer.join().unwrap();
    (status.code().unwrap(), got, err)
}

#[test]
fn a_closed_stdout_ends_quietly() {
    for take in [0, 6] {
        let (code, got, err) = closed_early(&["--help"], "", take);
        assert_eq!(code, 0, "{err}");
        assert!(!err.contains("panicked"), "{err}");
        assert_eq!(err, "");
        assert_eq!(got, &b"secctx"[..take]);
        let (code, _, err) = closed_early(&["run", "--help"], "", take);
        assert_eq!(code, 0, "{err}");
        assert_eq!(err, "");
    }
    // Output far larger than a pipe holds: the command is still writing
    // when the reader goes away.
    let (code, got, err) = closed_early(&["run", "--explain"], "", 3);
    assert_eq!(code, 0, "{err}");
    assert_eq!(err, "");
    assert_eq!(got, b"== ");
    let lines = "{\"id\": 1, \"sddl\": \"D:(A;;FA;;;WD)\"}\n".repeat(50_000);
    let (code, got, err) = closed_early(&["sddl"], &lines, 8);
    assert_eq!(code, 0, "{err}");
    assert_eq!(err, "");
    assert_eq!(got, b"{\"id\":1,");
}
