//! GetTokenInformation and SetTokenInformation on the simulated machine: one
//! test per rule, each citing its source (the facts are gathered in
//! docs/research/token-api-queries.md; "W-test" is Wine's advapi32
//! security.c, which runs on Windows; "ROS-cls" is ReactOS'
//! ntoskrnl/se/tokencls.c).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use secctx::rights::token as tok;
use secctx::well_known as wk;
use secctx::{
    AccessMask, GroupAttributes, Handle, ImpersonationLevel, IntegrityLevel, NtStatus, Privilege,
    ProcessId, PseudoHandle, Sid, Target, ThreadId, TokenId, TokenInformation,
    TokenInformationClass as C, TokenInformationValue as V, TokenType, World,
};

const ALICE: &str = "S-1-5-21-1-2-3-1001";

fn sid(s: &str) -> Sid {
    Sid::parse_sddl(s, None).unwrap()
}

struct M {
    w: World,
    pid: ProcessId,
    th: ThreadId,
    alice: TokenId,
}

/// Alice logged on (Users, ChangeNotify) running a process; SYSTEM's
/// token exists too.
fn machine(privileges: &[Privilege]) -> M {
    let mut w = World::new();
    let alice = w.logon_user(
        sid(ALICE),
        &[wk::BUILTIN_USERS],
        privileges,
        IntegrityLevel::MEDIUM,
    );
    let (pid, th) = w.spawn("app.exe", alice).unwrap();
    M { w, pid, th, alice }
}

impl M {
    /// A handle to `t` in the process granting `access`.
    fn handle(&mut self, t: TokenId, access: u32) -> Handle {
        self.w
            .give_handle(self.pid, Target::Token(t), AccessMask(access))
            .unwrap()
    }

    fn query(&mut self, h: Handle, c: C, len: Option<u32>) -> Result<TokenInformation, NtStatus> {
        self.w
            .get_token_information(self.th, h, c, len)
            .map(|r| r.value)
            .map_err(|e| e.status)
    }

    fn needed(&mut self, h: Handle, c: C) -> u32 {
        let e = self
            .w
            .get_token_information(self.th, h, c, Some(0))
            .unwrap_err();
        assert_eq!(e.status, NtStatus::BufferTooSmall, "{c:?}");
        e.return_length.unwrap()
    }

    fn modified_id(&self, t: TokenId) -> u64 {
        self.w.token_statistics(t).unwrap().modified_id
    }
}

/// MS-GTI, MS-NtQIT: every class needs TOKEN_QUERY, TokenSource needs
/// TOKEN_QUERY_SOURCE (and TOKEN_QUERY does not stand in for it).
#[test]
fn required_access_is_token_query_or_query_source() {
    let mut m = machine(&[]);
    let source_only = m.handle(m.alice, tok::QUERY_SOURCE);
    let query_only = m.handle(m.alice, tok::QUERY);
    assert_eq!(
        m.query(source_only, C::User, None),
        Err(NtStatus::AccessDenied)
    );
    assert_eq!(
        m.query(query_only, C::Source, None),
        Err(NtStatus::AccessDenied)
    );
    assert!(matches!(
        m.query(source_only, C::Source, None),
        Ok(TokenInformation::Source(_))
    ));
    for &c in C::ALL {
        if c != C::Source && c != C::ImpersonationLevel {
            assert!(m.query(query_only, c, None).is_ok(), "{c:?}");
        }
    }
}

/// The handle is checked as ObReferenceObjectByHandle does: NULL is
/// STATUS_INVALID_HANDLE, a process handle STATUS_OBJECT_TYPE_MISMATCH
/// (MS-NtQIT).
#[test]
fn the_handle_is_checked_first() {
    let mut m = machine(&[]);
    assert_eq!(
        m.query(Handle::NULL, C::User, None),
        Err(NtStatus::InvalidHandle)
    );
    let process = Handle::pseudo(PseudoHandle::CurrentProcess);
    assert_eq!(
        m.query(process, C::User, None),
        Err(NtStatus::ObjectTypeMismatch)
    );
}

/// TokenImpersonationLevel on a primary token fails with
/// ERROR_INVALID_PARAMETER (W-test `test_token_attr`,
/// `test_duplicate_token`); the status is ReactOS's
/// STATUS_INVALID_INFO_CLASS (notes open point 1). On an impersonation
/// token it answers the level, in 4 bytes.
#[test]
fn impersonation_level_does_not_fit_a_primary_token() {
    let mut m = machine(&[]);
    let h = m.handle(m.alice, tok::QUERY);
    let e = m.query(h, C::ImpersonationLevel, None).unwrap_err();
    assert_eq!(e, NtStatus::InvalidInfoClass);
    assert_eq!(e.win32_error().0, 87);
    let dup_source = m.handle(m.alice, tok::DUPLICATE);
    let dup =
        m.w.duplicate_token_ex(
            m.th,
            dup_source,
            AccessMask(tok::QUERY),
            None,
            ImpersonationLevel::Identification,
            TokenType::Impersonation,
        )
        .unwrap();
    let r =
        m.w.get_token_information(m.th, dup, C::ImpersonationLevel, None)
            .unwrap();
    assert_eq!(
        r.value,
        TokenInformation::ImpersonationLevel(ImpersonationLevel::Identification)
    );
    assert_eq!(r.return_length, 4);
}

/// A class number that is no class is STATUS_INVALID_INFO_CLASS, before the
/// handle is looked at (MS-NtQIT; ROS-cls validates the class first).
#[test]
fn unknown_class_numbers() {
    let mut m = machine(&[]);
    for n in [0, 50, 1000] {
        let e =
            m.w.get_token_information_by_number(m.th, Handle::NULL, n, None)
                .unwrap_err();
        assert_eq!(e.status, NtStatus::InvalidInfoClass, "{n}");
    }
    let h = m.handle(m.alice, tok::QUERY);
    let r =
        m.w.get_token_information_by_number(m.th, h, 12, None)
            .unwrap();
    assert_eq!(r.value, TokenInformation::SessionId(0));
}

/// A buffer below the answer's size fails with STATUS_BUFFER_TOO_SMALL
/// (ERROR_INSUFFICIENT_BUFFER) and reports the x64 size needed; that size
/// succeeds and one byte less fails (MS-NtQIT; W-test `test_token_attr`).
/// Sizes from the notes §1.2: TOKEN_USER 16 + SL, TOKEN_GROUPS 8 + 16n +
/// ΣSL (Wine's formula), TOKEN_PRIVILEGES 4 + 12n, TOKEN_MANDATORY_LABEL
/// 28 (W-test `test_TokenIntegrityLevel`), TOKEN_DEFAULT_DACL 8 + ACL
/// size, TOKEN_STATISTICS 56, TOKEN_OWNER 8 + SL, the logon SID 44.
#[test]
fn buffer_too_small_reports_the_needed_length() {
    let mut m = machine(&[Privilege::ChangeNotify, Privilege::Shutdown]);
    let h = m.handle(m.alice, tok::QUERY | tok::QUERY_SOURCE);
    // The user: S-1-5-21-1-2-3-1001 has 5 sub-authorities: 28 bytes.
    assert_eq!(m.needed(h, C::User), 16 + 28);
    // Groups: Users (16), Everyone (12), Interactive (12), Authenticated
    // Users (12), the logon SID (20) and the Medium label (12).
    assert_eq!(
        m.needed(h, C::Groups),
        8 + 16 * 6 + 16 + 12 + 12 + 12 + 20 + 12
    );
    assert_eq!(m.needed(h, C::Privileges), 4 + 12 * 2);
    assert_eq!(m.needed(h, C::IntegrityLevel), 28);
    assert_eq!(m.needed(h, C::Statistics), 56);
    assert_eq!(m.needed(h, C::Owner), 8 + 28);
    assert_eq!(m.needed(h, C::LogonSid), 44);
    // The default DACL: header 8, two ACCESS_ALLOWED_ACEs (8 + 28 and 8 +
    // 12) → 8 + 8 + 36 + 20.
    assert_eq!(m.needed(h, C::DefaultDacl), 8 + 8 + 36 + 20);
    assert_eq!(m.needed(h, C::Type), 4);
    assert_eq!(m.needed(h, C::Source), 16);
    // Not an AppContainer: a NULL pointer, 8 (MS-TIC).
    assert_eq!(m.needed(h, C::AppContainerSid), 8);
    for &c in C::ALL {
        if c == C::ImpersonationLevel {
            continue;
        }
        let need = m.needed(h, c);
        let e =
            m.w.get_token_information(m.th, h, c, Some(need - 1))
                .unwrap_err();
        assert_eq!(e.status, NtStatus::BufferTooSmall, "{c:?}");
        assert_eq!(e.status.win32_error().0, 122);
        let ok = m.w.get_token_information(m.th, h, c, Some(need)).unwrap();
        assert_eq!(ok.return_length, need, "{c:?}");
    }
}

/// TokenDefaultDacl with no default DACL answers NULL with length 8
/// (observed: W-test `test_token_attr`; MS-GTI), not MS-NtQIT's 0; removing
/// it with SetTokenInformation succeeds.
#[test]
fn default_dacl_removed_reports_eight() {
    let mut m = machine(&[]);
    let h = m.handle(m.alice, tok::QUERY | tok::ADJUST_DEFAULT);
    m.w.set_token_information(m.th, h, V::DefaultDacl(None))
        .unwrap();
    let r =
        m.w.get_token_information(m.th, h, C::DefaultDacl, None)
            .unwrap();
    assert_eq!(r.value, TokenInformation::DefaultDacl(None));
    assert_eq!(r.return_length, 8);
    // Removing it again changes nothing, so the ModifiedId stays (ROS-cls
    // bumps it only when a DACL existed).
    let id = m.modified_id(m.alice);
    m.w.set_token_information(m.th, h, V::DefaultDacl(None))
        .unwrap();
    assert_eq!(m.modified_id(m.alice), id);
}

/// The integrity label is listed among the groups with SE_GROUP_INTEGRITY |
/// SE_GROUP_INTEGRITY_ENABLED, and TokenIntegrityLevel answers it with the
/// same attributes, 0x60 (W-test `test_TokenIntegrityLevel`).
#[test]
fn the_label_is_a_group() {
    let mut m = machine(&[]);
    let h = m.handle(m.alice, tok::QUERY);
    let Ok(TokenInformation::IntegrityLevel(label)) = m.query(h, C::IntegrityLevel, None) else {
        panic!("no label");
    };
    assert_eq!(label.sid, IntegrityLevel::MEDIUM.sid());
    assert_eq!(label.attributes, GroupAttributes(0x60));
    let Ok(TokenInformation::Groups(groups)) = m.query(h, C::Groups, None) else {
        panic!("no groups");
    };
    assert!(groups.contains(&label));
    // TokenLogonSid: the group with SE_GROUP_LOGON_ID, attributes
    // 0xC0000007 (W-test `test_token_attr`).
    let Ok(TokenInformation::LogonSid(logon)) = m.query(h, C::LogonSid, None) else {
        panic!("no logon SID");
    };
    assert_eq!(logon.len(), 1);
    assert_eq!(logon[0].attributes, GroupAttributes(0xC000_0007));
}

/// TOKEN_STATISTICS: a TokenId of its own per token object (W-test
/// `check_different_token`), the logon session as AuthenticationId, the
/// group count without the user, the privilege count (notes §1.3).
#[test]
fn statistics_identify_the_token() {
    let mut m = machine(&[Privilege::ChangeNotify]);
    let h = m.handle(m.alice, tok::QUERY | tok::DUPLICATE);
    let Ok(TokenInformation::Statistics(s)) = m.query(h, C::Statistics, None) else {
        panic!("no statistics");
    };
    assert_eq!(s.authentication_id, m.w.token(m.alice).unwrap().logon_id);
    assert_eq!(s.group_count, 6);
    assert_eq!(s.privilege_count, 1);
    assert_eq!(s.token_type, TokenType::Primary);
    let dup =
        m.w.duplicate_token_ex(
            m.th,
            h,
            AccessMask(tok::QUERY),
            None,
            ImpersonationLevel::Impersonation,
            TokenType::Primary,
        )
        .unwrap();
    let Ok(TokenInformation::Statistics(d)) = m.query(dup, C::Statistics, None) else {
        panic!("no statistics");
    };
    assert_ne!(d.token_id, s.token_id);
    assert_eq!(d.authentication_id, s.authentication_id);
}

/// Every change gives the token a new ModifiedId (TOKEN_STATISTICS; ROS-cls
/// and ROS-adj replace it at each change); a query changes nothing.
#[test]
fn every_change_bumps_the_modified_id() {
    let mut m = machine(&[Privilege::ChangeNotify]);
    let h = m.handle(m.alice, tok::ALL_ACCESS);
    let mut last = m.modified_id(m.alice);
    m.query(h, C::Groups, None).unwrap();
    assert_eq!(m.modified_id(m.alice), last);
    // Enabling a group that is already enabled changes nothing, and
    // NtAdjustGroupsToken replaces the ModifiedId only on a real change
    // (ReactOS SepAdjustGroups), so the id stays.
    m.w.adjust_groups(m.th, h, &[(wk::BUILTIN_USERS, true)])
        .unwrap();
    assert_eq!(m.modified_id(m.alice), last, "a no-op adjust_groups");
    let mut changed = |m: &mut M, what: &str| {
        let now = m.modified_id(m.alice);
        assert_ne!(now, last, "{what} did not bump the modified id");
        last = now;
    };
    m.w.adjust_privileges(m.th, h, &[(Privilege::ChangeNotify, Some(false))])
        .unwrap();
    changed(&mut m, "adjust_privileges");
    m.w.set_integrity(m.th, h, IntegrityLevel::LOW).unwrap();
    changed(&mut m, "set_integrity");
    m.w.set_token_information(m.th, h, V::PrimaryGroup(wk::BUILTIN_USERS))
        .unwrap();
    changed(&mut m, "TokenPrimaryGroup");
    m.w.set_token_information(m.th, h, V::Owner(sid(ALICE)))
        .unwrap();
    changed(&mut m, "TokenOwner");
    m.w.set_token_information(m.th, h, V::VirtualizationEnabled(true))
        .unwrap();
    changed(&mut m, "TokenVirtualizationEnabled");
    m.w.set_token_information(m.th, h, V::DefaultDacl(None))
        .unwrap();
    changed(&mut m, "TokenDefaultDacl");
}

/// TokenOwner must be the user or a group carrying SE_GROUP_OWNER, else
/// STATUS_INVALID_OWNER (1992 Win32 SDK SetTokenInformation text; ROS-cls;
/// Win32 1307).
#[test]
fn owner_must_be_the_user_or_an_owner_group() {
    let mut w = World::new();
    let t = secctx::Token::new(sid(ALICE))
        .with_group(wk::BUILTIN_USERS)
        .with_group_attributes(
            wk::BUILTIN_ADMINISTRATORS,
            GroupAttributes::DEFAULT.with(GroupAttributes::OWNER),
        );
    let t = w.add_token(t);
    let (pid, th) = w.spawn("app.exe", t).unwrap();
    let h = w
        .give_handle(pid, Target::Token(t), AccessMask(tok::ADJUST_DEFAULT))
        .unwrap();
    let e = w
        .set_token_information(th, h, V::Owner(wk::BUILTIN_USERS))
        .unwrap_err();
    assert_eq!(e, NtStatus::InvalidOwner);
    assert_eq!(e.win32_error().0, 1307);
    assert_eq!(
        w.set_token_information(th, h, V::Owner(wk::WORLD)),
        Err(NtStatus::InvalidOwner)
    );
    w.set_token_information(th, h, V::Owner(wk::BUILTIN_ADMINISTRATORS))
        .unwrap();
    assert_eq!(w.token(t).unwrap().owner, wk::BUILTIN_ADMINISTRATORS);
    w.set_token_information(th, h, V::Owner(sid(ALICE)))
        .unwrap();
}

/// TokenPrimaryGroup must be the user or any group of the token (no OWNER
/// attribute needed), else STATUS_INVALID_PRIMARY_GROUP (ROS-cls; Win32
/// 1308).
#[test]
fn primary_group_must_be_in_the_token() {
    let mut m = machine(&[]);
    let h = m.handle(m.alice, tok::ADJUST_DEFAULT);
    let e =
        m.w.set_token_information(m.th, h, V::PrimaryGroup(wk::BUILTIN_ADMINISTRATORS))
            .unwrap_err();
    assert_eq!(e, NtStatus::InvalidPrimaryGroup);
    assert_eq!(e.win32_error().0, 1308);
    m.w.set_token_information(m.th, h, V::PrimaryGroup(wk::BUILTIN_USERS))
        .unwrap();
    assert_eq!(
        m.w.token(m.alice).unwrap().primary_group,
        Some(wk::BUILTIN_USERS)
    );
}

/// Setting needs TOKEN_ADJUST_DEFAULT (ROS-cls; "Access Rights for
/// Access-Token Objects"); TokenSessionId needs TOKEN_ADJUST_SESSIONID too
/// and SeTcbPrivilege in the caller (MS-TIC; ROS-cls), else
/// STATUS_PRIVILEGE_NOT_HELD.
#[test]
fn session_id_needs_tcb_and_adjust_sessionid() {
    let mut m = machine(&[]);
    let query = m.handle(m.alice, tok::QUERY);
    assert_eq!(
        m.w.set_token_information(m.th, query, V::PrimaryGroup(sid(ALICE))),
        Err(NtStatus::AccessDenied)
    );
    let default_only = m.handle(m.alice, tok::ADJUST_DEFAULT);
    assert_eq!(
        m.w.set_token_information(m.th, default_only, V::SessionId(2)),
        Err(NtStatus::AccessDenied)
    );
    let both = m.handle(m.alice, tok::ADJUST_DEFAULT | tok::ADJUST_SESSIONID);
    assert_eq!(
        m.w.set_token_information(m.th, both, V::SessionId(2)),
        Err(NtStatus::PrivilegeNotHeld)
    );
    let mut s = machine(&[Privilege::Tcb]);
    let both = s.handle(s.alice, tok::ADJUST_DEFAULT | tok::ADJUST_SESSIONID);
    s.w.set_token_information(s.th, both, V::SessionId(2))
        .unwrap();
    assert_eq!(s.w.token(s.alice).unwrap().session_id, 2);
}

/// Raising the integrity level through SetTokenInformation needs
/// SeTcbPrivilege (set_integrity's rule; notes open point 7); lowering
/// needs only TOKEN_ADJUST_DEFAULT.
#[test]
fn integrity_level_raise_needs_tcb() {
    let mut m = machine(&[]);
    let h = m.handle(m.alice, tok::ADJUST_DEFAULT);
    assert_eq!(
        m.w.set_token_information(m.th, h, V::IntegrityLevel(IntegrityLevel::HIGH)),
        Err(NtStatus::PrivilegeNotHeld)
    );
    m.w.set_token_information(m.th, h, V::IntegrityLevel(IntegrityLevel::LOW))
        .unwrap();
    assert_eq!(m.w.token(m.alice).unwrap().integrity, IntegrityLevel::LOW);
}

/// TokenOrigin needs SeTcbPrivilege and is set once: a second set succeeds
/// and changes nothing (ROS-cls; notes open point 10).
#[test]
fn origin_is_set_once_with_tcb() {
    let mut m = machine(&[]);
    let h = m.handle(m.alice, tok::ADJUST_DEFAULT);
    assert_eq!(
        m.w.set_token_information(m.th, h, V::Origin(0x3e7)),
        Err(NtStatus::PrivilegeNotHeld)
    );
    let mut s = machine(&[Privilege::Tcb]);
    let h = s.handle(s.alice, tok::ADJUST_DEFAULT | tok::QUERY);
    s.w.set_token_information(s.th, h, V::Origin(0x3e7))
        .unwrap();
    let id = s.modified_id(s.alice);
    s.w.set_token_information(s.th, h, V::Origin(0x999))
        .unwrap();
    assert_eq!(
        s.query(h, C::Origin, None),
        Ok(TokenInformation::Origin(0x3e7))
    );
    assert_eq!(s.modified_id(s.alice), id);
}

/// TokenMandatoryPolicy needs SeCreateTokenPrivilege (archived MSDN
/// SetTokenInformation table; notes open point 8).
#[test]
fn mandatory_policy_needs_create_token() {
    let mut m = machine(&[Privilege::Tcb]);
    let h = m.handle(m.alice, tok::ADJUST_DEFAULT);
    assert_eq!(
        m.w.set_token_information(m.th, h, V::MandatoryPolicy(secctx::MandatoryPolicy::OFF)),
        Err(NtStatus::PrivilegeNotHeld)
    );
}

/// Query-only classes cannot be set: TokenElevation and
/// TokenElevationType fail with ERROR_INVALID_PARAMETER (W-test
/// `test_elevation`).
#[test]
fn query_only_classes_are_not_settable() {
    assert!(!C::Elevation.is_settable());
    assert!(!C::ElevationType.is_settable());
    assert!(!C::User.is_settable());
    assert!(C::Owner.is_settable());
    assert!(C::SessionId.is_settable());
}

/// A token that is not half of a UAC split: TokenLinkedToken succeeds with
/// a NULL handle, 8 bytes (observed on current Windows: W-test
/// `test_elevation`), TokenElevationType is Default, and TokenElevation is
/// TRUE only when BUILTIN\Administrators is enabled (W-test
/// `test_admin_elevation`).
#[test]
fn default_elevation_and_no_linked_token() {
    let mut m = machine(&[]);
    let h = m.handle(m.alice, tok::QUERY);
    let r =
        m.w.get_token_information(m.th, h, C::LinkedToken, None)
            .unwrap();
    assert_eq!(r.value, TokenInformation::LinkedToken(None));
    assert_eq!(r.return_length, 8);
    assert_eq!(
        m.query(h, C::ElevationType, None),
        Ok(TokenInformation::ElevationType(
            secctx::ElevationType::Default
        ))
    );
    assert_eq!(
        m.query(h, C::Elevation, None),
        Ok(TokenInformation::Elevation(false))
    );
    let admin = m.w.logon_user(
        sid(ALICE),
        &[wk::BUILTIN_ADMINISTRATORS],
        &[],
        IntegrityLevel::HIGH,
    );
    let ah = m.handle(admin, tok::QUERY);
    assert_eq!(
        m.query(ah, C::Elevation, None),
        Ok(TokenInformation::Elevation(true))
    );
}

/// Class names: Windows' name with or without `Token`, in any case.
#[test]
fn class_names() {
    assert_eq!(C::from_name("TokenUser"), Some(C::User));
    assert_eq!(C::from_name("sandboxinert"), Some(C::SandBoxInert));
    assert_eq!(C::from_name("TOKENISAPPCONTAINER"), Some(C::IsAppContainer));
    assert_eq!(C::from_name("TokenBogus"), None);
    assert_eq!(C::from_value(25), Some(C::IntegrityLevel));
    assert_eq!(C::IntegrityLevel.name(), "TokenIntegrityLevel");
}

// Fixture level: the ops translate, Windows' answers stay statuses, and a
// malformed step is an error at its JSON path.

mod fixture_level {
    use secctx::fixture::{Collect, FixtureError, Runner, Verdict};

    const WORLD: &str = r#""domain_sid": "S-1-5-21-1-2-3",
      "principals": {"alice": "S-1-5-21-1-2-3-1104"},
      "tokens": {"alice": {"user": "alice", "groups": ["DU", "WD", {"sid": "BA", "attributes": "mandatory|enabled|owner"}]}},
      "processes": {"app": {"token": "alice", "handles": {"t": {"token": "alice", "access": "TOKEN_QUERY|TOKEN_ADJUST_DEFAULT"}}}}"#;

    fn run(steps: &str) -> Result<Collect, String> {
        let text = format!("{{{WORLD},\n\"steps\": [{steps}]}}");
        let mut sink = Collect::default();
        match Runner::new().run_str(&text, "test", &mut sink) {
            Ok(_) => Ok(sink),
            Err(FixtureError::Invalid(e)) => Err(e.to_string()),
            Err(e) => panic!("{e:?}"),
        }
    }

    fn passes(steps: &str) {
        let sink = run(steps).unwrap();
        for s in &sink.steps {
            assert_eq!(s.verdict, Verdict::Pass, "{}: {:?}", s.title, s.failures);
        }
    }

    /// An unknown class name is an error of the fixture at `class`, naming
    /// the accepted names (issue 12, "Bad input").
    #[test]
    fn unknown_class_name_is_a_fixture_error() {
        let e = run(r#"{"op": "get_token_information", "thread": "app", "handle": "t", "class": "TokenUsr"}"#)
            .unwrap_err();
        assert!(e.contains("steps[0].class"), "{e}");
        assert!(e.contains("TokenUser"), "{e}");
        // A Windows class secctx does not model (22, TokenAccessInformation).
        let e =
            run(r#"{"op": "get_token_information", "thread": "app", "handle": "t", "class": 22}"#)
                .unwrap_err();
        assert!(e.contains("steps[0].class"), "{e}");
    }

    /// A value of the wrong type for the class is an error at `value`.
    #[test]
    fn wrong_value_type_is_a_fixture_error() {
        let e = run(r#"{"op": "set_token_information", "thread": "app", "handle": "t", "class": "TokenSessionId", "value": "one"}"#)
            .unwrap_err();
        assert!(e.contains("steps[0].value"), "{e}");
    }

    /// Windows' answers stay statuses: a number that is no class is
    /// STATUS_INVALID_INFO_CLASS (MS-NtQIT); setting a query-only class is
    /// ERROR_INVALID_PARAMETER (W-test `test_elevation`); an owner the token
    /// cannot own is STATUS_INVALID_OWNER; a buffer too small reports the
    /// needed length.
    #[test]
    fn windows_answers_are_statuses() {
        passes(
            r#"{"op": "get_token_information", "thread": "app", "handle": "t", "class": 0,
                "expect": {"status": "STATUS_INVALID_INFO_CLASS", "last_error": "ERROR_INVALID_PARAMETER"}},
               {"op": "set_token_information", "thread": "app", "handle": "t", "class": "elevation", "value": 1,
                "expect": {"returned": false, "last_error": "ERROR_INVALID_PARAMETER"}},
               {"op": "set_token_information", "thread": "app", "handle": "t", "class": "owner", "value": "WD",
                "expect": {"status": "STATUS_INVALID_OWNER", "last_error": 1307}},
               {"op": "set_token_information", "thread": "app", "handle": "t", "class": "owner", "value": "BA",
                "expect": {"status": "STATUS_SUCCESS"}},
               {"op": "get_token_information", "thread": "app", "handle": "t", "class": "TokenOwner",
                "expect": {"value": "S-1-5-32-544", "return_length": 24}},
               {"op": "get_token_information", "thread": "app", "handle": "t", "class": "TokenUser", "length": 8,
                "expect": {"status": "STATUS_BUFFER_TOO_SMALL", "return_length": 44}},
               {"op": "set_token_information", "thread": "app", "handle": "t", "class": "TokenDefaultDacl", "value": null,
                "expect": {"status": "STATUS_SUCCESS"}},
               {"op": "get_token_information", "thread": "app", "handle": "t", "class": "defaultdacl",
                "expect": {"value": null, "return_length": 8, "token": {"user": "alice"}}}"#,
        );
    }
}

/// Pseudo handles: GetCurrentProcessToken() and
/// GetCurrentThreadEffectiveToken() on a thread that is not impersonating
/// answer TokenStatistics identical to the process token's;
/// GetCurrentThreadToken() then has no token (ERROR_NO_TOKEN) (W-test
/// `test_pseudo_tokens`).
#[test]
fn pseudo_token_handles_answer_for_the_process_token() {
    let mut m = machine(&[]);
    // The process runs with its own primary token object (spawn copies the
    // token it is given).
    let primary = m.w.primary_token(m.pid).unwrap();
    let own = m.handle(primary, tok::QUERY);
    let want = m.query(own, C::Statistics, None).unwrap();
    for p in [
        PseudoHandle::CurrentProcessToken,
        PseudoHandle::CurrentThreadEffectiveToken,
    ] {
        assert_eq!(
            m.query(Handle::pseudo(p), C::Statistics, None),
            Ok(want.clone())
        );
    }
    let e = m
        .query(
            Handle::pseudo(PseudoHandle::CurrentThreadToken),
            C::Statistics,
            None,
        )
        .unwrap_err();
    assert_eq!(e, NtStatus::NoToken);
    assert_eq!(e.win32_error().0, 1008);
}

/// Anonymous- and Identification-level impersonation tokens can be queried
/// for everything, TokenUser included (W-test `test_impersonation_level`).
#[test]
fn low_level_impersonation_tokens_can_be_queried() {
    let mut m = machine(&[]);
    let src = m.handle(m.alice, tok::DUPLICATE);
    for level in [
        ImpersonationLevel::Anonymous,
        ImpersonationLevel::Identification,
    ] {
        let h =
            m.w.duplicate_token_ex(
                m.th,
                src,
                AccessMask(tok::QUERY),
                None,
                level,
                TokenType::Impersonation,
            )
            .unwrap();
        assert!(matches!(
            m.query(h, C::User, None),
            Ok(TokenInformation::User(u)) if u.sid == sid(ALICE)
        ));
        assert_eq!(
            m.query(h, C::ImpersonationLevel, None),
            Ok(TokenInformation::ImpersonationLevel(level))
        );
    }
}
