//! Malformed conditional expressions get an error with an offset, never a
//! panic or a stack overflow.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use secctx::condition::MAX_DEPTH;
use secctx::Expression;
use secctx::SecurityDescriptor;

fn text_err(t: &str) -> (usize, String) {
    let e = Expression::from_sddl(t, None).unwrap_err();
    assert!(
        e.offset() <= t.len(),
        "offset {} past the end of {t:?}",
        e.offset()
    );
    (e.offset(), e.kind().to_string())
}

fn bytes_err(b: &[u8]) -> (usize, String) {
    let e = Expression::decode(b).unwrap_err();
    assert!(e.offset() <= b.len(), "offset {} past the end", e.offset());
    (e.offset(), e.kind().to_string())
}

#[test]
fn unbalanced_parentheses() {
    let (at, msg) = text_err("((@User.a == 1)");
    assert_eq!(at, 15, "{msg}");
    let (_, msg) = text_err("(@User.a == 1))");
    assert!(msg.contains("after"), "{msg}");
    // Inside a descriptor the error points into the whole SDDL string.
    let e = SecurityDescriptor::from_sddl("D:(XA;;FA;;;WD;((@User.a == 1))", None).unwrap_err();
    assert!(e.offset() >= 16, "{e}");
}

#[test]
fn nesting_deeper_than_the_limit() {
    let ok = format!(
        "{}(@User.a == 1){}",
        "(".repeat(MAX_DEPTH - 2),
        ")".repeat(MAX_DEPTH - 2)
    );
    assert!(Expression::from_sddl(&ok, None).is_ok());
    for depth in [MAX_DEPTH + 1, 100_000] {
        let deep = format!("{}(@User.a == 1){}", "(".repeat(depth), ")".repeat(depth));
        let (at, msg) = text_err(&deep);
        assert!(msg.contains("deeper"), "{msg}");
        assert!(at <= MAX_DEPTH + 1, "{at}");
        let nots = format!(
            "({}(@User.a == 1){})",
            "!(".repeat(depth),
            ")".repeat(depth)
        );
        assert!(text_err(&nots).1.contains("deeper"));
        let composites = format!("(@User.a == {}1{})", "{".repeat(depth), "}".repeat(depth));
        assert!(text_err(&composites).1.contains("deeper"));
    }
}

#[test]
fn wrong_literal_types() {
    assert!(text_err("(Member_of {1, 2})").1.contains("SID"));
    assert!(text_err("(Member_of \"x\")").1.contains("SID"));
    assert!(text_err("(@User.a == SID(XX))")
        .1
        .to_lowercase()
        .contains("sid"));
    assert!(text_err("(@User.a == #0g)").1.contains("hex"));
    assert!(text_err("(@User.a == 0x)").1.contains("integer"));
}

#[test]
fn unknown_operators() {
    for t in [
        "(@User.a === 1)",
        "(@User.a => 1)",
        "(@User.a Contain 1)",
        "(Member_off {SID(BA)})",
        "(@User.a <> 1)",
    ] {
        let (at, msg) = text_err(t);
        assert!(at > 0, "{t}: {msg}");
    }
}

#[test]
fn truncated_token_streams() {
    let full = Expression::from_sddl("((@User.dept == \"Sales\") && (Member_of {SID(BA)}))", None)
        .unwrap()
        .encode()
        .unwrap();
    // Every strict prefix that cuts a token is an error; none panics.
    let mut errors = 0;
    for cut in 4..full.len() {
        if let Err(e) = Expression::decode(&full[..cut]) {
            assert!(e.offset() <= cut);
            errors += 1;
        }
    }
    assert!(
        errors > full.len() / 2,
        "most prefixes cut a token: {errors}"
    );
    assert!(bytes_err(b"art").1.contains("artx") || !bytes_err(b"art").1.is_empty());
}

#[test]
fn oversized_composites_and_lengths() {
    // A composite whose length runs past the data.
    let mut b = b"artx".to_vec();
    b.push(0x50);
    b.extend_from_slice(&0xFFFF_FFF0u32.to_le_bytes());
    b.push(0x10);
    let (at, msg) = bytes_err(&b);
    assert_eq!(at, 5, "{msg}");
    // A string whose length runs past the data.
    let mut b = b"artx".to_vec();
    b.push(0x10);
    b.extend_from_slice(&u32::MAX.to_le_bytes());
    assert_eq!(bytes_err(&b).0, 5);
    // A composite too large for an ACE (64 KiB) cannot be encoded.
    let many = (0..20_000)
        .map(|i| i.to_string())
        .collect::<Vec<_>>()
        .join(", ");
    let text = format!("(@User.a Any_of {{{many}}})");
    match Expression::from_sddl(&text, None) {
        Ok(e) => assert!(
            e.encode().is_err(),
            "an oversized composite must not encode"
        ),
        Err(e) => assert!(
            e.to_string().contains("large") || e.to_string().contains("bytes"),
            "{e}"
        ),
    }
}
