//! The short path of [`super::decide`]: the common plain question answered
//! without building a run (MS-DTYP 2.5.3.2 and 2.5.3.3, every inapplicable
//! branch removed).

use super::compile::{AceKind, CompiledDescriptor, CompiledToken, NO_SID};
use super::request::{AccessRequest, CheckVerdict};
use super::run::{ASS, MAX, NOT_GRANTABLE_BY_ACE, RC_WD, WO};
use crate::ids::mask::AccessMask;
use crate::ids::privilege::{Privilege, PrivilegeSet};
use crate::ids::status::NtStatus;

/// The short path of [`decide`](super::decide), for the common question:
/// an unrestricted, non-AppContainer token that passes the mandatory check
/// untouched, a descriptor whose DACL holds only plain allow and deny ACEs
/// (no object ACE, PRINCIPAL_SELF or condition; no trust label or access
/// filter), no object-type list and no backup intent, and no privilege that
/// could grant a bit. It applies the same rules as
/// [`Run::go`](super::run::Run::go) with every inapplicable branch removed,
/// and returns `None` to hand anything else (including every request
/// [`prepare`](super::request::prepare) refuses) to the full path. The
/// caller has checked that both were compiled by `table`.
/// `prop_access::decide_equals_check_and_reference` holds the two to the
/// same answers.
#[inline(always)]
pub(super) fn decide_simple(
    token: &CompiledToken,
    sd: &CompiledDescriptor,
    request: &AccessRequest<'_>,
) -> Option<CheckVerdict> {
    let token_level = token.simple_integrity?;
    let label_level = sd.simple_level?;
    // MS-DTYP 2.5.3.3: a token at or above the label's level is not
    // limited by it.
    if token_level < label_level
        || request.backup_intent
        || request.result_list
        || !request.object_types.is_empty()
    {
        return None;
    }
    // Generic bits without a mapping are the full path's error.
    let desired = if request.desired.has_generic() {
        request.mapping?.map(request.desired).0
    } else {
        request.desired.0
    };
    let ma = desired & MAX != 0;
    let explicit = desired & !MAX;
    // Privileges that grant ACCESS_SYSTEM_SECURITY or WRITE_OWNER: the
    // full path records their use.
    if explicit & ASS != 0
        || ((ma || explicit & WO != 0)
            && (token.privileges.contains(Privilege::TakeOwnership)
                || token.privileges.contains(Privilege::Relabel)))
    {
        return None;
    }
    let verdict = |status, granted| {
        Some(CheckVerdict {
            status,
            granted: AccessMask(granted),
            privileges_used: PrivilegeSet::EMPTY,
        })
    };
    // SeAccessCheck: a request for no access is denied.
    if !ma && explicit == 0 {
        return verdict(NtStatus::AccessDenied, 0);
    }
    // MS-DTYP 2.5.3.2: the owner's implicit READ_CONTROL | WRITE_DAC,
    // unless an OWNER RIGHTS ACE is present.
    let owner = sd.owner.unwrap_or(NO_SID);
    let pre = if sd.owner_rights.is_none() && token.allow.has(owner) {
        if ma {
            RC_WD
        } else {
            explicit & RC_WD
        }
    } else {
        0
    };
    if !ma {
        // MS-DTYP 2.5.3.2: each ACE decides only bits no earlier ACE
        // decided; a deny naming a bit still wanted ends the check.
        let mut remaining = explicit & !pre;
        for ace in sd.aces.iter() {
            if remaining == 0 {
                break;
            }
            if ace.kind == AceKind::Allow {
                if token.allow.has(ace.sid) {
                    remaining &= !ace.mask;
                }
            } else if token.deny.has(ace.sid) && remaining & ace.mask != 0 {
                return verdict(NtStatus::AccessDenied, 0);
            }
        }
        return if remaining == 0 {
            verdict(NtStatus::Success, explicit)
        } else {
            verdict(NtStatus::AccessDenied, 0)
        };
    }
    // MAXIMUM_ALLOWED: each bit goes to the first ACE that names it.
    let (mut granted, mut denied) = (0u32, 0u32);
    for ace in sd.aces.iter() {
        if ace.kind == AceKind::Allow {
            if token.allow.has(ace.sid) {
                granted |= ace.mask & !denied;
            }
        } else if token.deny.has(ace.sid) {
            denied |= ace.mask & !granted;
        }
    }
    let g = pre | (granted & !NOT_GRANTABLE_BY_ACE);
    if g == 0 || explicit & !g != 0 {
        verdict(NtStatus::AccessDenied, 0)
    } else {
        verdict(NtStatus::Success, g)
    }
}
