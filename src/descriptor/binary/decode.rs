//! Reading the self-relative form (MS-DTYP 2.4.6, 2.4.5, 2.4.4), with the
//! checks of `RtlValidRelativeSecurityDescriptor` and `RtlValidAcl`: every
//! offset and length validated, overlapping parts rejected.

use super::format::{BinaryError, INHERITED_OBJECT_TYPE_PRESENT, OBJECT_TYPE_PRESENT};
use crate::descriptor::ace::{Ace, AceLayout, AceType};
use crate::descriptor::acl::{Acl, AclRevision};
use crate::descriptor::sd::{Control, SecurityDescriptor};
use crate::ids::guid::Guid;
use crate::ids::mask::AccessMask;
use crate::ids::sid::{Sid, SidError};

/// Decodes a self-relative descriptor.
pub fn decode(bytes: &[u8]) -> Result<SecurityDescriptor, BinaryError> {
    if bytes.len() < 20 {
        return Err(BinaryError::Truncated {
            what: "descriptor header",
            offset: 0,
            needed: 20,
            available: bytes.len(),
        });
    }
    // MS-DTYP 2.4.6: Revision MUST be 1.
    if bytes[0] != 1 {
        return Err(BinaryError::Revision { found: bytes[0] });
    }
    let control = Control(u16::from_le_bytes([bytes[2], bytes[3]]));
    if !control.contains(Control::SELF_RELATIVE) {
        return Err(BinaryError::NotSelfRelative { control: control.0 });
    }
    let rd = |at: usize| {
        u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]]) as usize
    };
    let (off_owner, off_group, off_sacl, off_dacl) = (rd(4), rd(8), rd(12), rd(16));
    let check = |field: &'static str, off: usize| -> Result<(), BinaryError> {
        let at = match field {
            "owner" => 4,
            "group" => 8,
            "SACL" => 12,
            _ => 16,
        };
        if off >= bytes.len() {
            Err(BinaryError::OffsetOutOfBounds {
                field,
                at,
                offset: off,
                len: bytes.len(),
            })
        } else if off < 20 {
            Err(BinaryError::OffsetInHeader {
                field,
                at,
                offset: off,
            })
        } else {
            Ok(())
        }
    };

    let mut sd = SecurityDescriptor::new();
    sd.control = control;
    sd.rm_control = bytes[1];
    let mut parts: Vec<(&'static str, usize, usize)> = Vec::with_capacity(4);

    for (field, off, slot) in [("owner", off_owner, 0u8), ("group", off_group, 1u8)] {
        if off == 0 {
            continue;
        }
        check(field, off)?;
        let (sid, used) =
            Sid::from_bytes(&bytes[off..], off).map_err(|source| BinaryError::Sid {
                field: format!("{field} SID at offset {off}"),
                source,
            })?;
        parts.push((field, off, off + used));
        if slot == 0 {
            sd.owner = Some(sid);
        } else {
            sd.group = Some(sid);
        }
    }
    // An ACL is read only when its present bit is set; Windows ignores the
    // offset otherwise (RtlGetDaclSecurityDescriptor). Present with offset 0 is
    // a null ACL.
    if control.contains(Control::SACL_PRESENT) && off_sacl != 0 {
        check("SACL", off_sacl)?;
        let acl = read_acl(bytes, off_sacl, "SACL")?;
        parts.push(("SACL", off_sacl, off_sacl + acl.binary_len()));
        sd.sacl = Some(acl);
    }
    if control.contains(Control::DACL_PRESENT) && off_dacl != 0 {
        check("DACL", off_dacl)?;
        let acl = read_acl(bytes, off_dacl, "DACL")?;
        parts.push(("DACL", off_dacl, off_dacl + acl.binary_len()));
        sd.dacl = Some(acl);
    }
    parts.sort_by_key(|p| (p.1, p.2));
    for w in parts.windows(2) {
        let (a, b) = (w[0], w[1]);
        if b.1 < a.2 {
            return Err(BinaryError::Overlap {
                first: a.0,
                first_start: a.1,
                first_end: a.2,
                second: b.0,
                second_start: b.1,
                second_end: b.2,
            });
        }
    }
    Ok(sd)
}

/// Reads an ACL at `off` (MS-DTYP 2.4.5), with the checks of `RtlValidAcl`:
/// revision 2 to 4, a size of at least 8 that is even and inside the buffer,
/// and every ACE inside that size.
fn read_acl(bytes: &[u8], off: usize, field: &'static str) -> Result<Acl, BinaryError> {
    if bytes.len() - off < 8 {
        return Err(BinaryError::Truncated {
            what: "ACL header",
            offset: off,
            needed: 8,
            available: bytes.len() - off,
        });
    }
    let revision = bytes[off];
    if !(2..=4).contains(&revision) {
        return Err(BinaryError::AclRevision {
            field,
            offset: off,
            revision,
        });
    }
    let size = u16::from_le_bytes([bytes[off + 2], bytes[off + 3]]) as usize;
    let count = u16::from_le_bytes([bytes[off + 4], bytes[off + 5]]) as usize;
    let fail = |reason| BinaryError::AclSize {
        field,
        offset: off,
        size,
        reason,
    };
    if size < 8 {
        return Err(fail("smaller than the 8-byte ACL header"));
    }
    if size % 2 != 0 {
        return Err(fail("not a multiple of 2"));
    }
    if off + size > bytes.len() {
        return Err(fail("runs past the end of the descriptor"));
    }
    let end = off + size;
    let mut p = off + 8;
    // Each ACE takes at least 4 bytes, so a count the size cannot hold is
    // rejected before anything is allocated for it.
    if count > (size - 8) / 4 {
        return Err(fail("too small for its ACE count"));
    }
    let mut aces = Vec::with_capacity(count);
    for index in 0..count {
        let ace = read_ace(bytes, p, end, field, index)?;
        p += ace.1;
        aces.push(ace.0);
    }
    Ok(Acl {
        revision: AclRevision(revision),
        aces,
        slack: (end - p) as u16,
    })
}

/// Reads one ACE at `p`, which must end by `end`. Returns it and its size.
fn read_ace(
    bytes: &[u8],
    p: usize,
    end: usize,
    field: &'static str,
    index: usize,
) -> Result<(Ace, usize), BinaryError> {
    if end - p < 4 {
        return Err(BinaryError::Truncated {
            what: "ACE header",
            offset: p,
            needed: 4,
            available: end - p,
        });
    }
    let ace_type = AceType::from_code(bytes[p]);
    let flags = crate::descriptor::ace::AceFlags(bytes[p + 1]);
    let size = u16::from_le_bytes([bytes[p + 2], bytes[p + 3]]) as usize;
    let bad = |reason: String| BinaryError::AceSize {
        field,
        index,
        offset: p,
        size,
        reason,
    };
    if size < 4 {
        return Err(bad("smaller than the 4-byte ACE header".into()));
    }
    // RtlValidAcl requires ULONG alignment; every Windows writer pads ACEs to
    // a multiple of 4.
    if size % 4 != 0 {
        return Err(bad("not a multiple of 4".into()));
    }
    if size > end - p {
        return Err(bad(format!("runs past the end of the ACL at offset {end}")));
    }
    let body = &bytes[p + 4..p + size];
    let body_at = p + 4;
    let sid_err = |source: SidError, at: usize| BinaryError::Sid {
        field: format!("{field} ACE {index} SID at offset {at}"),
        source,
    };
    let mut ace = Ace {
        ace_type,
        flags,
        mask: AccessMask::NONE,
        object_type: None,
        inherited_object_type: None,
        sid: crate::ids::sid::well_known::NULL,
        application_data: Vec::new(),
    };
    match ace_type.layout() {
        AceLayout::Opaque => ace.application_data = body.to_vec(),
        AceLayout::Basic => {
            if body.len() < 4 {
                return Err(bad("too small for an access mask and SID".into()));
            }
            ace.mask = AccessMask(u32::from_le_bytes([body[0], body[1], body[2], body[3]]));
            let (sid, used) =
                Sid::from_bytes(&body[4..], body_at + 4).map_err(|e| sid_err(e, body_at + 4))?;
            ace.sid = sid;
            ace.application_data = body[4 + used..].to_vec();
        }
        AceLayout::Object => {
            if body.len() < 8 {
                return Err(bad("too small for an object ACE".into()));
            }
            ace.mask = AccessMask(u32::from_le_bytes([body[0], body[1], body[2], body[3]]));
            let oflags = u32::from_le_bytes([body[4], body[5], body[6], body[7]]);
            if oflags & !(OBJECT_TYPE_PRESENT | INHERITED_OBJECT_TYPE_PRESENT) != 0 {
                return Err(BinaryError::ObjectFlags {
                    field,
                    index,
                    offset: p,
                    flags: oflags,
                });
            }
            let mut q = 8;
            let guid = |q: &mut usize| -> Result<Guid, BinaryError> {
                if body.len() < *q + 16 {
                    return Err(bad("too small for its object GUIDs".into()));
                }
                let mut g = [0u8; 16];
                g.copy_from_slice(&body[*q..*q + 16]);
                *q += 16;
                Ok(Guid::from_bytes(g))
            };
            if oflags & OBJECT_TYPE_PRESENT != 0 {
                ace.object_type = Some(guid(&mut q)?);
            }
            if oflags & INHERITED_OBJECT_TYPE_PRESENT != 0 {
                ace.inherited_object_type = Some(guid(&mut q)?);
            }
            let (sid, used) =
                Sid::from_bytes(&body[q..], body_at + q).map_err(|e| sid_err(e, body_at + q))?;
            ace.sid = sid;
            ace.application_data = body[q + used..].to_vec();
        }
    }
    Ok((ace, size))
}

#[cfg(test)]
mod tests {
    use super::super::encode::encode;
    use super::super::text::{from_hex, to_hex};
    use super::*;
    use crate::ids::sid::well_known;

    #[test]
    fn empty_descriptor_is_twenty_bytes() {
        let b = encode(&SecurityDescriptor::new()).unwrap();
        assert_eq!(to_hex(&b), "0100008000000000000000000000000000000000");
        assert_eq!(decode(&b).unwrap(), SecurityDescriptor::new());
    }

    #[test]
    fn rejects_bad_headers() {
        assert!(matches!(
            decode(&[1, 0, 0]),
            Err(BinaryError::Truncated { .. })
        ));
        let mut b = encode(&SecurityDescriptor::new()).unwrap();
        b[0] = 2;
        assert_eq!(decode(&b), Err(BinaryError::Revision { found: 2 }));
        b[0] = 1;
        b[3] = 0;
        assert!(matches!(
            decode(&b),
            Err(BinaryError::NotSelfRelative { .. })
        ));
    }

    #[test]
    fn rejects_offsets_out_of_bounds_in_header_and_overlapping() {
        let mut sd = SecurityDescriptor::new();
        sd.owner = Some(well_known::LOCAL_SYSTEM);
        sd.group = Some(well_known::LOCAL_SYSTEM);
        let good = encode(&sd).unwrap();
        let mut b = good.clone();
        b[4] = 200;
        assert!(matches!(
            decode(&b),
            Err(BinaryError::OffsetOutOfBounds {
                field: "owner",
                offset: 200,
                ..
            })
        ));
        let mut b = good.clone();
        b[4] = 8;
        assert!(matches!(
            decode(&b),
            Err(BinaryError::OffsetInHeader {
                field: "owner",
                at: 4,
                offset: 8
            })
        ));
        let mut b = good.clone();
        b[8] = 20; // group shares the owner's bytes
        assert!(matches!(decode(&b), Err(BinaryError::Overlap { .. })));
    }

    #[test]
    fn rejects_ace_size_smaller_than_header_and_acl_past_end() {
        let mut sd = SecurityDescriptor::new();
        sd.set_dacl(Acl::new(vec![Ace::allow(well_known::WORLD, AccessMask(1))]));
        let good = encode(&sd).unwrap();
        // ACE header is at 20 + 8; its size field at +2.
        let mut b = good.clone();
        b[30] = 2;
        b[31] = 0;
        assert!(matches!(
            decode(&b),
            Err(BinaryError::AceSize { size: 2, .. })
        ));
        let mut b = good.clone();
        b[22] = 0xFF; // ACL size 0x..FF, past the end
        assert!(matches!(decode(&b), Err(BinaryError::AclSize { .. })));
        let mut b = good;
        b[24] = 0xFF; // ACE count far above what the size holds
        b[25] = 0xFF;
        assert!(matches!(decode(&b), Err(BinaryError::AclSize { .. })));
    }

    #[test]
    fn keeps_unknown_ace_types_opaque() {
        let mut sd = SecurityDescriptor::new();
        let ace = Ace {
            ace_type: AceType::Unknown(0x40),
            flags: crate::descriptor::ace::AceFlags(0),
            mask: AccessMask::NONE,
            object_type: None,
            inherited_object_type: None,
            sid: well_known::NULL,
            application_data: vec![1, 2, 3, 4],
        };
        sd.set_dacl(Acl::new(vec![ace]));
        let b = encode(&sd).unwrap();
        assert_eq!(decode(&b).unwrap(), sd);
    }

    /// A descriptor holding only a DACL at offset 20 whose ACL bytes are
    /// `acl` (hex).
    fn dacl_only(acl: &str) -> Vec<u8> {
        let mut b = from_hex("0100048000000000000000000000000014000000").unwrap();
        b.extend(from_hex(acl).unwrap());
        b
    }

    /// `(A;;FA;;;WD)`: 20 bytes.
    const ALLOW_WD: &str = "00001400ff011f00010100000000000100000000";

    #[test]
    fn an_offset_equal_to_the_length_is_past_the_end() {
        // The first byte past the buffer is out of bounds, not an empty SID.
        let mut b = encode(&SecurityDescriptor::new()).unwrap();
        b[4] = 20;
        assert_eq!(
            decode(&b),
            Err(BinaryError::OffsetOutOfBounds {
                field: "owner",
                at: 4,
                offset: 20,
                len: 20
            })
        );
    }

    #[test]
    fn each_offset_error_names_its_header_field() {
        let mut sd = SecurityDescriptor::new();
        sd.owner = Some(well_known::LOCAL_SYSTEM);
        sd.group = Some(well_known::LOCAL_SYSTEM);
        sd.set_dacl(Acl::empty());
        sd.sacl = Some(Acl::empty());
        sd.control.set(Control::SACL_PRESENT, true);
        let good = encode(&sd).unwrap();
        for (at, field) in [(4, "owner"), (8, "group"), (12, "SACL"), (16, "DACL")] {
            let mut b = good.clone();
            b[at] = 19;
            assert_eq!(
                decode(&b),
                Err(BinaryError::OffsetInHeader {
                    field,
                    at,
                    offset: 19
                })
            );
        }
    }

    /// RtlGetDaclSecurityDescriptor: the offset counts only with
    /// SE_DACL_PRESENT; present with offset 0 is a null DACL.
    #[test]
    fn the_present_bit_decides_whether_an_acl_offset_is_read() {
        let mut b = dacl_only("0200080000000000");
        b[2] = 0; // SE_DACL_PRESENT clear: the offset is ignored
        let sd = decode(&b).unwrap();
        assert_eq!((sd.dacl, sd.control), (None, Control(0x8000)));
        let b = from_hex("0100048000000000000000000000000000000000").unwrap();
        let sd = decode(&b).unwrap();
        assert_eq!((sd.dacl, sd.control), (None, Control(0x8004)));
        // The same for the SACL (present bit 0x10, offset at byte 12).
        let b = from_hex(
            "0100108000000000000000001400000000000000020008000000 0000"
                .replace(' ', "")
                .as_str(),
        )
        .unwrap();
        assert_eq!(decode(&b).unwrap().sacl, Some(Acl::empty()));
        let mut b = b;
        b[2] = 0;
        assert_eq!(decode(&b).unwrap().sacl, None);
    }

    #[test]
    fn an_ace_count_one_past_what_the_size_holds_is_refused_up_front() {
        // Size 8 holds no ACE: count 1 is refused before any ACE is read.
        assert!(matches!(
            decode(&dacl_only("0200080001000000")),
            Err(BinaryError::AclSize {
                reason: "too small for its ACE count",
                ..
            })
        ));
        // Size 12 holds one 4-byte ACE at most: count 2 is refused too.
        assert!(matches!(
            decode(&dacl_only("02000c000200000040000400")),
            Err(BinaryError::AclSize {
                reason: "too small for its ACE count",
                ..
            })
        ));
        // Size 28 could hold 5 minimal ACEs; a count of 2 with one ACE
        // there runs out at the second header.
        assert_eq!(
            decode(&dacl_only(&format!("02001c0002000000{ALLOW_WD}"))),
            Err(BinaryError::Truncated {
                what: "ACE header",
                offset: 48,
                needed: 4,
                available: 0
            })
        );
    }

    #[test]
    fn ace_sizes_must_be_aligned_fit_and_hold_their_parts() {
        let reason = |acl: &str| match decode(&dacl_only(acl)) {
            Err(BinaryError::AceSize { reason, .. }) => reason,
            other => panic!("{other:?}"),
        };
        // AceSize 22: ACL size 32 is even, the ACE is not ULONG-aligned.
        assert_eq!(
            reason(&format!(
                "0200200001000000{}{}",
                "00001600ff011f00010100000000000100000000", "00000000"
            )),
            "not a multiple of 4"
        );
        // AceSize 24 in an ACL with room for 20.
        assert_eq!(
            reason("02001c000100000000001800ff011f00010100000000000100000000"),
            "runs past the end of the ACL at offset 48"
        );
        // An allow ACE of 4 bytes: no mask, no SID.
        assert_eq!(
            reason("02000c000100000000000400"),
            "too small for an access mask and SID"
        );
        // An object ACE of 8 bytes: a mask, no object flags.
        assert_eq!(
            reason("0400100001000000050008000100000000000000"),
            "too small for an object ACE"
        );
        // Object flags saying a GUID follows, and no room for it.
        assert_eq!(
            reason("04001c00010000000500140001000000010000000101000000000001"),
            "too small for its object GUIDs"
        );
    }

    #[test]
    fn object_flags_beyond_the_two_guids_are_refused() {
        assert!(matches!(
            decode(&dacl_only(
                "040020000100000005001800010000000400000001010000000000010000 0000"
                    .replace(' ', "")
                    .as_str()
            )),
            Err(BinaryError::ObjectFlags { flags: 4, .. })
        ));
    }

    #[test]
    fn a_four_byte_ace_of_an_unknown_type_ends_an_acl() {
        // The header alone, the last 4 bytes of the ACL.
        let b = dacl_only("02000c00010000004000 0400".replace(' ', "").as_str());
        let sd = decode(&b).unwrap();
        let ace = &sd.dacl.as_ref().unwrap().aces[0];
        assert_eq!(
            (ace.ace_type, ace.application_data.len()),
            (AceType::Unknown(0x40), 0)
        );
        assert_eq!(encode(&sd).unwrap(), b);
    }
}
