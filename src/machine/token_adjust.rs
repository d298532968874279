//! Changing and asking about a token's privileges and groups:
//! AdjustTokenPrivileges (NtAdjustPrivilegesToken), AdjustTokenGroups
//! (NtAdjustGroupsToken), CheckTokenMembership and PrivilegeCheck
//! (NtPrivilegeCheck).
//!
//! The rules and their sources are in `docs/research/token-api-queries.md`
//! sections 3 to 6; each rule below names the source it follows:
//! MS-ATP, MS-ATG, MS-CTM and MS-PC are the Win32 documentation pages of
//! the four calls (learn.microsoft.com, `securitybaseapi`), "ReactOS" is
//! `ntoskrnl/se/tokenadj.c` and `priv.c` and its advapi32
//! `CheckTokenMembership`, and "Wine test" a test in Wine's
//! `dlls/advapi32/tests/security.c` that passes on Windows.

use super::world::{Handle, ThreadId, TokenId, World};
use crate::ids::mask;
use crate::ids::privilege::Privilege;
use crate::ids::sid::Sid;
use crate::ids::status::NtStatus;
use crate::token::{
    GroupAttributes, ImpersonationLevel, Token, TokenGroup, TokenPrivilege, TokenType,
};
use std::fmt;

/// What AdjustTokenPrivileges does to one privilege: one entry of its
/// NewState, whose attributes are SE_PRIVILEGE_ENABLED, 0 or
/// SE_PRIVILEGE_REMOVED.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum PrivilegeChange {
    /// SE_PRIVILEGE_ENABLED.
    Enable,
    /// Attributes 0: the privilege stays in the token, disabled.
    Disable,
    /// SE_PRIVILEGE_REMOVED: the privilege leaves the token for good.
    Remove,
}

/// Whether and how a caller asks an adjustment for the previous state.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub enum PreviousState {
    /// PreviousState is NULL: nothing is returned, and TOKEN_QUERY is not
    /// needed.
    #[default]
    NotAsked,
    /// A buffer that is large enough.
    Asked,
    /// A buffer of this many bytes: too small a buffer fails the call with
    /// STATUS_BUFFER_TOO_SMALL and the length needed.
    Buffer(u32),
}

impl PreviousState {
    /// Whether the previous state is asked for at all.
    pub const fn is_asked(self) -> bool {
        !matches!(self, PreviousState::NotAsked)
    }
}

/// What a successful adjustment did.
#[derive(Clone, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub struct Adjusted<T> {
    /// STATUS_SUCCESS, or STATUS_NOT_ALL_ASSIGNED (a success code: the
    /// entries the token holds were still adjusted).
    pub status: NtStatus,
    /// The previous state of each entry the call changed, in the order it
    /// changed them, with the attributes it had before; `None` when the
    /// previous state was not asked for.
    pub previous: Option<Vec<T>>,
    /// The bytes the previous state takes in the x64 layout, when it was
    /// asked for (ReturnLength is left alone otherwise).
    pub return_length: Option<u32>,
}

/// A failed adjustment: its status, and the length the previous state
/// needs when the buffer was too small.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub struct AdjustError {
    /// Why the call failed.
    pub status: NtStatus,
    /// The length needed (with STATUS_BUFFER_TOO_SMALL).
    pub return_length: Option<u32>,
}

impl From<NtStatus> for AdjustError {
    fn from(status: NtStatus) -> AdjustError {
        AdjustError {
            status,
            return_length: None,
        }
    }
}

impl fmt::Display for AdjustError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.status.name())?;
        if let Some(n) = self.return_length {
            write!(f, " (the previous state needs {n} bytes)")?;
        }
        Ok(())
    }
}

impl std::error::Error for AdjustError {}

/// What PrivilegeCheck answered.
#[derive(Clone, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub struct PrivilegeCheckResult {
    /// fResult: whether the token holds the privileges enabled (all of
    /// them, or any, as the control asked).
    pub held: bool,
    /// The privilege set as it comes back: each privilege asked for, with
    /// whether SE_PRIVILEGE_USED_FOR_ACCESS was set on it (it is set on
    /// each one that is enabled, whatever the overall answer).
    pub privileges: Vec<(Privilege, bool)>,
}

/// x64 `sizeof(TOKEN_PRIVILEGES)` with `n` entries: a ULONG count and `n`
/// LUID_AND_ATTRIBUTES of 12 bytes, 4-byte aligned (winnt.h;
/// docs/research/token-api-queries.md section 3: `4 + 12n`).
fn token_privileges_len(n: usize) -> u32 {
    (4 + 12 * n) as u32
}

/// x64 length of a TOKEN_GROUPS holding `groups`: a ULONG count padded to
/// 8, a 16-byte SID_AND_ATTRIBUTES per entry, then the SIDs themselves
/// (docs/research/token-api-queries.md section 4 and open point 5:
/// `8 + 16c + Σ SL`).
fn token_groups_len(groups: &[TokenGroup]) -> u32 {
    let sids: usize = groups.iter().map(|g| g.sid.binary_len()).sum();
    (8 + 16 * groups.len() + sids) as u32
}

/// Checks a previous-state buffer: the length needed when it was asked for,
/// or STATUS_BUFFER_TOO_SMALL with that length when the buffer is shorter.
/// The check comes before anything changes (MS-ATP, MS-ATG: "no privilege
/// changed"; ReactOS counts in a dry run first).
fn previous_len(previous: PreviousState, needed: u32) -> Result<Option<u32>, AdjustError> {
    match previous {
        PreviousState::NotAsked => Ok(None),
        PreviousState::Asked => Ok(Some(needed)),
        PreviousState::Buffer(len) if len >= needed => Ok(Some(needed)),
        PreviousState::Buffer(_) => Err(AdjustError {
            status: NtStatus::BufferTooSmall,
            return_length: Some(needed),
        }),
    }
}

/// The access an adjustment needs: `adjust`, and TOKEN_QUERY too when the
/// previous state is asked for (MS-ATP, MS-ATG; observed: a handle with
/// only TOKEN_ADJUST_PRIVILEGES works when PreviousState is NULL, Wine test
/// `test_AdjustTokenPrivileges`).
pub(crate) fn adjust_access(adjust: u32, previous: PreviousState) -> u32 {
    if previous.is_asked() {
        adjust | mask::token::QUERY
    } else {
        adjust
    }
}

/// Whether `sid` counts as a member for CheckTokenMembership: the user or
/// an enabled group, not deny-only (MS-CTM: "disabled and deny-only SIDs
/// do not count"; observed after CreateRestrictedToken, Wine test
/// `test_CreateRestrictedToken`), and for a restricted token also an
/// enabled restricting SID (MS-CTM). The user SID counts (MS-CTM: "user
/// and group SIDs").
fn is_member(t: &Token, sid: &Sid) -> bool {
    t.sid_matches_allow(sid) && (!t.is_restricted() || t.restricted_matches_allow(sid))
}

/// A successful adjustment's answer: STATUS_NOT_ALL_ASSIGNED when some
/// entry named something the token does not hold.
fn adjusted<T>(
    all_assigned: bool,
    previous: Option<Vec<T>>,
    return_length: Option<u32>,
) -> Adjusted<T> {
    Adjusted {
        status: if all_assigned {
            NtStatus::Success
        } else {
            NtStatus::NotAllAssigned
        },
        previous,
        return_length,
    }
}

impl World {
    /// AdjustTokenPrivileges / NtAdjustPrivilegesToken.
    ///
    /// - `disable_all` (DisableAllPrivileges) disables every privilege and
    ///   ignores `new_state`; otherwise `new_state` `None` (NULL) is
    ///   STATUS_INVALID_PARAMETER.
    /// - Each entry enables, disables or removes a privilege the token
    ///   holds; ENABLED_BY_DEFAULT is kept. A privilege the token does not
    ///   hold (or no longer holds) cannot be added: the call still adjusts
    ///   the others and returns STATUS_NOT_ALL_ASSIGNED, a success code
    ///   (the Win32 call returns TRUE with ERROR_NOT_ALL_ASSIGNED).
    /// - The handle needs TOKEN_ADJUST_PRIVILEGES, and TOKEN_QUERY when the
    ///   previous state is asked for. The previous state lists the
    ///   privileges whose state changed with their old attributes (removed
    ///   ones are not listed) and takes `4 + 12n` bytes; a smaller buffer
    ///   fails with STATUS_BUFFER_TOO_SMALL and changes nothing.
    pub fn adjust_token_privileges(
        &mut self,
        caller: ThreadId,
        h: Handle,
        disable_all: bool,
        new_state: Option<&[(Privilege, PrivilegeChange)]>,
        previous: PreviousState,
    ) -> Result<Adjusted<TokenPrivilege>, AdjustError> {
        // NewState may be NULL only with DisableAllPrivileges; the
        // parameter is checked before the handle (ReactOS
        // NtAdjustPrivilegesToken).
        if !disable_all && new_state.is_none() {
            return Err(NtStatus::InvalidParameter.into());
        }
        let needed = adjust_access(mask::token::ADJUST_PRIVILEGES, previous);
        let id = self.token_handle(caller, h, needed)?;
        // Only the privileges change: they are copied, and the token only
        // when one does.
        let mut privileges = self.tokens[id.0 as usize].token.privileges.clone();
        let mut changed: Vec<TokenPrivilege> = Vec::new();
        let mut removed = false;
        let mut all_assigned = true;
        if disable_all {
            // DisableAllPrivileges: every ENABLED bit cleared, NewState
            // ignored, never NOT_ALL_ASSIGNED (MS-ATP; ReactOS
            // SepAdjustPrivileges).
            for p in privileges.iter_mut().filter(|p| p.enabled) {
                changed.push(*p);
                p.enabled = false;
            }
        } else {
            for (privilege, change) in new_state.unwrap_or_default() {
                let Some(i) = privileges.iter().position(|x| x.privilege == *privilege) else {
                    // Privileges cannot be added; a missing (or already
                    // removed) one makes the call NOT_ALL_ASSIGNED
                    // (MS-ATP; ReactOS counts the matched entries).
                    all_assigned = false;
                    continue;
                };
                let old = privileges[i];
                let remember = |changed: &mut Vec<TokenPrivilege>| {
                    if !changed.iter().any(|c| c.privilege == old.privilege) {
                        changed.push(old);
                    }
                };
                match change {
                    // Only the ENABLED bit of the request is used; the
                    // other bits (ENABLED_BY_DEFAULT) stay (ReactOS
                    // SepAdjustPrivileges; observed: disabling
                    // SeChangeNotify leaves ENABLED_BY_DEFAULT, Wine test
                    // `test_duplicate_token`).
                    PrivilegeChange::Enable | PrivilegeChange::Disable => {
                        let on = *change == PrivilegeChange::Enable;
                        if old.enabled != on {
                            remember(&mut changed);
                            privileges[i].enabled = on;
                        }
                    }
                    // SE_PRIVILEGE_REMOVED deletes the privilege, keeping
                    // the order of the others; it is not listed in the
                    // previous state (MS-ATP).
                    PrivilegeChange::Remove => {
                        privileges.remove(i);
                        removed = true;
                        changed.retain(|c| c.privilege != old.privilege);
                    }
                }
            }
        }
        let return_length = previous_len(previous, token_privileges_len(changed.len()))?;
        if removed || !changed.is_empty() {
            let mut t = self.tokens[id.0 as usize].token.clone();
            t.privileges = privileges;
            self.commit_adjustment(id, t, true);
        }
        Ok(adjusted(
            all_assigned,
            previous.is_asked().then_some(changed),
            return_length,
        ))
    }

    /// AdjustTokenPrivileges in its short form: `Some(true)` enables,
    /// `Some(false)` disables, `None` removes (see
    /// [`World::adjust_token_privileges`], which this calls without a
    /// previous state). A privilege the token does not hold gives
    /// STATUS_NOT_ALL_ASSIGNED (a success code: the others are still
    /// adjusted).
    pub fn adjust_privileges(
        &mut self,
        caller: ThreadId,
        h: Handle,
        changes: &[(Privilege, Option<bool>)],
    ) -> Result<NtStatus, NtStatus> {
        let entries: Vec<(Privilege, PrivilegeChange)> = changes
            .iter()
            .map(|(p, state)| {
                let change = match state {
                    Some(true) => PrivilegeChange::Enable,
                    Some(false) => PrivilegeChange::Disable,
                    None => PrivilegeChange::Remove,
                };
                (*p, change)
            })
            .collect();
        self.adjust_token_privileges(caller, h, false, Some(&entries), PreviousState::NotAsked)
            .map(|a| a.status)
            .map_err(|e| e.status)
    }

    /// AdjustTokenGroups / NtAdjustGroupsToken.
    ///
    /// - `reset_to_default` (ResetToDefault) sets each group's ENABLED bit
    ///   back to its ENABLED_BY_DEFAULT bit and ignores `new_state`;
    ///   otherwise `new_state` `None` (NULL) is STATUS_INVALID_PARAMETER.
    /// - Each entry `(sid, enable)` enables or disables a group. A
    ///   mandatory group cannot be disabled (STATUS_CANT_DISABLE_MANDATORY)
    ///   and a deny-only group cannot be enabled
    ///   (STATUS_CANT_ENABLE_DENY_ONLY); then nothing changes. A group the
    ///   token does not hold gives STATUS_NOT_ALL_ASSIGNED, a success code.
    /// - The handle needs TOKEN_ADJUST_GROUPS, and TOKEN_QUERY when the
    ///   previous state is asked for. The previous state lists the groups
    ///   whose state changed with their old attributes, and takes
    ///   `8 + 16c + Σ SID lengths` bytes; a smaller buffer fails with
    ///   STATUS_BUFFER_TOO_SMALL and changes nothing.
    pub fn adjust_token_groups(
        &mut self,
        caller: ThreadId,
        h: Handle,
        reset_to_default: bool,
        new_state: Option<&[(Sid, bool)]>,
        previous: PreviousState,
    ) -> Result<Adjusted<TokenGroup>, AdjustError> {
        // NewState may be NULL only with ResetToDefault (ReactOS
        // NtAdjustGroupsToken), checked before the handle as for
        // privileges.
        if !reset_to_default && new_state.is_none() {
            return Err(NtStatus::InvalidParameter.into());
        }
        let needed = adjust_access(mask::token::ADJUST_GROUPS, previous);
        let id = self.token_handle(caller, h, needed)?;
        let mut t = self.tokens[id.0 as usize].token.clone();
        let mut changed: Vec<TokenGroup> = Vec::new();
        let mut all_assigned = true;
        let set = |g: &mut TokenGroup, on: bool, changed: &mut Vec<TokenGroup>| {
            if g.is_enabled() != on {
                if !changed.iter().any(|c| c.sid == g.sid) {
                    changed.push(*g);
                }
                g.attributes = if on {
                    g.attributes.with(GroupAttributes::ENABLED)
                } else {
                    g.attributes.without(GroupAttributes::ENABLED)
                };
            }
        };
        if reset_to_default {
            // ResetToDefault: ENABLED becomes ENABLED_BY_DEFAULT for every
            // group (MS-ATG; ReactOS SepAdjustGroups). A deny-only group
            // stays disabled: it can never be enabled (MS-ATG).
            for g in t.groups.iter_mut() {
                let on =
                    g.attributes.contains(GroupAttributes::ENABLED_BY_DEFAULT) && !g.is_deny_only();
                set(g, on, &mut changed);
            }
        } else {
            // Only the SE_GROUP_ENABLED bit of each entry is used (MS-ATG).
            for (sid, enable) in new_state.unwrap_or_default() {
                let Some(g) = t.groups.iter_mut().find(|g| g.sid == *sid) else {
                    // Not in the token: NOT_ALL_ASSIGNED, as ReactOS does
                    // (open point 11: the docs leave it open).
                    all_assigned = false;
                    continue;
                };
                // A mandatory group cannot be disabled and a deny-only one
                // cannot be enabled (MS-ATG; the codes from ReactOS
                // SepAdjustGroups). The call fails and the token is left
                // as it was.
                if !enable && g.attributes.contains(GroupAttributes::MANDATORY) {
                    return Err(NtStatus::CantDisableMandatory.into());
                }
                if *enable && g.is_deny_only() {
                    return Err(NtStatus::CantEnableDenyOnly.into());
                }
                set(g, *enable, &mut changed);
            }
        }
        let return_length = previous_len(previous, token_groups_len(&changed))?;
        self.commit_adjustment(id, t, !changed.is_empty());
        Ok(adjusted(
            all_assigned,
            previous.is_asked().then_some(changed),
            return_length,
        ))
    }

    /// AdjustTokenGroups in its short form: each `(sid, enable)` enables
    /// or disables a group (see [`World::adjust_token_groups`], which this
    /// calls without a previous state). A mandatory group cannot be
    /// disabled (STATUS_CANT_DISABLE_MANDATORY); a deny-only group cannot
    /// be enabled (STATUS_CANT_ENABLE_DENY_ONLY); a group the token does
    /// not hold gives STATUS_NOT_ALL_ASSIGNED. Nothing changes when one of
    /// the first two fails.
    pub fn adjust_groups(
        &mut self,
        caller: ThreadId,
        h: Handle,
        changes: &[(Sid, bool)],
    ) -> Result<NtStatus, NtStatus> {
        self.adjust_token_groups(caller, h, false, Some(changes), PreviousState::NotAsked)
            .map(|a| a.status)
            .map_err(|e| e.status)
    }

    /// Stores an adjusted token when the adjustment changed something: the
    /// token's modified id changes only then (ReactOS `SepAdjustPrivileges`
    /// and `SepAdjustGroups`).
    fn commit_adjustment(&mut self, id: TokenId, t: Token, modified: bool) {
        if modified {
            self.replace_token(id, t);
            self.bump_modified_id(id);
        }
    }

    /// CheckTokenMembership: whether `sid` is an enabled member of the
    /// token behind `h` (IsMember).
    ///
    /// - `h` must be an impersonation token opened with TOKEN_QUERY; a
    ///   primary token is STATUS_NO_IMPERSONATION_TOKEN
    ///   (ERROR_NO_IMPERSONATION_TOKEN), and an Anonymous-level one
    ///   STATUS_BAD_IMPERSONATION_LEVEL.
    /// - [`Handle::NULL`] means the caller's effective token: its
    ///   impersonation token (an Anonymous-level one cannot be opened:
    ///   STATUS_CANT_OPEN_ANONYMOUS), or when it is not impersonating a
    ///   duplicate of its process token, which holds the same SIDs.
    /// - The user and enabled groups count; disabled and deny-only ones do
    ///   not. For a restricted token the SID must also be a restricting
    ///   SID.
    pub fn check_token_membership(
        &self,
        caller: ThreadId,
        h: Handle,
        sid: &Sid,
    ) -> Result<bool, NtStatus> {
        let id = if h == Handle::NULL {
            self.membership_token(caller)?
        } else {
            // TOKEN_QUERY, then an impersonation token (MS-CTM; observed:
            // a primary token gives ERROR_NO_IMPERSONATION_TOKEN, Wine test
            // `test_CheckTokenMembership`).
            let id = self.token_handle(caller, h, mask::token::QUERY)?;
            let t = &self.tokens[id.0 as usize].token;
            if t.token_type != TokenType::Impersonation {
                return Err(NtStatus::NoImpersonationToken);
            }
            // The answer comes from an access check (ReactOS builds a
            // descriptor for the SID and calls NtAccessCheck), which
            // refuses an Anonymous-level token as AccessCheck does
            // (observed for AccessCheck, Wine test `test_AccessCheck`;
            // research notes section 5, an inference).
            if t.impersonation_level == ImpersonationLevel::Anonymous {
                return Err(NtStatus::BadImpersonationLevel);
            }
            id
        };
        Ok(is_member(&self.tokens[id.0 as usize].token, sid))
    }

    /// The token CheckTokenMembership uses for a NULL handle: the thread's
    /// token (opened as OpenThreadToken does, so an Anonymous-level one
    /// cannot be opened), or the process token, which Windows duplicates
    /// into an impersonation token with the same SIDs (MS-CTM; ReactOS
    /// falls back on STATUS_NO_TOKEN; observed from a thread that is not
    /// impersonating, Wine test `test_CheckTokenMembership`).
    fn membership_token(&self, caller: ThreadId) -> Result<TokenId, NtStatus> {
        match self.impersonation_token(caller)? {
            Some(id) => {
                if self.tokens[id.0 as usize].token.impersonation_level
                    == ImpersonationLevel::Anonymous
                {
                    return Err(NtStatus::CantOpenAnonymous);
                }
                Ok(id)
            }
            None => self.effective_token(caller),
        }
    }

    /// PrivilegeCheck / NtPrivilegeCheck: whether the token behind `h`
    /// holds `required` enabled — every one with `all_necessary`
    /// (PRIVILEGE_SET_ALL_NECESSARY), else at least one.
    ///
    /// - The handle needs TOKEN_QUERY. Primary tokens are accepted, as
    ///   Windows does for the process token; an impersonation token at
    ///   Anonymous level is STATUS_BAD_IMPERSONATION_LEVEL.
    /// - Only enabled privileges count: a disabled or removed one answers
    ///   FALSE with success.
    /// - The returned set marks each enabled privilege
    ///   SE_PRIVILEGE_USED_FOR_ACCESS, whatever the overall answer.
    pub fn privilege_check(
        &self,
        caller: ThreadId,
        h: Handle,
        required: &[Privilege],
        all_necessary: bool,
    ) -> Result<PrivilegeCheckResult, NtStatus> {
        // TOKEN_QUERY (MS-PC; ReactOS NtPrivilegeCheck; Wine server).
        let id = self.token_handle(caller, h, mask::token::QUERY)?;
        let t = &self.tokens[id.0 as usize].token;
        // Primary tokens are accepted (observed: PrivilegeCheck on the
        // process token succeeds, Wine test `test_elevation`); only an
        // impersonation token below Identification is refused (observed,
        // Wine test `test_impersonation_level`; ReactOS NtPrivilegeCheck).
        if t.token_type == TokenType::Impersonation
            && t.impersonation_level < ImpersonationLevel::Identification
        {
            return Err(NtStatus::BadImpersonationLevel);
        }
        // Only enabled privileges count (MS-PC; observed after removal and
        // after CreateRestrictedToken, Wine tests `test_elevation`,
        // `test_CreateRestrictedToken`); the USED_FOR_ACCESS bit goes on
        // each enabled one (MS-PC; Wine server `token_check_privileges`).
        let privileges: Vec<(Privilege, bool)> =
            required.iter().map(|p| (*p, t.has_privilege(*p))).collect();
        let held = if all_necessary {
            privileges.iter().all(|(_, used)| *used)
        } else {
            privileges.iter().any(|(_, used)| *used)
        };
        Ok(PrivilegeCheckResult { held, privileges })
    }
}
