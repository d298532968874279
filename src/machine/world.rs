//! The simulated machine: processes, threads, tokens, handles and an object
//! namespace, driven through a typed API.
//!
//! Every operation is made *as* a thread (the caller), with Windows' access
//! requirements, and fails with the status Windows gives. The world hands the
//! evaluator one effective token, one descriptor and one request; the
//! evaluator never reaches back into the world.
//!
//! - A process owns a primary token; a thread may impersonate. Its
//!   impersonation *stack* saves and restores contexts
//!   ([`World::push_impersonation`], [`World::pop_impersonation`]);
//!   [`World::revert_to_self`] drops them all.
//! - Impersonation follows SeTokenCanImpersonate (see
//!   [`World::impersonate`]): the level is capped to Identification unless
//!   the caller may impersonate at the asked level, and the choice is
//!   reported in an [`ImpersonationOutcome`].
//! - Tokens, processes and threads are securable objects with descriptors.
//! - Handles record the access granted at open; operations through a handle
//!   check only that mask.
//! - Objects form a tree; each distinct descriptor is stored once and
//!   referenced by id (as NTFS's `$Secure`), so a million objects with a few
//!   thousand descriptors stay small. New objects get their descriptors
//!   from [`crate::eval::inherit`], and nothing else.

mod objects;

pub use objects::{
    AuditSummary, CreateOptions, DescriptorId, ObjectId, ObjectInfo, SecurityInformation,
};

use crate::descriptor::ace::{Ace, AceFlags, AceType};
use crate::descriptor::acl::Acl;
use crate::descriptor::sd::SecurityDescriptor;
use crate::eval::access::{
    self, AccessDecision, AccessRequest, CompiledToken, NoTrace, SidTable, Trace,
};
use crate::eval::inherit::{self, InheritApi, InheritRequest};
use crate::ids::mask::{self, AccessMask, ObjectKind};
use crate::ids::privilege::Privilege;
use crate::ids::sid::{well_known, Sid};
use crate::ids::status::NtStatus;
use crate::token::{
    GroupAttributes, ImpersonationLevel, IntegrityLevel, Token, TokenGroup, TokenPrivilege,
    TokenType,
};
use std::fmt;

/// A token in the world.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord, serde::Serialize)]
pub struct TokenId(pub u32);
/// A process.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord, serde::Serialize)]
pub struct ProcessId(pub u32);
/// A thread.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord, serde::Serialize)]
pub struct ThreadId(pub u32);
/// A handle in a process's handle table.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord, serde::Serialize)]
pub struct Handle(pub u32);

impl fmt::Display for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "0x{:x}", self.0)
    }
}

/// What a handle refers to.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, serde::Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Target {
    /// A namespace object.
    Object(ObjectId),
    /// A process.
    Process(ProcessId),
    /// A thread.
    Thread(ThreadId),
    /// A token.
    Token(TokenId),
}

/// An open handle: its target and the access granted when it was opened.
#[derive(Clone, Copy, PartialEq, Eq, Debug, serde::Serialize)]
pub struct HandleEntry {
    /// What it refers to.
    pub target: Target,
    /// What was granted.
    pub granted: AccessMask,
}

/// How an impersonation request was settled.
#[derive(Clone, PartialEq, Eq, Debug, serde::Serialize)]
pub struct ImpersonationOutcome {
    /// The token the thread now impersonates.
    pub token: TokenId,
    /// The level asked for (the token's level).
    pub requested: ImpersonationLevel,
    /// The level granted.
    pub level: ImpersonationLevel,
    /// Why the level was capped to Identification, if it was.
    pub capped: Option<String>,
    /// Why the level was allowed, when it was not capped.
    pub allowed_by: Option<String>,
}

struct TokenEntry {
    token: Token,
    compiled: CompiledToken,
    sd: DescriptorId,
}

struct Process {
    image: String,
    parent: Option<ProcessId>,
    primary: TokenId,
    sd: DescriptorId,
    handles: Vec<Option<HandleEntry>>,
    threads: Vec<ThreadId>,
}

struct Thread {
    process: ProcessId,
    /// The current impersonation token and its effective level.
    impersonation: Option<TokenId>,
    /// Saved contexts, innermost last.
    stack: Vec<Option<TokenId>>,
    sd: DescriptorId,
}

/// The simulated machine.
pub struct World {
    table: SidTable,
    tokens: Vec<TokenEntry>,
    processes: Vec<Process>,
    threads: Vec<Thread>,
    objects: objects::Store,
    /// Record explanation traces for access checks.
    pub explain: bool,
    next_logon: u64,
    /// The decision behind the most recent denied open or create.
    last_denial: Option<AccessDecision>,
}

impl Default for World {
    fn default() -> World {
        World::new()
    }
}

/// Handle values are multiples of 4, as Windows hands them out.
fn handle_value(index: usize) -> Handle {
    Handle(((index + 1) * 4) as u32)
}

fn handle_index(h: Handle) -> Option<usize> {
    if h.0 == 0 || h.0 % 4 != 0 {
        return None;
    }
    Some(h.0 as usize / 4 - 1)
}

impl World {
    /// An empty machine.
    pub fn new() -> World {
        World {
            table: SidTable::new(),
            tokens: Vec::new(),
            processes: Vec::new(),
            threads: Vec::new(),
            objects: objects::Store::new(),
            explain: false,
            next_logon: 0x10000,
            last_denial: None,
        }
    }

    // ---------------------------------------------------------------
    // Tokens
    // ---------------------------------------------------------------

    /// Adds a token as given (setup; no checks). Its descriptor is built
    /// from its own owner and default DACL, as NtCreateToken does.
    pub fn add_token(&mut self, token: Token) -> TokenId {
        let sd = self.token_object_descriptor(&token);
        self.insert_token(token, sd)
    }

    fn insert_token(&mut self, token: Token, sd: SecurityDescriptor) -> TokenId {
        let compiled = self.table.compile_token(&token);
        let sd = self.objects.intern_descriptor(&mut self.table, sd);
        self.tokens.push(TokenEntry {
            token,
            compiled,
            sd,
        });
        TokenId((self.tokens.len() - 1) as u32)
    }

    /// The descriptor of a token object created by `creator`: owner and
    /// group from the creator, DACL from its default DACL (SeAssignSecurity
    /// with no parent and no creator descriptor), mapped for tokens.
    fn token_object_descriptor(&self, creator: &Token) -> SecurityDescriptor {
        let mut req = InheritRequest::new(InheritApi::SeAssignSecurity, ObjectKind::Token, creator);
        req.is_container = false;
        inherit::create_security_descriptor(&req)
            .map(|i| i.sd)
            .unwrap_or_default()
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

    // ---------------------------------------------------------------
    // Processes and threads
    // ---------------------------------------------------------------

    /// Starts a process running as `token` (setup; no checks) with one
    /// thread. The process keeps its own copy of the token.
    pub fn spawn(
        &mut self,
        image: &str,
        token: TokenId,
    ) -> Result<(ProcessId, ThreadId), NtStatus> {
        let t = self.token(token)?.clone();
        self.start_process(image, None, t)
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
        self.start_process(image, Some(pid), token)
    }

    fn process(&self, id: ProcessId) -> Result<&Process, NtStatus> {
        self.processes
            .get(id.0 as usize)
            .ok_or(NtStatus::InvalidCid)
    }

    fn thread(&self, id: ThreadId) -> Result<&Thread, NtStatus> {
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

    // ---------------------------------------------------------------
    // Access checks
    // ---------------------------------------------------------------

    /// Checks `desired` for `token` against a stored descriptor.
    fn check(
        &self,
        token: TokenId,
        sd: DescriptorId,
        request: &AccessRequest<'_>,
    ) -> Result<AccessDecision, NtStatus> {
        let t = &self.tokens[token.0 as usize].compiled;
        let d = self.objects.descriptor(sd);
        let result = if self.explain {
            let mut trace = Trace::default();
            access::check(&self.table, t, d, request, &mut trace).map(|mut dec| {
                dec.trace = Some(trace);
                dec
            })
        } else {
            access::check(&self.table, t, d, request, &mut NoTrace)
        };
        result.map_err(|e| e.status())
    }

    /// The token the thread uses to open objects. Opening anything while
    /// impersonating at Identification or Anonymous level fails with
    /// STATUS_BAD_IMPERSONATION_LEVEL (SeAccessCheck's impersonation-level
    /// check; the ReactOS source makes it explicit).
    fn acting_token(&self, caller: ThreadId) -> Result<TokenId, NtStatus> {
        let id = self.effective_token(caller)?;
        let t = &self.tokens[id.0 as usize].token;
        if self.thread(caller)?.impersonation.is_some()
            && t.impersonation_level < ImpersonationLevel::Impersonation
        {
            return Err(NtStatus::BadImpersonationLevel);
        }
        Ok(id)
    }

    /// Opens `target` as `caller` and records a handle in the caller's
    /// process. Returns the handle and the decision.
    fn open(
        &mut self,
        caller: ThreadId,
        as_token: TokenId,
        target: Target,
        request: &AccessRequest<'_>,
    ) -> Result<(Handle, AccessDecision), NtStatus> {
        let sd = self.descriptor_of(target)?;
        let decision = self.check(as_token, sd, request)?;
        let decision = self.require(decision)?;
        let pid = self.thread(caller)?.process;
        let h = self.add_handle(pid, target, decision.granted);
        Ok((h, decision))
    }

    /// Passes a granted decision through; keeps a denied one for
    /// [`World::take_last_denial`] and fails with its status.
    fn require(&mut self, decision: AccessDecision) -> Result<AccessDecision, NtStatus> {
        if decision.is_granted() {
            Ok(decision)
        } else {
            let status = decision.status;
            self.last_denial = Some(decision);
            Err(status)
        }
    }

    /// The access decision behind the most recent open, create or
    /// SetThreadToken that was denied, taken out of the world (so the next
    /// call returns `None` until another denial). Lets a caller explain a
    /// failed open, which returns only a status as Windows does.
    pub fn take_last_denial(&mut self) -> Option<AccessDecision> {
        self.last_denial.take()
    }

    fn descriptor_of(&self, target: Target) -> Result<DescriptorId, NtStatus> {
        Ok(match target {
            Target::Object(o) => self.objects.get(o)?.sd,
            Target::Process(p) => self.process(p)?.sd,
            Target::Thread(t) => self.thread(t)?.sd,
            Target::Token(t) => {
                self.tokens
                    .get(t.0 as usize)
                    .ok_or(NtStatus::InvalidHandle)?
                    .sd
            }
        })
    }

    fn add_handle(&mut self, pid: ProcessId, target: Target, granted: AccessMask) -> Handle {
        let table = &mut self.processes[pid.0 as usize].handles;
        let entry = HandleEntry { target, granted };
        match table.iter().position(Option::is_none) {
            Some(i) => {
                table[i] = Some(entry);
                handle_value(i)
            }
            None => {
                table.push(Some(entry));
                handle_value(table.len() - 1)
            }
        }
    }

    /// Puts a handle to `target` with `granted` access into a process
    /// (setup; no checks) — for instance the client token a server
    /// receives from its authentication package.
    pub fn give_handle(
        &mut self,
        process: ProcessId,
        target: Target,
        granted: AccessMask,
    ) -> Result<Handle, NtStatus> {
        self.process(process)?;
        self.descriptor_of(target)?;
        Ok(self.add_handle(process, target, granted))
    }

    /// The handle's entry (STATUS_INVALID_HANDLE when closed or unknown).
    pub fn handle(&self, process: ProcessId, h: Handle) -> Result<HandleEntry, NtStatus> {
        let p = self.process(process)?;
        handle_index(h)
            .and_then(|i| p.handles.get(i).copied().flatten())
            .ok_or(NtStatus::InvalidHandle)
    }

    /// Uses a handle for an operation needing `needed`: only the granted
    /// mask is consulted, as Windows does (ObReferenceObjectByHandle).
    pub fn use_handle(
        &self,
        process: ProcessId,
        h: Handle,
        needed: AccessMask,
    ) -> Result<HandleEntry, NtStatus> {
        let e = self.handle(process, h)?;
        if needed.0 & !e.granted.0 != 0 {
            return Err(NtStatus::AccessDenied);
        }
        Ok(e)
    }

    /// Closes a handle.
    pub fn close_handle(&mut self, process: ProcessId, h: Handle) -> Result<(), NtStatus> {
        self.handle(process, h)?;
        let i = handle_index(h).ok_or(NtStatus::InvalidHandle)?;
        self.processes[process.0 as usize].handles[i] = None;
        Ok(())
    }

    /// DuplicateHandle into `target` with the same access, or a subset of
    /// it (asking more is STATUS_ACCESS_DENIED).
    pub fn duplicate_handle(
        &mut self,
        source: ProcessId,
        h: Handle,
        target: ProcessId,
        desired: Option<AccessMask>,
    ) -> Result<Handle, NtStatus> {
        let e = self.handle(source, h)?;
        self.process(target)?;
        let granted = match desired {
            None => e.granted,
            Some(d) if d.0 & !e.granted.0 == 0 => d,
            Some(_) => return Err(NtStatus::AccessDenied),
        };
        Ok(self.add_handle(target, e.target, granted))
    }

    /// Opens a process as `caller` (OpenProcess).
    pub fn open_process(
        &mut self,
        caller: ThreadId,
        process: ProcessId,
        desired: AccessMask,
    ) -> Result<(Handle, AccessDecision), NtStatus> {
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
    ) -> Result<(Handle, AccessDecision), NtStatus> {
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
    ) -> Result<(Handle, AccessDecision), NtStatus> {
        let as_token = self.acting_token(caller)?;
        let request = AccessRequest::new(desired).for_kind(kind);
        self.open(caller, as_token, target, &request)
    }

    /// OpenProcessToken: the caller needs PROCESS_QUERY_LIMITED_INFORMATION
    /// on the process, then `desired` on the token.
    pub fn open_process_token(
        &mut self,
        caller: ThreadId,
        process: ProcessId,
        desired: AccessMask,
    ) -> Result<(Handle, AccessDecision), NtStatus> {
        let as_token = self.acting_token(caller)?;
        let psd = self.process(process)?.sd;
        let q = AccessRequest::new(AccessMask(mask::process::QUERY_LIMITED_INFORMATION))
            .for_kind(ObjectKind::Process);
        let pd = self.check(as_token, psd, &q)?;
        self.require(pd)?;
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
    ) -> Result<(Handle, AccessDecision), NtStatus> {
        let token = self
            .thread(thread)?
            .impersonation
            .ok_or(NtStatus::NoToken)?;
        if self.tokens[token.0 as usize].token.impersonation_level == ImpersonationLevel::Anonymous
        {
            return Err(NtStatus::CantOpenAnonymous);
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
    fn token_handle(&self, caller: ThreadId, h: Handle, needed: u32) -> Result<TokenId, NtStatus> {
        let pid = self.thread(caller)?.process;
        match self.use_handle(pid, h, AccessMask(needed))?.target {
            Target::Token(t) => Ok(t),
            _ => Err(NtStatus::InvalidHandle),
        }
    }

    /// DuplicateTokenEx: needs TOKEN_DUPLICATE. An impersonation token
    /// cannot be duplicated to a higher level, nor to a primary token below
    /// Impersonation level (STATUS_BAD_IMPERSONATION_LEVEL). The new token
    /// gets a descriptor from the caller's defaults; the handle grants
    /// `desired` (or everything with MAXIMUM_ALLOWED).
    pub fn duplicate_token(
        &mut self,
        caller: ThreadId,
        h: Handle,
        desired: AccessMask,
        level: ImpersonationLevel,
        token_type: TokenType,
    ) -> Result<Handle, NtStatus> {
        let source = self.token_handle(caller, h, mask::token::DUPLICATE)?;
        let src = self.tokens[source.0 as usize].token.clone();
        if src.token_type == TokenType::Impersonation {
            if level > src.impersonation_level {
                return Err(NtStatus::BadImpersonationLevel);
            }
            if token_type == TokenType::Primary
                && src.impersonation_level < ImpersonationLevel::Impersonation
            {
                return Err(NtStatus::BadImpersonationLevel);
            }
        }
        let mut copy = src;
        copy.token_type = token_type;
        copy.impersonation_level = level;
        let creator = self.tokens[self.effective_token(caller)?.0 as usize]
            .token
            .clone();
        let sd = self.token_object_descriptor(&creator);
        let id = self.insert_token(copy, sd);
        let pid = self.thread(caller)?.process;
        let granted = if desired.contains(AccessMask::MAXIMUM_ALLOWED) {
            AccessMask(mask::token::ALL_ACCESS)
        } else {
            ObjectKind::Token.mapping().map(desired)
        };
        Ok(self.add_handle(pid, Target::Token(id), granted))
    }

    /// AdjustTokenPrivileges: needs TOKEN_ADJUST_PRIVILEGES. `Some(true)`
    /// enables, `Some(false)` disables, `None` removes. A privilege the
    /// token does not hold gives STATUS_NOT_ALL_ASSIGNED (a success code:
    /// the others are still adjusted).
    pub fn adjust_privileges(
        &mut self,
        caller: ThreadId,
        h: Handle,
        changes: &[(Privilege, Option<bool>)],
    ) -> Result<NtStatus, NtStatus> {
        let id = self.token_handle(caller, h, mask::token::ADJUST_PRIVILEGES)?;
        let mut t = self.tokens[id.0 as usize].token.clone();
        let mut all = true;
        for (p, state) in changes {
            match t.privileges.iter().position(|x| x.privilege == *p) {
                None => all = false,
                Some(i) => match state {
                    Some(on) => t.privileges[i].enabled = *on,
                    None => {
                        t.privileges.remove(i);
                    }
                },
            }
        }
        self.replace_token(id, t);
        Ok(if all {
            NtStatus::Success
        } else {
            NtStatus::NotAllAssigned
        })
    }

    /// AdjustTokenGroups: needs TOKEN_ADJUST_GROUPS. A mandatory group
    /// cannot be disabled (STATUS_CANT_DISABLE_MANDATORY); a deny-only
    /// group cannot be enabled (STATUS_CANT_ENABLE_DENY_ONLY); a group the
    /// token does not hold gives STATUS_NOT_ALL_ASSIGNED. Nothing changes
    /// when one of the first two fails.
    pub fn adjust_groups(
        &mut self,
        caller: ThreadId,
        h: Handle,
        changes: &[(Sid, bool)],
    ) -> Result<NtStatus, NtStatus> {
        let id = self.token_handle(caller, h, mask::token::ADJUST_GROUPS)?;
        let mut t = self.tokens[id.0 as usize].token.clone();
        let mut all = true;
        for (sid, enable) in changes {
            match t.groups.iter_mut().find(|g| g.sid == *sid) {
                None => all = false,
                Some(g) => {
                    if !enable && g.attributes.contains(GroupAttributes::MANDATORY) {
                        return Err(NtStatus::CantDisableMandatory);
                    }
                    if *enable && g.is_deny_only() {
                        return Err(NtStatus::CantEnableDenyOnly);
                    }
                    g.attributes = if *enable {
                        g.attributes.with(GroupAttributes::ENABLED)
                    } else {
                        g.attributes.without(GroupAttributes::ENABLED)
                    };
                }
            }
        }
        self.replace_token(id, t);
        Ok(if all {
            NtStatus::Success
        } else {
            NtStatus::NotAllAssigned
        })
    }

    /// CreateRestrictedToken: needs TOKEN_DUPLICATE. SIDs to disable become
    /// deny-only (the user too); privileges are deleted; restricting SIDs
    /// are added — intersected with the existing ones when the token is
    /// already restricted. The result is a new primary token.
    pub fn create_restricted_token(
        &mut self,
        caller: ThreadId,
        h: Handle,
        disable: &[Sid],
        delete: &[Privilege],
        restrict: &[Sid],
        write_restricted: bool,
    ) -> Result<Handle, NtStatus> {
        let source = self.token_handle(caller, h, mask::token::DUPLICATE)?;
        let mut t = self.tokens[source.0 as usize].token.clone();
        for s in disable {
            if t.user.sid == *s {
                t.user.attributes = t.user.attributes.with(GroupAttributes::USE_FOR_DENY_ONLY);
            }
            for g in t.groups.iter_mut().filter(|g| g.sid == *s) {
                g.attributes = g
                    .attributes
                    .with(GroupAttributes::USE_FOR_DENY_ONLY)
                    .without(GroupAttributes::ENABLED);
            }
        }
        t.privileges.retain(|p| !delete.contains(&p.privilege));
        if !restrict.is_empty() {
            let new: Vec<TokenGroup> = restrict.iter().map(|s| TokenGroup::new(*s)).collect();
            t.restricted_sids = if t.restricted_sids.is_empty() {
                new
            } else {
                new.into_iter()
                    .filter(|g| t.restricted_sids.iter().any(|r| r.sid == g.sid))
                    .collect()
            };
            t.write_restricted = write_restricted;
        }
        t.token_type = TokenType::Primary;
        let creator = self.tokens[self.effective_token(caller)?.0 as usize]
            .token
            .clone();
        let sd = self.token_object_descriptor(&creator);
        let id = self.insert_token(t, sd);
        let pid = self.thread(caller)?.process;
        Ok(self.add_handle(pid, Target::Token(id), AccessMask(mask::token::ALL_ACCESS)))
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
        Ok(())
    }

    fn replace_token(&mut self, id: TokenId, token: Token) {
        let compiled = self.table.compile_token(&token);
        let e = &mut self.tokens[id.0 as usize];
        e.token = token;
        e.compiled = compiled;
    }

    // ---------------------------------------------------------------
    // Impersonation
    // ---------------------------------------------------------------

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
        let pid = self.thread(caller)?.process;
        let e = self.handle(pid, h)?;
        let Target::Token(id) = e.target else {
            return Err(NtStatus::InvalidHandle);
        };
        let t = self.tokens[id.0 as usize].token.clone();
        if t.token_type == TokenType::Primary {
            if !allow_primary {
                return Err(NtStatus::BadTokenType);
            }
            let need = mask::token::IMPERSONATE | mask::token::QUERY | mask::token::DUPLICATE;
            self.use_handle(pid, h, AccessMask(need))?;
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
        self.use_handle(pid, h, AccessMask(mask::token::IMPERSONATE))?;
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
    ) -> Result<Option<ImpersonationOutcome>, NtStatus> {
        if target != caller {
            let as_token = self.acting_token(caller)?;
            let sd = self.thread(target)?.sd;
            let req = AccessRequest::new(AccessMask(mask::thread::SET_THREAD_TOKEN))
                .for_kind(ObjectKind::Thread);
            let d = self.check(as_token, sd, &req)?;
            self.require(d)?;
        }
        match h {
            None => {
                self.threads[target.0 as usize].impersonation = None;
                Ok(None)
            }
            Some(h) => {
                let token = self.impersonation_from_handle(caller, h, false)?;
                self.install(target, caller, token).map(Some)
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
