//! Conditional ACE expressions (MS-DTYP 2.4.4.17 and 2.5.1.1).
//!
//! An expression is stored, as Windows stores it, as a postfix token stream
//! after the `artx` signature. This module reads and writes that stream,
//! compiles the SDDL text form into it and prints it back in Windows'
//! canonical form. Evaluation lives in [`eval`].
//!
//! Printing follows the rules Samba derived from Windows' output
//! (`libcli/security/sddl_conditional_ace.c`): attribute classes upper-case
//! (`@USER.`), every relational and member-of sub-expression parenthesised,
//! operands of `&&`, `||` and `!` parenthesised, `!` written without a space,
//! `Member_of_any` with a lower-case `any`.

pub mod eval;

use crate::descriptor::claims::{ClaimAttribute, ClaimError, ClaimValues};
use crate::ids::sid::Sid;
use std::fmt::Write as _;

/// The deepest nesting of parentheses, `!` and composites accepted in SDDL,
/// and of sub-expressions when printing a decoded stream. Windows documents no
/// limit; 256 keeps parsing and printing well inside the stack and far beyond
/// any expression in real use.
pub const MAX_DEPTH: usize = 256;

/// The largest application-data blob: an ACE's size field is 16 bits.
pub const MAX_BYTES: usize = 0xFFFF;

/// The `artx` signature that starts a conditional expression
/// (MS-DTYP 2.4.4.17.4).
pub const SIGNATURE: [u8; 4] = *b"artx";

/// How an integer literal was written (sign byte, MS-DTYP 2.4.4.17.5).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum IntSign {
    /// 0x01: an explicit `+`.
    Positive,
    /// 0x02: an explicit `-`.
    Negative,
    /// 0x03: no sign.
    None,
}

/// How an integer literal was written (base byte).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum IntBase {
    /// 0x01: octal, with a leading `0`.
    Octal,
    /// 0x02: decimal.
    Decimal,
    /// 0x03: hexadecimal, with `0x`.
    Hex,
}

/// The width an integer token was stored with. Literals compiled from SDDL
/// are always 64-bit (MS-DTYP 2.4.4.17.5); the narrower codes can arrive in
/// binary data.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum IntWidth {
    /// 0x01 signed 8-bit.
    I8,
    /// 0x02 signed 16-bit.
    I16,
    /// 0x03 signed 32-bit.
    I32,
    /// 0x04 signed 64-bit.
    I64,
}

/// Which attribute namespace an attribute reference names.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub enum AttrClass {
    /// 0xF8: a local (token) attribute, written by its bare name.
    Local,
    /// 0xF9: `@User.` — a user claim.
    User,
    /// 0xFA: `@Resource.` — a resource attribute of the object.
    Resource,
    /// 0xFB: `@Device.` — a device claim.
    Device,
}

/// An operator (MS-DTYP 2.4.4.17.6 to 2.4.4.17.8).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum ExprOp {
    /// 0x80 `==`.
    Equal,
    /// 0x81 `!=`.
    NotEqual,
    /// 0x82 `<`.
    Less,
    /// 0x83 `<=`.
    LessOrEqual,
    /// 0x84 `>`.
    Greater,
    /// 0x85 `>=`.
    GreaterOrEqual,
    /// 0x86 `Contains`.
    Contains,
    /// 0x87 `Exists`.
    Exists,
    /// 0x88 `Any_of`.
    AnyOf,
    /// 0x89 `Member_of`.
    MemberOf,
    /// 0x8A `Device_Member_of`.
    DeviceMemberOf,
    /// 0x8B `Member_of_Any`.
    MemberOfAny,
    /// 0x8C `Device_Member_of_Any`.
    DeviceMemberOfAny,
    /// 0x8D `Not_Exists`.
    NotExists,
    /// 0x8E `Not_Contains`.
    NotContains,
    /// 0x8F `Not_Any_of`.
    NotAnyOf,
    /// 0x90 `Not_Member_of`.
    NotMemberOf,
    /// 0x91 `Not_Device_Member_of`.
    NotDeviceMemberOf,
    /// 0x92 `Not_Member_of_Any`.
    NotMemberOfAny,
    /// 0x93 `Not_Device_Member_of_Any`.
    NotDeviceMemberOfAny,
    /// 0xA0 `&&`.
    And,
    /// 0xA1 `||`.
    Or,
    /// 0xA2 `!`.
    Not,
}

const OPS: [(ExprOp, u8, &str); 23] = [
    (ExprOp::Equal, 0x80, "=="),
    (ExprOp::NotEqual, 0x81, "!="),
    (ExprOp::Less, 0x82, "<"),
    (ExprOp::LessOrEqual, 0x83, "<="),
    (ExprOp::Greater, 0x84, ">"),
    (ExprOp::GreaterOrEqual, 0x85, ">="),
    (ExprOp::Contains, 0x86, "Contains"),
    (ExprOp::Exists, 0x87, "Exists"),
    (ExprOp::AnyOf, 0x88, "Any_of"),
    (ExprOp::MemberOf, 0x89, "Member_of"),
    (ExprOp::DeviceMemberOf, 0x8A, "Device_Member_of"),
    // Windows prints `Member_of_any` (Samba's observation); MS-DTYP writes
    // `Member_of_Any`. Parsing is case-insensitive either way.
    (ExprOp::MemberOfAny, 0x8B, "Member_of_any"),
    (ExprOp::DeviceMemberOfAny, 0x8C, "Device_Member_of_Any"),
    (ExprOp::NotExists, 0x8D, "Not_Exists"),
    (ExprOp::NotContains, 0x8E, "Not_Contains"),
    (ExprOp::NotAnyOf, 0x8F, "Not_Any_of"),
    (ExprOp::NotMemberOf, 0x90, "Not_Member_of"),
    (ExprOp::NotDeviceMemberOf, 0x91, "Not_Device_Member_of"),
    (ExprOp::NotMemberOfAny, 0x92, "Not_Member_of_Any"),
    (
        ExprOp::NotDeviceMemberOfAny,
        0x93,
        "Not_Device_Member_of_Any",
    ),
    (ExprOp::And, 0xA0, "&&"),
    (ExprOp::Or, 0xA1, "||"),
    (ExprOp::Not, 0xA2, "!"),
];

impl ExprOp {
    /// The token byte.
    pub fn code(self) -> u8 {
        OPS.iter().find(|o| o.0 == self).map(|o| o.1).unwrap_or(0)
    }

    /// The operator for a token byte.
    pub fn from_code(code: u8) -> Option<ExprOp> {
        OPS.iter().find(|o| o.1 == code).map(|o| o.0)
    }

    /// The canonical SDDL spelling.
    pub fn sddl(self) -> &'static str {
        OPS.iter().find(|o| o.0 == self).map(|o| o.2).unwrap_or("?")
    }

    /// How many operands the operator takes.
    pub fn arity(self) -> usize {
        if self.is_unary() {
            1
        } else {
            2
        }
    }

    /// Whether the operator takes one operand.
    pub fn is_unary(self) -> bool {
        matches!(self, ExprOp::Exists | ExprOp::NotExists | ExprOp::Not) || self.is_member_of()
    }

    /// Whether this is one of the eight member-of operators.
    pub fn is_member_of(self) -> bool {
        matches!(
            self,
            ExprOp::MemberOf
                | ExprOp::DeviceMemberOf
                | ExprOp::MemberOfAny
                | ExprOp::DeviceMemberOfAny
                | ExprOp::NotMemberOf
                | ExprOp::NotDeviceMemberOf
                | ExprOp::NotMemberOfAny
                | ExprOp::NotDeviceMemberOfAny
        )
    }

    /// Whether this is `&&`, `||` or `!`.
    pub fn is_logical(self) -> bool {
        matches!(self, ExprOp::And | ExprOp::Or | ExprOp::Not)
    }

    /// The operators that are words, for matching SDDL.
    fn words() -> impl Iterator<Item = (ExprOp, &'static str)> {
        OPS.iter()
            .filter(|o| o.2.as_bytes()[0].is_ascii_alphabetic())
            .map(|o| (o.0, o.2))
    }
}

/// One token of the postfix stream.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub enum ExprToken {
    /// An integer literal with the width, sign and base it was written with.
    Int {
        /// The value.
        value: i64,
        /// The token width.
        width: IntWidth,
        /// The written sign.
        sign: IntSign,
        /// The written base.
        base: IntBase,
    },
    /// 0x10: a Unicode string literal.
    String(String),
    /// 0x18: an octet string literal.
    Octets(Vec<u8>),
    /// 0x50: a composite literal (a list of literals).
    Composite(Vec<ExprToken>),
    /// 0x51: a SID literal.
    Sid(Sid),
    /// 0xF8 to 0xFB: an attribute reference.
    Attr(AttrClass, String),
    /// An operator.
    Op(ExprOp),
}

impl ExprToken {
    /// An int64 literal written in decimal without a sign (how claim values
    /// and most literals appear).
    pub fn int(value: i64) -> ExprToken {
        ExprToken::Int {
            value,
            width: IntWidth::I64,
            sign: IntSign::None,
            base: IntBase::Decimal,
        }
    }

    /// Whether this token is a literal (may appear in a composite).
    pub fn is_literal(&self) -> bool {
        !matches!(self, ExprToken::Attr(..) | ExprToken::Op(_))
    }
}

/// A conditional expression: a postfix token stream.
#[derive(Clone, PartialEq, Eq, Hash, Debug, Default)]
pub struct Expression {
    /// Tokens in postfix (evaluation) order.
    pub tokens: Vec<ExprToken>,
}

/// A conditional expression that could not be read, compiled or printed.
/// `offset` is a byte offset in the SDDL text or the binary blob.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} at offset {offset}")]
pub struct ConditionError {
    /// Where the problem is.
    pub offset: usize,
    /// What is wrong.
    pub message: String,
}

fn err<T>(offset: usize, message: impl Into<String>) -> Result<T, ConditionError> {
    Err(ConditionError {
        offset,
        message: message.into(),
    })
}

// ---------------------------------------------------------------------------
// Binary form (MS-DTYP 2.4.4.17.4 to 2.4.4.17.9)
// ---------------------------------------------------------------------------

impl Expression {
    /// Encodes as application data: `artx`, the tokens, then zero padding to
    /// a multiple of 4 bytes.
    pub fn encode(&self) -> Result<Vec<u8>, ConditionError> {
        let mut out = SIGNATURE.to_vec();
        for t in &self.tokens {
            write_token(&mut out, t)?;
        }
        while out.len() % 4 != 0 {
            out.push(0);
        }
        if out.len() > MAX_BYTES {
            return err(
                0,
                format!(
                    "expression needs {} bytes; at most {MAX_BYTES} fit in an ACE",
                    out.len()
                ),
            );
        }
        Ok(out)
    }

    /// Decodes application data. Trailing zero bytes are padding. The token
    /// stream is validated (lengths, integer ranges, string encoding) but not
    /// required to form a single expression; [`Expression::to_sddl`] and
    /// evaluation check that.
    pub fn decode(data: &[u8]) -> Result<Expression, ConditionError> {
        if data.len() < 4 || data[..4] != SIGNATURE {
            return err(
                0,
                "expected the `artx` signature of a conditional expression",
            );
        }
        let mut p = 4;
        let mut tokens = Vec::new();
        while p < data.len() {
            if data[p] == 0 {
                if let Some(bad) = data[p..].iter().position(|&b| b != 0) {
                    return err(p + bad, "unexpected data after padding");
                }
                break;
            }
            let (tok, used) = read_token(data, p, 0)?;
            tokens.push(tok);
            p += used;
        }
        Ok(Expression { tokens })
    }
}

fn write_len_prefixed(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    out.extend_from_slice(bytes);
}

fn utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
}

fn write_token(out: &mut Vec<u8>, t: &ExprToken) -> Result<(), ConditionError> {
    match t {
        ExprToken::Int {
            value,
            width,
            sign,
            base,
        } => {
            out.push(match width {
                IntWidth::I8 => 0x01,
                IntWidth::I16 => 0x02,
                IntWidth::I32 => 0x03,
                IntWidth::I64 => 0x04,
            });
            out.extend_from_slice(&value.to_le_bytes());
            out.push(match sign {
                IntSign::Positive => 1,
                IntSign::Negative => 2,
                IntSign::None => 3,
            });
            out.push(match base {
                IntBase::Octal => 1,
                IntBase::Decimal => 2,
                IntBase::Hex => 3,
            });
        }
        ExprToken::String(s) => {
            out.push(0x10);
            write_len_prefixed(out, &utf16(s));
        }
        ExprToken::Octets(b) => {
            out.push(0x18);
            write_len_prefixed(out, b);
        }
        ExprToken::Composite(items) => {
            out.push(0x50);
            let mut inner = Vec::new();
            for i in items {
                write_token(&mut inner, i)?;
            }
            write_len_prefixed(out, &inner);
        }
        ExprToken::Sid(s) => {
            out.push(0x51);
            write_len_prefixed(out, &s.to_bytes());
        }
        ExprToken::Attr(class, name) => {
            out.push(match class {
                AttrClass::Local => 0xF8,
                AttrClass::User => 0xF9,
                AttrClass::Resource => 0xFA,
                AttrClass::Device => 0xFB,
            });
            write_len_prefixed(out, &utf16(name));
        }
        ExprToken::Op(op) => out.push(op.code()),
    }
    if out.len() > MAX_BYTES {
        return err(0, "expression is larger than an ACE can hold");
    }
    Ok(())
}

/// Reads a `u32` length and that many bytes at `p`, within `data`.
fn read_len_prefixed(data: &[u8], p: usize) -> Result<(&[u8], usize), ConditionError> {
    if data.len() < p + 4 {
        return err(p, "token length is cut short");
    }
    let n = u32::from_le_bytes([data[p], data[p + 1], data[p + 2], data[p + 3]]) as usize;
    if n > data.len() - p - 4 {
        return err(
            p,
            format!(
                "token claims {n} bytes but only {} remain",
                data.len() - p - 4
            ),
        );
    }
    Ok((&data[p + 4..p + 4 + n], 4 + n))
}

fn read_utf16(bytes: &[u8], at: usize) -> Result<String, ConditionError> {
    if bytes.len() % 2 != 0 {
        return err(at, "UTF-16 string has an odd number of bytes");
    }
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    if units.contains(&0) {
        return err(at, "string holds a NUL character");
    }
    String::from_utf16(&units).or_else(|_| err(at, "string is not valid UTF-16"))
}

/// Reads one token at `p`; returns it and the bytes it used.
fn read_token(data: &[u8], p: usize, depth: usize) -> Result<(ExprToken, usize), ConditionError> {
    if depth > MAX_DEPTH {
        return err(p, format!("composites nest deeper than {MAX_DEPTH}"));
    }
    let code = data[p];
    let q = p + 1;
    match code {
        0x01..=0x04 => {
            if data.len() < q + 10 {
                return err(p, "integer token is cut short");
            }
            let mut v = [0u8; 8];
            v.copy_from_slice(&data[q..q + 8]);
            let value = i64::from_le_bytes(v);
            let width = match code {
                0x01 => IntWidth::I8,
                0x02 => IntWidth::I16,
                0x03 => IntWidth::I32,
                _ => IntWidth::I64,
            };
            let fits = match width {
                IntWidth::I8 => i8::try_from(value).is_ok(),
                IntWidth::I16 => i16::try_from(value).is_ok(),
                IntWidth::I32 => i32::try_from(value).is_ok(),
                IntWidth::I64 => true,
            };
            if !fits {
                return err(p, format!("integer {value} does not fit its token width"));
            }
            let sign = match data[q + 8] {
                1 => IntSign::Positive,
                2 => IntSign::Negative,
                3 => IntSign::None,
                s => return err(q + 8, format!("unknown integer sign 0x{s:02x}")),
            };
            let base = match data[q + 9] {
                1 => IntBase::Octal,
                2 => IntBase::Decimal,
                3 => IntBase::Hex,
                b => return err(q + 9, format!("unknown integer base 0x{b:02x}")),
            };
            Ok((
                ExprToken::Int {
                    value,
                    width,
                    sign,
                    base,
                },
                11,
            ))
        }
        0x10 | 0xF8..=0xFB => {
            let (bytes, used) = read_len_prefixed(data, q)?;
            let s = read_utf16(bytes, q + 4)?;
            let tok = match code {
                0x10 => ExprToken::String(s),
                0xF8 => ExprToken::Attr(AttrClass::Local, s),
                0xF9 => ExprToken::Attr(AttrClass::User, s),
                0xFA => ExprToken::Attr(AttrClass::Resource, s),
                _ => ExprToken::Attr(AttrClass::Device, s),
            };
            Ok((tok, 1 + used))
        }
        0x18 => {
            let (bytes, used) = read_len_prefixed(data, q)?;
            Ok((ExprToken::Octets(bytes.to_vec()), 1 + used))
        }
        0x51 => {
            let (bytes, used) = read_len_prefixed(data, q)?;
            let (sid, n) = Sid::from_bytes(bytes, q + 4).map_err(|e| ConditionError {
                offset: q + 4,
                message: e.to_string(),
            })?;
            if n != bytes.len() {
                return err(q, "SID token length does not match its SID");
            }
            Ok((ExprToken::Sid(sid), 1 + used))
        }
        0x50 => {
            let (bytes, used) = read_len_prefixed(data, q)?;
            let base = q + 4;
            let mut items = Vec::new();
            let mut i = 0;
            while i < bytes.len() {
                let (t, n) = read_token(&data[..base + bytes.len()], base + i, depth + 1)?;
                if !t.is_literal() {
                    return err(base + i, "a composite may hold only literals");
                }
                items.push(t);
                i += n;
            }
            Ok((ExprToken::Composite(items), 1 + used))
        }
        _ => match ExprOp::from_code(code) {
            Some(op) => Ok((ExprToken::Op(op), 1)),
            None => err(p, format!("unknown token 0x{code:02x}")),
        },
    }
}

// ---------------------------------------------------------------------------
// Printing (SDDL text, MS-DTYP 2.5.1.1)
// ---------------------------------------------------------------------------

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
                ExprToken::Op(op) => op.arity(),
                _ => 0,
            };
            if stack.len() < arity {
                return err(i, format!("operator {} lacks an operand", token_name(tok)));
            }
            let rhs = if arity >= 1 { stack.pop() } else { None };
            let lhs = if arity == 2 { stack.pop() } else { None };
            nodes.push(Node { tok, lhs, rhs });
            stack.push(nodes.len() - 1);
        }
        if stack.len() != 1 {
            return err(
                self.tokens.len(),
                format!("the tokens form {} expressions, not one", stack.len()),
            );
        }
        let mut out = String::new();
        write_node(&nodes, stack[0], true, &mut out, domain, 0)?;
        Ok(out)
    }
}

fn token_name(t: &ExprToken) -> String {
    match t {
        ExprToken::Op(op) => format!("`{}`", op.sddl()),
        _ => "literal".into(),
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
        return err(0, format!("expression nests deeper than {MAX_DEPTH}"));
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
                return err(0, "a string holding `\"` cannot be written in SDDL");
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
                return err(0, format!("composites nest deeper than {MAX_DEPTH}"));
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
        ExprToken::Op(_) => return err(0, "operator where a literal was expected"),
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

/// Whether `c` may appear unescaped in a local attribute name
/// (`attr-char1`, MS-DTYP 2.5.1.1).
fn is_attr_char1(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b':' | b'.' | b'/' | b'_')
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

// ---------------------------------------------------------------------------
// Parsing (SDDL text, MS-DTYP 2.5.1.1)
// ---------------------------------------------------------------------------

/// The SDDL compiler state: input, position and output stream.
struct Parser<'a> {
    s: &'a [u8],
    pos: usize,
    base: usize,
    domain: Option<&'a Sid>,
    out: Vec<ExprToken>,
}

/// `wspace = 1*(%x09-0D / %x20)`.
fn is_wspace(c: u8) -> bool {
    c == b' ' || (0x09..=0x0D).contains(&c)
}

impl Expression {
    /// Compiles the SDDL text at the start of `text`, which must begin with
    /// `(`. Returns the expression and the bytes consumed (through the
    /// matching `)`). `base` is added to error offsets so they refer to the
    /// whole descriptor string.
    pub fn parse_sddl(
        text: &[u8],
        base: usize,
        domain: Option<&Sid>,
    ) -> Result<(Expression, usize), ConditionError> {
        let mut p = Parser {
            s: text,
            pos: 0,
            base,
            domain,
            out: Vec::new(),
        };
        if p.peek() != Some(b'(') {
            return p.fail("expected `(` to start a conditional expression");
        }
        p.paren_expr(0)?;
        Ok((Expression { tokens: p.out }, p.pos))
    }

    /// Compiles a complete SDDL condition such as `(@User.Dept == "Sales")`.
    pub fn from_sddl(text: &str, domain: Option<&Sid>) -> Result<Expression, ConditionError> {
        let (e, used) = Expression::parse_sddl(text.as_bytes(), 0, domain)?;
        let rest = &text.as_bytes()[used..];
        if let Some(k) = rest.iter().position(|&c| !is_wspace(c)) {
            return err(used + k, "unexpected text after the expression");
        }
        Ok(e)
    }
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn at(&self, k: usize) -> Option<u8> {
        self.s.get(self.pos + k).copied()
    }

    fn fail<T>(&self, message: impl Into<String>) -> Result<T, ConditionError> {
        err(self.base + self.pos, message)
    }

    fn ws(&mut self) {
        while self.peek().is_some_and(is_wspace) {
            self.pos += 1;
        }
    }

    fn emit(&mut self, t: ExprToken) -> Result<(), ConditionError> {
        // Every token takes at least one byte; the stream cannot exceed an ACE.
        if self.out.len() >= MAX_BYTES {
            return self.fail("expression is too long for an ACE");
        }
        self.out.push(t);
        Ok(())
    }

    fn describe_here(&self) -> String {
        match self.peek() {
            None => "the end of the input".to_string(),
            Some(_) => {
                let rest = String::from_utf8_lossy(&self.s[self.pos..]);
                let c = rest.chars().next().unwrap_or('?');
                format!("`{c}`")
            }
        }
    }

    /// `"(" cond-expr ")"`.
    fn paren_expr(&mut self, depth: usize) -> Result<(), ConditionError> {
        if depth >= MAX_DEPTH {
            return self.fail(format!("expression nests deeper than {MAX_DEPTH}"));
        }
        let open = self.pos;
        self.pos += 1;
        self.ws();
        if self.peek() == Some(b')') {
            return self.fail("empty expression");
        }
        self.or_expr(depth)?;
        self.ws();
        if self.peek() != Some(b')') {
            return self.fail(format!(
                "expected `)` to match `(` at offset {}, found {}",
                self.base + open,
                self.describe_here()
            ));
        }
        self.pos += 1;
        Ok(())
    }

    fn or_expr(&mut self, depth: usize) -> Result<(), ConditionError> {
        self.and_expr(depth)?;
        loop {
            self.ws();
            if self.peek() == Some(b'|') && self.at(1) == Some(b'|') {
                self.pos += 2;
                self.ws();
                self.and_expr(depth)?;
                self.emit(ExprToken::Op(ExprOp::Or))?;
            } else {
                return Ok(());
            }
        }
    }

    fn and_expr(&mut self, depth: usize) -> Result<(), ConditionError> {
        self.unary(depth)?;
        loop {
            self.ws();
            if self.peek() == Some(b'&') && self.at(1) == Some(b'&') {
                self.pos += 2;
                self.ws();
                self.unary(depth)?;
                self.emit(ExprToken::Op(ExprOp::And))?;
            } else {
                return Ok(());
            }
        }
    }

    /// `["!"] (paren-expr / term)`. The operand of `!` is a parenthesised
    /// expression or a term starting with an `@` attribute.
    fn unary(&mut self, depth: usize) -> Result<(), ConditionError> {
        self.ws();
        if self.peek() == Some(b'!') && self.at(1) != Some(b'=') {
            if depth + 1 >= MAX_DEPTH {
                return self.fail(format!("expression nests deeper than {MAX_DEPTH}"));
            }
            self.pos += 1;
            self.ws();
            match self.peek() {
                Some(b'(') => self.paren_expr(depth + 1)?,
                Some(b'@') => self.term(depth + 1)?,
                _ => {
                    return self.fail(format!(
                        "expected `(` or an `@` attribute after `!`, found {}",
                        self.describe_here()
                    ))
                }
            }
            return self.emit(ExprToken::Op(ExprOp::Not));
        }
        self.term(depth)
    }

    fn term(&mut self, depth: usize) -> Result<(), ConditionError> {
        match self.peek() {
            Some(b'(') => self.paren_expr(depth + 1),
            Some(b'@') => {
                let t = self.attr_at_sign()?;
                self.relation(t)
            }
            Some(b'"') => {
                // A quoted name in attribute position is a local attribute.
                let name = self.string_body()?;
                self.relation(ExprToken::Attr(AttrClass::Local, name))
            }
            Some(c) if is_attr_char1(c) => {
                let start = self.pos;
                let word = self.word();
                if let Some(op) = unary_word(word) {
                    self.ws();
                    if matches!(op, ExprOp::Exists | ExprOp::NotExists) {
                        let a = self.attribute()?;
                        self.emit(a)?;
                    } else {
                        self.member_of_operand()?;
                    }
                    return self.emit(ExprToken::Op(op));
                }
                if binary_word(word).is_some() {
                    self.pos = start;
                    return self.fail(format!(
                        "operator `{}` needs an attribute on its left",
                        String::from_utf8_lossy(word)
                    ));
                }
                let name = String::from_utf8_lossy(word).into_owned();
                self.relation(ExprToken::Attr(AttrClass::Local, name))
            }
            None => self.fail("input ends inside a conditional expression"),
            _ => self.fail(format!(
                "expected an attribute, `(`, `!` or an operator, found {}",
                self.describe_here()
            )),
        }
    }

    /// After an attribute: a relational, contains or any-of operator and its
    /// right-hand side, or nothing (the attribute is tested for truth).
    fn relation(&mut self, lhs: ExprToken) -> Result<(), ConditionError> {
        self.emit(lhs)?;
        self.ws();
        let two = (self.peek(), self.at(1));
        let op = match two {
            (Some(b'='), Some(b'=')) => Some((ExprOp::Equal, 2)),
            (Some(b'!'), Some(b'=')) => Some((ExprOp::NotEqual, 2)),
            (Some(b'<'), Some(b'=')) => Some((ExprOp::LessOrEqual, 2)),
            (Some(b'>'), Some(b'=')) => Some((ExprOp::GreaterOrEqual, 2)),
            (Some(b'<'), _) => Some((ExprOp::Less, 1)),
            (Some(b'>'), _) => Some((ExprOp::Greater, 1)),
            _ => None,
        };
        if let Some((op, n)) = op {
            self.pos += n;
            self.ws();
            match self.peek() {
                Some(b'@') => {
                    let a = self.attr_at_sign()?;
                    self.emit(a)?;
                }
                Some(b'(') => self.paren_literal()?,
                _ => self.literal(0)?,
            }
            return self.emit(ExprToken::Op(op));
        }
        if self.peek().is_some_and(is_attr_char1) {
            let start = self.pos;
            let word = self.word();
            if let Some(op) = binary_word(word) {
                self.ws();
                if self.peek() == Some(b'@') {
                    let a = self.attr_at_sign()?;
                    self.emit(a)?;
                } else {
                    self.literal(0)?;
                }
                return self.emit(ExprToken::Op(op));
            }
            self.pos = start;
            return self.fail(format!(
                "expected an operator after the attribute, found `{}`",
                String::from_utf8_lossy(word)
            ));
        }
        Ok(())
    }

    /// A run of `attr-char1` characters.
    fn word(&mut self) -> &'a [u8] {
        let start = self.pos;
        while self.peek().is_some_and(is_attr_char1) {
            self.pos += 1;
        }
        &self.s[start..self.pos]
    }

    /// An attribute for `Exists`: `@Class.name`, a bare local name or a quoted one.
    fn attribute(&mut self) -> Result<ExprToken, ConditionError> {
        match self.peek() {
            Some(b'@') => self.attr_at_sign(),
            Some(b'"') => Ok(ExprToken::Attr(AttrClass::Local, self.string_body()?)),
            Some(c) if is_attr_char1(c) => {
                let w = self.word();
                Ok(ExprToken::Attr(
                    AttrClass::Local,
                    String::from_utf8_lossy(w).into_owned(),
                ))
            }
            _ => self.fail(format!(
                "expected an attribute, found {}",
                self.describe_here()
            )),
        }
    }

    /// `@User.`, `@Device.`, `@Resource.` or `@Local.` then a name with
    /// `%xxxx` escapes (`attr-char2`).
    fn attr_at_sign(&mut self) -> Result<ExprToken, ConditionError> {
        let start = self.pos;
        self.pos += 1;
        let classes = [
            ("user.", AttrClass::User),
            ("device.", AttrClass::Device),
            ("resource.", AttrClass::Resource),
            ("local.", AttrClass::Local),
        ];
        let rest = &self.s[self.pos..];
        let Some((prefix, class)) = classes.iter().find(|(p, _)| {
            rest.len() >= p.len() && rest[..p.len()].eq_ignore_ascii_case(p.as_bytes())
        }) else {
            self.pos = start;
            return self.fail("expected `@User.`, `@Device.`, `@Resource.` or `@Local.`");
        };
        self.pos += prefix.len();
        let name_start = self.pos;
        while let Some(c) = self.peek() {
            if is_wspace(c) || b"!&()><=|\"".contains(&c) {
                break;
            }
            self.pos += 1;
        }
        if self.pos == name_start {
            return self.fail("empty attribute name");
        }
        let raw = &self.s[name_start..self.pos];
        let name = unescape_attr(raw, self.base + name_start)?;
        Ok(ExprToken::Attr(*class, name))
    }

    /// The text of a `"..."` string (no escapes exist in SDDL strings).
    fn string_body(&mut self) -> Result<String, ConditionError> {
        let start = self.pos;
        self.pos += 1;
        let Some(len) = self.s[self.pos..].iter().position(|&c| c == b'"') else {
            self.pos = start;
            return self.fail("unterminated string");
        };
        let bytes = &self.s[self.pos..self.pos + len];
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => t,
            Err(_) => return self.fail("string is not valid UTF-8"),
        };
        if text.contains('\0') {
            return self.fail("string holds a NUL character");
        }
        self.pos += len + 1;
        Ok(text.to_string())
    }

    /// `(` literal `)`, allowed after relational and member-of operators.
    fn paren_literal(&mut self) -> Result<(), ConditionError> {
        self.pos += 1;
        self.ws();
        self.literal(0)?;
        self.ws();
        if self.peek() != Some(b')') {
            return self.fail(format!(
                "expected `)` after the literal, found {}",
                self.describe_here()
            ));
        }
        self.pos += 1;
        Ok(())
    }

    /// The operand of a member-of operator: a SID or a composite of SIDs,
    /// possibly in parentheses (`sid-array`, MS-DTYP 2.5.1.1).
    fn member_of_operand(&mut self) -> Result<(), ConditionError> {
        let at = self.pos;
        if self.peek() == Some(b'(') {
            self.paren_literal()?;
        } else {
            self.literal(0)?;
        }
        let ok = match self.out.last() {
            Some(ExprToken::Sid(_)) => true,
            Some(ExprToken::Composite(items)) => {
                items.iter().all(|i| matches!(i, ExprToken::Sid(_)))
            }
            _ => false,
        };
        if !ok {
            return err(
                self.base + at,
                "member-of operators take a SID or a list of SIDs",
            );
        }
        Ok(())
    }

    fn literal(&mut self, depth: usize) -> Result<(), ConditionError> {
        let t = self.literal_token(depth)?;
        self.emit(t)
    }

    fn literal_token(&mut self, depth: usize) -> Result<ExprToken, ConditionError> {
        match self.peek() {
            Some(b'#') => self.octets(),
            Some(b'"') => Ok(ExprToken::String(self.string_body()?)),
            Some(b'{') => self.composite(depth),
            Some(b'S') if self.s[self.pos..].starts_with(b"SID(") => self.sid_literal(),
            Some(c) if c.is_ascii_digit() || c == b'-' || c == b'+' => self.int_literal(),
            None => self.fail("input ends where a literal was expected"),
            _ => self.fail(format!(
                "expected a literal, found {}",
                self.describe_here()
            )),
        }
    }

    /// `#` then hex digits, where `#` also stands for `0` (Windows and Samba
    /// treat `#` as a zero digit); an even number is required.
    fn octets(&mut self) -> Result<ExprToken, ConditionError> {
        self.pos += 1;
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|c| c == b'#' || c.is_ascii_hexdigit())
        {
            self.pos += 1;
        }
        let digits = &self.s[start..self.pos];
        if digits.len() % 2 != 0 {
            return err(
                self.base + start,
                "octet string has an odd number of hex digits",
            );
        }
        let nib = |c: u8| match c {
            b'#' => 0,
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            _ => c - b'A' + 10,
        };
        Ok(ExprToken::Octets(
            digits
                .chunks(2)
                .map(|p| (nib(p[0]) << 4) | nib(p[1]))
                .collect(),
        ))
    }

    fn composite(&mut self, depth: usize) -> Result<ExprToken, ConditionError> {
        if depth >= MAX_DEPTH {
            return self.fail(format!("composites nest deeper than {MAX_DEPTH}"));
        }
        self.pos += 1;
        let mut items = Vec::new();
        loop {
            self.ws();
            match self.peek() {
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(ExprToken::Composite(items));
                }
                None => return self.fail("unterminated composite: expected `}`"),
                _ => {}
            }
            if !items.is_empty() {
                if self.peek() != Some(b',') {
                    return self.fail(format!(
                        "expected `,` or `}}` in the composite, found {}",
                        self.describe_here()
                    ));
                }
                self.pos += 1;
                self.ws();
            }
            if items.len() >= MAX_BYTES / 2 {
                return self.fail("composite is too large for an ACE");
            }
            items.push(self.literal_token(depth + 1)?);
        }
    }

    fn sid_literal(&mut self) -> Result<ExprToken, ConditionError> {
        self.pos += 4;
        let start = self.pos;
        let Some(len) = self.s[start..].iter().position(|&c| c == b')') else {
            return self.fail("expected `)` to close `SID(`");
        };
        let text = String::from_utf8_lossy(&self.s[start..start + len]);
        let sid = Sid::parse_sddl(&text, self.domain).map_err(|e| ConditionError {
            offset: self.base + start,
            message: e.to_string(),
        })?;
        self.pos = start + len + 1;
        Ok(ExprToken::Sid(sid))
    }

    /// `strtoll(text, &end, 0)`: an optional sign, then `0x` hex, leading-`0`
    /// octal or decimal. The sign and base are kept for printing.
    fn int_literal(&mut self) -> Result<ExprToken, ConditionError> {
        let start = self.pos;
        let mut i = self.pos;
        let Some(first) = self.peek() else {
            return self.fail("input ends where an integer was expected");
        };
        let sign = match first {
            b'-' => {
                i += 1;
                IntSign::Negative
            }
            b'+' => {
                i += 1;
                IntSign::Positive
            }
            _ => IntSign::None,
        };
        let digits_start = i;
        let (magnitude, used) = crate::ids::sid::parse_c_unsigned(&self.s[i..]);
        if used == 0 {
            return self.fail("expected digits in the integer");
        }
        let text = &self.s[digits_start..digits_start + used];
        let base = if text.len() > 2 && text[0] == b'0' && (text[1] | 0x20) == b'x' {
            IntBase::Hex
        } else if text.len() > 1 && text[0] == b'0' {
            IntBase::Octal
        } else {
            IntBase::Decimal
        };
        i += used;
        if self.s.get(i).is_some_and(|&c| is_attr_char1(c)) {
            return err(self.base + i, "unexpected character after the integer");
        }
        let value = match (magnitude, sign) {
            (Some(m), IntSign::Negative) if m <= 1u64 << 63 => (m as i128).wrapping_neg() as i64,
            (Some(m), _) if m <= i64::MAX as u64 => m as i64,
            _ => {
                return err(
                    self.base + start,
                    format!(
                        "integer `{}` is out of the 64-bit range",
                        String::from_utf8_lossy(&self.s[start..i])
                    ),
                )
            }
        };
        self.pos = i;
        Ok(ExprToken::Int {
            value,
            width: IntWidth::I64,
            sign,
            base,
        })
    }
}

impl ClaimAttribute {
    /// Parses the SDDL payload of an `RA` ACE at the start of `text`
    /// (`("name",Tx,flags,value,...)`); leading whitespace is allowed, as
    /// Windows allows it. Returns the attribute and the bytes consumed.
    pub fn parse_sddl(
        text: &[u8],
        base: usize,
        domain: Option<&Sid>,
    ) -> Result<(ClaimAttribute, usize), ClaimError> {
        parse_resource_attribute(text, base, domain)
    }
}

impl From<ConditionError> for ClaimError {
    fn from(e: ConditionError) -> ClaimError {
        ClaimError {
            offset: e.offset,
            message: e.message,
        }
    }
}

/// Parses a resource attribute payload `("name",Tx,flags,value,...)`
/// (MS-DTYP 2.5.1.1, `attribute-data`), reusing the conditional literal
/// syntax. SIDs are bare (no `SID(...)`); `TX` also takes bare even-length hex
/// digits, as Windows does.
fn parse_resource_attribute(
    text: &[u8],
    base: usize,
    domain: Option<&Sid>,
) -> Result<(ClaimAttribute, usize), ClaimError> {
    let mut p = Parser {
        s: text,
        pos: 0,
        base,
        domain,
        out: Vec::new(),
    };
    p.ws();
    if p.peek() != Some(b'(') || p.at(1) != Some(b'"') {
        return Ok(p.fail("expected `(\"` to start a resource attribute")?);
    }
    p.pos += 2;
    let name_start = p.pos;
    while let Some(c) = p.peek() {
        if is_wspace(c) || b"!&()><=|\"".contains(&c) {
            break;
        }
        p.pos += 1;
    }
    if p.pos == name_start {
        return Ok(p.fail("empty resource attribute name")?);
    }
    let name = unescape_attr(&p.s[name_start..p.pos], base + name_start)?;
    p.ws();
    if p.peek() != Some(b'"') || p.at(1) != Some(b',') || p.at(2) != Some(b'T') {
        return Ok(p.fail("expected `\",T` after the attribute name")?);
    }
    let letter = p.at(3).unwrap_or(b'?');
    if !b"IUSDXB".contains(&letter) {
        p.pos += 2;
        return Ok(p.fail(format!(
            "unknown resource attribute type `T{}`; expected TI, TU, TS, TD, TX or TB",
            letter as char
        ))?);
    }
    if p.at(4) != Some(b',') {
        p.pos += 4;
        return Ok(p.fail("expected `,` after the attribute type")?);
    }
    p.pos += 5;
    p.ws();
    let flags_at = p.pos;
    let flags = match p.int_literal()? {
        ExprToken::Int { value, .. } if (0..=i64::from(u32::MAX)).contains(&value) => value as u32,
        _ => return Ok(err(base + flags_at, "attribute flags must fit in 32 bits")?),
    };
    // MS-DTYP 2.4.10.1: bits 0xFF00 are reserved.
    if flags & 0xFF00 != 0 {
        return Ok(err(
            base + flags_at,
            format!("attribute flags 0x{flags:x} use the reserved bits 0xff00"),
        )?);
    }
    let mut values = match letter {
        b'I' => ClaimValues::Int64(Vec::new()),
        b'U' => ClaimValues::Uint64(Vec::new()),
        b'S' => ClaimValues::String(Vec::new()),
        b'D' => ClaimValues::Sid(Vec::new()),
        b'X' => ClaimValues::OctetString(Vec::new()),
        _ => ClaimValues::Boolean(Vec::new()),
    };
    loop {
        p.ws();
        match p.peek() {
            Some(b')') => break,
            Some(b',') => {
                p.pos += 1;
                p.ws();
            }
            None => return Ok(p.fail("unterminated resource attribute: expected `)`")?),
            _ => return Ok(p.fail(format!("expected `,` or `)`, found {}", p.describe_here()))?),
        }
        if values.len() >= MAX_BYTES / 8 {
            return Ok(p.fail("resource attribute has too many values for an ACE")?);
        }
        let at = p.pos;
        match &mut values {
            ClaimValues::Int64(v) => match p.int_literal()? {
                ExprToken::Int { value, .. } => v.push(value),
                _ => return Ok(err(base + at, "expected an integer")?),
            },
            ClaimValues::Uint64(v) => {
                if p.peek() == Some(b'-') {
                    return Ok(p.fail("TU values cannot be negative")?);
                }
                let plus = usize::from(p.peek() == Some(b'+'));
                let (m, used) = crate::ids::sid::parse_c_unsigned(&p.s[p.pos + plus..]);
                match m {
                    Some(m) if used > 0 => v.push(m),
                    _ => return Ok(p.fail("expected an unsigned 64-bit integer")?),
                }
                p.pos += plus + used;
            }
            ClaimValues::Boolean(v) => match p.int_literal()? {
                ExprToken::Int { value: 0, .. } => v.push(false),
                ExprToken::Int { value: 1, .. } => v.push(true),
                _ => return Ok(err(base + at, "TB values must be 0 or 1")?),
            },
            ClaimValues::String(v) => {
                if p.peek() != Some(b'"') {
                    return Ok(p.fail("expected a quoted string")?);
                }
                v.push(p.string_body()?);
            }
            ClaimValues::Sid(v) => {
                let rest = &p.s[p.pos..];
                if matches!(rest.first(), Some(b'S' | b's')) && rest.get(1) == Some(&b'-') {
                    let (sid, used) =
                        Sid::parse_prefix(rest, base + p.pos).map_err(|e| ConditionError {
                            offset: base + at,
                            message: e.to_string(),
                        })?;
                    v.push(sid);
                    p.pos += used;
                } else {
                    let code = String::from_utf8_lossy(&rest[..rest.len().min(2)]).into_owned();
                    let sid = crate::ids::sid::alias::resolve(&code, domain).map_err(|e| {
                        ConditionError {
                            offset: base + at,
                            message: e.to_string(),
                        }
                    })?;
                    v.push(sid);
                    p.pos += 2;
                }
            }
            ClaimValues::OctetString(v) => {
                if p.peek() == Some(b'#') {
                    match p.octets()? {
                        ExprToken::Octets(b) => v.push(b),
                        _ => return Ok(err(base + at, "expected an octet string")?),
                    }
                } else {
                    let start = p.pos;
                    while p.peek().is_some_and(|c| c.is_ascii_hexdigit()) {
                        p.pos += 1;
                    }
                    let digits = &p.s[start..p.pos];
                    if digits.is_empty() || digits.len() % 2 != 0 {
                        return Ok(err(
                            base + start,
                            "expected `#` and an even number of hex digits",
                        )?);
                    }
                    let hex = std::str::from_utf8(digits).unwrap_or("");
                    v.push(
                        (0..hex.len() / 2)
                            .map(|k| u8::from_str_radix(&hex[2 * k..2 * k + 2], 16).unwrap_or(0))
                            .collect(),
                    );
                }
            }
        }
    }
    if values.is_empty() {
        return Ok(p.fail("a resource attribute needs at least one value")?);
    }
    p.pos += 1;
    Ok((
        ClaimAttribute {
            name,
            flags,
            values,
        },
        p.pos,
    ))
}

/// The unary operator a word names (case-insensitive), if any.
fn unary_word(w: &[u8]) -> Option<ExprOp> {
    ExprOp::words()
        .find(|(op, name)| op.is_unary() && name.as_bytes().eq_ignore_ascii_case(w))
        .map(|(op, _)| op)
}

/// The binary word operator (`Contains`, `Any_of` and their `Not_` forms).
fn binary_word(w: &[u8]) -> Option<ExprOp> {
    ExprOp::words()
        .find(|(op, name)| !op.is_unary() && name.as_bytes().eq_ignore_ascii_case(w))
        .map(|(op, _)| op)
}

/// Decodes `%xxxx` escapes in an attribute name. Characters that MS-DTYP
/// 2.5.1.1 says must be literal may not be escaped.
fn unescape_attr(raw: &[u8], at: usize) -> Result<String, ConditionError> {
    let text =
        std::str::from_utf8(raw).or_else(|_| err(at, "attribute name is not valid UTF-8"))?;
    let mut units: Vec<u16> = Vec::with_capacity(raw.len());
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '%' {
            let mut buf = [0u16; 2];
            units.extend_from_slice(c.encode_utf16(&mut buf));
            continue;
        }
        let hex = text
            .get(i + 1..i + 5)
            .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()));
        let Some(hex) = hex else {
            return err(at + i, "a `%` escape needs four hex digits");
        };
        let v = u16::from_str_radix(hex, 16).unwrap_or(0);
        if v < 127
            && ((v as u8).is_ascii_alphanumeric() || b"#$'*+-;?@[\\]^_`{}~:/.".contains(&(v as u8)))
        {
            return err(
                at + i,
                format!(
                    "`%{hex}` escapes `{}`, which must be written literally",
                    v as u8 as char
                ),
            );
        }
        if v == 0 {
            return err(at + i, "attribute names cannot hold NUL");
        }
        units.push(v);
        for _ in 0..4 {
            chars.next();
        }
    }
    String::from_utf16(&units).or_else(|_| err(at, "attribute name is not valid UTF-16"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round(text: &str) -> String {
        let e = Expression::from_sddl(text, None).unwrap();
        let bytes = e.encode().unwrap();
        let back = Expression::decode(&bytes).unwrap();
        assert_eq!(back, e);
        back.to_sddl(None).unwrap()
    }

    #[test]
    fn prints_canonically() {
        assert_eq!(
            round("(@User.Department == \"Sales\")"),
            "(@USER.Department == \"Sales\")"
        );
        assert_eq!(
            round("(@User.a==1&&@Device.b!=2)"),
            "((@USER.a == 1) && (@DEVICE.b != 2))"
        );
        assert_eq!(
            round("(Member_of {SID(BA), SID(BU)})"),
            "(Member_of {SID(BA), SID(BU)})"
        );
        assert_eq!(round("(member_of_any SID(BA))"), "(Member_of_any SID(BA))");
        assert_eq!(round("(!(Exists @User.x))"), "(!(Exists @USER.x))");
        assert_eq!(round("(Exists Title)"), "(Exists Title)");
        assert_eq!(round("(@User.x)"), "(@USER.x)");
        assert_eq!(round("(@Resource.n >= 0x10)"), "(@RESOURCE.n >= 0x10)");
        assert_eq!(round("(@Resource.n < -010)"), "(@RESOURCE.n < -010)");
        assert_eq!(round("(@Resource.n == +5)"), "(@RESOURCE.n == +5)");
        assert_eq!(
            round("(@User.o Contains #01ab)"),
            "(@USER.o Contains #01AB)"
        );
        assert_eq!(round("(a || b || c)"), "(((a) || (b)) || (c))");
    }

    #[test]
    fn encodes_tokens_as_ms_dtyp_describes() {
        let e = Expression::from_sddl("(Exists @User.a)", None).unwrap();
        let b = e.encode().unwrap();
        // artx, 0xf9, length 2, "a" in UTF-16, 0x87: 12 bytes, already aligned.
        assert_eq!(b, [b'a', b'r', b't', b'x', 0xF9, 2, 0, 0, 0, b'a', 0, 0x87]);
        let e = Expression::from_sddl("(Exists @User.ab)", None).unwrap();
        assert_eq!(e.encode().unwrap().len(), 16, "14 bytes padded to 16");
    }

    #[test]
    fn rejects_bad_text_with_offsets() {
        let e = |t: &str| Expression::from_sddl(t, None).unwrap_err();
        assert_eq!(e("(@User.a == 1").offset, 13);
        assert_eq!(e("()").message, "empty expression");
        assert!(e("(@User.a == )").message.contains("literal"));
        assert!(e("(Member_of 5)").message.contains("SID"));
        assert!(e("(@User.a === 1)").message.contains("literal"));
        assert!(e("(@Foo.a == 1)").message.contains("@User."));
        let deep = format!("{}@User.a{}", "(".repeat(300), ")".repeat(300));
        assert!(e(&deep).message.contains("deeper"));
        assert!(e("(@User.a == 99999999999999999999)")
            .message
            .contains("64-bit"));
    }

    #[test]
    fn rejects_bad_binary_streams() {
        assert!(Expression::decode(b"abcd").is_err());
        // Truncated string token.
        assert!(Expression::decode(&[b'a', b'r', b't', b'x', 0x10, 9, 0, 0, 0]).is_err());
        // Int8 token holding 300.
        let mut b = vec![b'a', b'r', b't', b'x', 0x01];
        b.extend_from_slice(&300i64.to_le_bytes());
        b.extend_from_slice(&[3, 2]);
        assert!(Expression::decode(&b)
            .unwrap_err()
            .message
            .contains("width"));
        // Unknown token.
        assert!(Expression::decode(&[b'a', b'r', b't', b'x', 0x77]).is_err());
    }
}
