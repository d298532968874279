//! Running the `secctx` binary from tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::Write;
use std::process::{Child, Command, Stdio};
use std::thread::JoinHandle;

/// Runs `secctx args…` with `input` on stdin; returns the exit status and
/// stdout parsed as JSON lines.
pub fn run_json_lines(args: &[&str], input: &str) -> (i32, Vec<serde_json::Value>) {
    let (code, stdout, _) = run(args, input);
    let lines = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect();
    (code, lines)
}

/// Starts `secctx args…` with stdin, stdout and stderr piped, and a thread
/// writing `input` to its stdin (so a large input cannot deadlock against a
/// full stdout pipe; the write stops quietly if the command stops reading).
pub fn spawn(args: &[&str], input: &str) -> (Child, JoinHandle<()>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_secctx"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_string();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(input.as_bytes());
    });
    (child, writer)
}

/// Runs `secctx args…` with `input` on stdin; returns the exit status,
/// stdout and stderr.
pub fn run(args: &[&str], input: &str) -> (i32, String, String) {
    let (child, writer) = spawn(args, input);
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}
