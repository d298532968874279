//! Access masks (MS-DTYP 2.4.3), generic mappings and object kinds. The
//! named rights are in [`super::rights`] (re-exported here) and reading and
//! naming masks in [`super::right_names`].

// The kind modules and SDDL right codes are re-exported so that their
// `ids::mask::` paths stay as they were.
pub use super::rights::{ds, event, file, key, label, process, thread, token};
pub(crate) use super::rights::{right_code, BIT_CODES, RIGHT_CODES};

use std::fmt;
use std::ops::{BitAnd, BitAndAssign, BitOr, BitOrAssign, Not};

/// A 32-bit access mask.
///
/// The bits are public by design: a mask is a value with a public, documented
/// bit layout (MS-DTYP 2.4.3), not an opaque id.
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
#[non_exhaustive]
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
    /// A kernel event (CreateEvent, OpenEvent).
    Event,
}

impl ObjectKind {
    /// Every kind.
    pub const ALL: [ObjectKind; 8] = [
        ObjectKind::File,
        ObjectKind::Directory,
        ObjectKind::Key,
        ObjectKind::Process,
        ObjectKind::Thread,
        ObjectKind::Token,
        ObjectKind::DirectoryService,
        ObjectKind::Event,
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
            // The kernel's Token type uses these: ReactOS's ObTypes apitest
            // read GenericMapping 0x20008/0x200E0/0x20000/0xF01FF on Windows
            // Server 2003 (TestWin2003ObjectTypes), and ReactOS's
            // SepTokenMapping agrees. Wine's server `token_type` declares a
            // wider table (read +QUERY_SOURCE|DUPLICATE, write
            // +ADJUST_SESSIONID, execute +IMPERSONATE|ASSIGN_PRIMARY), but
            // no Windows-run test records it (Wine's om.c
            // test_query_object_types checks type names only), so the
            // recorded Windows values stay (docs/research/token-api-queries.md
            // section 8).
            ObjectKind::Token => {
                GenericMapping::new(0x0002_0008, 0x0002_00E0, 0x0002_0000, 0x000F_01FF)
            }
            // MS-ADTS 5.1.3.3.4 (Active Directory generic mapping).
            ObjectKind::DirectoryService => {
                GenericMapping::new(0x0002_0094, 0x0002_0028, 0x0002_0004, 0x000F_01FF)
            }
            // The Event object type's kernel mapping: read STANDARD_READ |
            // EVENT_QUERY_STATE, write STANDARD_WRITE | EVENT_MODIFY_STATE,
            // execute STANDARD_EXECUTE | SYNCHRONIZE, all EVENT_ALL_ACCESS
            // (Wine's test_event_security, run on Windows, sees exactly these
            // from DuplicateHandle with each generic right).
            ObjectKind::Event => {
                GenericMapping::new(0x0002_0001, 0x0002_0002, 0x0012_0000, 0x001F_0003)
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
            ObjectKind::Event => "event",
        }
    }

    /// Whether objects of this kind hold children.
    pub const fn is_container(self) -> bool {
        matches!(
            self,
            ObjectKind::Directory | ObjectKind::Key | ObjectKind::DirectoryService
        )
    }

    /// Every spelling [`ObjectKind::from_name`] accepts, in lower case.
    pub const SPELLINGS: &'static [(&'static str, ObjectKind)] = &[
        ("file", ObjectKind::File),
        ("directory", ObjectKind::Directory),
        ("dir", ObjectKind::Directory),
        ("folder", ObjectKind::Directory),
        ("key", ObjectKind::Key),
        ("registry", ObjectKind::Key),
        ("registry_key", ObjectKind::Key),
        ("regkey", ObjectKind::Key),
        ("process", ObjectKind::Process),
        ("thread", ObjectKind::Thread),
        ("token", ObjectKind::Token),
        ("ds", ObjectKind::DirectoryService),
        ("directory_service", ObjectKind::DirectoryService),
        ("ad", ObjectKind::DirectoryService),
        ("dsobject", ObjectKind::DirectoryService),
        ("event", ObjectKind::Event),
    ];

    /// Looks a kind up by name, in any case (`file`, `directory`/`dir`,
    /// `key`/`registry`, `process`, `thread`, `token`,
    /// `ds`/`directory_service`, `event`; see [`ObjectKind::SPELLINGS`]).
    pub fn from_name(name: &str) -> Option<ObjectKind> {
        Self::SPELLINGS
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, k)| *k)
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
}
