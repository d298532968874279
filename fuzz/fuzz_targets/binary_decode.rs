//! The self-relative binary form, with what round-trips stated exactly.
//!
//! 1. Binary → binary keeps what the bytes say: whatever decodes re-encodes
//!    to bytes that decode to the same descriptor and re-encode to the same
//!    bytes; the owner and group SIDs and every present ACL come back byte
//!    for byte (revision, size, slack, every ACE with any bytes after its
//!    SID), except the ACL header's two reserved fields (`Sbz1`, `Sbz2`)
//!    and the content of an ACL's slack (its length is kept), which the
//!    model does not keep and writes back as zeros. (Where the parts
//!    sit, and bytes outside every part, are layout, not content: encode
//!    writes Windows' order with no gaps.)
//! 2. Binary → SDDL → binary keeps exactly what SDDL carries: when the
//!    descriptor prints, the text parses back to `sddl::carried_part(sd)`,
//!    which drops only what the SDDL grammar has no token for (the ACL
//!    revision, slack, bytes after a plain ACE's SID, the control bits other
//!    than present/P/AR/AI of a present ACL, the resource-manager byte);
//!    Windows' own converters lose the same (see `carried_part`'s rustdoc).
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
        for part in Part::ALL {
            assert_eq!(
                part.bytes(&bytes),
                part.bytes(data),
                "the {} does not come back byte for byte",
                part.name()
            );
        }
    }
    let domain = Sid::parse_sddl("S-1-5-21-1-2-3", None).ok();
    let domain = domain.as_ref();
    if let Ok(printed) = sddl::print(&sd, domain) {
        match sddl::parse(&printed, domain) {
            Ok(again) => assert_eq!(
                again,
                sddl::carried_part(&sd),
                "printed SDDL {printed:?} parses to more or less than SDDL carries"
            ),
            Err(e) => panic!("printed SDDL {printed:?} does not parse: {e}"),
        }
    }
});

/// A part of a self-relative descriptor that decode keeps byte for byte.
#[derive(Clone, Copy)]
enum Part {
    Owner,
    Group,
    Sacl,
    Dacl,
}

impl Part {
    const ALL: [Part; 4] = [Part::Owner, Part::Group, Part::Sacl, Part::Dacl];

    fn name(self) -> &'static str {
        match self {
            Part::Owner => "owner",
            Part::Group => "group",
            Part::Sacl => "SACL",
            Part::Dacl => "DACL",
        }
    }

    /// The part's bytes in `sd` (an input that decoded, or its encoding),
    /// ACL reserved fields and slack zeroed; `None` when the part is absent.
    fn bytes(self, sd: &[u8]) -> Option<Vec<u8>> {
        let u16_at = |at: usize| usize::from(u16::from_le_bytes([sd[at], sd[at + 1]]));
        let control = u16_at(2);
        let (field, present_bit) = match self {
            Part::Owner => (4, None),
            Part::Group => (8, None),
            Part::Sacl => (12, Some(0x0010)),
            Part::Dacl => (16, Some(0x0004)),
        };
        if present_bit.is_some_and(|bit| control & bit == 0) {
            return None;
        }
        let off = u32::from_le_bytes([sd[field], sd[field + 1], sd[field + 2], sd[field + 3]]);
        let off = off as usize;
        if off == 0 {
            return None;
        }
        let len = match present_bit {
            None => 8 + 4 * usize::from(sd[off + 1]),
            Some(_) => u16_at(off + 2),
        };
        let mut part = sd[off..off + len].to_vec();
        if present_bit.is_some() {
            part[1] = 0;
            part[6] = 0;
            part[7] = 0;
            // The slack's length is kept, its content is not: zero it.
            let count = usize::from(u16::from_le_bytes([part[4], part[5]]));
            let mut end = 8;
            for _ in 0..count {
                end += usize::from(u16::from_le_bytes([part[end + 2], part[end + 3]]));
            }
            part[end..].fill(0);
        }
        Some(part)
    }
}
