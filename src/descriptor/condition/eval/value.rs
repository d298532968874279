//! Operand values on the evaluation stack and the comparisons between them:
//! relational operators, `Contains` and `Any_of` (MS-DTYP 2.4.4.17.6), with
//! the behaviour Windows shows where MS-DTYP is silent or differs.
//!
//! "Samba's krb5 records" below means the cases of Samba's
//! `python/samba/tests/krb5/conditional_ace_tests.py`
//! (`claim_against_claim_cases`, `claim_against_literal_cases`,
//! `pac_claim_cases`), whose outcomes were recorded against Windows servers.

use super::{fault, Fault, Tristate};
use crate::descriptor::claims::{ClaimAttribute, ClaimValues};
use crate::descriptor::condition::{AttrClass, ExprOp, ExprToken};
use crate::descriptor::upcase::compare_utf16;
use crate::ids::sid::Sid;
use std::cmp::Ordering;
use std::fmt::Write as _;

/// A value on the evaluation stack.
#[derive(Clone, Copy, Debug)]
pub(super) enum Value<'a> {
    /// An attribute that is not present (or present with no values; the
    /// context empties one with duplicate values: see [`usable_values`]).
    Null(AttrClass),
    /// The result of an operator.
    Result(Tristate),
    /// The result of `!` applied directly to a present attribute. It is a
    /// result like any other, except that `&&` and `||` whose left operand
    /// is an attribute give UNKNOWN with it on the right (Samba's krb5
    /// records: with a TRUE boolean claim `a`, `(a || !(a))` is UNKNOWN but
    /// `(!(a) || a)` is TRUE; with `a` TRUE and `b` FALSE, `(a && !(b))` is
    /// UNKNOWN).
    NotOfAttr(Tristate),
    /// A single value, with the attribute class it came from (`None` for a
    /// literal).
    One(Scalar<'a>, Option<AttrClass>),
    /// Several values, with their attribute class.
    Many(Many<'a>, Option<AttrClass>),
}

impl Value<'_> {
    /// Whether the value came from a present attribute.
    pub(super) fn is_attribute(&self) -> bool {
        matches!(self, Value::One(_, Some(_)) | Value::Many(_, Some(_)))
    }
}

/// One operand value, as the comparisons see it.
#[derive(Clone, Copy, Debug)]
pub(super) enum Scalar<'a> {
    Int(i128),
    /// A boolean claim value: its own type, equal only to booleans (Samba's
    /// krb5 records: a TRUE boolean claim `== 42` is UNKNOWN, not FALSE).
    Bool(bool),
    Str(&'a str, bool),
    Octets(&'a [u8]),
    Sid(&'a Sid),
    /// A composite nested inside a literal composite (MS-DTYP allows it).
    Nested(&'a [ExprToken]),
}

/// A multi-valued operand: a literal composite or a claim with several values.
#[derive(Clone, Copy, Debug)]
pub(super) enum Many<'a> {
    Literal(&'a [ExprToken]),
    Claim(&'a ClaimAttribute),
}

impl<'a> Many<'a> {
    pub(super) fn len(&self) -> usize {
        match self {
            Many::Literal(t) => t.len(),
            Many::Claim(c) => c.values.len(),
        }
    }

    pub(super) fn get(&self, i: usize) -> Option<Scalar<'a>> {
        match self {
            Many::Literal(t) => t.get(i).and_then(literal_scalar),
            Many::Claim(c) => claim_scalar(c, i),
        }
    }
}

/// A stack value seen as a list of values: a single value is a list of one
/// (Samba's krb5 records: a single-valued claim `"bar"` equals `{"bar"}`,
/// and a two-valued claim `!=` a single value is TRUE).
#[derive(Clone, Copy)]
enum List<'a> {
    One(Scalar<'a>),
    Many(Many<'a>),
}

impl<'a> List<'a> {
    fn of(v: Value<'a>) -> Option<List<'a>> {
        match v {
            Value::One(s, _) => Some(List::One(s)),
            Value::Many(m, _) => Some(List::Many(m)),
            _ => None,
        }
    }

    fn len(&self) -> usize {
        match self {
            List::One(_) => 1,
            List::Many(m) => m.len(),
        }
    }

    fn get(&self, i: usize) -> Result<Scalar<'a>, Fault> {
        let s = match self {
            List::One(s) if i == 0 => Some(*s),
            List::One(_) => None,
            List::Many(m) => m.get(i),
        };
        s.ok_or_else(|| Fault("unreadable composite member".into()))
    }
}

fn literal_scalar(t: &ExprToken) -> Option<Scalar<'_>> {
    Some(match t {
        ExprToken::Int { value, .. } => Scalar::Int(i128::from(*value)),
        ExprToken::String(s) => Scalar::Str(s, false),
        ExprToken::Octets(o) => Scalar::Octets(o),
        ExprToken::Sid(s) => Scalar::Sid(s),
        ExprToken::Composite(c) => Scalar::Nested(c),
        ExprToken::Attr(..) | ExprToken::Op(_) => return None,
    })
}

/// Claim values as the evaluator sees them: unsigned integers keep their
/// full range; booleans stay booleans.
pub(super) fn claim_scalar(c: &ClaimAttribute, i: usize) -> Option<Scalar<'_>> {
    let cs = c.is_case_sensitive();
    Some(match &c.values {
        ClaimValues::Int64(v) => Scalar::Int(i128::from(*v.get(i)?)),
        ClaimValues::Uint64(v) => Scalar::Int(i128::from(*v.get(i)?)),
        ClaimValues::Boolean(v) => Scalar::Bool(*v.get(i)?),
        ClaimValues::String(v) => Scalar::Str(v.get(i)?, cs),
        ClaimValues::Sid(v) => Scalar::Sid(v.get(i)?),
        ClaimValues::OctetString(v) => Scalar::Octets(v.get(i)?),
    })
}

/// Whether a claim's values can be used: it has at least one, and no two
/// are equal under the claim's own case sensitivity. Windows never holds
/// such a claim in a token: a claim with no values evaluates as absent
/// (Samba's krb5 records: an empty claim `!= "foo bar"` and a bare empty
/// claim are UNKNOWN), and duplicates are refused (the same records: a PAC
/// with `[42, 42]` or `["FOO", "foo"]` fails), and "Windows will treat RA
/// ACEs with duplicate values as not existing" (Samba's
/// `libcli/security/conditional_ace.c`, `compare_composites`). So both
/// count as an absent attribute. Allocates nothing; quadratic in the
/// number of values, so a [`super::ConditionContext`] asks it once per
/// claim, ahead of evaluation, not once per reference.
pub fn usable_values(c: &ClaimAttribute) -> bool {
    let n = c.values.len();
    for i in 0..n {
        for j in i + 1..n {
            if let (Some(a), Some(b)) = (claim_scalar(c, i), claim_scalar(c, j)) {
                if matches!(compare_scalars(a, b, false), Ok(Ordering::Equal)) {
                    return false;
                }
            }
        }
    }
    n > 0
}

/// The logical value of one value of an attribute (MS-DTYP 2.4.4.17.7):
/// a non-zero integer or TRUE boolean is TRUE, zero or FALSE is FALSE, a
/// non-empty string TRUE, an empty one FALSE; other types are UNKNOWN.
pub(super) fn scalar_truth(s: Scalar<'_>) -> Tristate {
    match s {
        Scalar::Int(n) => Tristate::from_bool(n != 0),
        Scalar::Bool(b) => Tristate::from_bool(b),
        Scalar::Str(t, _) => Tristate::from_bool(!t.is_empty()),
        _ => Tristate::Unknown,
    }
}

/// The logical value of a multi-valued attribute: TRUE when one of its
/// values is (Samba's krb5 records: the integer, unsigned and boolean
/// claims `[0, 1]` and `[1, 0]` are TRUE as bare attributes; `[0, 0]`
/// cannot be issued). Three-valued OR over the values.
pub(super) fn many_truth(m: Many<'_>) -> Tristate {
    let mut r = Tristate::False;
    for i in 0..m.len() {
        r = r.or(m.get(i).map_or(Tristate::Unknown, scalar_truth));
    }
    r
}

/// Binary relational operators: comparisons, `Contains`, `Any_of` and their
/// negations (2.4.4.17.6).
pub(super) fn relational(op: ExprOp, lhs: Value<'_>, rhs: Value<'_>) -> Result<Tristate, Fault> {
    // An empty literal composite on the right of `Contains` answers before
    // anything else: `Contains {}` is FALSE and `Not_Contains {}` TRUE even
    // when the attribute on the left is absent (Samba's krb5 records: `()
    // Contains {}` FALSE, `() Not_Contains {}` TRUE, `"foo" Contains {}`
    // FALSE).
    if matches!(op, ExprOp::Contains | ExprOp::NotContains)
        && matches!(rhs, Value::Many(Many::Literal(t), None) if t.is_empty())
    {
        return Ok(Tristate::from_bool(op == ExprOp::NotContains));
    }
    // "Each relational operator MUST return UNKNOWN if the attribute tested
    // does not exist."
    if matches!(lhs, Value::Null(_)) || matches!(rhs, Value::Null(_)) {
        return Ok(Tristate::Unknown);
    }
    // The left-hand side must be an attribute (2.4.4.17.6: "LHS ...
    // attribute"); a literal there is a processing error.
    if !lhs.is_attribute() {
        return fault(format!("the left of `{}` must be an attribute", op.sddl()));
    }
    let multi = matches!(lhs, Value::Many(..)) || matches!(rhs, Value::Many(..));
    match op {
        ExprOp::Equal | ExprOp::NotEqual if multi => {
            // Lists compare as lists of the same length holding the same
            // values in any order (Samba's krb5 records: {"apple", "banana"}
            // equals {"BANANA", "APPLE"} but not {"apple", "banana",
            // "apple"}; a two-valued claim != a single value is TRUE).
            let (Some(l), Some(r)) = (List::of(lhs), List::of(rhs)) else {
                return fault("operands of different types cannot be compared");
            };
            let same = lists_equal(l, r)?;
            Ok(Tristate::from_bool(same == (op == ExprOp::Equal)))
        }
        ExprOp::Less | ExprOp::LessOrEqual | ExprOp::Greater | ExprOp::GreaterOrEqual if multi => {
            // "For all operators other than ==, Contains, and Any_of ...
            // when multivalued attributes are on the left- and/or right-hand
            // side of an operator, the operation will fail and produce an
            // UNKNOWN value" (2.4.4.17.6; Samba's krb5 records agree).
            Ok(Tristate::Unknown)
        }
        ExprOp::Equal
        | ExprOp::NotEqual
        | ExprOp::Less
        | ExprOp::LessOrEqual
        | ExprOp::Greater
        | ExprOp::GreaterOrEqual => {
            let ordering = op != ExprOp::Equal && op != ExprOp::NotEqual;
            let cmp = compare(lhs, rhs, ordering)?;
            Ok(Tristate::from_bool(match op {
                ExprOp::Equal => cmp == Ordering::Equal,
                ExprOp::NotEqual => cmp != Ordering::Equal,
                ExprOp::Less => cmp == Ordering::Less,
                ExprOp::LessOrEqual => cmp != Ordering::Greater,
                ExprOp::Greater => cmp == Ordering::Greater,
                _ => cmp != Ordering::Less,
            }))
        }
        ExprOp::Contains | ExprOp::NotContains => {
            let (Some(l), Some(r)) = (List::of(lhs), List::of(rhs)) else {
                return fault("`Contains` needs values");
            };
            // Every right-hand value is among the left-hand ones; the right
            // may be a single value and may repeat values (Samba's krb5
            // records: `"foo" Contains "foo"`, `{"foo", "bar"} Contains
            // {"foo", "bar", "bar"}` are TRUE).
            let r_in_l = within(r, l)?;
            Ok(Tristate::from_bool(r_in_l != (op == ExprOp::NotContains)))
        }
        ExprOp::AnyOf | ExprOp::NotAnyOf => {
            // A literal on the right must be a composite (Samba's krb5
            // records: `"foo" Any_of "foo"` and `{..} Not_Any_of "baz"` are
            // UNKNOWN, while a single-valued claim on the right is fine).
            if matches!(rhs, Value::One(_, None)) {
                return fault(format!(
                    "the right of `{}` must be a composite or an attribute",
                    op.sddl()
                ));
            }
            let (Some(l), Some(r)) = (List::of(lhs), List::of(rhs)) else {
                return fault("`Any_of` needs values");
            };
            // The two sides have a value in common; `Any_of {}` is FALSE
            // (Samba's krb5 records: `"foo" Any_of {}` FALSE, `Not_Any_of
            // {}` TRUE).
            let mut common = false;
            for i in 0..l.len() {
                if member_in(l.get(i)?, r)? {
                    common = true;
                    break;
                }
            }
            Ok(Tristate::from_bool(common != (op == ExprOp::NotAnyOf)))
        }
        _ => fault(format!(
            "`{}` is not a binary relational operator",
            op.sddl()
        )),
    }
}

/// Compares two single stack values.
fn compare(lhs: Value<'_>, rhs: Value<'_>, ordering: bool) -> Result<Ordering, Fault> {
    match (lhs, rhs) {
        (Value::One(a, _), Value::One(b, _)) => compare_scalars(a, b, ordering),
        (Value::Result(a) | Value::NotOfAttr(a), Value::One(Scalar::Int(n), _))
        | (Value::One(Scalar::Int(n), _), Value::Result(a) | Value::NotOfAttr(a))
            if !ordering && (n == 0 || n == 1) && a != Tristate::Unknown =>
        {
            // A result compares with the integers 0 and 1 (Samba's
            // `tokens_are_comparable`).
            Ok(if (a == Tristate::True) == (n == 1) {
                Ordering::Equal
            } else {
                Ordering::Less
            })
        }
        _ => fault("operands of different types cannot be compared"),
    }
}

/// Whether two lists hold the same values: the same length, each value of
/// one equal to a value of the other. Every pair must be comparable: a
/// list of integers against a list of strings is an error even when the
/// lengths differ (Samba's krb5 records: `("654", "321") == {654, 321}` is
/// UNKNOWN).
fn lists_equal(l: List<'_>, r: List<'_>) -> Result<bool, Fault> {
    if l.len() != r.len() {
        for i in 0..l.len() {
            for j in 0..r.len() {
                compare_scalars(l.get(i)?, r.get(j)?, false)?;
            }
        }
        return Ok(false);
    }
    Ok(within(l, r)? && within(r, l)?)
}

/// Whether every value of `a` equals some value of `b`.
fn within(a: List<'_>, b: List<'_>) -> Result<bool, Fault> {
    for i in 0..a.len() {
        if !member_in(a.get(i)?, b)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Whether `x` equals some value of `set`.
fn member_in(x: Scalar<'_>, set: List<'_>) -> Result<bool, Fault> {
    for j in 0..set.len() {
        if compare_scalars(x, set.get(j)?, false)? == Ordering::Equal {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Compares two scalars of one type (2.4.4.17.6); values of different types
/// cannot be compared, which is a processing error: the result is UNKNOWN,
/// not FALSE (Samba's krb5 records: a string claim `"42" == 42` and a
/// boolean claim `== 42` are UNKNOWN).
pub(super) fn compare_scalars(
    a: Scalar<'_>,
    b: Scalar<'_>,
    ordering: bool,
) -> Result<Ordering, Fault> {
    match (a, b) {
        (Scalar::Int(x), Scalar::Int(y)) => Ok(x.cmp(&y)),
        (Scalar::Bool(x), Scalar::Bool(y)) if !ordering => Ok(x.cmp(&y)),
        (Scalar::Bool(_), Scalar::Bool(_)) => fault("booleans cannot be ordered"),
        // UTF-16 code units, upper-cased by Windows' table unless either
        // side is a case-sensitive claim (2.4.4.17.6; Samba's
        // `compare_unicode` lets either side ask for case).
        (Scalar::Str(x, cx), Scalar::Str(y, cy)) => Ok(compare_utf16(x, y, !(cx || cy))),
        (Scalar::Octets(x), Scalar::Octets(y)) => Ok(x.cmp(y)),
        // SIDs support equality only (2.4.4.17.6: ordering operators need
        // integers, strings or octet strings).
        (Scalar::Sid(x), Scalar::Sid(y)) if !ordering => Ok(if x == y {
            Ordering::Equal
        } else {
            Ordering::Less
        }),
        (Scalar::Sid(_), Scalar::Sid(_)) => fault("SIDs cannot be ordered"),
        (Scalar::Nested(_), _) | (_, Scalar::Nested(_)) => {
            fault("nested composites cannot be compared")
        }
        _ => fault("operands of different types cannot be compared"),
    }
}

pub(super) fn show(v: &Value<'_>) -> String {
    let mut out = String::new();
    match v {
        Value::Null(_) => out.push_str("(absent)"),
        Value::Result(r) | Value::NotOfAttr(r) => out.push_str(r.name()),
        Value::One(s, _) => show_scalar(&mut out, s),
        Value::Many(m, _) => {
            out.push('{');
            for i in 0..m.len() {
                if i > 0 {
                    out.push_str(", ");
                }
                if let Some(s) = m.get(i) {
                    show_scalar(&mut out, &s);
                }
            }
            out.push('}');
        }
    }
    out
}

fn show_scalar(out: &mut String, s: &Scalar<'_>) {
    let _ = match s {
        Scalar::Int(n) => write!(out, "{n}"),
        Scalar::Bool(b) => write!(out, "{b}"),
        Scalar::Str(t, _) => write!(out, "{t:?}"),
        Scalar::Octets(o) => {
            out.push('#');
            for b in *o {
                let _ = write!(out, "{b:02x}");
            }
            Ok(())
        }
        Scalar::Sid(sid) => write!(out, "SID({sid})"),
        Scalar::Nested(n) => write!(out, "{{{} values}}", n.len()),
    };
}
