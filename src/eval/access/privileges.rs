//! Stages 3 and 4 of a check: the privileges that grant bits before the
//! DACL (SeBackup and SeRestore with backup intent, SeSecurity, SeTakeOwnership
//! and SeRelabel) and the owner's implicit rights (MS-DTYP 2.5.3.2,
//! SeAccessCheck, IopCheckBackupRestorePrivilege).

use super::compile::NO_SID;
use super::run::{Run, ASS, RC_WD, WO};
use super::trace::{Step, Tracer};
use crate::ids::mask::{file, AccessMask};
use crate::ids::privilege::Privilege;
use crate::ids::sid::well_known;

/// What SeBackupPrivilege grants with backup intent
/// (IopCheckBackupRestorePrivilege: READ_CONTROL | ACCESS_SYSTEM_SECURITY |
/// FILE_GENERIC_READ | FILE_TRAVERSE).
pub const BACKUP_RIGHTS: AccessMask =
    AccessMask(AccessMask::READ_CONTROL.0 | ASS | file::GENERIC_READ | file::EXECUTE);
/// What SeRestorePrivilege grants with backup intent (WRITE_DAC |
/// WRITE_OWNER | ACCESS_SYSTEM_SECURITY | FILE_GENERIC_WRITE | FILE_ADD_FILE
/// | FILE_ADD_SUBDIRECTORY | DELETE).
pub const RESTORE_RIGHTS: AccessMask = AccessMask(
    AccessMask::WRITE_DAC.0
        | WO
        | ASS
        | file::GENERIC_WRITE
        | file::WRITE_DATA
        | file::APPEND_DATA
        | AccessMask::DELETE.0,
);

impl<'a, T: Tracer> Run<'a, T> {
    pub(super) fn grant_privilege(
        &mut self,
        p: Privilege,
        bits: u32,
        pre: &mut u32,
        remaining: &mut u32,
    ) {
        *pre |= bits;
        *remaining &= !bits;
        self.used.insert(p);
        self.tracer.step(|| Step::Privilege {
            privilege: p,
            granted: AccessMask(bits),
        });
    }

    /// SeBackupPrivilege and SeRestorePrivilege with backup intent
    /// (IopCheckBackupRestorePrivilege). With MAXIMUM_ALLOWED they grant
    /// their whole sets, except ACCESS_SYSTEM_SECURITY, which must be asked
    /// for.
    pub(super) fn backup_privileges(&mut self, pre: &mut u32, remaining: &mut u32) {
        for (p, set) in [
            (Privilege::Backup, BACKUP_RIGHTS.0),
            (Privilege::Restore, RESTORE_RIGHTS.0),
        ] {
            if !self.token.privileges.contains(p) {
                continue;
            }
            let mut bits = *remaining & set;
            if self.ma {
                bits |= set & !ASS;
            }
            if bits != 0 {
                self.grant_privilege(p, bits, pre, remaining);
            }
        }
    }

    /// MS-DTYP 2.5.3.2 and SeAccessCheck: the owner's implicit READ_CONTROL
    /// and WRITE_DAC, unless an OWNER RIGHTS ACE is present. For a
    /// restricted token the owner must also be a restricting SID
    /// (Forshaw ch. 7, Resolve-TokenOwnerAccess).
    pub(super) fn owner_rights(&mut self, pre: &mut u32, remaining: &mut u32) {
        let owner = self.sd.owner.unwrap_or(NO_SID);
        let wanted = if self.ma { RC_WD } else { *remaining & RC_WD };
        let held = self.token.allow.has(owner)
            && (!self.token.restricted || self.token.r_allow.has(owner));
        let grant = if held && self.sd.owner_rights.is_none() {
            wanted
        } else {
            0
        };
        *pre |= grant;
        *remaining &= !grant;
        if self.tracer.on() {
            let owner_sid = self.sd.sd.owner.unwrap_or(well_known::NULL);
            let ace = self.sd.owner_rights.map(usize::from);
            self.tracer.step(|| Step::Owner {
                owner: owner_sid,
                held,
                granted: AccessMask(grant),
                owner_rights_ace: ace,
            });
        }
    }
}
