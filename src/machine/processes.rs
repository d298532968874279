//! Processes and threads of the machine: starting them, their tokens and
//! descriptors, and opening them (NtOpenProcess, NtOpenThread with the
//! process and thread rights of Windows' object model).

use super::error::CallError;
use super::world::{
    Handle, HandleType, Process, ProcessId, Target, Thread, ThreadId, TokenId, World,
};
use crate::descriptor::ace::{Ace, AceFlags, AceType};
use crate::descriptor::acl::Acl;
use crate::descriptor::sd::SecurityDescriptor;
use crate::eval::access::{AccessDecision, AccessRequest};
use crate::eval::inherit::{self, InheritApi, InheritRequest};
use crate::ids::mask::{self, AccessMask, ObjectKind};
use crate::ids::privilege::Privilege;
use crate::ids::status::NtStatus;
use crate::token::{ImpersonationLevel, Token, TokenType};

impl World {
    /// Starts a process running as `token` (setup; no checks) with one
    /// thread. The process keeps its own copy of the token, with the
    /// token's UAC elevation type and linked token.
    pub fn spawn(
        &mut self,
        image: &str,
        token: TokenId,
    ) -> Result<(ProcessId, ThreadId), NtStatus> {
        let t = self.token(token)?.clone();
        let (pid, tid) = self.start_process(image, None, t)?;
        let primary = self.process(pid)?.primary;
        self.copy_lineage(token, primary);
        Ok((pid, tid))
    }

    fn start_process(
        &mut self,
        image: &str,
        parent: Option<ProcessId>,
        mut primary: Token,
    ) -> Result<(ProcessId, ThreadId), NtStatus> {
        primary.token_type = TokenType::Primary;
        let sd = self.token_object_descriptor(&primary)?;
        let primary = self.insert_token(primary, sd);
        let owner_token = self.tokens[primary.0 as usize].token.clone();
        let psd = self.process_descriptor(&owner_token, ObjectKind::Process)?;
        let psd = self.objects.intern_descriptor(&mut self.table, psd);
        let pid = ProcessId(self.processes.len() as u32);
        self.processes.push(Process {
            image: image.to_string(),
            parent,
            primary,
            sd: psd,
            handles: Vec::new(),
            threads: Vec::new(),
        });
        let tid = self.add_thread(pid)?;
        Ok((pid, tid))
    }

    /// The descriptor of a new process or thread: owner, group and DACL
    /// from the creating token's defaults, and a mandatory label at the
    /// token's level with NO_WRITE_UP | NO_READ_UP (Windows labels process
    /// and thread objects so; Forshaw ch. 7).
    /// Fails with create_security_descriptor's status.
    fn process_descriptor(
        &self,
        token: &Token,
        kind: ObjectKind,
    ) -> Result<SecurityDescriptor, NtStatus> {
        let mut req = InheritRequest::new(InheritApi::SeAssignSecurity, kind, token);
        req.is_container = false;
        let mut sd = inherit::create_security_descriptor(&req)
            .map_err(|e| e.status())?
            .sd;
        let label = Ace::new(
            AceType::SystemMandatoryLabel,
            AceFlags::default(),
            AccessMask(mask::label::NO_WRITE_UP | mask::label::NO_READ_UP),
            token.integrity.sid(),
        );
        sd.set_sacl(Acl::new(vec![label]));
        Ok(sd)
    }

    /// Adds a thread to a process (setup; no checks).
    pub fn add_thread(&mut self, process: ProcessId) -> Result<ThreadId, NtStatus> {
        let primary = self.process(process)?.primary;
        let owner_token = self.tokens[primary.0 as usize].token.clone();
        let sd = self.process_descriptor(&owner_token, ObjectKind::Thread)?;
        let sd = self.objects.intern_descriptor(&mut self.table, sd);
        let tid = ThreadId(self.threads.len() as u32);
        self.threads.push(Thread {
            process,
            impersonation: None,
            stack: Vec::new(),
            sd,
        });
        self.processes[process.0 as usize].threads.push(tid);
        Ok(tid)
    }

    /// CreateProcess by `caller`: the child gets a duplicate of the
    /// caller's *process* token — never its impersonation token, as
    /// Windows does.
    pub fn create_process(
        &mut self,
        caller: ThreadId,
        image: &str,
    ) -> Result<(ProcessId, ThreadId), NtStatus> {
        let pid = self.thread(caller)?.process;
        let primary = self.process(pid)?.primary;
        let token = self.tokens[primary.0 as usize].token.clone();
        let (child, tid) = self.start_process(image, Some(pid), token)?;
        let child_primary = self.process(child)?.primary;
        self.copy_lineage(primary, child_primary);
        Ok((child, tid))
    }

    /// Records that `to` is a copy of `from` (a duplicate, a new
    /// process's token, an impersonation copy): it keeps `from`'s UAC
    /// elevation type and linked token ("Elevation type and linked-token
    /// presence survive DuplicateTokenEx", Wine's test_elevation) and its
    /// ParentTokenId (ReactOS SepDuplicateToken copies it).
    pub(super) fn copy_lineage(&mut self, from: TokenId, to: TokenId) {
        let Some(e) = self.tokens.get(from.0 as usize) else {
            return;
        };
        let (elevation, linked, parent) = (e.elevation, e.linked, e.parent);
        if let Some(t) = self.tokens.get_mut(to.0 as usize) {
            t.elevation = elevation;
            t.linked = linked;
            t.parent = parent;
        }
    }

    /// Records that `to` was filtered from `from` (CreateRestrictedToken,
    /// NtFilterToken): its ParentTokenId is `from` (ReactOS
    /// SepPerformTokenFiltering), and it keeps `from`'s UAC place (Wine's
    /// test_elevation: the elevation type survives CreateRestrictedToken).
    pub(super) fn mark_filtered(&mut self, from: TokenId, to: TokenId) {
        self.copy_lineage(from, to);
        if let Some(t) = self.tokens.get_mut(to.0 as usize) {
            t.parent = Some(from);
        }
    }

    /// Whether a process whose token is `caller` may assign `token` as a
    /// new process's primary token without SeAssignPrimaryTokenPrivilege:
    /// when `token` is a *child* of the caller's token (filtered from it:
    /// its ParentTokenId is the caller's TokenId) or a *sibling* (the same
    /// ParentTokenId and the same logon session). ReactOS SeIsTokenChild
    /// and SeIsTokenSibling; the sibling case is what Windows 7 and later
    /// show when an unprivileged account starts a process with a duplicate
    /// of its own token (Wine's test_create_process_token, run on Windows;
    /// docs/research/token-api-handles.md section 8). One logon session
    /// belongs to one user, so siblings also have the same user; the
    /// machine checks it too, since fixtures leave many tokens in logon
    /// session 0.
    pub(super) fn assignable_without_privilege(&self, caller: TokenId, token: TokenId) -> bool {
        let (Some(c), Some(t)) = (
            self.tokens.get(caller.0 as usize),
            self.tokens.get(token.0 as usize),
        ) else {
            return false;
        };
        let child = t.parent == Some(caller);
        let sibling = t.parent == c.parent
            && t.token.logon_id == c.token.logon_id
            && t.token.user.sid == c.token.user.sid;
        child || sibling
    }

    /// CreateProcessAsUser: starts `image` as a new process of the
    /// caller's process, running with a primary copy of the token behind
    /// `token` (NULL: the caller's own process token, as CreateProcess).
    /// Returns the process, its first thread, and handles to both in the
    /// caller's process with PROCESS_ALL_ACCESS and THREAD_ALL_ACCESS
    /// (Wine's test_process_security, run on Windows: the returned handles
    /// carry full access whatever the new descriptors say). In this order:
    ///
    /// - a token pseudo handle (`GetCurrentProcessToken()` observed; the
    ///   thread ones taken alike, as none can be duplicated) is
    ///   STATUS_INVALID_HANDLE (Wine's test_create_process_token);
    /// - the handle needs TOKEN_QUERY | TOKEN_ASSIGN_PRIMARY, which suffice
    ///   on Windows 7 and later (TOKEN_DUPLICATE, which the page lists, is
    ///   not needed; same test);
    /// - an impersonation token is accepted (Windows 7 and later, same
    ///   test) if its level is at least Impersonation, as for any primary
    ///   copy of it (STATUS_BAD_IMPERSONATION_LEVEL; NtDuplicateToken's
    ///   rule);
    /// - a token that is neither a child nor a sibling of the caller's
    ///   process token (see `assignable_without_privilege`) needs
    ///   SeAssignPrimaryTokenPrivilege in the caller's effective token
    ///   (STATUS_PRIVILEGE_NOT_HELD: ReactOS PspSetPrimaryToken; the
    ///   CreateProcessAsUser page: "not required if hToken is a restricted
    ///   version of the caller's primary token"; a held privilege is
    ///   enabled for the call, so held is enough).
    ///
    /// The new process keeps the token's UAC place and lineage, and its
    /// descriptor is built from the new token's owner, group and default
    /// DACL, with a mandatory label at its integrity.
    pub fn create_process_as_user(
        &mut self,
        caller: ThreadId,
        token: Handle,
        image: &str,
    ) -> Result<(ProcessId, ThreadId, Handle, Handle), NtStatus> {
        let pid = self.thread(caller)?.process;
        let own = self.process(pid)?.primary;
        let source = if token == Handle::NULL {
            own
        } else {
            if token.as_pseudo().is_some() {
                return Err(NtStatus::InvalidHandle);
            }
            let id = self.token_handle(
                caller,
                token,
                mask::token::QUERY | mask::token::ASSIGN_PRIMARY,
            )?;
            let t = &self.tokens[id.0 as usize].token;
            if t.token_type == TokenType::Impersonation
                && t.impersonation_level < ImpersonationLevel::Impersonation
            {
                return Err(NtStatus::BadImpersonationLevel);
            }
            if !self.assignable_without_privilege(own, id) {
                let me = self.effective_token(caller)?;
                if !self.tokens[me.0 as usize]
                    .token
                    .privileges
                    .iter()
                    .any(|p| p.privilege == Privilege::AssignPrimaryToken)
                {
                    return Err(NtStatus::PrivilegeNotHeld);
                }
            }
            id
        };
        let t = self.tokens[source.0 as usize].token.clone();
        let (child, tid) = self.start_process(image, Some(pid), t)?;
        let primary = self.process(child)?.primary;
        self.copy_lineage(source, primary);
        let ph = self.add_handle(
            pid,
            Target::Process(child),
            AccessMask(mask::process::ALL_ACCESS),
        );
        let th = self.add_handle(
            pid,
            Target::Thread(tid),
            AccessMask(mask::thread::ALL_ACCESS),
        );
        Ok((child, tid, ph, th))
    }

    /// CreateRemoteThread (CreateThread with `GetCurrentProcess()`): a new
    /// thread in the process behind `process`, whose handle needs
    /// PROCESS_CREATE_THREAD (the CreateRemoteThread page). The thread does
    /// not inherit any impersonation (Wine's test_duplicate_handle_access:
    /// a new thread runs with the process token). Returns it and a handle
    /// to it with THREAD_ALL_ACCESS in the caller's process.
    pub fn create_thread(
        &mut self,
        caller: ThreadId,
        process: Handle,
    ) -> Result<(ThreadId, Handle), NtStatus> {
        let target = match self.reference_handle(
            caller,
            process,
            HandleType::Process,
            AccessMask(mask::process::CREATE_THREAD),
        )? {
            Target::Process(p) => p,
            _ => return Err(NtStatus::ObjectTypeMismatch),
        };
        let tid = self.add_thread(target)?;
        let pid = self.thread(caller)?.process;
        let h = self.add_handle(
            pid,
            Target::Thread(tid),
            AccessMask(mask::thread::ALL_ACCESS),
        );
        Ok((tid, h))
    }

    pub(super) fn process(&self, id: ProcessId) -> Result<&Process, NtStatus> {
        self.processes
            .get(id.0 as usize)
            .ok_or(NtStatus::InvalidCid)
    }

    pub(super) fn thread(&self, id: ThreadId) -> Result<&Thread, NtStatus> {
        self.threads.get(id.0 as usize).ok_or(NtStatus::InvalidCid)
    }

    /// A process's image name and parent.
    pub fn process_info(&self, id: ProcessId) -> Result<(&str, Option<ProcessId>), NtStatus> {
        let p = self.process(id)?;
        Ok((&p.image, p.parent))
    }

    /// The process a thread belongs to.
    pub fn thread_process(&self, id: ThreadId) -> Result<ProcessId, NtStatus> {
        Ok(self.thread(id)?.process)
    }

    /// The process's primary token.
    pub fn primary_token(&self, id: ProcessId) -> Result<TokenId, NtStatus> {
        Ok(self.process(id)?.primary)
    }

    /// The thread's current impersonation token, if any.
    pub fn impersonation_token(&self, id: ThreadId) -> Result<Option<TokenId>, NtStatus> {
        Ok(self.thread(id)?.impersonation)
    }

    /// The token the thread acts with: its impersonation token, else its
    /// process's primary token.
    pub fn effective_token(&self, id: ThreadId) -> Result<TokenId, NtStatus> {
        let t = self.thread(id)?;
        match t.impersonation {
            Some(i) => Ok(i),
            None => Ok(self.process(t.process)?.primary),
        }
    }

    /// How deep the thread's impersonation stack is.
    pub fn impersonation_depth(&self, id: ThreadId) -> Result<usize, NtStatus> {
        Ok(self.thread(id)?.stack.len())
    }

    /// Opens a process as `caller` (OpenProcess).
    pub fn open_process(
        &mut self,
        caller: ThreadId,
        process: ProcessId,
        desired: AccessMask,
    ) -> Result<(Handle, AccessDecision), CallError> {
        self.open_as_caller(
            caller,
            Target::Process(process),
            ObjectKind::Process,
            desired,
        )
    }

    /// Opens a thread as `caller` (OpenThread).
    pub fn open_thread(
        &mut self,
        caller: ThreadId,
        thread: ThreadId,
        desired: AccessMask,
    ) -> Result<(Handle, AccessDecision), CallError> {
        self.open_as_caller(caller, Target::Thread(thread), ObjectKind::Thread, desired)
    }

    /// Opens `target` with the caller's effective token and the generic
    /// mapping of `kind`.
    fn open_as_caller(
        &mut self,
        caller: ThreadId,
        target: Target,
        kind: ObjectKind,
        desired: AccessMask,
    ) -> Result<(Handle, AccessDecision), CallError> {
        let as_token = self.acting_token(caller)?;
        let request = AccessRequest::new(desired).for_kind(kind);
        self.open(caller, as_token, target, &request)
    }
}
