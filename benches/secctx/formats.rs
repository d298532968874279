//! SDDL parse and print, binary encode and decode, over the Windows vectors in
//! `../shared/conformance/`.

use crate::harness::{Bench, Throughput};
use secctx::{binary, sddl, SecurityDescriptor, Sid};
use std::hint::black_box;

struct Corpus {
    sddl: Vec<(String, Option<Sid>)>,
    parsed: Vec<(SecurityDescriptor, Option<Sid>)>,
    bytes: Vec<Vec<u8>>,
}

fn load() -> Option<Corpus> {
    let dir = std::env::var_os("SECCTX_CONFORMANCE_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance")
        });
    let text = std::fs::read_to_string(dir.join("windows-sddl.jsonl")).ok()?;
    let mut sddl_list = Vec::new();
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).ok()?;
        if v["kind"] != "sddl_to_bytes" {
            continue;
        }
        let domain = v["domain_sid"].as_str().map(|d| d.parse().unwrap());
        sddl_list.push((v["sddl"].as_str()?.to_string(), domain));
    }
    let parsed: Vec<_> = sddl_list
        .iter()
        .map(|(s, d)| (sddl::parse(s, d.as_ref()).unwrap(), *d))
        .collect();
    let bytes = parsed
        .iter()
        .map(|(sd, _)| binary::encode(sd).unwrap())
        .collect();
    Some(Corpus {
        sddl: sddl_list,
        parsed,
        bytes,
    })
}

pub fn run(b: &mut Bench) {
    const CASES: [&str; 4] = [
        "formats/sddl-parse",
        "formats/sddl-print",
        "formats/binary-encode",
        "formats/binary-decode",
    ];
    if !CASES.iter().any(|c| b.selected(c)) {
        return;
    }
    let Some(c) = load() else {
        eprintln!("formats benches skipped: ../shared/conformance/windows-sddl.jsonl not found");
        return;
    };
    let c = &c;
    let n = c.sddl.len();
    let params = format!("{n} Windows vectors per op");
    let sddl_bytes: usize = c.sddl.iter().map(|(s, _)| s.len()).sum();
    let bin_bytes: usize = c.bytes.iter().map(Vec::len).sum();

    b.case(
        "formats/sddl-parse",
        &params,
        Throughput {
            bytes: Some(sddl_bytes as f64),
            items: Some(n as f64),
        },
        || {
            for ((s, d), (sd, _)) in c.sddl.iter().zip(&c.parsed) {
                if sddl::parse(s, d.as_ref()).as_ref() != Ok(sd) {
                    return Err(format!("parse differs for {s}"));
                }
            }
            Ok(())
        },
        || {
            for (s, d) in &c.sddl {
                black_box(sddl::parse(black_box(s), d.as_ref()).ok());
            }
        },
    );
    b.case(
        "formats/sddl-print",
        &params,
        Throughput {
            bytes: Some(sddl_bytes as f64),
            items: Some(n as f64),
        },
        || {
            for (sd, d) in &c.parsed {
                sddl::print(sd, d.as_ref()).map_err(|e| e.to_string())?;
            }
            Ok(())
        },
        || {
            for (sd, d) in &c.parsed {
                black_box(sddl::print(black_box(sd), d.as_ref()).ok());
            }
        },
    );
    b.case(
        "formats/binary-encode",
        &params,
        Throughput {
            bytes: Some(bin_bytes as f64),
            items: Some(n as f64),
        },
        || Ok(()),
        || {
            for (sd, _) in &c.parsed {
                black_box(binary::encode(black_box(sd)).ok());
            }
        },
    );
    b.case(
        "formats/binary-decode",
        &params,
        Throughput {
            bytes: Some(bin_bytes as f64),
            items: Some(n as f64),
        },
        || {
            for (bytes, (sd, _)) in c.bytes.iter().zip(&c.parsed) {
                if binary::decode(bytes).as_ref() != Ok(sd) {
                    return Err("decode differs".into());
                }
            }
            Ok(())
        },
        || {
            for bytes in &c.bytes {
                black_box(binary::decode(black_box(bytes)).ok());
            }
        },
    );
}
