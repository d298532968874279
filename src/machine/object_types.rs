//! NtQueryObject's type classes: ObjectTypeInformation for one handle and
//! ObjectTypesInformation for every kernel object type the machine has,
//! each with its generic mapping and valid access mask.

use super::world::{Handle, ThreadId, World};
use crate::ids::mask::{AccessMask, GenericMapping, ObjectKind};
use crate::ids::status::NtStatus;

/// One object type as NtQueryObject describes it (the
/// OBJECT_TYPE_INFORMATION fields secctx models: `TypeName`,
/// `GenericMapping`, `ValidAccessMask`).
#[derive(Clone, Copy, PartialEq, Eq, Debug, serde::Serialize)]
pub struct ObjectTypeInformation {
    /// The kernel type's name (`TypeName`).
    pub type_name: &'static str,
    /// What the generic rights map to for the type (`GenericMapping`);
    /// the same mapping the machine's access checks use
    /// ([`ObjectKind::mapping`]).
    pub generic_mapping: GenericMapping,
    /// The rights a handle to the type can hold (`ValidAccessMask`).
    pub valid_access_mask: AccessMask,
}

impl ObjectTypeInformation {
    const fn of(type_name: &'static str, kind: ObjectKind, valid: u32) -> Self {
        ObjectTypeInformation {
            type_name,
            generic_mapping: kind.mapping(),
            valid_access_mask: AccessMask(valid),
        }
    }
}

/// The kernel object types the machine has, in the order
/// ObjectTypesInformation lists them here (Windows lists every type of the
/// running kernel, about seventy, by type index; secctx lists its own).
/// Directories are `File` objects to the kernel, and a directory-service
/// object is not a kernel object at all (it is reached over LDAP), so
/// neither has an entry of its own. Valid access masks, per type:
const TYPES: [ObjectTypeInformation; 6] = [
    // FILE_ALL_ACCESS = STANDARD_RIGHTS_REQUIRED | SYNCHRONIZE | 0x1FF
    // ("File Security and Access Rights"); Wine's `file_type` (server/file.c)
    // declares the same valid mask with the FILE_GENERIC_* mapping.
    ObjectTypeInformation::of("File", ObjectKind::File, 0x001F_01FF),
    // KEY_ALL_ACCESS | SYNCHRONIZE: Wine's `key_type` (server/registry.c)
    // declares it valid (KEY_ALL_ACCESS itself: "Registry Key Security and
    // Access Rights"; no Windows-run test records the Key type's mask).
    ObjectTypeInformation::of("Key", ObjectKind::Key, 0x001F_003F),
    // PROCESS_ALL_ACCESS as defined since Vista (0x1FFFFF; "Process Security
    // and Access Rights" — Windows Server 2003/XP used 0x1F0FFF: the
    // current value is modelled); Wine's `process_type` (server/process.c).
    ObjectTypeInformation::of("Process", ObjectKind::Process, 0x001F_FFFF),
    // THREAD_ALL_ACCESS since Vista (0x1FFFFF; "Thread Security and Access
    // Rights" — 0x1F03FF before Vista); Wine's `thread_type`
    // (server/thread.c).
    ObjectTypeInformation::of("Thread", ObjectKind::Thread, 0x001F_FFFF),
    // TOKEN_ALL_ACCESS | SYNCHRONIZE = 0x1F01FF: the Token type's
    // ValidAccessMask read on Windows Server 2003 by ReactOS's ObTypes
    // apitest (TestWin2003ObjectTypes), and Wine's `token_type`
    // (server/token.c). SYNCHRONIZE is valid though tokens are not waitable
    // ("Access Rights for Access-Token Objects"), and MAXIMUM_ALLOWED never
    // grants it (Wine's test_duplicate_token, run on Windows).
    ObjectTypeInformation::of("Token", ObjectKind::Token, 0x001F_01FF),
    // EVENT_ALL_ACCESS = 0x1F0003 ("Synchronization Object Security and
    // Access Rights"); Wine's `event_type` (server/event.c).
    ObjectTypeInformation::of("Event", ObjectKind::Event, 0x001F_0003),
];

/// The kernel type a kind of object belongs to, if it is a kernel object.
fn type_of(kind: ObjectKind) -> Option<&'static ObjectTypeInformation> {
    let name = match kind {
        // NTFS directories are File objects (NtQueryObject reports `File`).
        ObjectKind::File | ObjectKind::Directory => "File",
        ObjectKind::Key => "Key",
        ObjectKind::Process => "Process",
        ObjectKind::Thread => "Thread",
        ObjectKind::Token => "Token",
        ObjectKind::Event => "Event",
        _ => return None,
    };
    TYPES.iter().find(|t| t.type_name == name)
}

impl World {
    /// NtQueryObject(ObjectTypeInformation) on a handle in the caller's
    /// process: its object type's name, generic mapping and valid access
    /// mask. No access is needed (the NtQueryObject page). A closed or
    /// unknown handle is STATUS_INVALID_HANDLE; pseudo handles answer for
    /// what they stand for; a directory-service object has no kernel type
    /// (STATUS_NOT_SUPPORTED, as [`World::query_object`]).
    pub fn object_type_information(
        &self,
        caller: ThreadId,
        h: Handle,
    ) -> Result<&'static ObjectTypeInformation, NtStatus> {
        let e = self.resolve_handle(caller, h)?;
        type_of(self.kind_of(e.target)).ok_or(NtStatus::NotSupported)
    }

    /// NtQueryObject(NULL, ObjectTypesInformation): every kernel object type
    /// the machine has, with its generic mapping and valid access mask. The
    /// handle is ignored (Wine's om.c `test_query_object_types` passes NULL
    /// on Windows), so this takes none and cannot fail.
    pub fn object_types_information(&self) -> &'static [ObjectTypeInformation] {
        &TYPES
    }

    /// The kernel type information for a kind of object, if it is a kernel
    /// object (directories are `File`; directory-service objects are not
    /// kernel objects).
    pub fn object_type_of(kind: ObjectKind) -> Option<&'static ObjectTypeInformation> {
        type_of(kind)
    }
}
