//! The reference's own reader of a conditional ACE's application data into
//! its postfix token stream (MS-DTYP 2.4.4.17.4 and 2.4.4.17.5), so that a
//! bug in the shared decoder cannot hide in both evaluators. Data it cannot
//! read gives `None`, and the condition is then UNKNOWN.

use crate::descriptor::condition::{AttrClass, ExprOp, ExprToken, IntBase, IntSign, IntWidth};
use crate::ids::sid::Sid;

/// How deep composites may nest: secctx's limit for every reader of
/// conditions (MS-DTYP sets none).
const MAX_NESTING: usize = 256;

/// Reads `data`: the `artx` signature, then tokens until the end or the
/// first 0x00 padding byte, after which only padding may follow.
pub(super) fn decode(data: &[u8]) -> Option<Vec<ExprToken>> {
    let rest = data.strip_prefix(b"artx")?;
    let mut tokens = Vec::new();
    let mut at = 0;
    while at < rest.len() {
        if rest[at] == 0 {
            return rest[at..].iter().all(|b| *b == 0).then_some(tokens);
        }
        let (t, used) = token(&rest[at..], 0)?;
        tokens.push(t);
        at += used;
    }
    Some(tokens)
}

/// A 32-bit little-endian length, then that many bytes.
fn counted(data: &[u8]) -> Option<(&[u8], usize)> {
    let len: [u8; 4] = data.get(..4)?.try_into().ok()?;
    let n = usize::try_from(u32::from_le_bytes(len)).ok()?;
    let body = data.get(4..4usize.checked_add(n)?)?;
    Some((body, 4 + n))
}

/// UTF-16LE text without NUL characters.
fn text(bytes: &[u8]) -> Option<String> {
    if bytes.len() % 2 != 0 {
        return None;
    }
    let units: Vec<u16> = bytes
        .chunks(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    if units.contains(&0) {
        return None;
    }
    String::from_utf16(&units).ok()
}

/// One token at the start of `data` and the bytes it used.
fn token(data: &[u8], nesting: usize) -> Option<(ExprToken, usize)> {
    if nesting > MAX_NESTING {
        return None;
    }
    let code = *data.first()?;
    let body = &data[1..];
    match code {
        // Integer tokens: 8 bytes of value, a sign byte and a base byte
        // (2.4.4.17.5); the value must fit the token's width.
        0x01..=0x04 => {
            let raw: [u8; 8] = body.get(..8)?.try_into().ok()?;
            let value = i64::from_le_bytes(raw);
            let (width, lo, hi) = match code {
                0x01 => (IntWidth::I8, -128, 127),
                0x02 => (IntWidth::I16, -32_768, 32_767),
                0x03 => (IntWidth::I32, -2_147_483_648, 2_147_483_647),
                _ => (IntWidth::I64, i64::MIN, i64::MAX),
            };
            if value < lo || value > hi {
                return None;
            }
            let sign = match *body.get(8)? {
                1 => IntSign::Positive,
                2 => IntSign::Negative,
                3 => IntSign::None,
                _ => return None,
            };
            let base = match *body.get(9)? {
                1 => IntBase::Octal,
                2 => IntBase::Decimal,
                3 => IntBase::Hex,
                _ => return None,
            };
            let t = ExprToken::Int {
                value,
                width,
                sign,
                base,
            };
            Some((t, 11))
        }
        // Unicode string and attribute names.
        0x10 | 0xF8..=0xFB => {
            let (bytes, used) = counted(body)?;
            let s = text(bytes)?;
            let t = match code {
                0x10 => ExprToken::String(s),
                0xF8 => ExprToken::Attr(AttrClass::Local, s),
                0xF9 => ExprToken::Attr(AttrClass::User, s),
                0xFA => ExprToken::Attr(AttrClass::Resource, s),
                _ => ExprToken::Attr(AttrClass::Device, s),
            };
            Some((t, 1 + used))
        }
        0x18 => {
            let (bytes, used) = counted(body)?;
            Some((ExprToken::Octets(bytes.to_vec()), 1 + used))
        }
        // A SID: its binary form fills the counted bytes exactly.
        0x51 => {
            let (bytes, used) = counted(body)?;
            let (sid, n) = Sid::from_bytes(bytes, 0).ok()?;
            (n == bytes.len()).then_some((ExprToken::Sid(sid), 1 + used))
        }
        // A composite: literals only, read from its counted bytes.
        0x50 => {
            let (mut bytes, used) = counted(body)?;
            let mut items = Vec::new();
            while !bytes.is_empty() {
                let (t, n) = token(bytes, nesting + 1)?;
                if matches!(t, ExprToken::Attr(..) | ExprToken::Op(_)) {
                    return None;
                }
                items.push(t);
                bytes = &bytes[n..];
            }
            Some((ExprToken::Composite(items), 1 + used))
        }
        _ => ExprOp::from_code(code).map(|op| (ExprToken::Op(op), 1)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::descriptor::condition::Expression;

    /// The reader gives the tokens the SDDL compiler encoded (MS-DTYP
    /// 2.4.4.17.4), and refuses what MS-DTYP does not allow.
    #[test]
    fn reads_what_the_encoder_writes_and_refuses_bad_streams() {
        for text in [
            "((@User.Étage == \"x\") && (Member_of {SID(BA), SID(WD)}))",
            "((@Resource.n >= 0x10) || !(Exists Title))",
            "(@Device.o Any_of {#01ab, 3, -010})",
        ] {
            let e = Expression::from_sddl(text, None).unwrap();
            assert_eq!(decode(&e.encode().unwrap()), Some(e.tokens), "{text}");
        }
        assert_eq!(decode(b"abcd"), None);
        assert_eq!(decode(b"artx\x87\x00\x01\x00"), None, "data after padding");
        assert_eq!(decode(b"artx\x77"), None, "unknown token");
        let mut int8 = b"artx\x01".to_vec();
        int8.extend_from_slice(&300i64.to_le_bytes());
        int8.extend_from_slice(&[3, 2]);
        assert_eq!(decode(&int8), None, "300 in an 8-bit token");
        assert_eq!(decode(b"artx\x10\x09\x00\x00\x00"), None, "truncated");
    }
}
