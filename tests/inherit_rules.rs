//! One test per inheritance rule and path, each naming its source.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use secctx::well_known as wk;
use secctx::{
    create_security_descriptor, GroupAttributes, Guid, InheritApi, InheritError, InheritRequest,
    NtStatus, ObjectKind, Privilege, SecurityDescriptor, SefFlags, Sid, Token,
};

const USER: &str = "S-1-5-21-1-2-3-1001";

fn sid(s: &str) -> Sid {
    Sid::parse_sddl(s, None).unwrap()
}

fn sd(text: &str) -> SecurityDescriptor {
    SecurityDescriptor::from_sddl(text, None).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn token() -> Token {
    let mut t = Token::new(sid(USER)).with_group(sid("BU"));
    t.primary_group = Some(sid("S-1-5-21-1-2-3-513"));
    t.default_dacl = Some(
        sd("D:(A;;GA;;;SY)(A;;GA;;;S-1-5-21-1-2-3-1001)")
            .dacl
            .unwrap(),
    );
    t
}

/// Creates with `api` and prints the result as SDDL.
fn create(
    api: InheritApi,
    kind: ObjectKind,
    parent: Option<&str>,
    creator: Option<&str>,
    t: &Token,
) -> String {
    let p = parent.map(sd);
    let c = creator.map(sd);
    let mut r = InheritRequest::new(api, kind, t);
    r.parent = p.as_ref();
    r.creator = c.as_ref();
    create_security_descriptor(&r)
        .unwrap()
        .sd
        .to_sddl(None)
        .unwrap()
}

const FOLDER: &str = "O:BAG:SYD:AI(A;OICI;FA;;;BA)(A;OICIIO;GA;;;CO)(A;CI;FR;;;BU)(A;OI;FX;;;WD)";

/// MS-DTYP 2.5.3.4.4 table and CreatePrivateObjectSecurityEx Remarks: a
/// file gets the OI ACEs as effective ACEs without inheritance flags,
/// CREATOR OWNER replaced and GENERIC_ALL mapped; CI-only ACEs skip it.
#[test]
fn file_in_a_folder() {
    let got = create(
        InheritApi::NtCreateFile,
        ObjectKind::File,
        Some(FOLDER),
        None,
        &token(),
    );
    assert_eq!(
        got,
        format!("O:{USER}G:S-1-5-21-1-2-3-513D:AI(A;ID;FA;;;BA)(A;ID;FA;;;{USER})(A;ID;FX;;;WD)")
    );
}

/// The same folder's subfolder: OICI stays one ACE, the generic CREATOR
/// OWNER ACE splits into an effective copy and an inherit-only original, a
/// CI ACE stays CI, an OI ACE becomes inherit-only.
#[test]
fn folder_in_a_folder() {
    let got = create(
        InheritApi::NtCreateFile,
        ObjectKind::Directory,
        Some(FOLDER),
        None,
        &token(),
    );
    assert_eq!(
        got,
        format!("O:{USER}G:S-1-5-21-1-2-3-513D:AI(A;OICIID;FA;;;BA)(A;ID;FA;;;{USER})(A;OICIIOID;GA;;;CO)(A;CIID;FR;;;BU)(A;OIIOID;FX;;;WD)")
    );
}

/// MS-DTYP 2.5.3.4.4 table: NP makes the ACE effective on the child only.
#[test]
fn no_propagate_inherit() {
    let parent = "O:BAG:SYD:AI(A;OICINP;FA;;;BA)(A;CINP;FR;;;BU)(A;OINP;FX;;;WD)";
    let dir = create(
        InheritApi::NtCreateFile,
        ObjectKind::Directory,
        Some(parent),
        None,
        &token(),
    );
    assert!(dir.ends_with("D:AI(A;ID;FA;;;BA)(A;ID;FR;;;BU)"), "{dir}");
    let file = create(
        InheritApi::NtCreateFile,
        ObjectKind::File,
        Some(parent),
        None,
        &token(),
    );
    assert!(file.ends_with("D:AI(A;ID;FA;;;BA)(A;ID;FX;;;WD)"), "{file}");
}

/// MS-DTYP 2.5.3.4: a protected creator DACL takes nothing from the parent.
#[test]
fn protected_creator_dacl_blocks_inheritance() {
    let got = create(
        InheritApi::NtCreateFile,
        ObjectKind::File,
        Some(FOLDER),
        Some("D:P(A;;FA;;;SY)"),
        &token(),
    );
    assert!(got.ends_with("D:PAI(A;;FA;;;SY)"), "{got}");
}

/// CreatePrivateObjectSecurityEx Remarks: with auto-inheritance (here the
/// creator asks with AR) the creator's explicit ACEs come first, then the inherited ones; ACEs the
/// creator marked inherited are dropped (MS-DTYP 2.5.3.4.6), or kept as
/// explicit in a protected ACL.
#[test]
fn explicit_then_inherited_and_stale_inherited_aces() {
    let got = create(
        InheritApi::NtCreateFile,
        ObjectKind::File,
        Some("O:BAG:SYD:AI(A;OICI;FA;;;BA)"),
        Some("D:AR(A;;FR;;;BU)(A;ID;FA;;;WD)"),
        &token(),
    );
    assert!(got.ends_with("D:AI(A;;FR;;;BU)(A;ID;FA;;;BA)"), "{got}");
    let got = create(
        InheritApi::NtCreateFile,
        ObjectKind::File,
        Some("O:BAG:SYD:AI(A;OICI;FA;;;BA)"),
        Some("D:P(A;;FR;;;BU)(A;ID;FA;;;WD)"),
        &token(),
    );
    assert!(got.ends_with("D:PAI(A;;FR;;;BU)(A;;FA;;;WD)"), "{got}");
}

/// MS-DTYP 2.5.3.4.2 and ReactOS SepSelectAcl: with nothing inheritable for
/// this child, the token's default DACL, mapped.
#[test]
fn token_default_dacl_when_nothing_is_inherited() {
    let want = format!("D:AI(A;;FA;;;SY)(A;;FA;;;{USER})");
    for parent in ["O:BAG:SYD:AI(A;;FA;;;BA)", "O:BAG:SYD:AI(A;CI;FA;;;BA)"] {
        let got = create(
            InheritApi::NtCreateFile,
            ObjectKind::File,
            Some(parent),
            None,
            &token(),
        );
        assert!(got.ends_with(&want), "{parent}: {got}");
    }
    // With no default DACL either, no DACL at all.
    let mut t = token();
    t.default_dacl = None;
    let got = create(
        InheritApi::NtCreateFile,
        ObjectKind::File,
        Some("O:BAG:SYD:AI(A;;FA;;;BA)"),
        None,
        &t,
    );
    assert!(!got.contains("D:"), "{got}");
}

/// SeAssignSecurity has no auto-inheritance: no INHERITED_ACE flags, no AI,
/// and an explicit creator DACL takes nothing from the parent.
#[test]
fn classic_se_assign_security() {
    let got = create(
        InheritApi::SeAssignSecurity,
        ObjectKind::File,
        Some(FOLDER),
        None,
        &token(),
    );
    assert!(
        got.ends_with(&format!("D:(A;;FA;;;BA)(A;;FA;;;{USER})(A;;FX;;;WD)")),
        "{got}"
    );
    let got = create(
        InheritApi::SeAssignSecurity,
        ObjectKind::File,
        Some(FOLDER),
        Some("D:(A;;FR;;;BU)"),
        &token(),
    );
    assert!(got.ends_with("D:(A;;FR;;;BU)"), "{got}");
}

/// NtCreateFile: SeComputeAutoInheritByObjectType gives auto-inheritance
/// only for a parent whose ACL is auto-inherited, or a creator asking (AR).
#[test]
fn ntfs_auto_inherits_from_auto_inherited_parents_only() {
    let legacy = "O:BAG:SYD:(A;OICI;FA;;;BA)";
    let got = create(
        InheritApi::NtCreateFile,
        ObjectKind::File,
        Some(legacy),
        None,
        &token(),
    );
    assert!(got.ends_with("D:(A;;FA;;;BA)"), "{got}");
    let got = create(
        InheritApi::NtCreateFile,
        ObjectKind::File,
        Some(legacy),
        Some("D:AR(A;;FR;;;BU)"),
        &token(),
    );
    assert!(got.ends_with("D:AI(A;;FR;;;BU)(A;ID;FA;;;BA)"), "{got}");
}

/// SeAssignSecurityEx follows its flags.
#[test]
fn se_assign_security_ex_flags() {
    let t = token();
    let parent = sd("O:BAG:SYD:(A;OICI;FA;;;BA)S:(AU;OICISA;FA;;;WD)");
    let mut r = InheritRequest::new(InheritApi::SeAssignSecurityEx, ObjectKind::File, &t);
    r.parent = Some(&parent);
    let none = create_security_descriptor(&r)
        .unwrap()
        .sd
        .to_sddl(None)
        .unwrap();
    assert!(none.ends_with("D:(A;;FA;;;BA)S:(AU;SA;FA;;;WD)"), "{none}");
    r.flags = SefFlags(SefFlags::DACL_AUTO_INHERIT.0 | SefFlags::SACL_AUTO_INHERIT.0);
    let auto = create_security_descriptor(&r)
        .unwrap()
        .sd
        .to_sddl(None)
        .unwrap();
    assert!(
        auto.ends_with("D:AI(A;ID;FA;;;BA)S:AI(AU;IDSA;FA;;;WD)"),
        "{auto}"
    );
    // SEF_DEFAULT_OWNER_FROM_PARENT / GROUP.
    r.flags =
        SefFlags(SefFlags::DEFAULT_OWNER_FROM_PARENT.0 | SefFlags::DEFAULT_GROUP_FROM_PARENT.0);
    let from_parent = create_security_descriptor(&r).unwrap().sd;
    assert_eq!(from_parent.owner, Some(wk::BUILTIN_ADMINISTRATORS));
    assert_eq!(from_parent.group, Some(wk::LOCAL_SYSTEM));
    // SEF_MACL_NO_WRITE_UP: a label at the token's level.
    r.flags = SefFlags::MACL_NO_WRITE_UP;
    let labelled = create_security_descriptor(&r)
        .unwrap()
        .sd
        .to_sddl(None)
        .unwrap();
    assert!(labelled.contains("S:(ML;;NW;;;ME)"), "{labelled}");
}

/// CreatePrivateObjectSecurityEx Remarks: the owner must be the token's
/// user or an OWNER group that is not deny-only (SeRestorePrivilege
/// excepted), else STATUS_INVALID_OWNER.
#[test]
fn owner_checks() {
    let t = token();
    let creator = sd("O:BA");
    let mut r = InheritRequest::new(InheritApi::SeAssignSecurityEx, ObjectKind::File, &t);
    r.creator = Some(&creator);
    let e = create_security_descriptor(&r).unwrap_err();
    assert_eq!(
        e,
        InheritError::InvalidOwner {
            owner: wk::BUILTIN_ADMINISTRATORS
        }
    );
    assert_eq!(e.status(), NtStatus::InvalidOwner);
    r.flags = SefFlags::AVOID_OWNER_CHECK;
    assert!(create_security_descriptor(&r).is_ok());
    let owner_group = token().with_group_attributes(
        sid("BA"),
        GroupAttributes::DEFAULT.with(GroupAttributes::OWNER),
    );
    r.token = Some(&owner_group);
    r.flags = SefFlags::default();
    assert!(create_security_descriptor(&r).is_ok());
    let deny_only = token().with_group_attributes(
        sid("BA"),
        GroupAttributes::USE_FOR_DENY_ONLY.with(GroupAttributes::OWNER),
    );
    r.token = Some(&deny_only);
    assert!(create_security_descriptor(&r).is_err());
    let restore = token().with_privilege(Privilege::Restore);
    r.token = Some(&restore);
    assert!(create_security_descriptor(&r).is_ok());
}

/// CreatePrivateObjectSecurityEx Remarks: a creator SACL needs
/// SeSecurityPrivilege unless SEF_AVOID_PRIVILEGE_CHECK; inherited SACL
/// ACEs need nothing.
#[test]
fn creator_sacl_needs_se_security() {
    let t = token();
    let creator = sd("S:(AU;SA;FA;;;WD)");
    let mut r = InheritRequest::new(InheritApi::SeAssignSecurityEx, ObjectKind::File, &t);
    r.creator = Some(&creator);
    let e = create_security_descriptor(&r).unwrap_err();
    assert_eq!(e.status(), NtStatus::PrivilegeNotHeld);
    r.flags = SefFlags::AVOID_PRIVILEGE_CHECK;
    assert!(create_security_descriptor(&r).is_ok());
    let got = create(
        InheritApi::NtCreateFile,
        ObjectKind::File,
        Some("O:BAG:SYD:AI(A;OICI;FA;;;BA)S:AI(AU;OISA;FA;;;WD)"),
        None,
        &t,
    );
    assert!(got.ends_with("S:AI(AU;IDSA;FA;;;WD)"), "{got}");
}

/// With auto-inheritance (here NtCreateFile with a creator asking by AR)
/// the creator's own generic or CREATOR OWNER ACEs are mapped in
/// place, or on a container kept inherit-only followed by the mapped copy
/// (CreatePrivateObjectSecurityEx Remarks; Samba process_user_acl order).
/// The parent's ACE has no OI or CI, so only the creator's ACEs remain.
#[test]
fn creator_generic_aces_split_on_containers_when_auto_inheriting() {
    let parent = Some("O:BAG:SYD:AI(A;;FA;;;BA)");
    let dir = ntfs(
        ObjectKind::Directory,
        parent,
        "D:AR(A;OICI;GA;;;BU)(A;;GR;;;CO)",
    );
    let want = format!("D:AI(A;OICIIO;GA;;;BU)(A;;FA;;;BU)(A;;FR;;;{USER})");
    assert!(dir.ends_with(&want), "{dir}");
    let file = ntfs(ObjectKind::File, parent, "D:AR(A;OICI;GA;;;BU)");
    assert!(file.ends_with("D:AI(A;;FA;;;BU)"), "{file}");
}

/// Without auto-inheritance (NtCreateFile with no auto-inherited parent
/// passes no SEF_*_AUTO_INHERIT, so this is SeAssignSecurity's case) the
/// creator's ACEs stay as given: flags and CREATOR OWNER kept, no split,
/// only the effective ACE's generic rights mapped (ReactOS kmtest
/// SeInheritance, run on Windows: the explicit CREATOR GROUP ACE keeps its
/// SID and flags).
#[test]
fn creator_aces_stay_as_given_without_auto_inheritance() {
    let creator = "D:(A;OICI;GA;;;BU)(A;;GR;;;CO)(A;IO;GW;;;WD)";
    let got = ntfs(ObjectKind::Directory, None, creator);
    let want = "D:(A;OICI;FA;;;BU)(A;;FR;;;CO)(A;IO;GW;;;WD)";
    assert!(got.ends_with(want), "{got}");
}

/// NTFS keeps a creator's DACL as given under an auto-inherited parent:
/// nothing merged, generic ACEs mapped in place with OICI kept, an empty
/// DACL empty; a file made with no descriptor in the new directory inherits
/// with INHERITED_ACE (Wine advapi32 `test_CreateDirectoryA`, run on
/// Windows, in a %TEMP% whose DACL is auto-inherited with OICI ACEs).
#[test]
fn ntfs_keeps_a_given_dacl_as_given_under_an_auto_inherited_parent() {
    let temp = format!("O:{USER}G:SYD:PAI(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;FA;;;{USER})");
    let given = format!("D:(A;OICI;GA;;;{USER})(A;OICI;GA;;;BA)");
    let dir = ntfs(ObjectKind::Directory, Some(&temp), &given);
    let want = format!("D:AI(A;OICI;FA;;;{USER})(A;OICI;FA;;;BA)");
    assert!(dir.ends_with(&want), "{dir}");
    let empty = ntfs(ObjectKind::File, Some(&dir), "D:");
    assert!(empty.ends_with("D:AI"), "{empty}");
    let plain = create(
        InheritApi::NtCreateFile,
        ObjectKind::File,
        Some(&dir),
        None,
        &token(),
    );
    let want = format!("D:AI(A;ID;FA;;;{USER})(A;ID;FA;;;BA)");
    assert!(plain.ends_with(&want), "{plain}");
}

/// NtCreateFile with the usual token and an explicit creator descriptor.
fn ntfs(kind: ObjectKind, parent: Option<&str>, creator: &str) -> String {
    create(
        InheritApi::NtCreateFile,
        kind,
        parent,
        Some(creator),
        &token(),
    )
}

fn guid(n: u8) -> Guid {
    format!("{n:08x}-1111-2222-3333-444444444444")
        .parse()
        .unwrap()
}

/// Active Directory (Samba create_descriptor.c, checked against Windows):
/// InheritedObjectType filters by object class; the default administrators
/// group owns; ACLs are revision 4.
#[test]
fn ds_add_object_classes_and_owner() {
    let user_class = guid(1);
    let group_class = guid(2);
    let domain = "S-1-5-21-9-9-9";
    let mut t = token();
    t.groups
        .push(secctx::TokenGroup::new(sid(&format!("{domain}-512"))));
    let parent = sd(&format!(
        "O:BAG:SYD:AI(OA;CI;RP;;{user_class};AU)(A;CI;GR;;;AU)"
    ));
    for (class, want) in [
        (
            user_class,
            format!("D:AI(OA;CIID;RP;;{user_class};AU)(A;ID;LCRPLORC;;;AU)(A;CIIOID;GR;;;AU)"),
        ),
        (
            group_class,
            format!("D:AI(OA;CIIOID;RP;;{user_class};AU)(A;ID;LCRPLORC;;;AU)(A;CIIOID;GR;;;AU)"),
        ),
    ] {
        let mut r = InheritRequest::new(InheritApi::DsAdd, ObjectKind::DirectoryService, &t);
        r.parent = Some(&parent);
        r.object_class = Some(class);
        let out = create_security_descriptor(&r).unwrap();
        let text = out.sd.to_sddl(None).unwrap();
        assert_eq!(
            text,
            format!("O:{domain}-512G:{domain}-512{want}"),
            "{class}"
        );
        assert_eq!(out.sd.dacl.as_ref().unwrap().revision.0, 4);
        assert!(out.sd.control.contains(secctx::Control::OWNER_DEFAULTED));
    }
    let mut r = InheritRequest::new(InheritApi::DsAdd, ObjectKind::DirectoryService, &t);
    r.parent = Some(&parent);
    assert_eq!(
        create_security_descriptor(&r).unwrap_err(),
        InheritError::MissingObjectClass
    );
}

/// The registry: a key is always a container.
#[test]
fn registry_keys_are_containers() {
    let got = create(
        InheritApi::Registry,
        ObjectKind::Key,
        Some("O:BAG:SYD:AI(A;CI;KR;;;BU)"),
        None,
        &token(),
    );
    assert!(got.ends_with("D:AI(A;CIID;KR;;;BU)"), "{got}");
}

/// The explanation records where each ACE came from.
#[test]
fn origins_are_recorded() {
    let t = token();
    let parent = sd(FOLDER);
    let creator = sd("D:AR(A;;FR;;;BU)");
    let mut r = InheritRequest::new(InheritApi::NtCreateFile, ObjectKind::Directory, &t);
    r.parent = Some(&parent);
    r.creator = Some(&creator);
    let out = create_security_descriptor(&r).unwrap();
    let names: Vec<String> = out.dacl_origins.iter().map(|o| o.to_string()).collect();
    assert_eq!(names[0], "creator ACE #0");
    assert_eq!(names[1], "inherited from parent ACE #0");
    assert_eq!(names[2], "inherited from parent ACE #1, effective copy");
    assert_eq!(names[3], "inherited from parent ACE #1");
    assert_eq!(out.dacl_origins.len(), out.sd.dacl.unwrap().aces.len());
}
