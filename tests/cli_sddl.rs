//! `secctx sddl` as other tools drive it: JSON lines in, JSON lines out.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use support::run_json_lines as run;

#[test]
fn answers_each_line_in_order() {
    let input = concat!(
        "{\"id\": 1, \"sddl\": \"D:(A;;RPLCLORC;;;AU)\"}\n",
        "{\"id\": \"two\", \"hex\": \"010004800000000000000000000000001400000002001c0001000000000014009400020001010000000000050b000000\"}\n",
        "\n",
        "{\"id\": [3], \"sddl\": \"D:(A;;GA;;;DA)\"}\n",
    );
    let (code, out) = run(&["sddl", "--domain-sid", "S-1-5-21-1-2-3"], input);
    assert_eq!(code, 0);
    assert_eq!(out.len(), 3);
    assert_eq!(out[0]["id"], 1);
    assert_eq!(out[0]["ok"], true);
    assert_eq!(out[0]["sddl"], "D:(A;;LCRPLORC;;;AU)");
    assert_eq!(
        out[0]["hex"],
        "010004800000000000000000000000001400000002001c0001000000000014009400020001010000000000050b000000"
    );
    assert_eq!(out[1]["id"], "two");
    assert_eq!(out[1]["sddl"], "D:(A;;LCRPLORC;;;AU)");
    assert_eq!(out[2]["id"], serde_json::json!([3]));
    assert_eq!(out[2]["sddl"], "D:(A;;GA;;;DA)");
}

#[test]
fn reports_errors_with_offsets_and_keeps_going() {
    let input = concat!(
        "{\"id\": 1, \"sddl\": \"D:(A;OICI\"}\n",
        "this is not json\n",
        "{\"id\": 3, \"sdl\": \"D:\"}\n",
        "{\"id\": 4, \"hex\": \"0100\"}\n",
        "{\"id\": 5, \"sddl\": \"D:\"}\n",
    );
    let (code, out) = run(&["sddl"], input);
    assert_eq!(code, 1, "a malformed line makes the exit status non-zero");
    assert_eq!(out.len(), 5);
    assert_eq!(out[0]["ok"], false);
    assert_eq!(out[0]["offset"], 9);
    assert_eq!(
        out[0]["error"],
        "expected `;` after the ACE flags, found the end of the input"
    );
    assert_eq!(out[1]["ok"], false);
    assert!(out[1]["error"]
        .as_str()
        .unwrap()
        .starts_with("invalid request"));
    assert!(out[2]["error"]
        .as_str()
        .unwrap()
        .contains("unknown field `sdl`"));
    assert_eq!(
        out[3]["error"],
        "descriptor header at offset 0 needs 20 bytes but only 2 remain"
    );
    assert_eq!(out[4]["ok"], true);
    assert_eq!(out[4]["sddl"], "D:");
}

#[test]
fn bad_command_lines_exit_two() {
    let (code, _) = run(&["sddl", "--domain-sid", "nope"], "");
    assert_eq!(code, 2);
    let (code, _) = run(&["frobnicate"], "");
    assert_eq!(code, 2);
}

/// A line over the 16 MiB limit is answered as malformed without being
/// held, and the lines after it are still answered.
#[test]
fn overlong_lines_are_refused_and_skipped() {
    let mut input = format!("{{\"id\": 1, \"sddl\": \"{}\"}}\n", "x".repeat(16 << 20));
    input.push_str("{\"id\": 2, \"sddl\": \"D:\"}\n");
    let (code, out) = run(&["sddl"], &input);
    assert_eq!(code, 1);
    assert_eq!(
        out,
        [
            serde_json::json!({"id": null, "ok": false, "error": "line 1 is longer than 16777216 bytes"}),
            serde_json::json!({"id": 2, "ok": true, "sddl": "D:", "hex": "01000480000000000000000000000000140000000200080000000000"}),
        ]
    );
}
