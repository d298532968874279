//! Named kernel events: CreateEvent / CreateEventEx and OpenEvent on the
//! object namespace, with the Event type's rights and generic mapping
//! (docs/research/token-api-handles.md sections 10 and 12).

use super::error::CallError;
use super::world::{CreateOptions, Handle, ObjectId, Target, ThreadId, World};
use crate::descriptor::sd::SecurityDescriptor;
use crate::eval::access::AccessDecision;
use crate::ids::mask::{self, AccessMask, ObjectKind};
use crate::ids::status::NtStatus;

impl World {
    /// CreateEventEx on a named event (CreateEvent asks EVENT_ALL_ACCESS),
    /// as the CreateEvent page describes:
    ///
    /// - if `name` names an event already, the call opens it for `desired`
    ///   (an access check with the caller's effective token) and succeeds
    ///   with STATUS_OBJECT_NAME_EXISTS, which a Win32 caller sees as
    ///   ERROR_ALREADY_EXISTS; the initial state and the descriptor given
    ///   are ignored;
    /// - if it names an object of another type: STATUS_OBJECT_TYPE_MISMATCH
    ///   (the page: ERROR_INVALID_HANDLE);
    /// - otherwise a new event is made with `sd`, or with a default
    ///   descriptor from the caller's effective token (owner, group and
    ///   default DACL; Wine's test_default_dacl_owner_group_sid), and the
    ///   creator's handle gets `desired` (generic rights mapped) whatever
    ///   the new descriptor says (Wine's test_maximum_allowed: an empty
    ///   DACL still gives the creator EVENT_ALL_ACCESS). Creating under a
    ///   parent asks no right of it (object directories are not modelled).
    ///
    /// Only named events are modelled: an empty name is
    /// STATUS_INVALID_PARAMETER here. Returns the handle and
    /// STATUS_SUCCESS or STATUS_OBJECT_NAME_EXISTS.
    pub fn create_event(
        &mut self,
        caller: ThreadId,
        name: &str,
        desired: AccessMask,
        sd: Option<SecurityDescriptor>,
    ) -> Result<(Handle, NtStatus), CallError> {
        if let Ok(o) = self.lookup(name) {
            let (h, _) = self.open_event_object(caller, o, desired)?;
            return Ok((h, NtStatus::ObjectNameExists));
        }
        let parts: Vec<&str> = name.split(['\\', '/']).filter(|p| !p.is_empty()).collect();
        let Some((leaf, dirs)) = parts.split_last() else {
            return Err(NtStatus::InvalidParameter.into());
        };
        let parent = if dirs.is_empty() {
            None
        } else {
            Some(
                self.lookup(&dirs.join("\\"))
                    .map_err(|_| NtStatus::ObjectPathNotFound)?,
            )
        };
        let options = CreateOptions {
            descriptor: sd,
            unchecked: true,
            ..CreateOptions::default()
        };
        let o = self.create_object(caller, parent, leaf, ObjectKind::Event, &options)?;
        let pid = self.thread(caller)?.process;
        let granted = if desired.contains(AccessMask::MAXIMUM_ALLOWED) {
            AccessMask(mask::event::ALL_ACCESS)
        } else {
            ObjectKind::Event.mapping().map(desired)
        };
        Ok((
            self.add_handle(pid, Target::Object(o), granted),
            NtStatus::Success,
        ))
    }

    /// OpenEvent: opens the event `name` for `desired` with the caller's
    /// effective token. A missing name is STATUS_OBJECT_NAME_NOT_FOUND
    /// (ERROR_FILE_NOT_FOUND), another type STATUS_OBJECT_TYPE_MISMATCH,
    /// and a desired access of 0 STATUS_ACCESS_DENIED (Wine's
    /// test_event_security, run on Windows; SeAccessCheck grants nothing
    /// for nothing asked).
    pub fn open_event(
        &mut self,
        caller: ThreadId,
        name: &str,
        desired: AccessMask,
    ) -> Result<(Handle, AccessDecision), CallError> {
        let o = self.lookup(name)?;
        self.open_event_object(caller, o, desired)
    }

    fn open_event_object(
        &mut self,
        caller: ThreadId,
        o: ObjectId,
        desired: AccessMask,
    ) -> Result<(Handle, AccessDecision), CallError> {
        if self.objects.get(o)?.kind != ObjectKind::Event {
            return Err(NtStatus::ObjectTypeMismatch.into());
        }
        if desired.0 == 0 {
            return Err(NtStatus::AccessDenied.into());
        }
        self.open_object(caller, o, desired, false)
    }
}
