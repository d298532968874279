//! The ACE walk of an access check, drawn as rows in the order Windows
//! takes the stages: the desired access after generic mapping, the
//! mandatory checks (trust label, access filter, integrity), privileges,
//! owner rights, then the DACL top to bottom (each ACE skipped, granting,
//! denying, or finding its bits already decided), then the restricted
//! second pass and the result.
//!
//! The order is the one `SeAccessCheck` follows (MS-DTYP 2.5.3.2
//! "Access Check Algorithm Pseudocode", with the mandatory integrity check
//! of MS-DTYP 2.5.3.3 first); the trace records the stages in that order,
//! and this picture keeps it. Within one pass over the DACL, rows are shown
//! by ACE index, so an ACE skipped before evaluation (inherit-only) is not
//! listed ahead of D\[0\].

use super::escape;
use crate::fixture::Stage;
use crate::trace::{AceOutcome, Pass, Step};
use crate::{AccessMask, Sid, Trace};
use std::fmt::Write as _;

/// How a row is coloured: what the stage did.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum RowKind {
    /// Bits were granted.
    Granted,
    /// Bits were denied.
    Denied,
    /// The ACE or stage did not apply.
    Skipped,
    /// The ACE applied but its bits were already decided (or not asked).
    Decided,
    /// A fact about the check (the request, a pass's end, the result).
    Info,
}

impl RowKind {
    /// The name used in `data-outcome` attributes.
    pub fn name(self) -> &'static str {
        match self {
            RowKind::Granted => "granted",
            RowKind::Denied => "denied",
            RowKind::Skipped => "skipped",
            RowKind::Decided => "decided",
            RowKind::Info => "info",
        }
    }

    fn fill(self) -> &'static str {
        match self {
            RowKind::Granted => "#d8f0d2",
            RowKind::Denied => "#f7d4d4",
            RowKind::Skipped => "#eeeeee",
            RowKind::Decided => "#fbecc5",
            RowKind::Info => "#dde8f5",
        }
    }
}

/// One row of the walk.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct WalkRow {
    /// The stage: `request`, `integrity`, `privilege`, `owner`, `D[2]`,
    /// `R D[2]` (restricted pass), `result`, …
    pub stage: String,
    /// What happened, in words.
    pub text: String,
    /// How to colour it.
    pub kind: RowKind,
}

/// A mask with its right names: `0x00120089 (READ_CONTROL|…)`.
fn bits(m: AccessMask) -> String {
    let names = m.describe(None);
    if m.0 == 0 {
        "no bits".to_string()
    } else if names.starts_with("0x") {
        m.to_string()
    } else {
        format!("{m} ({names})")
    }
}

/// The ACE's SDDL with the name of its trustee when the fixture names it:
/// `(A;;FA;;;S-1-5-21-1-2-3-1104) = alice`.
fn ace_with_name(ace: &str, stage: Option<&Stage>) -> String {
    // The trustee is the last field of an ACE string (MS-DTYP 2.5.1.1,
    // ace_string), before any resource attribute or condition.
    let inner = ace.trim_start_matches('(');
    let trustee = inner
        .split([')', '('])
        .next()
        .and_then(|a| a.split(';').nth(5));
    let domain = stage.and_then(|s| s.names.domain.as_ref());
    let Some(sid) = trustee.and_then(|t| Sid::parse_sddl(t, domain).ok()) else {
        return ace.to_string();
    };
    match super::names::name_of(&sid, stage) {
        Some(name) if name != trustee.unwrap_or_default() => format!("{ace} = {name}"),
        _ => ace.to_string(),
    }
}

/// The rows of `trace`, in Windows' order, with trustee names from
/// `stage` where it has them.
pub fn rows(trace: &Trace, stage: Option<&Stage>) -> Vec<WalkRow> {
    let mut out: Vec<(Option<(u8, usize)>, WalkRow)> = Vec::new();
    for s in &trace.steps {
        let (key, row) = row(s, stage);
        out.push((key, row));
    }
    // Sort each run of DACL rows of one pass by ACE index (stable), so an
    // ACE skipped before evaluation stays in its place in the list.
    let mut i = 0;
    while i < out.len() {
        let Some((pass, _)) = out[i].0 else {
            i += 1;
            continue;
        };
        let mut j = i;
        while j < out.len() && out[j].0.is_some_and(|(p, _)| p == pass) {
            j += 1;
        }
        out[i..j].sort_by_key(|(k, _)| k.map(|(_, idx)| idx));
        i = j;
    }
    out.into_iter().map(|(_, r)| r).collect()
}

/// One trace step as a row, with its sort key within a DACL pass.
fn row(s: &Step, stage: Option<&Stage>) -> (Option<(u8, usize)>, WalkRow) {
    let plain = |stage: &str, kind| WalkRow {
        stage: stage.to_string(),
        text: Trace {
            steps: vec![s.clone()],
        }
        .render()
        .trim()
        .to_string(),
        kind,
    };
    let plain = |label: &str, kind| WalkRow {
        text: super::names::annotate(&plain(label, kind).text, stage),
        ..plain(label, kind)
    };
    let pass_num = |p: &Pass| u8::from(*p == Pass::Restricted);
    let prefix = |p: &Pass| if *p == Pass::Restricted { "R " } else { "" };
    match s {
        Step::Desired { .. } | Step::NothingAsked => (None, plain("request", RowKind::Info)),
        Step::TrustLabel { dominates, .. } => (
            None,
            plain(
                "trust label",
                if *dominates {
                    RowKind::Skipped
                } else {
                    RowKind::Denied
                },
            ),
        ),
        Step::AccessFilter { .. } => (None, plain("access filter", RowKind::Info)),
        Step::Integrity { dominates, .. } => (
            None,
            plain(
                "integrity",
                if *dominates {
                    RowKind::Skipped
                } else {
                    RowKind::Denied
                },
            ),
        ),
        Step::IntegrityOff => (None, plain("integrity", RowKind::Skipped)),
        Step::MandatoryDenied { .. } => (None, plain("mandatory", RowKind::Denied)),
        Step::Privilege { .. } => (None, plain("privilege", RowKind::Granted)),
        Step::PrivilegeNotHeld { .. } => (None, plain("privilege", RowKind::Denied)),
        Step::Owner { held, granted, .. } => (
            None,
            plain(
                "owner",
                if *held && granted.0 != 0 {
                    RowKind::Granted
                } else {
                    RowKind::Skipped
                },
            ),
        ),
        Step::SatisfiedBeforeDacl => (None, plain("DACL", RowKind::Info)),
        Step::NoDacl { .. } => (None, plain("DACL", RowKind::Granted)),
        Step::EmptyDacl => (None, plain("DACL", RowKind::Denied)),
        Step::AceSkipped { index, ace, reason } => (
            Some((0, *index)),
            WalkRow {
                stage: format!("D[{index}]"),
                text: format!("{}: skipped, {reason}", ace_with_name(ace, stage)),
                kind: RowKind::Skipped,
            },
        ),
        Step::Ace {
            pass,
            index,
            ace,
            outcome,
            mask,
            note,
            ..
        } => {
            let (what, kind) = match outcome {
                AceOutcome::Granted => (format!("grants {}", bits(*mask)), RowKind::Granted),
                AceOutcome::GrantedToPackage => (
                    format!("grants {} to the AppContainer part", bits(*mask)),
                    RowKind::Granted,
                ),
                AceOutcome::Denied => (format!("denies {}", bits(*mask)), RowKind::Denied),
                AceOutcome::NothingLeft => (
                    "applies to the token, but none of its bits is still undecided \
                     (each was not asked for, or was already granted or denied above)"
                        .to_string(),
                    RowKind::Decided,
                ),
                AceOutcome::SidNotHeld => (
                    "skipped: the token does not hold this SID (or holds it disabled)".into(),
                    RowKind::Skipped,
                ),
                AceOutcome::DenyOnly => (
                    "skipped: the token holds this SID for deny only, so an allow ACE does not apply"
                        .into(),
                    RowKind::Skipped,
                ),
                AceOutcome::ConditionNotTrue => (
                    "skipped: its condition is not TRUE".into(),
                    RowKind::Skipped,
                ),
                AceOutcome::ConditionFalse => {
                    ("skipped: its condition is FALSE".into(), RowKind::Skipped)
                }
                AceOutcome::ObjectTypeNotInList => (
                    "skipped: its object type is not in the request's list".into(),
                    RowKind::Skipped,
                ),
                AceOutcome::ObjectAceWithoutList => (
                    "skipped: an object ACE, and the check has no object-type list".into(),
                    RowKind::Skipped,
                ),
                #[allow(unreachable_patterns)]
                _ => (format!("{outcome:?}"), RowKind::Info),
            };
            let mut text = format!("{}: {what}", ace_with_name(ace, stage));
            if let Some(n) = note {
                text.push_str(&format!(" ({n})"));
            }
            (
                Some((pass_num(pass), *index)),
                WalkRow {
                    stage: format!("{}D[{index}]", prefix(pass)),
                    text,
                    kind,
                },
            )
        }
        Step::PassEnd { pass, denied, .. } => (
            None,
            plain(
                if *pass == Pass::Restricted {
                    "restricted pass"
                } else {
                    "DACL pass"
                },
                if *denied {
                    RowKind::Denied
                } else {
                    RowKind::Info
                },
            ),
        ),
        Step::AppContainer { .. } => (None, plain("AppContainer", RowKind::Info)),
        Step::RestrictedSkipped { .. } => (None, plain("restricted pass", RowKind::Skipped)),
        Step::ScopedPolicyIgnored { .. } => (None, plain("scoped policy", RowKind::Skipped)),
        Step::Audit { .. } => (None, plain("audit", RowKind::Info)),
        Step::Result { status, .. } => (
            None,
            plain(
                "result",
                if status.is_success() {
                    RowKind::Granted
                } else {
                    RowKind::Denied
                },
            ),
        ),
        #[allow(unreachable_patterns)]
        _ => (None, plain("stage", RowKind::Info)),
    }
}

const ROW: usize = 20;

/// Draws the walk as SVG, one row per stage or ACE, each a `<g
/// class="ace-row">` with `data-outcome` and its full text as a `<title>`.
pub fn render(trace: &Trace, stage: Option<&Stage>) -> String {
    let rows = rows(trace, stage);
    let mut body = String::new();
    for (i, r) in rows.iter().enumerate() {
        let y = 4 + i * ROW;
        let text = escape(&r.text);
        let _ = write!(
            body,
            r##"<g class="ace-row" data-outcome="{o}"><title>{text}</title><rect x="2" y="{y}" width="1096" height="{h}" fill="{f}"/><text x="8" y="{ty}" font-weight="bold">{st}</text><text x="110" y="{ty}">{text}</text></g>"##,
            o = r.kind.name(),
            h = ROW - 2,
            f = r.kind.fill(),
            ty = y + 13,
            st = escape(&r.stage),
        );
    }
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="ace-walk" width="1100" height="{}" font-family="sans-serif" font-size="12">{body}</svg>"#,
        rows.len() * ROW + 8
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fixture::{Collect, Runner};

    fn trace_of(sd: &str, desired: &str) -> Trace {
        let text = format!(
            r#"{{"principals": {{"alice": "S-1-5-21-1-2-3-1001"}},
               "tokens": {{"t": {{"user": "alice", "groups": ["WD"]}}}},
               "steps": [{{"op": "check", "token": "t", "sd": "{sd}", "type": "file",
                          "desired": "{desired}"}}]}}"#
        );
        let mut report = Collect::default();
        let _ = Runner::new().explain(true).run_str(&text, "t", &mut report);
        report
            .steps
            .first()
            .and_then(|s| s.trace.clone())
            .unwrap_or_default()
    }

    /// A deny ACE ahead of an allow ACE ends the walk with a denied row
    /// (MS-DTYP 2.5.3.2: ACEs are evaluated in order; a deny for a wanted
    /// bit ends the check).
    #[test]
    fn deny_row_is_drawn_denied() {
        let t = trace_of("O:BAG:BAD:(D;;FR;;;WD)(A;;FA;;;WD)", "FILE_READ_DATA");
        let rows = rows(&t, None);
        let d0 = rows.iter().find(|r| r.stage == "D[0]");
        assert_eq!(d0.map(|r| r.kind), Some(RowKind::Denied));
        assert!(d0.is_some_and(|r| r.text.starts_with("(D;;FR;;;WD) = Everyone: denies 0x")));
        let svg = render(&t, None);
        assert!(svg.contains(r#"class="ace-walk""#));
        assert!(svg.contains(r#"data-outcome="denied""#));
        assert_eq!(svg.matches(r#"class="ace-row""#).count(), rows.len());
    }

    /// An allow ACE whose bits are all already granted is shown as
    /// "decided", with wording that does not claim the bits were wanted.
    #[test]
    fn allow_after_grant_is_already_decided() {
        let t = trace_of("O:BAG:BAD:(A;;FR;;;WD)(A;;FR;;;WD)", "MAXIMUM_ALLOWED");
        let rows = rows(&t, None);
        let d1 = rows.iter().find(|r| r.stage == "D[1]");
        assert_eq!(d1.map(|r| r.kind), Some(RowKind::Decided), "{rows:?}");
        assert!(d1.is_some_and(|r| r.text.contains("none of its bits is still undecided")));
    }

    /// Inherit-only ACEs, skipped before evaluation, are listed in DACL
    /// order, not ahead of D[0] (MS-DTYP 2.4.4.1: INHERIT_ONLY_ACE is not
    /// used in the access check).
    #[test]
    fn skipped_aces_keep_their_place() {
        let t = trace_of(
            "O:BAG:BAD:(A;;FR;;;WD)(A;IO;FA;;;WD)(A;;FW;;;WD)",
            "FILE_ALL_ACCESS",
        );
        let stages: Vec<String> = rows(&t, None)
            .into_iter()
            .filter(|r| r.stage.starts_with("D["))
            .map(|r| r.stage)
            .collect();
        let mut sorted = stages.clone();
        sorted.sort();
        assert_eq!(stages, sorted);
        assert!(stages.len() >= 2, "{stages:?}");
    }

    /// The trustee's name from the fixture is printed beside its SID.
    #[test]
    fn trustee_names_are_shown() {
        let text = r#"{"principals": {"alice": "S-1-5-21-1-2-3-1001"},
           "tokens": {"t": {"user": "alice"}},
           "steps": [{"op": "check", "token": "t", "sd": "O:BAG:BAD:(A;;FR;;;S-1-5-21-1-2-3-1001)",
                      "type": "file", "desired": "FILE_READ_DATA"}]}"#;
        let mut svg = String::new();
        let _ = Runner::new().explain(true).inspect(text, &mut |stage, r| {
            if let Some(t) = &r.trace {
                svg = render(t, Some(stage));
            }
        });
        assert!(
            svg.contains("(A;;FR;;;S-1-5-21-1-2-3-1001) = alice: grants"),
            "{svg}"
        );
    }
}
