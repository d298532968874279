//! NTSTATUS codes: how every decision and every failed operation is reported.
//!
//! A denial is data: the access check and the simulated machine answer with an
//! [`NtStatus`] rather than an error type, as the Windows kernel does. Names
//! and values are those of `ntstatus.h` ([MS-ERREF] 2.3.1).

use std::fmt;

macro_rules! statuses {
    ($( $(#[$doc:meta])* $variant:ident = $code:literal, $name:literal; )*) => {
        /// An NTSTATUS value that secctx reports.
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
        #[non_exhaustive]
        pub enum NtStatus {
            $( $(#[$doc])* $variant, )*
        }

        impl NtStatus {
            /// Every status secctx can report.
            pub const ALL: &'static [NtStatus] = &[$(NtStatus::$variant,)*];

            /// The 32-bit NTSTATUS value.
            pub const fn code(self) -> u32 {
                match self { $( NtStatus::$variant => $code, )* }
            }

            /// The `STATUS_…` name.
            pub const fn name(self) -> &'static str {
                match self { $( NtStatus::$variant => $name, )* }
            }
        }
    };
}

statuses! {
    /// The operation succeeded.
    Success = 0x0000_0000, "STATUS_SUCCESS";
    /// Access was denied.
    AccessDenied = 0xC000_0022, "STATUS_ACCESS_DENIED";
    /// A required privilege is not held (or not enabled).
    PrivilegeNotHeld = 0xC000_0061, "STATUS_PRIVILEGE_NOT_HELD";
    /// The security descriptor is not valid for the operation (for example,
    /// it has no owner or no group).
    InvalidSecurityDescr = 0xC000_0079, "STATUS_INVALID_SECURITY_DESCR";
    /// Generic access bits were requested without a generic mapping.
    GenericNotMapped = 0xC000_00E6, "STATUS_GENERIC_NOT_MAPPED";
    /// A parameter is not valid (for example, a malformed object-type list).
    InvalidParameter = 0xC000_000D, "STATUS_INVALID_PARAMETER";
    /// The handle is not valid or has been closed.
    InvalidHandle = 0xC000_0008, "STATUS_INVALID_HANDLE";
    /// The thread is not impersonating, so it has no token to open.
    NoToken = 0xC000_007C, "STATUS_NO_TOKEN";
    /// The token is of the wrong type (primary where impersonation is needed,
    /// or the reverse).
    BadTokenType = 0xC000_00A8, "STATUS_BAD_TOKEN_TYPE";
    /// The impersonation level is too low for the operation.
    BadImpersonationLevel = 0xC000_00A5, "STATUS_BAD_IMPERSONATION_LEVEL";
    /// An anonymous-level token cannot be opened.
    CantOpenAnonymous = 0xC000_00A6, "STATUS_CANT_OPEN_ANONYMOUS";
    /// The SID cannot be the owner of an object.
    InvalidOwner = 0xC000_005A, "STATUS_INVALID_OWNER";
    /// The SID cannot be the primary group.
    InvalidPrimaryGroup = 0xC000_005B, "STATUS_INVALID_PRIMARY_GROUP";
    /// A mandatory group cannot be disabled.
    CantDisableMandatory = 0xC000_005D, "STATUS_CANT_DISABLE_MANDATORY";
    /// A deny-only group cannot be enabled.
    CantEnableDenyOnly = 0xC000_02B3, "STATUS_CANT_ENABLE_DENY_ONLY";
    /// The token does not hold the named privilege.
    NoSuchPrivilege = 0xC000_0060, "STATUS_NO_SUCH_PRIVILEGE";
    /// Not every privilege or group named was held (a success code).
    NotAllAssigned = 0x0000_0106, "STATUS_NOT_ALL_ASSIGNED";
    /// The object name is not found.
    ObjectNameNotFound = 0xC000_0034, "STATUS_OBJECT_NAME_NOT_FOUND";
    /// An object of that name already exists.
    ObjectNameCollision = 0xC000_0035, "STATUS_OBJECT_NAME_COLLISION";
    /// The object path is not valid (for example, its parent is not a
    /// container).
    ObjectPathNotFound = 0xC000_003A, "STATUS_OBJECT_PATH_NOT_FOUND";
    /// A parameter names something that does not exist (an unknown process,
    /// thread or token id).
    InvalidCid = 0xC000_000B, "STATUS_INVALID_CID";
    /// The label is above what the caller may set.
    InvalidLabel = 0xC000_0446, "STATUS_INVALID_LABEL";
    /// The thread is not impersonating, so there is no impersonation to
    /// operate on (for example, popping an empty impersonation stack).
    NoImpersonationToken = 0xC000_005C, "STATUS_NO_IMPERSONATION_TOKEN";
}

impl NtStatus {
    /// Whether the status is a success code (severity bits clear).
    pub const fn is_success(self) -> bool {
        self.code() & 0xC000_0000 == 0
    }

    /// Looks a status up by its `STATUS_…` name (case-insensitive, the
    /// `STATUS_` prefix optional).
    pub fn from_name(name: &str) -> Option<NtStatus> {
        let upper = name.trim().to_ascii_uppercase();
        let full = if upper.starts_with("STATUS_") {
            upper
        } else {
            format!("STATUS_{upper}")
        };
        NtStatus::ALL.iter().copied().find(|s| s.name() == full)
    }
}

impl fmt::Display for NtStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl serde::Serialize for NtStatus {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_codes_are_unique_and_round_trip() {
        for (i, a) in NtStatus::ALL.iter().enumerate() {
            assert_eq!(NtStatus::from_name(a.name()), Some(*a));
            for b in &NtStatus::ALL[i + 1..] {
                assert_ne!(a.code(), b.code(), "{a} and {b}");
                assert_ne!(a.name(), b.name());
            }
        }
    }

    #[test]
    fn ntstatus_h_values() {
        // ntstatus.h
        assert_eq!(NtStatus::AccessDenied.code(), 0xC000_0022);
        assert_eq!(NtStatus::PrivilegeNotHeld.code(), 0xC000_0061);
        assert_eq!(NtStatus::GenericNotMapped.code(), 0xC000_00E6);
        assert_eq!(NtStatus::InvalidSecurityDescr.code(), 0xC000_0079);
        assert!(NtStatus::NotAllAssigned.is_success());
        assert!(!NtStatus::AccessDenied.is_success());
        assert_eq!(
            NtStatus::from_name("access_denied"),
            Some(NtStatus::AccessDenied)
        );
        assert_eq!(NtStatus::from_name("STATUS_NOPE"), None);
    }
}
