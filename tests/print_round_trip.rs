//! Printing only what parses back to the same thing (issue 18, item 6 and
//! findings F1 to F8): every printed form re-parses to what was printed, and
//! what has no such form is refused with a clear error, never printed as text
//! that means something else.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use secctx::condition::{AttrClass, ExprOp, ExprToken, IntBase, IntSign, IntWidth, MAX_DEPTH};
use secctx::{ConditionErrorKind as K, Expression, Unprintable};

fn attr(class: AttrClass, name: &str) -> ExprToken {
    ExprToken::Attr(class, name.into())
}

fn local(name: &str) -> ExprToken {
    attr(AttrClass::Local, name)
}

fn op(o: ExprOp) -> ExprToken {
    ExprToken::Op(o)
}

fn int(value: i64, sign: IntSign, base: IntBase) -> ExprToken {
    ExprToken::Int {
        value,
        width: IntWidth::I64,
        sign,
        base,
    }
}

/// Takes the tokens through the binary form (as a decoded ACE would arrive),
/// prints them, and checks that the text parses back to the same tokens.
/// Returns the text, or the refusal.
fn print(tokens: Vec<ExprToken>) -> Result<String, K> {
    let e = Expression { tokens };
    // Shapes the decoder refuses are printed as built.
    let e = match e.encode().map(|b| Expression::decode(&b)) {
        Ok(Ok(decoded)) => decoded,
        _ => e,
    };
    match e.to_sddl(None) {
        Ok(text) => {
            let back = Expression::from_sddl(&text, None)
                .unwrap_or_else(|err| panic!("{text:?} was printed but does not parse: {err}"));
            assert_eq!(back, e, "{text:?} parses back to something else");
            Ok(text)
        }
        Err(err) => Ok(err.kind().clone()).and_then(Err),
    }
}

fn refused(tokens: Vec<ExprToken>) -> K {
    match print(tokens) {
        Ok(text) => panic!("printed {text:?}"),
        Err(k) => k,
    }
}

// F5: binary conditions printed as text that means something else.

#[test]
fn exists_on_a_literal_is_refused() {
    // Printed `(Exists 0x10)`, which re-parses as an attribute named "0x10".
    let k = refused(vec![
        int(16, IntSign::None, IntBase::Hex),
        op(ExprOp::Exists),
    ]);
    assert_eq!(k, K::Unprintable(Unprintable::ExistsNeedsAttribute));
    // Printed `(Not_Exists "")`, a quoted attribute name.
    let k = refused(vec![
        ExprToken::String(String::new()),
        op(ExprOp::NotExists),
    ]);
    assert_eq!(k, K::Unprintable(Unprintable::ExistsNeedsAttribute));
    // `Exists !(...)` has no text form.
    let k = refused(vec![
        attr(AttrClass::User, "a"),
        op(ExprOp::Not),
        op(ExprOp::Exists),
    ]);
    assert_eq!(k, K::Unprintable(Unprintable::ExistsNeedsAttribute));
}

#[test]
fn string_literal_operands_are_not_printed_as_attributes() {
    // `("Ht" == 0)` printed as `(Ht == 0)`.
    let k = refused(vec![
        ExprToken::String("Ht".into()),
        ExprToken::int(0),
        op(ExprOp::Equal),
    ]);
    assert_eq!(k, K::Unprintable(Unprintable::LeftOperandNotAttribute));
    // A literal standing as a condition would print as a bare word.
    let k = refused(vec![ExprToken::String("Ht".into())]);
    assert_eq!(k, K::Unprintable(Unprintable::LiteralAsCondition));
    let k = refused(vec![local("a"), ExprToken::int(7), op(ExprOp::And)]);
    assert_eq!(k, K::Unprintable(Unprintable::LiteralAsCondition));
    let k = refused(vec![ExprToken::int(7), op(ExprOp::Not)]);
    assert_eq!(k, K::Unprintable(Unprintable::LiteralAsCondition));
}

#[test]
fn negative_integers_print_only_where_they_read_back() {
    // An unsigned hex value prints as its 64 bits and reads back as them
    // (`0xfffffffffffffff0` is -16; see `int_literal` in the condition
    // parser).
    let e = Expression {
        tokens: vec![
            local("a"),
            int(-16, IntSign::None, IntBase::Hex),
            op(ExprOp::Equal),
        ],
    };
    let text = e.to_sddl(None).unwrap();
    assert_eq!(text, "(a == 0xfffffffffffffff0)");
    assert_eq!(Expression::from_sddl(&text, None).unwrap(), e);
    // `-16` with no sign re-parses with a `-` sign.
    let k = refused(vec![
        local("a"),
        int(-16, IntSign::None, IntBase::Decimal),
        op(ExprOp::Equal),
    ]);
    assert_eq!(k, K::Unprintable(Unprintable::IntegerSign));
    let k = refused(vec![
        local("a"),
        int(5, IntSign::Negative, IntBase::Decimal),
        op(ExprOp::Equal),
    ]);
    assert_eq!(k, K::Unprintable(Unprintable::IntegerSign));
    // What agrees prints and round-trips.
    for (v, s, b, text) in [
        (-16, IntSign::Negative, IntBase::Hex, "(a == -0x10)"),
        (0, IntSign::Negative, IntBase::Decimal, "(a == -0)"),
        (
            i64::MIN,
            IntSign::Negative,
            IntBase::Decimal,
            "(a == -9223372036854775808)",
        ),
        (7, IntSign::Positive, IntBase::Octal, "(a == +07)"),
    ] {
        assert_eq!(
            print(vec![local("a"), int(v, s, b), op(ExprOp::Equal)]).unwrap(),
            text
        );
    }
}

#[test]
fn empty_expression_is_refused() {
    // Printed `()`, which the parser rejects.
    assert_eq!(refused(vec![]), K::Unprintable(Unprintable::Empty));
}

#[test]
fn member_of_on_a_non_sid_is_refused() {
    let k = refused(vec![ExprToken::int(1), op(ExprOp::MemberOf)]);
    assert_eq!(k, K::Unprintable(Unprintable::MemberOfNeedsSids));
    let k = refused(vec![attr(AttrClass::User, "a"), op(ExprOp::MemberOf)]);
    assert_eq!(k, K::Unprintable(Unprintable::MemberOfNeedsSids));
    let k = refused(vec![
        ExprToken::Composite(vec![ExprToken::int(1)]),
        op(ExprOp::NotMemberOfAny),
    ]);
    assert_eq!(k, K::Unprintable(Unprintable::MemberOfNeedsSids));
}

#[test]
fn a_right_hand_attribute_keeps_its_class() {
    // A local attribute on the right, or one whose name starts with a digit,
    // is written `@LOCAL.` (a bare word there reads as a literal).
    assert_eq!(
        print(vec![local("a"), local("1b"), op(ExprOp::Equal)]).unwrap(),
        "(a == @LOCAL.1b)"
    );
    assert_eq!(
        print(vec![local("1b"), local("c"), op(ExprOp::Contains)]).unwrap(),
        "(1b Contains @LOCAL.c)"
    );
    assert_eq!(
        print(vec![local("10"), op(ExprOp::Exists)]).unwrap(),
        "(Exists @LOCAL.10)"
    );
    let k = refused(vec![
        local("a"),
        local("b"),
        local("c"),
        op(ExprOp::Equal),
        op(ExprOp::Equal),
    ]);
    assert_eq!(k, K::Unprintable(Unprintable::RightOperandNotOperand));
}

#[test]
fn an_attribute_inside_a_composite_is_refused() {
    let k = refused(vec![
        local("a"),
        ExprToken::Composite(vec![local("b")]),
        op(ExprOp::AnyOf),
    ]);
    assert_eq!(k, K::NonLiteralInComposite);
}

// F7: octal and hex zero keep their base.

#[test]
fn zero_keeps_its_base() {
    let e = Expression::from_sddl("(U>00)", None).unwrap();
    assert_eq!(e.to_sddl(None).unwrap(), "(U > 00)");
    assert_eq!(Expression::from_sddl("(U > 00)", None).unwrap(), e);
    let e = Expression::from_sddl("(U>0x0)", None).unwrap();
    assert_eq!(e.to_sddl(None).unwrap(), "(U > 0x0)");
    for b in [IntBase::Octal, IntBase::Decimal, IntBase::Hex] {
        for s in [IntSign::None, IntSign::Positive, IntSign::Negative] {
            print(vec![local("U"), int(0, s, b), op(ExprOp::Greater)]).unwrap();
        }
    }
}

// F4: the parser's depth rule and the printer's agree.

fn or_chain(terms: usize) -> String {
    format!("({})", vec!["a"; terms].join("||"))
}

#[test]
fn flat_chains_parse_exactly_when_they_print() {
    // A chain of n terms is a tree n nodes deep.
    let e = Expression::from_sddl(&or_chain(MAX_DEPTH), None).unwrap();
    let text = e.to_sddl(None).unwrap();
    assert_eq!(Expression::from_sddl(&text, None).unwrap(), e);
    for n in [MAX_DEPTH + 1, MAX_DEPTH + 2, 5000] {
        let err = Expression::from_sddl(&or_chain(n), None).unwrap_err();
        assert_eq!(
            *err.kind(),
            K::ExpressionTooDeep { limit: MAX_DEPTH },
            "{n}"
        );
    }
    // The same trees built by hand: one prints, the next is refused.
    let chain = |n: usize| {
        let mut t = vec![local("a")];
        for _ in 1..n {
            t.push(local("a"));
            t.push(op(ExprOp::Or));
        }
        t
    };
    print(chain(MAX_DEPTH)).unwrap();
    assert_eq!(
        refused(chain(MAX_DEPTH + 1)),
        K::ExpressionTooDeep { limit: MAX_DEPTH }
    );
    // Nested `!` to the limit also round-trips.
    let mut nots = vec![local("a")];
    nots.extend(std::iter::repeat_n(op(ExprOp::Not), MAX_DEPTH - 1));
    print(nots).unwrap();
}

// F1 to F3: names.

#[test]
fn nul_in_an_attribute_name_is_refused_at_parse_and_print() {
    let err = Expression::parse_sddl(b"(@User.a\0b == 1)", 0, None).unwrap_err();
    assert_eq!(*err.kind(), K::NulInAttributeName);
    assert_eq!(err.offset(), 8);
    assert_eq!(
        refused(vec![attr(AttrClass::User, "a\0b"), op(ExprOp::Exists)]),
        K::NulInAttributeName
    );
}

#[test]
fn empty_attribute_names_are_refused_at_parse_and_print() {
    for text in ["(\"\")", "(\"\" == 1)", "(Exists \"\")"] {
        let err = Expression::from_sddl(text, None).unwrap_err();
        assert_eq!(*err.kind(), K::EmptyAttributeName, "{text}");
    }
    assert_eq!(refused(vec![local("")]), K::EmptyAttributeName);
    assert_eq!(
        refused(vec![attr(AttrClass::User, ""), op(ExprOp::Exists)]),
        K::EmptyAttributeName
    );
    // A quoted non-empty name is a local attribute and prints bare.
    assert_eq!(print(vec![local("x y")]).unwrap(), "(@LOCAL.x%0020y)");
}

// F2 and F6: resource attributes.

use secctx::{
    binary, sddl, ClaimAttribute, ClaimErrorKind as C, ClaimValues, SddlErrorKind as S,
    SecurityDescriptor, Sid,
};

/// Puts `claim` in an RA ACE with trustee `sid`, takes the descriptor through
/// the binary form, prints it, and checks the text parses back to the same
/// descriptor. Returns the refusal's inner kind.
fn print_ra(claim: &ClaimAttribute, sid: &str) -> Result<String, S> {
    let mut sd = SecurityDescriptor::from_sddl("S:(RA;;;;;WD;(\"x\",TI,0x0,1))", None).unwrap();
    let ace = &mut sd.sacl.as_mut().unwrap().aces[0];
    ace.sid = sid.parse::<Sid>().unwrap();
    // Encoded by hand: the binary form would truncate a name at its NUL.
    ace.application_data = claim.encode_relative().unwrap();
    let sd = binary::decode(&binary::encode(&sd).unwrap()).unwrap();
    match sddl::print(&sd, None) {
        Ok(text) => {
            assert_eq!(sddl::parse(&text, None).unwrap(), sd, "{text}");
            Ok(text)
        }
        Err(e) => match e.kind() {
            S::InAce {
                sacl: true, kind, ..
            } => Err((**kind).clone()),
            other => panic!("{other:?}"),
        },
    }
}

fn claim(name: &str, flags: u32, values: ClaimValues) -> ClaimAttribute {
    ClaimAttribute {
        name: name.into(),
        flags,
        values,
    }
}

#[test]
fn nul_in_a_resource_attribute_name_is_refused() {
    // `("P\0x",TS,0,"")` used to print as `("P",...)`.
    let err = ClaimAttribute::parse_sddl(b"(\"P\0x\",TS,0,\"\")", 0, None).unwrap_err();
    assert!(
        matches!(err.kind(), C::Condition(e) if *e.kind() == K::NulInAttributeName),
        "{err}"
    );
    assert_eq!(err.offset(), 3);
    let c = claim("P\0x", 0, ClaimValues::String(vec![String::new()]));
    assert_eq!(c.to_sddl(None).unwrap_err().kind(), &C::NulInName);
    let c = claim("P", 0, ClaimValues::String(vec!["a\0b".into()]));
    assert_eq!(c.to_sddl(None).unwrap_err().kind(), &C::NulInString);
}

#[test]
fn resource_attribute_aces_that_cannot_parse_back_are_refused() {
    let ok = claim("P", 0, ClaimValues::Int64(vec![-5, 0x10]));
    assert_eq!(
        print_ra(&ok, "S-1-1-0").unwrap(),
        "S:(RA;;;;;WD;(\"P\",TI,0x0,-5,16))"
    );
    // Another trustee: the parser insists on WD.
    assert_eq!(
        print_ra(&ok, "S-1-5-32-544"),
        Err(S::ResourceAttributeTrustee)
    );
    // Reserved flag bits.
    let c = claim("P", 0x100, ClaimValues::Int64(vec![1]));
    assert!(matches!(
        print_ra(&c, "S-1-1-0"),
        Err(S::UnprintableResourceAttribute(e)) if *e.kind() == C::ReservedFlags(0x100)
    ));
    // An empty name.
    let c = claim("", 0, ClaimValues::Int64(vec![1]));
    assert!(matches!(
        print_ra(&c, "S-1-1-0"),
        Err(S::UnprintableResourceAttribute(e)) if *e.kind() == C::EmptyName
    ));
    // Escaped names and every other value type round-trip.
    for values in [
        ClaimValues::Uint64(vec![u64::MAX]),
        ClaimValues::Boolean(vec![true, false]),
        ClaimValues::String(vec![String::new(), "é".into()]),
        ClaimValues::Sid(vec!["S-1-5-32-544".parse().unwrap()]),
        ClaimValues::OctetString(vec![vec![], vec![1, 0xab]]),
    ] {
        print_ra(&claim("a b(é)", 0x13, values), "S-1-1-0").unwrap();
    }
}

// F8: an object ACE with neither GUID.

/// Windows writes an allowed or denied object ACE given without either GUID
/// as the plain type, in an ACL sized for the object form (Microsoft's
/// ConvertStringSecurityDescriptorToSecurityDescriptor remarks; vector lines
/// 1-9 and 984 of `windows-sddl.jsonl`). Windows' own round trip therefore
/// prints the plain type, and the text carries neither the slack nor the
/// revision: `parse(print(sd))` is `carried_part(sd)`, not `sd`.
#[test]
fn an_object_ace_without_guids_is_written_as_windows_writes_it() {
    for (text, plain) in [
        ("D:(OA;;FA;;;WD)", "D:(A;;FA;;;WD)"),
        ("D:(OD;CI;FA;;;BA)", "D:(D;CI;FA;;;BA)"),
    ] {
        let sd = sddl::parse(text, None).unwrap();
        let printed = sddl::print(&sd, None).unwrap();
        assert_eq!(printed, plain);
        let again = sddl::parse(&printed, None).unwrap();
        assert_ne!(again, sd);
        assert_eq!(again, sddl::carried_part(&sd));
        let bytes = binary::encode(&sd).unwrap();
        assert_eq!(binary::decode(&bytes).unwrap(), sd);
        // Revision 4 (ACL_REVISION_DS), 4 bytes bigger than its ACE needs.
        let off = u32::from_le_bytes(bytes[16..20].try_into().unwrap()) as usize;
        assert_eq!(bytes[off], 4, "{text}");
        let size = u16::from_le_bytes([bytes[off + 2], bytes[off + 3]]) as usize;
        let ace_size = u16::from_le_bytes([bytes[off + 10], bytes[off + 11]]) as usize;
        assert_eq!(size, 8 + ace_size + 4, "{text}");
    }
    // No recorded evidence covers the audit object type: it stays as written.
    let text = "S:(OU;SA;FA;;;WD)";
    let sd = sddl::parse(text, None).unwrap();
    assert_eq!(sddl::print(&sd, None).unwrap(), text);
    assert_eq!(sddl::parse(text, None).unwrap(), sd);
}
