//! The short path of [`super::decide`]: the common plain question answered
//! without building a run (MS-DTYP 2.5.3.2 and 2.5.3.3, every inapplicable
//! branch removed).

use super::compile::{AceKind, CompiledDescriptor, CompiledToken, NO_SID};
use super::request::{AccessRequest, CheckVerdict};
use super::run::{ASS, MAX, NOT_GRANTABLE_BY_ACE, RC_WD, WO};
use crate::ids::mask::AccessMask;
use crate::ids::privilege::{Privilege, PrivilegeSet};
use crate::ids::status::NtStatus;
use crate::token::IntegrityLevel;

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
    let (ma, explicit) = match plain_request(token_level, label_level, &token.privileges, request)?
    {
        Ok(asked) => asked,
        Err(done) => return Some(done),
    };
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
                return Some(answer(NtStatus::AccessDenied, 0));
            }
        }
        return if remaining == 0 {
            Some(answer(NtStatus::Success, explicit))
        } else {
            Some(answer(NtStatus::AccessDenied, 0))
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
        Some(answer(NtStatus::AccessDenied, 0))
    } else {
        Some(answer(NtStatus::Success, g))
    }
}

/// The request side of the short path, shared by [`decide_simple`] and
/// [`decide_plain`]: `None` hands the question to the full path (a label
/// above the token, backup intent, a result list or object types, generic
/// bits without a mapping, or a privilege that could grant a bit, whose use
/// the full path records); `Err` is the answer already (SeAccessCheck: a
/// request for no access is denied); `Ok` is (MAXIMUM_ALLOWED asked, the
/// explicit bits asked).
#[inline(always)]
fn plain_request(
    token_level: IntegrityLevel,
    label_level: IntegrityLevel,
    privileges: &PrivilegeSet,
    request: &AccessRequest<'_>,
) -> Option<Result<(bool, u32), CheckVerdict>> {
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
            && (privileges.contains(Privilege::TakeOwnership)
                || privileges.contains(Privilege::Relabel)))
    {
        return None;
    }
    // SeAccessCheck: a request for no access is denied.
    if !ma && explicit == 0 {
        return Some(Err(answer(NtStatus::AccessDenied, 0)));
    }
    Some(Ok((ma, explicit)))
}

/// A short-path answer: no privilege is used on this path.
#[inline(always)]
fn answer(status: NtStatus, granted: u32) -> CheckVerdict {
    CheckVerdict {
        status,
        granted: AccessMask(granted),
        privileges_used: PrivilegeSet::EMPTY,
    }
}

/// What the short path needs to know of a token and a descriptor besides
/// their ACEs, however they were resolved (interned or compared directly).
pub(super) struct PlainQuestion {
    /// The integrity level the token's mandatory check compares.
    pub(super) token_level: IntegrityLevel,
    /// The level the descriptor's label asks for (Medium with none).
    pub(super) label_level: IntegrityLevel,
    /// The token's enabled privileges.
    pub(super) privileges: PrivilegeSet,
    /// Whether the DACL holds an OWNER RIGHTS ACE that is not inherit-only.
    pub(super) owner_rights: bool,
}

/// One plain DACL ACE (not inherit-only) as the short path sees it.
#[derive(Clone, Copy)]
pub(super) struct PlainAce {
    /// An allow ACE (else a deny ACE).
    pub(super) allow: bool,
    /// Its access mask.
    pub(super) mask: u32,
    /// Whether the token holds its SID for this kind of ACE (enabled and
    /// not deny-only for an allow; enabled or deny-only for a deny).
    pub(super) held: bool,
}

/// The rules of [`decide_simple`] over ACEs resolved by the direct one-shot
/// path ([`super::direct`]), in the same order. `decide_simple` keeps its
/// own copy over the interned forms, which compiles to a tighter hot loop
/// (sharing this one cost the compiled check 13-29% more instructions);
/// `prop_access::one_shot_direct_path_equals_interned_path` holds the two
/// to the same answers.
/// `owner_held` says whether the token holds the owner SID for an allow
/// ACE; it is asked only when no OWNER RIGHTS ACE is present.
#[inline(always)]
pub(super) fn decide_plain(
    question: &PlainQuestion,
    request: &AccessRequest<'_>,
    owner_held: impl FnOnce() -> bool,
    aces: impl Iterator<Item = PlainAce>,
) -> Option<CheckVerdict> {
    let (ma, explicit) = match plain_request(
        question.token_level,
        question.label_level,
        &question.privileges,
        request,
    )? {
        Ok(asked) => asked,
        Err(done) => return Some(done),
    };
    // MS-DTYP 2.5.3.2: the owner's implicit READ_CONTROL | WRITE_DAC,
    // unless an OWNER RIGHTS ACE is present.
    let pre = if !question.owner_rights && owner_held() {
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
        for ace in aces {
            if remaining == 0 {
                break;
            }
            if ace.allow {
                if ace.held {
                    remaining &= !ace.mask;
                }
            } else if ace.held && remaining & ace.mask != 0 {
                return Some(answer(NtStatus::AccessDenied, 0));
            }
        }
        return if remaining == 0 {
            Some(answer(NtStatus::Success, explicit))
        } else {
            Some(answer(NtStatus::AccessDenied, 0))
        };
    }
    // MAXIMUM_ALLOWED: each bit goes to the first ACE that names it.
    let (mut granted, mut denied) = (0u32, 0u32);
    for ace in aces {
        if ace.allow {
            if ace.held {
                granted |= ace.mask & !denied;
            }
        } else if ace.held {
            denied |= ace.mask & !granted;
        }
    }
    let g = pre | (granted & !NOT_GRANTABLE_BY_ACE);
    if g == 0 || explicit & !g != 0 {
        Some(answer(NtStatus::AccessDenied, 0))
    } else {
        Some(answer(NtStatus::Success, g))
    }
}
