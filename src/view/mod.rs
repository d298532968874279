//! Pictures and reports of a fixture run: what a student or a CI system
//! sees of the story a fixture tells.
//!
//! This layer sits between the fixtures and the command-line tool. It
//! consumes what the [`Runner`] already produces (each step's
//! [`StepReport`] with its explanation [`Trace`](crate::Trace), and the
//! [`Stage`] the run leaves behind) and draws it:
//!
//! - [`timeline`]: one lane per thread, the effective token at each step,
//!   the impersonation stack depth, pushes, pops and reverts marked;
//! - [`world`]: the world at a step (processes with their primary tokens,
//!   threads with their impersonation stacks, handles with their access);
//! - [`ace_walk`]: the access check of a step, stage by stage and ACE by
//!   ACE, in the order Windows takes them;
//! - [`matrix`]: the effective-access matrix of an object as a grid;
//! - [`html`]: the playground page and the self-contained HTML report;
//! - [`junit`]: JUnit XML for CI systems.
//!
//! [`record`] plays a fixture back with a per-step observer (the runner's
//! [`Runner::inspect`] hook) and keeps what the pictures need; the normal
//! `secctx run` does not pay for it.

pub mod ace_walk;
pub mod html;
pub mod junit;
pub mod matrix;
pub mod names;
pub mod timeline;
pub mod world;

use crate::fixture::{Counts, Runner, Stage, StepReport};
use serde::Serialize;
use std::borrow::Cow;
use std::collections::HashMap;

pub use world::{ThreadState, WorldView};

/// The most steps a recording holds; a longer fixture is refused with a
/// clear message rather than drawn into a page no browser can show.
pub const MAX_STEPS: usize = 50_000;

/// One recorded step: the runner's report and where its pictures are.
#[derive(Clone, Debug, Serialize)]
pub struct RecordedStep {
    /// What the runner reported.
    pub report: StepReport,
    /// The index in [`Recording::pictures`] of the world after the step.
    pub world: usize,
    /// The index in [`Recording::pictures`] of the step's ACE walk, when
    /// the step made an access check.
    pub walk: Option<usize>,
}

/// A fixture played back with everything the pictures need.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Recording {
    /// The fixture's label (its file, or a name given by the caller).
    pub label: String,
    /// The fixture's `name`.
    pub name: Option<String>,
    /// The fixture's `description`.
    pub description: Option<String>,
    /// Every step, in order.
    pub steps: Vec<RecordedStep>,
    /// The thread states after each step (`threads[step][thread]`), for the
    /// timeline.
    pub threads: Vec<Vec<ThreadState>>,
    /// Each distinct SVG picture once (worlds and ACE walks); steps refer
    /// to them by index, so a long run of identical worlds costs one copy.
    pub pictures: Vec<String>,
    /// The effective-access matrix of each object at the end of the run,
    /// as SVG.
    pub matrices: Vec<String>,
    /// The users' colours, shared by every picture of the recording.
    pub palette: Palette,
    /// The step counts.
    pub counts: Counts,
    /// Why the fixture could not be run (the JSON path and message, as the
    /// command line prints it).
    pub error: Option<String>,
}

impl Recording {
    /// The timeline picture of this recording.
    pub fn timeline(&self) -> String {
        timeline::render(self)
    }
}

/// Interns pictures: each distinct SVG text is kept once.
#[derive(Default)]
struct Pictures {
    list: Vec<String>,
    seen: HashMap<String, usize>,
}

impl Pictures {
    fn add(&mut self, svg: String) -> usize {
        if let Some(&i) = self.seen.get(&svg) {
            return i;
        }
        let i = self.list.len();
        self.seen.insert(svg.clone(), i);
        self.list.push(svg);
        i
    }
}

/// Plays the fixture `text` back with explanations for every step and
/// records the world after each step. `label` names it; `runner` says
/// where its imports are read from. An invalid fixture is returned as a
/// recording whose `error` holds the positioned message; a fixture of more
/// than [`MAX_STEPS`] steps is refused the same way.
pub fn record(runner: &Runner, text: &str, label: &str) -> Recording {
    let runner = runner.clone().explain(true).limit(MAX_STEPS + 1);
    let mut rec = Recording {
        label: label.to_string(),
        ..Recording::default()
    };
    if count_steps(text) > MAX_STEPS {
        rec.error = Some(too_many());
        return rec;
    }
    let mut pictures = Pictures::default();
    let mut too_long = false;
    let result = runner.inspect(text, &mut |stage, report| {
        if too_long || report.index >= MAX_STEPS {
            too_long = true;
            return;
        }
        let view = WorldView::of(stage);
        let world = pictures.add(world::render(&view, &mut rec.palette));
        let walk = report
            .trace
            .as_ref()
            .map(|t| pictures.add(ace_walk::render(t, Some(stage))));
        rec.threads.push(view.threads);
        rec.counts.add(report.verdict);
        rec.steps.push(RecordedStep {
            report: report.clone(),
            world,
            walk,
        });
    });
    rec.pictures = pictures.list;
    if too_long {
        rec.steps.clear();
        rec.threads.clear();
        rec.pictures.clear();
        rec.counts = Counts::default();
        rec.error = Some(too_many());
        return rec;
    }
    fill_names(&mut rec, text);
    match result {
        Ok(stage) => rec.matrices = matrices(&stage, text),
        // The steps run before the error stay: they did run.
        Err(e) => rec.error = Some(e.to_string()),
    }
    rec
}

/// The refusal of a fixture with more than [`MAX_STEPS`] steps.
fn too_many() -> String {
    format!(
        "this fixture has more than {MAX_STEPS} steps, too many to draw; \
         run it with `secctx run` instead"
    )
}

/// How many elements the top-level `steps` array of `text` holds (0 when
/// the text is not a JSON object; the run then reports what is wrong). Only
/// counts: the steps are skipped, not built.
fn count_steps(text: &str) -> usize {
    struct Len(usize);
    impl<'de> serde::Deserialize<'de> for Len {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Len, D::Error> {
            struct V;
            impl<'de> serde::de::Visitor<'de> for V {
                type Value = Len;
                fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.write_str("an array of steps")
                }
                fn visit_seq<A: serde::de::SeqAccess<'de>>(
                    self,
                    mut a: A,
                ) -> Result<Len, A::Error> {
                    let mut n = 0;
                    while a.next_element::<serde::de::IgnoredAny>()?.is_some() {
                        n += 1;
                    }
                    Ok(Len(n))
                }
            }
            d.deserialize_seq(V)
        }
    }
    #[derive(serde::Deserialize)]
    struct Head {
        steps: Option<Len>,
    }
    serde_json::from_str::<Head>(text)
        .ok()
        .and_then(|h| h.steps)
        .map_or(0, |l| l.0)
}

/// The fixture's `name` and `description`, read from its text.
fn fill_names(rec: &mut Recording, text: &str) {
    (rec.name, rec.description) = heading(text);
}

/// A fixture's `name` and `description`, read from its text without
/// running it (`None` for each that is missing, or when the text is not a
/// JSON object).
pub fn heading(text: &str) -> (Option<String>, Option<String>) {
    #[derive(serde::Deserialize)]
    struct Head {
        name: Option<String>,
        description: Option<String>,
    }
    serde_json::from_str::<Head>(text).map_or((None, None), |h| (h.name, h.description))
}

/// A bundled fixture, recorded (for the renderers' tests).
#[cfg(test)]
pub(crate) fn bundled_recording(name: &str) -> Recording {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures");
    let text = std::fs::read_to_string(format!("{dir}/{name}")).unwrap_or_default();
    record(&Runner::new().base(dir), &text, name)
}

/// The matrices of the objects the fixture declares, as SVG, in the order
/// it declares them (at most 16).
fn matrices(stage: &Stage, text: &str) -> Vec<String> {
    #[derive(serde::Deserialize)]
    struct Objects {
        #[serde(default)]
        objects: indexmap::IndexMap<String, serde::de::IgnoredAny>,
    }
    let Ok(o) = serde_json::from_str::<Objects>(text) else {
        return Vec::new();
    };
    o.objects
        .keys()
        .filter_map(|path| stage.world.lookup(path).ok())
        .take(16)
        .filter_map(|id| crate::fixture::effective_matrix(stage, id, crate::fixture::Rows::Tokens))
        .map(|m| matrix::render(&m))
        .collect()
}

/// `text` escaped for XML and HTML text and attribute values. Characters
/// XML 1.0 does not allow (controls other than tab, newline and carriage
/// return; lone surrogates cannot occur in a `str`) become U+FFFD.
pub fn escape(text: &str) -> Cow<'_, str> {
    let clean = |c: char| {
        !matches!(c, '&' | '<' | '>' | '"' | '\'')
            && (c >= ' ' || matches!(c, '\t' | '\n' | '\r'))
            && !matches!(c, '\u{FFFE}' | '\u{FFFF}')
    };
    if text.chars().all(clean) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if clean(c) => out.push(c),
            _ => out.push('\u{FFFD}'),
        }
    }
    Cow::Owned(out)
}

/// Colours for users, handed out in the order the users are first drawn,
/// so the users of one recording do not share a colour (up to eight) and a
/// user keeps its colour in every picture of the recording.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Palette {
    users: Vec<String>,
}

impl Palette {
    /// The colour of `user`, handing it the next free colour if it has
    /// none yet.
    pub fn colour(&mut self, user: &str) -> &'static str {
        const COLOURS: [&str; 8] = [
            "#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#e15759", "#76b7b2", "#9c755f", "#edc948",
        ];
        let i = match self.users.iter().position(|u| u == user) {
            Some(i) => i,
            None => {
                self.users.push(user.to_string());
                self.users.len() - 1
            }
        };
        COLOURS[i % COLOURS.len()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Markup characters are escaped and characters XML 1.0 forbids are
    /// replaced, so hostile names cannot break the document (XML 1.0 §2.2).
    #[test]
    fn escape_handles_markup_and_forbidden_characters() {
        assert_eq!(escape("a<b>&\"c'"), "a&lt;b&gt;&amp;&quot;c&#39;");
        assert_eq!(escape("bell\u{7}tab\t"), "bell\u{FFFD}tab\t");
        assert!(matches!(escape("plain"), Cow::Borrowed(_)));
    }

    /// A fixture longer than MAX_STEPS is refused with a message, not drawn.
    #[test]
    fn refuses_more_than_max_steps() {
        let step = r#"{"op":"check","token":"t","sd":"O:BAG:BAD:(A;;FA;;;WD)","type":"file","desired":"FILE_READ_DATA"}"#;
        let steps = vec![step; MAX_STEPS + 1].join(",");
        let text =
            format!(r#"{{"tokens":{{"t":{{"user":"S-1-5-21-1-2-3-1001"}}}},"steps":[{steps}]}}"#);
        let rec = record(&Runner::new(), &text, "big");
        assert!(rec.steps.is_empty());
        assert!(rec
            .error
            .as_deref()
            .is_some_and(|e| e.contains("more than 50000 steps")));
    }

    /// An invalid fixture gives the runner's positioned error.
    #[test]
    fn invalid_fixture_keeps_the_json_path() {
        let rec = record(&Runner::new(), r#"{"steps":[{"op":"nonsense"}]}"#, "bad");
        let e = rec.error.unwrap_or_default();
        assert!(e.contains("steps[0]"), "{e}");
    }
}
