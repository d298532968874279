//! Impersonation: SeTokenCanImpersonate's level capping, installing a
//! thread token, impersonating through a handle, self and anonymous
//! impersonation, and the per-thread stack of saved contexts
//! (MS-DTYP 2.5.2 token and impersonation; Windows' ImpersonateLoggedOnUser,
//! SetThreadToken, ImpersonateSelf, ImpersonateAnonymousToken, RevertToSelf).

use super::error::CallError;
use super::world::{
    Handle, HandleType, ImpersonationOutcome, PseudoHandle, Target, ThreadId, TokenId, World,
};
use crate::eval::access::{AccessDecision, AccessRequest};
use crate::ids::mask::{self, AccessMask, ObjectKind};
use crate::ids::privilege::Privilege;
use crate::ids::sid::well_known;
use crate::ids::status::NtStatus;
use crate::token::{ImpersonationLevel, Token, TokenType};

impl World {
    /// SeTokenCanImpersonate: the level `caller` may use `token` at. The
    /// asked level stands if it is below Impersonation; if the caller's
    /// process token holds SeImpersonatePrivilege; if the token is for the
    /// caller's own user and the caller is not restricted where the token
    /// is not; or if the token comes from the caller's own logon session.
    /// Otherwise, or when the token's integrity is above the caller's, it
    /// is capped to Identification.
    fn settle_level(
        &self,
        caller: ThreadId,
        token: TokenId,
    ) -> Result<ImpersonationOutcome, NtStatus> {
        let pid = self.thread(caller)?.process;
        let me = &self.tokens[self.process(pid)?.primary.0 as usize].token;
        let t = &self.tokens[token.0 as usize].token;
        let requested = t.impersonation_level;
        let mut out = ImpersonationOutcome {
            token,
            requested,
            level: requested,
            capped: None,
            allowed_by: None,
        };
        if requested < ImpersonationLevel::Impersonation {
            out.allowed_by = Some("the level is below impersonation".into());
            return Ok(out);
        }
        if t.integrity > me.integrity {
            out.level = ImpersonationLevel::Identification;
            out.capped = Some(format!(
                "the token's integrity ({}) is above the caller's ({})",
                t.integrity, me.integrity
            ));
            return Ok(out);
        }
        let reason = if me.has_privilege(Privilege::Impersonate) {
            Some("the caller holds SeImpersonatePrivilege".to_string())
        } else if t.user.sid == me.user.sid && (!me.is_restricted() || t.is_restricted()) {
            // The caller's own user, unless the caller is restricted and
            // the token is not.
            Some("the token is for the caller's own user".to_string())
        } else if t.logon_id == me.logon_id {
            Some("the token comes from the caller's logon session".to_string())
        } else {
            None
        };
        match reason {
            Some(r) => out.allowed_by = Some(r),
            None => {
                out.level = ImpersonationLevel::Identification;
                out.capped = Some(
                    "no SeImpersonatePrivilege, another user and another logon session".into(),
                );
            }
        }
        Ok(out)
    }

    /// Makes `thread` impersonate `token` with the level settled, replacing
    /// its current impersonation (the stack is untouched).
    fn install(
        &mut self,
        thread: ThreadId,
        caller: ThreadId,
        token: TokenId,
    ) -> Result<ImpersonationOutcome, NtStatus> {
        let out = self.settle_level(caller, token)?;
        let effective = if out.level == self.tokens[token.0 as usize].token.impersonation_level {
            token
        } else {
            let mut t = self.tokens[token.0 as usize].token.clone();
            t.impersonation_level = out.level;
            let sd = self
                .objects
                .descriptor(self.tokens[token.0 as usize].sd)
                .descriptor()
                .clone();
            let id = self.insert_token(t, sd);
            self.copy_lineage(token, id);
            id
        };
        self.threads[thread.0 as usize].impersonation = Some(effective);
        Ok(ImpersonationOutcome {
            token: effective,
            ..out
        })
    }

    /// The impersonation token a handle gives: an impersonation token
    /// needs TOKEN_IMPERSONATE; a primary token (ImpersonateLoggedOnUser
    /// only) also TOKEN_QUERY | TOKEN_DUPLICATE and is duplicated at
    /// Impersonation level.
    fn impersonation_from_handle(
        &mut self,
        caller: ThreadId,
        h: Handle,
        allow_primary: bool,
    ) -> Result<TokenId, NtStatus> {
        let Target::Token(id) =
            self.reference_handle(caller, h, HandleType::Token, AccessMask::NONE)?
        else {
            return Err(NtStatus::ObjectTypeMismatch);
        };
        let t = self.tokens[id.0 as usize].token.clone();
        if t.token_type == TokenType::Primary {
            if !allow_primary {
                return Err(NtStatus::BadTokenType);
            }
            let need = mask::token::IMPERSONATE | mask::token::QUERY | mask::token::DUPLICATE;
            self.reference_handle(caller, h, HandleType::Token, AccessMask(need))?;
            let mut copy = t;
            copy.token_type = TokenType::Impersonation;
            copy.impersonation_level = ImpersonationLevel::Impersonation;
            let sd = self
                .objects
                .descriptor(self.tokens[id.0 as usize].sd)
                .descriptor()
                .clone();
            let copy = self.insert_token(copy, sd);
            self.copy_lineage(id, copy);
            return Ok(copy);
        }
        self.reference_handle(
            caller,
            h,
            HandleType::Token,
            AccessMask(mask::token::IMPERSONATE),
        )?;
        Ok(id)
    }

    /// ImpersonateLoggedOnUser: the calling thread impersonates the token
    /// behind `h` (primary or impersonation).
    pub fn impersonate(
        &mut self,
        caller: ThreadId,
        h: Handle,
    ) -> Result<ImpersonationOutcome, NtStatus> {
        let token = self.impersonation_from_handle(caller, h, true)?;
        self.install(caller, caller, token)
    }

    /// SetThreadToken: `target` impersonates the impersonation token behind
    /// `h` (a primary token is STATUS_BAD_TOKEN_TYPE). Setting another
    /// thread's token needs THREAD_SET_THREAD_TOKEN on it.
    pub fn set_thread_token(
        &mut self,
        caller: ThreadId,
        target: ThreadId,
        h: Option<Handle>,
    ) -> Result<Option<ImpersonationOutcome>, CallError> {
        if target != caller {
            let as_token = self.acting_token(caller)?;
            let sd = self.thread(target)?.sd;
            let req = AccessRequest::new(AccessMask(mask::thread::SET_THREAD_TOKEN))
                .for_kind(ObjectKind::Thread);
            self.require(as_token, sd, &req)?;
        }
        match h {
            None => {
                self.threads[target.0 as usize].impersonation = None;
                Ok(None)
            }
            Some(h) => {
                let token = self.impersonation_from_handle(caller, h, false)?;
                Ok(Some(self.install(target, caller, token)?))
            }
        }
    }

    /// ImpersonateSelf: impersonate a copy of the process token at `level`.
    pub fn impersonate_self(
        &mut self,
        caller: ThreadId,
        level: ImpersonationLevel,
    ) -> Result<ImpersonationOutcome, NtStatus> {
        let pid = self.thread(caller)?.process;
        let primary = self.process(pid)?.primary;
        let mut t = self.tokens[primary.0 as usize].token.clone();
        t.token_type = TokenType::Impersonation;
        t.impersonation_level = level;
        let sd = self
            .objects
            .descriptor(self.tokens[primary.0 as usize].sd)
            .descriptor()
            .clone();
        let id = self.insert_token(t, sd);
        self.copy_lineage(primary, id);
        self.threads[caller.0 as usize].impersonation = Some(id);
        Ok(ImpersonationOutcome {
            token: id,
            requested: level,
            level,
            capped: None,
            allowed_by: Some("ImpersonateSelf uses the caller's own token".into()),
        })
    }

    /// ImpersonateAnonymousToken: the anonymous logon token (user ANONYMOUS
    /// LOGON, groups Everyone and NETWORK, no privileges) at Impersonation
    /// level.
    pub fn impersonate_anonymous(
        &mut self,
        caller: ThreadId,
    ) -> Result<ImpersonationOutcome, NtStatus> {
        self.thread(caller)?;
        let mut t = Token::new(well_known::ANONYMOUS)
            .with_group(well_known::WORLD)
            .with_group(well_known::NETWORK);
        t.token_type = TokenType::Impersonation;
        t.impersonation_level = ImpersonationLevel::Impersonation;
        t.logon_id = 0x3e6;
        let sd = self.token_object_descriptor(&t)?;
        let id = self.insert_token(t, sd);
        self.threads[caller.0 as usize].impersonation = Some(id);
        Ok(ImpersonationOutcome {
            token: id,
            requested: ImpersonationLevel::Impersonation,
            level: ImpersonationLevel::Impersonation,
            capped: None,
            allowed_by: Some("the anonymous token may always be impersonated".into()),
        })
    }

    /// Saves the thread's current context and impersonates `h`
    /// (ImpersonateLoggedOnUser rules).
    pub fn push_impersonation(
        &mut self,
        caller: ThreadId,
        h: Handle,
    ) -> Result<ImpersonationOutcome, NtStatus> {
        let token = self.impersonation_from_handle(caller, h, true)?;
        let saved = self.thread(caller)?.impersonation;
        let out = self.install(caller, caller, token)?;
        self.threads[caller.0 as usize].stack.push(saved);
        Ok(out)
    }

    /// Restores exactly the context saved by the matching push
    /// (STATUS_NO_IMPERSONATION_TOKEN on an empty stack).
    pub fn pop_impersonation(&mut self, caller: ThreadId) -> Result<Option<TokenId>, NtStatus> {
        let t = self
            .threads
            .get_mut(caller.0 as usize)
            .ok_or(NtStatus::InvalidCid)?;
        let saved = t.stack.pop().ok_or(NtStatus::NoImpersonationToken)?;
        t.impersonation = saved;
        Ok(saved)
    }

    /// RevertToSelf: drops the impersonation token and every saved context.
    pub fn revert_to_self(&mut self, caller: ThreadId) -> Result<(), NtStatus> {
        let t = self
            .threads
            .get_mut(caller.0 as usize)
            .ok_or(NtStatus::InvalidCid)?;
        t.impersonation = None;
        t.stack.clear();
        Ok(())
    }

    /// ImpersonateLoggedOnUser: the calling thread impersonates the token
    /// behind `h`, a primary or an impersonation token. A primary token's
    /// handle needs TOKEN_QUERY | TOKEN_DUPLICATE (the call duplicates it
    /// into an impersonation token at SecurityImpersonation); an
    /// impersonation token's handle needs TOKEN_QUERY | TOKEN_IMPERSONATE
    /// ("ImpersonateLoggedOnUser", Remarks, learn.microsoft.com;
    /// docs/research/token-api-handles.md section 7). No privilege is
    /// needed to call it; the level granted follows SeTokenCanImpersonate
    /// as for [`World::impersonate`] (capped to Identification otherwise).
    ///
    /// The older [`World::impersonate`] asks TOKEN_IMPERSONATE of both
    /// kinds instead; it is kept for the fixtures that use it.
    pub fn impersonate_logged_on_user(
        &mut self,
        caller: ThreadId,
        h: Handle,
    ) -> Result<ImpersonationOutcome, NtStatus> {
        let id = self.token_handle(caller, h, 0)?;
        let t = self.tokens[id.0 as usize].token.clone();
        let token = if t.token_type == TokenType::Primary {
            self.token_handle(caller, h, mask::token::QUERY | mask::token::DUPLICATE)?;
            let mut copy = t;
            copy.token_type = TokenType::Impersonation;
            copy.impersonation_level = ImpersonationLevel::Impersonation;
            let creator = self.tokens[self.effective_token(caller)?.0 as usize]
                .token
                .clone();
            let sd = self.token_object_descriptor(&creator)?;
            let new = self.insert_token(copy, sd);
            self.copy_lineage(id, new);
            new
        } else {
            self.token_handle(caller, h, mask::token::QUERY | mask::token::IMPERSONATE)?;
            id
        };
        self.install(caller, caller, token)
    }

    /// NtSetInformationThread(ThreadImpersonationToken): the thread behind
    /// `thread` impersonates the impersonation token behind `token`, or
    /// stops impersonating when `token` is NULL. In this order:
    ///
    /// - the thread handle needs THREAD_SET_THREAD_TOKEN (this class's
    ///   right; THREAD_SET_INFORMATION is for the others: ReactOS
    ///   `NtSetInformationThread`); NULL is STATUS_INVALID_HANDLE;
    /// - the token handle needs TOKEN_IMPERSONATE (SetThreadToken page);
    /// - a primary token is STATUS_BAD_TOKEN_TYPE (ReactOS
    ///   `PsAssignImpersonationToken`);
    /// - the level is the token's, settled by SeTokenCanImpersonate for the
    ///   caller.
    pub fn nt_set_information_thread(
        &mut self,
        caller: ThreadId,
        thread: Handle,
        token: Handle,
    ) -> Result<Option<ImpersonationOutcome>, NtStatus> {
        let target = self.thread_handle(caller, thread, mask::thread::SET_THREAD_TOKEN)?;
        if token == Handle::NULL {
            self.threads[target.0 as usize].impersonation = None;
            return Ok(None);
        }
        let id = self.token_handle(caller, token, mask::token::IMPERSONATE)?;
        if self.tokens[id.0 as usize].token.token_type != TokenType::Impersonation {
            return Err(NtStatus::BadTokenType);
        }
        self.install(target, caller, id).map(Some)
    }

    /// SetThreadToken as Win32 has it: `thread` is a thread handle, or
    /// `None` (NULL) for the calling thread; `token` an impersonation token
    /// handle, or `None` (NULL) to stop impersonating. The rules are
    /// [`World::nt_set_information_thread`]'s, which it calls with
    /// `GetCurrentThread()` for a NULL thread ("SetThreadToken",
    /// learn.microsoft.com: "If Thread is NULL, the function assigns the
    /// impersonation token to the calling thread").
    pub fn set_thread_token_by_handle(
        &mut self,
        caller: ThreadId,
        thread: Option<Handle>,
        token: Option<Handle>,
    ) -> Result<Option<ImpersonationOutcome>, NtStatus> {
        let thread = thread.unwrap_or(Handle::pseudo(PseudoHandle::CurrentThread));
        self.nt_set_information_thread(caller, thread, token.unwrap_or(Handle::NULL))
    }

    /// RtlImpersonateSelf (ImpersonateSelf's NT form): the same as
    /// [`World::impersonate_self`], a copy of the process token at `level`
    /// on the calling thread, replacing any impersonation
    /// ("ImpersonateSelf", learn.microsoft.com; Wine's
    /// test_impersonation_level).
    pub fn rtl_impersonate_self(
        &mut self,
        caller: ThreadId,
        level: ImpersonationLevel,
    ) -> Result<ImpersonationOutcome, NtStatus> {
        self.impersonate_self(caller, level)
    }

    /// The system's ANONYMOUS LOGON token: user and primary group ANONYMOUS
    /// LOGON (S-1-5-7), no groups (Everyone only where the
    /// EveryoneIncludesAnonymous policy is set, which this machine does not
    /// model), no privileges, the anonymous logon session (0x3e6), an
    /// impersonation token at SecurityImpersonation (ReactOS
    /// `SepCreateSystemAnonymousLogonTokenNoEveryone`;
    /// "ImpersonateAnonymousToken", learn.microsoft.com). Made once.
    pub fn anonymous_logon_token(&mut self) -> TokenId {
        if let Some(t) = self.anonymous {
            return t;
        }
        let mut t = Token::new(well_known::ANONYMOUS);
        t.token_type = TokenType::Impersonation;
        t.impersonation_level = ImpersonationLevel::Impersonation;
        t.logon_id = 0x3e6;
        t.default_dacl = Some(crate::descriptor::acl::Acl::new(vec![
            crate::descriptor::ace::Ace::allow(well_known::LOCAL_SYSTEM, AccessMask::GENERIC_ALL),
            crate::descriptor::ace::Ace::allow(well_known::ANONYMOUS, AccessMask::GENERIC_ALL),
        ]));
        let id = self.add_token(t);
        self.anonymous = Some(id);
        id
    }

    /// ImpersonateAnonymousToken (NtImpersonateAnonymousToken): the thread
    /// behind `thread` impersonates the system's ANONYMOUS LOGON token
    /// ([`World::anonymous_logon_token`]) at SecurityImpersonation. The
    /// thread handle needs THREAD_IMPERSONATE, and a caller whose process
    /// token is restricted is refused, both STATUS_ACCESS_DENIED
    /// ("ImpersonateAnonymousToken", learn.microsoft.com). Undone by
    /// RevertToSelf.
    pub fn impersonate_anonymous_token(
        &mut self,
        caller: ThreadId,
        thread: Handle,
    ) -> Result<ImpersonationOutcome, NtStatus> {
        let target = self.thread_handle(caller, thread, mask::thread::IMPERSONATE)?;
        let pid = self.thread(caller)?.process;
        let primary = self.process(pid)?.primary;
        if self.tokens[primary.0 as usize].token.is_restricted() {
            return Err(NtStatus::AccessDenied);
        }
        let id = self.anonymous_logon_token();
        self.threads[target.0 as usize].impersonation = Some(id);
        Ok(ImpersonationOutcome {
            token: id,
            requested: ImpersonationLevel::Impersonation,
            level: ImpersonationLevel::Impersonation,
            capped: None,
            allowed_by: Some("the system's anonymous token may always be impersonated".into()),
        })
    }

    /// OpenThreadToken / NtOpenThreadTokenEx with a thread handle, in
    /// Windows' order (ReactOS `NtOpenThreadTokenEx`;
    /// docs/research/token-api-handles.md section 3):
    ///
    /// 1. the thread handle needs THREAD_QUERY_INFORMATION (the
    ///    NtOpenThreadToken page; whether THREAD_QUERY_LIMITED_INFORMATION
    ///    alone suffices on Vista and later is unconfirmed, so the
    ///    documented right is asked) — its errors come first;
    /// 2. a thread that is not impersonating: STATUS_NO_TOKEN;
    /// 3. an Anonymous-level token: STATUS_CANT_OPEN_ANONYMOUS (the
    ///    OpenThreadToken page; Wine's test_impersonation_level);
    /// 4. the token is opened for `desired` by an access check with the
    ///    caller's effective token — or, with `open_as_self`, with its
    ///    process token (PsDisableImpersonation for the duration), which is
    ///    how a thread impersonating at Identification can still open its
    ///    own token (without it, STATUS_BAD_IMPERSONATION_LEVEL).
    pub fn open_thread_token_by_handle(
        &mut self,
        caller: ThreadId,
        thread: Handle,
        desired: AccessMask,
        open_as_self: bool,
    ) -> Result<(Handle, AccessDecision), CallError> {
        let target = self.thread_handle(caller, thread, mask::thread::QUERY_INFORMATION)?;
        self.open_thread_token(caller, target, desired, open_as_self)
    }

    /// The thread a handle refers to, checking the handle grants `needed`
    /// (ObReferenceObjectByHandle's order).
    fn thread_handle(
        &self,
        caller: ThreadId,
        h: Handle,
        needed: u32,
    ) -> Result<ThreadId, NtStatus> {
        match self.reference_handle(caller, h, HandleType::Thread, AccessMask(needed))? {
            Target::Thread(t) => Ok(t),
            _ => Err(NtStatus::ObjectTypeMismatch),
        }
    }
}
