//! Operand values on the evaluation stack and the comparisons between them:
//! relational operators, `Contains` and `Any_of` (MS-DTYP 2.4.4.17.6).

use super::{fault, Fault, Tristate};
use crate::descriptor::claims::{ClaimAttribute, ClaimValues};
use crate::descriptor::condition::{AttrClass, ExprOp, ExprToken};
use crate::ids::sid::Sid;
use std::cmp::Ordering;
use std::fmt::Write as _;

/// A value on the evaluation stack.
#[derive(Clone, Copy, Debug)]
pub(super) enum Value<'a> {
    /// An attribute that is not present.
    Null(AttrClass),
    /// The result of an operator.
    Result(Tristate),
    /// A single value, with the attribute class it came from (`None` for a
    /// literal).
    One(Scalar<'a>, Option<AttrClass>),
    /// Several values, with their attribute class.
    Many(Many<'a>, Option<AttrClass>),
}

/// One operand value, as the comparisons see it.
#[derive(Clone, Copy, Debug)]
pub(super) enum Scalar<'a> {
    Int(i128),
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

/// Claim values as the evaluator sees them: booleans are the integers 0 and
/// 1, and unsigned integers keep their full range.
pub(super) fn claim_scalar(c: &ClaimAttribute, i: usize) -> Option<Scalar<'_>> {
    let cs = c.is_case_sensitive();
    Some(match &c.values {
        ClaimValues::Int64(v) => Scalar::Int(i128::from(*v.get(i)?)),
        ClaimValues::Uint64(v) => Scalar::Int(i128::from(*v.get(i)?)),
        ClaimValues::Boolean(v) => Scalar::Int(i128::from(*v.get(i)?)),
        ClaimValues::String(v) => Scalar::Str(v.get(i)?, cs),
        ClaimValues::Sid(v) => Scalar::Sid(v.get(i)?),
        ClaimValues::OctetString(v) => Scalar::Octets(v.get(i)?),
    })
}

/// Binary relational operators: comparisons, `Contains`, `Any_of` and their
/// negations (2.4.4.17.6).
pub(super) fn relational(op: ExprOp, lhs: Value<'_>, rhs: Value<'_>) -> Result<Tristate, Fault> {
    // "Each relational operator MUST return UNKNOWN if the attribute tested
    // does not exist."
    if matches!(lhs, Value::Null(_)) || matches!(rhs, Value::Null(_)) {
        return Ok(Tristate::Unknown);
    }
    // The left-hand side must be an attribute (2.4.4.17.6: "LHS ...
    // attribute"); a literal there is a processing error.
    let from_attr = matches!(lhs, Value::One(_, Some(_)) | Value::Many(_, Some(_)));
    if !from_attr {
        return fault(format!("the left of `{}` must be an attribute", op.sddl()));
    }
    let multi = matches!(lhs, Value::Many(..)) || matches!(rhs, Value::Many(..));
    match op {
        ExprOp::Equal
        | ExprOp::NotEqual
        | ExprOp::Less
        | ExprOp::LessOrEqual
        | ExprOp::Greater
        | ExprOp::GreaterOrEqual => {
            // Multi-valued operands: only `==` is defined (set equality).
            if multi && op != ExprOp::Equal {
                return Ok(Tristate::Unknown);
            }
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
            let r = contains(lhs, rhs)?;
            Ok(Tristate::from_bool(r != (op == ExprOp::NotContains)))
        }
        ExprOp::AnyOf | ExprOp::NotAnyOf => {
            let r = any_of(lhs, rhs)?;
            Ok(Tristate::from_bool(r != (op == ExprOp::NotAnyOf)))
        }
        _ => fault(format!(
            "`{}` is not a binary relational operator",
            op.sddl()
        )),
    }
}

/// Compares two stack values. Composites compare as sets and only for
/// equality.
fn compare(lhs: Value<'_>, rhs: Value<'_>, ordering: bool) -> Result<Ordering, Fault> {
    match (lhs, rhs) {
        (Value::One(a, _), Value::One(b, _)) => compare_scalars(a, b, ordering),
        (Value::Many(a, _), Value::Many(b, _)) => {
            if set_within(a, b)? && set_within(b, a)? {
                Ok(Ordering::Equal)
            } else {
                Ok(Ordering::Less)
            }
        }
        (Value::Result(a), Value::One(Scalar::Int(n), _))
        | (Value::One(Scalar::Int(n), _), Value::Result(a))
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

/// Whether every member of `a` equals some member of `b`.
fn set_within(a: Many<'_>, b: Many<'_>) -> Result<bool, Fault> {
    for i in 0..a.len() {
        let x = a
            .get(i)
            .ok_or_else(|| Fault("unreadable composite member".into()))?;
        if !member_in(x, b)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Whether `x` equals some member of `set`.
fn member_in(x: Scalar<'_>, set: Many<'_>) -> Result<bool, Fault> {
    for j in 0..set.len() {
        let y = set
            .get(j)
            .ok_or_else(|| Fault("unreadable composite member".into()))?;
        if compare_scalars(x, y, false)? == Ordering::Equal {
            return Ok(true);
        }
    }
    Ok(false)
}

fn compare_scalars(a: Scalar<'_>, b: Scalar<'_>, ordering: bool) -> Result<Ordering, Fault> {
    match (a, b) {
        (Scalar::Int(x), Scalar::Int(y)) => Ok(x.cmp(&y)),
        (Scalar::Str(x, cx), Scalar::Str(y, cy)) => Ok(if cx || cy {
            x.cmp(y)
        } else {
            compare_ignoring_case(x, y)
        }),
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

/// Case-insensitive comparison by Unicode upper case, as Windows'
/// `RtlCompareUnicodeString(…, TRUE)` compares, without allocating.
fn compare_ignoring_case(a: &str, b: &str) -> Ordering {
    let mut x = a.chars().flat_map(char::to_uppercase);
    let mut y = b.chars().flat_map(char::to_uppercase);
    loop {
        match (x.next(), y.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(c), Some(d)) if c != d => return c.cmp(&d),
            _ => {}
        }
    }
}

/// `Contains`: every right-hand value is among the left-hand values.
fn contains(lhs: Value<'_>, rhs: Value<'_>) -> Result<bool, Fault> {
    match (lhs, rhs) {
        (Value::Many(l, _), Value::Many(r, _)) => {
            if r.len() == 0 {
                return fault("`Contains` has an empty right-hand list");
            }
            set_within(r, l)
        }
        (Value::Many(l, _), Value::One(x, _)) => member_in(x, l),
        (Value::One(x, _), Value::Many(r, _)) => {
            if r.len() == 0 {
                return fault("`Contains` has an empty right-hand list");
            }
            for i in 0..r.len() {
                let y = r
                    .get(i)
                    .ok_or_else(|| Fault("unreadable composite member".into()))?;
                if compare_scalars(x, y, false)? != Ordering::Equal {
                    return Ok(false);
                }
            }
            Ok(true)
        }
        (Value::One(x, _), Value::One(y, _)) => {
            Ok(compare_scalars(x, y, false)? == Ordering::Equal)
        }
        _ => fault("`Contains` needs values"),
    }
}

/// `Any_of`: the two sides have a value in common.
fn any_of(lhs: Value<'_>, rhs: Value<'_>) -> Result<bool, Fault> {
    match (lhs, rhs) {
        (Value::Many(l, _), Value::Many(r, _)) => {
            if l.len() == 0 {
                return fault("`Any_of` has an empty list");
            }
            for i in 0..l.len() {
                let x = l
                    .get(i)
                    .ok_or_else(|| Fault("unreadable composite member".into()))?;
                if member_in(x, r)? {
                    return Ok(true);
                }
            }
            Ok(false)
        }
        (Value::Many(m, _), Value::One(x, _)) | (Value::One(x, _), Value::Many(m, _)) => {
            member_in(x, m)
        }
        (Value::One(x, _), Value::One(y, _)) => {
            Ok(compare_scalars(x, y, false)? == Ordering::Equal)
        }
        _ => fault("`Any_of` needs values"),
    }
}

pub(super) fn show(v: &Value<'_>) -> String {
    let mut out = String::new();
    match v {
        Value::Null(_) => out.push_str("(absent)"),
        Value::Result(r) => out.push_str(r.name()),
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
