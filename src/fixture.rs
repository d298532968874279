//! JSON fixtures: a world and a story, played back step by step.
//!
//! A fixture is one JSON object. Its sections, in the order they are
//! usually written:
//!
//! - `name`, `description`: what the fixture is and what it teaches;
//! - `domain_sid`: for domain-relative aliases (`DA`, `DU`, …);
//! - `principals`: friendly names for SIDs (`"alice": "S-1-5-21-…-1001"`),
//!   usable wherever a SID is;
//! - `guids`: friendly names for object-type GUIDs;
//! - `tokens`: tokens by name, in the form `secctx check` reads;
//! - `processes`: by name, each with the `token` it runs as, `threads`
//!   and `handles` it holds from the start;
//! - `imports`: objects read from `icacls /save`, LDIF or `Get-Acl`
//!   output;
//! - `objects`: by path, each with a `type` and an `sd`, or `"inherit":
//!   true` (with an optional `creator`);
//! - `steps`: the story, each step an `op` with its fields and an optional
//!   `expect`.
//!
//! `steps` must come after the world sections: the world is built when
//! `steps` begins, and each step is read, run, reported and dropped before
//! the next is read, so a fixture with millions of steps runs in constant
//! memory. Unknown fields are errors, and every error names its JSON path
//! (`steps[3].expect.status: unknown status \`STATUS_ACESS_DENIED\``).
//! The JSON Schema is `schema/fixture.schema.json`.

mod build;
pub mod import;
mod matrix;
mod model;
mod report;
mod step;

pub use build::Stage;
pub use matrix::{effective_matrix, rights_of, Cell, CellState, Matrix, Row, Rows};
pub use model::{
    Expect, ExpectResult, HandleSpec, ImportSpec, ObjectSpec, ObjectTypeEntry, Op, ProcessSpec,
    Sections, StatusName, StepSpec, UniqueMap,
};
pub use report::{
    result_line, Collect, Counts, Discard, FixtureSummary, JsonSink, Sink, StepReport, TextSink,
    Verdict,
};

use crate::spec::{SpecError, TokenSpec};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use std::fmt;
use std::io::{self, Read};
use std::path::{Path, PathBuf};

/// Why a fixture could not be run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FixtureError {
    /// The file could not be read.
    #[error("cannot read `{path}`: {message}")]
    Io {
        /// The file.
        path: String,
        /// The system's message.
        message: String,
    },
    /// The fixture is malformed; the error names the JSON path.
    #[error("{0}")]
    Invalid(#[from] SpecError),
    /// A path given to run does not exist.
    #[error("`{0}` does not exist")]
    NotFound(String),
    /// A folder given to run holds no `.json` files.
    #[error("`{0}` holds no fixtures (no .json files)")]
    NoFixtures(String),
    /// Writing the report failed.
    #[error("cannot write the report: {0}")]
    Report(String),
}

/// A callback that sees the stage and each step's report as the step
/// completes.
pub type Inspector<'a> = dyn FnMut(&mut Stage, &StepReport) + 'a;

/// How to run fixtures.
#[derive(Clone, Copy, Debug, Default)]
pub struct RunOptions {
    /// Attach the explanation trace to every access check, not only to
    /// failed ones.
    pub explain: bool,
    /// Run only this many steps; later ones are read and must be well
    /// formed, but are not run (`secctx explain`).
    pub limit: Option<usize>,
}

/// Files at most this large are read whole (faster parsing); larger ones
/// are streamed.
const READ_WHOLE_LIMIT: u64 = 16 << 20;

/// The state the streaming reader keeps.
struct Run<'a> {
    sections: Sections,
    stage: Option<Stage>,
    base: Option<&'a Path>,
    options: RunOptions,
    sink: &'a mut dyn Sink,
    counts: Counts,
    /// An error found while resolving (it carries its own JSON path),
    /// which takes precedence over the serde error used to stop reading.
    error: Option<SpecError>,
    io_error: Option<io::Error>,
    steps_seen: bool,
    seen: Vec<&'static str>,
    /// Called with the stage after the last step run (for `explain`).
    inspect: Option<&'a mut Inspector<'a>>,
}

const FIELDS: &[&str] = &[
    "$schema",
    "name",
    "description",
    "domain_sid",
    "principals",
    "guids",
    "tokens",
    "processes",
    "imports",
    "objects",
    "steps",
];

impl Run<'_> {
    fn stop<E: de::Error>(&mut self, e: SpecError) -> E {
        self.error = Some(e);
        E::custom("invalid fixture")
    }

    fn build<E: de::Error>(&mut self) -> Result<(), E> {
        if self.stage.is_some() {
            return Ok(());
        }
        match build::build(&self.sections, self.base) {
            Ok(mut s) => {
                s.world.explain = true;
                self.stage = Some(s);
                Ok(())
            }
            Err(e) => Err(self.stop(e)),
        }
    }
}

impl<'de> Visitor<'de> for &mut Run<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a fixture object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<String>()? {
            let Some(&k) = FIELDS.iter().find(|f| **f == key) else {
                return Err(de::Error::unknown_field(&key, FIELDS));
            };
            if self.seen.contains(&k) {
                return Err(de::Error::custom(format!("`{k}` is given twice")));
            }
            self.seen.push(k);
            if self.steps_seen && k != "name" && k != "description" && k != "$schema" {
                return Err(self.stop(SpecError::new(
                    k,
                    format!(
                        "`{k}` must come before `steps`: the world is built when the steps begin"
                    ),
                )));
            }
            let s = &mut self.sections;
            match k {
                "$schema" => {
                    map.next_value::<String>()?;
                }
                "name" => s.name = Some(map.next_value()?),
                "description" => s.description = Some(map.next_value()?),
                "domain_sid" => s.domain_sid = Some(map.next_value()?),
                "principals" => s.principals = map.next_value()?,
                "guids" => s.guids = map.next_value()?,
                "tokens" => s.tokens = map.next_value::<UniqueMap<TokenSpec>>()?,
                "processes" => s.processes = map.next_value()?,
                "imports" => s.imports = map.next_value()?,
                "objects" => s.objects = map.next_value()?,
                _ => {
                    self.steps_seen = true;
                    self.build()?;
                    let (name, description) = (
                        self.sections.name.clone(),
                        self.sections.description.clone(),
                    );
                    if let Err(e) = self
                        .sink
                        .steps_start(name.as_deref(), description.as_deref())
                    {
                        self.io_error = Some(e);
                        return Err(de::Error::custom("report"));
                    }
                    map.next_value_seed(Steps(&mut *self))?;
                }
            }
        }
        self.build()?;
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for &mut Run<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

struct Steps<'r, 'a>(&'r mut Run<'a>);

impl<'de> DeserializeSeed<'de> for Steps<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Steps<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of steps")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let run = self.0;
        let mut i = 0usize;
        while let Some(step) = seq.next_element::<StepSpec>()? {
            if run.options.limit.is_some_and(|n| i >= n) {
                i += 1;
                continue;
            }
            let Some(stage) = run.stage.as_mut() else {
                return Err(de::Error::custom("the world was not built"));
            };
            match step::run_step(stage, i, &step, run.options.explain) {
                Ok(report) => {
                    run.counts.add(report.verdict);
                    if let Some(f) = run.inspect.as_mut() {
                        f(stage, &report);
                    }
                    if let Err(e) = run.sink.step(&report) {
                        run.io_error = Some(e);
                        return Err(de::Error::custom("report"));
                    }
                }
                Err(e) => return Err(run.stop(e)),
            }
            i += 1;
        }
        Ok(())
    }
}

/// Turns a serde error (with its path) into a [`SpecError`].
fn path_error(e: serde_path_to_error::Error<serde_json::Error>) -> SpecError {
    let path = e.path().to_string();
    let path = if path == "." { String::new() } else { path };
    let inner = e.into_inner();
    let msg = if inner.is_syntax() || inner.is_eof() {
        format!("invalid JSON: {inner}")
    } else if inner.is_io() {
        format!("cannot read: {inner}")
    } else {
        inner.to_string()
    };
    SpecError::new(path, msg)
}

fn drive<'de, R: serde_json::de::Read<'de>>(
    mut de: serde_json::Deserializer<R>,
    run: &mut Run<'_>,
) -> Result<(), FixtureError> {
    let mut track = serde_path_to_error::Track::new();
    let result = {
        let wrapped = serde_path_to_error::Deserializer::new(&mut de, &mut track);
        (&mut *run).deserialize(wrapped)
    };
    if let Some(e) = run.io_error.take() {
        return Err(FixtureError::Report(e.to_string()));
    }
    if let Some(e) = run.error.take() {
        return Err(FixtureError::Invalid(e));
    }
    if let Err(e) = result {
        return Err(FixtureError::Invalid(path_error(
            serde_path_to_error::Error::new(track.path(), e),
        )));
    }
    de.end()
        .map_err(|e| FixtureError::Invalid(SpecError::new("", format!("invalid JSON: {e}"))))
}

/// Runs one fixture read from `reader`, reporting to `sink` as it goes.
/// `label` names it in the report; `base` is the folder its imports are
/// read from. Returns the step counts; an invalid fixture is reported to
/// the sink and returned as `Err`.
pub fn run_reader(
    reader: impl Read,
    label: &str,
    base: Option<&Path>,
    options: RunOptions,
    sink: &mut dyn Sink,
) -> Result<Counts, FixtureError> {
    let de = serde_json::Deserializer::from_reader(io::BufReader::with_capacity(1 << 16, reader));
    execute(de, label, base, options, sink, None).0
}

/// Runs one fixture held in memory.
pub fn run_str(
    text: &str,
    label: &str,
    base: Option<&Path>,
    options: RunOptions,
    sink: &mut dyn Sink,
) -> Result<Counts, FixtureError> {
    let de = serde_json::Deserializer::from_str(text);
    execute(de, label, base, options, sink, None).0
}

/// Runs a fixture held in memory and hands the stage and each step's
/// report to `inspect` as the step completes; returns the stage as the
/// run left it (for `secctx explain` and `secctx effective`).
pub fn run_inspect(
    text: &str,
    base: Option<&Path>,
    options: RunOptions,
    inspect: &mut Inspector<'_>,
) -> Result<Stage, FixtureError> {
    let de = serde_json::Deserializer::from_str(text);
    let mut sink = Discard;
    let (result, stage) = execute(de, "", base, options, &mut sink, Some(inspect));
    result?;
    stage.ok_or_else(|| FixtureError::Invalid(SpecError::new("", "the world was not built")))
}

fn execute<'de, 'a, R: serde_json::de::Read<'de>>(
    de: serde_json::Deserializer<R>,
    label: &str,
    base: Option<&'a Path>,
    options: RunOptions,
    sink: &'a mut dyn Sink,
    inspect: Option<&'a mut Inspector<'a>>,
) -> (Result<Counts, FixtureError>, Option<Stage>) {
    if let Err(e) = sink.fixture_start(label) {
        return (Err(FixtureError::Report(e.to_string())), None);
    }
    let mut run = Run {
        sections: Sections::default(),
        stage: None,
        base,
        options,
        sink,
        counts: Counts::default(),
        error: None,
        io_error: None,
        steps_seen: false,
        seen: Vec::new(),
        inspect,
    };
    let result = drive(de, &mut run);
    let counts = run.counts;
    if let Err(FixtureError::Report(e)) = result {
        return (Err(FixtureError::Report(e)), None);
    }
    let summary = FixtureSummary {
        file: label.to_string(),
        name: run.sections.name.take(),
        description: run.sections.description.take(),
        counts,
        error: result.as_ref().err().map(|e| e.to_string()),
    };
    if let Err(e) = run.sink.fixture_end(&summary) {
        return (Err(FixtureError::Report(e.to_string())), None);
    }
    (result.map(|_| counts), run.stage.take())
}

/// Runs one fixture file.
pub fn run_file(
    path: &Path,
    options: RunOptions,
    sink: &mut dyn Sink,
) -> Result<Counts, FixtureError> {
    let label = path.display().to_string();
    let io_err = |e: io::Error| FixtureError::Io {
        path: label.clone(),
        message: e.to_string(),
    };
    let base = path.parent();
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => return report_unreadable(&label, io_err(e), sink),
    };
    let len = file.metadata().map(|m| m.len()).unwrap_or(u64::MAX);
    if len <= READ_WHOLE_LIMIT {
        let mut text = String::new();
        let mut file = file;
        if let Err(e) = file.read_to_string(&mut text) {
            return report_unreadable(&label, io_err(e), sink);
        }
        run_str(&text, &label, base, options, sink)
    } else {
        run_reader(file, &label, base, options, sink)
    }
}

/// Reports a fixture that could not be read as invalid.
fn report_unreadable(
    label: &str,
    err: FixtureError,
    sink: &mut dyn Sink,
) -> Result<Counts, FixtureError> {
    sink.fixture_start(label)
        .and_then(|_| {
            sink.fixture_end(&FixtureSummary {
                file: label.to_string(),
                name: None,
                description: None,
                counts: Counts::default(),
                error: Some(err.to_string()),
            })
        })
        .map_err(|e| FixtureError::Report(e.to_string()))?;
    Err(err)
}

/// The fixture files under `paths`: files as given, folders searched
/// recursively for `.json` files in name order. A path that does not exist
/// or a folder without fixtures is an error.
pub fn collect_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>, FixtureError> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let before = out.len();
            walk(p, &mut out, 0)?;
            if out.len() == before {
                return Err(FixtureError::NoFixtures(p.display().to_string()));
            }
        } else if p.is_file() {
            out.push(p.clone());
        } else {
            return Err(FixtureError::NotFound(p.display().to_string()));
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>, depth: usize) -> Result<(), FixtureError> {
    if depth > 16 {
        return Ok(());
    }
    let entries = std::fs::read_dir(dir).map_err(|e| FixtureError::Io {
        path: dir.display().to_string(),
        message: e.to_string(),
    })?;
    let mut list: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    list.sort();
    for p in list {
        if p.is_dir() {
            walk(&p, out, depth + 1)?;
        } else if p
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        {
            out.push(p);
        }
    }
    Ok(())
}

/// The outcome of a whole run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RunTotals {
    /// Step counts over every fixture.
    pub counts: Counts,
    /// Fixtures that could not be run.
    pub invalid: usize,
}

impl RunTotals {
    /// The exit status `secctx run` gives: 2 if a fixture was invalid, 1 if
    /// an expectation failed, else 0.
    pub fn exit_code(&self) -> u8 {
        if self.invalid > 0 {
            2
        } else if self.counts.failed > 0 {
            1
        } else {
            0
        }
    }
}

/// Runs every fixture in `files`, reporting to `sink`, and finishes the
/// report with the totals.
pub fn run_files(
    files: &[PathBuf],
    options: RunOptions,
    sink: &mut dyn Sink,
) -> Result<RunTotals, FixtureError> {
    let mut totals = RunTotals::default();
    for f in files {
        match run_file(f, options, sink) {
            Ok(c) => totals.counts.merge(c),
            Err(FixtureError::Report(e)) => return Err(FixtureError::Report(e)),
            Err(_) => totals.invalid += 1,
        }
    }
    sink.finish(totals.counts, totals.invalid)
        .map_err(|e| FixtureError::Report(e.to_string()))?;
    Ok(totals)
}
