//! secctx benchmarks. `cargo bench` prints the table; `cargo test --benches`
//! runs each case once. See `harness.rs` for the knobs.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod access;
mod formats;
mod harness;
mod machine;

fn main() {
    if machine::child() {
        return;
    }
    let mut b = harness::Bench::from_env();
    if b.timing() {
        println!(
            "{:<44} {:<28} {:>11}         {:>7}  {:>13}",
            "case", "parameters", "median", "spread", "throughput"
        );
    }
    access::run(&mut b);
    formats::run(&mut b);
    machine::run(&mut b);
    b.finish();
}
