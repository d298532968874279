//! The fixture runner: the bundled teaching library, the schema, the exit
//! statuses, and malformed fixtures reported by JSON path.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use secctx::fixture::{self, Collect, FixtureError, Runner, Verdict};
use std::path::{Path, PathBuf};

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn bundled() -> Vec<PathBuf> {
    fixture::collect_files(&[fixtures_dir()]).unwrap()
}

fn run_text(text: &str) -> (Result<fixture::Counts, FixtureError>, Collect) {
    let mut sink = Collect::default();
    let r = Runner::new().run_str(text, "test", &mut sink);
    (r, sink)
}

fn invalid(text: &str) -> String {
    match run_text(text).0 {
        Err(FixtureError::Invalid(e)) => e.to_string(),
        other => panic!("expected an invalid fixture, got {other:?}"),
    }
}

/// A small valid world the malformed cases start from.
const WORLD: &str = r#""domain_sid": "S-1-5-21-1-2-3",
  "principals": {"alice": "S-1-5-21-1-2-3-1104"},
  "tokens": {"alice": {"user": "alice", "groups": ["DU", "WD"]}},
  "processes": {"shell": {"token": "alice", "threads": ["main"]}},
  "objects": {"doc.txt": {"type": "file", "sd": "O:BAG:DUD:(A;;FR;;;DU)"}}"#;

fn with_steps(steps: &str) -> String {
    format!("{{{WORLD},\n\"steps\": [{steps}]}}")
}

/// Every bundled fixture runs, every expectation holds, and every step
/// carries one (the teaching library judges everything it shows).
#[test]
fn every_bundled_fixture_passes() {
    let files = bundled();
    assert!(files.len() >= 15, "only {} fixtures", files.len());
    let mut sink = Collect::default();
    let totals = Runner::new().run_files(&files, &mut sink).unwrap();
    for s in &sink.steps {
        assert_eq!(
            s.verdict,
            Verdict::Pass,
            "step {} ({}) {:?}",
            s.index,
            s.title,
            s.failures
        );
    }
    assert_eq!(totals.invalid, 0, "{:?}", sink.fixtures);
    assert_eq!(totals.counts.failed, 0);
    assert_eq!(totals.counts.not_judged, 0);
    assert!(totals.counts.passed >= 100, "{totals:?}");
    for f in &sink.fixtures {
        assert!(f.error.is_none(), "{}: {:?}", f.file, f.error);
        let d = f.description.as_deref().unwrap_or_default();
        assert!(d.len() > 80, "{} needs a description that teaches", f.file);
        assert!(f.name.is_some(), "{} needs a name", f.file);
    }
}

/// The library covers the scenarios the teaching library promises.
#[test]
fn the_library_covers_its_topics() {
    let mut ops = std::collections::HashSet::new();
    let mut text_all = String::new();
    for f in bundled() {
        let text = std::fs::read_to_string(&f).unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        for s in v["steps"].as_array().unwrap() {
            ops.insert(s["op"].as_str().unwrap().to_string());
        }
        text_all.push_str(&text);
    }
    for op in [
        "impersonate",
        "push",
        "pop",
        "revert",
        "open",
        "check",
        "create",
        "restrict",
        "duplicate_token",
        "adjust_privileges",
        "adjust_groups",
        "open_thread_token",
        "open_process_token",
        "create_process",
        "set_security",
    ] {
        assert!(ops.contains(op), "no fixture uses `{op}`");
    }
    for needle in [
        "identification",
        "deny_only",
        "restricting_sids",
        "(ML;",
        "(A;;FR;;;OW)",
        "NO_ACCESS_CONTROL",
        "CO)",
        "backup_intent",
        "SeTakeOwnershipPrivilege",
        "MAXIMUM_ALLOWED",
        "object_types",
        "(XA;",
        "user_claims",
        "imports",
    ] {
        assert!(text_all.contains(needle), "no fixture shows `{needle}`");
    }
}

/// A fixture with a wrong expectation fails that step, and the CLI exits
/// with status 1 and says so in the summary.
#[test]
fn a_wrong_expectation_fails_with_exit_status_1() {
    let text = with_steps(
        r#"{"op": "open", "thread": "main", "object": "doc.txt", "desired": "FILE_READ_DATA",
            "expect": {"status": "STATUS_SUCCESS"}},
           {"op": "open", "thread": "main", "object": "doc.txt", "desired": "FILE_WRITE_DATA",
            "expect": {"status": "STATUS_SUCCESS", "granted": "FILE_WRITE_DATA"}}"#,
    );
    let (r, sink) = run_text(&text);
    let counts = r.unwrap();
    assert_eq!((counts.passed, counts.failed), (1, 1));
    let failed = &sink.steps[1];
    assert_eq!(failed.verdict, Verdict::Fail);
    assert!(
        failed.failures[0].contains("expected STATUS_SUCCESS, got STATUS_ACCESS_DENIED"),
        "{:?}",
        failed.failures
    );
    assert!(
        failed.trace.is_some(),
        "a failed check carries its explanation"
    );

    let dir = tempdir("wrong");
    let file = dir.join("wrong.json");
    std::fs::write(&file, &text).unwrap();
    let (code, out, _) = support::run(&["run", file.to_str().unwrap()], "");
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("FAIL [1]"), "{out}");
    assert!(out.contains("why:"), "{out}");
    assert_eq!(out.lines().last(), Some("1 passed, 1 failed"), "{out}");
}

fn tempdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("secctx-test-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Malformed fixtures are reported with the JSON path and what is wrong.
#[test]
fn malformed_fixtures_name_the_path() {
    let cases: Vec<(String, &str, &str)> = vec![
        (
            "{\"name\": \"x\",\n \"steps\": [}".into(),
            "steps[0]",
            "invalid JSON: expected value at line 2 column 12",
        ),
        (
            format!("{{{WORLD}, \"stpes\": []}}"),
            "",
            "unknown field `stpes`",
        ),
        (
            with_steps(r#"{"op": "open", "thread": "main", "object": "doc.txt", "desird": "FR"}"#),
            "steps[0].desird",
            "unknown field `desird`",
        ),
        (
            r#"{"tokens": {"t": {"user": "carol"}}, "steps": []}"#.into(),
            "tokens.t.user",
            "`carol` is not a SID or alias",
        ),
        (
            with_steps(r#"{"op": "whoami", "thread": "ghost"}"#),
            "steps[0].thread",
            "unknown thread `ghost`",
        ),
        (
            with_steps(
                r#"{"op": "open", "thread": "main", "object": "doc.txt", "desired": "FILE_REED_DATA"}"#,
            ),
            "steps[0].desired",
            "unknown access right `FILE_REED_DATA`",
        ),
        (
            with_steps(
                r#"{"op": "whoami", "thread": "main"}, {"op": "whoami", "thread": "main"},
                   {"op": "whoami", "thread": "main"},
                   {"op": "open", "thread": "main", "object": "doc.txt", "desired": "FR",
                    "expect": {"status": "STATUS_ACESS_DENIED"}}"#,
            ),
            "steps[3].expect.status",
            "unknown status `STATUS_ACESS_DENIED`",
        ),
        (
            with_steps(
                r#"{"op": "open", "thread": "main", "object": "doc.txt", "desired": "FR", "level": "impersonation"}"#,
            ),
            "steps[0].level",
            "unknown field `level`, expected one of `note`, `thread`, `object`, `desired`, `backup_intent`, `save_as`, `expect`",
        ),
        (
            with_steps(r#"{"op": "revert", "thread": "main", "expect": {"granted": "FR"}}"#),
            "steps[0].expect.granted",
            "unknown field `granted`, expected one of `status`, `user`, `level`, `integrity`, `depth`",
        ),
        (
            with_steps(
                r#"{"op": "open", "thread": "main", "object": "nope.txt", "desired": "FR"}"#,
            ),
            "steps[0].object",
            "no object at `nope.txt`",
        ),
        (
            r#"{"processes": {"p": {"token": "nobody"}}, "steps": []}"#.into(),
            "processes.p.token",
            "unknown token `nobody`",
        ),
        (
            r#"{"objects": {"a/b": {"type": "file", "sd": "D:"}}, "steps": []}"#.into(),
            "objects.a/b",
            "the parent `\\a` must be declared before `a/b`",
        ),
        (
            r#"{"objects": {"a": {"type": "fiel", "sd": "D:"}}}"#.into(),
            "objects.a.type",
            "unknown object type `fiel`",
        ),
        (
            r#"{"objects": {"a": {"type": "file", "sd": "D:(A;;FA;;;XX)"}}}"#.into(),
            "objects.a.sd",
            "invalid SDDL",
        ),
        (
            r#"{"principals": {"a": "S-1-5-32-544", "a": "S-1-5-32-545"}}"#.into(),
            "principals",
            "`a` is defined twice",
        ),
        (
            with_steps(r#"{"thread": "main", "op": "revert", "expect": {"statsu": "SUCCESS"}}"#),
            "steps[0].expect.statsu",
            "unknown field `statsu`",
        ),
        (
            with_steps(r#"{"thread": "main", "op": "opn"}"#),
            "steps[0].op",
            "unknown variant `opn`",
        ),
        (
            with_steps(r#"{"thread": "main"}"#),
            "steps[0]",
            "missing field `op`",
        ),
        (
            with_steps(r#"{"op": "open", "thread": "main", "object": "doc.txt"}"#),
            "steps[0]",
            "missing field `desired`",
        ),
        (
            with_steps(r#"{"op": "impersonate_self", "thread": "main", "level": "impersonaton"}"#),
            "steps[0].level",
            "unknown impersonation level `impersonaton`; expected anonymous, identification, impersonation or delegation",
        ),
        (
            with_steps(r#"{"op": "set_integrity", "thread": "main", "handle": "h", "integrity": "meduim"}"#),
            "steps[0].integrity",
            "unknown integrity level `meduim`",
        ),
    ];
    for (json, path, message) in cases {
        let e = invalid(&json);
        let expected_prefix = if path.is_empty() {
            String::new()
        } else {
            format!("{path}: ")
        };
        assert!(
            e.starts_with(&expected_prefix) && e.contains(message),
            "{json}\n  got: {e}\n  want: {expected_prefix}…{message}"
        );
    }
}

/// Handles are values: a pseudo handle or NULL goes to the machine as
/// Windows would get it, and the machine checks the handle before anything
/// else, in ObReferenceObjectByHandle's order: NULL is an invalid handle, a
/// process handle where a token is needed is a type mismatch, and the token
/// pseudo handles carry TOKEN_QUERY | TOKEN_QUERY_SOURCE only.
#[test]
fn pseudo_and_null_handles_reach_the_machine() {
    let text = with_steps(
        r#"{"op": "adjust_privileges", "thread": "main", "handle": null, "enable": ["SeChangeNotifyPrivilege"],
            "expect": {"status": "STATUS_INVALID_HANDLE"}},
           {"op": "adjust_privileges", "thread": "main", "handle": "GetCurrentProcess()", "enable": ["SeChangeNotifyPrivilege"],
            "expect": {"status": "STATUS_OBJECT_TYPE_MISMATCH"}},
           {"op": "adjust_privileges", "thread": "main", "handle": "GetCurrentProcessToken", "enable": ["SeChangeNotifyPrivilege"],
            "expect": {"status": "STATUS_ACCESS_DENIED"}},
           {"op": "duplicate_token", "thread": "main", "handle": "GetCurrentThreadToken()",
            "expect": {"status": "STATUS_NO_TOKEN"}},
           {"op": "get_security", "thread": "main", "handle": "GetCurrentThread()", "parts": ["owner"],
            "expect": {"status": "STATUS_SUCCESS"}}"#,
    );
    let (r, sink) = run_text(&text);
    let counts = r.unwrap();
    assert_eq!(
        (counts.passed, counts.failed),
        (5, 0),
        "{:#?}",
        sink.steps
            .iter()
            .map(|s| (&s.title, s.status, &s.failures))
            .collect::<Vec<_>>()
    );
    assert_eq!(
        sink.steps[1].title,
        "main adjusts the privileges of token GetCurrentProcess()"
    );
}

/// The call-level expectations: a Win32 BOOL and GetLastError, a set of
/// statuses, failure, and the token a call returned, in part.
#[test]
fn call_expectations_judge_win32_results_and_tokens() {
    let text = with_steps(
        r#"{"op": "adjust_privileges", "thread": "main", "handle": "GetCurrentProcessToken()", "enable": ["SeChangeNotifyPrivilege"],
            "expect": {"returned": false, "last_error": "ERROR_ACCESS_DENIED", "fails": true,
                       "status_in": ["STATUS_ACCESS_DENIED", "STATUS_INVALID_HANDLE"]}},
           {"op": "open_process_token", "thread": "main", "desired": "TOKEN_ALL_ACCESS", "save_as": "t",
            "expect": {"returned": true, "last_error": 0,
                       "token": {"type": "primary", "user": "alice", "groups": ["DU"], "no_groups": ["BA"],
                                 "is_restricted": false, "integrity": "medium", "elevation_type": "default"}}},
           {"op": "duplicate_token", "thread": "main", "handle": "t", "level": "identification", "save_as": "d",
            "expect": {"token": {"type": "impersonation", "level": "identification", "not_same_as": "t"}}},
           {"op": "adjust_privileges", "thread": "main", "handle": "t", "enable": ["SeBackupPrivilege"],
            "expect": {"returned": true, "last_error": "NOT_ALL_ASSIGNED"}},
           {"op": "open_process_token", "thread": "main", "desired": "TOKEN_QUERY",
            "expect": {"token": {"type": "impersonation", "user": "BA", "same_as": "d"}, "last_error": "ERROR_INVALID_HANDLE"}}"#,
    );
    let (r, sink) = run_text(&text);
    let counts = r.unwrap();
    assert_eq!((counts.passed, counts.failed), (4, 1));
    let failed = &sink.steps[4].failures;
    assert_eq!(
        failed,
        &vec![
            "last_error: expected ERROR_INVALID_HANDLE (6), got NO_ERROR (0)".to_string(),
            "token.type: expected Impersonation, got Primary".to_string(),
            "token.user: expected S-1-5-32-544, got alice".to_string(),
            "token.same_as: the token is not the token behind d".to_string(),
        ]
    );
}

/// Sorts an object's keys at every depth, as `jq -S` does.
fn sort_keys(v: serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Object(m) => {
            let mut entries: Vec<_> = m.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            serde_json::Value::Object(
                entries
                    .into_iter()
                    .map(|(k, v)| (k, sort_keys(v)))
                    .collect(),
            )
        }
        serde_json::Value::Array(a) => {
            serde_json::Value::Array(a.into_iter().map(sort_keys).collect())
        }
        other => other,
    }
}

/// A fixture's sections and a step's fields may come in any order: every
/// bundled fixture with its keys sorted (so `steps` comes before `tokens`,
/// and `op` after `expect`) gives the same verdicts as written.
#[test]
fn sorted_key_fixtures_run_the_same() {
    for f in bundled() {
        let text = std::fs::read_to_string(&f).unwrap();
        let sorted = sort_keys(serde_json::from_str(&text).unwrap()).to_string();
        assert!(
            sorted.find("\"steps\"") < sorted.find("\"tokens\"") || !sorted.contains("\"tokens\""),
            "{}: sorting should move steps before tokens",
            f.display()
        );
        let run = |t: &str| {
            let mut sink = Collect::default();
            let counts = Runner::new()
                .base(fixtures_dir())
                .run_str(t, "t", &mut sink)
                .unwrap_or_else(|e| panic!("{}: {e}", f.display()));
            let verdicts: Vec<_> = sink
                .steps
                .iter()
                .map(|s| (s.op, s.status, s.verdict))
                .collect();
            (counts, verdicts)
        };
        let (a, va) = run(&text);
        let (b, vb) = run(&sorted);
        assert_eq!(a, b, "{}", f.display());
        assert_eq!(va, vb, "{}", f.display());
        assert!(a.passed > 0, "{}", f.display());
    }
}

/// A fixture read as a stream runs its steps as they come, so a world
/// section after `steps` is an error that says how to fix it.
#[test]
fn a_streamed_fixture_needs_its_world_first() {
    let text = r#"{"steps": [], "tokens": {}}"#;
    let mut sink = Collect::default();
    let e = Runner::new()
        .run_reader(text.as_bytes(), "t", &mut sink)
        .unwrap_err()
        .to_string();
    assert_eq!(
        e,
        "tokens: `tokens` comes after `steps`, and this fixture is read as a stream: put the world sections first, or read it from a file or a string"
    );
    // The same text held in memory runs.
    let mut sink = Collect::default();
    assert!(Runner::new().run_str(text, "t", &mut sink).is_ok());
}

/// An invalid fixture makes the CLI exit with status 2 and print the path.
#[test]
fn an_invalid_fixture_exits_with_status_2() {
    let dir = tempdir("invalid");
    let file = dir.join("bad.json");
    std::fs::write(
        &file,
        with_steps(r#"{"op": "whoami", "thread": "ghost", "expect": {"user": "alice"}}"#),
    )
    .unwrap();
    let (code, out, _) = support::run(&["run", file.to_str().unwrap()], "");
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("INVALID steps[0].thread: unknown thread `ghost`"),
        "{out}"
    );
    assert!(out.contains("1 invalid fixture"), "{out}");
}

/// Missing paths and folders without fixtures: a clear message, status 2.
#[test]
fn missing_paths_and_empty_folders_exit_with_status_2() {
    let (code, _, err) = support::run(&["run", "/nonexistent/secctx/x.json"], "");
    assert_eq!(code, 2);
    assert!(
        err.contains("`/nonexistent/secctx/x.json` does not exist"),
        "{err}"
    );
    let empty = tempdir("empty");
    std::fs::write(empty.join("notes.txt"), "not a fixture").unwrap();
    let (code, _, err) = support::run(&["run", empty.to_str().unwrap()], "");
    assert_eq!(code, 2);
    assert!(err.contains("holds no fixtures"), "{err}");
}

/// Deeply nested JSON is refused with an error, not a stack overflow.
#[test]
fn deeply_nested_json_is_an_error() {
    let deep = format!(
        "{{\"steps\": [{{\"op\": \"check\", \"desired\": {}1{}}}]}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    let e = invalid(&deep);
    assert!(e.contains("recursion limit"), "{e}");
    let deep_obj = format!("{{\"name\": {}}}", "{\"a\":".repeat(50_000));
    let e = invalid(&deep_obj);
    assert!(e.contains("invalid"), "{e}");
}

/// `--format json` gives the same report as one JSON document.
#[test]
fn json_report_has_the_same_counts() {
    let dir = fixtures_dir();
    let (code, out, _) = support::run(&["run", dir.to_str().unwrap(), "--format", "json"], "");
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let fixtures = v["fixtures"].as_array().unwrap();
    assert_eq!(fixtures.len(), bundled().len());
    let steps: usize = fixtures
        .iter()
        .map(|f| f["steps"].as_array().unwrap().len())
        .sum();
    assert_eq!(v["passed"].as_u64().unwrap() as usize, steps);
    assert_eq!(v["failed"], 0);
    let first = &fixtures[0]["steps"][0];
    assert_eq!(first["verdict"], "pass");
    assert!(first["title"].as_str().unwrap().contains("server"));
}

/// With no path, `secctx run` runs the bundled fixtures and ends with the
/// summary line.
#[test]
fn run_without_paths_runs_the_bundled_library() {
    let (code, out, _) = support::run(&["run"], "");
    assert_eq!(code, 0, "{out}");
    let last = out.lines().last().unwrap();
    assert!(last.ends_with(" passed, 0 failed"), "{last}");
    assert!(out.contains("== "), "each fixture is named");
}

/// `secctx explain` on a fixture step shows the full trace; `effective`
/// shows the matrix.
#[test]
fn explain_and_effective() {
    let f = fixtures_dir().join("03-ace-order.json");
    let (code, out, _) = support::run(&["explain", f.to_str().unwrap(), "--step", "0"], "");
    assert_eq!(code, 1, "a denied step exits 1: {out}");
    assert!(
        out.contains("D[0] (D;;DC;;;S-1-5-21-1-2-3-1104): denies 0x00000002"),
        "{out}"
    );
    let (code, out, _) = support::run(&["explain", f.to_str().unwrap(), "--step", "1"], "");
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("result: STATUS_SUCCESS"), "{out}");
    let (code, _, err) = support::run(&["explain", f.to_str().unwrap(), "--step", "99"], "");
    assert_eq!(code, 2);
    assert!(err.contains("has no step 99"), "{err}");

    let (code, out, _) = support::run(
        &[
            "explain",
            "--sd",
            "O:BAG:BAD:(A;;FR;;;WD)",
            "--token",
            r#"{"user": "S-1-5-21-1-2-3-1000", "groups": ["WD"]}"#,
            "--desired",
            "FILE_WRITE_DATA",
            "--mapping",
            "file",
        ],
        "",
    );
    assert_eq!(code, 1, "{out}");
    assert!(out.starts_with("STATUS_ACCESS_DENIED"), "{out}");
    assert!(out.contains("D[0] (A;;FR;;;WD)"), "{out}");

    let f = fixtures_dir().join("07-owner-rights.json");
    let (code, out, _) = support::run(
        &[
            "effective",
            f.to_str().unwrap(),
            "managed.txt",
            "--format",
            "json",
        ],
        "",
    );
    assert_eq!(code, 0, "{out}");
    let m: serde_json::Value = serde_json::from_str(&out).unwrap();
    let alice = &m["rows"][0];
    assert_eq!(alice["principal"], "alice");
    let cell = |name: &str| {
        alice["cells"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["right"] == name)
            .unwrap()
            .clone()
    };
    assert_eq!(cell("FILE_READ_DATA")["state"], "granted");
    assert_eq!(cell("FILE_READ_DATA")["by"], "D[0] (A;;FR;;;OW)");
    assert_eq!(cell("WRITE_DAC")["state"], "not_granted");
    let (code, out, _) = support::run(&["effective", f.to_str().unwrap(), "mine.txt"], "");
    assert_eq!(code, 0);
    assert!(out.contains("+OW"), "owner rights are shown: {out}");
}

/// The fixture shown in README.md runs and passes.
#[test]
fn the_readme_fixture_runs() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let start = readme.find("```json\n").unwrap() + "```json\n".len();
    let end = start + readme[start..].find("```").unwrap();
    let (r, sink) = run_text(&readme[start..end]);
    let counts = r.unwrap();
    assert_eq!(counts.passed, 3, "{:?}", sink.steps);
    assert_eq!(counts.failed, 0);
}
