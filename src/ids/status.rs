//! NTSTATUS codes: how every decision and every failed operation is reported.
//!
//! A denial is data: the access check and the simulated machine answer with an
//! [`NtStatus`] rather than an error type, as the Windows kernel does. Names
//! and values are those of `ntstatus.h` ([MS-ERREF] 2.3.1).

use std::fmt;

macro_rules! statuses {
    ($( $(#[$doc:meta])* $variant:ident = $code:literal, $name:literal => $win32:ident; )*) => {
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

            /// The Win32 error a Win32 API leaves in GetLastError for this
            /// status (RtlNtStatusToDosError; the pairs are those Wine's
            /// `dlls/ntdll/tests/error.c` checks on Windows, see
            /// docs/research/token-api-queries.md section 7).
            pub const fn win32_error(self) -> Win32Error {
                match self { $( NtStatus::$variant => Win32Error::$win32, )* }
            }
        }
    };
}

statuses! {
    /// The operation succeeded.
    Success = 0x0000_0000, "STATUS_SUCCESS" => NO_ERROR;
    /// Access was denied.
    AccessDenied = 0xC000_0022, "STATUS_ACCESS_DENIED" => ACCESS_DENIED;
    /// A required privilege is not held (or not enabled).
    PrivilegeNotHeld = 0xC000_0061, "STATUS_PRIVILEGE_NOT_HELD" => PRIVILEGE_NOT_HELD;
    /// The security descriptor is not valid for the operation (for example,
    /// it has no owner or no group).
    InvalidSecurityDescr = 0xC000_0079, "STATUS_INVALID_SECURITY_DESCR" => INVALID_SECURITY_DESCR;
    /// Generic access bits were requested without a generic mapping.
    GenericNotMapped = 0xC000_00E6, "STATUS_GENERIC_NOT_MAPPED" => GENERIC_NOT_MAPPED;
    /// A parameter is not valid (for example, a malformed object-type list).
    InvalidParameter = 0xC000_000D, "STATUS_INVALID_PARAMETER" => INVALID_PARAMETER;
    /// The handle is not valid or has been closed.
    InvalidHandle = 0xC000_0008, "STATUS_INVALID_HANDLE" => INVALID_HANDLE;
    /// The thread is not impersonating, so it has no token to open.
    NoToken = 0xC000_007C, "STATUS_NO_TOKEN" => NO_TOKEN;
    /// The token is of the wrong type (primary where impersonation is needed,
    /// or the reverse).
    BadTokenType = 0xC000_00A8, "STATUS_BAD_TOKEN_TYPE" => BAD_TOKEN_TYPE;
    /// The impersonation level is too low for the operation.
    BadImpersonationLevel = 0xC000_00A5, "STATUS_BAD_IMPERSONATION_LEVEL" => BAD_IMPERSONATION_LEVEL;
    /// An anonymous-level token cannot be opened.
    CantOpenAnonymous = 0xC000_00A6, "STATUS_CANT_OPEN_ANONYMOUS" => CANT_OPEN_ANONYMOUS;
    /// The SID cannot be the owner of an object.
    InvalidOwner = 0xC000_005A, "STATUS_INVALID_OWNER" => INVALID_OWNER;
    /// The SID cannot be the primary group.
    InvalidPrimaryGroup = 0xC000_005B, "STATUS_INVALID_PRIMARY_GROUP" => INVALID_PRIMARY_GROUP;
    /// A mandatory group cannot be disabled.
    CantDisableMandatory = 0xC000_005D, "STATUS_CANT_DISABLE_MANDATORY" => CANT_DISABLE_MANDATORY;
    /// A deny-only group cannot be enabled.
    CantEnableDenyOnly = 0xC000_02B3, "STATUS_CANT_ENABLE_DENY_ONLY" => CANT_ENABLE_DENY_ONLY;
    /// The token does not hold the named privilege.
    NoSuchPrivilege = 0xC000_0060, "STATUS_NO_SUCH_PRIVILEGE" => NO_SUCH_PRIVILEGE;
    /// Not every privilege or group named was held (a success code).
    NotAllAssigned = 0x0000_0106, "STATUS_NOT_ALL_ASSIGNED" => NOT_ALL_ASSIGNED;
    /// The object name is not found.
    ObjectNameNotFound = 0xC000_0034, "STATUS_OBJECT_NAME_NOT_FOUND" => FILE_NOT_FOUND;
    /// An object of that name already exists.
    ObjectNameCollision = 0xC000_0035, "STATUS_OBJECT_NAME_COLLISION" => ALREADY_EXISTS;
    /// The object path is not valid (for example, its parent is not a
    /// container).
    ObjectPathNotFound = 0xC000_003A, "STATUS_OBJECT_PATH_NOT_FOUND" => PATH_NOT_FOUND;
    /// A parameter names something that does not exist (an unknown process,
    /// thread or token id).
    InvalidCid = 0xC000_000B, "STATUS_INVALID_CID" => INVALID_PARAMETER;
    /// The label is above what the caller may set.
    InvalidLabel = 0xC000_0446, "STATUS_INVALID_LABEL" => INVALID_LABEL;
    /// The thread is not impersonating, so there is no impersonation to
    /// operate on (for example, popping an empty impersonation stack).
    NoImpersonationToken = 0xC000_005C, "STATUS_NO_IMPERSONATION_TOKEN" => NO_IMPERSONATION_TOKEN;
    /// The handle is valid but refers to an object of another type than
    /// the call needs (ObReferenceObjectByHandle's type check).
    ObjectTypeMismatch = 0xC000_0024, "STATUS_OBJECT_TYPE_MISMATCH" => INVALID_HANDLE;
    /// The information class is not one the call knows, or does not fit
    /// the object (TokenImpersonationLevel on a primary token).
    InvalidInfoClass = 0xC000_0003, "STATUS_INVALID_INFO_CLASS" => INVALID_PARAMETER;
    /// The buffer's length does not match what the class needs.
    InfoLengthMismatch = 0xC000_0004, "STATUS_INFO_LENGTH_MISMATCH" => BAD_LENGTH;
    /// The buffer is too small for the answer; the needed length is
    /// reported.
    BufferTooSmall = 0xC000_0023, "STATUS_BUFFER_TOO_SMALL" => INSUFFICIENT_BUFFER;
    /// The answer did not fit and was cut (a warning).
    BufferOverflow = 0x8000_0005, "STATUS_BUFFER_OVERFLOW" => MORE_DATA;
    /// The logon session does not exist.
    NoSuchLogonSession = 0xC000_005F, "STATUS_NO_SUCH_LOGON_SESSION" => NO_SUCH_LOGON_SESSION;
    /// The request is not supported.
    NotSupported = 0xC000_00BB, "STATUS_NOT_SUPPORTED" => NOT_SUPPORTED;
    /// The token is already in use as a primary token.
    TokenAlreadyInUse = 0xC000_012B, "STATUS_TOKEN_ALREADY_IN_USE" => TOKEN_ALREADY_IN_USE;
    /// The ACL is not valid.
    InvalidAcl = 0xC000_0077, "STATUS_INVALID_ACL" => INVALID_ACL;
    /// An inherited ACL or ACE could not be built: for one, the ACL the
    /// inheritance produces would pass 65,535 bytes (ntstatus.h's text for
    /// STATUS_BAD_INHERITANCE_ACL: "an attempt to build either an inherited
    /// ACL or ACE was not successful").
    BadInheritanceAcl = 0xC000_007D, "STATUS_BAD_INHERITANCE_ACL" => BAD_INHERITANCE_ACL;
    /// The SID is not valid.
    InvalidSid = 0xC000_0078, "STATUS_INVALID_SID" => INVALID_SID;
    /// The group attributes are not valid for the operation.
    InvalidGroupAttributes = 0xC000_00A4, "STATUS_INVALID_GROUP_ATTRIBUTES" => INVALID_GROUP_ATTRIBUTES;
    /// A named object of that name already existed; the call opened it (a
    /// success code; CreateEvent's ERROR_ALREADY_EXISTS).
    ObjectNameExists = 0x4000_0000, "STATUS_OBJECT_NAME_EXISTS" => ALREADY_EXISTS;
}

/// A Win32 error code, as GetLastError returns it.
///
/// The field is public by design: the value is Windows' documented number
/// (`winerror.h`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct Win32Error(pub u32);

macro_rules! win32_errors {
    ($( $name:ident = $code:literal; )*) => {
        impl Win32Error {
            $(
                #[doc = concat!("`ERROR_", stringify!($name), "` (", stringify!($code), ").")]
                pub const $name: Win32Error = Win32Error($code);
            )*

            /// Every error secctx names, with its `ERROR_…` name (`NO_ERROR`
            /// for 0).
            const NAMED: &'static [(Win32Error, &'static str)] = &[
                $((Win32Error($code), stringify!($name)),)*
            ];
        }
    };
}

win32_errors! {
    NO_ERROR = 0;
    FILE_NOT_FOUND = 2;
    PATH_NOT_FOUND = 3;
    ACCESS_DENIED = 5;
    INVALID_HANDLE = 6;
    BAD_LENGTH = 24;
    NOT_SUPPORTED = 50;
    INVALID_PARAMETER = 87;
    INSUFFICIENT_BUFFER = 122;
    ALREADY_EXISTS = 183;
    MORE_DATA = 234;
    CANT_ENABLE_DENY_ONLY = 629;
    NO_TOKEN = 1008;
    INVALID_LABEL = 1299;
    NOT_ALL_ASSIGNED = 1300;
    INVALID_OWNER = 1307;
    INVALID_PRIMARY_GROUP = 1308;
    NO_IMPERSONATION_TOKEN = 1309;
    CANT_DISABLE_MANDATORY = 1310;
    NO_SUCH_LOGON_SESSION = 1312;
    NO_SUCH_PRIVILEGE = 1313;
    PRIVILEGE_NOT_HELD = 1314;
    INVALID_ACL = 1336;
    INVALID_SID = 1337;
    INVALID_SECURITY_DESCR = 1338;
    BAD_INHERITANCE_ACL = 1340;
    INVALID_GROUP_ATTRIBUTES = 1345;
    BAD_IMPERSONATION_LEVEL = 1346;
    CANT_OPEN_ANONYMOUS = 1347;
    BAD_TOKEN_TYPE = 1349;
    GENERIC_NOT_MAPPED = 1360;
    TOKEN_ALREADY_IN_USE = 1375;
}

impl Win32Error {
    /// The name: `ERROR_ACCESS_DENIED`, or `NO_ERROR` for 0; `None` for a
    /// number secctx does not name.
    pub fn name(self) -> Option<String> {
        Self::NAMED.iter().find(|(e, _)| *e == self).map(|(_, n)| {
            if self.0 == 0 {
                (*n).to_string()
            } else {
                format!("ERROR_{n}")
            }
        })
    }

    /// Looks an error up by name (`ERROR_ACCESS_DENIED`, `ACCESS_DENIED`,
    /// `NO_ERROR`; any case, `ERROR_` optional) or by number (`5`).
    pub fn from_name(text: &str) -> Option<Win32Error> {
        let t = text.trim();
        if let Ok(n) = t.parse::<u32>() {
            return Some(Win32Error(n));
        }
        let upper = t.to_ascii_uppercase();
        let bare = upper.strip_prefix("ERROR_").unwrap_or(&upper);
        Self::NAMED
            .iter()
            .find(|(_, n)| *n == bare)
            .map(|(e, _)| *e)
    }

    /// Every named error's bare name (`ACCESS_DENIED`), for schemas.
    pub fn names() -> impl Iterator<Item = &'static str> {
        Self::NAMED.iter().map(|(_, n)| *n)
    }
}

impl fmt::Display for Win32Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(n) => write!(f, "{n} ({})", self.0),
            None => write!(f, "error {}", self.0),
        }
    }
}

impl NtStatus {
    /// Whether the status is a success code: NT_SUCCESS, true for the
    /// success and informational severities (the top bit clear), so
    /// STATUS_OBJECT_NAME_EXISTS succeeds and STATUS_BUFFER_OVERFLOW does
    /// not ([MS-ERREF] 2.3).
    pub const fn is_success(self) -> bool {
        self.code() & 0x8000_0000 == 0
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
        assert!(NtStatus::ObjectNameExists.is_success());
        assert!(!NtStatus::BufferOverflow.is_success());
    }

    /// RtlNtStatusToDosError pairs that Wine's ntdll error test checks on
    /// Windows (`run_error_tests`), and two that share a Win32 error.
    #[test]
    fn win32_errors_are_rtl_nt_status_to_dos_error() {
        for (status, error) in [
            (NtStatus::Success, 0),
            (NtStatus::NotAllAssigned, 1300),
            (NtStatus::BufferOverflow, 234),
            (NtStatus::InvalidInfoClass, 87),
            (NtStatus::InfoLengthMismatch, 24),
            (NtStatus::InvalidHandle, 6),
            (NtStatus::InvalidParameter, 87),
            (NtStatus::AccessDenied, 5),
            (NtStatus::BufferTooSmall, 122),
            (NtStatus::ObjectTypeMismatch, 6),
            (NtStatus::InvalidOwner, 1307),
            (NtStatus::InvalidPrimaryGroup, 1308),
            (NtStatus::NoImpersonationToken, 1309),
            (NtStatus::CantDisableMandatory, 1310),
            (NtStatus::NoSuchLogonSession, 1312),
            (NtStatus::NoSuchPrivilege, 1313),
            (NtStatus::PrivilegeNotHeld, 1314),
            (NtStatus::InvalidAcl, 1336),
            (NtStatus::InvalidSid, 1337),
            (NtStatus::NoToken, 1008),
            (NtStatus::InvalidGroupAttributes, 1345),
            (NtStatus::BadImpersonationLevel, 1346),
            (NtStatus::CantOpenAnonymous, 1347),
            (NtStatus::BadTokenType, 1349),
            (NtStatus::NotSupported, 50),
            (NtStatus::GenericNotMapped, 1360),
            (NtStatus::TokenAlreadyInUse, 1375),
        ] {
            assert_eq!(status.win32_error(), Win32Error(error), "{status}");
        }
    }

    #[test]
    fn win32_error_names() {
        assert_eq!(Win32Error(5).name().as_deref(), Some("ERROR_ACCESS_DENIED"));
        assert_eq!(Win32Error(0).name().as_deref(), Some("NO_ERROR"));
        assert_eq!(Win32Error(9999).name(), None);
        assert_eq!(
            Win32Error::from_name("error_no_token"),
            Some(Win32Error(1008))
        );
        assert_eq!(
            Win32Error::from_name("NOT_ALL_ASSIGNED"),
            Some(Win32Error(1300))
        );
        assert_eq!(Win32Error::from_name("1314"), Some(Win32Error(1314)));
        assert_eq!(Win32Error::from_name("ERROR_NOPE"), None);
        assert_eq!(Win32Error(6).to_string(), "ERROR_INVALID_HANDLE (6)");
    }
}
