//! Printing a conditional expression as SDDL text in Windows' canonical
//! form (MS-DTYP 2.5.1.1).

use super::error::err;
use super::ConditionErrorKind as K;
use super::{
    binary_word, is_attr_char1, unary_word, AttrClass, ConditionError, ExprOp, ExprToken,
    Expression, IntBase, IntSign, IntWidth, Unprintable, MAX_DEPTH,
};
use crate::ids::sid::Sid;
use std::fmt::Write as _;

/// A node of the expression tree rebuilt from the postfix stream.
struct Node<'a> {
    tok: &'a ExprToken,
    lhs: Option<usize>,
    rhs: Option<usize>,
}

impl Expression {
    /// Prints the expression in Windows' canonical SDDL form, including the
    /// outer parentheses. SIDs use aliases, domain-relative ones only when
    /// `domain` is given.
    pub fn to_sddl(&self, domain: Option<&Sid>) -> Result<String, ConditionError> {
        if self.tokens.is_empty() {
            // `()` is rejected by the parser (EmptyExpression).
            return unprintable(Unprintable::Empty);
        }
        let mut nodes: Vec<Node<'_>> = Vec::with_capacity(self.tokens.len());
        let mut stack: Vec<usize> = Vec::new();
        for (i, tok) in self.tokens.iter().enumerate() {
            let arity = match tok {
                ExprToken::Op(op) if stack.len() < op.arity() => {
                    return err(i, K::MissingOperand(*op));
                }
                ExprToken::Op(op) => op.arity(),
                _ => 0,
            };
            let rhs = if arity >= 1 { stack.pop() } else { None };
            let lhs = if arity == 2 { stack.pop() } else { None };
            nodes.push(Node { tok, lhs, rhs });
            stack.push(nodes.len() - 1);
        }
        if stack.len() != 1 {
            return err(
                self.tokens.len(),
                K::NotOneExpression { count: stack.len() },
            );
        }
        let mut out = String::new();
        write_node(&nodes, stack[0], true, &mut out, domain, 0)?;
        Ok(out)
    }
}

impl Expression {
    /// The expression as its SDDL text carries it: every integer 64 bits
    /// wide. SDDL writes no width, and literals compiled from text are INT64
    /// (MS-DTYP 2.4.4.17.5), so `from_sddl(to_sddl(e))` is this, not `e`, when
    /// `e` came from binary data with a narrower integer token. The value,
    /// sign and base print unchanged (the token's QWORD holds the value at
    /// every width).
    pub fn with_sddl_widths(&self) -> Expression {
        fn widen(t: &ExprToken) -> ExprToken {
            match t {
                ExprToken::Int {
                    value, sign, base, ..
                } => ExprToken::Int {
                    value: *value,
                    width: IntWidth::I64,
                    sign: *sign,
                    base: *base,
                },
                ExprToken::Composite(items) => {
                    ExprToken::Composite(items.iter().map(widen).collect())
                }
                other => other.clone(),
            }
        }
        Expression {
            tokens: self.tokens.iter().map(widen).collect(),
        }
    }
}

/// Whether a node is parenthesised on its own account: binary operators and
/// the member-of family.
fn wants_outer_parens(n: &Node<'_>) -> bool {
    n.lhs.is_some() || matches!(n.tok, ExprToken::Op(op) if op.is_member_of())
}

/// Refuses to print: the tree has no SDDL text that parses back to it.
fn unprintable<T>(why: Unprintable) -> Result<T, ConditionError> {
    err(0, K::Unprintable(why))
}

/// Whether node `i` may stand where the grammar wants a condition (the whole
/// expression, an operand of `&&`, `||` or `!`): an operator or an attribute
/// tested for truth. A literal there would print as a bare word and re-parse
/// as an attribute (MS-DTYP 2.5.1.1: `term = ... / attr-name`).
fn check_condition(nodes: &[Node<'_>], i: usize) -> Result<(), ConditionError> {
    match nodes[i].tok {
        ExprToken::Op(_) | ExprToken::Attr(..) => Ok(()),
        _ => unprintable(Unprintable::LiteralAsCondition),
    }
}

fn write_node(
    nodes: &[Node<'_>],
    i: usize,
    parens: bool,
    out: &mut String,
    domain: Option<&Sid>,
    depth: usize,
) -> Result<(), ConditionError> {
    // The parser's rule (`parse.rs`): a tree at most MAX_DEPTH nodes deep.
    // Such a tree prints with at most MAX_DEPTH nested parentheses, which the
    // parser reads back.
    if depth >= MAX_DEPTH {
        return err(0, K::ExpressionTooDeep { limit: MAX_DEPTH });
    }
    let n = &nodes[i];
    if depth == 0 {
        check_condition(nodes, i)?;
    }
    // Which operand shapes SDDL can write for this operator (MS-DTYP 2.5.1.1).
    let mut rhs_attr_prefixed = false;
    if let ExprToken::Op(op) = n.tok {
        let only = |k: Option<usize>| k.map(|k| nodes[k].tok);
        match op {
            ExprOp::And | ExprOp::Or | ExprOp::Not => {
                for k in [n.lhs, n.rhs].into_iter().flatten() {
                    check_condition(nodes, k)?;
                }
            }
            ExprOp::Exists | ExprOp::NotExists => {
                if !matches!(only(n.rhs), Some(ExprToken::Attr(..))) {
                    return unprintable(Unprintable::ExistsNeedsAttribute);
                }
            }
            op if op.is_member_of() => {
                let ok = match only(n.rhs) {
                    Some(ExprToken::Sid(_)) => true,
                    Some(ExprToken::Composite(items)) => {
                        items.iter().all(|t| matches!(t, ExprToken::Sid(_)))
                    }
                    _ => false,
                };
                if !ok {
                    return unprintable(Unprintable::MemberOfNeedsSids);
                }
            }
            _ => {
                // Relational, Contains, Any_of: an attribute on the left; an
                // attribute or a literal on the right.
                if !matches!(only(n.lhs), Some(ExprToken::Attr(..))) {
                    return unprintable(Unprintable::LeftOperandNotAttribute);
                }
                match only(n.rhs) {
                    Some(ExprToken::Op(_)) | None => {
                        return unprintable(Unprintable::RightOperandNotOperand)
                    }
                    _ => rhs_attr_prefixed = true,
                }
            }
        }
    }
    let parens = parens || wants_outer_parens(n);
    // Operands of logical operators are always parenthesised.
    let logical = matches!(n.tok, ExprToken::Op(op) if op.is_logical());
    if parens {
        out.push('(');
    }
    if let Some(l) = n.lhs {
        write_node(nodes, l, logical, out, domain, depth + 1)?;
        out.push(' ');
    }
    match n.tok {
        ExprToken::Op(op) => out.push_str(op.sddl()),
        other => write_literal_or_attr(other, out, domain, 0, false)?,
    }
    if let Some(r) = n.rhs {
        if !matches!(n.tok, ExprToken::Op(ExprOp::Not)) {
            out.push(' ');
        }
        if rhs_attr_prefixed {
            // A right-hand operand is read as a literal unless it starts with
            // `@`, so a local attribute there is written `@LOCAL.name`.
            write_literal_or_attr(nodes[r].tok, out, domain, 0, true)?;
        } else {
            write_node(nodes, r, logical, out, domain, depth + 1)?;
        }
    }
    if parens {
        out.push(')');
    }
    Ok(())
}

/// Writes a leaf. `composite_depth` counts enclosing composites, as the
/// parser counts them; `prefixed` forces `@LOCAL.` on a local attribute.
fn write_literal_or_attr(
    t: &ExprToken,
    out: &mut String,
    domain: Option<&Sid>,
    composite_depth: usize,
    prefixed: bool,
) -> Result<(), ConditionError> {
    match t {
        ExprToken::Int {
            value, sign, base, ..
        } => write_int_checked(*value, *sign, *base, out)?,
        ExprToken::String(s) => {
            if s.contains('"') {
                return err(0, K::QuoteInString);
            }
            if s.contains('\0') {
                return err(0, K::NulInString);
            }
            out.push('"');
            out.push_str(s);
            out.push('"');
        }
        ExprToken::Octets(b) => {
            out.push('#');
            for byte in b {
                let _ = write!(out, "{byte:02X}");
            }
        }
        ExprToken::Sid(s) => {
            out.push_str("SID(");
            out.push_str(&s.to_sddl(domain));
            out.push(')');
        }
        ExprToken::Composite(items) => {
            if composite_depth >= MAX_DEPTH {
                return err(0, K::CompositeTooDeep { limit: MAX_DEPTH });
            }
            out.push('{');
            for (k, item) in items.iter().enumerate() {
                if k > 0 {
                    out.push_str(", ");
                }
                if matches!(item, ExprToken::Attr(..)) {
                    return err(0, K::NonLiteralInComposite);
                }
                write_literal_or_attr(item, out, domain, composite_depth + 1, false)?;
            }
            out.push('}');
        }
        ExprToken::Attr(class, name) => write_attr(*class, name, out, prefixed)?,
        ExprToken::Op(_) => return err(0, K::OperatorAsLiteral),
    }
    Ok(())
}

/// An integer the parser would read back with the same value, sign and base:
/// a value whose sign disagrees with its written sign has no such text (an
/// unsigned decimal `-16` re-parses as a signed one), except an unsigned hex
/// or octal value, which prints as its 64 bits (`0xfffffffffffffff0` for
/// -16) and reads back as the same bits.
fn write_int_checked(
    value: i64,
    sign: IntSign,
    base: IntBase,
    out: &mut String,
) -> Result<(), ConditionError> {
    let agrees = match sign {
        IntSign::None => value >= 0 || base != IntBase::Decimal,
        IntSign::Positive => value >= 0,
        IntSign::Negative => value <= 0,
    };
    if !agrees {
        return unprintable(Unprintable::IntegerSign);
    }
    write_int(value, sign, base, out);
    Ok(())
}

/// Integers are written with the base and sign they were parsed with, as
/// C's `%#o`, `%d` and `%#x` would, except zero: C prints `0` in every base,
/// which re-parses as decimal and loses the base the binary form stores, so
/// zero is written `00` in octal and `0x0` in hex (`strtoll` reads both back
/// with their base).
pub(crate) fn write_int(value: i64, sign: IntSign, base: IntBase, out: &mut String) {
    let magnitude = value.unsigned_abs();
    let body = |m: u64| match base {
        IntBase::Octal => format!("0{m:o}"),
        IntBase::Hex => format!("0x{m:x}"),
        IntBase::Decimal => format!("{m}"),
    };
    match sign {
        IntSign::None => match base {
            // Unsigned formats: a negative value prints as its two's complement.
            IntBase::Octal | IntBase::Hex => out.push_str(&body(value as u64)),
            IntBase::Decimal => out.push_str(&value.to_string()),
        },
        IntSign::Positive | IntSign::Negative => {
            out.push(if value < 0 || (value == 0 && sign == IntSign::Negative) {
                '-'
            } else {
                '+'
            });
            out.push_str(&body(magnitude));
        }
    }
}

/// Whether a UTF-16 code unit must be written as `%xxxx` in an attribute name.
fn must_escape(u: u16) -> bool {
    u <= 0x20
        || u > 126
        || matches!(
            u as u8,
            b'!' | b'"' | b'&' | b'(' | b')' | b'<' | b'=' | b'>' | b'|' | b'%'
        )
}

fn write_attr(
    class: AttrClass,
    name: &str,
    out: &mut String,
    prefixed: bool,
) -> Result<(), ConditionError> {
    // `@User.` with nothing after it is rejected (EmptyAttributeName), and
    // `%0000` is refused (NulInAttributeName): neither has a printed form.
    if name.is_empty() {
        return err(0, K::EmptyAttributeName);
    }
    if name.contains('\0') {
        return err(0, K::NulInAttributeName);
    }
    let escaped: String = name
        .encode_utf16()
        .map(|u| {
            if must_escape(u) {
                format!("%{u:04x}")
            } else {
                ((u as u8) as char).to_string()
            }
        })
        .collect();
    match class {
        AttrClass::Local => {
            // A bare name must read back as the same local attribute: not an
            // operator word and not an integer.
            let bare = !prefixed
                && name.bytes().next().is_some_and(is_attr_char1)
                && name.bytes().all(|b| is_attr_char1(b) || b == b'@')
                && !looks_like_int(name)
                && unary_word(name.as_bytes()).is_none()
                && binary_word(name.as_bytes()).is_none();
            if !bare {
                out.push_str("@LOCAL.");
            }
        }
        AttrClass::User => out.push_str("@USER."),
        AttrClass::Resource => out.push_str("@RESOURCE."),
        AttrClass::Device => out.push_str("@DEVICE."),
    }
    out.push_str(&escaped);
    Ok(())
}

fn looks_like_int(name: &str) -> bool {
    name.bytes().all(|b| b.is_ascii_digit())
}
