//! Access tokens: the security context of a process or an impersonating
//! thread (MS-DTYP 2.5.2 "Token/Authorization Context").
//!
//! [`Token`] is the plain, readable model. The access check compiles it once
//! into an interned form (see [`crate::eval::access`]) so that a check does not scan
//! the group list.

use crate::descriptor::acl::Acl;
use crate::descriptor::claims::ClaimAttribute;
use crate::ids::privilege::{Privilege, PrivilegeSet};
use crate::ids::sid::{well_known, Sid};
use std::fmt;

/// `SE_GROUP_*` attributes of a token group (MS-DTYP 2.5.2; `winnt.h`).
///
/// The bits are public by design: the attributes are a value with a public,
/// documented bit layout, not an opaque id.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct GroupAttributes(pub u32);

impl GroupAttributes {
    /// `SE_GROUP_MANDATORY`: the group cannot be disabled.
    pub const MANDATORY: GroupAttributes = GroupAttributes(0x0000_0001);
    /// `SE_GROUP_ENABLED_BY_DEFAULT`.
    pub const ENABLED_BY_DEFAULT: GroupAttributes = GroupAttributes(0x0000_0002);
    /// `SE_GROUP_ENABLED`: the group takes part in access checks.
    pub const ENABLED: GroupAttributes = GroupAttributes(0x0000_0004);
    /// `SE_GROUP_OWNER`: the group may be set as an object's owner.
    pub const OWNER: GroupAttributes = GroupAttributes(0x0000_0008);
    /// `SE_GROUP_USE_FOR_DENY_ONLY`: the group matches deny ACEs only.
    pub const USE_FOR_DENY_ONLY: GroupAttributes = GroupAttributes(0x0000_0010);
    /// `SE_GROUP_INTEGRITY`: the SID is a mandatory integrity SID.
    pub const INTEGRITY: GroupAttributes = GroupAttributes(0x0000_0020);
    /// `SE_GROUP_INTEGRITY_ENABLED`.
    pub const INTEGRITY_ENABLED: GroupAttributes = GroupAttributes(0x0000_0040);
    /// `SE_GROUP_RESOURCE`: a domain-local group.
    pub const RESOURCE: GroupAttributes = GroupAttributes(0x2000_0000);
    /// `SE_GROUP_LOGON_ID`: the logon SID (S-1-5-5-X-Y).
    pub const LOGON_ID: GroupAttributes = GroupAttributes(0xC000_0000);

    /// What a group given by SID alone gets: mandatory, enabled by default
    /// and enabled (what LogonUser gives ordinary groups).
    pub const DEFAULT: GroupAttributes = GroupAttributes(0x0000_0007);

    /// Names for parsing and printing, in bit order.
    pub const NAMES: &'static [(&'static str, GroupAttributes)] = &[
        ("mandatory", Self::MANDATORY),
        ("enabled_by_default", Self::ENABLED_BY_DEFAULT),
        ("enabled", Self::ENABLED),
        ("owner", Self::OWNER),
        ("deny_only", Self::USE_FOR_DENY_ONLY),
        ("integrity", Self::INTEGRITY),
        ("integrity_enabled", Self::INTEGRITY_ENABLED),
        ("resource", Self::RESOURCE),
        ("logon_id", Self::LOGON_ID),
    ];

    /// Whether all bits of `other` are set.
    pub const fn contains(self, other: GroupAttributes) -> bool {
        self.0 & other.0 == other.0
    }

    /// These attributes with `other` added.
    pub const fn with(self, other: GroupAttributes) -> GroupAttributes {
        GroupAttributes(self.0 | other.0)
    }

    /// These attributes with `other` removed.
    pub const fn without(self, other: GroupAttributes) -> GroupAttributes {
        GroupAttributes(self.0 & !other.0)
    }

    /// Looks one attribute up by name (`enabled`, `deny_only`,
    /// `SE_GROUP_ENABLED`, … in any case).
    pub fn from_name(name: &str) -> Option<GroupAttributes> {
        let lower = name.trim().to_ascii_lowercase();
        let lower = lower.strip_prefix("se_group_").unwrap_or(&lower);
        let lower = match lower {
            "use_for_deny_only" => "deny_only",
            other => other,
        };
        Self::NAMES
            .iter()
            .find(|(n, _)| *n == lower)
            .map(|(_, v)| *v)
    }
}

impl fmt::Debug for GroupAttributes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}")
    }
}

impl fmt::Display for GroupAttributes {
    /// The attribute names joined with `|` (`0` when none); `logon_id` is
    /// shown only when both of its bits are set, and unknown bits in hex.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        let mut first = true;
        for (name, v) in Self::NAMES {
            if v.0 != 0 && rest & v.0 == v.0 {
                if !first {
                    f.write_str("|")?;
                }
                f.write_str(name)?;
                first = false;
                rest &= !v.0;
            }
        }
        if rest != 0 || first {
            if !first {
                f.write_str("|")?;
            }
            write!(f, "0x{rest:x}")?;
        }
        Ok(())
    }
}

impl serde::Serialize for GroupAttributes {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// A SID in a token with its attributes (`SID_AND_ATTRIBUTES`).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, serde::Serialize)]
pub struct TokenGroup {
    /// The group (or user, restricting or capability) SID.
    pub sid: Sid,
    /// Its attributes.
    pub attributes: GroupAttributes,
}

impl TokenGroup {
    /// A group with the default attributes (mandatory, enabled by default,
    /// enabled).
    pub fn new(sid: Sid) -> TokenGroup {
        TokenGroup {
            sid,
            attributes: GroupAttributes::DEFAULT,
        }
    }

    /// A group with the given attributes.
    pub fn with_attributes(sid: Sid, attributes: GroupAttributes) -> TokenGroup {
        TokenGroup { sid, attributes }
    }

    /// Whether the group is enabled.
    pub fn is_enabled(&self) -> bool {
        self.attributes.contains(GroupAttributes::ENABLED)
    }

    /// Whether the group is deny-only.
    pub fn is_deny_only(&self) -> bool {
        self.attributes.contains(GroupAttributes::USE_FOR_DENY_ONLY)
    }

    /// Whether the group matches an allow ACE: enabled and not deny-only
    /// (MS-DTYP 2.5.3.2: "SID in Token" for an allow ACE).
    pub fn matches_allow(&self) -> bool {
        self.is_enabled() && !self.is_deny_only()
    }

    /// Whether the group matches a deny ACE: enabled, or deny-only. A group
    /// that is disabled and not deny-only matches nothing.
    pub fn matches_deny(&self) -> bool {
        self.is_enabled() || self.is_deny_only()
    }
}

/// A privilege held by a token and whether it is enabled.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, serde::Serialize)]
pub struct TokenPrivilege {
    /// The privilege.
    pub privilege: Privilege,
    /// `SE_PRIVILEGE_ENABLED`: only enabled privileges take effect.
    pub enabled: bool,
    /// `SE_PRIVILEGE_ENABLED_BY_DEFAULT`.
    pub enabled_by_default: bool,
}

impl TokenPrivilege {
    /// A privilege held and enabled.
    pub fn enabled(privilege: Privilege) -> TokenPrivilege {
        TokenPrivilege {
            privilege,
            enabled: true,
            enabled_by_default: true,
        }
    }

    /// A privilege held but disabled.
    pub fn disabled(privilege: Privilege) -> TokenPrivilege {
        TokenPrivilege {
            privilege,
            enabled: false,
            enabled_by_default: false,
        }
    }
}

/// `TOKEN_TYPE`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, serde::Serialize)]
#[serde(rename_all = "lowercase")]
// Exhaustive on purpose: `TOKEN_TYPE` has had exactly these two values since
// Windows NT 3.1 (MS-DTYP 2.5.2 token; winnt.h).
pub enum TokenType {
    /// A process's primary token.
    Primary,
    /// A thread's impersonation token.
    Impersonation,
}

/// `SECURITY_IMPERSONATION_LEVEL`, ordered from weakest to strongest.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
// Exhaustive on purpose: `SECURITY_IMPERSONATION_LEVEL` has exactly these
// four ordered values (MS-DTYP 2.5.2; winnt.h), and callers compare them.
pub enum ImpersonationLevel {
    /// The server cannot identify the client.
    Anonymous,
    /// The server can identify the client and query its token, but not act
    /// as it.
    Identification,
    /// The server can act as the client on the local machine.
    Impersonation,
    /// The server can act as the client on remote machines too.
    Delegation,
}

impl ImpersonationLevel {
    /// Every level, weakest first.
    pub const ALL: [ImpersonationLevel; 4] = [
        ImpersonationLevel::Anonymous,
        ImpersonationLevel::Identification,
        ImpersonationLevel::Impersonation,
        ImpersonationLevel::Delegation,
    ];

    /// The level's name in lower case.
    pub const fn name(self) -> &'static str {
        match self {
            ImpersonationLevel::Anonymous => "anonymous",
            ImpersonationLevel::Identification => "identification",
            ImpersonationLevel::Impersonation => "impersonation",
            ImpersonationLevel::Delegation => "delegation",
        }
    }

    /// Looks a level up by name (any case, `Security` prefix optional).
    pub fn from_name(name: &str) -> Option<ImpersonationLevel> {
        let lower = name.trim().to_ascii_lowercase();
        let lower = lower.strip_prefix("security").unwrap_or(&lower);
        Self::ALL.iter().copied().find(|l| l.name() == lower)
    }
}

impl fmt::Display for ImpersonationLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A mandatory integrity level: the RID of an `S-1-16-X` SID.
///
/// The RID is public by design: a level is a plain value with a public,
/// documented encoding, not an opaque id.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IntegrityLevel(pub u32);

impl IntegrityLevel {
    /// Untrusted (S-1-16-0).
    pub const UNTRUSTED: IntegrityLevel = IntegrityLevel(0x0000);
    /// Low (S-1-16-4096).
    pub const LOW: IntegrityLevel = IntegrityLevel(0x1000);
    /// Medium (S-1-16-8192): the default for users and for unlabelled
    /// objects.
    pub const MEDIUM: IntegrityLevel = IntegrityLevel(0x2000);
    /// Medium plus (S-1-16-8448).
    pub const MEDIUM_PLUS: IntegrityLevel = IntegrityLevel(0x2100);
    /// High (S-1-16-12288): elevated administrators.
    pub const HIGH: IntegrityLevel = IntegrityLevel(0x3000);
    /// System (S-1-16-16384).
    pub const SYSTEM: IntegrityLevel = IntegrityLevel(0x4000);
    /// Protected process (S-1-16-20480).
    pub const PROTECTED: IntegrityLevel = IntegrityLevel(0x5000);

    /// `medium_plus` written without a separator, which
    /// [`IntegrityLevel::from_name`] also accepts.
    pub const MEDIUM_PLUS_SHORT: &'static str = "mediumplus";

    /// The level names, in lower case with `_` between words.
    pub const NAMES: [(&'static str, IntegrityLevel); 7] = [
        ("untrusted", Self::UNTRUSTED),
        ("low", Self::LOW),
        ("medium", Self::MEDIUM),
        ("medium_plus", Self::MEDIUM_PLUS),
        ("high", Self::HIGH),
        ("system", Self::SYSTEM),
        ("protected", Self::PROTECTED),
    ];

    /// The `S-1-16-X` SID.
    pub fn sid(self) -> Sid {
        Sid::from_const(16, [self.0])
    }

    /// The level of an `S-1-16-X` SID (X must be a single sub-authority).
    pub fn from_sid(sid: &Sid) -> Option<IntegrityLevel> {
        match (sid.authority(), sid.sub_authorities()) {
            (16, [rid]) => Some(IntegrityLevel(*rid)),
            _ => None,
        }
    }

    /// Looks a level up by name (`low`, `Medium`, `medium_plus`, `high`,
    /// `system`, …), by SDDL alias (`LW`, `ME`, `MP`, `HI`, `SI`) or as a
    /// SID string.
    pub fn from_name(name: &str) -> Option<IntegrityLevel> {
        let t = name.trim();
        let lower = t.to_ascii_lowercase().replace(['-', ' '], "_");
        if let Some((_, l)) = Self::NAMES.iter().find(|(n, _)| *n == lower) {
            return Some(*l);
        }
        if lower == Self::MEDIUM_PLUS_SHORT {
            return Some(Self::MEDIUM_PLUS);
        }
        Sid::parse_sddl(t, None)
            .ok()
            .and_then(|s| IntegrityLevel::from_sid(&s))
    }

    /// The level's name, or its RID in hex when it has none.
    pub fn name(self) -> String {
        Self::NAMES
            .iter()
            .find(|(_, l)| *l == self)
            .map(|(n, _)| n.to_string())
            .unwrap_or_else(|| format!("0x{:x}", self.0))
    }
}

impl fmt::Debug for IntegrityLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "IntegrityLevel({} {})", self.name(), self.sid())
    }
}

impl fmt::Display for IntegrityLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name())
    }
}

impl serde::Serialize for IntegrityLevel {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.sid())
    }
}

/// `TOKEN_MANDATORY_POLICY` flags.
///
/// The bits are public by design: the flags are a value with a public,
/// documented bit layout, not an opaque id.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, serde::Serialize)]
pub struct MandatoryPolicy(pub u32);

impl MandatoryPolicy {
    /// No mandatory checks: `TOKEN_MANDATORY_POLICY_OFF`.
    pub const OFF: MandatoryPolicy = MandatoryPolicy(0);
    /// `TOKEN_MANDATORY_POLICY_NO_WRITE_UP`: the mandatory integrity check
    /// applies.
    pub const NO_WRITE_UP: MandatoryPolicy = MandatoryPolicy(1);
    /// `TOKEN_MANDATORY_POLICY_NEW_PROCESS_MIN`: a child process gets the
    /// lower of its image's and its parent's level.
    pub const NEW_PROCESS_MIN: MandatoryPolicy = MandatoryPolicy(2);
    /// Both flags: the default for every token Windows creates.
    pub const VALID_MASK: MandatoryPolicy = MandatoryPolicy(3);

    /// Whether all bits of `other` are set.
    pub const fn contains(self, other: MandatoryPolicy) -> bool {
        self.0 & other.0 == other.0
    }
}

/// An access token (MS-DTYP 2.5.2).
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Token {
    /// The user. Its attributes are normally 0; `USE_FOR_DENY_ONLY` makes the
    /// user SID match deny ACEs only (as CreateRestrictedToken does).
    pub user: TokenGroup,
    /// The groups with their attributes.
    pub groups: Vec<TokenGroup>,
    /// The privileges held.
    pub privileges: Vec<TokenPrivilege>,
    /// The default owner of objects this token creates.
    pub owner: Sid,
    /// The default primary group of objects this token creates, or `None`
    /// for a token without one: creating an object whose group must come
    /// from the token then fails with STATUS_INVALID_PRIMARY_GROUP
    /// (ReactOS kmtest `SeInheritance`, run on Windows, which clears
    /// `Token->PrimaryGroup`).
    pub primary_group: Option<Sid>,
    /// The DACL given to objects created with nothing to inherit.
    pub default_dacl: Option<Acl>,
    /// Primary or impersonation.
    pub token_type: TokenType,
    /// For impersonation tokens, how far the holder may act as the user.
    pub impersonation_level: ImpersonationLevel,
    /// The mandatory integrity level.
    pub integrity: IntegrityLevel,
    /// The mandatory policy.
    pub mandatory_policy: MandatoryPolicy,
    /// Restricting SIDs: when present, a second access-check pass runs over
    /// them and the results are intersected.
    pub restricted_sids: Vec<TokenGroup>,
    /// Whether the restricting SIDs apply to write access only.
    pub write_restricted: bool,
    /// TokenSandBoxInert: AppLocker and software restriction policies are
    /// not applied (CreateRestrictedToken's SANDBOX_INERT).
    pub sandbox_inert: bool,
    /// User claims (`@User.` attributes).
    pub user_claims: Vec<ClaimAttribute>,
    /// Device claims (`@Device.` attributes).
    pub device_claims: Vec<ClaimAttribute>,
    /// Local claims (bare attribute names in conditions).
    pub local_claims: Vec<ClaimAttribute>,
    /// The device's groups (for `Device_Member_of`).
    pub device_groups: Vec<TokenGroup>,
    /// The AppContainer package SID (S-1-15-2-…), for AppContainer tokens.
    pub app_container: Option<Sid>,
    /// AppContainer capability SIDs (S-1-15-3-…).
    pub capabilities: Vec<TokenGroup>,
    /// A less-privileged AppContainer: `ALL APPLICATION PACKAGES` does not
    /// apply, only `ALL RESTRICTED APPLICATION PACKAGES`.
    pub less_privileged_app_container: bool,
    /// The process trust level (S-1-19-T-L), for protected processes.
    pub trust_level: Option<Sid>,
    /// The logon session (authentication id) the token belongs to.
    pub logon_id: u64,
    /// The terminal-services session id.
    pub session_id: u32,
    /// TOKEN_SOURCE: who made the token.
    pub source: TokenSource,
    /// TOKEN_ORIGIN: the logon session that created this one's logon
    /// session (0 when none: network logons; the TokenOrigin class page).
    pub origin: u64,
    /// UAC file and registry virtualization is allowed
    /// (TokenVirtualizationAllowed).
    pub virtualization_allowed: bool,
    /// UAC file and registry virtualization is on
    /// (TokenVirtualizationEnabled).
    pub virtualization_enabled: bool,
    /// The AppContainer number; 0 for a token that is not an AppContainer
    /// (TokenAppContainerNumber).
    pub app_container_number: u32,
}

/// `TOKEN_SOURCE`: an 8-character source name and a LUID the source chose
/// (winnt.h; TokenSource class).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub struct TokenSource {
    /// `SourceName`: 8 ANSI characters, padded with spaces.
    pub name: [u8; 8],
    /// `SourceIdentifier`.
    pub id: u64,
}

impl TokenSource {
    /// `Advapi  `, the source LogonUser gives the tokens it makes.
    pub const ADVAPI: TokenSource = TokenSource {
        name: *b"Advapi  ",
        id: 0,
    };

    /// A source named `name` (cut or padded with spaces to 8 characters).
    pub fn named(name: &str, id: u64) -> TokenSource {
        let mut n = *b"        ";
        for (d, s) in n.iter_mut().zip(name.bytes()) {
            *d = s;
        }
        TokenSource { name: n, id }
    }

    /// The name as text, trailing spaces kept.
    pub fn name_text(&self) -> String {
        String::from_utf8_lossy(&self.name).into_owned()
    }
}

impl Token {
    /// A primary token for `user` with Windows' defaults: no groups and no
    /// privileges, owner and primary group the user, Medium integrity with
    /// the `NO_WRITE_UP | NEW_PROCESS_MIN` policy.
    pub fn new(user: Sid) -> Token {
        Token {
            user: TokenGroup::with_attributes(user, GroupAttributes(0)),
            groups: Vec::new(),
            privileges: Vec::new(),
            owner: user,
            primary_group: Some(user),
            default_dacl: None,
            token_type: TokenType::Primary,
            impersonation_level: ImpersonationLevel::Impersonation,
            integrity: IntegrityLevel::MEDIUM,
            mandatory_policy: MandatoryPolicy::VALID_MASK,
            restricted_sids: Vec::new(),
            write_restricted: false,
            sandbox_inert: false,
            user_claims: Vec::new(),
            device_claims: Vec::new(),
            local_claims: Vec::new(),
            device_groups: Vec::new(),
            app_container: None,
            capabilities: Vec::new(),
            less_privileged_app_container: false,
            trust_level: None,
            logon_id: 0,
            session_id: 0,
            source: TokenSource::ADVAPI,
            origin: 0,
            virtualization_allowed: false,
            virtualization_enabled: false,
            app_container_number: 0,
        }
    }

    /// This token with an enabled group added.
    pub fn with_group(mut self, sid: Sid) -> Token {
        self.groups.push(TokenGroup::new(sid));
        self
    }

    /// This token with a group of the given attributes added.
    pub fn with_group_attributes(mut self, sid: Sid, attributes: GroupAttributes) -> Token {
        self.groups
            .push(TokenGroup::with_attributes(sid, attributes));
        self
    }

    /// This token with an enabled privilege added.
    pub fn with_privilege(mut self, privilege: Privilege) -> Token {
        self.privileges.push(TokenPrivilege::enabled(privilege));
        self
    }

    /// This token at another integrity level.
    pub fn with_integrity(mut self, level: IntegrityLevel) -> Token {
        self.integrity = level;
        self
    }

    /// This token with restricting SIDs (enabled) added.
    pub fn with_restricted_sids(mut self, sids: &[Sid]) -> Token {
        self.restricted_sids
            .extend(sids.iter().map(|s| TokenGroup::new(*s)));
        self
    }

    /// Whether the token has restricting SIDs.
    pub fn is_restricted(&self) -> bool {
        !self.restricted_sids.is_empty()
    }

    /// Whether the token is an AppContainer token.
    pub fn is_app_container(&self) -> bool {
        self.app_container.is_some()
    }

    /// The privileges that are held and enabled.
    pub fn enabled_privileges(&self) -> PrivilegeSet {
        let mut set = PrivilegeSet::EMPTY;
        for p in self.privileges.iter().filter(|p| p.enabled) {
            set.insert(p.privilege);
        }
        set
    }

    /// Whether `privilege` is held and enabled.
    pub fn has_privilege(&self, privilege: Privilege) -> bool {
        self.enabled_privileges().contains(privilege)
    }

    /// The user and the groups, user first.
    pub fn sids(&self) -> impl Iterator<Item = &TokenGroup> {
        std::iter::once(&self.user).chain(self.groups.iter())
    }

    /// Whether `sid` matches an allow ACE for this token: the user (unless
    /// deny-only) or an enabled, non-deny-only group. The user SID carries no
    /// ENABLED bit in Windows; it is always enabled.
    pub fn sid_matches_allow(&self, sid: &Sid) -> bool {
        (self.user.sid == *sid && !self.user.is_deny_only())
            || self
                .groups
                .iter()
                .any(|g| g.sid == *sid && g.matches_allow())
    }

    /// Whether `sid` matches a deny ACE for this token: the user, or a group
    /// that is enabled or deny-only.
    pub fn sid_matches_deny(&self, sid: &Sid) -> bool {
        self.user.sid == *sid
            || self
                .groups
                .iter()
                .any(|g| g.sid == *sid && g.matches_deny())
    }

    /// Whether `sid` is an enabled restricting SID (matching allow ACEs in
    /// the restricted pass).
    pub fn restricted_matches_allow(&self, sid: &Sid) -> bool {
        self.restricted_sids
            .iter()
            .any(|g| g.sid == *sid && g.matches_allow())
    }

    /// Whether `sid` matches deny ACEs in the restricted pass.
    pub fn restricted_matches_deny(&self, sid: &Sid) -> bool {
        self.restricted_sids
            .iter()
            .any(|g| g.sid == *sid && g.matches_deny())
    }

    /// The SIDs an AppContainer token matches in its package pass: the
    /// package SID, the enabled capabilities, `ALL APPLICATION PACKAGES`
    /// (unless less-privileged) and `ALL RESTRICTED APPLICATION PACKAGES`.
    pub fn package_matches(&self, sid: &Sid) -> bool {
        let Some(package) = self.app_container else {
            return false;
        };
        package == *sid
            || (*sid == well_known::ALL_APP_PACKAGES && !self.less_privileged_app_container)
            || *sid == well_known::ALL_RESTRICTED_APP_PACKAGES
            || self
                .capabilities
                .iter()
                .any(|g| g.sid == *sid && g.matches_allow())
    }

    /// Whether the token may own objects as `sid`: the user, or a group with
    /// the OWNER attribute.
    pub fn can_own(&self, sid: &Sid) -> bool {
        self.user.sid == *sid
            || self
                .groups
                .iter()
                .any(|g| g.sid == *sid && g.attributes.contains(GroupAttributes::OWNER))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sid(s: &str) -> Sid {
        s.parse().unwrap()
    }

    #[test]
    fn group_attribute_names_round_trip() {
        let a = GroupAttributes::DEFAULT.with(GroupAttributes::OWNER);
        assert_eq!(a.to_string(), "mandatory|enabled_by_default|enabled|owner");
        assert_eq!(GroupAttributes(0).to_string(), "0x0");
        assert_eq!(
            GroupAttributes::LOGON_ID
                .with(GroupAttributes::DEFAULT)
                .to_string(),
            "mandatory|enabled_by_default|enabled|logon_id"
        );
        assert_eq!(
            GroupAttributes::from_name("SE_GROUP_USE_FOR_DENY_ONLY"),
            Some(GroupAttributes::USE_FOR_DENY_ONLY)
        );
        assert_eq!(
            GroupAttributes::from_name("Deny_Only"),
            Some(GroupAttributes::USE_FOR_DENY_ONLY)
        );
        assert_eq!(GroupAttributes::from_name("bogus"), None);
    }

    /// MS-DTYP 2.5.3.2: allow ACEs match enabled SIDs; deny ACEs also match
    /// deny-only SIDs; a disabled group matches neither.
    #[test]
    fn group_matching_rules() {
        let t = Token::new(sid("S-1-5-21-1-2-3-1000"))
            .with_group(sid("S-1-1-0"))
            .with_group_attributes(sid("S-1-5-32-544"), GroupAttributes::USE_FOR_DENY_ONLY)
            .with_group_attributes(sid("S-1-5-32-545"), GroupAttributes::MANDATORY);
        assert!(t.sid_matches_allow(&sid("S-1-1-0")));
        assert!(t.sid_matches_deny(&sid("S-1-1-0")));
        assert!(!t.sid_matches_allow(&sid("S-1-5-32-544")));
        assert!(t.sid_matches_deny(&sid("S-1-5-32-544")));
        assert!(!t.sid_matches_allow(&sid("S-1-5-32-545")));
        assert!(!t.sid_matches_deny(&sid("S-1-5-32-545")));
        // The user always matches, whatever its (zero) attributes say.
        assert!(t.sid_matches_allow(&sid("S-1-5-21-1-2-3-1000")));
    }

    #[test]
    fn deny_only_user_matches_deny_aces_only() {
        let mut t = Token::new(sid("S-1-5-21-1-2-3-1000"));
        t.user.attributes = GroupAttributes::USE_FOR_DENY_ONLY;
        assert!(!t.sid_matches_allow(&t.user.sid.clone()));
        assert!(t.sid_matches_deny(&t.user.sid.clone()));
    }

    #[test]
    fn integrity_names_and_sids() {
        assert_eq!(IntegrityLevel::from_name("Low"), Some(IntegrityLevel::LOW));
        assert_eq!(IntegrityLevel::from_name("HI"), Some(IntegrityLevel::HIGH));
        assert_eq!(
            IntegrityLevel::from_name("S-1-16-8192"),
            Some(IntegrityLevel::MEDIUM)
        );
        assert_eq!(
            IntegrityLevel::from_name("medium-plus"),
            Some(IntegrityLevel::MEDIUM_PLUS)
        );
        assert_eq!(IntegrityLevel::from_name("S-1-5-18"), None);
        assert_eq!(IntegrityLevel::from_name("lowish"), None);
        assert_eq!(IntegrityLevel::SYSTEM.sid().to_string(), "S-1-16-16384");
        assert_eq!(IntegrityLevel(0x1800).name(), "0x1800");
    }

    #[test]
    fn impersonation_levels_are_ordered() {
        assert!(ImpersonationLevel::Anonymous < ImpersonationLevel::Identification);
        assert!(ImpersonationLevel::Impersonation < ImpersonationLevel::Delegation);
        assert_eq!(
            ImpersonationLevel::from_name("SecurityDelegation"),
            Some(ImpersonationLevel::Delegation)
        );
        assert_eq!(ImpersonationLevel::from_name("nope"), None);
    }

    #[test]
    fn package_pass_sids() {
        let mut t = Token::new(sid("S-1-5-21-1-2-3-1000"));
        assert!(!t.package_matches(&well_known::ALL_APP_PACKAGES));
        t.app_container = Some(sid("S-1-15-2-1-2-3-4-5-6-7"));
        t.capabilities.push(TokenGroup::new(sid("S-1-15-3-1")));
        assert!(t.package_matches(&well_known::ALL_APP_PACKAGES));
        assert!(t.package_matches(&sid("S-1-15-3-1")));
        assert!(t.package_matches(&sid("S-1-15-2-1-2-3-4-5-6-7")));
        t.less_privileged_app_container = true;
        assert!(!t.package_matches(&well_known::ALL_APP_PACKAGES));
        assert!(t.package_matches(&well_known::ALL_RESTRICTED_APP_PACKAGES));
    }
}
