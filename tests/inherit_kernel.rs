//! The kernel's SeAssignSecurity / SeAssignSecurityEx rules, each as the
//! ReactOS kernel-mode test `SeInheritance` (modules/rostests/kmtests/
//! ntos_se/SeInheritance.c) states them. That test is written against and
//! run on Windows, so its expectations are Windows results. Its subject
//! context is SYSTEM's: default owner BUILTIN\Administrators, primary group
//! SYSTEM, default DACL `(A;;GA;;;SY)(A;;GR|GX|RC;;;BA)`, and it uses a
//! private generic mapping whose GENERIC_ALL (0x1F800F) leaves out some of
//! the bits GENERIC_READ (0x21001) and GENERIC_EXECUTE (0x24004) name.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use secctx::well_known as wk;
use secctx::{
    create_security_descriptor, AccessMask, Ace, AceFlags, AceType, Acl, Control, GenericMapping,
    InheritApi, InheritError, InheritRequest, NtStatus, ObjectKind, SecurityDescriptor, SefFlags,
    Sid, Token,
};

/// The test's mapping: STANDARD_RIGHTS_READ | 0x1001, STANDARD_RIGHTS_WRITE
/// | 0x2002, STANDARD_RIGHTS_EXECUTE | 0x4004, STANDARD_RIGHTS_ALL | 0x800F.
const MAPPING: GenericMapping = GenericMapping::new(0x2_1001, 0x2_2002, 0x2_4004, 0x1F_800F);
const GR: u32 = 0x8000_0000;
const GX: u32 = 0x2000_0000;
const GA: u32 = 0x1000_0000;
const RC: u32 = 0x2_0000;

fn sid(s: &str) -> Sid {
    Sid::parse_sddl(s, None).unwrap()
}

fn system_token() -> Token {
    let mut t = Token::new(wk::LOCAL_SYSTEM);
    t.owner = wk::BUILTIN_ADMINISTRATORS;
    t.primary_group = Some(wk::LOCAL_SYSTEM);
    t.default_dacl = Some(Acl::new(vec![
        Ace::allow(wk::LOCAL_SYSTEM, AccessMask(GA)),
        Ace::allow(wk::BUILTIN_ADMINISTRATORS, AccessMask(GR | GX | RC)),
    ]));
    t
}

fn dacl_sd(aces: Vec<Ace>) -> SecurityDescriptor {
    let mut sd = SecurityDescriptor::new();
    sd.set_dacl(Acl::new(aces));
    sd
}

fn ace(flags: u8, mask: u32, who: Sid) -> Ace {
    Ace::new(
        AceType::AccessAllowed,
        AceFlags(flags),
        AccessMask(mask),
        who,
    )
}

/// SeAssignSecurity with the test's mapping.
fn assign(
    parent: Option<&SecurityDescriptor>,
    creator: Option<&SecurityDescriptor>,
    is_dir: bool,
    t: &Token,
) -> Result<SecurityDescriptor, InheritError> {
    let mut r = InheritRequest::new(InheritApi::SeAssignSecurity, ObjectKind::File, t);
    r.parent = parent;
    r.creator = creator;
    r.is_container = is_dir;
    r.mapping = MAPPING;
    create_security_descriptor(&r).map(|i| i.sd)
}

fn aces(sd: &SecurityDescriptor) -> Vec<(u8, u32, Sid)> {
    sd.dacl
        .as_ref()
        .unwrap()
        .aces
        .iter()
        .map(|a| (a.flags.0, a.mask.0, a.sid))
        .collect()
}

/// The token's default DACL comes out mapped and cut to GENERIC_ALL:
/// GENERIC_ALL gives 0x1F800F; GENERIC_READ | GENERIC_EXECUTE |
/// READ_CONTROL gives READ_CONTROL | 0x0005, the 0x1000 and 0x4000 of the
/// read and execute mappings dropped (`TestAssignExpectDefault`).
#[test]
fn default_dacl_keeps_only_rights_inside_generic_all() {
    for is_dir in [false, true] {
        let sd = assign(None, None, is_dir, &system_token()).unwrap();
        assert_eq!(
            aces(&sd),
            [
                (0, 0x1F_800F, wk::LOCAL_SYSTEM),
                (0, RC | 0x5, wk::BUILTIN_ADMINISTRATORS)
            ]
        );
    }
}

/// An inherited CREATOR OWNER GENERIC_READ ACE becomes the owner's
/// READ_CONTROL | 0x0001; on a directory the CI original follows
/// inherit-only with its generic right unmapped ("Different DACLs in
/// parent and explicit descriptors", `Access == 1`).
#[test]
fn inherited_generic_ace_is_cut_to_generic_all_and_its_inherit_only_copy_is_not_mapped() {
    let t = system_token();
    let parent = dacl_sd(vec![ace(0x01, GR, wk::CREATOR_OWNER)]);
    let leaf = assign(Some(&parent), None, false, &t).unwrap();
    assert_eq!(aces(&leaf), [(0, RC | 0x1, wk::BUILTIN_ADMINISTRATORS)]);
    let parent = dacl_sd(vec![ace(0x03, GR, wk::CREATOR_OWNER)]);
    let dir = assign(Some(&parent), None, true, &t).unwrap();
    assert_eq!(
        aces(&dir),
        [
            (0, RC | 0x1, wk::BUILTIN_ADMINISTRATORS),
            (0x0B, GR, wk::CREATOR_OWNER)
        ]
    );
}

/// Without auto-inheritance an explicit ACE stays as given for every
/// combination of OI, CI, NP and IO, on a leaf and on a directory: one
/// ACE, its flags and its CREATOR GROUP SID unchanged, its GENERIC_EXECUTE
/// mapped to READ_CONTROL | 0x0004 unless inherit-only (the same matrix,
/// `UsingExplicit` with no usable parent).
#[test]
fn explicit_aces_stay_as_given_for_every_flag_combination() {
    let t = system_token();
    for flags in 0u8..16 {
        for is_dir in [false, true] {
            let creator = dacl_sd(vec![ace(flags, GX, wk::CREATOR_GROUP)]);
            let sd = assign(None, Some(&creator), is_dir, &t).unwrap();
            let mask = if flags & 0x08 != 0 { GX } else { RC | 0x4 };
            assert_eq!(
                aces(&sd),
                [(flags, mask, wk::CREATOR_GROUP)],
                "flags {flags:#x}, dir {is_dir}"
            );
        }
    }
}

/// An explicit audit ACE keeps OI, SA, FA and CREATOR OWNER on a leaf; the
/// same ACE inherited loses OI and names the owner ("Quick test whether
/// inheritance for SACLs behaves the same as DACLs").
#[test]
fn explicit_audit_ace_stays_as_given_and_inherited_one_is_substituted() {
    let t = system_token();
    let audit = Ace::new(
        AceType::SystemAudit,
        AceFlags(0x01 | 0x40 | 0x80),
        AccessMask(RC),
        wk::CREATOR_OWNER,
    );
    let mut sd = SecurityDescriptor::new();
    sd.set_sacl(Acl::new(vec![audit.clone()]));
    let t = t.with_privilege(secctx::Privilege::Security);
    let explicit = assign(None, Some(&sd), false, &t).unwrap();
    assert_eq!(explicit.sacl.unwrap().aces, [audit]);
    let inherited = assign(Some(&sd), None, false, &t).unwrap();
    let a = &inherited.sacl.unwrap().aces[0];
    assert_eq!(
        (a.flags.0, a.sid),
        (0x40 | 0x80, wk::BUILTIN_ADMINISTRATORS)
    );
}

/// No *_DEFAULTED bit is ever set: not for the token's owner, group or
/// default DACL, not for a defaulted explicit DACL that is used, not for a
/// DACL inherited from a defaulted parent DACL (`ok_eq_uint(DaclDefaulted,
/// FALSE)` and its siblings throughout).
#[test]
fn no_defaulted_bit_is_set() {
    let t = system_token();
    let defaulted = [
        Control::OWNER_DEFAULTED,
        Control::GROUP_DEFAULTED,
        Control::DACL_DEFAULTED,
        Control::SACL_DEFAULTED,
    ];
    let inheritable = dacl_sd(vec![ace(0x03, RC, wk::WORLD)]);
    let explicit = dacl_sd(vec![ace(0, RC, wk::WORLD)]);
    let mut cases: Vec<SecurityDescriptor> = vec![assign(None, None, false, &t).unwrap()];
    for parent_defaulted in [false, true] {
        for creator_defaulted in [false, true] {
            for parent in [None, Some(&inheritable)] {
                let mut r = InheritRequest::new(InheritApi::SeAssignSecurity, ObjectKind::File, &t);
                r.parent = parent;
                r.creator = Some(&explicit);
                r.parent_dacl_defaulted = parent_defaulted;
                r.creator_dacl_defaulted = creator_defaulted;
                r.mapping = MAPPING;
                cases.push(create_security_descriptor(&r).unwrap().sd);
            }
        }
    }
    for sd in cases {
        for bit in defaulted {
            assert!(!sd.control.contains(bit), "{:?}", sd.control);
        }
    }
}

/// A defaulted explicit DACL yields to a usable parent; a nondefault one
/// does not (SeAssignSecurity's assignment table; the matrix's
/// `UsingExplicit && (!FlagOn(UsingDefault, 2) || !ParentUsable)`).
#[test]
fn defaulted_explicit_dacl_yields_to_inheritance() {
    let t = system_token();
    let parent = dacl_sd(vec![ace(0x03, RC, wk::WORLD)]);
    let creator = dacl_sd(vec![ace(0, 0x10_0000, wk::LOCAL_SYSTEM)]);
    for (defaulted, want) in [(false, wk::LOCAL_SYSTEM), (true, wk::WORLD)] {
        let mut r = InheritRequest::new(InheritApi::SeAssignSecurity, ObjectKind::File, &t);
        r.parent = Some(&parent);
        r.creator = Some(&creator);
        r.creator_dacl_defaulted = defaulted;
        r.mapping = MAPPING;
        let sd = create_security_descriptor(&r).unwrap().sd;
        assert_eq!(sd.dacl.unwrap().aces[0].sid, want, "defaulted {defaulted}");
    }
}

/// SEF_DEFAULT_OWNER_FROM_PARENT with no parent fails with
/// STATUS_INVALID_OWNER, SEF_DEFAULT_GROUP_FROM_PARENT with
/// STATUS_INVALID_PRIMARY_GROUP, both with STATUS_INVALID_OWNER (the owner
/// is looked at first); with a parent both are taken from it.
#[test]
fn owner_and_group_from_a_missing_parent_fail() {
    let t = system_token();
    let ask = |flags: SefFlags, parent: Option<&SecurityDescriptor>| {
        let mut r = InheritRequest::new(InheritApi::SeAssignSecurityEx, ObjectKind::File, &t);
        r.flags = flags;
        r.parent = parent;
        r.mapping = MAPPING;
        create_security_descriptor(&r).map(|i| i.sd)
    };
    let owner = SefFlags::DEFAULT_OWNER_FROM_PARENT;
    let group = SefFlags::DEFAULT_GROUP_FROM_PARENT;
    let both = SefFlags(owner.0 | group.0);
    for (flags, status) in [
        (owner, NtStatus::InvalidOwner),
        (group, NtStatus::InvalidPrimaryGroup),
        (both, NtStatus::InvalidOwner),
    ] {
        assert_eq!(ask(flags, None).unwrap_err().status(), status, "{flags:?}");
    }
    let mut parent = SecurityDescriptor::new();
    parent.owner = Some(sid("S-1-5-21-1-2-3-500"));
    parent.group = Some(sid("S-1-5-21-1-2-3-513"));
    let sd = ask(both, Some(&parent)).unwrap();
    assert_eq!((sd.owner, sd.group), (parent.owner, parent.group));
}

/// A token without a primary group: SeAssignSecurity fails with
/// STATUS_INVALID_PRIMARY_GROUP when the group must come from the token
/// ("Test with NULL group in Token"); a creator that names a group needs
/// none.
#[test]
fn token_without_primary_group() {
    let mut t = system_token();
    t.primary_group = None;
    let e = assign(None, None, false, &t).unwrap_err();
    assert_eq!(e, InheritError::NoPrimaryGroup);
    assert_eq!(e.status(), NtStatus::InvalidPrimaryGroup);
    let mut creator = SecurityDescriptor::new();
    creator.group = Some(wk::BUILTIN_USERS);
    let sd = assign(None, Some(&creator), false, &t).unwrap();
    assert_eq!(sd.group, Some(wk::BUILTIN_USERS));
}

/// The test's whole "Different DACLs in parent and explicit descriptors"
/// matrix: a parent ACE with every combination of OI, CI, NP and IO, an
/// explicit ACE with every combination, each descriptor's DACL defaulted
/// or not, with and without parent and explicit descriptor, on a leaf and
/// a directory, for a plain ACE (Everyone READ_CONTROL; SYSTEM SYNCHRONIZE)
/// and a generic one (CREATOR OWNER GENERIC_READ; CREATOR GROUP
/// GENERIC_EXECUTE). The expectations are the test's, restated.
#[test]
fn the_whole_dacl_matrix() {
    let t = system_token();
    let default_dacl = [
        (0u8, 0x1F_800Fu32, wk::LOCAL_SYSTEM),
        (0, RC | 0x5, wk::BUILTIN_ADMINISTRATORS),
    ];
    for generic in [false, true] {
        // (parent SID, parent mask, what they become; explicit SID, mask,
        // mapped mask)
        let (g_sid, g_mask, s_sid, s_mask, g2_sid, g2_mask, s2_mask) = if generic {
            let ba = wk::BUILTIN_ADMINISTRATORS;
            (
                wk::CREATOR_OWNER,
                GR,
                ba,
                RC | 0x1,
                wk::CREATOR_GROUP,
                GX,
                RC | 0x4,
            )
        } else {
            let sy = wk::LOCAL_SYSTEM;
            (wk::WORLD, RC, wk::WORLD, RC, sy, 0x10_0000, 0x10_0000)
        };
        for can_inherit in 0u8..=255 {
            let flags = can_inherit & 0xF;
            let flags2 = can_inherit >> 4;
            let (oi, ci, np, io) = (0x01, 0x02, 0x04, 0x08);
            for using_default in 0u8..4 {
                let parent = dacl_sd(vec![ace(flags, g_mask, g_sid)]);
                let explicit = dacl_sd(vec![ace(flags2, g2_mask, g2_sid)]);
                for is_dir in [false, true] {
                    for using_parent in [false, true] {
                        for using_explicit in [false, true] {
                            let mut r = InheritRequest::new(
                                InheritApi::SeAssignSecurity,
                                ObjectKind::File,
                                &t,
                            );
                            r.parent = using_parent.then_some(&parent);
                            r.creator = using_explicit.then_some(&explicit);
                            r.parent_dacl_defaulted = using_default & 1 != 0;
                            r.creator_dacl_defaulted = using_default & 2 != 0;
                            r.is_container = is_dir;
                            r.mapping = MAPPING;
                            let sd = create_security_descriptor(&r).unwrap().sd;
                            let usable = using_parent
                                && if is_dir {
                                    flags & ci != 0 || (flags & oi != 0 && flags & np == 0)
                                } else {
                                    flags & oi != 0
                                };
                            let changed = s_mask != g_mask || s_sid != g_sid;
                            let want: Vec<(u8, u32, Sid)> =
                                if using_explicit && (using_default & 2 == 0 || !usable) {
                                    let m = if flags2 & io != 0 { g2_mask } else { s2_mask };
                                    vec![(flags2, m, g2_sid)]
                                } else if usable {
                                    if is_dir && flags & np == 0 {
                                        if flags & ci != 0 && changed {
                                            let keep = io | ci | (flags & oi);
                                            vec![(0, s_mask, s_sid), (keep, g_mask, g_sid)]
                                        } else {
                                            let f = if flags & ci != 0 { 0 } else { io };
                                            vec![(f | (flags & (ci | oi)), g_mask, g_sid)]
                                        }
                                    } else {
                                        vec![(0, s_mask, s_sid)]
                                    }
                                } else {
                                    default_dacl.to_vec()
                                };
                            assert_eq!(
                                aces(&sd),
                                want,
                                "generic {generic}, parent {flags:#x}, explicit {flags2:#x}, \
                                 defaults {using_default}, dir {is_dir}, parent {using_parent}, \
                                 explicit {using_explicit}"
                            );
                            assert!(!sd.control.contains(Control::DACL_DEFAULTED));
                            assert_eq!(sd.owner, Some(wk::BUILTIN_ADMINISTRATORS));
                            assert_eq!(sd.group, Some(wk::LOCAL_SYSTEM));
                        }
                    }
                }
            }
        }
    }
}

/// SACLs (the test's "Quick test whether inheritance for SACLs behaves the
/// same as DACLs"): a parent SACL that is null, empty or holds only a
/// non-inheritable ACE gives the child no SACL, defaulted or not; an
/// explicit null SACL stays present and null, an explicit empty one
/// present and empty; none is marked defaulted.
#[test]
fn sacl_null_empty_and_plain_cases() {
    let t = system_token().with_privilege(secctx::Privilege::Security);
    let audit = Ace::new(
        AceType::SystemAudit,
        AceFlags(0x40 | 0x80),
        AccessMask(RC),
        wk::WORLD,
    );
    for sacl in [None, Some(Acl::empty()), Some(Acl::new(vec![audit]))] {
        let mut sd = SecurityDescriptor::new();
        match &sacl {
            Some(acl) => sd.set_sacl(acl.clone()),
            None => sd.control.set(Control::SACL_PRESENT, true),
        }
        for is_dir in [false, true] {
            let from_parent = assign(Some(&sd), None, is_dir, &t).unwrap();
            assert!(!from_parent.control.contains(Control::SACL_PRESENT));
            let explicit = assign(None, Some(&sd), is_dir, &t).unwrap();
            assert!(explicit.control.contains(Control::SACL_PRESENT));
            assert!(!explicit.control.contains(Control::SACL_DEFAULTED));
            assert_eq!(explicit.sacl, sacl);
        }
    }
}
