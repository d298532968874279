//! `secctx inherit` as other tools drive it.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use serde_json::json;
use support::run_json_lines as run;

fn lines(reqs: &[serde_json::Value]) -> String {
    reqs.iter().map(|r| format!("{r}\n")).collect()
}

#[test]
fn computes_descriptors_in_order_with_origins() {
    let token = json!({"user": "S-1-5-21-1-2-3-1001", "primary_group": "S-1-5-21-1-2-3-513", "default_dacl": "D:(A;;GA;;;SY)"});
    let input = lines(&[
        json!({"id": 1, "api": "NtCreateFile", "parent_sd": "O:BAG:SYD:AI(A;OICI;FA;;;BA)(A;OICIIO;GA;;;CO)", "object_type": "directory", "token": token}),
        json!({"id": 2, "api": "NtCreateFile", "parent_sd": "", "creator_sd": null, "object_type": "file", "token": token}),
        json!({"id": 3, "api": "SeAssignSecurityEx", "parent_sd": "O:BAG:SYD:(A;OICI;FA;;;BA)", "object_type": "file",
               "flags": "SEF_DACL_AUTO_INHERIT|SEF_AVOID_OWNER_CHECK", "creator_sd": "O:BA", "token": token}),
        json!({"id": 4, "api": "ds_add", "parent_sd": "O:BAG:SYD:AI(A;CI;GR;;;AU)", "object_class_guid": "bf967aba-0de6-11d0-a285-00aa003049e2", "token": token}),
        json!({"id": 5, "api": "NtCreateFile", "object_type": "file", "creator_sd": "O:BAD:(A;;FA;;;WD)", "token": token}),
    ]);
    let (code, out) = run(&["inherit", "--explain"], &input);
    assert_eq!(code, 0, "{out:?}");
    assert_eq!(
        out[0]["sddl"],
        "O:S-1-5-21-1-2-3-1001G:S-1-5-21-1-2-3-513D:AI(A;OICIID;FA;;;BA)(A;ID;FA;;;S-1-5-21-1-2-3-1001)(A;OICIIOID;GA;;;CO)"
    );
    let origins: Vec<&str> = out[0]["origins"]["dacl"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["from"].as_str().unwrap())
        .collect();
    assert_eq!(origins, ["parent", "parent_mapped", "parent"]);
    assert_eq!(
        out[1]["sddl"],
        "O:S-1-5-21-1-2-3-1001G:S-1-5-21-1-2-3-513D:(A;;FA;;;SY)"
    );
    assert_eq!(out[1]["origins"]["dacl"][0]["from"], "token_default");
    assert_eq!(out[2]["sddl"], "O:BAG:S-1-5-21-1-2-3-513D:AI(A;ID;FA;;;BA)");
    assert_eq!(
        out[3]["sddl"],
        "O:S-1-5-21-1-2-3-1001G:S-1-5-21-1-2-3-513D:AI(A;ID;LCRPLORC;;;AU)(A;CIIOID;GR;;;AU)"
    );
    assert_eq!(out[4]["status"], "STATUS_INVALID_OWNER");
}

/// Answers gain `control`, the new descriptor's bits by name, which say
/// what SDDL cannot (SE_SELF_RELATIVE, and that no *_DEFAULTED bit is set
/// for a token's defaults: ReactOS kmtest SeInheritance, run on Windows).
/// A token given `"primary_group": null` has none, so a group taken from
/// it fails with STATUS_INVALID_PRIMARY_GROUP (the same test); left out,
/// the primary group is the user.
#[test]
fn answers_carry_control_bits_and_a_token_may_lack_a_primary_group() {
    let user = "S-1-5-21-1-2-3-1001";
    let input = lines(&[
        json!({"id": 1, "api": "NtCreateFile", "object_type": "file",
               "token": {"user": user, "default_dacl": "D:(A;;GA;;;SY)"}}),
        json!({"id": 2, "api": "NtCreateFile", "object_type": "file",
               "parent_sd": "O:BAG:SYD:PAI(A;OICI;FA;;;BA)", "token": {"user": user}}),
        json!({"id": 3, "api": "NtCreateFile", "object_type": "file",
               "token": {"user": user, "primary_group": null}}),
        json!({"id": 4, "api": "NtCreateFile", "object_type": "file", "creator_sd": "G:BU",
               "token": {"user": user, "primary_group": null}}),
        json!({"id": 5, "api": "SeAssignSecurityEx", "object_type": "file",
               "flags": "SEF_DEFAULT_GROUP_FROM_PARENT", "token": {"user": user}}),
    ]);
    let (code, out) = run(&["inherit"], &input);
    assert_eq!(code, 0, "{out:?}");
    assert_eq!(out[0]["sddl"], format!("O:{user}G:{user}D:(A;;FA;;;SY)"));
    assert_eq!(
        out[0]["control"],
        json!(["SE_DACL_PRESENT", "SE_SELF_RELATIVE"])
    );
    assert_eq!(
        out[1]["control"],
        json!([
            "SE_DACL_PRESENT",
            "SE_DACL_AUTO_INHERITED",
            "SE_SELF_RELATIVE"
        ])
    );
    assert_eq!(out[2]["status"], "STATUS_INVALID_PRIMARY_GROUP");
    assert!(out[2].get("control").is_none(), "{}", out[2]);
    assert_eq!(out[3]["sddl"], format!("O:{user}G:BU"));
    assert_eq!(out[3]["control"], json!(["SE_SELF_RELATIVE"]));
    assert_eq!(out[4]["status"], "STATUS_INVALID_PRIMARY_GROUP");
}

#[test]
fn bad_requests_name_the_field() {
    let input = lines(&[
        json!({"id": 1, "api": "CreateFileW", "object_type": "file"}),
        json!({"id": 2, "api": "SeAssignSecurityEx", "object_type": "file", "flags": ["SEF_NOPE"], "token": {"user": "WD"}}),
        json!({"id": 3, "api": "NtCreateFile", "object_type": "folderish"}),
        json!({"id": 4, "api": "ds_add"}),
        json!({"id": 5, "api": "NtCreateFile", "object_type": "file", "parent_sd": "O:BAD:(A;;"}),
        json!({"id": 6, "api": "NtCreateFile", "object_type": "file", "parent_sd": "O:BAG:SYD:AI(A;OICI;FA;;;BA)"}),
        json!({"id": 7, "api": "NtCreateFile", "object_type": "file", "token": {"groups": ["BA"]}}),
        json!({"id": 8, "api": "NtCreateFile", "object_type": "file", "flags": "SEF_DACL_AUTO_INHERIT", "token": {"user": "WD"}}),
    ]);
    let (code, out) = run(&["inherit"], &input);
    assert_eq!(code, 1);
    let errors: Vec<String> = out
        .iter()
        .map(|o| o["error"].as_str().unwrap().to_string())
        .collect();
    assert!(
        errors[0].starts_with("api: unknown api `CreateFileW`"),
        "{}",
        errors[0]
    );
    assert_eq!(errors[1], "flags: unknown flag `SEF_NOPE`");
    assert!(
        errors[2].starts_with("object_type: unknown object type `folderish`"),
        "{}",
        errors[2]
    );
    assert_eq!(
        errors[3],
        "object_class_guid: a directory-service object needs its object class"
    );
    assert!(
        errors[4].starts_with("parent_sd: invalid SDDL"),
        "{}",
        errors[4]
    );
    assert_eq!(errors[5], "token: a token is needed for the default owner");
    assert_eq!(errors[6], "token.user: a token needs a `user`");
    assert!(
        errors[7].starts_with("flags: SEF flags apply to SeAssignSecurityEx"),
        "{}",
        errors[7]
    );
}
