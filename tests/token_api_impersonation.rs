//! Impersonation through the calls named after Win32 and NT:
//! ImpersonateLoggedOnUser, SetThreadToken and
//! NtSetInformationThread(ThreadImpersonationToken), ImpersonateAnonymousToken,
//! RtlImpersonateSelf and OpenThreadToken with a thread handle. Each test
//! names its source (docs/research/token-api-handles.md sections 3 and 7).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod token_api_support;

use token_api_support::{logon, run_passing, sid, ALICE};

use secctx::rights::{thread as th, token as tok};
use secctx::well_known as wk;
use secctx::{
    AccessMask, Handle, ImpersonationLevel, NtStatus, ProcessId, PseudoHandle, Target, ThreadId,
    TokenId, TokenType, World,
};

struct M {
    w: World,
    p: ProcessId,
    t: ThreadId,
    other: ThreadId,
    alice: TokenId,
}

fn machine() -> M {
    let mut w = World::new();
    let alice = logon(&mut w, ALICE, &[]);
    let (p, t) = w.spawn("app.exe", alice).unwrap();
    let other = w.add_thread(p).unwrap();
    M {
        w,
        p,
        t,
        other,
        alice,
    }
}

fn imp_token(w: &mut World, from: TokenId, level: ImpersonationLevel) -> TokenId {
    let mut t = w.token(from).unwrap().clone();
    t.token_type = TokenType::Impersonation;
    t.impersonation_level = level;
    w.add_token(t)
}

fn give(m: &mut M, target: Target, access: u32) -> Handle {
    m.w.give_handle(m.p, target, AccessMask(access)).unwrap()
}

const CURRENT_THREAD: Handle = Handle::pseudo(PseudoHandle::CurrentThread);

/// ImpersonateLoggedOnUser: a primary token's handle needs TOKEN_QUERY |
/// TOKEN_DUPLICATE (and TOKEN_IMPERSONATE is not enough); the thread then
/// impersonates an impersonation-level copy. Source: the
/// ImpersonateLoggedOnUser page, Remarks.
#[test]
fn impersonate_logged_on_user_with_a_primary_token() {
    let mut m = machine();
    let a = m.alice;
    let weak = give(&mut m, Target::Token(a), tok::IMPERSONATE | tok::QUERY);
    assert_eq!(
        m.w.impersonate_logged_on_user(m.t, weak).unwrap_err(),
        NtStatus::AccessDenied
    );
    let ok = give(&mut m, Target::Token(a), tok::QUERY | tok::DUPLICATE);
    let out = m.w.impersonate_logged_on_user(m.t, ok).unwrap();
    assert_eq!(out.level, ImpersonationLevel::Impersonation);
    let now = m.w.impersonation_token(m.t).unwrap().unwrap();
    assert_ne!(now, a, "a copy, not the primary token itself");
    assert_eq!(m.w.token(now).unwrap().token_type, TokenType::Impersonation);
}

/// ImpersonateLoggedOnUser: an impersonation token's handle needs
/// TOKEN_QUERY | TOKEN_IMPERSONATE. Source: the ImpersonateLoggedOnUser
/// page, Remarks.
#[test]
fn impersonate_logged_on_user_with_an_impersonation_token() {
    let mut m = machine();
    let it = imp_token(&mut m.w, m.alice, ImpersonationLevel::Impersonation);
    let no_query = give(&mut m, Target::Token(it), tok::IMPERSONATE);
    assert_eq!(
        m.w.impersonate_logged_on_user(m.t, no_query).unwrap_err(),
        NtStatus::AccessDenied
    );
    let ok = give(&mut m, Target::Token(it), tok::IMPERSONATE | tok::QUERY);
    m.w.impersonate_logged_on_user(m.t, ok).unwrap();
    assert_eq!(m.w.impersonation_token(m.t).unwrap(), Some(it));
}

/// NtSetInformationThread(ThreadImpersonationToken): the thread handle needs
/// THREAD_SET_THREAD_TOKEN and is checked first; NULL is
/// STATUS_INVALID_HANDLE; a process handle is STATUS_OBJECT_TYPE_MISMATCH.
/// Source: ReactOS NtSetInformationThread; ObReferenceObjectByHandle's order.
#[test]
fn set_thread_token_checks_the_thread_handle_first() {
    let mut m = machine();
    let it = imp_token(&mut m.w, m.alice, ImpersonationLevel::Impersonation);
    let tokh = give(&mut m, Target::Token(it), tok::IMPERSONATE);
    let other = m.other;
    let weak = give(&mut m, Target::Thread(other), th::QUERY_INFORMATION);
    // The token handle is NULL-free and valid; the thread handle decides.
    assert_eq!(
        m.w.nt_set_information_thread(m.t, weak, Handle::NULL)
            .unwrap_err(),
        NtStatus::AccessDenied
    );
    assert_eq!(
        m.w.nt_set_information_thread(m.t, Handle::NULL, tokh)
            .unwrap_err(),
        NtStatus::InvalidHandle
    );
    let p = m.p;
    let proc_h = give(&mut m, Target::Process(p), 0x1fffff);
    assert_eq!(
        m.w.nt_set_information_thread(m.t, proc_h, tokh)
            .unwrap_err(),
        NtStatus::ObjectTypeMismatch
    );
    let strong = give(&mut m, Target::Thread(other), th::SET_THREAD_TOKEN);
    m.w.nt_set_information_thread(m.t, strong, tokh).unwrap();
    assert_eq!(m.w.impersonation_token(other).unwrap(), Some(it));
    assert_eq!(m.w.impersonation_token(m.t).unwrap(), None);
    // A NULL token stops the impersonation.
    assert_eq!(
        m.w.nt_set_information_thread(m.t, strong, Handle::NULL)
            .unwrap(),
        None
    );
    assert_eq!(m.w.impersonation_token(other).unwrap(), None);
}

/// SetThreadToken: the token handle needs TOKEN_IMPERSONATE, and a primary
/// token is STATUS_BAD_TOKEN_TYPE. Sources: the SetThreadToken page; ReactOS
/// PsAssignImpersonationToken.
#[test]
fn set_thread_token_wants_an_impersonation_token() {
    let mut m = machine();
    let a = m.alice;
    let primary = give(&mut m, Target::Token(a), tok::ALL_ACCESS);
    assert_eq!(
        m.w.set_thread_token_by_handle(m.t, None, Some(primary))
            .unwrap_err(),
        NtStatus::BadTokenType
    );
    let it = imp_token(&mut m.w, a, ImpersonationLevel::Impersonation);
    let query_only = give(&mut m, Target::Token(it), tok::QUERY);
    assert_eq!(
        m.w.set_thread_token_by_handle(m.t, None, Some(query_only))
            .unwrap_err(),
        NtStatus::AccessDenied
    );
    let ok = give(&mut m, Target::Token(it), tok::IMPERSONATE);
    // NULL thread = the calling thread; GetCurrentThread() too.
    m.w.set_thread_token_by_handle(m.t, None, Some(ok)).unwrap();
    assert_eq!(m.w.impersonation_token(m.t).unwrap(), Some(it));
    m.w.set_thread_token_by_handle(m.t, Some(CURRENT_THREAD), None)
        .unwrap();
    assert_eq!(m.w.impersonation_token(m.t).unwrap(), None);
}

/// ImpersonateAnonymousToken: the thread impersonates the system's one
/// ANONYMOUS LOGON token (no Everyone by default, no privileges) at
/// SecurityImpersonation; the thread handle needs THREAD_IMPERSONATE.
/// Sources: the ImpersonateAnonymousToken page; ReactOS
/// SepCreateSystemAnonymousLogonTokenNoEveryone.
#[test]
fn impersonate_anonymous_token_uses_the_systems_token() {
    let mut m = machine();
    let out =
        m.w.impersonate_anonymous_token(m.t, CURRENT_THREAD)
            .unwrap();
    assert_eq!(out.level, ImpersonationLevel::Impersonation);
    let t = m.w.token(out.token).unwrap();
    assert_eq!(t.user.sid, wk::ANONYMOUS);
    assert!(t.groups.iter().all(|g| g.sid != wk::WORLD));
    assert!(t.privileges.is_empty());
    m.w.revert_to_self(m.t).unwrap();
    let again =
        m.w.impersonate_anonymous_token(m.t, CURRENT_THREAD)
            .unwrap();
    assert_eq!(again.token, out.token, "one system token");
    let other = m.other;
    let weak = give(&mut m, Target::Thread(other), th::SET_THREAD_TOKEN);
    assert_eq!(
        m.w.impersonate_anonymous_token(m.t, weak).unwrap_err(),
        NtStatus::AccessDenied
    );
    let strong = give(&mut m, Target::Thread(other), th::IMPERSONATE);
    m.w.impersonate_anonymous_token(m.t, strong).unwrap();
    assert_eq!(m.w.impersonation_token(other).unwrap(), Some(out.token));
}

/// ImpersonateAnonymousToken is refused (STATUS_ACCESS_DENIED) when the
/// calling process's token is restricted. Source: the
/// ImpersonateAnonymousToken page.
#[test]
fn a_restricted_process_cannot_impersonate_anonymous() {
    let mut w = World::new();
    let t = w.add_token(secctx::Token::new(sid(ALICE)).with_restricted_sids(&[wk::WORLD]));
    let (_, thread) = w.spawn("sandbox.exe", t).unwrap();
    assert_eq!(
        w.impersonate_anonymous_token(thread, CURRENT_THREAD)
            .unwrap_err(),
        NtStatus::AccessDenied
    );
}

/// OpenThreadToken: the thread handle's THREAD_QUERY_INFORMATION is checked
/// before the thread's token is looked for (STATUS_ACCESS_DENIED, not
/// STATUS_NO_TOKEN). Source: ReactOS NtOpenThreadTokenEx; the
/// NtOpenThreadToken page.
#[test]
fn open_thread_token_checks_the_thread_handle_before_no_token() {
    let mut m = machine();
    let other = m.other;
    let weak = give(&mut m, Target::Thread(other), th::SET_THREAD_TOKEN);
    let e =
        m.w.open_thread_token_by_handle(m.t, weak, AccessMask(tok::QUERY), false)
            .unwrap_err();
    assert_eq!(e.status(), NtStatus::AccessDenied);
    let ok = give(&mut m, Target::Thread(other), th::QUERY_INFORMATION);
    let e =
        m.w.open_thread_token_by_handle(m.t, ok, AccessMask(tok::QUERY), false)
            .unwrap_err();
    assert_eq!(e.status(), NtStatus::NoToken);
    let e =
        m.w.open_thread_token_by_handle(m.t, Handle::NULL, AccessMask(tok::QUERY), false)
            .unwrap_err();
    assert_eq!(e.status(), NtStatus::InvalidHandle);
}

/// RtlImpersonateSelf at Identification: opening the thread token needs
/// OpenAsSelf (else STATUS_BAD_IMPERSONATION_LEVEL); at Anonymous it cannot
/// be opened at all (STATUS_CANT_OPEN_ANONYMOUS). Source: Wine's
/// test_impersonation_level (run on Windows); the OpenThreadToken page.
#[test]
fn open_thread_token_at_identification_and_anonymous() {
    let mut m = machine();
    m.w.rtl_impersonate_self(m.t, ImpersonationLevel::Identification)
        .unwrap();
    let q = AccessMask(tok::QUERY);
    let e =
        m.w.open_thread_token_by_handle(m.t, CURRENT_THREAD, q, false)
            .unwrap_err();
    assert_eq!(e.status(), NtStatus::BadImpersonationLevel);
    let (h, d) =
        m.w.open_thread_token_by_handle(m.t, CURRENT_THREAD, q, true)
            .unwrap();
    assert_eq!(d.granted, q);
    assert!(m.w.resolve_handle(m.t, h).is_ok());
    m.w.rtl_impersonate_self(m.t, ImpersonationLevel::Anonymous)
        .unwrap();
    let e =
        m.w.open_thread_token_by_handle(m.t, CURRENT_THREAD, q, true)
            .unwrap_err();
    assert_eq!(e.status(), NtStatus::CantOpenAnonymous);
}

/// The fixture ops translate the calls: each step's expectation holds.
#[test]
fn the_fixture_ops_follow_the_calls() {
    let text = r#"{
  "principals": {"alice": "S-1-5-21-1-2-3-1001"},
  "tokens": {
    "alice": {"user": "alice", "groups": ["BU"], "default_dacl": "D:(A;;GA;;;S-1-5-21-1-2-3-1001)"},
    "alice-imp": {"user": "alice", "type": "impersonation", "impersonation_level": "impersonation"}
  },
  "processes": {"app": {"token": "alice", "threads": ["app", "worker"],
    "handles": {"imp": {"token": "alice-imp", "access": "TOKEN_IMPERSONATE"},
                "worker-q": {"thread": "worker", "access": "THREAD_QUERY_INFORMATION"},
                "worker-set": {"thread": "worker", "access": "THREAD_SET_THREAD_TOKEN"}}}},
  "steps": [
    {"op": "open_thread_token", "thread": "app", "thread_handle": "worker-set", "desired": "TOKEN_QUERY",
     "expect": {"status": "STATUS_ACCESS_DENIED"}},
    {"op": "open_thread_token", "thread": "app", "thread_handle": "worker-q", "desired": "TOKEN_QUERY",
     "expect": {"status": "STATUS_NO_TOKEN"}},
    {"op": "set_thread_token", "thread": "app", "thread_handle": "worker-q", "handle": "imp",
     "expect": {"status": "STATUS_ACCESS_DENIED"}},
    {"op": "set_thread_token", "thread": "app", "thread_handle": "worker-set", "handle": "imp",
     "expect": {"status": "STATUS_SUCCESS", "level": "impersonation"}},
    {"op": "nt_set_information_thread", "thread": "app", "thread_handle": "worker-set",
     "expect": {"status": "STATUS_SUCCESS", "level": "none"}},
    {"op": "nt_set_information_thread", "thread": "app", "thread_handle": null, "token": "imp",
     "expect": {"status": "STATUS_INVALID_HANDLE"}},
    {"op": "open_process_token", "thread": "app", "desired": "TOKEN_QUERY|TOKEN_IMPERSONATE", "save_as": "own",
     "expect": {"status": "STATUS_SUCCESS"}},
    {"op": "impersonate_logged_on_user", "thread": "app", "handle": "own",
     "expect": {"status": "STATUS_ACCESS_DENIED"}},
    {"op": "impersonate_logged_on_user", "thread": "app", "handle": "imp",
     "expect": {"status": "STATUS_ACCESS_DENIED"}},
    {"op": "impersonate_anonymous_token", "thread": "app",
     "expect": {"status": "STATUS_SUCCESS", "user": "AN", "level": "impersonation"}},
    {"op": "rtl_impersonate_self", "thread": "app", "level": "anonymous",
     "expect": {"status": "STATUS_SUCCESS", "user": "alice", "level": "anonymous"}},
    {"op": "open_thread_token", "thread": "app", "thread_handle": "GetCurrentThread()", "desired": "TOKEN_QUERY", "open_as_self": true,
     "expect": {"status": "STATUS_CANT_OPEN_ANONYMOUS"}}
  ]
}"#;
    assert_eq!(run_passing(text), 12);
}
