//! Rights by name: the table of every right name secctx accepts, reading
//! a desired-access string (names, SDDL right codes, numbers) and naming
//! the bits of a mask for an object kind (MS-DTYP 2.4.3; winnt.h names).

use super::mask::{AccessMask, ObjectKind};
use super::rights::{ds, event, file, key, label, process, right_code, thread, token};

impl AccessMask {
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
const EVENTS: Kinds = Some(&[ObjectKind::Event]);

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
    ("EVENT_QUERY_STATE", event::QUERY_STATE, EVENTS),
    ("EVENT_MODIFY_STATE", event::MODIFY_STATE, EVENTS),
    ("EVENT_ALL_ACCESS", event::ALL_ACCESS, EVENTS),
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

#[cfg(test)]
mod tests {
    use super::*;

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
