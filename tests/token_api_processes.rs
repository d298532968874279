//! Processes and threads through the calls named after Win32:
//! CreateProcessAsUser and CreateThread / CreateRemoteThread. Each test
//! names its source (docs/research/token-api-handles.md section 8).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod token_api_support;

use token_api_support::{logon, run_passing, sid, ALICE, BOB};

use secctx::rights::{process as pr, thread as th, token as tok};
use secctx::well_known as wk;
use secctx::{
    AccessMask, Handle, ImpersonationLevel, NtStatus, Privilege, ProcessId, PseudoHandle,
    SecurityInformation, Target, ThreadId, TokenId, TokenType, World,
};

struct M {
    w: World,
    p: ProcessId,
    t: ThreadId,
    bob: TokenId,
}

fn machine(privileges: &[Privilege]) -> M {
    let mut w = World::new();
    let alice = logon(&mut w, ALICE, privileges);
    let bob = logon(&mut w, BOB, &[]);
    let (p, t) = w.spawn("service.exe", alice).unwrap();
    M { w, p, t, bob }
}

fn own_token(m: &mut M, access: u32) -> Handle {
    let primary = m.w.primary_token(m.p).unwrap();
    m.w.give_handle(m.p, Target::Token(primary), AccessMask(access))
        .unwrap()
}

/// CreateProcessAsUser(GetCurrentProcessToken()) fails with
/// ERROR_INVALID_HANDLE. Source: Wine's test_create_process_token (run on
/// Windows).
#[test]
fn the_process_token_pseudo_handle_is_invalid() {
    let mut m = machine(&[]);
    let h = Handle::pseudo(PseudoHandle::CurrentProcessToken);
    assert_eq!(
        m.w.create_process_as_user(m.t, h, "child.exe").unwrap_err(),
        NtStatus::InvalidHandle
    );
}

/// The token handle needs TOKEN_QUERY and TOKEN_ASSIGN_PRIMARY, and those
/// two suffice (no TOKEN_DUPLICATE) on Windows 7 and later; the returned
/// handles carry PROCESS_ALL_ACCESS and THREAD_ALL_ACCESS. Source: Wine's
/// test_create_process_token and test_process_security.
#[test]
fn query_and_assign_primary_suffice() {
    let mut m = machine(&[]);
    for access in [tok::QUERY, tok::ASSIGN_PRIMARY] {
        let h = own_token(&mut m, access);
        assert_eq!(
            m.w.create_process_as_user(m.t, h, "child.exe").unwrap_err(),
            NtStatus::AccessDenied
        );
    }
    let h = own_token(&mut m, tok::QUERY | tok::ASSIGN_PRIMARY);
    let (child, thread, ph, thh) = m.w.create_process_as_user(m.t, h, "child.exe").unwrap();
    assert_eq!(m.w.process_info(child).unwrap(), ("child.exe", Some(m.p)));
    assert_eq!(m.w.thread_process(thread).unwrap(), child);
    let pe = m.w.handle(m.p, ph).unwrap();
    assert_eq!(pe.target, Target::Process(child));
    assert_eq!(pe.granted, AccessMask(pr::ALL_ACCESS));
    assert_eq!(
        m.w.handle(m.p, thh).unwrap().granted,
        AccessMask(th::ALL_ACCESS)
    );
}

/// Another logon's token needs SeAssignPrimaryTokenPrivilege
/// (STATUS_PRIVILEGE_NOT_HELD without it). Source: ReactOS
/// PspSetPrimaryToken; the CreateProcessAsUser page.
#[test]
fn another_users_token_needs_the_privilege() {
    let mut m = machine(&[]);
    let bob = m.bob;
    let h =
        m.w.give_handle(m.p, Target::Token(bob), AccessMask(tok::ALL_ACCESS))
            .unwrap();
    assert_eq!(
        m.w.create_process_as_user(m.t, h, "bob.exe").unwrap_err(),
        NtStatus::PrivilegeNotHeld
    );
    let mut m = machine(&[Privilege::AssignPrimaryToken]);
    let bob = m.bob;
    let h =
        m.w.give_handle(m.p, Target::Token(bob), AccessMask(tok::ALL_ACCESS))
            .unwrap();
    let (child, ..) = m.w.create_process_as_user(m.t, h, "bob.exe").unwrap();
    let t = m.w.primary_token(child).unwrap();
    assert_eq!(m.w.token(t).unwrap().user.sid, sid(BOB));
    assert_eq!(m.w.token(t).unwrap().token_type, TokenType::Primary);
}

/// A restricted version of the caller's own token (a child: filtered from
/// it) and a duplicate of it (a sibling) need no privilege. Sources: the
/// CreateProcessAsUser page ("not required if hToken is a restricted
/// version of the caller's primary token"); ReactOS SeIsTokenChild /
/// SeIsTokenSibling; Wine's test_create_process_token(_child).
#[test]
fn a_child_or_sibling_token_needs_no_privilege() {
    let mut m = machine(&[]);
    let own = own_token(&mut m, tok::ALL_ACCESS);
    let restricted =
        m.w.create_restricted_token(
            m.t,
            own,
            &secctx::Restriction {
                disable: vec![wk::BUILTIN_USERS],
                ..Default::default()
            },
        )
        .unwrap();
    let (child, ..) =
        m.w.create_process_as_user(m.t, restricted, "r.exe")
            .unwrap();
    let t = m.w.primary_token(child).unwrap();
    assert!(m
        .w
        .token(t)
        .unwrap()
        .groups
        .iter()
        .any(|g| g.sid == wk::BUILTIN_USERS && g.is_deny_only()));
    let dup =
        m.w.duplicate_token_ex(
            m.t,
            own,
            AccessMask::MAXIMUM_ALLOWED,
            None,
            ImpersonationLevel::Impersonation,
            TokenType::Primary,
        )
        .unwrap();
    m.w.create_process_as_user(m.t, dup, "d.exe").unwrap();
}

/// An impersonation token is accepted on Windows 7 and later (made
/// primary); one below Impersonation level cannot become primary
/// (STATUS_BAD_IMPERSONATION_LEVEL). Sources: Wine's
/// test_create_process_token; ReactOS NtDuplicateToken.
#[test]
fn an_impersonation_token_is_accepted_at_impersonation_level() {
    let mut m = machine(&[]);
    let own = own_token(&mut m, tok::ALL_ACCESS);
    let imp =
        m.w.duplicate_token_ex(
            m.t,
            own,
            AccessMask::MAXIMUM_ALLOWED,
            None,
            ImpersonationLevel::Impersonation,
            TokenType::Impersonation,
        )
        .unwrap();
    let (child, ..) = m.w.create_process_as_user(m.t, imp, "i.exe").unwrap();
    let t = m.w.primary_token(child).unwrap();
    assert_eq!(m.w.token(t).unwrap().token_type, TokenType::Primary);
    let ident =
        m.w.duplicate_token_ex(
            m.t,
            own,
            AccessMask::MAXIMUM_ALLOWED,
            None,
            ImpersonationLevel::Identification,
            TokenType::Impersonation,
        )
        .unwrap();
    assert_eq!(
        m.w.create_process_as_user(m.t, ident, "x.exe").unwrap_err(),
        NtStatus::BadImpersonationLevel
    );
}

/// The new process's descriptor comes from its token's owner and default
/// DACL (LogonUser's: the user and SYSTEM), so another user cannot open it.
/// Source: the CreateProcessAsUser page (NULL lpProcessAttributes: a
/// default descriptor); the default DACL rule of SeAssignSecurity.
#[test]
fn the_new_process_descriptor_comes_from_the_token() {
    let mut m = machine(&[Privilege::AssignPrimaryToken]);
    let bob = m.bob;
    let h =
        m.w.give_handle(m.p, Target::Token(bob), AccessMask(tok::ALL_ACCESS))
            .unwrap();
    let (_, _, ph, _) = m.w.create_process_as_user(m.t, h, "bob.exe").unwrap();
    let sd =
        m.w.get_security(m.t, ph, SecurityInformation::STANDARD)
            .unwrap();
    assert_eq!(sd.owner, Some(sid(BOB)));
    let text = sd.to_sddl(None).unwrap();
    assert!(text.contains(BOB), "{text}");
    assert!(!text.contains(ALICE), "{text}");
}

/// CreateThread / CreateRemoteThread: the process handle needs
/// PROCESS_CREATE_THREAD; the new thread does not impersonate. Sources:
/// the CreateRemoteThread page; Wine's test_duplicate_handle_access (a new
/// thread does not inherit the creator's impersonation).
#[test]
fn create_thread_needs_create_thread_and_starts_unimpersonated() {
    let mut m = machine(&[]);
    m.w.impersonate_self(m.t, ImpersonationLevel::Impersonation)
        .unwrap();
    let weak =
        m.w.give_handle(m.p, Target::Process(m.p), AccessMask(pr::QUERY_INFORMATION))
            .unwrap();
    assert_eq!(
        m.w.create_thread(m.t, weak).unwrap_err(),
        NtStatus::AccessDenied
    );
    let (tid, h) =
        m.w.create_thread(m.t, Handle::pseudo(PseudoHandle::CurrentProcess))
            .unwrap();
    assert_eq!(m.w.thread_process(tid).unwrap(), m.p);
    assert_eq!(m.w.impersonation_token(tid).unwrap(), None);
    assert_eq!(
        m.w.handle(m.p, h).unwrap().granted,
        AccessMask(th::ALL_ACCESS)
    );
}

/// The fixture ops translate the calls: handles saved for both, the new
/// process's token judged, a thread created mid-story and used.
#[test]
fn the_fixture_ops_follow_the_calls() {
    let text = r#"{
  "principals": {"alice": "S-1-5-21-1-2-3-1001", "bob": "S-1-5-21-1-2-3-1002"},
  "tokens": {
    "alice": {"user": "alice", "groups": ["BU"], "default_dacl": "D:(A;;GA;;;S-1-5-21-1-2-3-1001)(A;;GA;;;SY)"},
    "bob": {"user": "bob", "groups": ["BU"], "logon_id": 7}
  },
  "processes": {"svc": {"token": "alice", "handles": {"bob": {"token": "bob", "access": "TOKEN_QUERY|TOKEN_ASSIGN_PRIMARY"}}}},
  "steps": [
    {"op": "create_process_as_user", "thread": "svc", "token": "GetCurrentProcessToken()", "process": "x",
     "expect": {"status": "STATUS_INVALID_HANDLE", "last_error": "ERROR_INVALID_HANDLE"}},
    {"op": "create_process_as_user", "thread": "svc", "token": "bob", "process": "b",
     "expect": {"status": "STATUS_PRIVILEGE_NOT_HELD"}},
    {"op": "open_process_token", "thread": "svc", "desired": "TOKEN_QUERY|TOKEN_ASSIGN_PRIMARY", "save_as": "own"},
    {"op": "create_process_as_user", "thread": "svc", "token": "own", "process": "child", "save_as": "child-p", "save_thread_as": "child-t",
     "expect": {"status": "STATUS_SUCCESS", "granted": "PROCESS_ALL_ACCESS", "user": "alice", "token": {"type": "primary", "user": "alice"}}},
    {"op": "create_thread", "thread": "svc", "process": "child-p", "name": "child-worker", "save_as": "cw",
     "expect": {"status": "STATUS_SUCCESS", "granted": "THREAD_ALL_ACCESS", "user": "alice", "level": "none"}},
    {"op": "whoami", "thread": "child-worker", "expect": {"user": "alice"}}
  ]
}"#;
    assert_eq!(run_passing(text), 6);
}

use secctx::rights::file;
use secctx::{DuplicateOptions, ObjectId, ObjectKind, SecurityDescriptor};

const SAME: DuplicateOptions = DuplicateOptions {
    same_access: true,
    close_source: false,
};
const CURRENT_PROCESS: Handle = Handle::pseudo(PseudoHandle::CurrentProcess);

/// DuplicateHandle from the caller's own process.
fn dup(
    m: &mut M,
    h: Handle,
    target: Option<Handle>,
    desired: AccessMask,
    options: DuplicateOptions,
) -> Result<Option<Handle>, secctx::CallError> {
    let t = m.t;
    m.w.duplicate_handle_ex(t, CURRENT_PROCESS, h, target, desired, options)
}

/// DuplicateHandle within the caller's process, which must succeed: the
/// copy's entry.
fn dup_here(m: &mut M, h: Handle, desired: u32, options: DuplicateOptions) -> secctx::HandleEntry {
    let copy = dup(m, h, Some(CURRENT_PROCESS), AccessMask(desired), options)
        .unwrap()
        .unwrap();
    m.w.handle(m.p, copy).unwrap()
}

/// A file whose DACL gives Alice read and write and Users read only.
fn file_object(m: &mut M) -> ObjectId {
    let sd =
        SecurityDescriptor::from_sddl(&format!("O:SYG:SYD:(A;;FR;;;BU)(A;;FRFW;;;{ALICE})"), None)
            .unwrap();
    let id = m.w.add_descriptor(sd);
    m.w.insert_object(None, "doc.txt", ObjectKind::File, None, id)
        .unwrap()
}

fn read_handle(m: &mut M, o: ObjectId) -> Handle {
    m.w.give_handle(m.p, Target::Object(o), AccessMask(file::READ_DATA))
        .unwrap()
}

/// Both process handles need PROCESS_DUP_HANDLE; DUPLICATE_CLOSE_SOURCE
/// closes the source even when the call fails. Source: the
/// DuplicateHandle page.
#[test]
fn duplicate_handle_needs_dup_handle_and_close_source_always_closes() {
    let mut m = machine(&[]);
    let o = file_object(&mut m);
    let p = m.p;
    let weak =
        m.w.give_handle(p, Target::Process(p), AccessMask(pr::QUERY_INFORMATION))
            .unwrap();
    let h = read_handle(&mut m, o);
    let e =
        m.w.duplicate_handle_ex(m.t, weak, h, Some(CURRENT_PROCESS), AccessMask(0), SAME)
            .unwrap_err();
    assert_eq!(e.status(), NtStatus::AccessDenied);
    let close = DuplicateOptions {
        same_access: true,
        close_source: true,
    };
    let e = dup(&mut m, h, Some(weak), AccessMask(0), close).unwrap_err();
    assert_eq!(e.status(), NtStatus::AccessDenied);
    assert_eq!(
        m.w.handle(p, h).unwrap_err(),
        NtStatus::InvalidHandle,
        "closed even so"
    );
}

/// No target process: allowed only with DUPLICATE_CLOSE_SOURCE (then the
/// source is just closed), else STATUS_INVALID_PARAMETER. Sources: the
/// DuplicateHandle page; ReactOS ObDuplicateObject.
#[test]
fn a_null_target_needs_close_source() {
    let mut m = machine(&[]);
    let o = file_object(&mut m);
    let h = read_handle(&mut m, o);
    let e = dup(&mut m, h, None, AccessMask(0), SAME).unwrap_err();
    assert_eq!(e.status(), NtStatus::InvalidParameter);
    let close = DuplicateOptions {
        same_access: false,
        close_source: true,
    };
    assert_eq!(dup(&mut m, h, None, AccessMask(0), close).unwrap(), None);
    assert_eq!(m.w.handle(m.p, h).unwrap_err(), NtStatus::InvalidHandle);
}

/// DUPLICATE_SAME_ACCESS ignores the desired access; a subset needs no
/// check; GetCurrentProcess() becomes a real handle with full access.
/// Sources: the DuplicateHandle and GetCurrentProcess pages.
#[test]
fn same_access_and_pseudo_sources() {
    let mut m = machine(&[]);
    let o = file_object(&mut m);
    let h = read_handle(&mut m, o);
    assert_eq!(
        dup_here(&mut m, h, file::WRITE_DATA, SAME).granted,
        AccessMask(file::READ_DATA)
    );
    let none = DuplicateOptions::default();
    assert_eq!(dup_here(&mut m, h, 0, none).granted, AccessMask(0));
    let e = dup_here(&mut m, CURRENT_PROCESS, 0, SAME);
    assert_eq!(e.target, Target::Process(m.p));
    assert_eq!(e.granted, AccessMask(pr::ALL_ACCESS));
}

/// Asking more than the source handle holds is not refused outright: the
/// object's descriptor is checked with the target process's token. Source:
/// Wine's test_duplicate_handle_access(_child) (run on Windows); ReactOS
/// ObDuplicateObject.
#[test]
fn more_access_is_an_access_check_with_the_target_token() {
    let mut m = machine(&[Privilege::AssignPrimaryToken]);
    let o = file_object(&mut m);
    let h = read_handle(&mut m, o);
    let none = DuplicateOptions::default();
    assert_eq!(
        dup_here(&mut m, h, file::WRITE_DATA, none).granted,
        AccessMask(file::WRITE_DATA)
    );
    // Into Bob's process: Bob's token is only granted read.
    let bob = m.bob;
    let bh =
        m.w.give_handle(m.p, Target::Token(bob), AccessMask(tok::ALL_ACCESS))
            .unwrap();
    let (_, _, bob_proc, _) = m.w.create_process_as_user(m.t, bh, "bob.exe").unwrap();
    let e = dup(
        &mut m,
        h,
        Some(bob_proc),
        AccessMask(file::WRITE_DATA),
        none,
    )
    .unwrap_err();
    assert_eq!(e.status(), NtStatus::AccessDenied);
    assert!(e.denial().is_some(), "an access check denied it");
    dup(&mut m, h, Some(bob_proc), AccessMask(file::READ_DATA), none).unwrap();
}

/// While impersonating, the caller's impersonation token must also grant
/// the extra access (the process token is not consulted). Source: Wine's
/// test_duplicate_handle_access (run on Windows).
#[test]
fn more_access_also_needs_the_impersonation_token() {
    let mut m = machine(&[]);
    let o = file_object(&mut m);
    let h = read_handle(&mut m, o);
    let bob = m.bob;
    let mut t = m.w.token(bob).unwrap().clone();
    t.token_type = TokenType::Impersonation;
    let bob_imp = m.w.add_token(t);
    let bh =
        m.w.give_handle(m.p, Target::Token(bob_imp), AccessMask(tok::IMPERSONATE))
            .unwrap();
    m.w.set_thread_token_by_handle(m.t, None, Some(bh)).unwrap();
    let none = DuplicateOptions::default();
    let e = dup(
        &mut m,
        h,
        Some(CURRENT_PROCESS),
        AccessMask(file::WRITE_DATA),
        none,
    )
    .unwrap_err();
    assert_eq!(e.status(), NtStatus::AccessDenied);
    m.w.revert_to_self(m.t).unwrap();
    dup(
        &mut m,
        h,
        Some(CURRENT_PROCESS),
        AccessMask(file::WRITE_DATA),
        none,
    )
    .unwrap();
}

/// The fixture's full form of duplicate_handle: process handles, options,
/// and the access check on escalation; the short form still works.
#[test]
fn the_duplicate_handle_fixture_forms() {
    let text = r#"{
  "principals": {"alice": "S-1-5-21-1-2-3-1001"},
  "tokens": {"alice": {"user": "alice", "groups": ["BU"]}},
  "processes": {"app": {"token": "alice", "handles": {
      "doc-r": {"object": "doc.txt", "access": "FILE_READ_DATA"},
      "self-q": {"process": "app", "access": "PROCESS_QUERY_INFORMATION"}}},
    "peer": {"token": "alice"}},
  "objects": {"doc.txt": {"type": "file", "sd": "O:SYG:SYD:(A;;FRFW;;;S-1-5-21-1-2-3-1001)"},
              "ro.txt": {"type": "file", "sd": "O:SYG:SYD:(A;;FR;;;S-1-5-21-1-2-3-1001)"}},
  "steps": [
    {"op": "duplicate_handle", "thread": "app", "handle": "doc-r", "target_process": "GetCurrentProcess()", "desired": "FILE_WRITE_DATA", "save_as": "doc-w",
     "expect": {"status": "STATUS_SUCCESS", "granted": "FILE_WRITE_DATA"}},
    {"op": "duplicate_handle", "thread": "app", "handle": "doc-r", "source_process": "self-q", "target_process": "GetCurrentProcess()", "same_access": true,
     "expect": {"status": "STATUS_ACCESS_DENIED"}},
    {"op": "open", "thread": "app", "object": "ro.txt", "desired": "FILE_READ_DATA", "save_as": "ro",
     "expect": {"status": "STATUS_SUCCESS"}},
    {"op": "duplicate_handle", "thread": "app", "handle": "ro", "target_process": "GetCurrentProcess()", "desired": "FILE_WRITE_DATA", "close_source": true,
     "expect": {"status": "STATUS_ACCESS_DENIED"}},
    {"op": "close", "thread": "app", "handle": "ro", "expect": {"status": "STATUS_INVALID_HANDLE"}},
    {"op": "duplicate_handle", "thread": "app", "handle": "doc-w", "process": "peer", "save_as": "peer-doc",
     "expect": {"status": "STATUS_SUCCESS", "granted": "FILE_WRITE_DATA"}}
  ]
}"#;
    assert_eq!(run_passing(text), 6);
}

/// NtQueryObject reports a handle's granted access and its kernel type's
/// name (directories are of type File); pseudo handles answer for what
/// they stand for; a closed handle is STATUS_INVALID_HANDLE. Sources: the
/// NtQueryObject page (PUBLIC_OBJECT_BASIC_INFORMATION.GrantedAccess,
/// PUBLIC_OBJECT_TYPE_INFORMATION.TypeName); the GetCurrentProcessToken
/// page (TOKEN_QUERY | TOKEN_QUERY_SOURCE).
#[test]
fn query_object_reports_access_and_type() {
    let mut m = machine(&[]);
    let o = file_object(&mut m);
    let h = read_handle(&mut m, o);
    let info = m.w.query_object(m.t, h).unwrap();
    assert_eq!(info.granted, AccessMask(file::READ_DATA));
    assert_eq!(info.type_name, "File");
    let p = m.w.query_object(m.t, CURRENT_PROCESS).unwrap();
    assert_eq!(
        (p.granted, p.type_name),
        (AccessMask(pr::ALL_ACCESS), "Process")
    );
    let t =
        m.w.query_object(m.t, Handle::pseudo(PseudoHandle::CurrentProcessToken))
            .unwrap();
    assert_eq!(
        (t.granted, t.type_name),
        (AccessMask(tok::QUERY | tok::QUERY_SOURCE), "Token")
    );
    m.w.close_handle(m.p, h).unwrap();
    assert_eq!(
        m.w.query_object(m.t, h).unwrap_err(),
        NtStatus::InvalidHandle
    );
}

/// The query_object op: granted, value and return length; an unknown
/// class is a fixture error at its path.
#[test]
fn the_query_object_fixture_op() {
    let text = r#"{
  "principals": {"alice": "S-1-5-21-1-2-3-1001"},
  "tokens": {"alice": {"user": "alice"}},
  "processes": {"app": {"token": "alice", "handles": {"t": {"token": "alice", "access": "TOKEN_QUERY"}}}},
  "steps": [
    {"op": "query_object", "thread": "app", "handle": "t",
     "expect": {"status": "STATUS_SUCCESS", "granted": "TOKEN_QUERY", "value": {"granted_access": 8}, "return_length": 56}},
    {"op": "query_object", "thread": "app", "handle": "GetCurrentThread()", "info_class": "ObjectTypeInformation",
     "expect": {"value": {"type_name": "Thread", "valid_access_mask": 2097151,
                          "generic_mapping": {"generic_read": 133192, "generic_write": 132151,
                                              "generic_execute": 1185792, "generic_all": 2097151}}}}
  ]
}"#;
    assert_eq!(run_passing(text), 2);
    let bad = text.replace("\"ObjectTypeInformation\"", "\"ObjectNameInfo\"");
    let mut sink = secctx::fixture::Collect::default();
    let e = secctx::fixture::Runner::new()
        .run_str(&bad, "t", &mut sink)
        .unwrap_err();
    assert!(e.to_string().contains("steps[1].info_class"), "{e}");
}
