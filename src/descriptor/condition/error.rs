//! What can go wrong reading, compiling or printing a conditional expression.

use super::ExprOp;
use crate::descriptor::Found;
use crate::ids::sid::SidError;
use std::fmt;

/// A conditional expression that could not be read, compiled or printed.
///
/// [`offset`](ConditionError::offset) is a byte offset in the SDDL text or
/// the binary blob; [`kind`](ConditionError::kind) says what went wrong. It
/// displays as the kind's message followed by ` at offset N`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConditionError {
    offset: usize,
    kind: ConditionErrorKind,
}

/// What went wrong with a conditional expression. Each variant displays as
/// the message of a [`ConditionError`], without its offset.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ConditionErrorKind {
    // Binary form.
    /// The application data does not start with `artx`.
    MissingSignature,
    /// Non-zero bytes follow the zero padding at the end of the stream.
    DataAfterPadding,
    /// A token ends before its fixed-size part does; `what` names the part
    /// (`"token length"`, `"integer token"`).
    Truncated {
        /// The part that is cut short.
        what: &'static str,
    },
    /// A length-prefixed token claims more bytes than the stream holds.
    LengthPastEnd {
        /// The length the token claims.
        claimed: usize,
        /// The bytes left after the length field.
        remaining: usize,
    },
    /// A UTF-16 string token has an odd number of bytes.
    OddUtf16Length,
    /// A string (binary or text) holds U+0000.
    NulInString,
    /// Bytes that are not valid UTF-16; `what` is `"string"` or
    /// `"attribute name"`.
    InvalidUtf16 {
        /// What was being read.
        what: &'static str,
    },
    /// Text that is not valid UTF-8; `what` is `"string"` or
    /// `"attribute name"`.
    InvalidUtf8 {
        /// What was being read.
        what: &'static str,
    },
    /// An integer token's value does not fit the width its code gives.
    IntegerTooWide {
        /// The stored value.
        value: i64,
    },
    /// An integer token's sign byte is not 1, 2 or 3.
    UnknownIntegerSign(u8),
    /// An integer token's base byte is not 1, 2 or 3.
    UnknownIntegerBase(u8),
    /// A byte that is no token code (MS-DTYP 2.4.4.17.4).
    UnknownToken(u8),
    /// A SID token or `SID(...)` literal that is not a valid SID.
    Sid(SidError),
    /// A SID token's length is not the length of the SID it holds.
    SidLengthMismatch,
    /// A composite holds an attribute or an operator.
    NonLiteralInComposite,
    /// Composites nest deeper than `limit`.
    CompositeTooDeep {
        /// The deepest nesting allowed (`MAX_DEPTH`).
        limit: usize,
    },
    /// Sub-expressions nest deeper than `limit`.
    ExpressionTooDeep {
        /// The deepest nesting allowed (`MAX_DEPTH`).
        limit: usize,
    },
    /// The encoded expression is larger than an ACE can carry.
    TooLarge {
        /// The bytes the encoding needs.
        bytes: usize,
        /// The most an ACE can carry (`MAX_BYTES`).
        limit: usize,
    },
    /// The token stream outgrew an ACE while being written.
    StreamTooLarge,

    // Printing.
    /// An operator with fewer operands before it than it takes.
    MissingOperand(ExprOp),
    /// The tokens do not reduce to exactly one expression.
    NotOneExpression {
        /// How many expressions they form.
        count: usize,
    },
    /// A string holding `"`, which SDDL cannot write.
    QuoteInString,
    /// An operator inside a composite.
    OperatorAsLiteral,
    /// A tree that no SDDL text parses back to; printing it would write text
    /// that means something else, so it is refused.
    Unprintable(Unprintable),

    // SDDL text.
    /// Something required is missing; the payload says what (`"digits in
    /// the integer"`, ...).
    Expected(&'static str),
    /// Something other than what is allowed here.
    Unexpected {
        /// What is allowed.
        expected: &'static str,
        /// The character found, `None` at the end of the input.
        found: Option<char>,
    },
    /// A `(` without its `)`.
    UnbalancedParens {
        /// The offset of the `(`.
        open: usize,
        /// The character found instead of `)`, `None` at the end of the input.
        found: Option<char>,
    },
    /// `()`.
    EmptyExpression,
    /// The input ends early: inside an expression (`None`) or where the
    /// named thing was expected.
    UnexpectedEnd {
        /// What was expected, if one thing was.
        expected: Option<&'static str>,
    },
    /// A binary word operator (`Contains`, `Any_of`, ...) with no attribute
    /// before it.
    OperatorNeedsAttribute(String),
    /// A word after an attribute that is no operator.
    ExpectedOperator(String),
    /// `@User.` (or another class) with no name after it.
    EmptyAttributeName,
    /// A `"` with no closing `"`.
    UnterminatedString,
    /// A member-of operand that is not a SID or a list of SIDs.
    MemberOfNeedsSids,
    /// An octet string with an odd number of hex digits.
    OddHexDigits,
    /// A `{` with no closing `}`.
    UnterminatedComposite,
    /// A composite with more items than an ACE can carry.
    CompositeTooLarge,
    /// More tokens than an ACE can carry.
    TooManyTokens,
    /// An attribute character straight after an integer.
    TrailingAfterInteger,
    /// An integer outside the signed 64-bit range, as written.
    IntegerOutOfRange(String),
    /// Text after the closing `)` of a complete expression.
    TrailingText,
    /// A `%` not followed by four hex digits.
    BadEscape,
    /// A `%xxxx` escape of a character MS-DTYP requires to be literal.
    NeedlessEscape {
        /// The four hex digits as written.
        hex: String,
        /// The character they stand for.
        character: char,
    },
    /// An attribute name escaping U+0000.
    NulInAttributeName,
}

/// Why a decoded expression has no SDDL form (see
/// [`ConditionErrorKind::Unprintable`]). The shapes are those the grammar of
/// MS-DTYP 2.5.1.1 cannot write; each would otherwise print as text that
/// re-parses as a different expression or not at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Unprintable {
    /// No tokens: `()` is rejected.
    Empty,
    /// A literal where a condition is wanted (the whole expression, or an
    /// operand of `&&`, `||`, `!`): it would re-parse as an attribute.
    LiteralAsCondition,
    /// `Exists` or `Not_Exists` on something other than an attribute.
    ExistsNeedsAttribute,
    /// A member-of operator on something other than a SID or a list of SIDs.
    MemberOfNeedsSids,
    /// A relational, `Contains` or `Any_of` operator with no attribute on its
    /// left.
    LeftOperandNotAttribute,
    /// A relational, `Contains` or `Any_of` operator whose right operand is a
    /// sub-expression.
    RightOperandNotOperand,
    /// An integer whose value and written sign disagree (an unsigned negative
    /// number, `+` on a negative one, `-` on a positive one).
    IntegerSign,
}

impl fmt::Display for Unprintable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Unprintable::Empty => "the expression is empty",
            Unprintable::LiteralAsCondition => "a literal stands where a condition is needed",
            Unprintable::ExistsNeedsAttribute => {
                "`Exists` applies to something other than an attribute"
            }
            Unprintable::MemberOfNeedsSids => {
                "a member-of operator applies to something other than SIDs"
            }
            Unprintable::LeftOperandNotAttribute => "an operator has no attribute on its left",
            Unprintable::RightOperandNotOperand => "an operator has a sub-expression on its right",
            Unprintable::IntegerSign => "an integer's value disagrees with its written sign",
        })
    }
}

offset_error!(
    ConditionError,
    ConditionErrorKind,
    "Where the problem is: a byte offset in the SDDL text or binary blob."
);

/// Fails with `kind` at `offset`.
pub(super) fn err<T>(offset: usize, kind: ConditionErrorKind) -> Result<T, ConditionError> {
    Err(ConditionError::new(offset, kind))
}

impl fmt::Display for ConditionErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ConditionErrorKind as K;
        match self {
            K::MissingSignature => {
                f.write_str("expected the `artx` signature of a conditional expression")
            }
            K::DataAfterPadding => f.write_str("unexpected data after padding"),
            K::Truncated { what } => write!(f, "{what} is cut short"),
            K::LengthPastEnd { claimed, remaining } => {
                write!(
                    f,
                    "token claims {claimed} bytes but only {remaining} remain"
                )
            }
            K::OddUtf16Length => f.write_str("UTF-16 string has an odd number of bytes"),
            K::NulInString => f.write_str("string holds a NUL character"),
            K::InvalidUtf16 { what } => write!(f, "{what} is not valid UTF-16"),
            K::InvalidUtf8 { what } => write!(f, "{what} is not valid UTF-8"),
            K::IntegerTooWide { value } => {
                write!(f, "integer {value} does not fit its token width")
            }
            K::UnknownIntegerSign(s) => write!(f, "unknown integer sign 0x{s:02x}"),
            K::UnknownIntegerBase(b) => write!(f, "unknown integer base 0x{b:02x}"),
            K::UnknownToken(code) => write!(f, "unknown token 0x{code:02x}"),
            K::Sid(e) => write!(f, "{e}"),
            K::SidLengthMismatch => f.write_str("SID token length does not match its SID"),
            K::NonLiteralInComposite => f.write_str("a composite may hold only literals"),
            K::CompositeTooDeep { limit } => write!(f, "composites nest deeper than {limit}"),
            K::ExpressionTooDeep { limit } => write!(f, "expression nests deeper than {limit}"),
            K::TooLarge { bytes, limit } => write!(
                f,
                "expression needs {bytes} bytes; at most {limit} fit in an ACE"
            ),
            K::StreamTooLarge => f.write_str("expression is larger than an ACE can hold"),
            K::MissingOperand(op) => write!(f, "operator `{}` lacks an operand", op.sddl()),
            K::NotOneExpression { count } => {
                write!(f, "the tokens form {count} expressions, not one")
            }
            K::QuoteInString => f.write_str("a string holding `\"` cannot be written in SDDL"),
            K::OperatorAsLiteral => f.write_str("operator where a literal was expected"),
            K::Unprintable(why) => write!(f, "no SDDL text reads back as this expression: {why}"),
            K::Expected(what) => write!(f, "expected {what}"),
            K::Unexpected { expected, found } => {
                write!(f, "expected {expected}, found {}", Found(*found))
            }
            K::UnbalancedParens { open, found } => write!(
                f,
                "expected `)` to match `(` at offset {open}, found {}",
                Found(*found)
            ),
            K::EmptyExpression => f.write_str("empty expression"),
            K::UnexpectedEnd { expected: None } => {
                f.write_str("input ends inside a conditional expression")
            }
            K::UnexpectedEnd {
                expected: Some(what),
            } => write!(f, "input ends where {what} was expected"),
            K::OperatorNeedsAttribute(word) => {
                write!(f, "operator `{word}` needs an attribute on its left")
            }
            K::ExpectedOperator(word) => {
                write!(
                    f,
                    "expected an operator after the attribute, found `{word}`"
                )
            }
            K::EmptyAttributeName => f.write_str("empty attribute name"),
            K::UnterminatedString => f.write_str("unterminated string"),
            K::MemberOfNeedsSids => f.write_str("member-of operators take a SID or a list of SIDs"),
            K::OddHexDigits => f.write_str("octet string has an odd number of hex digits"),
            K::UnterminatedComposite => f.write_str("unterminated composite: expected `}`"),
            K::CompositeTooLarge => f.write_str("composite is too large for an ACE"),
            K::TooManyTokens => f.write_str("expression is too long for an ACE"),
            K::TrailingAfterInteger => f.write_str("unexpected character after the integer"),
            K::IntegerOutOfRange(text) => {
                write!(f, "integer `{text}` is out of the 64-bit range")
            }
            K::TrailingText => f.write_str("unexpected text after the expression"),
            K::BadEscape => f.write_str("a `%` escape needs four hex digits"),
            K::NeedlessEscape { hex, character } => write!(
                f,
                "`%{hex}` escapes `{character}`, which must be written literally"
            ),
            K::NulInAttributeName => f.write_str("attribute names cannot hold NUL"),
        }
    }
}

impl std::error::Error for ConditionError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            ConditionErrorKind::Sid(e) => Some(e),
            _ => None,
        }
    }
}
