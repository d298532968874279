//! The compiled forms the access check runs on.
//!
//! A [`SidTable`] interns SIDs to small integers. A token compiles to bit sets
//! over those integers (which SIDs match allow ACEs, which match deny ACEs,
//! which restricting SIDs, which AppContainer SIDs), so testing an ACE's SID
//! is one load and one AND, whatever the number of groups. A descriptor
//! compiles to the ACEs the check evaluates, with SIDs pre-resolved
//! (OWNER RIGHTS replaced by the owner, MS-DTYP 2.5.3.2), inherit-only ACEs
//! set aside, conditions decoded and the SACL's label, trust label, filters,
//! audit ACEs and resource attributes extracted.
//!
//! A token and a descriptor must be compiled by the same table; the check
//! refuses a mix ([`super::AccessError::ForeignTable`]).

use crate::descriptor::ace::{Ace, AceFlags, AceType};
use crate::descriptor::claims::ClaimAttribute;
use crate::descriptor::condition::eval::usable_values;
use crate::descriptor::condition::Expression;
use crate::descriptor::sd::{DaclState, SecurityDescriptor};
use crate::ids::guid::Guid;
use crate::ids::privilege::PrivilegeSet;
use crate::ids::sid::{well_known, Sid};
use crate::token::{IntegrityLevel, MandatoryPolicy, Token, TokenGroup};
use std::collections::hash_map::{Entry, RandomState};
use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU32, Ordering};

static NEXT_TABLE: AtomicU32 = AtomicU32::new(1);

/// An interned SID: an index into a [`SidTable`].
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub struct SidId(pub(crate) u32);

/// The id no table hands out: a SID that nothing holds.
pub(crate) const NO_SID: u32 = u32::MAX;
/// "No entry" in the 16-bit index fields of [`CompiledAce`].
pub(crate) const NONE16: u16 = u16::MAX;

/// Interns SIDs to dense integers shared by the tokens and descriptors it
/// compiles.
#[derive(Debug)]
pub struct SidTable {
    ids: HashMap<Sid, u32, SidHashKey>,
    sids: Vec<Sid>,
    tag: u32,
}

impl Default for SidTable {
    fn default() -> SidTable {
        SidTable::new()
    }
}

impl SidTable {
    /// An empty table.
    pub fn new() -> SidTable {
        SidTable {
            ids: HashMap::with_hasher(SidHashKey::new()),
            sids: Vec::new(),
            tag: NEXT_TABLE.fetch_add(1, Ordering::Relaxed),
        }
    }

    /// The id of `sid`, adding it if new.
    pub fn intern(&mut self, sid: &Sid) -> SidId {
        // One hash per SID: look up and insert through the entry.
        let next = self.sids.len() as u32;
        match self.ids.entry(*sid) {
            Entry::Occupied(e) => SidId(*e.get()),
            Entry::Vacant(e) => {
                e.insert(next);
                self.sids.push(*sid);
                SidId(next)
            }
        }
    }

    /// The id of `sid`, if interned.
    pub fn get(&self, sid: &Sid) -> Option<SidId> {
        self.ids.get(sid).map(|&id| SidId(id))
    }

    /// The SID with this id.
    pub fn sid(&self, id: SidId) -> Option<&Sid> {
        self.sids.get(id.0 as usize)
    }

    /// How many SIDs are interned.
    pub fn len(&self) -> usize {
        self.sids.len()
    }

    /// Whether no SID is interned.
    pub fn is_empty(&self) -> bool {
        self.sids.is_empty()
    }

    pub(crate) fn tag(&self) -> u32 {
        self.tag
    }

    /// Compiles a token: its SIDs become bit sets over this table.
    pub fn compile_token(&mut self, token: &Token) -> CompiledToken {
        // Room for every SID the token may add, so the table grows once.
        let sids = 1 + token.groups.len() + token.restricted_sids.len();
        self.ids.reserve(sids);
        self.sids.reserve(sids);
        let mut allow = Vec::with_capacity(token.groups.len() + 1);
        let mut deny = Vec::with_capacity(token.groups.len() + 1);
        // MS-DTYP 2.5.3.2 (SID in token): the user SID always matches unless
        // it is deny-only; groups match allow ACEs when enabled and not
        // deny-only, deny ACEs when enabled or deny-only.
        let user = self.intern(&token.user.sid).0;
        if !token.user.is_deny_only() {
            allow.push(user);
        }
        deny.push(user);
        for g in &token.groups {
            self.add_group(g, &mut allow, &mut deny);
        }
        let mut r_allow = Vec::new();
        let mut r_deny = Vec::new();
        for g in &token.restricted_sids {
            self.add_group(g, &mut r_allow, &mut r_deny);
        }
        let mut package = Vec::new();
        if let Some(p) = token.app_container {
            package.push(self.intern(&p).0);
            // MS-DTYP 2.5.3.2 and Forshaw, Windows Security Internals ch. 7:
            // the AppContainer pass matches the package SID, its enabled
            // capabilities, ALL RESTRICTED APPLICATION PACKAGES, and ALL
            // APPLICATION PACKAGES unless the token is a less-privileged
            // AppContainer.
            package.push(self.intern(&well_known::ALL_RESTRICTED_APP_PACKAGES).0);
            if !token.less_privileged_app_container {
                package.push(self.intern(&well_known::ALL_APP_PACKAGES).0);
            }
            for c in token.capabilities.iter().filter(|c| c.matches_allow()) {
                package.push(self.intern(&c.sid).0);
            }
        }
        let mut device_allow = Vec::new();
        let mut device_deny = Vec::new();
        for g in &token.device_groups {
            self.add_group(g, &mut device_allow, &mut device_deny);
        }
        CompiledToken {
            tag: self.tag,
            allow: BitSet::from_ids(&allow),
            deny: BitSet::from_ids(&deny),
            r_allow: BitSet::from_ids(&r_allow),
            r_deny: BitSet::from_ids(&r_deny),
            package: BitSet::from_ids(&package),
            device_allow: BitSet::from_ids(&device_allow),
            device_deny: BitSet::from_ids(&device_deny),
            privileges: token.enabled_privileges(),
            integrity: token.integrity,
            policy: token.mandatory_policy,
            restricted: token.is_restricted(),
            write_restricted: token.write_restricted && token.is_restricted(),
            app_container: token.is_app_container(),
            trust_level: token.trust_level,
            simple_integrity: if token.is_restricted() || token.is_app_container() {
                None
            } else if token
                .mandatory_policy
                .contains(MandatoryPolicy::NO_WRITE_UP)
            {
                Some(token.integrity)
            } else {
                Some(IntegrityLevel(u32::MAX))
            },
            user_claims: held_claims(&token.user_claims),
            device_claims: held_claims(&token.device_claims),
            local_claims: held_claims(&token.local_claims),
        }
    }

    fn add_group(&mut self, g: &TokenGroup, allow: &mut Vec<u32>, deny: &mut Vec<u32>) {
        if !(g.matches_allow() || g.matches_deny()) {
            return;
        }
        let id = self.intern(&g.sid).0;
        if g.matches_allow() {
            allow.push(id);
        }
        if g.matches_deny() {
            deny.push(id);
        }
    }

    /// Compiles a descriptor.
    pub fn compile_descriptor(&mut self, sd: &SecurityDescriptor) -> CompiledDescriptor {
        let owner = sd.owner.map(|o| self.intern(&o).0);
        let mut guids: Vec<Guid> = Vec::new();
        let mut conditions: Vec<Option<Expression>> = Vec::new();
        let mut dacl_aces = Vec::new();
        let mut inherit_only = Vec::new();
        let mut unsupported = Vec::new();
        let mut owner_rights = None;
        let dacl = match sd.dacl_state() {
            DaclState::Absent => DaclKind::Absent,
            DaclState::Null => DaclKind::Null,
            DaclState::Acl(acl) => {
                for (i, ace) in acl.aces.iter().enumerate() {
                    let index = i as u16;
                    if ace.is_inherit_only() {
                        inherit_only.push(index);
                        continue;
                    }
                    // OWNER RIGHTS: its presence (not inherit-only) removes
                    // the owner's implicit READ_CONTROL | WRITE_DAC
                    // (MS-DTYP 2.5.3.2).
                    if ace.is_owner_rights() && owner_rights.is_none() {
                        owner_rights = Some(index);
                    }
                    let kind = match ace.ace_type {
                        t if t.is_allow() => AceKind::Allow,
                        t if t.is_deny() => AceKind::Deny,
                        _ => {
                            unsupported.push(index);
                            continue;
                        }
                    };
                    let c = self.compile_ace(ace, index, kind, owner, &mut guids, &mut conditions);
                    dacl_aces.push(c);
                }
                DaclKind::Acl {
                    len: acl.aces.len(),
                }
            }
        };

        let mut label = None;
        let mut trust_label = None;
        let mut filters = Vec::new();
        let mut audits = Vec::new();
        let mut resource_attributes = Vec::new();
        let mut scoped_policies = Vec::new();
        if let Some(sacl) = &sd.sacl {
            for (i, ace) in sacl.aces.iter().enumerate() {
                let index = i as u16;
                match ace.ace_type {
                    // A resource attribute applies whatever its flags
                    // (MS-DTYP 2.4.4.15).
                    AceType::SystemResourceAttribute => {
                        if let Ok(c) = ClaimAttribute::decode_relative(&ace.application_data) {
                            resource_attributes.push(held_claim(c));
                        }
                    }
                    _ if ace.is_inherit_only() => {}
                    // MS-DTYP 2.5.3.3 / issue rule: the first mandatory
                    // label that is not inherit-only.
                    AceType::SystemMandatoryLabel if label.is_none() => {
                        let level =
                            IntegrityLevel::from_sid(&ace.sid).unwrap_or(IntegrityLevel::MEDIUM);
                        label = Some(Label {
                            index,
                            sid: ace.sid,
                            level,
                            policy: ace.mask.0,
                        });
                    }
                    AceType::SystemProcessTrustLabel if trust_label.is_none() => {
                        trust_label = Some(TrustLabel {
                            index,
                            sid: ace.sid,
                            mask: ace.mask.0,
                        });
                    }
                    AceType::SystemAccessFilter => {
                        let cond = push_condition(&mut conditions, ace);
                        filters.push(Filter {
                            index,
                            mask: ace.mask.0,
                            cond,
                        });
                    }
                    AceType::SystemScopedPolicyId => scoped_policies.push(index),
                    AceType::SystemAudit
                    | AceType::SystemAuditObject
                    | AceType::SystemAuditCallback
                    | AceType::SystemAuditCallbackObject => {
                        let c = self.compile_ace(
                            ace,
                            index,
                            AceKind::Audit,
                            owner,
                            &mut guids,
                            &mut conditions,
                        );
                        audits.push(c);
                    }
                    _ => {}
                }
            }
        }
        let simple = owner.is_some()
            && sd.group.is_some()
            && matches!(dacl, DaclKind::Acl { .. })
            && trust_label.is_none()
            && filters.is_empty()
            && dacl_aces.iter().all(|a: &CompiledAce| a.simple);
        let simple_level =
            simple.then(|| label.as_ref().map_or(IntegrityLevel::MEDIUM, |l| l.level));
        CompiledDescriptor {
            tag: self.tag,
            sd: sd.clone(),
            owner,
            has_group: sd.group.is_some(),
            dacl,
            aces: dacl_aces.into_boxed_slice(),
            inherit_only: inherit_only.into_boxed_slice(),
            unsupported: unsupported.into_boxed_slice(),
            owner_rights,
            label,
            trust_label,
            filters: filters.into_boxed_slice(),
            audits: audits.into_boxed_slice(),
            scoped_policies: scoped_policies.into_boxed_slice(),
            guids: guids.into_boxed_slice(),
            conditions: conditions.into_boxed_slice(),
            resource_attributes,
            simple_level,
        }
    }

    fn compile_ace(
        &mut self,
        ace: &Ace,
        index: u16,
        kind: AceKind,
        owner: Option<u32>,
        guids: &mut Vec<Guid>,
        conditions: &mut Vec<Option<Expression>>,
    ) -> CompiledAce {
        // MS-DTYP 2.5.3.2: an ACE for OWNER RIGHTS applies to the owner.
        let sid = if ace.sid == well_known::OWNER_RIGHTS {
            owner.unwrap_or(NO_SID)
        } else {
            self.intern(&ace.sid).0
        };
        let object = match ace.object_type {
            Some(g) if ace.ace_type.is_object() => {
                let at = guids.iter().position(|x| *x == g).unwrap_or_else(|| {
                    guids.push(g);
                    guids.len() - 1
                });
                at as u16
            }
            _ => NONE16,
        };
        let cond = if ace.ace_type.is_callback() {
            push_condition(conditions, ace)
        } else {
            NONE16
        };
        let is_self = ace.sid == well_known::PRINCIPAL_SELF;
        CompiledAce {
            mask: ace.mask.0,
            sid,
            kind,
            simple: !is_self && !ace.ace_type.is_object() && cond == NONE16,
            is_self,
            is_object: ace.ace_type.is_object(),
            flags: ace.flags,
            index,
            object,
            cond,
        }
    }
}

/// The hash key of a [`SidTable`]: drawn per table from the standard
/// library's random keys, so that no set of SIDs can be crafted to collide
/// (hostile tokens must not make interning quadratic).
#[derive(Clone, Copy, Debug)]
struct SidHashKey(u64);

impl SidHashKey {
    fn new() -> SidHashKey {
        SidHashKey(RandomState::new().hash_one(0x5EC_C7C7u64))
    }
}

impl BuildHasher for SidHashKey {
    type Hasher = SidHasher;
    fn build_hasher(&self) -> SidHasher {
        SidHasher(self.0)
    }
}

/// A keyed multiply-rotate hasher: a few cycles per SID where SipHash
/// takes a few hundred. A SID hashes as its fields' words (derived
/// `Hash`), eight bytes per round.
struct SidHasher(u64);

const SID_HASH_K: u64 = 0x9E37_79B9_7F4A_7C15;

impl SidHasher {
    #[inline(always)]
    fn round(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(SID_HASH_K);
    }
}

impl Hasher for SidHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.round(u64::from_le_bytes(word));
        }
    }
    #[inline]
    fn write_u8(&mut self, n: u8) {
        self.round(u64::from(n));
    }
    #[inline]
    fn write_u32(&mut self, n: u32) {
        self.round(u64::from(n));
    }
    #[inline]
    fn write_u64(&mut self, n: u64) {
        self.round(n);
    }
    #[inline]
    fn write_usize(&mut self, n: usize) {
        self.round(n as u64);
    }
    #[inline]
    fn finish(&self) -> u64 {
        // Fold the high bits (best mixed) into the low ones the table
        // indexes by.
        self.0 ^ (self.0 >> 32).wrapping_mul(SID_HASH_K)
    }
}

fn push_condition(conditions: &mut Vec<Option<Expression>>, ace: &Ace) -> u16 {
    // An expression that does not decode is kept as `None`, which the
    // check evaluates as an invalid condition (MS-DTYP 2.4.4.17:
    // UNKNOWN, so an allow ACE does not apply and a deny ACE does); the
    // error is not lost, it is the answer.
    conditions.push(Expression::decode(&ace.application_data).ok());
    (conditions.len() - 1) as u16
}

/// A fixed set of interned SIDs.
#[derive(Clone, Debug, Default)]
pub(crate) struct BitSet(Box<[u64]>);

impl BitSet {
    fn from_ids(ids: &[u32]) -> BitSet {
        let words = ids.iter().map(|&i| i as usize / 64 + 1).max().unwrap_or(0);
        let mut bits = vec![0u64; words];
        for &i in ids {
            bits[i as usize / 64] |= 1 << (i % 64);
        }
        BitSet(bits.into_boxed_slice())
    }

    /// Whether `id` is in the set; ids past the end (interned after the
    /// token was compiled, or [`NO_SID`]) are not.
    #[inline(always)]
    pub(crate) fn has(&self, id: u32) -> bool {
        match self.0.get((id / 64) as usize) {
            Some(w) => w & (1 << (id % 64)) != 0,
            None => false,
        }
    }
}

/// A token compiled for the access check.
#[derive(Clone, Debug)]
pub struct CompiledToken {
    pub(crate) tag: u32,
    pub(crate) allow: BitSet,
    pub(crate) deny: BitSet,
    pub(crate) r_allow: BitSet,
    pub(crate) r_deny: BitSet,
    pub(crate) package: BitSet,
    pub(crate) device_allow: BitSet,
    pub(crate) device_deny: BitSet,
    pub(crate) privileges: PrivilegeSet,
    pub(crate) integrity: IntegrityLevel,
    pub(crate) policy: MandatoryPolicy,
    pub(crate) restricted: bool,
    pub(crate) write_restricted: bool,
    pub(crate) app_container: bool,
    pub(crate) trust_level: Option<Sid>,
    /// For [`crate::eval::access::decide`]'s short path: the integrity level the
    /// token's mandatory check compares (the top level when its policy
    /// switches the check off), or `None` for a restricted or AppContainer
    /// token, which always takes the full path.
    pub(crate) simple_integrity: Option<IntegrityLevel>,
    pub(crate) user_claims: Vec<ClaimAttribute>,
    pub(crate) device_claims: Vec<ClaimAttribute>,
    pub(crate) local_claims: Vec<ClaimAttribute>,
}

impl CompiledToken {
    /// The enabled privileges.
    pub fn privileges(&self) -> PrivilegeSet {
        self.privileges
    }

    /// Whether the token has restricting SIDs.
    pub fn is_restricted(&self) -> bool {
        self.restricted
    }
}

/// Which ACEs an ACE acts as in the check.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum AceKind {
    Allow,
    Deny,
    Audit,
}

/// One ACE, pre-resolved.
#[derive(Clone, Copy, Debug)]
pub(crate) struct CompiledAce {
    pub(crate) mask: u32,
    /// The interned SID (OWNER RIGHTS already replaced by the owner).
    pub(crate) sid: u32,
    pub(crate) kind: AceKind,
    /// A plain allow or deny: not an object ACE, not PRINCIPAL_SELF, no
    /// condition. The check takes a short path for these.
    pub(crate) simple: bool,
    /// The SID is PRINCIPAL_SELF, replaced by the request's self SID.
    pub(crate) is_self: bool,
    /// An object ACE type (OA, OD, ZA, …), with or without an ObjectType.
    pub(crate) is_object: bool,
    pub(crate) flags: AceFlags,
    /// Index in its ACL.
    pub(crate) index: u16,
    /// Index into `guids` of the ObjectType, or [`NONE16`].
    pub(crate) object: u16,
    /// Index into `conditions` for callback ACEs, or [`NONE16`].
    pub(crate) cond: u16,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum DaclKind {
    Absent,
    Null,
    Acl { len: usize },
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Label {
    pub(crate) index: u16,
    pub(crate) sid: Sid,
    pub(crate) level: IntegrityLevel,
    pub(crate) policy: u32,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct TrustLabel {
    pub(crate) index: u16,
    pub(crate) sid: Sid,
    pub(crate) mask: u32,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Filter {
    pub(crate) index: u16,
    pub(crate) mask: u32,
    pub(crate) cond: u16,
}

/// A descriptor compiled for the access check.
#[derive(Clone, Debug)]
pub struct CompiledDescriptor {
    pub(crate) tag: u32,
    pub(crate) sd: SecurityDescriptor,
    pub(crate) owner: Option<u32>,
    pub(crate) has_group: bool,
    pub(crate) dacl: DaclKind,
    pub(crate) aces: Box<[CompiledAce]>,
    pub(crate) inherit_only: Box<[u16]>,
    pub(crate) unsupported: Box<[u16]>,
    pub(crate) owner_rights: Option<u16>,
    pub(crate) label: Option<Label>,
    pub(crate) trust_label: Option<TrustLabel>,
    pub(crate) filters: Box<[Filter]>,
    pub(crate) audits: Box<[CompiledAce]>,
    pub(crate) scoped_policies: Box<[u16]>,
    pub(crate) guids: Box<[Guid]>,
    pub(crate) conditions: Box<[Option<Expression>]>,
    pub(crate) resource_attributes: Vec<ClaimAttribute>,
    /// For [`crate::eval::access::decide`]'s short path: the level a token must
    /// reach to pass the mandatory check untouched (the label's, or Medium
    /// with none), or `None` when the descriptor needs the full path: no
    /// owner or group, a null or absent DACL, a trust label or access
    /// filter, or an ACE that is not a plain allow or deny.
    pub(crate) simple_level: Option<IntegrityLevel>,
}

impl CompiledDescriptor {
    /// The descriptor this was compiled from.
    pub fn descriptor(&self) -> &SecurityDescriptor {
        &self.sd
    }

    /// The DACL ACE at `index` of the source descriptor.
    pub(crate) fn dacl_ace(&self, index: u16) -> Option<&Ace> {
        self.sd.dacl.as_ref()?.aces.get(index as usize)
    }

    /// The SACL ACE at `index` of the source descriptor.
    pub(crate) fn sacl_ace(&self, index: u16) -> Option<&Ace> {
        self.sd.sacl.as_ref()?.aces.get(index as usize)
    }
}

/// A claim as the condition evaluator reads it: one with duplicate values is
/// held with none, which reads as absent (see `usable_values` for Windows'
/// evidence). Decided once here rather than at each reference.
fn held_claim(mut c: ClaimAttribute) -> ClaimAttribute {
    if !usable_values(&c) {
        c.values.clear();
    }
    c
}

/// [`held_claim`] over a token's claim list.
fn held_claims(claims: &[ClaimAttribute]) -> Vec<ClaimAttribute> {
    claims.iter().cloned().map(held_claim).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::token::GroupAttributes;

    fn sid(s: &str) -> Sid {
        s.parse().unwrap()
    }

    #[test]
    fn interning_is_stable() {
        let mut t = SidTable::new();
        let a = t.intern(&sid("S-1-1-0"));
        let b = t.intern(&sid("S-1-5-18"));
        assert_ne!(a, b);
        assert_eq!(t.intern(&sid("S-1-1-0")), a);
        assert_eq!(t.get(&sid("S-1-5-18")), Some(b));
        assert_eq!(t.get(&sid("S-1-5-19")), None);
        assert_eq!(t.sid(b), Some(&sid("S-1-5-18")));
        assert_eq!(t.len(), 2);
    }

    /// The keyed SID hash keeps distinct SIDs distinct and finds each
    /// again: SIDs differing only in one sub-authority, in the count, or in
    /// the authority (the shapes a weak hash would fold together).
    #[test]
    fn interning_keeps_many_similar_sids_apart() {
        let mut t = SidTable::new();
        let mut all = Vec::new();
        for i in 0..2000u32 {
            all.push(Sid::new(5, &[21, 1, 2, 3, i]).unwrap());
            all.push(Sid::new(5, &[21, 1, 2, i]).unwrap());
            all.push(Sid::new(u64::from(i), &[21]).unwrap());
        }
        let ids: Vec<SidId> = all.iter().map(|s| t.intern(s)).collect();
        let distinct: std::collections::BTreeSet<&Sid> = all.iter().collect();
        assert_eq!(t.len(), distinct.len());
        for (s, id) in all.iter().zip(&ids) {
            assert_eq!(t.get(s), Some(*id));
            assert_eq!(t.sid(*id), Some(s));
        }
    }

    #[test]
    fn token_sets_follow_group_attributes() {
        let mut t = SidTable::new();
        let tok = Token::new(sid("S-1-5-21-1-2-3-1000"))
            .with_group(sid("S-1-1-0"))
            .with_group_attributes(sid("S-1-5-32-544"), GroupAttributes::USE_FOR_DENY_ONLY)
            .with_group_attributes(sid("S-1-5-32-545"), GroupAttributes::MANDATORY);
        let c = t.compile_token(&tok);
        let id = |s: &str| t.get(&sid(s)).map(|i| i.0).unwrap_or(NO_SID);
        assert!(c.allow.has(id("S-1-1-0")) && c.deny.has(id("S-1-1-0")));
        assert!(!c.allow.has(id("S-1-5-32-544")) && c.deny.has(id("S-1-5-32-544")));
        assert!(!c.allow.has(id("S-1-5-32-545")) && !c.deny.has(id("S-1-5-32-545")));
        assert!(!c.allow.has(NO_SID));
    }

    #[test]
    fn descriptor_compilation_resolves_owner_rights_and_sets_aside_inherit_only() {
        let mut t = SidTable::new();
        let sd = SecurityDescriptor::from_sddl(
            "O:BAG:SYD:(A;IO;FA;;;OW)(A;;FR;;;OW)(A;;FA;;;PS)S:(ML;IO;NW;;;HI)(ML;;NW;;;LW)",
            None,
        )
        .unwrap();
        let c = t.compile_descriptor(&sd);
        assert_eq!(&*c.inherit_only, &[0]);
        assert_eq!(c.owner_rights, Some(1));
        assert_eq!(c.aces.len(), 2);
        assert_eq!(c.aces[0].sid, c.owner.unwrap());
        assert!(c.aces[1].is_self);
        let label = c.label.unwrap();
        assert_eq!((label.index, label.level), (1, IntegrityLevel::LOW));
    }
}
