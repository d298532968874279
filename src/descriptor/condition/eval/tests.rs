//! Tests of the condition evaluator.

use super::*;
use crate::descriptor::claims::{ClaimValues, FLAG_CASE_SENSITIVE, FLAG_DISABLED};

/// A context with fixed claims and SIDs.
struct Ctx {
    user: Vec<ClaimAttribute>,
    device: Vec<ClaimAttribute>,
    local: Vec<ClaimAttribute>,
    resource: Vec<ClaimAttribute>,
    sids: Vec<Sid>,
    device_sids: Vec<Sid>,
    /// What a claim with duplicate values is given as: no values.
    unusable: ClaimAttribute,
}

impl ConditionContext for Ctx {
    fn attribute(&self, class: AttrClass, name: &str) -> Option<&ClaimAttribute> {
        let list = match class {
            AttrClass::User => &self.user,
            AttrClass::Device => &self.device,
            AttrClass::Local => &self.local,
            AttrClass::Resource => &self.resource,
        };
        list.iter()
            .rev()
            .find(|c| c.name.eq_ignore_ascii_case(name) && c.flags & FLAG_DISABLED == 0)
            .map(|c| if usable_values(c) { c } else { &self.unusable })
    }
    fn holds(&self, sid: &Sid, device: bool) -> bool {
        if device {
            self.device_sids.contains(sid)
        } else {
            self.sids.contains(sid)
        }
    }
}

fn claim(name: &str, values: ClaimValues) -> ClaimAttribute {
    ClaimAttribute {
        name: name.into(),
        flags: 0,
        values,
    }
}

fn ctx() -> Ctx {
    Ctx {
        unusable: claim("unusable", ClaimValues::Int64(Vec::new())),
        user: vec![
            claim("Department", ClaimValues::String(vec!["Sales".into()])),
            claim("clearance", ClaimValues::Int64(vec![3])),
            claim(
                "projects",
                ClaimValues::String(vec!["Alpha".into(), "Beta".into()]),
            ),
            claim("empty", ClaimValues::String(vec![String::new()])),
            claim("zero", ClaimValues::Int64(vec![0])),
            claim("big", ClaimValues::Uint64(vec![u64::MAX])),
            claim("flag", ClaimValues::Boolean(vec![true])),
            ClaimAttribute {
                name: "code".into(),
                flags: FLAG_CASE_SENSITIVE,
                values: ClaimValues::String(vec!["AbC".into()]),
            },
            claim(
                "groupsid",
                ClaimValues::Sid(vec!["S-1-5-32-544".parse().unwrap()]),
            ),
            claim("blob", ClaimValues::OctetString(vec![vec![1, 2, 3]])),
        ],
        device: vec![claim("managed", ClaimValues::Boolean(vec![true]))],
        local: vec![claim("loc", ClaimValues::Int64(vec![7]))],
        resource: vec![
            claim("Secrecy", ClaimValues::Int64(vec![2])),
            claim("Dept", ClaimValues::String(vec!["sales".into()])),
        ],
        sids: vec!["S-1-5-32-544".parse().unwrap(), "S-1-1-0".parse().unwrap()],
        device_sids: vec!["S-1-5-32-545".parse().unwrap()],
    }
}

fn eval(text: &str) -> Tristate {
    let e = Expression::from_sddl(text, None).unwrap_or_else(|e| panic!("{text}: {e}"));
    evaluate(&e, &ctx())
}

use Tristate::{False as F, True as T, Unknown as U};

/// MS-DTYP 2.4.4.17.7: the AND, OR and NOT truth tables.
#[test]
fn three_valued_logic_tables() {
    let all = [T, F, U];
    let and = [[T, F, U], [F, F, F], [U, F, U]];
    let or = [[T, T, T], [T, F, U], [T, U, U]];
    for (i, a) in all.iter().enumerate() {
        for (j, b) in all.iter().enumerate() {
            assert_eq!(a.and(*b), and[i][j], "{a} && {b}");
            assert_eq!(a.or(*b), or[i][j], "{a} || {b}");
        }
    }
    assert_eq!(T.not(), F);
    assert_eq!(U.not(), U);
}

/// MS-DTYP 2.4.4.17.6: == != < <= > >= on integers and strings; strings
/// compare case-insensitively.
#[test]
fn comparisons() {
    assert_eq!(eval("(@User.Department == \"sales\")"), T);
    assert_eq!(eval("(@User.department != \"Marketing\")"), T);
    assert_eq!(eval("(@User.clearance >= 3)"), T);
    assert_eq!(eval("(@User.clearance > 3)"), F);
    assert_eq!(eval("(@User.clearance < 0x10)"), T);
    assert_eq!(eval("(@User.clearance <= -1)"), F);
    assert_eq!(eval("(@User.Department < \"Zebra\")"), T);
    assert_eq!(eval("(@User.blob == #010203)"), T);
    assert_eq!(eval("(@User.blob < #0103)"), T);
    // uint64 claims keep their range.
    assert_eq!(eval("(@User.big > 0)"), T);
    // Booleans are their own type: against an integer the comparison is a
    // type mismatch (Samba's krb5 conditional_ace_tests, recorded on
    // Windows: a TRUE boolean claim `== 42` is UNKNOWN).
    assert_eq!(eval("(@Device.managed == 1)"), U);
    assert_eq!(eval("(@Device.managed)"), T);
}

/// MS-DTYP 2.4.4.17.6: CLAIM_SECURITY_ATTRIBUTE_VALUE_CASE_SENSITIVE.
#[test]
fn case_sensitive_claims() {
    assert_eq!(eval("(@User.code == \"AbC\")"), T);
    assert_eq!(eval("(@User.code == \"abc\")"), F);
}

/// MS-DTYP 2.4.4.17.6: a missing attribute makes a relational operator
/// UNKNOWN, and the logic operators carry on with it.
#[test]
fn missing_attribute_is_unknown_not_an_error() {
    assert_eq!(eval("(@User.nothing == 1)"), U);
    assert_eq!(eval("((@User.nothing == 1) || (@User.clearance == 3))"), T);
    assert_eq!(eval("((@User.nothing == 1) && (@User.clearance == 4))"), F);
    assert_eq!(eval("(!(@User.nothing == 1))"), U);
}

/// MS-DTYP 2.4.4.17.6/7: a processing error makes the whole expression
/// UNKNOWN, even under an `||` that would otherwise be TRUE.
#[test]
fn processing_errors_poison_the_whole_expression() {
    // Comparing a string attribute with an integer.
    assert_eq!(
        eval("((@User.Department == 1) || (@User.clearance == 3))"),
        U
    );
    // SIDs cannot be ordered.
    assert_eq!(
        eval("((@User.groupsid < SID(BA)) || (@User.clearance == 3))"),
        U
    );
}

/// MS-DTYP 2.4.4.17.6: multi-valued operands allowed for ==, Contains and
/// Any_of, and (as Samba's krb5 records show Windows doing) for !=.
#[test]
fn multivalued_operands() {
    assert_eq!(eval("(@User.projects == {\"beta\", \"alpha\"})"), T);
    assert_eq!(eval("(@User.projects == {\"alpha\"})"), F);
    assert_eq!(eval("(@User.projects != {\"alpha\"})"), T);
    assert_eq!(eval("(@User.projects > {\"alpha\"})"), U);
    assert_eq!(eval("(@User.projects Contains \"Alpha\")"), T);
    assert_eq!(eval("(@User.projects Contains {\"alpha\", \"beta\"})"), T);
    assert_eq!(eval("(@User.projects Contains {\"alpha\", \"gamma\"})"), F);
    assert_eq!(
        eval("(@User.projects Not_Contains {\"alpha\", \"gamma\"})"),
        T
    );
    assert_eq!(eval("(@User.projects Any_of {\"gamma\", \"beta\"})"), T);
    assert_eq!(eval("(@User.Department Any_of {\"gamma\", \"SALES\"})"), T);
    assert_eq!(
        eval("(@User.Department Not_Any_of {\"gamma\", \"SALES\"})"),
        F
    );
    assert_eq!(eval("(@User.projects Any_of {\"gamma\"})"), F);
}

/// MS-DTYP 2.4.4.17.6: Member_of needs every SID, Member_of_Any one;
/// Device_ forms use the device's SIDs; Not_ forms negate.
#[test]
fn member_of_family() {
    assert_eq!(eval("(Member_of {SID(BA), SID(WD)})"), T);
    assert_eq!(eval("(Member_of {SID(BA), SID(BU)})"), F);
    assert_eq!(eval("(Member_of_any {SID(BA), SID(BU)})"), T);
    assert_eq!(eval("(Not_Member_of {SID(BA), SID(BU)})"), T);
    assert_eq!(eval("(Not_Member_of_Any {SID(BA), SID(BU)})"), F);
    assert_eq!(eval("(Device_Member_of {SID(BU)})"), T);
    assert_eq!(eval("(Device_Member_of_Any {SID(BA)})"), F);
    assert_eq!(eval("(Not_Device_Member_of {SID(BA)})"), T);
    assert_eq!(eval("(Not_Device_Member_of_Any {SID(BU)})"), F);
}

/// MS-DTYP 2.4.4.17.7: Exists and Not_Exists; the logical value of a
/// bare attribute.
#[test]
fn exists_and_truth_of_attributes() {
    assert_eq!(eval("(Exists @Resource.Secrecy)"), T);
    assert_eq!(eval("(Not_Exists @Resource.Nothing)"), T);
    assert_eq!(eval("(Exists loc)"), T);
    // A user claim is neither local nor resource: an error.
    assert_eq!(eval("(Exists @User.clearance)"), U);
    assert_eq!(
        eval("((Exists @User.clearance) || (@User.clearance == 3))"),
        U
    );
    assert_eq!(eval("(@User.clearance)"), T);
    assert_eq!(eval("(@User.zero)"), F);
    assert_eq!(eval("(@User.empty)"), F);
    assert_eq!(eval("(@User.Department)"), T);
    assert_eq!(eval("(@User.absent)"), U);
    assert_eq!(eval("(@User.groupsid)"), U);
    assert_eq!(eval("(@User.clearance && @Device.managed)"), T);
}

/// MS-DTYP 2.4.4.17.6: the left of a relational operator must be an
/// attribute; a literal there is an error (UNKNOWN).
#[test]
fn literal_on_the_left_is_an_error() {
    let e = Expression {
        tokens: vec![
            ExprToken::int(1),
            ExprToken::int(1),
            ExprToken::Op(ExprOp::Equal),
        ],
    };
    assert_eq!(evaluate(&e, &ctx()), U);
    let explained = evaluate_explained(&e, &ctx());
    assert!(
        explained
            .steps
            .last()
            .unwrap()
            .contains("must be an attribute"),
        "{explained:?}"
    );
}

#[test]
fn resource_attributes_compare_with_user_claims() {
    assert_eq!(eval("(@User.Department == @Resource.Dept)"), T);
    assert_eq!(eval("(@Resource.Secrecy <= @User.clearance)"), T);
}

#[test]
fn malformed_streams_are_unknown() {
    let e = Expression {
        tokens: vec![ExprToken::Op(ExprOp::And)],
    };
    assert_eq!(evaluate(&e, &ctx()), U);
    let e = Expression {
        tokens: vec![
            ExprToken::Attr(AttrClass::User, "clearance".into()),
            ExprToken::Attr(AttrClass::User, "clearance".into()),
        ],
    };
    assert_eq!(evaluate(&e, &ctx()), U);
    assert_eq!(evaluate(&Expression::default(), &ctx()), U);
}

#[test]
fn deep_expressions_spill_without_failing() {
    // 40 nested ORs of the same comparison.
    let mut text = String::from("(@User.clearance == 3)");
    for _ in 0..40 {
        text = format!("({text} || (@User.clearance == 4))");
    }
    assert_eq!(eval(&text), T);
}

#[test]
fn explanation_lists_each_step() {
    let e = Expression::from_sddl(
        "((@User.Department == \"Sales\") && (@Device.managed))",
        None,
    )
    .unwrap();
    let ev = evaluate_explained(&e, &ctx());
    assert_eq!(ev.value, T);
    assert!(
        ev.steps.iter().any(|s| s == "@User.Department = \"Sales\""),
        "{:?}",
        ev.steps
    );
    assert!(
        ev.steps.iter().any(|s| s == "TRUE && TRUE -> TRUE"),
        "{:?}",
        ev.steps
    );
}
