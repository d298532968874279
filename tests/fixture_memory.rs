//! A fixture with very many steps runs in bounded memory: steps are read,
//! run, reported and dropped one at a time. Alone in its test binary so
//! that no other test's allocations disturb the measurement.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use secctx::fixture::{Runner, TextSink};
use std::io::Read;

/// Produces a fixture with `steps` steps on the fly, never holding it.
struct Generated {
    head: Vec<u8>,
    step: Vec<u8>,
    tail: Vec<u8>,
    steps: usize,
    emitted: usize,
    /// The part being written and how far.
    buf: Vec<u8>,
    at: usize,
    stage: u8,
}

impl Generated {
    fn new(steps: usize) -> Generated {
        Generated {
            head: br#"{"name": "big", "domain_sid": "S-1-5-21-1-2-3",
  "tokens": {"u": {"user": "S-1-5-21-1-2-3-1000", "groups": ["DU", "WD"]}},
  "processes": {"p": {"token": "u"}},
  "objects": {"f": {"type": "file", "sd": "O:BAG:DUD:(D;;0x2;;;WD)(A;;FA;;;DU)"}},
  "steps": ["#
                .to_vec(),
            step: br#"{"op": "open", "thread": "p", "object": "f", "desired": "FILE_GENERIC_READ", "note": "a note that makes the step longer than it needs to be", "expect": {"status": "STATUS_SUCCESS", "granted": "FILE_GENERIC_READ"}}"#
                .to_vec(),
            tail: b"]}".to_vec(),
            steps,
            emitted: 0,
            buf: Vec::new(),
            at: 0,
            stage: 0,
        }
    }
}

impl Read for Generated {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        while self.at == self.buf.len() {
            self.at = 0;
            self.buf.clear();
            match self.stage {
                0 => {
                    self.buf.extend_from_slice(&self.head);
                    self.stage = 1;
                }
                1 if self.emitted < self.steps => {
                    if self.emitted > 0 {
                        self.buf.push(b',');
                    }
                    self.buf.extend_from_slice(&self.step);
                    self.emitted += 1;
                }
                1 => {
                    self.buf.extend_from_slice(&self.tail);
                    self.stage = 2;
                }
                _ => return Ok(0),
            }
        }
        let n = out.len().min(self.buf.len() - self.at);
        out[..n].copy_from_slice(&self.buf[self.at..self.at + n]);
        self.at += n;
        Ok(n)
    }
}

/// Peak resident memory in KiB (Linux), if known.
fn peak_kib() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// 100,000 steps (about 25 MB of JSON; `SECCTX_HUGE_STEPS` sets another
/// count) run with a text report, and peak memory grows by far less than
/// the fixture's size: nothing is kept per step. Opening a file adds a
/// handle, so the handle table is closed every step to keep the world
/// itself constant.
#[test]
fn a_fixture_with_many_steps_runs_in_bounded_memory() {
    let steps: usize = std::env::var("SECCTX_HUGE_STEPS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    // Warm up: the first run's one-time allocations are not the fixture's.
    let mut sink = TextSink::new(std::io::sink());
    Runner::new()
        .run_reader(Generated::new(100), "warm", &mut sink)
        .unwrap();
    let before = peak_kib();
    let mut g = Generated::new(steps);
    // Each open is followed by a close of the handle it made, so the
    // world does not grow either.
    g.step = br#"{"op": "open", "thread": "p", "object": "f", "desired": "FILE_GENERIC_READ", "save_as": "h", "note": "a note that makes the step longer than it needs to be", "expect": {"status": "STATUS_SUCCESS", "granted": "FILE_GENERIC_READ"}},
{"op": "close", "thread": "p", "handle": "h", "expect": {"status": "STATUS_SUCCESS"}}"#
        .to_vec();
    let bytes_per_step = g.step.len() + 1;
    let counts = Runner::new().run_reader(g, "big", &mut sink).unwrap();
    assert_eq!(counts.passed, steps * 2);
    assert_eq!(counts.failed, 0);
    if let (Some(b), Some(a)) = (before, peak_kib()) {
        let grew = a.saturating_sub(b);
        let size_kib = (bytes_per_step * steps / 1024) as u64;
        eprintln!("peak grew {grew} KiB for {size_kib} KiB");
        assert!(
            grew < 16 * 1024 && grew * 4 < size_kib,
            "peak memory grew by {grew} KiB for a {size_kib} KiB fixture"
        );
    }
}
