//! What Windows' SDDL converter accepts beyond MS-DTYP 2.5.1's grammar, what
//! it stores for it, and what it refuses that the grammar seems to allow.
//!
//! Sources: the strings of Samba's `python/samba/tests/sddl.py`
//! (`SddlWindowsIsLessFussy`, `SddlWindowsIsWeird`, `SddlWindowsIsFussy`,
//! `SddlShouldFail`), which Samba's `windows-sddl-tests` program ran through
//! `ConvertStringSecurityDescriptorToSecurityDescriptor` and back on Windows,
//! and the vectors in `../shared/conformance/windows-sddl.jsonl` (line
//! numbers given).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use secctx::{binary, sddl, AceType, Sid};

fn domain() -> Sid {
    "S-1-5-21-1-2-3".parse().unwrap()
}

/// Parses and prints back, as Windows' round trip does.
fn canon(s: &str) -> String {
    let d = domain();
    let sd = sddl::parse(s, Some(&d)).unwrap_or_else(|e| panic!("{s:?}: {e}"));
    sddl::print(&sd, Some(&d)).unwrap()
}

fn refused(s: &str) -> (usize, String) {
    let e = sddl::parse(s, Some(&domain())).expect_err(s);
    (e.offset(), e.to_string())
}

/// Whitespace around section tags, after `D:`, around ACL flags and between
/// ACEs is skipped (`SddlWindowsIsLessFussy`).
#[test]
fn spaces_around_components_acl_flags_and_aces() {
    assert_eq!(canon(" O:AA"), "O:AA");
    assert_eq!(canon("  O:AA  "), "O:AA");
    assert_eq!(canon("  O:AA G:WD "), "O:AAG:WD");
    assert_eq!(canon("D: (A;;GA;;;LG)"), "D:(A;;GA;;;LG)");
    assert_eq!(canon("D: S:"), "D:S:");
    assert_eq!(canon("D: P(A;;GA;;;LG)"), "D:P(A;;GA;;;LG)");
    assert_eq!(canon("D:P (A;;GA;;;LG)"), "D:P(A;;GA;;;LG)");
    assert_eq!(
        canon("D:P(A;;GA;;;LG) (A;;GX;;;AA)"),
        "D:P(A;;GA;;;LG)(A;;GX;;;AA)"
    );
}

/// The tag letter is upper case and touches its colon: `D :S:` and `d:` are
/// refused (vector lines 7353, 7350), at the tag.
#[test]
fn tags_stay_strict() {
    assert_eq!(refused("D :S:").0, 0);
    assert_eq!(refused("d:(A;;GA;;;LG)").0, 0);
    assert_eq!(refused("D:P(A;;GA;;;LG) x").0, 16);
}

/// Whitespace inside ACE fields: an all-space flags or GUID field is empty,
/// spaces before the rights, before a trustee and after an alias are
/// skipped (`SddlWindowsIsLessFussy`).
#[test]
fn spaces_inside_ace_fields() {
    assert_eq!(canon("D:(A; ;GA;;;LG)"), "D:(A;;GA;;;LG)");
    assert_eq!(canon("D:(A;; GA;;;LG)"), "D:(A;;GA;;;LG)");
    assert_eq!(canon("D:(A;;GA;;; LG)"), "D:(A;;GA;;;LG)");
    assert_eq!(canon("D:(A;;GA;;; WD)"), "D:(A;;GA;;;WD)");
    assert_eq!(canon("D:(A;;GA;;;WD )"), "D:(A;;GA;;;WD)");
    assert_eq!(canon("D:(A;;GA;;; S-1-3-4)"), "D:(A;;GA;;;OW)");
    assert_eq!(canon("D:(A;;GA; ;;S-1-3-4)"), "D:(A;;GA;;;OW)");
    assert_eq!(canon("D:(A;;GA;; ;S-1-3-4)"), "D:(A;;GA;;;OW)");
    assert_eq!(canon("D:(A;;GA; ;;S-1-333-4)"), "D:(A;;GA;;;S-1-333-4)");
}

/// Spaces Windows refuses: after a SID string, after rights, around a GUID
/// (vector lines 7366, 7372-7376). Each error points into the input.
#[test]
fn spaces_windows_refuses() {
    assert_eq!(
        refused("D:(A;;GA;;;S-1-3-4 )"),
        (
            18,
            "unexpected ` ` after the trustee SID at offset 18".to_string()
        )
    );
    assert_eq!(refused("D:(A;;GA ;;;LG)").0, 8);
    let guid = "f30e3bbf-9ff0-11d1-b603-0000f80367c1";
    assert_eq!(refused(&format!("D:(A;;GA; {guid};;WD)")).0, 9);
    assert_eq!(refused(&format!("D:(A;;GA;{guid} ;;WD)")).0, 9);
    assert_eq!(refused(&format!("D:(A;;GA;; {guid};WD)")).0, 10);
}

/// ACE types, rights and aliases are matched in any case
/// (`SddlWindowsIsLessFussy`); non-ASCII letters are not folded (line 7361).
#[test]
fn lower_case_types_rights_aliases_and_flags() {
    assert_eq!(canon("D:(a;;GA;;;LG)"), "D:(A;;GA;;;LG)");
    assert_eq!(canon("D:(A;;ga;;;LG)"), "D:(A;;GA;;;LG)");
    assert_eq!(canon("D:(A;;GA;;;lg)"), "D:(A;;GA;;;LG)");
    assert_eq!(canon("O:sy"), "O:SY");
    // Flags use the same case-blind match (an inference: no recorded
    // string has lower-case flags).
    assert_eq!(canon("D:(A;oiCi;GA;;;SY)"), "D:(A;OICI;GA;;;SY)");
    assert!(refused("D:(Ā;;GA;;;LG)").1.contains("unknown ACE type"));
}

/// SID strings: spaces before the revision and authority, a hex revision
/// making the rest hex, and sub-authorities of 2^32 or more stored as
/// 4294967295 (`SddlWindowsIsLessFussy`, `SddlWindowsIsWeird`).
#[test]
fn sid_forms_and_what_they_store() {
    assert_eq!(canon("O:S- 1- 2-3"), "O:S-1-2-3");
    assert_eq!(
        canon("D:(A;;CC;;;S-0x1-0-0-579)"),
        "D:(A;;CC;;;S-1-0-0-1401)"
    );
    assert_eq!(canon("O:S-0x1-20-0-579"), "O:S-1-32-0-1401");
    for s in [
        "S-1-3-4294967296-3-4",
        "S-1-3-0x100000000-3-4",
        "S-1-3-99999999999999999999999-3-4",
    ] {
        let sd = sddl::parse(&format!("O:{s}"), None).unwrap();
        let owner = sd.owner.unwrap();
        assert_eq!(owner.sub_authorities(), [u32::MAX, 3, 4], "{s}");
        // What is stored: the binary SID holds 0xffffffff.
        assert_eq!(
            binary::to_hex(&owner.to_bytes()),
            "0103000000000003ffffffff0300000004000000"
        );
    }
    assert_eq!(
        canon("D:(A;;GA;;;S-1-5-21-0x1313131313131-513)"),
        "D:(A;;GA;;;S-1-5-21-4294967295-513)"
    );
    // An authority past 48 bits is refused (line 7355), as is a space
    // before a sub-authority.
    assert!(refused("D:(A;;GA;;;S-1-0x1313131313131-513)")
        .1
        .contains("48 bits"));
    assert_eq!(refused("O:S-1-5- 18").0, 8);
    // A `D` before `:` ends an owner SID even after hex digits (line 7335).
    assert_eq!(canon("O:S-1-0x100000000000D:"), "O:S-1-0x100000000000D:");
    assert_eq!(canon("O:S-1-2-0x200D:"), "O:S-1-2-512D:");
}

/// An audit ACE in a DACL is refused (`SddlWindowsIsFussy`), at its type;
/// in a SACL it is accepted (line 7286).
#[test]
fn audit_ace_in_a_dacl_is_refused() {
    let (at, msg) = refused("D:(A;;RP;;;WD)(AU;SA;CR;;;BA)(AU;SA;CR;;;DU)");
    assert_eq!(at, 15);
    assert!(msg.contains("DACL"), "{msg}");
    assert_eq!(refused("D:(OU;SA;CR;;;BA)").0, 3);
    assert_eq!(canon("S:(AU;SA;CR;;;WD)"), "S:(AU;SA;CR;;;WD)");
}

/// An object ACE given without either GUID is written as the plain type,
/// in an ACL sized for the object form: revision 4 and 4 unused bytes per
/// such ACE (Microsoft's ConvertStringSecurityDescriptorToSecurityDescriptor
/// remarks; Windows' bytes at vector lines 5-9 and 984).
#[test]
fn object_ace_without_guids_is_written_plain_with_slack() {
    let sd = sddl::parse("D:P(OD;;;;;MP)(OD;;;;;MP)", None).unwrap();
    let dacl = sd.dacl.as_ref().unwrap();
    assert_eq!(dacl.aces[0].ace_type, AceType::AccessDenied);
    assert_eq!((dacl.revision.0, dacl.slack), (4, 8));
    // Windows' bytes for this input (vector line 5).
    assert_eq!(
        binary::to_hex(&binary::encode(&sd).unwrap()),
        "01000490000000000000000000000000140000000400380002000000\
         01001400000000000101000000000010002100000100140000000000\
         010100000000001000210000\
         0000000000000000"
    );
    assert_eq!(sddl::print(&sd, None).unwrap(), "D:P(D;;;;;MP)(D;;;;;MP)");
    // With a GUID it stays an object ACE, with no slack.
    let g = "00000000-0000-0000-0000-000000000000";
    let sd = sddl::parse(&format!("D:(OA;;CR;{g};;AU)"), None).unwrap();
    let dacl = sd.dacl.unwrap();
    assert_eq!(dacl.aces[0].ace_type, AceType::AccessAllowedObject);
    assert_eq!((dacl.revision.0, dacl.slack), (4, 0));
    // The plain form itself has neither slack nor revision 4.
    let sd = sddl::parse("D:(A;;;;;AU)", None).unwrap();
    let dacl = sd.dacl.unwrap();
    assert_eq!((dacl.revision.0, dacl.slack), (2, 0));
}

/// In an octet string `#` stands for `0` (Microsoft's "Security Descriptor
/// Definition Language for Conditional ACEs" page; Samba's
/// `parse_octet_string` comment: `#10203###` is 10 20 30 00). Stored: the
/// bytes with `#` read as `0`; printed back with digits.
#[test]
fn octet_string_hash_reads_as_zero() {
    let sd = sddl::parse("D:(XA;;FA;;;WD;(@User.a == #10203###))", None).unwrap();
    let data = &sd.dacl.as_ref().unwrap().aces[0].application_data;
    // Octet-string token 0x18, length 4, then the bytes.
    assert!(
        binary::to_hex(data).contains("180400000010203000"),
        "{}",
        binary::to_hex(data)
    );
    assert_eq!(
        sddl::print(&sd, None).unwrap(),
        "D:(XA;;FA;;;WD;(@USER.a == #10203000))"
    );
}

/// A `TX` resource attribute takes bare even-length digit runs as octet
/// strings: `("foo",TX,0x0,0077,00)` (Samba's `security_descriptors.py`,
/// `SDDLvsDescriptorShortConditionalAndResourceAcesTxIntegers`, and the
/// comment in `sddl_conditional_ace.c`: Windows 2022 accepts "1234" for
/// "#1234"). Stored as the octets 00 77 and 00; printed with `#`.
#[test]
fn tx_values_without_hash_are_octet_strings() {
    let text = "S:(RA;;;;;WD;(\"foo\",TX,0x0,0077,00))";
    assert_eq!(canon(text), "S:(RA;;;;;WD;(\"foo\",TX,0x0,#0077,#00))");
    let sd = sddl::parse(text, None).unwrap();
    let claim = secctx::ClaimAttribute::decode_relative(&sd.sacl.unwrap().aces[0].application_data)
        .unwrap();
    assert_eq!(
        claim.values,
        secctx::ClaimValues::OctetString(vec![vec![0x00, 0x77], vec![0x00]])
    );
}

/// A local attribute name may hold `@` after its first character (MS-DTYP
/// 2.5.1.1: `attr-name1 = attr-char1 *(attr-char1 / "@")`), and prints bare.
#[test]
fn local_attribute_names_with_at_signs() {
    assert_eq!(
        canon("D:(XA;;FA;;;WD;(a@b == 1))"),
        "D:(XA;;FA;;;WD;(a@b == 1))"
    );
    assert_eq!(
        canon("D:(XA;;FA;;;WD;(Exists WIN://SYSAPPID))"),
        "D:(XA;;FA;;;WD;(Exists WIN://SYSAPPID))"
    );
}
