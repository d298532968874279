//! Properties of the access check, over generated tokens, descriptors and
//! requests drawn from a small universe of SIDs so that ACEs often match.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::cases;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::test_runner::TestRunner;
use secctx::compiled::{self, NoTrace};
use secctx::condition::ExprToken;
use secctx::well_known as wk;
use secctx::{
    access_check, compiled::SidTable, reference, AccessDecision, AccessMask, AccessRequest, Ace,
    AceFlags, AceType, Acl, Expression, GroupAttributes, Guid, IntegrityLevel, MandatoryPolicy,
    ObjectKind, ObjectTypeNode, Privilege, SecurityDescriptor, Sid, Token, TokenGroup,
    TokenPrivilege,
};
use secctx::{ClaimAttribute, ClaimValues};
use std::cell::RefCell;

fn s(text: &str) -> Sid {
    Sid::parse_sddl(text, None).unwrap()
}

const USER1: &str = "S-1-5-21-7-7-7-1001";
const USER2: &str = "S-1-5-21-7-7-7-1002";
const PACKAGE: &str = "S-1-15-2-1-1-1-1-1-1-1";
const CAPABILITY: &str = "S-1-15-3-1";

/// SIDs tokens hold as groups.
fn group_sids() -> Vec<Sid> {
    vec![
        s("WD"),
        s("BA"),
        s("BU"),
        s("AU"),
        s("SY"),
        s(USER2),
        s("IU"),
    ]
}

/// SIDs ACEs name: mostly the groups and the first user, sometimes the
/// special SIDs (OWNER RIGHTS, PRINCIPAL SELF, CREATOR OWNER) and the
/// AppContainer ones.
fn ace_sid() -> impl Strategy<Value = Sid> {
    let mut common = group_sids();
    common.push(s(USER1));
    let special = vec![
        wk::OWNER_RIGHTS,
        wk::PRINCIPAL_SELF,
        wk::CREATOR_OWNER,
        s(PACKAGE),
        s(CAPABILITY),
        wk::ALL_APP_PACKAGES,
    ];
    prop_oneof![4 => prop::sample::select(common), 1 => prop::sample::select(special)]
}

fn guids() -> Vec<Guid> {
    (1..=5u8)
        .map(|i| {
            format!("{i:08x}-1111-2222-3333-444455556666")
                .parse()
                .unwrap()
        })
        .collect()
}

/// A valid object-type tree over [`guids`]: 0 ├ 1 │ ├ 2 │ └ 3 └ 4.
fn object_tree() -> Vec<ObjectTypeNode> {
    guids()
        .into_iter()
        .zip([0u16, 1, 2, 2, 1])
        .map(|(guid, level)| ObjectTypeNode { level, guid })
        .collect()
}

/// The rights the generated masks use: six specific bits, DELETE,
/// READ_CONTROL, WRITE_DAC, WRITE_OWNER and SYNCHRONIZE.
const BITS: [u32; 11] = [
    0x1, 0x2, 0x4, 0x8, 0x10, 0x20, 0x1_0000, 0x2_0000, 0x4_0000, 0x8_0000, 0x10_0000,
];

/// The bits of [`BITS`] picked by the set bits of `pick`.
fn bits_of(pick: u16) -> u32 {
    BITS.iter()
        .enumerate()
        .filter(|(i, _)| pick & (1 << i) != 0)
        .map(|(_, b)| b)
        .sum()
}

/// ACE masks: each right with probability 1/2, sometimes a full or odd
/// mask (generic, ACCESS_SYSTEM_SECURITY, MAXIMUM_ALLOWED, reserved bits).
fn ace_mask() -> impl Strategy<Value = u32> {
    prop_oneof![
        8 => any::<u16>().prop_map(bits_of),
        1 => Just(0x001F_01FF),
        1 => prop::sample::select(vec![0x1000_0000u32, 0x0100_0000, 0x0200_0000, 0x0080_0000]).prop_map(|b| b | 0x3),
    ]
}

/// Claim names: a few, in several cases, some non-ASCII (`Étage` against
/// `étage` must match, MS-DTYP 2.4.4.17.6), and some that Windows' upper-case
/// table does not fold although Rust's would (`straße`/`STRASSE`, `ⳬ`/`Ⳬ`),
/// so that conditions often find the claims tokens hold.
const CLAIM_NAMES: [&str; 13] = [
    "Dept", "dept", "DEPT", "Level", "Étage", "étage", "ÉTAGE", "Secret", "Ünï", "straße",
    "STRASSE", "ⳬ", "Ⳬ",
];

/// String claim values and literals, differing in case and beyond ASCII:
/// characters Windows does not upper-case (ß, ⳬ), fullwidth letters, and
/// characters outside the BMP (which compare by their surrogates).
const CLAIM_STRINGS: [&str; 14] = [
    "Sales",
    "sales",
    "HR",
    "3",
    "Étage",
    "étage",
    "ß",
    "SS",
    "ẞ",
    "ⳬ",
    "Ⳬ",
    "ｓａｌｅｓ",
    "𐐨",
    "\u{F900}",
];

/// Claim flags: case-sensitive (0x2), deny-only (0x4) and disabled (0x10),
/// each with probability about 1/3, and now and then the flags that change
/// nothing in a check (non-inheritable, disabled-by-default, mandatory).
fn claim_flags() -> impl Strategy<Value = u32> {
    (
        prop::bool::weighted(0.3),
        prop::bool::weighted(0.3),
        prop::bool::weighted(0.3),
        prop::sample::select(vec![0u32, 0, 0, 0x1, 0x8, 0x20]),
    )
        .prop_map(|(cs, deny_only, disabled, other)| {
            other
                | if cs { 0x2 } else { 0 }
                | if deny_only { 0x4 } else { 0 }
                | if disabled { 0x10 } else { 0 }
        })
}

/// A claim over [`CLAIM_NAMES`] (mostly the `Dept`, `Level` and `Étage`
/// ones the fixed conditions test) with random flags and zero to three
/// values of any claim type: multi-valued, empty, and now and then with a
/// repeated value (which Windows treats as absent).
fn token_claim() -> impl Strategy<Value = ClaimAttribute> {
    let strings = prop::sample::select(CLAIM_STRINGS.to_vec()).prop_map(String::from);
    let values = prop_oneof![
        3 => vec(strings, 0..4).prop_map(ClaimValues::String),
        3 => vec(0i64..5, 0..4).prop_map(ClaimValues::Int64),
        1 => vec(0u64..5, 0..3).prop_map(ClaimValues::Uint64),
        1 => vec(any::<bool>(), 0..3).prop_map(ClaimValues::Boolean),
        1 => vec(prop::sample::select(group_sids()), 0..3).prop_map(ClaimValues::Sid),
        1 => vec(vec(0u8..3, 0..2), 0..3).prop_map(ClaimValues::OctetString),
    ];
    (
        prop_oneof![
            2 => prop::sample::select(vec!["Dept", "dept", "DEPT", "Level", "Étage", "étage"]),
            1 => prop::sample::select(CLAIM_NAMES.to_vec()),
        ],
        claim_flags(),
        values,
    )
        .prop_map(|(name, flags, values)| ClaimAttribute {
            name: name.into(),
            flags,
            values,
        })
}

/// Rewrites a token of a random expression onto the small universe: names
/// from [`CLAIM_NAMES`], SIDs from [`group_sids`], strings from
/// [`CLAIM_STRINGS`], integers within 0..6, picking by `seed` and position.
fn narrow(t: ExprToken, seed: &[usize], i: &mut usize) -> ExprToken {
    *i += 1;
    let k = seed[*i % seed.len()];
    match t {
        ExprToken::Attr(class, _) => {
            ExprToken::Attr(class, CLAIM_NAMES[k % CLAIM_NAMES.len()].into())
        }
        ExprToken::Sid(_) => {
            let sids = group_sids();
            ExprToken::Sid(sids[k % sids.len()])
        }
        ExprToken::String(_) => ExprToken::String(CLAIM_STRINGS[k % CLAIM_STRINGS.len()].into()),
        ExprToken::Int { value, .. } if k % 4 != 0 => ExprToken::int(value.rem_euclid(6)),
        ExprToken::Composite(items) => {
            ExprToken::Composite(items.into_iter().map(|x| narrow(x, seed, i)).collect())
        }
        other => other,
    }
}

/// Conditions: random expressions from the shared expression strategy,
/// narrowed onto the claims and SIDs tokens hold, and fixed ones that
/// often find a claim.
fn condition() -> impl Strategy<Value = Vec<u8>> {
    let random = (common::expression(), vec(0usize..64, 8)).prop_filter_map(
        "expression does not encode",
        |(e, seed)| {
            let mut i = 0;
            let tokens = e
                .tokens
                .into_iter()
                .map(|t| narrow(t, &seed, &mut i))
                .collect();
            Expression { tokens }.encode().ok()
        },
    );
    prop_oneof![3 => random, 2 => fixed_condition()]
}

fn fixed_condition() -> impl Strategy<Value = Vec<u8>> {
    prop::sample::select(vec![
        "(@User.Dept == \"Sales\")",
        "(@User.Level >= 3)",
        "(@User.Missing == 1)",
        "(Member_of {SID(BA)})",
        "(Not_Member_of {SID(BU)})",
        "(Device_Member_of_Any {SID(WD), SID(BA)})",
        "((@User.Dept == \"HR\") || (@Resource.Secret == 0))",
        "(@User.Level > \"x\")",
        "(Exists @Resource.Secret)",
        "(@User.dept == \"sales\")",
        "(@User.Étage Any_of {\"étage\", \"3\"})",
        "(@User.LEVEL != 0)",
        "(@Device.Dept Contains \"HR\")",
        "(Dept == \"Sales\")",
        "(@User.Secret)",
        "(@User.Dept != {\"Sales\", \"HR\"})",
        "(@User.Dept == {\"sales\"})",
        "(@User.Dept Contains {})",
        "(@User.Dept Not_Any_of {})",
        "(@User.Dept Any_of \"Sales\")",
        "(@User.Dept Any_of @Device.Dept)",
        "(@User.Level || !(@User.Secret))",
        "(!(@User.Secret) || @User.Level)",
        "(@User.Dept < \"ẞ\")",
        "(@User.straße == \"SS\")",
        "(@User.Étage >= @User.Dept)",
        "(@User.Level == 1)",
        "(@User.Secret == @Device.Secret)",
    ])
    .prop_map(|t| Expression::from_sddl(t, None).unwrap().encode().unwrap())
}

fn dacl_ace() -> impl Strategy<Value = Ace> {
    let types = prop::sample::select(vec![
        AceType::AccessAllowed,
        AceType::AccessAllowed,
        AceType::AccessAllowed,
        AceType::AccessDenied,
        AceType::AccessDenied,
        AceType::AccessAllowedObject,
        AceType::AccessDeniedObject,
        AceType::AccessAllowedCallback,
        AceType::AccessDeniedCallback,
        AceType::SystemAudit,
    ]);
    let flags = prop::sample::select(vec![0u8, 0, 0, 0x08, 0x03, 0x0B, 0x10]);
    (
        types,
        flags,
        ace_mask(),
        ace_sid(),
        prop::option::of(prop::sample::select(guids())),
        condition(),
    )
        .prop_map(|(t, f, m, sid, g, cond)| {
            let mut a = Ace::new(t, AceFlags(f), AccessMask(m), sid);
            if t.is_object() {
                a.object_type = g;
            }
            if t.is_callback() {
                a.application_data = cond;
            }
            a
        })
}

fn sacl_ace() -> impl Strategy<Value = Ace> {
    let label = (
        prop::sample::select(vec![0x1000u32, 0x2000, 0x3000, 0x4000]),
        1u32..8,
        prop::sample::select(vec![0u8, 0x08]),
    )
        .prop_map(|(rid, policy, f)| {
            Ace::new(
                AceType::SystemMandatoryLabel,
                AceFlags(f),
                AccessMask(policy),
                Sid::new(16, &[rid]).unwrap(),
            )
        });
    let audit = (
        prop::sample::select(vec![0x40u8, 0x80, 0xC0, 0xC8]),
        ace_mask(),
        ace_sid(),
        prop::option::of(prop::sample::select(guids())),
        prop::sample::select(vec![AceType::SystemAudit, AceType::SystemAuditObject]),
    )
        .prop_map(|(f, m, sid, g, t)| {
            let mut a = Ace::new(t, AceFlags(f), AccessMask(m), sid);
            if t.is_object() {
                a.object_type = g;
            }
            a
        });
    // Resource attributes apply whatever their ACE flags (MS-DTYP
    // 2.4.4.15), inherit-only included.
    // A resource attribute ACE carries at least one value (MS-DTYP
    // 2.4.10.1).
    let resource = (
        token_claim().prop_filter("a resource attribute has a value", |c| !c.values.is_empty()),
        prop::sample::select(vec![0u8, 0, 0x08, 0x03]),
    )
        .prop_map(|(c, f)| {
            let mut a = Ace::new(
                AceType::SystemResourceAttribute,
                AceFlags(f),
                AccessMask(0),
                wk::WORLD,
            );
            a.application_data = c.encode_relative().unwrap();
            a
        });
    let trust = (ace_mask(), prop::sample::select(vec![1024u32, 8192])).prop_map(|(m, l)| {
        Ace::new(
            AceType::SystemProcessTrustLabel,
            AceFlags(0),
            AccessMask(m),
            Sid::new(19, &[512, l]).unwrap(),
        )
    });
    let filter = (ace_mask(), condition()).prop_map(|(m, c)| {
        let mut a = Ace::new(
            AceType::SystemAccessFilter,
            AceFlags(0),
            AccessMask(m),
            wk::WORLD,
        );
        a.application_data = c;
        a
    });
    prop_oneof![3 => label, 3 => audit, 1 => resource, 1 => trust, 1 => filter]
}

fn descriptor() -> impl Strategy<Value = SecurityDescriptor> {
    let dacl = prop_oneof![
        1 => Just(None),
        1 => Just(Some(None)),
        8 => vec(dacl_ace(), 0..10).prop_map(|a| Some(Some(a))),
    ];
    (ace_sid(), dacl, prop::option::of(vec(sacl_ace(), 0..4))).prop_map(|(owner, dacl, sacl)| {
        let mut sd = SecurityDescriptor::new();
        sd.owner = Some(owner);
        sd.group = Some(wk::LOCAL_SYSTEM);
        match dacl {
            None => {}
            Some(None) => sd.set_null_dacl(),
            Some(Some(aces)) => sd.set_dacl(Acl::new(aces)),
        }
        if let Some(aces) = sacl {
            sd.set_sacl(Acl::new(aces));
        }
        sd
    })
}

/// Descriptors that `decide`'s short path takes: plain allow and deny ACEs
/// (some inherit-only), and at most a mandatory label in the SACL.
fn plain_descriptor() -> impl Strategy<Value = SecurityDescriptor> {
    let ace = (
        prop::sample::select(vec![AceType::AccessAllowed, AceType::AccessDenied]),
        prop::sample::select(vec![0u8, 0, 0, 0x08, 0x03, 0x10]),
        ace_mask(),
        ace_sid(),
    )
        .prop_map(|(t, f, m, sid)| Ace::new(t, AceFlags(f), AccessMask(m), sid));
    let label = prop::option::of(prop::sample::select(vec![
        IntegrityLevel::LOW,
        IntegrityLevel::MEDIUM,
        IntegrityLevel::HIGH,
        IntegrityLevel::SYSTEM,
    ]));
    (ace_sid(), vec(ace, 0..12), label).prop_map(|(owner, aces, label)| {
        let mut sd = SecurityDescriptor::new();
        sd.owner = Some(owner);
        sd.group = Some(wk::LOCAL_SYSTEM);
        sd.set_dacl(Acl::new(aces));
        if let Some(level) = label {
            sd.set_sacl(Acl::new(vec![Ace::new(
                AceType::SystemMandatoryLabel,
                AceFlags(0),
                AccessMask(1),
                level.sid(),
            )]));
        }
        sd
    })
}

fn attributes() -> impl Strategy<Value = GroupAttributes> {
    prop::sample::select(vec![
        GroupAttributes::DEFAULT,
        GroupAttributes::DEFAULT,
        GroupAttributes::DEFAULT.with(GroupAttributes::OWNER),
        GroupAttributes::USE_FOR_DENY_ONLY,
        GroupAttributes::MANDATORY,
    ])
}

fn token() -> impl Strategy<Value = Token> {
    let privileges = vec(
        (
            prop::sample::select(vec![
                Privilege::Security,
                Privilege::TakeOwnership,
                Privilege::Relabel,
                Privilege::Backup,
                Privilege::Restore,
            ]),
            any::<bool>(),
        ),
        0..3,
    );
    (
        (
            prop::sample::select(vec![USER1, USER2]),
            prop::bool::weighted(0.1),
            vec((prop::sample::select(group_sids()), attributes()), 1..6),
            privileges,
            prop::sample::select(vec![
                IntegrityLevel::LOW,
                IntegrityLevel::MEDIUM,
                IntegrityLevel::MEDIUM,
                IntegrityLevel::HIGH,
            ]),
            prop::sample::select(vec![
                MandatoryPolicy::VALID_MASK,
                MandatoryPolicy::NO_WRITE_UP,
                MandatoryPolicy::OFF,
            ]),
        ),
        (
            prop::option::weighted(0.25, vec(prop::sample::select(group_sids()), 0..3)),
            any::<bool>(),
            prop::bool::weighted(0.1),
            prop::sample::select(vec!["Sales", "HR"]),
            0i64..5,
            vec(prop::sample::select(group_sids()), 0..2),
            prop::option::of(prop::sample::select(vec![1024u32, 8192])),
        ),
        (
            vec(token_claim(), 0..4),
            vec(token_claim(), 0..2),
            vec(token_claim(), 0..2),
            vec((prop::sample::select(group_sids()), attributes()), 0..2),
        ),
    )
        .prop_map(
            |(
                (user, deny_only_user, groups, privs, il, policy),
                (restricted, wr, ac, dept, level, device, trust),
                (user_claims, device_claims, local_claims, device_attr),
            )| {
                let mut t = Token::new(s(user));
                if deny_only_user {
                    t.user.attributes = GroupAttributes::USE_FOR_DENY_ONLY;
                }
                t.groups = groups
                    .into_iter()
                    .map(|(sid, a)| TokenGroup::with_attributes(sid, a))
                    .collect();
                t.privileges = privs
                    .into_iter()
                    .map(|(p, on)| TokenPrivilege {
                        privilege: p,
                        enabled: on,
                        enabled_by_default: on,
                    })
                    .collect();
                t.integrity = il;
                t.mandatory_policy = policy;
                if let Some(r) = restricted {
                    t.restricted_sids = r.into_iter().map(TokenGroup::new).collect();
                    t.write_restricted = wr;
                }
                if ac {
                    t.app_container = Some(s(PACKAGE));
                    t.capabilities.push(TokenGroup::new(s(CAPABILITY)));
                    t.integrity = IntegrityLevel::LOW;
                }
                t.user_claims = vec![
                    ClaimAttribute {
                        name: "Dept".into(),
                        flags: 0,
                        values: ClaimValues::String(vec![dept.into()]),
                    },
                    ClaimAttribute {
                        name: "Level".into(),
                        flags: 0,
                        values: ClaimValues::Int64(vec![level]),
                    },
                ];
                t.user_claims.extend(user_claims);
                t.device_claims = device_claims;
                t.local_claims = local_claims;
                t.device_groups = device.into_iter().map(TokenGroup::new).collect();
                t.device_groups.extend(
                    device_attr
                        .into_iter()
                        .map(|(sid, a)| TokenGroup::with_attributes(sid, a)),
                );
                t.trust_level = trust.map(|l| Sid::new(19, &[512, l]).unwrap());
                t
            },
        )
}

/// DACLs for object-type checks: object ACEs for the tree's GUIDs and
/// plain ACEs, all for Everyone, so that propagation up and down the tree
/// is exercised.
fn tree_dacl() -> impl Strategy<Value = SecurityDescriptor> {
    let ace = (
        prop::sample::select(vec![
            AceType::AccessAllowedObject,
            AceType::AccessAllowedObject,
            AceType::AccessAllowedObject,
            AceType::AccessDeniedObject,
            AceType::AccessAllowed,
            AceType::AccessDenied,
        ]),
        prop::option::weighted(0.85, prop::sample::select(guids())),
        prop::sample::select(vec![0x1u32, 0x2, 0x3, 0x4, 0x7]),
    )
        .prop_map(|(t, g, m)| {
            let mut a = Ace::new(t, AceFlags(0), AccessMask(m), wk::WORLD);
            if t.is_object() {
                a.object_type = g;
            }
            a
        });
    vec(ace, 0..8).prop_map(|aces| {
        let mut sd = SecurityDescriptor::new();
        sd.owner = Some(wk::LOCAL_SYSTEM);
        sd.group = Some(wk::LOCAL_SYSTEM);
        sd.set_dacl(Acl::new(aces));
        sd
    })
}

#[derive(Clone, Debug)]
struct Req {
    desired: u32,
    mapped: bool,
    self_sid: Option<Sid>,
    tree: bool,
    result_list: bool,
    backup: bool,
}

impl Req {
    fn request<'a>(&self, tree: &'a [ObjectTypeNode]) -> AccessRequest<'a> {
        let mut r = AccessRequest::new(AccessMask(self.desired));
        if self.mapped {
            r = r.for_kind(ObjectKind::File);
        }
        r.self_sid = self.self_sid;
        r.backup_intent = self.backup;
        if self.tree {
            r = r.with_object_types(tree, self.result_list);
        }
        r
    }
}

fn request() -> impl Strategy<Value = Req> {
    // Desired: each right with probability 1/4, sometimes with
    // MAXIMUM_ALLOWED, sometimes generic or ACCESS_SYSTEM_SECURITY.
    let sparse =
        (any::<u16>(), any::<u16>(), any::<u16>(), 0..BITS.len()).prop_map(|(a, b, c, one)| {
            let d = bits_of(a & b & c);
            if d == 0 {
                BITS[one]
            } else {
                d
            }
        });
    let desired = prop_oneof![
        6 => sparse.clone(),
        2 => sparse.prop_map(|d| d | 0x0200_0000),
        1 => prop::sample::select(vec![0x8000_0000u32, 0x4000_0000, 0x1000_0000, 0x0100_0000, 0x0100_0001]),
    ];
    (
        desired,
        prop::bool::weighted(0.95),
        prop::option::of(prop::sample::select(vec![s(USER1), s("BA"), s("WD")])),
        prop::bool::weighted(0.25),
        any::<bool>(),
        prop::bool::weighted(0.2),
    )
        .prop_map(
            |(desired, mapped, self_sid, tree, result_list, backup)| Req {
                desired,
                mapped,
                self_sid,
                tree,
                result_list,
                backup,
            },
        )
}

/// The access as a comparable value: 0 unless granted, plus per-node grants.
fn access_of(d: &AccessDecision) -> (u32, Vec<u32>) {
    (d.granted.0, d.results.iter().map(|r| r.granted.0).collect())
}

fn within(a: &(u32, Vec<u32>), b: &(u32, Vec<u32>)) -> bool {
    a.0 & !b.0 == 0 && a.1.iter().zip(&b.1).all(|(x, y)| x & !y == 0)
}

/// Which privilege path a generated check is steered onto, so that each
/// makes up a fair share of the cases (MS-DTYP 2.5.3.2 and
/// IopCheckBackupRestorePrivilege).
#[derive(Clone, Copy, Debug)]
enum PrivPath {
    /// No privilege added.
    None,
    /// SeBackupPrivilege with backup intent, asking for a right it grants.
    Backup,
    /// SeRestorePrivilege with backup intent, asking for a right it grants.
    Restore,
    /// SeSecurityPrivilege, asking for ACCESS_SYSTEM_SECURITY.
    Security,
    /// SeTakeOwnershipPrivilege, asking for WRITE_OWNER.
    TakeOwnership,
    /// SeRelabelPrivilege, asking for WRITE_OWNER.
    Relabel,
}

impl PrivPath {
    /// Enables the path's privilege on `t` and asks for what it grants.
    fn apply(self, t: &mut Token, r: &mut Req, pick: u32) {
        let (p, bits) = match self {
            PrivPath::None => return,
            PrivPath::Backup => (
                Privilege::Backup,
                [0x20u32, 0x1, 0x8, 0x2_0000][pick as usize % 4],
            ),
            PrivPath::Restore => (
                Privilege::Restore,
                [0x2u32, 0x4, 0x1_0000, 0x4_0000][pick as usize % 4],
            ),
            PrivPath::Security => (Privilege::Security, AccessMask::ACCESS_SYSTEM_SECURITY.0),
            PrivPath::TakeOwnership => (Privilege::TakeOwnership, AccessMask::WRITE_OWNER.0),
            PrivPath::Relabel => (Privilege::Relabel, AccessMask::WRITE_OWNER.0),
        };
        t.privileges.push(TokenPrivilege {
            privilege: p,
            enabled: true,
            enabled_by_default: true,
        });
        r.backup |= matches!(self, PrivPath::Backup | PrivPath::Restore);
        r.mapped = true;
        if pick % 5 == 0 {
            r.desired = bits;
        } else {
            r.desired |= bits;
        }
    }
}

fn priv_path() -> impl Strategy<Value = (PrivPath, u32)> {
    (
        prop::sample::select(vec![
            PrivPath::None,
            PrivPath::None,
            PrivPath::None,
            PrivPath::None,
            PrivPath::Backup,
            PrivPath::Restore,
            PrivPath::Security,
            PrivPath::TakeOwnership,
            PrivPath::Relabel,
        ]),
        any::<u32>(),
    )
}

/// Descriptors for the cross-check: the general and plain ones; nine
/// times in twenty a final allow for Everyone over some of the rights, so that
/// grants make up a fair share beside denials; and two times in five an
/// audit ACE for Everyone on success and failure, so that audits do too.
fn weighted_descriptor() -> impl Strategy<Value = SecurityDescriptor> {
    (
        prop_oneof![plain_descriptor(), descriptor()],
        prop::option::weighted(0.45, ace_mask()),
        prop::option::weighted(0.4, ace_mask()),
    )
        .prop_map(|(mut sd, grant, audit)| {
            if let (Some(m), Some(acl)) = (grant, sd.dacl.as_mut()) {
                acl.aces.push(Ace::new(
                    AceType::AccessAllowed,
                    AceFlags(0),
                    AccessMask(m | 0x001F_003F),
                    wk::WORLD,
                ));
                acl.normalize();
            }
            if let Some(m) = audit {
                let mut acl = sd.sacl.clone().unwrap_or_else(Acl::empty);
                acl.aces.push(Ace::new(
                    AceType::SystemAudit,
                    AceFlags(0xC0),
                    AccessMask(m | 0x3F),
                    wk::WORLD,
                ));
                acl.normalize();
                sd.set_sacl(acl);
            }
            sd
        })
}

/// The mix of generated checks: how many of each outcome and path.
#[derive(Default, Debug)]
struct Mix {
    cases: u32,
    granted: u32,
    denied: u32,
    privilege_not_held: u32,
    errors: u32,
    audited: u32,
    conditional: u32,
    flagged_claims: u32,
    used: [u32; 5],
}

const PATH_PRIVILEGES: [Privilege; 5] = [
    Privilege::Backup,
    Privilege::Restore,
    Privilege::Security,
    Privilege::TakeOwnership,
    Privilege::Relabel,
];

impl Mix {
    fn record(
        &mut self,
        t: &Token,
        sd: &SecurityDescriptor,
        d: &Result<AccessDecision, secctx::AccessError>,
    ) {
        self.cases += 1;
        let aces = sd
            .dacl
            .iter()
            .chain(sd.sacl.iter())
            .flat_map(|a| a.aces.iter());
        if aces
            .clone()
            .any(|a| a.ace_type.is_callback() || a.ace_type == AceType::SystemAccessFilter)
        {
            self.conditional += 1;
        }
        let claims = t
            .user_claims
            .iter()
            .chain(&t.device_claims)
            .chain(&t.local_claims);
        if claims.clone().any(|c| c.flags & 0x16 != 0) {
            self.flagged_claims += 1;
        }
        let Ok(d) = d else {
            self.errors += 1;
            return;
        };
        match d.status {
            secctx::NtStatus::Success => self.granted += 1,
            secctx::NtStatus::PrivilegeNotHeld => self.privilege_not_held += 1,
            _ => self.denied += 1,
        }
        if !d.audit.is_empty() {
            self.audited += 1;
        }
        for (n, p) in self.used.iter_mut().zip(PATH_PRIVILEGES) {
            if d.privileges_used.contains(p) {
                *n += 1;
            }
        }
    }

    fn report(&self) -> String {
        let pct = |n: u32| 100.0 * f64::from(n) / f64::from(self.cases.max(1));
        let mut out = format!(
            "{} checks: granted {:.1}%, denied {:.1}%, privilege not held {:.1}%, errors {:.1}%, audited {:.1}%, with conditions {:.1}%, with flagged claims {:.1}%; privileges used:",
            self.cases,
            pct(self.granted),
            pct(self.denied),
            pct(self.privilege_not_held),
            pct(self.errors),
            pct(self.audited),
            pct(self.conditional),
            pct(self.flagged_claims),
        );
        for (n, p) in self.used.iter().zip(PATH_PRIVILEGES) {
            out.push_str(&format!(" {p:?} {:.1}%", pct(*n)));
        }
        out
    }
}

/// The fast evaluator and the naive reference evaluator give identical
/// decisions (status, grants, per-node results, privileges used and audit
/// events) on every generated case; and the generated mix is fair: grants,
/// denials, audits, conditions, flagged claims and each privilege path each
/// make up at least 3% of the cases. The mix is printed (see it with
/// `--nocapture`).
#[test]
fn fast_evaluator_equals_reference() {
    let mix = RefCell::new(Mix::default());
    let config = ProptestConfig {
        failure_persistence: None,
        ..cases(2048)
    };
    let mut runner = TestRunner::new(config);
    let strategy = (token(), weighted_descriptor(), request(), priv_path());
    let result = runner.run(&strategy, |(mut t, sd, mut r, (path, pick))| {
        path.apply(&mut t, &mut r, pick);
        let tree = object_tree();
        let req = r.request(&tree);
        let fast = access_check(&t, &sd, &req);
        let slow = reference::naive_access_check(&t, &sd, &req);
        mix.borrow_mut().record(&t, &sd, &fast);
        match (fast, slow) {
            (Ok(a), Ok(b)) => prop_assert_eq!(a, b),
            (Err(a), Err(b)) => prop_assert_eq!(a.status(), b.status()),
            (a, b) => prop_assert!(false, "fast {:?} vs reference {:?}", a, b),
        }
        Ok(())
    });
    let mix = mix.into_inner();
    println!("fast_evaluator_equals_reference mix: {}", mix.report());
    if let Err(e) = result {
        panic!("{e}");
    }
    let fair = mix.cases * 3 / 100;
    let shares = [
        ("granted", mix.granted),
        ("denied", mix.denied),
        ("audited", mix.audited),
        ("conditional", mix.conditional),
        ("flagged claims", mix.flagged_claims),
    ];
    for (what, n) in shares {
        assert!(n >= fair, "{what}: {n} of {} cases, below 3%", mix.cases);
    }
    for (n, p) in mix.used.iter().zip(PATH_PRIVILEGES) {
        assert!(
            *n >= fair,
            "{p:?} used in {n} of {} cases, below 3%",
            mix.cases
        );
    }
}

/// A claim for the claim-semantics property: strings (some beyond ASCII
/// and the BMP), integers or booleans, zero to three values (so empty,
/// single, multi-valued and now and then repeated), case-sensitive or not.
fn semantic_claim(name: &'static str) -> impl Strategy<Value = ClaimAttribute> {
    let strings = prop::sample::select(CLAIM_STRINGS.to_vec()).prop_map(String::from);
    let values = prop_oneof![
        4 => vec(strings, 0..4).prop_map(ClaimValues::String),
        2 => vec(0i64..3, 0..4).prop_map(ClaimValues::Int64),
        1 => vec(any::<bool>(), 0..3).prop_map(ClaimValues::Boolean),
    ];
    (values, any::<bool>()).prop_map(move |(values, cs)| ClaimAttribute {
        name: name.into(),
        flags: if cs { 0x2 } else { 0 },
        values,
    })
}

/// A literal for the claim-semantics property: a string, an integer, or a
/// composite of zero to three of them (mixed types now and then).
fn semantic_literal() -> impl Strategy<Value = String> {
    let one = prop_oneof![
        3 => prop::sample::select(CLAIM_STRINGS.to_vec()).prop_map(|v| format!("\"{v}\"")),
        1 => (0i64..3).prop_map(|n| n.to_string()),
    ];
    prop_oneof![
        2 => one.clone(),
        2 => vec(one, 0..4).prop_map(|v| format!("{{{}}}", v.join(", "))),
    ]
}

/// A condition over the claims `a` and `b`: a relational operator between
/// `a` and `b` or a literal, or a logical shape with `!` straight on an
/// attribute.
fn semantic_condition() -> impl Strategy<Value = String> {
    let op = prop::sample::select(vec![
        "==",
        "!=",
        "<",
        "<=",
        ">",
        ">=",
        "Contains",
        "Not_Contains",
        "Any_of",
        "Not_Any_of",
    ]);
    // `@A` stands for a composite made from `a`'s own values (see the
    // property), so that equal lists, repeats and case changes come up.
    let rhs = prop_oneof![
        1 => Just("@User.b".to_string()),
        2 => semantic_literal(),
        2 => Just("@A".to_string()),
    ];
    let relational = (op, rhs).prop_map(|(op, rhs)| format!("(@User.a {op} {rhs})"));
    let logical = prop::sample::select(vec![
        "(@User.a)",
        "(!(@User.a))",
        "(@User.a && !(@User.b))",
        "(@User.a || !(@User.b))",
        "(!(@User.a) || @User.b)",
        "((@User.a == @User.b) || !(@User.b))",
    ])
    .prop_map(String::from);
    prop_oneof![4 => relational, 1 => logical]
}

proptest! {
    #![proptest_config(cases(1024))]

    /// For every relational and logical shape over multi-valued, empty,
    /// repeated, case-sensitive and non-ASCII claims (and literals that
    /// mismatch in type), the fast evaluator and the reference decide the
    /// same: the claim rules of Windows (list equality, `Contains {}`,
    /// `Any_of` shapes, booleans as a type, the upper-case table, UTF-16
    /// order) are implemented twice and agree.
    #[test]
    fn claim_semantics_equal_reference_on_multi_valued_empty_case_sensitive_and_non_ascii_claims(
        a in semantic_claim("a"),
        b in semantic_claim("b"),
        cond in semantic_condition(),
        repeat in any::<bool>(),
        upper in any::<bool>(),
    ) {
        // `a`'s values as a literal composite, reversed, maybe upper-cased
        // (by Rust's rule, which Windows' table does not always follow) and
        // maybe with its first value repeated.
        let mut items: Vec<String> = match &a.values {
            ClaimValues::String(v) => v
                .iter()
                .map(|x| format!("\"{}\"", if upper { x.to_uppercase() } else { x.clone() }))
                .collect(),
            ClaimValues::Int64(v) => v.iter().map(|x| x.to_string()).collect(),
            ClaimValues::Boolean(v) => v.iter().map(|x| u8::from(*x).to_string()).collect(),
            _ => Vec::new(),
        };
        items.reverse();
        if repeat {
            if let Some(first) = items.first().cloned() {
                items.push(first);
            }
        }
        let cond = cond.replace("@A", &format!("{{{}}}", items.join(", ")));
        let mut t = Token::new(s(USER1)).with_group(wk::WORLD);
        t.user_claims = vec![a, b];
        let text = format!("O:SYG:SYD:(XA;;0x1;;;WD;{cond})(XD;;0x2;;;WD;{cond})(A;;0x2;;;WD)");
        let sd = SecurityDescriptor::from_sddl(&text, None).unwrap();
        let req = AccessRequest::new(AccessMask::MAXIMUM_ALLOWED);
        prop_assert_eq!(access_check(&t, &sd, &req).unwrap(), reference::naive_access_check(&t, &sd, &req).unwrap(), "{}", cond);
    }
}

proptest! {
    #![proptest_config(cases(1024))]

    /// On descriptors made only of conditional ACEs for Everyone (allow
    /// and deny callbacks, then maybe a plain allow) and tokens holding
    /// Everyone and flagged claims, the fast evaluator and the reference
    /// agree: the claim rules (disabled, deny-only, case-sensitive,
    /// Unicode names) decide these checks.
    #[test]
    fn conditional_aces_equal_reference(
        t in token(),
        conds in vec((any::<bool>(), condition(), 1u32..8), 1..4),
        tail in any::<bool>(),
    ) {
        let mut t = t;
        t.groups.push(TokenGroup::new(wk::WORLD));
        let mut aces: Vec<Ace> = conds
            .into_iter()
            .map(|(allow, cond, m)| {
                let ty = if allow { AceType::AccessAllowedCallback } else { AceType::AccessDeniedCallback };
                let mut a = Ace::new(ty, AceFlags(0), AccessMask(m), wk::WORLD);
                a.application_data = cond;
                a
            })
            .collect();
        if tail {
            aces.push(Ace::new(AceType::AccessAllowed, AceFlags(0), AccessMask(0x7), wk::WORLD));
        }
        let mut sd = SecurityDescriptor::new();
        sd.owner = Some(wk::LOCAL_SYSTEM);
        sd.group = Some(wk::LOCAL_SYSTEM);
        sd.set_dacl(Acl::new(aces));
        for desired in [0x1u32, 0x3, 0x7, 0x0200_0000] {
            let req = AccessRequest::new(AccessMask(desired));
            prop_assert_eq!(access_check(&t, &sd, &req).unwrap(), reference::naive_access_check(&t, &sd, &req).unwrap());
        }
    }

    /// On conditional ACEs whose application data is garbled (a byte
    /// changed, the stream cut short or extended), the fast evaluator and
    /// the reference, each with its own reader of the stream, agree: what
    /// one reads as UNKNOWN (MS-DTYP 2.5.3.1.5), the other does too. (The
    /// plain allow after the callback leaves out the callback's bit when
    /// the callback is an allow, so the answer shows the condition.)
    #[test]
    fn garbled_conditions_equal_reference(
        t in token(),
        cond in condition(),
        at in any::<prop::sample::Index>(),
        byte in any::<u8>(),
        cut in 0usize..3,
        allow in any::<bool>(),
    ) {
        let mut t = t;
        t.groups.push(TokenGroup::new(wk::WORLD));
        let mut data = cond;
        let i = at.index(data.len());
        match cut {
            0 => data[i] = byte,
            1 => data.truncate(i),
            _ => data.insert(i, byte),
        }
        let ty = if allow { AceType::AccessAllowedCallback } else { AceType::AccessDeniedCallback };
        let mut a = Ace::new(ty, AceFlags(0), AccessMask(0x1), wk::WORLD);
        a.application_data = data;
        let mut sd = SecurityDescriptor::new();
        sd.owner = Some(wk::LOCAL_SYSTEM);
        sd.group = Some(wk::LOCAL_SYSTEM);
        sd.set_dacl(Acl::new(vec![a, Ace::new(AceType::AccessAllowed, AceFlags(0), AccessMask(if allow { 0x2 } else { 0x3 }), wk::WORLD)]));
        let req = AccessRequest::new(AccessMask(0x1));
        prop_assert_eq!(access_check(&t, &sd, &req).unwrap(), reference::naive_access_check(&t, &sd, &req).unwrap());
    }

    /// `compiled::decide` (with its short path for plain descriptors) gives
    /// the status, grant and privileges of the full `compiled::check` and of
    /// the reference evaluator, on plain and general descriptors alike.
    #[test]
    fn decide_equals_check_and_reference(
        t in token(),
        sd in prop_oneof![plain_descriptor(), descriptor()],
        r in request(),
    ) {
        let tree = object_tree();
        let req = r.request(&tree);
        let mut table = SidTable::new();
        let ct = table.compile_token(&t);
        let cd = table.compile_descriptor(&sd);
        let v = compiled::decide(&table, &ct, &cd, &req, &mut NoTrace);
        let full = compiled::check(&table, &ct, &cd, &req, &mut NoTrace);
        let slow = reference::naive_access_check(&t, &sd, &req);
        match (v, full, slow) {
            (Ok(v), Ok(d), Ok(e)) => {
                prop_assert_eq!((v.status, v.granted, v.privileges_used), (d.status, d.granted, d.privileges_used));
                prop_assert_eq!((v.status, v.granted, v.privileges_used), (e.status, e.granted, e.privileges_used));
            }
            (Err(a), Err(b), Err(c)) => {
                prop_assert_eq!(a.status(), b.status());
                prop_assert_eq!(a.status(), c.status());
            }
            (a, b, c) => prop_assert!(false, "decide {:?}, check {:?}, reference {:?}", a, b, c),
        }
    }

    /// `access_check` answers plain questions about plain tokens and
    /// descriptors directly, comparing SIDs without compiling (pairwise for
    /// small tokens and ACLs, through a hash of the token's SIDs for large
    /// ones). Invariant: its answer, error included, equals the interned
    /// path's (`SidTable` compile, then `compiled::check`) on every
    /// generated token (large, restricted, AppContainer, deny-only,
    /// disabled, duplicated groups) and descriptor (plain, conditional,
    /// object, labelled, audited, without owner or group), and equals the
    /// explained check's decision.
    #[test]
    fn one_shot_direct_path_equals_interned_path(
        t in token(),
        extra in prop_oneof![
            vec((prop::sample::select(vec![0u32, 1, 2, 3, 1001, 1002]), attributes()), 0..4),
            vec((prop::sample::select(vec![0u32, 1, 2, 3, 1001, 1002]), attributes()), 40..120),
        ],
        sd in prop_oneof![2 => plain_descriptor(), 1 => descriptor()],
        drop in prop::sample::select(vec![0u8, 0, 0, 0, 0, 1, 2, 3]),
        r in request(),
    ) {
        let mut t = t;
        for (i, (rid, attrs)) in extra.into_iter().enumerate() {
            // Distinct SIDs to make the token large, and some that ACEs
            // name (USER1, USER2) with other attributes.
            let rid = if rid < 4 { 3000 + i as u32 * 4 + rid } else { rid };
            t.groups.push(TokenGroup::with_attributes(s(&format!("S-1-5-21-7-7-7-{rid}")), attrs));
        }
        let mut sd = sd;
        if drop & 1 != 0 {
            sd.owner = None;
        }
        if drop & 2 != 0 {
            sd.group = None;
        }
        let tree = object_tree();
        let req = r.request(&tree);
        let direct = access_check(&t, &sd, &req);
        let mut table = SidTable::new();
        let ct = table.compile_token(&t);
        let cd = table.compile_descriptor(&sd);
        let interned = compiled::check(&table, &ct, &cd, &req, &mut NoTrace);
        prop_assert_eq!(&direct, &interned);
        let explained = secctx::access_check_explained(&t, &sd, &req).map(|mut d| {
            d.trace = None;
            d
        });
        prop_assert_eq!(&direct, &explained);
    }

    /// On object-type checks the fast evaluator and the reference agree
    /// node by node, in normal and MAXIMUM_ALLOWED mode.
    #[test]
    fn object_type_checks_equal_reference(
        sd in tree_dacl(), desired in prop::sample::select(vec![0x1u32, 0x3, 0x7, 0x0200_0000, 0x0200_0001]),
        result_list in any::<bool>()
    ) {
        let t = Token::new(s(USER1)).with_group(wk::WORLD);
        let tree = object_tree();
        let req = AccessRequest::new(AccessMask(desired)).with_object_types(&tree, result_list);
        prop_assert_eq!(access_check(&t, &sd, &req).unwrap(), reference::naive_access_check(&t, &sd, &req).unwrap());
    }

    /// Granted access is within the mapped desired access unless
    /// MAXIMUM_ALLOWED was asked.
    #[test]
    fn granted_is_within_mapped_desired_unless_maximum_allowed(t in token(), sd in descriptor(), mut r in request()) {
        r.desired &= !AccessMask::MAXIMUM_ALLOWED.0;
        let tree = object_tree();
        let req = r.request(&tree);
        if let Ok(d) = access_check(&t, &sd, &req) {
            let mapped = ObjectKind::File.mapping().map(AccessMask(r.desired)).0;
            prop_assert_eq!(d.granted.0 & !mapped, 0);
            for n in &d.results {
                prop_assert_eq!(n.granted.0 & !mapped, 0);
            }
        }
    }

    /// Appending a deny ACE to a DACL never adds access; appending an allow
    /// ACE never removes any. (One allow is excepted, as in Windows: the
    /// first OWNER RIGHTS ACE replaces the owner's implicit READ_CONTROL |
    /// WRITE_DAC, so it can remove them; MS-DTYP 2.5.3.2.)
    #[test]
    fn appended_deny_never_adds_and_appended_allow_never_removes(
        t in token(), mut sd in descriptor(), r in request(), mut extra in dacl_ace()
    ) {
        if extra.sid == wk::OWNER_RIGHTS && extra.ace_type.is_allow() {
            extra.sid = wk::WORLD;
        }
        if sd.dacl.is_none() {
            sd.set_dacl(Acl::empty());
        }
        let tree = object_tree();
        let req = r.request(&tree);
        let Ok(before) = access_check(&t, &sd, &req) else { return Ok(()) };
        let mut after_sd = sd.clone();
        let mut acl = after_sd.dacl.clone().unwrap();
        acl.aces.push(extra.clone());
        acl.normalize();
        after_sd.set_dacl(acl);
        let after = access_check(&t, &after_sd, &req).unwrap();
        if extra.ace_type.is_deny() {
            prop_assert!(within(&access_of(&after), &access_of(&before)), "deny added access: {:?} -> {:?}", before, after);
        } else if extra.ace_type.is_allow() {
            prop_assert!(within(&access_of(&before), &access_of(&after)), "allow removed access: {:?} -> {:?}", before, after);
        }
    }

    /// MAXIMUM_ALLOWED grants exactly the union of the single bits that
    /// would each be granted alone (ACCESS_SYSTEM_SECURITY aside, which
    /// MAXIMUM_ALLOWED never grants; with a null DACL, over the bits of the
    /// mapping's GENERIC_ALL, which is what MAXIMUM_ALLOWED gets there).
    #[test]
    fn maximum_allowed_equals_union_of_single_bits(t in token(), sd in descriptor(), backup in prop::bool::weighted(0.2)) {
        let mapping = ObjectKind::File.mapping();
        let mut req = AccessRequest::new(AccessMask::MAXIMUM_ALLOWED).with_mapping(mapping);
        req.backup_intent = backup;
        let max = access_check(&t, &sd, &req).unwrap();
        let mut union = 0u32;
        for bit in (0..24).map(|b| 1u32 << b) {
            let mut one = AccessRequest::new(AccessMask(bit)).with_mapping(mapping);
            one.backup_intent = backup;
            let d = access_check(&t, &sd, &one).unwrap();
            if d.is_granted() {
                union |= bit;
            }
        }
        let no_dacl = !matches!(sd.dacl_state(), secctx::DaclState::Acl(_)) && !t.is_app_container();
        let scope = if no_dacl { mapping.all.0 } else { u32::MAX };
        prop_assert_eq!(max.granted.0 & scope, union & scope, "MAXIMUM_ALLOWED {:?}", max);
    }

    /// A restricted token never gets more than its unrestricted twin.
    #[test]
    fn restricted_token_never_exceeds_its_unrestricted_twin(
        mut t in token(), sd in descriptor(), r in request(), sids in vec(ace_sid(), 0..3), wr in any::<bool>()
    ) {
        t.restricted_sids = sids.into_iter().map(TokenGroup::new).collect();
        t.write_restricted = wr;
        let tree = object_tree();
        let req = r.request(&tree);
        let mut twin = t.clone();
        twin.restricted_sids.clear();
        twin.write_restricted = false;
        if let (Ok(a), Ok(b)) = (access_check(&t, &sd, &req), access_check(&twin, &sd, &req)) {
            prop_assert!(within(&access_of(&a), &access_of(&b)), "restricted {:?} vs twin {:?}", a, b);
        }
    }

    /// Disabling a group never adds access, unless the group was the
    /// trustee of a deny ACE (or a condition tests membership).
    #[test]
    fn disabling_a_group_never_adds_access(
        mut t in token(), mut sd in descriptor(), r in request(), pick in any::<prop::sample::Index>()
    ) {
        t.groups.push(TokenGroup::new(wk::WORLD));
        let enabled: Vec<usize> = (0..t.groups.len()).filter(|&i| t.groups[i].is_enabled()).collect();
        let g = enabled[pick.index(enabled.len())];
        let group = t.groups[g].sid;
        let owner = sd.owner.unwrap();
        let self_sid = r.self_sid;
        let names_group = |a: &Ace| {
            a.sid == group
                || (a.sid == wk::OWNER_RIGHTS && owner == group)
                || (a.sid == wk::PRINCIPAL_SELF && self_sid == Some(group))
        };
        // The exception: leave out deny ACEs naming the group, and
        // conditions (which may test membership).
        for acl in [sd.dacl.as_mut(), sd.sacl.as_mut()].into_iter().flatten() {
            acl.aces.retain(|a| {
                let excepted = (a.ace_type.is_deny() && names_group(a))
                    || a.ace_type.is_callback()
                    || a.ace_type == AceType::SystemAccessFilter;
                !excepted
            });
            acl.normalize();
        }
        let tree = object_tree();
        let req = r.request(&tree);
        let mut less = t.clone();
        less.groups[g].attributes = less.groups[g].attributes.without(GroupAttributes::ENABLED);
        if let (Ok(before), Ok(after)) = (access_check(&t, &sd, &req), access_check(&less, &sd, &req)) {
            prop_assert!(within(&access_of(&after), &access_of(&before)), "{:?} -> {:?}", before, after);
        }
    }
}
