//! The reference's own SID matching (MS-DTYP 2.5.3.1.1 SidInToken, and the
//! SID rules of 2.5.3.2) and its own literal right constants. Nothing here
//! calls the token's matching methods or the fast evaluator.

use crate::ids::privilege::Privilege;
use crate::ids::sid::Sid;
use crate::token::{Token, TokenGroup};

/// `SE_GROUP_ENABLED` (MS-DTYP 2.4.2.4 TOKEN_GROUPS attributes).
const SE_GROUP_ENABLED: u32 = 0x0000_0004;
/// `SE_GROUP_USE_FOR_DENY_ONLY` (MS-DTYP 2.4.2.4).
const SE_GROUP_USE_FOR_DENY_ONLY: u32 = 0x0000_0010;

/// `ACCESS_SYSTEM_SECURITY` (MS-DTYP 2.4.3).
pub(super) const ACCESS_SYSTEM_SECURITY: u32 = 0x0100_0000;
/// `MAXIMUM_ALLOWED` (MS-DTYP 2.4.3).
pub(super) const MAXIMUM_ALLOWED: u32 = 0x0200_0000;
/// `WRITE_OWNER` (MS-DTYP 2.4.3).
pub(super) const WRITE_OWNER: u32 = 0x0008_0000;
/// `READ_CONTROL | WRITE_DAC`, the owner's implicit rights (MS-DTYP 2.5.3.2).
pub(super) const READ_CONTROL_WRITE_DAC: u32 = 0x0002_0000 | 0x0004_0000;
/// `DELETE` (MS-DTYP 2.4.3).
pub(super) const DELETE: u32 = 0x0001_0000;
/// `WRITE_DAC` (MS-DTYP 2.4.3).
pub(super) const WRITE_DAC: u32 = 0x0004_0000;
/// The four generic bits (MS-DTYP 2.4.3).
pub(super) const GENERIC_BITS: u32 = 0xF000_0000;

/// What SeBackupPrivilege grants with backup intent
/// (IopCheckBackupRestorePrivilege): READ_CONTROL (0x20000),
/// ACCESS_SYSTEM_SECURITY (0x1000000), FILE_GENERIC_READ (0x120089:
/// READ_CONTROL | SYNCHRONIZE | FILE_READ_DATA | FILE_READ_EA |
/// FILE_READ_ATTRIBUTES) and FILE_TRAVERSE (0x20).
pub(super) const BACKUP: u32 = 0x0002_0000 | 0x0100_0000 | 0x0012_0089 | 0x0000_0020;
/// What SeRestorePrivilege grants with backup intent: WRITE_DAC (0x40000),
/// WRITE_OWNER (0x80000), ACCESS_SYSTEM_SECURITY (0x1000000),
/// FILE_GENERIC_WRITE (0x120116: READ_CONTROL | SYNCHRONIZE |
/// FILE_WRITE_DATA | FILE_APPEND_DATA | FILE_WRITE_EA |
/// FILE_WRITE_ATTRIBUTES), FILE_ADD_FILE (0x2), FILE_ADD_SUBDIRECTORY (0x4)
/// and DELETE (0x10000).
pub(super) const RESTORE: u32 =
    0x0004_0000 | 0x0008_0000 | 0x0100_0000 | 0x0012_0116 | 0x2 | 0x4 | 0x0001_0000;

/// Whether a group with `attributes` counts for an ACE: for an allow ACE it
/// must be enabled and not deny-only; for a deny ACE enabled or deny-only
/// (MS-DTYP 2.5.3.1.1 SidInToken and 2.5.3.2).
fn counts(attributes: u32, for_deny: bool) -> bool {
    let enabled = attributes & SE_GROUP_ENABLED != 0;
    let deny_only = attributes & SE_GROUP_USE_FOR_DENY_ONLY != 0;
    if for_deny {
        enabled || deny_only
    } else {
        enabled && !deny_only
    }
}

/// SidInToken over a list of groups (restricting SIDs, device groups).
pub(super) fn in_list(list: &[TokenGroup], sid: &Sid, for_deny: bool) -> bool {
    list.iter()
        .any(|g| g.sid == *sid && counts(g.attributes.0, for_deny))
}

/// SidInToken over the user and groups. The user carries no ENABLED bit:
/// it always counts, except that a deny-only user counts only for deny
/// ACEs.
pub(super) fn in_token(token: &Token, sid: &Sid, for_deny: bool) -> bool {
    let user = token.user.sid == *sid
        && (for_deny || token.user.attributes.0 & SE_GROUP_USE_FOR_DENY_ONLY == 0);
    user || in_list(&token.groups, sid, for_deny)
}

/// The package SID S-1-15-2-1, ALL APPLICATION PACKAGES.
fn all_app_packages() -> Option<Sid> {
    Sid::new(15, &[2, 1]).ok()
}

/// The package SID S-1-15-2-2, ALL RESTRICTED APPLICATION PACKAGES.
fn all_restricted_app_packages() -> Option<Sid> {
    Sid::new(15, &[2, 2]).ok()
}

/// Whether an AppContainer token's package pass matches `sid`: its package
/// SID, an enabled capability, ALL RESTRICTED APPLICATION PACKAGES, and ALL
/// APPLICATION PACKAGES unless the container is less-privileged.
pub(super) fn in_package(token: &Token, sid: &Sid) -> bool {
    let Some(package) = token.app_container else {
        return false;
    };
    package == *sid
        || (Some(*sid) == all_app_packages() && !token.less_privileged_app_container)
        || Some(*sid) == all_restricted_app_packages()
        || in_list(&token.capabilities, sid, false)
}

/// Whether the token holds `p` enabled.
pub(super) fn privilege(token: &Token, p: Privilege) -> bool {
    token
        .privileges
        .iter()
        .any(|tp| tp.privilege == p && tp.enabled)
}
