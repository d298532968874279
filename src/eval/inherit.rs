//! The security descriptor a new object gets: inheritance from the parent,
//! the creator's explicit descriptor and the token's defaults
//! (MS-DTYP 2.5.3.4, CreatePrivateObjectSecurityEx), along the code paths
//! Windows takes.
//!
//! # Rules, and where they come from
//!
//! - **Which DACL** (MS-DTYP 2.5.3.4.2 ComputeACL; ReactOS `SepSelectAcl`,
//!   which follows Windows): an explicit, non-defaulted creator DACL wins,
//!   and with auto-inheritance the parent's inheritable ACEs are appended
//!   unless the creator's DACL is protected. Otherwise the parent's ACEs
//!   that apply to this child, if any; otherwise the creator's defaulted
//!   DACL; otherwise the token's default DACL; otherwise none. SACLs
//!   likewise, with no token default.
//! - **Each parent ACE** (MS-DTYP 2.5.3.4.4 and its table; Samba
//!   `calculate_inherited_from_parent`, checked against Windows; the ReactOS
//!   kmtest `SeInheritance` matrix, run on Windows): an ACE
//!   applies to a container child through CI and to a leaf through OI; on a
//!   container it stays inheritable unless NP. An ACE that applies and stays
//!   inheritable becomes one ACE — unless it holds generic rights or
//!   CREATOR OWNER / CREATOR GROUP, when it becomes an effective copy
//!   (mapped, substituted, no inheritance flags) followed by the original
//!   marked inherit-only (CreatePrivateObjectSecurityEx, Remarks). An ACE
//!   that only stays inheritable is kept inherit-only; one that only
//!   applies becomes the effective copy. A leaf never keeps OI, CI, NP or
//!   IO. The parent's own IO flag does not stop inheritance (the classic
//!   `(A;OICIIO;GA;;;CO)`; the kmtest matrix inherits every IO
//!   combination), though MS-DTYP's pseudocode skips such ACEs.
//! - **Object ACEs** (Samba, as above): an InheritedObjectType that is not
//!   the new object's class makes the ACE not apply here (a container still
//!   keeps it inherit-only for its descendants). The effective copy loses
//!   the InheritedObjectType, and without an ObjectType becomes a plain ACE.
//! - **INHERITED_ACE** is set on inherited ACEs only with auto-inheritance
//!   (CreatePrivateObjectSecurityEx, Remarks; ReactOS `SepPropagateAcl`).
//!   With auto-inheritance the creator's ACEs marked inherited are dropped,
//!   or kept unmarked when the creator's ACL is protected (MS-DTYP 2.5.3.4).
//! - **Generic mapping** (ReactOS kmtest `SeInheritance`, run on Windows;
//!   ReactOS `SepPropagateAcl`): an effective ACE with generic rights (an
//!   inherited effective copy, a creator's or a default-DACL ACE) keeps
//!   only the mapped rights inside the mapping's GENERIC_ALL. Inherit-only
//!   ACEs keep their generic rights unmapped.
//! - **The creator's ACEs without auto-inheritance** (the same test; ReactOS
//!   `SepShouldPropagateAce`) stay as given: flags (OI, CI, NP, IO, SA, FA)
//!   and CREATOR OWNER / GROUP kept, never split; only an effective ACE's
//!   generic rights are mapped. The token's default DACL goes the same way.
//! - **The creator's ACEs with auto-inheritance** with generic rights or
//!   CREATOR OWNER / GROUP are mapped in place, or, when inheritable on a
//!   container, kept inherit-only followed by the mapped copy
//!   (CreatePrivateObjectSecurityEx Remarks; Samba `process_user_acl` for
//!   the order, checked against Windows for Active Directory). Inherit-only
//!   ACEs with no OI or CI are dropped.
//! - **Owner and group** (MS-DTYP 2.5.3.4.1): the creator's, else the
//!   parent's with SEF_DEFAULT_OWNER/GROUP_FROM_PARENT (no parent owner:
//!   STATUS_INVALID_OWNER; no parent group: STATUS_INVALID_PRIMARY_GROUP;
//!   ReactOS kmtest `SeInheritance`), else Active Directory's default
//!   administrators group (Samba `get_default_ag`), else the token's (a
//!   token without a primary group: STATUS_INVALID_PRIMARY_GROUP, the same
//!   test). A creator-supplied owner must be the token's user or an OWNER
//!   group that is not deny-only, or the token must hold
//!   SeRestorePrivilege (CreatePrivateObjectSecurityEx, Remarks); else
//!   STATUS_INVALID_OWNER.
//! - **Control bits**: SE_OWNER_DEFAULTED, SE_GROUP_DEFAULTED,
//!   SE_DACL_DEFAULTED and SE_SACL_DEFAULTED are never set, whatever was
//!   defaulted (the same test; Wine `test_default_dacl_owner_sid`), except
//!   that Active Directory marks its default administrators group as
//!   defaulted owner and group. SE_DACL_AUTO_INHERITED / SE_SACL_AUTO_INHERITED
//!   with auto-inheritance; the creator's SE_*_PROTECTED when its ACL is
//!   the one used.
//! - **NtCreateFile** (see [`InheritApi::NtCreateFile`]): an ACL the
//!   creator gives stays as given, no parent ACE merged in and no generic
//!   ACE split, unless the creator asks with AR (Wine
//!   `test_CreateDirectoryA`, run on Windows); an ACL the creator leaves
//!   out is auto-inherited under an auto-inherited parent (Samba
//!   `se_create_child_secdesc`). The result is marked auto-inherited under
//!   an auto-inherited parent either way.
//! - **A creator SACL** needs SeSecurityPrivilege unless
//!   SEF_AVOID_PRIVILEGE_CHECK (STATUS_PRIVILEGE_NOT_HELD).

mod acl;
mod request;

pub use request::{AceOrigin, InheritApi, InheritError, InheritRequest, Inheritance, SefFlags};

use crate::descriptor::ace::{Ace, AceFlags, AceType};
use crate::descriptor::acl::{Acl, AclRevision};
use crate::descriptor::sd::{Control, SecurityDescriptor};
use crate::ids::mask::AccessMask;
use crate::ids::privilege::Privilege;
use crate::ids::sid::Sid;
use crate::token::Token;
use acl::{Computed, Ctx, Which};
use request::path_of;

/// Computes the new object's descriptor.
pub fn create_security_descriptor(req: &InheritRequest<'_>) -> Result<Inheritance, InheritError> {
    let path = path_of(req)?;
    let creator = req.creator;
    let parent = req.parent;

    // Owner and group (MS-DTYP 2.5.3.4.1 steps 1 and 2).
    let mut control = Control::SELF_RELATIVE;
    let ds_default = if req.api == InheritApi::DsAdd {
        req.token.and_then(default_admin_group)
    } else {
        None
    };
    let creator_owner = creator.and_then(|c| c.owner);
    // Owner: the creator's; else with SEF_DEFAULT_OWNER_FROM_PARENT the
    // parent's, and with no parent owner STATUS_INVALID_OWNER (ReactOS
    // kmtest `SeInheritance`, run on Windows: SeAssignSecurityEx with the
    // flag and no parent fails so); else the token's default owner.
    // Neither default is marked SE_OWNER_DEFAULTED (same test:
    // `OwnerDefaulted` is FALSE with the token's owner; Wine
    // `test_default_dacl_owner_sid`).
    let owner = match creator_owner {
        Some(o) => o,
        None if req.flags.contains(SefFlags::DEFAULT_OWNER_FROM_PARENT) => parent
            .and_then(|p| p.owner)
            .ok_or(InheritError::NoParentOwner)?,
        None => match ds_default {
            Some(dag) => {
                control.set(Control::OWNER_DEFAULTED, true);
                dag
            }
            None => {
                req.token
                    .ok_or(InheritError::NoToken {
                        what: "default owner",
                    })?
                    .owner
            }
        },
    };
    // Group likewise, after the owner (the same test: with both
    // SEF_DEFAULT_*_FROM_PARENT flags and no parent the status is
    // STATUS_INVALID_OWNER): the parent's group or
    // STATUS_INVALID_PRIMARY_GROUP; the token's primary group, or, for a
    // token without one, STATUS_INVALID_PRIMARY_GROUP (the same test
    // clears `Token->PrimaryGroup`; ReactOS `SeAssignSecurityEx`).
    let group = match creator.and_then(|c| c.group) {
        Some(g) => g,
        None if req.flags.contains(SefFlags::DEFAULT_GROUP_FROM_PARENT) => parent
            .and_then(|p| p.group)
            .ok_or(InheritError::NoParentGroup)?,
        None => match ds_default {
            Some(dag) => {
                control.set(Control::GROUP_DEFAULTED, true);
                dag
            }
            None => req
                .token
                .ok_or(InheritError::NoToken {
                    what: "default group",
                })?
                .primary_group
                .ok_or(InheritError::NoPrimaryGroup)?,
        },
    };
    if let Some(o) = creator_owner {
        if path.owner_check {
            let token = req.token.ok_or(InheritError::NoToken {
                what: "owner check",
            })?;
            let valid = token.can_own(&o) && !denies_only(token, &o)
                || token.has_privilege(Privilege::Restore)
                || (req.api == InheritApi::DsAdd && ds_default == Some(o));
            if !valid {
                return Err(InheritError::InvalidOwner { owner: o });
            }
        }
    }
    let creator_has_sacl = creator.is_some_and(|c| c.control.contains(Control::SACL_PRESENT));
    if creator_has_sacl && path.sacl_check {
        let token = req.token.ok_or(InheritError::NoToken {
            what: "SACL privilege check",
        })?;
        if !token.has_privilege(Privilege::Security) {
            return Err(InheritError::SaclPrivilege);
        }
    }

    let ctx = Ctx {
        req,
        path: &path,
        owner,
        group,
    };
    let mut sd = SecurityDescriptor::new();
    sd.owner = Some(owner);
    sd.group = Some(group);

    // DACL (MS-DTYP 2.5.3.4.2 with COMPUTE_DACL).
    let token_default = req.token.and_then(|t| t.default_dacl.as_ref());
    let mut dacl_origins = Vec::new();
    let (dacl, dacl_from_creator) = ctx.compute(Which::Dacl, token_default);
    match dacl {
        Computed::Absent => {}
        Computed::Null => sd.set_null_dacl(),
        Computed::Acl { acl, origins } => {
            dacl_origins = origins;
            sd.set_dacl(acl);
        }
    }
    // SACL (COMPUTE_SACL): no token default.
    let mut sacl_origins = Vec::new();
    let (sacl, sacl_from_creator) = ctx.compute(Which::Sacl, None);
    match sacl {
        Computed::Absent => {}
        Computed::Null => {
            sd.sacl = None;
            sd.control.set(Control::SACL_PRESENT, true);
        }
        Computed::Acl { acl, origins } => {
            sacl_origins = origins;
            sd.set_sacl(acl);
        }
    }
    // SEF_MACL_*: a label at the token's level with the asked policy.
    let macl = req.flags.0 & 0x700;
    if req.api == InheritApi::SeAssignSecurityEx && macl != 0 {
        let token = req.token.ok_or(InheritError::NoToken {
            what: "mandatory label",
        })?;
        let label = Ace::new(
            AceType::SystemMandatoryLabel,
            AceFlags::default(),
            AccessMask(macl >> 8),
            token.integrity.sid(),
        );
        let mut acl = sd.sacl.take().unwrap_or_else(Acl::empty);
        let kept: Vec<(Ace, AceOrigin)> = acl
            .aces
            .drain(..)
            .zip(sacl_origins.drain(..))
            .filter(|(a, _)| a.ace_type != AceType::SystemMandatoryLabel)
            .collect();
        acl.aces.push(label);
        sacl_origins.push(AceOrigin::MandatoryLabelFlag);
        for (a, o) in kept {
            acl.aces.push(a);
            sacl_origins.push(o);
        }
        acl.normalize();
        sd.set_sacl(acl);
    }

    // Control bits (CreatePrivateObjectSecurityEx, Remarks: auto-inheritance
    // sets SE_DACL_AUTO_INHERITED / SE_SACL_AUTO_INHERITED); the creator's
    // protection carries over.
    if let Some(c) = creator {
        // Only an ACL taken from the creator keeps its protection: a
        // defaulted creator ACL that yielded to inheritance does not.
        for (bit, used) in [
            (Control::DACL_PROTECTED, dacl_from_creator),
            (Control::SACL_PROTECTED, sacl_from_creator),
        ] {
            if used && c.control.contains(bit) {
                sd.control.set(bit, true);
            }
        }
        if req.api == InheritApi::DsAdd {
            // Samba descriptor.c: Active Directory keeps the creator's
            // auto-inheritance bits.
            for bit in [Control::DACL_AUTO_INHERITED, Control::SACL_AUTO_INHERITED] {
                if c.control.contains(bit) {
                    sd.control.set(bit, true);
                }
            }
        }
    }
    // NTFS marks a file's ACL auto-inherited under an auto-inherited
    // parent even when the creator's own ACL is kept as given. Inferred,
    // not read off one call: Wine `test_CreateDirectoryA` (run on Windows)
    // finds a directory made with an explicit DACL in %TEMP% unmerged, yet
    // a file later made inside it with no descriptor gets INHERITED_ACE
    // ACEs, which (Samba `se_create_child_secdesc`) needs an auto-inherited
    // parent.
    let parent_marks = |bit: Control| {
        req.api == InheritApi::NtCreateFile && parent.is_some_and(|p| p.control.contains(bit))
    };
    if (path.dacl_auto || parent_marks(Control::DACL_AUTO_INHERITED))
        && sd.control.contains(Control::DACL_PRESENT)
    {
        sd.control.set(Control::DACL_AUTO_INHERITED, true);
    }
    if (path.sacl_auto || parent_marks(Control::SACL_AUTO_INHERITED))
        && sd.control.contains(Control::SACL_PRESENT)
    {
        sd.control.set(Control::SACL_AUTO_INHERITED, true);
    }
    sd.control.set(
        Control::OWNER_DEFAULTED,
        control.contains(Control::OWNER_DEFAULTED),
    );
    sd.control.set(
        Control::GROUP_DEFAULTED,
        control.contains(Control::GROUP_DEFAULTED),
    );
    if req.api == InheritApi::DsAdd {
        // Active Directory stores every ACL at revision 4 (Samba
        // descriptor.c, SECURITY_ACL_REVISION_ADS).
        for acl in [sd.dacl.as_mut(), sd.sacl.as_mut()].into_iter().flatten() {
            acl.revision = AclRevision::DS;
        }
    }
    // ntstatus.h: STATUS_BAD_INHERITANCE_ACL, an inherited ACL that could
    // not be built, such as one whose size does not fit AclSize's 16 bits
    // (MS-DTYP 2.4.5).
    for (which, acl) in [("DACL", &sd.dacl), ("SACL", &sd.sacl)] {
        let size = acl.as_ref().map_or(0, Acl::binary_len);
        if size > usize::from(u16::MAX) {
            return Err(InheritError::AclTooLarge { which, size });
        }
    }
    Ok(Inheritance {
        sd,
        dacl_origins,
        sacl_origins,
    })
}

/// Whether the token holds `sid` only for deny.
fn denies_only(token: &Token, sid: &Sid) -> bool {
    (token.user.sid == *sid && token.user.is_deny_only())
        || token
            .groups
            .iter()
            .any(|g| g.sid == *sid && g.is_deny_only())
}

/// Active Directory's default administrators group for an object in the
/// domain naming context: Domain Admins if the token holds it, else
/// Enterprise Admins, else (for SYSTEM) Domain Admins (Samba
/// `get_default_ag`). The domain is taken from the token's user or groups.
fn default_admin_group(token: &Token) -> Option<Sid> {
    let holds = |rid: u32| {
        token.groups.iter().find_map(|g| {
            (g.matches_allow() && g.sid.rid() == Some(rid) && is_domain_sid(&g.sid))
                .then_some(g.sid)
        })
    };
    if let Some(da) = holds(512) {
        return Some(da);
    }
    if let Some(ea) = holds(519) {
        return Some(ea);
    }
    None
}

fn is_domain_sid(s: &Sid) -> bool {
    matches!((s.authority(), s.sub_authorities()), (5, [21, _, _, _, _]))
}
