//! `secctx run`: play fixtures back and judge every step.

use crate::args::Args;
use secctx::fixture::{self, FixtureError, JsonSink, Runner, Sink, TextSink};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

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

pub fn run(args: &[String]) -> ExitCode {
    let mut a = Args::new(args);
    let explain = a.flag("--explain");
    let format = match a.value("--format") {
        Ok(f) => f.unwrap_or_else(|| "text".into()),
        Err(e) => return crate::usage_error(&e),
    };
    if format != "text" && format != "json" {
        return crate::usage_error(&format!("--format: expected text or json, not `{format}`"));
    }
    let mut paths: Vec<PathBuf> = a.positionals().into_iter().map(PathBuf::from).collect();
    if let Err(e) = a.finish() {
        return crate::usage_error(&e);
    }
    if paths.is_empty() {
        paths.push(bundled());
    }
    let files = match fixture::collect_files(&paths) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("secctx run: {e}");
            return ExitCode::from(2);
        }
    };
    let runner = Runner::new().explain(explain);
    let stdout = std::io::stdout();
    let out = std::io::BufWriter::new(stdout.lock());
    let mut sink: Box<dyn Sink> = if format == "json" {
        Box::new(JsonSink::new(out))
    } else {
        Box::new(TextSink::new(out))
    };
    match runner.run_files(&files, sink.as_mut()) {
        Ok(t) => ExitCode::from(t.exit_code()),
        Err(FixtureError::Report(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {
            let _ = std::io::stderr().flush();
            ExitCode::from(0)
        }
        Err(e) => {
            eprintln!("secctx run: {e}");
            ExitCode::from(2)
        }
    }
}
