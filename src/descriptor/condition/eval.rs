//! Evaluation of conditional expressions (MS-DTYP 2.4.4.17.5 to 2.4.4.17.8,
//! and the EvaluateAceCondition algorithm of 2.5.3.1.5).
//!
//! The expression is run as its postfix stream over a stack. The rules:
//!
//! - Three-valued logic (TRUE, FALSE, UNKNOWN) for `&&`, `||` and `!`
//!   (2.4.4.17.7). The logical value of an attribute is TRUE for a non-zero
//!   integer or a non-empty string, FALSE for zero or the empty string, and
//!   UNKNOWN when the attribute is absent or of another type.
//! - A relational operator whose attribute is absent is UNKNOWN
//!   (2.4.4.17.6). Multi-valued operands are allowed only for `==`,
//!   `Contains` and `Any_of` (and their `Not_` forms); elsewhere the
//!   operation is UNKNOWN.
//! - A *processing error* (a literal where an attribute is required, operand
//!   types that cannot be compared, a malformed stream) makes the entire
//!   expression UNKNOWN, "regardless of the rest of the expression"
//!   (2.4.4.17.6, 2.4.4.17.7).
//! - Strings compare case-insensitively unless the claim carries
//!   `CLAIM_SECURITY_ATTRIBUTE_VALUE_CASE_SENSITIVE` (2.4.4.17.6).
//! - Composites are compared as sets; `Contains` requires every right-hand
//!   value on the left, `Any_of` one in common. Where MS-DTYP is silent on
//!   mixed single/composite operands and empty composites, secctx follows
//!   Samba's reading (`libcli/security/conditional_ace.c`): a single value
//!   is compared with each member, and an empty right-hand composite is an
//!   error.
//!
//! Evaluation allocates nothing for expressions up to [`INLINE_STACK`] deep;
//! only a deeper stack spills to the heap.

use super::{AttrClass, ExprOp, ExprToken, Expression};
use crate::descriptor::claims::{ClaimAttribute, ClaimValues};
use crate::ids::sid::Sid;
use std::cmp::Ordering;
use std::fmt::Write as _;

/// The three-valued result of a condition.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, serde::Serialize)]
#[serde(rename_all = "UPPERCASE")]
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

/// What an expression is evaluated against: the token's claims and SIDs and
/// the object's resource attributes.
pub trait ConditionContext {
    /// The attribute `name` of `class`, matched case-insensitively, or
    /// `None` when absent. Where several claims share a name, the last one
    /// counts. The implementation leaves out claims that do not apply
    /// (disabled ones, and deny-only ones for an allow ACE).
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

/// A value on the evaluation stack.
#[derive(Clone, Copy, Debug)]
enum Value<'a> {
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

#[derive(Clone, Copy, Debug)]
enum Scalar<'a> {
    Int(i128),
    Str(&'a str, bool),
    Octets(&'a [u8]),
    Sid(&'a Sid),
    /// A composite nested inside a literal composite (MS-DTYP allows it).
    Nested(&'a [ExprToken]),
}

#[derive(Clone, Copy, Debug)]
enum Many<'a> {
    Literal(&'a [ExprToken]),
    Claim(&'a ClaimAttribute),
}

impl<'a> Many<'a> {
    fn len(&self) -> usize {
        match self {
            Many::Literal(t) => t.len(),
            Many::Claim(c) => c.values.len(),
        }
    }

    fn get(&self, i: usize) -> Option<Scalar<'a>> {
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
fn claim_scalar(c: &ClaimAttribute, i: usize) -> Option<Scalar<'_>> {
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
                    None => Value::Null(*class),
                    Some(c) if c.values.len() == 1 => match claim_scalar(c, 0) {
                        Some(s) => Value::One(s, origin),
                        None => Value::Null(*class),
                    },
                    Some(c) if c.values.is_empty() => Value::Null(*class),
                    Some(c) => Value::Many(Many::Claim(c), origin),
                };
                if rec.on() {
                    let shown = show(&v);
                    rec.note(|| format!("{} = {shown}", attr_text(*class, name)));
                }
                stack.push(v);
            }
            ExprToken::Op(op) => {
                let r = apply(*op, &mut stack, ctx, rec)?;
                stack.push(Value::Result(r));
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
        Value::Result(r) => Ok(r),
        v => logical_value(v, "the expression"),
    }
}

fn apply<'a>(
    op: ExprOp,
    stack: &mut Stack<'a>,
    ctx: &dyn ConditionContext,
    rec: &mut impl Recorder,
) -> Result<Tristate, Fault> {
    let result = match op {
        ExprOp::And | ExprOp::Or => {
            let rhs = stack.pop()?;
            let lhs = stack.pop()?;
            let a = logical_value(lhs, op.sddl())?;
            let b = logical_value(rhs, op.sddl())?;
            let r = if op == ExprOp::And { a.and(b) } else { a.or(b) };
            rec.note(|| format!("{a} {} {b} -> {r}", op.sddl()));
            r
        }
        ExprOp::Not => {
            let v = stack.pop()?;
            let a = logical_value(v, "!")?;
            rec.note(|| format!("!{a} -> {}", a.not()));
            a.not()
        }
        ExprOp::Exists | ExprOp::NotExists => {
            // 2.4.4.17.7: only local and resource attributes may be tested;
            // anything else (user and device claims included) is an error.
            let v = stack.pop()?;
            let (class, present) = match v {
                Value::Null(c) => (Some(c), false),
                Value::One(_, c) | Value::Many(_, c) => (c, true),
                Value::Result(_) => (None, false),
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
    Ok(result)
}

/// The logical value of an operand (2.4.4.17.7).
fn logical_value(v: Value<'_>, what: &str) -> Result<Tristate, Fault> {
    Ok(match v {
        Value::Result(r) => r,
        Value::Null(_) => Tristate::Unknown,
        Value::One(_, None) | Value::Many(_, None) => {
            return fault(format!("`{what}` cannot take a literal operand"))
        }
        Value::One(Scalar::Int(n), Some(_)) => Tristate::from_bool(n != 0),
        Value::One(Scalar::Str(s, _), Some(_)) => Tristate::from_bool(!s.is_empty()),
        Value::One(_, Some(_)) | Value::Many(_, Some(_)) => Tristate::Unknown,
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
        Value::Result(_) => return fault(format!("`{}` needs SID operands", op.sddl())),
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

/// Binary relational operators: comparisons, `Contains`, `Any_of` and their
/// negations (2.4.4.17.6).
fn relational(op: ExprOp, lhs: Value<'_>, rhs: Value<'_>) -> Result<Tristate, Fault> {
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

fn attr_text(class: AttrClass, name: &str) -> String {
    let prefix = match class {
        AttrClass::Local => "",
        AttrClass::User => "@User.",
        AttrClass::Resource => "@Resource.",
        AttrClass::Device => "@Device.",
    };
    format!("{prefix}{name}")
}

fn show(v: &Value<'_>) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::descriptor::claims::{FLAG_CASE_SENSITIVE, FLAG_DISABLED};

    /// A context with fixed claims and SIDs.
    struct Ctx {
        user: Vec<ClaimAttribute>,
        device: Vec<ClaimAttribute>,
        local: Vec<ClaimAttribute>,
        resource: Vec<ClaimAttribute>,
        sids: Vec<Sid>,
        device_sids: Vec<Sid>,
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
        // Booleans are 0 and 1.
        assert_eq!(eval("(@Device.managed == 1)"), T);
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

    /// MS-DTYP 2.4.4.17.6: multi-valued operands allowed only for ==,
    /// Contains and Any_of.
    #[test]
    fn multivalued_operands() {
        assert_eq!(eval("(@User.projects == {\"beta\", \"alpha\"})"), T);
        assert_eq!(eval("(@User.projects == {\"alpha\"})"), F);
        assert_eq!(eval("(@User.projects != {\"alpha\"})"), U);
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
}
