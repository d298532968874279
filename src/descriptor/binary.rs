//! The self-relative binary form of a security descriptor (MS-DTYP 2.4.6).
//!
//! Layout: a 20-byte header (revision, `Sbz1`, control, four offsets), then
//! the SACL, DACL, owner and group, in that order, as Windows'
//! `RtlMakeSelfRelativeSD` writes them (checked against every `sddl_to_bytes`
//! conformance vector). Decoding validates every offset and length and
//! rejects parts that overlap the header or each other.

use crate::descriptor::ace::{Ace, AceLayout, AceType};
use crate::descriptor::acl::{Acl, AclRevision};
use crate::descriptor::sd::{Control, SecurityDescriptor};
use crate::ids::guid::Guid;
use crate::ids::mask::AccessMask;
use crate::ids::sid::{Sid, SidError};

/// `ACE_OBJECT_TYPE_PRESENT` (MS-DTYP 2.4.4.3).
const OBJECT_TYPE_PRESENT: u32 = 0x1;
/// `ACE_INHERITED_OBJECT_TYPE_PRESENT`.
const INHERITED_OBJECT_TYPE_PRESENT: u32 = 0x2;

/// Binary data that is not a valid self-relative descriptor, or a descriptor
/// too large for the binary format. Offsets are in bytes from the start of the
/// descriptor.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum BinaryError {
    /// Fewer bytes than a structure needs.
    #[error("{what} at offset {offset} needs {needed} bytes but only {available} remain")]
    Truncated {
        /// What was being read.
        what: &'static str,
        /// Where it starts.
        offset: usize,
        /// Bytes it needs.
        needed: usize,
        /// Bytes available.
        available: usize,
    },
    /// The descriptor revision is not 1.
    #[error("descriptor revision must be 1, found {found} at offset 0")]
    Revision {
        /// The revision byte.
        found: u8,
    },
    /// `SE_SELF_RELATIVE` is clear.
    #[error("control 0x{control:04x} at offset 2 lacks SE_SELF_RELATIVE (0x8000); only self-relative descriptors can be decoded")]
    NotSelfRelative {
        /// The control field.
        control: u16,
    },
    /// An offset points outside the buffer.
    #[error(
        "{field} offset {offset} (header byte {at}) is past the end of the {len}-byte descriptor"
    )]
    OffsetOutOfBounds {
        /// Which part.
        field: &'static str,
        /// Where the offset field is in the header.
        at: usize,
        /// The offset.
        offset: usize,
        /// The buffer length.
        len: usize,
    },
    /// An offset points into the 20-byte header.
    #[error("{field} offset {offset} (header byte {at}) points into the 20-byte header")]
    OffsetInHeader {
        /// Which part.
        field: &'static str,
        /// Where the offset field is in the header.
        at: usize,
        /// The offset.
        offset: usize,
    },
    /// Two parts share bytes.
    #[error("{first} (bytes {first_start}..{first_end}) overlaps {second} (bytes {second_start}..{second_end})")]
    Overlap {
        /// The earlier part.
        first: &'static str,
        /// Its start.
        first_start: usize,
        /// Its end.
        first_end: usize,
        /// The later part.
        second: &'static str,
        /// Its start.
        second_start: usize,
        /// Its end.
        second_end: usize,
    },
    /// A SID is malformed.
    #[error("{field}: {source}")]
    Sid {
        /// Where the SID is.
        field: String,
        /// What is wrong with it.
        source: SidError,
    },
    /// An ACL revision other than 2, 3 or 4.
    #[error("{field} at offset {offset} has revision {revision}; expected 2, 3 or 4")]
    AclRevision {
        /// Which ACL.
        field: &'static str,
        /// Where it starts.
        offset: usize,
        /// The revision byte.
        revision: u8,
    },
    /// An ACL size field that cannot be right.
    #[error("{field} at offset {offset} has size {size}: {reason}")]
    AclSize {
        /// Which ACL.
        field: &'static str,
        /// Where it starts.
        offset: usize,
        /// The size field.
        size: usize,
        /// Why it is wrong.
        reason: &'static str,
    },
    /// An ACE size field that cannot be right.
    #[error("{field} ACE {index} at offset {offset} has size {size}: {reason}")]
    AceSize {
        /// Which ACL.
        field: &'static str,
        /// ACE index in the ACL.
        index: usize,
        /// Where the ACE starts.
        offset: usize,
        /// The size field.
        size: usize,
        /// Why it is wrong.
        reason: String,
    },
    /// Object ACE flags with bits secctx cannot keep.
    #[error("{field} ACE {index} at offset {offset} has unknown object flags 0x{flags:x}; only 0x1 and 0x2 are defined")]
    ObjectFlags {
        /// Which ACL.
        field: &'static str,
        /// ACE index.
        index: usize,
        /// Where the ACE starts.
        offset: usize,
        /// The flags field.
        flags: u32,
    },
    /// An ACL whose binary form exceeds the 16-bit size field.
    #[error("{field} needs {size} bytes; an ACL holds at most 65535")]
    AclTooLarge {
        /// Which ACL.
        field: &'static str,
        /// Bytes it would need.
        size: usize,
    },
    /// An ACE whose binary form exceeds the 16-bit size field.
    #[error("{field} ACE {index} needs {size} bytes; an ACE holds at most 65535")]
    AceTooLarge {
        /// Which ACL.
        field: &'static str,
        /// ACE index.
        index: usize,
        /// Bytes it would need.
        size: usize,
    },
    /// More ACEs than the 16-bit count allows.
    #[error("{field} holds {count} ACEs; at most 65535 fit")]
    TooManyAces {
        /// Which ACL.
        field: &'static str,
        /// The count.
        count: usize,
    },
    /// Hex text that is not hex.
    #[error("invalid hex at offset {offset}: {reason}")]
    Hex {
        /// Character offset in the hex text.
        offset: usize,
        /// What is wrong.
        reason: &'static str,
    },
    /// Base64 text that is not base64.
    #[error("invalid base64 at offset {offset}: {reason}")]
    Base64 {
        /// Character offset in the base64 text.
        offset: usize,
        /// What is wrong.
        reason: &'static str,
    },
}

impl BinaryError {
    /// The byte offset the error refers to, when there is one.
    pub fn offset(&self) -> Option<usize> {
        match self {
            BinaryError::OffsetOutOfBounds { at, .. } | BinaryError::OffsetInHeader { at, .. } => {
                Some(*at)
            }
            BinaryError::Truncated { offset, .. }
            | BinaryError::AclRevision { offset, .. }
            | BinaryError::AclSize { offset, .. }
            | BinaryError::AceSize { offset, .. }
            | BinaryError::ObjectFlags { offset, .. }
            | BinaryError::Hex { offset, .. }
            | BinaryError::Base64 { offset, .. } => Some(*offset),
            BinaryError::Revision { .. } => Some(0),
            BinaryError::NotSelfRelative { .. } => Some(2),
            BinaryError::Overlap { second_start, .. } => Some(*second_start),
            BinaryError::Sid {
                source:
                    SidError::Truncated { offset, .. }
                    | SidError::BinaryRevision { offset, .. }
                    | SidError::BinaryCount { offset, .. },
                ..
            } => Some(*offset),
            _ => None,
        }
    }
}

/// Encodes `sd` in self-relative form, byte for byte as Windows writes it.
pub fn encode(sd: &SecurityDescriptor) -> Result<Vec<u8>, BinaryError> {
    let mut control = sd.control;
    control.set(Control::SELF_RELATIVE, true);
    if sd.dacl.is_some() {
        control.set(Control::DACL_PRESENT, true);
    }
    if sd.sacl.is_some() {
        control.set(Control::SACL_PRESENT, true);
    }
    let mut out = vec![0u8; 20];
    out[0] = 1;
    out[1] = sd.rm_control;
    out[2..4].copy_from_slice(&control.0.to_le_bytes());
    let put_offset = |out: &mut Vec<u8>, at: usize| {
        let off = out.len() as u32;
        out[at..at + 4].copy_from_slice(&off.to_le_bytes());
    };
    if let Some(sacl) = &sd.sacl {
        put_offset(&mut out, 12);
        write_acl(&mut out, sacl, "SACL")?;
    }
    if let Some(dacl) = &sd.dacl {
        put_offset(&mut out, 16);
        write_acl(&mut out, dacl, "DACL")?;
    }
    if let Some(owner) = &sd.owner {
        put_offset(&mut out, 4);
        owner.write_bytes(&mut out);
    }
    if let Some(group) = &sd.group {
        put_offset(&mut out, 8);
        group.write_bytes(&mut out);
    }
    Ok(out)
}

/// Appends one ACL.
fn write_acl(out: &mut Vec<u8>, acl: &Acl, field: &'static str) -> Result<(), BinaryError> {
    let size = acl.binary_len();
    if size > u16::MAX as usize {
        return Err(BinaryError::AclTooLarge { field, size });
    }
    if acl.aces.len() > u16::MAX as usize {
        return Err(BinaryError::TooManyAces {
            field,
            count: acl.aces.len(),
        });
    }
    out.push(acl.revision.0);
    out.push(0);
    out.extend_from_slice(&(size as u16).to_le_bytes());
    out.extend_from_slice(&(acl.aces.len() as u16).to_le_bytes());
    out.extend_from_slice(&[0, 0]);
    for (index, ace) in acl.aces.iter().enumerate() {
        write_ace(out, ace, field, index)?;
    }
    out.resize(out.len() + acl.slack as usize, 0);
    Ok(())
}

/// Appends one ACE, padded with zeros to a multiple of 4 bytes.
pub(crate) fn write_ace(
    out: &mut Vec<u8>,
    ace: &Ace,
    field: &'static str,
    index: usize,
) -> Result<(), BinaryError> {
    let size = ace.binary_len();
    if size > u16::MAX as usize {
        return Err(BinaryError::AceTooLarge { field, index, size });
    }
    let start = out.len();
    out.push(ace.ace_type.code());
    out.push(ace.flags.0);
    out.extend_from_slice(&(size as u16).to_le_bytes());
    match ace.ace_type.layout() {
        AceLayout::Basic => {
            out.extend_from_slice(&ace.mask.0.to_le_bytes());
            ace.sid.write_bytes(out);
        }
        AceLayout::Object => {
            out.extend_from_slice(&ace.mask.0.to_le_bytes());
            let mut flags = 0u32;
            if ace.object_type.is_some() {
                flags |= OBJECT_TYPE_PRESENT;
            }
            if ace.inherited_object_type.is_some() {
                flags |= INHERITED_OBJECT_TYPE_PRESENT;
            }
            out.extend_from_slice(&flags.to_le_bytes());
            if let Some(g) = ace.object_type {
                out.extend_from_slice(&g.to_bytes());
            }
            if let Some(g) = ace.inherited_object_type {
                out.extend_from_slice(&g.to_bytes());
            }
            ace.sid.write_bytes(out);
        }
        AceLayout::Opaque => {}
    }
    out.extend_from_slice(&ace.application_data);
    out.resize(start + size, 0);
    Ok(())
}

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

/// Lowercase hex of `bytes`.
pub fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

/// Bytes from hex text (either case). Whitespace is not allowed.
pub fn from_hex(text: &str) -> Result<Vec<u8>, BinaryError> {
    let b = text.as_bytes();
    if b.len() % 2 != 0 {
        return Err(BinaryError::Hex {
            offset: b.len(),
            reason: "odd number of hex digits",
        });
    }
    let nib = |i: usize| -> Result<u8, BinaryError> {
        match b[i] {
            c @ b'0'..=b'9' => Ok(c - b'0'),
            c @ b'a'..=b'f' => Ok(c - b'a' + 10),
            c @ b'A'..=b'F' => Ok(c - b'A' + 10),
            _ => Err(BinaryError::Hex {
                offset: i,
                reason: "expected a hex digit",
            }),
        }
    };
    (0..b.len() / 2)
        .map(|i| Ok((nib(2 * i)? << 4) | nib(2 * i + 1)?))
        .collect()
}

/// Bytes from standard base64 (RFC 4648, `+/`, `=` padding optional), as
/// LDAP tools print `nTSecurityDescriptor`. Whitespace and line breaks are
/// skipped.
pub fn from_base64(text: &str) -> Result<Vec<u8>, BinaryError> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let mut acc = 0u32;
    let mut bits = 0u32;
    let mut padding = 0usize;
    for (i, c) in text.bytes().enumerate() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => {
                padding += 1;
                continue;
            }
            b' ' | b'\t' | b'\r' | b'\n' => continue,
            _ => {
                return Err(BinaryError::Base64 {
                    offset: i,
                    reason: "expected a base64 character",
                })
            }
        };
        if padding > 0 {
            return Err(BinaryError::Base64 {
                offset: i,
                reason: "data after `=` padding",
            });
        }
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    if bits >= 6 || padding > 2 {
        return Err(BinaryError::Base64 {
            offset: text.len(),
            reason: "truncated base64",
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::sid::well_known;

    #[test]
    fn base64_decodes_rfc4648_vectors() {
        // RFC 4648 section 10.
        for (text, bytes) in [
            ("", &b""[..]),
            ("Zg==", b"f"),
            ("Zm8=", b"fo"),
            ("Zm9v", b"foo"),
            ("Zm9vYg==", b"foob"),
            ("Zm9vYmE=", b"fooba"),
            ("Zm9vYmFy", b"foobar"),
            ("Zm9v\nYmFy", b"foobar"),
        ] {
            assert_eq!(from_base64(text).unwrap(), bytes, "{text}");
        }
        assert_eq!(from_base64("Zm9v!").unwrap_err().offset(), Some(4));
        assert!(from_base64("Zg==Zg").is_err());
        assert!(from_base64("Z").is_err());
    }

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

    #[test]
    fn acl_over_64k_is_an_error() {
        let aces = vec![Ace::allow(well_known::WORLD, AccessMask(1)); 5000];
        let mut sd = SecurityDescriptor::new();
        sd.set_dacl(Acl::new(aces));
        assert_eq!(
            encode(&sd),
            Err(BinaryError::AclTooLarge {
                field: "DACL",
                size: 8 + 5000 * 20
            })
        );
    }

    #[test]
    fn hex_round_trip_and_errors() {
        assert_eq!(from_hex("0aFf").unwrap(), vec![0x0a, 0xff]);
        assert_eq!(to_hex(&[0x0a, 0xff]), "0aff");
        assert!(matches!(
            from_hex("abc"),
            Err(BinaryError::Hex { offset: 3, .. })
        ));
        assert!(matches!(
            from_hex("zz"),
            Err(BinaryError::Hex { offset: 0, .. })
        ));
    }
}
