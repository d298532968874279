//! Access masks (MS-DTYP 2.4.3), the named rights of each object kind, and
//! generic mappings.

use std::fmt;
use std::ops::{BitAnd, BitAndAssign, BitOr, BitOrAssign, Not};

/// A 32-bit access mask.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct AccessMask(pub u32);

impl AccessMask {
    /// No rights.
    pub const NONE: AccessMask = AccessMask(0);
    /// `DELETE` (0x00010000).
    pub const DELETE: AccessMask = AccessMask(0x0001_0000);
    /// `READ_CONTROL` (0x00020000).
    pub const READ_CONTROL: AccessMask = AccessMask(0x0002_0000);
    /// `WRITE_DAC` (0x00040000).
    pub const WRITE_DAC: AccessMask = AccessMask(0x0004_0000);
    /// `WRITE_OWNER` (0x00080000).
    pub const WRITE_OWNER: AccessMask = AccessMask(0x0008_0000);
    /// `SYNCHRONIZE` (0x00100000).
    pub const SYNCHRONIZE: AccessMask = AccessMask(0x0010_0000);
    /// `STANDARD_RIGHTS_REQUIRED`: DELETE, READ_CONTROL, WRITE_DAC, WRITE_OWNER.
    pub const STANDARD_RIGHTS_REQUIRED: AccessMask = AccessMask(0x000F_0000);
    /// `STANDARD_RIGHTS_ALL`: the required rights plus SYNCHRONIZE.
    pub const STANDARD_RIGHTS_ALL: AccessMask = AccessMask(0x001F_0000);
    /// `SPECIFIC_RIGHTS_ALL`: the low 16 bits.
    pub const SPECIFIC_RIGHTS_ALL: AccessMask = AccessMask(0x0000_FFFF);
    /// `ACCESS_SYSTEM_SECURITY` (0x01000000): read or write the SACL.
    pub const ACCESS_SYSTEM_SECURITY: AccessMask = AccessMask(0x0100_0000);
    /// `MAXIMUM_ALLOWED` (0x02000000).
    pub const MAXIMUM_ALLOWED: AccessMask = AccessMask(0x0200_0000);
    /// `GENERIC_ALL` (0x10000000).
    pub const GENERIC_ALL: AccessMask = AccessMask(0x1000_0000);
    /// `GENERIC_EXECUTE` (0x20000000).
    pub const GENERIC_EXECUTE: AccessMask = AccessMask(0x2000_0000);
    /// `GENERIC_WRITE` (0x40000000).
    pub const GENERIC_WRITE: AccessMask = AccessMask(0x4000_0000);
    /// `GENERIC_READ` (0x80000000).
    pub const GENERIC_READ: AccessMask = AccessMask(0x8000_0000);
    /// All four generic bits.
    pub const GENERIC_MASK: AccessMask = AccessMask(0xF000_0000);

    /// The raw bits.
    pub const fn bits(self) -> u32 {
        self.0
    }

    /// Whether no bit is set.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// Whether every bit of `other` is set here.
    pub const fn contains(self, other: AccessMask) -> bool {
        self.0 & other.0 == other.0
    }

    /// Whether any bit of `other` is set here.
    pub const fn intersects(self, other: AccessMask) -> bool {
        self.0 & other.0 != 0
    }

    /// Whether any generic bit is set.
    pub const fn has_generic(self) -> bool {
        self.0 & Self::GENERIC_MASK.0 != 0
    }

    /// This mask with the generic bits replaced by `mapping` (RtlMapGenericMask).
    pub const fn map_generic(self, mapping: &GenericMapping) -> AccessMask {
        mapping.map(self)
    }

    /// Names the bits of this mask for `kind`, joined with `|`; bits without a
    /// name are shown in hex. An empty mask is `0`.
    pub fn describe(self, kind: Option<ObjectKind>) -> String {
        if self.0 == 0 {
            return "0".to_string();
        }
        let mut parts = Vec::new();
        let mut rest = self.0;
        for bit in (0..32).rev() {
            let m = 1u32 << bit;
            if rest & m == 0 {
                continue;
            }
            if let Some(name) = single_bit_name(m, kind) {
                parts.push(name.to_string());
                rest &= !m;
            }
        }
        if rest != 0 {
            parts.push(format!("0x{rest:x}"));
        }
        parts.join("|")
    }
}

impl std::str::FromStr for AccessMask {
    type Err = MaskError;

    /// Reads rights joined with `|`: names (`FILE_READ_DATA`, `READ_CONTROL`),
    /// SDDL codes (`FR`, `RP`) or numbers (`0x120089`), e.g.
    /// `"READ_CONTROL|FILE_READ_DATA".parse()`.
    fn from_str(s: &str) -> Result<AccessMask, MaskError> {
        parse_rights(s)
    }
}

impl fmt::Debug for AccessMask {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "AccessMask(0x{:08x})", self.0)
    }
}

impl fmt::Display for AccessMask {
    /// `0x%08x`, the form the CLI reports.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "0x{:08x}", self.0)
    }
}

impl BitOr for AccessMask {
    type Output = AccessMask;
    fn bitor(self, r: AccessMask) -> AccessMask {
        AccessMask(self.0 | r.0)
    }
}
impl BitOrAssign for AccessMask {
    fn bitor_assign(&mut self, r: AccessMask) {
        self.0 |= r.0;
    }
}
impl BitAnd for AccessMask {
    type Output = AccessMask;
    fn bitand(self, r: AccessMask) -> AccessMask {
        AccessMask(self.0 & r.0)
    }
}
impl BitAndAssign for AccessMask {
    fn bitand_assign(&mut self, r: AccessMask) {
        self.0 &= r.0;
    }
}
impl Not for AccessMask {
    type Output = AccessMask;
    fn not(self) -> AccessMask {
        AccessMask(!self.0)
    }
}

impl serde::Serialize for AccessMask {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A generic mapping (MS-DTYP 2.4.3; `GENERIC_MAPPING`): what each generic
/// right means for one object type.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default, serde::Serialize)]
pub struct GenericMapping {
    /// What `GENERIC_READ` maps to.
    pub read: AccessMask,
    /// What `GENERIC_WRITE` maps to.
    pub write: AccessMask,
    /// What `GENERIC_EXECUTE` maps to.
    pub execute: AccessMask,
    /// What `GENERIC_ALL` maps to.
    pub all: AccessMask,
}

impl GenericMapping {
    /// A mapping from four raw masks.
    pub const fn new(read: u32, write: u32, execute: u32, all: u32) -> GenericMapping {
        GenericMapping {
            read: AccessMask(read),
            write: AccessMask(write),
            execute: AccessMask(execute),
            all: AccessMask(all),
        }
    }

    /// RtlMapGenericMask: each generic bit set in `mask` is cleared and
    /// replaced by its mapping; other bits pass through.
    pub const fn map(&self, mask: AccessMask) -> AccessMask {
        let m = mask.0;
        let mut out = m & !AccessMask::GENERIC_MASK.0;
        if m & AccessMask::GENERIC_READ.0 != 0 {
            out |= self.read.0;
        }
        if m & AccessMask::GENERIC_WRITE.0 != 0 {
            out |= self.write.0;
        }
        if m & AccessMask::GENERIC_EXECUTE.0 != 0 {
            out |= self.execute.0;
        }
        if m & AccessMask::GENERIC_ALL.0 != 0 {
            out |= self.all.0;
        }
        AccessMask(out)
    }
}

/// The kinds of securable object secctx knows, each with its generic mapping
/// and the names of its specific rights.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub enum ObjectKind {
    /// An NTFS file.
    File,
    /// An NTFS directory.
    Directory,
    /// A registry key.
    Key,
    /// A process.
    Process,
    /// A thread.
    Thread,
    /// An access token.
    Token,
    /// An Active Directory (directory-service) object.
    DirectoryService,
}

impl ObjectKind {
    /// Every kind.
    pub const ALL: [ObjectKind; 7] = [
        ObjectKind::File,
        ObjectKind::Directory,
        ObjectKind::Key,
        ObjectKind::Process,
        ObjectKind::Thread,
        ObjectKind::Token,
        ObjectKind::DirectoryService,
    ];

    /// The kind's generic mapping.
    pub const fn mapping(self) -> GenericMapping {
        match self {
            // winnt.h FILE_GENERIC_*; NTFS uses the same mapping for
            // directories.
            ObjectKind::File | ObjectKind::Directory => {
                GenericMapping::new(0x0012_0089, 0x0012_0116, 0x0012_00A0, 0x001F_01FF)
            }
            // winnt.h KEY_READ, KEY_WRITE, KEY_EXECUTE, KEY_ALL_ACCESS.
            ObjectKind::Key => {
                GenericMapping::new(0x0002_0019, 0x0002_0006, 0x0002_0019, 0x000F_003F)
            }
            // The process object type's mapping as reported by Windows 10
            // (Get-NtType Process: R 00021410, W 00022BEA, E 00121001, A 001FFFFF).
            ObjectKind::Process => {
                GenericMapping::new(0x0002_1410, 0x0002_2BEA, 0x0012_1001, 0x001F_FFFF)
            }
            // Thread object type (R 00020848, W 00020437, E 00121800, A 001FFFFF).
            ObjectKind::Thread => {
                GenericMapping::new(0x0002_0848, 0x0002_0437, 0x0012_1800, 0x001F_FFFF)
            }
            // winnt.h TOKEN_READ, TOKEN_WRITE, TOKEN_EXECUTE, TOKEN_ALL_ACCESS.
            ObjectKind::Token => {
                GenericMapping::new(0x0002_0008, 0x0002_00E0, 0x0002_0000, 0x000F_01FF)
            }
            // MS-ADTS 5.1.3.3.4 (Active Directory generic mapping).
            ObjectKind::DirectoryService => {
                GenericMapping::new(0x0002_0094, 0x0002_0028, 0x0002_0004, 0x000F_01FF)
            }
        }
    }

    /// The kind's name as used on the command line and in fixtures.
    pub const fn name(self) -> &'static str {
        match self {
            ObjectKind::File => "file",
            ObjectKind::Directory => "directory",
            ObjectKind::Key => "key",
            ObjectKind::Process => "process",
            ObjectKind::Thread => "thread",
            ObjectKind::Token => "token",
            ObjectKind::DirectoryService => "ds",
        }
    }

    /// Whether objects of this kind hold children.
    pub const fn is_container(self) -> bool {
        matches!(
            self,
            ObjectKind::Directory | ObjectKind::Key | ObjectKind::DirectoryService
        )
    }

    /// Looks a kind up by name (`file`, `directory`/`dir`, `key`/`registry`,
    /// `process`, `thread`, `token`, `ds`/`directory_service`).
    pub fn from_name(name: &str) -> Option<ObjectKind> {
        Some(match name.to_ascii_lowercase().as_str() {
            "file" => ObjectKind::File,
            "directory" | "dir" | "folder" => ObjectKind::Directory,
            "key" | "registry" | "registry_key" | "regkey" => ObjectKind::Key,
            "process" => ObjectKind::Process,
            "thread" => ObjectKind::Thread,
            "token" => ObjectKind::Token,
            "ds" | "directory_service" | "ad" | "dsobject" => ObjectKind::DirectoryService,
            _ => return None,
        })
    }
}

impl serde::Serialize for ObjectKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

impl fmt::Display for ObjectKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

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

/// Which object kinds a right name belongs to (`None`: every kind).
type Kinds = Option<&'static [ObjectKind]>;

const FILES: Kinds = Some(&[ObjectKind::File, ObjectKind::Directory]);
const FILE_ONLY: Kinds = Some(&[ObjectKind::File]);
const DIR_ONLY: Kinds = Some(&[ObjectKind::Directory]);
const KEYS: Kinds = Some(&[ObjectKind::Key]);
const PROCS: Kinds = Some(&[ObjectKind::Process]);
const THREADS: Kinds = Some(&[ObjectKind::Thread]);
const TOKENS: Kinds = Some(&[ObjectKind::Token]);
const DSO: Kinds = Some(&[ObjectKind::DirectoryService]);

/// Every right name secctx accepts, with its value and the kinds it applies
/// to. Single-bit names listed first for a kind are the ones `describe` uses.
pub const RIGHT_NAMES: &[(&str, u32, Kinds)] = &[
    ("DELETE", 0x0001_0000, None),
    ("READ_CONTROL", 0x0002_0000, None),
    ("WRITE_DAC", 0x0004_0000, None),
    ("WRITE_OWNER", 0x0008_0000, None),
    ("SYNCHRONIZE", 0x0010_0000, None),
    ("ACCESS_SYSTEM_SECURITY", 0x0100_0000, None),
    ("MAXIMUM_ALLOWED", 0x0200_0000, None),
    ("GENERIC_ALL", 0x1000_0000, None),
    ("GENERIC_EXECUTE", 0x2000_0000, None),
    ("GENERIC_WRITE", 0x4000_0000, None),
    ("GENERIC_READ", 0x8000_0000, None),
    ("STANDARD_RIGHTS_REQUIRED", 0x000F_0000, None),
    ("STANDARD_RIGHTS_READ", 0x0002_0000, None),
    ("STANDARD_RIGHTS_WRITE", 0x0002_0000, None),
    ("STANDARD_RIGHTS_EXECUTE", 0x0002_0000, None),
    ("STANDARD_RIGHTS_ALL", 0x001F_0000, None),
    ("FILE_READ_DATA", file::READ_DATA, FILE_ONLY),
    ("FILE_LIST_DIRECTORY", file::READ_DATA, DIR_ONLY),
    ("FILE_WRITE_DATA", file::WRITE_DATA, FILE_ONLY),
    ("FILE_ADD_FILE", file::WRITE_DATA, DIR_ONLY),
    ("FILE_APPEND_DATA", file::APPEND_DATA, FILE_ONLY),
    ("FILE_ADD_SUBDIRECTORY", file::APPEND_DATA, DIR_ONLY),
    ("FILE_READ_EA", file::READ_EA, FILES),
    ("FILE_WRITE_EA", file::WRITE_EA, FILES),
    ("FILE_EXECUTE", file::EXECUTE, FILE_ONLY),
    ("FILE_TRAVERSE", file::EXECUTE, DIR_ONLY),
    ("FILE_DELETE_CHILD", file::DELETE_CHILD, FILES),
    ("FILE_READ_ATTRIBUTES", file::READ_ATTRIBUTES, FILES),
    ("FILE_WRITE_ATTRIBUTES", file::WRITE_ATTRIBUTES, FILES),
    ("FILE_ALL_ACCESS", file::ALL_ACCESS, FILES),
    ("FILE_GENERIC_READ", file::GENERIC_READ, FILES),
    ("FILE_GENERIC_WRITE", file::GENERIC_WRITE, FILES),
    ("FILE_GENERIC_EXECUTE", file::GENERIC_EXECUTE, FILES),
    ("KEY_QUERY_VALUE", key::QUERY_VALUE, KEYS),
    ("KEY_SET_VALUE", key::SET_VALUE, KEYS),
    ("KEY_CREATE_SUB_KEY", key::CREATE_SUB_KEY, KEYS),
    ("KEY_ENUMERATE_SUB_KEYS", key::ENUMERATE_SUB_KEYS, KEYS),
    ("KEY_NOTIFY", key::NOTIFY, KEYS),
    ("KEY_CREATE_LINK", key::CREATE_LINK, KEYS),
    ("KEY_READ", key::READ, KEYS),
    ("KEY_WRITE", key::WRITE, KEYS),
    ("KEY_EXECUTE", key::EXECUTE, KEYS),
    ("KEY_ALL_ACCESS", key::ALL_ACCESS, KEYS),
    ("PROCESS_TERMINATE", process::TERMINATE, PROCS),
    ("PROCESS_CREATE_THREAD", process::CREATE_THREAD, PROCS),
    ("PROCESS_SET_SESSIONID", process::SET_SESSIONID, PROCS),
    ("PROCESS_VM_OPERATION", process::VM_OPERATION, PROCS),
    ("PROCESS_VM_READ", process::VM_READ, PROCS),
    ("PROCESS_VM_WRITE", process::VM_WRITE, PROCS),
    ("PROCESS_DUP_HANDLE", process::DUP_HANDLE, PROCS),
    ("PROCESS_CREATE_PROCESS", process::CREATE_PROCESS, PROCS),
    ("PROCESS_SET_QUOTA", process::SET_QUOTA, PROCS),
    ("PROCESS_SET_INFORMATION", process::SET_INFORMATION, PROCS),
    (
        "PROCESS_QUERY_INFORMATION",
        process::QUERY_INFORMATION,
        PROCS,
    ),
    ("PROCESS_SUSPEND_RESUME", process::SUSPEND_RESUME, PROCS),
    (
        "PROCESS_QUERY_LIMITED_INFORMATION",
        process::QUERY_LIMITED_INFORMATION,
        PROCS,
    ),
    (
        "PROCESS_SET_LIMITED_INFORMATION",
        process::SET_LIMITED_INFORMATION,
        PROCS,
    ),
    ("PROCESS_ALL_ACCESS", process::ALL_ACCESS, PROCS),
    ("THREAD_TERMINATE", thread::TERMINATE, THREADS),
    ("THREAD_SUSPEND_RESUME", thread::SUSPEND_RESUME, THREADS),
    ("THREAD_ALERT", thread::ALERT, THREADS),
    ("THREAD_GET_CONTEXT", thread::GET_CONTEXT, THREADS),
    ("THREAD_SET_CONTEXT", thread::SET_CONTEXT, THREADS),
    ("THREAD_SET_INFORMATION", thread::SET_INFORMATION, THREADS),
    (
        "THREAD_QUERY_INFORMATION",
        thread::QUERY_INFORMATION,
        THREADS,
    ),
    ("THREAD_SET_THREAD_TOKEN", thread::SET_THREAD_TOKEN, THREADS),
    ("THREAD_IMPERSONATE", thread::IMPERSONATE, THREADS),
    (
        "THREAD_DIRECT_IMPERSONATION",
        thread::DIRECT_IMPERSONATION,
        THREADS,
    ),
    (
        "THREAD_SET_LIMITED_INFORMATION",
        thread::SET_LIMITED_INFORMATION,
        THREADS,
    ),
    (
        "THREAD_QUERY_LIMITED_INFORMATION",
        thread::QUERY_LIMITED_INFORMATION,
        THREADS,
    ),
    ("THREAD_RESUME", thread::RESUME, THREADS),
    ("THREAD_ALL_ACCESS", thread::ALL_ACCESS, THREADS),
    ("TOKEN_ASSIGN_PRIMARY", token::ASSIGN_PRIMARY, TOKENS),
    ("TOKEN_DUPLICATE", token::DUPLICATE, TOKENS),
    ("TOKEN_IMPERSONATE", token::IMPERSONATE, TOKENS),
    ("TOKEN_QUERY", token::QUERY, TOKENS),
    ("TOKEN_QUERY_SOURCE", token::QUERY_SOURCE, TOKENS),
    ("TOKEN_ADJUST_PRIVILEGES", token::ADJUST_PRIVILEGES, TOKENS),
    ("TOKEN_ADJUST_GROUPS", token::ADJUST_GROUPS, TOKENS),
    ("TOKEN_ADJUST_DEFAULT", token::ADJUST_DEFAULT, TOKENS),
    ("TOKEN_ADJUST_SESSIONID", token::ADJUST_SESSIONID, TOKENS),
    ("TOKEN_ALL_ACCESS", token::ALL_ACCESS, TOKENS),
    ("TOKEN_READ", 0x0002_0008, TOKENS),
    ("TOKEN_WRITE", 0x0002_00E0, TOKENS),
    ("TOKEN_EXECUTE", 0x0002_0000, TOKENS),
    ("ADS_RIGHT_DS_CREATE_CHILD", ds::CREATE_CHILD, DSO),
    ("ADS_RIGHT_DS_DELETE_CHILD", ds::DELETE_CHILD, DSO),
    ("ADS_RIGHT_ACTRL_DS_LIST", ds::LIST_CHILDREN, DSO),
    ("ADS_RIGHT_DS_SELF", ds::SELF_WRITE, DSO),
    ("ADS_RIGHT_DS_READ_PROP", ds::READ_PROPERTY, DSO),
    ("ADS_RIGHT_DS_WRITE_PROP", ds::WRITE_PROPERTY, DSO),
    ("ADS_RIGHT_DS_DELETE_TREE", ds::DELETE_TREE, DSO),
    ("ADS_RIGHT_DS_LIST_OBJECT", ds::LIST_OBJECT, DSO),
    ("ADS_RIGHT_DS_CONTROL_ACCESS", ds::CONTROL_ACCESS, DSO),
    (
        "SYSTEM_MANDATORY_LABEL_NO_WRITE_UP",
        label::NO_WRITE_UP,
        Some(&[]),
    ),
    (
        "SYSTEM_MANDATORY_LABEL_NO_READ_UP",
        label::NO_READ_UP,
        Some(&[]),
    ),
    (
        "SYSTEM_MANDATORY_LABEL_NO_EXECUTE_UP",
        label::NO_EXECUTE_UP,
        Some(&[]),
    ),
];

/// The name of a single bit for `kind`, used by [`AccessMask::describe`].
fn single_bit_name(bit: u32, kind: Option<ObjectKind>) -> Option<&'static str> {
    RIGHT_NAMES.iter().find_map(|(name, value, kinds)| {
        let applies = match (kinds, kind) {
            (None, _) => true,
            (Some(ks), Some(k)) => ks.contains(&k),
            (Some(_), None) => false,
        };
        (applies && *value == bit).then_some(*name)
    })
}

/// A desired-access string that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MaskError {
    /// A name that is neither a right name, an SDDL right code nor a number.
    #[error("unknown access right `{name}`")]
    UnknownRight {
        /// The name as given.
        name: String,
    },
    /// A number that does not fit in 32 bits.
    #[error("access mask `{text}` does not fit in 32 bits")]
    OutOfRange {
        /// The number as given.
        text: String,
    },
    /// Nothing between two `|`.
    #[error("empty right name in `{text}`")]
    Empty {
        /// The whole string.
        text: String,
    },
}

/// Reads one right: a number (`0x...`, decimal), a right name from
/// [`RIGHT_NAMES`] (any case, with or without a kind prefix) or an SDDL right
/// code such as `FA` or `GR`.
pub fn parse_right(name: &str) -> Result<AccessMask, MaskError> {
    let t = name.trim();
    if t.is_empty() {
        return Err(MaskError::Empty {
            text: name.to_string(),
        });
    }
    let b = t.as_bytes();
    if b[0].is_ascii_digit() {
        let (v, used) = crate::ids::sid::parse_c_unsigned(b);
        if used != b.len() {
            return Err(MaskError::UnknownRight {
                name: t.to_string(),
            });
        }
        return match v {
            Some(v) if v <= u64::from(u32::MAX) => Ok(AccessMask(v as u32)),
            _ => Err(MaskError::OutOfRange {
                text: t.to_string(),
            }),
        };
    }
    let upper = t.to_ascii_uppercase();
    if let Some((_, v, _)) = RIGHT_NAMES.iter().find(|(n, _, _)| *n == upper) {
        return Ok(AccessMask(*v));
    }
    if let Some(v) = right_code(t) {
        return Ok(AccessMask(v));
    }
    Err(MaskError::UnknownRight {
        name: t.to_string(),
    })
}

/// Reads rights joined with `|`, e.g. `READ_CONTROL|FILE_READ_DATA` or
/// `0x120089`.
pub fn parse_rights(text: &str) -> Result<AccessMask, MaskError> {
    let mut m = AccessMask::NONE;
    for part in text.split('|') {
        if part.trim().is_empty() {
            return Err(MaskError::Empty {
                text: text.to_string(),
            });
        }
        m |= parse_right(part)?;
    }
    Ok(m)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generic_mapping_replaces_generic_bits_only() {
        let m = ObjectKind::File.mapping();
        assert_eq!(
            m.map(AccessMask::GENERIC_READ | AccessMask::DELETE),
            AccessMask(0x0012_0089 | 0x0001_0000)
        );
        assert_eq!(m.map(AccessMask::GENERIC_ALL), AccessMask(0x001F_01FF));
        assert_eq!(m.map(AccessMask(0x1)), AccessMask(0x1));
    }

    #[test]
    fn parses_rights_in_every_spelling() {
        assert_eq!(parse_rights("0x120089").unwrap(), AccessMask(0x120089));
        assert_eq!(
            parse_rights("READ_CONTROL|file_read_data").unwrap(),
            AccessMask(0x20001)
        );
        assert_eq!(parse_rights("FA").unwrap(), AccessMask(0x1F01FF));
        assert_eq!(
            parse_rights("FROB"),
            Err(MaskError::UnknownRight {
                name: "FROB".into()
            })
        );
        assert!(matches!(
            parse_rights("0x1ffffffff"),
            Err(MaskError::OutOfRange { .. })
        ));
        assert!(matches!(
            parse_rights("READ_CONTROL||DELETE"),
            Err(MaskError::Empty { .. })
        ));
    }

    #[test]
    fn describes_masks_by_kind() {
        assert_eq!(
            AccessMask(0x0012_0089).describe(Some(ObjectKind::File)),
            "SYNCHRONIZE|READ_CONTROL|FILE_READ_ATTRIBUTES|FILE_READ_EA|FILE_READ_DATA"
        );
        assert_eq!(
            AccessMask(0x1).describe(Some(ObjectKind::Directory)),
            "FILE_LIST_DIRECTORY"
        );
        assert_eq!(AccessMask(0x8001).describe(None), "0x8001");
    }
}
