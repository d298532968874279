//! The numeric rights: each object kind's specific rights as `u32`
//! constants (winnt.h, MS-ADTS 5.1.3.2, MS-DTYP 2.4.4.13), and the
//! two-letter SDDL right codes (MS-DTYP 2.5.1.1; "ACE Strings", Win32 SDDL
//! docs). Plain data: nothing here depends on the mask types.

/// File and directory rights (winnt.h).
pub mod file {
    /// `FILE_READ_DATA` / `FILE_LIST_DIRECTORY`.
    pub const READ_DATA: u32 = 0x0001;
    /// `FILE_WRITE_DATA` / `FILE_ADD_FILE`.
    pub const WRITE_DATA: u32 = 0x0002;
    /// `FILE_APPEND_DATA` / `FILE_ADD_SUBDIRECTORY`.
    pub const APPEND_DATA: u32 = 0x0004;
    /// `FILE_READ_EA`.
    pub const READ_EA: u32 = 0x0008;
    /// `FILE_WRITE_EA`.
    pub const WRITE_EA: u32 = 0x0010;
    /// `FILE_EXECUTE` / `FILE_TRAVERSE`.
    pub const EXECUTE: u32 = 0x0020;
    /// `FILE_DELETE_CHILD`.
    pub const DELETE_CHILD: u32 = 0x0040;
    /// `FILE_READ_ATTRIBUTES`.
    pub const READ_ATTRIBUTES: u32 = 0x0080;
    /// `FILE_WRITE_ATTRIBUTES`.
    pub const WRITE_ATTRIBUTES: u32 = 0x0100;
    /// `FILE_ALL_ACCESS`.
    pub const ALL_ACCESS: u32 = 0x001F_01FF;
    /// `FILE_GENERIC_READ`.
    pub const GENERIC_READ: u32 = 0x0012_0089;
    /// `FILE_GENERIC_WRITE`.
    pub const GENERIC_WRITE: u32 = 0x0012_0116;
    /// `FILE_GENERIC_EXECUTE`.
    pub const GENERIC_EXECUTE: u32 = 0x0012_00A0;
}

/// Registry key rights (winnt.h).
pub mod key {
    /// `KEY_QUERY_VALUE`.
    pub const QUERY_VALUE: u32 = 0x0001;
    /// `KEY_SET_VALUE`.
    pub const SET_VALUE: u32 = 0x0002;
    /// `KEY_CREATE_SUB_KEY`.
    pub const CREATE_SUB_KEY: u32 = 0x0004;
    /// `KEY_ENUMERATE_SUB_KEYS`.
    pub const ENUMERATE_SUB_KEYS: u32 = 0x0008;
    /// `KEY_NOTIFY`.
    pub const NOTIFY: u32 = 0x0010;
    /// `KEY_CREATE_LINK`.
    pub const CREATE_LINK: u32 = 0x0020;
    /// `KEY_READ`.
    pub const READ: u32 = 0x0002_0019;
    /// `KEY_WRITE`.
    pub const WRITE: u32 = 0x0002_0006;
    /// `KEY_EXECUTE`.
    pub const EXECUTE: u32 = 0x0002_0019;
    /// `KEY_ALL_ACCESS`.
    pub const ALL_ACCESS: u32 = 0x000F_003F;
}

/// Token rights (winnt.h).
pub mod token {
    /// `TOKEN_ASSIGN_PRIMARY`.
    pub const ASSIGN_PRIMARY: u32 = 0x0001;
    /// `TOKEN_DUPLICATE`.
    pub const DUPLICATE: u32 = 0x0002;
    /// `TOKEN_IMPERSONATE`.
    pub const IMPERSONATE: u32 = 0x0004;
    /// `TOKEN_QUERY`.
    pub const QUERY: u32 = 0x0008;
    /// `TOKEN_QUERY_SOURCE`.
    pub const QUERY_SOURCE: u32 = 0x0010;
    /// `TOKEN_ADJUST_PRIVILEGES`.
    pub const ADJUST_PRIVILEGES: u32 = 0x0020;
    /// `TOKEN_ADJUST_GROUPS`.
    pub const ADJUST_GROUPS: u32 = 0x0040;
    /// `TOKEN_ADJUST_DEFAULT`.
    pub const ADJUST_DEFAULT: u32 = 0x0080;
    /// `TOKEN_ADJUST_SESSIONID`.
    pub const ADJUST_SESSIONID: u32 = 0x0100;
    /// `TOKEN_ALL_ACCESS`.
    pub const ALL_ACCESS: u32 = 0x000F_01FF;
}

/// Process rights (winnt.h).
pub mod process {
    /// `PROCESS_TERMINATE`.
    pub const TERMINATE: u32 = 0x0001;
    /// `PROCESS_CREATE_THREAD`.
    pub const CREATE_THREAD: u32 = 0x0002;
    /// `PROCESS_SET_SESSIONID`.
    pub const SET_SESSIONID: u32 = 0x0004;
    /// `PROCESS_VM_OPERATION`.
    pub const VM_OPERATION: u32 = 0x0008;
    /// `PROCESS_VM_READ`.
    pub const VM_READ: u32 = 0x0010;
    /// `PROCESS_VM_WRITE`.
    pub const VM_WRITE: u32 = 0x0020;
    /// `PROCESS_DUP_HANDLE`.
    pub const DUP_HANDLE: u32 = 0x0040;
    /// `PROCESS_CREATE_PROCESS`.
    pub const CREATE_PROCESS: u32 = 0x0080;
    /// `PROCESS_SET_QUOTA`.
    pub const SET_QUOTA: u32 = 0x0100;
    /// `PROCESS_SET_INFORMATION`.
    pub const SET_INFORMATION: u32 = 0x0200;
    /// `PROCESS_QUERY_INFORMATION`.
    pub const QUERY_INFORMATION: u32 = 0x0400;
    /// `PROCESS_SUSPEND_RESUME`.
    pub const SUSPEND_RESUME: u32 = 0x0800;
    /// `PROCESS_QUERY_LIMITED_INFORMATION`.
    pub const QUERY_LIMITED_INFORMATION: u32 = 0x1000;
    /// `PROCESS_SET_LIMITED_INFORMATION`.
    pub const SET_LIMITED_INFORMATION: u32 = 0x2000;
    /// `PROCESS_ALL_ACCESS`.
    pub const ALL_ACCESS: u32 = 0x001F_FFFF;
}

/// Thread rights (winnt.h).
pub mod thread {
    /// `THREAD_TERMINATE`.
    pub const TERMINATE: u32 = 0x0001;
    /// `THREAD_SUSPEND_RESUME`.
    pub const SUSPEND_RESUME: u32 = 0x0002;
    /// `THREAD_ALERT`.
    pub const ALERT: u32 = 0x0004;
    /// `THREAD_GET_CONTEXT`.
    pub const GET_CONTEXT: u32 = 0x0008;
    /// `THREAD_SET_CONTEXT`.
    pub const SET_CONTEXT: u32 = 0x0010;
    /// `THREAD_SET_INFORMATION`.
    pub const SET_INFORMATION: u32 = 0x0020;
    /// `THREAD_QUERY_INFORMATION`.
    pub const QUERY_INFORMATION: u32 = 0x0040;
    /// `THREAD_SET_THREAD_TOKEN`.
    pub const SET_THREAD_TOKEN: u32 = 0x0080;
    /// `THREAD_IMPERSONATE`.
    pub const IMPERSONATE: u32 = 0x0100;
    /// `THREAD_DIRECT_IMPERSONATION`.
    pub const DIRECT_IMPERSONATION: u32 = 0x0200;
    /// `THREAD_SET_LIMITED_INFORMATION`.
    pub const SET_LIMITED_INFORMATION: u32 = 0x0400;
    /// `THREAD_QUERY_LIMITED_INFORMATION`.
    pub const QUERY_LIMITED_INFORMATION: u32 = 0x0800;
    /// `THREAD_RESUME`.
    pub const RESUME: u32 = 0x1000;
    /// `THREAD_ALL_ACCESS`.
    pub const ALL_ACCESS: u32 = 0x001F_FFFF;
}

/// Event rights (synchapi.h / winnt.h `EVENT_*`; "Synchronization Object
/// Security and Access Rights").
pub mod event {
    /// `EVENT_QUERY_STATE`.
    pub const QUERY_STATE: u32 = 0x0001;
    /// `EVENT_MODIFY_STATE`.
    pub const MODIFY_STATE: u32 = 0x0002;
    /// `EVENT_ALL_ACCESS`.
    pub const ALL_ACCESS: u32 = 0x001F_0003;
}

/// Directory-service rights (MS-ADTS 5.1.3.2; `ADS_RIGHT_*`).
pub mod ds {
    /// `ADS_RIGHT_DS_CREATE_CHILD` (SDDL `CC`).
    pub const CREATE_CHILD: u32 = 0x0001;
    /// `ADS_RIGHT_DS_DELETE_CHILD` (`DC`).
    pub const DELETE_CHILD: u32 = 0x0002;
    /// `ADS_RIGHT_ACTRL_DS_LIST` (`LC`).
    pub const LIST_CHILDREN: u32 = 0x0004;
    /// `ADS_RIGHT_DS_SELF` (`SW`).
    pub const SELF_WRITE: u32 = 0x0008;
    /// `ADS_RIGHT_DS_READ_PROP` (`RP`).
    pub const READ_PROPERTY: u32 = 0x0010;
    /// `ADS_RIGHT_DS_WRITE_PROP` (`WP`).
    pub const WRITE_PROPERTY: u32 = 0x0020;
    /// `ADS_RIGHT_DS_DELETE_TREE` (`DT`).
    pub const DELETE_TREE: u32 = 0x0040;
    /// `ADS_RIGHT_DS_LIST_OBJECT` (`LO`).
    pub const LIST_OBJECT: u32 = 0x0080;
    /// `ADS_RIGHT_DS_CONTROL_ACCESS` (`CR`).
    pub const CONTROL_ACCESS: u32 = 0x0100;
}

/// Mandatory label policy bits (MS-DTYP 2.4.4.13).
pub mod label {
    /// `SYSTEM_MANDATORY_LABEL_NO_WRITE_UP` (SDDL `NW`).
    pub const NO_WRITE_UP: u32 = 0x1;
    /// `SYSTEM_MANDATORY_LABEL_NO_READ_UP` (`NR`).
    pub const NO_READ_UP: u32 = 0x2;
    /// `SYSTEM_MANDATORY_LABEL_NO_EXECUTE_UP` (`NX`).
    pub const NO_EXECUTE_UP: u32 = 0x4;
}

// The SDDL right codes live with the masks they name, so that reading a
// right by name needs no SDDL parser ("ACE Strings", Win32 SDDL docs).

/// Right codes (the "ace rights" strings), in the order Windows tries them for
/// an exact match when printing. Single-bit codes are printed in bit order.
pub(crate) const RIGHT_CODES: [(&str, u32); 28] = [
    ("GA", 0x1000_0000),
    ("GR", 0x8000_0000),
    ("GW", 0x4000_0000),
    ("GX", 0x2000_0000),
    ("RC", 0x0002_0000),
    ("SD", 0x0001_0000),
    ("WD", 0x0004_0000),
    ("WO", 0x0008_0000),
    ("RP", 0x0000_0010),
    ("WP", 0x0000_0020),
    ("CC", 0x0000_0001),
    ("DC", 0x0000_0002),
    ("LC", 0x0000_0004),
    ("SW", 0x0000_0008),
    ("LO", 0x0000_0080),
    ("DT", 0x0000_0040),
    ("CR", 0x0000_0100),
    ("FA", 0x001F_01FF),
    ("FR", 0x0012_0089),
    ("FW", 0x0012_0116),
    ("FX", 0x0012_00A0),
    ("KA", 0x000F_003F),
    ("KR", 0x0002_0019),
    ("KW", 0x0002_0006),
    ("KX", 0x0002_0019),
    ("NR", 0x0000_0002),
    ("NW", 0x0000_0001),
    ("NX", 0x0000_0004),
];

/// Names of single bits, in bit order, for printing.
pub(crate) const BIT_CODES: [Option<&str>; 32] = [
    Some("CC"),
    Some("DC"),
    Some("LC"),
    Some("SW"),
    Some("RP"),
    Some("WP"),
    Some("DT"),
    Some("LO"),
    Some("CR"),
    None,
    None,
    None,
    None,
    None,
    None,
    None,
    Some("SD"),
    Some("RC"),
    Some("WD"),
    Some("WO"),
    None,
    None,
    None,
    None,
    None,
    None,
    None,
    None,
    Some("GA"),
    Some("GX"),
    Some("GW"),
    Some("GR"),
];

/// The value of a two-letter SDDL right code such as `FA` or `RP`.
pub(crate) fn right_code(code: &str) -> Option<u32> {
    RIGHT_CODES
        .iter()
        .find(|(c, _)| *c == code)
        .map(|(_, v)| *v)
}
