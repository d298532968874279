//! Printing a descriptor as Windows' canonical SDDL.

use super::error::{fail, SddlError, SddlErrorKind as K};
use super::ACE_FLAG_CODES;
use crate::descriptor::ace::{Ace, AceType};
use crate::descriptor::acl::Acl;
use crate::descriptor::claims::ClaimAttribute;
use crate::descriptor::condition::Expression;
use crate::descriptor::sd::{Control, SecurityDescriptor};
use crate::ids::mask::{AccessMask, BIT_CODES, RIGHT_CODES};
use crate::ids::sid::Sid;

/// Prints a descriptor as Windows' `ConvertSecurityDescriptorToStringSecurityDescriptor`
/// does. Fails for ACE types that SDDL cannot express and for malformed
/// conditional or resource-attribute payloads.
pub fn print(sd: &SecurityDescriptor, domain: Option<&Sid>) -> Result<String, SddlError> {
    let mut out = String::new();
    if let Some(o) = &sd.owner {
        out.push_str("O:");
        out.push_str(&o.to_sddl(domain));
    }
    if let Some(g) = &sd.group {
        out.push_str("G:");
        out.push_str(&g.to_sddl(domain));
    }
    if sd.control.contains(Control::DACL_PRESENT) || sd.dacl.is_some() {
        out.push_str("D:");
        print_acl(&mut out, sd.control, sd.dacl.as_ref(), false, domain)?;
    }
    if sd.control.contains(Control::SACL_PRESENT) || sd.sacl.is_some() {
        out.push_str("S:");
        print_acl(&mut out, sd.control, sd.sacl.as_ref(), true, domain)?;
    }
    Ok(out)
}

fn print_acl(
    out: &mut String,
    control: Control,
    acl: Option<&Acl>,
    sacl: bool,
    domain: Option<&Sid>,
) -> Result<(), SddlError> {
    let (p, ar, ai) = if sacl {
        (
            Control::SACL_PROTECTED,
            Control::SACL_AUTO_INHERIT_REQ,
            Control::SACL_AUTO_INHERITED,
        )
    } else {
        (
            Control::DACL_PROTECTED,
            Control::DACL_AUTO_INHERIT_REQ,
            Control::DACL_AUTO_INHERITED,
        )
    };
    if control.contains(p) {
        out.push('P');
    }
    if control.contains(ar) {
        out.push_str("AR");
    }
    if control.contains(ai) {
        out.push_str("AI");
    }
    let Some(acl) = acl else {
        out.push_str("NO_ACCESS_CONTROL");
        return Ok(());
    };
    for (i, ace) in acl.aces.iter().enumerate() {
        out.push('(');
        print_ace(out, ace, domain).map_err(|e| {
            SddlError::new(
                0,
                K::InAce {
                    sacl,
                    index: i,
                    kind: Box::new(e.kind().clone()),
                },
            )
        })?;
        out.push(')');
    }
    Ok(())
}

/// Prints one ACE without its parentheses.
pub fn print_ace(out: &mut String, ace: &Ace, domain: Option<&Sid>) -> Result<(), SddlError> {
    let Some(code) = ace.ace_type.sddl_code() else {
        return fail(0, K::NoSddlForm(ace.ace_type));
    };
    out.push_str(code);
    out.push(';');
    for (name, bit) in ACE_FLAG_CODES {
        let is_filter = ace.ace_type == AceType::SystemAccessFilter;
        if (name == "TP" && !is_filter) || (name == "SA" && is_filter) {
            continue;
        }
        if ace.flags.0 & bit != 0 {
            out.push_str(name);
        }
    }
    out.push(';');
    print_rights(out, ace.mask, ace.ace_type == AceType::SystemMandatoryLabel);
    out.push(';');
    if ace.ace_type.is_object() {
        if let Some(g) = ace.object_type {
            out.push_str(&g.to_string());
        }
        out.push(';');
        if let Some(g) = ace.inherited_object_type {
            out.push_str(&g.to_string());
        }
        out.push(';');
    } else {
        out.push_str(";;");
    }
    out.push_str(&ace.sid.to_sddl(domain));
    // An access filter without application data prints as it was read
    // (`(FL;;CC;;;WD)`); with a condition, the condition goes with it, or
    // the text would read back as a filter that always applies.
    let filter_without_condition =
        ace.ace_type == AceType::SystemAccessFilter && ace.application_data.is_empty();
    if ace.ace_type.carries_condition() && !filter_without_condition {
        let text = Expression::decode(&ace.application_data)
            .and_then(|expr| expr.to_sddl(domain))
            .map_err(|e| SddlError::new(0, K::UnprintableCondition(e)))?;
        out.push(';');
        out.push_str(&text);
    } else if ace.ace_type == AceType::SystemResourceAttribute {
        // The parser refuses any other trustee (`parse.rs`), so another SID
        // would print text that does not read back.
        if ace.sid != crate::ids::sid::well_known::WORLD {
            return fail(0, K::ResourceAttributeTrustee);
        }
        let text = ClaimAttribute::decode_relative(&ace.application_data)
            .and_then(|claim| claim.to_sddl(domain))
            .map_err(|e| SddlError::new(0, K::UnprintableResourceAttribute(e)))?;
        out.push(';');
        out.push_str(&text);
    }
    Ok(())
}

/// Rights as Windows prints them: the empty string for 0; an exact match in
/// [`RIGHT_CODES`]; else single-bit codes in ascending bit order when every
/// bit has one; else `0x` and lower-case hex. Mandatory label masks use the
/// `NW`, `NR`, `NX` codes for bits 0 to 2 (Windows prints `(ML;;NW;;;LW)`).
fn print_rights(out: &mut String, mask: AccessMask, label: bool) {
    let m = mask.0;
    if m == 0 {
        return;
    }
    if label {
        if m & !0x7 == 0 {
            for (bit, name) in [(1, "NW"), (2, "NR"), (4, "NX")] {
                if m & bit != 0 {
                    out.push_str(name);
                }
            }
        } else {
            out.push_str(&format!("0x{m:x}"));
        }
        return;
    }
    if let Some((code, _)) = RIGHT_CODES.iter().find(|(_, v)| *v == m) {
        out.push_str(code);
        return;
    }
    if (0..32).all(|b| m & (1 << b) == 0 || BIT_CODES[b].is_some()) {
        for (b, code) in BIT_CODES.iter().enumerate() {
            if m & (1 << b) != 0 {
                if let Some(c) = code {
                    out.push_str(c);
                }
            }
        }
        return;
    }
    out.push_str(&format!("0x{m:x}"));
}
