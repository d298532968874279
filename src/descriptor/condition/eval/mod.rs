//! Evaluation of conditional expressions (MS-DTYP 2.4.4.17.5 to 2.4.4.17.8,
//! and the EvaluateAceCondition algorithm of 2.5.3.1.5), as Windows does it.
//!
//! The expression is run as its postfix stream over a stack. The rules, with
//! where each comes from ("Samba's krb5 records" are the outcomes Samba's
//! `python/samba/tests/krb5/conditional_ace_tests.py` recorded against
//! Windows servers):
//!
//! - Three-valued logic (TRUE, FALSE, UNKNOWN) for `&&`, `||` and `!`
//!   (2.4.4.17.7). The logical value of an attribute is TRUE for a non-zero
//!   integer, a TRUE boolean or a non-empty string, FALSE for zero, FALSE or
//!   the empty string, UNKNOWN when absent or of another type; a
//!   multi-valued attribute is TRUE when one of its values is (Samba's krb5
//!   records). `!` applied straight to an attribute, as the right operand
//!   of `&&` or `||` whose left operand is an attribute, gives UNKNOWN
//!   (Samba's krb5 records; see [`value`]).
//! - A relational operator whose attribute is absent is UNKNOWN
//!   (2.4.4.17.6). A claim with no values, or with two equal values, counts
//!   as absent.
//! - `==` and `!=` with a multi-valued operand compare lists: a single value
//!   is a list of one; equal means the same length and the same values in
//!   any order. `<`, `<=`, `>`, `>=` with a multi-valued operand are UNKNOWN
//!   (2.4.4.17.6). `Contains` needs every right-hand value on the left and
//!   is FALSE against `{}`; `Any_of` needs one value in common, is FALSE
//!   against `{}`, and wants a composite (or an attribute) on the right.
//! - A *processing error* (a literal where an attribute is required, operand
//!   types that cannot be compared, a malformed stream) makes the entire
//!   expression UNKNOWN, "regardless of the rest of the expression"
//!   (2.4.4.17.6, 2.4.4.17.7). Booleans are their own type.
//! - Strings compare as UTF-16 code units, upper-cased by Windows' table
//!   unless a claim carries `CLAIM_SECURITY_ATTRIBUTE_VALUE_CASE_SENSITIVE`
//!   (2.4.4.17.6; [`crate::descriptor::upcase`]).
//!
//! Evaluation allocates nothing for expressions up to [`INLINE_STACK`] deep;
//! only a deeper stack spills to the heap.

mod value;

use super::{AttrClass, ExprOp, ExprToken, Expression};
use crate::descriptor::claims::ClaimAttribute;
use crate::ids::sid::Sid;

use value::{claim_scalar, many_truth, relational, scalar_truth, show, Many, Scalar, Value};
/// The three-valued result of a condition.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, serde::Serialize)]
#[serde(rename_all = "UPPERCASE")]
// Exhaustive on purpose: three-valued logic has exactly these three values
// (MS-DTYP 2.4.4.17.3), and callers should match all of them.
pub enum Tristate {
    /// The condition holds.
    True,
    /// The condition does not hold.
    False,
    /// The condition could not be decided (a missing attribute, a type
    /// mismatch or a malformed expression).
    Unknown,
}

impl Tristate {
    /// `TRUE`, `FALSE` or `UNKNOWN`.
    pub const fn name(self) -> &'static str {
        match self {
            Tristate::True => "TRUE",
            Tristate::False => "FALSE",
            Tristate::Unknown => "UNKNOWN",
        }
    }

    /// TRUE or FALSE from a boolean.
    pub const fn from_bool(b: bool) -> Tristate {
        if b {
            Tristate::True
        } else {
            Tristate::False
        }
    }

    /// Three-valued NOT (MS-DTYP 2.4.4.17.7).
    pub const fn not(self) -> Tristate {
        match self {
            Tristate::True => Tristate::False,
            Tristate::False => Tristate::True,
            Tristate::Unknown => Tristate::Unknown,
        }
    }

    /// Three-valued AND: FALSE if either is FALSE, TRUE if both are TRUE,
    /// else UNKNOWN (MS-DTYP 2.4.4.17.7).
    pub const fn and(self, other: Tristate) -> Tristate {
        match (self, other) {
            (Tristate::False, _) | (_, Tristate::False) => Tristate::False,
            (Tristate::True, Tristate::True) => Tristate::True,
            _ => Tristate::Unknown,
        }
    }

    /// Three-valued OR: TRUE if either is TRUE, FALSE if both are FALSE,
    /// else UNKNOWN (MS-DTYP 2.4.4.17.7).
    pub const fn or(self, other: Tristate) -> Tristate {
        match (self, other) {
            (Tristate::True, _) | (_, Tristate::True) => Tristate::True,
            (Tristate::False, Tristate::False) => Tristate::False,
            _ => Tristate::Unknown,
        }
    }
}

impl std::fmt::Display for Tristate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

pub use value::usable_values;

/// What an expression is evaluated against: the token's claims and SIDs and
/// the object's resource attributes.
pub trait ConditionContext {
    /// The attribute `name` of `class`, matched case-insensitively, or
    /// `None` when absent. Where several claims share a name, the last one
    /// counts. The implementation leaves out claims that do not apply
    /// (disabled ones, and deny-only ones for an allow ACE), and gives a
    /// claim that is not `usable_values` (duplicate values) with no
    /// values, which evaluation reads as absent. Deciding that once per
    /// claim, when the context is built, keeps the quadratic test off
    /// each reference.
    fn attribute(&self, class: AttrClass, name: &str) -> Option<&ClaimAttribute>;

    /// Whether the token's SIDs (`device == false`) or the device's SIDs
    /// (`device == true`) hold `sid` (MS-DTYP 2.4.4.17.6: the SIDs[] and
    /// DeviceSIDs[] arrays of 2.5.2).
    fn holds(&self, sid: &Sid, device: bool) -> bool;
}

/// The result of an evaluation with, when asked for, how it was reached.
#[derive(Clone, PartialEq, Eq, Debug, serde::Serialize)]
pub struct Evaluation {
    /// The value.
    pub value: Tristate,
    /// One line per operator applied, in evaluation order, and the error
    /// that made the whole expression UNKNOWN, if any.
    pub steps: Vec<String>,
}

/// Evaluates `expr` against `ctx`.
pub fn evaluate(expr: &Expression, ctx: &dyn ConditionContext) -> Tristate {
    run(expr, ctx, &mut NoNotes)
}

/// Evaluates `expr` and records each step, for explanations.
pub fn evaluate_explained(expr: &Expression, ctx: &dyn ConditionContext) -> Evaluation {
    let mut notes = Notes(Vec::new());
    let value = run(expr, ctx, &mut notes);
    Evaluation {
        value,
        steps: notes.0,
    }
}

/// The stack depth evaluated without touching the heap.
pub const INLINE_STACK: usize = 24;

trait Recorder {
    fn on(&self) -> bool;
    fn note(&mut self, f: impl FnOnce() -> String);
}

struct NoNotes;
impl Recorder for NoNotes {
    #[inline(always)]
    fn on(&self) -> bool {
        false
    }
    #[inline(always)]
    fn note(&mut self, _: impl FnOnce() -> String) {}
}

struct Notes(Vec<String>);
impl Recorder for Notes {
    fn on(&self) -> bool {
        true
    }
    fn note(&mut self, f: impl FnOnce() -> String) {
        self.0.push(f());
    }
}

/// A processing error: the whole expression is UNKNOWN.
struct Fault(String);

fn fault<T>(msg: impl Into<String>) -> Result<T, Fault> {
    Err(Fault(msg.into()))
}

/// A stack that stays inline up to [`INLINE_STACK`] values.
struct Stack<'a> {
    inline: [Value<'a>; INLINE_STACK],
    len: usize,
    spill: Vec<Value<'a>>,
}

impl<'a> Stack<'a> {
    fn new() -> Stack<'a> {
        Stack {
            inline: [Value::Result(Tristate::Unknown); INLINE_STACK],
            len: 0,
            spill: Vec::new(),
        }
    }

    fn push(&mut self, v: Value<'a>) {
        if self.len < INLINE_STACK {
            self.inline[self.len] = v;
        } else {
            self.spill.push(v);
        }
        self.len += 1;
    }

    fn pop(&mut self) -> Result<Value<'a>, Fault> {
        if self.len == 0 {
            return fault("an operator lacks an operand");
        }
        self.len -= 1;
        if self.len < INLINE_STACK {
            Ok(self.inline[self.len])
        } else {
            self.spill
                .pop()
                .ok_or_else(|| Fault("evaluation stack underflow".into()))
        }
    }
}

fn run(expr: &Expression, ctx: &dyn ConditionContext, rec: &mut impl Recorder) -> Tristate {
    match run_inner(expr, ctx, rec) {
        Ok(v) => v,
        Err(Fault(msg)) => {
            rec.note(|| {
                format!("error: {msg}; the whole condition is UNKNOWN (MS-DTYP 2.4.4.17.6)")
            });
            Tristate::Unknown
        }
    }
}

fn run_inner<'a>(
    expr: &'a Expression,
    ctx: &'a dyn ConditionContext,
    rec: &mut impl Recorder,
) -> Result<Tristate, Fault> {
    let mut stack = Stack::new();
    for t in &expr.tokens {
        match t {
            ExprToken::Int { value, .. } => {
                stack.push(Value::One(Scalar::Int(i128::from(*value)), None))
            }
            ExprToken::String(s) => stack.push(Value::One(Scalar::Str(s, false), None)),
            ExprToken::Octets(o) => stack.push(Value::One(Scalar::Octets(o), None)),
            ExprToken::Sid(s) => stack.push(Value::One(Scalar::Sid(s), None)),
            ExprToken::Composite(c) => stack.push(Value::Many(Many::Literal(c), None)),
            ExprToken::Attr(class, name) => {
                let origin = Some(*class);
                let v = match ctx.attribute(*class, name) {
                    Some(c) if c.values.is_empty() => Value::Null(*class),
                    Some(c) if c.values.len() == 1 => match claim_scalar(c, 0) {
                        Some(s) => Value::One(s, origin),
                        None => Value::Null(*class),
                    },
                    Some(c) => Value::Many(Many::Claim(c), origin),
                    None => Value::Null(*class),
                };
                if rec.on() {
                    let shown = show(&v);
                    rec.note(|| format!("{} = {shown}", attr_text(*class, name)));
                }
                stack.push(v);
            }
            ExprToken::Op(op) => {
                let v = apply(*op, &mut stack, ctx, rec)?;
                stack.push(v);
            }
        }
    }
    // EvaluateAceCondition (2.5.3.1.5): exactly one value must remain, and
    // its logical value is the result.
    let top = stack.pop()?;
    if stack.len != 0 {
        return fault("the expression leaves more than one value");
    }
    match top {
        Value::Result(r) | Value::NotOfAttr(r) => Ok(r),
        v => logical_value(v, "the expression"),
    }
}

fn apply<'a>(
    op: ExprOp,
    stack: &mut Stack<'a>,
    ctx: &dyn ConditionContext,
    rec: &mut impl Recorder,
) -> Result<Value<'a>, Fault> {
    let result = match op {
        ExprOp::And | ExprOp::Or => {
            let rhs = stack.pop()?;
            let lhs = stack.pop()?;
            let a = logical_value(lhs, op.sddl())?;
            let b = logical_value(rhs, op.sddl())?;
            // Samba's krb5 records: `(a || !(a))` and `(a && !(b))` are
            // UNKNOWN for boolean claims a and b, while `(!(a) || a)`,
            // `(!(a) || !(a))` and `(a && !(b || b))` are decided.
            let quirk = lhs.is_attribute() && matches!(rhs, Value::NotOfAttr(_));
            let r = if quirk {
                Tristate::Unknown
            } else if op == ExprOp::And {
                a.and(b)
            } else {
                a.or(b)
            };
            rec.note(|| {
                let why = if quirk {
                    " (as Windows: `!` of an attribute on the right of an attribute)"
                } else {
                    ""
                };
                format!("{a} {} {b} -> {r}{why}", op.sddl())
            });
            r
        }
        ExprOp::Not => {
            let v = stack.pop()?;
            let a = logical_value(v, "!")?;
            rec.note(|| format!("!{a} -> {}", a.not()));
            if v.is_attribute() {
                return Ok(Value::NotOfAttr(a.not()));
            }
            a.not()
        }
        ExprOp::Exists | ExprOp::NotExists => {
            // 2.4.4.17.7: only local and resource attributes may be tested;
            // anything else (user and device claims included) is an error.
            let v = stack.pop()?;
            let (class, present) = match v {
                Value::Null(c) => (Some(c), false),
                Value::One(_, c) | Value::Many(_, c) => (c, true),
                Value::Result(_) | Value::NotOfAttr(_) => (None, false),
            };
            if !matches!(class, Some(AttrClass::Local | AttrClass::Resource)) {
                return fault(format!(
                    "`{}` applies only to local and resource attributes",
                    op.sddl()
                ));
            }
            let r = Tristate::from_bool(present == (op == ExprOp::Exists));
            rec.note(|| format!("{} -> {r}", op.sddl()));
            r
        }
        op if op.is_member_of() => {
            let v = stack.pop()?;
            let r = member_of(op, v, ctx)?;
            if rec.on() {
                let shown = show(&v);
                rec.note(|| format!("{} {shown} -> {r}", op.sddl()));
            }
            r
        }
        _ => {
            let rhs = stack.pop()?;
            let lhs = stack.pop()?;
            let r = relational(op, lhs, rhs)?;
            if rec.on() {
                let (l, rr) = (show(&lhs), show(&rhs));
                rec.note(|| format!("{l} {} {rr} -> {r}", op.sddl()));
            }
            r
        }
    };
    Ok(Value::Result(result))
}

/// The logical value of an operand (2.4.4.17.7).
fn logical_value(v: Value<'_>, what: &str) -> Result<Tristate, Fault> {
    Ok(match v {
        Value::Result(r) | Value::NotOfAttr(r) => r,
        Value::Null(_) => Tristate::Unknown,
        Value::One(_, None) | Value::Many(_, None) => {
            return fault(format!("`{what}` cannot take a literal operand"))
        }
        Value::One(s, Some(_)) => scalar_truth(s),
        Value::Many(m, Some(_)) => many_truth(m),
    })
}

/// The member-of family (2.4.4.17.6, unary relational operators).
fn member_of(op: ExprOp, v: Value<'_>, ctx: &dyn ConditionContext) -> Result<Tristate, Fault> {
    let device = matches!(
        op,
        ExprOp::DeviceMemberOf
            | ExprOp::DeviceMemberOfAny
            | ExprOp::NotDeviceMemberOf
            | ExprOp::NotDeviceMemberOfAny
    );
    let any = matches!(
        op,
        ExprOp::MemberOfAny
            | ExprOp::DeviceMemberOfAny
            | ExprOp::NotMemberOfAny
            | ExprOp::NotDeviceMemberOfAny
    );
    let negate = matches!(
        op,
        ExprOp::NotMemberOf
            | ExprOp::NotDeviceMemberOf
            | ExprOp::NotMemberOfAny
            | ExprOp::NotDeviceMemberOfAny
    );
    let held = |s: Scalar<'_>| -> Result<bool, Fault> {
        match s {
            Scalar::Sid(sid) => Ok(ctx.holds(sid, device)),
            _ => fault(format!("`{}` needs SID operands", op.sddl())),
        }
    };
    let answer = match v {
        Value::Null(_) => return Ok(Tristate::Unknown),
        Value::Result(_) | Value::NotOfAttr(_) => {
            return fault(format!("`{}` needs SID operands", op.sddl()))
        }
        Value::One(s, _) => held(s)?,
        Value::Many(m, _) => {
            if m.len() == 0 {
                return fault(format!("`{}` has an empty SID list", op.sddl()));
            }
            let mut all = true;
            let mut some = false;
            for i in 0..m.len() {
                let s = m
                    .get(i)
                    .ok_or_else(|| Fault("unreadable composite member".into()))?;
                if held(s)? {
                    some = true;
                } else {
                    all = false;
                }
            }
            if any {
                some
            } else {
                all
            }
        }
    };
    Ok(Tristate::from_bool(answer != negate))
}

fn attr_text(class: AttrClass, name: &str) -> String {
    let prefix = match class {
        AttrClass::Local => "",
        AttrClass::User => "@User.",
        AttrClass::Resource => "@Resource.",
        AttrClass::Device => "@Device.",
    };
    format!("{prefix}{name}")
}

#[cfg(test)]
mod tests;
