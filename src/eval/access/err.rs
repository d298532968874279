//! Errors of the access check: malformed requests only. A denial is an
//! [`super::AccessDecision`], never an error.

use crate::ids::mask::AccessMask;
use crate::ids::status::NtStatus;

/// A request the access check refuses to evaluate, as Windows' AccessCheck
/// refuses it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AccessError {
    /// Generic bits were asked without a generic mapping
    /// (STATUS_GENERIC_NOT_MAPPED).
    #[error("desired access `{desired}` has generic bits but no generic mapping was given")]
    GenericNotMapped {
        /// The desired access as given.
        desired: AccessMask,
    },
    /// The descriptor lacks an owner or a group (STATUS_INVALID_SECURITY_DESCR;
    /// AccessCheck requires both).
    #[error(
        "the security descriptor has no {missing}; the access check needs an owner and a group"
    )]
    InvalidSecurityDescriptor {
        /// `owner` or `group`.
        missing: &'static str,
    },
    /// The object-type list is not a valid tree (STATUS_INVALID_PARAMETER).
    #[error("object type {index}: {reason}")]
    InvalidObjectTypeList {
        /// The offending entry.
        index: usize,
        /// What is wrong.
        reason: String,
    },
    /// A result-list call (AccessCheckByTypeResultList) without an
    /// object-type list (STATUS_INVALID_PARAMETER; ReactOS `SepAccessCheck`
    /// refuses an empty list before anything else, and its apitest
    /// `NtAccessCheckByTypeResultList` (ParamValidationNoObjsList) records
    /// the status even with a descriptor lacking owner and group).
    #[error("a result-list check needs an object-type list")]
    ResultListWithoutObjectTypes,
    /// The AccessCheck API was given generic bits in DesiredAccess, even
    /// with a generic mapping (STATUS_GENERIC_NOT_MAPPED): the "AccessCheck"
    /// page says the mask must have been mapped by MapGenericMask first,
    /// and Wine's `test_AccessCheck` ("Generic access mask") records
    /// ERROR_GENERIC_NOT_MAPPED for GENERIC_READ with a mapping.
    #[error("desired access `{desired}` has generic bits; AccessCheck takes only mapped rights (MapGenericMask first)")]
    GenericInCall {
        /// The desired access as given.
        desired: AccessMask,
    },
    /// The caller's privilege-set buffer is shorter than the privileges the
    /// check uses need (STATUS_BUFFER_TOO_SMALL; Wine `test_AccessCheck`).
    #[error("the privilege-set buffer holds {given} bytes; the check needs {needed}")]
    PrivilegeSetTooSmall {
        /// The length the caller gave.
        given: u32,
        /// The length the privilege set needs.
        needed: u32,
    },
    /// The token and the descriptor were compiled by different SID tables.
    #[error("the token and the descriptor were compiled by different SID tables")]
    ForeignTable,
}

impl AccessError {
    /// The NTSTATUS Windows reports for this error.
    pub fn status(&self) -> NtStatus {
        match self {
            AccessError::GenericNotMapped { .. } | AccessError::GenericInCall { .. } => {
                NtStatus::GenericNotMapped
            }
            AccessError::InvalidSecurityDescriptor { .. } => NtStatus::InvalidSecurityDescr,
            AccessError::PrivilegeSetTooSmall { .. } => NtStatus::BufferTooSmall,
            AccessError::InvalidObjectTypeList { .. }
            | AccessError::ResultListWithoutObjectTypes
            | AccessError::ForeignTable => NtStatus::InvalidParameter,
        }
    }
}
