//! UAC split tokens: the limited and full halves of an administrator's
//! logon, their elevation types and links, and how a fixture declares them.
//! Each test names its source.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use secctx::fixture::{Collect, FixtureError, Runner, Verdict};
use secctx::rights::file;
use secctx::well_known as wk;
use secctx::{
    AccessMask, AccessRequest, ElevationType, GroupAttributes, IntegrityLevel, NtStatus, Privilege,
    SecurityDescriptor, Sid, Token, World,
};

fn sid(s: &str) -> Sid {
    Sid::parse_sddl(s, None).unwrap()
}

fn admin() -> Token {
    Token::new(sid("S-1-5-21-1-2-3-1107"))
        .with_group(wk::BUILTIN_USERS)
        .with_group(wk::BUILTIN_ADMINISTRATORS)
        .with_group(sid("S-1-5-21-1-2-3-512"))
        .with_group(sid("S-1-5-21-1-2-3-513"))
        .with_privilege(Privilege::ChangeNotify)
        .with_privilege(Privilege::Backup)
        .with_privilege(Privilege::Debug)
        .with_privilege(Privilege::TimeZone)
}

/// The limited half: Administrators and Domain Admins deny-only (and only
/// that attribute), other groups untouched, only the five standard-user
/// privileges, Medium integrity; the full half keeps everything at High.
/// Source: Russinovich, "Inside Windows Vista User Account Control"
/// (TechNet Magazine, June 2007); Microsoft, "How User Account Control
/// works".
#[test]
fn an_administrators_logon_splits_into_limited_and_full() {
    let mut w = World::new();
    let (l, f) = w.create_linked_tokens(admin());
    let lt = w.token(l).unwrap();
    for g in [wk::BUILTIN_ADMINISTRATORS, sid("S-1-5-21-1-2-3-512")] {
        let entry = lt.groups.iter().find(|x| x.sid == g).unwrap();
        assert_eq!(entry.attributes, GroupAttributes::USE_FOR_DENY_ONLY);
    }
    let users = lt
        .groups
        .iter()
        .find(|x| x.sid == wk::BUILTIN_USERS)
        .unwrap();
    assert!(users.is_enabled());
    assert!(lt.has_privilege(Privilege::ChangeNotify));
    assert!(lt.has_privilege(Privilege::TimeZone));
    assert!(!lt
        .privileges
        .iter()
        .any(|p| p.privilege == Privilege::Backup));
    assert!(!lt
        .privileges
        .iter()
        .any(|p| p.privilege == Privilege::Debug));
    assert_eq!(lt.integrity, IntegrityLevel::MEDIUM);
    let ft = w.token(f).unwrap();
    assert_eq!(ft.integrity, IntegrityLevel::HIGH);
    assert!(ft.has_privilege(Privilege::Backup));
    assert!(ft
        .groups
        .iter()
        .any(|g| g.sid == wk::BUILTIN_ADMINISTRATORS && g.is_enabled()));
    assert_eq!(lt.logon_id, ft.logon_id, "one logon session");
}

/// Each half has its elevation type (Limited = 3, Full = 2) and links to
/// the other; an unsplit token is Default (1) with no link. Source:
/// TOKEN_ELEVATION_TYPE (winnt.h); Wine's test_elevation (run on Windows).
#[test]
fn the_halves_link_both_ways() {
    let mut w = World::new();
    let (l, f) = w.create_linked_tokens(admin());
    assert_eq!(w.elevation_type(l), ElevationType::Limited);
    assert_eq!(w.elevation_type(f), ElevationType::Full);
    assert_eq!(ElevationType::Limited.value(), 3);
    assert_eq!(ElevationType::Full.value(), 2);
    assert_eq!(w.linked_token(l), Some(f));
    assert_eq!(w.linked_token(f), Some(l));
    let plain = w.add_token(admin());
    assert_eq!(w.elevation_type(plain), ElevationType::Default);
    assert_eq!(w.linked_token(plain), None);
    assert_eq!(w.link_tokens(plain, plain), Err(NtStatus::InvalidParameter));
}

/// A process started with a split token, and its children, keep the
/// elevation type and the link (a copy of a split token keeps both:
/// Wine's test_elevation, docs/research/token-api-handles.md section 4).
#[test]
fn a_process_token_keeps_its_half() {
    let mut w = World::new();
    let (l, f) = w.create_linked_tokens(admin());
    let (p, t) = w.spawn("explorer.exe", l).unwrap();
    let primary = w.primary_token(p).unwrap();
    assert_ne!(primary, l);
    assert_eq!(w.elevation_type(primary), ElevationType::Limited);
    assert_eq!(w.linked_token(primary), Some(f));
    let (child, _) = w.create_process(t, "notepad.exe").unwrap();
    let cp = w.primary_token(child).unwrap();
    assert_eq!(w.elevation_type(cp), ElevationType::Limited);
}

/// The same user is denied through the limited half and allowed through
/// the full one: a deny-only group never matches an allow ACE (MS-DTYP
/// 2.5.3.2, SE_GROUP_USE_FOR_DENY_ONLY).
#[test]
fn one_half_is_denied_where_the_other_is_allowed() {
    let mut w = World::new();
    let (l, f) = w.create_linked_tokens(admin());
    let sd = SecurityDescriptor::from_sddl("O:SYG:SYD:(A;;FA;;;BA)(A;;FR;;;BU)", None).unwrap();
    let write = AccessRequest::new(AccessMask(file::WRITE_DATA));
    let limited = secctx::access_check(w.token(l).unwrap(), &sd, &write).unwrap();
    let full = secctx::access_check(w.token(f).unwrap(), &sd, &write).unwrap();
    assert_eq!(limited.status, NtStatus::AccessDenied);
    assert_eq!(full.status, NtStatus::Success);
}

fn run(text: &str) -> (Result<secctx::fixture::Counts, FixtureError>, Collect) {
    let mut sink = Collect::default();
    let r = Runner::new().run_str(text, "uac", &mut sink);
    (r, sink)
}

fn fixture(tokens: &str, steps: &str) -> String {
    format!(
        r#"{{"principals": {{"ann": "S-1-5-21-1-2-3-1107"}},
  "tokens": {{{tokens}}},
  "processes": {{"explorer": {{"token": "lim"}}}},
  "steps": [{steps}]}}"#
    )
}

/// A fixture declares a split with `linked` and `elevation_type` on one
/// half; the other becomes the opposite type and links back, and
/// open_process_token's `token` expectation sees it.
#[test]
fn a_fixture_declares_a_split() {
    let text = fixture(
        r#""lim": {"user": "ann", "linked": "full", "elevation_type": "limited"},
           "full": {"user": "ann", "groups": ["BA"], "integrity": "high"}"#,
        r#"{"op": "open_process_token", "thread": "explorer", "desired": "TOKEN_QUERY",
            "expect": {"token": {"elevation_type": "limited"}}},
           {"op": "open_process_token", "thread": "explorer", "desired": "TOKEN_QUERY",
            "expect": {"token": {"elevation_type": "full"}}}"#,
    );
    let (r, sink) = run(&text);
    r.unwrap();
    let verdicts: Vec<_> = sink.steps.iter().map(|s| s.verdict).collect();
    assert_eq!(verdicts, [Verdict::Pass, Verdict::Fail]);
}

/// Malformed splits are fixture errors at their JSON path.
#[test]
fn malformed_splits_name_their_path() {
    let cases = [
        (
            r#""lim": {"user": "ann", "linked": "full"}, "full": {"user": "ann"}"#,
            "tokens.lim.elevation_type",
        ),
        (
            r#""lim": {"user": "ann", "elevation_type": "limited"}"#,
            "tokens.lim.elevation_type",
        ),
        (
            r#""lim": {"user": "ann", "linked": "nobody", "elevation_type": "limited"}"#,
            "tokens.lim.linked",
        ),
        (
            r#""lim": {"user": "ann", "linked": "lim", "elevation_type": "full"}"#,
            "tokens.lim.linked",
        ),
        (
            r#""lim": {"user": "ann", "linked": "full", "elevation_type": "limited"},
               "full": {"user": "ann", "linked": "lim", "elevation_type": "limited"}"#,
            "tokens.lim.linked",
        ),
        (
            r#""lim": {"user": "ann", "elevation_type": "elevated"}"#,
            "tokens.lim.elevation_type",
        ),
    ];
    for (tokens, path) in cases {
        let text = fixture(tokens, "");
        match run(&text).0 {
            Err(FixtureError::Invalid(e)) => {
                assert!(e.to_string().contains(path), "{tokens}: {e}");
            }
            other => panic!("{tokens}: expected invalid, got {other:?}"),
        }
    }
}
