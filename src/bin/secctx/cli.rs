//! What every subcommand shares: reading its options (with lexopt), writing
//! to stdout, and how it stops.
//!
//! A closed stdout (`secctx run | head -1`) ends the program quietly with
//! status 0, as ripgrep and other Rust tools do: Rust ignores SIGPIPE, so
//! the write fails with `BrokenPipe` instead of killing the process, and
//! that error means the reader has all it wanted, not that something went
//! wrong.

use lexopt::{Arg, Parser};
use std::io::{self, Write};
use std::process::ExitCode;

/// Why a subcommand stops before finishing its job.
#[derive(Debug)]
pub enum Stop {
    /// `--help` or `-h`: show the subcommand's help and exit 0.
    Help,
    /// The command line is wrong: exit 2, pointing at `--help`.
    Usage(String),
    /// The input cannot be used (an unreadable file, an invalid fixture):
    /// exit 2.
    Input(String),
    /// Reading or writing failed; a closed stdout ends quietly.
    Io(io::Error),
}

impl From<io::Error> for Stop {
    fn from(e: io::Error) -> Stop {
        Stop::Io(e)
    }
}

impl From<lexopt::Error> for Stop {
    fn from(e: lexopt::Error) -> Stop {
        Stop::Usage(describe(e))
    }
}

/// What a subcommand ends with: an exit status, or why it stopped.
pub type Outcome = Result<ExitCode, Stop>;

/// A lexopt error in the words of the rest of the CLI.
fn describe(e: lexopt::Error) -> String {
    use lexopt::Error as E;
    match e {
        E::MissingValue { option: Some(o) } => format!("option `{o}` needs a value"),
        E::MissingValue { option: None } => "a value is missing".into(),
        E::UnexpectedOption(o) => format!("unknown option `{o}`"),
        E::UnexpectedArgument(a) => format!("unexpected argument `{}`", a.to_string_lossy()),
        E::UnexpectedValue { option, value } => format!(
            "option `{option}` takes no value, but was given `{}`",
            value.to_string_lossy()
        ),
        E::NonUnicodeValue(v) => format!("`{}` is not valid UTF-8", v.to_string_lossy()),
        E::ParsingFailed { value, error } => format!("cannot read `{value}`: {error}"),
        E::Custom(e) => e.to_string(),
    }
}

/// The next argument; `--help` and `-h` stop the subcommand to show its
/// help.
pub fn next(p: &mut Parser) -> Result<Option<Arg<'_>>, Stop> {
    match p.next()? {
        Some(Arg::Short('h') | Arg::Long("help")) => Err(Stop::Help),
        a => Ok(a),
    }
}

/// The value of the option just read, as text. `expected` says what it
/// should be, for the error when it is missing.
pub fn value(p: &mut Parser, expected: &str) -> Result<String, Stop> {
    match p.value() {
        Ok(v) => v
            .into_string()
            .map_err(|v| lexopt::Error::NonUnicodeValue(v).into()),
        Err(lexopt::Error::MissingValue { option: Some(o) }) => Err(Stop::Usage(format!(
            "option `{o}` needs a value: {expected}"
        ))),
        Err(e) => Err(e.into()),
    }
}

/// The value of `option`, just read, as a step number.
pub fn step(p: &mut Parser, option: &str) -> Result<usize, Stop> {
    const EXPECTED: &str = "a step number";
    let v = value(p, EXPECTED)?;
    v.parse().map_err(|_| bad_value(option, EXPECTED, &v))
}

/// A positional argument, as text.
pub fn text(v: std::ffi::OsString) -> Result<String, Stop> {
    v.into_string()
        .map_err(|v| lexopt::Error::NonUnicodeValue(v).into())
}

/// The stop for an option given a value it does not take.
pub fn bad_value(option: &str, expected: &str, value: &str) -> Stop {
    Stop::Usage(format!(
        "option `{option}` expects {expected}, not `{value}`"
    ))
}

/// The stop for an argument the subcommand does not take.
pub fn unexpected(a: Arg<'_>) -> Stop {
    a.unexpected().into()
}

/// How a subcommand prints its report.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Format {
    /// Lines of text for people.
    Text,
    /// JSON for programs.
    Json,
}

impl Format {
    /// The value of `--format`.
    pub fn read(p: &mut Parser) -> Result<Format, Stop> {
        const EXPECTED: &str = "text or json";
        match value(p, EXPECTED)?.as_str() {
            "text" => Ok(Format::Text),
            "json" => Ok(Format::Json),
            other => Err(bad_value("--format", EXPECTED, other)),
        }
    }
}

/// The value of `--domain-sid`, parsed.
pub fn domain_sid(p: &mut Parser) -> Result<secctx::Sid, Stop> {
    const EXPECTED: &str = "a domain SID such as S-1-5-21-1-2-3";
    let d = value(p, EXPECTED)?;
    secctx::Sid::parse_sddl(&d, None).map_err(|_| bad_value("--domain-sid", EXPECTED, &d))
}

/// Writes `text` and a newline to stdout.
pub fn print_line(text: &str) -> io::Result<()> {
    let mut out = io::stdout().lock();
    writeln!(out, "{text}")?;
    out.flush()
}

/// Writes `text` to stderr; a closed stderr is ignored, as there is nowhere
/// left to say anything.
pub fn say(text: &str) {
    let _ = writeln!(io::stderr().lock(), "{text}");
}

/// The exit status for how `cmd` (`secctx` itself when `None`) ended;
/// `help` is the text `--help` shows.
pub fn exit(cmd: Option<&str>, help: &str, outcome: Outcome) -> ExitCode {
    let name = match cmd {
        Some(c) => format!("secctx {c}"),
        None => "secctx".into(),
    };
    let stop = match outcome {
        Ok(code) => return code,
        Err(Stop::Help) => match print_line(help) {
            Ok(()) => return ExitCode::SUCCESS,
            Err(e) => Stop::Io(e),
        },
        Err(stop) => stop,
    };
    match stop {
        Stop::Usage(msg) => {
            say(&format!("{name}: {msg}\nRun `{name} --help` for usage."));
            ExitCode::from(2)
        }
        Stop::Input(msg) => {
            say(&format!("{name}: {msg}"));
            ExitCode::from(2)
        }
        Stop::Io(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            say(&format!("{name}: {e}"));
            ExitCode::from(2)
        }
        // A closed stdout: the reader has all it wanted.
        Stop::Io(_) | Stop::Help => ExitCode::SUCCESS,
    }
}

/// A writer that notes when its reader has gone away, for writers handed to
/// code that turns I/O errors into its own errors.
pub struct PipeWatch<W> {
    /// The writer watched.
    inner: W,
    /// Whether a write failed with `BrokenPipe`.
    pub closed: bool,
}

impl<W: Write> PipeWatch<W> {
    /// Watches `inner`.
    pub fn new(inner: W) -> PipeWatch<W> {
        PipeWatch {
            inner,
            closed: false,
        }
    }

    /// Passes `r` on, noting a broken pipe.
    fn note<T>(&mut self, r: io::Result<T>) -> io::Result<T> {
        if let Err(e) = &r {
            self.closed |= e.kind() == io::ErrorKind::BrokenPipe;
        }
        r
    }
}

impl<W: Write> Write for PipeWatch<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let r = self.inner.write(buf);
        self.note(r)
    }

    fn flush(&mut self) -> io::Result<()> {
        let r = self.inner.flush();
        self.note(r)
    }
}

/// Reads a fixture file as text: UTF-8 with or without a BOM, or UTF-16
/// with a BOM (`secctx::fixture::text`).
pub fn read_text(path: &std::path::Path) -> Result<String, Stop> {
    let shown = path.display();
    let bytes =
        std::fs::read(path).map_err(|e| Stop::Input(format!("cannot read `{shown}`: {e}")))?;
    secctx::fixture::text::decode_text(&bytes)
        .map_err(|e| Stop::Input(format!("cannot read `{shown}`: {e}")))
}
