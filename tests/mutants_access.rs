//! Access-check rules that mutation testing (`cargo mutants`, docs/mutants.md)
//! showed no test held: the mandatory stage's trust-label dominance, access
//! filters, the AppContainer integrity exemption and a label policy without
//! NO_WRITE_UP. One test per rule, each naming its source.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use secctx::rights::file;
use secctx::{
    access_check, AccessDecision, AccessMask, AccessRequest, Ace, AceFlags, AceType, Acl,
    ClaimAttribute, ClaimValues, Control, Expression, IntegrityLevel, NtStatus, ObjectKind,
    SecurityDescriptor, Sid, Token,
};

const USER: &str = "S-1-5-21-1-2-3-1001";
const FR: u32 = file::GENERIC_READ;
const FW: u32 = file::GENERIC_WRITE;

/// A SID from its text or a machine-independent alias.
fn sid(s: &str) -> Sid {
    s.parse().unwrap()
}

/// A user in Everyone and Users.
fn token() -> Token {
    ["WD", "BU"]
        .into_iter()
        .fold(Token::new(sid(USER)), |t, g| t.with_group(sid(g)))
}

fn check(t: &Token, text: &str, desired: u32) -> AccessDecision {
    let sd = SecurityDescriptor::from_sddl(text, None).unwrap_or_else(|e| panic!("{text}: {e}"));
    let req = AccessRequest::new(AccessMask(desired)).for_kind(ObjectKind::File);
    access_check(t, &sd, &req).unwrap()
}

fn allowed(t: &Token, text: &str, desired: u32) -> bool {
    let d = check(t, text, desired);
    match d.status {
        NtStatus::Success => {
            assert_eq!(d.granted.0, desired, "{d:?}");
            true
        }
        NtStatus::AccessDenied => false,
        other => panic!("{text}: {other:?}"),
    }
}

/// MS-DTYP 2.4.4.14 and Forshaw ch. 7 (Compare-NtSid -Dominates): a trust
/// SID S-1-19-T-L dominates a label only when both its type T and its level
/// L are at least the label's; otherwise the label's mask is all it gets.
#[test]
fn a_trust_level_must_dominate_in_both_type_and_level() {
    let text = "O:BAG:BAD:(A;;0x1fffff;;;WD)S:(TL;;0x1000;;;S-1-19-512-8192)";
    for (trust, dominates) in [
        ("S-1-19-512-8192", true),
        ("S-1-19-1024-8192", true),
        ("S-1-19-512-16384", true),
        // Type higher, level lower: does not dominate.
        ("S-1-19-1024-4096", false),
        // Level higher, type lower: does not dominate.
        ("S-1-19-256-16384", false),
        // Not a trust SID at all.
        ("S-1-5-512-8192", false),
    ] {
        let mut t = token();
        t.trust_level = Some(sid(trust));
        assert_eq!(allowed(&t, text, 0x1), dominates, "{trust}");
        // The label's own mask passes either way.
        assert!(allowed(&t, text, 0x1000), "{trust}");
    }
}

/// Forshaw ch. 7 (Test-AccessFilter): an access filter ACE whose condition
/// is TRUE leaves access alone; FALSE or UNKNOWN limits access to its mask.
#[test]
fn an_access_filter_limits_access_unless_its_condition_is_true() {
    // Built by hand: the SDDL reader takes no condition on an `FL` ACE.
    let (cond, _) = Expression::parse_sddl(b"(@User.Level == 3)", 0, None).unwrap();
    let mut filter = Ace::new(
        AceType::SystemAccessFilter,
        AceFlags(0),
        AccessMask(FR),
        sid("WD"),
    );
    filter.application_data = cond.encode().unwrap();
    let mut sd = SecurityDescriptor::from_sddl("O:BAG:BAD:(A;;FA;;;WD)", None).unwrap();
    sd.sacl = Some(Acl::new(vec![filter]));
    sd.control.set(Control::SACL_PRESENT, true);
    let allowed = |t: &Token, desired: u32| {
        let req = AccessRequest::new(AccessMask(desired)).for_kind(ObjectKind::File);
        access_check(t, &sd, &req).unwrap().status == NtStatus::Success
    };
    let mut t = token();
    // No such claim: UNKNOWN, so only the filter's FR is left.
    assert!(allowed(&t, FR));
    assert!(!allowed(&t, FW));
    t.user_claims.push(ClaimAttribute {
        name: "Level".into(),
        flags: 0,
        values: ClaimValues::Int64(vec![2]),
    });
    // FALSE: still limited.
    assert!(!allowed(&t, FW));
    t.user_claims[0].values = ClaimValues::Int64(vec![3]);
    // TRUE: the filter does not apply.
    assert!(allowed(&t, FW));
}

/// The AppContainer exemption from mandatory integrity (the rule at
/// `src/eval/access/mandatory.rs`: an AppContainer passes an object labelled
/// Medium or lower, where its package and capability ACEs decide, as the
/// documents-library capability writes Medium files from a Low process)
/// holds only for labels up to Medium, and only for AppContainers.
#[test]
fn the_app_container_integrity_exemption_stops_above_medium() {
    let dacl = format!("O:BAG:BAD:(A;;FA;;;{USER})(A;;FA;;;AC)");
    let medium = format!("{dacl}S:(ML;;NW;;;ME)");
    let high = format!("{dacl}S:(ML;;NW;;;HI)");
    // A Low AppContainer token; the DACL grants its package through
    // ALL APPLICATION PACKAGES (AC).
    let mut ac = token().with_integrity(IntegrityLevel::LOW);
    ac.app_container = Some(sid("S-1-15-2-7-7-7"));
    assert!(allowed(&ac, &medium, FW), "Medium label: exempt");
    assert!(!allowed(&ac, &high, FW), "High label: no write up");
    assert!(allowed(&ac, &high, FR), "High label: read up is allowed");
    // The same Low token without a package is not exempt at Medium.
    let low = token().with_integrity(IntegrityLevel::LOW);
    assert!(!allowed(&low, &medium, FW));
}

/// MS-DTYP 2.4.4.13 and 2.5.3.3: each policy bit of a mandatory label takes
/// away only its own part of the generic mapping from a token below the
/// label. A label with NO_READ_UP alone lets a Medium token write a High
/// object but not read it.
#[test]
fn a_label_without_no_write_up_lets_a_lower_token_write() {
    let text = "O:BAG:BAD:(A;;FA;;;WD)S:(ML;;NR;;;HI)";
    let medium = token().with_integrity(IntegrityLevel::MEDIUM);
    assert!(allowed(&medium, text, FW));
    assert!(!allowed(&medium, text, FR));
}
