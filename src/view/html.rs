//! HTML: the section that shows one recorded fixture (its steps with
//! verdicts and explanations, the timeline, the matrices, and the pictures
//! a click on a step opens), the self-contained report of a run, and the
//! playground page `secctx serve` answers with.
//!
//! Everything is inline: the style sheet and the script are compiled into
//! the binary, and the report carries its data, so it opens from a file
//! with nothing fetched.

use super::{escape, Recording};
use crate::fixture::{result_line, Verdict};
use serde::Serialize;
use std::fmt::Write as _;

/// The style sheet of the page and the report.
pub const STYLE: &str = include_str!("assets/view.css");
/// The script of the page and the report.
pub const SCRIPT: &str = include_str!("assets/view.js");

/// The `data-verdict` value of a verdict: `pass`, `fail` or `not-judged`.
pub fn verdict_name(v: Verdict) -> &'static str {
    match v {
        Verdict::Pass => "pass",
        Verdict::Fail => "fail",
        _ => "not-judged",
    }
}

/// `value` as JSON safe inside a `<script>` element: `<` is written as
/// `\u003c`, so no `</script>` can end the element early (HTML Living
/// Standard, "Restrictions for contents of script elements").
pub fn script_json<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value)
        .unwrap_or_else(|_| "null".to_string())
        .replace('<', "\\u003c")
}

/// The `<section class="fixture">` of one recording: its name and
/// description, its counts, its error (at its JSON path) if it is invalid,
/// the timeline, one `<li class="step">` per step with `data-step`,
/// `data-verdict` and the indices of its pictures, the matrices, and the
/// pictures themselves as JSON.
pub fn section(rec: &Recording) -> String {
    let mut s = String::new();
    let title = rec.name.as_deref().unwrap_or(&rec.label);
    let _ = write!(
        s,
        r#"<section class="fixture" data-file="{}"><h2>{}</h2>"#,
        escape(&rec.label),
        escape(title)
    );
    if let Some(d) = &rec.description {
        let _ = write!(s, r#"<p class="description">{}</p>"#, escape(d));
    }
    let c = rec.counts;
    let _ = write!(
        s,
        r#"<p class="counts">{} passed, {} failed, {} not judged</p><div class="error" role="alert">{}</div>"#,
        c.passed,
        c.failed,
        c.not_judged,
        escape(rec.error.as_deref().unwrap_or(""))
    );
    if !rec.steps.is_empty() {
        let _ = write!(
            s,
            r#"<h3>Threads, step by step</h3><div class="scroll">{}</div>"#,
            rec.timeline()
        );
    }
    s.push_str(r#"<div class="split"><ol class="steps">"#);
    for step in &rec.steps {
        let r = &step.report;
        let walk = step
            .walk
            .map(|w| format!(r#" data-walk="{w}""#))
            .unwrap_or_default();
        let _ = write!(
            s,
            r#"<li class="step" tabindex="0" data-step="{i}" data-verdict="{v}" data-world="{w}"{walk}><span class="verdict">{v}</span><b>steps[{i}] {op}</b>: {t}"#,
            i = r.index,
            v = verdict_name(r.verdict),
            w = step.world,
            op = escape(r.op),
            t = escape(&r.title),
        );
        if let Some(n) = &r.note {
            let _ = write!(s, r#"<div class="note">{}</div>"#, escape(n));
        }
        let _ = write!(
            s,
            r#"<div class="result">{}</div>"#,
            escape(&result_line(r))
        );
        let mut why = String::new();
        for f in &r.failures {
            why.push_str(&format!("expected {f}\n"));
        }
        for d in &r.details {
            why.push_str(d);
            why.push('\n');
        }
        if let Some(reason) = r.reason() {
            why.push_str(&reason);
            why.push('\n');
        }
        if !why.is_empty() {
            let _ = write!(s, r#"<div class="why">{}</div>"#, escape(why.trim_end()));
        }
        s.push_str("</li>");
    }
    s.push_str(r#"</ol><div class="detail"></div></div>"#);
    if !rec.matrices.is_empty() {
        s.push_str(r#"<h3>Who can do what, at the end</h3>"#);
        for m in &rec.matrices {
            let _ = write!(s, r#"<div class="scroll">{m}</div>"#);
        }
    }
    let _ = write!(
        s,
        r#"<script type="application/json" class="pictures">{}</script></section>"#,
        script_json(&rec.pictures)
    );
    s
}

/// The head of a page: title, inline style.
fn head(title: &str) -> String {
    format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title><style>{STYLE}</style></head>",
        escape(title)
    )
}

/// The self-contained HTML report of a run: one section per fixture, with
/// the style, the script and the data inline.
pub fn report(recordings: &[Recording]) -> String {
    let mut s = head("secctx report");
    let (mut passed, mut failed, mut invalid) = (0, 0, 0);
    for r in recordings {
        passed += r.counts.passed;
        failed += r.counts.failed;
        invalid += usize::from(r.error.is_some());
    }
    let _ = write!(
        s,
        r#"<body><header><h1>secctx report</h1><span class="totals">{passed} passed, {failed} failed, {invalid} invalid</span></header><main>"#
    );
    for r in recordings {
        s.push_str(&section(r));
    }
    let _ = writeln!(s, "</main><script>{SCRIPT}</script></body></html>");
    s
}

/// One fixture the playground offers: an id the server knows it by, a
/// title, its learning goal (for the course), and its text.
#[derive(Clone, Debug, Serialize)]
pub struct CatalogEntry {
    /// What the page sends back as `from` so the server knows which folder
    /// the fixture's imports are read from.
    pub id: String,
    /// The name shown in the picker.
    pub title: String,
    /// The learning goal, for the course's lessons.
    pub goal: Option<String>,
    /// The fixture's JSON text.
    pub text: String,
}

/// The playground page: a picker over `catalog` (the first entry is
/// opened and run when the page loads), the fixture's text to edit, a Run
/// button, and the place the answer goes.
pub fn playground(catalog: &[CatalogEntry]) -> String {
    let mut s = head("secctx playground");
    let _ = writeln!(
        s,
        r#"<body><header><h1>secctx playground</h1><label>Lesson or fixture <select id="pick"></select></label> <button id="run">Run</button><span id="status"></span></header><main><p id="goal" class="lesson-goal"></p><div class="editor"><textarea id="text" spellcheck="false" aria-label="fixture JSON"></textarea></div><div id="out"></div></main><script type="application/json" id="catalog">{}</script><script>{SCRIPT}</script></body></html>"#,
        script_json(catalog)
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::Runner;
    use crate::view::{bundled_recording as fixture, record};

    /// Every step is rendered once with its index and verdict, and a step
    /// that made an access check points at its ACE walk.
    #[test]
    fn section_marks_every_step() {
        let rec = fixture("02-identification-level.json");
        let html = section(&rec);
        assert_eq!(html.matches(r#"<li class="step""#).count(), rec.steps.len());
        for s in &rec.steps {
            let v = verdict_name(s.report.verdict);
            let tag = format!(r#"data-step="{}" data-verdict="{v}""#, s.report.index);
            assert!(html.contains(&tag), "{tag}");
        }
        assert!(html.contains("data-walk="));
        assert!(html.contains(r#"<svg xmlns="http://www.w3.org/2000/svg" class="timeline""#));
        assert!(html.contains(r#"class="pictures""#));
    }

    /// Fixture 02's open at Identification level fails without an access
    /// check; the step says why, naming the level (Microsoft Learn,
    /// "Impersonation Levels").
    #[test]
    fn bad_impersonation_level_is_explained() {
        let rec = fixture("02-identification-level.json");
        let html = section(&rec);
        let step = html
            .split(r#"<li class="step""#)
            .skip(1)
            .find(|li| li.contains("STATUS_BAD_IMPERSONATION_LEVEL"))
            .unwrap_or_default();
        assert!(
            step.contains("The thread impersonates at identification level. Opening an object"),
            "{step}"
        );
    }

    /// The report is one file: the style and script inline, nothing
    /// fetched (no src= or href= to anything).
    #[test]
    fn report_is_self_contained() {
        let html = report(&[fixture("03-ace-order.json")]);
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains("<style>") && html.contains("function wire("));
        assert!(!html.contains(" src="));
        assert!(!html.contains(" href="));
        assert!(
            !html.contains("http://")
                || !html
                    .replace("http://www.w3.org/2000/svg", "")
                    .contains("http://")
        );
    }

    /// Data embedded in a script element cannot close it early.
    #[test]
    fn script_json_cannot_end_the_script() {
        let s = script_json(&["</script><b>"]);
        assert!(!s.contains("</"));
        assert_eq!(
            serde_json::from_str::<Vec<String>>(&s).ok(),
            Some(vec!["</script><b>".to_string()])
        );
    }

    /// An invalid fixture shows its positioned error, escaped.
    #[test]
    fn invalid_fixture_shows_the_path() {
        let rec = record(&Runner::new(), r#"{"steps": [{"op": "<nope>"}]}"#, "x");
        let html = section(&rec);
        assert!(
            html.contains(r#"<div class="error" role="alert">steps[0]"#),
            "{html}"
        );
        assert!(!html.contains("<nope>"));
    }
}
