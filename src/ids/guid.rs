//! GUIDs, as used for object types in object ACEs and object-type lists.
//!
//! Text form is `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (MS-DTYP 2.3.4.3);
//! binary form stores the first three groups little-endian (MS-DTYP 2.3.4.2).

use std::fmt;
use std::str::FromStr;

/// A 128-bit GUID, held in its binary (wire) byte order.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Guid([u8; 16]);

/// A GUID string that is not in the `8-4-4-4-12` hex form.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid GUID `{text}`: expected 8-4-4-4-12 hexadecimal digits")]
#[non_exhaustive]
pub struct GuidError {
    /// The text as given.
    pub text: String,
}

impl Guid {
    /// The all-zero GUID.
    pub const NIL: Guid = Guid([0; 16]);

    /// A GUID from its 16 wire bytes.
    pub const fn from_bytes(bytes: [u8; 16]) -> Guid {
        Guid(bytes)
    }

    /// The 16 wire bytes.
    pub const fn to_bytes(&self) -> [u8; 16] {
        self.0
    }

    /// A GUID from its textual fields.
    pub const fn from_fields(d1: u32, d2: u16, d3: u16, d4: [u8; 8]) -> Guid {
        let a = d1.to_le_bytes();
        let b = d2.to_le_bytes();
        let c = d3.to_le_bytes();
        Guid([
            a[0], a[1], a[2], a[3], b[0], b[1], c[0], c[1], d4[0], d4[1], d4[2], d4[3], d4[4],
            d4[5], d4[6], d4[7],
        ])
    }
}

impl FromStr for Guid {
    type Err = GuidError;

    /// Parses exactly 36 characters, hex digits in either case, dashes at
    /// positions 8, 13, 18 and 23. Braces and spaces are rejected, as Windows
    /// rejects them in SDDL (conformance vectors in `should_fail.txt`).
    fn from_str(s: &str) -> Result<Guid, GuidError> {
        let err = || GuidError {
            text: s.to_string(),
        };
        let b = s.as_bytes();
        if b.len() != 36 {
            return Err(err());
        }
        let mut nibbles = [0u8; 32];
        let mut n = 0;
        for (i, &c) in b.iter().enumerate() {
            if matches!(i, 8 | 13 | 18 | 23) {
                if c != b'-' {
                    return Err(err());
                }
                continue;
            }
            nibbles[n] = match c {
                b'0'..=b'9' => c - b'0',
                b'a'..=b'f' => c - b'a' + 10,
                b'A'..=b'F' => c - b'A' + 10,
                _ => return Err(err()),
            };
            n += 1;
        }
        let byte = |k: usize| (nibbles[2 * k] << 4) | nibbles[2 * k + 1];
        let d1 = u32::from_be_bytes([byte(0), byte(1), byte(2), byte(3)]);
        let d2 = u16::from_be_bytes([byte(4), byte(5)]);
        let d3 = u16::from_be_bytes([byte(6), byte(7)]);
        let mut d4 = [0u8; 8];
        for (k, slot) in d4.iter_mut().enumerate() {
            *slot = byte(8 + k);
        }
        Ok(Guid::from_fields(d1, d2, d3, d4))
    }
}

impl fmt::Display for Guid {
    /// Lowercase `8-4-4-4-12`, as Windows prints GUIDs in SDDL.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let b = &self.0;
        write!(
            f,
            "{:08x}-{:04x}-{:04x}-{:02x}{:02x}-{:02x}{:02x}{:02x}{:02x}{:02x}{:02x}",
            u32::from_le_bytes([b[0], b[1], b[2], b[3]]),
            u16::from_le_bytes([b[4], b[5]]),
            u16::from_le_bytes([b[6], b[7]]),
            b[8],
            b[9],
            b[10],
            b[11],
            b[12],
            b[13],
            b[14],
            b[15]
        )
    }
}

impl fmt::Debug for Guid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Guid({self})")
    }
}

impl serde::Serialize for Guid {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Guid {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Guid, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_wire_forms_match_windows() {
        // Vector: OA ACE with object type bf967a86-0de6-11d0-a285-00aa003049e2
        // is stored as 867a96bf e60d d011 a285 00aa003049e2.
        let g: Guid = "bf967a86-0de6-11d0-a285-00aa003049e2".parse().unwrap();
        let hex: String = g.to_bytes().iter().map(|b| format!("{b:02x}")).collect();
        assert_eq!(hex, "867a96bfe60dd011a28500aa003049e2");
        assert_eq!(g.to_string(), "bf967a86-0de6-11d0-a285-00aa003049e2");
        let upper: Guid = "77B5B886-944A-11d1-AEBD-0000F80367C1".parse().unwrap();
        assert_eq!(upper.to_string(), "77b5b886-944a-11d1-aebd-0000f80367c1");
    }

    #[test]
    fn rejects_other_spellings() {
        for bad in [
            "{f30e3bbf-9ff0-11d1-b603-0000f80367c1}",
            " f30e3bbf-9ff0-11d1-b603-0000f80367c1",
            "f30e3bbf-9ff0-11d1-b603-0000f80367c1 ",
            "0123456789abcdef",
            "0123456789abcdef0123456789abcdef",
            "f30e3bbe-9ff0-11d1-b603-00potato7c1",
            "f30e3bbf_9ff0-11d1-b603-0000f80367c1",
        ] {
            assert!(bad.parse::<Guid>().is_err(), "{bad:?} should be rejected");
        }
    }
}
