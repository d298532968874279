//! Malformed SDDL and binary descriptors get clear errors that say where and
//! what was expected; none panics.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use secctx::{binary, sddl, AceType, BinaryError, SecurityDescriptor};

fn sddl_err(s: &str) -> (usize, String) {
    let e = sddl::parse(s, None).unwrap_err();
    (e.offset(), e.kind().to_string())
}

#[test]
fn truncated_and_garbage_sddl() {
    assert_eq!(
        sddl_err("O:BAG:SYD:(A;;FA;;;"),
        (
            19,
            "expected a SID or two-letter alias for the trustee, found ``".into()
        )
    );
    assert_eq!(
        sddl_err("D:(A;;FA;;;WD"),
        (
            13,
            "expected `)` to close the ACE, found the end of the input".into()
        )
    );
    assert_eq!(
        sddl_err("garbage"),
        (0, "expected `O:`, `G:`, `D:` or `S:`, found `g`".into())
    );
    assert_eq!(
        sddl_err("D:(A;;FA;;;WD)x"),
        (14, "expected `O:`, `G:`, `D:` or `S:`, found `x`".into())
    );
    assert_eq!(sddl_err("O:BAO:BA"), (4, "`O:` appears twice".into()));
    assert_eq!(
        sddl_err("D:(A;XX;FA;;;WD)"),
        (5, "unknown ACE flag `XX`".into())
    );
    assert_eq!(
        sddl_err("D:(A;;ZZ;;;WD)"),
        (6, "unknown access right `ZZ`".into())
    );
    assert_eq!(
        sddl_err("D:(OA;;CR;nonsense;;WD)"),
        (
            10,
            "invalid GUID `nonsense`: expected 8-4-4-4-12 hexadecimal digits".into()
        )
    );
}

#[test]
fn sub_authority_count_over_fifteen() {
    let sid = format!("S-1-5{}", "-1".repeat(16));
    let (offset, msg) = sddl_err(&format!("O:{sid}"));
    assert_eq!(offset, 38);
    assert!(msg.contains("at most 15 sub-authorities"), "{msg}");
    // The binary form is checked too: count byte 16.
    let mut sd = SecurityDescriptor::new();
    sd.owner = Some("S-1-5-32-544".parse().unwrap());
    let mut b = binary::encode(&sd).unwrap();
    b[21] = 16;
    let e = binary::decode(&b).unwrap_err();
    assert_eq!(
        e.to_string(),
        "owner SID at offset 20: binary SID at offset 20 claims 16 sub-authorities; at most 15 are allowed"
    );
}

#[test]
fn numbers_that_overflow() {
    assert!(sddl_err("O:S-1-281474976710656")
        .1
        .contains("does not fit in 48 bits"));
    // Sub-authorities saturate as Windows' strtoul does (Samba's
    // `SddlWindowsIsWeird`, recorded on Windows): 2^32 and beyond, even past
    // 64 bits, store 4294967295.
    for big in ["4294967296", "99999999999999999999999"] {
        let sd = sddl::parse(&format!("O:S-1-5-{big}"), None).unwrap();
        assert_eq!(sd.owner.unwrap().sub_authorities(), [u32::MAX]);
    }
    // Rights overflow the way Windows' strtoul does: they saturate.
    let sd = sddl::parse("D:(A;;0x123456789;;;WD)", None).unwrap();
    assert_eq!(sd.dacl.unwrap().aces[0].mask.0, 0xFFFF_FFFF);
    let e = sddl_err("D:(XA;;FA;;;WD;(@User.a == 99999999999999999999))");
    assert!(e.1.contains("64-bit range"), "{e:?}");
    assert_eq!(e.0, 27);
}

#[test]
fn offsets_past_the_end_and_in_the_header() {
    let sd = sddl::parse("O:BAG:SYD:(A;;FA;;;WD)", None).unwrap();
    let good = binary::encode(&sd).unwrap();
    let mut b = good.clone();
    b[16..20].copy_from_slice(&1000u32.to_le_bytes());
    assert_eq!(
        binary::decode(&b).unwrap_err().to_string(),
        format!(
            "DACL offset 1000 (header byte 16) is past the end of the {}-byte descriptor",
            good.len()
        )
    );
    let mut b = good;
    b[4..8].copy_from_slice(&4u32.to_le_bytes());
    assert_eq!(
        binary::decode(&b).unwrap_err().to_string(),
        "owner offset 4 (header byte 4) points into the 20-byte header"
    );
}

#[test]
fn ace_size_smaller_than_its_header_or_its_sid() {
    let sd = sddl::parse("D:(A;;FA;;;WD)", None).unwrap();
    let good = binary::encode(&sd).unwrap();
    let mut b = good.clone();
    b[30..32].copy_from_slice(&2u16.to_le_bytes());
    assert_eq!(
        binary::decode(&b).unwrap_err().to_string(),
        "DACL ACE 0 at offset 28 has size 2: smaller than the 4-byte ACE header"
    );
    // A size that holds the header but not the SID.
    let mut b = good;
    b[30..32].copy_from_slice(&12u16.to_le_bytes());
    let e = binary::decode(&b).unwrap_err();
    assert!(matches!(e, BinaryError::Sid { .. }), "{e}");
    assert!(
        e.to_string().contains("needs 8 bytes but only 4 remain"),
        "{e}"
    );
}

#[test]
fn acl_larger_than_64k_cannot_be_encoded() {
    let aces = "(A;;FA;;;S-1-5-21-1-2-3-4000)".repeat(2500);
    // SDDL refuses it at the ACE that passes 65,535 bytes (each ACE is 36
    // bytes, 29 characters): the 1,821st, after the 8-byte header.
    let e = sddl::parse(&format!("D:{aces}"), None).unwrap_err();
    assert_eq!(e.offset(), 2 + 1820 * 29, "{e}");
    assert!(e.to_string().contains("65564 bytes long"), "{e}");
    // Built by hand, it still cannot be encoded.
    let ace = sddl::parse("D:(A;;FA;;;S-1-5-21-1-2-3-4000)", None).unwrap();
    let mut sd = ace.clone();
    sd.dacl.as_mut().unwrap().aces = vec![ace.dacl.unwrap().aces[0].clone(); 2500];
    assert_eq!(
        binary::encode(&sd).unwrap_err().to_string(),
        "DACL needs 90008 bytes; an ACL holds at most 65535"
    );
}

#[test]
fn unknown_ace_types_are_kept_opaque_but_have_no_sddl() {
    // An ACL holding one ACE of type 0x42 with a 4-byte body.
    let hex = "0100048000000000000000000000000014000000020010000100000042000800deadbeef";
    let sd = binary::decode(&binary::from_hex(hex).unwrap()).unwrap();
    let ace = &sd.dacl.as_ref().unwrap().aces[0];
    assert_eq!(ace.ace_type, AceType::Unknown(0x42));
    assert_eq!(ace.application_data, [0xde, 0xad, 0xbe, 0xef]);
    assert_eq!(binary::to_hex(&binary::encode(&sd).unwrap()), hex);
    assert_eq!(
        sddl::print(&sd, None).unwrap_err().kind().to_string(),
        "DACL ACE 0: type 0x42 (UNKNOWN_0x42) has no SDDL form"
    );
}

#[test]
fn truncated_and_garbage_binary() {
    let sd = sddl::parse("O:BAG:SYD:(A;;FA;;;WD)S:(AU;SA;FA;;;WD)", None).unwrap();
    let good = binary::encode(&sd).unwrap();
    for cut in 0..good.len() {
        // Every prefix either decodes (parts after the cut were optional) or
        // fails with an offset inside the buffer.
        if let Err(e) = binary::decode(&good[..cut]) {
            assert!(e.offset().unwrap_or(0) <= cut.max(20), "cut {cut}: {e}");
        }
    }
    assert_eq!(
        binary::decode(&[0xFF; 10]).unwrap_err().to_string(),
        "descriptor header at offset 0 needs 20 bytes but only 10 remain"
    );
}

/// An ACL header's reserved fields (`Sbz1`, `Sbz2`, MS-DTYP 2.4.5) are not
/// checked by `RtlValidAcl` (ReactOS sdk/lib/rtl/acl.c checks the revision,
/// size and ACEs only), and the bytes between the last ACE and `AclSize`
/// (slack) belong to no ACE; decode accepts any values there. The model keeps
/// the slack's length but neither these fields nor the slack's content, and
/// writes them back as zeros: the one part of an ACL that binary → binary
/// does not keep (the binary_decode fuzz target states the same).
#[test]
fn acl_reserved_fields_and_slack_content_are_written_back_as_zero() {
    let clean = binary::from_hex(
        "01000480000000000000000000000000140000000200 0c00000000 0000000000"
            .replace(' ', "")
            .as_str(),
    )
    .unwrap();
    let mut dirty = clean.clone();
    dirty[21] = 0xaa; // Sbz1
    dirty[26] = 0xbb; // Sbz2
    dirty[27] = 0xcc;
    dirty[29] = 0xdd; // slack
    let sd = binary::decode(&dirty).unwrap();
    assert_eq!(sd.dacl.as_ref().unwrap().slack, 4);
    assert_eq!(sd, binary::decode(&clean).unwrap());
    assert_eq!(binary::encode(&sd).unwrap(), clean);
}
