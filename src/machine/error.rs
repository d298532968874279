//! How a checked call of the machine fails: the NTSTATUS Windows returns,
//! and the access decision behind it when an access check denied the call
//! (a denial is data: the caller can explain it).

use crate::eval::access::AccessDecision;
use crate::ids::status::NtStatus;
use std::fmt;

/// Why a call of the [`World`](crate::World) that runs an access check
/// failed: the status Windows returns and, when the access check denied the
/// call, the [`AccessDecision`] behind it (with its trace when
/// [`World::explain`](crate::World::explain) is on).
///
/// The calls that run an access check on the caller's behalf return it:
/// the opens ([`open_object`](crate::World::open_object),
/// [`open_process`](crate::World::open_process),
/// [`open_thread`](crate::World::open_thread),
/// [`open_process_token`](crate::World::open_process_token),
/// [`open_thread_token`](crate::World::open_thread_token)),
/// [`create_object`](crate::World::create_object) and
/// [`set_thread_token`](crate::World::set_thread_token). The other calls
/// fail with a bare [`NtStatus`]: no access check runs, so there is no
/// decision to carry.
///
/// ```
/// use secctx::{AccessMask, CallError, NtStatus};
///
/// let e = CallError::from(NtStatus::NoToken);
/// assert_eq!(e.status(), NtStatus::NoToken);
/// assert!(e.denial().is_none());
/// assert_eq!(e.to_string(), "STATUS_NO_TOKEN");
/// ```
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct CallError {
    status: NtStatus,
    denial: Option<Box<AccessDecision>>,
}

impl CallError {
    /// A call the access check denied: the decision's status, with the
    /// decision.
    pub(crate) fn denied(decision: AccessDecision) -> CallError {
        CallError {
            status: decision.status,
            denial: Some(Box::new(decision)),
        }
    }

    /// The status the call failed with.
    pub fn status(&self) -> NtStatus {
        self.status
    }

    /// The access decision that denied the call, if an access check did.
    pub fn denial(&self) -> Option<&AccessDecision> {
        self.denial.as_deref()
    }

    /// The access decision that denied the call, if an access check did,
    /// taken out of the error.
    pub fn into_denial(self) -> Option<AccessDecision> {
        self.denial.map(|d| *d)
    }
}

impl From<NtStatus> for CallError {
    /// A failure with no access decision behind it.
    fn from(status: NtStatus) -> CallError {
        CallError {
            status,
            denial: None,
        }
    }
}

impl fmt::Display for CallError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.status.name())?;
        if self.denial.is_some() {
            f.write_str(": denied by the access check")?;
        }
        Ok(())
    }
}

impl std::error::Error for CallError {}
