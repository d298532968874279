//! Well-known SIDs (MS-DTYP 2.4.2.4).

use super::Sid;

/// `S-1-0-0`, NULL SID.
pub const NULL: Sid = Sid::from_const(0, [0]);
/// `S-1-1-0`, Everyone (`WD`).
pub const WORLD: Sid = Sid::from_const(1, [0]);
/// `S-1-2-0`, LOCAL.
pub const LOCAL: Sid = Sid::from_const(2, [0]);
/// `S-1-2-1`, CONSOLE LOGON.
pub const CONSOLE_LOGON: Sid = Sid::from_const(2, [1]);
/// `S-1-3-0`, CREATOR OWNER (`CO`).
pub const CREATOR_OWNER: Sid = Sid::from_const(3, [0]);
/// `S-1-3-1`, CREATOR GROUP (`CG`).
pub const CREATOR_GROUP: Sid = Sid::from_const(3, [1]);
/// `S-1-3-2`, CREATOR OWNER SERVER.
pub const CREATOR_OWNER_SERVER: Sid = Sid::from_const(3, [2]);
/// `S-1-3-3`, CREATOR GROUP SERVER.
pub const CREATOR_GROUP_SERVER: Sid = Sid::from_const(3, [3]);
/// `S-1-3-4`, OWNER RIGHTS (`OW`).
pub const OWNER_RIGHTS: Sid = Sid::from_const(3, [4]);
/// `S-1-5`, NT AUTHORITY.
pub const NT_AUTHORITY: Sid = Sid::from_const(5, []);
/// `S-1-5-1`, DIALUP.
pub const DIALUP: Sid = Sid::from_const(5, [1]);
/// `S-1-5-2`, NETWORK (`NU`).
pub const NETWORK: Sid = Sid::from_const(5, [2]);
/// `S-1-5-3`, BATCH.
pub const BATCH: Sid = Sid::from_const(5, [3]);
/// `S-1-5-4`, INTERACTIVE (`IU`).
pub const INTERACTIVE: Sid = Sid::from_const(5, [4]);
/// `S-1-5-6`, SERVICE (`SU`).
pub const SERVICE: Sid = Sid::from_const(5, [6]);
/// `S-1-5-7`, ANONYMOUS LOGON (`AN`).
pub const ANONYMOUS: Sid = Sid::from_const(5, [7]);
/// `S-1-5-8`, PROXY.
pub const PROXY: Sid = Sid::from_const(5, [8]);
/// `S-1-5-9`, ENTERPRISE DOMAIN CONTROLLERS (`ED`).
pub const ENTERPRISE_DOMAIN_CONTROLLERS: Sid = Sid::from_const(5, [9]);
/// `S-1-5-10`, PRINCIPAL SELF (`PS`).
pub const PRINCIPAL_SELF: Sid = Sid::from_const(5, [10]);
/// `S-1-5-11`, Authenticated Users (`AU`).
pub const AUTHENTICATED_USERS: Sid = Sid::from_const(5, [11]);
/// `S-1-5-12`, RESTRICTED (`RC`).
pub const RESTRICTED_CODE: Sid = Sid::from_const(5, [12]);
/// `S-1-5-13`, TERMINAL SERVER USER.
pub const TERMINAL_SERVER_USER: Sid = Sid::from_const(5, [13]);
/// `S-1-5-14`, REMOTE INTERACTIVE LOGON.
pub const REMOTE_INTERACTIVE_LOGON: Sid = Sid::from_const(5, [14]);
/// `S-1-5-15`, This Organization.
pub const THIS_ORGANIZATION: Sid = Sid::from_const(5, [15]);
/// `S-1-5-17`, IUSR.
pub const IUSR: Sid = Sid::from_const(5, [17]);
/// `S-1-5-18`, LocalSystem (`SY`).
pub const LOCAL_SYSTEM: Sid = Sid::from_const(5, [18]);
/// `S-1-5-19`, LocalService (`LS`).
pub const LOCAL_SERVICE: Sid = Sid::from_const(5, [19]);
/// `S-1-5-20`, NetworkService (`NS`).
pub const NETWORK_SERVICE: Sid = Sid::from_const(5, [20]);
/// `S-1-5-32`, BUILTIN domain.
pub const BUILTIN: Sid = Sid::from_const(5, [32]);
/// `S-1-5-32-544`, Administrators (`BA`).
pub const BUILTIN_ADMINISTRATORS: Sid = Sid::from_const(5, [32, 544]);
/// `S-1-5-32-545`, Users (`BU`).
pub const BUILTIN_USERS: Sid = Sid::from_const(5, [32, 545]);
/// `S-1-5-32-546`, Guests (`BG`).
pub const BUILTIN_GUESTS: Sid = Sid::from_const(5, [32, 546]);
/// `S-1-5-32-547`, Power Users (`PU`).
pub const POWER_USERS: Sid = Sid::from_const(5, [32, 547]);
/// `S-1-5-32-551`, Backup Operators (`BO`).
pub const BACKUP_OPERATORS: Sid = Sid::from_const(5, [32, 551]);
/// `S-1-5-33`, WRITE RESTRICTED (`WR`).
pub const WRITE_RESTRICTED_CODE: Sid = Sid::from_const(5, [33]);
/// `S-1-5-84-0-0-0-0-0`, User-Mode Drivers (`UD`).
pub const USER_MODE_DRIVERS: Sid = Sid::from_const(5, [84, 0, 0, 0, 0, 0]);
/// `S-1-15-2-1`, ALL APPLICATION PACKAGES (`AC`).
pub const ALL_APP_PACKAGES: Sid = Sid::from_const(15, [2, 1]);
/// `S-1-15-2-2`, ALL RESTRICTED APPLICATION PACKAGES.
pub const ALL_RESTRICTED_APP_PACKAGES: Sid = Sid::from_const(15, [2, 2]);
/// `S-1-16-0`, Untrusted integrity.
pub const UNTRUSTED_INTEGRITY: Sid = Sid::from_const(16, [0]);
/// `S-1-16-4096`, Low integrity (`LW`).
pub const LOW_INTEGRITY: Sid = Sid::from_const(16, [4096]);
/// `S-1-16-8192`, Medium integrity (`ME`).
pub const MEDIUM_INTEGRITY: Sid = Sid::from_const(16, [8192]);
/// `S-1-16-8448`, Medium Plus integrity (`MP`).
pub const MEDIUM_PLUS_INTEGRITY: Sid = Sid::from_const(16, [8448]);
/// `S-1-16-12288`, High integrity (`HI`).
pub const HIGH_INTEGRITY: Sid = Sid::from_const(16, [12288]);
/// `S-1-16-16384`, System integrity (`SI`).
pub const SYSTEM_INTEGRITY: Sid = Sid::from_const(16, [16384]);
/// `S-1-16-20480`, Protected Process integrity.
pub const PROTECTED_PROCESS_INTEGRITY: Sid = Sid::from_const(16, [20480]);
/// `S-1-18-1`, Authentication authority asserted identity (`AS`).
pub const AUTHENTICATION_AUTHORITY_ASSERTED: Sid = Sid::from_const(18, [1]);
/// `S-1-18-2`, Service asserted identity (`SS`).
pub const SERVICE_ASSERTED: Sid = Sid::from_const(18, [2]);
