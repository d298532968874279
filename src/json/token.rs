//! Tokens in JSON: [`TokenSpec`] with its groups and privileges, resolved
//! into a [`Token`] (MS-DTYP 2.5.2, the token's SIDs, privileges, integrity,
//! restrictions and claims).

use super::claims::ClaimSpec;
use super::descriptor::acl_from_sddl;
use super::mask::Bits;
use super::read::{field, index, Names, SpecError, StrOr};
use super::uac::ElevationName;
use super::vocab::{IntegrityName, LevelName, TokenTypeName};
use crate::descriptor::claims::ClaimAttribute;
use crate::ids::privilege::Privilege;
use crate::token::{GroupAttributes, IntegrityLevel, Token, TokenGroup, TokenPrivilege};
use serde::Deserialize;

/// A group (or user, restricting SID, capability, device group): a SID
/// string, or `{"sid": …, "attributes": …}`.
pub type GroupSpec = StrOr<GroupFull>;

/// The full form of a [`GroupSpec`].
#[derive(Clone, Debug, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GroupFull {
    /// The SID, alias or principal name.
    pub sid: String,
    /// The attributes; default mandatory, enabled by default and enabled.
    #[serde(default)]
    pub attributes: Option<Bits>,
}

impl GroupSpec {
    /// Resolves to a SID and attributes (default: mandatory, enabled by
    /// default, enabled).
    pub fn resolve(&self, names: &Names, path: &str) -> Result<TokenGroup, SpecError> {
        self.resolve_with(names, path, GroupAttributes::DEFAULT)
    }

    fn resolve_with(
        &self,
        names: &Names,
        path: &str,
        default: GroupAttributes,
    ) -> Result<TokenGroup, SpecError> {
        match self {
            StrOr::Str(s) => Ok(TokenGroup::with_attributes(names.sid(s, path)?, default)),
            StrOr::Full(g) => {
                let sid = names.sid(&g.sid, &field(path, "sid"))?;
                let attributes = match &g.attributes {
                    Some(b) => b.group_attributes(&field(path, "attributes"))?,
                    None => default,
                };
                Ok(TokenGroup::with_attributes(sid, attributes))
            }
        }
    }

    fn sid_text(&self) -> &str {
        match self {
            StrOr::Str(s) => s,
            StrOr::Full(g) => &g.sid,
        }
    }
}

/// A privilege: its name (enabled), or `{"name": …, "enabled": false}`.
pub type PrivilegeSpec = StrOr<PrivilegeFull>;

/// The full form of a [`PrivilegeSpec`].
#[derive(Clone, Debug, PartialEq, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PrivilegeFull {
    /// `SeBackupPrivilege`, `Backup`, … (any case).
    pub name: String,
    /// Whether it is enabled (default true).
    #[serde(default = "yes")]
    pub enabled: bool,
}

fn yes() -> bool {
    true
}

impl PrivilegeSpec {
    /// Resolves to a privilege and its state.
    pub fn resolve(&self, path: &str) -> Result<TokenPrivilege, SpecError> {
        let (name, enabled, at) = match self {
            StrOr::Str(s) => (s.as_str(), true, path.to_string()),
            StrOr::Full(p) => (p.name.as_str(), p.enabled, field(path, "name")),
        };
        let privilege = Privilege::from_name(name)
            .ok_or_else(|| SpecError::new(at, format!("unknown privilege `{name}`")))?;
        Ok(TokenPrivilege {
            privilege,
            enabled,
            enabled_by_default: enabled,
        })
    }
}

/// A token in JSON. Only `user` is required.
#[derive(Clone, Debug, PartialEq, Deserialize, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenSpec {
    /// The user (a SID, or `{"sid", "attributes": "deny_only"}`).
    pub user: Option<GroupSpec>,
    /// Groups; a SID alone is mandatory, enabled by default and enabled.
    /// An integrity SID (S-1-16-X) given as a group sets the level.
    #[serde(default)]
    pub groups: Vec<GroupSpec>,
    /// Privileges, enabled unless `{"name", "enabled": false}`.
    #[serde(default)]
    pub privileges: Vec<PrivilegeSpec>,
    /// Restricting SIDs.
    #[serde(default)]
    pub restricted_sids: Vec<GroupSpec>,
    /// Whether the restricting SIDs restrict write access only.
    #[serde(default)]
    pub write_restricted: bool,
    /// The integrity level: `untrusted`, `low`, `medium`, `medium_plus`,
    /// `high`, `system`, `protected`, an alias (`LW`, `ME`, `HI`, `SI`) or
    /// an `S-1-16-X` SID. Default medium.
    #[serde(default)]
    pub integrity: Option<IntegrityName>,
    /// The mandatory policy; default `NO_WRITE_UP|NEW_PROCESS_MIN`.
    #[serde(default)]
    pub mandatory_policy: Option<Bits>,
    /// The default owner of new objects; default the user.
    #[serde(default)]
    pub owner: Option<String>,
    /// The default primary group of new objects. Left out, the user;
    /// `null`, a token without a primary group, so that creating an object
    /// that needs the token's group fails with STATUS_INVALID_PRIMARY_GROUP.
    /// (`null` used to mean the user, as leaving the field out still does.)
    #[serde(default, deserialize_with = "super::read::present")]
    #[schemars(with = "Option<String>")]
    pub primary_group: Option<Option<String>>,
    /// The default DACL as SDDL (`D:(A;;GA;;;SY)…`).
    #[serde(default)]
    pub default_dacl: Option<String>,
    /// `primary` or `impersonation`.
    #[serde(default, rename = "type")]
    pub token_type: Option<TokenTypeName>,
    /// `anonymous`, `identification`, `impersonation` or `delegation`.
    #[serde(default)]
    pub impersonation_level: Option<LevelName>,
    /// User claims.
    #[serde(default)]
    pub user_claims: Vec<ClaimSpec>,
    /// Device claims.
    #[serde(default)]
    pub device_claims: Vec<ClaimSpec>,
    /// Local claims.
    #[serde(default)]
    pub local_claims: Vec<ClaimSpec>,
    /// The device's groups.
    #[serde(default)]
    pub device_groups: Vec<GroupSpec>,
    /// The AppContainer package SID.
    #[serde(default)]
    pub app_container: Option<String>,
    /// AppContainer capabilities.
    #[serde(default)]
    pub capabilities: Vec<GroupSpec>,
    /// A less-privileged AppContainer.
    #[serde(default)]
    pub less_privileged_app_container: bool,
    /// The process trust level (`S-1-19-T-L`).
    #[serde(default)]
    pub trust_level: Option<String>,
    /// The logon session (authentication id).
    #[serde(default)]
    pub logon_id: Option<u64>,
    /// The session id.
    #[serde(default)]
    pub session_id: Option<u32>,
    /// A fixture's UAC split: the other half of this token, by its name in
    /// `tokens` (needs `elevation_type`; the other half becomes the
    /// opposite type and links back). Not read outside fixtures.
    #[serde(default)]
    pub linked: Option<String>,
    /// This token's half of a UAC split, `limited` or `full` (with
    /// `linked`), or `default` (the default: not split).
    #[serde(default)]
    pub elevation_type: Option<ElevationName>,
}

impl TokenSpec {
    /// Resolves to a [`Token`]. Defaults: a primary token at Medium
    /// integrity, owner and primary group the user.
    pub fn resolve(&self, names: &Names, path: &str) -> Result<Token, SpecError> {
        let user_spec = self
            .user
            .as_ref()
            .ok_or_else(|| SpecError::new(field(path, "user"), "a token needs a `user`"))?;
        let user = user_spec.resolve_with(names, &field(path, "user"), GroupAttributes(0))?;
        let mut t = Token::new(user.sid);
        t.user = user;
        let mut integrity_group = None;
        for (i, g) in self.groups.iter().enumerate() {
            let at = index(&field(path, "groups"), i);
            let sid = names.sid(g.sid_text(), &at)?;
            if let Some(level) = IntegrityLevel::from_sid(&sid) {
                // Windows lists the integrity SID among the groups with
                // SE_GROUP_INTEGRITY | SE_GROUP_INTEGRITY_ENABLED; it
                // matches no ACE.
                integrity_group = Some(level);
                let default = GroupAttributes::INTEGRITY.with(GroupAttributes::INTEGRITY_ENABLED);
                t.groups.push(g.resolve_with(names, &at, default)?);
                continue;
            }
            t.groups.push(g.resolve(names, &at)?);
        }
        for (i, p) in self.privileges.iter().enumerate() {
            let tp = p.resolve(&index(&field(path, "privileges"), i))?;
            t.privileges.retain(|x| x.privilege != tp.privilege);
            t.privileges.push(tp);
        }
        t.restricted_sids = groups(
            &self.restricted_sids,
            names,
            &field(path, "restricted_sids"),
        )?;
        t.write_restricted = self.write_restricted;
        if self.write_restricted && t.restricted_sids.is_empty() {
            return Err(SpecError::new(
                field(path, "write_restricted"),
                "a write-restricted token needs `restricted_sids`",
            ));
        }
        t.integrity = match self.integrity {
            Some(l) => l.0,
            None => integrity_group.unwrap_or(IntegrityLevel::MEDIUM),
        };
        if let Some(p) = &self.mandatory_policy {
            t.mandatory_policy = p.mandatory_policy(&field(path, "mandatory_policy"))?;
        }
        if let Some(o) = &self.owner {
            t.owner = names.sid(o, &field(path, "owner"))?;
        }
        match &self.primary_group {
            None => {}
            Some(None) => t.primary_group = None,
            Some(Some(g)) => t.primary_group = Some(names.sid(g, &field(path, "primary_group"))?),
        }
        if let Some(d) = &self.default_dacl {
            t.default_dacl = Some(acl_from_sddl(d, names, &field(path, "default_dacl"))?);
        }
        if let Some(k) = self.token_type {
            t.token_type = k.0;
        }
        if let Some(l) = self.impersonation_level {
            t.impersonation_level = l.0;
        }
        let claims = |list: &[ClaimSpec], key: &str| -> Result<Vec<ClaimAttribute>, SpecError> {
            list.iter()
                .enumerate()
                .map(|(i, c)| c.resolve(names, &index(&field(path, key), i)))
                .collect()
        };
        t.user_claims = claims(&self.user_claims, "user_claims")?;
        t.device_claims = claims(&self.device_claims, "device_claims")?;
        t.local_claims = claims(&self.local_claims, "local_claims")?;
        t.device_groups = groups(&self.device_groups, names, &field(path, "device_groups"))?;
        if let Some(a) = &self.app_container {
            t.app_container = Some(names.sid(a, &field(path, "app_container"))?);
        }
        t.capabilities = groups(&self.capabilities, names, &field(path, "capabilities"))?;
        t.less_privileged_app_container = self.less_privileged_app_container;
        if let Some(l) = &self.trust_level {
            t.trust_level = Some(names.sid(l, &field(path, "trust_level"))?);
        }
        if let Some(l) = self.logon_id {
            t.logon_id = l;
        }
        if let Some(s) = self.session_id {
            t.session_id = s;
        }
        Ok(t)
    }
}

fn groups(list: &[GroupSpec], names: &Names, path: &str) -> Result<Vec<TokenGroup>, SpecError> {
    list.iter()
        .enumerate()
        .map(|(i, g)| g.resolve(names, &index(path, i)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::descriptor::claims::ClaimValues;
    use crate::json::read::from_json;
    use crate::token::{ImpersonationLevel, MandatoryPolicy, TokenType};

    fn token(json: &str) -> Result<Token, SpecError> {
        let spec: TokenSpec = from_json(json, "token")?;
        spec.resolve(&Names::default(), "token")
    }

    #[test]
    fn a_full_token() {
        let t = token(
            r#"{"user": "S-1-5-21-1-2-3-1001",
                "groups": ["WD", {"sid": "BA", "attributes": "deny_only"}, {"sid": "BU", "attributes": ["mandatory"]}, "HI"],
                "privileges": ["SeBackupPrivilege", {"name": "restore", "enabled": false}],
                "restricted_sids": ["WD"], "write_restricted": true,
                "mandatory_policy": "NO_WRITE_UP",
                "user_claims": [{"name": "Dept", "values": ["Sales"]}, "(\"Level\",TI,0x0,3)"],
                "device_groups": ["BU"],
                "type": "impersonation", "impersonation_level": "identification"}"#,
        )
        .unwrap();
        assert_eq!(t.groups.len(), 4);
        assert!(t.groups[1].is_deny_only());
        assert!(!t.groups[2].is_enabled());
        assert_eq!(
            t.integrity,
            IntegrityLevel::HIGH,
            "an integrity group sets the level"
        );
        assert!(
            !t.groups[3].matches_allow(),
            "the integrity group matches no ACE"
        );
        assert!(t.has_privilege(Privilege::Backup));
        assert!(!t.has_privilege(Privilege::Restore));
        assert!(t.write_restricted && t.is_restricted());
        assert_eq!(t.mandatory_policy, MandatoryPolicy::NO_WRITE_UP);
        assert_eq!(
            t.user_claims[0].values,
            ClaimValues::String(vec!["Sales".into()])
        );
        assert_eq!(t.user_claims[1].values, ClaimValues::Int64(vec![3]));
        assert_eq!(t.token_type, TokenType::Impersonation);
        assert_eq!(t.impersonation_level, ImpersonationLevel::Identification);
    }

    #[test]
    fn errors_name_the_json_path() {
        let cases = [
            (
                r#"{"user": "WD", "groups": ["WD", "S-1-x"]}"#,
                "token.groups[1]",
            ),
            (
                r#"{"user": "WD", "groups": [{"sid": "BA", "attributes": "enabeld"}]}"#,
                "token.groups[0].attributes",
            ),
            (
                r#"{"user": "WD", "privileges": ["SeFooPrivilege"]}"#,
                "token.privileges[0]",
            ),
            (
                r#"{"user": "WD", "integrity": "lowish"}"#,
                "token.integrity",
            ),
            (
                r#"{"user": "WD", "groups": [{"sid": "BA", "atributes": "enabled"}]}"#,
                "token.groups[0].atributes",
            ),
            (r#"{"user": "WD", "colour": 1}"#, "token.colour"),
            (r#"{"groups": []}"#, "token.user"),
            (
                r#"{"user": "WD", "user_claims": [{"name": "x", "values": [1, "a"]}]}"#,
                "token.user_claims[0].type",
            ),
            (
                r#"{"user": "WD", "user_claims": [{"name": "x", "type": "int64", "values": [1, "a"]}]}"#,
                "token.user_claims[0].values[1]",
            ),
        ];
        for (json, path) in cases {
            let e = token(json).unwrap_err();
            assert_eq!(e.path, path, "{json}: {e}");
        }
        let e = token(r#"{"user": "WD", "groups": [{"sid": "BA", "atributes": "enabled"}]}"#)
            .unwrap_err();
        assert!(e.message.contains("unknown field `atributes`"), "{e}");
        let e = token(r#"{"user": "WD", "privileges": ["SeFooPrivilege"]}"#).unwrap_err();
        assert_eq!(
            e.to_string(),
            "token.privileges[0]: unknown privilege `SeFooPrivilege`"
        );
    }
}
