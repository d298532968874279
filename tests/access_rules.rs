//! One test per access-check rule, each naming its rule and source.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod access_support;

use access_support::{req, sd, sid, token, OTHER, USER};

use secctx::rights::file;
use secctx::trace::{AceOutcome, Step};
use secctx::{
    access_check, access_check_explained, AccessDecision, AccessError, AccessMask, AccessRequest,
    GroupAttributes, Guid, IntegrityLevel, MandatoryPolicy, NtStatus, ObjectKind, ObjectTypeNode,
    Privilege, Token, TokenGroup,
};

const FR: u32 = file::GENERIC_READ;
const FW: u32 = file::GENERIC_WRITE;
const FA: u32 = file::ALL_ACCESS;
const RC: u32 = AccessMask::READ_CONTROL.0;
const WD: u32 = AccessMask::WRITE_DAC.0;
const WO: u32 = AccessMask::WRITE_OWNER.0;
const ASS: u32 = AccessMask::ACCESS_SYSTEM_SECURITY.0;
const MAX: u32 = AccessMask::MAXIMUM_ALLOWED.0;

fn check(t: &Token, text: &str, desired: u32) -> AccessDecision {
    access_check(t, &sd(text), &req(desired)).unwrap()
}

fn granted(d: &AccessDecision) -> u32 {
    assert_eq!(d.status, NtStatus::Success, "{d:?}");
    d.granted.0
}

fn denied(d: &AccessDecision) {
    assert_eq!(d.status, NtStatus::AccessDenied, "{d:?}");
    assert_eq!(
        d.granted.0, 0,
        "granted is 0 on failure, as Windows reports"
    );
}

// ---- desired access --------------------------------------------------------

/// MS-DTYP 2.5.3.2 / RtlMapGenericMask: generic bits in the desired access
/// are mapped with the object's mapping.
#[test]
fn generic_desired_access_is_mapped() {
    let d = check(
        &token(),
        "O:BAG:BAD:(A;;FR;;;WD)",
        AccessMask::GENERIC_READ.0,
    );
    assert_eq!(granted(&d), FR);
}

/// NtAccessCheck: generic bits without a mapping are refused with
/// STATUS_GENERIC_NOT_MAPPED.
#[test]
fn generic_bits_without_a_mapping_are_refused() {
    let r = AccessRequest::new(AccessMask::GENERIC_READ);
    let e = access_check(&token(), &sd("O:BAG:BAD:(A;;FR;;;WD)"), &r).unwrap_err();
    assert!(matches!(e, AccessError::GenericNotMapped { .. }));
    assert_eq!(e.status(), NtStatus::GenericNotMapped);
    // Specific bits need no mapping.
    let r = AccessRequest::new(AccessMask(file::READ_DATA));
    let d = access_check(&token(), &sd("O:BAG:BAD:(A;;FR;;;WD)"), &r).unwrap();
    assert_eq!(granted(&d), file::READ_DATA);
}

/// Forshaw, Windows Security Internals ch. 7: ACE masks are not mapped
/// during the check; an ACE holding GENERIC_ALL grants no specific right.
#[test]
fn generic_bits_in_ace_masks_are_not_mapped() {
    let d = access_check_explained(
        &token(),
        &sd("O:BAG:BAD:(A;;GA;;;WD)"),
        &req(file::READ_DATA),
    )
    .unwrap();
    denied(&d);
    let trace = d.trace.unwrap();
    assert!(
        trace.render().contains("does not map"),
        "{}",
        trace.render()
    );
}

/// SeAccessCheck: asking for no access is denied.
#[test]
fn empty_request_is_denied() {
    denied(&check(&token(), "O:BAG:BAD:NO_ACCESS_CONTROL", 0));
}

/// AccessCheck requires an owner and a group: STATUS_INVALID_SECURITY_DESCR.
#[test]
fn descriptor_without_owner_or_group_is_invalid() {
    for text in ["G:BAD:(A;;FA;;;WD)", "O:BAD:(A;;FA;;;WD)"] {
        let e = access_check(&token(), &sd(text), &req(FR)).unwrap_err();
        assert_eq!(e.status(), NtStatus::InvalidSecurityDescr, "{text}");
    }
}

// ---- null and empty DACLs --------------------------------------------------

/// MS-DTYP 2.5.3.2: a null DACL grants everything asked; MAXIMUM_ALLOWED
/// gets the mapping's GENERIC_ALL.
#[test]
fn null_dacl_grants_everything() {
    assert_eq!(
        granted(&check(&token(), "O:BAG:BAD:NO_ACCESS_CONTROL", FW | 0x8000)),
        FW | 0x8000
    );
    assert_eq!(
        granted(&check(&token(), "O:BAG:BA", FR)),
        FR,
        "an absent DACL too"
    );
    assert_eq!(
        granted(&check(&token(), "O:BAG:BAD:NO_ACCESS_CONTROL", MAX)),
        FA
    );
}

/// MS-DTYP 2.5.3.2: an empty DACL grants nothing, but owner rights still
/// apply.
#[test]
fn empty_dacl_grants_only_owner_rights() {
    denied(&check(&token(), "O:BAG:BAD:", FR));
    let owner = format!("O:{USER}G:BAD:");
    assert_eq!(granted(&check(&token(), &owner, RC | WD)), RC | WD);
    denied(&check(&token(), &owner, RC | file::READ_DATA));
    assert_eq!(granted(&check(&token(), &owner, MAX)), RC | WD);
}

// ---- ACE order and deny ----------------------------------------------------

/// MS-DTYP 2.5.3.2: ACEs are evaluated in stored order; a deny after an
/// allow that already granted the bits has no effect.
#[test]
fn deny_after_allow_has_no_effect() {
    assert_eq!(
        granted(&check(&token(), "O:BAG:BAD:(A;;FR;;;WD)(D;;FR;;;WD)", FR)),
        FR
    );
    denied(&check(&token(), "O:BAG:BAD:(D;;FR;;;WD)(A;;FR;;;WD)", FR));
}

/// MS-DTYP 2.5.3.2: a deny ACE denies only if it names a bit still wanted.
#[test]
fn deny_of_bits_still_wanted_ends_the_check() {
    // FILE_READ_DATA granted first, then FILE_WRITE_DATA still wanted is denied.
    let t = token();
    let text = "O:BAG:BAD:(A;;0x1;;;WD)(D;;0x2;;;WD)(A;;0x2;;;WD)";
    denied(&check(&t, text, 0x3));
    assert_eq!(granted(&check(&t, text, 0x1)), 0x1);
}

/// MS-DTYP 2.5.3.2: inherit-only ACEs are skipped.
#[test]
fn inherit_only_aces_are_skipped() {
    denied(&check(&token(), "O:BAG:BAD:(A;IO;FR;;;WD)", FR));
    assert_eq!(
        granted(&check(
            &token(),
            "O:BAG:BAD:(D;OICIIO;FR;;;WD)(A;;FR;;;WD)",
            FR
        )),
        FR
    );
}

// ---- MAXIMUM_ALLOWED ------------------------------------------------------

/// MS-DTYP 2.5.3.2: with MAXIMUM_ALLOWED each bit is decided by the first
/// ACE that names it.
#[test]
fn maximum_allowed_takes_each_bit_from_its_first_ace() {
    let d = check(
        &token(),
        "O:BAG:BAD:(A;;0x3;;;WD)(D;;0x6;;;WD)(A;;0xf;;;WD)",
        MAX,
    );
    assert_eq!(granted(&d), 0x3 | 0x8);
}

/// A MAXIMUM_ALLOWED request that grants nothing is STATUS_ACCESS_DENIED.
#[test]
fn maximum_allowed_granting_nothing_is_denied() {
    denied(&check(&token(), "O:BAG:BAD:(A;;FA;;;BA)", MAX));
    denied(&check(&token(), "O:BAG:BAD:", MAX));
}

/// Explicit bits asked alongside MAXIMUM_ALLOWED must all be granted.
#[test]
fn maximum_allowed_with_explicit_bits() {
    let text = "O:BAG:BAD:(A;;0x1;;;WD)";
    assert_eq!(granted(&check(&token(), text, MAX | 0x1)), 0x1);
    denied(&check(&token(), text, MAX | 0x2));
}

// ---- groups ---------------------------------------------------------------

/// MS-DTYP 2.5.3.2: a deny-only group matches deny ACEs but never allow
/// ACEs.
#[test]
fn deny_only_groups_match_deny_aces_only() {
    let t = token().with_group_attributes(sid("BA"), GroupAttributes::USE_FOR_DENY_ONLY);
    denied(&check(&t, "O:BAG:BAD:(A;;FA;;;BA)", FR));
    denied(&check(&t, "O:BAG:BAD:(D;;FA;;;BA)(A;;FA;;;WD)", FR));
    let d = access_check_explained(&t, &sd("O:BAG:BAD:(A;;FA;;;BA)"), &req(FR)).unwrap();
    let outcome = d.trace.unwrap().steps.into_iter().find_map(|s| match s {
        Step::Ace { outcome, .. } => Some(outcome),
        _ => None,
    });
    assert_eq!(outcome, Some(AceOutcome::DenyOnly));
}

/// MS-DTYP 2.5.3.2: a disabled group matches nothing, not even deny ACEs.
#[test]
fn disabled_groups_match_nothing() {
    let t = token().with_group_attributes(sid("BA"), GroupAttributes::MANDATORY);
    assert_eq!(
        granted(&check(&t, "O:BAG:BAD:(D;;FA;;;BA)(A;;FR;;;WD)", FR)),
        FR
    );
    denied(&check(&t, "O:BAG:BAD:(A;;FA;;;BA)", FR));
}

// ---- owner ----------------------------------------------------------------

/// MS-DTYP 2.5.3.2: the owner implicitly gets READ_CONTROL and WRITE_DAC,
/// even past a deny ACE.
#[test]
fn owner_gets_read_control_and_write_dac() {
    let text = format!("O:{USER}G:BAD:(D;;FA;;;WD)");
    assert_eq!(granted(&check(&token(), &text, RC | WD)), RC | WD);
    denied(&check(&token(), &text, RC | WO));
}

/// MS-DTYP 2.5.3.2: an OWNER RIGHTS (S-1-3-4) ACE replaces the owner's
/// implicit rights with its own mask.
#[test]
fn owner_rights_ace_replaces_implicit_rights() {
    let text = format!("O:{USER}G:BAD:(A;;RC;;;OW)");
    assert_eq!(granted(&check(&token(), &text, RC)), RC);
    denied(&check(&token(), &text, WD));
    // OWNER RIGHTS applies to the owner only.
    let text = format!("O:{OTHER}G:BAD:(A;;RC;;;OW)");
    denied(&check(&token(), &text, RC));
}

/// An inherit-only OWNER RIGHTS ACE does not replace the implicit rights.
#[test]
fn inherit_only_owner_rights_ace_keeps_implicit_rights() {
    let text = format!("O:{USER}G:BAD:(A;OICIIO;RC;;;OW)");
    assert_eq!(granted(&check(&token(), &text, RC | WD)), RC | WD);
}

/// A deny-only owner SID is not the owner for implicit rights
/// (SepTokenIsOwner needs the SID enabled).
#[test]
fn deny_only_owner_gets_no_implicit_rights() {
    let mut t = token();
    t.user.attributes = GroupAttributes::USE_FOR_DENY_ONLY;
    denied(&check(&t, &format!("O:{USER}G:BAD:"), RC));
    let t = token().with_group_attributes(sid("BA"), GroupAttributes::USE_FOR_DENY_ONLY);
    denied(&check(&t, "O:BAG:BAD:", WD));
}

// ---- restricted tokens -----------------------------------------------------

/// MS-DTYP 2.5.3.2: a restricted token needs the access from both the
/// normal pass and a pass over its restricting SIDs.
#[test]
fn restricted_token_needs_both_passes() {
    let t = token().with_restricted_sids(&[sid("WD")]);
    denied(&check(&t, &format!("O:BAG:BAD:(A;;FR;;;{USER})"), FR));
    assert_eq!(
        granted(&check(
            &t,
            &format!("O:BAG:BAD:(A;;FR;;;{USER})(A;;FR;;;WD)"),
            FR
        )),
        FR
    );
    // A deny in the restricted pass denies.
    denied(&check(
        &t,
        "O:BAG:BAD:(A;;FR;;;BU)(D;;FR;;;WD)(A;;FR;;;WD)",
        FR,
    ));
    // MAXIMUM_ALLOWED intersects the passes.
    let text = format!("O:BAG:BAD:(A;;0x3;;;{USER})(A;;0x6;;;WD)");
    assert_eq!(granted(&check(&t, &text, MAX)), 0x6);
}

/// Forshaw ch. 7 (Resolve-TokenOwnerAccess): a restricted token gets owner
/// rights only if the owner is also a restricting SID.
#[test]
fn restricted_token_whose_owner_is_not_restricted() {
    let t = token().with_restricted_sids(&[sid("WD")]);
    denied(&check(&t, &format!("O:{USER}G:BAD:"), RC));
    let t = token().with_restricted_sids(&[sid(USER)]);
    assert_eq!(granted(&check(&t, &format!("O:{USER}G:BAD:"), RC)), RC);
}

/// A write-restricted token takes the restricted pass for write bits only.
#[test]
fn write_restricted_token_restricts_write_only() {
    let mut t = token().with_restricted_sids(&[sid("WD")]);
    t.write_restricted = true;
    let text = format!("O:BAG:BAD:(A;;FA;;;{USER})");
    assert_eq!(granted(&check(&t, &text, FR)), FR);
    denied(&check(&t, &text, FW));
    let m = granted(&check(&t, &text, MAX));
    assert_eq!(m & FR, FR);
    assert_eq!(m & file::WRITE_DATA, 0);
}

/// A restricted token never gets more than its unrestricted twin, even with
/// restricting SIDs the token does not otherwise hold.
#[test]
fn restricting_sids_alone_grant_nothing() {
    let t = token().with_restricted_sids(&[sid("BA")]);
    denied(&check(&t, "O:BAG:BAD:(A;;FA;;;BA)", FR));
}

// ---- privileges -----------------------------------------------------------

/// ACCESS_SYSTEM_SECURITY only via SeSecurityPrivilege, else
/// STATUS_PRIVILEGE_NOT_HELD; MAXIMUM_ALLOWED never grants it.
#[test]
fn access_system_security_needs_se_security() {
    let d = check(&token(), "O:BAG:BAD:(A;;0x1f01ff;;;WD)", ASS);
    assert_eq!(d.status, NtStatus::PrivilegeNotHeld);
    assert_eq!(d.granted.0, 0);
    let t = token().with_privilege(Privilege::Security);
    let d = check(&t, "O:BAG:BAD:", ASS);
    assert_eq!(granted(&d), ASS);
    assert!(d.privileges_used.contains(Privilege::Security));
    // An ACE naming the bit does not grant it under MAXIMUM_ALLOWED.
    let d = check(&t, "O:BAG:BAD:(A;;0x11f01ff;;;WD)", MAX);
    assert_eq!(granted(&d) & ASS, 0);
    // A disabled privilege does nothing.
    let mut t = token().with_privilege(Privilege::Security);
    t.privileges[0].enabled = false;
    assert_eq!(
        check(&t, "O:BAG:BAD:", ASS).status,
        NtStatus::PrivilegeNotHeld
    );
}

/// SePrivilegePolicyCheck: SeTakeOwnershipPrivilege grants WRITE_OWNER,
/// and so does SeRelabelPrivilege.
#[test]
fn take_ownership_and_relabel_grant_write_owner() {
    for p in [Privilege::TakeOwnership, Privilege::Relabel] {
        let t = token().with_privilege(p);
        let d = check(&t, "O:BAG:BAD:", WO);
        assert_eq!(granted(&d), WO, "{p}");
        assert!(d.privileges_used.contains(p));
        assert_eq!(
            granted(&check(&t, "O:BAG:BAD:", MAX)),
            WO,
            "{p} with MAXIMUM_ALLOWED"
        );
    }
    denied(&check(&token(), "O:BAG:BAD:", WO));
}

/// IopCheckBackupRestorePrivilege: with backup intent SeBackupPrivilege
/// grants read rights and SeRestorePrivilege write rights; without backup
/// intent they do nothing.
#[test]
fn backup_and_restore_privileges_with_backup_intent() {
    let t = token()
        .with_privilege(Privilege::Backup)
        .with_privilege(Privilege::Restore);
    let empty = sd("O:BAG:BAD:");
    let r = req(FR).with_backup_intent();
    assert_eq!(granted(&access_check(&t, &empty, &r).unwrap()), FR);
    let r = req(FW | AccessMask::DELETE.0).with_backup_intent();
    assert_eq!(
        granted(&access_check(&t, &empty, &r).unwrap()),
        FW | AccessMask::DELETE.0
    );
    denied(&access_check(&t, &empty, &req(FR)).unwrap());
    // Only the privilege held applies.
    let b = token().with_privilege(Privilege::Backup);
    denied(&access_check(&b, &empty, &req(FW).with_backup_intent()).unwrap());
    // MAXIMUM_ALLOWED gets the whole sets except ACCESS_SYSTEM_SECURITY.
    let m = granted(&access_check(&t, &empty, &req(MAX).with_backup_intent()).unwrap());
    assert_eq!(m & (FR | FW), FR | FW);
    assert_eq!(m & ASS, 0);
}

// ---- mandatory integrity -------------------------------------------------

/// MS-DTYP 2.5.3.3 / MIC: with no label the object is Medium with
/// NO_WRITE_UP; a Low token may read but not write.
#[test]
fn low_token_cannot_write_an_unlabelled_object() {
    let t = token().with_integrity(IntegrityLevel::LOW);
    let text = "O:BAG:BAD:(A;;FA;;;WD)";
    assert_eq!(granted(&check(&t, text, FR)), FR);
    denied(&check(&t, text, file::WRITE_DATA));
    // MAXIMUM_ALLOWED is capped to read and execute.
    assert_eq!(
        granted(&check(&t, text, MAX)),
        FA & (FR | file::GENERIC_EXECUTE)
    );
}

/// Mandatory integrity applies even with a null DACL.
#[test]
fn mandatory_integrity_applies_with_a_null_dacl() {
    let t = token().with_integrity(IntegrityLevel::LOW);
    denied(&check(&t, "O:BAG:BAD:NO_ACCESS_CONTROL", FW));
    assert_eq!(granted(&check(&t, "O:BAG:BAD:NO_ACCESS_CONTROL", FR)), FR);
}

/// The label is the first non-inherit-only ML ACE; NR and NX are honoured.
#[test]
fn label_policies_and_inherit_only_labels() {
    let t = token(); // Medium
    let text = "O:BAG:BAD:(A;;FA;;;WD)S:(ML;IO;NW;;;SI)(ML;;NRNW;;;HI)";
    denied(&check(&t, text, file::READ_DATA));
    denied(&check(&t, text, file::WRITE_DATA));
    assert_eq!(granted(&check(&t, text, file::EXECUTE)), file::EXECUTE);
    // A Medium label does not restrict a Medium token.
    assert_eq!(
        granted(&check(&t, "O:BAG:BAD:(A;;FA;;;WD)S:(ML;;NWNRNX;;;ME)", FA)),
        FA
    );
}

/// TOKEN_MANDATORY_POLICY_OFF switches the integrity check off.
#[test]
fn token_policy_can_switch_integrity_off() {
    let mut t = token().with_integrity(IntegrityLevel::LOW);
    t.mandatory_policy = MandatoryPolicy::OFF;
    assert_eq!(granted(&check(&t, "O:BAG:BAD:(A;;FA;;;WD)", FW)), FW);
}

/// Forshaw ch. 7: SeRelabelPrivilege adds WRITE_OWNER to what a failed
/// integrity check allows.
#[test]
fn relabel_privilege_passes_integrity_for_write_owner() {
    let t = token().with_privilege(Privilege::Relabel);
    let text = "O:BAG:BAD:S:(ML;;NW;;;HI)";
    assert_eq!(granted(&check(&t, text, WO)), WO);
    denied(&check(
        &token().with_privilege(Privilege::TakeOwnership),
        text,
        WO,
    ));
}

// ---- PRINCIPAL_SELF and object types ---------------------------------------

/// MS-DTYP 2.5.3.2: PRINCIPAL_SELF (S-1-5-10) stands for the request's
/// self SID.
#[test]
fn principal_self_is_replaced_by_the_self_sid() {
    let text = "O:BAG:BAD:(A;;FR;;;PS)";
    denied(&check(&token(), text, FR));
    let r = req(FR).with_self_sid(sid(USER));
    assert_eq!(granted(&access_check(&token(), &sd(text), &r).unwrap()), FR);
    let r = req(FR).with_self_sid(sid(OTHER));
    denied(&access_check(&token(), &sd(text), &r).unwrap());
}

fn guid(n: u8) -> Guid {
    format!("{n:08x}-0000-0000-0000-000000000000")
        .parse()
        .unwrap()
}

/// 0 (object) ├ 1 (property set) │ ├ 2 │ └ 3 └ 4
fn tree() -> Vec<ObjectTypeNode> {
    [0u16, 1, 2, 2, 1]
        .iter()
        .enumerate()
        .map(|(i, &level)| ObjectTypeNode {
            level,
            guid: guid(i as u8 + 1),
        })
        .collect()
}

fn by_type(
    t: &Token,
    text: &str,
    desired: u32,
    list: &[ObjectTypeNode],
    results: bool,
) -> AccessDecision {
    let r = AccessRequest::new(AccessMask(desired))
        .for_kind(ObjectKind::DirectoryService)
        .with_object_types(list, results);
    access_check(t, &sd(text), &r).unwrap()
}

/// AccessCheckByType: an allowed object ACE grants its node and the node's
/// subtree; a parent is granted when all its children are.
#[test]
fn object_ace_grants_subtree_and_complete_parents() {
    let list = tree();
    let rp = 0x10; // READ_PROPERTY
    let text = format!("O:BAG:BAD:(OA;;RP;{};;WD)", guid(2));
    let d = by_type(&token(), &text, rp, &list, true);
    let st: Vec<_> = d
        .results
        .iter()
        .map(|r| r.status == NtStatus::Success)
        .collect();
    assert_eq!(st, vec![false, true, true, true, false]);
    denied(&d);
    // Granting both property sets completes the root.
    let text = format!("O:BAG:BAD:(OA;;RP;{};;WD)(OA;;RP;{};;WD)", guid(2), guid(5));
    let d = by_type(&token(), &text, rp, &list, false);
    assert_eq!(granted(&d), rp);
    assert!(
        d.results.is_empty(),
        "no per-node results without a result list"
    );
    // An ObjectType not in the list is ignored.
    let text = format!("O:BAG:BAD:(OA;;RP;{};;WD)", guid(9));
    denied(&by_type(&token(), &text, rp, &list, false));
}

/// AccessCheckByTypeResultList: a denied object ACE denies its node, the
/// subtree and every ancestor, but not siblings.
#[test]
fn object_deny_hits_subtree_and_ancestors() {
    let list = tree();
    let rp = 0x10;
    let text = format!("O:BAG:BAD:(OD;;RP;{};;WD)(A;;RP;;;WD)", guid(3));
    let d = by_type(&token(), &text, rp, &list, true);
    let st: Vec<_> = d
        .results
        .iter()
        .map(|r| r.status == NtStatus::Success)
        .collect();
    assert_eq!(st, vec![false, false, false, true, true]);
    assert_eq!(d.results[3].granted.0, rp);
    assert_eq!(d.results[0].granted.0, 0);
}

/// MS-DTYP 2.5.3.2 / Forshaw: without an object-type list an allowed
/// object ACE is ignored and a denied object ACE acts as a plain deny.
#[test]
fn object_aces_without_a_list() {
    let text = format!("O:BAG:BAD:(OA;;RP;{};;WD)", guid(1));
    denied(&check(&token(), &text, 0x10));
    let text = format!("O:BAG:BAD:(OD;;RP;{};;WD)(A;;RP;;;WD)", guid(1));
    denied(&check(&token(), &text, 0x10));
}

/// MAXIMUM_ALLOWED with a result list answers per node.
#[test]
fn maximum_allowed_per_node() {
    let list = tree();
    // The deny on node 2 reaches node 2 and its ancestors 1 and 0, so the
    // later grant to node 1's subtree gives 0x20 to node 3 only.
    let text = format!(
        "O:BAG:BAD:(OD;;0x20;{};;WD)(OA;;0x30;{};;WD)(A;;0x4;;;WD)",
        guid(3),
        guid(2)
    );
    let d = by_type(&token(), &text, MAX, &list, true);
    let g: Vec<u32> = d.results.iter().map(|r| r.granted.0).collect();
    assert_eq!(g, vec![0x4, 0x14, 0x14, 0x34, 0x4]);
    // In the other order the grant comes first and the deny finds nothing.
    let text = format!(
        "O:BAG:BAD:(OA;;0x30;{};;WD)(OD;;0x20;{};;WD)(A;;0x4;;;WD)",
        guid(2),
        guid(3)
    );
    let d = by_type(&token(), &text, MAX, &list, true);
    let g: Vec<u32> = d.results.iter().map(|r| r.granted.0).collect();
    assert_eq!(g, vec![0x4, 0x34, 0x34, 0x34, 0x4]);
}

/// An object-type list that is not a valid tree is refused.
#[test]
fn invalid_object_type_lists_are_refused() {
    let mut list = tree();
    list[2].level = 3;
    let r = AccessRequest::new(AccessMask(0x10)).with_object_types(&list, false);
    let e = access_check(&token(), &sd("O:BAG:BAD:"), &r).unwrap_err();
    assert!(e.to_string().contains("object type 2"), "{e}");
    assert_eq!(e.status(), NtStatus::InvalidParameter);
}

// ---- conditional ACEs ------------------------------------------------------

fn claim_token() -> Token {
    let mut t = token();
    t.user_claims.push(secctx::ClaimAttribute {
        name: "Department".into(),
        flags: 0,
        values: secctx::ClaimValues::String(vec!["Sales".into()]),
    });
    t
}

/// MS-DTYP 2.4.4.17.3: a callback allow ACE applies only when its condition
/// is TRUE.
#[test]
fn conditional_allow_applies_only_when_true() {
    let t = claim_token();
    let yes = "O:BAG:BAD:(XA;;FR;;;WD;(@User.Department == \"Sales\"))";
    let no = "O:BAG:BAD:(XA;;FR;;;WD;(@User.Department == \"HR\"))";
    let unknown = "O:BAG:BAD:(XA;;FR;;;WD;(@User.Missing == \"HR\"))";
    assert_eq!(granted(&check(&t, yes, FR)), FR);
    denied(&check(&t, no, FR));
    denied(&check(&t, unknown, FR));
}

/// MS-DTYP 2.4.4.17.3: a callback deny ACE applies when its condition is
/// TRUE or UNKNOWN.
#[test]
fn conditional_deny_applies_unless_false() {
    let t = claim_token();
    let allow = "(A;;FR;;;WD)";
    denied(&check(
        &t,
        &format!("O:BAG:BAD:(XD;;FR;;;WD;(@User.Department == \"Sales\")){allow}"),
        FR,
    ));
    denied(&check(
        &t,
        &format!("O:BAG:BAD:(XD;;FR;;;WD;(@User.Missing == 1)){allow}"),
        FR,
    ));
    assert_eq!(
        granted(&check(
            &t,
            &format!("O:BAG:BAD:(XD;;FR;;;WD;(@User.Department == \"HR\")){allow}"),
            FR
        )),
        FR
    );
}

/// Resource attributes come from the SACL's RA ACEs.
#[test]
fn conditions_read_resource_attributes() {
    let t = claim_token();
    let text = "O:BAG:BAD:(XA;;FR;;;WD;(@User.Department == @Resource.Dept))S:(RA;;;;;WD;(\"Dept\",TS,0,\"sales\"))";
    assert_eq!(granted(&check(&t, text, FR)), FR);
}

// ---- AppContainer, trust labels, filters -----------------------------------

fn app_container() -> Token {
    let mut t = token().with_integrity(IntegrityLevel::LOW);
    t.app_container = Some(sid("S-1-15-2-1-2-3-4-5-6-7"));
    t.capabilities.push(TokenGroup::new(sid("S-1-15-3-1")));
    t
}

/// Forshaw ch. 7 (Get-DiscretionaryAccess): an AppContainer token needs
/// every bit from both the user's ACEs and the package's (package SID,
/// capability or ALL APPLICATION PACKAGES).
#[test]
fn app_container_needs_package_access_too() {
    let t = app_container();
    let user_only = format!("O:BAG:BAD:(A;;FR;;;{USER})S:(ML;;NW;;;LW)");
    denied(&check(&t, &user_only, FR));
    let both = format!("O:BAG:BAD:(A;;FR;;;{USER})(A;;FR;;;AC)S:(ML;;NW;;;LW)");
    assert_eq!(granted(&check(&t, &both, FR)), FR);
    let cap = format!("O:BAG:BAD:(A;;FR;;;{USER})(A;;0x1;;;S-1-15-3-1)S:(ML;;NW;;;LW)");
    assert_eq!(granted(&check(&t, &cap, 0x1)), 0x1);
    assert_eq!(granted(&check(&t, &cap, MAX)), 0x1);
    // A null DACL does not grant an AppContainer anything.
    denied(&check(&t, "O:BAG:BAD:NO_ACCESS_CONTROL", FR));
    // ALL APPLICATION PACKAGES does not cover a less-privileged AppContainer.
    let mut lpac = app_container();
    lpac.less_privileged_app_container = true;
    denied(&check(&lpac, &both, FR));
}

/// MS-DTYP 2.4.4.14 / Forshaw ch. 7: a token whose trust level does not
/// dominate the process trust label gets at most the label's mask.
#[test]
fn process_trust_label_limits_access() {
    let text = "O:BAG:BAD:(A;;0x1fffff;;;WD)S:(TL;;0x1000;;;S-1-19-512-8192)";
    let t = token();
    assert_eq!(granted(&check(&t, text, 0x1000)), 0x1000);
    denied(&check(&t, text, 0x1));
    let mut p = token();
    p.trust_level = Some(sid("S-1-19-512-8192"));
    assert_eq!(granted(&check(&p, text, 0x1)), 0x1);
}

// ---- audit ------------------------------------------------------------------

/// SACL audit ACEs raise events as data and never change the decision.
#[test]
fn audit_events_are_data() {
    let text = "O:BAG:BAD:(A;;FR;;;WD)S:(AU;SA;FR;;;WD)(AU;FA;FA;;;WD)";
    let ok = check(&token(), text, FR);
    assert_eq!(granted(&ok), FR);
    assert_eq!(ok.audit.len(), 1);
    assert!(ok.audit[0].success);
    assert_eq!(ok.audit[0].mask.0, FR);
    let bad = check(&token(), text, FW);
    denied(&bad);
    assert_eq!(bad.audit.len(), 1);
    assert!(!bad.audit[0].success);
    assert_eq!(bad.audit[0].ace_index, 1);
    assert_eq!(bad.audit[0].mask.0, FW & FA);
    // Without the SACL the same decisions.
    assert_eq!(
        check(&token(), "O:BAG:BAD:(A;;FR;;;WD)", FW).status,
        bad.status
    );
}

// ---- performance shape -----------------------------------------------------

/// The compiled check does not scan groups: a token with thousands of
/// groups gets the same answer (correctness here; speed in the benches).
#[test]
fn many_groups_same_answer() {
    let mut t = token();
    for i in 0..5000 {
        t.groups
            .push(TokenGroup::new(sid(&format!("S-1-5-21-9-9-9-{i}"))));
    }
    assert_eq!(
        granted(&check(&t, "O:BAG:BAD:(A;;FR;;;S-1-5-21-9-9-9-4999)", FR)),
        FR
    );
    denied(&check(&t, "O:BAG:BAD:(A;;FR;;;S-1-5-21-9-9-9-5000)", FR));
}

/// The explanation names the ACE that decided, by index and SDDL.
#[test]
fn explanation_names_the_deciding_ace() {
    let d = access_check_explained(
        &token(),
        &sd("O:BAG:BAD:(A;;FR;;;BA)(D;;FW;;;WD)(A;;FA;;;WD)"),
        &req(FW),
    )
    .unwrap();
    denied(&d);
    let text = d.trace.unwrap().render();
    assert!(text.contains("D[0] (A;;FR;;;BA): SID not held"), "{text}");
    assert!(
        text.contains("D[1] (D;;FW;;;WD): denies 0x00120116"),
        "{text}"
    );
    assert!(text.contains("result: STATUS_ACCESS_DENIED"), "{text}");
}

/// An ACE that applies but decides nothing says why in plain words: it held
/// none of the rights still wanted, because they were not asked for or an
/// earlier ACE already decided them (issue 17: the old "no bit of it is
/// still undecided" misled readers). MS-DTYP 2.5.3.2: an allow ACE takes
/// only bits still wanted.
#[test]
fn an_ace_that_decides_nothing_says_why() {
    // Asked: read and write. D[0] grants the read bits; D[1] repeats it and
    // so decides nothing; D[2] grants the write bits still wanted.
    let d = access_check_explained(
        &token(),
        &sd("O:BAG:BAD:(A;;FR;;;WD)(A;;FR;;;WD)(A;;FW;;;WD)"),
        &req(FR | FW),
    )
    .unwrap();
    let text = d.trace.unwrap().render();
    assert!(
        text.contains(
            "D[1] (A;;FR;;;WD): matches, but decides nothing: each of its rights was not \
             asked for, or was already granted or denied above"
        ),
        "{text}"
    );
    assert!(!text.contains("still undecided"), "{text}");
    assert!(text.contains("D[2] (A;;FW;;;WD): grants"), "{text}");
}
