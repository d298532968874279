//! `audit` agrees with AccessCheck on every edge (issue 16, item 6).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::cases;
use proptest::prelude::*;
use secctx::fixture::{audit, Runner};
use secctx::well_known as wk;
use secctx::{
    access_check, AccessMask, AccessRequest, NtStatus, ObjectKind, ObjectTypeNode, Privilege, Sid,
    Token,
};
use std::collections::BTreeSet;

const USER: &str = "bf967aba-0de6-11d0-a285-00aa003049e2";
const GROUP: &str = "bf967a9c-0de6-11d0-a285-00aa003049e2";
const DOMAIN: &str = "19195a5b-6da0-11d0-afd3-00c04fd930c9";
const RESET: &str = "00299570-246d-11d0-a768-00aa006e0529";
const MEMBERSHIP: &str = "bc0ac240-79a9-11d0-9020-00c04fc2d4cf";
const MEMBER: &str = "bf9679c0-0de6-11d0-a285-00aa003049e2";
const GET: &str = "1131f6aa-9c07-11d1-f79f-00c04fc2dcd2";
const GET_ALL: &str = "1131f6ad-9c07-11d1-f79f-00c04fc2dcd2";
const PRINCIPALS: [&str; 3] = [
    "S-1-5-21-1-2-3-1500",
    "S-1-5-21-1-2-3-1501",
    "S-1-5-21-1-2-3-1502",
];

fn ace() -> impl Strategy<Value = String> {
    let kind = prop_oneof![Just("A"), Just("D")];
    let object = prop_oneof![
        Just(None),
        Just(Some(RESET)),
        Just(Some(MEMBERSHIP)),
        Just(Some(MEMBER)),
        Just(Some(GET)),
        Just(Some(GET_ALL)),
        Just(Some(USER)),
        Just(Some(GROUP)),
    ];
    let mask = prop_oneof![
        Just("CR"),
        Just("WP"),
        Just("SW"),
        Just("RPWP"),
        Just("WD"),
        Just("WO"),
        Just("CCDCLCSWRPWPDTLOCRSDRCWDWO"),
    ];
    let sid = prop_oneof![
        Just(PRINCIPALS[0]),
        Just(PRINCIPALS[1]),
        Just(PRINCIPALS[2]),
        Just("WD"),
        Just("AU"),
    ];
    (kind, object, mask, sid).prop_map(|(k, o, m, s)| match o {
        None => format!("({k};;{m};;;{s})"),
        Some(g) => format!("(O{k};;{m};{g};;{s})"),
    })
}

fn object() -> impl Strategy<Value = (&'static str, Vec<String>)> {
    (
        prop_oneof![Just(USER), Just(GROUP), Just(DOMAIN)],
        prop::collection::vec(ace(), 0..6),
    )
}

/// An edge's name and its checks: a desired mask and the GUIDs below the
/// class, each.
type Definition = (&'static str, Vec<(u32, Vec<&'static str>)>);

/// The edges of this test's subset, defined here from BloodHound's edge
/// pages and MS-ADTS independently of the library's table: the desired
/// mask and the object-type list below the class, per check; the edge
/// holds when AccessCheckByTypeResultList grants every check at its last
/// node (or plain AccessCheck grants it, for no list).
fn definitions(class: &str) -> Vec<Definition> {
    let mut d: Vec<Definition> = vec![
        ("GenericAll", vec![(0x000F_01FF, vec![])]),
        ("WriteDacl", vec![(0x0004_0000, vec![])]),
        ("WriteOwner", vec![(0x0008_0000, vec![])]),
        ("AllExtendedRights", vec![(0x100, vec![])]),
    ];
    match class {
        USER => d.push(("ForceChangePassword", vec![(0x100, vec![RESET])])),
        GROUP => {
            d.push(("AddMember", vec![(0x20, vec![MEMBERSHIP, MEMBER])]));
            d.push(("AddSelf", vec![(0x8, vec![MEMBER])]));
        }
        _ => {
            d.push(("GetChanges", vec![(0x100, vec![GET])]));
            d.push(("GetChangesAll", vec![(0x100, vec![GET_ALL])]));
            d.push(("DCSync", vec![(0x100, vec![GET]), (0x100, vec![GET_ALL])]));
        }
    }
    d
}

fn holds(
    token: &Token,
    sd: &secctx::SecurityDescriptor,
    class: &str,
    bits: u32,
    path: &[&str],
) -> bool {
    let desired = AccessMask(bits);
    if path.is_empty() {
        // A check with the class alone as the list: AllExtendedRights must
        // not see object ACEs for single rights.
        let list = [ObjectTypeNode {
            level: 0,
            guid: class.parse().unwrap(),
        }];
        let req = AccessRequest::new(desired)
            .for_kind(ObjectKind::DirectoryService)
            .with_object_types(&list, true);
        let d = access_check(token, sd, &req).unwrap();
        return d.results[0].status == NtStatus::Success && d.results[0].granted.contains(desired);
    }
    let mut list = vec![ObjectTypeNode {
        level: 0,
        guid: class.parse().unwrap(),
    }];
    for (i, g) in path.iter().enumerate() {
        list.push(ObjectTypeNode {
            level: i as u16 + 1,
            guid: g.parse().unwrap(),
        });
    }
    let req = AccessRequest::new(desired)
        .for_kind(ObjectKind::DirectoryService)
        .with_object_types(&list, true);
    let d = access_check(token, sd, &req).unwrap();
    let last = d.results.last().unwrap();
    last.status == NtStatus::Success && last.granted.contains(desired)
}

proptest! {
    #![proptest_config(cases(48))]

    /// Invariant: for every principal, object and edge of the subset, the
    /// audit lists the edge exactly when direct access checks with that
    /// edge's object-type list grant it (no edge missing, none extra).
    #[test]
    fn audit_edges_are_exactly_what_access_check_grants(objects in prop::collection::vec(object(), 1..5)) {
        let mut json = String::from(r#"{"domain_sid": "S-1-5-21-1-2-3", "principals": {"p0": "S-1-5-21-1-2-3-1500", "p1": "S-1-5-21-1-2-3-1501", "p2": "S-1-5-21-1-2-3-1502"}, "objects": {"#);
        for (i, (class, aces)) in objects.iter().enumerate() {
            if i > 0 { json.push(','); }
            json.push_str(&format!(r#""o{i}": {{"type": "ds", "class": "{class}", "sd": "O:DAG:DAD:{}"}}"#, aces.concat()));
        }
        json.push_str(r#"}, "steps": []}"#);
        let stage = Runner::new().inspect(&json, &mut |_, _| {}).unwrap();
        let subset: BTreeSet<&str> = objects.iter().flat_map(|(c, _)| definitions(c)).map(|(n, _)| n).collect();
        let got: BTreeSet<(String, String, String)> = audit(&stage, None)
            .into_iter()
            .filter(|e| subset.contains(e.right))
            .map(|e| (e.principal.to_string(), e.right.to_string(), e.object))
            .collect();
        let mut want = BTreeSet::new();
        for (i, (class, aces)) in objects.iter().enumerate() {
            let sd = secctx::sddl::parse(&format!("O:DAG:DAD:{}", aces.concat()), Some(&Sid::parse_sddl("S-1-5-21-1-2-3", None).unwrap())).unwrap();
            for p in PRINCIPALS {
                let sid = Sid::parse_sddl(p, None).unwrap();
                let token = Token::new(sid).with_group(wk::WORLD).with_group(wk::AUTHENTICATED_USERS).with_privilege(Privilege::ChangeNotify);
                for (name, checks) in definitions(class) {
                    if checks.iter().all(|(bits, path)| holds(&token, &sd, class, *bits, path)) {
                        want.insert((p.to_string(), name.to_string(), format!("\\o{i}")));
                    }
                }
            }
        }
        prop_assert_eq!(got, want);
    }
}
