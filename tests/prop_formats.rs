//! Properties of the SDDL, binary and conditional-expression formats.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::*;
use proptest::prelude::*;
use secctx::{binary, sddl, Expression};

proptest! {
    #![proptest_config(cases(256))]

    /// parse(print(sd)) == sd for every descriptor SDDL can express.
    #[test]
    fn sddl_parse_of_print_is_identity(sd in sddl_descriptor()) {
        let d = domain();
        let text = sddl::print(&sd, Some(&d)).unwrap();
        let back = sddl::parse(&text, Some(&d)).unwrap();
        prop_assert_eq!(back, sd, "{}", text);
    }

    /// print(parse(x)) is stable: printing the parse of a canonical string
    /// gives the same string.
    #[test]
    fn sddl_print_of_parse_is_stable(sd in sddl_descriptor()) {
        let d = domain();
        let once = sddl::print(&sd, Some(&d)).unwrap();
        let twice = sddl::print(&sddl::parse(&once, Some(&d)).unwrap(), Some(&d)).unwrap();
        prop_assert_eq!(once, twice);
    }

    /// decode(encode(sd)) == sd for every descriptor the binary form holds,
    /// including opaque ACE types, slack and every control bit.
    #[test]
    fn binary_decode_of_encode_is_identity(sd in binary_descriptor()) {
        let bytes = binary::encode(&sd).unwrap();
        prop_assert_eq!(binary::decode(&bytes).unwrap(), sd);
    }

    /// Encoding what SDDL parsed and decoding it again gives the same
    /// descriptor and prints the same SDDL.
    #[test]
    fn sddl_and_binary_agree(sd in sddl_descriptor()) {
        let d = domain();
        let bytes = binary::encode(&sd).unwrap();
        let back = binary::decode(&bytes).unwrap();
        prop_assert_eq!(sddl::print(&back, Some(&d)).unwrap(), sddl::print(&sd, Some(&d)).unwrap());
    }

    /// Arbitrary text never panics the SDDL parser, and any error points
    /// inside (or just past) the input.
    #[test]
    fn sddl_arbitrary_text_never_panics_and_errors_are_in_range(s in ".{0,80}") {
        if let Err(e) = sddl::parse(&s, Some(&domain())) {
            prop_assert!(e.offset() <= s.len(), "offset {} for {:?}", e.offset(), s);
        }
    }

    /// Mutations of valid SDDL never panic the parser; errors stay in range.
    #[test]
    fn sddl_mutated_text_never_panics(sd in sddl_descriptor(), at in any::<prop::sample::Index>(), c in any::<char>(), cut in any::<bool>()) {
        let d = domain();
        let mut text = sddl::print(&sd, Some(&d)).unwrap();
        if !text.is_empty() {
            let mut i = at.index(text.len());
            while !text.is_char_boundary(i) { i -= 1; }
            if cut { text.truncate(i) } else { text.insert(i, c) }
        }
        match sddl::parse(&text, Some(&d)) {
            Ok(parsed) => { sddl::print(&parsed, Some(&d)).ok(); }
            Err(e) => prop_assert!(e.offset() <= text.len()),
        }
    }

    /// Arbitrary bytes never panic the decoder; errors point inside the input.
    #[test]
    fn binary_arbitrary_bytes_never_panic(b in proptest::collection::vec(any::<u8>(), 0..200)) {
        if let Err(e) = binary::decode(&b) {
            if let Some(o) = e.offset() { prop_assert!(o <= b.len().max(20)); }
        }
    }

    /// Corrupting one byte of a valid encoding never panics the decoder, and
    /// whatever decodes re-encodes and decodes to the same descriptor.
    #[test]
    fn binary_corrupted_bytes_never_panic(sd in binary_descriptor(), at in any::<prop::sample::Index>(), v in any::<u8>()) {
        let mut b = binary::encode(&sd).unwrap();
        let i = at.index(b.len());
        b[i] = v;
        if let Ok(parsed) = binary::decode(&b) {
            let again = binary::encode(&parsed).unwrap();
            prop_assert_eq!(binary::decode(&again).unwrap(), parsed);
        }
    }

    /// print(parse(expr)) is stable for conditional expressions.
    #[test]
    fn condition_print_of_parse_is_stable(e in expression()) {
        let d = domain();
        let text = e.to_sddl(Some(&d)).unwrap();
        let parsed = Expression::from_sddl(&text, Some(&d)).unwrap();
        prop_assert_eq!(&parsed, &e, "{}", text);
        prop_assert_eq!(parsed.to_sddl(Some(&d)).unwrap(), text);
    }

    /// decode(encode(expr)) == expr for conditional expressions.
    #[test]
    fn condition_decode_of_encode_is_identity(e in expression()) {
        let bytes = e.encode().unwrap();
        prop_assert_eq!(bytes.len() % 4, 0);
        prop_assert_eq!(Expression::decode(&bytes).unwrap(), e);
    }

    /// Arbitrary condition text and bytes never panic; errors stay in range.
    #[test]
    fn condition_arbitrary_input_never_panics(s in "\\(.{0,60}", b in proptest::collection::vec(any::<u8>(), 0..64)) {
        if let Err(e) = Expression::from_sddl(&s, None) { prop_assert!(e.offset() <= s.len()); }
        let mut blob = b"artx".to_vec();
        blob.extend_from_slice(&b);
        if let Ok(e) = Expression::decode(&blob) { e.to_sddl(None).ok(); }
    }

    /// Whatever prints, parses back to the same expression: over any tree
    /// (including shapes SDDL cannot write) and any decodable stream, the
    /// printer either refuses or writes text that reads back unchanged.
    #[test]
    fn condition_whatever_prints_parses_back(
        tokens in any_tree(3),
        b in proptest::collection::vec(any::<u8>(), 0..48),
    ) {
        let d = domain();
        let mut blob = b"artx".to_vec();
        blob.extend_from_slice(&b);
        let decoded = Expression::decode(&blob).ok();
        for e in std::iter::once(Expression { tokens }).chain(decoded) {
            if let Ok(text) = e.to_sddl(Some(&d)) {
                let back = Expression::from_sddl(&text, Some(&d));
                prop_assert_eq!(back.as_ref(), Ok(&e), "{}", text);
            }
        }
    }

    /// Whatever prints, parses back to the part of the descriptor SDDL
    /// carries (`sddl::carried_part`: the payload re-encoded), for resource
    /// attribute ACEs with any trustee, flags and name. A name written with
    /// a NUL inside (`"a\0"`) reads as `a` in the binary form, which ends
    /// the name at the first NUL, so it prints as `"a"` and comes back in
    /// the canonical layout.
    #[test]
    fn resource_attribute_whatever_prints_parses_back(
        c in claim(),
        flags in any::<u32>(),
        name in "[a\0]{0,2}",
        trustee in sid(),
        odd in any::<bool>(),
    ) {
        let d = domain();
        let mut c = c;
        if odd {
            c.flags = flags;
            c.name = name;
        }
        let mut sd = sddl::parse("S:(RA;;;;;WD;(\"x\",TI,0x0,1))", Some(&d)).unwrap();
        let ace = &mut sd.sacl.as_mut().unwrap().aces[0];
        ace.sid = trustee;
        ace.application_data = c.encode_relative().unwrap();
        if let Ok(text) = sddl::print(&sd, Some(&d)) {
            prop_assert_eq!(
                sddl::parse(&text, Some(&d)).unwrap(),
                sddl::carried_part(&sd),
                "{}",
                text
            );
        }
    }
}
