//! Security Descriptor Definition Language: parsing and Windows-canonical
//! printing ("Security Descriptor String Format" and "ACE Strings" in the
//! Win32 documentation; MS-DTYP 2.5.1).
//!
//! Parsing follows what Windows accepts, as recorded in the conformance
//! vectors and in the strings Samba ran on Windows (`python/samba/tests/sddl.py`):
//! components in any order, each at most once, with spaces around them;
//! upper-case tags, but ACE types, flags, rights and aliases in any case;
//! `strtoul`-style numeric rights (decimal, `0x` hex, leading-zero octal);
//! spaces allowed before and between right codes but not after them; GUIDs of
//! exactly 36 characters; SID strings read as Windows reads them
//! (`sid_text.rs`); no audit ACE in a DACL; an object ACE without GUIDs
//! written as the plain type in an ACL sized for the object form.
//!
//! Printing follows Windows: `O:`, `G:`, `D:`, `S:` in that order; ACL flags
//! as `P`, `AR`, `AI`; rights as an exact named mask, else single-bit codes in
//! ascending bit order, else lower-case hex.

mod carried;
mod error;
mod parse;
mod print;
mod sid_text;

pub use carried::carried_part;
pub use error::{SddlError, SddlErrorKind};
pub use parse::parse;
pub use print::{print, print_ace};

use crate::descriptor::sd::SecurityDescriptor;
use crate::ids::sid::Sid;

/// ACE flag codes in printing order.
const ACE_FLAG_CODES: [(&str, u8); 9] = [
    ("OI", 0x01),
    ("CI", 0x02),
    ("NP", 0x04),
    ("IO", 0x08),
    ("ID", 0x10),
    ("CR", 0x20),
    ("SA", 0x40),
    ("TP", 0x40),
    ("FA", 0x80),
];

impl SecurityDescriptor {
    /// Parses SDDL; see [`parse`].
    pub fn from_sddl(text: &str, domain: Option<&Sid>) -> Result<SecurityDescriptor, SddlError> {
        parse(text, domain)
    }

    /// Prints canonical SDDL; see [`print()`].
    pub fn to_sddl(&self, domain: Option<&Sid>) -> Result<String, SddlError> {
        print(self, domain)
    }
}

#[cfg(test)]
mod tests {
    use super::parse::rights;
    use super::*;

    fn canon(s: &str) -> String {
        print(&parse(s, None).unwrap(), None).unwrap()
    }

    #[test]
    fn windows_canonical_examples() {
        // From the conformance set (non_canonical.txt).
        assert_eq!(canon("D:(A;;RPLCLORC;;;AU)"), "D:(A;;LCRPLORC;;;AU)");
        assert_eq!(canon("S:D:P"), "D:PS:");
        assert_eq!(canon("D:(A;;123456789;;;SY)"), "D:(A;;0x75bcd15;;;SY)");
        assert_eq!(canon("D:(A;;01234567;;;SY)"), "D:(A;;0x53977;;;SY)");
        assert_eq!(
            canon("D:(A;;0xe00f0000;;;SY)"),
            "D:(A;;SDRCWDWOGXGWGR;;;SY)"
        );
        assert_eq!(canon("D:AIPAR(A;;GA;;;SY)"), "D:PARAI(A;;GA;;;SY)");
        assert_eq!(canon("D:(A;;FAGX;;;SY)"), "D:(A;;0x201f01ff;;;SY)");
        assert_eq!(
            canon("D:(A;;CC;;;S-1-21474836480-32-579)"),
            "D:(A;;CC;;;S-1-0x500000000-32-579)"
        );
        assert_eq!(canon("S:(ML;;NW;;;LW)"), "S:(ML;;NW;;;LW)");
        assert_eq!(canon("S:(ML;;NWNRNX;;;LW)"), "S:(ML;;NWNRNX;;;LW)");
        assert_eq!(canon("D:NO_ACCESS_CONTROL"), "D:NO_ACCESS_CONTROL");
    }

    #[test]
    fn null_and_empty_dacls_stay_different() {
        let null = parse("D:NO_ACCESS_CONTROL", None).unwrap();
        let empty = parse("D:", None).unwrap();
        assert!(null.has_null_dacl());
        assert!(!empty.has_null_dacl());
        assert_ne!(null, empty);
    }

    #[test]
    fn errors_name_the_offset_and_expectation() {
        let e = parse("D:(A;OICI", None).unwrap_err();
        assert_eq!(
            e.to_string(),
            "expected `;` after the ACE flags, found the end of the input at offset 9"
        );
        let e = parse("D:(A;;GA)", None).unwrap_err();
        assert_eq!(e.offset(), 8);
        assert_eq!(
            parse("D:(Antlers;;GA;;;SY)", None).unwrap_err().to_string(),
            "unknown ACE type `Antlers` at offset 3"
        );
        assert_eq!(parse("d:(A;;GA;;;LG)", None).unwrap_err().offset(), 0);
        assert_eq!(
            parse("O:XX", None).unwrap_err().to_string(),
            "unknown SID alias `XX` at offset 2"
        );
        assert!(parse("D:(A;;GA;;;DA)", None)
            .unwrap_err()
            .kind()
            .to_string()
            .contains("domain"));
        assert_eq!(
            parse("D:(A;;GA ;;;LG)", None)
                .unwrap_err()
                .kind()
                .to_string(),
            "trailing space in the access rights"
        );
        assert!(parse("D:(A;;GA;;;LG;)", None).is_err());
    }

    #[test]
    fn numeric_rights_behave_like_strtoul() {
        let mask = |r: &str| rights(r.as_bytes(), 0).unwrap().0;
        assert_eq!(mask("-2"), 0xFFFF_FFFE);
        assert_eq!(mask("0x1ffffffff"), 0xFFFF_FFFF);
        assert_eq!(mask("16"), 0x10);
        assert_eq!(mask("RP LC"), 0x14);
        assert!(rights(b"0x 75bcd15", 0).is_err());
        assert!(rights(b"123456789 ", 0).is_err());
        assert!(rights(b"RP LC\tLORC", 0).is_err());
    }
}
