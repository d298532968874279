//! A deliberately naive access check, written in the shape of the rules
//! rather than for speed, to cross-check [`crate::eval::access`] (Cedar keeps a
//! reference model beside its authorizer in the same way).
//!
//! It reads the plain [`Token`] and [`SecurityDescriptor`] directly (linear
//! scans, no interning, no bit sets) and decides a plain check bit by bit:
//! *each bit is decided by the first applicable ACE that names it* (MS-DTYP
//! 2.5.3.2). A normal request succeeds when every wanted bit's first ACE is
//! an allow; MAXIMUM_ALLOWED grants every bit whose first ACE is an allow.
//! Object-type lists are simulated ACE by ACE over the tree. The property
//! suite checks that both evaluators give identical decisions.
//!
//! It shares only the data types with the fast evaluator: its SID matching
//! (SidInToken, MS-DTYP 2.5.3.1.1) and literal right constants are in
//! `sids`, and its conditional-expression evaluator and claim lookup
//! (MS-DTYP 2.4.4.17) in `condition`, its reader of the binary expression
//! stream (2.4.4.17.4) in `stream`, none calling into
//! `crate::eval::access` nor the fast condition evaluator.

mod condition;
mod sids;
mod stream;

use crate::descriptor::ace::{Ace, AceFlags, AceType};
use crate::descriptor::claims::ClaimAttribute;
use crate::descriptor::sd::{DaclState, SecurityDescriptor};
use crate::eval::access::{
    AccessDecision, AccessError, AccessRequest, AuditEvent, ObjectTypeNode, ObjectTypeResult,
    MAX_LEVEL,
};
use crate::ids::mask::{AccessMask, GenericMapping};
use crate::ids::privilege::{Privilege, PrivilegeSet};
use crate::ids::sid::{well_known, Sid};
use crate::ids::status::NtStatus;
use crate::token::{IntegrityLevel, MandatoryPolicy, Token};
use condition::{Env, Tri};
use sids::{
    ACCESS_SYSTEM_SECURITY as ASS, MAXIMUM_ALLOWED as MAX, READ_CONTROL_WRITE_DAC as RC_WD,
    WRITE_OWNER as WO,
};

/// `SYSTEM_MANDATORY_LABEL_NO_WRITE_UP` (MS-DTYP 2.4.4.13).
const NO_WRITE_UP: u32 = 0x1;
/// `SYSTEM_MANDATORY_LABEL_NO_READ_UP` (MS-DTYP 2.4.4.13).
const NO_READ_UP: u32 = 0x2;
/// `SYSTEM_MANDATORY_LABEL_NO_EXECUTE_UP` (MS-DTYP 2.4.4.13).
const NO_EXECUTE_UP: u32 = 0x4;

/// Which SIDs a pass matches.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pass {
    /// The user and groups.
    Normal,
    /// The restricting SIDs (MS-DTYP 2.5.3.2, the restricted pass).
    Restricted,
}

/// The reference access check. Same contract as [`crate::access_check`];
/// the decision never carries a trace.
pub fn naive_access_check(
    token: &Token,
    sd: &SecurityDescriptor,
    req: &AccessRequest<'_>,
) -> Result<AccessDecision, AccessError> {
    // NtAccessCheck's order (ReactOS `SepAccessCheck`): the result list's
    // arrays, the generic bits, the object-type list, then the descriptor.
    if req.result_list && req.object_types.is_empty() {
        return Err(AccessError::ResultListWithoutObjectTypes);
    }
    if req.desired.0 & sids::GENERIC_BITS != 0 && req.mapping.is_none() {
        return Err(AccessError::GenericNotMapped {
            desired: req.desired,
        });
    }
    validate_list(req.object_types)?;
    if sd.owner.is_none() {
        return Err(AccessError::InvalidSecurityDescriptor { missing: "owner" });
    }
    if sd.group.is_none() {
        return Err(AccessError::InvalidSecurityDescriptor { missing: "group" });
    }
    let mapping = req.mapping.unwrap_or_default();
    let desired = map_generic(&mapping, req.desired.0);
    let ma = desired & MAX != 0;
    let explicit = desired & !MAX;
    // Resource attributes: every RA ACE in the SACL (MS-DTYP 2.4.4.15).
    let resources = sd
        .sacl
        .iter()
        .flat_map(|a| a.aces.iter())
        .filter(|a| a.ace_type == AceType::SystemResourceAttribute)
        .filter_map(|a| ClaimAttribute::decode_relative(&a.application_data).ok())
        .collect();
    let r = Reference {
        token,
        sd,
        req,
        mapping,
        ma,
        explicit,
        resources,
    };
    Ok(r.run())
}

/// MS-DTYP 2.4.3 (and RtlMapGenericMask): each generic bit is replaced by
/// the mapping's rights for it; the other bits pass through.
fn map_generic(m: &GenericMapping, desired: u32) -> u32 {
    let mut out = desired & !sids::GENERIC_BITS;
    for (bit, rights) in [
        (0x8000_0000u32, m.read.0),
        (0x4000_0000, m.write.0),
        (0x2000_0000, m.execute.0),
        (0x1000_0000, m.all.0),
    ] {
        if desired & bit != 0 {
            out |= rights;
        }
    }
    out
}

/// The object-type list must be a tree (MS-DTYP 2.5.3.2: levels start at
/// 0, step down by at most one, GUIDs distinct).
fn validate_list(list: &[ObjectTypeNode]) -> Result<(), AccessError> {
    for (i, n) in list.iter().enumerate() {
        let ok = n.level <= MAX_LEVEL
            && (i == 0) == (n.level == 0)
            && (i == 0 || n.level <= list[i - 1].level + 1)
            && !list[..i].iter().any(|m| m.guid == n.guid);
        if !ok {
            return Err(AccessError::InvalidObjectTypeList {
                index: i,
                reason: "not a valid object-type tree".into(),
            });
        }
    }
    Ok(())
}

/// One check: its inputs and what was worked out from the request.
struct Reference<'a> {
    /// The token checked.
    token: &'a Token,
    /// The object's descriptor.
    sd: &'a SecurityDescriptor,
    /// The request.
    req: &'a AccessRequest<'a>,
    /// The request's generic mapping (all zero when none was given).
    mapping: GenericMapping,
    /// Whether MAXIMUM_ALLOWED was asked.
    ma: bool,
    /// The mapped desired rights without MAXIMUM_ALLOWED.
    explicit: u32,
    /// The object's resource attributes (MS-DTYP 2.4.4.15).
    resources: Vec<ClaimAttribute>,
}

impl Reference<'_> {
    /// The stages of MS-DTYP 2.5.3.2 in order: mandatory label, privileges,
    /// owner rights, the DACL (and the restricted and AppContainer passes).
    fn run(&self) -> AccessDecision {
        let nodes = self.req.object_types.len().max(1);
        let mut used = PrivilegeSet::EMPTY;
        if !self.ma && self.explicit == 0 {
            return self.decide(NtStatus::AccessDenied, 0, used, None);
        }
        let allowed = self.mandatory_allowed();
        if !self.ma && self.explicit & !allowed != 0 {
            return self.decide(NtStatus::AccessDenied, 0, used, None);
        }
        let has = |p: Privilege| sids::privilege(self.token, p);
        let mut pre = 0u32;
        if self.req.backup_intent {
            for (p, set) in [
                (Privilege::Backup, sids::BACKUP),
                (Privilege::Restore, sids::RESTORE),
            ] {
                if has(p) {
                    let bits = (self.explicit & !pre & set) | if self.ma { set & !ASS } else { 0 };
                    if bits != 0 {
                        pre |= bits;
                        used.insert(p);
                    }
                }
            }
        }
        if self.explicit & ASS & !pre != 0 {
            if !has(Privilege::Security) {
                return self.decide(NtStatus::PrivilegeNotHeld, 0, used, None);
            }
            pre |= ASS;
            used.insert(Privilege::Security);
        }
        if (self.explicit & WO & !pre != 0) || (self.ma && pre & WO == 0) {
            if let Some(p) = [Privilege::TakeOwnership, Privilege::Relabel]
                .into_iter()
                .find(|p| has(*p))
            {
                pre |= WO;
                used.insert(p);
            }
        }
        let owner = self.sd.owner.unwrap_or(well_known::NULL);
        // 2.5.3.2: the owner's implicit rights need the owner SID in the
        // token (and, for a restricted token, among the restricting SIDs).
        let is_owner = sids::in_token(self.token, &owner, false)
            && (!self.restricted() || sids::in_list(&self.token.restricted_sids, &owner, false));
        let owner_rights_ace = self
            .dacl_aces()
            .any(|a| !a.is_inherit_only() && a.sid == well_known::OWNER_RIGHTS);
        if is_owner && !owner_rights_ace {
            pre |= if self.ma {
                RC_WD
            } else {
                self.explicit & RC_WD
            };
        }
        let remaining = self.explicit & !pre;
        if !self.ma && remaining == 0 && !self.app_container() {
            return self.decide(NtStatus::Success, self.explicit, used, None);
        }

        // The DACL: per node, bits still wanted (normal) or granted (MA),
        // and whether a deny ended the node.
        let ac = self.app_container();
        let no_dacl = !matches!(self.sd.dacl_state(), DaclState::Acl(_));
        // A null or absent DACL grants everything, except to an AppContainer.
        let grants_all = no_dacl && !ac;
        let (mut result, ac_part): (Vec<(u32, bool)>, u32) = if grants_all {
            let v = if self.ma { self.mapping.all.0 } else { 0 };
            (vec![(v, false); nodes], 0)
        } else {
            let first = self.pass(Pass::Normal, remaining);
            let ac_part = if ac { self.package_part() } else { 0 };
            (first, ac_part)
        };
        if self.restricted() && !grants_all {
            let w = if self.token.write_restricted {
                self.write_bits()
            } else {
                u32::MAX
            };
            let first_failed = !self.ma && result.iter().all(|(b, d)| *d || *b != 0);
            if !first_failed && (self.ma || remaining & w != 0) {
                let second = self.pass(Pass::Restricted, remaining & w);
                for (a, b) in result.iter_mut().zip(second) {
                    if self.ma {
                        a.0 &= b.0 | !w;
                    } else {
                        a.0 |= b.0;
                        a.1 |= b.1;
                    }
                }
            }
        }
        // Each node's answer with what it holds. A denied node of a result
        // list still reports the rights it was granted (owner rights,
        // privileges, allow ACEs): the ReactOS apitest
        // `NtAccessCheckByTypeResultList` (DenyAccessTests) records
        // READ_CONTROL on every denied node of an owner.
        let answers: Vec<(NtStatus, u32)> = result
            .iter()
            .map(|&(bits, dead)| {
                if self.ma {
                    let mut g = pre | (bits & !(sids::GENERIC_BITS | MAX | ASS));
                    if ac {
                        g &= ac_part;
                    }
                    g &= allowed;
                    if g == 0 || self.explicit & !g != 0 {
                        (NtStatus::AccessDenied, g)
                    } else {
                        (NtStatus::Success, g)
                    }
                } else if dead || bits != 0 || (ac && ac_part != 0) {
                    // `bits` are the wanted rights no allow ACE gave.
                    let mut held = self.explicit & !bits;
                    if ac {
                        held &= !ac_part;
                    }
                    (NtStatus::AccessDenied, held)
                } else {
                    (NtStatus::Success, self.explicit)
                }
            })
            .collect();
        let (status, granted) = answers[0];
        self.decide(status, granted, used, Some(answers))
    }

    /// The decision: per-node results when asked, and the audit events.
    fn decide(
        &self,
        status: NtStatus,
        granted: u32,
        used: PrivilegeSet,
        per_node: Option<Vec<(NtStatus, u32)>>,
    ) -> AccessDecision {
        let granted = if status == NtStatus::Success {
            granted
        } else {
            0
        };
        let results = if self.req.result_list {
            self.req
                .object_types
                .iter()
                .enumerate()
                .map(|(i, n)| {
                    let (s, g) = per_node.as_ref().map_or((status, granted), |v| v[i]);
                    ObjectTypeResult {
                        level: n.level,
                        guid: n.guid,
                        status: s,
                        granted: AccessMask(g),
                    }
                })
                .collect()
        } else {
            Vec::new()
        };
        AccessDecision {
            status,
            granted: AccessMask(granted),
            privileges_used: used,
            results,
            audit: self.audit(status, granted),
            trace: None,
        }
    }

    /// The DACL's ACEs, if any.
    fn dacl_aces(&self) -> impl Iterator<Item = &Ace> {
        self.sd.dacl.iter().flat_map(|a| a.aces.iter())
    }

    /// The SACL's ACEs with their indexes, if any.
    fn sacl_aces(&self) -> impl Iterator<Item = (usize, &Ace)> {
        self.sd.sacl.iter().flat_map(|a| a.aces.iter().enumerate())
    }

    /// Whether the token has restricting SIDs.
    fn restricted(&self) -> bool {
        !self.token.restricted_sids.is_empty()
    }

    /// Whether the token is an AppContainer token.
    fn app_container(&self) -> bool {
        self.token.app_container.is_some()
    }

    /// The rights a write-restricted token's restricted pass checks.
    fn write_bits(&self) -> u32 {
        let m = &self.mapping;
        (m.write.0 | sids::DELETE | sids::WRITE_DAC | WO) & !(m.read.0 | m.execute.0)
    }

    /// Trust label, access filters and mandatory integrity.
    fn mandatory_allowed(&self) -> u32 {
        let mut allowed = u32::MAX;
        let tl = self
            .sacl_aces()
            .find(|(_, a)| a.ace_type == AceType::SystemProcessTrustLabel && !a.is_inherit_only());
        if let Some((_, a)) = tl {
            let dominated = match (self.token.trust_level, a.sid.sub_authorities()) {
                (Some(t), [lt, ll]) if t.authority() == 19 && a.sid.authority() == 19 => {
                    matches!(t.sub_authorities(), [tt, tl2] if tt >= lt && tl2 >= ll)
                }
                _ => false,
            };
            if !dominated {
                allowed &= a.mask.0 | ASS;
            }
        }
        for (_, a) in self.sacl_aces() {
            if a.ace_type == AceType::SystemAccessFilter
                && !a.is_inherit_only()
                && self.condition(a, false) != Tri::True
            {
                allowed &= a.mask.0 | ASS;
            }
        }
        if !self
            .token
            .mandatory_policy
            .contains(MandatoryPolicy::NO_WRITE_UP)
        {
            return allowed;
        }
        // The first mandatory label in the SACL that is not inherit-only
        // (MS-DTYP 2.4.4.13); its SID's RID is the level (S-1-16-RID), and
        // an unreadable label counts as medium. No label: medium, no
        // write-up.
        let label = self
            .sacl_aces()
            .map(|(_, a)| a)
            .find(|a| a.ace_type == AceType::SystemMandatoryLabel && !a.is_inherit_only());
        let (level, policy) = match label {
            Some(a) => (
                match (a.sid.authority(), a.sid.sub_authorities()) {
                    (16, [rid]) => IntegrityLevel(*rid),
                    _ => IntegrityLevel::MEDIUM,
                },
                a.mask.0,
            ),
            None => (IntegrityLevel::MEDIUM, NO_WRITE_UP),
        };
        if self.token.integrity >= level {
            return allowed;
        }
        if self.app_container() && level <= IntegrityLevel::MEDIUM {
            return allowed;
        }
        let mut mic = 0;
        if policy & NO_READ_UP == 0 {
            mic |= self.mapping.read.0;
        }
        if policy & NO_WRITE_UP == 0 {
            mic |= self.mapping.write.0;
        }
        if policy & NO_EXECUTE_UP == 0 {
            mic |= self.mapping.execute.0;
        }
        if sids::privilege(self.token, Privilege::Relabel) {
            mic |= WO;
        }
        allowed & mic
    }

    /// The SID an ACE stands for.
    fn trustee(&self, ace: &Ace) -> Sid {
        if ace.sid == well_known::OWNER_RIGHTS {
            self.sd.owner.unwrap_or(well_known::NULL)
        } else if ace.sid == well_known::PRINCIPAL_SELF {
            self.req.self_sid.unwrap_or(ace.sid)
        } else {
            ace.sid
        }
    }

    /// Whether an access ACE applies in `pass`: SID held (enabled for
    /// allow, enabled or deny-only for deny) and condition TRUE (allow) or
    /// not FALSE (deny).
    fn applies(&self, ace: &Ace, pass: Pass) -> bool {
        let sid = self.trustee(ace);
        let allow = ace.ace_type.is_allow();
        let held = match pass {
            Pass::Normal => sids::in_token(self.token, &sid, !allow),
            Pass::Restricted => sids::in_list(&self.token.restricted_sids, &sid, !allow),
        };
        if !held {
            return false;
        }
        if !ace.ace_type.is_callback() {
            return true;
        }
        let v = self.condition(ace, !allow);
        if allow {
            v == Tri::True
        } else {
            v != Tri::False
        }
    }

    /// The value of an ACE's condition (MS-DTYP 2.5.3.1.5); application
    /// data that is not an expression is UNKNOWN.
    fn condition(&self, ace: &Ace, for_deny: bool) -> Tri {
        match stream::decode(&ace.application_data) {
            Some(tokens) => condition::evaluate(
                &tokens,
                &Env {
                    token: self.token,
                    resources: &self.resources,
                    for_deny,
                },
            ),
            None => Tri::Unknown,
        }
    }

    /// One DACL pass. Plain check: bit by bit, the first applicable ACE
    /// naming a bit decides it. Object-type list: ACE by ACE over the tree.
    fn pass(&self, pass: Pass, wanted: u32) -> Vec<(u32, bool)> {
        let aces: Vec<&Ace> = self
            .dacl_aces()
            .filter(|a| !a.is_inherit_only() && (a.ace_type.is_allow() || a.ace_type.is_deny()))
            .collect();
        if self.req.object_types.is_empty() {
            // Without a list, allowed object ACEs are ignored and denied
            // object ACEs act as plain denies.
            let relevant: Vec<&Ace> = aces
                .into_iter()
                .filter(|a| !(a.ace_type.is_object() && a.ace_type.is_allow()))
                .filter(|a| self.applies(a, pass))
                .collect();
            let mut granted = 0u32;
            let mut wanted_left = 0u32;
            for bit in (0..32).map(|b| 1u32 << b) {
                let first = relevant.iter().find(|a| a.mask.0 & bit != 0);
                let allowed = first.is_some_and(|a| a.ace_type.is_allow());
                if allowed {
                    granted |= bit;
                } else if wanted & bit != 0 {
                    wanted_left |= bit;
                }
            }
            return vec![if self.ma {
                (granted, false)
            } else {
                // Normal mode: fails as soon as any wanted bit is not
                // granted by its first ACE; a denied bit ends the check.
                (wanted_left, wanted_left != 0)
            }];
        }
        self.pass_tree(pass, wanted, &aces)
    }

    /// A DACL pass over an object-type list (MS-DTYP 2.5.3.2, the
    /// object-type tree walk).
    fn pass_tree(&self, pass: Pass, wanted: u32, aces: &[&Ace]) -> Vec<(u32, bool)> {
        let list = self.req.object_types;
        let n = list.len();
        let parent =
            |i: usize| -> Option<usize> { (0..i).rev().find(|&j| list[j].level < list[i].level) };
        let in_subtree = |root: usize, i: usize| -> bool {
            i >= root && (root + 1..=i).all(|j| list[j].level > list[root].level)
        };
        let mut granted = vec![0u32; n];
        let mut denied = vec![0u32; n];
        let mut dead = vec![false; n];
        for ace in aces {
            let target = match ace.object_type.filter(|_| ace.ace_type.is_object()) {
                None => Some(0),
                Some(g) => list.iter().position(|x| x.guid == g),
            };
            let Some(target) = target else { continue };
            if !self.applies(ace, pass) {
                continue;
            }
            if !self.ma && !self.req.result_list && dead[0] {
                break;
            }
            let m = ace.mask.0;
            // A result list keeps granting to a node a deny failed, so that
            // the node can report its partial grant; a right once denied
            // is never granted (ReactOS `SepAllowAccessObjectTypeResultList`).
            let open = |i: usize, dead: &[bool]| !dead[i] || self.req.result_list;
            if ace.ace_type.is_allow() {
                for i in (0..n).filter(|&i| in_subtree(target, i)) {
                    if open(i, &dead) {
                        granted[i] |= m & !denied[i];
                    }
                }
                let mut at = parent(target);
                while let Some(p) = at {
                    let children: Vec<usize> = (0..n).filter(|&c| parent(c) == Some(p)).collect();
                    let all = children.iter().fold(u32::MAX, |acc, &c| acc & granted[c]);
                    if open(p, &dead) {
                        granted[p] |= all & !denied[p];
                    }
                    at = parent(p);
                }
            } else {
                let mut hit: Vec<usize> = (0..n).filter(|&i| in_subtree(target, i)).collect();
                let mut at = parent(target);
                while let Some(p) = at {
                    hit.push(p);
                    at = parent(p);
                }
                for i in hit {
                    if self.ma {
                        denied[i] |= m & !granted[i];
                    } else if open(i, &dead) && wanted & !granted[i] & m != 0 {
                        denied[i] |= m & !granted[i];
                        dead[i] = true;
                    }
                }
            }
        }
        (0..n)
            .map(|i| {
                if self.ma {
                    (granted[i], false)
                } else {
                    (wanted & !granted[i], dead[i])
                }
            })
            .collect()
    }

    /// The AppContainer part: normal mode, the wanted bits no package ACE
    /// grants; MAXIMUM_ALLOWED, the bits package ACEs grant.
    fn package_part(&self) -> u32 {
        let mut granted = 0u32;
        for ace in self.dacl_aces() {
            if ace.is_inherit_only() || !ace.ace_type.is_allow() || ace.ace_type.is_object() {
                continue;
            }
            let sid = self.trustee(ace);
            if sids::in_token(self.token, &sid, false) || !sids::in_package(self.token, &sid) {
                continue;
            }
            if ace.ace_type.is_callback() && self.condition(ace, false) != Tri::True {
                continue;
            }
            granted |= ace.mask.0;
        }
        if self.ma {
            granted
        } else {
            self.explicit & !granted
        }
    }

    /// The audit events the SACL raises for the outcome (MS-DTYP 2.4.4.10).
    fn audit(&self, status: NtStatus, granted: u32) -> Vec<AuditEvent> {
        let success = status == NtStatus::Success;
        let asked = self.explicit | if self.ma { self.mapping.all.0 } else { 0 };
        let mut out = Vec::new();
        for (i, a) in self.sacl_aces() {
            let is_audit = matches!(
                a.ace_type,
                AceType::SystemAudit
                    | AceType::SystemAuditObject
                    | AceType::SystemAuditCallback
                    | AceType::SystemAuditCallbackObject
            );
            if !is_audit || a.is_inherit_only() {
                continue;
            }
            let flag = if success {
                AceFlags::SUCCESSFUL_ACCESS
            } else {
                AceFlags::FAILED_ACCESS
            };
            if !a.flags.contains(flag) || !sids::in_token(self.token, &self.trustee(a), false) {
                continue;
            }
            if let Some(g) = a.object_type.filter(|_| a.ace_type.is_object()) {
                if !self.req.object_types.iter().any(|n| n.guid == g) {
                    continue;
                }
            }
            if a.ace_type.is_callback() && self.condition(a, false) != Tri::True {
                continue;
            }
            let mask = a.mask.0 & if success { granted } else { asked };
            if mask != 0 {
                out.push(AuditEvent {
                    success,
                    ace_index: i,
                    sid: a.sid,
                    mask: AccessMask(mask),
                });
            }
        }
        out
    }
}
