//! The self-relative binary form: whatever decodes re-encodes to bytes that
//! decode to the same descriptor (and re-encode to the same bytes), and its
//! printed SDDL, when it prints, parses back to the part of the descriptor
//! SDDL carries (`sddl::carried_part`: no control bit without an SDDL code,
//! no slack or revision the ACEs do not call for, no bytes after a plain
//! ACE's body, 64-bit condition integers).
#![no_main]

use libfuzzer_sys::fuzz_target;
use secctx::{binary, sddl, Sid};

fuzz_target!(|data: &[u8]| {
    let Ok(sd) = binary::decode(data) else {
        return;
    };
    if let Ok(bytes) = binary::encode(&sd) {
        let back = binary::decode(&bytes)
            .unwrap_or_else(|e| panic!("re-encoded bytes do not decode: {e}"));
        assert_eq!(back, sd, "decode(encode(decode(b))) != decode(b)");
        let again = binary::encode(&back).ok();
        assert_eq!(
            again.as_deref(),
            Some(bytes.as_slice()),
            "encoding is not stable"
        );
    }
    let domain = Sid::parse_sddl("S-1-5-21-1-2-3", None).ok();
    let domain = domain.as_ref();
    if let Ok(printed) = sddl::print(&sd, domain) {
        match sddl::parse(&printed, domain) {
            Ok(again) => assert_eq!(
                again,
                sddl::carried_part(&sd),
                "printed SDDL {printed:?} parses to another descriptor"
            ),
            Err(e) => panic!("printed SDDL {printed:?} does not parse: {e}"),
        }
    }
});
