//! Copying tokens (DuplicateToken, DuplicateTokenEx, NtDuplicateToken,
//! CreateRestrictedToken, NtFilterToken) and a token's own security
//! (its descriptor, GetKernelObjectSecurity, SetKernelObjectSecurity): one
//! test per rule, each citing its source. The sources are gathered in
//! docs/research/token-api-handles.md, sections 4 to 6 ("W-SEC" there is
//! Wine's advapi32 security tests, which run on Windows).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use secctx::fixture::{Collect, Runner, Verdict};
use secctx::rights::token as tok;
use secctx::well_known as wk;
use secctx::{
    AccessMask, Control, GroupAttributes, Handle, ImpersonationLevel, IntegrityLevel, NtStatus,
    Privilege, ProcessId, PseudoHandle, RestrictFlags, Restriction, SecurityDescriptor,
    SecurityInformation, SecurityQos, Sid, Target, ThreadId, Token, TokenGroup, TokenId,
    TokenPrivilege, TokenType, World,
};

const ALICE: &str = "S-1-5-21-1-2-3-1001";
const TEAM: &str = "S-1-5-21-1-2-3-1400";

fn sid(s: &str) -> Sid {
    Sid::parse_sddl(s, None).unwrap()
}

fn sd(text: &str) -> SecurityDescriptor {
    SecurityDescriptor::from_sddl(text, None).unwrap()
}

/// Alice's process: groups Users (mandatory), Everyone, a team group that
/// is disabled, Administrators deny-only; SeChangeNotifyPrivilege enabled,
/// SeShutdownPrivilege disabled, SeBackupPrivilege enabled; a default DACL
/// granting Alice and SYSTEM GENERIC_ALL; Medium integrity.
struct Box {
    w: World,
    p: ProcessId,
    th: ThreadId,
    /// Alice's primary token.
    primary: TokenId,
}

fn alice_token() -> Token {
    let mut t = Token::new(sid(ALICE))
        .with_group(wk::BUILTIN_USERS)
        .with_group(wk::WORLD)
        .with_group_attributes(sid(TEAM), GroupAttributes::ENABLED_BY_DEFAULT)
        .with_group_attributes(
            wk::BUILTIN_ADMINISTRATORS,
            GroupAttributes::USE_FOR_DENY_ONLY,
        )
        .with_privilege(Privilege::ChangeNotify)
        .with_privilege(Privilege::Backup);
    t.privileges.push(TokenPrivilege {
        privilege: Privilege::Shutdown,
        enabled: false,
        enabled_by_default: true,
    });
    t.default_dacl = Some(
        sd(&format!("D:(A;;GA;;;{ALICE})(A;;GA;;;SY)"))
            .dacl
            .unwrap(),
    );
    t
}

fn alice_box_with(t: Token) -> Box {
    let mut w = World::new();
    let primary = w.add_token(t);
    let (p, th) = w.spawn("app.exe", primary).unwrap();
    Box { w, p, th, primary }
}

fn alice_box() -> Box {
    alice_box_with(alice_token())
}

impl Box {
    /// OpenProcessToken on Alice's own process.
    fn own(&mut self, access: u32) -> Handle {
        self.w
            .open_process_token(self.th, self.p, AccessMask(access))
            .unwrap()
            .0
    }

    fn token_of(&self, h: Handle) -> TokenId {
        match self.w.handle(self.p, h).unwrap().target {
            Target::Token(t) => t,
            other => panic!("not a token: {other:?}"),
        }
    }

    fn granted(&self, h: Handle) -> AccessMask {
        self.w.handle(self.p, h).unwrap().granted
    }

    fn token(&self, h: Handle) -> Token {
        self.w.token(self.token_of(h)).unwrap().clone()
    }

    fn token_sd(&self, h: Handle) -> SecurityDescriptor {
        self.w
            .security_descriptor(Target::Token(self.token_of(h)))
            .unwrap()
            .clone()
    }

    fn dup_ex(
        &mut self,
        h: Handle,
        desired: u32,
        sd: Option<&SecurityDescriptor>,
        level: ImpersonationLevel,
        tt: TokenType,
    ) -> Result<Handle, NtStatus> {
        self.w
            .duplicate_token_ex(self.th, h, AccessMask(desired), sd, level, tt)
    }

    fn restrict(&mut self, h: Handle, r: &Restriction) -> Result<Handle, NtStatus> {
        self.w.create_restricted_token(self.th, h, r)
    }

    /// The token CreateRestrictedToken makes (it must succeed).
    fn restricted(&mut self, h: Handle, r: &Restriction) -> Token {
        let n = self.restrict(h, r).unwrap();
        self.token(n)
    }
}

const IMP: ImpersonationLevel = ImpersonationLevel::Impersonation;
const IDENT: ImpersonationLevel = ImpersonationLevel::Identification;
const ANON: ImpersonationLevel = ImpersonationLevel::Anonymous;

// ---------------------------------------------------------------------
// DuplicateToken, DuplicateTokenEx, NtDuplicateToken
// ---------------------------------------------------------------------

/// DuplicateToken makes an impersonation token at the level asked, and its
/// handle holds TOKEN_IMPERSONATE | TOKEN_QUERY (DuplicateToken page; Wine
/// `test_duplicate_token` observes that access on Windows).
#[test]
fn duplicate_token_is_impersonation_with_impersonate_and_query() {
    let mut b = alice_box();
    let h = b.own(tok::DUPLICATE);
    let d = b.w.duplicate_token(b.th, h, IDENT).unwrap();
    assert_eq!(b.granted(d), AccessMask(tok::IMPERSONATE | tok::QUERY));
    let t = b.token(d);
    assert_eq!(t.token_type, TokenType::Impersonation);
    assert_eq!(t.impersonation_level, IDENT);
    assert_ne!(b.token_of(d), b.primary);
}

/// Desired access 0 gives the source handle's access (DuplicateTokenEx
/// page; Wine `test_duplicate_token`: access 0 → the original access).
#[test]
fn desired_zero_is_the_source_handle_access() {
    let mut b = alice_box();
    let h = b.own(tok::DUPLICATE | tok::QUERY | tok::ADJUST_DEFAULT);
    let d = b.dup_ex(h, 0, None, IMP, TokenType::Primary).unwrap();
    assert_eq!(
        b.granted(d),
        AccessMask(tok::DUPLICATE | tok::QUERY | tok::ADJUST_DEFAULT)
    );
}

/// MAXIMUM_ALLOWED gives TOKEN_ALL_ACCESS; an explicit right gives exactly
/// it (Wine `test_duplicate_token`: MAXIMUM_ALLOWED → TOKEN_ALL_ACCESS,
/// TOKEN_QUERY_SOURCE → exactly that).
#[test]
fn maximum_allowed_is_all_access_and_explicit_rights_are_exact() {
    let mut b = alice_box();
    let h = b.own(tok::DUPLICATE);
    let max = AccessMask::MAXIMUM_ALLOWED.0;
    let d = b.dup_ex(h, max, None, IMP, TokenType::Primary).unwrap();
    assert_eq!(b.granted(d), AccessMask(tok::ALL_ACCESS));
    let d = b.dup_ex(h, tok::QUERY_SOURCE, None, IMP, TokenType::Primary);
    assert_eq!(b.granted(d.unwrap()), AccessMask(tok::QUERY_SOURCE));
}

/// The source handle needs TOKEN_DUPLICATE, checked in
/// ObReferenceObjectByHandle's order (DuplicateTokenEx page; ReactOS
/// `NtDuplicateToken`): NULL is an invalid handle, a process handle a type
/// mismatch, a handle without the right access denied, and the token
/// pseudo handles (TOKEN_QUERY | TOKEN_QUERY_SOURCE only) cannot be
/// duplicated (GetCurrentProcessToken page).
#[test]
fn the_source_handle_needs_token_duplicate() {
    let mut b = alice_box();
    let q = b.own(tok::QUERY);
    let pseudo = Handle::pseudo(PseudoHandle::CurrentProcessToken);
    let process = Handle::pseudo(PseudoHandle::CurrentProcess);
    for (h, want) in [
        (Handle::NULL, NtStatus::InvalidHandle),
        (process, NtStatus::ObjectTypeMismatch),
        (q, NtStatus::AccessDenied),
        (pseudo, NtStatus::AccessDenied),
    ] {
        assert_eq!(b.dup_ex(h, 0, None, IMP, TokenType::Primary), Err(want));
        assert_eq!(b.w.duplicate_token(b.th, h, IMP), Err(want));
    }
}

/// An impersonation token cannot be duplicated to a higher level (Wine
/// `test_impersonation_level`: Anonymous → Identification is
/// ERROR_BAD_IMPERSONATION_LEVEL; ReactOS `NtDuplicateToken`); lowering it
/// is allowed.
#[test]
fn an_impersonation_token_cannot_be_raised() {
    let mut b = alice_box();
    let h = b.own(tok::DUPLICATE);
    let anon = b.dup_ex(h, tok::ALL_ACCESS, None, ANON, TokenType::Impersonation);
    let anon = anon.unwrap();
    assert_eq!(
        b.dup_ex(anon, 0, None, IDENT, TokenType::Impersonation),
        Err(NtStatus::BadImpersonationLevel)
    );
    let ident = b.dup_ex(h, tok::ALL_ACCESS, None, IDENT, TokenType::Impersonation);
    let low = b.dup_ex(ident.unwrap(), 0, None, ANON, TokenType::Impersonation);
    assert_eq!(b.token(low.unwrap()).impersonation_level, ANON);
}

/// An impersonation token below SecurityImpersonation cannot become a
/// primary token; one at Impersonation can (ReactOS `NtDuplicateToken`;
/// DuplicateTokenEx page: it turns an impersonation token into a primary
/// one).
#[test]
fn only_impersonation_level_tokens_become_primary() {
    let mut b = alice_box();
    let h = b.own(tok::DUPLICATE);
    let ident = b.dup_ex(h, tok::ALL_ACCESS, None, IDENT, TokenType::Impersonation);
    assert_eq!(
        b.dup_ex(ident.unwrap(), 0, None, IDENT, TokenType::Primary),
        Err(NtStatus::BadImpersonationLevel)
    );
    let imp = b.dup_ex(h, tok::ALL_ACCESS, None, IMP, TokenType::Impersonation);
    let p = b
        .dup_ex(imp.unwrap(), 0, None, IMP, TokenType::Primary)
        .unwrap();
    assert_eq!(b.token(p).token_type, TokenType::Primary);
}

/// A primary source may be duplicated at any level, Delegation included
/// (ReactOS `NtDuplicateToken` checks levels only for impersonation
/// sources).
#[test]
fn a_primary_token_duplicates_at_any_level() {
    let mut b = alice_box();
    let h = b.own(tok::DUPLICATE);
    let deleg = ImpersonationLevel::Delegation;
    let d = b
        .dup_ex(h, 0, None, deleg, TokenType::Impersonation)
        .unwrap();
    assert_eq!(b.token(d).impersonation_level, deleg);
}

/// NtDuplicateToken without a security QoS makes an impersonation token at
/// SecurityAnonymous; with a QoS, at its level (Wine
/// `test_duplicate_token`; ReactOS `NtDuplicateToken`).
#[test]
fn nt_duplicate_token_without_qos_is_anonymous() {
    let mut b = alice_box();
    let h = b.own(tok::DUPLICATE);
    let imp = TokenType::Impersonation;
    let none =
        b.w.nt_duplicate_token(b.th, h, AccessMask(0), None, None, false, imp);
    assert_eq!(b.token(none.unwrap()).impersonation_level, ANON);
    let qos = Some(SecurityQos { level: IDENT });
    let some =
        b.w.nt_duplicate_token(b.th, h, AccessMask(0), None, qos, false, imp);
    assert_eq!(b.token(some.unwrap()).impersonation_level, IDENT);
}

/// EffectiveOnly removes the groups and privileges that are not enabled
/// (ReactOS `SepDuplicateToken`; Wine `test_duplicate_token` sees the
/// disabled privilege go on Windows and stay without EffectiveOnly). The
/// user and the deny-only groups stay: dropping a deny-only group would
/// widen access.
#[test]
fn effective_only_drops_disabled_groups_and_privileges() {
    let mut b = alice_box();
    let h = b.own(tok::DUPLICATE);
    let qos = Some(SecurityQos { level: IMP });
    let imp = TokenType::Impersonation;
    let d =
        b.w.nt_duplicate_token(b.th, h, AccessMask(0), None, qos, true, imp);
    let t = b.token(d.unwrap());
    assert!(!t.groups.iter().any(|g| g.sid == sid(TEAM)));
    assert!(t.groups.iter().any(|g| g.sid == wk::BUILTIN_ADMINISTRATORS));
    assert!(t.groups.iter().any(|g| g.sid == wk::WORLD));
    assert_eq!(t.user.sid, sid(ALICE));
    assert!(!t
        .privileges
        .iter()
        .any(|p| p.privilege == Privilege::Shutdown));
    assert!(t.has_privilege(Privilege::ChangeNotify));
    let kept =
        b.w.nt_duplicate_token(b.th, h, AccessMask(0), None, qos, false, imp);
    let t = b.token(kept.unwrap());
    let shutdown = t
        .privileges
        .iter()
        .find(|p| p.privilege == Privilege::Shutdown);
    assert!(shutdown.is_some_and(|p| !p.enabled && p.enabled_by_default));
    assert!(t.groups.iter().any(|g| g.sid == sid(TEAM)));
}

/// With a descriptor in SECURITY_ATTRIBUTES the new token's DACL is
/// exactly its DACL; without one the DACL comes from the caller's default
/// DACL, not from the source token object (Wine
/// `test_token_security_descriptor`, run on Windows).
#[test]
fn the_new_token_dacl_comes_from_the_attributes_or_the_caller() {
    let mut b = alice_box();
    let h = b.own(tok::DUPLICATE | tok::QUERY | AccessMask::WRITE_DAC.0);
    let custom = sd(&format!("D:(A;;GA;;;{ALICE})(A;;GA;;;SY)(A;;0x8;;;WD)"));
    let info = SecurityInformation {
        dacl: true,
        ..Default::default()
    };
    b.w.set_security(b.th, h, info, &custom).unwrap();
    assert_eq!(b.token_sd(h).dacl.unwrap().aces.len(), 3);
    let plain = b.dup_ex(h, 0, None, IMP, TokenType::Primary).unwrap();
    let dacl = b.token_sd(plain).dacl.unwrap();
    assert!(!dacl.aces.iter().any(|a| a.sid == wk::WORLD));
    let given = sd("D:(A;CI;0xf01ff;;;WD)");
    let d = b
        .dup_ex(h, 0, Some(&given), IMP, TokenType::Primary)
        .unwrap();
    assert_eq!(b.token_sd(d).dacl, given.dacl);
    // Owner and group the attributes lack come from the caller.
    assert_eq!(b.token_sd(d).owner, Some(sid(ALICE)));
}

/// A duplicate carries the source token object's label, and a label in
/// the attributes is ignored (Wine `test_token_label`: duplicates keep the
/// source's label; the SA's label has no effect).
#[test]
fn a_duplicate_keeps_the_source_label() {
    let mut b = alice_box();
    let h = b.own(tok::DUPLICATE);
    let low = sd("D:(A;;GA;;;WD)S:(ML;;NW;;;LW)");
    let d = b.dup_ex(h, 0, Some(&low), IMP, TokenType::Primary).unwrap();
    let label = b.token_sd(d).mandatory_label().unwrap().clone();
    assert_eq!(label.sid, IntegrityLevel::MEDIUM.sid());
    assert!(b.token_sd(d).control.contains(Control::SACL_AUTO_INHERITED));
}

/// A descriptor with a SACL gives the new handle ACCESS_SYSTEM_SECURITY
/// (DuplicateTokenEx page), which needs SeSecurityPrivilege (Wine
/// `test_system_security_access`: ERROR_PRIVILEGE_NOT_HELD without it).
#[test]
fn a_sacl_in_the_attributes_needs_se_security() {
    let mut b = alice_box();
    let h = b.own(tok::DUPLICATE);
    let audited = sd("D:(A;;GA;;;WD)S:(AU;SA;GA;;;WD)");
    assert_eq!(
        b.dup_ex(h, 0, Some(&audited), IMP, TokenType::Primary),
        Err(NtStatus::PrivilegeNotHeld)
    );
    let mut b = alice_box_with(alice_token().with_privilege(Privilege::Security));
    let h = b.own(tok::DUPLICATE);
    let d = b.dup_ex(h, tok::QUERY, Some(&audited), IMP, TokenType::Primary);
    assert_eq!(
        b.granted(d.unwrap()),
        AccessMask(tok::QUERY | AccessMask::ACCESS_SYSTEM_SECURITY.0)
    );
}

/// An owner in the attributes must be one the caller may assign (its user
/// or an SE_GROUP_OWNER group) unless it holds SeRestorePrivilege
/// (DuplicateTokenEx page names SE_RESTORE_NAME; SeAssignSecurity's owner
/// check; research note item 7).
#[test]
fn an_owner_in_the_attributes_needs_restore_unless_assignable() {
    let mut b = alice_box();
    let h = b.own(tok::DUPLICATE);
    let other = sd("O:SYD:(A;;GA;;;WD)");
    assert_eq!(
        b.dup_ex(h, 0, Some(&other), IMP, TokenType::Primary),
        Err(NtStatus::InvalidOwner)
    );
    let mine = sd(&format!("O:{ALICE}D:(A;;GA;;;WD)"));
    assert!(b.dup_ex(h, 0, Some(&mine), IMP, TokenType::Primary).is_ok());
    let mut b = alice_box_with(alice_token().with_privilege(Privilege::Restore));
    let h = b.own(tok::DUPLICATE);
    let d = b
        .dup_ex(h, 0, Some(&other), IMP, TokenType::Primary)
        .unwrap();
    assert_eq!(b.token_sd(d).owner, Some(wk::LOCAL_SYSTEM));
}

// ---------------------------------------------------------------------
// CreateRestrictedToken, NtFilterToken
// ---------------------------------------------------------------------

fn restricting(sids: &[Sid]) -> Vec<TokenGroup> {
    sids.iter()
        .map(|s| TokenGroup::with_attributes(*s, GroupAttributes(0)))
        .collect()
}

/// The restricted token keeps the source's type and level (Wine
/// `test_CreateRestrictedToken`: impersonation source → impersonation
/// token at SecurityImpersonation; ReactOS `SepPerformTokenFiltering`
/// copies both).
#[test]
fn a_restricted_token_keeps_type_and_level() {
    let mut b = alice_box();
    let h = b.own(tok::DUPLICATE);
    let imp = b.dup_ex(h, tok::ALL_ACCESS, None, IDENT, TokenType::Impersonation);
    let r = b.restrict(imp.unwrap(), &Restriction::default()).unwrap();
    let t = b.token(r);
    assert_eq!(
        (t.token_type, t.impersonation_level),
        (TokenType::Impersonation, IDENT)
    );
    let r = b.restrict(h, &Restriction::default()).unwrap();
    assert_eq!(b.token(r).token_type, TokenType::Primary);
}

/// The new handle has the source handle's access (CreateRestrictedToken
/// page: "the same access rights as ExistingTokenHandle"; ReactOS
/// `NtFilterToken`), and the source needs TOKEN_DUPLICATE (same page).
#[test]
fn a_restricted_token_handle_has_the_source_access() {
    let mut b = alice_box();
    let h = b.own(tok::DUPLICATE | tok::QUERY);
    let r = b.restrict(h, &Restriction::default()).unwrap();
    assert_eq!(b.granted(r), AccessMask(tok::DUPLICATE | tok::QUERY));
    let q = b.own(tok::QUERY);
    assert_eq!(
        b.restrict(q, &Restriction::default()),
        Err(NtStatus::AccessDenied)
    );
}

/// SidsToDisable become deny-only: ENABLED and ENABLED_BY_DEFAULT go,
/// USE_FOR_DENY_ONLY comes, the user SID included; a SID the token lacks is
/// ignored (ReactOS `SepPerformTokenFiltering`; Wine
/// `test_CreateRestrictedToken` sees the deny-only group and that bogus
/// SIDs still succeed).
#[test]
fn sids_to_disable_become_deny_only() {
    let mut b = alice_box();
    let h = b.own(tok::DUPLICATE);
    let r = Restriction {
        disable: vec![wk::BUILTIN_USERS, sid(ALICE), sid("S-1-5-21-9-9-9-999")],
        ..Default::default()
    };
    let t = b.restricted(h, &r);
    let users = t
        .groups
        .iter()
        .find(|g| g.sid == wk::BUILTIN_USERS)
        .unwrap();
    assert_eq!(
        users.attributes,
        GroupAttributes::MANDATORY.with(GroupAttributes::USE_FOR_DENY_ONLY)
    );
    assert!(t.user.is_deny_only());
    assert!(!t.sid_matches_allow(&sid(ALICE)));
}

/// A disabled default owner reverts to the user (ReactOS
/// `SepPerformTokenFiltering`).
#[test]
fn a_disabled_default_owner_reverts_to_the_user() {
    let mut t = alice_token();
    t.groups.push(TokenGroup::with_attributes(
        sid(TEAM),
        GroupAttributes::DEFAULT.with(GroupAttributes::OWNER),
    ));
    t.groups
        .retain(|g| g.sid != sid(TEAM) || g.attributes.contains(GroupAttributes::OWNER));
    t.owner = sid(TEAM);
    let mut b = alice_box_with(t);
    let h = b.own(tok::DUPLICATE);
    let r = Restriction {
        disable: vec![sid(TEAM)],
        ..Default::default()
    };
    assert_eq!(b.restricted(h, &r).owner, sid(ALICE));
}

/// Privileges to delete are removed, unknown ones ignored; with
/// DISABLE_MAX_PRIVILEGE every privilege but SeChangeNotifyPrivilege goes
/// and the list is ignored (CreateRestrictedToken page; ReactOS removes
/// them; Wine `test_CreateRestrictedToken`: the privilege is absent).
#[test]
fn privileges_are_deleted_and_disable_max_privilege_keeps_change_notify() {
    let mut b = alice_box();
    let h = b.own(tok::DUPLICATE);
    let r = Restriction {
        delete: vec![Privilege::Backup, Privilege::Tcb],
        ..Default::default()
    };
    let t = b.restricted(h, &r);
    assert!(!t
        .privileges
        .iter()
        .any(|p| p.privilege == Privilege::Backup));
    assert_eq!(t.privileges.len(), 2);
    let r = Restriction {
        flags: RestrictFlags::DISABLE_MAX_PRIVILEGE,
        delete: vec![Privilege::ChangeNotify],
        ..Default::default()
    };
    let t = b.restricted(h, &r);
    let names: Vec<_> = t.privileges.iter().map(|p| p.privilege).collect();
    assert_eq!(names, vec![Privilege::ChangeNotify]);
}

/// Restricting SIDs must carry attributes 0 (CreateRestrictedToken page;
/// ReactOS `NtFilterToken`: STATUS_INVALID_PARAMETER) and are stored
/// mandatory, enabled by default and enabled (ReactOS
/// `SepPerformTokenFiltering`).
#[test]
fn restricting_sids_need_zero_attributes() {
    let mut b = alice_box();
    let h = b.own(tok::DUPLICATE);
    let bad = Restriction {
        restrict: vec![TokenGroup::new(wk::WORLD)],
        ..Default::default()
    };
    assert_eq!(b.restrict(h, &bad), Err(NtStatus::InvalidParameter));
    let good = Restriction {
        restrict: restricting(&[wk::WORLD]),
        ..Default::default()
    };
    let t = b.restricted(h, &good);
    assert_eq!(t.restricted_sids, vec![TokenGroup::new(wk::WORLD)]);
    assert!(t.is_restricted());
}

/// Restricting an already restricted token keeps only the SIDs both lists
/// hold, and an empty intersection leaves the NULL SID, so restricting
/// never widens the restricted pass (research note item 5: Windows' rule
/// is undocumented; ReactOS replaces the list while saying "in addition
/// to"; secctx takes the answer that cannot grant more than the source).
#[test]
fn restricting_again_intersects_the_lists() {
    let mut b = alice_box();
    let h = b.own(tok::DUPLICATE);
    let first = Restriction {
        restrict: restricting(&[wk::WORLD, wk::BUILTIN_USERS]),
        ..Default::default()
    };
    let r1 = b.restrict(h, &first).unwrap();
    let second = Restriction {
        restrict: restricting(&[wk::WORLD, wk::LOCAL_SYSTEM]),
        ..Default::default()
    };
    let t = b.restricted(r1, &second);
    assert_eq!(t.restricted_sids, vec![TokenGroup::new(wk::WORLD)]);
    let disjoint = Restriction {
        restrict: restricting(&[wk::LOCAL_SYSTEM]),
        ..Default::default()
    };
    let t = b.restricted(r1, &disjoint);
    assert_eq!(t.restricted_sids, vec![TokenGroup::new(wk::NULL)]);
    // No new list keeps the old one.
    let t = b.restricted(r1, &Restriction::default());
    assert_eq!(t.restricted_sids.len(), 2);
}

/// WRITE_RESTRICTED marks the restricting SIDs write-only and SANDBOX_INERT
/// sets TokenSandBoxInert (CreateRestrictedToken page); NtFilterToken takes
/// the same flags (ReactOS `NtFilterToken`).
#[test]
fn write_restricted_and_sandbox_inert_flags() {
    let mut b = alice_box();
    let h = b.own(tok::DUPLICATE);
    let r = Restriction {
        flags: RestrictFlags::WRITE_RESTRICTED.with(RestrictFlags::SANDBOX_INERT),
        restrict: restricting(&[wk::WORLD]),
        ..Default::default()
    };
    let f = b.w.nt_filter_token(b.th, h, &r).unwrap();
    let t = b.token(f);
    assert!(t.write_restricted && t.sandbox_inert);
    let plain = b.restricted(h, &Restriction::default());
    assert!(!plain.write_restricted && !plain.sandbox_inert);
    assert_eq!(
        RestrictFlags::from_name("lua_token"),
        Some(RestrictFlags::LUA_TOKEN)
    );
}

// ---------------------------------------------------------------------
// A token's own descriptor; GetKernelObjectSecurity, SetKernelObjectSecurity
// ---------------------------------------------------------------------

/// A token object's descriptor: owner and group from its creator, a
/// present DACL from the creator's default DACL, and a SACL holding one
/// mandatory label at the token's integrity, NO_WRITE_UP, flags 0, with
/// SE_SACL_PRESENT and SE_SACL_AUTO_INHERITED (Wine
/// `test_token_security_descriptor`, `check_token_label`).
#[test]
fn a_token_object_is_labelled_at_its_integrity() {
    let mut b = alice_box_with(alice_token().with_integrity(IntegrityLevel::HIGH));
    let h = b.own(tok::QUERY | AccessMask::READ_CONTROL.0);
    let s = b.token_sd(h);
    assert_eq!(s.owner, Some(sid(ALICE)));
    assert!(s.control.contains(Control::DACL_PRESENT));
    assert!(!s.control.contains(Control::DACL_DEFAULTED));
    assert_eq!(s.dacl.as_ref().unwrap().aces.len(), 2);
    let sacl = s.sacl.as_ref().unwrap();
    assert_eq!(sacl.aces.len(), 1);
    let l = &sacl.aces[0];
    assert_eq!(
        (l.sid, l.mask, l.flags.0),
        (IntegrityLevel::HIGH.sid(), AccessMask(1), 0)
    );
    assert!(s.control.contains(Control::SACL_PRESENT));
    assert!(s.control.contains(Control::SACL_AUTO_INHERITED));
}

fn parts(owner: bool, dacl: bool, sacl: bool, label: bool) -> SecurityInformation {
    SecurityInformation {
        owner,
        group: false,
        dacl,
        sacl,
        label,
    }
}

/// GetKernelObjectSecurity works on any handle, the process and thread
/// pseudo handles included (Wine `test_pseudo_handle_security`); a label
/// query returns the label alone, without owner or group (Wine
/// `check_token_label`).
#[test]
fn get_kernel_object_security_on_any_handle() {
    let b = alice_box();
    for p in [PseudoHandle::CurrentProcess, PseudoHandle::CurrentThread] {
        let got =
            b.w.get_security(b.th, Handle::pseudo(p), parts(true, false, false, false));
        assert_eq!(got.unwrap().owner, Some(sid(ALICE)));
    }
    let mut b = b;
    let h = b.own(AccessMask::READ_CONTROL.0);
    let label =
        b.w.get_security(b.th, h, parts(false, false, false, true))
            .unwrap();
    assert_eq!(label.owner, None);
    assert_eq!(
        label.mandatory_label().unwrap().sid,
        IntegrityLevel::MEDIUM.sid()
    );
    assert!(label.control.contains(Control::SACL_AUTO_INHERITED));
}

/// Reading needs READ_CONTROL for owner, group, DACL and label, and
/// ACCESS_SYSTEM_SECURITY for the SACL (SECURITY_INFORMATION page, IFS
/// docs; Wine `test_system_security_access`).
#[test]
fn reading_needs_read_control_and_access_system_security() {
    let mut b = alice_box();
    let q = b.own(tok::QUERY);
    for info in [
        parts(true, false, false, false),
        parts(false, false, false, true),
    ] {
        assert_eq!(b.w.get_security(b.th, q, info), Err(NtStatus::AccessDenied));
    }
    let rc = b.own(AccessMask::READ_CONTROL.0);
    assert_eq!(
        b.w.get_security(b.th, rc, parts(false, false, true, false)),
        Err(NtStatus::AccessDenied)
    );
}

/// Writing needs WRITE_DAC for the DACL and WRITE_OWNER for owner, group
/// and label (SECURITY_INFORMATION page; Wine `set_security_object` checks
/// the same); the owner must be assignable (research note item 7) and an
/// owner the descriptor lacks is STATUS_INVALID_SECURITY_DESCR (Wine
/// `test_process_security`).
#[test]
fn writing_needs_write_dac_and_write_owner_and_a_valid_owner() {
    let mut b = alice_box();
    let wd = b.own(AccessMask::WRITE_DAC.0);
    let wo = b.own(AccessMask::WRITE_OWNER.0);
    let new = sd("O:SYD:(A;;GA;;;WD)");
    assert_eq!(
        b.w.set_security(b.th, wd, parts(true, false, false, false), &new),
        Err(NtStatus::AccessDenied)
    );
    assert!(b
        .w
        .set_security(b.th, wd, parts(false, true, false, false), &new)
        .is_ok());
    assert_eq!(
        b.w.set_security(b.th, wo, parts(true, false, false, false), &new),
        Err(NtStatus::InvalidOwner)
    );
    assert_eq!(
        b.w.set_security(b.th, wo, parts(true, false, false, false), &sd("D:")),
        Err(NtStatus::InvalidSecurityDescr)
    );
    let me = sd(&format!("O:{ALICE}"));
    assert!(b
        .w
        .set_security(b.th, wo, parts(true, false, false, false), &me)
        .is_ok());
}

/// Setting a token's label succeeds and changes nothing but clearing
/// SE_SACL_AUTO_INHERITED (Wine `test_token_label`, run on Windows).
#[test]
fn setting_a_token_label_changes_nothing() {
    let mut b = alice_box();
    let h = b.own(AccessMask::WRITE_OWNER.0 | AccessMask::READ_CONTROL.0);
    let low = sd("S:(ML;;NW;;;LW)");
    b.w.set_security(b.th, h, parts(false, false, false, true), &low)
        .unwrap();
    let s = b.token_sd(h);
    assert_eq!(
        s.mandatory_label().unwrap().sid,
        IntegrityLevel::MEDIUM.sid()
    );
    assert!(!s.control.contains(Control::SACL_AUTO_INHERITED));
}

/// On other objects a label is stored, every label ACE given kept, and a
/// label above the caller's integrity needs SeRelabelPrivilege
/// (STATUS_INVALID_LABEL) (Wine `test_AddMandatoryAce`; research note item
/// 8 for the privilege).
#[test]
fn labels_on_other_objects_are_stored_up_to_the_caller_integrity() {
    let mut b = alice_box();
    let me = Handle::pseudo(PseudoHandle::CurrentThread);
    let info = parts(false, false, false, true);
    b.w.set_security(b.th, me, info, &sd("S:(ML;;NW;;;LW)"))
        .unwrap();
    let got = b.w.get_security(b.th, me, info).unwrap();
    assert_eq!(
        got.mandatory_label().unwrap().sid,
        IntegrityLevel::LOW.sid()
    );
    assert_eq!(
        b.w.set_security(b.th, me, info, &sd("S:(ML;;NW;;;HI)")),
        Err(NtStatus::InvalidLabel)
    );
}

/// A get returns each part's *_DEFAULTED control bit with it, and only
/// the bits of the parts asked for (the bits describe the parts: MS-DTYP
/// 2.4.6 SECURITY_DESCRIPTOR control; the issue's `*_DEFAULTED`
/// expectations read them).
#[test]
fn get_returns_the_defaulted_bits_with_their_parts() {
    let mut b = alice_box();
    let mut stored = sd(&format!("O:{ALICE}G:BUD:(A;;FA;;;WD)"));
    stored.control.set(Control::OWNER_DEFAULTED, true);
    stored.control.set(Control::DACL_DEFAULTED, true);
    let id = b.w.add_descriptor(stored);
    let file = secctx::ObjectKind::File;
    let o = b.w.insert_object(None, "f.txt", file, None, id).unwrap();
    let rc = AccessMask::READ_CONTROL;
    let (h, _) = b.w.open_object(b.th, o, rc, false).unwrap();
    let owner =
        b.w.get_security(b.th, h, parts(true, false, false, false))
            .unwrap();
    assert!(owner.control.contains(Control::OWNER_DEFAULTED));
    assert!(!owner.control.contains(Control::DACL_DEFAULTED));
    let dacl =
        b.w.get_security(b.th, h, parts(false, true, false, false))
            .unwrap();
    assert!(dacl.control.contains(Control::DACL_DEFAULTED));
    assert!(!dacl.control.contains(Control::OWNER_DEFAULTED));
}

// ---------------------------------------------------------------------
// The fixture operations
// ---------------------------------------------------------------------

/// The new operations in a fixture: DuplicateToken's access,
/// DuplicateTokenEx with access 0 and a descriptor, NtDuplicateToken
/// without a QoS and with EffectiveOnly, CreateRestrictedToken's flags and
/// attributes, NtFilterToken, and Get/SetKernelObjectSecurity on a pseudo
/// handle and on a token, each judged on the token and descriptor it gives.
#[test]
fn fixture_operations_copy_tokens_and_read_their_security() {
    let text = r#"{
  "domain_sid": "S-1-5-21-1-2-3",
  "principals": {"alice": "S-1-5-21-1-2-3-1104", "team": "S-1-5-21-1-2-3-1400"},
  "tokens": {"alice": {"user": "alice",
     "groups": ["DU", "WD", {"sid": "team", "attributes": "enabled_by_default"}],
     "privileges": ["SeChangeNotifyPrivilege", {"name": "SeShutdownPrivilege", "enabled": false}],
     "default_dacl": "D:(A;;GA;;;S-1-5-21-1-2-3-1104)(A;;GA;;;SY)"}},
  "processes": {"shell": {"token": "alice", "threads": ["main"]}},
  "steps": [
    {"op": "open_process_token", "thread": "main", "desired": "TOKEN_DUPLICATE|TOKEN_QUERY|READ_CONTROL|WRITE_OWNER", "save_as": "t",
     "expect": {"status": "STATUS_SUCCESS"}},
    {"op": "duplicate_token", "thread": "main", "handle": "t", "level": "identification",
     "expect": {"granted": "TOKEN_IMPERSONATE|TOKEN_QUERY", "token": {"type": "impersonation", "level": "identification"}}},
    {"op": "duplicate_token_ex", "thread": "main", "handle": "t", "level": "impersonation", "token_type": "primary",
     "sd": "D:(A;;GA;;;WD)", "save_as": "p",
     "expect": {"granted": "TOKEN_DUPLICATE|TOKEN_QUERY|READ_CONTROL|WRITE_OWNER", "token": {"type": "primary", "not_same_as": "t"}}},
    {"op": "get_kernel_object_security", "thread": "main", "handle": "p", "parts": ["dacl", "label"],
     "expect": {"sd": {"dacl_present": true, "ace_count": 1, "allows": [{"sid": "WD"}], "label": "medium",
                       "control": ["SE_SACL_PRESENT", "SE_SACL_AUTO_INHERITED"]}}},
    {"op": "nt_duplicate_token", "thread": "main", "handle": "t", "token_type": "impersonation",
     "expect": {"token": {"level": "anonymous"}}},
    {"op": "nt_duplicate_token", "thread": "main", "handle": "t", "token_type": "impersonation", "level": "impersonation", "effective_only": true,
     "expect": {"token": {"no_groups": ["team"], "no_privileges": ["SeShutdownPrivilege"], "privileges": ["SeChangeNotifyPrivilege"]}}},
    {"op": "duplicate_token", "thread": "main", "handle": "t", "level": "impersonation", "effective_only": false,
     "expect": {"token": {"groups": ["team"], "privileges": [{"name": "SeShutdownPrivilege", "enabled": false}]}}},
    {"op": "create_restricted_token", "thread": "main", "handle": "t", "flags": ["DISABLE_MAX_PRIVILEGE", "write_restricted"],
     "disable_sids": ["DU"], "restricting_sids": ["WD"], "save_as": "r",
     "expect": {"granted": "TOKEN_DUPLICATE|TOKEN_QUERY|READ_CONTROL|WRITE_OWNER",
                "token": {"type": "primary", "restricted_sids": ["WD"], "is_restricted": true,
                          "groups": [{"sid": "DU", "attributes": "mandatory|deny_only"}],
                          "privileges": ["SeChangeNotifyPrivilege"], "no_privileges": ["SeShutdownPrivilege"]}}},
    {"op": "nt_filter_token", "thread": "main", "handle": "t", "restricting_sids": [{"sid": "WD", "attributes": "enabled"}],
     "expect": {"status": "STATUS_INVALID_PARAMETER", "last_error": "ERROR_INVALID_PARAMETER"}},
    {"op": "get_kernel_object_security", "thread": "main", "handle": "GetCurrentProcess()", "parts": ["owner"],
     "expect": {"sd": {"owner": "alice"}}},
    {"op": "set_kernel_object_security", "thread": "main", "handle": "t", "parts": ["label"], "sd": "S:(ML;;NW;;;LW)",
     "expect": {"status": "STATUS_SUCCESS", "sd": {"label": "medium", "control_clear": ["SE_SACL_AUTO_INHERITED"]}}},
    {"op": "set_kernel_object_security", "thread": "main", "handle": "t", "parts": ["owner"], "sd": "O:SY",
     "expect": {"status": "STATUS_INVALID_OWNER"}},
    {"op": "get_kernel_object_security", "thread": "main", "handle": "t", "parts": ["sacl"],
     "expect": {"status": "STATUS_ACCESS_DENIED"}}
  ]}"#;
    let mut sink = Collect::default();
    let counts = Runner::new().run_str(text, "copy", &mut sink).unwrap();
    for s in &sink.steps {
        assert_eq!(s.verdict, Verdict::Pass, "{} {:?}", s.title, s.failures);
    }
    assert_eq!(counts.passed, 13);
}

/// A malformed flag is an error of the fixture at its JSON path, naming
/// the accepted flags.
#[test]
fn an_unknown_restrict_flag_is_a_fixture_error() {
    let text = r#"{"principals": {"alice": "S-1-5-21-1-2-3-1104"},
  "tokens": {"alice": {"user": "alice"}},
  "processes": {"shell": {"token": "alice", "threads": ["main"]}},
  "steps": [{"op": "create_restricted_token", "thread": "main", "handle": "GetCurrentProcessToken()", "flags": ["SANDBOX_INNERT"]}]}"#;
    let mut sink = Collect::default();
    let err = Runner::new().run_str(text, "bad", &mut sink).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("steps[0]") && msg.contains("SANDBOX_INERT"),
        "{msg}"
    );
}
