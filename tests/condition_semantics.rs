//! Conditional ACEs and claims with Windows' semantics: one test per rule,
//! each citing its source. Every case runs through both the fast evaluator
//! (`access_check`) and the reference (`naive_access_check`), which must
//! agree.
//!
//! "Samba's krb5 records" are the outcomes in Samba's
//! `python/samba/tests/krb5/conditional_ace_tests.py`
//! (`claim_against_claim_cases`, `claim_against_literal_cases`,
//! `pac_claim_cases`), which that suite checks against Windows servers.
//!
//! A condition's value is read from a descriptor holding it twice: an allow
//! callback ACE for bit 0x1 (applies only when TRUE) and a deny callback ACE
//! for bit 0x2 (applies when TRUE or UNKNOWN) before a plain allow of 0x2.
//! MAXIMUM_ALLOWED then grants 0x1 for TRUE, 0x2 for FALSE and nothing for
//! UNKNOWN (MS-DTYP 2.4.4.17.3).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use secctx::json::{from_json, Names, TokenSpec};
use secctx::reference::naive_access_check;
use secctx::{
    access_check, AccessMask, AccessRequest, ClaimAttribute, ClaimValues, SecurityDescriptor, Sid,
    Token,
};

#[derive(Debug, PartialEq, Eq, Clone, Copy)]
enum V {
    T,
    F,
    U,
}
use V::{F, T, U};

fn sid(s: &str) -> Sid {
    Sid::parse_sddl(s, None).unwrap()
}

fn claim(name: &str, values: ClaimValues) -> ClaimAttribute {
    ClaimAttribute {
        name: name.into(),
        flags: 0,
        values,
    }
}

fn strs(v: &[&str]) -> ClaimValues {
    ClaimValues::String(v.iter().map(|s| s.to_string()).collect())
}

/// A user in Everyone with the given user claims.
fn token(user_claims: Vec<ClaimAttribute>) -> Token {
    let mut t = Token::new(sid("S-1-5-21-1-2-3-1001")).with_group(sid("WD"));
    t.user_claims = user_claims;
    t
}

/// The value of `cond` for `t` on an object with SACL `sacl`, asserting
/// that the fast evaluator and the reference agree.
fn value_with(t: &Token, cond: &str, sacl: &str) -> V {
    let text = format!("O:BAG:BAD:(XA;;0x1;;;WD;{cond})(XD;;0x2;;;WD;{cond})(A;;0x2;;;WD){sacl}");
    let sd = SecurityDescriptor::from_sddl(&text, None).unwrap_or_else(|e| panic!("{text}: {e}"));
    let req = AccessRequest::new(AccessMask::MAXIMUM_ALLOWED);
    let fast = access_check(t, &sd, &req).unwrap();
    let naive = naive_access_check(t, &sd, &req).unwrap();
    assert_eq!(fast, naive, "the evaluators disagree on {cond}");
    match fast.granted.0 {
        0x1 => T,
        0x2 => F,
        0 => U,
        g => panic!("{cond}: granted {g:#x}"),
    }
}

fn value(t: &Token, cond: &str) -> V {
    value_with(t, cond, "")
}

/// Asserts each `(condition, value)` pair against `t`.
fn expect(t: &Token, cases: &[(&str, V)]) {
    for (cond, want) in cases {
        assert_eq!(value(t, cond), *want, "{cond}");
    }
}

/// Two string claims `a` and `b`, as the claim-against-claim records use.
fn pair(a: &[&str], b: &[&str]) -> Token {
    token(vec![claim("a", strs(a)), claim("b", strs(b))])
}

/// `==` with a multi-valued operand compares lists: the same length, the
/// same values in any order, each compared ignoring case. Samba's krb5
/// records: `("foo", "bar") == ("FOO", "BAR")` and `== ("bar", "foo")` TRUE,
/// `{"apple", "banana"} == {"BANANA", "APPLE"}` TRUE but `== {"apple",
/// "banana", "apple"}` FALSE, `("foo", "bar") == ("foo", "baz")` FALSE.
#[test]
fn multi_valued_equality_is_list_equality() {
    assert_eq!(
        value(
            &pair(&["foo", "bar"], &["FOO", "BAR"]),
            "(@User.a == @User.b)"
        ),
        T
    );
    assert_eq!(
        value(
            &pair(&["foo", "bar"], &["bar", "foo"]),
            "(@User.a == @User.b)"
        ),
        T
    );
    assert_eq!(
        value(
            &pair(&["foo", "bar"], &["foo", "baz"]),
            "(@User.a == @User.b)"
        ),
        F
    );
    let t = pair(&["apple", "banana"], &["x"]);
    expect(
        &t,
        &[
            ("(@User.a == {\"APPLE\", \"BANANA\"})", T),
            ("(@User.a == {\"BANANA\", \"APPLE\"})", T),
            ("(@User.a == {\"apple\", \"banana\", \"apple\"})", F),
        ],
    );
}

/// `!=` with a multi-valued operand is the negation of list equality, not
/// the UNKNOWN that MS-DTYP 2.4.4.17.6 gives every operator but `==`,
/// `Contains` and `Any_of`; the orderings do give UNKNOWN. Samba's krb5
/// records: `("foo", "bar") != "foo"` TRUE, `!= ("foo", "bar", "baz")` TRUE,
/// `("foo", "bar") < ("foo", "bar")` UNKNOWN (so `<=` is not `< || ==`),
/// `("foo", "bar", "baz") != ("FOO", "BAR", "BAZ")` FALSE.
#[test]
fn not_equal_and_orderings_on_multi_valued_claims() {
    assert_eq!(
        value(&pair(&["foo", "bar"], &["foo"]), "(@User.a != @User.b)"),
        T
    );
    assert_eq!(
        value(
            &pair(&["foo", "bar"], &["foo", "bar", "baz"]),
            "(@User.a != @User.b)"
        ),
        T
    );
    assert_eq!(
        value(
            &pair(&["foo", "bar", "baz"], &["FOO", "BAR", "BAZ"]),
            "(@User.a != @User.b)"
        ),
        F
    );
    let t = pair(&["foo", "bar"], &["foo", "bar"]);
    for op in ["<", "<=", ">", ">="] {
        assert_eq!(value(&t, &format!("(@User.a {op} @User.b)")), U, "{op}");
    }
    assert_eq!(value(&t, "(@User.a == @User.b)"), T);
}

/// A single value is a list of one: a single-valued claim equals the
/// one-member composite holding its value, and differs from `{}`. Samba's
/// krb5 records: `"bar" == {"bar"}` TRUE, `"foo" != {}` TRUE, `"foo bar"
/// == "foo bar"` TRUE.
#[test]
fn one_member_composite_against_a_single_valued_claim() {
    let t = token(vec![claim("a", strs(&["bar"]))]);
    expect(
        &t,
        &[
            ("(@User.a == {\"bar\"})", T),
            ("(@User.a == {\"BAR\"})", T),
            ("(@User.a != {})", T),
            ("(@User.a == {})", F),
            ("(@User.a == \"bar\")", T),
            ("(@User.a == {\"bar\", \"baz\"})", F),
        ],
    );
}

/// Duplicate members of a composite literal: harmless for `Contains` and
/// `Any_of`, but `==` wants the same length. Samba's krb5 records:
/// `("foo", "bar") Contains {"foo", "bar", "bar"}` TRUE.
#[test]
fn composite_with_duplicate_members() {
    let t = token(vec![claim("a", strs(&["foo", "bar"]))]);
    expect(
        &t,
        &[
            ("(@User.a Contains {\"foo\", \"bar\", \"bar\"})", T),
            ("(@User.a Any_of {\"bar\", \"bar\"})", T),
            ("(@User.a == {\"foo\", \"bar\", \"bar\"})", F),
        ],
    );
}

/// The empty composite: `Contains {}` is FALSE and `Not_Contains {}` TRUE,
/// even when the attribute is absent; `Any_of {}` is FALSE and `Not_Any_of
/// {}` TRUE, but UNKNOWN when the attribute is absent. Samba's krb5
/// records: `() Contains {}` FALSE, `() Not_Contains {}` TRUE, `"foo"
/// Contains {}` FALSE, `() Any_of {}` and `() Not_Any_of {}` UNKNOWN,
/// `"foo" Any_of {}` FALSE, `"foo" Not_Any_of {}` TRUE, `() == {}` UNKNOWN.
#[test]
fn empty_composite() {
    let t = token(vec![claim("a", strs(&["foo"]))]);
    expect(
        &t,
        &[
            ("(@User.a Contains {})", F),
            ("(@User.a Not_Contains {})", T),
            ("(@User.a Any_of {})", F),
            ("(@User.a Not_Any_of {})", T),
            ("(@User.absent Contains {})", F),
            ("(@User.absent Not_Contains {})", T),
            ("(@User.absent Any_of {})", U),
            ("(@User.absent Not_Any_of {})", U),
            ("(@User.absent == {})", U),
            ("(@User.absent Contains {\"foo\"})", U),
            ("(@User.absent Not_Contains {\"foo\", \"bar\"})", U),
        ],
    );
}

/// Operand shapes: `Contains` takes a single value on the right; `Any_of`
/// takes a single-valued claim but not a single literal, which is an error
/// and so makes the whole expression UNKNOWN (MS-DTYP 2.4.4.17.6). Samba's
/// krb5 records: `"foo" Contains "foo"` TRUE, `("foo", "bar") Not_Contains
/// "foo"` FALSE, `("foo", "bar") Contains ("FOO")` TRUE, `"foo" Any_of
/// "foo"` (claims) TRUE, `("foo", "bar") Any_of "BAR"` (claims) TRUE, but
/// `"foo" Any_of "foo"` (literal) and `("foo", "bar") Not_Any_of "baz"`
/// (literal) UNKNOWN.
#[test]
fn operand_shapes_of_contains_and_any_of() {
    let t = token(vec![
        claim("one", strs(&["foo"])),
        claim("two", strs(&["foo", "bar"])),
        claim("big", strs(&["BAR"])),
        claim("baz", strs(&["baz"])),
    ]);
    expect(
        &t,
        &[
            ("(@User.one Contains \"foo\")", T),
            ("(@User.two Not_Contains \"foo\")", F),
            ("(@User.two Contains @User.big)", T),
            ("(@User.one Any_of @User.one)", T),
            ("(@User.two Any_of @User.big)", T),
            ("(@User.two Any_of @User.baz)", F),
            ("(@User.two Not_Any_of @User.baz)", T),
            ("(@User.one Any_of \"foo\")", U),
            ("(@User.two Not_Any_of \"baz\")", U),
            ("((@User.one Any_of \"foo\") || (Member_of {SID(WD)}))", U),
            ("(@User.two Any_of {\"bar\", \"baz\"})", T),
            ("(@User.two Not_Any_of {\"bar\", \"baz\"})", F),
        ],
    );
}

/// A bare attribute's logical value (MS-DTYP 2.4.4.17.7): zero and FALSE
/// are FALSE, other integers, TRUE and non-empty strings TRUE, other types
/// and absent attributes UNKNOWN; a multi-valued claim is TRUE when one of
/// its values is. Samba's krb5 records: boolean, int64 and uint64 claims
/// `[0]` FALSE, `[1]` TRUE, `[0, 1]` and `[1, 0]` TRUE; `"foo bar"` TRUE.
#[test]
fn claims_as_booleans() {
    let t = token(vec![
        claim("b0", ClaimValues::Boolean(vec![false])),
        claim("b1", ClaimValues::Boolean(vec![true])),
        claim("b01", ClaimValues::Boolean(vec![false, true])),
        claim("b10", ClaimValues::Boolean(vec![true, false])),
        claim("i0", ClaimValues::Int64(vec![0])),
        claim("i1", ClaimValues::Int64(vec![1])),
        claim("i01", ClaimValues::Int64(vec![0, 1])),
        claim("u10", ClaimValues::Uint64(vec![1, 0])),
        claim("s", strs(&["foo bar"])),
        claim("sid", ClaimValues::Sid(vec![sid("WD")])),
    ]);
    expect(
        &t,
        &[
            ("(@User.b0)", F),
            ("(@User.b1)", T),
            ("(@User.b01)", T),
            ("(@User.b10)", T),
            ("(@User.i0)", F),
            ("(@User.i1)", T),
            ("(@User.i01)", T),
            ("(@User.u10)", T),
            ("(@User.s)", T),
            ("(@User.sid)", U),
            ("(@User.absent)", U),
        ],
    );
}

/// `!`, `&&` and `||` over UNKNOWN (MS-DTYP 2.4.4.17.7 truth tables):
/// FALSE && UNKNOWN is FALSE, TRUE || UNKNOWN is TRUE, otherwise UNKNOWN
/// stays. Samba's krb5 records for booleans: `!(a)` with a FALSE is TRUE,
/// `!(!(!(!(a))))` FALSE, `!(a && a)` TRUE, `a && !(b || b)` TRUE.
#[test]
fn logic_over_unknown() {
    let t = token(vec![
        claim("f", ClaimValues::Boolean(vec![false])),
        claim("t", ClaimValues::Boolean(vec![true])),
    ]);
    expect(
        &t,
        &[
            ("(!(@User.absent))", U),
            ("(@User.absent && @User.f)", F),
            ("(@User.absent && @User.t)", U),
            ("(@User.absent || @User.t)", T),
            ("(@User.absent || @User.f)", U),
            ("(!(@User.f))", T),
            ("(!(!(!(!(@User.f)))))", F),
            ("(!(@User.f && @User.f))", T),
            ("(@User.t && !(@User.f || @User.f))", T),
        ],
    );
}

/// Windows' `!` applied straight to an attribute, on the right of `&&` or
/// `||` whose left operand is an attribute, gives UNKNOWN. Samba's krb5
/// records ("evaluated inconsistently"): with `a` TRUE and `b` FALSE,
/// `a || !(a)` UNKNOWN but `!(a) || a` TRUE, `a && !(b)` UNKNOWN,
/// `!(a) || !(a)` (a FALSE) TRUE, `a || (a || a)` TRUE.
#[test]
fn not_of_an_attribute_on_the_right() {
    let t = token(vec![
        claim("t", ClaimValues::Boolean(vec![true])),
        claim("f", ClaimValues::Boolean(vec![false])),
    ]);
    expect(
        &t,
        &[
            ("(@User.t || !(@User.t))", U),
            ("(!(@User.t) || @User.t)", T),
            ("(@User.t && !(@User.f))", U),
            ("(!(@User.f) || !(@User.f))", T),
            ("(@User.t || (@User.t || @User.t))", T),
            ("((@User.t == @User.t) && !(@User.f))", T),
        ],
    );
}

/// Type mismatches are UNKNOWN, not FALSE, and as processing errors they
/// make the whole expression UNKNOWN (MS-DTYP 2.4.4.17.6). Booleans are
/// not integers. Samba's krb5 records: a TRUE boolean claim `== 42`
/// UNKNOWN, two TRUE boolean claims `==` TRUE, `"42" == 42` UNKNOWN, `"42"
/// == "42"` TRUE, `("654", "321") == {654, 321}` UNKNOWN, `("123", "456") ==
/// {"123", "456"}` TRUE, `("foo", "bar") Contains {1, 2, 3}` UNKNOWN.
#[test]
fn type_mismatches_are_unknown() {
    let t = token(vec![
        claim("bool", ClaimValues::Boolean(vec![true])),
        claim("bool2", ClaimValues::Boolean(vec![true])),
        claim("s42", strs(&["42"])),
        claim("nums", strs(&["654", "321"])),
        claim("nums2", strs(&["123", "456"])),
        claim("two", strs(&["foo", "bar"])),
        claim("i", ClaimValues::Int64(vec![42])),
    ]);
    expect(
        &t,
        &[
            ("(@User.bool == 42)", U),
            ("(@User.bool != 42)", U),
            ("(@User.bool == 1)", U),
            ("(@User.bool == @User.bool2)", T),
            ("(@User.s42 == 42)", U),
            ("(@User.s42 == \"42\")", T),
            ("(@User.nums == {654, 321})", U),
            ("(@User.nums2 == {\"123\", \"456\"})", T),
            ("(@User.two Contains {1, 2, 3})", U),
            ("(@User.i == 42)", T),
            ("((@User.s42 == 42) || (@User.i == 42))", U),
        ],
    );
}

/// A claim with no values: the token JSON accepts it, and a condition
/// treats it as absent. Samba's krb5 records: an empty string claim `!=
/// "foo bar"` UNKNOWN, a bare empty claim UNKNOWN, `Exists` on an empty
/// user claim UNKNOWN.
#[test]
fn claims_with_no_values() {
    let spec: TokenSpec = from_json(
        r#"{"user": "S-1-5-21-1-2-3-1001", "groups": ["WD"],
            "user_claims": [{"name": "empty", "type": "string", "values": []},
                            {"name": "nothing", "values": []},
                            {"name": "flags", "type": "boolean", "values": []}]}"#,
        "$",
    )
    .unwrap();
    let t = spec.resolve(&Names::with_domain(None), "$").unwrap();
    assert_eq!(t.user_claims.len(), 3);
    assert!(t.user_claims.iter().all(|c| c.values.is_empty()));
    expect(
        &t,
        &[
            ("(@User.empty != \"foo bar\")", U),
            ("(@User.empty)", U),
            ("(@User.flags)", U),
            ("(Exists @User.flags)", U),
            ("(@User.nothing Any_of {\"a\"})", U),
        ],
    );
    // Other claim errors keep their JSON path.
    let bad: TokenSpec = from_json(
        r#"{"user": "S-1-5-21-1-2-3-1001", "user_claims": [{"name": "n", "type": "int64", "values": [1, "x"]}]}"#,
        "$",
    )
    .unwrap();
    let e = bad.resolve(&Names::with_domain(None), "$").unwrap_err();
    assert!(e.to_string().contains("user_claims[0].values[1]"), "{e}");
}

/// Duplicate values: Windows refuses a token whose claim repeats a value
/// (Samba's krb5 records: `[42, 42]`, `["FOO", "foo"]` fail) and "will
/// treat RA ACEs with duplicate values as not existing" (Samba's
/// `libcli/security/conditional_ace.c`, `compare_composites`). So such a
/// claim is absent; duplicates are judged with the claim's own case rule.
#[test]
fn claims_with_duplicate_values_are_absent() {
    let mut cs = claim("cs", strs(&["FOO", "foo"]));
    cs.flags = 0x2;
    let t = token(vec![
        claim("ci", strs(&["FOO", "foo"])),
        cs,
        claim("n", ClaimValues::Int64(vec![42, 42])),
    ]);
    expect(
        &t,
        &[
            ("(@User.ci == \"foo\")", U),
            ("(@User.ci Contains \"foo\")", U),
            ("(@User.n Any_of {42})", U),
            ("(@User.cs Contains \"foo\")", T),
        ],
    );
    let ra = "S:(RA;;;;;WD;(\"dup\",TS,0x0,\"a\",\"A\"))(RA;;;;;WD;(\"ok\",TS,0x0,\"a\",\"b\"))";
    assert_eq!(value_with(&t, "(Exists @Resource.dup)", ra), F);
    assert_eq!(value_with(&t, "(Exists @Resource.ok)", ra), T);
}

/// Strings compare as UTF-16 code units after Windows' upper-case table
/// (RtlUpcaseUnicodeChar), not Rust's `to_uppercase`. Samba's krb5 records:
/// equal ignoring case `"foo bar"`/`"Foo BAR"`, fullwidth, `ćàț`/`ĆÀȚ`,
/// `ḽ`/`Ḽ`, `ⅸ`/`Ⅸ`, `ꙭ`/`Ꙭ`, `ⱦ`/`Ⱦ` (Unicode 5.0), `ԛԣ`/`ԚԢ` (5.1);
/// ordered by upper case (`"A" < "_"`, `"a" < "_"`); not mapped: `ß <
/// ẞ`, `ß > SS`, `ⳬ > Ⳬ` (5.2), `ʞ < Ʞ`, `ꞧ > Ꞧ` (6.0), `ɜ < Ɜ` (7.0);
/// ordinal over UTF-16 units: `U+D7FB < U+10000 < U+F900`; `"foo" <
/// "foo bar"`.
#[test]
fn strings_compare_by_windows_upper_case_table() {
    let cases: [(&str, &str, &str, V); 22] = [
        ("foo bar", "==", "Foo BAR", T),
        ("ｆｏｏ ｂａｒ", "==", "ＦＯＯ ＢＡＲ", T),
        ("ćàț", "==", "ĆÀȚ", T),
        ("ḽ", "==", "Ḽ", T),
        ("ⅸ", "==", "Ⅸ", T),
        ("ꙭ", "==", "Ꙭ", T),
        ("ⱦ", "==", "Ⱦ", T),
        ("ԛԣ", "==", "ԚԢ", T),
        ("cat", "<", "dog", T),
        ("foo", "<", "foo bar", T),
        ("A", "<", "_", T),
        ("a", "<", "_", T),
        ("ß", "<", "ẞ", T),
        ("ß", ">", "SS", T),
        ("ß", "==", "SS", F),
        ("ⳬ", ">", "Ⳬ", T),
        ("ʞ", "<", "Ʞ", T),
        ("ꞧ", ">", "Ꞧ", T),
        ("ɜ", "<", "Ɜ", T),
        ("\u{D7FB}", "<", "\u{10000}", T),
        ("\u{10000}", "<", "\u{F900}", T),
        ("ćàș", "<", "ĆÀȚ", T),
    ];
    for (a, op, b, want) in cases {
        assert_eq!(
            value(&pair(&[a], &[b]), &format!("(@User.a {op} @User.b)")),
            want,
            "{a} {op} {b}"
        );
    }
}

/// CLAIM_SECURITY_ATTRIBUTE_VALUE_CASE_SENSITIVE (MS-DTYP 2.4.10.1,
/// 2.4.4.17.6): a case-sensitive claim on either side makes the comparison
/// ordinal over UTF-16 code units (Samba's `compare_unicode` honours either
/// side); the flag is about values, not names (Samba's
/// `test_claim_name_different_case_case_flag`).
#[test]
fn case_sensitive_claims_compare_ordinally() {
    let mut cs = claim("Code", strs(&["abc"]));
    cs.flags = 0x2;
    let t = token(vec![cs, claim("plain", strs(&["ABC"]))]);
    expect(
        &t,
        &[
            ("(@User.code == \"abc\")", T),
            ("(@User.code == \"ABC\")", F),
            ("(@User.plain == @User.code)", F),
            ("(@User.plain == \"abc\")", T),
            ("(@User.code > \"ABC\")", T),
        ],
    );
}

/// Claim and resource-attribute names compare case-insensitively with the
/// same table in both evaluators (MS-DTYP 2.4.4.17.6; RtlEqualUnicodeString
/// with CaseInSensitive): `@User.ÉTAGE` names `étage`, but `@User.STRASSE`
/// does not name `straße` and `@User.Ⳬ` does not name `ⳬ`.
#[test]
fn attribute_names_use_the_same_table() {
    let t = token(vec![
        claim("étage", strs(&["3"])),
        claim("straße", strs(&["x"])),
        claim("ⳬ", strs(&["y"])),
    ]);
    expect(
        &t,
        &[
            ("(@User.ÉTAGE == \"3\")", T),
            ("(@User.STRASSE == \"x\")", U),
            ("(@User.STRAßE == \"x\")", T),
            ("(@User.Ⳬ == \"y\")", U),
            ("(@User.ⳬ == \"y\")", T),
        ],
    );
    let ra = "S:(RA;;;;;WD;(\"Étage\",TS,0x0,\"3\"))";
    assert_eq!(value_with(&t, "(@Resource.ÉTAGE == @User.étage)", ra), T);
}

/// Large operands stay within the limits and both evaluators agree: a claim
/// with 300 values against a composite of the same values in reverse
/// order, and a long chain of `!`.
#[test]
fn large_operands_evaluate() {
    let values: Vec<String> = (0..300).map(|i| format!("v{i}")).collect();
    let t = token(vec![claim("big", ClaimValues::String(values.clone()))]);
    let lit: Vec<String> = values.iter().rev().map(|v| format!("\"{v}\"")).collect();
    assert_eq!(
        value(&t, &format!("(@User.big == {{{}}})", lit.join(", "))),
        T
    );
    assert_eq!(value(&t, "(@User.big Contains \"V299\")"), T);
    let deep = format!(
        "({}(@User.big Any_of {{\"v7\"}}){})",
        "!(".repeat(100),
        ")".repeat(100)
    );
    assert_eq!(value(&t, &deep), T);
}
