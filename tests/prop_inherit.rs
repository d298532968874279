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
    InheritApi, InheritRequest, ObjectKind, SecurityDescriptor, SefFlags, Token,
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
        prop::sample::select(vec![0x1u32, 0x1F01FF, 0x1000_0000, 0x8000_0000, 0x12_0089]),
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

fn run(c: &Case, t: &Token) -> secctx::Inheritance {
    let mut r = InheritRequest::new(c.api, ObjectKind::File, t);
    r.parent = c.parent.as_ref();
    r.creator = c.creator.as_ref();
    r.is_container = c.is_container;
    r.flags = SefFlags(c.flags);
    r.object_class = c.class;
    create_security_descriptor(&r).unwrap()
}

/// Whether the path auto-inherits the DACL (or SACL).
fn auto(c: &Case, sacl: bool) -> bool {
    let (ai, ar, sef) = if sacl {
        (
            Control::SACL_AUTO_INHERITED,
            Control::SACL_AUTO_INHERIT_REQ,
            SefFlags::SACL_AUTO_INHERIT,
        )
    } else {
        (
            Control::DACL_AUTO_INHERITED,
            Control::DACL_AUTO_INHERIT_REQ,
            SefFlags::DACL_AUTO_INHERIT,
        )
    };
    match c.api {
        InheritApi::SeAssignSecurity => false,
        InheritApi::SeAssignSecurityEx => SefFlags(c.flags).contains(sef),
        InheritApi::DsAdd => true,
        InheritApi::NtCreateFile | InheritApi::Registry => {
            c.parent.as_ref().is_some_and(|p| p.control.contains(ai))
                || c.creator.as_ref().is_some_and(|p| p.control.contains(ar))
        }
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
        prop_assert_eq!(run(&c, &token()), run(&c, &token()));
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
}
