//! Writing the self-relative form (MS-DTYP 2.4.6, 2.4.5, 2.4.4) byte for
//! byte as Windows' `RtlMakeSelfRelativeSD` does.

use super::format::{BinaryError, INHERITED_OBJECT_TYPE_PRESENT, OBJECT_TYPE_PRESENT};
use crate::descriptor::ace::{Ace, AceLayout};
use crate::descriptor::acl::Acl;
use crate::descriptor::sd::{Control, SecurityDescriptor};

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::mask::AccessMask;
    use crate::ids::sid::well_known;

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

    /// The written control always has SE_SELF_RELATIVE (this is the
    /// self-relative form) and the present bit of each ACL written.
    #[test]
    fn the_control_says_self_relative_and_which_acls_follow() {
        let mut sd = SecurityDescriptor::new();
        sd.control = crate::descriptor::sd::Control(0);
        sd.dacl = Some(Acl::empty());
        sd.sacl = Some(Acl::empty());
        let b = encode(&sd).unwrap();
        assert_eq!(u16::from_le_bytes([b[2], b[3]]), 0x8014);
        let back = super::super::decode::decode(&b).unwrap();
        assert_eq!(
            (back.dacl, back.sacl),
            (Some(Acl::empty()), Some(Acl::empty()))
        );
    }
}
