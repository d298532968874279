//! Processes and threads of the machine: starting them, their tokens and
//! descriptors, and opening them (NtOpenProcess, NtOpenThread with the
//! process and thread rights of Windows' object model).

use super::error::CallError;
use super::world::{Handle, Process, ProcessId, Target, Thread, ThreadId, TokenId, World};
use crate::descriptor::ace::{Ace, AceFlags, AceType};
use crate::descriptor::acl::Acl;
use crate::descriptor::sd::SecurityDescriptor;
use crate::eval::access::{AccessDecision, AccessRequest};
use crate::eval::inherit::{self, InheritApi, InheritRequest};
use crate::ids::mask::{self, AccessMask, ObjectKind};
use crate::ids::status::NtStatus;
use crate::token::{Token, TokenType};

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
        self.copy_elevation(token, primary);
        Ok((pid, tid))
    }

    fn start_process(
        &mut self,
        image: &str,
        parent: Option<ProcessId>,
        mut primary: Token,
    ) -> Result<(ProcessId, ThreadId), NtStatus> {
        primary.token_type = TokenType::Primary;
        let sd = self.token_object_descriptor(&primary);
        let primary = self.insert_token(primary, sd);
        let owner_token = self.tokens[primary.0 as usize].token.clone();
        let psd = self.process_descriptor(&owner_token, ObjectKind::Process);
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
    fn process_descriptor(&self, token: &Token, kind: ObjectKind) -> SecurityDescriptor {
        let mut req = InheritRequest::new(InheritApi::SeAssignSecurity, kind, token);
        req.is_container = false;
        let mut sd = inherit::create_security_descriptor(&req)
            .map(|i| i.sd)
            .unwrap_or_default();
        let label = Ace::new(
            AceType::SystemMandatoryLabel,
            AceFlags::default(),
            AccessMask(mask::label::NO_WRITE_UP | mask::label::NO_READ_UP),
            token.integrity.sid(),
        );
        sd.set_sacl(Acl::new(vec![label]));
        sd
    }

    /// Adds a thread to a process (setup; no checks).
    pub fn add_thread(&mut self, process: ProcessId) -> Result<ThreadId, NtStatus> {
        let primary = self.process(process)?.primary;
        let owner_token = self.tokens[primary.0 as usize].token.clone();
        let sd = self.process_descriptor(&owner_token, ObjectKind::Thread);
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
        self.copy_elevation(primary, child_primary);
        Ok((child, tid))
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
