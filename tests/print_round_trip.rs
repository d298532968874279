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

// The binary_decode findings: bytes that SDDL has no token for. Decode keeps
// them (binary → binary keeps each part, but for the ACL's reserved fields
// and the content of its slack); SDDL drops exactly what
// `sddl::carried_part` drops, as Windows' converters do.

use secctx::{Acl, AclRevision, Control};

/// Decodes `hex`, checks that it re-encodes to the same bytes, prints it as
/// `text`, and checks that the text parses to `sddl::carried_part` of the
/// decoded descriptor. Returns the decoded and the re-parsed descriptors.
fn through_sddl(hex: &str, text: &str) -> (SecurityDescriptor, SecurityDescriptor) {
    let bytes = binary::from_hex(hex).unwrap();
    let sd = binary::decode(&bytes).unwrap();
    assert_eq!(binary::to_hex(&binary::encode(&sd).unwrap()), hex);
    let printed = sddl::print(&sd, None).unwrap();
    assert_eq!(printed, text);
    let again = sddl::parse(&printed, None).unwrap();
    assert_eq!(again, sddl::carried_part(&sd), "{text}");
    (sd, again)
}

/// A DACL `(A;;FA;;;WD)` in an ACL of revision `rev` (hex byte).
fn plain_dacl(rev: &str) -> String {
    format!(
        "0100048000000000000000000000000014000000{rev}001c0001000000\
         00001400ff011f00010100000000000100000000"
    )
}

/// MS-DTYP 2.4.5 lets an ACL of revision 4 (ACL_REVISION_DS) hold plain
/// ACEs, and `RtlValidAcl` accepts revisions 2 to 4 (ReactOS
/// sdk/lib/rtl/acl.c). SDDL has no revision token: the text reads back as
/// Windows' converter writes it, revision 2 without an object ACE (the
/// conformance vectors' README). Minimised from
/// fuzz/findings/binary_decode/crash-008bf9a8… (an empty revision-4 DACL).
#[test]
fn an_acl_revision_sddl_cannot_write_is_kept_in_binary_and_dropped_by_sddl() {
    for rev in ["03", "04"] {
        let (sd, again) = through_sddl(&plain_dacl(rev), "D:(A;;FA;;;WD)");
        assert_eq!(sd.dacl.unwrap().revision.0.to_string(), &rev[1..]);
        assert_eq!(again.dacl.as_ref().unwrap().revision, AclRevision::NT4);
        // Only the revision differs.
        assert_eq!(
            binary::to_hex(&binary::encode(&again).unwrap()),
            plain_dacl("02")
        );
    }
    // The finding's shape: an empty revision-4 DACL with 4 bytes of slack.
    let (sd, again) = through_sddl(
        "01000480000000000000000000000000140000000400 0c000000000000000000"
            .replace(' ', "")
            .as_str(),
        "D:",
    );
    let dacl = sd.dacl.unwrap();
    assert_eq!((dacl.revision, dacl.slack), (AclRevision::DS, 4));
    assert_eq!(again.dacl.unwrap(), Acl::empty());
}

/// `RtlValidAcl` accepts an AceSize larger than the SID needs (ReactOS
/// sdk/lib/rtl/acl.c), and decode keeps the extra bytes, so binary → binary
/// is exact. An ACE string has six fields and no place for them (Microsoft,
/// "ACE Strings"; Wine's `DumpAce` prints the mask and SID only), so SDDL
/// drops them, for plain and object ACEs alike. Minimised from
/// crash-0149c7b9… (4 bytes after a plain ACE's SID) and crash-0a464f05…
/// (8 bytes after an object ACE's SID).
#[test]
fn bytes_after_a_plain_or_object_aces_sid_are_kept_in_binary_and_dropped_by_sddl() {
    let (sd, again) = through_sddl(
        "0100048000000000000000000000000014000000020020000100000000001800ff011f00\
         0101000000000001000000 00e8030000"
            .replace(' ', "")
            .as_str(),
        "D:(A;;FA;;;WD)",
    );
    assert_eq!(sd.dacl.unwrap().aces[0].application_data, [0xe8, 3, 0, 0]);
    assert!(again.dacl.unwrap().aces[0].application_data.is_empty());
    let (sd, again) = through_sddl(
        "010004800000000000000000000000001400000004003800010000000500300003000000\
         010000009c7a96bfe60dd011a28500aa003049e2010100000000000100000000\
         2000000024020000",
        "D:(OA;;CCDC;bf967a9c-0de6-11d0-a285-00aa003049e2;;WD)",
    );
    let (ace, back) = (&sd.dacl.unwrap().aces[0], &again.dacl.unwrap().aces[0]);
    assert_eq!(ace.application_data, [0x20, 0, 0, 0, 0x24, 2, 0, 0]);
    assert!(back.application_data.is_empty());
    assert_eq!(back.object_type, ace.object_type);
}

/// SDDL's ACL flags are `P`, `AR`, `AI` and `NO_ACCESS_CONTROL` (MS-DTYP
/// 2.5.1), written only inside a `D:` or `S:` component, which Wine's
/// `DumpDacl`/`DumpSacl` write only for a present ACL. So the `*_DEFAULTED`
/// bits, `SE_RM_CONTROL_VALID`, the resource-manager byte and the flags of an
/// absent ACL are kept in binary and dropped by SDDL. Minimised from
/// crash-0483f6dc… (control 0x8c20, no ACL present, printed as the empty
/// string).
#[test]
fn control_bits_sddl_cannot_write_are_kept_in_binary_and_dropped_by_sddl() {
    let (sd, again) = through_sddl("0100208c00000000000000000000000000000000", "");
    assert_eq!(sd.control, Control(0x8c20));
    assert_eq!(again.control, Control::SELF_RELATIVE);
    // RM_CONTROL_VALID with a resource-manager byte, and every defaulted bit,
    // beside a present DACL whose P and AI flags do print.
    let (sd, again) = through_sddl(
        "01054fd4000000000000000000000000140000000200080000000000",
        "D:PAI",
    );
    assert_eq!((sd.control, sd.rm_control), (Control(0xd44f), 5));
    assert_eq!((again.control, again.rm_control), (Control(0x9404), 0));
}

/// Every binary_decode finding kept in fuzz/findings holds the target's
/// invariant: binary → binary keeps the descriptor, and SDDL gives back exactly
/// `sddl::carried_part`.
#[test]
fn the_binary_decode_findings_round_trip_as_far_as_sddl_carries() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/findings/binary_decode");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let sd = binary::decode(&bytes).unwrap();
        let encoded = binary::encode(&sd).unwrap();
        assert_eq!(binary::decode(&encoded).unwrap(), sd, "{path:?}");
        let printed = sddl::print(&sd, None).unwrap();
        let again = sddl::parse(&printed, None).unwrap();
        assert_eq!(again, sddl::carried_part(&sd), "{path:?}: {printed}");
        // Each finding lost something to SDDL: it is a real case.
        assert_ne!(again, sd, "{path:?}");
        seen += 1;
    }
    assert!(seen >= 6, "expected the six findings, found {seen}");
}
