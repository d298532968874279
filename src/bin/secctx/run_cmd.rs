//! `secctx run`: play fixtures back and judge every step.

use crate::cli::{self, Outcome, PipeWatch, Stop};
use lexopt::{Arg, Parser};
use secctx::fixture::{self, JsonSink, Runner, Sink, TextSink};
use secctx::view::{self, junit::JunitSink, Recording};
use std::io::{self, BufWriter, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

/// What `secctx run --help` shows.
pub const HELP: &str = "\
secctx run [PATH...] [--explain] [--format text|json|html|junit]

Plays JSON fixtures back: builds each fixture's world, runs its steps in
order, and judges each step that has an `expect`. PATHs are fixture files
or folders (searched for .json files); with none, the bundled fixtures/
folder is run.

  --explain        show the access check's explanation for every step
                   (it is always shown for a failed step)
  --format json    one JSON document instead of text
  --format html    one self-contained HTML page (style, script and data
                   inline): every step with its verdict and explanation, a
                   timeline per thread, and, a click away, the world at
                   each step and its access check drawn ACE by ACE
  --format junit   JUnit XML for CI: a test suite per fixture, a test case
                   per step, the explanation in each failure

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

/// How `secctx run` writes its report.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum RunFormat {
    /// Lines of text.
    Text,
    /// One JSON document.
    Json,
    /// One self-contained HTML page.
    Html,
    /// JUnit XML.
    Junit,
}

impl RunFormat {
    /// The value of `--format`.
    fn read(p: &mut Parser) -> Result<RunFormat, Stop> {
        const EXPECTED: &str = "text, json, html or junit";
        match cli::value(p, EXPECTED)?.as_str() {
            "text" => Ok(RunFormat::Text),
            "json" => Ok(RunFormat::Json),
            "html" => Ok(RunFormat::Html),
            "junit" => Ok(RunFormat::Junit),
            other => Err(cli::bad_value("--format", EXPECTED, other)),
        }
    }
}

/// Fixtures larger than this are not drawn in the HTML report (the report
/// says so); `secctx run` still runs them in the other formats.
const HTML_MAX_BYTES: u64 = 64 << 20;

/// Runs `secctx run` with the arguments left in `p`.
pub fn run(p: &mut Parser) -> Outcome {
    let mut explain = false;
    let mut format = RunFormat::Text;
    let mut paths = Vec::new();
    while let Some(arg) = cli::next(p)? {
        match arg {
            Arg::Long("explain") => explain = true,
            Arg::Long("format") => format = RunFormat::read(p)?,
            Arg::Value(v) => paths.push(PathBuf::from(v)),
            a => return Err(cli::unexpected(a)),
        }
    }
    if paths.is_empty() {
        paths.push(bundled());
    }
    let files = fixture::collect_files(&paths).map_err(|e| Stop::Input(e.to_string()))?;
    let runner = Runner::new().explain(explain);
    if format == RunFormat::Html {
        return html_report(&files);
    }
    let mut out = PipeWatch::new(BufWriter::new(io::stdout().lock()));
    let mut sink: Box<dyn Sink + '_> = match format {
        RunFormat::Json => Box::new(JsonSink::new(&mut out)),
        RunFormat::Junit => Box::new(JunitSink::new(&mut out)),
        _ => Box::new(TextSink::new(&mut out)),
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

/// Writes the HTML report of `files` to stdout; the exit status is the one
/// the text report would give.
fn html_report(files: &[PathBuf]) -> Outcome {
    let recordings: Vec<Recording> = files.iter().map(|f| record_file(f)).collect();
    let mut out = io::stdout().lock();
    out.write_all(view::html::report(&recordings).as_bytes())?;
    out.flush()?;
    let code = if recordings.iter().any(|r| r.error.is_some()) {
        2
    } else if recordings.iter().any(|r| r.counts.failed > 0) {
        1
    } else {
        0
    };
    Ok(ExitCode::from(code))
}

/// Plays the fixture file `f` back for the report.
fn record_file(f: &std::path::Path) -> Recording {
    let label = f.display().to_string();
    let failed = |error: String| Recording {
        label: label.clone(),
        error: Some(error),
        ..Recording::default()
    };
    let file = match std::fs::File::open(f) {
        Ok(file) => file,
        Err(e) => return failed(format!("cannot read `{label}`: {e}")),
    };
    let mut text = String::new();
    if let Err(e) = file.take(HTML_MAX_BYTES + 1).read_to_string(&mut text) {
        return failed(format!("cannot read `{label}`: {e}"));
    }
    if text.len() as u64 > HTML_MAX_BYTES {
        return failed(format!(
            "`{label}` is too large to draw ({HTML_MAX_BYTES} bytes at most); run it as text"
        ));
    }
    let runner = match f.parent() {
        Some(dir) => Runner::new().base(dir),
        None => Runner::new(),
    };
    view::record(&runner, &text, &label)
}
