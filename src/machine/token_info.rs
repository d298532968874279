//! Token queries and settings: GetTokenInformation / NtQueryInformationToken
//! and SetTokenInformation / NtSetInformationToken, with each class's
//! required access, its Windows errors and the x64 length of its answer,
//! and the token's world identity (TokenId and ModifiedId LUIDs).
//!
//! Sources are named next to each rule; the facts and their sources are
//! gathered in `docs/research/token-api-queries.md` (§1 queries, §2 sets).
//! Short names: MS-GTI (GetTokenInformation page), MS-TIC
//! (TOKEN_INFORMATION_CLASS page), MS-NtQIT (NtQueryInformationToken page),
//! MS-STI (SetTokenInformation page), W-test (Wine's advapi32 security.c
//! tests, which run on Windows), ROS-cls (ReactOS ntoskrnl/se/tokencls.c).

use super::world::{ElevationType, Handle, Target, ThreadId, TokenId, World};
use crate::descriptor::claims::{ClaimAttribute, ClaimValues};
use crate::ids::mask::{self, AccessMask};
use crate::ids::privilege::Privilege;
use crate::ids::sid::{well_known, Sid};
use crate::ids::status::NtStatus;
use crate::token::{
    GroupAttributes, ImpersonationLevel, IntegrityLevel, Token, TokenGroup, TokenType,
};

mod classes;

pub use classes::{
    GroupsAndPrivileges, TokenInformation, TokenInformationClass, TokenInformationReply,
    TokenInformationValue, TokenQueryError, TokenStatistics, MAX_TOKEN_INFORMATION_CLASS,
};
/// `SL(sid)`: a SID's length in bytes.
fn sid_len(sid: &Sid) -> u32 {
    sid.binary_len() as u32
}

/// The SID_AND_ATTRIBUTES entries of a list and their SIDs on x64:
/// `16n + ΣSL`.
fn sids_len(groups: impl Iterator<Item = TokenGroup>) -> u32 {
    groups.map(|g| 16 + sid_len(&g.sid)).sum()
}

/// TOKEN_GROUPS on x64: ULONG count padded to 8, SID_AND_ATTRIBUTES[n] of
/// 16 bytes, then the SIDs: `8 + 16n + ΣSL` (Wine's formula; the notes'
/// open point 5 explains why ReactOS's `4 + …` is an x86 leftover).
fn groups_len(groups: impl Iterator<Item = TokenGroup>) -> u32 {
    8 + sids_len(groups)
}

/// TOKEN_PRIVILEGES: ULONG count, then LUID_AND_ATTRIBUTES[n] of 12 bytes
/// (ROS-cls, W-nt).
fn privileges_len(n: usize) -> u32 {
    4 + 12 * n as u32
}

/// Rounds up to a multiple of 8.
fn align8(n: u32) -> u32 {
    (n + 7) & !7
}

/// A NUL-terminated UTF-16 string's bytes.
fn wide_len(s: &str) -> u32 {
    (s.encode_utf16().count() as u32 + 1) * 2
}

/// CLAIM_SECURITY_ATTRIBUTES_INFORMATION on x64, inferred from the
/// structure layout (no Windows observation; notes, open point 14): a
/// 16-byte header, then per attribute a 32-byte
/// CLAIM_SECURITY_ATTRIBUTE_V1, its name, and its values (8 bytes per
/// integer or boolean, a pointer and the text per string, a 16-byte octet
/// string header and the bytes per SID or octet string), each piece
/// aligned to 8.
fn claims_len(claims: &[ClaimAttribute]) -> u32 {
    16 + claims
        .iter()
        .map(|c| {
            let values = match &c.values {
                ClaimValues::Int64(v) => 8 * v.len() as u32,
                ClaimValues::Uint64(v) => 8 * v.len() as u32,
                ClaimValues::Boolean(v) => 8 * v.len() as u32,
                ClaimValues::String(v) => v.iter().map(|s| 8 + align8(wide_len(s))).sum(),
                ClaimValues::Sid(v) => v.iter().map(|s| 16 + align8(sid_len(s))).sum(),
                ClaimValues::OctetString(v) => v.iter().map(|b| 16 + align8(b.len() as u32)).sum(),
            };
            32 + align8(wide_len(&c.name)) + values
        })
        .sum::<u32>()
}

/// The label as Windows lists it among the groups: SE_GROUP_INTEGRITY |
/// SE_GROUP_INTEGRITY_ENABLED (observed 0x60, W-test
/// `test_TokenIntegrityLevel`).
fn label_group(level: IntegrityLevel) -> TokenGroup {
    TokenGroup::with_attributes(
        level.sid(),
        GroupAttributes::INTEGRITY.with(GroupAttributes::INTEGRITY_ENABLED),
    )
}

/// The groups TokenGroups lists: the token's groups, where an `S-1-16-X`
/// group shows the token's current level, and the label appended when the
/// model lists none (every Vista+ token carries its label as a group:
/// W-test `test_TokenIntegrityLevel`; `whoami /groups` shows it).
fn listed_groups(t: &Token) -> impl Iterator<Item = TokenGroup> + '_ {
    let has_label = t.groups.iter().any(|g| g.sid.is_integrity_label());
    t.groups
        .iter()
        .map(move |g| {
            if g.sid.is_integrity_label() {
                TokenGroup::with_attributes(t.integrity.sid(), g.attributes)
            } else {
                *g
            }
        })
        .chain((!has_label).then(|| label_group(t.integrity)))
}

/// The logon SID: the group carrying both SE_GROUP_LOGON_ID bits.
fn logon_sid(t: &Token) -> Option<&TokenGroup> {
    t.groups
        .iter()
        .find(|g| g.attributes.contains(GroupAttributes::LOGON_ID))
}

/// TokenIsElevated: a Full token is elevated, a Limited one is not, and a
/// Default one is when it holds BUILTIN\Administrators enabled and not
/// deny-only (observed: W-test `test_admin_elevation`, `test_elevation`).
fn is_elevated(t: &Token, elevation: ElevationType) -> bool {
    match elevation {
        ElevationType::Full => true,
        ElevationType::Limited => false,
        ElevationType::Default => t
            .groups
            .iter()
            .any(|g| g.sid == well_known::BUILTIN_ADMINISTRATORS && g.matches_allow()),
    }
}

/// TokenHasRestrictions: "the token has ever been filtered" (MS-TIC). The
/// model keeps no filter history, so a token counts as filtered when it
/// shows a filter's marks: restricting SIDs, a deny-only user or group, or
/// SANDBOX_INERT.
fn has_restrictions(t: &Token) -> bool {
    t.is_restricted() || t.sids().any(TokenGroup::is_deny_only) || t.sandbox_inert
}

impl World {
    /// Allocates a locally unique id (NtAllocateLocallyUniqueId): token ids
    /// and modified ids come from one counter, so none repeats.
    pub(super) fn allocate_luid(&mut self) -> u64 {
        let l = self.next_luid;
        self.next_luid += 1;
        l
    }

    /// Gives a token a new ModifiedId: every change to a token does
    /// (TOKEN_STATISTICS.ModifiedId; ROS-cls and ROS-adj replace it on each
    /// change).
    pub(super) fn bump_modified_id(&mut self, id: TokenId) {
        let l = self.allocate_luid();
        if let Some(e) = self.tokens.get_mut(id.0 as usize) {
            e.modified_id = l;
        }
    }

    /// TOKEN_STATISTICS of a token, without a handle (setup and reports).
    pub fn token_statistics(&self, id: TokenId) -> Result<TokenStatistics, NtStatus> {
        let e = self
            .tokens
            .get(id.0 as usize)
            .ok_or(NtStatus::InvalidHandle)?;
        let t = &e.token;
        Ok(TokenStatistics {
            token_id: e.luid,
            authentication_id: t.logon_id,
            token_type: t.token_type,
            impersonation_level: (t.token_type == TokenType::Impersonation)
                .then_some(t.impersonation_level),
            group_count: listed_groups(t).count() as u32,
            privilege_count: t.privileges.len() as u32,
            modified_id: e.modified_id,
        })
    }

    /// GetTokenInformation / NtQueryInformationToken.
    ///
    /// In Windows' order: the handle must be a token handle granting
    /// TOKEN_QUERY (TOKEN_QUERY_SOURCE for TokenSource), checked as
    /// ObReferenceObjectByHandle does; then the class must fit the token
    /// (TokenImpersonationLevel on a primary token is
    /// STATUS_INVALID_INFO_CLASS: observed ERROR_INVALID_PARAMETER in W-test
    /// `test_token_attr`, the status is ReactOS's, notes open point 1); then
    /// a `buffer_len` below the answer's x64 size fails with
    /// STATUS_BUFFER_TOO_SMALL and reports the size needed, writing nothing
    /// (MS-NtQIT; W-test `test_token_attr`). `None` offers a buffer large
    /// enough. The length is computed before the answer is built, so a
    /// failed query allocates nothing.
    ///
    /// TokenLinkedToken of a token that is half of a UAC split opens a new
    /// handle (TOKEN_ALL_ACCESS) in the caller's process: for a caller
    /// without SeTcbPrivilege, to a new identification-level impersonation
    /// copy of the linked token (observed: W-test `test_elevation`); for a
    /// caller with it, to the linked token itself (no first-party source;
    /// notes open point 3). A token that is not half of one answers a NULL
    /// handle (observed on current Windows: W-test `test_elevation`).
    pub fn get_token_information(
        &mut self,
        caller: ThreadId,
        h: Handle,
        class: TokenInformationClass,
        buffer_len: Option<u32>,
    ) -> Result<TokenInformationReply, TokenQueryError> {
        let id = self.token_handle(caller, h, class.query_access())?;
        let t = self.token(id)?;
        if class == TokenInformationClass::ImpersonationLevel && t.token_type == TokenType::Primary
        {
            return Err(NtStatus::InvalidInfoClass.into());
        }
        let needed = self.needed_length(id, class)?;
        if buffer_len.is_some_and(|n| n < needed) {
            return Err(TokenQueryError {
                status: NtStatus::BufferTooSmall,
                return_length: Some(needed),
            });
        }
        let value = self.answer(caller, id, class)?;
        Ok(TokenInformationReply {
            value,
            return_length: needed,
        })
    }

    /// NtQueryInformationToken with a class number: a number that is no
    /// class (0, or above [`MAX_TOKEN_INFORMATION_CLASS`]) is
    /// STATUS_INVALID_INFO_CLASS, checked before the handle (MS-NtQIT;
    /// ROS-cls validates the class first). A class Windows has but the
    /// machine does not model is STATUS_NOT_SUPPORTED, secctx's own
    /// answer.
    pub fn get_token_information_by_number(
        &mut self,
        caller: ThreadId,
        h: Handle,
        class: u32,
        buffer_len: Option<u32>,
    ) -> Result<TokenInformationReply, TokenQueryError> {
        match TokenInformationClass::from_value(class) {
            Some(c) => self.get_token_information(caller, h, c, buffer_len),
            None if class == 0 || class > MAX_TOKEN_INFORMATION_CLASS => {
                Err(NtStatus::InvalidInfoClass.into())
            }
            None => Err(NtStatus::NotSupported.into()),
        }
    }

    /// The x64 size of a class's answer for a token (research notes §1.2).
    fn needed_length(&self, id: TokenId, class: TokenInformationClass) -> Result<u32, NtStatus> {
        use TokenInformationClass as C;
        let t = self.token(id)?;
        Ok(match class {
            C::User => 16 + sid_len(&t.user.sid),
            C::Groups => groups_len(listed_groups(t)),
            C::Privileges => privileges_len(t.privileges.len()),
            C::Owner => 8 + sid_len(&t.owner),
            C::PrimaryGroup => 8 + t.primary_group.as_ref().map_or(0, sid_len),
            // 8 with no DACL: observed (W-test `test_token_attr`; MS-GTI),
            // against MS-NtQIT's 0.
            C::DefaultDacl => 8 + t.default_dacl.as_ref().map_or(0, |a| a.binary_len() as u32),
            C::Source => 16,
            C::Statistics => 56,
            C::RestrictedSids => groups_len(t.restricted_sids.iter().copied()),
            // 56-byte header, the user and groups, the restricting SIDs, the
            // privileges (ROS-cls).
            C::GroupsAndPrivileges => {
                56 + sids_len(std::iter::once(t.user).chain(listed_groups(t)))
                    + sids_len(t.restricted_sids.iter().copied())
                    + 12 * t.privileges.len() as u32
            }
            C::Origin | C::LinkedToken => 8,
            // 16 + SL(label): 28 for S-1-16-X (W-test `test_TokenIntegrityLevel`).
            C::IntegrityLevel => 16 + sid_len(&t.integrity.sid()),
            C::LogonSid => groups_len(logon_sid(t).into_iter().copied()),
            C::Capabilities => groups_len(t.capabilities.iter().copied()),
            C::AppContainerSid => 8 + t.app_container.as_ref().map_or(0, sid_len),
            C::UserClaimAttributes => claims_len(&t.user_claims),
            C::DeviceClaimAttributes => claims_len(&t.device_claims),
            C::DeviceGroups => groups_len(t.device_groups.iter().copied()),
            C::RestrictedDeviceGroups => groups_len(std::iter::empty()),
            // Every other class is one ULONG (an enum, a DWORD or a BOOL-like
            // ULONG): 4 (notes §1.2; W-test `validate_impersonation_token`,
            // `test_GetTokenInformation`).
            C::Type
            | C::ImpersonationLevel
            | C::SessionId
            | C::SandBoxInert
            | C::ElevationType
            | C::Elevation
            | C::HasRestrictions
            | C::VirtualizationAllowed
            | C::VirtualizationEnabled
            | C::MandatoryPolicy
            | C::IsAppContainer
            | C::AppContainerNumber
            | C::IsRestricted => 4,
        })
    }

    /// Builds a class's answer.
    fn answer(
        &mut self,
        caller: ThreadId,
        id: TokenId,
        class: TokenInformationClass,
    ) -> Result<TokenInformation, NtStatus> {
        use TokenInformation as I;
        use TokenInformationClass as C;
        if class == C::LinkedToken {
            return self.linked_token_handle(caller, id).map(I::LinkedToken);
        }
        if class == C::Statistics {
            return self.token_statistics(id).map(I::Statistics);
        }
        let e = &self.tokens[id.0 as usize];
        let t = &e.token;
        Ok(match class {
            C::User => I::User(t.user),
            C::Groups => I::Groups(listed_groups(t).collect()),
            C::Privileges => I::Privileges(t.privileges.clone()),
            C::Owner => I::Owner(t.owner),
            // A token without a primary group has none to report; the
            // status is the one the kernel gives for a missing group.
            C::PrimaryGroup => {
                I::PrimaryGroup(t.primary_group.ok_or(NtStatus::InvalidPrimaryGroup)?)
            }
            C::DefaultDacl => I::DefaultDacl(t.default_dacl.clone()),
            C::Source => I::Source(t.source),
            C::Type => I::Type(t.token_type),
            C::ImpersonationLevel => I::ImpersonationLevel(t.impersonation_level),
            C::RestrictedSids => I::RestrictedSids(t.restricted_sids.clone()),
            C::SessionId => I::SessionId(t.session_id),
            C::GroupsAndPrivileges => I::GroupsAndPrivileges(GroupsAndPrivileges {
                sids: std::iter::once(t.user).chain(listed_groups(t)).collect(),
                restricted_sids: t.restricted_sids.clone(),
                privileges: t.privileges.clone(),
                authentication_id: t.logon_id,
            }),
            C::SandBoxInert => I::SandBoxInert(t.sandbox_inert),
            C::Origin => I::Origin(t.origin),
            C::ElevationType => I::ElevationType(e.elevation),
            C::Elevation => I::Elevation(is_elevated(t, e.elevation)),
            C::HasRestrictions => I::HasRestrictions(has_restrictions(t)),
            C::VirtualizationAllowed => I::VirtualizationAllowed(t.virtualization_allowed),
            C::VirtualizationEnabled => I::VirtualizationEnabled(t.virtualization_enabled),
            C::IntegrityLevel => I::IntegrityLevel(label_group(t.integrity)),
            C::MandatoryPolicy => I::MandatoryPolicy(t.mandatory_policy),
            // The one group with SE_GROUP_LOGON_ID (observed: W-test
            // `test_token_attr`); with none the list is empty (no source:
            // notes open point 4).
            C::LogonSid => I::LogonSid(logon_sid(t).copied().into_iter().collect()),
            // 0 for a token that is not an AppContainer (MS-TIC; observed
            // value 0 in W-test `test_GetTokenInformation`).
            C::IsAppContainer => I::IsAppContainer(t.is_app_container()),
            C::Capabilities => I::Capabilities(t.capabilities.clone()),
            C::AppContainerSid => I::AppContainerSid(t.app_container),
            C::AppContainerNumber => I::AppContainerNumber(t.app_container_number),
            C::UserClaimAttributes => I::UserClaimAttributes(t.user_claims.clone()),
            C::DeviceClaimAttributes => I::DeviceClaimAttributes(t.device_claims.clone()),
            C::DeviceGroups => I::DeviceGroups(t.device_groups.clone()),
            C::RestrictedDeviceGroups => I::RestrictedDeviceGroups(Vec::new()),
            C::IsRestricted => I::IsRestricted(t.is_restricted()),
            C::LinkedToken | C::Statistics => return Err(NtStatus::InvalidInfoClass),
        })
    }

    /// TokenLinkedToken's handle (see [`World::get_token_information`]).
    fn linked_token_handle(
        &mut self,
        caller: ThreadId,
        id: TokenId,
    ) -> Result<Option<Handle>, NtStatus> {
        let Some(linked) = self.tokens[id.0 as usize].linked else {
            return Ok(None);
        };
        let pid = self.thread(caller)?.process;
        let all = AccessMask(mask::token::ALL_ACCESS);
        if self.caller_holds(caller, Privilege::Tcb)? {
            return Ok(Some(self.add_handle(pid, Target::Token(linked), all)));
        }
        let src = &self.tokens[linked.0 as usize];
        let (elevation, partner) = (src.elevation, src.linked);
        let mut copy = src.token.clone();
        copy.token_type = TokenType::Impersonation;
        copy.impersonation_level = ImpersonationLevel::Identification;
        // Its descriptor comes from the linked token's own defaults (an
        // inference: the kernel makes the copy for the linked logon).
        let sd = self.token_object_descriptor(&copy)?;
        let new = self.insert_token(copy, sd);
        // The copy is again half of the split: its own linked token is the
        // original's kind (W-test `test_elevation`).
        let e = &mut self.tokens[new.0 as usize];
        e.elevation = elevation;
        e.linked = partner;
        Ok(Some(self.add_handle(pid, Target::Token(new), all)))
    }

    /// Whether the caller's effective token holds `p` enabled.
    fn caller_holds(&self, caller: ThreadId, p: Privilege) -> Result<bool, NtStatus> {
        let me = self.effective_token(caller)?;
        Ok(self.token(me)?.has_privilege(p))
    }

    /// SetTokenInformation / NtSetInformationToken.
    ///
    /// Every class needs TOKEN_ADJUST_DEFAULT on the handle, TokenSessionId
    /// TOKEN_ADJUST_SESSIONID too (ROS-cls; "Access Rights for Access-Token
    /// Objects"). Each class's rule:
    ///
    /// - TokenOwner: the user or a group with SE_GROUP_OWNER, else
    ///   STATUS_INVALID_OWNER (1992 SDK text of SetTokenInformation; ROS-cls).
    /// - TokenPrimaryGroup: the user or any group of the token, else
    ///   STATUS_INVALID_PRIMARY_GROUP (ROS-cls).
    /// - TokenDefaultDacl: any ACL, or none to remove it (observed: W-test
    ///   `test_token_attr`).
    /// - TokenSessionId: the caller needs SeTcbPrivilege, else
    ///   STATUS_PRIVILEGE_NOT_HELD (MS-TIC; ROS-cls).
    /// - TokenIntegrityLevel: [`World::set_integrity`]'s rules (raising needs
    ///   SeTcbPrivilege; notes open point 7).
    /// - TokenMandatoryPolicy: SeCreateTokenPrivilege (the archived MSDN
    ///   SetTokenInformation table; phnt says SeTcbPrivilege: notes open
    ///   point 8, the documentation is followed).
    /// - TokenVirtualizationEnabled: no further rule found (open point 9).
    /// - TokenOrigin: SeTcbPrivilege; set once — when an origin is already
    ///   set the call succeeds and changes nothing (ROS-cls; open point 10).
    ///
    /// Each change gives the token a new ModifiedId.
    pub fn set_token_information(
        &mut self,
        caller: ThreadId,
        h: Handle,
        value: TokenInformationValue,
    ) -> Result<(), NtStatus> {
        use TokenInformationValue as V;
        if let V::IntegrityLevel(level) = value {
            return self.set_integrity(caller, h, level);
        }
        let mut needed = mask::token::ADJUST_DEFAULT;
        if matches!(value, V::SessionId(_)) {
            needed |= mask::token::ADJUST_SESSIONID;
        }
        let id = self.token_handle(caller, h, needed)?;
        let privilege = match value {
            V::SessionId(_) | V::Origin(_) => Some(Privilege::Tcb),
            V::MandatoryPolicy(_) => Some(Privilege::CreateToken),
            _ => None,
        };
        if let Some(p) = privilege {
            if !self.caller_holds(caller, p)? {
                return Err(NtStatus::PrivilegeNotHeld);
            }
        }
        let mut t = self.token(id)?.clone();
        match value {
            V::Owner(sid) => {
                if !t.can_own(&sid) {
                    return Err(NtStatus::InvalidOwner);
                }
                t.owner = sid;
            }
            V::PrimaryGroup(sid) => {
                if !t.sids().any(|g| g.sid == sid) {
                    return Err(NtStatus::InvalidPrimaryGroup);
                }
                t.primary_group = Some(sid);
            }
            V::DefaultDacl(None) if t.default_dacl.is_none() => {
                // Clearing what is not there changes nothing: the ModifiedId
                // stays (ROS-cls bumps it only when a DACL existed).
                return Ok(());
            }
            V::DefaultDacl(acl) => t.default_dacl = acl,
            V::SessionId(s) => t.session_id = s,
            V::MandatoryPolicy(p) => t.mandatory_policy = p,
            V::VirtualizationEnabled(on) => t.virtualization_enabled = on,
            V::Origin(luid) => {
                if t.origin != 0 {
                    return Ok(());
                }
                t.origin = luid;
            }
            V::IntegrityLevel(_) => return Err(NtStatus::InvalidInfoClass),
        }
        self.replace_token(id, t);
        self.bump_modified_id(id);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::sid::well_known as wk;

    /// A UAC pair (set by hand here: the split itself is made elsewhere)
    /// and a caller with or without SeTcbPrivilege.
    fn split(caller_privileges: &[Privilege]) -> (World, ThreadId, TokenId, TokenId, Handle) {
        let mut w = World::new();
        let user: Sid = "S-1-5-21-1-2-3-1001".parse().unwrap();
        let limited = w.logon_user(user, &[], &[], IntegrityLevel::MEDIUM);
        let full = w.logon_user(
            user,
            &[wk::BUILTIN_ADMINISTRATORS],
            &[],
            IntegrityLevel::HIGH,
        );
        w.tokens[limited.0 as usize].elevation = ElevationType::Limited;
        w.tokens[limited.0 as usize].linked = Some(full);
        w.tokens[full.0 as usize].elevation = ElevationType::Full;
        w.tokens[full.0 as usize].linked = Some(limited);
        let caller = w.logon_user(user, &[], caller_privileges, IntegrityLevel::SYSTEM);
        let (pid, th) = w.spawn("svc.exe", caller).unwrap();
        let h = w
            .give_handle(pid, Target::Token(limited), AccessMask(mask::token::QUERY))
            .unwrap();
        (w, th, limited, full, h)
    }

    /// Without SeTcbPrivilege, TokenLinkedToken of a Limited token is a new
    /// identification-level impersonation token of the Full half, elevated,
    /// with TOKEN_ALL_ACCESS, whose own linked token is the Limited kind
    /// (observed: Wine's `test_elevation`, run on Windows).
    #[test]
    fn linked_token_without_tcb_is_an_identification_copy() {
        let (mut w, th, limited, full, h) = split(&[]);
        let r = w
            .get_token_information(th, h, TokenInformationClass::LinkedToken, None)
            .unwrap();
        let TokenInformation::LinkedToken(Some(lh)) = r.value else {
            panic!("no handle");
        };
        let e = w.resolve_handle(th, lh).unwrap();
        assert_eq!(e.granted, AccessMask(mask::token::ALL_ACCESS));
        let Target::Token(copy) = e.target else {
            panic!("not a token")
        };
        assert_ne!(copy, full);
        assert_ne!(copy, limited);
        let t = w.token(copy).unwrap();
        assert_eq!(t.token_type, TokenType::Impersonation);
        assert_eq!(t.impersonation_level, ImpersonationLevel::Identification);
        assert_eq!(w.elevation_type(copy), ElevationType::Full);
        assert_eq!(w.linked_token(copy), Some(limited));
        assert_ne!(
            w.token_statistics(copy).unwrap().token_id,
            w.token_statistics(full).unwrap().token_id
        );
        let r = w
            .get_token_information(th, lh, TokenInformationClass::Elevation, None)
            .unwrap();
        assert_eq!(r.value, TokenInformation::Elevation(true));
    }

    /// With SeTcbPrivilege the caller gets the linked token itself (notes
    /// open point 3: no first-party source).
    #[test]
    fn linked_token_with_tcb_is_the_partner() {
        let (mut w, th, _, full, h) = split(&[Privilege::Tcb]);
        let r = w
            .get_token_information(th, h, TokenInformationClass::LinkedToken, None)
            .unwrap();
        let TokenInformation::LinkedToken(Some(lh)) = r.value else {
            panic!("no handle");
        };
        assert_eq!(
            w.resolve_handle(th, lh).unwrap().target,
            Target::Token(full)
        );
    }
}
