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
    /// The token and the descriptor were compiled by different SID tables.
    #[error("the token and the descriptor were compiled by different SID tables")]
    ForeignTable,
}

impl AccessError {
    /// The NTSTATUS Windows reports for this error.
    pub fn status(&self) -> NtStatus {
        match self {
            AccessError::GenericNotMapped { .. } => NtStatus::GenericNotMapped,
            AccessError::InvalidSecurityDescriptor { .. } => NtStatus::InvalidSecurityDescr,
            AccessError::InvalidObjectTypeList { .. } | AccessError::ForeignTable => {
                NtStatus::InvalidParameter
            }
        }
    }
}
