//! DuplicateHandle between processes (NtDuplicateObject): the process
//! handles, DUPLICATE_SAME_ACCESS and DUPLICATE_CLOSE_SOURCE, and Windows'
//! access check when the copy asks more than the source handle holds
//! (docs/research/token-api-handles.md section 9).

use super::error::CallError;
use super::world::{Handle, HandleType, ProcessId, Target, ThreadId, World};
use crate::eval::access::AccessRequest;
use crate::ids::mask::{self, AccessMask, ObjectKind};
use crate::ids::status::NtStatus;

/// DuplicateHandle's options (`dwOptions`).
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default)]
pub struct DuplicateOptions {
    /// DUPLICATE_SAME_ACCESS: the copy gets the source handle's access and
    /// the desired access is ignored.
    pub same_access: bool,
    /// DUPLICATE_CLOSE_SOURCE: the source handle is closed, whatever the
    /// outcome.
    pub close_source: bool,
}

impl World {
    /// DuplicateHandle: copies `source` (a handle in the process behind
    /// `source_process`) into the process behind `target_process`, as the
    /// DuplicateHandle page and ReactOS `ObDuplicateObject` describe:
    ///
    /// - both process handles need PROCESS_DUP_HANDLE
    ///   (`GetCurrentProcess()` works); the source process's errors come
    ///   first, and nothing is closed when it fails;
    /// - `target_process` may be `None` only with DUPLICATE_CLOSE_SOURCE
    ///   (which then just closes the source), else
    ///   STATUS_INVALID_PARAMETER;
    /// - `GetCurrentProcess()` and `GetCurrentThread()` as the source (in
    ///   the caller's own process) become real handles with full access;
    ///   the token pseudo handles cannot be duplicated (their pages) and are
    ///   STATUS_INVALID_HANDLE;
    /// - with DUPLICATE_SAME_ACCESS the copy has the source's access;
    ///   otherwise `desired`, generic rights mapped by the object's type.
    ///   When it asks for rights the source lacks, Windows does not refuse
    ///   outright: it runs an access check against the object's descriptor
    ///   with the calling thread's impersonation token, if it has one, and
    ///   with the target process's token, and both must grant (Wine's
    ///   test_duplicate_handle_access and _child, run on Windows; not the
    ///   caller's process token);
    /// - DUPLICATE_CLOSE_SOURCE closes the source handle even when the
    ///   call fails.
    ///
    /// Returns the new handle in the target process (`None` with no
    /// target).
    pub fn duplicate_handle_ex(
        &mut self,
        caller: ThreadId,
        source_process: Handle,
        source: Handle,
        target_process: Option<Handle>,
        desired: AccessMask,
        options: DuplicateOptions,
    ) -> Result<Option<Handle>, CallError> {
        let dup = AccessMask(mask::process::DUP_HANDLE);
        let src_pid = self.process_handle(caller, source_process, dup)?;
        let result = self.duplicate_into(caller, src_pid, source, target_process, desired, options);
        if options.close_source {
            let own = self.thread(caller)?.process;
            // Closing a pseudo handle does nothing (CloseHandle's page).
            if source.as_pseudo().is_none() || src_pid != own {
                // DUPLICATE_CLOSE_SOURCE closes the source even when the
                // duplication fails, and DuplicateHandle reports the
                // duplication's result, not the close's (DuplicateHandle's
                // page); a source already gone has nothing to close.
                let _ = self.close_handle(src_pid, source);
            }
        }
        result
    }

    fn duplicate_into(
        &mut self,
        caller: ThreadId,
        src_pid: ProcessId,
        source: Handle,
        target_process: Option<Handle>,
        desired: AccessMask,
        options: DuplicateOptions,
    ) -> Result<Option<Handle>, CallError> {
        let own = self.thread(caller)?.process;
        let entry = match source.as_pseudo() {
            Some(_) if src_pid != own => return Err(NtStatus::InvalidHandle.into()),
            Some(p) => {
                use super::world::PseudoHandle as P;
                if !matches!(p, P::CurrentProcess | P::CurrentThread) {
                    return Err(NtStatus::InvalidHandle.into());
                }
                self.resolve_handle(caller, source)?
            }
            None => self.handle(src_pid, source)?,
        };
        let Some(target_process) = target_process else {
            if options.close_source {
                return Ok(None);
            }
            return Err(NtStatus::InvalidParameter.into());
        };
        let dst_pid = self.process_handle(
            caller,
            target_process,
            AccessMask(mask::process::DUP_HANDLE),
        )?;
        let kind = self.kind_of(entry.target);
        let granted = if options.same_access {
            entry.granted
        } else {
            let wanted = kind.mapping().map(desired);
            if wanted.0 & !entry.granted.0 == 0 {
                wanted
            } else {
                let sd = self.descriptor_of(entry.target)?;
                let request = AccessRequest::new(wanted).for_kind(kind);
                if let Some(imp) = self.thread(caller)?.impersonation {
                    self.require(imp, sd, &request)?;
                }
                let dst_token = self.process(dst_pid)?.primary;
                self.require(dst_token, sd, &request)?.granted
            }
        };
        Ok(Some(self.add_handle(dst_pid, entry.target, granted)))
    }

    /// The process a handle refers to, checking the handle grants `needed`.
    fn process_handle(
        &self,
        caller: ThreadId,
        h: Handle,
        needed: AccessMask,
    ) -> Result<ProcessId, NtStatus> {
        match self.reference_handle(caller, h, HandleType::Process, needed)? {
            Target::Process(p) => Ok(p),
            _ => Err(NtStatus::ObjectTypeMismatch),
        }
    }

    /// The object type of what a handle refers to.
    pub(super) fn kind_of(&self, t: Target) -> ObjectKind {
        match t {
            Target::Object(o) => self.objects.get(o).map_or(ObjectKind::File, |x| x.kind),
            Target::Process(_) => ObjectKind::Process,
            Target::Thread(_) => ObjectKind::Thread,
            Target::Token(_) => ObjectKind::Token,
        }
    }
}

/// What NtQueryObject tells about a handle: ObjectBasicInformation's
/// granted access and ObjectTypeInformation's type name.
#[derive(Clone, Copy, PartialEq, Eq, Debug, serde::Serialize)]
pub struct ObjectBasicInformation {
    /// The access the handle grants (`GrantedAccess`).
    pub granted: AccessMask,
    /// The kernel object type's name (`TypeName`): `File` (files and
    /// directories alike), `Key`, `Process`, `Thread`, `Token` or `Event`.
    pub type_name: &'static str,
}

impl World {
    /// NtQueryObject(ObjectBasicInformation / ObjectTypeInformation) on a
    /// handle in the caller's process: its granted access and its object
    /// type's name. No access is needed (the NtQueryObject page; Wine's
    /// advapi32 tests read every observed mask this way). A closed or
    /// unknown handle is STATUS_INVALID_HANDLE; pseudo handles answer for
    /// what they stand for. A directory-service object is not a kernel
    /// object (it is reached over LDAP, not by handle), so it has no type
    /// to report: STATUS_NOT_SUPPORTED.
    pub fn query_object(
        &self,
        caller: ThreadId,
        h: Handle,
    ) -> Result<ObjectBasicInformation, NtStatus> {
        let e = self.resolve_handle(caller, h)?;
        let type_name = World::object_type_of(self.kind_of(e.target))
            .ok_or(NtStatus::NotSupported)?
            .type_name;
        Ok(ObjectBasicInformation {
            granted: e.granted,
            type_name,
        })
    }
}
