//! The self-relative binary form: whatever decodes re-encodes to bytes that
//! decode to the same descriptor (and re-encode to the same bytes), and its
//! printed SDDL, when it prints, parses back to the same descriptor. (An
//! ACL's slack, unused bytes after its ACEs, has no SDDL form and does not
//! change what the descriptor means: the SDDL comparison ignores it.)
#![no_main]

use libfuzzer_sys::fuzz_target;
use secctx::{binary, sddl, SecurityDescriptor, Sid};

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
                without_slack(again),
                without_slack(sd),
                "printed SDDL {printed:?} parses to another descriptor"
            ),
            Err(e) => panic!("printed SDDL {printed:?} does not parse: {e}"),
        }
    }
});

/// `sd` with every ACL's slack set to 0.
fn without_slack(mut sd: SecurityDescriptor) -> SecurityDescriptor {
    for acl in [&mut sd.dacl, &mut sd.sacl].into_iter().flatten() {
        acl.slack = 0;
    }
    sd
}
