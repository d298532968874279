//! Benchmarks (criterion-free harness).
fn main() {}
