//! Adjusting a token's privileges and groups, and asking about membership
//! and privileges: AdjustTokenPrivileges, AdjustTokenGroups,
//! CheckTokenMembership and PrivilegeCheck, one test per rule. The sources
//! are those of docs/research/token-api-queries.md sections 3 to 6: the
//! Win32 documentation pages (MS-ATP, MS-ATG, MS-CTM, MS-PC), ReactOS'
//! `ntoskrnl/se/tokenadj.c` and `priv.c`, and Wine's advapi32 tests that
//! pass on Windows.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use secctx::rights::token as tok;
use secctx::well_known as wk;
use secctx::{
    AccessMask, GroupAttributes, Handle, ImpersonationLevel, NtStatus, PreviousState, Privilege,
    PrivilegeChange, Sid, Target, ThreadId, Token, TokenGroup, TokenId, TokenPrivilege, TokenType,
    Win32Error, World,
};

const ALICE: &str = "S-1-5-21-1-2-3-1001";
/// A group that is not mandatory, enabled by default and enabled.
const TEAM: &str = "S-1-5-21-1-2-3-1400";
/// A group that is not mandatory, enabled by default but disabled now.
const OPTIONAL: &str = "S-1-5-21-1-2-3-1401";
/// A group that is not mandatory and not enabled by default, but enabled.
const EXTRA: &str = "S-1-5-21-1-2-3-1402";

fn sid(s: &str) -> Sid {
    Sid::parse_sddl(s, None).unwrap()
}

/// Alice's token: Users (mandatory), Administrators deny-only, three
/// optional groups; SeChangeNotify enabled by default, SeShutdown and
/// SeBackup held disabled.
fn alice_token() -> Token {
    let ebd = GroupAttributes::ENABLED_BY_DEFAULT;
    let on = GroupAttributes::ENABLED;
    let mut t = Token::new(sid(ALICE))
        .with_group(wk::BUILTIN_USERS)
        .with_group_attributes(
            wk::BUILTIN_ADMINISTRATORS,
            GroupAttributes::USE_FOR_DENY_ONLY,
        )
        .with_group_attributes(sid(TEAM), ebd.with(on))
        .with_group_attributes(sid(OPTIONAL), ebd)
        .with_group_attributes(sid(EXTRA), on);
    t.privileges = vec![
        TokenPrivilege::enabled(Privilege::ChangeNotify),
        TokenPrivilege::disabled(Privilege::Shutdown),
        TokenPrivilege::disabled(Privilege::Backup),
    ];
    t
}

struct Setup {
    w: World,
    th: ThreadId,
    pid: secctx::ProcessId,
    primary: TokenId,
}

fn setup() -> Setup {
    let mut w = World::new();
    let primary = w.add_token(alice_token());
    let (pid, th) = w.spawn("app.exe", primary).unwrap();
    Setup {
        w,
        th,
        pid,
        primary,
    }
}

impl Setup {
    /// A handle to `token` in the app's process granting `access`.
    fn handle(&mut self, token: TokenId, access: u32) -> Handle {
        self.w
            .give_handle(self.pid, Target::Token(token), AccessMask(access))
            .unwrap()
    }

    /// A copy of Alice's token as an impersonation token at `level`.
    fn impersonation(&mut self, level: ImpersonationLevel, t: Token) -> TokenId {
        let mut t = t;
        t.token_type = TokenType::Impersonation;
        t.impersonation_level = level;
        self.w.add_token(t)
    }

    fn token(&self, id: TokenId) -> &Token {
        self.w.token(id).unwrap()
    }

    fn privilege(&self, id: TokenId, p: Privilege) -> Option<TokenPrivilege> {
        self.token(id)
            .privileges
            .iter()
            .find(|x| x.privilege == p)
            .copied()
    }

    fn group(&self, id: TokenId, s: &Sid) -> TokenGroup {
        *self.token(id).groups.iter().find(|g| g.sid == *s).unwrap()
    }
}

const ALL: u32 = tok::ALL_ACCESS;

// ---------------------------------------------------------------------
// AdjustTokenPrivileges (research notes section 3)
// ---------------------------------------------------------------------

/// DisableAllPrivileges clears every ENABLED bit, ignores NewState and
/// never reports NOT_ALL_ASSIGNED (MS-ATP; ReactOS `SepAdjustPrivileges`).
#[test]
fn disable_all_privileges_ignores_new_state() {
    let mut s = setup();
    let h = s.handle(s.primary, ALL);
    let bogus = [(Privilege::Tcb, PrivilegeChange::Enable)];
    let r =
        s.w.adjust_token_privileges(s.th, h, true, Some(&bogus), PreviousState::NotAsked)
            .unwrap();
    assert_eq!(r.status, NtStatus::Success);
    assert!(s.token(s.primary).privileges.iter().all(|p| !p.enabled));
    assert_eq!(s.token(s.primary).privileges.len(), 3);
    // With DisableAllPrivileges a NULL NewState is fine.
    let r =
        s.w.adjust_token_privileges(s.th, h, true, None, PreviousState::NotAsked)
            .unwrap();
    assert_eq!(r.status, NtStatus::Success);
}

/// NewState NULL without DisableAllPrivileges is STATUS_INVALID_PARAMETER,
/// checked before the handle (ReactOS `NtAdjustPrivilegesToken`).
#[test]
fn null_new_state_is_invalid_parameter() {
    let mut s = setup();
    let e =
        s.w.adjust_token_privileges(s.th, Handle::NULL, false, None, PreviousState::NotAsked)
            .unwrap_err();
    assert_eq!(e.status, NtStatus::InvalidParameter);
}

/// Enabling and disabling touch only the ENABLED bit: ENABLED_BY_DEFAULT
/// stays (ReactOS `SepAdjustPrivileges`; observed: a disabled
/// SeChangeNotify keeps ENABLED_BY_DEFAULT, Wine test
/// `test_duplicate_token`).
#[test]
fn enable_and_disable_keep_enabled_by_default() {
    let mut s = setup();
    let h = s.handle(s.primary, ALL);
    s.w.adjust_privileges(
        s.th,
        h,
        &[
            (Privilege::ChangeNotify, Some(false)),
            (Privilege::Backup, Some(true)),
        ],
    )
    .unwrap();
    let cn = s.privilege(s.primary, Privilege::ChangeNotify).unwrap();
    assert!(!cn.enabled && cn.enabled_by_default);
    let b = s.privilege(s.primary, Privilege::Backup).unwrap();
    assert!(b.enabled && !b.enabled_by_default);
}

/// SE_PRIVILEGE_REMOVED deletes the privilege for good: enabling it again
/// is NOT_ALL_ASSIGNED, and PrivilegeCheck says it is not held (MS-ATP;
/// observed, Wine test `test_elevation`).
#[test]
fn removed_privilege_cannot_come_back() {
    let mut s = setup();
    let h = s.handle(s.primary, ALL);
    let st =
        s.w.adjust_privileges(s.th, h, &[(Privilege::ChangeNotify, None)])
            .unwrap();
    assert_eq!(st, NtStatus::Success);
    assert_eq!(s.privilege(s.primary, Privilege::ChangeNotify), None);
    // The others keep their order.
    let order: Vec<_> = s
        .token(s.primary)
        .privileges
        .iter()
        .map(|p| p.privilege)
        .collect();
    assert_eq!(order, [Privilege::Shutdown, Privilege::Backup]);
    let st =
        s.w.adjust_privileges(s.th, h, &[(Privilege::ChangeNotify, Some(true))])
            .unwrap();
    assert_eq!(st, NtStatus::NotAllAssigned);
    let r =
        s.w.privilege_check(s.th, h, &[Privilege::ChangeNotify], true)
            .unwrap();
    assert!(!r.held);
    // Removing a privilege the token does not hold is NOT_ALL_ASSIGNED.
    let st =
        s.w.adjust_privileges(s.th, h, &[(Privilege::ChangeNotify, None)])
            .unwrap();
    assert_eq!(st, NtStatus::NotAllAssigned);
}

/// A privilege the token does not hold cannot be added: the call returns
/// STATUS_NOT_ALL_ASSIGNED, a success code whose Win32 form is TRUE with
/// ERROR_NOT_ALL_ASSIGNED (1300), and the held ones are still adjusted
/// (MS-ATP; ReactOS `NtAdjustPrivilegesToken`; research notes section 7).
#[test]
fn not_all_assigned_is_a_success_and_adjusts_the_rest() {
    let mut s = setup();
    let h = s.handle(s.primary, ALL);
    let st =
        s.w.adjust_privileges(
            s.th,
            h,
            &[
                (Privilege::Tcb, Some(true)),
                (Privilege::Backup, Some(true)),
            ],
        )
        .unwrap();
    assert_eq!(st, NtStatus::NotAllAssigned);
    assert!(st.is_success());
    assert_eq!(st.win32_error(), Win32Error(1300));
    assert!(s.privilege(s.primary, Privilege::Backup).unwrap().enabled);
    assert_eq!(s.privilege(s.primary, Privilege::Tcb), None);
}

/// The previous state lists each privilege whose state changed, with its
/// old attributes, not the unchanged or removed ones; it takes 4 + 12n
/// bytes (x64 TOKEN_PRIVILEGES); fed back as NewState it restores the
/// token (MS-ATP; ReactOS lists only real changes; observed round trip,
/// Wine test `test_elevation`).
#[test]
fn previous_state_lists_changes_and_restores() {
    let mut s = setup();
    let h = s.handle(s.primary, ALL);
    let before = s.token(s.primary).privileges.clone();
    let changes = [
        (Privilege::ChangeNotify, PrivilegeChange::Disable),
        (Privilege::Backup, PrivilegeChange::Enable),
        (Privilege::Shutdown, PrivilegeChange::Disable),
    ];
    let r =
        s.w.adjust_token_privileges(s.th, h, false, Some(&changes), PreviousState::Asked)
            .unwrap();
    let prev = r.previous.unwrap();
    assert_eq!(
        prev,
        [
            TokenPrivilege::enabled(Privilege::ChangeNotify),
            TokenPrivilege::disabled(Privilege::Backup),
        ]
    );
    assert_eq!(r.return_length, Some(4 + 12 * 2));
    let restore: Vec<_> = prev
        .iter()
        .map(|p| {
            let c = if p.enabled {
                PrivilegeChange::Enable
            } else {
                PrivilegeChange::Disable
            };
            (p.privilege, c)
        })
        .collect();
    s.w.adjust_token_privileges(s.th, h, false, Some(&restore), PreviousState::NotAsked)
        .unwrap();
    assert_eq!(s.token(s.primary).privileges, before);
    // A removed privilege is not listed; nothing changed → count 0.
    let r =
        s.w.adjust_token_privileges(
            s.th,
            h,
            false,
            Some(&[(Privilege::Shutdown, PrivilegeChange::Remove)]),
            PreviousState::Asked,
        )
        .unwrap();
    assert_eq!(r.previous.unwrap(), []);
    assert_eq!(r.return_length, Some(4));
    // Without a previous state, ReturnLength is left alone (observed, Wine
    // test `test_AdjustTokenPrivileges`).
    let r =
        s.w.adjust_token_privileges(s.th, h, true, None, PreviousState::NotAsked)
            .unwrap();
    assert_eq!((r.previous, r.return_length), (None, None));
}

/// A previous-state buffer that is too small fails the call with
/// STATUS_BUFFER_TOO_SMALL and the length needed, and changes nothing
/// (MS-ATP; ReactOS counts in a dry run first).
#[test]
fn previous_state_buffer_too_small_changes_nothing() {
    let mut s = setup();
    let h = s.handle(s.primary, ALL);
    let before = s.token(s.primary).clone();
    let e =
        s.w.adjust_token_privileges(s.th, h, true, None, PreviousState::Buffer(15))
            .unwrap_err();
    assert_eq!(e.status, NtStatus::BufferTooSmall);
    assert_eq!(e.return_length, Some(16));
    assert_eq!(*s.token(s.primary), before);
    let r =
        s.w.adjust_token_privileges(s.th, h, true, None, PreviousState::Buffer(16))
            .unwrap();
    assert_eq!(r.return_length, Some(16));
    assert!(
        !s.privilege(s.primary, Privilege::ChangeNotify)
            .unwrap()
            .enabled
    );
}

/// The handle needs TOKEN_ADJUST_PRIVILEGES, and TOKEN_QUERY too only when
/// the previous state is asked for (MS-ATP; ReactOS; observed, Wine test
/// `test_AdjustTokenPrivileges`).
#[test]
fn adjust_privileges_access() {
    let mut s = setup();
    let query_only = s.handle(s.primary, tok::QUERY);
    let adjust_only = s.handle(s.primary, tok::ADJUST_PRIVILEGES);
    let e =
        s.w.adjust_token_privileges(s.th, query_only, true, None, PreviousState::NotAsked)
            .unwrap_err();
    assert_eq!(e.status, NtStatus::AccessDenied);
    s.w.adjust_token_privileges(s.th, adjust_only, true, None, PreviousState::NotAsked)
        .unwrap();
    let e =
        s.w.adjust_token_privileges(s.th, adjust_only, true, None, PreviousState::Asked)
            .unwrap_err();
    assert_eq!(e.status, NtStatus::AccessDenied);
}

// ---------------------------------------------------------------------
// AdjustTokenGroups (research notes section 4)
// ---------------------------------------------------------------------

/// ResetToDefault sets each group's ENABLED bit to its ENABLED_BY_DEFAULT
/// bit and ignores NewState (MS-ATG; ReactOS `SepAdjustGroups`); a
/// deny-only group stays disabled (MS-ATG: it can never be enabled).
#[test]
fn reset_to_default_restores_enabled_by_default() {
    let mut s = setup();
    let h = s.handle(s.primary, ALL);
    let r =
        s.w.adjust_token_groups(
            s.th,
            h,
            true,
            Some(&[(sid(TEAM), false)]),
            PreviousState::Asked,
        )
        .unwrap();
    assert_eq!(r.status, NtStatus::Success);
    assert!(s.group(s.primary, &sid(TEAM)).is_enabled());
    assert!(s.group(s.primary, &sid(OPTIONAL)).is_enabled());
    assert!(!s.group(s.primary, &sid(EXTRA)).is_enabled());
    assert!(!s.group(s.primary, &wk::BUILTIN_ADMINISTRATORS).is_enabled());
    assert!(s.group(s.primary, &wk::BUILTIN_USERS).is_enabled());
    // The previous state: OPTIONAL was off, EXTRA was on.
    let prev: Vec<_> = r.previous.unwrap().iter().map(|g| g.sid).collect();
    assert_eq!(prev, [sid(OPTIONAL), sid(EXTRA)]);
}

/// NewState NULL without ResetToDefault is STATUS_INVALID_PARAMETER
/// (ReactOS `NtAdjustGroupsToken`).
#[test]
fn groups_null_new_state_is_invalid_parameter() {
    let mut s = setup();
    let h = s.handle(s.primary, ALL);
    let e =
        s.w.adjust_token_groups(s.th, h, false, None, PreviousState::NotAsked)
            .unwrap_err();
    assert_eq!(e.status, NtStatus::InvalidParameter);
    s.w.adjust_token_groups(s.th, h, true, None, PreviousState::NotAsked)
        .unwrap();
}

/// A mandatory group cannot be disabled: STATUS_CANT_DISABLE_MANDATORY
/// (1310), and the token is left as it was (MS-ATG; the code from ReactOS
/// `SepAdjustGroups`).
#[test]
fn mandatory_group_cannot_be_disabled() {
    let mut s = setup();
    let h = s.handle(s.primary, ALL);
    let before = s.token(s.primary).clone();
    let e =
        s.w.adjust_token_groups(
            s.th,
            h,
            false,
            Some(&[(sid(TEAM), false), (wk::BUILTIN_USERS, false)]),
            PreviousState::NotAsked,
        )
        .unwrap_err();
    assert_eq!(e.status, NtStatus::CantDisableMandatory);
    assert_eq!(e.status.win32_error(), Win32Error(1310));
    assert_eq!(*s.token(s.primary), before);
}

/// A deny-only group cannot be enabled: STATUS_CANT_ENABLE_DENY_ONLY (629)
/// (MS-ATG; ReactOS `SepAdjustGroups`).
#[test]
fn deny_only_group_cannot_be_enabled() {
    let mut s = setup();
    let h = s.handle(s.primary, ALL);
    let e =
        s.w.adjust_token_groups(
            s.th,
            h,
            false,
            Some(&[(wk::BUILTIN_ADMINISTRATORS, true)]),
            PreviousState::NotAsked,
        )
        .unwrap_err();
    assert_eq!(e.status, NtStatus::CantEnableDenyOnly);
    assert_eq!(e.status.win32_error(), Win32Error(629));
}

/// A group the token does not hold gives STATUS_NOT_ALL_ASSIGNED and the
/// others are still adjusted (ReactOS; research notes open point 11).
#[test]
fn group_not_in_token_is_not_all_assigned() {
    let mut s = setup();
    let h = s.handle(s.primary, ALL);
    let st =
        s.w.adjust_groups(s.th, h, &[(wk::NETWORK, true), (sid(TEAM), false)])
            .unwrap();
    assert_eq!(st, NtStatus::NotAllAssigned);
    assert!(!s.group(s.primary, &sid(TEAM)).is_enabled());
}

/// The groups' previous state lists the changed groups with their old
/// attributes and takes 8 + 16c + Σ SID lengths (x64 TOKEN_GROUPS); too
/// small a buffer fails and changes nothing; it needs TOKEN_QUERY besides
/// TOKEN_ADJUST_GROUPS (MS-ATG; research notes open point 5).
#[test]
fn groups_previous_state() {
    let mut s = setup();
    let h = s.handle(s.primary, ALL);
    let changes = [(sid(TEAM), false), (sid(OPTIONAL), true)];
    // Two domain SIDs of five sub-authorities: 28 bytes each.
    let needed = 8 + 16 * 2 + 28 * 2;
    let e =
        s.w.adjust_token_groups(
            s.th,
            h,
            false,
            Some(&changes),
            PreviousState::Buffer(needed - 1),
        )
        .unwrap_err();
    assert_eq!(
        (e.status, e.return_length),
        (NtStatus::BufferTooSmall, Some(needed))
    );
    assert!(s.group(s.primary, &sid(TEAM)).is_enabled());
    let r =
        s.w.adjust_token_groups(
            s.th,
            h,
            false,
            Some(&changes),
            PreviousState::Buffer(needed),
        )
        .unwrap();
    assert_eq!(r.return_length, Some(needed));
    let prev = r.previous.unwrap();
    assert_eq!(prev[0].sid, sid(TEAM));
    assert!(prev[0].is_enabled());
    assert_eq!(prev[1].sid, sid(OPTIONAL));
    assert!(!prev[1].is_enabled());
    let adjust_only = s.handle(s.primary, tok::ADJUST_GROUPS);
    let e =
        s.w.adjust_token_groups(s.th, adjust_only, true, None, PreviousState::Asked)
            .unwrap_err();
    assert_eq!(e.status, NtStatus::AccessDenied);
}

/// The handle needs TOKEN_ADJUST_GROUPS (MS-ATG).
#[test]
fn adjust_groups_access() {
    let mut s = setup();
    let h = s.handle(s.primary, tok::ADJUST_PRIVILEGES | tok::QUERY);
    assert_eq!(
        s.w.adjust_groups(s.th, h, &[(sid(TEAM), false)])
            .unwrap_err(),
        NtStatus::AccessDenied
    );
}

// ---------------------------------------------------------------------
// CheckTokenMembership (research notes section 5)
// ---------------------------------------------------------------------

/// A primary token is refused with STATUS_NO_IMPERSONATION_TOKEN, Win32
/// ERROR_NO_IMPERSONATION_TOKEN (1309) (MS-CTM; observed, Wine test
/// `test_CheckTokenMembership`).
#[test]
fn membership_needs_an_impersonation_token() {
    let mut s = setup();
    let h = s.handle(s.primary, ALL);
    let e =
        s.w.check_token_membership(s.th, h, &wk::BUILTIN_USERS)
            .unwrap_err();
    assert_eq!(e, NtStatus::NoImpersonationToken);
    assert_eq!(e.win32_error(), Win32Error(1309));
}

/// NULL means the thread's effective token: from a thread that is not
/// impersonating, a duplicate of the process token; while impersonating,
/// the impersonation token (MS-CTM; ReactOS; observed, Wine test
/// `test_CheckTokenMembership`).
#[test]
fn membership_null_handle_is_the_effective_token() {
    let mut s = setup();
    assert!(s
        .w
        .check_token_membership(s.th, Handle::NULL, &sid(TEAM))
        .unwrap());
    let other = Token::new(sid("S-1-5-21-1-2-3-1002")).with_group(wk::NETWORK);
    let imp = s.impersonation(ImpersonationLevel::Impersonation, other);
    let h = s.handle(imp, tok::IMPERSONATE);
    s.w.set_thread_token(s.th, s.th, Some(h)).unwrap();
    assert!(!s
        .w
        .check_token_membership(s.th, Handle::NULL, &sid(TEAM))
        .unwrap());
    assert!(s
        .w
        .check_token_membership(s.th, Handle::NULL, &wk::NETWORK)
        .unwrap());
}

/// The user and enabled groups count; disabled and deny-only ones do not
/// (MS-CTM; observed for a deny-only group after CreateRestrictedToken,
/// Wine test `test_CreateRestrictedToken`).
#[test]
fn membership_counts_user_and_enabled_groups_only() {
    let mut s = setup();
    let imp = s.impersonation(ImpersonationLevel::Impersonation, alice_token());
    let h = s.handle(imp, tok::QUERY);
    let member = |s: &Setup, x: &Sid| s.w.check_token_membership(s.th, h, x).unwrap();
    assert!(member(&s, &sid(ALICE)));
    assert!(member(&s, &wk::BUILTIN_USERS));
    assert!(member(&s, &sid(TEAM)));
    assert!(!member(&s, &sid(OPTIONAL)), "disabled");
    assert!(!member(&s, &wk::BUILTIN_ADMINISTRATORS), "deny-only");
    assert!(!member(&s, &wk::NETWORK), "absent");
}

/// For a restricted token the SID must also be a restricting SID (MS-CTM).
#[test]
fn membership_of_a_restricted_token() {
    let mut s = setup();
    let t = alice_token().with_restricted_sids(&[wk::BUILTIN_USERS, wk::NETWORK]);
    let imp = s.impersonation(ImpersonationLevel::Impersonation, t);
    let h = s.handle(imp, tok::QUERY);
    let member = |s: &Setup, x: &Sid| s.w.check_token_membership(s.th, h, x).unwrap();
    assert!(member(&s, &wk::BUILTIN_USERS), "group and restricting SID");
    assert!(!member(&s, &sid(TEAM)), "group only");
    assert!(!member(&s, &wk::NETWORK), "restricting SID only");
}

/// The handle needs TOKEN_QUERY (MS-CTM).
#[test]
fn membership_needs_token_query() {
    let mut s = setup();
    let imp = s.impersonation(ImpersonationLevel::Impersonation, alice_token());
    let h = s.handle(imp, tok::IMPERSONATE);
    assert_eq!(
        s.w.check_token_membership(s.th, h, &sid(ALICE))
            .unwrap_err(),
        NtStatus::AccessDenied
    );
}

/// An Anonymous-level token is refused as AccessCheck refuses it
/// (STATUS_BAD_IMPERSONATION_LEVEL: research notes section 5, an inference
/// from ReactOS' use of NtAccessCheck and Wine test `test_AccessCheck`);
/// with NULL while impersonating at Anonymous level the thread token
/// cannot even be opened (STATUS_CANT_OPEN_ANONYMOUS, OpenThreadToken's
/// rule, Wine test `test_impersonation_level`), and Identification is
/// enough.
#[test]
fn membership_and_impersonation_levels() {
    let mut s = setup();
    let anon = s.impersonation(ImpersonationLevel::Anonymous, alice_token());
    let h = s.handle(anon, tok::QUERY | tok::IMPERSONATE);
    assert_eq!(
        s.w.check_token_membership(s.th, h, &sid(ALICE))
            .unwrap_err(),
        NtStatus::BadImpersonationLevel
    );
    s.w.set_thread_token(s.th, s.th, Some(h)).unwrap();
    assert_eq!(
        s.w.check_token_membership(s.th, Handle::NULL, &sid(ALICE))
            .unwrap_err(),
        NtStatus::CantOpenAnonymous
    );
    let ident = s.impersonation(ImpersonationLevel::Identification, alice_token());
    let h = s.handle(ident, tok::QUERY);
    assert!(s.w.check_token_membership(s.th, h, &sid(ALICE)).unwrap());
}

// ---------------------------------------------------------------------
// PrivilegeCheck (research notes section 6)
// ---------------------------------------------------------------------

/// PRIVILEGE_SET_ALL_NECESSARY needs every privilege enabled; without it
/// one is enough; a held but disabled privilege does not count (MS-PC).
#[test]
fn privilege_check_all_necessary_or_any() {
    let mut s = setup();
    let h = s.handle(s.primary, tok::QUERY);
    let both = [Privilege::ChangeNotify, Privilege::Backup];
    let all = s.w.privilege_check(s.th, h, &both, true).unwrap();
    assert!(!all.held);
    let any = s.w.privilege_check(s.th, h, &both, false).unwrap();
    assert!(any.held);
    let disabled =
        s.w.privilege_check(s.th, h, &[Privilege::Backup], false)
            .unwrap();
    assert!(!disabled.held);
}

/// The returned set carries SE_PRIVILEGE_USED_FOR_ACCESS on each enabled
/// privilege, whatever the overall answer (MS-PC; Wine server
/// `token_check_privileges`).
#[test]
fn privilege_check_marks_used_for_access() {
    let mut s = setup();
    let h = s.handle(s.primary, tok::QUERY);
    let r =
        s.w.privilege_check(
            s.th,
            h,
            &[Privilege::Backup, Privilege::ChangeNotify, Privilege::Tcb],
            true,
        )
        .unwrap();
    assert!(!r.held);
    assert_eq!(
        r.privileges,
        [
            (Privilege::Backup, false),
            (Privilege::ChangeNotify, true),
            (Privilege::Tcb, false)
        ]
    );
}

/// Primary tokens are accepted (observed: PrivilegeCheck on the process
/// token, Wine test `test_elevation`; ReactOS `NtPrivilegeCheck`), and so
/// are the token pseudo handles, which grant TOKEN_QUERY.
#[test]
fn privilege_check_accepts_primary_tokens() {
    let mut s = setup();
    let h = Handle::pseudo(secctx::PseudoHandle::CurrentProcessToken);
    let r =
        s.w.privilege_check(s.th, h, &[Privilege::ChangeNotify], true)
            .unwrap();
    assert!(r.held);
    let h = s.handle(s.primary, tok::QUERY);
    assert!(
        s.w.privilege_check(s.th, h, &[Privilege::ChangeNotify], true)
            .unwrap()
            .held
    );
}

/// An Anonymous-level impersonation token is
/// STATUS_BAD_IMPERSONATION_LEVEL (1346); Identification is enough
/// (observed, Wine test `test_impersonation_level`; ReactOS
/// `NtPrivilegeCheck`).
#[test]
fn privilege_check_impersonation_levels() {
    let mut s = setup();
    let anon = s.impersonation(ImpersonationLevel::Anonymous, alice_token());
    let h = s.handle(anon, tok::QUERY);
    let e =
        s.w.privilege_check(s.th, h, &[Privilege::ChangeNotify], true)
            .unwrap_err();
    assert_eq!(e, NtStatus::BadImpersonationLevel);
    assert_eq!(e.win32_error(), Win32Error(1346));
    let ident = s.impersonation(ImpersonationLevel::Identification, alice_token());
    let h = s.handle(ident, tok::QUERY);
    assert!(
        s.w.privilege_check(s.th, h, &[Privilege::ChangeNotify], true)
            .unwrap()
            .held
    );
}

/// The handle needs TOKEN_QUERY (MS-PC; ReactOS `NtPrivilegeCheck`).
#[test]
fn privilege_check_needs_token_query() {
    let mut s = setup();
    let h = s.handle(s.primary, tok::ADJUST_PRIVILEGES);
    assert_eq!(
        s.w.privilege_check(s.th, h, &[Privilege::ChangeNotify], true)
            .unwrap_err(),
        NtStatus::AccessDenied
    );
}

// ---------------------------------------------------------------------
// The fixture ops
// ---------------------------------------------------------------------

mod fixture_ops {
    use secctx::fixture::{Collect, FixtureError, Runner};

    const WORLD: &str = r#""domain_sid": "S-1-5-21-1-2-3",
      "principals": {"alice": "S-1-5-21-1-2-3-1104", "team": "S-1-5-21-1-2-3-1400"},
      "tokens": {"alice": {"user": "alice",
                           "groups": ["DU", {"sid": "team", "attributes": "enabled|enabled_by_default"},
                                      {"sid": "BA", "attributes": "deny_only"}],
                           "privileges": ["SeChangeNotifyPrivilege", {"name": "SeBackupPrivilege", "enabled": false}]}},
      "processes": {"app": {"token": "alice", "threads": ["main"]}}"#;

    fn run(steps: &str) -> (Result<secctx::fixture::Counts, FixtureError>, Collect) {
        let text = format!("{{{WORLD},\n\"steps\": [{steps}]}}");
        let mut sink = Collect::default();
        let r = Runner::new().run_str(&text, "test", &mut sink);
        (r, sink)
    }

    fn all_pass(steps: &str, n: usize) {
        let (r, sink) = run(steps);
        let counts = r.unwrap();
        assert_eq!(
            (counts.passed, counts.failed),
            (n, 0),
            "{:#?}",
            sink.steps
                .iter()
                .map(|s| (&s.title, s.status, &s.failures))
                .collect::<Vec<_>>()
        );
    }

    fn invalid(steps: &str) -> String {
        match run(steps).0 {
            Err(FixtureError::Invalid(e)) => e.to_string(),
            other => panic!("expected an invalid fixture, got {other:?}"),
        }
    }

    /// AdjustTokenPrivileges as a fixture writes it: the previous state as
    /// `value` with its length 4 + 12n; too small a buffer fails with the
    /// length needed and changes nothing; the BOOL-with-ERROR_NOT_ALL_ASSIGNED
    /// contract (MS-ATP; research notes sections 3 and 7).
    #[test]
    fn adjust_token_privileges_op() {
        all_pass(
            r#"{"op": "open_process_token", "thread": "main", "desired": "TOKEN_ALL_ACCESS", "save_as": "t",
                "expect": {"status": "STATUS_SUCCESS"}},
               {"op": "adjust_token_privileges", "thread": "main", "handle": "t", "disable_all": true, "previous_state": 15,
                "expect": {"returned": false, "last_error": "ERROR_INSUFFICIENT_BUFFER", "return_length": 16}},
               {"op": "adjust_token_privileges", "thread": "main", "handle": "t", "enable": ["SeBackupPrivilege", "SeTcbPrivilege"],
                "disable": ["SeChangeNotifyPrivilege"], "previous_state": true,
                "expect": {"returned": true, "last_error": "ERROR_NOT_ALL_ASSIGNED", "return_length": 28,
                           "value": [{"name": "SeBackupPrivilege", "attributes": "0x0"},
                                     {"name": "SeChangeNotifyPrivilege", "attributes": "enabled_by_default|enabled"}],
                           "token": {"privileges": [{"name": "SeBackupPrivilege", "enabled": true}]}}},
               {"op": "adjust_token_privileges", "thread": "main", "handle": "t", "remove": ["SeBackupPrivilege"],
                "expect": {"status": "STATUS_SUCCESS"}},
               {"op": "privilege_check", "thread": "main", "handle": "t", "privileges": ["SeBackupPrivilege"],
                "expect": {"status": "STATUS_SUCCESS", "result": false}}"#,
            5,
        );
    }

    /// AdjustTokenGroups as a fixture writes it: ResetToDefault, a NULL new
    /// state, and the groups' previous state (MS-ATG; ReactOS).
    #[test]
    fn adjust_token_groups_op() {
        all_pass(
            r#"{"op": "open_process_token", "thread": "main", "desired": "TOKEN_ALL_ACCESS", "save_as": "t",
                "expect": {"status": "STATUS_SUCCESS"}},
               {"op": "adjust_token_groups", "thread": "main", "handle": "t", "new_state": null,
                "expect": {"status": "STATUS_INVALID_PARAMETER"}},
               {"op": "adjust_token_groups", "thread": "main", "handle": "t",
                "new_state": [{"sid": "team", "enabled": false}], "previous_state": true,
                "expect": {"status": "STATUS_SUCCESS", "return_length": 52,
                           "value": [{"sid": "S-1-5-21-1-2-3-1400", "attributes": "enabled_by_default|enabled"}]}},
               {"op": "check_token_membership", "thread": "main", "handle": null, "sid": "team",
                "expect": {"result": false}},
               {"op": "adjust_token_groups", "thread": "main", "handle": "t", "reset_to_default": true, "new_state": null,
                "expect": {"status": "STATUS_SUCCESS"}},
               {"op": "check_token_membership", "thread": "main", "handle": null, "sid": "team",
                "expect": {"result": true}},
               {"op": "adjust_groups", "thread": "main", "handle": "t", "enable": ["BA"],
                "expect": {"status": "STATUS_CANT_ENABLE_DENY_ONLY", "last_error": 629}}"#,
            7,
        );
    }

    /// A malformed op is a fixture error at its JSON path: a previous state
    /// that is neither a bool nor a length, and a new state given twice.
    #[test]
    fn malformed_ops_name_the_path() {
        let e = invalid(
            r#"{"op": "adjust_token_privileges", "thread": "main", "handle": null, "previous_state": "yes"}"#,
        );
        assert!(
            e.contains("previous_state") && e.contains("true, false or a buffer length"),
            "{e}"
        );
        let e = invalid(
            r#"{"op": "adjust_token_groups", "thread": "main", "handle": null, "enable": ["DU"], "new_state": null}"#,
        );
        assert!(
            e.contains("steps[0].new_state") && e.contains("not both"),
            "{e}"
        );
    }
}
