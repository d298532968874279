//! SDDL text: whatever parses prints to text that parses back to the part of
//! the descriptor SDDL carries (`sddl::carried_part`: an object ACE given
//! without GUIDs is written plain with slack, as Windows does, and prints
//! plain), and the descriptor round-trips through the binary form.
#![no_main]

use libfuzzer_sys::fuzz_target;
use secctx::{binary, sddl, Sid};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let domain = Sid::parse_sddl("S-1-5-21-1-2-3", None).ok();
    let domain = domain.as_ref();
    let Ok(sd) = sddl::parse(text, domain) else {
        return;
    };
    if let Ok(printed) = sddl::print(&sd, domain) {
        match sddl::parse(&printed, domain) {
            Ok(again) => assert_eq!(
                again,
                sddl::carried_part(&sd),
                "print then parse changed the descriptor: {text:?} printed {printed:?}"
            ),
            Err(e) => panic!("printed SDDL does not parse: {text:?} printed {printed:?}: {e}"),
        }
        // Printing is a function of the descriptor: printing twice agrees.
        assert_eq!(
            sddl::print(&sd, domain).ok().as_deref(),
            Some(printed.as_str())
        );
    }
    if let Ok(bytes) = binary::encode(&sd) {
        match binary::decode(&bytes) {
            Ok(back) => assert_eq!(back, sd, "binary round trip changed {text:?}"),
            Err(e) => panic!("encoded descriptor does not decode: {text:?}: {e}"),
        }
    }
});
