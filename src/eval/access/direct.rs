//! The direct one-shot path of [`super::access_check`]: a plain question
//! about a plain [`Token`] and [`SecurityDescriptor`] answered without
//! compiling either, by comparing SIDs directly (no interning table, no
//! bit sets, no copy of the descriptor).
//!
//! It takes exactly the questions [`super::simple::decide_simple`] answers
//! for the compiled forms (and only when [`super::check`] would take that
//! short path: no audit ACE or scoped policy in the SACL), decides them with
//! the same rules ([`super::simple::decide_plain`]), and hands everything
//! else back (`None`) to the compiled path, which makes every check and
//! raises every error. `prop_access::one_shot_direct_path_equals_interned_path`
//! holds the two to the same answers.

use super::request::{AccessRequest, CheckVerdict};
use super::simple::{decide_plain, PlainAce, PlainQuestion};
use crate::descriptor::ace::{Ace, AceType};
use crate::descriptor::acl::Acl;
use crate::descriptor::sd::{DaclState, SecurityDescriptor};
use crate::ids::sid::{well_known, Sid};
use crate::token::{IntegrityLevel, MandatoryPolicy, Token};
use std::collections::hash_map::RandomState;
use std::hash::BuildHasher;

/// Up to this many token SIDs times DACL ACEs, SIDs are compared pairwise;
/// beyond it, the token's SIDs are hashed once into a small open-addressing
/// table and each ACE's SID is looked up there.
const PAIRWISE_LIMIT: usize = 256;

/// Answers `request` for `token` against `sd` when the compiled short path
/// would, with the same answer; `None` hands the question to the compiled
/// path.
pub(super) fn decide_direct(
    token: &Token,
    sd: &SecurityDescriptor,
    request: &AccessRequest<'_>,
) -> Option<CheckVerdict> {
    // The token side of `CompiledToken::simple_integrity`: restricted and
    // AppContainer tokens take the full path.
    if token.is_restricted() || token.is_app_container() {
        return None;
    }
    let token_level = if token
        .mandatory_policy
        .contains(MandatoryPolicy::NO_WRITE_UP)
    {
        token.integrity
    } else {
        IntegrityLevel(u32::MAX)
    };
    // The descriptor side of `CompiledDescriptor::simple_level`, and the
    // SACL conditions of `check`'s short path.
    let owner = sd.owner?;
    sd.group?;
    let DaclState::Acl(acl) = sd.dacl_state() else {
        return None;
    };
    let label_level = plain_sacl_label(sd)?;
    let mut owner_rights = false;
    for ace in &acl.aces {
        if ace.is_inherit_only() {
            continue;
        }
        // MS-DTYP 2.5.3.2: OWNER RIGHTS (not inherit-only) removes the
        // owner's implicit READ_CONTROL | WRITE_DAC.
        owner_rights |= ace.is_owner_rights();
        let t = ace.ace_type;
        if (t.is_allow() || t.is_deny())
            && (ace.sid == well_known::PRINCIPAL_SELF || t.is_object() || t.is_callback())
        {
            return None;
        }
    }
    let question = PlainQuestion {
        token_level,
        label_level,
        privileges: token.enabled_privileges(),
        owner_rights,
    };
    let sids = token.groups.len() + 1;
    if sids.saturating_mul(acl.aces.len()) <= PAIRWISE_LIMIT {
        decide_resolved(&question, request, acl, &owner, |sid, allow| {
            holds(token, sid, allow)
        })
    } else {
        let index = TokenIndex::new(token);
        decide_resolved(&question, request, acl, &owner, |sid, allow| {
            index.holds(sid, allow)
        })
    }
}

/// [`decide_plain`] over the DACL's ACEs, with `held(sid, allow)` saying
/// whether the token holds `sid` for an allow (or deny) ACE.
#[inline(always)]
fn decide_resolved(
    question: &PlainQuestion,
    request: &AccessRequest<'_>,
    acl: &Acl,
    owner: &Sid,
    held: impl Fn(&Sid, bool) -> bool,
) -> Option<CheckVerdict> {
    decide_plain(
        question,
        request,
        || held(owner, true),
        acl.aces
            .iter()
            .filter_map(|ace| plain_ace(ace, owner))
            .map(|(allow, mask, sid)| PlainAce {
                allow,
                mask,
                held: held(sid, allow),
            }),
    )
}

/// The ACEs the check evaluates: not inherit-only, allow or deny (other
/// types are set aside, as the compiled descriptor does), OWNER RIGHTS
/// standing for the owner (MS-DTYP 2.5.3.2). `(allow, mask, SID)`.
#[inline(always)]
fn plain_ace<'a>(ace: &'a Ace, owner: &'a Sid) -> Option<(bool, u32, &'a Sid)> {
    if ace.is_inherit_only() {
        return None;
    }
    let allow = ace.ace_type.is_allow();
    if !allow && !ace.ace_type.is_deny() {
        return None;
    }
    let sid = if ace.is_owner_rights() {
        owner
    } else {
        &ace.sid
    };
    Some((allow, ace.mask.0, sid))
}

/// The mandatory label's level (Medium without one) when the SACL lets the
/// short path run, else `None`: a process trust label, an access filter, a
/// scoped policy or an audit ACE (each not inherit-only) needs the full
/// path. Mirrors the SACL walk of `SidTable::compile_descriptor`.
fn plain_sacl_label(sd: &SecurityDescriptor) -> Option<IntegrityLevel> {
    let mut label = None;
    let Some(sacl) = &sd.sacl else {
        return Some(IntegrityLevel::MEDIUM);
    };
    for ace in &sacl.aces {
        match ace.ace_type {
            // A resource attribute applies whatever its flags (MS-DTYP
            // 2.4.4.15); it matters only to conditions, which a plain DACL
            // has none of.
            AceType::SystemResourceAttribute => {}
            _ if ace.is_inherit_only() => {}
            // MS-DTYP 2.5.3.3: the first mandatory label that is not
            // inherit-only.
            AceType::SystemMandatoryLabel if label.is_none() => {
                label = Some(IntegrityLevel::from_sid(&ace.sid).unwrap_or(IntegrityLevel::MEDIUM));
            }
            AceType::SystemProcessTrustLabel
            | AceType::SystemAccessFilter
            | AceType::SystemScopedPolicyId
            | AceType::SystemAudit
            | AceType::SystemAuditObject
            | AceType::SystemAuditCallback
            | AceType::SystemAuditCallbackObject => return None,
            _ => {}
        }
    }
    Some(label.unwrap_or(IntegrityLevel::MEDIUM))
}

/// MS-DTYP 2.5.3.2 ("SID in token"): whether `token` holds `sid` for an
/// allow ACE (the user unless deny-only; a group enabled and not
/// deny-only) or a deny ACE (the user always; a group enabled or
/// deny-only). The same sets `SidTable::compile_token` builds.
#[inline]
fn holds(token: &Token, sid: &Sid, allow: bool) -> bool {
    if same_sid(&token.user.sid, sid) && (!allow || !token.user.is_deny_only()) {
        return true;
    }
    token.groups.iter().any(|g| {
        same_sid(&g.sid, sid)
            && if allow {
                g.matches_allow()
            } else {
                g.matches_deny()
            }
    })
}

/// SID equality with the cheap, most distinguishing part (the last
/// sub-authority) compared first.
#[inline(always)]
fn same_sid(a: &Sid, b: &Sid) -> bool {
    a.rid() == b.rid() && a == b
}

/// A hash of a SID for [`TokenIndex`], keyed by `seed`: equal SIDs hash
/// equal. Multiply-rotate rounds; the table takes the high bits.
#[inline]
fn sid_hash(seed: u64, sid: &Sid) -> u64 {
    const K: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut h = (seed ^ sid.authority()).wrapping_mul(K);
    for &s in sid.sub_authorities() {
        h = (h.rotate_left(5) ^ u64::from(s)).wrapping_mul(K);
    }
    h
}

/// The token's user and groups hashed once, for large tokens and ACLs:
/// each distinct SID with whether it matches allow ACEs and deny ACEs.
struct TokenIndex<'t> {
    /// Open addressing: 0 is empty, else 1 + an index into `entries`.
    slots: Vec<u32>,
    entries: Vec<(&'t Sid, bool, bool)>,
    mask: usize,
    /// How far the hash is shifted right to give a slot (its high bits).
    shift: u32,
    /// A key drawn per index, so that no input can be crafted to collide
    /// (hostile tokens must not make the index quadratic).
    seed: u64,
}

impl<'t> TokenIndex<'t> {
    fn new(token: &'t Token) -> TokenIndex<'t> {
        let n = token.groups.len() + 1;
        let size = (n * 2).next_power_of_two().max(2);
        let mut index = TokenIndex {
            slots: vec![0; size],
            entries: Vec::with_capacity(n),
            mask: size - 1,
            shift: 64 - size.trailing_zeros(),
            seed: RandomState::new().hash_one(0x5EC_C7C7u64),
        };
        index.add(&token.user.sid, !token.user.is_deny_only(), true);
        for g in &token.groups {
            index.add(&g.sid, g.matches_allow(), g.matches_deny());
        }
        index
    }

    fn add(&mut self, sid: &'t Sid, allow: bool, deny: bool) {
        let mut at = (sid_hash(self.seed, sid) >> self.shift) as usize;
        loop {
            match self.slots[at] {
                0 => {
                    self.entries.push((sid, allow, deny));
                    self.slots[at] = self.entries.len() as u32;
                    return;
                }
                e => {
                    if let Some(entry) = self.entries.get_mut(e as usize - 1) {
                        if entry.0 == sid {
                            entry.1 |= allow;
                            entry.2 |= deny;
                            return;
                        }
                    }
                }
            }
            at = (at + 1) & self.mask;
        }
    }

    fn holds(&self, sid: &Sid, allow: bool) -> bool {
        let mut at = (sid_hash(self.seed, sid) >> self.shift) as usize;
        loop {
            match self.slots[at] {
                0 => return false,
                e => {
                    if let Some(&(s, a, d)) = self.entries.get(e as usize - 1) {
                        if s == sid {
                            return if allow { a } else { d };
                        }
                    }
                }
            }
            at = (at + 1) & self.mask;
        }
    }
}
