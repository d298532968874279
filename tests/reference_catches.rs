//! Single-line bugs the independent reference evaluator must catch (issue
//! 18): each test states the answer MS-DTYP (or the Windows routine named)
//! gives, and checks that the fast evaluator and the reference both give it.
//! Each of these tests fails when the named bug is put back.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use secctx::well_known as wk;
use secctx::{
    access_check, reference, AccessDecision, AccessMask, AccessRequest, Ace, AceFlags, AceType,
    Acl, ClaimAttribute, ClaimValues, Expression, NtStatus, ObjectKind, Privilege,
    SecurityDescriptor, Sid, Token,
};

fn s(text: &str) -> Sid {
    Sid::parse_sddl(text, None).unwrap()
}

/// `CLAIM_SECURITY_ATTRIBUTE_USE_FOR_DENY_ONLY` (MS-DTYP 2.4.10.1).
const DENY_ONLY: u32 = 0x4;
/// `CLAIM_SECURITY_ATTRIBUTE_DISABLED` (MS-DTYP 2.4.10.1).
const DISABLED: u32 = 0x10;

fn user() -> Token {
    Token::new(s("S-1-5-21-7-7-7-1001")).with_group(wk::WORLD)
}

fn claim(name: &str, flags: u32, value: &str) -> ClaimAttribute {
    ClaimAttribute {
        name: name.into(),
        flags,
        values: ClaimValues::String(vec![value.into()]),
    }
}

/// A descriptor owned by SYSTEM whose DACL holds `aces`.
fn sd_with(aces: Vec<Ace>) -> SecurityDescriptor {
    let mut sd = SecurityDescriptor::new();
    sd.owner = Some(wk::LOCAL_SYSTEM);
    sd.group = Some(wk::LOCAL_SYSTEM);
    sd.set_dacl(Acl::new(aces));
    sd
}

/// A callback ACE for Everyone with the condition `text`.
fn callback(t: AceType, mask: u32, text: &str) -> Ace {
    let mut a = Ace::new(t, AceFlags(0), AccessMask(mask), wk::WORLD);
    a.application_data = Expression::from_sddl(text, None).unwrap().encode().unwrap();
    a
}

/// Runs both evaluators, asserts they agree, and returns the decision.
fn both(t: &Token, sd: &SecurityDescriptor, req: &AccessRequest<'_>) -> AccessDecision {
    let fast = access_check(t, sd, req).unwrap();
    let slow = reference::naive_access_check(t, sd, req).unwrap();
    assert_eq!(fast, slow, "fast evaluator and reference disagree");
    fast
}

/// A disabled claim is ignored (MS-DTYP 2.4.10.1,
/// CLAIM_SECURITY_ATTRIBUTE_DISABLED): an allow ACE conditioned on it does
/// not apply. Catches `ClaimAttribute::is_disabled` always answering false.
#[test]
fn disabled_claim_does_not_satisfy_an_allow_condition() {
    let mut t = user();
    t.user_claims = vec![claim("Dept", DISABLED, "Sales")];
    let sd = sd_with(vec![callback(
        AceType::AccessAllowedCallback,
        0x1,
        "(@User.Dept == \"Sales\")",
    )]);
    let d = both(&t, &sd, &AccessRequest::new(AccessMask(0x1)));
    assert_eq!(d.status, NtStatus::AccessDenied);
    // The same claim enabled grants.
    t.user_claims[0].flags = 0;
    assert_eq!(
        both(&t, &sd, &AccessRequest::new(AccessMask(0x1))).status,
        NtStatus::Success
    );
}

/// SeBackupPrivilege with backup intent grants FILE_TRAVERSE
/// (IopCheckBackupRestorePrivilege: READ_CONTROL | ACCESS_SYSTEM_SECURITY |
/// FILE_GENERIC_READ | FILE_TRAVERSE), even through an empty DACL. Catches
/// FILE_TRAVERSE dropped from BACKUP_RIGHTS.
#[test]
fn backup_privilege_grants_file_traverse() {
    let t = user().with_privilege(Privilege::Backup);
    let sd = sd_with(Vec::new());
    let mut req = AccessRequest::new(AccessMask(0x20)).for_kind(ObjectKind::File);
    req.backup_intent = true;
    let d = both(&t, &sd, &req);
    assert_eq!(d.status, NtStatus::Success);
    assert_eq!(d.granted, AccessMask(0x20));
    assert!(d.privileges_used.contains(Privilege::Backup));
    // MAXIMUM_ALLOWED under backup intent includes it too.
    let mut req = AccessRequest::new(AccessMask::MAXIMUM_ALLOWED).for_kind(ObjectKind::File);
    req.backup_intent = true;
    assert_eq!(both(&t, &sd, &req).granted.0 & 0x20, 0x20);
}

/// A USE_FOR_DENY_ONLY claim counts only for deny ACEs (MS-DTYP 2.4.10.1,
/// CLAIM_SECURITY_ATTRIBUTE_USE_FOR_DENY_ONLY): it does not satisfy an
/// allow ACE's condition, and it does satisfy a deny ACE's. Catches the fast
/// path ignoring the flag.
#[test]
fn deny_only_claim_counts_for_deny_aces_only() {
    let mut t = user();
    t.user_claims = vec![claim("Dept", DENY_ONLY, "Sales")];
    let allow = sd_with(vec![callback(
        AceType::AccessAllowedCallback,
        0x1,
        "(@User.Dept == \"Sales\")",
    )]);
    assert_eq!(
        both(&t, &allow, &AccessRequest::new(AccessMask(0x1))).status,
        NtStatus::AccessDenied
    );
    // A deny ACE on `Dept != "Sales"` then an allow: the deny-only claim
    // makes the deny's condition FALSE, so the allow grants. Ignoring the
    // claim would leave it UNKNOWN, and a deny applies unless FALSE.
    let deny = sd_with(vec![
        callback(
            AceType::AccessDeniedCallback,
            0x1,
            "(@User.Dept != \"Sales\")",
        ),
        Ace::new(
            AceType::AccessAllowed,
            AceFlags(0),
            AccessMask(0x1),
            wk::WORLD,
        ),
    ]);
    assert_eq!(
        both(&t, &deny, &AccessRequest::new(AccessMask(0x1))).status,
        NtStatus::Success
    );
}

/// Claim names compare case-insensitively over all of Unicode, as Windows
/// compares attribute names (RtlEqualUnicodeString, case-insensitive;
/// MS-DTYP 2.4.4.17.6): `@User.Étage` finds the claim `étage`. Regression
/// for the fast path comparing names by ASCII case only.
#[test]
fn non_ascii_claim_names_match_case_insensitively() {
    let mut t = user();
    t.user_claims = vec![claim("étage", 0, "3")];
    let sd = sd_with(vec![callback(
        AceType::AccessAllowedCallback,
        0x1,
        "(@User.Étage == \"3\")",
    )]);
    assert_eq!(
        both(&t, &sd, &AccessRequest::new(AccessMask(0x1))).status,
        NtStatus::Success
    );
}

/// PRINCIPAL_SELF stands for the request's self SID, never for the literal
/// S-1-5-10 (MS-DTYP 2.5.3.2): a token holding S-1-5-10 but not Everyone,
/// asking with self SID Everyone through `(A;;FA;;;PS)`, is denied. This
/// holds the reference to the case of issue 18's F9 (the fast path's fix is
/// made elsewhere); the fast path is not asked here.
#[test]
fn reference_matches_principal_self_by_the_self_sid_only() {
    let t = Token::new(s("S-1-5-21-7-7-7-1001")).with_group(wk::PRINCIPAL_SELF);
    let sd = sd_with(vec![Ace::new(
        AceType::AccessAllowed,
        AceFlags(0),
        AccessMask(0x1F_01FF),
        wk::PRINCIPAL_SELF,
    )]);
    let mut req = AccessRequest::new(AccessMask(0x1)).for_kind(ObjectKind::File);
    req.self_sid = Some(wk::WORLD);
    let d = reference::naive_access_check(&t, &sd, &req).unwrap();
    assert_eq!(d.status, NtStatus::AccessDenied);
    // With the self SID the token holds, the ACE applies.
    req.self_sid = Some(wk::PRINCIPAL_SELF);
    let d = reference::naive_access_check(&t, &sd, &req).unwrap();
    assert_eq!(d.status, NtStatus::Success);
}
