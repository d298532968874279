//! What SDDL text keeps of a descriptor.
//!
//! The binary form holds more than SDDL can write: control bits with no SDDL
//! code, an ACL revision or slack that its ACEs do not call for, bytes after
//! a plain ACE's body, and the width of a conditional integer. Printing
//! drops them, as Windows' `ConvertSecurityDescriptorToStringSecurityDescriptor`
//! must; [`carried_part`] says exactly which, so that a round trip through
//! text can be checked against it.

use super::parse::plain_form;
use crate::descriptor::ace::{Ace, AceType};
use crate::descriptor::acl::{Acl, AclRevision};
use crate::descriptor::claims::ClaimAttribute;
use crate::descriptor::condition::Expression;
use crate::descriptor::sd::{Control, SecurityDescriptor};

/// The control bits SDDL writes for an ACL it prints: `P`, `AR` and `AI`
/// (MS-DTYP 2.5.1: `dacl-flags` and `sacl-flags`). `D:` and `S:` stand for
/// the present bits. The DEFAULTED, TRUSTED, SERVER_SECURITY and
/// RM_CONTROL_VALID bits have no SDDL code, and parsed SDDL is always
/// self-relative.
const DACL_FLAGS: u16 =
    Control::DACL_PROTECTED.0 | Control::DACL_AUTO_INHERIT_REQ.0 | Control::DACL_AUTO_INHERITED.0;
const SACL_FLAGS: u16 =
    Control::SACL_PROTECTED.0 | Control::SACL_AUTO_INHERIT_REQ.0 | Control::SACL_AUTO_INHERITED.0;

/// The descriptor that `parse(print(sd))` gives back whenever
/// [`print`](super::print) succeeds: the part of `sd` that SDDL carries.
///
/// - Control: the present bits of each ACL that prints (`D:` when DACL
///   present or a DACL is held, likewise `S:`), that ACL's `P`/`AR`/`AI`
///   bits, and SELF_RELATIVE; no other bit, and no resource-manager byte.
///   An ACL that does not print loses its flags (0x8c20 with neither ACL
///   present carries as 0x8000).
/// - ACLs: the revision SDDL input gets (4 when an object ACE is written,
///   else 2) and no slack, except that an allowed or denied object ACE with
///   neither GUID reads back as the plain ACE with 4 bytes of slack, as
///   Windows writes it (see `plain_form` in `parse.rs`).
/// - ACEs: no bytes after the body of a type that carries none in SDDL;
///   conditions with every integer 64 bits wide (SDDL has no width: MS-DTYP
///   2.4.4.17.5 literals compiled from text are INT64); resource attributes
///   re-encoded.
pub fn carried_part(sd: &SecurityDescriptor) -> SecurityDescriptor {
    let dacl_prints = sd.control.contains(Control::DACL_PRESENT) || sd.dacl.is_some();
    let sacl_prints = sd.control.contains(Control::SACL_PRESENT) || sd.sacl.is_some();
    let mut out = SecurityDescriptor::new();
    out.owner = sd.owner;
    out.group = sd.group;
    if dacl_prints {
        out.control.0 |= Control::DACL_PRESENT.0 | (sd.control.0 & DACL_FLAGS);
        out.dacl = sd.dacl.as_ref().map(carried_acl);
    }
    if sacl_prints {
        out.control.0 |= Control::SACL_PRESENT.0 | (sd.control.0 & SACL_FLAGS);
        out.sacl = sd.sacl.as_ref().map(carried_acl);
    }
    out
}

fn carried_acl(acl: &Acl) -> Acl {
    let mut out = Acl::empty();
    let mut object_seen = false;
    for ace in &acl.aces {
        object_seen |= ace.ace_type.is_object();
        let mut ace = carried_ace(ace);
        if ace.object_type.is_none() && ace.inherited_object_type.is_none() {
            if let Some(plain) = plain_form(ace.ace_type) {
                ace.ace_type = plain;
                out.slack += 4;
            }
        }
        out.aces.push(ace);
    }
    out.revision = if object_seen {
        AclRevision::DS
    } else {
        AclRevision::NT4
    };
    out
}

fn carried_ace(ace: &Ace) -> Ace {
    let mut out = ace.clone();
    if !ace.ace_type.is_object() {
        out.object_type = None;
        out.inherited_object_type = None;
    }
    out.application_data = if ace.ace_type.carries_condition() {
        Expression::decode(&ace.application_data)
            .and_then(|e| e.with_sddl_widths().encode())
            .unwrap_or_else(|_| ace.application_data.clone())
    } else if ace.ace_type == AceType::SystemResourceAttribute {
        ClaimAttribute::decode_relative(&ace.application_data)
            .and_then(|c| c.encode_relative())
            .unwrap_or_else(|_| ace.application_data.clone())
    } else {
        Vec::new()
    };
    out
}
