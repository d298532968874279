//! Printing a conditional expression as SDDL text in Windows' canonical
//! form (MS-DTYP 2.5.1.1).

use super::error::err;
use super::ConditionErrorKind as K;
use super::{
    binary_word, is_attr_char1, unary_word, AttrClass, ConditionError, ExprOp, ExprToken,
    Expression, IntBase, IntSign, MAX_DEPTH,
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
            return Ok("()".to_string());
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

/// Whether a node is parenthesised on its own account: binary operators and
/// the member-of family.
fn wants_outer_parens(n: &Node<'_>) -> bool {
    n.lhs.is_some() || matches!(n.tok, ExprToken::Op(op) if op.is_member_of())
}

fn write_node(
    nodes: &[Node<'_>],
    i: usize,
    parens: bool,
    out: &mut String,
    domain: Option<&Sid>,
    depth: usize,
) -> Result<(), ConditionError> {
    if depth > MAX_DEPTH {
        return err(0, K::ExpressionTooDeep { limit: MAX_DEPTH });
    }
    let n = &nodes[i];
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
        other => write_literal_or_attr(other, out, domain, depth)?,
    }
    if let Some(r) = n.rhs {
        if !matches!(n.tok, ExprToken::Op(ExprOp::Not)) {
            out.push(' ');
        }
        write_node(nodes, r, logical, out, domain, depth + 1)?;
    }
    if parens {
        out.push(')');
    }
    Ok(())
}

fn write_literal_or_attr(
    t: &ExprToken,
    out: &mut String,
    domain: Option<&Sid>,
    depth: usize,
) -> Result<(), ConditionError> {
    match t {
        ExprToken::Int {
            value, sign, base, ..
        } => write_int(*value, *sign, *base, out),
        ExprToken::String(s) => {
            if s.contains('"') {
                return err(0, K::QuoteInString);
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
            if depth > MAX_DEPTH {
                return err(0, K::CompositeTooDeep { limit: MAX_DEPTH });
            }
            out.push('{');
            for (k, item) in items.iter().enumerate() {
                if k > 0 {
                    out.push_str(", ");
                }
                write_literal_or_attr(item, out, domain, depth + 1)?;
            }
            out.push('}');
        }
        ExprToken::Attr(class, name) => write_attr(*class, name, out),
        ExprToken::Op(_) => return err(0, K::OperatorAsLiteral),
    }
    Ok(())
}

/// Integers are written with the base and sign they were parsed with, as
/// C's `%#o`, `%d` and `%#x` would (so zero in octal or hex is `0`).
pub(crate) fn write_int(value: i64, sign: IntSign, base: IntBase, out: &mut String) {
    let magnitude = value.unsigned_abs();
    let body = |m: u64| match base {
        IntBase::Octal if m != 0 => format!("0{m:o}"),
        IntBase::Hex if m != 0 => format!("0x{m:x}"),
        _ => format!("{m}"),
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

fn write_attr(class: AttrClass, name: &str, out: &mut String) {
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
            let bare = !name.is_empty()
                && name.bytes().all(is_attr_char1)
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
}

fn looks_like_int(name: &str) -> bool {
    name.bytes().all(|b| b.is_ascii_digit())
}
