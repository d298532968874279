//! Impersonation: SeTokenCanImpersonate's level capping, installing a
//! thread token, impersonating through a handle, self and anonymous
//! impersonation, and the per-thread stack of saved contexts
//! (MS-DTYP 2.5.2 token and impersonation; Windows' ImpersonateLoggedOnUser,
//! SetThreadToken, ImpersonateSelf, ImpersonateAnonymousToken, RevertToSelf).

use super::error::CallError;
use super::world::{Handle, HandleType, ImpersonationOutcome, Target, ThreadId, TokenId, World};
use crate::eval::access::AccessRequest;
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
            self.insert_token(t, sd)
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
            return Ok(self.insert_token(copy, sd));
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
        let sd = self.token_object_descriptor(&t);
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
}
