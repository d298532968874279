//! Proptest generators shared by the property suites.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use proptest::collection::vec;
use proptest::prelude::*;
use secctx::condition::{AttrClass, ExprOp, ExprToken, IntBase, IntSign, IntWidth};
use secctx::well_known as wk;
use secctx::Expression;
use secctx::{
    AccessMask, Ace, AceFlags, AceType, Acl, AclRevision, Control, Guid, SecurityDescriptor, Sid,
};
use secctx::{ClaimAttribute, ClaimValues};

/// The domain the generated domain-relative SIDs belong to.
pub fn domain() -> Sid {
    "S-1-5-21-1004336348-1177238915-682003330".parse().unwrap()
}

/// Cases per property: the proptest default unless `PROPTEST_CASES` says
/// otherwise (the knob for long runs).
pub fn cases(default: u32) -> ProptestConfig {
    let n = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    ProptestConfig::with_cases(n)
}

pub fn sid() -> impl Strategy<Value = Sid> {
    prop_oneof![
        3 => prop::sample::select(vec![
            wk::WORLD, wk::LOCAL_SYSTEM, wk::BUILTIN_ADMINISTRATORS, wk::BUILTIN_USERS,
            wk::AUTHENTICATED_USERS, wk::CREATOR_OWNER, wk::CREATOR_GROUP, wk::OWNER_RIGHTS,
            wk::PRINCIPAL_SELF, wk::LOW_INTEGRITY, wk::MEDIUM_INTEGRITY, wk::HIGH_INTEGRITY,
            wk::ANONYMOUS, wk::INTERACTIVE, wk::NETWORK, wk::ALL_APP_PACKAGES,
        ]),
        2 => (prop::sample::select(vec![500u32, 501, 512, 513, 514, 519, 1000, 1104])).prop_map(|r| domain().with_rid(r).unwrap()),
        2 => (0u64..=0xFFFF_FFFF_FFFF, vec(any::<u32>(), 0..=15)).prop_map(|(a, s)| Sid::new(a, &s).unwrap()),
    ]
}

pub fn guid() -> impl Strategy<Value = Guid> {
    any::<[u8; 16]>().prop_map(Guid::from_bytes)
}

pub fn mask() -> impl Strategy<Value = AccessMask> {
    prop_oneof![
        any::<u32>().prop_map(AccessMask),
        prop::sample::select(vec![
            0u32, 0x1F01FF, 0x120089, 0x1200A9, 0xF003F, 0x20019, 0x10000000, 0x80000000, 1, 2, 4,
            0x100, 0x20000, 0xF01FF
        ])
        .prop_map(AccessMask),
        (0u32..0x200).prop_map(AccessMask),
    ]
}

/// An integer literal whose sign and base print and parse back unchanged.
fn int_literal() -> impl Strategy<Value = ExprToken> {
    prop_oneof![
        any::<i64>().prop_map(|v| ExprToken::Int {
            value: v,
            width: IntWidth::I64,
            sign: if v < 0 {
                IntSign::Negative
            } else {
                IntSign::None
            },
            base: IntBase::Decimal
        }),
        (
            0i64..=i64::MAX,
            prop::sample::select(vec![IntBase::Octal, IntBase::Hex, IntBase::Decimal]),
            prop::sample::select(vec![IntSign::None, IntSign::Positive, IntSign::Negative])
        )
            .prop_map(|(m, base, sign)| ExprToken::Int {
                value: if sign == IntSign::Negative { -m } else { m },
                width: IntWidth::I64,
                sign,
                base
            }),
    ]
}

fn text() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9 _.,;:()&|!=<>{}%@#é中-]{0,12}".prop_map(|s| s.replace('"', ""))
}

fn attr_name() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9_.:/ ()!=%é;,{}#-]{1,10}"
}

fn local_name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z_][A-Za-z0-9_:./]{0,8}",
        Just("Exists".to_string()),
        Just("12".to_string())
    ]
}

pub fn literal(depth: u32) -> BoxedStrategy<ExprToken> {
    let leaf = prop_oneof![
        int_literal(),
        text().prop_map(ExprToken::String),
        vec(any::<u8>(), 0..6).prop_map(ExprToken::Octets),
        sid().prop_map(ExprToken::Sid),
    ];
    if depth == 0 {
        return leaf.boxed();
    }
    prop_oneof![4 => leaf, 1 => vec(literal(depth - 1), 0..4).prop_map(ExprToken::Composite)]
        .boxed()
}

fn attr() -> impl Strategy<Value = ExprToken> {
    prop_oneof![
        local_name().prop_map(|n| ExprToken::Attr(AttrClass::Local, n)),
        attr_name().prop_map(|n| ExprToken::Attr(AttrClass::User, n)),
        attr_name().prop_map(|n| ExprToken::Attr(AttrClass::Device, n)),
        attr_name().prop_map(|n| ExprToken::Attr(AttrClass::Resource, n)),
    ]
}

fn nonlocal_attr() -> impl Strategy<Value = ExprToken> {
    prop_oneof![
        attr_name().prop_map(|n| ExprToken::Attr(AttrClass::User, n)),
        attr_name().prop_map(|n| ExprToken::Attr(AttrClass::Resource, n)),
    ]
}

/// A boolean sub-expression as postfix tokens, within the SDDL grammar.
pub fn bool_expr(depth: u32) -> BoxedStrategy<Vec<ExprToken>> {
    let rhs = prop_oneof![3 => literal(1), 1 => nonlocal_attr()];
    let rel_ops = prop::sample::select(vec![
        ExprOp::Equal,
        ExprOp::NotEqual,
        ExprOp::Less,
        ExprOp::LessOrEqual,
        ExprOp::Greater,
        ExprOp::GreaterOrEqual,
        ExprOp::Contains,
        ExprOp::AnyOf,
        ExprOp::NotContains,
        ExprOp::NotAnyOf,
    ]);
    let member_ops = prop::sample::select(vec![
        ExprOp::MemberOf,
        ExprOp::DeviceMemberOf,
        ExprOp::MemberOfAny,
        ExprOp::DeviceMemberOfAny,
        ExprOp::NotMemberOf,
        ExprOp::NotDeviceMemberOf,
        ExprOp::NotMemberOfAny,
        ExprOp::NotDeviceMemberOfAny,
    ]);
    let sids = prop_oneof![
        sid().prop_map(ExprToken::Sid),
        vec(sid().prop_map(ExprToken::Sid), 0..4).prop_map(ExprToken::Composite)
    ];
    let leaf = prop_oneof![
        (attr(), rel_ops, rhs).prop_map(|(a, op, r)| vec![a, r, ExprToken::Op(op)]),
        (
            attr(),
            prop::sample::select(vec![ExprOp::Exists, ExprOp::NotExists])
        )
            .prop_map(|(a, op)| vec![a, ExprToken::Op(op)]),
        (member_ops, sids).prop_map(|(op, s)| vec![s, ExprToken::Op(op)]),
        attr().prop_map(|a| vec![a]),
    ];
    if depth == 0 {
        return leaf.boxed();
    }
    prop_oneof![
        3 => leaf,
        1 => (bool_expr(depth - 1), bool_expr(depth - 1), prop::sample::select(vec![ExprOp::And, ExprOp::Or]))
            .prop_map(|(mut a, b, op)| { a.extend(b); a.push(ExprToken::Op(op)); a }),
        1 => bool_expr(depth - 1).prop_map(|mut a| { a.push(ExprToken::Op(ExprOp::Not)); a }),
    ]
    .boxed()
}

/// Any literal, including the shapes SDDL cannot write: integers whose
/// value disagrees with their sign, strings holding `"` or NUL.
fn any_literal() -> impl Strategy<Value = ExprToken> {
    let int = (
        any::<i64>(),
        prop::sample::select(vec![IntBase::Octal, IntBase::Hex, IntBase::Decimal]),
        prop::sample::select(vec![IntSign::None, IntSign::Positive, IntSign::Negative]),
    )
        .prop_map(|(value, base, sign)| ExprToken::Int {
            value,
            width: IntWidth::I64,
            sign,
            base,
        });
    prop_oneof![
        3 => literal(1),
        1 => int,
        1 => "[a\"\0]{0,3}".prop_map(ExprToken::String),
    ]
}

/// Any attribute, including empty names and names holding NUL.
fn any_attr() -> impl Strategy<Value = ExprToken> {
    prop_oneof![
        4 => attr(),
        1 => ("[a1\0 ]{0,3}", prop::sample::select(vec![AttrClass::Local, AttrClass::User]))
            .prop_map(|(n, c)| ExprToken::Attr(c, n)),
    ]
}

/// Any well-formed postfix tree (each operator has its operands), whatever
/// the grammar allows where: literals as conditions, `Exists` on a literal,
/// member-of on an attribute, sub-expressions as relational operands.
pub fn any_tree(depth: u32) -> BoxedStrategy<Vec<ExprToken>> {
    let leaf = prop_oneof![any_literal(), any_attr()].prop_map(|t| vec![t]);
    if depth == 0 {
        return leaf.boxed();
    }
    let unary = prop::sample::select(vec![
        ExprOp::Not,
        ExprOp::Exists,
        ExprOp::NotExists,
        ExprOp::MemberOf,
        ExprOp::NotDeviceMemberOfAny,
    ]);
    let binary = prop::sample::select(vec![
        ExprOp::And,
        ExprOp::Or,
        ExprOp::Equal,
        ExprOp::Less,
        ExprOp::Contains,
        ExprOp::NotAnyOf,
    ]);
    prop_oneof![
        2 => leaf,
        1 => (any_tree(depth - 1), unary).prop_map(|(mut a, op)| { a.push(ExprToken::Op(op)); a }),
        2 => (any_tree(depth - 1), any_tree(depth - 1), binary)
            .prop_map(|(mut a, b, op)| { a.extend(b); a.push(ExprToken::Op(op)); a }),
    ]
    .boxed()
}

pub fn expression() -> impl Strategy<Value = Expression> {
    bool_expr(3).prop_map(|tokens| Expression { tokens })
}

pub fn claim() -> impl Strategy<Value = ClaimAttribute> {
    let values = prop_oneof![
        vec(any::<i64>(), 1..4).prop_map(ClaimValues::Int64),
        vec(any::<u64>(), 1..4).prop_map(ClaimValues::Uint64),
        vec(text(), 1..4).prop_map(ClaimValues::String),
        vec(sid(), 1..4).prop_map(ClaimValues::Sid),
        vec(any::<bool>(), 1..4).prop_map(ClaimValues::Boolean),
        vec(vec(any::<u8>(), 0..5), 1..4).prop_map(ClaimValues::OctetString),
    ];
    (attr_name(), any::<u32>().prop_map(|f| f & !0xFF00), values).prop_map(
        |(name, flags, values)| ClaimAttribute {
            name,
            flags,
            values,
        },
    )
}

/// An ACE that SDDL can express exactly.
pub fn sddl_ace() -> impl Strategy<Value = Ace> {
    let types = prop::sample::select(
        AceType::KNOWN
            .iter()
            .copied()
            .filter(|t| t.sddl_code().is_some())
            .collect::<Vec<_>>(),
    );
    (
        types,
        any::<u8>(),
        mask(),
        sid(),
        proptest::option::of(guid()),
        proptest::option::of(guid()),
        expression(),
        claim(),
    )
        .prop_map(|(ace_type, flags, mask, sid, ot, iot, expr, claim)| {
            let mut ace = Ace::new(ace_type, AceFlags(flags), mask, sid);
            if ace_type.is_object() {
                ace.object_type = ot;
                // Windows writes an object ACE without GUIDs as the basic type.
                ace.inherited_object_type = if ot.is_none() && iot.is_none() {
                    Some(Guid::NIL)
                } else {
                    iot
                };
            }
            if ace_type.is_callback() {
                ace.application_data = expr.encode().unwrap();
            }
            if ace_type == AceType::SystemResourceAttribute {
                ace.sid = wk::WORLD;
                ace.application_data = claim.encode_relative().unwrap();
            }
            ace
        })
}

fn acl_of(aces: impl Strategy<Value = Vec<Ace>>) -> impl Strategy<Value = Acl> {
    aces.prop_map(Acl::new)
}

/// A descriptor SDDL can express exactly.
pub fn sddl_descriptor() -> impl Strategy<Value = SecurityDescriptor> {
    let acl_state = || prop_oneof![1 => Just(None), 1 => Just(Some(None)), 4 => acl_of(vec(sddl_ace(), 0..5)).prop_map(|a| Some(Some(a)))];
    (
        proptest::option::of(sid()),
        proptest::option::of(sid()),
        acl_state(),
        acl_state(),
        0u16..8,
        0u16..8,
    )
        .prop_map(|(owner, group, dacl, sacl, dflags, sflags)| {
            let mut sd = SecurityDescriptor::new();
            sd.owner = owner;
            sd.group = group;
            let bits = |f: u16, p: Control, ar: Control, ai: Control| {
                (if f & 1 != 0 { p.0 } else { 0 })
                    | (if f & 2 != 0 { ar.0 } else { 0 })
                    | (if f & 4 != 0 { ai.0 } else { 0 })
            };
            match dacl {
                None => {}
                Some(None) => sd.set_null_dacl(),
                Some(Some(mut a)) => {
                    // Windows' SDDL refuses an audit ACE in a DACL (Samba's
                    // `SddlWindowsIsFussy`), so SDDL cannot express one.
                    a.aces.retain(|ace| !ace.ace_type.is_audit());
                    a.normalize();
                    sd.set_dacl(a)
                }
            }
            if sd.control.contains(Control::DACL_PRESENT) {
                sd.control.0 |= bits(
                    dflags,
                    Control::DACL_PROTECTED,
                    Control::DACL_AUTO_INHERIT_REQ,
                    Control::DACL_AUTO_INHERITED,
                );
            }
            match sacl {
                None => {}
                Some(None) => sd.control.set(Control::SACL_PRESENT, true),
                Some(Some(a)) => sd.set_sacl(a),
            }
            if sd.control.contains(Control::SACL_PRESENT) {
                sd.control.0 |= bits(
                    sflags,
                    Control::SACL_PROTECTED,
                    Control::SACL_AUTO_INHERIT_REQ,
                    Control::SACL_AUTO_INHERITED,
                );
            }
            sd
        })
}

/// Any ACE the binary format can hold, including opaque ones.
pub fn binary_ace() -> impl Strategy<Value = Ace> {
    let any_type = prop_oneof![
        prop::sample::select(AceType::KNOWN.to_vec()),
        (0x16u8..=0xFF).prop_map(AceType::Unknown),
    ];
    (
        any_type,
        any::<u8>(),
        mask(),
        sid(),
        proptest::option::of(guid()),
        proptest::option::of(guid()),
        vec(any::<u8>(), 0..4),
    )
        .prop_map(|(ace_type, flags, mask, sid, ot, iot, data)| {
            let mut ace = Ace::new(ace_type, AceFlags(flags), mask, sid);
            // Application data as stored: a multiple of 4 bytes.
            ace.application_data = data.iter().flat_map(|b| [*b, 0, 0, 0]).collect();
            match ace_type.layout() {
                secctx::AceLayout::Object => {
                    ace.object_type = ot;
                    ace.inherited_object_type = iot;
                }
                secctx::AceLayout::Opaque => {
                    ace.mask = AccessMask::NONE;
                    ace.sid = wk::NULL;
                }
                // Basic, and any layout a later version adds: as generated.
                _ => {}
            }
            ace
        })
}

/// Any descriptor the binary format can hold.
pub fn binary_descriptor() -> impl Strategy<Value = SecurityDescriptor> {
    let acl = || {
        (vec(binary_ace(), 0..5), 2u8..=4, 0u16..3).prop_map(|(aces, rev, slack)| Acl {
            revision: AclRevision(rev),
            aces,
            slack: slack * 2,
        })
    };
    let state = move || {
        prop_oneof![
            Just(None),
            Just(Some(None)),
            acl().prop_map(|a| Some(Some(a)))
        ]
    };
    (
        proptest::option::of(sid()),
        proptest::option::of(sid()),
        state(),
        state(),
        any::<u16>(),
        any::<u8>(),
    )
        .prop_map(|(owner, group, dacl, sacl, control, rm)| {
            let mut sd = SecurityDescriptor::new();
            sd.control.0 = (control | Control::SELF_RELATIVE.0)
                & !(Control::DACL_PRESENT.0 | Control::SACL_PRESENT.0);
            sd.rm_control = rm;
            sd.owner = owner;
            sd.group = group;
            match dacl {
                None => {}
                Some(None) => sd.set_null_dacl(),
                Some(Some(mut a)) => {
                    // Windows' SDDL refuses an audit ACE in a DACL (Samba's
                    // `SddlWindowsIsFussy`), so SDDL cannot express one.
                    a.aces.retain(|ace| !ace.ace_type.is_audit());
                    a.normalize();
                    sd.set_dacl(a)
                }
            }
            match sacl {
                None => {}
                Some(None) => sd.control.set(Control::SACL_PRESENT, true),
                Some(Some(a)) => sd.set_sacl(a),
            }
            sd
        })
}
