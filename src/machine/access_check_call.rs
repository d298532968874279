//! The AccessCheck API called with a token handle: AccessCheck,
//! AccessCheckByType and AccessCheckByTypeResultList (NtAccessCheck,
//! NtAccessCheckByType, NtAccessCheckByTypeResultList), with their argument
//! checks in the NT routines' order.

use super::store::ObjectId;
use super::world::{Handle, ThreadId, World};
use crate::descriptor::sd::SecurityDescriptor;
use crate::eval::access::{self, AccessDecision, AccessRequest};
use crate::ids::mask;
use crate::ids::status::NtStatus;

/// The descriptor an AccessCheck call is asked about.
#[derive(Clone, Copy, Debug)]
pub enum CallDescriptor<'a> {
    /// A stored object's descriptor.
    Object(ObjectId),
    /// A descriptor given with the call.
    Given(&'a SecurityDescriptor),
}

impl World {
    /// AccessCheck and its by-type forms for the token behind `token`, a
    /// handle in `caller`'s process (any handle, pseudo handles included).
    ///
    /// `Err` is the call's own failure, in the order of ReactOS
    /// `SepAccessCheck` (shared by the three NT calls):
    ///
    /// 1. a result list without an object-type list, then generic bits in
    ///    the desired access ([`access::call_arguments`]);
    /// 2. the handle, referenced for TOKEN_QUERY ("The handle must have
    ///    TOKEN_QUERY access", the AccessCheck page): STATUS_INVALID_HANDLE,
    ///    STATUS_OBJECT_TYPE_MISMATCH, STATUS_ACCESS_DENIED;
    /// 3. a primary token is STATUS_NO_IMPERSONATION_TOKEN, a level below
    ///    Identification STATUS_BAD_IMPERSONATION_LEVEL (Wine
    ///    `test_AccessCheck`, run on Windows);
    /// 4. the object-type list (STATUS_INVALID_PARAMETER),
    ///    ACCESS_SYSTEM_SECURITY without SeSecurityPrivilege (a call that
    ///    succeeds with STATUS_PRIVILEGE_NOT_HELD), a privilege-set buffer
    ///    shorter than `privilege_set_buffer` bytes (STATUS_BUFFER_TOO_SMALL;
    ///    unchecked when `None`): [`access::before_descriptor`];
    /// 5. the descriptor's owner and group (STATUS_INVALID_SECURITY_DESCR).
    ///
    /// `Ok` is a check that ran: the call succeeded (the Win32 calls return
    /// TRUE) and the decision holds the access status, with a status per
    /// node for a result list.
    pub fn access_check_call(
        &self,
        caller: ThreadId,
        token: Handle,
        sd: CallDescriptor<'_>,
        request: &AccessRequest<'_>,
        privilege_set_buffer: Option<u32>,
    ) -> Result<AccessDecision, NtStatus> {
        access::call_arguments(request).map_err(|e| e.status())?;
        let id = self.token_handle(caller, token, mask::token::QUERY)?;
        let t = self.token(id)?;
        if let Some(status) = access::access_check_api_status(t) {
            return Err(status);
        }
        let early =
            access::before_descriptor(t.enabled_privileges(), request, privilege_set_buffer)
                .map_err(|e| e.status())?;
        if let Some(d) = early {
            return Ok(d);
        }
        match sd {
            CallDescriptor::Object(o) => self.check_as(id, o, request),
            CallDescriptor::Given(sd) => {
                let t = self.token(id)?;
                let decided = if self.explain {
                    access::access_check_explained(t, sd, request)
                } else {
                    access::access_check(t, sd, request)
                };
                decided.map_err(|e| e.status())
            }
        }
    }
}
