//! What SDDL text carries of a decoded descriptor, and what only the binary
//! form holds (issue 18, the binary_decode fuzz findings).
//!
//! The decoder keeps every byte that means something in the self-relative
//! form (the ACL revision, the length of an ACL's slack, bytes after an
//! ACE's SID, every control bit and the resource-manager byte), so binary →
//! binary keeps every part byte for byte except the ACL header's reserved
//! `Sbz1`/`Sbz2` and the content of the slack, which are written back as
//! zeros.
//! SDDL has no place for several of them, and Windows' own converters lose
//! them the same way: `ConvertSecurityDescriptorToStringSecurityDescriptor`
//! then `ConvertStringSecurityDescriptorToSecurityDescriptor` gives back only
//! what [`sddl_carried`] keeps.

use crate::descriptor::ace::AceType;
use crate::descriptor::acl::Acl;
use crate::descriptor::sd::{Control, SecurityDescriptor};

/// The descriptor that SDDL text gives back for `sd`: print `sd` as SDDL,
/// parse the text, and this is the result (when `sd` prints at all).
///
/// Kept: the owner, the group, which ACLs are present, each present ACL's
/// `P`, `AR` and `AI` flags, and every ACE's type, flags, mask, object GUIDs,
/// trustee and, for callback, access-filter and resource-attribute ACEs, the
/// condition or attribute. Dropped, because the SDDL grammar (MS-DTYP 2.5.1; Microsoft's
/// "Security Descriptor String Format" and "ACE Strings" pages) has no token
/// for them:
/// - the ACL revision: the text is read back as revision 2, or 4 when an
///   object ACE is present (the conformance vectors' README: Windows'
///   converter writes exactly that). The `oversize-acls` vectors hold bytes
///   whose DACL is revision 4 with no object ACE next to SDDL text that has
///   no way to say so;
/// - an ACL's slack, unused bytes after its last ACE (the same vectors);
/// - bytes after the SID of an ACE that is not a callback, access-filter or
///   resource-attribute ACE: `RtlValidAcl` accepts an `AceSize` larger than
///   the SID needs (ReactOS `sdk/lib/rtl/acl.c`), and the ACE string has only
///   the six fields, so Wine's `DumpAce` (dlls/advapi32 `security.c`)
///   prints the mask and SID and nothing after them;
/// - `SE_*_DEFAULTED`, `SE_DACL_TRUSTED`, `SE_SERVER_SECURITY`,
///   `SE_RM_CONTROL_VALID` and the resource-manager byte (`Sbz1`): SDDL's ACL
///   flags are only `P`, `AR`, `AI` and `NO_ACCESS_CONTROL`;
/// - the `P`, `AR` and `AI` bits of an ACL that is not present: Wine's
///   `DumpDacl`/`DumpSacl` write nothing, not even `D:`, for an absent ACL,
///   so its flags have nowhere to go.
///
/// None of the dropped parts changes an access decision: the access check
/// reads ACEs, not revisions, slack or bytes past a plain ACE's SID. The
/// `*_DEFAULTED` bits do matter to inheritance (CreatePrivateObjectSecurity),
/// and Windows' own SDDL loses them too.
pub fn sddl_carried(sd: &SecurityDescriptor) -> SecurityDescriptor {
    let mut out = sd.clone();
    out.rm_control = 0;
    let mut control = Control::SELF_RELATIVE;
    let per_acl = [
        (
            sd.dacl.is_some(),
            Control::DACL_PRESENT,
            [
                Control::DACL_PROTECTED,
                Control::DACL_AUTO_INHERIT_REQ,
                Control::DACL_AUTO_INHERITED,
            ],
        ),
        (
            sd.sacl.is_some(),
            Control::SACL_PRESENT,
            [
                Control::SACL_PROTECTED,
                Control::SACL_AUTO_INHERIT_REQ,
                Control::SACL_AUTO_INHERITED,
            ],
        ),
    ];
    for (has_acl, present, flags) in per_acl {
        // The printer writes `D:`/`S:` for a present bit or an ACL, and the
        // parser sets the present bit for either.
        if has_acl || sd.control.contains(present) {
            control.set(present, true);
            for flag in flags {
                control.set(flag, sd.control.contains(flag));
            }
        }
    }
    out.control = control;
    for acl in [&mut out.dacl, &mut out.sacl].into_iter().flatten() {
        strip_acl(acl);
    }
    out
}

/// The revision and slack as the SDDL parser writes them, and no bytes after
/// a plain ACE's SID.
fn strip_acl(acl: &mut Acl) {
    acl.normalize();
    for ace in &mut acl.aces {
        // The data that means something: a callback ACE's condition, a
        // resource attribute, and an access filter's condition (the access
        // check reads it, Forshaw ch. 7 Test-AccessFilter). SDDL must carry
        // these or refuse to print; dropping them would change the answer.
        let carries_data = ace.ace_type.is_callback()
            || ace.ace_type == AceType::SystemResourceAttribute
            || ace.ace_type == AceType::SystemAccessFilter;
        // An ACE type with no SDDL form does not print at all; its bytes
        // stay as they are.
        if !carries_data && ace.ace_type.sddl_code().is_some() {
            ace.application_data.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::descriptor::ace::{Ace, AceFlags};
    use crate::descriptor::acl::AclRevision;
    use crate::ids::mask::AccessMask;
    use crate::ids::sid::well_known;

    fn plain(data: Vec<u8>) -> Ace {
        let mut ace = Ace::allow(well_known::WORLD, AccessMask(1));
        ace.application_data = data;
        ace
    }

    #[test]
    fn drops_revision_slack_and_bytes_after_a_plain_sid() {
        let mut sd = SecurityDescriptor::new();
        sd.set_dacl(Acl {
            revision: AclRevision::DS,
            aces: vec![plain(vec![1, 2, 3, 4])],
            slack: 8,
        });
        let carried = sddl_carried(&sd);
        let mut want = SecurityDescriptor::new();
        want.set_dacl(Acl::new(vec![plain(Vec::new())]));
        assert_eq!(carried, want);
    }

    #[test]
    fn keeps_a_callback_or_filter_condition_and_an_opaque_body() {
        let mut callback = plain(vec![b'a', b'r', b't', b'x']);
        callback.ace_type = AceType::AccessAllowedCallback;
        let mut filter = plain(vec![b'a', b'r', b't', b'x']);
        filter.ace_type = AceType::SystemAccessFilter;
        let opaque = Ace {
            ace_type: AceType::Unknown(0x40),
            flags: AceFlags(0),
            mask: AccessMask::NONE,
            object_type: None,
            inherited_object_type: None,
            sid: well_known::NULL,
            application_data: vec![9, 9, 9, 9],
        };
        let mut sd = SecurityDescriptor::new();
        sd.set_dacl(Acl::new(vec![callback, opaque]));
        sd.sacl = Some(Acl::new(vec![filter]));
        sd.control.set(Control::SACL_PRESENT, true);
        assert_eq!(sddl_carried(&sd), sd);
    }

    #[test]
    fn keeps_only_the_flags_of_present_acls() {
        let mut sd = SecurityDescriptor::new();
        // DACL present and null, SACL absent; every other bit set.
        sd.control = Control(!Control::SACL_PRESENT.0);
        sd.rm_control = 7;
        let carried = sddl_carried(&sd);
        assert_eq!(carried.rm_control, 0);
        assert_eq!(
            carried.control,
            Control(
                Control::SELF_RELATIVE.0
                    | Control::DACL_PRESENT.0
                    | Control::DACL_PROTECTED.0
                    | Control::DACL_AUTO_INHERIT_REQ.0
                    | Control::DACL_AUTO_INHERITED.0
            )
        );
    }

    #[test]
    fn an_acl_makes_its_present_bit() {
        let mut sd = SecurityDescriptor::new();
        sd.sacl = Some(Acl::empty());
        sd.control = Control(Control::SELF_RELATIVE.0 | Control::SACL_PROTECTED.0);
        let carried = sddl_carried(&sd);
        assert_eq!(
            carried.control,
            Control(Control::SELF_RELATIVE.0 | Control::SACL_PRESENT.0 | Control::SACL_PROTECTED.0)
        );
    }
}
