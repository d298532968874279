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
//!
//! This file holds the machine's types, its construction, the access checks
//! every operation goes through and the handle table. The operations are
//! `impl World` blocks in the sibling files: [`super::token_ops`] (the token
//! API), [`super::processes`] (processes and threads), [`super::impersonation`]
//! (impersonation and its stack), [`super::objects`] (the object namespace)
//! and [`super::security`] (getting and setting descriptors); the
//! descriptor store is [`super::store`], and the failure of a call that an
//! access check denied, carrying the decision, is [`super::error`].

pub use super::store::{DescriptorId, ObjectId};

use super::error::CallError;

use super::store::Store;
use crate::descriptor::sd::SecurityDescriptor;
use crate::eval::access::{
    self, AccessDecision, AccessRequest, CompiledToken, NoTrace, SidTable, Trace,
};
use crate::eval::inherit::InheritApi;
use crate::ids::guid::Guid;
use crate::ids::mask::{self, AccessMask, ObjectKind};
use crate::ids::status::NtStatus;
use crate::token::{ImpersonationLevel, Token};
use std::fmt;

/// A token in the world: an opaque id, valid only in the world that handed
/// it out.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord, serde::Serialize)]
pub struct TokenId(pub(super) u32);
/// A process: an opaque id, valid only in the world that handed it out.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord, serde::Serialize)]
pub struct ProcessId(pub(super) u32);
/// A thread: an opaque id, valid only in the world that handed it out.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord, serde::Serialize)]
pub struct ThreadId(pub(super) u32);
/// A handle in a process's handle table: opaque, valid only in the process
/// that holds it. It displays as Windows prints a handle value (`0x4`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord, serde::Serialize)]
pub struct Handle(pub(super) u32);

impl ProcessId {
    /// The process's number: its index in the world, in creation order
    /// from 0 (a report names an unnamed process `#N` by it).
    pub(crate) fn value(self) -> u32 {
        self.0
    }
}

/// A pseudo handle: a constant a process uses for itself, its thread or
/// their tokens without opening anything (GetCurrentProcess and its
/// siblings; processthreadsapi.h).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[non_exhaustive]
pub enum PseudoHandle {
    /// `GetCurrentProcess()`: `(HANDLE)-1`.
    CurrentProcess,
    /// `GetCurrentThread()`: `(HANDLE)-2`.
    CurrentThread,
    /// `GetCurrentProcessToken()`: `(HANDLE)-4`.
    CurrentProcessToken,
    /// `GetCurrentThreadToken()`: `(HANDLE)-5`.
    CurrentThreadToken,
    /// `GetCurrentThreadEffectiveToken()`: `(HANDLE)-6`.
    CurrentThreadEffectiveToken,
}

impl PseudoHandle {
    /// Every pseudo handle.
    pub const ALL: [PseudoHandle; 5] = [
        PseudoHandle::CurrentProcess,
        PseudoHandle::CurrentThread,
        PseudoHandle::CurrentProcessToken,
        PseudoHandle::CurrentThreadToken,
        PseudoHandle::CurrentThreadEffectiveToken,
    ];

    /// The function that returns it, as programs write it
    /// (`GetCurrentProcess()`).
    pub const fn name(self) -> &'static str {
        match self {
            PseudoHandle::CurrentProcess => "GetCurrentProcess()",
            PseudoHandle::CurrentThread => "GetCurrentThread()",
            PseudoHandle::CurrentProcessToken => "GetCurrentProcessToken()",
            PseudoHandle::CurrentThreadToken => "GetCurrentThreadToken()",
            PseudoHandle::CurrentThreadEffectiveToken => "GetCurrentThreadEffectiveToken()",
        }
    }

    /// Its value as a negative number: `(HANDLE)-1` for the process.
    pub const fn value(self) -> i32 {
        match self {
            PseudoHandle::CurrentProcess => -1,
            PseudoHandle::CurrentThread => -2,
            PseudoHandle::CurrentProcessToken => -4,
            PseudoHandle::CurrentThreadToken => -5,
            PseudoHandle::CurrentThreadEffectiveToken => -6,
        }
    }

    /// Looks one up by its function's name, with or without `()`, in any
    /// case.
    pub fn from_name(name: &str) -> Option<PseudoHandle> {
        let bare = name.trim().trim_end_matches("()");
        // Each name ends in one `()`: cut with a byte comparison, not a
        // pattern search per candidate (a handle name is read per step).
        Self::ALL.into_iter().find(|p| {
            let n = p.name();
            n.strip_suffix("()").unwrap_or(n).eq_ignore_ascii_case(bare)
        })
    }
}

impl Handle {
    /// NULL: never a valid handle (STATUS_INVALID_HANDLE where a handle is
    /// needed).
    pub const NULL: Handle = Handle(0);

    /// The handle value of a pseudo handle.
    pub const fn pseudo(p: PseudoHandle) -> Handle {
        Handle(p.value() as u32)
    }

    /// The pseudo handle this value is, if any.
    pub fn as_pseudo(self) -> Option<PseudoHandle> {
        PseudoHandle::ALL
            .into_iter()
            .find(|p| Handle::pseudo(*p) == self)
    }
}

impl fmt::Display for Handle {
    /// `0x4`, `NULL`, or the pseudo handle's function (`GetCurrentProcess()`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.as_pseudo() {
            Some(p) => f.write_str(p.name()),
            None if self.0 == 0 => f.write_str("NULL"),
            None => write!(f, "0x{:x}", self.0),
        }
    }
}

/// What a handle refers to.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, serde::Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
#[non_exhaustive]
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

/// The object type a call expects a handle to refer to.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[non_exhaustive]
pub enum HandleType {
    /// A process.
    Process,
    /// A thread.
    Thread,
    /// A token.
    Token,
    /// A namespace object (file, key, directory-service object).
    Object,
    /// Any type (GetKernelObjectSecurity, CloseHandle, DuplicateHandle).
    Any,
}

impl HandleType {
    /// Whether a handle to `t` is of this type.
    pub fn admits(self, t: Target) -> bool {
        matches!(
            (self, t),
            (HandleType::Any, _)
                | (HandleType::Process, Target::Process(_))
                | (HandleType::Thread, Target::Thread(_))
                | (HandleType::Token, Target::Token(_))
                | (HandleType::Object, Target::Object(_))
        )
    }
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

/// A token's place in a UAC split: TOKEN_ELEVATION_TYPE (winnt.h:
/// TokenElevationTypeDefault = 1, Full = 2, Limited = 3; the values are
/// those of the SDK header, see docs/research/token-api-handles.md).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ElevationType {
    /// Not part of a split token (UAC off, or a standard user, or a
    /// service).
    #[default]
    Default,
    /// The elevated half of a split token.
    Full,
    /// The filtered half of a split token.
    Limited,
}

impl ElevationType {
    /// The TOKEN_ELEVATION_TYPE value.
    pub const fn value(self) -> u32 {
        match self {
            ElevationType::Default => 1,
            ElevationType::Full => 2,
            ElevationType::Limited => 3,
        }
    }

    /// `default`, `full` or `limited`.
    pub const fn name(self) -> &'static str {
        match self {
            ElevationType::Default => "default",
            ElevationType::Full => "full",
            ElevationType::Limited => "limited",
        }
    }
}

pub(super) struct TokenEntry {
    pub(super) token: Token,
    pub(super) compiled: CompiledToken,
    pub(super) sd: DescriptorId,
    /// Its place in a UAC split.
    pub(super) elevation: ElevationType,
    /// The other half of a UAC split.
    pub(super) linked: Option<TokenId>,
    /// ParentTokenId: the token this one was filtered from (a restricted
    /// token's source); a duplicate keeps its source's (ReactOS
    /// SepPerformTokenFiltering, SepDuplicateToken).
    pub(super) parent: Option<TokenId>,
    /// TOKEN_STATISTICS.TokenId: a LUID of its own.
    pub(super) luid: u64,
    /// TOKEN_STATISTICS.ModifiedId: a new LUID at every change.
    pub(super) modified_id: u64,
}

pub(super) struct Process {
    pub(super) image: String,
    pub(super) parent: Option<ProcessId>,
    pub(super) primary: TokenId,
    pub(super) sd: DescriptorId,
    pub(super) handles: Vec<Option<HandleEntry>>,
    pub(super) threads: Vec<ThreadId>,
}

pub(super) struct Thread {
    pub(super) process: ProcessId,
    /// The current impersonation token and its effective level.
    pub(super) impersonation: Option<TokenId>,
    /// Saved contexts, innermost last.
    pub(super) stack: Vec<Option<TokenId>>,
    pub(super) sd: DescriptorId,
}

/// The simulated machine.
pub struct World {
    pub(super) table: SidTable,
    pub(super) tokens: Vec<TokenEntry>,
    pub(super) processes: Vec<Process>,
    pub(super) threads: Vec<Thread>,
    pub(super) objects: Store,
    /// Record explanation traces for access checks.
    pub explain: bool,
    pub(super) next_logon: u64,
    /// The system's ANONYMOUS LOGON token, made on first use.
    pub(super) anonymous: Option<TokenId>,
    /// The next LUID for a token id or modified id (NtAllocateLocallyUniqueId).
    pub(super) next_luid: u64,
}

/// What a caller can learn about an object.
#[derive(Clone, PartialEq, Eq, Debug, serde::Serialize)]
pub struct ObjectInfo {
    /// The object's name (last path component).
    pub name: String,
    /// Its full path.
    pub path: String,
    /// Its kind.
    pub kind: ObjectKind,
    /// Its parent.
    pub parent: Option<ObjectId>,
    /// Its directory-service class.
    pub class: Option<Guid>,
    /// Its descriptor id.
    pub descriptor: DescriptorId,
}

/// Which parts of a descriptor a get or set touches
/// (`SECURITY_INFORMATION`).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, serde::Serialize)]
pub struct SecurityInformation {
    /// OWNER_SECURITY_INFORMATION.
    pub owner: bool,
    /// GROUP_SECURITY_INFORMATION.
    pub group: bool,
    /// DACL_SECURITY_INFORMATION.
    pub dacl: bool,
    /// SACL_SECURITY_INFORMATION.
    pub sacl: bool,
    /// LABEL_SECURITY_INFORMATION.
    pub label: bool,
}

impl SecurityInformation {
    /// Owner, group and DACL.
    pub const STANDARD: SecurityInformation = SecurityInformation {
        owner: true,
        group: true,
        dacl: true,
        sacl: false,
        label: false,
    };

    /// The access a handle needs for these parts: READ_CONTROL (or
    /// WRITE_DAC / WRITE_OWNER to set) and ACCESS_SYSTEM_SECURITY for the
    /// SACL (GetSecurityInfo / SetSecurityInfo).
    pub fn needed(&self, set: bool) -> AccessMask {
        let mut m = 0;
        if set {
            if self.dacl {
                m |= AccessMask::WRITE_DAC.0;
            }
            if self.owner || self.group || self.label {
                m |= AccessMask::WRITE_OWNER.0;
            }
        } else if self.owner || self.group || self.dacl || self.label {
            m |= AccessMask::READ_CONTROL.0;
        }
        if self.sacl {
            m |= AccessMask::ACCESS_SYSTEM_SECURITY.0;
        }
        AccessMask(m)
    }
}

/// Options for creating an object.
#[derive(Clone, Debug, Default)]
pub struct CreateOptions {
    /// The creator's explicit descriptor.
    pub descriptor: Option<SecurityDescriptor>,
    /// The directory-service object class.
    pub class: Option<Guid>,
    /// The code path; by default NtCreateFile for files and directories,
    /// registry for keys, ds_add for directory-service objects,
    /// SeAssignSecurity for the rest.
    pub api: Option<InheritApi>,
    /// Skip the parent access check (setup).
    pub unchecked: bool,
}

/// How many objects a token may open with an access, over the world.
#[derive(Clone, PartialEq, Eq, Debug, Default, serde::Serialize)]
pub struct AuditSummary {
    /// Objects examined.
    pub objects: usize,
    /// Objects the token may open.
    pub granted: usize,
    /// Distinct descriptors checked (each once).
    pub descriptors_checked: usize,
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
            objects: Store::new(),
            explain: false,
            next_logon: 0x10000,
            anonymous: None,
            next_luid: 0x10_0000,
        }
    }

    /// Checks `desired` for `token` against a stored descriptor.
    pub(super) fn check(
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
    pub(super) fn acting_token(&self, caller: ThreadId) -> Result<TokenId, NtStatus> {
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
    pub(super) fn open(
        &mut self,
        caller: ThreadId,
        as_token: TokenId,
        target: Target,
        request: &AccessRequest<'_>,
    ) -> Result<(Handle, AccessDecision), CallError> {
        let sd = self.descriptor_of(target)?;
        let decision = self.require(as_token, sd, request)?;
        let pid = self.thread(caller)?.process;
        let h = self.add_handle(pid, target, decision.granted);
        Ok((h, decision))
    }

    /// Checks `request` for `token` against a stored descriptor, as a call
    /// that needs the access does: a granted decision is passed through, a
    /// denied one fails the call and is carried in the error.
    pub(super) fn require(
        &self,
        token: TokenId,
        sd: DescriptorId,
        request: &AccessRequest<'_>,
    ) -> Result<AccessDecision, CallError> {
        let decision = self.check(token, sd, request)?;
        if decision.is_granted() {
            Ok(decision)
        } else {
            Err(CallError::denied(decision))
        }
    }

    pub(super) fn descriptor_of(&self, target: Target) -> Result<DescriptorId, NtStatus> {
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

    pub(super) fn add_handle(
        &mut self,
        pid: ProcessId,
        target: Target,
        granted: AccessMask,
    ) -> Handle {
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

    /// What a handle means in `caller`'s process: its target and granted
    /// access, pseudo handles included.
    ///
    /// - `GetCurrentProcess()` and `GetCurrentThread()` carry full access to
    ///   the caller's process and thread (Wine's `test_process_security_child`
    ///   shows them granting what OpenProcess is denied).
    /// - The token pseudo handles (Windows 8 and later) carry TOKEN_QUERY
    ///   and TOKEN_QUERY_SOURCE only (the "GetCurrentProcessToken" page).
    ///   `GetCurrentThreadToken()` on a thread that is not impersonating
    ///   is STATUS_NO_TOKEN, and `GetCurrentThreadEffectiveToken()` is then
    ///   the process token (Wine's `test_pseudo_tokens`, run on Windows).
    /// - NULL, a closed or an unknown handle is STATUS_INVALID_HANDLE.
    pub fn resolve_handle(&self, caller: ThreadId, h: Handle) -> Result<HandleEntry, NtStatus> {
        let pid = self.thread(caller)?.process;
        let query = AccessMask(mask::token::QUERY | mask::token::QUERY_SOURCE);
        let (target, granted) = match h.as_pseudo() {
            None => return self.handle(pid, h),
            Some(PseudoHandle::CurrentProcess) => {
                (Target::Process(pid), AccessMask(mask::process::ALL_ACCESS))
            }
            Some(PseudoHandle::CurrentThread) => {
                (Target::Thread(caller), AccessMask(mask::thread::ALL_ACCESS))
            }
            Some(PseudoHandle::CurrentProcessToken) => {
                (Target::Token(self.process(pid)?.primary), query)
            }
            Some(PseudoHandle::CurrentThreadToken) => (
                Target::Token(
                    self.thread(caller)?
                        .impersonation
                        .ok_or(NtStatus::NoToken)?,
                ),
                query,
            ),
            Some(PseudoHandle::CurrentThreadEffectiveToken) => {
                (Target::Token(self.effective_token(caller)?), query)
            }
        };
        Ok(HandleEntry { target, granted })
    }

    /// References a handle as ObReferenceObjectByHandle does, in its order:
    /// the handle must exist (STATUS_INVALID_HANDLE), refer to an object of
    /// the `expected` type (STATUS_OBJECT_TYPE_MISMATCH), and grant
    /// `needed` (STATUS_ACCESS_DENIED). Type comes before access (ReactOS
    /// `ObReferenceObjectByHandle`, Wine `get_handle_obj`).
    pub fn reference_handle(
        &self,
        caller: ThreadId,
        h: Handle,
        expected: HandleType,
        needed: AccessMask,
    ) -> Result<Target, NtStatus> {
        let e = self.resolve_handle(caller, h)?;
        if !expected.admits(e.target) {
            return Err(NtStatus::ObjectTypeMismatch);
        }
        if needed.0 & !e.granted.0 != 0 {
            return Err(NtStatus::AccessDenied);
        }
        Ok(e.target)
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
}

#[cfg(test)]
mod tests {
    use super::{handle_index, handle_value, Handle};

    /// Handle values are multiples of 4 from 4; any other value names no
    /// slot (the public API cannot make one, so the rule is tested here).
    /// Pseudo handles are the negative values processthreadsapi.h gives
    /// them, and print as their function.
    #[test]
    fn pseudo_handles_have_windows_values() {
        use super::PseudoHandle;
        assert_eq!(
            Handle::pseudo(PseudoHandle::CurrentProcess),
            Handle(u32::MAX)
        );
        assert_eq!(
            Handle::pseudo(PseudoHandle::CurrentThread),
            Handle(u32::MAX - 1)
        );
        assert_eq!(
            Handle::pseudo(PseudoHandle::CurrentThreadEffectiveToken),
            Handle(u32::MAX - 5)
        );
        assert_eq!(Handle(u32::MAX - 2).as_pseudo(), None);
        assert_eq!(Handle(u32::MAX).to_string(), "GetCurrentProcess()");
        assert_eq!(Handle::NULL.to_string(), "NULL");
        assert_eq!(
            PseudoHandle::from_name("getcurrentthreadtoken"),
            Some(PseudoHandle::CurrentThreadToken)
        );
        for p in PseudoHandle::ALL {
            assert_eq!(PseudoHandle::from_name(p.name()), Some(p));
        }
        assert_eq!(PseudoHandle::from_name("t"), None);
        assert_eq!(PseudoHandle::from_name("GetCurrentThread(x)"), None);
        // A pseudo value that is a multiple of 4 names no table slot.
        assert_eq!(Handle::pseudo(PseudoHandle::CurrentProcessToken).0 % 4, 0);
    }

    #[test]
    fn handle_values_are_multiples_of_four() {
        assert_eq!(handle_value(0), Handle(4));
        assert_eq!(handle_value(2).to_string(), "0xc");
        assert_eq!(handle_index(Handle(4)), Some(0));
        assert_eq!(handle_index(Handle(12)), Some(2));
        assert_eq!(handle_index(Handle(0)), None);
        assert_eq!(handle_index(Handle(7)), None);
    }
}
