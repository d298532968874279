//! SID strings inside SDDL, read as Windows' SDDL converter reads them.
//!
//! Windows is more lenient here than MS-DTYP 2.4.2.1's grammar, and the
//! general SID parser (`Sid::parse_prefix`) stays strict; only SDDL text goes
//! through this reader. Each leniency was recorded on Windows by Samba's
//! generator (`python/samba/tests/sddl.py`, classes `SddlNonCanonical`,
//! `SddlWindowsIsLessFussy`, `SddlWindowsIsWeird` and `SddlShouldFail`,
//! whose strings `libcli/security/tests/windows/windows-sddl-tests.c` feeds to
//! `ConvertStringSecurityDescriptorToSecurityDescriptor`):
//!
//! - the revision and the identifier authority are read like C's `strtoul`
//!   with base 0: leading spaces are skipped (`O:S- 1- 2-3` is `S-1-2-3`),
//!   and each may be decimal, `0x` hex or leading-zero octal
//!   (`S-1-0x20-3-4` is `S-1-32-3-4`);
//! - a revision written in hex switches every later number to base 16:
//!   `S-0x1-0-0-579` is `S-1-0-0-1401` and `S-0x1-20-0-579` is
//!   `S-1-32-0-1401` (`SddlWindowsIsWeird`);
//! - sub-authorities take no leading space ("not subauth" in
//!   `SddlWindowsIsLessFussy`), and one of 2^32 or more is stored as
//!   4294967295, as `strtoul` saturates: `S-1-3-4294967296-3-4`,
//!   `S-1-3-0x100000000-3-4` and `S-1-5-21-0x1313131313131-513` all store
//!   4294967295 (`SddlWindowsIsWeird`);
//! - an authority past 48 bits is refused (`S-1-0x1313131313131-513`,
//!   `should_fail.txt`, vector line 7355).

use crate::ids::sid::{Sid, SidError, MAX_AUTHORITY, MAX_SUB_AUTHORITIES};

/// Reads a SID string at the start of `text` (which begins `S-` or `s-`).
/// Returns the SID and the bytes used; `base` is `text`'s offset in the
/// input, for errors. Reading stops at the first byte that cannot continue
/// the SID; the caller decides whether what follows is allowed.
pub(super) fn read_sid(text: &[u8], base: usize) -> Result<(Sid, usize), SidError> {
    let at = |i: usize| text.get(i).copied();
    if !matches!(at(0), Some(b'S' | b's')) || at(1) != Some(b'-') {
        return Err(SidError::Syntax {
            offset: base,
            expected: "`S-`",
        });
    }
    let mut i = 2;
    // Revision: spaces, then a strtoul number that must be 1.
    while at(i) == Some(b' ') {
        i += 1;
    }
    let rev_start = i;
    let Some((revision, used, hex)) = number(&text[i..], None) else {
        return Err(SidError::Syntax {
            offset: base + i,
            expected: "a revision number",
        });
    };
    i += used;
    if revision != Some(1) {
        return Err(SidError::Revision {
            offset: base + rev_start,
            found: String::from_utf8_lossy(&text[rev_start..i]).into_owned(),
        });
    }
    // A hex revision makes every later number hex.
    let forced = hex.then_some(16);
    if at(i) != Some(b'-') {
        return Err(SidError::Syntax {
            offset: base + i,
            expected: "`-` after the revision",
        });
    }
    i += 1;
    while at(i) == Some(b' ') {
        i += 1;
    }
    let auth_start = i;
    let Some((authority, used, _)) = number(&text[i..], forced) else {
        return Err(SidError::Syntax {
            offset: base + i,
            expected: "an identifier authority",
        });
    };
    i += used;
    let authority = match authority {
        Some(a) if a <= MAX_AUTHORITY => a,
        _ => {
            return Err(SidError::AuthorityTooLarge {
                offset: base + auth_start,
                found: String::from_utf8_lossy(&text[auth_start..i]).into_owned(),
            })
        }
    };
    let mut sub = [0u32; MAX_SUB_AUTHORITIES];
    let mut count = 0usize;
    while at(i) == Some(b'-') {
        let start = i + 1;
        let Some((value, used, _)) = number(&text[start..], forced) else {
            return Err(SidError::Syntax {
                offset: base + start,
                expected: "a sub-authority",
            });
        };
        if count == MAX_SUB_AUTHORITIES {
            return Err(SidError::TooManySubAuthorities {
                offset: base + start,
            });
        }
        // strtoul saturates: 2^32 and above (and overflow) store ULONG_MAX.
        sub[count] = match value {
            Some(v) if v <= u64::from(u32::MAX) => v as u32,
            _ => u32::MAX,
        };
        count += 1;
        i = start + used;
    }
    let sid = Sid::new(authority, &sub[..count])?;
    Ok((sid, i))
}

/// A number as `strtoul` reads it from `s` (no leading space, no sign):
/// with `radix` `None` the base comes from the prefix (`0x` hex, leading `0`
/// octal, else decimal); with `Some(16)` a `0x` prefix is optional. Returns
/// the value (`None` past 64 bits), the bytes used and whether it was read as
/// hex; `None` when no digit starts it.
fn number(s: &[u8], radix: Option<u64>) -> Option<(Option<u64>, usize, bool)> {
    let has_0x =
        s.len() >= 3 && s[0] == b'0' && matches!(s[1], b'x' | b'X') && s[2].is_ascii_hexdigit();
    let (radix, start) = match radix {
        Some(r) => (r, if has_0x { 2 } else { 0 }),
        None if has_0x => (16, 2),
        None if s.first() == Some(&b'0') => (8, 0),
        None => (10, 0),
    };
    let digit = |c: u8| char::from(c).to_digit(radix as u32).map(u64::from);
    digit(*s.get(start)?)?;
    let mut i = start;
    let mut v: Option<u64> = Some(0);
    while let Some(d) = s.get(i).and_then(|&c| digit(c)) {
        v = v.and_then(|v| v.checked_mul(radix)?.checked_add(d));
        i += 1;
    }
    Some((v, i, radix == 16))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sid(s: &str) -> String {
        let (sid, used) = read_sid(s.as_bytes(), 0).unwrap();
        assert_eq!(used, s.len(), "{s}");
        sid.to_string()
    }

    #[test]
    fn windows_forms() {
        assert_eq!(sid("S- 1- 2-3"), "S-1-2-3");
        assert_eq!(sid("S-0x1-0-0-579"), "S-1-0-0-1401");
        assert_eq!(sid("S-0x1-20-0-579"), "S-1-32-0-1401");
        assert_eq!(sid("S-1-3-4294967296-3-4"), "S-1-3-4294967295-3-4");
        assert_eq!(sid("S-1-3-0x100000000-3-4"), "S-1-3-4294967295-3-4");
        assert_eq!(
            sid("S-1-5-21-0x1313131313131-513"),
            "S-1-5-21-4294967295-513"
        );
        assert_eq!(sid("S-1-21474836480-32-579"), "S-1-0x500000000-32-579");
        assert_eq!(sid("s-1-0x20-3-4"), "S-1-32-3-4");
    }

    #[test]
    fn refusals_keep_their_offsets() {
        let e = |s: &str| read_sid(s.as_bytes(), 10).unwrap_err();
        assert!(matches!(
            e("S-1-0x1313131313131-513"),
            SidError::AuthorityTooLarge { offset: 14, .. }
        ));
        assert!(matches!(e("S-2-1"), SidError::Revision { offset: 12, .. }));
        assert!(matches!(
            e("S-1-5- 18"),
            SidError::Syntax { offset: 16, .. }
        ));
        assert!(matches!(e("S-0x1"), SidError::Syntax { offset: 15, .. }));
        assert!(matches!(e("S-"), SidError::Syntax { offset: 12, .. }));
    }
}
