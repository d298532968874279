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

/// `bytes` in base64 (RFC 4648, with padding), as LDIF `attr::` values
/// carry them.
pub fn base64(bytes: &[u8]) -> String {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut s = String::new();
    for c in bytes.chunks(3) {
        let n = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for i in 0..4 {
            if i <= c.len() {
                s.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                s.push('=');
            }
        }
    }
    s
}

/// `text` as UTF-16 with a byte-order mark, little- or big-endian, as
/// PowerShell 5.1's `>` writes files.
pub fn utf16_with_bom(text: &str, little_endian: bool) -> Vec<u8> {
    let bom: [u8; 2] = if little_endian {
        [0xFF, 0xFE]
    } else {
        [0xFE, 0xFF]
    };
    let units = text.encode_utf16().flat_map(|u| {
        if little_endian {
            u.to_le_bytes()
        } else {
            u.to_be_bytes()
        }
    });
    bom.into_iter().chain(units).collect()
}
