//! `secctx check` as other tools drive it: JSON lines in, JSON lines out.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use serde_json::json;
use support::run_json_lines as run;

const SD: &str = "O:BAG:SYD:(D;;0x1f01ff;;;S-1-5-21-1-2-3-1001)(A;;0x1200a9;;;BU)(A;;0x1f01ff;;;BA)(A;;0x120089;;;AU)(A;;0x1f01ff;;;SY)";

fn token() -> serde_json::Value {
    json!({"user": "S-1-5-21-1-2-3-1000", "groups": ["S-1-5-21-1-2-3-513", "WD", "BU", "AU", "IU"]})
}

/// The string fields `keys` of each answer, in order.
fn columns(out: &[serde_json::Value], keys: &[&str]) -> Vec<Vec<String>> {
    let cell = |o: &serde_json::Value, k: &str| o[k].as_str().unwrap_or("").to_string();
    out.iter()
        .map(|o| keys.iter().map(|k| cell(o, k)).collect())
        .collect()
}

fn lines(reqs: &[serde_json::Value]) -> String {
    reqs.iter().map(|r| format!("{r}\n")).collect()
}

#[test]
fn answers_status_and_granted_in_order() {
    let input = lines(&[
        json!({"id": 1, "sd": SD, "token": token(), "desired": "0x120089", "mapping": "file"}),
        json!({"id": 2, "sd": SD, "token": token(), "desired": "FILE_ALL_ACCESS", "mapping": "file"}),
        json!({"id": 3, "sd": SD, "token": token(), "desired": ["MAXIMUM_ALLOWED"], "mapping": "file"}),
        json!({"id": 4, "sd": {"sddl": "O:BAG:BAD:(A;;FR;;;WD)"}, "token": {"user": "WD", "type": "impersonation"}, "desired": "GR", "mapping": {"read": "0x120089", "write": "0x120116", "execute": "0x1200a0", "all": "0x1f01ff"}}),
    ]);
    let (code, out) = run(&["check"], &input);
    assert_eq!(code, 0);
    let got: Vec<(serde_json::Value, &str, &str)> = out
        .iter()
        .map(|o| {
            (
                o["id"].clone(),
                o["status"].as_str().unwrap(),
                o["granted"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            (json!(1), "STATUS_SUCCESS", "0x00120089"),
            (json!(2), "STATUS_ACCESS_DENIED", "0x00000000"),
            (json!(3), "STATUS_SUCCESS", "0x001200a9"),
            // AccessCheck takes only mapped rights: GENERIC_READ is refused
            // even with a mapping (Wine `test_AccessCheck`, "Generic access
            // mask"; the AccessCheck page, DesiredAccess).
            (json!(4), "STATUS_GENERIC_NOT_MAPPED", "0x00000000"),
        ]
    );
}

#[test]
fn result_lists_audit_privileges_and_explanations() {
    let guid = |n: u8| format!("{n:08x}-0000-0000-0000-000000000000");
    let sd = format!("O:BAG:BAD:(OA;;RP;{};;WD)S:(AU;SA;RP;;;WD)", guid(2));
    let input = lines(&[
        json!({"id": "ds", "sd": sd, "token": {"user": "WD"}, "desired": "RP", "mapping": "ds",
               "object_types": [{"level": 0, "guid": guid(1)}, {"level": 1, "guid": guid(2)}, {"level": 1, "guid": guid(3)}], "result_list": true}),
        json!({"id": "ass", "sd": "O:BAG:BAD:", "token": {"user": "WD", "privileges": ["SeSecurityPrivilege"]}, "desired": "ACCESS_SYSTEM_SECURITY"}),
        json!({"id": "audit", "sd": "O:BAG:BAD:(A;;FR;;;WD)S:(AU;SA;FR;;;WD)", "token": {"user": "WD"}, "desired": "FR", "mapping": "file"}),
    ]);
    let (code, out) = run(&["check", "--explain"], &input);
    assert_eq!(code, 0);
    let results = out[0]["results"].as_array().unwrap();
    let statuses: Vec<&str> = results
        .iter()
        .map(|r| r["status"].as_str().unwrap())
        .collect();
    assert_eq!(
        statuses,
        [
            "STATUS_ACCESS_DENIED",
            "STATUS_SUCCESS",
            "STATUS_ACCESS_DENIED"
        ]
    );
    assert_eq!(results[1]["granted"], "0x00000010");
    assert_eq!(results[1]["guid"], guid(2));
    assert_eq!(
        out[0]["status"], "STATUS_ACCESS_DENIED",
        "the root node decides the overall status"
    );
    assert!(out[0]["trace"]["steps"].as_array().unwrap().len() > 2);
    let text: Vec<&str> = out[0]["explanation"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    assert!(
        text.iter().any(|l| l.contains("(object-type node 1)")),
        "{text:?}"
    );
    assert_eq!(out[1]["status"], "STATUS_SUCCESS");
    assert_eq!(out[1]["privileges_used"], json!(["SeSecurityPrivilege"]));
    assert_eq!(
        out[2]["audit"],
        json!([{"success": true, "ace_index": 0, "sid": "S-1-1-0", "mask": "0x00120089"}])
    );
}

#[test]
fn check_level_failures_are_statuses_not_malformed_lines() {
    let input = lines(&[
        json!({"id": 1, "sd": "G:SYD:(A;;FR;;;WD)", "token": {"user": "WD"}, "desired": "FR", "mapping": "file"}),
        json!({"id": 2, "sd": "O:BAG:BAD:(A;;FR;;;WD)", "token": {"user": "WD"}, "desired": "GENERIC_READ"}),
        json!({"id": 3, "sd": "O:BAG:BAD:(A;;FR;;;WD)", "token": {"user": "WD", "type": "primary"}, "desired": "FR"}),
        json!({"id": 4, "sd": "O:BAG:BAD:(A;;FR;;;WD)", "token": {"user": "WD", "impersonation_level": "anonymous"}, "desired": "FR"}),
    ]);
    let (code, out) = run(&["check"], &input);
    assert_eq!(code, 0);
    let statuses: Vec<&str> = out.iter().map(|o| o["status"].as_str().unwrap()).collect();
    assert_eq!(
        statuses,
        vec![
            "STATUS_INVALID_SECURITY_DESCR",
            "STATUS_GENERIC_NOT_MAPPED",
            "STATUS_NO_IMPERSONATION_TOKEN",
            "STATUS_BAD_IMPERSONATION_LEVEL"
        ]
    );
}

#[test]
fn malformed_lines_name_the_field_and_processing_goes_on() {
    let input = [
        json!({"id": 1, "sd": "O:BAG:BAD:", "token": {"user": "WD", "privileges": ["SeFooPrivilege"]}, "desired": "FR"}).to_string(),
        json!({"id": 2, "sd": "O:BAG:BAD:", "token": {"user": "WD", "integrity": "lowish"}, "desired": "FR"}).to_string(),
        json!({"id": 3, "sd": "O:BAG:BAD:", "token": {"user": "S-1-5-x"}, "desired": "FR"}).to_string(),
        json!({"id": 4, "sd": "O:BAG:BAD:", "token": {"user": "WD"}, "desired": "0x1ffffffff"}).to_string(),
        json!({"id": 5, "sd": "O:BAG:BAD:", "token": {"user": "WD"}, "desired": "FR",
               "object_types": [{"level": 0, "guid": "00000001-0000-0000-0000-000000000000"}, {"level": 2, "guid": "00000002-0000-0000-0000-000000000000"}]}).to_string(),
        json!({"id": 6, "sd": "O:BAG:BAD:(A;;", "token": {"user": "WD"}, "desired": "FR"}).to_string(),
        "{\"id\": 7, \"sd\": ".to_string(),
        json!({"id": 8, "sd": "O:BAG:BAD:(A;;FR;;;WD)", "token": {"user": "WD"}, "desired": "FR", "mapping": "file"}).to_string(),
    ]
    .join("\n");
    let (code, out) = run(&["check"], &input);
    assert_eq!(code, 1, "a malformed line makes the exit status non-zero");
    assert_eq!(out.len(), 8);
    let err = |i: usize| out[i]["error"].as_str().unwrap_or("").to_string();
    assert_eq!(
        err(0),
        "token.privileges[0]: unknown privilege `SeFooPrivilege`"
    );
    assert!(
        err(1).starts_with("token.integrity: unknown integrity level `lowish`"),
        "{}",
        err(1)
    );
    assert!(
        err(2).starts_with("token.user: `S-1-5-x` is not a SID"),
        "{}",
        err(2)
    );
    assert!(
        err(3).starts_with("desired: access mask `0x1ffffffff` does not fit in 32 bits"),
        "{}",
        err(3)
    );
    // An invalid tree is the check's refusal (STATUS_INVALID_PARAMETER).
    assert_eq!(out[4]["status"], "STATUS_INVALID_PARAMETER");
    assert!(out[4]["error"].as_str().unwrap().contains("object type 1"));
    assert!(err(5).starts_with("sd: invalid SDDL"), "{}", err(5));
    assert!(err(6).contains("invalid JSON"), "{}", err(6));
    assert_eq!(out[6]["id"], serde_json::Value::Null);
    assert_eq!(out[7]["status"], "STATUS_SUCCESS");
}

/// `secctx explain` asks the question of a check request on stdin the way
/// `secctx check --explain` does, and says it as text or as the same JSON.
#[test]
fn explain_asks_what_check_explain_asks() {
    let granted =
        json!({"id": 9, "sd": SD, "token": token(), "desired": "0x120089", "mapping": "file"});
    let (code, checked) = run(
        &["check", "--explain"],
        &lines(std::slice::from_ref(&granted)),
    );
    assert_eq!(code, 0);
    let (code, out, err) = support::run(&["explain", "--format", "json"], &granted.to_string());
    assert_eq!(code, 0, "{err}");
    let explained: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(explained, checked[0]);
    assert_eq!(explained["id"], 9);
    assert_eq!(explained["granted"], "0x00120089");
    let why = explained["explanation"].as_array().unwrap();
    assert!(why.len() > 1, "{why:?}");

    let denied =
        json!({"sd": SD, "token": token(), "desired": "FILE_ALL_ACCESS", "mapping": "file"});
    let (code, out, _) = support::run(&["explain"], &denied.to_string());
    assert_eq!(code, 1, "a denied check exits 1");
    assert!(
        out.starts_with("STATUS_ACCESS_DENIED, granted 0x00000000\n  "),
        "{out}"
    );

    let (code, out, err) = support::run(&["explain"], r#"{"sd": "D:", "desired": "FR"}"#);
    assert_eq!(code, 2, "an invalid request exits 2");
    assert_eq!(out, "");
    assert_eq!(err, "secctx explain: token: missing the `token`\n");
}

/// NtAccessCheck refuses its arguments in an order (ReactOS `SepAccessCheck`;
/// Wine `test_AccessCheck` and the ReactOS apitest
/// `NtAccessCheckByTypeResultList` record the statuses): each pair below
/// gives two faults at once, and the first in that order is reported.
#[test]
fn refusals_come_in_ntaccesscheck_order() {
    let anon = json!({"user": "WD", "impersonation_level": "anonymous"});
    let primary = json!({"user": "WD", "type": "primary"});
    let ok = json!({"user": "WD"});
    let bad_list = json!([{"level": 0, "guid": "00000001-0000-0000-0000-000000000000"}, {"level": 2, "guid": "00000002-0000-0000-0000-000000000000"}]);
    let input = lines(&[
        // A result list without a list, before generic bits and a bad SD.
        json!({"id": "rl>generic", "sd": "G:SYD:", "token": ok, "desired": "GR", "mapping": "file", "result_list": true}),
        // Generic bits (even mapped) before the token's level and type.
        json!({"id": "generic>level", "sd": "O:BAG:BAD:(A;;FR;;;WD)", "token": anon, "desired": "GR", "mapping": "file"}),
        json!({"id": "generic>type", "sd": "O:BAG:BAD:(A;;FR;;;WD)", "token": primary, "desired": "GR", "mapping": "file"}),
        // The token's level before the object-type list.
        json!({"id": "level>list", "sd": "O:BAG:BAD:(A;;FR;;;WD)", "token": anon, "desired": "FR", "mapping": "file", "object_types": bad_list}),
        // The object-type list before the descriptor.
        json!({"id": "list>sd", "sd": "G:SYD:(A;;FR;;;WD)", "token": ok, "desired": "FR", "mapping": "file", "object_types": bad_list}),
        // The token's type before the descriptor.
        json!({"id": "type>sd", "sd": "G:SYD:(A;;FR;;;WD)", "token": primary, "desired": "FR", "mapping": "file"}),
    ]);
    let (code, out) = run(&["check"], &input);
    assert_eq!(code, 0);
    let refused = |id: &str, s: &str| vec![id.to_string(), s.to_string(), s.to_string()];
    assert_eq!(
        columns(&out, &["id", "status", "call_status"]),
        vec![
            refused("rl>generic", "STATUS_INVALID_PARAMETER"),
            refused("generic>level", "STATUS_GENERIC_NOT_MAPPED"),
            refused("generic>type", "STATUS_GENERIC_NOT_MAPPED"),
            refused("level>list", "STATUS_BAD_IMPERSONATION_LEVEL"),
            refused("list>sd", "STATUS_INVALID_PARAMETER"),
            refused("type>sd", "STATUS_NO_IMPERSONATION_TOKEN"),
        ]
    );
}

/// The call's own status is apart from the access status: a check that
/// runs is a call that succeeds (AccessCheck returns TRUE with AccessStatus
/// FALSE, Wine `test_AccessCheck`, "Access denied by SD"; the
/// "AccessCheckByTypeResultList" page: a status per element), and each node
/// of a result list reports what it holds (ReactOS apitest
/// `NtAccessCheckByTypeResultList`, DenyAccessTests: READ_CONTROL for the
/// owner).
#[test]
fn the_call_status_and_partial_grants_of_result_lists() {
    let g = |n: u8| format!("{n:08x}-0000-0000-0000-000000000000");
    let owner = "S-1-5-21-1-2-3-1000";
    let input = lines(&[
        json!({"id": "denied", "sd": "O:BAG:BAD:(A;;FR;;;WD)", "token": {"user": "WD"}, "desired": "FW", "mapping": "file"}),
        json!({"id": "ass", "sd": "O:BAG:BAD:", "token": {"user": "WD"}, "desired": "ACCESS_SYSTEM_SECURITY"}),
        json!({"id": "list", "sd": format!("O:{owner}G:BAD:(OD;;KR;{};;WD)", g(1)), "token": {"user": owner, "groups": ["WD"]},
               "desired": "KEY_READ", "mapping": "key", "result_list": true,
               "object_types": [{"level": 0, "guid": g(1)}, {"level": 1, "guid": g(2)}]}),
    ]);
    let (code, out) = run(&["check"], &input);
    assert_eq!(code, 0);
    assert_eq!(out[0]["status"], "STATUS_ACCESS_DENIED");
    assert_eq!(out[0]["call_status"], "STATUS_SUCCESS");
    assert_eq!(out[0]["granted"], "0x00000000");
    // ACCESS_SYSTEM_SECURITY without SeSecurityPrivilege: the call succeeds,
    // the access status is STATUS_PRIVILEGE_NOT_HELD (Wine `test_AccessCheck`).
    assert_eq!(out[1]["status"], "STATUS_PRIVILEGE_NOT_HELD");
    assert_eq!(out[1]["call_status"], "STATUS_SUCCESS");
    assert_eq!(out[2]["status"], "STATUS_ACCESS_DENIED");
    assert_eq!(out[2]["call_status"], "STATUS_SUCCESS");
    assert_eq!(
        out[2]["results"],
        json!([
            {"level": 0, "guid": g(1), "status": "STATUS_ACCESS_DENIED", "granted": "0x00020000"},
            {"level": 1, "guid": g(2), "status": "STATUS_ACCESS_DENIED", "granted": "0x00020000"}
        ])
    );
}

/// SePrivilegePolicyCheck and the privilege-set buffer sit between the
/// object-type list and the descriptor (ReactOS `SepAccessCheck`): without
/// SeSecurityPrivilege, ACCESS_SYSTEM_SECURITY answers
/// STATUS_PRIVILEGE_NOT_HELD from a call that succeeds, even about a
/// descriptor without an owner; a PrivilegeSetLength below
/// sizeof(PRIVILEGE_SET) (20) is STATUS_BUFFER_TOO_SMALL, after generic
/// bits and before the descriptor (Wine `test_AccessCheck`: "Generic access
/// mask - zero returnlength", "Valid PrivSet with zero PrivSetLen").
#[test]
fn privilege_policy_and_buffer_come_before_the_descriptor() {
    let wd = json!({"user": "WD"});
    let sec = json!({"user": "WD", "privileges": ["SeSecurityPrivilege"]});
    let input = lines(&[
        json!({"id": "policy>sd", "sd": "G:SYD:", "token": wd, "desired": "ACCESS_SYSTEM_SECURITY"}),
        json!({"id": "generic>buffer", "sd": "O:BAG:BAD:", "token": wd, "desired": "GR", "mapping": "file", "privilege_set_length": 0}),
        json!({"id": "buffer>sd", "sd": "G:SYD:", "token": wd, "desired": "FR", "mapping": "file", "privilege_set_length": 19}),
        json!({"id": "fits", "sd": "O:BAG:BAD:", "token": sec, "desired": "ACCESS_SYSTEM_SECURITY", "privilege_set_length": 20}),
    ]);
    let (code, out) = run(&["check"], &input);
    assert_eq!(code, 0);
    assert_eq!(
        columns(&out, &["status", "call_status"]),
        [
            ["STATUS_PRIVILEGE_NOT_HELD", "STATUS_SUCCESS"],
            ["STATUS_GENERIC_NOT_MAPPED", "STATUS_GENERIC_NOT_MAPPED"],
            ["STATUS_BUFFER_TOO_SMALL", "STATUS_BUFFER_TOO_SMALL"],
            ["STATUS_SUCCESS", "STATUS_SUCCESS"],
        ]
    );
    assert!(out[2]["error"].as_str().unwrap().contains("needs 20"));
}
