//! The exact message of every error kind, and that `kind()` names it. The
//! CLI's JSON `"error"` strings are these messages, so a change here is a
//! change users see.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use secctx::condition::{AttrClass, ExprOp, ExprToken, IntBase, IntSign, IntWidth, MAX_DEPTH};
use secctx::{
    sddl, AceType, ClaimAttribute, ClaimError, ClaimErrorKind as C, ClaimValues, ConditionError,
    ConditionErrorKind as K, Expression, SddlError, SddlErrorKind as S, SecurityDescriptor, Sid,
    Unprintable,
};
use std::error::Error as _;

/// Checks that the error `$e` displays as `$text` and that its `kind()`
/// matches `$kind`.
macro_rules! pin {
    ($e:expr, $kind:pat $(if $guard:expr)?, $text:expr) => {{
        let e = $e;
        assert_eq!(e.to_string(), $text);
        assert!(
            matches!(e.kind(), $kind $(if $guard)?),
            "{}: kind is {:?}",
            $text,
            e.kind()
        );
    }};
}

fn text(t: &str) -> ConditionError {
    Expression::from_sddl(t, None).unwrap_err()
}

fn raw_text(t: &[u8]) -> ConditionError {
    Expression::parse_sddl(t, 0, None).unwrap_err()
}

/// Decodes `artx` followed by `tokens`.
fn stream(tokens: &[u8]) -> ConditionError {
    let mut b = b"artx".to_vec();
    b.extend_from_slice(tokens);
    Expression::decode(&b).unwrap_err()
}

fn print(tokens: Vec<ExprToken>) -> ConditionError {
    Expression { tokens }.to_sddl(None).unwrap_err()
}

fn int64_token(value: i64, sign: u8, base: u8) -> Vec<u8> {
    let mut b = vec![0x04];
    b.extend_from_slice(&value.to_le_bytes());
    b.extend_from_slice(&[sign, base]);
    b
}

fn world() -> Sid {
    "S-1-1-0".parse().unwrap()
}

#[test]
fn condition_binary_stream_errors() {
    pin!(
        Expression::decode(b"abcd").unwrap_err(),
        K::MissingSignature,
        "expected the `artx` signature of a conditional expression at offset 0"
    );
    pin!(
        stream(&[0, 1]),
        K::DataAfterPadding,
        "unexpected data after padding at offset 5"
    );
    pin!(
        stream(&[0x10, 1]),
        K::Truncated {
            what: "token length"
        },
        "token length is cut short at offset 5"
    );
    pin!(
        stream(&[0x04, 1, 0]),
        K::Truncated {
            what: "integer token"
        },
        "integer token is cut short at offset 4"
    );
    pin!(
        stream(&[0x10, 9, 0, 0, 0]),
        K::LengthPastEnd {
            claimed: 9,
            remaining: 0
        },
        "token claims 9 bytes but only 0 remain at offset 5"
    );
    pin!(
        stream(&[0x10, 1, 0, 0, 0, b'a']),
        K::OddUtf16Length,
        "UTF-16 string has an odd number of bytes at offset 9"
    );
    pin!(
        stream(&[0x10, 2, 0, 0, 0, 0, 0]),
        K::NulInString,
        "string holds a NUL character at offset 9"
    );
    pin!(
        stream(&[0x10, 2, 0, 0, 0, 0x00, 0xD8]),
        K::InvalidUtf16 { what: "string" },
        "string is not valid UTF-16 at offset 9"
    );
    let mut wide = vec![0x01];
    wide.extend_from_slice(&300i64.to_le_bytes());
    wide.extend_from_slice(&[3, 2]);
    pin!(
        stream(&wide),
        K::IntegerTooWide { value: 300 },
        "integer 300 does not fit its token width at offset 4"
    );
    pin!(
        stream(&int64_token(1, 9, 2)),
        K::UnknownIntegerSign(9),
        "unknown integer sign 0x09 at offset 13"
    );
    pin!(
        stream(&int64_token(1, 3, 7)),
        K::UnknownIntegerBase(7),
        "unknown integer base 0x07 at offset 14"
    );
    pin!(
        stream(&[0x77]),
        K::UnknownToken(0x77),
        "unknown token 0x77 at offset 4"
    );
    let e = stream(&[0x51, 1, 0, 0, 0, 2]);
    assert!(e.source().is_some(), "the SID error is the source");
    pin!(
        e,
        K::Sid(_),
        "binary SID at offset 9 needs 8 bytes but only 1 remain at offset 9"
    );
    // S-1-1-0 (12 bytes) in a 13-byte token.
    let mut sid = vec![0x51, 13, 0, 0, 0];
    sid.extend_from_slice(&world().to_bytes());
    sid.push(0);
    pin!(
        stream(&sid),
        K::SidLengthMismatch,
        "SID token length does not match its SID at offset 5"
    );
    pin!(
        stream(&[0x50, 1, 0, 0, 0, 0x87]),
        K::NonLiteralInComposite,
        "a composite may hold only literals at offset 9"
    );
    // Composites nested one deeper than the limit, innermost empty.
    let mut nested: Vec<u8> = Vec::new();
    for _ in 0..=MAX_DEPTH + 1 {
        let mut outer = vec![0x50];
        outer.extend_from_slice(&(nested.len() as u32).to_le_bytes());
        outer.extend_from_slice(&nested);
        nested = outer;
    }
    let e = stream(&nested);
    assert!(matches!(e.kind(), K::CompositeTooDeep { limit: MAX_DEPTH }));
    assert_eq!(e.kind().to_string(), "composites nest deeper than 256");
}

#[test]
fn condition_encoding_errors() {
    // artx, then a string token of 5 + 65,524 bytes: 65,533 bytes, padded
    // to 65,536.
    let e = Expression {
        tokens: vec![ExprToken::String("a".repeat(32_762))],
    };
    pin!(
        e.encode().unwrap_err(),
        K::TooLarge {
            bytes: 65_536,
            limit: 0xFFFF
        },
        "expression needs 65536 bytes; at most 65535 fit in an ACE at offset 0"
    );
    let e = Expression {
        tokens: vec![ExprToken::String("a".repeat(40_000))],
    };
    pin!(
        e.encode().unwrap_err(),
        K::StreamTooLarge,
        "expression is larger than an ACE can hold at offset 0"
    );
}

#[test]
fn condition_printing_errors() {
    pin!(
        print(vec![ExprToken::Op(ExprOp::And)]),
        K::MissingOperand(ExprOp::And),
        "operator `&&` lacks an operand at offset 0"
    );
    pin!(
        print(vec![ExprToken::int(1), ExprToken::int(2)]),
        K::NotOneExpression { count: 2 },
        "the tokens form 2 expressions, not one at offset 2"
    );
    pin!(
        print(vec![
            ExprToken::Attr(AttrClass::User, "a".into()),
            ExprToken::String("a\"b".into()),
            ExprToken::Op(ExprOp::Equal)
        ]),
        K::QuoteInString,
        "a string holding `\"` cannot be written in SDDL at offset 0"
    );
    pin!(
        print(vec![
            ExprToken::Attr(AttrClass::User, "a".into()),
            ExprToken::Composite(vec![ExprToken::Op(ExprOp::Not)]),
            ExprToken::Op(ExprOp::Equal)
        ]),
        K::OperatorAsLiteral,
        "operator where a literal was expected at offset 0"
    );
    pin!(
        print(vec![]),
        K::Unprintable(Unprintable::Empty),
        "no SDDL text reads back as this expression: the expression is empty at offset 0"
    );
    pin!(
        print(vec![ExprToken::int(1)]),
        K::Unprintable(Unprintable::LiteralAsCondition),
        "no SDDL text reads back as this expression: a literal stands where a condition is needed at offset 0"
    );
    pin!(
        print(vec![ExprToken::int(1), ExprToken::Op(ExprOp::Exists)]),
        K::Unprintable(Unprintable::ExistsNeedsAttribute),
        "no SDDL text reads back as this expression: `Exists` applies to something other than an attribute at offset 0"
    );
    pin!(
        print(vec![ExprToken::int(1), ExprToken::Op(ExprOp::MemberOf)]),
        K::Unprintable(Unprintable::MemberOfNeedsSids),
        "no SDDL text reads back as this expression: a member-of operator applies to something other than SIDs at offset 0"
    );
    pin!(
        print(vec![
            ExprToken::String("Ht".into()),
            ExprToken::int(0),
            ExprToken::Op(ExprOp::Equal)
        ]),
        K::Unprintable(Unprintable::LeftOperandNotAttribute),
        "no SDDL text reads back as this expression: an operator has no attribute on its left at offset 0"
    );
    pin!(
        print(vec![
            ExprToken::Attr(AttrClass::User, "a".into()),
            ExprToken::Attr(AttrClass::User, "b".into()),
            ExprToken::Op(ExprOp::Exists),
            ExprToken::Op(ExprOp::Equal)
        ]),
        K::Unprintable(Unprintable::RightOperandNotOperand),
        "no SDDL text reads back as this expression: an operator has a sub-expression on its right at offset 0"
    );
    pin!(
        print(vec![
            ExprToken::Attr(AttrClass::User, "a".into()),
            ExprToken::Int { value: -16, width: IntWidth::I64, sign: IntSign::None, base: IntBase::Decimal },
            ExprToken::Op(ExprOp::Equal)
        ]),
        K::Unprintable(Unprintable::IntegerSign),
        "no SDDL text reads back as this expression: an integer's value disagrees with its written sign at offset 0"
    );
    pin!(
        print(vec![ExprToken::Attr(AttrClass::User, String::new())]),
        K::EmptyAttributeName,
        "empty attribute name at offset 0"
    );
    pin!(
        print(vec![ExprToken::Attr(AttrClass::User, "a\0".into())]),
        K::NulInAttributeName,
        "attribute names cannot hold NUL at offset 0"
    );
    pin!(
        text("(\"\" == 1)"),
        K::EmptyAttributeName,
        "empty attribute name at offset 1"
    );
    pin!(
        raw_text(b"(@User.a\0 == 1)"),
        K::NulInAttributeName,
        "attribute names cannot hold NUL at offset 8"
    );
}

#[test]
#[rustfmt::skip]
fn condition_text_errors() {
    pin!(text("x"), K::Expected(_), "expected `(` to start a conditional expression at offset 0");
    pin!(text("(!x)"), K::Unexpected { found: Some('x'), .. }, "expected `(` or an `@` attribute after `!`, found `x` at offset 2");
    pin!(text("(@User.a == 1"), K::UnbalancedParens { open: 0, found: None }, "expected `)` to match `(` at offset 0, found the end of the input at offset 13");
    pin!(text("()"), K::EmptyExpression, "empty expression at offset 1");
    pin!(text("("), K::UnexpectedEnd { expected: None }, "input ends inside a conditional expression at offset 1");
    pin!(text("(@User.a =="), K::UnexpectedEnd { expected: Some("a literal") }, "input ends where a literal was expected at offset 11");
    pin!(text("(Contains 1)"), K::OperatorNeedsAttribute(w) if w == "Contains", "operator `Contains` needs an attribute on its left at offset 1");
    pin!(text("(@User.a foo 1)"), K::ExpectedOperator(w) if w == "foo", "expected an operator after the attribute, found `foo` at offset 9");
    pin!(text("(@User. == 1)"), K::EmptyAttributeName, "empty attribute name at offset 7");
    pin!(text("(@User.a == \"abc)"), K::UnterminatedString, "unterminated string at offset 12");
    pin!(text("(@User.a == \"a\0\")"), K::NulInString, "string holds a NUL character at offset 13");
    pin!(text("(Member_of 5)"), K::MemberOfNeedsSids, "member-of operators take a SID or a list of SIDs at offset 11");
    pin!(text("(@User.a == #abc)"), K::OddHexDigits, "octet string has an odd number of hex digits at offset 13");
    pin!(text("(@User.a == {1"), K::UnterminatedComposite, "unterminated composite: expected `}` at offset 14");
    pin!(text("(@User.a == -x)"), K::Expected("digits in the integer"), "expected digits in the integer at offset 12");
    pin!(text("(@User.a == 1a)"), K::TrailingAfterInteger, "unexpected character after the integer at offset 13");
    pin!(text("(@User.a == 99999999999999999999)"), K::IntegerOutOfRange(t) if t == "99999999999999999999", "integer `99999999999999999999` is out of the 64-bit range at offset 12");
    pin!(text("(a) b"), K::TrailingText, "unexpected text after the expression at offset 4");
    pin!(text("(@User.a%zz == 1)"), K::BadEscape, "a `%` escape needs four hex digits at offset 8");
    pin!(text("(@User.%0041 == 1)"), K::NeedlessEscape { character: 'A', .. }, "`%0041` escapes `A`, which must be written literally at offset 7");
    pin!(text("(@User.a%0000 == 1)"), K::NulInAttributeName, "attribute names cannot hold NUL at offset 8");
    pin!(text("(@User.%d800 == 1)"), K::InvalidUtf16 { what: "attribute name" }, "attribute name is not valid UTF-16 at offset 7");
    pin!(text("(Member_of SID(XX))"), K::Sid(_), "unknown SID alias `XX` at offset 15");
    pin!(text("(@User.a == SID(BA)"), K::UnbalancedParens { .. }, "expected `)` to match `(` at offset 0, found the end of the input at offset 19");
}

#[test]
fn condition_text_limits_and_encodings() {
    pin!(
        raw_text(b"(@User.a == \"\xff\")"),
        K::InvalidUtf8 { what: "string" },
        "string is not valid UTF-8 at offset 13"
    );
    pin!(
        raw_text(b"(@User.\xff == 1)"),
        K::InvalidUtf8 {
            what: "attribute name"
        },
        "attribute name is not valid UTF-8 at offset 7"
    );
    pin!(
        raw_text(b"(@User.a == SID(BA"),
        K::Expected(_),
        "expected `)` to close `SID(` at offset 16"
    );
    let deep = format!("{}@User.a{}", "(".repeat(300), ")".repeat(300));
    pin!(
        text(&deep),
        K::ExpressionTooDeep { limit: MAX_DEPTH },
        "expression nests deeper than 256 at offset 256"
    );
    let deep = format!("(@User.a == {}1{})", "{".repeat(300), "}".repeat(300));
    assert!(matches!(
        text(&deep).kind(),
        K::CompositeTooDeep { limit: MAX_DEPTH }
    ));
    let many = format!("(@User.a Any_of {{{}1}})", "1,".repeat(40_000));
    pin!(
        text(&many),
        K::CompositeTooLarge,
        "composite is too large for an ACE at offset 65551"
    );
    // A balanced tree of 2^17 terms: shallow, but too many tokens. (A flat
    // chain that long is refused as too deep first.)
    fn balanced(levels: u32) -> String {
        if levels == 0 {
            "a".to_string()
        } else {
            let half = balanced(levels - 1);
            format!("({half} || {half})")
        }
    }
    let long = balanced(17);
    let e = text(&long);
    assert!(matches!(e.kind(), K::TooManyTokens));
    assert_eq!(e.kind().to_string(), "expression is too long for an ACE");
}

fn parse_claim(t: &str) -> ClaimError {
    ClaimAttribute::parse_sddl(t.as_bytes(), 0, None).unwrap_err()
}

fn encoded(values: ClaimValues) -> Vec<u8> {
    ClaimAttribute {
        name: "a".into(),
        flags: 0,
        values,
    }
    .encode_relative()
    .unwrap()
}

fn decode_claim(b: &[u8]) -> ClaimError {
    ClaimAttribute::decode_relative(b).unwrap_err()
}

#[test]
fn claim_binary_errors() {
    let empty = ClaimAttribute {
        name: "a".into(),
        flags: 0,
        values: ClaimValues::Int64(vec![]),
    };
    pin!(
        empty.encode_relative().unwrap_err(),
        C::NothingToEncode,
        "a claim needs at least one value at offset 0"
    );
    let big = ClaimAttribute {
        name: "a".into(),
        flags: 0,
        values: ClaimValues::OctetString(vec![vec![0; 70_000]]),
    };
    pin!(
        big.encode_relative().unwrap_err(),
        C::TooLarge,
        "resource attribute is too large for an ACE at offset 0"
    );
    pin!(
        decode_claim(&[0; 8]),
        C::MissingHeader,
        "resource attribute needs a 16-byte header at offset 0"
    );
    // Header: name at 20, type 1, flags 0, then the count.
    let mut header = vec![20, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    pin!(
        decode_claim(&header),
        C::NoValues,
        "a resource attribute needs at least one value at offset 12"
    );
    header[12] = 100;
    pin!(
        decode_claim(&header),
        C::CountTooLarge(100),
        "value count 100 does not fit in the data at offset 12"
    );
    // Int64 7 of claim "a": the value sits at 24, its offset at 16.
    let mut b = encoded(ClaimValues::Int64(vec![7]));
    b[16] = 28;
    pin!(
        decode_claim(&b),
        C::ValuePastEnd { len: 8 },
        "8-byte value runs past the end at offset 28"
    );
    b[16] = 30;
    b[4] = 5; // now a SID claim whose length field is cut short
    pin!(
        decode_claim(&b),
        C::TruncatedValue,
        "value is cut short at offset 30"
    );
    let mut b = encoded(ClaimValues::Boolean(vec![true]));
    b[24] = 2;
    pin!(
        decode_claim(&b),
        C::BadBoolean(2),
        "boolean value 2 is not 0 or 1 at offset 24"
    );
    let mut b = encoded(ClaimValues::Int64(vec![7]));
    b[4] = 9;
    pin!(
        decode_claim(&b),
        C::UnknownValueType(9),
        "unknown claim value type 0x0009 at offset 4"
    );
    b[4] = 1;
    b[0] = 31; // the name starts on the last byte
    pin!(
        decode_claim(&b),
        C::UnterminatedString,
        "string is not NUL-terminated before the end at offset 31"
    );
    let mut b = encoded(ClaimValues::Int64(vec![7]));
    b[20..22].copy_from_slice(&0xD800u16.to_le_bytes());
    pin!(
        decode_claim(&b),
        C::InvalidUtf16,
        "string is not valid UTF-16 at offset 20"
    );
    // S-1-1-0 at 24: a 4-byte length, then the SID's 12 bytes.
    let mut b = encoded(ClaimValues::Sid(vec![world()]));
    b[28] = 2; // revision 2
    let e = decode_claim(&b);
    assert!(e.source().is_some(), "the SID error is the source");
    pin!(
        e,
        C::Sid(_),
        "binary SID at offset 28 has revision 2; only revision 1 is valid at offset 28"
    );
    let mut b = encoded(ClaimValues::Sid(vec![world()]));
    b[24] = 16;
    b.extend_from_slice(&[0; 4]);
    pin!(
        decode_claim(&b),
        C::SidLengthMismatch,
        "SID value length does not match its SID at offset 24"
    );
    let quoted = ClaimAttribute {
        name: "a".into(),
        flags: 0,
        values: ClaimValues::String(vec!["a\"b".into()]),
    };
    pin!(
        quoted.to_sddl(None).unwrap_err(),
        C::QuoteInString,
        "a string holding `\"` cannot be written in SDDL at offset 0"
    );
    let nul = ClaimAttribute {
        name: "a\0".into(),
        flags: 0,
        values: ClaimValues::String(vec!["a".into()]),
    };
    pin!(
        nul.to_sddl(None).unwrap_err(),
        C::NulInName,
        "resource attribute names cannot hold NUL at offset 0"
    );
    let nul = ClaimAttribute {
        name: "a".into(),
        flags: 0,
        values: ClaimValues::String(vec!["a\0".into()]),
    };
    pin!(
        nul.to_sddl(None).unwrap_err(),
        C::NulInString,
        "a string holding NUL cannot be written in SDDL at offset 0"
    );
}

#[test]
#[rustfmt::skip]
fn claim_text_errors() {
    pin!(parse_claim("x"), C::Expected(_), "expected `(\"` to start a resource attribute at offset 0");
    pin!(parse_claim("(\"\",TI,0,1)"), C::EmptyName, "empty resource attribute name at offset 2");
    pin!(parse_claim("(\"a\" TI,0,1)"), C::Expected(_), "expected `\",T` after the attribute name at offset 3");
    pin!(parse_claim("(\"a\",TQ,0,1)"), C::UnknownType('Q'), "unknown resource attribute type `TQ`; expected TI, TU, TS, TD, TX or TB at offset 5");
    pin!(parse_claim("(\"a\",TI 0,1)"), C::Expected(_), "expected `,` after the attribute type at offset 7");
    pin!(parse_claim("(\"a\",TI,0x100000000,1)"), C::FlagsOutOfRange, "attribute flags must fit in 32 bits at offset 8");
    pin!(parse_claim("(\"a\",TI,0x100,1)"), C::ReservedFlags(0x100), "attribute flags 0x100 use the reserved bits 0xff00 at offset 8");
    pin!(parse_claim("(\"a\",TI,0x0)"), C::NoValues, "a resource attribute needs at least one value at offset 11");
    pin!(parse_claim("(\"a\",TI,0x0,1"), C::Unterminated, "unterminated resource attribute: expected `)` at offset 13");
    pin!(parse_claim("(\"a\",TI,0x0 1)"), C::Unexpected { found: Some('1'), .. }, "expected `,` or `)`, found `1` at offset 12");
    pin!(parse_claim("(\"a\",TU,0x0,-1)"), C::NegativeUnsigned, "TU values cannot be negative at offset 12");
    pin!(parse_claim("(\"a\",TB,0x0,2)"), C::BooleanNotZeroOrOne, "TB values must be 0 or 1 at offset 12");
    pin!(parse_claim("(\"a\",TS,0x0,1)"), C::Expected("a quoted string"), "expected a quoted string at offset 12");
    pin!(parse_claim("(\"a\",TD,0x0,XX)"), C::Sid(_), "unknown SID alias `XX` at offset 12");
    let e = parse_claim("(\"a\",TI,0x0,\"x\")");
    assert!(e.source().is_some(), "the condition error is the source");
    pin!(e, C::Condition(c) if matches!(c.kind(), K::Expected(_)), "expected digits in the integer at offset 12");
    let many = format!("(\"a\",TI,0x0,{}1)", "1,".repeat(9_000));
    assert!(matches!(parse_claim(&many).kind(), C::TooManyValues));
}

fn parse_sddl(t: &str) -> SddlError {
    sddl::parse(t, None).unwrap_err()
}

#[test]
#[rustfmt::skip]
fn sddl_parse_errors() {
    pin!(parse_sddl("D:(A;OICI"), S::Unexpected { found: None, .. }, "expected `;` after the ACE flags, found the end of the input at offset 9");
    pin!(parse_sddl("X:"), S::Unexpected { found: Some('X'), .. }, "expected `O:`, `G:`, `D:` or `S:`, found `X` at offset 0");
    pin!(parse_sddl("D:(A;;GA;;;WD"), S::Unexpected { .. }, "expected `)` to close the ACE, found the end of the input at offset 13");
    pin!(parse_sddl("O:S"), S::Expected(_), "expected a SID or a two-letter SID alias at offset 2");
    pin!(parse_sddl("O:BAO:BA"), S::DuplicateComponent('O'), "`O:` appears twice at offset 4");
    pin!(parse_sddl("O:XX"), S::Sid(_), "unknown SID alias `XX` at offset 2");
    pin!(parse_sddl("O:S-2-1"), S::Sid(_), "SID revision must be 1, found `2` at offset 4");
    pin!(parse_sddl("D:(A;;0x1z;;;WD)"), S::Trailing { after: "the numeric access mask", .. }, "unexpected `z` after the numeric access mask at offset 9");
    pin!(parse_sddl("D:(A;;GA;;;S-1-1-0x)"), S::Trailing { after: "the trustee SID", .. }, "unexpected `x` after the trustee SID at offset 18");
    pin!(parse_sddl("D:NO_ACCESS_CONTROL(A;;GA;;;WD)"), S::NullAclWithAces, "a null ACL (`NO_ACCESS_CONTROL`) cannot hold ACEs at offset 19");
    pin!(parse_sddl("D:(Antlers;;GA;;;SY)"), S::UnknownAceType(t) if t == "Antlers", "unknown ACE type `Antlers` at offset 3");
    pin!(parse_sddl("D:(XA;;FA;;;WD)"), S::MissingApplicationData(_), "a `XA` ACE needs a seventh field after the SID at offset 14");
    pin!(parse_sddl("D:(A;;FA;;;WD;x)"), S::UnexpectedApplicationData(_), "a `A` ACE ends after the SID; expected `)` at offset 13");
    pin!(parse_sddl("D:(XA;;FA;;;WD;())"), S::Condition(_), "empty expression at offset 16");
    pin!(parse_sddl("S:(RA;;;;;WD;(\"a\",TQ,0,1))"), S::ResourceAttribute(_), "unknown resource attribute type `TQ`; expected TI, TU, TS, TD, TX or TB at offset 18");
    pin!(parse_sddl("S:(RA;;;;;BA;(\"a\",TI,0,1))"), S::ResourceAttributeTrustee, "a resource attribute ACE's SID must be `WD` (S-1-1-0) at offset 10");
    pin!(parse_sddl("D:(A;;GA;;;ABC)"), S::BadTrustee(t) if t == "ABC", "expected a SID or two-letter alias for the trustee, found `ABC` at offset 11");
    pin!(parse_sddl("D:(A;XX;GA;;;WD)"), S::UnknownAceFlag(f) if f == "XX", "unknown ACE flag `XX` at offset 5");
    pin!(parse_sddl("D:(A;;GA ;;;LG)"), S::TrailingSpaceInRights, "trailing space in the access rights at offset 8");
    pin!(parse_sddl("D:(A;;ZZ;;;WD)"), S::UnknownRight(r) if r == "ZZ", "unknown access right `ZZ` at offset 6");
    let e = parse_sddl("D:(OA;;GA;bad;;WD)");
    assert!(e.source().is_some(), "the GUID error is the source");
    pin!(e, S::Guid(_), "invalid GUID `bad`: expected 8-4-4-4-12 hexadecimal digits at offset 10");
}

#[test]
fn sddl_print_errors() {
    let mut sd = SecurityDescriptor::from_sddl("D:(A;;GA;;;WD)", None).unwrap();
    let ace = &mut sd.dacl.as_mut().unwrap().aces[0];
    ace.ace_type = AceType::Unknown(0x42);
    let mut out = String::new();
    pin!(
        sddl::print_ace(&mut out, ace, None).unwrap_err(),
        S::NoSddlForm(AceType::Unknown(0x42)),
        "type 0x42 (UNKNOWN_0x42) has no SDDL form at offset 0"
    );
    pin!(
        sd.to_sddl(None).unwrap_err(),
        S::InAce { sacl: false, index: 0, kind } if matches!(**kind, S::NoSddlForm(_)),
        "DACL ACE 0: type 0x42 (UNKNOWN_0x42) has no SDDL form at offset 0"
    );
    let mut sd = SecurityDescriptor::from_sddl("S:(RA;;;;;WD;(\"a\",TI,0,1))", None).unwrap();
    sd.sacl.as_mut().unwrap().aces[0].sid = "S-1-5-32-544".parse().unwrap();
    pin!(
        sd.to_sddl(None).unwrap_err(),
        S::InAce { sacl: true, index: 0, kind } if matches!(**kind, S::ResourceAttributeTrustee),
        "SACL ACE 0: a resource attribute ACE's SID must be `WD` (S-1-1-0) at offset 0"
    );
    let mut sd = SecurityDescriptor::from_sddl("D:(XA;;FA;;;WD;(a))", None).unwrap();
    sd.dacl.as_mut().unwrap().aces[0].application_data = b"bad!".to_vec();
    let e = sd.to_sddl(None).unwrap_err();
    assert!(e.source().is_some(), "the condition error is the source");
    pin!(
        e,
        S::InAce { kind, .. } if matches!(**kind, S::UnprintableCondition(_)),
        "DACL ACE 0: condition: expected the `artx` signature of a conditional expression at offset 0"
    );
    let mut sd = SecurityDescriptor::from_sddl("S:(RA;;;;;WD;(\"a\",TI,0,1))", None).unwrap();
    sd.sacl.as_mut().unwrap().aces[0].application_data = vec![0; 8];
    pin!(
        sd.to_sddl(None).unwrap_err(),
        S::InAce { sacl: true, kind, .. } if matches!(**kind, S::UnprintableResourceAttribute(_)),
        "SACL ACE 0: resource attribute: resource attribute needs a 16-byte header at offset 0"
    );
}
