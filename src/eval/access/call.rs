//! The AccessCheck API's own steps around the check (AccessCheck,
//! AccessCheckByType, AccessCheckByTypeResultList; NtAccessCheck,
//! NtAccessCheckByType, NtAccessCheckByTypeResultList), in the order of
//! ReactOS `SepAccessCheck`, which the three NT calls share:
//!
//! 1. [`call_arguments`]: a result list without an object-type list, then
//!    generic bits in the desired access;
//! 2. the client token (the caller's part: the handle with TOKEN_QUERY, an
//!    impersonation token, Identification or above,
//!    [`super::access_check_api_status`]);
//! 3. [`before_descriptor`]: the object-type list, SePrivilegePolicyCheck
//!    (ACCESS_SYSTEM_SECURITY without SeSecurityPrivilege answers
//!    STATUS_PRIVILEGE_NOT_HELD as the access status of a call that
//!    succeeds), then the privilege-set buffer;
//! 4. the check itself, which refuses a descriptor without an owner or a
//!    group ([`super::check`]).

use super::err::AccessError;
use super::request::{AccessRequest, ObjectTypeResult};
use super::tree::Tree;
use super::AccessDecision;
use crate::ids::mask::AccessMask;
use crate::ids::privilege::{Privilege, PrivilegeSet};
use crate::ids::status::NtStatus;

/// The checks the AccessCheck API makes on its arguments before it looks at
/// the client token, in its order (ReactOS `SepAccessCheck`, shared by
/// NtAccessCheck, NtAccessCheckByType and NtAccessCheckByTypeResultList):
///
/// 1. a result list without an object-type list is STATUS_INVALID_PARAMETER
///    (refused while the output arrays are probed; ReactOS apitest
///    `NtAccessCheckByTypeResultList`, ParamValidationNoObjsList, with a
///    descriptor that has no owner or group);
/// 2. any generic bit in DesiredAccess is STATUS_GENERIC_NOT_MAPPED, even
///    with a mapping (the "AccessCheck" page: the mask must have been
///    mapped by MapGenericMask; Wine `test_AccessCheck`, "Generic access
///    mask", and NtAccessCheck reports it before a short privilege-set
///    buffer, "Generic access mask - zero returnlength").
///
/// Then come the token (the handle with TOKEN_QUERY, an impersonation token,
/// at Identification or above: [`super::access_check_api_status`]), and
/// then [`before_descriptor`] and the check (the object-type list, then the
/// descriptor).
pub fn call_arguments(request: &AccessRequest<'_>) -> Result<(), AccessError> {
    if request.result_list && request.object_types.is_empty() {
        return Err(AccessError::ResultListWithoutObjectTypes);
    }
    if request.desired.has_generic() {
        return Err(AccessError::GenericInCall {
            desired: request.desired,
        });
    }
    Ok(())
}

/// The bytes a PRIVILEGE_SET with `used` privileges takes: an 8-byte header
/// and 12 bytes per LUID_AND_ATTRIBUTES, and never less than
/// sizeof(PRIVILEGE_SET), which holds one (Wine `test_AccessCheck`: a
/// length of 0 or sizeof(PRIVILEGE_SET) - 1 is ERROR_INSUFFICIENT_BUFFER and
/// reports sizeof(PRIVILEGE_SET); sizeof(PRIVILEGE_SET) holds the one
/// privilege an ACCESS_SYSTEM_SECURITY check uses).
pub fn privilege_set_length(used: PrivilegeSet) -> u32 {
    8 + 12 * (used.iter().count() as u32).max(1)
}

/// The steps of the API call between the token and the descriptor, in
/// ReactOS `SepAccessCheck`'s order:
///
/// 1. the object-type list (SeCaptureObjectTypeList:
///    STATUS_INVALID_PARAMETER);
/// 2. SePrivilegePolicyCheck with the token's enabled privileges:
///    ACCESS_SYSTEM_SECURITY needs SeSecurityPrivilege; without it the call
///    succeeds and answers STATUS_PRIVILEGE_NOT_HELD with nothing granted,
///    for every node of a result list (`Ok(Some(..))`; Wine
///    `test_AccessCheck` records AccessCheck returning TRUE with
///    ERROR_PRIVILEGE_NOT_HELD). It uses SeSecurityPrivilege for
///    ACCESS_SYSTEM_SECURITY, and SeTakeOwnershipPrivilege (else
///    SeRelabelPrivilege) for WRITE_OWNER or MAXIMUM_ALLOWED;
/// 3. the privilege-set buffer, when the caller gives its length: shorter
///    than [`privilege_set_length`] of those privileges is
///    STATUS_BUFFER_TOO_SMALL (Wine `test_AccessCheck`, "Valid PrivSet with
///    zero PrivSetLen" and "Key access mask - zero returnlength").
///
/// `Ok(None)`: go on to the check.
pub fn before_descriptor(
    enabled: PrivilegeSet,
    request: &AccessRequest<'_>,
    privilege_set_buffer: Option<u32>,
) -> Result<Option<AccessDecision>, AccessError> {
    if !request.object_types.is_empty() {
        Tree::new(request.object_types)?;
    }
    let desired = request.desired.0;
    let mut used = PrivilegeSet::EMPTY;
    if desired & AccessMask::ACCESS_SYSTEM_SECURITY.0 != 0 {
        if !enabled.contains(Privilege::Security) {
            let nodes = request.object_types.iter().filter(|_| request.result_list);
            return Ok(Some(AccessDecision {
                status: NtStatus::PrivilegeNotHeld,
                granted: AccessMask::NONE,
                privileges_used: PrivilegeSet::EMPTY,
                results: nodes
                    .map(|n| ObjectTypeResult {
                        level: n.level,
                        guid: n.guid,
                        status: NtStatus::PrivilegeNotHeld,
                        granted: AccessMask::NONE,
                    })
                    .collect(),
                audit: Vec::new(),
                trace: None,
            }));
        }
        used.insert(Privilege::Security);
    }
    if desired & (AccessMask::WRITE_OWNER.0 | AccessMask::MAXIMUM_ALLOWED.0) != 0 {
        if let Some(p) = [Privilege::TakeOwnership, Privilege::Relabel]
            .into_iter()
            .find(|p| enabled.contains(*p))
        {
            used.insert(p);
        }
    }
    if let Some(given) = privilege_set_buffer {
        let needed = privilege_set_length(used);
        if given < needed {
            return Err(AccessError::PrivilegeSetTooSmall { given, needed });
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// PRIVILEGE_SET is an 8-byte header and 12 bytes per privilege, and
    /// never less than sizeof(PRIVILEGE_SET), 20 (winnt.h; Wine
    /// `test_AccessCheck` reports 20 for a check that uses none).
    #[test]
    fn privilege_set_lengths() {
        assert_eq!(privilege_set_length(PrivilegeSet::EMPTY), 20);
        let mut one = PrivilegeSet::EMPTY;
        one.insert(Privilege::Security);
        assert_eq!(privilege_set_length(one), 20);
        one.insert(Privilege::TakeOwnership);
        assert_eq!(privilege_set_length(one), 32);
    }

    /// SePrivilegePolicyCheck counts SeTakeOwnershipPrivilege for
    /// MAXIMUM_ALLOWED as for WRITE_OWNER, and SeRelabelPrivilege only
    /// without it (ReactOS `SePrivilegePolicyCheck`).
    #[test]
    fn policy_privileges_set_the_buffer_needed() {
        let mut held = PrivilegeSet::EMPTY;
        held.insert(Privilege::Security);
        held.insert(Privilege::TakeOwnership);
        held.insert(Privilege::Relabel);
        let ask = |d: u32, len: u32| {
            before_descriptor(held, &AccessRequest::new(AccessMask(d)), Some(len))
        };
        let ass = AccessMask::ACCESS_SYSTEM_SECURITY.0;
        let max = AccessMask::MAXIMUM_ALLOWED.0;
        assert_eq!(
            ask(ass | max, 20),
            Err(AccessError::PrivilegeSetTooSmall {
                given: 20,
                needed: 32
            })
        );
        assert_eq!(ask(ass | max, 32), Ok(None));
        assert_eq!(ask(0x1, 20), Ok(None));
        assert_eq!(
            ask(0x1, 19),
            Err(AccessError::PrivilegeSetTooSmall {
                given: 19,
                needed: 20
            })
        );
    }
}
