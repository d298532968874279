//! The Active Directory schema GUIDs that matter for access decisions, with
//! their names: extended (control access) rights, validated writes,
//! property sets and the attributes an attacker or auditor watches.
//!
//! Static data; nothing here allocates. Every GUID was checked against the
//! Microsoft page named in its entry's `source`:
//! - extended rights and property sets: the `rightsGuid` of the
//!   controlAccessRight object (MS-ADTS 5.1.3.2.1 "Control Access Rights";
//!   Microsoft Learn, Active Directory Schema, "Extended Rights" and
//!   "Property Sets", pages `r-<name>`);
//! - validated writes: MS-ADTS 5.1.3.2.2 "Validated Writes" (its GUID is
//!   the schemaIDGUID of the attribute it validates) and the `r-<name>`
//!   pages;
//! - attributes: the `schemaIdGuid` and `attributeSecurityGuid` (the
//!   property set it belongs to) of MS-ADA1/2/3.
//!
//! Deliberately absent: GUIDs a forest generates when its schema is
//! extended, so that no fixed value exists (legacy LAPS `ms-Mcs-AdmPwd`,
//! whose schemaIDGUID is created by the LAPS schema update; name such GUIDs
//! in a fixture's `guids`).

use super::guid::Guid;

/// What a schema GUID stands for, and so which access bit it goes with in
/// an object ACE (MS-ADTS 5.1.3.2).
#[derive(Clone, Copy, PartialEq, Eq, Debug, serde::Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SchemaGuidKind {
    /// A control access right, checked with `RIGHT_DS_CONTROL_ACCESS`
    /// (`CR`).
    ExtendedRight,
    /// A validated write, checked with `RIGHT_DS_WRITE_PROPERTY_EXTENDED`
    /// (`SW`).
    ValidatedWrite,
    /// A property set, the parent of its attributes in an object-type
    /// list; checked with `RP`/`WP`.
    PropertySet,
    /// An attribute (schemaIDGUID), checked with `RP`/`WP`.
    Attribute,
}

impl SchemaGuidKind {
    /// A short word for the kind.
    pub fn name(self) -> &'static str {
        match self {
            SchemaGuidKind::ExtendedRight => "extended right",
            SchemaGuidKind::ValidatedWrite => "validated write",
            SchemaGuidKind::PropertySet => "property set",
            SchemaGuidKind::Attribute => "attribute",
        }
    }
}

/// One named schema GUID.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct SchemaGuid {
    /// The schema name: the controlAccessRight's `cn` or the attribute's
    /// `lDAPDisplayName` (`User-Force-Change-Password`, `member`).
    pub name: &'static str,
    /// The display name Windows shows (`Reset Password`).
    pub display: &'static str,
    /// What it is.
    pub kind: SchemaGuidKind,
    /// The GUID.
    pub guid: Guid,
    /// For an attribute, its property set (`attributeSecurityGUID`).
    pub property_set: Option<Guid>,
    /// Where the GUID is published.
    pub source: &'static str,
}

/// A GUID from its text, at compile time; an invalid literal fails the
/// build.
const fn g(text: &str) -> Guid {
    let b = text.as_bytes();
    assert!(b.len() == 36, "GUID literal must be 36 characters");
    let mut out = [0u8; 16];
    // Byte positions of the 16 textual bytes in the string, and where each
    // lands in the wire form (the first three groups are little-endian,
    // MS-DTYP 2.3.4.2).
    const POS: [usize; 16] = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
    const WIRE: [usize; 16] = [3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15];
    let mut i = 0;
    while i < 16 {
        let (hi, lo) = (hex(b[POS[i]]), hex(b[POS[i] + 1]));
        assert!(hi < 16 && lo < 16, "not a hex digit in a GUID literal");
        out[WIRE[i]] = (hi << 4) | lo;
        i += 1;
    }
    Guid::from_bytes(out)
}

const fn hex(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        b'A'..=b'F' => c - b'A' + 10,
        _ => 0xFF,
    }
}

/// DS-Replication-Get-Changes ("Replicating Directory Changes").
pub const GET_CHANGES: Guid = g("1131f6aa-9c07-11d1-f79f-00c04fc2dcd2");
/// DS-Replication-Get-Changes-All ("Replicating Directory Changes All").
pub const GET_CHANGES_ALL: Guid = g("1131f6ad-9c07-11d1-f79f-00c04fc2dcd2");
/// DS-Replication-Get-Changes-In-Filtered-Set.
pub const GET_CHANGES_IN_FILTERED_SET: Guid = g("89e95b76-444d-4c62-991a-0facbeda640c");
/// User-Force-Change-Password ("Reset Password").
pub const FORCE_CHANGE_PASSWORD: Guid = g("00299570-246d-11d0-a768-00aa006e0529");
/// User-Change-Password ("Change Password").
pub const CHANGE_PASSWORD: Guid = g("ab721a53-1e2f-11d0-9819-00aa0040529b");
/// Self-Membership, and the `member` attribute it validates.
pub const MEMBER: Guid = g("bf9679c0-0de6-11d0-a285-00aa003049e2");
/// Validated-SPN, and the `servicePrincipalName` attribute it validates.
pub const SERVICE_PRINCIPAL_NAME: Guid = g("f3a64788-5306-11d1-a9c5-0000f80367c1");
/// Validated-DNS-Host-Name.
pub const VALIDATED_DNS_HOST_NAME: Guid = g("72e39547-7b18-11d1-adef-00c04fd8d5cd");
/// The Membership property set ("Group Membership").
pub const MEMBERSHIP: Guid = g("bc0ac240-79a9-11d0-9020-00c04fc2d4cf");
/// The Public-Information property set.
pub const PUBLIC_INFORMATION: Guid = g("e48d0154-bcf8-11d1-8702-00c04fb96050");
/// The User-Account-Restrictions property set ("Account Restrictions").
pub const ACCOUNT_RESTRICTIONS: Guid = g("4c164200-20c0-11d0-a768-00aa006e0529");
/// The attributeSecurityGUID MS-ADA2 gives msDS-KeyCredentialLink.
pub const KEY_CREDENTIAL_LINK_SET: Guid = g("9b026da6-0d3c-465c-8bee-5199d7165cba");
/// msDS-KeyCredentialLink.
pub const KEY_CREDENTIAL_LINK: Guid = g("5b47d60f-6090-40b2-9f37-2a4de88f3063");
/// msDS-AllowedToActOnBehalfOfOtherIdentity.
pub const ALLOWED_TO_ACT: Guid = g("3f78c3e5-f79a-46bd-a0b8-9d18116ddc79");
/// msDS-ManagedPassword (a gMSA's password).
pub const MANAGED_PASSWORD: Guid = g("e362ed86-b728-0842-b27d-2dea7a9df218");
/// userAccountControl.
pub const USER_ACCOUNT_CONTROL: Guid = g("bf967a68-0de6-11d0-a285-00aa003049e2");

/// The table. Where one GUID has two meanings (a validated write and the
/// attribute it validates), both entries are listed, the attribute last.
pub static SCHEMA_GUIDS: [SchemaGuid; 19] = [
    SchemaGuid {
        name: "User-Force-Change-Password",
        display: "Reset Password",
        kind: SchemaGuidKind::ExtendedRight,
        guid: FORCE_CHANGE_PASSWORD,
        property_set: None,
        source: "Microsoft Learn, Active Directory Schema, r-user-force-change-password",
    },
    SchemaGuid {
        name: "User-Change-Password",
        display: "Change Password",
        kind: SchemaGuidKind::ExtendedRight,
        guid: CHANGE_PASSWORD,
        property_set: None,
        source: "Microsoft Learn, Active Directory Schema, r-user-change-password",
    },
    SchemaGuid {
        name: "DS-Replication-Get-Changes",
        display: "Replicating Directory Changes",
        kind: SchemaGuidKind::ExtendedRight,
        guid: GET_CHANGES,
        property_set: None,
        source: "Microsoft Learn, Active Directory Schema, r-ds-replication-get-changes",
    },
    SchemaGuid {
        name: "DS-Replication-Get-Changes-All",
        display: "Replicating Directory Changes All",
        kind: SchemaGuidKind::ExtendedRight,
        guid: GET_CHANGES_ALL,
        property_set: None,
        source: "Microsoft Learn, Active Directory Schema, r-ds-replication-get-changes-all",
    },
    SchemaGuid {
        name: "DS-Replication-Get-Changes-In-Filtered-Set",
        display: "Replicating Directory Changes In Filtered Set",
        kind: SchemaGuidKind::ExtendedRight,
        guid: GET_CHANGES_IN_FILTERED_SET,
        property_set: None,
        source: "Microsoft Learn, Active Directory Schema, r-ds-replication-get-changes-in-filtered-set",
    },
    SchemaGuid {
        name: "Allowed-To-Authenticate",
        display: "Allowed to Authenticate",
        kind: SchemaGuidKind::ExtendedRight,
        guid: g("68b1d179-0d15-4d4f-ab71-46152e79a7bc"),
        property_set: None,
        source: "MS-ADTS 6.1.1.2.7.41 Allowed-To-Authenticate",
    },
    SchemaGuid {
        name: "Self-Membership",
        display: "Add/Remove self as member",
        kind: SchemaGuidKind::ValidatedWrite,
        guid: MEMBER,
        property_set: None,
        source: "Microsoft Learn, Active Directory Schema, r-self-membership",
    },
    SchemaGuid {
        name: "Validated-SPN",
        display: "Validated write to service principal name",
        kind: SchemaGuidKind::ValidatedWrite,
        guid: SERVICE_PRINCIPAL_NAME,
        property_set: None,
        source: "MS-ADTS 6.1.1.2.7.29 Validated-SPN; r-validated-spn",
    },
    SchemaGuid {
        name: "Validated-DNS-Host-Name",
        display: "Validated write to DNS host name",
        kind: SchemaGuidKind::ValidatedWrite,
        guid: VALIDATED_DNS_HOST_NAME,
        property_set: None,
        source: "MS-ADTS 6.1.1.2.7.28 Validated-DNS-Host-Name",
    },
    SchemaGuid {
        name: "Membership",
        display: "Group Membership",
        kind: SchemaGuidKind::PropertySet,
        guid: MEMBERSHIP,
        property_set: None,
        source: "Microsoft Learn, Active Directory Schema, r-membership",
    },
    SchemaGuid {
        name: "Public-Information",
        display: "Public Information",
        kind: SchemaGuidKind::PropertySet,
        guid: PUBLIC_INFORMATION,
        property_set: None,
        source: "Microsoft Learn, Active Directory Schema, r-public-information",
    },
    SchemaGuid {
        name: "User-Account-Restrictions",
        display: "Account Restrictions",
        kind: SchemaGuidKind::PropertySet,
        guid: ACCOUNT_RESTRICTIONS,
        property_set: None,
        source: "Microsoft Learn, Active Directory Schema, r-user-account-restrictions",
    },
    SchemaGuid {
        name: "Web-Information",
        display: "Web Information",
        kind: SchemaGuidKind::PropertySet,
        guid: g("e45795b3-9455-11d1-aebd-0000f80367c1"),
        property_set: None,
        source: "Microsoft Learn, Active Directory Schema, r-web-information",
    },
    SchemaGuid {
        name: "member",
        display: "Member",
        kind: SchemaGuidKind::Attribute,
        guid: MEMBER,
        property_set: Some(MEMBERSHIP),
        source: "MS-ADTS 5.1.3.2.2 (the Self-Membership GUID is member's schemaIDGUID); r-membership lists Member in the Membership set",
    },
    SchemaGuid {
        name: "servicePrincipalName",
        display: "Service-Principal-Name",
        kind: SchemaGuidKind::Attribute,
        guid: SERVICE_PRINCIPAL_NAME,
        property_set: Some(PUBLIC_INFORMATION),
        source: "MS-ADA3 2.253 servicePrincipalName",
    },
    SchemaGuid {
        name: "msDS-KeyCredentialLink",
        display: "ms-DS-Key-Credential-Link",
        kind: SchemaGuidKind::Attribute,
        guid: KEY_CREDENTIAL_LINK,
        property_set: Some(KEY_CREDENTIAL_LINK_SET),
        source: "MS-ADA2 2.358 msDS-KeyCredentialLink",
    },
    SchemaGuid {
        name: "msDS-AllowedToActOnBehalfOfOtherIdentity",
        display: "ms-DS-Allowed-To-Act-On-Behalf-Of-Other-Identity",
        kind: SchemaGuidKind::Attribute,
        guid: ALLOWED_TO_ACT,
        property_set: Some(ACCOUNT_RESTRICTIONS),
        source: "MS-ADA2 2.218 msDS-AllowedToActOnBehalfOfOtherIdentity",
    },
    SchemaGuid {
        name: "msDS-ManagedPassword",
        display: "ms-DS-ManagedPassword",
        kind: SchemaGuidKind::Attribute,
        guid: MANAGED_PASSWORD,
        property_set: None,
        source: "MS-ADA2 2.379 msDS-ManagedPassword",
    },
    SchemaGuid {
        name: "userAccountControl",
        display: "User-Account-Control",
        kind: SchemaGuidKind::Attribute,
        guid: USER_ACCOUNT_CONTROL,
        property_set: Some(ACCOUNT_RESTRICTIONS),
        source: "MS-ADA3 2.342 userAccountControl",
    },
];

/// Every entry for `guid` (a validated write and its attribute share one).
pub fn schema_entries(guid: &Guid) -> impl Iterator<Item = &'static SchemaGuid> + '_ {
    SCHEMA_GUIDS.iter().filter(move |e| e.guid == *guid)
}

/// The name to print for `guid`: its entries' names joined by `/`
/// (`Self-Membership/member`), `None` when the table does not know it.
pub fn schema_guid_name(guid: &Guid) -> Option<&'static str> {
    // Names of shared GUIDs are spelled out here so that no allocation is
    // needed.
    if *guid == MEMBER {
        return Some("Self-Membership/member");
    }
    if *guid == SERVICE_PRINCIPAL_NAME {
        return Some("Validated-SPN/servicePrincipalName");
    }
    schema_entries(guid).next().map(|e| e.name)
}

/// The entry of `name` (schema name, case-insensitive).
pub fn schema_guid_by_name(name: &str) -> Option<&'static SchemaGuid> {
    SCHEMA_GUIDS
        .iter()
        .find(|e| e.name.eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The compile-time parser agrees with the runtime one (MS-DTYP
    /// 2.3.4.3 text form, 2.3.4.2 wire form) on a GUID whose groups are
    /// all distinct.
    #[test]
    fn const_guid_parser_matches_from_str() {
        let text = "00299570-246d-11d0-a768-00aa006e0529";
        let parsed: Guid = text.parse().unwrap();
        assert_eq!(g(text), parsed);
        assert_eq!(FORCE_CHANGE_PASSWORD.to_string(), text);
    }

    /// The published GUIDs, as text, from the pages cited in the table
    /// (MS-ADTS 5.1.3.2.1/5.1.3.2.2, MS-ADA2/3, Microsoft Learn schema
    /// pages).
    #[test]
    fn published_guids_print_as_cited() {
        let cases = [
            (
                "DS-Replication-Get-Changes",
                "1131f6aa-9c07-11d1-f79f-00c04fc2dcd2",
            ),
            (
                "DS-Replication-Get-Changes-All",
                "1131f6ad-9c07-11d1-f79f-00c04fc2dcd2",
            ),
            ("Self-Membership", "bf9679c0-0de6-11d0-a285-00aa003049e2"),
            (
                "msDS-KeyCredentialLink",
                "5b47d60f-6090-40b2-9f37-2a4de88f3063",
            ),
            (
                "msDS-ManagedPassword",
                "e362ed86-b728-0842-b27d-2dea7a9df218",
            ),
        ];
        for (name, text) in cases {
            let e = schema_guid_by_name(name).unwrap();
            assert_eq!(e.guid.to_string(), text, "{name}");
        }
    }

    /// MS-ADTS 5.1.3.2.2: a validated write's GUID is the schemaIDGUID of
    /// the attribute it validates, so Self-Membership and member share one
    /// and the printed name says both.
    #[test]
    fn validated_write_shares_its_attribute_guid() {
        let kinds: Vec<_> = schema_entries(&MEMBER).map(|e| e.kind).collect();
        assert_eq!(
            kinds,
            [SchemaGuidKind::ValidatedWrite, SchemaGuidKind::Attribute]
        );
        assert_eq!(schema_guid_name(&MEMBER), Some("Self-Membership/member"));
        assert_eq!(schema_guid_name(&Guid::NIL), None);
    }

    /// Every attribute's property set is itself a GUID MS-ADA gives as its
    /// attributeSecurityGUID; the named ones are in the table as property
    /// sets.
    #[test]
    fn attribute_property_sets_are_property_sets() {
        for e in SCHEMA_GUIDS.iter().filter(|e| e.property_set.is_some()) {
            let set = e.property_set.unwrap();
            if set == KEY_CREDENTIAL_LINK_SET {
                continue;
            }
            assert!(
                schema_entries(&set).any(|s| s.kind == SchemaGuidKind::PropertySet),
                "{}",
                e.name
            );
        }
    }
}
