//! A timeline per thread: which token each thread acts with after each
//! step (its process's primary token, or an impersonation token with its
//! user, level and integrity), how deep its stack of saved contexts is,
//! and where it pushed, popped or reverted.

use super::world::{token_label, ThreadState};
use super::{escape, Recording};
use std::fmt::Write as _;

/// The most steps a timeline draws; later ones are summarised in a note.
pub const MAX_COLUMNS: usize = 2_000;

const COL: usize = 26;
const LANE: usize = 58;
const LEFT: usize = 130;

/// The mark a step leaves on a thread's lane, when the step changed that
/// thread's token or stack: the operation's name (`push`, `pop`,
/// `revert`, `impersonate`, …).
fn mark(op: &str, before: Option<&ThreadState>, after: &ThreadState) -> Option<String> {
    let changed = match before {
        Some(b) => b.token != after.token || b.depth != after.depth,
        // The first step: there is no state before it to compare with, so
        // it is marked only on a thread it left impersonating or with saved
        // contexts, and only for the operations that change a context.
        None => {
            (after.impersonating || after.depth > 0)
                && (matches!(op, "push" | "pop" | "revert" | "set_thread_token")
                    || op.contains("imperson"))
        }
    };
    changed.then(|| op.to_string())
}

/// Draws the timeline of `rec` as SVG: one lane per thread (`<g
/// class="lane">`), one cell per step (`<rect class="cell" data-step>`)
/// coloured by the effective token's user, outlined when impersonating,
/// with the stack depth as bars under the cell and the operation named
/// above the cell where the thread's token or stack changed.
pub fn render(rec: &Recording) -> String {
    let steps = rec.threads.len().min(MAX_COLUMNS);
    let mut palette = rec.palette.clone();
    let mut names: Vec<&str> = Vec::new();
    for states in &rec.threads[..steps] {
        for t in states {
            if !names.contains(&t.name.as_str()) {
                names.push(&t.name);
            }
        }
    }
    let mut body = String::new();
    for (lane, name) in names.iter().enumerate() {
        let top = 24 + lane * LANE;
        let _ = write!(
            body,
            r#"<g class="lane" data-thread="{n}"><text x="4" y="{}" font-weight="bold">thread {n}</text>"#,
            top + 26,
            n = escape(name),
        );
        let mut before: Option<&ThreadState> = None;
        for (i, states) in rec.threads[..steps].iter().enumerate() {
            let Some(t) = states.iter().find(|t| t.name == *name) else {
                before = None;
                continue;
            };
            let x = LEFT + i * COL;
            let op = rec.steps.get(i).map_or("", |s| s.report.op);
            let m = mark(op, before, t);
            let label = token_label(&t.token);
            let _ = write!(
                body,
                r##"<rect class="cell" data-step="{i}" x="{x}" y="{y}" width="{w}" height="20" fill="{c}" stroke="{s}" stroke-width="{sw}"><title>step {i} ({op}): {ti}{imp}, {d} saved</title></rect>"##,
                y = top + 12,
                w = COL - 2,
                c = palette.colour(&t.token.user),
                s = if t.impersonating { "#000" } else { "#fff" },
                sw = if t.impersonating { 2 } else { 1 },
                op = escape(op),
                ti = escape(&label),
                imp = if t.impersonating {
                    ", impersonating"
                } else {
                    ", primary token"
                },
                d = t.depth,
            );
            for d in 0..t.depth.min(6) {
                let _ = write!(
                    body,
                    r##"<rect class="depth" x="{x}" y="{}" width="{}" height="3" fill="#555"/>"##,
                    top + 35 + d * 4,
                    COL - 2,
                );
            }
            if let Some(m) = m {
                let _ = write!(
                    body,
                    r#"<text class="mark" x="{}" y="{}" font-size="9" text-anchor="middle">{}</text>"#,
                    x + COL / 2,
                    top + 9,
                    escape(&m)
                );
            }
            if before.is_none_or(|b| b.token != t.token) {
                let _ = write!(
                    body,
                    r##"<text class="who" x="{}" y="{}" font-size="9" fill="#fff">{}</text>"##,
                    x + 2,
                    top + 26,
                    escape(t.token.user.chars().take(3).collect::<String>().as_str())
                );
            }
            before = Some(t);
        }
        body.push_str("</g>");
    }
    let mut width = LEFT + steps * COL + 10;
    let mut height = 30 + names.len() * LANE;
    if rec.threads.len() > steps {
        let _ = write!(
            body,
            r#"<text x="{LEFT}" y="{height}">… {} more steps are not drawn</text>"#,
            rec.threads.len() - steps
        );
        height += 16;
    }
    for i in (0..steps).step_by(5) {
        let _ = write!(
            body,
            r##"<text x="{}" y="14" font-size="10" fill="#666">{i}</text>"##,
            LEFT + i * COL + 2
        );
    }
    width = width.max(400);
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="timeline" width="{width}" height="{height}" font-family="sans-serif" font-size="11">{body}</svg>"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::view::bundled_recording as fixture;

    /// Fixture 15 pushes and pops impersonation contexts: the timeline has
    /// a cell per step on the thread's lane, marks the push and pop, and
    /// draws the saved contexts as depth bars.
    #[test]
    fn nested_impersonation_marks_push_and_pop() {
        let rec = fixture("15-nested-impersonation.json");
        assert_eq!(rec.error, None);
        let svg = render(&rec);
        assert!(svg.contains(r#"class="timeline""#));
        assert!(svg.contains(r#"class="lane""#));
        assert!(svg.contains(">push</text>"), "{svg}");
        assert!(svg.contains(">pop</text>"), "{svg}");
        assert!(svg.contains(r#"class="depth""#));
        let lanes = svg.matches(r#"class="lane""#).count();
        assert_eq!(
            svg.matches(r#"class="cell""#).count(),
            rec.threads.iter().map(Vec::len).sum::<usize>(),
            "{lanes} lanes"
        );
    }

    /// Fixture 01's thread starts on its primary token, then impersonates
    /// Alice: the tooltip of that step says so.
    #[test]
    fn impersonation_is_shown_per_step() {
        let rec = fixture("01-file-server-impersonation.json");
        let svg = render(&rec);
        assert!(
            svg.contains("svc-files (primary, system), primary token"),
            "{svg}"
        );
        assert!(
            svg.contains("(impersonate): alice (impersonation, "),
            "{svg}"
        );
        assert!(svg.contains(">impersonate</text>"));
        assert!(svg.contains(">revert</text>"));
    }
}
