//! The text forms that carry a binary descriptor: hex, and base64 (RFC 4648)
//! as LDAP tools print `nTSecurityDescriptor`.

use super::format::BinaryError;

/// Lowercase hex of `bytes`.
pub fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

/// Bytes from hex text (either case). Whitespace is not allowed.
pub fn from_hex(text: &str) -> Result<Vec<u8>, BinaryError> {
    let b = text.as_bytes();
    if b.len() % 2 != 0 {
        return Err(BinaryError::Hex {
            offset: b.len(),
            reason: "odd number of hex digits",
        });
    }
    let nib = |i: usize| -> Result<u8, BinaryError> {
        match b[i] {
            c @ b'0'..=b'9' => Ok(c - b'0'),
            c @ b'a'..=b'f' => Ok(c - b'a' + 10),
            c @ b'A'..=b'F' => Ok(c - b'A' + 10),
            _ => Err(BinaryError::Hex {
                offset: i,
                reason: "expected a hex digit",
            }),
        }
    };
    (0..b.len() / 2)
        .map(|i| Ok((nib(2 * i)? << 4) | nib(2 * i + 1)?))
        .collect()
}

/// Bytes from standard base64 (RFC 4648, `+/`, `=` padding optional), as
/// LDAP tools print `nTSecurityDescriptor`. Whitespace and line breaks are
/// skipped.
pub fn from_base64(text: &str) -> Result<Vec<u8>, BinaryError> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let mut acc = 0u32;
    let mut bits = 0u32;
    let mut padding = 0usize;
    for (i, c) in text.bytes().enumerate() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => {
                padding += 1;
                continue;
            }
            b' ' | b'\t' | b'\r' | b'\n' => continue,
            _ => {
                return Err(BinaryError::Base64 {
                    offset: i,
                    reason: "expected a base64 character",
                })
            }
        };
        if padding > 0 {
            return Err(BinaryError::Base64 {
                offset: i,
                reason: "data after `=` padding",
            });
        }
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    if bits >= 6 || padding > 2 {
        return Err(BinaryError::Base64 {
            offset: text.len(),
            reason: "truncated base64",
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_decodes_rfc4648_vectors() {
        // RFC 4648 section 10.
        for (text, bytes) in [
            ("", &b""[..]),
            ("Zg==", b"f"),
            ("Zm8=", b"fo"),
            ("Zm9v", b"foo"),
            ("Zm9vYg==", b"foob"),
            ("Zm9vYmE=", b"fooba"),
            ("Zm9vYmFy", b"foobar"),
            ("Zm9v\nYmFy", b"foobar"),
        ] {
            assert_eq!(from_base64(text).unwrap(), bytes, "{text}");
        }
        assert_eq!(from_base64("Zm9v!").unwrap_err().offset(), Some(4));
        assert!(from_base64("Zg==Zg").is_err());
        assert!(from_base64("Z").is_err());
    }

    #[test]
    fn hex_round_trip_and_errors() {
        assert_eq!(from_hex("0aFf").unwrap(), vec![0x0a, 0xff]);
        assert_eq!(to_hex(&[0x0a, 0xff]), "0aff");
        assert!(matches!(
            from_hex("abc"),
            Err(BinaryError::Hex { offset: 3, .. })
        ));
        assert!(matches!(
            from_hex("zz"),
            Err(BinaryError::Hex { offset: 0, .. })
        ));
    }
}
