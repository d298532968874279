//! The two-letter SDDL SID aliases ("SID Strings" in the Win32 docs).
//!
//! The fixed aliases were checked against the Windows conformance vectors
//! (`O:XX` / `G:XX` records of `windows-sddl.jsonl`). Domain-relative aliases
//! take their RID from the same documentation; machine- and forest-relative
//! ones (`LA`, `LG`, `EA`, `SA`, `RO`, `EK`) resolve against the one domain SID
//! the caller supplies, as the conformance vectors do.

use super::{well_known as wk, Sid, SidError};

/// What an alias stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AliasTarget {
    /// A fixed SID.
    Fixed(Sid),
    /// The caller's domain SID plus this RID.
    DomainRid(u32),
}

/// Every alias, in the order used when printing (first match wins).
pub const ALIASES: &[(&str, AliasTarget)] = &[
    ("WD", AliasTarget::Fixed(wk::WORLD)),
    ("CO", AliasTarget::Fixed(wk::CREATOR_OWNER)),
    ("CG", AliasTarget::Fixed(wk::CREATOR_GROUP)),
    ("OW", AliasTarget::Fixed(wk::OWNER_RIGHTS)),
    ("NU", AliasTarget::Fixed(wk::NETWORK)),
    ("IU", AliasTarget::Fixed(wk::INTERACTIVE)),
    ("SU", AliasTarget::Fixed(wk::SERVICE)),
    ("AN", AliasTarget::Fixed(wk::ANONYMOUS)),
    ("ED", AliasTarget::Fixed(wk::ENTERPRISE_DOMAIN_CONTROLLERS)),
    ("PS", AliasTarget::Fixed(wk::PRINCIPAL_SELF)),
    ("AU", AliasTarget::Fixed(wk::AUTHENTICATED_USERS)),
    ("RC", AliasTarget::Fixed(wk::RESTRICTED_CODE)),
    ("SY", AliasTarget::Fixed(wk::LOCAL_SYSTEM)),
    ("LS", AliasTarget::Fixed(wk::LOCAL_SERVICE)),
    ("NS", AliasTarget::Fixed(wk::NETWORK_SERVICE)),
    ("WR", AliasTarget::Fixed(wk::WRITE_RESTRICTED_CODE)),
    ("BA", AliasTarget::Fixed(wk::BUILTIN_ADMINISTRATORS)),
    ("BU", AliasTarget::Fixed(wk::BUILTIN_USERS)),
    ("BG", AliasTarget::Fixed(wk::BUILTIN_GUESTS)),
    ("PU", AliasTarget::Fixed(wk::POWER_USERS)),
    ("AO", AliasTarget::Fixed(Sid::from_const(5, [32, 548]))),
    ("SO", AliasTarget::Fixed(Sid::from_const(5, [32, 549]))),
    ("PO", AliasTarget::Fixed(Sid::from_const(5, [32, 550]))),
    ("BO", AliasTarget::Fixed(wk::BACKUP_OPERATORS)),
    ("RE", AliasTarget::Fixed(Sid::from_const(5, [32, 552]))),
    ("RU", AliasTarget::Fixed(Sid::from_const(5, [32, 554]))),
    ("RD", AliasTarget::Fixed(Sid::from_const(5, [32, 555]))),
    ("NO", AliasTarget::Fixed(Sid::from_const(5, [32, 556]))),
    ("MU", AliasTarget::Fixed(Sid::from_const(5, [32, 558]))),
    ("LU", AliasTarget::Fixed(Sid::from_const(5, [32, 559]))),
    ("IS", AliasTarget::Fixed(Sid::from_const(5, [32, 568]))),
    ("CY", AliasTarget::Fixed(Sid::from_const(5, [32, 569]))),
    ("ER", AliasTarget::Fixed(Sid::from_const(5, [32, 573]))),
    ("CD", AliasTarget::Fixed(Sid::from_const(5, [32, 574]))),
    ("RA", AliasTarget::Fixed(Sid::from_const(5, [32, 575]))),
    ("ES", AliasTarget::Fixed(Sid::from_const(5, [32, 576]))),
    ("MS", AliasTarget::Fixed(Sid::from_const(5, [32, 577]))),
    ("HA", AliasTarget::Fixed(Sid::from_const(5, [32, 578]))),
    ("AA", AliasTarget::Fixed(Sid::from_const(5, [32, 579]))),
    ("RM", AliasTarget::Fixed(Sid::from_const(5, [32, 580]))),
    ("UD", AliasTarget::Fixed(wk::USER_MODE_DRIVERS)),
    ("AC", AliasTarget::Fixed(wk::ALL_APP_PACKAGES)),
    ("LW", AliasTarget::Fixed(wk::LOW_INTEGRITY)),
    ("ME", AliasTarget::Fixed(wk::MEDIUM_INTEGRITY)),
    ("MP", AliasTarget::Fixed(wk::MEDIUM_PLUS_INTEGRITY)),
    ("HI", AliasTarget::Fixed(wk::HIGH_INTEGRITY)),
    ("SI", AliasTarget::Fixed(wk::SYSTEM_INTEGRITY)),
    (
        "AS",
        AliasTarget::Fixed(wk::AUTHENTICATION_AUTHORITY_ASSERTED),
    ),
    ("SS", AliasTarget::Fixed(wk::SERVICE_ASSERTED)),
    ("RO", AliasTarget::DomainRid(498)),
    ("LA", AliasTarget::DomainRid(500)),
    ("LG", AliasTarget::DomainRid(501)),
    ("DA", AliasTarget::DomainRid(512)),
    ("DU", AliasTarget::DomainRid(513)),
    ("DG", AliasTarget::DomainRid(514)),
    ("DC", AliasTarget::DomainRid(515)),
    ("DD", AliasTarget::DomainRid(516)),
    ("CA", AliasTarget::DomainRid(517)),
    ("SA", AliasTarget::DomainRid(518)),
    ("EA", AliasTarget::DomainRid(519)),
    ("PA", AliasTarget::DomainRid(520)),
    ("CN", AliasTarget::DomainRid(522)),
    ("AP", AliasTarget::DomainRid(525)),
    ("KA", AliasTarget::DomainRid(526)),
    ("EK", AliasTarget::DomainRid(527)),
    ("RS", AliasTarget::DomainRid(553)),
];

/// The target of a two-letter alias, if it is one. Aliases are
/// case-sensitive, as in Windows' SDDL parser.
pub fn target(code: &str) -> Option<AliasTarget> {
    // Every alias is two letters (test `every_alias_is_two_letters`): the
    // two bytes are compared, not strings.
    let &[a, b] = code.as_bytes() else {
        return None;
    };
    ALIASES
        .iter()
        .find(|(c, _)| matches!(c.as_bytes(), &[x, y] if x == a && y == b))
        .map(|(_, t)| *t)
}

/// Resolves an alias to a SID.
pub fn resolve(code: &str, domain: Option<&Sid>) -> Result<Sid, SidError> {
    match target(code) {
        Some(AliasTarget::Fixed(sid)) => Ok(sid),
        Some(AliasTarget::DomainRid(rid)) => match domain {
            Some(d) => d.with_rid(rid),
            None => Err(SidError::AliasNeedsDomain {
                alias: code.to_string(),
            }),
        },
        None => Err(SidError::UnknownAlias {
            alias: code.to_string(),
        }),
    }
}

/// The alias Windows prints for `sid`, if any. Domain-relative aliases are
/// only used when `sid` is `domain` plus the alias's RID.
pub fn for_sid(sid: &Sid, domain: Option<&Sid>) -> Option<&'static str> {
    let in_domain = domain
        .filter(|d| sid.is_in_domain(d))
        .and_then(|_| sid.rid());
    ALIASES.iter().find_map(|(code, t)| match t {
        AliasTarget::Fixed(s) if s == sid => Some(*code),
        AliasTarget::DomainRid(rid) if in_domain == Some(*rid) => Some(*code),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use crate::ids::sid::{alias, well_known, Sid, SidError};

    /// `target` compares two bytes, so every alias must be two letters
    /// (MS-DTYP 2.5.1.1 lists only two-letter SID strings).
    #[test]
    fn every_alias_is_two_letters() {
        for (code, _) in alias::ALIASES {
            assert_eq!(code.len(), 2, "{code}");
            assert!(alias::target(code).is_some(), "{code}");
        }
    }

    #[test]
    fn aliases_resolve_and_print() {
        let domain: Sid = "S-1-5-21-1-2-3".parse().unwrap();
        assert_eq!(
            alias::resolve("DA", Some(&domain)).unwrap().to_string(),
            "S-1-5-21-1-2-3-512"
        );
        assert!(matches!(
            alias::resolve("DA", None),
            Err(SidError::AliasNeedsDomain { .. })
        ));
        assert!(matches!(
            alias::resolve("XX", None),
            Err(SidError::UnknownAlias { .. })
        ));
        let da = domain.with_rid(512).unwrap();
        assert_eq!(alias::for_sid(&da, Some(&domain)), Some("DA"));
        assert_eq!(alias::for_sid(&da, None), None);
        assert_eq!(alias::for_sid(&well_known::LOCAL_SYSTEM, None), Some("SY"));
        assert_eq!(
            Sid::parse_sddl("BA", None).unwrap(),
            well_known::BUILTIN_ADMINISTRATORS
        );
    }
}
