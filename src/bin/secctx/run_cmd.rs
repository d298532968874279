//! `secctx run`: play fixtures back and judge every step.

use crate::cli::{self, Format, Outcome, PipeWatch, Stop};
use lexopt::{Arg, Parser};
use secctx::fixture::{self, JsonSink, Runner, Sink, TextSink};
use std::io::{self, BufWriter};
use std::path::PathBuf;
use std::process::ExitCode;

/// What `secctx run --help` shows.
pub const HELP: &str = "\
secctx run [PATH...] [--explain] [--format text|json]

Plays JSON fixtures back: builds each fixture's world, runs its steps in
order, and judges each step that has an `expect`. PATHs are fixture files
or folders (searched for .json files); with none, the bundled fixtures/
folder is run.

  --explain        show the access check's explanation for every step
                   (it is always shown for a failed step)
  --format json    one JSON document instead of text

Ends with `N passed, M failed`. Exit status: 0 if every expectation held,
1 if one failed, 2 if a fixture is invalid or a path cannot be read.";

/// The bundled fixtures: `./fixtures` if it exists, else the folder the
/// crate was built from.
pub fn bundled() -> PathBuf {
    let here = PathBuf::from("fixtures");
    if here.is_dir() {
        here
    } else {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures")
    }
}

/// Runs `secctx run` with the arguments left in `p`.
pub fn run(p: &mut Parser) -> Outcome {
    let mut explain = false;
    let mut format = Format::Text;
    let mut paths = Vec::new();
    while let Some(arg) = cli::next(p)? {
        match arg {
            Arg::Long("explain") => explain = true,
            Arg::Long("format") => format = Format::read(p)?,
            Arg::Value(v) => paths.push(PathBuf::from(v)),
            a => return Err(cli::unexpected(a)),
        }
    }
    if paths.is_empty() {
        paths.push(bundled());
    }
    let files = fixture::collect_files(&paths).map_err(|e| Stop::Input(e.to_string()))?;
    let runner = Runner::new().explain(explain);
    let mut out = PipeWatch::new(BufWriter::new(io::stdout().lock()));
    let mut sink: Box<dyn Sink + '_> = match format {
        Format::Json => Box::new(JsonSink::new(&mut out)),
        Format::Text => Box::new(TextSink::new(&mut out)),
    };
    let result = runner.run_files(&files, sink.as_mut());
    drop(sink);
    match result {
        Ok(t) => Ok(ExitCode::from(t.exit_code())),
        // The reader has gone: a quiet end (see `cli`).
        Err(_) if out.closed => Err(Stop::Io(io::ErrorKind::BrokenPipe.into())),
        Err(e) => Err(Stop::Input(e.to_string())),
    }
}
