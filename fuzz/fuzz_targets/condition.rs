//! Conditional expressions (MS-DTYP 2.4.4.17), in text and in binary: for
//! every expression read, parse(print(e)) == e.with_sddl_widths() wherever
//! printing succeeds (SDDL writes no integer width), and
//! decode(encode(e)) == e wherever encoding succeeds.
//!
//! The first byte chooses the form: even for SDDL text, odd for the binary
//! application data (the `artx` signature is added when missing, so that
//! the fuzzer need not find it).
#![no_main]

use libfuzzer_sys::fuzz_target;
use secctx::{Expression, Sid};

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let domain = Sid::parse_sddl("S-1-5-21-1-2-3", None).ok();
    let domain = domain.as_ref();
    let e = if mode & 1 == 0 {
        let Ok(text) = std::str::from_utf8(rest) else {
            return;
        };
        match Expression::from_sddl(text, domain) {
            Ok(e) => e,
            Err(_) => return,
        }
    } else {
        let mut bytes = rest.to_vec();
        if !bytes.starts_with(b"artx") {
            bytes.splice(0..0, *b"artx");
        }
        match Expression::decode(&bytes) {
            Ok(e) => e,
            Err(_) => return,
        }
    };
    if let Ok(printed) = e.to_sddl(domain) {
        match Expression::from_sddl(&printed, domain) {
            Ok(again) => assert_eq!(
                again,
                e.with_sddl_widths(),
                "printed {printed:?} parses to another expression"
            ),
            Err(err) => panic!("printed {printed:?} does not parse: {err}"),
        }
    }
    if let Ok(bytes) = e.encode() {
        match Expression::decode(&bytes) {
            Ok(again) => assert_eq!(again, e, "binary round trip changed the expression"),
            Err(err) => panic!("encoded expression does not decode: {err}"),
        }
    }
});
