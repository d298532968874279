//! The world at a step: processes with their primary tokens, threads with
//! their impersonation stacks, handles with the access they were granted.
//!
//! This is the picture of the seed's central distinction: a process runs
//! with a *primary* token; each of its threads acts with that token unless
//! it *impersonates*, in which case its own token (and the stack of saved
//! contexts under it) is what access checks see (Microsoft Learn, "Access
//! Tokens" and "Impersonation Tokens").

use super::{escape, Palette};
use crate::fixture::Stage;
use crate::{Target, TokenId, TokenType};
use serde::Serialize;
use std::fmt::Write as _;

/// A token as the pictures show it.
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct TokenView {
    /// The fixture's name for the token, if it has one.
    pub name: Option<String>,
    /// The token's user, by name where the fixture names it.
    pub user: String,
    /// `primary`, or the impersonation level (`identification`, …).
    pub level: String,
    /// The integrity level (`medium`, `low`, …).
    pub integrity: String,
}

/// A process and its primary token.
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct ProcessView {
    /// The fixture's name for it.
    pub name: String,
    /// Its primary token.
    pub token: TokenView,
}

/// A thread's state after a step: the token it acts with and its stack.
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct ThreadState {
    /// The fixture's name for it.
    pub name: String,
    /// Its process's name.
    pub process: String,
    /// The token access checks see (its impersonation token, else its
    /// process's primary token).
    pub token: TokenView,
    /// Whether it is impersonating.
    pub impersonating: bool,
    /// Saved impersonation contexts (pushes not yet popped).
    pub depth: usize,
}

/// A named handle and what it grants.
#[derive(Clone, PartialEq, Eq, Debug, Serialize)]
pub struct HandleView {
    /// The fixture's name for it.
    pub name: String,
    /// The process that holds it.
    pub process: String,
    /// What it refers to.
    pub target: String,
    /// The access granted when it was opened, in hex.
    pub granted: String,
    /// The same access by right name.
    pub rights: String,
}

/// The world at one moment.
#[derive(Clone, PartialEq, Eq, Debug, Default, Serialize)]
pub struct WorldView {
    /// The processes, in the order the fixture named them.
    pub processes: Vec<ProcessView>,
    /// The threads, in the order the fixture named them.
    pub threads: Vec<ThreadState>,
    /// The named handles, by name.
    pub handles: Vec<HandleView>,
}

impl WorldView {
    /// What `stage` holds now.
    pub fn of(stage: &Stage) -> WorldView {
        let w = &stage.world;
        let process_name = |id| {
            stage
                .processes
                .iter()
                .find(|(_, p)| **p == id)
                .map(|(n, _)| n.clone())
                .unwrap_or_else(|| {
                    w.process_info(id)
                        .map_or_else(|_| "?".to_string(), |i| i.0.to_string())
                })
        };
        let processes = stage
            .processes
            .iter()
            .filter_map(|(name, id)| {
                let token = token_view(stage, w.primary_token(*id).ok()?);
                Some(ProcessView {
                    name: name.clone(),
                    token,
                })
            })
            .collect();
        let threads = stage
            .threads
            .iter()
            .filter_map(|(name, id)| {
                let effective = w.effective_token(*id).ok()?;
                Some(ThreadState {
                    name: name.clone(),
                    process: process_name(w.thread_process(*id).ok()?),
                    token: token_view(stage, effective),
                    impersonating: w.impersonation_token(*id).ok()?.is_some(),
                    depth: w.impersonation_depth(*id).unwrap_or(0),
                })
            })
            .collect();
        let mut handles: Vec<HandleView> = stage
            .handles
            .iter()
            .filter_map(|(name, (pid, h))| {
                let entry = w.handle(*pid, *h).ok()?;
                let (target, kind) = match entry.target {
                    Target::Object(o) => match w.object(o) {
                        Ok(info) => (info.path, Some(info.kind)),
                        Err(_) => ("an object".to_string(), None),
                    },
                    Target::Process(p) => (
                        format!("process {}", process_name(p)),
                        Some(crate::ObjectKind::Process),
                    ),
                    Target::Thread(t) => {
                        let n = stage
                            .threads
                            .iter()
                            .find(|(_, x)| **x == t)
                            .map_or("?", |(n, _)| n.as_str());
                        (format!("thread {n}"), Some(crate::ObjectKind::Thread))
                    }
                    Target::Token(t) => (
                        format!("token of {}", token_view(stage, t).user),
                        Some(crate::ObjectKind::Token),
                    ),
                    #[allow(unreachable_patterns)]
                    _ => ("?".to_string(), None),
                };
                Some(HandleView {
                    name: name.clone(),
                    process: process_name(*pid),
                    target,
                    granted: entry.granted.to_string(),
                    rights: entry.granted.describe(kind),
                })
            })
            .collect();
        handles.sort_by(|a, b| a.name.cmp(&b.name));
        WorldView {
            processes,
            threads,
            handles,
        }
    }
}

/// How the pictures show token `id`.
fn token_view(stage: &Stage, id: TokenId) -> TokenView {
    let name = stage
        .tokens
        .iter()
        .find(|(_, t)| **t == id)
        .map(|(n, _)| n.clone());
    match stage.world.token(id) {
        Ok(t) => TokenView {
            name,
            user: super::names::display(&t.user.sid, Some(stage)),
            level: match t.token_type {
                TokenType::Primary => "primary".to_string(),
                _ => t.impersonation_level.to_string(),
            },
            integrity: t.integrity.to_string(),
        },
        Err(_) => TokenView {
            name,
            user: "?".to_string(),
            level: "?".to_string(),
            integrity: "?".to_string(),
        },
    }
}

/// A token as one line of text: `alice (impersonation, medium)`.
pub fn token_label(t: &TokenView) -> String {
    format!("{} ({}, {})", t.user, t.level, t.integrity)
}

const ROW: usize = 22;

/// Draws the world as SVG: a column of processes, each with its primary
/// token and its threads below it (an impersonating thread shows its own
/// token and its saved contexts stacked behind it), then the handles.
pub fn render(w: &WorldView, palette: &mut Palette) -> String {
    let mut body = String::new();
    let mut y = 8;
    let _ = write!(
        body,
        r#"<text x="8" y="{}" class="h">Processes and threads</text>"#,
        y + 14
    );
    y += ROW + 4;
    for p in &w.processes {
        let _ = write!(
            body,
            r##"<g class="process" data-name="{n}"><rect x="8" y="{y}" width="560" height="{h}" rx="4" fill="#f4f4f4" stroke="#888"/><text x="16" y="{ty}"><tspan font-weight="bold">process {n}</tspan> primary token: </text><rect x="300" y="{ry}" width="260" height="18" rx="3" fill="{c}" opacity="0.85"/><text x="306" y="{ty}" fill="#fff">{t}</text></g>"##,
            n = escape(&p.name),
            h = ROW + 4 + ROW * w.threads.iter().filter(|t| t.process == p.name).count(),
            ty = y + 16,
            ry = y + 3,
            c = palette.colour(&p.token.user),
            t = escape(&token_label(&p.token)),
        );
        y += ROW + 2;
        for t in w.threads.iter().filter(|t| t.process == p.name) {
            y = thread_row(&mut body, t, y, palette);
        }
        y += 10;
    }
    // Threads whose process the fixture did not name.
    for t in w
        .threads
        .iter()
        .filter(|t| !w.processes.iter().any(|p| p.name == t.process))
    {
        y = thread_row(&mut body, t, y, palette);
    }
    let _ = write!(
        body,
        r#"<text x="8" y="{}" class="h">Handles</text>"#,
        y + 18
    );
    y += ROW + 8;
    if w.handles.is_empty() {
        let _ = write!(
            body,
            r#"<text x="16" y="{}">(no named handles)</text>"#,
            y + 10
        );
        y += ROW;
    }
    for h in &w.handles {
        let _ = write!(
            body,
            r#"<g class="handle"><title>{r}</title><text x="16" y="{ty}">{n} in {p} → {t}: {g} ({r})</text></g>"#,
            n = escape(&h.name),
            p = escape(&h.process),
            t = escape(&h.target),
            g = escape(&h.granted),
            r = escape(&h.rights),
            ty = y + 10,
        );
        y += ROW;
    }
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="world" width="900" height="{}" font-family="sans-serif" font-size="12"><style>.h{{font-weight:bold;font-size:13px}}</style>{body}</svg>"#,
        y + 8
    )
}

/// One thread row inside its process box; returns the next row's top.
fn thread_row(body: &mut String, t: &ThreadState, y: usize, palette: &mut Palette) -> usize {
    let state = if t.impersonating {
        "impersonating"
    } else {
        "uses the primary token"
    };
    // Saved contexts are drawn as cards behind the current one.
    for d in (1..=t.depth.min(4)).rev() {
        let _ = write!(
            body,
            r##"<rect x="{}" y="{}" width="260" height="18" rx="3" fill="#ccc" stroke="#999"/>"##,
            300 + 4 * d,
            y + 3 - 3 * d,
        );
    }
    let _ = write!(
        body,
        r##"<g class="thread" data-name="{n}" data-depth="{d}"><text x="28" y="{ty}">thread {n}: {s}{saved}</text><rect x="300" y="{ry}" width="260" height="18" rx="3" fill="{c}" stroke="{stroke}" stroke-width="2"/><text x="306" y="{ty}" fill="#fff">{tok}</text></g>"##,
        n = escape(&t.name),
        d = t.depth,
        s = state,
        saved = if t.depth > 0 {
            format!(", {} saved", t.depth)
        } else {
            String::new()
        },
        ty = y + 16,
        ry = y + 3,
        c = palette.colour(&t.token.user),
        stroke = if t.impersonating { "#000" } else { "none" },
        tok = escape(&token_label(&t.token)),
    );
    y + ROW
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::Runner;

    /// The picture of fixture 01 after its impersonation step shows the
    /// process's primary token and the thread acting as the client.
    #[test]
    fn world_shows_primary_and_impersonation_tokens() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/fixtures/01-file-server-impersonation.json"
        ))
        .unwrap_or_default();
        let mut view = WorldView::default();
        Runner::new()
            .inspect(&text, &mut |stage, r| {
                if r.op == "impersonate" && view.processes.is_empty() {
                    view = WorldView::of(stage);
                }
            })
            .map_err(|e| e.to_string())
            .unwrap_or_else(|e| unreachable!("{e}"));
        let server = view.processes.iter().find(|p| p.name == "server");
        assert_eq!(server.map(|p| p.token.level.as_str()), Some("primary"));
        let thread = view.threads.iter().find(|t| t.name == "server");
        assert_eq!(thread.map(|t| t.token.user.as_str()), Some("alice"));
        assert!(thread.is_some_and(|t| t.impersonating));
        let svg = render(&view, &mut Palette::default());
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("process server"), "{svg}");
        assert!(svg.contains("thread server: impersonating"), "{svg}");
        assert!(svg.contains("alice (impersonation, "), "{svg}");
    }

    /// Names are escaped in the picture.
    #[test]
    fn names_are_escaped() {
        let w = WorldView {
            handles: vec![HandleView {
                name: "<h>".into(),
                process: "p&q".into(),
                target: "\\x".into(),
                granted: "0x1".into(),
                rights: "FILE_READ_DATA".into(),
            }],
            ..WorldView::default()
        };
        let svg = render(&w, &mut Palette::default());
        assert!(svg.contains("&lt;h&gt; in p&amp;q"), "{svg}");
        assert!(!svg.contains("<h>"));
    }
}
