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
    use super::super::text::to_hex;
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
}
