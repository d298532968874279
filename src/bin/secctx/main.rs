//! The `secctx` command-line tool.
fn main() {}
