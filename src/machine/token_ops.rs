//! The token API of the machine: adding and logging on tokens, opening a
//! process's or thread's token, duplicating, restricting tokens and setting
//! their integrity (NtOpenProcessToken, NtDuplicateToken, NtFilterToken,
//! with their access rights from MS-DTYP 2.4.3 and Windows' token object).
//! Adjusting privileges and groups is in `token_adjust.rs`.

use super::error::CallError;
use super::world::{
    ElevationType, Handle, HandleType, ProcessId, Target, ThreadId, TokenEntry, TokenId, World,
};
use crate::descriptor::ace::Ace;
use crate::descriptor::acl::Acl;
use crate::descriptor::sd::SecurityDescriptor;
use crate::eval::access::{AccessDecision, AccessRequest};
use crate::ids::mask::{self, AccessMask, ObjectKind};
use crate::ids::privilege::Privilege;
use crate::ids::sid::{well_known, Sid};
use crate::ids::status::NtStatus;
use crate::token::{
    GroupAttributes, ImpersonationLevel, IntegrityLevel, Token, TokenGroup, TokenPrivilege,
};

impl World {
    /// Adds a token as given (setup; no checks). Its descriptor is built
    /// from its own owner and default DACL, as NtCreateToken does.
    pub fn add_token(&mut self, token: Token) -> TokenId {
        // Kept infallible (setup, used everywhere): the token's descriptor
        // comes from SeAssignSecurity with this token, no parent and no
        // creator descriptor, which cannot fail (each of its errors needs a
        // creator owner or SACL, a missing token or a DS class); the empty
        // descriptor is never reached. Checked calls propagate the error.
        let sd = self.token_object_descriptor(&token).unwrap_or_default();
        self.insert_token(token, sd)
    }

    pub(super) fn insert_token(&mut self, token: Token, sd: SecurityDescriptor) -> TokenId {
        let compiled = self.table.compile_token(&token);
        let sd = self.objects.intern_descriptor(&mut self.table, sd);
        let luid = self.allocate_luid();
        let modified_id = self.allocate_luid();
        self.tokens.push(TokenEntry {
            token,
            compiled,
            sd,
            elevation: ElevationType::Default,
            linked: None,
            parent: None,
            luid,
            modified_id,
        });
        TokenId((self.tokens.len() - 1) as u32)
    }

    /// The other half of a token's UAC split, if it is half of one.
    pub fn linked_token(&self, id: TokenId) -> Option<TokenId> {
        self.tokens.get(id.0 as usize).and_then(|e| e.linked)
    }

    /// A token's place in a UAC split (Default for a token that is not
    /// half of one, or an unknown id).
    pub fn elevation_type(&self, id: TokenId) -> ElevationType {
        self.tokens
            .get(id.0 as usize)
            .map_or(ElevationType::Default, |e| e.elevation)
    }

    /// A LogonUser-style primary token for `user`: the groups given
    /// (enabled), Everyone, Authenticated Users, the logon type group and a
    /// new logon SID; `privileges` (enabled unless listed in `disabled`);
    /// owner and primary group the user; a default DACL granting the user
    /// and SYSTEM GENERIC_ALL; a fresh logon session.
    pub fn logon_user(
        &mut self,
        user: Sid,
        groups: &[Sid],
        privileges: &[Privilege],
        integrity: IntegrityLevel,
    ) -> TokenId {
        let logon = self.next_logon;
        self.next_logon += 1;
        let mut t = Token::new(user);
        t.logon_id = logon;
        for g in groups {
            t.groups.push(TokenGroup::new(*g));
        }
        for g in [
            well_known::WORLD,
            well_known::INTERACTIVE,
            well_known::AUTHENTICATED_USERS,
        ] {
            if !t.groups.iter().any(|x| x.sid == g) {
                t.groups.push(TokenGroup::new(g));
            }
        }
        let logon_sid = Sid::from_const(5, [5, (logon >> 32) as u32, logon as u32]);
        t.groups.push(TokenGroup::with_attributes(
            logon_sid,
            GroupAttributes::DEFAULT.with(GroupAttributes::LOGON_ID),
        ));
        t.privileges = privileges
            .iter()
            .map(|p| TokenPrivilege::enabled(*p))
            .collect();
        t.integrity = integrity;
        t.default_dacl = Some(Acl::new(vec![
            Ace::allow(user, AccessMask::GENERIC_ALL),
            Ace::allow(well_known::LOCAL_SYSTEM, AccessMask::GENERIC_ALL),
        ]));
        self.add_token(t)
    }

    /// The token.
    pub fn token(&self, id: TokenId) -> Result<&Token, NtStatus> {
        self.tokens
            .get(id.0 as usize)
            .map(|e| &e.token)
            .ok_or(NtStatus::InvalidHandle)
    }

    /// How many tokens the world holds.
    pub fn token_count(&self) -> usize {
        self.tokens.len()
    }

    /// OpenProcessToken: the caller needs PROCESS_QUERY_LIMITED_INFORMATION
    /// on the process, then `desired` on the token.
    pub fn open_process_token(
        &mut self,
        caller: ThreadId,
        process: ProcessId,
        desired: AccessMask,
    ) -> Result<(Handle, AccessDecision), CallError> {
        let as_token = self.acting_token(caller)?;
        let psd = self.process(process)?.sd;
        let q = AccessRequest::new(AccessMask(mask::process::QUERY_LIMITED_INFORMATION))
            .for_kind(ObjectKind::Process);
        self.require(as_token, psd, &q)?;
        let token = self.process(process)?.primary;
        let request = AccessRequest::new(desired).for_kind(ObjectKind::Token);
        self.open(caller, as_token, Target::Token(token), &request)
    }

    /// OpenThreadToken. A thread that is not impersonating has no token
    /// (STATUS_NO_TOKEN); an Anonymous-level token cannot be opened
    /// (STATUS_CANT_OPEN_ANONYMOUS). With `open_as_self` the check is made
    /// against the caller's process token instead of its impersonation
    /// token.
    pub fn open_thread_token(
        &mut self,
        caller: ThreadId,
        thread: ThreadId,
        desired: AccessMask,
        open_as_self: bool,
    ) -> Result<(Handle, AccessDecision), CallError> {
        let token = self
            .thread(thread)?
            .impersonation
            .ok_or(NtStatus::NoToken)?;
        if self.tokens[token.0 as usize].token.impersonation_level == ImpersonationLevel::Anonymous
        {
            return Err(NtStatus::CantOpenAnonymous.into());
        }
        let as_token = if open_as_self {
            let pid = self.thread(caller)?.process;
            self.process(pid)?.primary
        } else {
            self.acting_token(caller)?
        };
        let request = AccessRequest::new(desired).for_kind(ObjectKind::Token);
        self.open(caller, as_token, Target::Token(token), &request)
    }

    /// The token a handle refers to, checking the handle grants `needed`.
    pub(super) fn token_handle(
        &self,
        caller: ThreadId,
        h: Handle,
        needed: u32,
    ) -> Result<TokenId, NtStatus> {
        match self.reference_handle(caller, h, HandleType::Token, AccessMask(needed))? {
            Target::Token(t) => Ok(t),
            _ => Err(NtStatus::ObjectTypeMismatch),
        }
    }

    /// Sets a token's integrity level: needs TOKEN_ADJUST_DEFAULT; raising
    /// it needs SeTcbPrivilege in the caller's token
    /// (STATUS_PRIVILEGE_NOT_HELD).
    pub fn set_integrity(
        &mut self,
        caller: ThreadId,
        h: Handle,
        level: IntegrityLevel,
    ) -> Result<(), NtStatus> {
        let id = self.token_handle(caller, h, mask::token::ADJUST_DEFAULT)?;
        let mut t = self.tokens[id.0 as usize].token.clone();
        if level > t.integrity {
            let me = self.effective_token(caller)?;
            if !self.tokens[me.0 as usize]
                .token
                .has_privilege(Privilege::Tcb)
            {
                return Err(NtStatus::PrivilegeNotHeld);
            }
        }
        t.integrity = level;
        self.replace_token(id, t);
        self.bump_modified_id(id);
        Ok(())
    }

    pub(super) fn replace_token(&mut self, id: TokenId, token: Token) {
        let compiled = self.table.compile_token(&token);
        let e = &mut self.tokens[id.0 as usize];
        e.token = token;
        e.compiled = compiled;
    }
}
