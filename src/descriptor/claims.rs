//! Claim security attributes: user, device and local claims in tokens, and
//! resource attributes held in `RA` ACEs (MS-DTYP 2.4.10.1).

use crate::descriptor::condition::ConditionError;
use crate::descriptor::Found;
use crate::ids::sid::{Sid, SidError};
use std::fmt::{self, Write as _};

/// `CLAIM_SECURITY_ATTRIBUTE_NON_INHERITABLE`.
pub const FLAG_NON_INHERITABLE: u32 = 0x0001;
/// `CLAIM_SECURITY_ATTRIBUTE_VALUE_CASE_SENSITIVE`: string comparisons on
/// this claim are case-sensitive.
pub const FLAG_CASE_SENSITIVE: u32 = 0x0002;
/// `CLAIM_SECURITY_ATTRIBUTE_USE_FOR_DENY_ONLY`.
pub const FLAG_USE_FOR_DENY_ONLY: u32 = 0x0004;
/// `CLAIM_SECURITY_ATTRIBUTE_DISABLED_BY_DEFAULT`.
pub const FLAG_DISABLED_BY_DEFAULT: u32 = 0x0008;
/// `CLAIM_SECURITY_ATTRIBUTE_DISABLED`: the claim is ignored.
pub const FLAG_DISABLED: u32 = 0x0010;
/// `CLAIM_SECURITY_ATTRIBUTE_MANDATORY`.
pub const FLAG_MANDATORY: u32 = 0x0020;

/// The values of one claim, all of one type.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
#[non_exhaustive]
pub enum ClaimValues {
    /// Type 0x0001, SDDL `TI`.
    Int64(Vec<i64>),
    /// Type 0x0002, SDDL `TU`.
    Uint64(Vec<u64>),
    /// Type 0x0003, SDDL `TS`.
    String(Vec<String>),
    /// Type 0x0005, SDDL `TD`.
    Sid(Vec<Sid>),
    /// Type 0x0006, SDDL `TB`.
    Boolean(Vec<bool>),
    /// Type 0x0010, SDDL `TX`.
    OctetString(Vec<Vec<u8>>),
}

impl ClaimValues {
    /// Drops every value, keeping the type.
    pub fn clear(&mut self) {
        match self {
            ClaimValues::Int64(v) => v.clear(),
            ClaimValues::Uint64(v) => v.clear(),
            ClaimValues::String(v) => v.clear(),
            ClaimValues::Sid(v) => v.clear(),
            ClaimValues::Boolean(v) => v.clear(),
            ClaimValues::OctetString(v) => v.clear(),
        }
    }

    /// The `ValueType` code.
    pub fn type_code(&self) -> u16 {
        match self {
            ClaimValues::Int64(_) => 0x0001,
            ClaimValues::Uint64(_) => 0x0002,
            ClaimValues::String(_) => 0x0003,
            ClaimValues::Sid(_) => 0x0005,
            ClaimValues::Boolean(_) => 0x0006,
            ClaimValues::OctetString(_) => 0x0010,
        }
    }

    /// The SDDL type letter (the `x` of `Tx`).
    pub fn sddl_letter(&self) -> char {
        match self {
            ClaimValues::Int64(_) => 'I',
            ClaimValues::Uint64(_) => 'U',
            ClaimValues::String(_) => 'S',
            ClaimValues::Sid(_) => 'D',
            ClaimValues::Boolean(_) => 'B',
            ClaimValues::OctetString(_) => 'X',
        }
    }

    /// Number of values.
    pub fn len(&self) -> usize {
        match self {
            ClaimValues::Int64(v) => v.len(),
            ClaimValues::Uint64(v) => v.len(),
            ClaimValues::String(v) => v.len(),
            ClaimValues::Sid(v) => v.len(),
            ClaimValues::Boolean(v) => v.len(),
            ClaimValues::OctetString(v) => v.len(),
        }
    }

    /// Whether there are no values.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// One claim: a name, flags and one or more values of a single type.
#[derive(Clone, PartialEq, Eq, Hash, Debug)]
pub struct ClaimAttribute {
    /// The name (compared case-insensitively).
    pub name: String,
    /// `CLAIM_SECURITY_ATTRIBUTE_*` flags.
    pub flags: u32,
    /// The values.
    pub values: ClaimValues,
}

/// A resource attribute or claim that could not be read or written.
///
/// [`offset`](ClaimError::offset) is a byte offset in the binary payload or
/// the SDDL text; [`kind`](ClaimError::kind) says what went wrong. It displays
/// as the kind's message followed by ` at offset N`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimError {
    offset: usize,
    kind: ClaimErrorKind,
}

/// What went wrong with a claim or resource attribute. Each variant displays
/// as the message of a [`ClaimError`], without its offset.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ClaimErrorKind {
    // Binary form (CLAIM_SECURITY_ATTRIBUTE_RELATIVE_V1).
    /// A claim to encode has no values.
    NothingToEncode,
    /// The encoded attribute is larger than an ACE can carry.
    TooLarge,
    /// The payload is shorter than the 16-byte header.
    MissingHeader,
    /// A 4-byte offset or length runs past the end of the payload.
    TruncatedValue,
    /// The value count is larger than the payload can hold offsets for.
    CountTooLarge(usize),
    /// A value of `len` bytes runs past the end of the payload.
    ValuePastEnd {
        /// The value's length in bytes.
        len: usize,
    },
    /// A boolean value other than 0 or 1.
    BadBoolean(u64),
    /// A SID value (binary or text) that is not a valid SID, or an unknown
    /// SID alias.
    Sid(SidError),
    /// A SID value's length is not the length of the SID it holds.
    SidLengthMismatch,
    /// A `ValueType` code that is not one of the six claim types.
    UnknownValueType(u16),
    /// A string value holding `"`, which SDDL cannot write.
    QuoteInString,
    /// A string with no NUL before the end of the payload.
    UnterminatedString,
    /// A string that is not valid UTF-16.
    InvalidUtf16,
    /// A name holding U+0000, which SDDL cannot write (`%0000` is refused,
    /// and the binary form ends the name at the first NUL).
    NulInName,
    /// A string value holding U+0000, which SDDL cannot write.
    NulInString,

    // SDDL text.
    /// No values: the attribute needs at least one.
    NoValues,
    /// Something required is missing; the payload says what (`"a quoted
    /// string"`, ...).
    Expected(&'static str),
    /// Something other than what is allowed here.
    Unexpected {
        /// What is allowed.
        expected: &'static str,
        /// The character found, `None` at the end of the input.
        found: Option<char>,
    },
    /// `("` with no name after it.
    EmptyName,
    /// A type other than `TI`, `TU`, `TS`, `TD`, `TX` or `TB`; the payload
    /// is the letter after `T`.
    UnknownType(char),
    /// Flags that do not fit in 32 bits.
    FlagsOutOfRange,
    /// Flags using the reserved bits 0xFF00 (MS-DTYP 2.4.10.1).
    ReservedFlags(u32),
    /// The input ends before the closing `)`.
    Unterminated,
    /// More values than an ACE can carry.
    TooManyValues,
    /// A negative `TU` value.
    NegativeUnsigned,
    /// A `TB` value other than 0 or 1.
    BooleanNotZeroOrOne,
    /// A literal that the conditional-expression syntax rejects (an integer,
    /// string, octet string or escaped name).
    Condition(ConditionError),
}

offset_error!(
    ClaimError,
    ClaimErrorKind,
    "Where the problem is: a byte offset in the payload or SDDL text."
);

impl fmt::Display for ClaimErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ClaimErrorKind as K;
        match self {
            K::NothingToEncode => f.write_str("a claim needs at least one value"),
            K::TooLarge => f.write_str("resource attribute is too large for an ACE"),
            K::MissingHeader => f.write_str("resource attribute needs a 16-byte header"),
            K::TruncatedValue => f.write_str("value is cut short"),
            K::CountTooLarge(n) => write!(f, "value count {n} does not fit in the data"),
            K::ValuePastEnd { len } => write!(f, "{len}-byte value runs past the end"),
            K::BadBoolean(v) => write!(f, "boolean value {v} is not 0 or 1"),
            K::Sid(e) => write!(f, "{e}"),
            K::SidLengthMismatch => f.write_str("SID value length does not match its SID"),
            K::UnknownValueType(t) => write!(f, "unknown claim value type 0x{t:04x}"),
            K::QuoteInString => f.write_str("a string holding `\"` cannot be written in SDDL"),
            K::UnterminatedString => f.write_str("string is not NUL-terminated before the end"),
            K::InvalidUtf16 => f.write_str("string is not valid UTF-16"),
            K::NulInName => f.write_str("resource attribute names cannot hold NUL"),
            K::NulInString => f.write_str("a string holding NUL cannot be written in SDDL"),
            K::NoValues => f.write_str("a resource attribute needs at least one value"),
            K::Expected(what) => write!(f, "expected {what}"),
            K::Unexpected { expected, found } => {
                write!(f, "expected {expected}, found {}", Found(*found))
            }
            K::EmptyName => f.write_str("empty resource attribute name"),
            K::UnknownType(c) => write!(
                f,
                "unknown resource attribute type `T{c}`; expected TI, TU, TS, TD, TX or TB"
            ),
            K::FlagsOutOfRange => f.write_str("attribute flags must fit in 32 bits"),
            K::ReservedFlags(flags) => write!(
                f,
                "attribute flags 0x{flags:x} use the reserved bits 0xff00"
            ),
            K::Unterminated => f.write_str("unterminated resource attribute: expected `)`"),
            K::TooManyValues => f.write_str("resource attribute has too many values for an ACE"),
            K::NegativeUnsigned => f.write_str("TU values cannot be negative"),
            K::BooleanNotZeroOrOne => f.write_str("TB values must be 0 or 1"),
            K::Condition(e) => write!(f, "{}", e.kind()),
        }
    }
}

impl std::error::Error for ClaimError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.kind {
            ClaimErrorKind::Sid(e) => Some(e),
            ClaimErrorKind::Condition(e) => Some(e),
            _ => None,
        }
    }
}

/// The most an ACE can carry after its header: `AceSize` is 16 bits
/// (MS-DTYP 2.4.4.1).
const MAX_PAYLOAD: usize = 0xFFFF;

/// Fails with `kind` at `offset`.
pub(crate) fn fail<T>(offset: usize, kind: ClaimErrorKind) -> Result<T, ClaimError> {
    Err(ClaimError::new(offset, kind))
}

impl ClaimAttribute {
    /// Whether the claim's string values compare case-sensitively.
    pub fn is_case_sensitive(&self) -> bool {
        self.flags & FLAG_CASE_SENSITIVE != 0
    }

    /// Whether the claim is disabled.
    pub fn is_disabled(&self) -> bool {
        self.flags & FLAG_DISABLED != 0
    }

    /// Encodes as `CLAIM_SECURITY_ATTRIBUTE_RELATIVE_V1`: a 16-byte header,
    /// one 4-byte offset per value, the NUL-terminated UTF-16 name, then the
    /// values in order (8-byte integers, NUL-terminated UTF-16 strings, or a
    /// 4-byte length followed by SID or octet bytes). This is the layout of
    /// Samba's NDR for the structure, which Samba checks against bytes
    /// recorded on Windows. The result is zero-padded to a multiple of 4.
    pub fn encode_relative(&self) -> Result<Vec<u8>, ClaimError> {
        let n = self.values.len();
        if n == 0 {
            return fail(0, ClaimErrorKind::NothingToEncode);
        }
        let header = 16 + 4 * n;
        let mut out = vec![0u8; header];
        out[0..4].copy_from_slice(&(header as u32).to_le_bytes());
        out[4..6].copy_from_slice(&self.values.type_code().to_le_bytes());
        out[8..12].copy_from_slice(&self.flags.to_le_bytes());
        out[12..16].copy_from_slice(&(n as u32).to_le_bytes());
        push_utf16z(&mut out, &self.name);
        let mut offsets = Vec::with_capacity(n);
        match &self.values {
            ClaimValues::Int64(v) => v.iter().for_each(|x| {
                offsets.push(out.len());
                out.extend_from_slice(&x.to_le_bytes());
            }),
            ClaimValues::Uint64(v) => v.iter().for_each(|x| {
                offsets.push(out.len());
                out.extend_from_slice(&x.to_le_bytes());
            }),
            ClaimValues::Boolean(v) => v.iter().for_each(|x| {
                offsets.push(out.len());
                out.extend_from_slice(&u64::from(*x).to_le_bytes());
            }),
            ClaimValues::String(v) => v.iter().for_each(|s| {
                if out.len() % 2 != 0 {
                    out.push(0);
                }
                offsets.push(out.len());
                push_utf16z(&mut out, s);
            }),
            ClaimValues::Sid(v) => v.iter().for_each(|s| {
                offsets.push(out.len());
                let b = s.to_bytes();
                out.extend_from_slice(&(b.len() as u32).to_le_bytes());
                out.extend_from_slice(&b);
            }),
            ClaimValues::OctetString(v) => v.iter().for_each(|b| {
                offsets.push(out.len());
                out.extend_from_slice(&(b.len() as u32).to_le_bytes());
                out.extend_from_slice(b);
            }),
        }
        for (i, off) in offsets.iter().enumerate() {
            out[16 + 4 * i..20 + 4 * i].copy_from_slice(&(*off as u32).to_le_bytes());
        }
        while out.len() % 4 != 0 {
            out.push(0);
        }
        if out.len() > MAX_PAYLOAD {
            return fail(0, ClaimErrorKind::TooLarge);
        }
        Ok(out)
    }

    /// Decodes `CLAIM_SECURITY_ATTRIBUTE_RELATIVE_V1`, checking every offset.
    pub fn decode_relative(data: &[u8]) -> Result<ClaimAttribute, ClaimError> {
        if data.len() < 16 {
            return fail(0, ClaimErrorKind::MissingHeader);
        }
        let u32_at = |p: usize| -> Result<usize, ClaimError> {
            match data.get(p..p + 4) {
                Some(b) => Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize),
                None => fail(p, ClaimErrorKind::TruncatedValue),
            }
        };
        let name_off = u32_at(0)?;
        let ty = u16::from_le_bytes([data[4], data[5]]);
        let flags = u32_at(8)? as u32;
        let count = u32_at(12)?;
        if count == 0 {
            return fail(12, ClaimErrorKind::NoValues);
        }
        if count > (data.len() - 16) / 4 {
            return fail(12, ClaimErrorKind::CountTooLarge(count));
        }
        let name = read_utf16z(data, name_off)?;
        let offsets: Vec<usize> = (0..count)
            .map(|i| u32_at(16 + 4 * i))
            .collect::<Result<_, _>>()?;
        let eight = |off: usize| -> Result<[u8; 8], ClaimError> {
            match data.get(off..off + 8) {
                Some(b) => {
                    let mut a = [0u8; 8];
                    a.copy_from_slice(b);
                    Ok(a)
                }
                None => fail(off, ClaimErrorKind::ValuePastEnd { len: 8 }),
            }
        };
        let blob = |off: usize| -> Result<&[u8], ClaimError> {
            let n = u32_at(off)?;
            match data.get(off + 4..off + 4 + n) {
                Some(b) if off + 4 + n >= off => Ok(b),
                _ => fail(off, ClaimErrorKind::ValuePastEnd { len: n }),
            }
        };
        let values = match ty {
            0x0001 => ClaimValues::Int64(
                offsets
                    .iter()
                    .map(|&o| eight(o).map(i64::from_le_bytes))
                    .collect::<Result<_, _>>()?,
            ),
            0x0002 => ClaimValues::Uint64(
                offsets
                    .iter()
                    .map(|&o| eight(o).map(u64::from_le_bytes))
                    .collect::<Result<_, _>>()?,
            ),
            0x0006 => ClaimValues::Boolean(
                offsets
                    .iter()
                    .map(|&o| {
                        let v = u64::from_le_bytes(eight(o)?);
                        match v {
                            0 => Ok(false),
                            1 => Ok(true),
                            _ => fail(o, ClaimErrorKind::BadBoolean(v)),
                        }
                    })
                    .collect::<Result<_, _>>()?,
            ),
            0x0003 => ClaimValues::String(
                offsets
                    .iter()
                    .map(|&o| read_utf16z(data, o))
                    .collect::<Result<_, _>>()?,
            ),
            0x0005 => ClaimValues::Sid(
                offsets
                    .iter()
                    .map(|&o| {
                        let b = blob(o)?;
                        let (sid, used) = Sid::from_bytes(b, o + 4)
                            .map_err(|e| ClaimError::new(o + 4, ClaimErrorKind::Sid(e)))?;
                        if used != b.len() {
                            return fail(o, ClaimErrorKind::SidLengthMismatch);
                        }
                        Ok(sid)
                    })
                    .collect::<Result<_, _>>()?,
            ),
            0x0010 => ClaimValues::OctetString(
                offsets
                    .iter()
                    .map(|&o| blob(o).map(<[u8]>::to_vec))
                    .collect::<Result<_, _>>()?,
            ),
            other => return fail(4, ClaimErrorKind::UnknownValueType(other)),
        };
        Ok(ClaimAttribute {
            name,
            flags,
            values,
        })
    }

    /// The SDDL form of a resource attribute ACE's payload:
    /// `("name",TI,0x0,1,2)`.
    ///
    /// Refuses what the SDDL parser would not read back as the same
    /// attribute: an empty name or one holding NUL (`("P\0x",...)` used to
    /// print as `("P",...)`), the reserved flag bits 0xFF00 (MS-DTYP 2.4.10.1,
    /// refused when parsed), no values, and strings holding `"` or NUL.
    pub fn to_sddl(&self, domain: Option<&Sid>) -> Result<String, ClaimError> {
        if self.name.is_empty() {
            return fail(0, ClaimErrorKind::EmptyName);
        }
        if self.name.contains('\0') {
            return fail(0, ClaimErrorKind::NulInName);
        }
        if self.flags & 0xFF00 != 0 {
            return fail(0, ClaimErrorKind::ReservedFlags(self.flags));
        }
        if self.values.is_empty() {
            return fail(0, ClaimErrorKind::NoValues);
        }
        let mut out = String::from("(\"");
        out.push_str(&escape_attr_name(&self.name));
        let _ = write!(out, "\",T{},0x{:x},", self.values.sddl_letter(), self.flags);
        let mut parts: Vec<String> = Vec::new();
        match &self.values {
            ClaimValues::Int64(v) => parts.extend(v.iter().map(|x| x.to_string())),
            ClaimValues::Uint64(v) => parts.extend(v.iter().map(|x| x.to_string())),
            ClaimValues::Boolean(v) => parts.extend(v.iter().map(|x| u8::from(*x).to_string())),
            ClaimValues::String(v) => {
                for s in v {
                    if s.contains('"') {
                        return fail(0, ClaimErrorKind::QuoteInString);
                    }
                    if s.contains('\0') {
                        return fail(0, ClaimErrorKind::NulInString);
                    }
                    parts.push(format!("\"{s}\""));
                }
            }
            ClaimValues::Sid(v) => parts.extend(v.iter().map(|s| s.to_sddl(domain))),
            ClaimValues::OctetString(v) => parts.extend(v.iter().map(|b| {
                let mut s = String::from("#");
                for byte in b {
                    let _ = write!(s, "{byte:02X}");
                }
                s
            })),
        }
        out.push_str(&parts.join(","));
        out.push(')');
        Ok(out)
    }
}

fn push_utf16z(out: &mut Vec<u8>, s: &str) {
    for u in s.encode_utf16() {
        out.extend_from_slice(&u.to_le_bytes());
    }
    out.extend_from_slice(&[0, 0]);
}

fn read_utf16z(data: &[u8], off: usize) -> Result<String, ClaimError> {
    let mut units = Vec::new();
    let mut p = off;
    loop {
        let Some(b) = data.get(p..p + 2) else {
            return fail(off, ClaimErrorKind::UnterminatedString);
        };
        let u = u16::from_le_bytes([b[0], b[1]]);
        if u == 0 {
            break;
        }
        units.push(u);
        p += 2;
    }
    String::from_utf16(&units).or_else(|_| fail(off, ClaimErrorKind::InvalidUtf16))
}

/// Escapes an attribute name as SDDL writes it (`%xxxx` for reserved
/// characters, MS-DTYP 2.5.1.1).
pub(crate) fn escape_attr_name(name: &str) -> String {
    name.encode_utf16()
        .map(|u| {
            if u <= 0x20 || u > 126 || b"!\"&()<=>|%".contains(&(u as u8)) {
                format!("%{u:04x}")
            } else {
                ((u as u8) as char).to_string()
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_layout_matches_the_ndr_description() {
        let c = ClaimAttribute {
            name: "a".into(),
            flags: 0,
            values: ClaimValues::Int64(vec![7]),
        };
        let b = c.encode_relative().unwrap();
        // header: name at 20, type 1, flags 0, count 1, value offset 24;
        // "a\0" then the int64 at 24.
        assert_eq!(
            b,
            [
                20, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 24, 0, 0, 0, b'a', 0, 0, 0, 7, 0,
                0, 0, 0, 0, 0, 0
            ]
        );
        assert_eq!(ClaimAttribute::decode_relative(&b).unwrap(), c);
    }

    #[test]
    fn every_value_type_round_trips_through_bytes_and_sddl() {
        let sid: Sid = "S-1-5-32-544".parse().unwrap();
        let cases = [
            ClaimValues::Int64(vec![-1, 5]),
            ClaimValues::Uint64(vec![u64::MAX]),
            ClaimValues::String(vec!["Sales".into(), "Ops".into()]),
            ClaimValues::Sid(vec![sid]),
            ClaimValues::Boolean(vec![true, false]),
            ClaimValues::OctetString(vec![vec![1, 2, 3], vec![]]),
        ];
        for values in cases {
            let c = ClaimAttribute {
                name: "dept".into(),
                flags: FLAG_CASE_SENSITIVE,
                values,
            };
            let b = c.encode_relative().unwrap();
            assert_eq!(ClaimAttribute::decode_relative(&b).unwrap(), c);
            let text = c.to_sddl(None).unwrap();
            let (back, used) = ClaimAttribute::parse_sddl(text.as_bytes(), 0, None).unwrap();
            assert_eq!(used, text.len());
            assert_eq!(back, c, "{text}");
        }
    }

    #[test]
    fn prints_resource_attributes_like_windows() {
        let c = ClaimAttribute {
            name: "Project".into(),
            flags: 0,
            values: ClaimValues::String(vec!["Alpha".into()]),
        };
        assert_eq!(c.to_sddl(None).unwrap(), "(\"Project\",TS,0x0,\"Alpha\")");
    }

    #[test]
    fn rejects_bad_payloads() {
        for bad in [
            "(\"a\",TQ,0x0,1)",
            "(\"a\",TB,0x0,2)",
            "(\"a\",TU,0x0,-1)",
            "(\"a\",TI,0x0,\"x\")",
            "(\"a\",TI,0x100,1)",
            "(\"a\",TI,0x0)",
            "(\"a\",TI,0x0,1",
        ] {
            assert!(
                ClaimAttribute::parse_sddl(bad.as_bytes(), 0, None).is_err(),
                "{bad}"
            );
        }
        assert!(ClaimAttribute::decode_relative(&[0; 8]).is_err());
        let mut b = ClaimAttribute {
            name: "a".into(),
            flags: 0,
            values: ClaimValues::Int64(vec![1]),
        }
        .encode_relative()
        .unwrap();
        b[16] = 200; // value offset past the end
        assert!(ClaimAttribute::decode_relative(&b).is_err());
    }
}
