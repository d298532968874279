//! Conditional ACE expressions (MS-DTYP 2.4.4.17 and 2.5.1.1).
//!
//! An expression is stored, as Windows stores it, as a postfix token stream
//! after the `artx` signature. This module holds the types; its parts read and
//! write that stream (`stream`), compile the SDDL text form into it (`parse`,
//! and `resource` for resource attribute payloads) and print it back in
//! Windows' canonical form (`print`). Evaluation lives in [`eval`].
//!
//! Printing follows the rules Samba derived from Windows' output
//! (`libcli/security/sddl_conditional_ace.c`): attribute classes upper-case
//! (`@USER.`), every relational and member-of sub-expression parenthesised,
//! operands of `&&`, `||` and `!` parenthesised, `!` written without a space,
//! `Member_of_any` with a lower-case `any`.

mod error;
pub mod eval;
mod parse;
mod print;
mod resource;
mod stream;

pub use error::{ConditionError, ConditionErrorKind, Unprintable};

use crate::ids::sid::Sid;

/// The deepest nesting accepted: of parentheses and `!` in SDDL text, of
/// composites, and of the expression tree (an operator counts one level
/// above its deepest operand, so a flat `a || a || ...` chain of n terms is
/// n deep). Parser and printer apply the same tree rule, so whatever parses
/// prints and whatever prints parses (issue 18, F4). Windows documents no
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
// Exhaustive on purpose: one variant per sign code (0x01 to 0x03) that MS-DTYP
// 2.4.4.17.5 defines; any other code is a parse error, not a new variant.
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
// Exhaustive on purpose: one variant per base code (0x01 to 0x03) that MS-DTYP
// 2.4.4.17.5 defines; any other code is a parse error, not a new variant.
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
// Exhaustive on purpose: one variant per width code (0x01 to 0x04) that MS-DTYP
// 2.4.4.17.5 defines; any other code is a parse error, not a new variant.
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
#[non_exhaustive]
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
#[non_exhaustive]
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
#[non_exhaustive]
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

// ---------------------------------------------------------------------------
// Lexical helpers shared by the parser and the printer (MS-DTYP 2.5.1.1)
// ---------------------------------------------------------------------------

/// Whether `c` may appear unescaped in a local attribute name
/// (`attr-char1`, MS-DTYP 2.5.1.1).
fn is_attr_char1(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b':' | b'.' | b'/' | b'_')
}

/// `wspace = 1*(%x09-0D / %x20)`.
fn is_wspace(c: u8) -> bool {
    c == b' ' || (0x09..=0x0D).contains(&c)
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
        assert_eq!(e("(@User.a == 1").offset(), 13);
        assert_eq!(e("()").kind().to_string(), "empty expression");
        assert!(e("(@User.a == )").kind().to_string().contains("literal"));
        assert!(e("(Member_of 5)").kind().to_string().contains("SID"));
        assert!(e("(@User.a === 1)").kind().to_string().contains("literal"));
        assert!(e("(@Foo.a == 1)").kind().to_string().contains("@User."));
        let deep = format!("{}@User.a{}", "(".repeat(300), ")".repeat(300));
        assert!(e(&deep).kind().to_string().contains("deeper"));
        assert!(e("(@User.a == 99999999999999999999)")
            .kind()
            .to_string()
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
            .kind()
            .to_string()
            .contains("width"));
        // Unknown token.
        assert!(Expression::decode(&[b'a', b'r', b't', b'x', 0x77]).is_err());
    }
}
