//! Privileges: the `Se…Privilege` names and their locally unique ids.
//!
//! The LUID values are those Windows assigns (`winnt.h` `SE_*_PRIVILEGE`,
//! 2 to 36); they are stable across versions. A set of privileges is a bit
//! mask indexed by LUID ([`PrivilegeSet`]), so tests on the hot path are a
//! single AND.

use std::fmt;

macro_rules! privileges {
    ($( $variant:ident = $luid:literal, $name:literal, $doc:literal; )*) => {
        /// A Windows privilege.
        #[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Privilege {
            $( #[doc = $doc] $variant, )*
        }

        impl Privilege {
            /// Every privilege, in LUID order.
            pub const ALL: &'static [Privilege] = &[$(Privilege::$variant,)*];

            /// The privilege's LUID (`SE_*_PRIVILEGE` in `winnt.h`).
            pub const fn luid(self) -> u32 {
                match self { $( Privilege::$variant => $luid, )* }
            }

            /// The canonical name, e.g. `SeBackupPrivilege`.
            pub const fn name(self) -> &'static str {
                match self { $( Privilege::$variant => $name, )* }
            }
        }
    };
}

privileges! {
    CreateToken = 2, "SeCreateTokenPrivilege", "Create a token object.";
    AssignPrimaryToken = 3, "SeAssignPrimaryTokenPrivilege", "Replace a process-level token.";
    LockMemory = 4, "SeLockMemoryPrivilege", "Lock pages in memory.";
    IncreaseQuota = 5, "SeIncreaseQuotaPrivilege", "Adjust memory quotas for a process.";
    MachineAccount = 6, "SeMachineAccountPrivilege", "Add workstations to a domain.";
    Tcb = 7, "SeTcbPrivilege", "Act as part of the operating system.";
    Security = 8, "SeSecurityPrivilege", "Manage auditing and the security log (ACCESS_SYSTEM_SECURITY).";
    TakeOwnership = 9, "SeTakeOwnershipPrivilege", "Take ownership of objects (WRITE_OWNER).";
    LoadDriver = 10, "SeLoadDriverPrivilege", "Load and unload device drivers.";
    SystemProfile = 11, "SeSystemProfilePrivilege", "Profile system performance.";
    Systemtime = 12, "SeSystemtimePrivilege", "Change the system time.";
    ProfileSingleProcess = 13, "SeProfileSingleProcessPrivilege", "Profile a single process.";
    IncreaseBasePriority = 14, "SeIncreaseBasePriorityPrivilege", "Increase scheduling priority.";
    CreatePagefile = 15, "SeCreatePagefilePrivilege", "Create a pagefile.";
    CreatePermanent = 16, "SeCreatePermanentPrivilege", "Create permanent shared objects.";
    Backup = 17, "SeBackupPrivilege", "Back up files and directories (read with backup intent).";
    Restore = 18, "SeRestorePrivilege", "Restore files and directories (write with backup intent, set any owner).";
    Shutdown = 19, "SeShutdownPrivilege", "Shut down the system.";
    Debug = 20, "SeDebugPrivilege", "Debug programs.";
    Audit = 21, "SeAuditPrivilege", "Generate security audits.";
    SystemEnvironment = 22, "SeSystemEnvironmentPrivilege", "Modify firmware environment values.";
    ChangeNotify = 23, "SeChangeNotifyPrivilege", "Bypass traverse checking.";
    RemoteShutdown = 24, "SeRemoteShutdownPrivilege", "Force shutdown from a remote system.";
    Undock = 25, "SeUndockPrivilege", "Remove computer from docking station.";
    SyncAgent = 26, "SeSyncAgentPrivilege", "Synchronize directory service data.";
    EnableDelegation = 27, "SeEnableDelegationPrivilege", "Enable accounts to be trusted for delegation.";
    ManageVolume = 28, "SeManageVolumePrivilege", "Perform volume maintenance tasks.";
    Impersonate = 29, "SeImpersonatePrivilege", "Impersonate a client after authentication.";
    CreateGlobal = 30, "SeCreateGlobalPrivilege", "Create global objects.";
    TrustedCredManAccess = 31, "SeTrustedCredManAccessPrivilege", "Access Credential Manager as a trusted caller.";
    Relabel = 32, "SeRelabelPrivilege", "Modify an object label.";
    IncreaseWorkingSet = 33, "SeIncreaseWorkingSetPrivilege", "Increase a process working set.";
    TimeZone = 34, "SeTimeZonePrivilege", "Change the time zone.";
    CreateSymbolicLink = 35, "SeCreateSymbolicLinkPrivilege", "Create symbolic links.";
    DelegateSessionUserImpersonate = 36, "SeDelegateSessionUserImpersonatePrivilege", "Obtain an impersonation token for another user in the same session.";
}

impl Privilege {
    /// Looks a privilege up by name, case-insensitively, as
    /// `LookupPrivilegeValue` does. The `Se` prefix and `Privilege` suffix
    /// may be left out (`backup` finds `SeBackupPrivilege`).
    pub fn from_name(name: &str) -> Option<Privilege> {
        let t = name.trim();
        let exact = Privilege::ALL
            .iter()
            .copied()
            .find(|p| p.name().eq_ignore_ascii_case(t));
        exact.or_else(|| {
            Privilege::ALL.iter().copied().find(|p| {
                let core = &p.name()[2..p.name().len() - "Privilege".len()];
                core.eq_ignore_ascii_case(t)
            })
        })
    }

    /// The privilege with this LUID.
    pub fn from_luid(luid: u32) -> Option<Privilege> {
        Privilege::ALL.iter().copied().find(|p| p.luid() == luid)
    }

    /// The single-bit set of this privilege.
    pub const fn bit(self) -> u64 {
        1u64 << self.luid()
    }
}

impl fmt::Display for Privilege {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl serde::Serialize for Privilege {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// A set of privileges, one bit per LUID.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct PrivilegeSet(pub u64);

impl PrivilegeSet {
    /// No privileges.
    pub const EMPTY: PrivilegeSet = PrivilegeSet(0);

    /// Whether `p` is in the set.
    pub const fn contains(self, p: Privilege) -> bool {
        self.0 & p.bit() != 0
    }

    /// Adds `p`.
    pub fn insert(&mut self, p: Privilege) {
        self.0 |= p.bit();
    }

    /// Whether the set is empty.
    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The privileges in the set, in LUID order.
    pub fn iter(self) -> impl Iterator<Item = Privilege> {
        Privilege::ALL
            .iter()
            .copied()
            .filter(move |p| self.contains(*p))
    }
}

impl fmt::Debug for PrivilegeSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set()
            .entries(self.iter().map(|p| p.name()))
            .finish()
    }
}

impl serde::Serialize for PrivilegeSet {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luids_are_windows_values_and_unique() {
        // winnt.h: SE_SECURITY_PRIVILEGE 8, SE_BACKUP_PRIVILEGE 17,
        // SE_IMPERSONATE_PRIVILEGE 29, SE_RELABEL_PRIVILEGE 32.
        assert_eq!(Privilege::Security.luid(), 8);
        assert_eq!(Privilege::TakeOwnership.luid(), 9);
        assert_eq!(Privilege::Backup.luid(), 17);
        assert_eq!(Privilege::Restore.luid(), 18);
        assert_eq!(Privilege::ChangeNotify.luid(), 23);
        assert_eq!(Privilege::Impersonate.luid(), 29);
        assert_eq!(Privilege::Relabel.luid(), 32);
        assert_eq!(Privilege::DelegateSessionUserImpersonate.luid(), 36);
        for (i, p) in Privilege::ALL.iter().enumerate() {
            assert_eq!(p.luid() as usize, i + 2);
            assert_eq!(Privilege::from_luid(p.luid()), Some(*p));
        }
    }

    #[test]
    fn names_are_case_insensitive_and_prefix_optional() {
        assert_eq!(
            Privilege::from_name("SeBackupPrivilege"),
            Some(Privilege::Backup)
        );
        assert_eq!(
            Privilege::from_name("sebackupprivilege"),
            Some(Privilege::Backup)
        );
        assert_eq!(Privilege::from_name("Backup"), Some(Privilege::Backup));
        assert_eq!(Privilege::from_name("SeFooPrivilege"), None);
        assert_eq!(Privilege::from_name(""), None);
    }

    #[test]
    fn set_membership() {
        let mut s = PrivilegeSet::EMPTY;
        s.insert(Privilege::Relabel);
        s.insert(Privilege::Security);
        assert!(s.contains(Privilege::Relabel));
        assert!(!s.contains(Privilege::Backup));
        assert_eq!(
            s.iter().collect::<Vec<_>>(),
            vec![Privilege::Security, Privilege::Relabel]
        );
    }
}
