//! What SDDL text carries of a descriptor decoded from binary, and the fuzz
//! findings (issue 18, `fuzz/findings/README.md`) where printing then parsing
//! lost something the text cannot hold.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use secctx::condition::{AttrClass, ExprOp, ExprToken, IntBase, IntSign, IntWidth};
use secctx::{binary, sddl, Control, Expression, Sid};

fn domain() -> Sid {
    "S-1-5-21-1-2-3".parse().unwrap()
}

/// Every `binary_decode` finding: the printed SDDL parses back to exactly
/// `carried_part` of the decoded descriptor, and `carried_part` differs
/// from the descriptor only where the text has no form.
#[test]
fn binary_findings_round_trip_to_their_carried_part() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/findings/binary_decode");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let data = std::fs::read(entry.unwrap().path()).unwrap();
        let Ok(sd) = binary::decode(&data) else {
            continue;
        };
        let d = domain();
        let Ok(printed) = sddl::print(&sd, Some(&d)) else {
            continue;
        };
        let again = sddl::parse(&printed, Some(&d)).unwrap();
        assert_eq!(again, sddl::carried_part(&sd), "{printed}");
        // Carrying is idempotent: the carried part prints the same text.
        assert_eq!(sddl::print(&again, Some(&d)).unwrap(), printed);
        checked += 1;
    }
    assert!(
        checked >= 6,
        "expected the six binary_decode findings, checked {checked}"
    );
}

/// Control bits: an ACL that does not print takes its flags with it, and
/// bits with no SDDL code (DEFAULTED, RM_CONTROL_VALID, ...) are not
/// carried. The finding's 0x8c20 (self-relative, both AUTO_INHERITED,
/// SACL_DEFAULTED, neither ACL present) carries as 0x8000.
#[test]
fn control_bits_sddl_has_no_code_for() {
    let mut sd = sddl::parse("O:SY", None).unwrap();
    sd.control = Control(0x8c20);
    assert_eq!(sddl::print(&sd, None).unwrap(), "O:SY");
    assert_eq!(sddl::carried_part(&sd).control, Control(0x8000));
    // With the DACL present, its AI bit prints (`D:AI`) and is carried; the
    // SACL's is not, nor are DACL_DEFAULTED (0x0008) and RM_CONTROL_VALID.
    sd.control = Control(0x8c20 | 0x4000 | 0x0008 | 0x0004);
    sd.dacl = Some(secctx::Acl::empty());
    assert_eq!(sddl::print(&sd, None).unwrap(), "O:SYD:AI");
    let carried = sddl::carried_part(&sd);
    assert_eq!(carried.control, Control(0x8404));
    assert_eq!(sddl::parse("O:SYD:AI", None).unwrap(), carried);
}

/// A conditional integer narrower than 64 bits (binary data only: literals
/// compiled from text are INT64, MS-DTYP 2.4.4.17.5) prints its value, sign
/// and base; the text reads back as the 64-bit token with the same value.
#[test]
fn narrow_condition_integers_print_their_value() {
    for (width, value, sign, base, text) in [
        (
            IntWidth::I8,
            -1,
            IntSign::Negative,
            IntBase::Decimal,
            "(@USER.a == -1)",
        ),
        (
            IntWidth::I16,
            0x7f,
            IntSign::None,
            IntBase::Hex,
            "(@USER.a == 0x7f)",
        ),
        (
            IntWidth::I32,
            -8,
            IntSign::None,
            IntBase::Hex,
            "(@USER.a == 0xfffffffffffffff8)",
        ),
        (
            IntWidth::I32,
            8,
            IntSign::None,
            IntBase::Octal,
            "(@USER.a == 010)",
        ),
    ] {
        let e = Expression {
            tokens: vec![
                ExprToken::Attr(AttrClass::User, "a".into()),
                ExprToken::Int {
                    value,
                    width,
                    sign,
                    base,
                },
                ExprToken::Op(ExprOp::Equal),
            ],
        };
        let printed = e.to_sddl(None).unwrap();
        assert_eq!(printed, text);
        let again = Expression::from_sddl(&printed, None).unwrap();
        assert_ne!(again, e);
        assert_eq!(again, e.with_sddl_widths());
        let ExprToken::Int {
            value: v, width: w, ..
        } = again.tokens[1]
        else {
            panic!("not an integer: {again:?}");
        };
        assert_eq!((v, w), (value, IntWidth::I64));
    }
}

/// Unsigned hex literals reach 0xffffffffffffffff and store those 64 bits
/// (issue 14; MS-DTYP 2.4.4.17.5: the value is a QWORD): the token's bytes
/// are the value, sign 03 (none) and base 03 (hex). Decimal stays within
/// the signed range.
#[test]
fn hex_condition_literals_up_to_two_to_the_64() {
    let e = Expression::from_sddl("(@User.a == 0xffffffffffffffff)", None).unwrap();
    let bytes = binary::to_hex(&e.encode().unwrap());
    assert!(bytes.contains("04ffffffffffffffff030380"), "{bytes}");
    assert_eq!(e.to_sddl(None).unwrap(), "(@USER.a == 0xffffffffffffffff)");
    let e = Expression::from_sddl("(@User.a == 0x8000000000000000)", None).unwrap();
    assert_eq!(e.to_sddl(None).unwrap(), "(@USER.a == 0x8000000000000000)");
    let err = Expression::from_sddl("(@User.a == 18446744073709551615)", None).unwrap_err();
    assert_eq!(err.offset(), 12);
    assert!(Expression::from_sddl("(@User.a == 0x10000000000000000)", None).is_err());
}

/// An access filter's condition decides whether the filter applies
/// (Forshaw, *Windows Security Internals* ch. 7; the evaluator reads it), so
/// SDDL carries it both ways: a parsed `FL` ACE keeps its condition, prints
/// it, and reads back the same. Found by review of the binary_decode target
/// (the condition was printed away, leaving a filter that always applies).
#[test]
fn access_filter_condition_survives_sddl() {
    let text = "S:(FL;;CC;;;WD;(@User.clearance >= 3))";
    let sd = sddl::parse(text, None).unwrap();
    let ace = &sd.sacl.as_ref().unwrap().aces[0];
    assert!(
        !ace.application_data.is_empty(),
        "the condition was dropped"
    );
    let printed = sddl::print(&sd, None).unwrap();
    assert!(printed.contains("(@USER.clearance >= 3)"), "{printed}");
    assert_eq!(sddl::parse(&printed, None).unwrap(), sd);
    assert_eq!(sddl::carried_part(&sd), sd);
    // Without a condition the ACE still reads and prints as before.
    let bare = sddl::parse("S:(FL;;CC;;;WD)", None).unwrap();
    assert_eq!(sddl::print(&bare, None).unwrap(), "S:(FL;;CC;;;WD)");
}
