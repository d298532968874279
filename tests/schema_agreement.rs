//! The JSON Schema and the fixture reader agree: a corpus of good and bad
//! fixtures is judged by a real JSON Schema validator (Python's
//! `jsonschema`, draft 2020-12) and by secctx, and the two verdicts must be
//! the same on every file. The schema itself is generated from the fixture
//! types; the checked-in copy must equal what `secctx schema` prints.
//!
//! The corpus holds only structural faults (unknown fields, missing fields,
//! wrong types, words outside a closed vocabulary). Names that resolve
//! against the fixture (a thread, an object, a right) are strings to the
//! schema, so a fixture naming a ghost thread is not in the corpus.
//!
//! Without `python3` and `jsonschema` the agreement test says it was skipped;
//! `SECCTX_REQUIRE_SCHEMA_VALIDATOR=1` (set by CI) makes that an error.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use secctx::fixture::{self, Discard, FixtureError, Runner};
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn schema() -> Value {
    serde_json::from_str(&fixture::fixture_schema()).unwrap()
}

/// The checked-in schema is the generated one, and `secctx schema` prints
/// it: regenerate with `cargo run -q -- schema > schema/fixture.schema.json`.
#[test]
fn the_checked_in_schema_is_generated_from_the_types() {
    let on_disk = std::fs::read_to_string(root().join("schema/fixture.schema.json")).unwrap();
    assert!(
        on_disk == fixture::fixture_schema(),
        "schema/fixture.schema.json is stale: run `cargo run -q -- schema > schema/fixture.schema.json`"
    );
    let out = support::run(&["schema"], "");
    assert_eq!(out.0, 0);
    let printed: Value = serde_json::from_str(&out.1).unwrap();
    assert_eq!(printed, schema());
}

/// Every operation the reader knows is in the schema, with `op` required,
/// and nothing else is.
#[test]
fn the_schema_lists_every_operation() {
    let s = schema();
    let variants = s["$defs"]["Step"]["oneOf"].as_array().unwrap();
    let ops: Vec<&str> = variants
        .iter()
        .map(|v| v["properties"]["op"]["const"].as_str().unwrap())
        .collect();
    assert_eq!(ops, fixture::Step::OPS);
    for v in variants {
        assert_eq!(v["required"][0], "op");
        assert_eq!(v["additionalProperties"], false);
    }
}

/// A fixture with its JSON and a name.
struct Case {
    name: String,
    doc: Value,
}

fn bundled() -> Vec<(String, Value)> {
    fixture::collect_files(&[root().join("fixtures")])
        .unwrap()
        .into_iter()
        .map(|p| {
            let name = p.file_stem().unwrap().to_string_lossy().into_owned();
            let doc = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
            (name, doc)
        })
        .collect()
}

fn sort_keys(v: &Value) -> Value {
    match v {
        Value::Object(m) => {
            let mut entries: Vec<_> = m.iter().collect();
            entries.sort_by(|a, b| a.0.cmp(b.0));
            Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k.clone(), sort_keys(v)))
                    .collect(),
            )
        }
        Value::Array(a) => Value::Array(a.iter().map(sort_keys).collect()),
        other => other.clone(),
    }
}

/// The required fields of each operation, as the schema states them.
fn required_fields(schema: &Value, op: &str) -> Vec<String> {
    schema["$defs"]["Step"]["oneOf"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["properties"]["op"]["const"] == op)
        .map(|v| {
            v["required"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r.as_str().unwrap().to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// A copy of `doc` with step `i` changed by `f`.
fn with_step(doc: &Value, i: usize, f: impl FnOnce(&mut serde_json::Map<String, Value>)) -> Value {
    let mut d = doc.clone();
    f(d["steps"][i].as_object_mut().unwrap());
    d
}

/// A small world whose names resolve, for steps written by hand.
fn world(steps: Value) -> Value {
    json!({
        "domain_sid": "S-1-5-21-1-2-3",
        "principals": {"alice": "S-1-5-21-1-2-3-1104"},
        "guids": {"prop": "bf967a86-0de6-11d0-a285-00aa003049e2"},
        "tokens": {
            "alice": {"user": "alice", "groups": ["DU", "WD"], "privileges": ["SeChangeNotifyPrivilege"]}
        },
        "processes": {"shell": {"token": "alice", "threads": ["main"],
                                "handles": {"self": {"token": "alice", "access": "TOKEN_ALL_ACCESS"}}}},
        "objects": {"doc.txt": {"type": "file", "sd": "O:BAG:DUD:(A;;FR;;;DU)"}},
        "steps": steps
    })
}

/// Builds the corpus: the bundled fixtures as written and with sorted keys;
/// for one step of every operation, an unknown field, a missing required
/// field and an unknown expectation; and hand-written vocabulary and type
/// cases in a small world.
fn corpus(schema: &Value) -> Vec<Case> {
    let mut out = Vec::new();
    let mut add = |name: String, doc: Value| out.push(Case { name, doc });
    let fixtures = bundled();
    let mut ops_seen = Vec::new();
    for (name, doc) in &fixtures {
        add(format!("good-{name}"), doc.clone());
        add(format!("good-sorted-{name}"), sort_keys(doc));
        let steps = doc["steps"].as_array().cloned().unwrap_or_default();
        for (i, step) in steps.iter().enumerate() {
            let op = step["op"].as_str().unwrap().to_string();
            if ops_seen.contains(&op) {
                continue;
            }
            ops_seen.push(op.clone());
            add(
                format!("bad-unknown-field-{op}"),
                with_step(doc, i, |s| {
                    s.insert("fiel".into(), json!(1));
                }),
            );
            add(
                format!("bad-unknown-expectation-{op}"),
                with_step(doc, i, |s| {
                    s.insert("expect".into(), json!({"bogus": true}));
                }),
            );
            add(
                format!("good-null-note-{op}"),
                with_step(doc, i, |s| {
                    s.insert("note".into(), Value::Null);
                }),
            );
            if let Some(field) = required_fields(schema, &op).iter().find(|f| *f != "op") {
                let field = field.clone();
                add(
                    format!("bad-missing-{field}-{op}"),
                    with_step(doc, i, |s| {
                        s.remove(&field);
                    }),
                );
            }
            add(
                format!("bad-unknown-op-{op}"),
                with_step(doc, i, |s| {
                    s.insert("op".into(), json!(format!("{op}x")));
                }),
            );
        }
    }
    assert!(
        ops_seen.len() >= 15,
        "the bundled fixtures use only {ops_seen:?}"
    );
    for op in fixture::Step::OPS {
        if !ops_seen.iter().any(|o| o == op) {
            add(
                format!("bad-unknown-field-{op}"),
                world(json!([{"op": op, "thread": "main", "fiel": 1}])),
            );
        }
    }

    let step = |s: Value| world(json!([s]));
    let hand: Vec<(&str, Value)> = vec![
        // Closed vocabularies: spellings the reader accepts.
        (
            "good-level-security-prefix",
            step(
                json!({"op": "impersonate_self", "thread": "main", "level": "SecurityIdentification"}),
            ),
        ),
        (
            "good-level-upper",
            step(json!({"op": "impersonate_self", "thread": "main", "level": "IMPERSONATION"})),
        ),
        (
            "good-level-spaces",
            step(json!({"op": "impersonate_self", "thread": "main", "level": " delegation "})),
        ),
        (
            "good-integrity-dash",
            step(
                json!({"op": "set_integrity", "thread": "main", "handle": "self", "integrity": "Medium-Plus"}),
            ),
        ),
        (
            "good-integrity-short",
            step(
                json!({"op": "set_integrity", "thread": "main", "handle": "self", "integrity": "mediumplus"}),
            ),
        ),
        (
            "good-integrity-alias",
            step(
                json!({"op": "set_integrity", "thread": "main", "handle": "self", "integrity": "LW"}),
            ),
        ),
        (
            "good-integrity-sid",
            step(
                json!({"op": "set_integrity", "thread": "main", "handle": "self", "integrity": "S-1-16-4096"}),
            ),
        ),
        (
            "good-integrity-hex-sid",
            step(
                json!({"op": "set_integrity", "thread": "main", "handle": "self", "integrity": "s-1-16-0x1000"}),
            ),
        ),
        (
            "good-token-type-primary",
            step(
                json!({"op": "duplicate_token", "thread": "main", "handle": "self", "token_type": "Primary"}),
            ),
        ),
        (
            "good-status-short",
            step(json!({"op": "whoami", "thread": "main", "expect": {"status": "success"}})),
        ),
        (
            "good-status-spaces",
            step(
                json!({"op": "whoami", "thread": "main", "expect": {"status": " STATUS_SUCCESS "}}),
            ),
        ),
        (
            "good-expect-level-none",
            step(json!({"op": "whoami", "thread": "main", "expect": {"level": "None"}})),
        ),
        (
            "good-privilege-core",
            step(
                json!({"op": "adjust_privileges", "thread": "main", "handle": "self", "disable": ["changenotify"]}),
            ),
        ),
        (
            "good-privilege-full",
            step(
                json!({"op": "adjust_privileges", "thread": "main", "handle": "self", "enable": ["SECHANGENOTIFYPRIVILEGE"]}),
            ),
        ),
        (
            "good-parts-upper",
            step(
                json!({"op": "get_security", "thread": "main", "handle": "self", "parts": ["DACL", "Owner"]}),
            ),
        ),
        (
            "good-object-type-level-5",
            step(
                json!({"op": "check", "thread": "main", "object": "doc.txt", "desired": "FR", "object_types": [{"level": 0, "guid": "prop"}, {"level": 5, "guid": "prop"}]}),
            ),
        ),
        (
            "good-kind-folder",
            step(json!({"op": "create", "thread": "main", "object": "new", "type": "Folder"})),
        ),
        (
            "good-kind-registry",
            step(
                json!({"op": "check", "thread": "main", "sd": "O:BAG:BAD:", "type": "REGISTRY", "desired": 1}),
            ),
        ),
        (
            "good-api-alias",
            step(
                json!({"op": "create", "thread": "main", "object": "n2", "type": "file", "api": "ntfs"}),
            ),
        ),
        (
            "good-desired-list",
            step(
                json!({"op": "open", "thread": "main", "object": "doc.txt", "desired": ["FILE_READ_DATA", 128, ["READ_CONTROL"]]}),
            ),
        ),
        ("good-schema-key", {
            let mut w = step(json!({"op": "whoami", "thread": "main"}));
            w["$schema"] = json!("../schema/fixture.schema.json");
            w
        }),
        ("good-token-spec-type", {
            let mut w = step(json!({"op": "whoami", "thread": "main"}));
            w["tokens"]["imp"] = json!({"user": "alice", "type": "Impersonation", "impersonation_level": "SecurityDelegation", "integrity": "High"});
            w
        }),
        ("good-empty", json!({})),
        // Closed vocabularies: typos.
        (
            "bad-level-typo",
            step(json!({"op": "impersonate_self", "thread": "main", "level": "impersonate"})),
        ),
        (
            "bad-level-security-space",
            step(
                json!({"op": "impersonate_self", "thread": "main", "level": "Security Impersonation"}),
            ),
        ),
        (
            "bad-integrity-typo",
            step(
                json!({"op": "set_integrity", "thread": "main", "handle": "self", "integrity": "meduim"}),
            ),
        ),
        (
            "bad-integrity-other-sid",
            step(
                json!({"op": "set_integrity", "thread": "main", "handle": "self", "integrity": "S-1-5-32-544"}),
            ),
        ),
        (
            "bad-integrity-alias-lower",
            step(
                json!({"op": "set_integrity", "thread": "main", "handle": "self", "integrity": "lw"}),
            ),
        ),
        (
            "bad-token-type",
            step(
                json!({"op": "duplicate_token", "thread": "main", "handle": "self", "token_type": "primry"}),
            ),
        ),
        (
            "bad-status-typo",
            step(
                json!({"op": "whoami", "thread": "main", "expect": {"status": "STATUS_ACESS_DENIED"}}),
            ),
        ),
        (
            "bad-status-number",
            step(json!({"op": "whoami", "thread": "main", "expect": {"status": 0}})),
        ),
        (
            "bad-privilege-typo",
            step(
                json!({"op": "adjust_privileges", "thread": "main", "handle": "self", "enable": ["SeBackupPrivileg"]}),
            ),
        ),
        (
            "bad-privilege-half",
            step(
                json!({"op": "adjust_privileges", "thread": "main", "handle": "self", "enable": ["SeBackup"]}),
            ),
        ),
        (
            "bad-parts-typo",
            step(
                json!({"op": "get_security", "thread": "main", "handle": "self", "parts": ["dcl"]}),
            ),
        ),
        (
            "bad-parts-string",
            step(
                json!({"op": "get_security", "thread": "main", "handle": "self", "parts": "dacl"}),
            ),
        ),
        (
            "bad-kind-typo",
            step(json!({"op": "create", "thread": "main", "object": "new", "type": "fiel"})),
        ),
        (
            "bad-kind-spaces",
            step(json!({"op": "create", "thread": "main", "object": "new", "type": " file"})),
        ),
        (
            "bad-api-typo",
            step(
                json!({"op": "create", "thread": "main", "object": "n2", "type": "file", "api": "ntfss"}),
            ),
        ),
        ("bad-token-spec-integrity", {
            let mut w = step(json!({"op": "whoami", "thread": "main"}));
            w["tokens"]["alice"]["integrity"] = json!("hihg");
            w
        }),
        ("bad-token-spec-type", {
            let mut w = step(json!({"op": "whoami", "thread": "main"}));
            w["tokens"]["alice"]["type"] = json!("secondary");
            w
        }),
        ("bad-import-format", {
            let mut w = step(json!({"op": "whoami", "thread": "main"}));
            w["imports"] = json!([{"format": "icals", "file": "data/share.icacls.txt"}]);
            w
        }),
        // Fields that do not apply, and wrong types.
        (
            "bad-handle-on-check",
            step(
                json!({"op": "check", "thread": "main", "object": "doc.txt", "desired": "FR", "handle": "self"}),
            ),
        ),
        (
            "bad-granted-on-revert",
            step(json!({"op": "revert", "thread": "main", "expect": {"granted": "FR"}})),
        ),
        (
            "bad-capped-on-open",
            step(
                json!({"op": "open", "thread": "main", "object": "doc.txt", "desired": "FR", "expect": {"capped": false}}),
            ),
        ),
        (
            "bad-desired-bool",
            step(json!({"op": "open", "thread": "main", "object": "doc.txt", "desired": true})),
        ),
        (
            "bad-desired-negative",
            step(json!({"op": "open", "thread": "main", "object": "doc.txt", "desired": -1})),
        ),
        (
            "bad-depth-negative",
            step(json!({"op": "whoami", "thread": "main", "expect": {"depth": -1}})),
        ),
        (
            "bad-depth-text",
            step(json!({"op": "whoami", "thread": "main", "expect": {"depth": "2"}})),
        ),
        (
            "bad-level-number",
            step(json!({"op": "impersonate_self", "thread": "main", "level": 3})),
        ),
        (
            "bad-object-type-level-too-big",
            step(
                json!({"op": "check", "thread": "main", "object": "doc.txt", "desired": "FR", "object_types": [{"level": 70000, "guid": "prop"}]}),
            ),
        ),
        (
            "bad-thread-number",
            step(json!({"op": "whoami", "thread": 7})),
        ),
        ("bad-step-not-object", world(json!(["whoami"]))),
        ("bad-steps-not-array", world(json!({"op": "whoami"}))),
        ("bad-step-no-op", step(json!({"thread": "main"}))),
        (
            "bad-results-entry-field",
            step(
                json!({"op": "check", "thread": "main", "object": "doc.txt", "desired": "FR", "expect": {"results": [{"granted": "FR", "stauts": "SUCCESS"}]}}),
            ),
        ),
        ("bad-top-level-key", json!({"colour": "blue"})),
        ("bad-token-field", {
            let mut w = step(json!({"op": "whoami", "thread": "main"}));
            w["tokens"]["alice"]["privilges"] = json!([]);
            w
        }),
        ("bad-process-field", {
            let mut w = step(json!({"op": "whoami", "thread": "main"}));
            w["processes"]["shell"]["thred"] = json!("x");
            w
        }),
        ("bad-object-field", {
            let mut w = step(json!({"op": "whoami", "thread": "main"}));
            w["objects"]["doc.txt"]["sdd"] = json!("D:");
            w
        }),
        ("bad-object-sd-number", {
            let mut w = step(json!({"op": "whoami", "thread": "main"}));
            w["objects"]["doc.txt"]["sd"] = json!(3);
            w
        }),
        ("bad-handle-spec-field", {
            let mut w = step(json!({"op": "whoami", "thread": "main"}));
            w["processes"]["shell"]["handles"]["self"]["acces"] = json!("TOKEN_QUERY");
            w
        }),
        ("bad-principals-not-string", {
            let mut w = step(json!({"op": "whoami", "thread": "main"}));
            w["principals"]["bob"] = json!(5);
            w
        }),
        ("bad-name-not-string", {
            let mut w = step(json!({"op": "whoami", "thread": "main"}));
            w["name"] = json!(["x"]);
            w
        }),
    ];
    for (name, doc) in hand {
        add(name.to_string(), doc);
    }
    out
}

/// secctx's verdict: whether the fixture is read and run without being
/// called invalid (a failed expectation is still a valid fixture).
fn secctx_accepts(doc: &Value) -> Result<(), String> {
    let text = doc.to_string();
    match Runner::new()
        .base(root().join("fixtures"))
        .run_str(&text, "corpus", &mut Discard)
    {
        Ok(_) => Ok(()),
        Err(FixtureError::Invalid(e)) => Err(e.to_string()),
        Err(e) => panic!("not a verdict on the fixture: {e}"),
    }
}

/// Runs the validator; `None` when python3 or jsonschema is missing and not
/// required.
fn validate(schema_path: &Path, files: &[PathBuf]) -> Option<Vec<(String, bool, String)>> {
    let required = std::env::var_os("SECCTX_REQUIRE_SCHEMA_VALIDATOR").is_some_and(|v| v != "0");
    let out = Command::new("python3")
        .arg(root().join("tests/schema/validate.py"))
        .arg(schema_path)
        .args(files)
        .output();
    let out = match out {
        Ok(o) if o.status.success() => o,
        other => {
            assert!(
                !required,
                "the JSON Schema validator is required (SECCTX_REQUIRE_SCHEMA_VALIDATOR) but could not run: {other:?}"
            );
            use std::io::Write as _;
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED: schema agreement needs python3 with `jsonschema` (pip install jsonschema==4.26.0); \
                 set SECCTX_REQUIRE_SCHEMA_VALIDATOR=1 to make this an error"
            );
            return None;
        }
    };
    let text = String::from_utf8(out.stdout).unwrap();
    Some(
        text.lines()
            .map(|l| {
                let mut parts = l.splitn(3, '\t');
                let name = parts.next().unwrap().trim_end_matches(".json").to_string();
                let valid = parts.next() == Some("valid");
                (name, valid, parts.next().unwrap_or("").to_string())
            })
            .collect(),
    )
}

/// A real JSON Schema validator and secctx agree on every file of the
/// corpus, which holds at least 100 fixtures, good and bad.
#[test]
fn schema_and_reader_agree_on_every_corpus_file() {
    let schema = schema();
    let cases = corpus(&schema);
    assert!(cases.len() >= 100, "only {} corpus files", cases.len());
    let dir = std::env::temp_dir().join(format!("secctx-schema-corpus-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let schema_path = dir.join("schema.json");
    std::fs::write(&schema_path, fixture::fixture_schema()).unwrap();
    let mut files = Vec::new();
    for c in &cases {
        let p = dir.join(format!("{}.json", c.name));
        std::fs::write(&p, c.doc.to_string()).unwrap();
        files.push(p);
    }
    let Some(verdicts) = validate(&schema_path, &files) else {
        return;
    };
    assert_eq!(verdicts.len(), cases.len());
    let mut disagreements = Vec::new();
    let (mut good, mut bad) = (0, 0);
    for (c, (name, schema_ok, schema_err)) in cases.iter().zip(&verdicts) {
        assert_eq!(&c.name, name);
        let ours = secctx_accepts(&c.doc);
        if ours.is_ok() {
            good += 1;
        } else {
            bad += 1;
        }
        // The corpus names say what each file should be; both must say so.
        let expected_ok = c.name.starts_with("good-");
        if *schema_ok != expected_ok || ours.is_ok() != expected_ok {
            disagreements.push(format!(
                "{name}: expected {}, schema says {} {schema_err}, secctx says {:?}",
                if expected_ok { "valid" } else { "invalid" },
                if *schema_ok { "valid" } else { "invalid" },
                ours
            ));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        disagreements.is_empty(),
        "{} of {} disagree:\n{}",
        disagreements.len(),
        cases.len(),
        disagreements.join("\n")
    );
    assert!(good >= 40 && bad >= 60, "good {good}, bad {bad}");
}
