//! Properties of descriptor inheritance over generated parents, creators
//! and paths.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::cases;
use proptest::collection::vec;
use proptest::prelude::*;
use secctx::well_known as wk;
use secctx::{
    create_security_descriptor, AccessMask, Ace, AceFlags, AceOrigin, AceType, Acl, Control, Guid,
    InheritApi, InheritRequest, NtStatus, ObjectKind, SecurityDescriptor, SefFlags, Token,
};

fn guid(n: u8) -> Guid {
    format!("{n:08x}-1111-2222-3333-444444444444")
        .parse()
        .unwrap()
}

fn ace() -> impl Strategy<Value = Ace> {
    (
        prop::sample::select(vec![
            AceType::AccessAllowed,
            AceType::AccessAllowed,
            AceType::AccessDenied,
            AceType::AccessAllowedObject,
            AceType::SystemAudit,
        ]),
        any::<u8>().prop_map(|f| f & 0x1F),
        prop::sample::select(vec![
            0x1u32,
            0x1F01FF,
            0x1000_0000,
            0x8000_0000,
            0x12_0089,
            // GENERIC_WRITE with ACCESS_SYSTEM_SECURITY, outside the file
            // mapping's GENERIC_ALL.
            0x4100_0000,
        ]),
        prop::sample::select(vec![
            wk::WORLD,
            wk::BUILTIN_USERS,
            wk::CREATOR_OWNER,
            wk::CREATOR_GROUP,
            wk::LOCAL_SYSTEM,
        ]),
        prop::option::of(prop::sample::select(vec![guid(1), guid(2)])),
        prop::option::of(prop::sample::select(vec![guid(1), guid(2)])),
    )
        .prop_map(|(t, f, m, sid, ot, iot)| {
            let mut a = Ace::new(t, AceFlags(f), AccessMask(m), sid);
            if t.is_object() {
                a.object_type = ot;
                a.inherited_object_type = iot;
            }
            a
        })
}

/// A descriptor with a DACL and SACL of generated ACEs (audit ACEs go to
/// the SACL) and random protection and auto-inheritance bits.
fn descriptor() -> impl Strategy<Value = SecurityDescriptor> {
    (vec(ace(), 0..6), any::<u16>(), any::<bool>()).prop_map(|(aces, bits, with_sacl)| {
        let mut sd = SecurityDescriptor::new();
        sd.owner = Some(wk::BUILTIN_ADMINISTRATORS);
        sd.group = Some(wk::LOCAL_SYSTEM);
        let (audit, access): (Vec<Ace>, Vec<Ace>) =
            aces.into_iter().partition(|a| a.ace_type.is_audit());
        sd.set_dacl(Acl::new(access));
        if with_sacl {
            sd.set_sacl(Acl::new(audit));
        }
        for (i, c) in [
            Control::DACL_PROTECTED,
            Control::SACL_PROTECTED,
            Control::DACL_AUTO_INHERITED,
            Control::SACL_AUTO_INHERITED,
            Control::DACL_AUTO_INHERIT_REQ,
        ]
        .into_iter()
        .enumerate()
        {
            sd.control.set(c, bits & (1 << i) != 0);
        }
        sd
    })
}

fn token() -> Token {
    let mut t = Token::new("S-1-5-21-1-2-3-1001".parse().unwrap())
        .with_privilege(secctx::Privilege::Security);
    t.default_dacl = Some(Acl::new(vec![Ace::allow(
        wk::LOCAL_SYSTEM,
        AccessMask::GENERIC_ALL,
    )]));
    t
}

#[derive(Clone, Debug)]
struct Case {
    api: InheritApi,
    parent: Option<SecurityDescriptor>,
    creator: Option<SecurityDescriptor>,
    is_container: bool,
    flags: u32,
    class: Option<Guid>,
}

fn case() -> impl Strategy<Value = Case> {
    (
        prop::sample::select(InheritApi::ALL.to_vec()),
        prop::option::of(descriptor()),
        prop::option::weighted(0.4, descriptor()),
        any::<bool>(),
        0u32..0x80,
        prop::sample::select(vec![guid(1), guid(2)]),
    )
        .prop_map(|(api, parent, mut creator, is_container, flags, class)| {
            if let Some(c) = creator.as_mut() {
                // Creators name an owner the token may assign.
                c.owner = None;
            }
            Case {
                api,
                parent,
                creator,
                is_container,
                flags: if api == InheritApi::SeAssignSecurityEx {
                    flags
                } else {
                    0
                },
                class: Some(class),
            }
        })
}

fn try_run(c: &Case, t: &Token) -> Result<secctx::Inheritance, secctx::InheritError> {
    let mut r = InheritRequest::new(c.api, ObjectKind::File, t);
    r.parent = c.parent.as_ref();
    r.creator = c.creator.as_ref();
    r.is_container = c.is_container;
    r.flags = SefFlags(c.flags);
    r.object_class = c.class;
    create_security_descriptor(&r)
}

/// The status the case fails with when it takes its owner or group from a
/// parent it lacks (the one way [`case`] can fail): the owner first, then
/// the group, each only when the creator names none.
fn missing_parent_status(c: &Case) -> Option<NtStatus> {
    if c.parent.is_some() {
        return None;
    }
    let creator_owner = c.creator.as_ref().and_then(|s| s.owner);
    let creator_group = c.creator.as_ref().and_then(|s| s.group);
    if c.flags & SefFlags::DEFAULT_OWNER_FROM_PARENT.0 != 0 && creator_owner.is_none() {
        return Some(NtStatus::InvalidOwner);
    }
    if c.flags & SefFlags::DEFAULT_GROUP_FROM_PARENT.0 != 0 && creator_group.is_none() {
        return Some(NtStatus::InvalidPrimaryGroup);
    }
    None
}

fn defaults_from_a_missing_parent(c: &Case) -> bool {
    missing_parent_status(c).is_some()
}

fn run(c: &Case, t: &Token) -> secctx::Inheritance {
    try_run(c, t).unwrap()
}

/// The file mapping's effective mask, as this model computes it: generic
/// rights replaced by FILE_GENERIC_READ (0x120089), FILE_GENERIC_WRITE
/// (0x120116), FILE_GENERIC_EXECUTE (0x1200A0), FILE_ALL_ACCESS (0x1F01FF)
/// and the whole cut to FILE_ALL_ACCESS; a mask without generic rights is
/// left alone (ReactOS kmtest SeInheritance, run on Windows).
fn model_effective_mask(mask: u32) -> u32 {
    const ALL: u32 = 0x1F_01FF;
    let generic = [
        (0x8000_0000u32, 0x12_0089u32),
        (0x4000_0000, 0x12_0116),
        (0x2000_0000, 0x12_00A0),
        (0x1000_0000, ALL),
    ];
    if mask & 0xF000_0000 == 0 {
        return mask;
    }
    let mut out = mask & !0xF000_0000;
    for (bit, rights) in generic {
        if mask & bit != 0 {
            out |= rights;
        }
    }
    out & ALL
}

/// Whether the path auto-inherits the DACL (or SACL).
fn auto(c: &Case, sacl: bool) -> bool {
    let (ai, ar, sef, present) = if sacl {
        (
            Control::SACL_AUTO_INHERITED,
            Control::SACL_AUTO_INHERIT_REQ,
            SefFlags::SACL_AUTO_INHERIT,
            Control::SACL_PRESENT,
        )
    } else {
        (
            Control::DACL_AUTO_INHERITED,
            Control::DACL_AUTO_INHERIT_REQ,
            SefFlags::DACL_AUTO_INHERIT,
            Control::DACL_PRESENT,
        )
    };
    let parent_ai = c.parent.as_ref().is_some_and(|p| p.control.contains(ai));
    let creator_ar = c.creator.as_ref().is_some_and(|p| p.control.contains(ar));
    match c.api {
        InheritApi::SeAssignSecurity => false,
        InheritApi::SeAssignSecurityEx => SefFlags(c.flags).contains(sef),
        InheritApi::DsAdd => true,
        // NTFS: a creator's own ACL only when it asks (Wine
        // test_CreateDirectoryA, run on Windows); otherwise the parent's AI.
        InheritApi::NtCreateFile => {
            let gives = c
                .creator
                .as_ref()
                .is_some_and(|p| p.control.contains(present));
            creator_ar || (!gives && parent_ai)
        }
        InheritApi::Registry => parent_ai || creator_ar,
        other => panic!("this model knows no auto-inherit rule for {other:?}"),
    }
}

fn from_parent(o: &AceOrigin) -> bool {
    matches!(o, AceOrigin::Parent { .. } | AceOrigin::ParentMapped { .. })
}

proptest! {
    #![proptest_config(cases(512))]

    /// Every ACE taken from the parent carries INHERITED_ACE exactly when
    /// the path auto-inherits; no other ACE does.
    #[test]
    fn inherited_aces_carry_id_exactly_when_auto_inheriting(c in case()) {
        prop_assume!(!defaults_from_a_missing_parent(&c));
        let out = run(&c, &token());
        for (acl, origins, sacl) in [(out.sd.dacl.as_ref(), &out.dacl_origins, false), (out.sd.sacl.as_ref(), &out.sacl_origins, true)] {
            let Some(acl) = acl else { continue };
            prop_assert_eq!(acl.aces.len(), origins.len());
            for (a, o) in acl.aces.iter().zip(origins) {
                if from_parent(o) {
                    prop_assert_eq!(a.is_inherited(), auto(&c, sacl), "{:?} from {:?}", a, o);
                } else if c.api != InheritApi::SeAssignSecurity && auto(&c, sacl) {
                    prop_assert!(!a.is_inherited(), "{:?} from {:?}", a, o);
                }
            }
        }
    }

    /// A protected child DACL never holds an inherited ACE.
    #[test]
    fn protected_child_dacl_has_no_inherited_ace(c in case()) {
        prop_assume!(!defaults_from_a_missing_parent(&c));
        let out = run(&c, &token());
        if out.sd.control.contains(Control::DACL_PROTECTED) {
            if let Some(d) = &out.sd.dacl {
                prop_assert!(d.aces.iter().all(|a| !a.is_inherited()), "{:?}", out.sd.to_sddl(None));
            }
        }
    }

    /// Inheriting the same parent twice gives the same descriptor.
    #[test]
    fn inheritance_is_deterministic(c in case()) {
        prop_assert_eq!(try_run(&c, &token()), try_run(&c, &token()));
    }

    /// A leaf never keeps OI, CI, NP or inherit-only on an ACE it inherits
    /// (MS-DTYP 2.5.3.4.4 table: "Inherited, No flags").
    #[test]
    fn leaves_inherit_no_inheritance_flags(mut c in case()) {
        c.is_container = false;
        if matches!(c.api, InheritApi::DsAdd | InheritApi::Registry) {
            // Both paths make every object a container.
            c.api = InheritApi::NtCreateFile;
        }
        c.flags = 0;
        let out = run(&c, &token());
        for (acl, origins) in [(out.sd.dacl.as_ref(), &out.dacl_origins), (out.sd.sacl.as_ref(), &out.sacl_origins)] {
            let Some(acl) = acl else { continue };
            for (a, o) in acl.aces.iter().zip(origins) {
                if from_parent(o) {
                    prop_assert_eq!(a.flags.0 & AceFlags::INHERITANCE.0, 0, "{:?}", a);
                }
            }
        }
    }

    /// Only a missing parent owner or group makes inheritance fail here:
    /// SEF_DEFAULT_OWNER_FROM_PARENT without a parent is
    /// STATUS_INVALID_OWNER, SEF_DEFAULT_GROUP_FROM_PARENT alone
    /// STATUS_INVALID_PRIMARY_GROUP (ReactOS kmtest SeInheritance, run on
    /// Windows).
    #[test]
    fn only_defaults_from_a_missing_parent_fail(c in case()) {
        match try_run(&c, &token()) {
            Ok(_) => prop_assert_eq!(missing_parent_status(&c), None),
            Err(e) => prop_assert_eq!(Some(e.status()), missing_parent_status(&c), "{:?}", e),
        }
    }

    /// No path but Active Directory's marks anything defaulted: owner,
    /// group, DACL and SACL come out without SE_*_DEFAULTED (ReactOS kmtest
    /// SeInheritance; Wine test_default_dacl_owner_sid).
    #[test]
    fn nothing_is_marked_defaulted_outside_active_directory(c in case()) {
        prop_assume!(c.api != InheritApi::DsAdd && !defaults_from_a_missing_parent(&c));
        let out = run(&c, &token());
        prop_assert_eq!(out.sd.control.0 & 0x002B, 0, "{:?}", out.sd.control);
    }

    /// Every effective ACE copied from the parent holds the model's
    /// effective mask of its parent ACE: generic rights mapped and cut to
    /// GENERIC_ALL; an inherit-only copy keeps the parent's mask.
    #[test]
    fn inherited_masks_follow_the_effective_mask_model(c in case()) {
        prop_assume!(!defaults_from_a_missing_parent(&c));
        let out = run(&c, &token());
        let Some(parent) = c.parent.as_ref() else { return Ok(()) };
        for (acl, origins, from) in [
            (out.sd.dacl.as_ref(), &out.dacl_origins, parent.dacl.as_ref()),
            (out.sd.sacl.as_ref(), &out.sacl_origins, parent.sacl.as_ref()),
        ] {
            let (Some(acl), Some(from)) = (acl, from) else { continue };
            for (a, o) in acl.aces.iter().zip(origins) {
                match o {
                    AceOrigin::ParentMapped { index } => {
                        prop_assert_eq!(a.mask.0, model_effective_mask(from.aces[*index].mask.0), "{:?}", a);
                    }
                    AceOrigin::Parent { index } => prop_assert_eq!(a.mask, from.aces[*index].mask),
                    _ => {}
                }
            }
        }
    }

    /// Without auto-inheritance an explicit, non-defaulted creator DACL
    /// comes out ACE for ACE as given: type, flags (INHERITED_ACE reset
    /// only in a protected ACL), SID (CREATOR OWNER included); the mask
    /// mapped by the model only where the ACE is not inherit-only (ReactOS
    /// kmtest SeInheritance, run on Windows).
    #[test]
    fn explicit_dacl_stays_as_given_without_auto_inheritance(mut c in case()) {
        prop_assume!(!matches!(c.api, InheritApi::DsAdd) && !auto(&c, false));
        // A creator DACL that is used as it is: present and not yielding to
        // SEF_DEFAULT_DESCRIPTOR_FOR_OBJECT.
        c.flags &= !(SefFlags::DEFAULT_DESCRIPTOR_FOR_OBJECT.0
            | SefFlags::DEFAULT_OWNER_FROM_PARENT.0
            | SefFlags::DEFAULT_GROUP_FROM_PARENT.0);
        let Some(creator) = c.creator.as_ref() else { return Ok(()) };
        let Some(given) = creator.dacl.as_ref() else { return Ok(()) };
        let protected = creator.control.contains(Control::DACL_PROTECTED);
        let out = run(&c, &token());
        let got = out.sd.dacl.as_ref().expect("the creator's DACL");
        prop_assert_eq!(got.aces.len(), given.aces.len());
        for (g, w) in got.aces.iter().zip(&given.aces) {
            let inherit_only = w.flags.0 & 0x08 != 0;
            let mut flags = w.flags.0;
            if protected {
                flags &= !0x10;
            }
            prop_assert_eq!(g.ace_type, w.ace_type);
            prop_assert_eq!(g.flags.0, flags);
            prop_assert_eq!(g.sid, w.sid);
            let mask = if inherit_only { w.mask.0 } else { model_effective_mask(w.mask.0) };
            prop_assert_eq!(g.mask.0, mask, "{:?} from {:?}", g, w);
        }
    }
}
