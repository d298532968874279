//! The AccessCheck calls (AccessCheck, AccessCheckByType,
//! AccessCheckByTypeResultList): the order in which they refuse their
//! arguments, what each node of a result list reports, and the rules no
//! recorded case covers yet, each test citing its source. Every answer is
//! asked of both evaluators, the fast one and the reference, which must
//! agree.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod access_support;

use access_support::{req as file_req, sd, sid, token, OTHER, USER};

use secctx::compiled::call_arguments;
use secctx::reference::naive_access_check;
use secctx::rights::{file, key};
use secctx::{
    access_check, AccessDecision, AccessError, AccessMask, AccessRequest, GenericMapping,
    GroupAttributes, Guid, IntegrityLevel, NtStatus, ObjectKind, ObjectTypeNode, Privilege, Token,
};

const RC: u32 = AccessMask::READ_CONTROL.0;
const WD: u32 = AccessMask::WRITE_DAC.0;
const WO: u32 = AccessMask::WRITE_OWNER.0;
const DELETE: u32 = AccessMask::DELETE.0;
const ASS: u32 = AccessMask::ACCESS_SYSTEM_SECURITY.0;
const MAX: u32 = AccessMask::MAXIMUM_ALLOWED.0;
const GR: u32 = AccessMask::GENERIC_READ.0;
/// ADS_RIGHT_DS_READ_PROP.
const RP: u32 = 0x10;

fn guid(n: u8) -> Guid {
    format!("{n:08x}-0000-0000-0000-000000000000")
        .parse()
        .unwrap()
}

/// Levels in pre-order, GUIDs 1, 2, ...
fn list(levels: &[u16]) -> Vec<ObjectTypeNode> {
    let node = |(&level, n)| ObjectTypeNode {
        level,
        guid: guid(n),
    };
    levels.iter().zip(1u8..).map(node).collect()
}

/// Asks both evaluators; they must give the same answer or the same error.
fn both(t: &Token, text: &str, r: &AccessRequest<'_>) -> Result<AccessDecision, AccessError> {
    let s = sd(text);
    let fast = access_check(t, &s, r);
    let reference = naive_access_check(t, &s, r);
    match (&fast, &reference) {
        // The reasons are worded apart; the status must agree.
        (Err(f), Err(g)) => assert_eq!(f.status(), g.status(), "{f} / {g} on {text}"),
        _ => assert_eq!(fast, reference, "fast and reference disagree on {text}"),
    }
    fast
}

fn ask(t: &Token, text: &str, r: &AccessRequest<'_>) -> AccessDecision {
    both(t, text, r).unwrap()
}

/// The status and granted access of a decision.
fn answer(d: &AccessDecision) -> (NtStatus, u32) {
    (d.status, d.granted.0)
}

/// The answers of both evaluators to each file request in `asks`.
fn file_answers(t: &Token, text: &str, asks: &[u32]) -> Vec<(NtStatus, u32)> {
    asks.iter()
        .map(|&d| answer(&ask(t, text, &file_req(d))))
        .collect()
}

/// Each node's status and what it holds.
fn nodes(d: &AccessDecision) -> Vec<(NtStatus, u32)> {
    d.results.iter().map(|r| (r.status, r.granted.0)).collect()
}

const OK: NtStatus = NtStatus::Success;
const NO: NtStatus = NtStatus::AccessDenied;

// ---- the order of the refusals ---------------------------------------------

/// A result list without an object-type list is STATUS_INVALID_PARAMETER,
/// before generic bits and before the descriptor: ReactOS `SepAccessCheck`
/// refuses the empty list while probing its output arrays, and the ReactOS
/// apitest `NtAccessCheckByTypeResultList` (ParamValidationNoObjsList)
/// records it with a descriptor that has no owner and no group.
#[test]
fn a_result_list_without_a_list_is_refused_first() {
    let r = AccessRequest::new(AccessMask(GR)).with_object_types(&[], true);
    let e = both(&token(), "G:SYD:", &r).unwrap_err();
    assert_eq!(e, AccessError::ResultListWithoutObjectTypes);
    assert_eq!(e.status(), NtStatus::InvalidParameter);
    assert_eq!(
        call_arguments(&r),
        Err(AccessError::ResultListWithoutObjectTypes)
    );
}

/// The AccessCheck API refuses any generic bit in DesiredAccess with
/// STATUS_GENERIC_NOT_MAPPED, even with a mapping: the "AccessCheck" page
/// says the mask must have been mapped by MapGenericMask, and Wine's
/// `test_AccessCheck` ("Generic access mask", run on Windows) records
/// ERROR_GENERIC_NOT_MAPPED for GENERIC_READ with a mapping.
#[test]
fn the_api_refuses_generic_bits_even_with_a_mapping() {
    let r = file_req(GR);
    let e = call_arguments(&r).unwrap_err();
    assert_eq!(e.status(), NtStatus::GenericNotMapped);
    assert!(call_arguments(&file_req(file::GENERIC_READ)).is_ok());
}

/// Generic bits without a mapping come before the object-type list and
/// the descriptor (ReactOS `SepAccessCheck`: the generic check precedes
/// the token, the list and the descriptor).
#[test]
fn generic_bits_come_before_the_list_and_the_descriptor() {
    let bad = list(&[0, 2]);
    let r = AccessRequest::new(AccessMask(GR)).with_object_types(&bad, false);
    let e = both(&token(), "G:SYD:", &r).unwrap_err();
    assert_eq!(e.status(), NtStatus::GenericNotMapped);
}

/// An invalid object-type list is STATUS_INVALID_PARAMETER before an
/// invalid descriptor's STATUS_INVALID_SECURITY_DESCR: ReactOS
/// `SepAccessCheck` captures the list (SeCaptureObjectTypeList) before the
/// descriptor (SeCaptureSecurityDescriptor, then the owner and group).
#[test]
fn the_object_type_list_comes_before_the_descriptor() {
    let bad = list(&[0, 2]);
    let r = file_req(file::READ_DATA).with_object_types(&bad, false);
    let e = both(&token(), "G:SYD:(A;;FR;;;WD)", &r).unwrap_err();
    assert_eq!(e.status(), NtStatus::InvalidParameter);
    // A valid list leaves the descriptor's own refusal.
    let good = list(&[0, 1]);
    let r = file_req(file::READ_DATA).with_object_types(&good, false);
    let e = both(&token(), "G:SYD:(A;;FR;;;WD)", &r).unwrap_err();
    assert_eq!(e.status(), NtStatus::InvalidSecurityDescr);
}

// ---- result lists ----------------------------------------------------------

/// Each denied node of a result list reports the rights it holds anyway:
/// the ReactOS apitest `NtAccessCheckByTypeResultList` (DenyAccessTests)
/// asks KEY_READ as the owner of a key whose DACL denies KEY_READ to the
/// object, and every node answers STATUS_ACCESS_DENIED with READ_CONTROL
/// (the owner's implicit right, MS-DTYP 2.5.3.2). The call's own answer
/// (the root's, as AccessCheckByType gives it) stays 0.
#[test]
fn denied_nodes_report_the_owner_rights_they_hold() {
    let tree = list(&[0, 1, 2, 2, 1, 2]);
    let text = format!("O:{USER}G:BAD:(OD;;KR;{};;WD)", guid(1));
    let r = AccessRequest::new(AccessMask(key::READ))
        .for_kind(ObjectKind::Key)
        .with_object_types(&tree, true);
    let d = ask(&token(), &text, &r);
    assert_eq!(nodes(&d), vec![(NO, RC); 6]);
    assert_eq!(answer(&d), (NO, 0));
    // AccessCheckByType (no result list) reports 0 on a denial.
    let r = r.with_object_types(&tree, false);
    assert_eq!(answer(&ask(&token(), &text, &r)), (NO, 0));
}

/// Rights granted by privileges before the DACL are held by a denied node
/// too: SePrivilegePolicyCheck puts WRITE_OWNER (SeTakeOwnershipPrivilege)
/// and ACCESS_SYSTEM_SECURITY (SeSecurityPrivilege) in the previously
/// granted access, which ReactOS `SepAccessCheckWorker` reports with each
/// node's grant; SeBackupPrivilege grants its read set with backup intent
/// (IopCheckBackupRestorePrivilege).
#[test]
fn denied_nodes_report_the_privilege_grants_they_hold() {
    let tree = list(&[0, 1]);
    let text = "O:BAG:BAD:";
    let r = |desired: u32| file_req(desired).with_object_types(&tree, true);
    let t = token().with_privilege(Privilege::TakeOwnership);
    let d = ask(&t, text, &r(WO | file::READ_DATA));
    assert_eq!(nodes(&d), vec![(NO, WO); 2]);
    let t = token().with_privilege(Privilege::Security);
    let d = ask(&t, text, &r(ASS | file::READ_DATA));
    assert_eq!(nodes(&d), vec![(NO, ASS); 2]);
    let t = token().with_privilege(Privilege::Backup);
    let d = ask(
        &t,
        text,
        &r(file::READ_DATA | file::WRITE_DATA).with_backup_intent(),
    );
    assert_eq!(nodes(&d), vec![(NO, file::READ_DATA); 2]);
}

/// A deny ends a node's check but not what later allow ACEs grant it: a
/// result-list node keeps every right no earlier ACE denied (ReactOS
/// `SepAllowAccessObjectTypeResultList` grants `mask & ~denied`), so it
/// reports the part it was granted.
#[test]
fn a_denied_node_keeps_what_later_aces_grant() {
    let tree = list(&[0, 1]);
    let text = "O:BAG:BAD:(D;;0x2;;;WD)(A;;0x1;;;WD)";
    let r = file_req(file::READ_DATA | file::WRITE_DATA).with_object_types(&tree, true);
    let d = ask(&token(), text, &r);
    assert_eq!(nodes(&d), vec![(NO, file::READ_DATA); 2]);
    // The same DACL grants READ_DATA alone.
    let r = file_req(file::READ_DATA).with_object_types(&tree, true);
    assert_eq!(
        nodes(&ask(&token(), text, &r)),
        vec![(OK, file::READ_DATA); 2]
    );
}

// ---- rules no recorded case covers yet --------------------------------------

/// WRITE_RESTRICTED (the "CreateRestrictedToken" page: the restricting SIDs
/// "are considered only when evaluating write access"): the restricted pass
/// covers the rights the mapping's GenericWrite names, with the standard
/// write rights (DELETE, WRITE_DAC, WRITE_OWNER), and no others. Here the
/// restricting SID (Everyone) is granted nothing, so every write right is
/// denied and every other right passes.
#[test]
fn write_restricted_tokens_restrict_only_generic_write_rights() {
    let mut t = token().with_restricted_sids(&[sid("WD")]);
    t.write_restricted = true;
    // A mapping whose GenericWrite is 0x2 only.
    let m = GenericMapping::new(0x1, 0x2, 0x4, 0xf);
    let text = format!("O:BAG:BAD:(A;;0x1f000f;;;{USER})");
    let r = |d: u32| AccessRequest::new(AccessMask(d)).with_mapping(m);
    assert_eq!(answer(&ask(&t, &text, &r(0x1))), (OK, 0x1));
    assert_eq!(answer(&ask(&t, &text, &r(0x4))), (OK, 0x4));
    assert_eq!(
        answer(&ask(&t, &text, &r(0x8))),
        (OK, 0x8),
        "0x8 is not write"
    );
    assert_eq!(answer(&ask(&t, &text, &r(0x2))), (NO, 0));
    for std_write in [DELETE, WD, WO] {
        assert_eq!(answer(&ask(&t, &text, &r(std_write))), (NO, 0));
    }
    // MAXIMUM_ALLOWED keeps all but the write rights.
    assert_eq!(
        answer(&ask(&t, &text, &r(MAX))),
        (OK, 0x1f000f & !(0x2 | DELETE | WD | WO))
    );
    // Granted to the restricting SID too, the write rights pass.
    let text = format!("O:BAG:BAD:(A;;0x1f000f;;;{USER})(A;;0x2;;;WD)");
    assert_eq!(answer(&ask(&t, &text, &r(0x2))), (OK, 0x2));
}

/// SYSTEM_MANDATORY_LABEL_NO_READ_UP and NO_EXECUTE_UP (MS-DTYP 2.4.4.13,
/// the mandatory check of 2.5.3.3): a token below the label's level loses
/// the mapping's GenericRead (NR) or GenericExecute (NX) rights; a policy
/// without NO_WRITE_UP leaves the write rights to the DACL.
#[test]
fn no_read_up_and_no_execute_up_labels() {
    let t = token().with_integrity(IntegrityLevel::LOW);
    let asks = [file::READ_DATA, file::WRITE_DATA, file::EXECUTE];
    let nr = "O:BAG:BAD:(A;;FA;;;WD)S:(ML;;NR;;;ME)";
    assert_eq!(
        file_answers(&t, nr, &asks),
        [(NO, 0), (OK, file::WRITE_DATA), (OK, file::EXECUTE)]
    );
    let nx = "O:BAG:BAD:(A;;FA;;;WD)S:(ML;;NX;;;ME)";
    assert_eq!(
        file_answers(&t, nx, &asks),
        [(OK, file::READ_DATA), (OK, file::WRITE_DATA), (NO, 0)]
    );
    // All three policies: nothing in the mapping's sets is left.
    let all = "O:BAG:BAD:(A;;FA;;;WD)S:(ML;;NRNWNX;;;ME)";
    assert_eq!(file_answers(&t, all, &asks), [(NO, 0); 3]);
    // A Medium token dominates the label and is not limited.
    assert_eq!(
        file_answers(&token(), all, &[file::ALL_ACCESS]),
        [(OK, file::ALL_ACCESS)]
    );
}

/// An object without a label is Medium with NO_WRITE_UP (the "Mandatory
/// Integrity Control" page: objects without a label are treated as Medium;
/// MS-DTYP 2.5.3.3): a Low token may read and execute but not write, even
/// with a DACL that grants everything; MAXIMUM_ALLOWED gives it only the
/// read and execute sets of the mapping.
#[test]
fn a_low_token_against_an_unlabelled_object() {
    let t = token().with_integrity(IntegrityLevel::LOW);
    let text = "O:BAG:BAD:(A;;FA;;;WD)";
    assert_eq!(
        answer(&ask(&t, text, &file_req(file::GENERIC_READ))),
        (OK, file::GENERIC_READ)
    );
    assert_eq!(
        answer(&ask(&t, text, &file_req(file::GENERIC_EXECUTE))),
        (OK, file::GENERIC_EXECUTE)
    );
    assert_eq!(answer(&ask(&t, text, &file_req(file::WRITE_DATA))), (NO, 0));
    assert_eq!(
        answer(&ask(&t, text, &file_req(file::APPEND_DATA))),
        (NO, 0)
    );
    assert_eq!(
        answer(&ask(&t, text, &file_req(MAX))),
        (OK, file::GENERIC_READ | file::GENERIC_EXECUTE)
    );
    // The same object at Medium: write allowed.
    let medium = token();
    assert_eq!(
        answer(&ask(&medium, text, &file_req(file::WRITE_DATA))),
        (OK, file::WRITE_DATA)
    );
}

/// SeTakeOwnershipPrivilege with MAXIMUM_ALLOWED grants WRITE_OWNER
/// whatever the DACL (the "Privilege Constants" page: "Required to take
/// ownership of an object without being granted discretionary access";
/// Forshaw, ch. 7, Resolve-TokenPrivilegeAccess: MAXIMUM_ALLOWED counts as
/// asking for it), and the privilege is recorded as used.
#[test]
fn take_ownership_with_maximum_allowed() {
    let t = token().with_privilege(Privilege::TakeOwnership);
    let d = ask(&t, "O:BAG:BAD:", &file_req(MAX));
    assert_eq!(answer(&d), (OK, WO));
    assert!(d.privileges_used.contains(Privilege::TakeOwnership));
    // Added to what the DACL grants.
    let d = ask(&t, "O:BAG:BAD:(A;;FR;;;WD)", &file_req(MAX));
    assert_eq!(answer(&d), (OK, WO | file::GENERIC_READ));
    // Without the privilege, MAXIMUM_ALLOWED on an empty DACL is denied.
    assert_eq!(
        answer(&ask(&token(), "O:BAG:BAD:", &file_req(MAX))),
        (NO, 0)
    );
}

/// SeBackupPrivilege and SeRestorePrivilege with MAXIMUM_ALLOWED and backup
/// intent (FILE_FLAG_BACKUP_SEMANTICS) grant their whole sets: backup
/// READ_CONTROL, FILE_GENERIC_READ and FILE_TRAVERSE; restore WRITE_DAC,
/// WRITE_OWNER, DELETE, FILE_GENERIC_WRITE, FILE_ADD_FILE and
/// FILE_ADD_SUBDIRECTORY (IopCheckBackupRestorePrivilege; the "Privilege
/// Constants" page); ACCESS_SYSTEM_SECURITY only when asked. Without backup
/// intent they grant nothing.
#[test]
fn backup_and_restore_with_maximum_allowed() {
    let backup_set = RC | file::GENERIC_READ | file::EXECUTE;
    let restore_set = WD | WO | DELETE | file::GENERIC_WRITE | file::WRITE_DATA | file::APPEND_DATA;
    let text = "O:BAG:BAD:";
    let t = token().with_privilege(Privilege::Backup);
    let d = ask(&t, text, &file_req(MAX).with_backup_intent());
    assert_eq!(answer(&d), (OK, backup_set));
    assert!(d.privileges_used.contains(Privilege::Backup));
    let t = token().with_privilege(Privilege::Restore);
    let d = ask(&t, text, &file_req(MAX).with_backup_intent());
    assert_eq!(answer(&d), (OK, restore_set));
    assert!(d.privileges_used.contains(Privilege::Restore));
    let t = token()
        .with_privilege(Privilege::Backup)
        .with_privilege(Privilege::Restore);
    let d = ask(&t, text, &file_req(MAX).with_backup_intent());
    assert_eq!(answer(&d), (OK, backup_set | restore_set));
    // Without backup intent: nothing.
    assert_eq!(answer(&ask(&t, text, &file_req(MAX))), (NO, 0));
}

/// PRINCIPAL_SELF (S-1-5-10) in an object ACE stands for the PrincipalSelfSid
/// argument (the "AccessCheckByType" page, PrincipalSelfSid; MS-DTYP
/// 2.5.3.2, PrincipalSelfSubst): the ACE applies when the caller's token
/// holds that SID, and without the argument it applies only to a token
/// holding S-1-5-10 itself.
#[test]
fn principal_self_in_object_aces() {
    let tree = list(&[0, 1, 1]);
    let text = format!("O:BAG:BAD:(OA;;RP;{};;PS)", guid(2));
    let base = AccessRequest::new(AccessMask(RP))
        .for_kind(ObjectKind::DirectoryService)
        .with_object_types(&tree, true);
    let me = ask(&token(), &text, &base.with_self_sid(sid(USER)));
    assert_eq!(nodes(&me), vec![(NO, 0), (OK, RP), (NO, 0)]);
    let other = ask(&token(), &text, &base.with_self_sid(sid(OTHER)));
    assert_eq!(nodes(&other), vec![(NO, 0); 3]);
    let none = ask(&token(), &text, &base);
    assert_eq!(nodes(&none), vec![(NO, 0); 3]);
    let holds_self = token().with_group(sid("PS"));
    assert_eq!(
        nodes(&ask(&holds_self, &text, &base)),
        vec![(NO, 0), (OK, RP), (NO, 0)]
    );
}

/// A deny-only group (SE_GROUP_USE_FOR_DENY_ONLY, the "SID Attributes in an
/// Access Token" page; MS-DTYP 2.5.3.1.1, SidInToken with a deny ACE) is
/// matched by access-denied ACEs and ignored by access-allowed ones, object
/// ACEs included.
#[test]
fn deny_only_groups_match_deny_aces_and_not_allow_aces() {
    let t = Token::new(sid(USER))
        .with_group(sid("WD"))
        .with_group_attributes(sid("BU"), GroupAttributes::USE_FOR_DENY_ONLY);
    // The deny applies.
    let text = "O:BAG:BAD:(D;;0x2;;;BU)(A;;FA;;;WD)";
    assert_eq!(
        file_answers(&t, text, &[file::WRITE_DATA, file::READ_DATA]),
        [(NO, 0), (OK, file::READ_DATA)]
    );
    // The allow is ignored.
    let text = "O:BAG:BAD:(A;;FA;;;BU)";
    assert_eq!(
        file_answers(&t, text, &[file::READ_DATA, MAX]),
        [(NO, 0), (NO, 0)]
    );
    // Object ACEs alike.
    let tree = list(&[0, 1]);
    let text = format!(
        "O:BAG:BAD:(OD;;RP;{};;BU)(OA;;RP;{};;BU)(A;;RP;;;WD)",
        guid(2),
        guid(1)
    );
    let r = AccessRequest::new(AccessMask(RP))
        .for_kind(ObjectKind::DirectoryService)
        .with_object_types(&tree, true);
    assert_eq!(nodes(&ask(&t, &text, &r)), vec![(NO, 0), (NO, 0)]);
    let text = format!("O:BAG:BAD:(OA;;RP;{};;BU)", guid(1));
    assert_eq!(nodes(&ask(&t, &text, &r)), vec![(NO, 0), (NO, 0)]);
}
