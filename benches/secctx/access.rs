//! The access check: the samba-parity question, scaling with ACEs and
//! groups, and the expensive paths.

use crate::harness::{Bench, Throughput};
use secctx::compiled::{self, CompiledDescriptor, CompiledToken, NoTrace};
use secctx::Trace;
use secctx::{
    compiled::SidTable, AccessDecision, AccessMask, AccessRequest, ClaimAttribute, ClaimValues,
    Guid, IntegrityLevel, NtStatus, ObjectKind, ObjectTypeNode, SecurityDescriptor, Sid, Token,
};
use std::hint::black_box;

fn sid(s: &str) -> Sid {
    Sid::parse_sddl(s, None).unwrap()
}

/// The samba-parity descriptor and token (issue 6).
pub const PARITY_SD: &str = "O:BAG:SYD:(D;;0x1f01ff;;;S-1-5-21-1-2-3-1001)(A;;0x1200a9;;;BU)(A;;0x1f01ff;;;BA)(A;;0x120089;;;AU)(A;;0x1f01ff;;;SY)";

pub fn parity_token() -> Token {
    let mut t = Token::new(sid("S-1-5-21-1-2-3-1000"));
    for g in [
        "S-1-5-21-1-2-3-513",
        "S-1-1-0",
        "S-1-5-32-545",
        "S-1-5-11",
        "S-1-5-4",
    ] {
        t = t.with_group(sid(g));
    }
    t
}

/// One question per operation.
const ONE_ITEM: Throughput = Throughput {
    bytes: None,
    items: Some(1.0),
};

struct Setup {
    table: SidTable,
    token: CompiledToken,
    sd: CompiledDescriptor,
}

fn setup(token: &Token, sd: &SecurityDescriptor) -> Setup {
    let mut table = SidTable::new();
    let t = table.compile_token(token);
    let d = table.compile_descriptor(sd);
    Setup {
        table,
        token: t,
        sd: d,
    }
}

fn expect(d: &AccessDecision, status: NtStatus, granted: u32) -> Result<(), String> {
    if d.status == status && d.granted.0 == granted {
        Ok(())
    } else {
        Err(format!(
            "got {} {}, expected {status} 0x{granted:08x}",
            d.status, d.granted
        ))
    }
}

/// Times one compiled question through [`compiled::decide`] (status, granted
/// and privileges, as SeAccessCheck answers), after checking its answer and
/// that it agrees with the full [`compiled::check`].
fn question(
    b: &mut Bench,
    name: &str,
    params: &str,
    s: &Setup,
    req: &AccessRequest<'_>,
    status: NtStatus,
    granted: u32,
) {
    b.case(
        name,
        params,
        ONE_ITEM,
        || {
            let d = compiled::check(&s.table, &s.token, &s.sd, req, &mut NoTrace)
                .map_err(|e| e.to_string())?;
            let v = compiled::decide(&s.table, &s.token, &s.sd, req, &mut NoTrace)
                .map_err(|e| e.to_string())?;
            if (v.status, v.granted) != (d.status, d.granted) {
                return Err(format!("decide {v:?} differs from check {d:?}"));
            }
            expect(&d, status, granted)
        },
        || {
            black_box(
                compiled::decide(
                    black_box(&s.table),
                    &s.token,
                    black_box(&s.sd),
                    black_box(req),
                    &mut NoTrace,
                )
                .ok(),
            );
        },
    );
}

pub fn run(b: &mut Bench) {
    parity(b);
    conditional(b);
    scaling(b);
    expensive(b);
}

/// A DAC-style descriptor: conditional allow ACEs over user claims (a
/// string compared ignoring case beyond ASCII, a multi-valued claim with
/// `Contains` and `Any_of`, an integer ordering) and a resource attribute,
/// granted by the last ACE. The samba-parity token with three claims.
fn conditional(b: &mut Bench) {
    let mut t = parity_token();
    t.user_claims = vec![
        ClaimAttribute {
            name: "Département".into(),
            flags: 0,
            values: ClaimValues::String(vec!["Ventes".into()]),
        },
        ClaimAttribute {
            name: "Projects".into(),
            flags: 0,
            values: ClaimValues::String(vec!["Alpha".into(), "Beta".into(), "Gamma".into()]),
        },
        ClaimAttribute {
            name: "Clearance".into(),
            flags: 0,
            values: ClaimValues::Int64(vec![3]),
        },
    ];
    let text = "O:BAG:SYD:(XA;;0x1;;;WD;(@User.DÉPARTEMENT == \"finance\"))\
        (XA;;0x2;;;WD;(@User.Projects Contains {\"delta\", \"alpha\"}))\
        (XA;;0x120089;;;WD;((@User.département == \"VENTES\") && (@User.projects Any_of {\"beta\", \"omega\"}) && (@User.Clearance >= @Resource.Level)))\
        S:(RA;;;;;WD;(\"Level\",TI,0x0,2))";
    let s = setup(&t, &SecurityDescriptor::from_sddl(text, None).unwrap());
    let req = AccessRequest::new(AccessMask(0x0012_0089)).with_mapping(ObjectKind::File.mapping());
    question(
        b,
        "access/conditional/claims",
        "3 XA, 4 conditions",
        &s,
        &req,
        NtStatus::Success,
        0x0012_0089,
    );
}

/// Times one question through [`secctx::access_check`], which builds the
/// compiled forms (or their direct equivalent) from the plain token and
/// descriptor on every call, after checking its answer and that it agrees
/// with the compiled check.
#[allow(clippy::too_many_arguments)]
fn one_shot(
    b: &mut Bench,
    name: &str,
    params: &str,
    token: &Token,
    sd: &SecurityDescriptor,
    req: &AccessRequest<'_>,
    status: NtStatus,
    granted: u32,
) {
    b.case(
        name,
        params,
        ONE_ITEM,
        || {
            let d = secctx::access_check(token, sd, req).map_err(|e| e.to_string())?;
            let s = setup(token, sd);
            let c = compiled::check(&s.table, &s.token, &s.sd, req, &mut NoTrace)
                .map_err(|e| e.to_string())?;
            if d != c {
                return Err(format!("one-shot {d:?} differs from compiled {c:?}"));
            }
            expect(&d, status, granted)
        },
        || {
            black_box(secctx::access_check(black_box(token), black_box(sd), black_box(req)).ok());
        },
    );
}

fn parity(b: &mut Bench) {
    let token = parity_token();
    let sd = SecurityDescriptor::from_sddl(PARITY_SD, None).unwrap();
    let s = setup(&token, &sd);
    let file = ObjectKind::File.mapping();
    for (mode, desired, status, granted) in [
        ("granted", 0x0012_0089, NtStatus::Success, 0x0012_0089),
        ("denied", 0x001F_01FF, NtStatus::AccessDenied, 0),
        (
            "maximum-allowed",
            AccessMask::MAXIMUM_ALLOWED.0,
            NtStatus::Success,
            0x0012_00A9,
        ),
    ] {
        let req = AccessRequest::new(AccessMask(desired)).with_mapping(file);
        question(
            b,
            &format!("access/samba-parity/{mode}"),
            &format!("desired 0x{desired:08x}"),
            &s,
            &req,
            status,
            granted,
        );
        one_shot(
            b,
            &format!("access/samba-parity/{mode}/one-shot"),
            &format!("desired 0x{desired:08x}"),
            &token,
            &sd,
            &req,
            status,
            granted,
        );
    }
    // The same question through the full check, which also builds the
    // audit events and per-node results.
    let req = AccessRequest::new(AccessMask(0x0012_0089)).with_mapping(file);
    b.case(
        "access/samba-parity/granted/full-check",
        "desired 0x00120089",
        ONE_ITEM,
        || {
            let d = compiled::check(&s.table, &s.token, &s.sd, &req, &mut NoTrace)
                .map_err(|e| e.to_string())?;
            expect(&d, NtStatus::Success, 0x0012_0089)
        },
        || {
            let r = compiled::check(
                black_box(&s.table),
                &s.token,
                black_box(&s.sd),
                black_box(&req),
                &mut NoTrace,
            );
            if let Ok(d) = &r {
                black_box((d.status, d.granted));
            }
        },
    );
}

/// A DACL of `n` ACEs none of which the token holds, and a token of `g`
/// groups: the whole DACL is walked.
fn worst_case(n: usize, g: usize) -> (Token, SecurityDescriptor) {
    let mut t = Token::new(sid("S-1-5-21-8-8-8-1000"));
    for i in 0..g {
        t = t.with_group(Sid::new(5, &[21, 8, 8, 8, 2000 + i as u32]).unwrap());
    }
    let mut text = String::from("O:BAG:SYD:");
    for i in 0..n {
        let kind = if i % 4 == 3 { "D" } else { "A" };
        text.push_str(&format!("({kind};;0x1f01ff;;;S-1-5-21-9-9-9-{})", 3000 + i));
    }
    (t, SecurityDescriptor::from_sddl(&text, None).unwrap())
}

fn scaling(b: &mut Bench) {
    let file = ObjectKind::File.mapping();
    for n in [4usize, 16, 64, 256, 1024] {
        for g in [8usize, 128, 1024] {
            let (t, sd) = worst_case(n, g);
            let s = setup(&t, &sd);
            let params = format!("N={n} G={g}");
            let req = AccessRequest::new(AccessMask(0x0012_0089)).with_mapping(file);
            question(
                b,
                &format!("access/scaling/normal/N{n}/G{g}"),
                &params,
                &s,
                &req,
                NtStatus::AccessDenied,
                0,
            );
            let req = AccessRequest::new(AccessMask::MAXIMUM_ALLOWED).with_mapping(file);
            question(
                b,
                &format!("access/scaling/maximum-allowed/N{n}/G{g}"),
                &params,
                &s,
                &req,
                NtStatus::AccessDenied,
                0,
            );
        }
    }
    // The first question about a large token: compile (or index) its
    // 1,025 SIDs and walk the DACL, on every call.
    for n in [16usize, 1024] {
        let (t, sd) = worst_case(n, 1024);
        let req = AccessRequest::new(AccessMask(0x0012_0089)).with_mapping(file);
        one_shot(
            b,
            &format!("access/scaling/one-shot/N{n}/G1024"),
            &format!("N={n} G=1024"),
            &t,
            &sd,
            &req,
            NtStatus::AccessDenied,
            0,
        );
    }
}

fn expensive(b: &mut Bench) {
    let file = ObjectKind::File.mapping();
    let sd = SecurityDescriptor::from_sddl(PARITY_SD, None).unwrap();
    let req = AccessRequest::new(AccessMask(0x0012_0089)).with_mapping(file);

    // A restricted token: the second pass over the restricting SIDs.
    let restricted = parity_token().with_restricted_sids(&[sid("S-1-1-0"), sid("S-1-5-11")]);
    let s = setup(&restricted, &sd);
    question(
        b,
        "access/restricted-token",
        "restricting WD, AU",
        &s,
        &req,
        NtStatus::Success,
        0x0012_0089,
    );

    // Mandatory integrity: a Low token reading a High-labelled object.
    let labelled =
        SecurityDescriptor::from_sddl(&format!("{PARITY_SD}S:(ML;;NW;;;HI)"), None).unwrap();
    let low = parity_token().with_integrity(IntegrityLevel::LOW);
    let s = setup(&low, &labelled);
    question(
        b,
        "access/mandatory-integrity",
        "Low token, High label NW",
        &s,
        &req,
        NtStatus::Success,
        0x0012_0089,
    );

    // An object-type list of 100 nodes with a result list.
    let nodes: Vec<ObjectTypeNode> = (0..100u32)
        .map(|i| ObjectTypeNode {
            level: match i {
                0 => 0,
                i if i % 10 == 1 => 1,
                _ => 2,
            },
            guid: Guid::from_fields(i, 0, 0, [0; 8]),
        })
        .collect();
    let mut text = String::from("O:BAG:SYD:");
    for i in (1..100u32).step_by(7) {
        text.push_str(&format!(
            "(OA;;RPWP;{};;WD)",
            Guid::from_fields(i, 0, 0, [0; 8])
        ));
    }
    text.push_str("(OD;;WP;00000005-0000-0000-0000-000000000000;;WD)(A;;RP;;;AU)");
    let ds = SecurityDescriptor::from_sddl(&text, None).unwrap();
    let s = setup(&parity_token(), &ds);
    let list_req = AccessRequest::new(AccessMask(0x10))
        .for_kind(ObjectKind::DirectoryService)
        .with_object_types(&nodes, true);
    question(
        b,
        "access/object-types-100/result-list",
        "100 nodes, 17 ACEs",
        &s,
        &list_req,
        NtStatus::Success,
        0x10,
    );

    // Tracing off versus on.
    let s = setup(&parity_token(), &sd);
    b.case(
        "access/trace-on",
        "samba-parity granted",
        ONE_ITEM,
        || {
            let mut t = Trace::default();
            let d = compiled::check(&s.table, &s.token, &s.sd, &req, &mut t)
                .map_err(|e| e.to_string())?;
            if t.steps.is_empty() {
                return Err("no trace recorded".into());
            }
            expect(&d, NtStatus::Success, 0x0012_0089)
        },
        || {
            let mut t = Trace::default();
            black_box(
                compiled::check(
                    &s.table,
                    &s.token,
                    black_box(&s.sd),
                    black_box(&req),
                    &mut t,
                )
                .ok(),
            );
            black_box(t);
        },
    );
    question(
        b,
        "access/trace-off",
        "samba-parity granted",
        &s,
        &req,
        NtStatus::Success,
        0x0012_0089,
    );

    // The one-shot entry point, which compiles the token and descriptor.
    let token = parity_token();
    b.case(
        "access/one-shot-compile-and-check",
        "samba-parity granted",
        ONE_ITEM,
        || {
            expect(
                &secctx::access_check(&token, &sd, &req).map_err(|e| e.to_string())?,
                NtStatus::Success,
                0x0012_0089,
            )
        },
        || {
            black_box(secctx::access_check(black_box(&token), black_box(&sd), &req).ok());
        },
    );
}
