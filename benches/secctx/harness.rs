//! A small benchmark harness: calibrate a batch to at least 1 ms, warm up,
//! take at least 31 samples, report the median ns/op, the spread and ops/s.
//!
//! Without `--bench` (as under `cargo test --benches`) every case runs once,
//! as a test. `BENCH_FILTER=text` selects cases whose name contains `text`;
//! `BENCH_JSON=path` writes the results as JSON.

use std::hint::black_box;
use std::time::{Duration, Instant};

/// One measured result.
pub struct Measurement {
    pub name: String,
    pub params: String,
    pub median_ns: f64,
    pub min_ns: f64,
    pub max_ns: f64,
    pub samples: usize,
    /// Bytes processed per operation, for throughput cases.
    pub bytes_per_op: Option<f64>,
    /// Items (e.g. descriptors) processed per operation.
    pub items_per_op: Option<f64>,
    /// Extra figures a case reports (e.g. resident memory).
    pub extra: Vec<(String, String)>,
}

/// What one operation of a case processes, for throughput figures.
#[derive(Clone, Copy, Default)]
pub struct Throughput {
    /// Bytes per operation.
    pub bytes: Option<f64>,
    /// Items per operation.
    pub items: Option<f64>,
}

/// The runner: collects cases and their results.
pub struct Bench {
    timing: bool,
    filter: Option<String>,
    pub results: Vec<Measurement>,
    min_batch: Duration,
    samples: usize,
}

impl Bench {
    pub fn from_env() -> Bench {
        let timing = std::env::args().any(|a| a == "--bench");
        let filter = std::env::var("BENCH_FILTER").ok().filter(|f| !f.is_empty());
        let samples = std::env::var("BENCH_SAMPLES")
            .ok()
            .and_then(|v| v.parse().ok())
            .filter(|&n: &usize| n >= 31)
            .unwrap_or(31);
        Bench {
            timing,
            filter,
            results: Vec::new(),
            min_batch: Duration::from_millis(1),
            samples,
        }
    }

    /// Whether times are measured (`--bench`), or cases only run once.
    pub fn timing(&self) -> bool {
        self.timing
    }

    /// Whether `name` passes `BENCH_FILTER`.
    pub fn selected(&self, name: &str) -> bool {
        self.filter.as_deref().is_none_or(|f| name.contains(f))
    }

    /// Measures `op`. `verify` runs first, once, and must return `Ok` for the
    /// case to be timed (it checks the case's answer).
    pub fn case<T>(
        &mut self,
        name: &str,
        params: &str,
        throughput: Throughput,
        verify: impl FnOnce() -> Result<(), String>,
        mut op: impl FnMut() -> T,
    ) {
        if !self.selected(name) {
            return;
        }
        if let Err(e) = verify() {
            eprintln!("bench case {name} [{params}] gives a wrong answer: {e}");
            std::process::exit(1);
        }
        if !self.timing {
            black_box(op());
            println!("bench {name} [{params}] ... ok (ran once)");
            return;
        }
        // Calibrate: grow the batch until one takes at least min_batch.
        let mut batch: u64 = 1;
        loop {
            let t = Instant::now();
            for _ in 0..batch {
                black_box(op());
            }
            let e = t.elapsed();
            if e >= self.min_batch {
                break;
            }
            batch = if e.as_nanos() == 0 {
                batch * 10
            } else {
                let want = self.min_batch.as_nanos() as f64 * 1.2 / e.as_nanos() as f64;
                ((batch as f64 * want).ceil() as u64).max(batch + 1)
            };
        }
        // Warm up for about as long as a few samples.
        for _ in 0..3 {
            for _ in 0..batch {
                black_box(op());
            }
        }
        let mut per_op: Vec<f64> = Vec::with_capacity(self.samples);
        for _ in 0..self.samples {
            let t = Instant::now();
            for _ in 0..batch {
                black_box(op());
            }
            per_op.push(t.elapsed().as_nanos() as f64 / batch as f64);
        }
        self.record(name, params, throughput, per_op, Vec::new());
    }

    /// Adds a figure (e.g. resident memory) to the last result of `name`,
    /// for `BENCH_JSON`.
    pub fn annotate(&mut self, name: &str, key: &str, value: String) {
        if let Some(m) = self.results.iter_mut().rev().find(|m| m.name == name) {
            m.extra.push((key.to_string(), value));
        }
    }

    /// Measures a heavy one-shot operation (seconds each, such as a CLI run
    /// over a million lines): `run` does the whole job and checks its
    /// answer. It runs once untimed as a warm-up, then `BENCH_HEAVY_SAMPLES`
    /// times (default 5; batching and 31 samples would take minutes), and
    /// the median is reported. Without `--bench` it runs once.
    pub fn heavy(
        &mut self,
        name: &str,
        params: &str,
        throughput: Throughput,
        mut run: impl FnMut() -> Result<(), String>,
    ) {
        if !self.selected(name) {
            return;
        }
        if let Err(e) = run() {
            eprintln!("bench case {name} [{params}] gives a wrong answer: {e}");
            std::process::exit(1);
        }
        if !self.timing {
            println!("bench {name} [{params}] ... ok (ran once)");
            return;
        }
        let samples = std::env::var("BENCH_HEAVY_SAMPLES")
            .ok()
            .and_then(|v| v.parse().ok())
            .filter(|&n: &usize| n >= 1)
            .unwrap_or(5);
        let mut times: Vec<f64> = Vec::with_capacity(samples);
        for _ in 0..samples {
            let t = Instant::now();
            if let Err(e) = run() {
                eprintln!("bench case {name} [{params}] failed while timed: {e}");
                std::process::exit(1);
            }
            times.push(t.elapsed().as_nanos() as f64);
        }
        let extra = vec![("kind".to_string(), "heavy".to_string())];
        self.record(name, params, throughput, times, extra);
    }

    /// Prints and keeps one result from its per-op times.
    fn record(
        &mut self,
        name: &str,
        params: &str,
        throughput: Throughput,
        mut per_op: Vec<f64>,
        extra: Vec<(String, String)>,
    ) {
        per_op.sort_by(f64::total_cmp);
        let m = Measurement {
            name: name.to_string(),
            params: params.to_string(),
            median_ns: per_op[per_op.len() / 2],
            min_ns: per_op[0],
            max_ns: per_op[per_op.len() - 1],
            samples: per_op.len(),
            bytes_per_op: throughput.bytes,
            items_per_op: throughput.items,
            extra,
        };
        print_row(&m);
        self.results.push(m);
    }

    /// Writes `BENCH_JSON` if set.
    pub fn finish(&self) {
        let Ok(path) = std::env::var("BENCH_JSON") else {
            return;
        };
        let rustc = command_output("rustc", &["--version"]);
        let git = command_output("git", &["rev-parse", "HEAD"]);
        let rows: Vec<serde_json::Value> = self
            .results
            .iter()
            .map(|m| {
                let mut v = serde_json::json!({
                    "name": m.name,
                    "parameters": m.params,
                    "median_ns": m.median_ns,
                    "min_ns": m.min_ns,
                    "max_ns": m.max_ns,
                    "samples": m.samples,
                    "ops_per_sec": if m.median_ns > 0.0 { 1e9 / m.median_ns } else { 0.0 },
                    "rustc": rustc,
                    "git_revision": git,
                });
                if let Some(b) = m.bytes_per_op {
                    v["mb_per_sec"] = serde_json::json!(b / m.median_ns * 1e3);
                }
                if let Some(n) = m.items_per_op {
                    v["ns_per_item"] = serde_json::json!(m.median_ns / n);
                }
                for (k, val) in &m.extra {
                    v[k] = serde_json::json!(val);
                }
                v
            })
            .collect();
        let text = serde_json::to_string_pretty(&rows).unwrap_or_default();
        if let Err(e) = std::fs::write(&path, text) {
            eprintln!("cannot write {path}: {e}");
        }
    }
}

fn print_row(m: &Measurement) {
    let spread = if m.median_ns > 0.0 {
        (m.max_ns - m.min_ns) / m.median_ns * 100.0
    } else {
        0.0
    };
    let mut line = format!(
        "{:<44} {:<28} {:>11} ns/op  ±{:>5.1}%  {:>13} ops/s",
        m.name,
        m.params,
        format_ns(m.median_ns),
        spread,
        format!("{:.0}", 1e9 / m.median_ns)
    );
    if let Some(b) = m.bytes_per_op {
        line.push_str(&format!("  {:>8.1} MB/s", b / m.median_ns * 1e3));
    }
    if let Some(n) = m.items_per_op {
        line.push_str(&format!("  {:>9.1} ns/item", m.median_ns / n));
    }
    println!("{line}");
}

fn format_ns(ns: f64) -> String {
    if ns >= 1e7 {
        format!("{:.3e}", ns)
    } else if ns < 100.0 {
        format!("{ns:.2}")
    } else {
        format!("{ns:.0}")
    }
}

fn command_output(cmd: &str, args: &[&str]) -> String {
    std::process::Command::new(cmd)
        .args(args)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
        .unwrap_or_else(|| "unknown".to_string())
}
