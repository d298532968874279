//! JUnit XML for CI systems: one `<testsuite>` per fixture, one
//! `<testcase>` per step, a failed expectation as `<failure>` with the
//! explanation, a step without `expect` as `<skipped>`, and an invalid
//! fixture as a suite with one `<error>`.
//!
//! The shape is the one CI systems read (the Ant JUnit report format as
//! Jenkins, GitLab and GitHub's test reporters take it); every text and
//! attribute is escaped, and characters XML 1.0 forbids are replaced.

use super::escape;
use crate::fixture::{result_line, Counts, FixtureSummary, Sink, StepReport, Verdict};
use std::io::{self, Write};

/// A [`Sink`] writing JUnit XML. Each fixture's test cases are held until
/// the fixture ends (its suite's counts come first); the run's totals are
/// not repeated on `<testsuites>`, so nothing else is held.
pub struct JunitSink<W: Write> {
    out: W,
    file: String,
    name: Option<String>,
    cases: String,
    started: bool,
}

impl<W: Write> JunitSink<W> {
    /// Writes to `out`.
    pub fn new(out: W) -> JunitSink<W> {
        JunitSink {
            out,
            file: String::new(),
            name: None,
            cases: String::new(),
            started: false,
        }
    }

    fn start(&mut self) -> io::Result<()> {
        if !self.started {
            self.started = true;
            writeln!(self.out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
            writeln!(self.out, r#"<testsuites name="secctx">"#)?;
        }
        Ok(())
    }
}

/// The failure text of a step: what was expected, the facts, and the
/// access check's explanation.
pub fn failure_text(r: &StepReport) -> String {
    let mut s = String::new();
    for f in &r.failures {
        s.push_str(&format!("expected {f}\n"));
    }
    s.push_str(&result_line(r));
    s.push('\n');
    for d in &r.details {
        s.push_str(d);
        s.push('\n');
    }
    if let Some(t) = &r.trace {
        s.push_str("why:\n");
        s.push_str(&t.render());
    }
    s
}

impl<W: Write> Sink for JunitSink<W> {
    fn fixture_start(&mut self, file: &str) -> io::Result<()> {
        self.start()?;
        self.file = file.to_string();
        self.name = None;
        self.cases.clear();
        Ok(())
    }

    fn steps_start(&mut self, name: Option<&str>, _description: Option<&str>) -> io::Result<()> {
        self.name = name.map(str::to_string);
        Ok(())
    }

    fn step(&mut self, r: &StepReport) -> io::Result<()> {
        let name = format!("steps[{}] {}: {}", r.index, r.op, r.title);
        self.cases.push_str(&format!(
            r#"    <testcase classname="{}" name="{}">"#,
            escape(&self.file),
            escape(&name)
        ));
        match r.verdict {
            Verdict::Fail => {
                let text = failure_text(r);
                let message = r.failures.join("; ");
                self.cases.push_str(&format!(
                    "\n      <failure message=\"expected {}\" type=\"expectation\">{}</failure>\n    ",
                    escape(&message),
                    escape(&text)
                ));
            }
            Verdict::NotJudged => self
                .cases
                .push_str(r#"<skipped message="the step has no expect"/>"#),
            _ => {}
        }
        self.cases.push_str("</testcase>\n");
        Ok(())
    }

    fn fixture_end(&mut self, s: &FixtureSummary) -> io::Result<()> {
        self.start()?;
        let name = s
            .name
            .as_deref()
            .or(self.name.as_deref())
            .unwrap_or(&s.file);
        let c = s.counts;
        let errors = usize::from(s.error.is_some());
        writeln!(
            self.out,
            r#"  <testsuite name="{}" file="{}" tests="{}" failures="{}" errors="{errors}" skipped="{}">"#,
            escape(name),
            escape(&s.file),
            c.passed + c.failed + c.not_judged + errors,
            c.failed,
            c.not_judged,
        )?;
        self.out.write_all(self.cases.as_bytes())?;
        self.cases.clear();
        if let Some(e) = &s.error {
            writeln!(
                self.out,
                r#"    <testcase classname="{f}" name="the fixture is valid"><error message="{e}" type="invalid-fixture">{e}</error></testcase>"#,
                f = escape(&s.file),
                e = escape(e),
            )?;
        }
        writeln!(self.out, "  </testsuite>")
    }

    fn finish(&mut self, _totals: Counts, _invalid: usize) -> io::Result<()> {
        self.start()?;
        writeln!(self.out, "</testsuites>")?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::Runner;

    fn junit(text: &str, label: &str) -> String {
        let mut out = Vec::new();
        let mut sink = JunitSink::new(&mut out);
        let _ = Runner::new().run_str(text, label, &mut sink);
        let _ = sink.finish(Counts::default(), 0);
        drop(sink);
        String::from_utf8(out).unwrap_or_default()
    }

    /// One suite per fixture, one case per step; a failed expectation is a
    /// `<failure>` carrying what was expected and the explanation.
    #[test]
    fn failure_carries_the_explanation() {
        let text = r#"{"name": "one pass, one fail, one unjudged",
          "tokens": {"t": {"user": "S-1-5-21-1-2-3-1001"}},
          "steps": [
            {"op": "check", "token": "t", "sd": "O:BAG:BAD:", "type": "file", "desired": "FILE_READ_DATA",
             "expect": {"status": "STATUS_ACCESS_DENIED"}},
            {"op": "check", "token": "t", "sd": "O:BAG:BAD:", "type": "file", "desired": "FILE_READ_DATA",
             "expect": {"status": "STATUS_SUCCESS"}},
            {"op": "check", "token": "t", "sd": "O:BAG:BAD:", "type": "file", "desired": "FILE_READ_DATA"}
          ]}"#;
        let xml = junit(text, "f.json");
        assert!(xml.starts_with(r#"<?xml version="1.0" encoding="UTF-8"?>"#));
        assert_eq!(xml.matches("<testsuite ").count(), 1);
        assert_eq!(xml.matches("<testcase ").count(), 3);
        assert!(
            xml.contains(r#"tests="3" failures="1" errors="0" skipped="1""#),
            "{xml}"
        );
        assert_eq!(xml.matches("<failure ").count(), 1);
        assert!(xml.contains("<failure message=\"expected status"), "{xml}");
        assert!(xml.contains("empty DACL"), "{xml}");
        assert!(xml.trim_end().ends_with("</testsuites>"));
    }

    /// Hostile names cannot break the XML: markup is escaped and control
    /// characters XML 1.0 forbids are replaced (XML 1.0 §2.2, §2.4).
    #[test]
    fn hostile_names_are_escaped() {
        let text = "{\"name\": \"<suite> & \\\"q\\\" \\u0001\",
          \"tokens\": {\"t\": {\"user\": \"S-1-5-21-1-2-3-1001\"}},
          \"steps\": [{\"op\": \"check\", \"token\": \"t\", \"sd\": \"O:BAG:BAD:\", \"type\": \"file\",
             \"desired\": \"FILE_READ_DATA\", \"note\": \"]]></testcase><x>\",
             \"expect\": {\"status\": \"STATUS_SUCCESS\"}}]}";
        let xml = junit(text, "a<b>&\"c\".json");
        assert!(
            xml.contains(r#"name="&lt;suite&gt; &amp; &quot;q&quot; �""#),
            "{xml}"
        );
        assert!(
            xml.contains(r#"classname="a&lt;b&gt;&amp;&quot;c&quot;.json""#),
            "{xml}"
        );
        assert!(!xml.contains('\u{1}'));
        assert!(!xml.contains("<x>"));
        // Every tag opened is closed: a rough well-formedness check.
        assert_eq!(
            xml.matches("<testcase ").count(),
            xml.matches("</testcase>").count()
        );
    }

    /// An invalid fixture is a suite with one error naming the JSON path.
    #[test]
    fn invalid_fixture_is_an_error_case() {
        let xml = junit(r#"{"steps": [{"op": "nope"}]}"#, "bad.json");
        assert!(xml.contains(r#"errors="1""#), "{xml}");
        assert!(xml.contains(r#"<error message="steps[0]"#), "{xml}");
    }
}
