//! The reference's own conditional-expression evaluator and claim lookup,
//! written from MS-DTYP 2.4.4.17.6 to 2.4.4.17.8 and EvaluateAceCondition
//! (2.5.3.1.5), with the behaviour Samba recorded on Windows servers (its
//! krb5 `conditional_ace_tests.py`: `claim_against_claim_cases`,
//! `claim_against_literal_cases`, `pac_claim_cases`). It reads the decoded
//! postfix token stream as data and shares no code with the fast evaluator:
//! only the data types and Windows' upper-case table (data, read through
//! `upcase_unit`).
//!
//! It is naive on purpose: every operand is copied into an owned [`Val`],
//! sets are plain vectors, strings become vectors of UTF-16 code units, and
//! a processing error is `Err(Fault)`, which makes the whole expression
//! UNKNOWN (2.4.4.17.6: "regardless of the rest of the expression").

use super::sids;
use crate::descriptor::claims::{ClaimAttribute, ClaimValues};
use crate::descriptor::condition::{AttrClass, ExprOp, ExprToken};
use crate::descriptor::upcase::upcase_unit;
use crate::ids::sid::Sid;
use crate::token::Token;
use std::cmp::Ordering;

/// `CLAIM_SECURITY_ATTRIBUTE_VALUE_CASE_SENSITIVE` (MS-DTYP 2.4.10.1).
const CLAIM_CASE_SENSITIVE: u32 = 0x0002;
/// `CLAIM_SECURITY_ATTRIBUTE_USE_FOR_DENY_ONLY` (MS-DTYP 2.4.10.1).
const CLAIM_USE_FOR_DENY_ONLY: u32 = 0x0004;
/// `CLAIM_SECURITY_ATTRIBUTE_DISABLED` (MS-DTYP 2.4.10.1).
const CLAIM_DISABLED: u32 = 0x0010;

/// A three-valued logical value (MS-DTYP 2.4.4.17.7).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Tri {
    /// TRUE.
    True,
    /// FALSE.
    False,
    /// UNKNOWN.
    Unknown,
}

impl Tri {
    /// TRUE or FALSE.
    fn of(b: bool) -> Tri {
        if b {
            Tri::True
        } else {
            Tri::False
        }
    }
}

/// A processing error: the whole expression is UNKNOWN.
struct Fault;

/// One scalar operand value.
#[derive(Clone, Debug)]
enum Lit {
    Int(i128),
    /// A boolean claim value (booleans are not integers: Samba's krb5
    /// records show a TRUE boolean claim `== 42` UNKNOWN).
    Bool(bool),
    /// A string and whether it compares case-sensitively.
    Str(String, bool),
    Octets(Vec<u8>),
    Sid(Sid),
    /// A composite nested in a literal composite: never comparable.
    Nested,
    /// A token that is not a literal inside a composite.
    Bad,
}

/// An operand on the stack.
#[derive(Clone, Debug)]
enum Val {
    /// An attribute that is not present.
    Absent(AttrClass),
    /// The result of an operator.
    Result(Tri),
    /// The result of `!` applied straight to a present attribute (see
    /// `operator`, `&&` and `||`).
    NotAttr(Tri),
    /// A single value, and the attribute class it came from (`None` for a
    /// literal).
    One(Lit, Option<AttrClass>),
    /// Several values (a literal composite or a multi-valued claim).
    Set(Vec<Lit>, Option<AttrClass>),
}

/// What a condition is evaluated against.
pub(super) struct Env<'a> {
    /// The token: its claims, SIDs and device SIDs.
    pub(super) token: &'a Token,
    /// The object's resource attributes.
    pub(super) resources: &'a [ClaimAttribute],
    /// Evaluating for a deny ACE: deny-only SIDs and claims count.
    pub(super) for_deny: bool,
}

/// A string as Windows compares it case-insensitively: its UTF-16 code
/// units, each through Windows' upper-case table (RtlUpcaseUnicodeChar).
fn upper_units(s: &str) -> Vec<u16> {
    s.encode_utf16().map(upcase_unit).collect()
}

/// Two names equal ignoring case as Windows compares claim names
/// (RtlEqualUnicodeString with CaseInSensitive; MS-DTYP 2.4.4.17.6 makes
/// attribute names case-insensitive).
fn same_name(a: &str, b: &str) -> bool {
    upper_units(a) == upper_units(b)
}

impl Env<'_> {
    /// The claim `name` of `class`: the last one of that name that is not
    /// disabled and, unless evaluating for a deny ACE, not deny-only
    /// (MS-DTYP 2.4.10.1 claim flags).
    fn claim(&self, class: AttrClass, name: &str) -> Option<&ClaimAttribute> {
        let list: &[ClaimAttribute] = match class {
            AttrClass::User => &self.token.user_claims,
            AttrClass::Device => &self.token.device_claims,
            AttrClass::Local => &self.token.local_claims,
            AttrClass::Resource => self.resources,
        };
        let mut found = None;
        for c in list {
            let usable = c.flags & CLAIM_DISABLED == 0
                && (self.for_deny || c.flags & CLAIM_USE_FOR_DENY_ONLY == 0);
            if usable && same_name(&c.name, name) {
                found = Some(c);
            }
        }
        found
    }

    /// The value an attribute reference pushes.
    fn attribute(&self, class: AttrClass, name: &str) -> Val {
        let Some(c) = self.claim(class, name) else {
            return Val::Absent(class);
        };
        let cs = c.flags & CLAIM_CASE_SENSITIVE != 0;
        let vals: Vec<Lit> = match &c.values {
            ClaimValues::Int64(v) => v.iter().map(|x| Lit::Int(i128::from(*x))).collect(),
            ClaimValues::Uint64(v) => v.iter().map(|x| Lit::Int(i128::from(*x))).collect(),
            ClaimValues::Boolean(v) => v.iter().map(|x| Lit::Bool(*x)).collect(),
            ClaimValues::String(v) => v.iter().map(|x| Lit::Str(x.clone(), cs)).collect(),
            ClaimValues::Sid(v) => v.iter().map(|x| Lit::Sid(*x)).collect(),
            ClaimValues::OctetString(v) => v.iter().map(|x| Lit::Octets(x.clone())).collect(),
        };
        // No values, or two equal values under the claim's own case rule:
        // Windows holds no such claim (a PAC with duplicates fails, Samba's
        // krb5 records; an empty claim is UNKNOWN there) and treats such a
        // resource attribute as not existing (Samba's conditional_ace.c,
        // compare_composites). Absent, then.
        for (i, a) in vals.iter().enumerate() {
            for b in &vals[i + 1..] {
                if let Ok(true) = eq_lit(a, b) {
                    return Val::Absent(class);
                }
            }
        }
        match vals.len() {
            0 => Val::Absent(class),
            1 => vals
                .into_iter()
                .next()
                .map_or(Val::Absent(class), |v| Val::One(v, Some(class))),
            _ => Val::Set(vals, Some(class)),
        }
    }

    /// Whether the token (or its device) holds `sid` for this ACE kind
    /// (MS-DTYP 2.4.4.17.6: the SIDs[] and DeviceSIDs[] arrays).
    fn holds(&self, sid: &Sid, device: bool) -> bool {
        if device {
            sids::in_list(&self.token.device_groups, sid, self.for_deny)
        } else {
            sids::in_token(self.token, sid, self.for_deny)
        }
    }
}

/// A literal token as a scalar (a nested composite or a non-literal inside
/// a composite becomes a value nothing compares with).
fn literal(t: &ExprToken) -> Lit {
    match t {
        ExprToken::Int { value, .. } => Lit::Int(i128::from(*value)),
        ExprToken::String(s) => Lit::Str(s.clone(), false),
        ExprToken::Octets(o) => Lit::Octets(o.clone()),
        ExprToken::Sid(s) => Lit::Sid(*s),
        ExprToken::Composite(_) => Lit::Nested,
        _ => Lit::Bad,
    }
}

/// Evaluates a decoded postfix stream (EvaluateAceCondition, MS-DTYP
/// 2.5.3.1.5): exactly one value must remain, and its logical value is the
/// result. Any processing error makes the result UNKNOWN.
pub(super) fn evaluate(tokens: &[ExprToken], env: &Env<'_>) -> Tri {
    run(tokens, env).unwrap_or(Tri::Unknown)
}

/// Runs the postfix stream over a stack of values.
fn run(tokens: &[ExprToken], env: &Env<'_>) -> Result<Tri, Fault> {
    let mut stack: Vec<Val> = Vec::new();
    for t in tokens {
        let v = match t {
            ExprToken::Attr(class, name) => env.attribute(*class, name),
            ExprToken::Composite(items) => Val::Set(items.iter().map(literal).collect(), None),
            ExprToken::Op(op) => operator(*op, &mut stack, env)?,
            lit => Val::One(literal(lit), None),
        };
        stack.push(v);
    }
    let top = stack.pop().ok_or(Fault)?;
    if !stack.is_empty() {
        return Err(Fault);
    }
    truth(top)
}

/// Whether a value is a present attribute's.
fn from_attribute(v: &Val) -> bool {
    matches!(v, Val::One(_, Some(_)) | Val::Set(_, Some(_)))
}

/// The logical value of one attribute value (MS-DTYP 2.4.4.17.7): an
/// integer TRUE unless 0, a boolean as it is, a string TRUE unless empty,
/// anything else UNKNOWN.
fn lit_truth(l: &Lit) -> Tri {
    match l {
        Lit::Int(n) => Tri::of(*n != 0),
        Lit::Bool(b) => Tri::of(*b),
        Lit::Str(s, _) => Tri::of(!s.is_empty()),
        _ => Tri::Unknown,
    }
}

/// The logical value of an operand (MS-DTYP 2.4.4.17.7): a result as is; an
/// absent attribute UNKNOWN; a single attribute value by [`lit_truth`]; a
/// multi-valued attribute TRUE if any value is TRUE, FALSE if all are FALSE,
/// else UNKNOWN (Samba's krb5 records: claims `[0, 1]` and `[1, 0]` of
/// integers, unsigned integers and booleans are TRUE); a literal is a
/// processing error.
fn truth(v: Val) -> Result<Tri, Fault> {
    match v {
        Val::Result(r) | Val::NotAttr(r) => Ok(r),
        Val::Absent(_) => Ok(Tri::Unknown),
        Val::One(_, None) | Val::Set(_, None) => Err(Fault),
        Val::One(l, Some(_)) => Ok(lit_truth(&l)),
        Val::Set(ls, Some(_)) => {
            let all: Vec<Tri> = ls.iter().map(lit_truth).collect();
            Ok(if all.contains(&Tri::True) {
                Tri::True
            } else if all.iter().all(|t| *t == Tri::False) {
                Tri::False
            } else {
                Tri::Unknown
            })
        }
    }
}

/// Applies one operator to the values it pops.
fn operator(op: ExprOp, stack: &mut Vec<Val>, env: &Env<'_>) -> Result<Val, Fault> {
    let mut pop = || stack.pop().ok_or(Fault);
    match op {
        ExprOp::Not => {
            // 2.4.4.17.7: NOT UNKNOWN is UNKNOWN.
            let v = pop()?;
            let straight_on_attribute = from_attribute(&v);
            let r = match truth(v)? {
                Tri::True => Tri::False,
                Tri::False => Tri::True,
                Tri::Unknown => Tri::Unknown,
            };
            Ok(if straight_on_attribute {
                Val::NotAttr(r)
            } else {
                Val::Result(r)
            })
        }
        ExprOp::And | ExprOp::Or => {
            let b = pop()?;
            let a = pop()?;
            // Samba's krb5 records (Windows): with boolean claims a = TRUE
            // and b = FALSE, `(a || !(a))` and `(a && !(b))` are UNKNOWN,
            // while `(!(a) || a)` is TRUE: an attribute on the left and `!`
            // of an attribute on the right give UNKNOWN.
            if from_attribute(&a) && matches!(b, Val::NotAttr(_)) {
                truth(a)?;
                return Ok(Val::Result(Tri::Unknown));
            }
            let (a, b) = (truth(a)?, truth(b)?);
            // 2.4.4.17.7 truth tables.
            Ok(Val::Result(if op == ExprOp::And {
                if a == Tri::False || b == Tri::False {
                    Tri::False
                } else if a == Tri::True && b == Tri::True {
                    Tri::True
                } else {
                    Tri::Unknown
                }
            } else if a == Tri::True || b == Tri::True {
                Tri::True
            } else if a == Tri::False && b == Tri::False {
                Tri::False
            } else {
                Tri::Unknown
            }))
        }
        ExprOp::Exists | ExprOp::NotExists => {
            // 2.4.4.17.7: the operand must be a local or resource attribute.
            let (class, present) = match pop()? {
                Val::Absent(c) => (Some(c), false),
                Val::One(_, c) | Val::Set(_, c) => (c, true),
                Val::Result(_) | Val::NotAttr(_) => (None, false),
            };
            match class {
                Some(AttrClass::Local | AttrClass::Resource) => {
                    Ok(Val::Result(Tri::of(present == (op == ExprOp::Exists))))
                }
                _ => Err(Fault),
            }
        }
        ExprOp::MemberOf
        | ExprOp::DeviceMemberOf
        | ExprOp::MemberOfAny
        | ExprOp::DeviceMemberOfAny
        | ExprOp::NotMemberOf
        | ExprOp::NotDeviceMemberOf
        | ExprOp::NotMemberOfAny
        | ExprOp::NotDeviceMemberOfAny => Ok(Val::Result(member_of(op, pop()?, env)?)),
        _ => {
            let rhs = pop()?;
            let lhs = pop()?;
            Ok(Val::Result(binary(op, lhs, rhs)?))
        }
    }
}

/// The member-of family (MS-DTYP 2.4.4.17.6): `Member_of` needs every SID
/// held, `Member_of_Any` one; the `Not_` forms negate; `Device_` forms look
/// at the device's groups.
fn member_of(op: ExprOp, v: Val, env: &Env<'_>) -> Result<Tri, Fault> {
    use ExprOp::*;
    let device = matches!(
        op,
        DeviceMemberOf | DeviceMemberOfAny | NotDeviceMemberOf | NotDeviceMemberOfAny
    );
    let any = matches!(
        op,
        MemberOfAny | DeviceMemberOfAny | NotMemberOfAny | NotDeviceMemberOfAny
    );
    let negate = matches!(
        op,
        NotMemberOf | NotDeviceMemberOf | NotMemberOfAny | NotDeviceMemberOfAny
    );
    let sids: Vec<Lit> = match v {
        Val::Absent(_) => return Ok(Tri::Unknown),
        Val::Result(_) | Val::NotAttr(_) => return Err(Fault),
        Val::One(l, _) => vec![l],
        Val::Set(ls, _) if ls.is_empty() => return Err(Fault),
        Val::Set(ls, _) => ls,
    };
    let mut held = Vec::new();
    for l in &sids {
        match l {
            Lit::Sid(s) => held.push(env.holds(s, device)),
            _ => return Err(Fault),
        }
    }
    let answer = if any {
        held.iter().any(|h| *h)
    } else {
        held.iter().all(|h| *h)
    };
    Ok(Tri::of(answer != negate))
}

/// Two scalars compared (MS-DTYP 2.4.4.17.6): integers by value, booleans
/// for equality only and only with booleans, strings as UTF-16 code units
/// (through Windows' upper-case table unless either side is a case-sensitive
/// claim), octet strings bytewise, SIDs for equality only. Anything else,
/// two types above all, is a processing error (Samba's krb5 records: a
/// string claim `== 42` is UNKNOWN).
fn cmp_lit(a: &Lit, b: &Lit, ordering: bool) -> Result<Ordering, Fault> {
    match (a, b) {
        (Lit::Int(x), Lit::Int(y)) => Ok(x.cmp(y)),
        (Lit::Bool(x), Lit::Bool(y)) if !ordering => Ok(if x == y {
            Ordering::Equal
        } else {
            Ordering::Greater
        }),
        (Lit::Str(x, cx), Lit::Str(y, cy)) => {
            let (ux, uy): (Vec<u16>, Vec<u16>) = if *cx || *cy {
                (x.encode_utf16().collect(), y.encode_utf16().collect())
            } else {
                (upper_units(x), upper_units(y))
            };
            // Vec ordering: element by element, a prefix first.
            Ok(ux.cmp(&uy))
        }
        (Lit::Octets(x), Lit::Octets(y)) => Ok(x.cmp(y)),
        (Lit::Sid(x), Lit::Sid(y)) if !ordering => Ok(if x == y {
            Ordering::Equal
        } else {
            Ordering::Less
        }),
        _ => Err(Fault),
    }
}

/// Whether two scalars are equal (a processing error when incomparable).
fn eq_lit(a: &Lit, b: &Lit) -> Result<bool, Fault> {
    Ok(cmp_lit(a, b, false)? == Ordering::Equal)
}

/// Whether `x` equals a member of `set`, scanning in order (the first
/// incomparable member before a match is a processing error).
fn among(x: &Lit, set: &[Lit]) -> Result<bool, Fault> {
    for y in set {
        if eq_lit(x, y)? {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Whether every member of `a` is among `b`.
fn subset(a: &[Lit], b: &[Lit]) -> Result<bool, Fault> {
    for x in a {
        if !among(x, b)? {
            return Ok(false);
        }
    }
    Ok(true)
}

/// The values of an operand as a list: a single value is a list of one.
fn as_list(v: &Val) -> Option<Vec<Lit>> {
    match v {
        Val::One(l, _) => Some(vec![l.clone()]),
        Val::Set(ls, _) => Some(ls.clone()),
        _ => None,
    }
}

/// The binary relational operators (MS-DTYP 2.4.4.17.6, with what Samba's
/// krb5 records show Windows doing).
fn binary(op: ExprOp, lhs: Val, rhs: Val) -> Result<Tri, Fault> {
    // `Contains {}` is FALSE and `Not_Contains {}` TRUE, even with the
    // attribute absent (records: `() Contains {}`, `"foo" Contains {}`).
    if let (ExprOp::Contains | ExprOp::NotContains, Val::Set(r, None)) = (op, &rhs) {
        if r.is_empty() {
            return Ok(Tri::of(op == ExprOp::NotContains));
        }
    }
    // "Each relational operator MUST return UNKNOWN if the attribute tested
    // does not exist."
    if matches!(lhs, Val::Absent(_)) || matches!(rhs, Val::Absent(_)) {
        return Ok(Tri::Unknown);
    }
    // The left-hand side must be an attribute.
    if !from_attribute(&lhs) {
        return Err(Fault);
    }
    let several = matches!(lhs, Val::Set(..)) || matches!(rhs, Val::Set(..));
    match op {
        ExprOp::Equal | ExprOp::NotEqual if several => {
            // Lists: the same length and the same values in any order; a
            // single value is a list of one (records: `"bar" == {"bar"}`
            // TRUE, `{"apple", "banana"} == {"apple", "banana", "apple"}`
            // FALSE, a two-valued claim `!=` one value TRUE). All pairs
            // must be comparable (records: `("654", "321") == {654, 321}`
            // UNKNOWN).
            let l = as_list(&lhs).ok_or(Fault)?;
            let r = as_list(&rhs).ok_or(Fault)?;
            for x in &l {
                for y in &r {
                    cmp_lit(x, y, false)?;
                }
            }
            let same = l.len() == r.len() && subset(&l, &r)? && subset(&r, &l)?;
            Ok(Tri::of(same == (op == ExprOp::Equal)))
        }
        // "... when multivalued attributes are on the left- and/or
        // right-hand side of an operator, the operation will fail and
        // produce an UNKNOWN value" (2.4.4.17.6), for the orderings.
        ExprOp::Less | ExprOp::LessOrEqual | ExprOp::Greater | ExprOp::GreaterOrEqual
            if several =>
        {
            Ok(Tri::Unknown)
        }
        ExprOp::Equal
        | ExprOp::NotEqual
        | ExprOp::Less
        | ExprOp::LessOrEqual
        | ExprOp::Greater
        | ExprOp::GreaterOrEqual => {
            let ordering = !matches!(op, ExprOp::Equal | ExprOp::NotEqual);
            let c = match (&lhs, &rhs) {
                (Val::One(a, _), Val::One(b, _)) => cmp_lit(a, b, ordering)?,
                // A result compares for equality with the integers 0 and 1.
                (Val::One(Lit::Int(n), _), Val::Result(r) | Val::NotAttr(r))
                    if !ordering && (*n == 0 || *n == 1) && *r != Tri::Unknown =>
                {
                    if (*r == Tri::True) == (*n == 1) {
                        Ordering::Equal
                    } else {
                        Ordering::Less
                    }
                }
                _ => return Err(Fault),
            };
            Ok(Tri::of(match op {
                ExprOp::Equal => c == Ordering::Equal,
                ExprOp::NotEqual => c != Ordering::Equal,
                ExprOp::Less => c == Ordering::Less,
                ExprOp::LessOrEqual => c != Ordering::Greater,
                ExprOp::Greater => c == Ordering::Greater,
                _ => c != Ordering::Less,
            }))
        }
        ExprOp::Contains | ExprOp::NotContains => {
            // Every right-hand value is among the left-hand values; the
            // right may be a single value and may repeat values (records).
            let l = as_list(&lhs).ok_or(Fault)?;
            let r = as_list(&rhs).ok_or(Fault)?;
            Ok(Tri::of(subset(&r, &l)? != (op == ExprOp::NotContains)))
        }
        ExprOp::AnyOf | ExprOp::NotAnyOf => {
            // A literal on the right must be a composite (records: `"foo"
            // Any_of "foo"` UNKNOWN); a single-valued attribute is fine.
            if matches!(rhs, Val::One(_, None)) {
                return Err(Fault);
            }
            let l = as_list(&lhs).ok_or(Fault)?;
            let r = as_list(&rhs).ok_or(Fault)?;
            // A value in common; none with `{}` (records: `"foo" Any_of {}`
            // FALSE).
            let mut hit = false;
            for x in &l {
                if among(x, &r)? {
                    hit = true;
                    break;
                }
            }
            Ok(Tri::of(hit != (op == ExprOp::NotAnyOf)))
        }
        _ => Err(Fault),
    }
}
