//! UAC split tokens: the two tokens an administrator's interactive logon
//! gets when User Account Control is on, linked to each other (the
//! filtered "limited" half the shell runs with, and the "full" half an
//! elevation uses), with their TOKEN_ELEVATION_TYPE.
//!
//! Sources: Microsoft, "How User Account Control works" (learn.microsoft.com,
//! windows/security/application-security/application-control/user-account-control/how-it-works):
//! an administrator's logon creates a standard user token and an
//! administrator token; the standard one has the same user data but the
//! administrative privileges and SIDs removed. Which groups become deny-only
//! and which five privileges stay: Mark Russinovich, "Inside Windows Vista
//! User Account Control", TechNet Magazine, June 2007 ("Admin Approval
//! Mode": the filtered token's administrative groups are marked deny-only
//! and only SeChangeNotify, SeShutdown, SeUndock, SeIncreaseWorkingSet and
//! SeTimeZone remain; its integrity is Medium, the full token's High). The
//! elevation type values are winnt.h's (Full = 2, Limited = 3);
//! docs/research/token-api-handles.md section 11.

use super::world::{ElevationType, TokenId, World};
use crate::ids::privilege::Privilege;
use crate::ids::sid::Sid;
use crate::ids::status::NtStatus;
use crate::token::{GroupAttributes, IntegrityLevel, Token};

/// The privileges a UAC-filtered token keeps (Russinovich, "Inside Windows
/// Vista User Account Control": the standard user privileges).
pub(crate) const UAC_STANDARD_PRIVILEGES: [Privilege; 5] = [
    Privilege::ChangeNotify,
    Privilege::Shutdown,
    Privilege::Undock,
    Privilege::IncreaseWorkingSet,
    Privilege::TimeZone,
];

/// BUILTIN (S-1-5-32-X) groups UAC filters to deny-only: Administrators
/// (544), Power Users (547), Account Operators (548), Server Operators
/// (549), Print Operators (550), Backup Operators (551), RAS Servers (553),
/// Pre-Windows 2000 Compatible Access (554), Network Configuration
/// Operators (556) and Cryptographic Operators (569) (Russinovich, op.
/// cit., the list of groups whose presence makes a token "administrative").
const FILTERED_BUILTIN_RIDS: [u32; 10] = [544, 547, 548, 549, 550, 551, 553, 554, 556, 569];

/// Domain (S-1-5-21-...-X) groups UAC filters to deny-only: Domain Admins
/// (512), Domain Controllers (516), Cert Publishers (517), Schema Admins
/// (518), Enterprise Admins (519), Group Policy Creator Owners (520),
/// Read-only Domain Controllers (521) and Enterprise Read-only Domain
/// Controllers (498) (same source).
const FILTERED_DOMAIN_RIDS: [u32; 8] = [512, 516, 517, 518, 519, 520, 521, 498];

/// Whether UAC makes this group deny-only in an administrator's limited
/// token.
pub(crate) fn uac_filters_group(sid: &Sid) -> bool {
    let subs = sid.sub_authorities();
    if sid.authority() != 5 {
        return false;
    }
    match subs {
        [32, rid] => FILTERED_BUILTIN_RIDS.contains(rid),
        [21, _, _, _, rid] => FILTERED_DOMAIN_RIDS.contains(rid),
        _ => false,
    }
}

/// The limited half of an administrator's token, as UAC's logon makes it
/// from the full one: the administrative groups become deny-only (no
/// longer enabled, still matching deny ACEs), only the five standard
/// privileges remain, and the integrity is Medium (Russinovich, "Inside
/// Windows Vista User Account Control"; "How User Account Control works").
pub(crate) fn uac_limited_token(full: &Token) -> Token {
    let mut t = full.clone();
    for g in t.groups.iter_mut() {
        if uac_filters_group(&g.sid) {
            // `whoami /groups` in a limited session shows these as "Group
            // used for deny only" and nothing else: SE_GROUP_USE_FOR_DENY_ONLY
            // alone.
            g.attributes = GroupAttributes::USE_FOR_DENY_ONLY;
        } else if g.sid.is_integrity_label() {
            g.sid = IntegrityLevel::MEDIUM.sid();
        }
    }
    // A filtered group can no longer own new objects (the owner must be the
    // user or an SE_GROUP_OWNER group; MS-DTYP 2.5.2.4's token owner rule):
    // the default owner falls back to the user.
    if uac_filters_group(&t.owner) {
        t.owner = t.user.sid;
    }
    t.privileges
        .retain(|p| UAC_STANDARD_PRIVILEGES.contains(&p.privilege));
    t.integrity = IntegrityLevel::MEDIUM;
    t
}

impl World {
    /// Links two tokens as the halves of a UAC split: `limited` gets the
    /// elevation type Limited and `full` Full, each linked to the other
    /// (what TokenLinkedToken, TokenElevation and TokenElevationType
    /// report). No check is made on their contents (setup).
    ///
    /// Fails with STATUS_INVALID_PARAMETER when the two are the same token
    /// and STATUS_INVALID_HANDLE for an unknown id.
    pub fn link_tokens(&mut self, limited: TokenId, full: TokenId) -> Result<(), NtStatus> {
        self.token(limited)?;
        self.token(full)?;
        if limited == full {
            return Err(NtStatus::InvalidParameter);
        }
        let l = &mut self.tokens[limited.0 as usize];
        l.elevation = ElevationType::Limited;
        l.linked = Some(full);
        let f = &mut self.tokens[full.0 as usize];
        f.elevation = ElevationType::Full;
        f.linked = Some(limited);
        Ok(())
    }

    /// The split pair an administrator's interactive logon gets with UAC on
    /// (setup): from `full`, the limited half made as UAC's logon filters it
    /// (administrative groups deny-only, the five standard privileges,
    /// Medium integrity) and the full half at High integrity, both in the
    /// same logon session, linked both ways. Returns `(limited, full)`.
    pub fn create_linked_tokens(&mut self, full: Token) -> (TokenId, TokenId) {
        let mut full = full;
        full.integrity = IntegrityLevel::HIGH;
        for g in full.groups.iter_mut() {
            if g.sid.is_integrity_label() {
                g.sid = IntegrityLevel::HIGH.sid();
            }
        }
        let limited = uac_limited_token(&full);
        let l = self.add_token(limited);
        let f = self.add_token(full);
        // Both ids are fresh and distinct, so linking cannot fail.
        let _ = self.link_tokens(l, f);
        (l, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::sid::well_known;

    #[test]
    fn only_administrative_groups_are_filtered() {
        assert!(uac_filters_group(&well_known::BUILTIN_ADMINISTRATORS));
        assert!(uac_filters_group(&well_known::BACKUP_OPERATORS));
        assert!(!uac_filters_group(&well_known::BUILTIN_USERS));
        assert!(!uac_filters_group(&well_known::WORLD));
        let domain_admins = Sid::from_const(5, [21, 1, 2, 3, 512]);
        let domain_users = Sid::from_const(5, [21, 1, 2, 3, 513]);
        assert!(uac_filters_group(&domain_admins));
        assert!(!uac_filters_group(&domain_users));
    }
}
