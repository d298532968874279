//! The simulated machine at scale: building a world of 1,000,000 objects that
//! share 1,000 descriptors (time and resident memory), the whole-world audit
//! ("may this token open each object"), loading a large fixture, and the
//! `secctx check` CLI over 1,000,000 request lines.
//!
//! Under `cargo test --benches` (no `--bench`) the sizes shrink so that a
//! debug build runs each case once in about a second; the answers are still
//! verified.

use crate::harness::{Bench, Throughput};
use secctx::fixture::{Discard, Runner};
use secctx::{
    AccessMask, AccessRequest, DescriptorId, NtStatus, ObjectId, ObjectKind, Privilege,
    SecurityDescriptor, Sid, Token, World,
};
use std::fmt::Write as _;
use std::hint::black_box;
use std::io::Write as _;
use std::process::{Command, Stdio};

/// Distinct descriptors in the world.
const DESCRIPTORS: usize = 1000;
/// Every tenth descriptor grants the audited token a read.
const GRANTING_EVERY: usize = 10;

/// The shape of a world: `dirs` directories of `files` files each, under one
/// root.
#[derive(Clone, Copy)]
struct Shape {
    dirs: usize,
    files: usize,
}

impl Shape {
    fn objects(self) -> usize {
        1 + self.dirs + self.dirs * self.files
    }
}

/// Descriptor `i`: SYSTEM and Administrators have full control, and a
/// per-descriptor group `S-1-5-21-1-2-3-(5000+i)` may read.
fn descriptor(i: usize) -> SecurityDescriptor {
    SecurityDescriptor::from_sddl(
        &format!(
            "O:BAG:SYD:PAI(A;;FA;;;SY)(A;;FA;;;BA)(A;;FR;;;S-1-5-21-1-2-3-{})",
            5000 + i
        ),
        None,
    )
    .unwrap()
}

/// Which descriptor the `n`th object (in creation order) gets.
fn assign(n: usize) -> usize {
    (n * 7919) % DESCRIPTORS
}

/// The audited user: a member of every descriptor group whose index is a
/// multiple of [`GRANTING_EVERY`]. Like every interactive or network logon
/// it holds SeChangeNotifyPrivilege enabled ("Bypass traverse checking" is
/// granted to Everyone by default), so the audit measures each object's own
/// check rather than a traverse refusal at the top directory.
fn audit_token() -> Token {
    let mut t = Token::new(Sid::parse_sddl("S-1-5-21-1-2-3-1000", None).unwrap())
        .with_privilege(Privilege::ChangeNotify);
    for g in ["S-1-5-21-1-2-3-513", "S-1-1-0", "S-1-5-32-545", "S-1-5-11"] {
        t = t.with_group(Sid::parse_sddl(g, None).unwrap());
    }
    for i in (0..DESCRIPTORS).step_by(GRANTING_EVERY) {
        t = t.with_group(Sid::parse_sddl(&format!("S-1-5-21-1-2-3-{}", 5000 + i), None).unwrap());
    }
    t
}

/// Builds the world: descriptors interned once, objects inserted by id.
fn build(shape: Shape) -> World {
    let mut w = World::new();
    let ids: Vec<DescriptorId> = (0..DESCRIPTORS)
        .map(|i| w.add_descriptor(descriptor(i)))
        .collect();
    let mut n = 0;
    let mut next = || {
        let d = ids[assign(n)];
        n += 1;
        d
    };
    let root = w
        .insert_object(None, "srv", ObjectKind::Directory, None, next())
        .unwrap();
    let mut name = String::with_capacity(16);
    for d in 0..shape.dirs {
        name.clear();
        write!(name, "dir{d:04}").unwrap();
        let dir: ObjectId = w
            .insert_object(Some(root), &name, ObjectKind::Directory, None, next())
            .unwrap();
        for f in 0..shape.files {
            name.clear();
            write!(name, "file{f:04}.txt").unwrap();
            w.insert_object(Some(dir), &name, ObjectKind::File, None, next())
                .unwrap();
        }
    }
    w
}

/// What the audit must find: objects whose descriptor grants the read,
/// counted from [`assign`], not from the engine.
fn expected_granted(shape: Shape) -> usize {
    (0..shape.objects())
        .filter(|&n| assign(n) % GRANTING_EVERY == 0)
        .count()
}

pub fn run(b: &mut Bench) {
    let shape = if b.timing() {
        Shape {
            dirs: 1000,
            files: 1000,
        }
    } else {
        Shape {
            dirs: 20,
            files: 100,
        }
    };
    world_build(b, shape);
    world_audit(b, shape);
    fixture_load(b);
    check_cli(b);
}

fn world_build(b: &mut Bench, shape: Shape) {
    let name = "machine/world-build";
    if !b.selected(name) {
        return;
    }
    let params = format!("{} objects", shape.objects());
    // Resident memory is measured in a fresh process (this binary re-run),
    // so that nothing else this process allocated is counted.
    let rss = world_rss(shape);
    b.case(
        name,
        &params,
        Throughput {
            bytes: None,
            items: Some(shape.objects() as f64),
        },
        || {
            let w = build(shape);
            if w.object_count() != shape.objects() || w.descriptor_count() != DESCRIPTORS {
                return Err(format!(
                    "{} objects and {} descriptors",
                    w.object_count(),
                    w.descriptor_count()
                ));
            }
            let probe = w
                .lookup("srv\\dir0000\\file0000.txt")
                .map_err(|e| e.to_string())?;
            let info = w.object(probe).map_err(|e| e.to_string())?;
            if w.descriptor(info.descriptor) != Some(&descriptor(assign(2))) {
                return Err(format!("probe has descriptor {:?}", info.descriptor));
            }
            Ok(())
        },
        || build(shape),
    );
    match rss {
        Ok((before, after, peak)) => {
            b.annotate(name, "rss_mib", format!("{:.1}", after as f64 / 1024.0));
            b.annotate(
                name,
                "world_rss_mib",
                format!("{:.1}", (after - before) as f64 / 1024.0),
            );
            b.annotate(name, "peak_rss_mib", format!("{:.1}", peak as f64 / 1024.0));
            println!(
                "{:<44} {:<28} {:>8.1} MiB resident ({:.1} MiB for the world, peak {:.1} MiB, {:.0} B/object)",
                "machine/world-rss",
                params,
                after as f64 / 1024.0,
                (after - before) as f64 / 1024.0,
                peak as f64 / 1024.0,
                (after - before) as f64 * 1024.0 / shape.objects() as f64
            );
        }
        Err(e) => println!("machine/world-rss: not measured ({e})"),
    }
}

/// Runs this bench binary again as a child that only builds the world and
/// reports VmRSS before and after, and VmHWM, in KiB.
fn world_rss(shape: Shape) -> Result<(u64, u64, u64), String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let out = Command::new(exe)
        .env("SECCTX_BENCH_CHILD", "world-rss")
        .env(
            "SECCTX_BENCH_SHAPE",
            format!("{}x{}", shape.dirs, shape.files),
        )
        .stdin(Stdio::null())
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(String::from_utf8_lossy(&out.stderr).into_owned());
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let nums: Vec<u64> = text
        .split_whitespace()
        .filter_map(|w| w.parse().ok())
        .collect();
    match nums[..] {
        [a, b, c] => Ok((a, b, c)),
        _ => Err(format!("unexpected child output `{text}`")),
    }
}

/// The child side of [`world_rss`]; returns whether this process is that
/// child (and has done its work).
pub fn child() -> bool {
    if std::env::var("SECCTX_BENCH_CHILD").as_deref() != Ok("world-rss") {
        return false;
    }
    let shape = std::env::var("SECCTX_BENCH_SHAPE")
        .ok()
        .and_then(|s| {
            let (d, f) = s.split_once('x')?;
            Some(Shape {
                dirs: d.parse().ok()?,
                files: f.parse().ok()?,
            })
        })
        .unwrap_or(Shape {
            dirs: 1000,
            files: 1000,
        });
    let before = status_kib("VmRSS:");
    let w = build(shape);
    let after = status_kib("VmRSS:");
    let peak = status_kib("VmHWM:");
    assert_eq!(w.object_count(), shape.objects());
    black_box(&w);
    println!("{before} {after} {peak}");
    true
}

/// A `/proc/self/status` figure in KiB (0 where there is no /proc).
fn status_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

fn world_audit(b: &mut Bench, shape: Shape) {
    let name = "machine/world-audit";
    if !b.selected(name) {
        return;
    }
    let mut w = build(shape);
    let token = w.add_token(audit_token());
    let desired = AccessMask(0x0012_0089); // FILE_GENERIC_READ
    let want = expected_granted(shape);
    let w = &w;
    b.case(
        name,
        &format!("{} objects", shape.objects()),
        Throughput {
            bytes: None,
            items: Some(shape.objects() as f64),
        },
        || {
            let s = w.audit(token, desired).map_err(|e| e.to_string())?;
            if s.objects != shape.objects() || s.granted != want {
                return Err(format!(
                    "{} of {} objects granted, expected {want} of {}",
                    s.granted,
                    s.objects,
                    shape.objects()
                ));
            }
            // Spot-check the shortcut against a plain check of each object
            // (n is the object's creation order; see `build`).
            for (path, n) in [
                ("srv", 0),
                ("srv\\dir0000", 1),
                ("srv\\dir0000\\file0000.txt", 2),
                ("srv\\dir0000\\file0008.txt", 10),
                ("srv\\dir0001\\file0000.txt", 3 + shape.files),
            ] {
                let id = w.lookup(path).map_err(|e| e.to_string())?;
                let kind = w.object(id).map_err(|e| e.to_string())?.kind;
                let req = AccessRequest::new(desired).for_kind(kind);
                let d = w.check_as(token, id, &req).map_err(|e| e.to_string())?;
                if (d.status == NtStatus::Success) != (assign(n) % GRANTING_EVERY == 0) {
                    return Err(format!("{path}: the check says {}", d.status));
                }
            }
            Ok(())
        },
        || w.audit(black_box(token), black_box(desired)).ok(),
    );
}

/// The token-API steps mixed into the generated fixture (every
/// `TOKEN_OP_EVERY`th step), each with its expected answer: a query, a
/// membership check, a privilege adjustment and a duplication, as a service
/// makes them between access checks.
const TOKEN_OPS: [&str; 4] = [
    r#"{"op": "get_token_information", "thread": "app", "handle": "t", "class": "TokenUser", "expect": {"status": "STATUS_SUCCESS", "value": {"sid": "S-1-5-21-1-2-3-1104", "attributes": []}, "return_length": 44}}"#,
    r#"{"op": "check_token_membership", "thread": "app", "handle": null, "sid": "DU", "expect": {"status": "STATUS_SUCCESS", "result": true}}"#,
    r#"{"op": "adjust_token_privileges", "thread": "app", "handle": "t", "enable": ["SeChangeNotifyPrivilege"], "expect": {"status": "STATUS_SUCCESS"}}"#,
    r#"{"op": "duplicate_token_ex", "thread": "app", "handle": "t", "level": "impersonation", "token_type": "impersonation", "expect": {"status": "STATUS_SUCCESS", "granted": "TOKEN_ALL_ACCESS"}}"#,
];

/// One step in this many is a token-API step in the bench mix.
const TOKEN_OP_EVERY: usize = 4;

/// A generated fixture: `objects` files with their own SDDL and `steps`
/// steps with expectations: access checks, and every `token_every`th a
/// token-API call from `TOKEN_OPS` (every step when it is 1).
fn large_fixture(objects: usize, steps: usize, token_every: usize) -> String {
    let mut s = String::with_capacity(objects * 120 + steps * 160);
    s.push_str("{\n  \"name\": \"generated\",\n  \"domain_sid\": \"S-1-5-21-1-2-3\",\n");
    s.push_str("  \"principals\": {\"alice\": \"S-1-5-21-1-2-3-1104\"},\n");
    s.push_str(
        "  \"tokens\": {\"alice\": {\"user\": \"alice\", \"groups\": [\"DU\", \"WD\", \"AU\"], \"privileges\": [\"SeChangeNotifyPrivilege\"]}},\n",
    );
    s.push_str(
        "  \"processes\": {\"app\": {\"token\": \"alice\", \"handles\": {\"t\": {\"token\": \"alice\", \"access\": \"TOKEN_ALL_ACCESS\"}}}},\n",
    );
    s.push_str("  \"objects\": {\n    \"data\": {\"type\": \"directory\", \"sd\": \"O:BAG:SYD:PAI(A;OICI;FA;;;SY)\"}");
    for i in 0..objects {
        let _ = write!(
            s,
            ",\n    \"data/f{i}.txt\": {{\"type\": \"file\", \"sd\": \"O:BAG:SYD:PAI(A;;FA;;;SY)(A;;FA;;;BA)(A;;{};;;DU)\"}}",
            if i % 2 == 0 { "FR" } else { "FW" }
        );
    }
    s.push_str("\n  },\n  \"steps\": [");
    for i in 0..steps {
        if i % token_every == token_every - 1 {
            let op = TOKEN_OPS[(i / token_every) % TOKEN_OPS.len()];
            let _ = write!(s, "{}\n    {op}", if i == 0 { "" } else { "," });
            continue;
        }
        let f = i % objects;
        let (status, granted) = if f % 2 == 0 {
            ("STATUS_SUCCESS", ", \"granted\": \"FILE_GENERIC_READ\"")
        } else {
            ("STATUS_ACCESS_DENIED", "")
        };
        let _ = write!(
            s,
            "{}\n    {{\"op\": \"check\", \"token\": \"alice\", \"object\": \"data/f{f}.txt\", \"desired\": \"FILE_GENERIC_READ\", \"expect\": {{\"status\": \"{status}\"{granted}}}}}",
            if i == 0 { "" } else { "," }
        );
    }
    s.push_str("\n  ]\n}\n");
    s
}

fn fixture_load(b: &mut Bench) {
    let name = "machine/fixture-load";
    let (objects, steps) = if b.timing() {
        (20_000, 50_000)
    } else {
        (200, 500)
    };
    fixture_case(b, name, objects, steps, TOKEN_OP_EVERY);
    // The token-API steps alone, in a small world: what they cost apart
    // from the access checks of the mix.
    let steps = if b.timing() { 20_000 } else { 200 };
    fixture_case(b, "machine/fixture-token-ops", 20, steps, 1);
}

/// Loads and runs a generated fixture (see [`large_fixture`]), every step
/// expected to pass.
fn fixture_case(b: &mut Bench, name: &str, objects: usize, steps: usize, token_every: usize) {
    if !b.selected(name) {
        return;
    }
    let text = large_fixture(objects, steps, token_every);
    let text = text.as_str();
    let run = || Runner::new().run_str(text, "generated", &mut Discard);
    b.case(
        name,
        &format!("{objects} objects {steps} steps"),
        Throughput {
            bytes: Some(text.len() as f64),
            items: None,
        },
        || {
            let c = run().map_err(|e| e.to_string())?;
            if c.passed != steps || c.failed != 0 {
                return Err(format!("{} passed, {} failed", c.passed, c.failed));
            }
            Ok(())
        },
        || run().ok(),
    );
}

/// `secctx check` over many request lines: a handful of descriptors and
/// tokens, repeated (as an audit script sends them).
fn check_cli(b: &mut Bench) {
    let name = "machine/check-cli";
    if !b.selected(name) {
        return;
    }
    let lines = if b.timing() { 1_000_000 } else { 2_000 };
    let sds = [
        "O:BAG:SYD:(D;;0x1f01ff;;;S-1-5-21-1-2-3-1001)(A;;0x1200a9;;;BU)(A;;0x1f01ff;;;BA)(A;;0x120089;;;AU)(A;;0x1f01ff;;;SY)",
        "O:BAG:SYD:PAI(A;;FA;;;SY)(A;;FA;;;BA)(A;;FR;;;S-1-5-21-1-2-3-1000)",
        "O:BAG:SYD:PAI(A;;FA;;;SY)(A;;FA;;;BA)",
    ];
    let tokens = [
        r#"{"user":"S-1-5-21-1-2-3-1000","groups":["S-1-5-21-1-2-3-513","WD","BU","AU","IU"]}"#,
        r#"{"user":"S-1-5-21-1-2-3-1001","groups":["S-1-5-21-1-2-3-513","WD","BU","AU","IU"]}"#,
    ];
    let mut input = String::with_capacity(lines * 300);
    let mut granted = 0;
    for i in 0..lines {
        let (s, t) = (i % sds.len(), (i / sds.len()) % tokens.len());
        // The model answer: descriptors 0 and 1 grant the read to user 1000,
        // descriptor 0 denies user 1001, descriptor 2 grants neither.
        if (s, t) == (0, 0) || (s, t) == (1, 0) {
            granted += 1;
        }
        let _ = writeln!(
            input,
            r#"{{"id":{i},"sd":"{}","token":{},"desired":"FILE_GENERIC_READ","mapping":"file"}}"#,
            sds[s], tokens[t]
        );
    }
    let run = || -> Result<usize, String> {
        let mut child = Command::new(env!("CARGO_BIN_EXE_secctx"))
            .arg("check")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| e.to_string())?;
        let mut stdin = child.stdin.take().ok_or("no stdin")?;
        let data = input.clone();
        let feeder = std::thread::spawn(move || stdin.write_all(data.as_bytes()));
        let out = child.wait_with_output().map_err(|e| e.to_string())?;
        feeder
            .join()
            .map_err(|_| "feeder panicked".to_string())?
            .map_err(|e| e.to_string())?;
        if !out.status.success() {
            return Err(format!("secctx check exited with {}", out.status));
        }
        let text = String::from_utf8_lossy(&out.stdout);
        let answers = text.lines().count();
        if answers != lines {
            return Err(format!("{answers} answers to {lines} requests"));
        }
        // The access status, not the call's own (`call_status`), which is
        // STATUS_SUCCESS whenever the check ran.
        Ok(text.matches("\"status\":\"STATUS_SUCCESS\"").count())
    };
    b.heavy(
        name,
        &format!("{lines} request lines"),
        Throughput {
            bytes: Some(input.len() as f64),
            items: Some(lines as f64),
        },
        || match run() {
            Ok(n) if n == granted => Ok(()),
            Ok(n) => Err(format!("{n} granted, expected {granted}")),
            Err(e) => Err(e),
        },
    );
}
