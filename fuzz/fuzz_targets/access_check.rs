//! The access check. A token and a request are built from the first bytes
//! of the input (a byte-driven builder over a palette of SIDs, attributes,
//! privileges, claims and object types); the rest is the descriptor, as
//! SDDL text or as the binary form. Invariants:
//!
//! - the fast path (`secctx::access_check`) equals the reference evaluator
//!   (`secctx::reference::naive_access_check`): the same decision, or errors
//!   with the same status;
//! - the granted access is within the mapped desired access unless
//!   MAXIMUM_ALLOWED was asked, for the whole check and for every node;
//! - the explained check gives the plain check's answer (the trace aside).
#![no_main]

use libfuzzer_sys::fuzz_target;
use secctx::{
    access_check, access_check_explained, binary, reference, sddl, AccessMask, AccessRequest,
    ClaimAttribute, GenericMapping, GroupAttributes, Guid, IntegrityLevel, MandatoryPolicy,
    ObjectKind, ObjectTypeNode, Privilege, Sid, Token, TokenGroup, TokenPrivilege,
};

const DOMAIN: &str = "S-1-5-21-1-2-3";

/// The SIDs tokens and requests draw from: aliases the SDDL seeds use.
const SIDS: &[&str] = &[
    "WD",
    "BA",
    "BU",
    "SY",
    "AU",
    "CO",
    "CG",
    "OW",
    "PS",
    "AC",
    "IU",
    "NU",
    "LS",
    "NS",
    "DA",
    "DU",
    "RC",
    "WR",
    "AN",
    "ED",
    "S-1-5-21-1-2-3-1000",
    "S-1-5-21-1-2-3-1001",
    "S-1-15-3-1",
    "S-1-15-2-1-2-3-4-5-6-7",
    "S-1-16-8192",
    "S-1-5-32-551",
    "S-1-5-18",
    "S-1-3-4",
];

const GUIDS: [[u8; 16]; 4] = [[1; 16], [2; 16], [3; 16], [4; 16]];

/// Reads the input front to back; past the end every byte is 0.
struct Bytes<'a>(&'a [u8]);

impl<'a> Bytes<'a> {
    fn u8(&mut self) -> u8 {
        match self.0.split_first() {
            Some((&b, rest)) => {
                self.0 = rest;
                b
            }
            None => 0,
        }
    }
    fn u32(&mut self) -> u32 {
        u32::from_le_bytes([self.u8(), self.u8(), self.u8(), self.u8()])
    }
    fn take(&mut self, n: usize) -> &'a [u8] {
        let n = n.min(self.0.len());
        let (a, b) = self.0.split_at(n);
        self.0 = b;
        a
    }
    fn sid(&mut self, domain: &Sid) -> Sid {
        let i = usize::from(self.u8()) % SIDS.len();
        Sid::parse_sddl(SIDS[i], Some(domain))
            .unwrap_or_else(|e| panic!("palette SID {}: {e}", SIDS[i]))
    }
    fn group(&mut self, domain: &Sid) -> TokenGroup {
        let sid = self.sid(domain);
        let a = self.u8();
        let mut attrs = GroupAttributes(0);
        for (bit, flag) in [
            GroupAttributes::MANDATORY,
            GroupAttributes::ENABLED_BY_DEFAULT,
            GroupAttributes::ENABLED,
            GroupAttributes::OWNER,
            GroupAttributes::USE_FOR_DENY_ONLY,
            GroupAttributes::INTEGRITY,
            GroupAttributes::INTEGRITY_ENABLED,
            GroupAttributes::RESOURCE,
        ]
        .into_iter()
        .enumerate()
        {
            if a & (1 << bit) != 0 {
                attrs = attrs.with(flag);
            }
        }
        TokenGroup::with_attributes(sid, attrs)
    }
    fn claims(&mut self) -> Vec<ClaimAttribute> {
        let n = self.u8() % 3;
        (0..n)
            .filter_map(|_| {
                let len = usize::from(self.u8());
                ClaimAttribute::decode_relative(self.take(len)).ok()
            })
            .collect()
    }
}

fuzz_target!(|data: &[u8]| {
    let domain = Sid::parse_sddl(DOMAIN, None).unwrap_or_else(|e| panic!("{e}"));
    let mut b = Bytes(data);
    let flags = b.u8();
    let more = b.u8();
    let desired = AccessMask(b.u32());

    let mut token = Token::new(b.sid(&domain));
    if more & 1 != 0 {
        token.user.attributes = GroupAttributes::USE_FOR_DENY_ONLY;
    }
    for _ in 0..b.u8() % 8 {
        let g = b.group(&domain);
        token.groups.push(g);
    }
    let privs = b.u32();
    for (i, p) in Privilege::ALL.iter().enumerate().take(32) {
        if privs & (1 << i) != 0 {
            token.privileges.push(TokenPrivilege {
                privilege: *p,
                enabled: more & 2 == 0 || i % 2 == 0,
                enabled_by_default: false,
            });
        }
    }
    let levels = [
        IntegrityLevel::UNTRUSTED,
        IntegrityLevel::LOW,
        IntegrityLevel::MEDIUM,
        IntegrityLevel::MEDIUM_PLUS,
        IntegrityLevel::HIGH,
        IntegrityLevel::SYSTEM,
        IntegrityLevel::PROTECTED,
    ];
    token.integrity = levels[usize::from(b.u8()) % levels.len()];
    token.mandatory_policy = MandatoryPolicy(u32::from(more >> 2) & 3);
    if flags & 0x08 != 0 {
        for _ in 0..1 + b.u8() % 3 {
            let g = b.group(&domain);
            token.restricted_sids.push(g);
        }
        token.write_restricted = more & 0x10 != 0;
    }
    if flags & 0x80 != 0 {
        token.app_container = Sid::parse_sddl("S-1-15-2-1-2-3-4-5-6-7", None).ok();
        for _ in 0..b.u8() % 3 {
            let g = b.group(&domain);
            token.capabilities.push(g);
        }
    }
    if more & 0x20 != 0 {
        token.user_claims = b.claims();
        token.device_claims = b.claims();
        token.local_claims = b.claims();
        for _ in 0..b.u8() % 3 {
            let g = b.group(&domain);
            token.device_groups.push(g);
        }
    }

    let mut request = AccessRequest::new(desired);
    let kinds = [
        ObjectKind::File,
        ObjectKind::Directory,
        ObjectKind::Key,
        ObjectKind::DirectoryService,
    ];
    let mapping: Option<GenericMapping> =
        (flags & 1 != 0).then(|| kinds[usize::from(more >> 6)].mapping());
    request.mapping = mapping;
    if flags & 2 != 0 {
        request.self_sid = Some(b.sid(&domain));
    }
    request.backup_intent = flags & 4 != 0;
    let mut nodes = Vec::new();
    if flags & 0x10 != 0 {
        let n = 1 + usize::from(b.u8() % 6);
        for i in 0..n {
            let spec = b.u8();
            let level = if i == 0 { 0 } else { u16::from(spec % 5) };
            nodes.push(ObjectTypeNode {
                level,
                guid: Guid::from_bytes(GUIDS[usize::from(spec >> 4) % GUIDS.len()]),
            });
        }
    }
    let request = request.with_object_types(&nodes, flags & 0x20 != 0);

    let sd = if flags & 0x40 != 0 {
        match binary::decode(b.0) {
            Ok(sd) => sd,
            Err(_) => return,
        }
    } else {
        let Ok(text) = std::str::from_utf8(b.0) else {
            return;
        };
        match sddl::parse(text, Some(&domain)) {
            Ok(sd) => sd,
            Err(_) => return,
        }
    };

    let fast = access_check(&token, &sd, &request);
    let slow = reference::naive_access_check(&token, &sd, &request);
    match (&fast, &slow) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "fast path and reference disagree"),
        (Err(a), Err(b)) => assert_eq!(a.status(), b.status(), "fast {a:?}, reference {b:?}"),
        (a, b) => panic!("fast {a:?}, reference {b:?}"),
    }
    let explained = access_check_explained(&token, &sd, &request);
    match (&fast, explained) {
        (Ok(a), Ok(mut e)) => {
            assert!(e.trace.is_some(), "the explained check has no trace");
            e.trace = None;
            assert_eq!(*a, e, "the trace changed the answer");
        }
        (Err(a), Err(e)) => assert_eq!(a.status(), e.status()),
        (a, e) => panic!("plain {a:?}, explained {e:?}"),
    }
    if let Ok(d) = &fast {
        if !desired.contains(AccessMask::MAXIMUM_ALLOWED) {
            let mapped = match &mapping {
                Some(m) => m.map(desired),
                None => desired,
            };
            assert_eq!(
                d.granted.0 & !mapped.0,
                0,
                "granted {:?} beyond mapped desired {mapped:?}",
                d.granted
            );
            for n in &d.results {
                assert_eq!(
                    n.granted.0 & !mapped.0,
                    0,
                    "node granted {:?} beyond {mapped:?}",
                    n.granted
                );
            }
        }
    }
});
