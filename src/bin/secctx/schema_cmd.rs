//! `secctx schema`: the fixture format's JSON Schema.

use crate::cli::{self, Outcome};
use lexopt::Parser;
use std::io::{self, Write};
use std::process::ExitCode;

/// What `secctx schema --help` shows.
pub const HELP: &str = "\
secctx schema

Prints the JSON Schema (draft 2020-12) of the fixture format, generated
from the types `secctx run` reads, so an editor or a validator can check a
fixture before it runs. schema/fixture.schema.json is this output.";

/// Runs `secctx schema`; it takes no arguments.
pub fn run(p: &mut Parser) -> Outcome {
    if let Some(a) = cli::next(p)? {
        return Err(cli::unexpected(a));
    }
    io::stdout()
        .lock()
        .write_all(secctx::fixture::fixture_schema().as_bytes())?;
    Ok(ExitCode::SUCCESS)
}
