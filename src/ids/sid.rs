//! Security identifiers: the `Sid` type, its string and binary forms, the
//! well-known SIDs and the two-letter SDDL aliases.
//!
//! A SID is `S-R-I-S-S...`: revision 1, a 48-bit identifier authority and up to
//! fifteen 32-bit sub-authorities (MS-DTYP 2.4.2). `Sid` stores them inline, so
//! it is `Copy` and never allocates.

pub mod alias;
pub mod well_known;

use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

/// The most sub-authorities a SID may carry (MS-DTYP 2.4.2: `SubAuthorityCount`
/// "MUST be less than or equal to 15").
pub const MAX_SUB_AUTHORITIES: usize = 15;

/// The largest identifier authority: it is a 6-byte big-endian value.
pub const MAX_AUTHORITY: u64 = 0xFFFF_FFFF_FFFF;

/// A security identifier.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Sid {
    authority: u64,
    count: u8,
    /// The sub-authorities; those past `count` are always 0.
    sub: [u32; MAX_SUB_AUTHORITIES],
}

/// Hashes the authority and the sub-authorities in use, not the whole
/// fixed array (most SIDs use a few of its fifteen slots). Equal SIDs hash
/// alike: equality compares the same authority and count, and the slots
/// past `count` are always 0.
impl Hash for Sid {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.authority.hash(state);
        self.sub_authorities().hash(state);
    }
}

/// What went wrong reading a SID from text or bytes.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SidError {
    /// The text does not follow `S-1-<authority>[-<sub-authority>...]`.
    #[error("expected {expected} at offset {offset}")]
    Syntax {
        /// Byte offset of the problem.
        offset: usize,
        /// What the parser wanted there.
        expected: &'static str,
    },
    /// The revision is not 1.
    #[error("SID revision must be 1, found `{found}` at offset {offset}")]
    Revision {
        /// Byte offset of the revision.
        offset: usize,
        /// The revision as written.
        found: String,
    },
    /// The identifier authority does not fit in 48 bits.
    #[error("identifier authority `{found}` does not fit in 48 bits at offset {offset}")]
    AuthorityTooLarge {
        /// Byte offset of the authority.
        offset: usize,
        /// The authority as written.
        found: String,
    },
    /// A sub-authority does not fit in 32 bits.
    #[error("sub-authority `{found}` does not fit in 32 bits at offset {offset}")]
    SubAuthorityTooLarge {
        /// Byte offset of the sub-authority.
        offset: usize,
        /// The sub-authority as written.
        found: String,
    },
    /// More than fifteen sub-authorities.
    #[error("a SID has at most 15 sub-authorities; the 16th starts at offset {offset}")]
    TooManySubAuthorities {
        /// Byte offset of the first sub-authority over the limit.
        offset: usize,
    },
    /// Characters follow a complete SID.
    #[error("unexpected `{found}` after the SID at offset {offset}")]
    TrailingCharacters {
        /// Byte offset of the first extra character.
        offset: usize,
        /// The extra text.
        found: String,
    },
    /// A binary SID is cut short.
    #[error("binary SID at offset {offset} needs {needed} bytes but only {available} remain")]
    Truncated {
        /// Byte offset of the SID.
        offset: usize,
        /// Bytes the SID header says it needs.
        needed: usize,
        /// Bytes left in the buffer.
        available: usize,
    },
    /// A binary SID has a revision other than 1.
    #[error("binary SID at offset {offset} has revision {revision}; only revision 1 is valid")]
    BinaryRevision {
        /// Byte offset of the SID.
        offset: usize,
        /// The revision byte.
        revision: u8,
    },
    /// A binary SID claims more than 15 sub-authorities.
    #[error(
        "binary SID at offset {offset} claims {count} sub-authorities; at most 15 are allowed"
    )]
    BinaryCount {
        /// Byte offset of the SID.
        offset: usize,
        /// The count byte.
        count: u8,
    },
    /// An SDDL alias that is not known.
    #[error("unknown SID alias `{alias}`")]
    UnknownAlias {
        /// The alias as written.
        alias: String,
    },
    /// A domain-relative alias was used without a domain SID.
    #[error("SID alias `{alias}` is relative to the domain; supply a domain SID")]
    AliasNeedsDomain {
        /// The alias as written.
        alias: String,
    },
    /// The domain SID is already full, so no RID can be appended.
    #[error("domain SID `{domain}` already has 15 sub-authorities; cannot append a RID")]
    DomainFull {
        /// The domain SID.
        domain: String,
    },
}

impl Sid {
    /// Builds a SID from an authority and sub-authorities, checking the limits.
    pub fn new(authority: u64, sub_authorities: &[u32]) -> Result<Sid, SidError> {
        if authority > MAX_AUTHORITY {
            return Err(SidError::AuthorityTooLarge {
                offset: 0,
                found: authority.to_string(),
            });
        }
        if sub_authorities.len() > MAX_SUB_AUTHORITIES {
            return Err(SidError::TooManySubAuthorities { offset: 0 });
        }
        let mut sub = [0u32; MAX_SUB_AUTHORITIES];
        sub[..sub_authorities.len()].copy_from_slice(sub_authorities);
        Ok(Sid {
            authority,
            count: sub_authorities.len() as u8,
            sub,
        })
    }

    /// A constant SID. Extra sub-authorities beyond 15 are ignored; callers
    /// only use this for the fixed well-known SIDs below.
    pub const fn from_const<const N: usize>(authority: u64, subs: [u32; N]) -> Sid {
        let mut sub = [0u32; MAX_SUB_AUTHORITIES];
        let mut i = 0;
        while i < N && i < MAX_SUB_AUTHORITIES {
            sub[i] = subs[i];
            i += 1;
        }
        let count = if N < MAX_SUB_AUTHORITIES {
            N
        } else {
            MAX_SUB_AUTHORITIES
        };
        Sid {
            authority: authority & MAX_AUTHORITY,
            count: count as u8,
            sub,
        }
    }

    /// The 48-bit identifier authority.
    pub fn authority(&self) -> u64 {
        self.authority
    }

    /// The sub-authorities, in order.
    pub fn sub_authorities(&self) -> &[u32] {
        &self.sub[..self.count as usize]
    }

    /// The last sub-authority (the relative identifier), if any.
    pub fn rid(&self) -> Option<u32> {
        self.sub_authorities().last().copied()
    }

    /// This SID with `rid` appended.
    pub fn with_rid(&self, rid: u32) -> Result<Sid, SidError> {
        if self.count as usize >= MAX_SUB_AUTHORITIES {
            return Err(SidError::DomainFull {
                domain: self.to_string(),
            });
        }
        let mut out = *self;
        out.sub[out.count as usize] = rid;
        out.count += 1;
        Ok(out)
    }

    /// This SID without its last sub-authority, if it has one.
    pub fn parent(&self) -> Option<Sid> {
        if self.count == 0 {
            return None;
        }
        let mut out = *self;
        out.count -= 1;
        out.sub[out.count as usize] = 0;
        Some(out)
    }

    /// Whether this SID is `domain` plus exactly one RID.
    pub fn is_in_domain(&self, domain: &Sid) -> bool {
        self.count == domain.count.wrapping_add(1)
            && self.authority == domain.authority
            && self.sub_authorities()[..domain.count as usize] == *domain.sub_authorities()
    }

    /// Size of the binary form: 8 bytes of header plus 4 per sub-authority
    /// (MS-DTYP 2.4.2.2).
    pub fn binary_len(&self) -> usize {
        8 + 4 * self.count as usize
    }

    /// Appends the binary form (MS-DTYP 2.4.2.2) to `out`.
    pub fn write_bytes(&self, out: &mut Vec<u8>) {
        out.push(1);
        out.push(self.count);
        out.extend_from_slice(&self.authority.to_be_bytes()[2..]);
        for s in self.sub_authorities() {
            out.extend_from_slice(&s.to_le_bytes());
        }
    }

    /// The binary form as a new vector.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(self.binary_len());
        self.write_bytes(&mut v);
        v
    }

    /// Reads a binary SID at the start of `bytes`. `base` is the offset of
    /// `bytes` within the enclosing buffer, used only in error messages.
    /// Returns the SID and the number of bytes it used.
    pub fn from_bytes(bytes: &[u8], base: usize) -> Result<(Sid, usize), SidError> {
        if bytes.len() < 8 {
            return Err(SidError::Truncated {
                offset: base,
                needed: 8,
                available: bytes.len(),
            });
        }
        // MS-DTYP 2.4.2.2: Revision MUST be 0x01; SubAuthorityCount <= 15.
        if bytes[0] != 1 {
            return Err(SidError::BinaryRevision {
                offset: base,
                revision: bytes[0],
            });
        }
        let count = bytes[1];
        if count as usize > MAX_SUB_AUTHORITIES {
            return Err(SidError::BinaryCount {
                offset: base,
                count,
            });
        }
        let needed = 8 + 4 * count as usize;
        if bytes.len() < needed {
            return Err(SidError::Truncated {
                offset: base,
                needed,
                available: bytes.len(),
            });
        }
        let mut auth = [0u8; 8];
        auth[2..].copy_from_slice(&bytes[2..8]);
        let mut sub = [0u32; MAX_SUB_AUTHORITIES];
        for (i, slot) in sub.iter_mut().enumerate().take(count as usize) {
            let p = 8 + 4 * i;
            *slot = u32::from_le_bytes([bytes[p], bytes[p + 1], bytes[p + 2], bytes[p + 3]]);
        }
        Ok((
            Sid {
                authority: u64::from_be_bytes(auth),
                count,
                sub,
            },
            needed,
        ))
    }

    /// Whether this is a mandatory integrity label SID (`S-1-16-x`).
    pub fn is_integrity_label(&self) -> bool {
        self.authority == 16 && self.count == 1
    }

    /// Parses `S-1-...` text at the start of `text`, following the rules Windows
    /// applies inside SDDL: an `S` or `s`, revision 1, a decimal, `0x` hex or
    /// octal authority below 2^48, then sub-authorities below 2^32 in the same
    /// notations.
    ///
    /// Returns the SID and the byte offset just past it; the caller decides
    /// what may follow. `base` is added to offsets in errors.
    pub fn parse_prefix(text: &[u8], base: usize) -> Result<(Sid, usize), SidError> {
        let at = |i: usize| text.get(i).copied();
        if !matches!(at(0), Some(b'S' | b's')) || at(1) != Some(b'-') {
            return Err(SidError::Syntax {
                offset: base,
                expected: "`S-`",
            });
        }
        // Revision: decimal digits.
        let mut i = 2;
        let rev_start = i;
        while matches!(at(i), Some(b'0'..=b'9')) {
            i += 1;
        }
        if i == rev_start {
            return Err(SidError::Syntax {
                offset: base + i,
                expected: "a decimal revision",
            });
        }
        let rev_text = &text[rev_start..i];
        if parse_decimal(rev_text) != Some(1) {
            return Err(SidError::Revision {
                offset: base + rev_start,
                found: String::from_utf8_lossy(rev_text).into_owned(),
            });
        }
        if at(i) != Some(b'-') {
            return Err(SidError::Syntax {
                offset: base + i,
                expected: "`-` after the revision",
            });
        }
        i += 1;
        // Authority: strtoull base 0, must start with a digit (MS-DTYP 2.4.2.1
        // allows hex for values of 2^32 and above; Windows also takes octal).
        let auth_start = i;
        if !matches!(at(i), Some(b'0'..=b'9')) {
            return Err(SidError::Syntax {
                offset: base + i,
                expected: "an identifier authority",
            });
        }
        let (authority, used) = parse_c_unsigned(&text[i..]);
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
        if at(i) == Some(b'-') {
            i += 1;
            loop {
                let start = i;
                // Sub-authorities are read like the authority: decimal, `0x`
                // hex or octal (vectors `S-1-5-21-0x1-0x2-0x3-513` and
                // `S-1-3-0xffffffff-3-4` in non_canonical.txt).
                if !matches!(at(i), Some(b'0'..=b'9')) {
                    return Err(SidError::Syntax {
                        offset: base + i,
                        expected: "a sub-authority",
                    });
                }
                if count == MAX_SUB_AUTHORITIES {
                    return Err(SidError::TooManySubAuthorities {
                        offset: base + start,
                    });
                }
                let (value, used) = parse_c_unsigned(&text[i..]);
                i += used;
                match value {
                    Some(v) if v <= u64::from(u32::MAX) => sub[count] = v as u32,
                    _ => {
                        return Err(SidError::SubAuthorityTooLarge {
                            offset: base + start,
                            found: String::from_utf8_lossy(&text[start..i]).into_owned(),
                        })
                    }
                }
                count += 1;
                if at(i) != Some(b'-') {
                    break;
                }
                i += 1;
            }
        }
        Ok((
            Sid {
                authority,
                count: count as u8,
                sub,
            },
            i,
        ))
    }

    /// The SID as SDDL writes it: its two-letter alias when it has one
    /// (domain-relative aliases only when `domain` is the SID's domain), else
    /// its `S-1-...` text.
    pub fn to_sddl(&self, domain: Option<&Sid>) -> String {
        match alias::for_sid(self, domain) {
            Some(a) => a.to_string(),
            None => self.to_string(),
        }
    }

    /// Parses a SID given either as `S-1-...` text or as a two-letter SDDL
    /// alias, resolving domain-relative aliases against `domain`. The whole
    /// string must be used.
    pub fn parse_sddl(text: &str, domain: Option<&Sid>) -> Result<Sid, SidError> {
        let bytes = text.as_bytes();
        if matches!(bytes.first(), Some(b'S' | b's')) && bytes.get(1) == Some(&b'-') {
            let (sid, end) = Sid::parse_prefix(bytes, 0)?;
            if end != bytes.len() {
                return Err(SidError::TrailingCharacters {
                    offset: end,
                    found: text[end..].to_string(),
                });
            }
            return Ok(sid);
        }
        alias::resolve(text, domain)
    }
}

/// Reads decimal digits into a u64, `None` on overflow.
fn parse_decimal(digits: &[u8]) -> Option<u64> {
    let mut v: u64 = 0;
    for &d in digits {
        v = v.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
    }
    Some(v)
}

/// C `strtoull(s, &end, 0)` on the digits at the start of `s` (no sign, no
/// leading space): `0x` hex, leading-zero octal or decimal. Returns the value
/// (`None` on overflow) and the bytes used. Like C, `0x` with no hex digit
/// after it reads as `0` followed by `x`.
pub(crate) fn parse_c_unsigned(s: &[u8]) -> (Option<u64>, usize) {
    let (radix, start) = if s.len() >= 3
        && s[0] == b'0'
        && (s[1] == b'x' || s[1] == b'X')
        && s[2].is_ascii_hexdigit()
    {
        (16u64, 2usize)
    } else if s.first() == Some(&b'0') {
        (8, 0)
    } else {
        (10, 0)
    };
    let mut i = start;
    let mut v: Option<u64> = Some(0);
    while let Some(&c) = s.get(i) {
        let d = match c {
            b'0'..=b'9' => u64::from(c - b'0'),
            b'a'..=b'f' => u64::from(c - b'a' + 10),
            b'A'..=b'F' => u64::from(c - b'A' + 10),
            _ => break,
        };
        if d >= radix {
            break;
        }
        v = v.and_then(|v| v.checked_mul(radix)?.checked_add(d));
        i += 1;
    }
    (v, i)
}

impl fmt::Display for Sid {
    /// `S-1-<authority>-<sub>...`; an authority of 2^32 or more is printed in
    /// upper-case hex with `0x`, as Windows does (vectors
    /// `S-1-0x500000000-32-579` and `S-1-0x12A05F200-30-40`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.authority > u64::from(u32::MAX) {
            write!(f, "S-1-0x{:X}", self.authority)?;
        } else {
            write!(f, "S-1-{}", self.authority)?;
        }
        for s in self.sub_authorities() {
            write!(f, "-{s}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Sid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Sid({self})")
    }
}

impl FromStr for Sid {
    type Err = SidError;

    /// Parses `S-1-...` text or a two-letter SDDL alias that names the same
    /// SID on every machine (`"BA"`, `"WD"`, `"SY"`, ...); the whole string
    /// must be used. Domain-relative aliases (`DA`, `DU`, `LA`, ...) need a
    /// domain and are refused here: use [`Sid::parse_sddl`] with the domain.
    fn from_str(s: &str) -> Result<Sid, SidError> {
        Sid::parse_sddl(s, None)
    }
}

impl serde::Serialize for Sid {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Sid {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Sid, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        Sid::parse_sddl(&text, None).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `Hash` reads only the sub-authorities in use: SIDs that are equal
    /// however they were made (parsed, `with_rid`, `parent`) hash alike,
    /// and SIDs that differ only in their count do not compare equal.
    #[test]
    fn equal_sids_hash_alike() {
        use std::hash::{BuildHasher, RandomState};
        let state = RandomState::new();
        let parsed: Sid = "S-1-5-21-1-2-3-500".parse().unwrap();
        let domain: Sid = "S-1-5-21-1-2-3".parse().unwrap();
        let built = domain.with_rid(500).unwrap();
        let shrunk = built.with_rid(7).unwrap().parent().unwrap();
        for s in [built, shrunk] {
            assert_eq!(s, parsed);
            assert_eq!(state.hash_one(s), state.hash_one(parsed));
        }
        let zero_rid = domain.with_rid(0).unwrap();
        assert_ne!(zero_rid, domain);
    }

    #[test]
    fn parses_and_prints_common_sids() {
        let s: Sid = "S-1-5-21-1-2-3-513".parse().unwrap();
        assert_eq!(s.authority(), 5);
        assert_eq!(s.sub_authorities(), &[21, 1, 2, 3, 513]);
        assert_eq!(s.to_string(), "S-1-5-21-1-2-3-513");
        assert_eq!(s.rid(), Some(513));
    }

    #[test]
    fn large_authority_prints_as_hex_like_windows() {
        // Vector canonical: S-1-21474836480-32-579 prints as S-1-0x500000000-32-579.
        let s: Sid = "S-1-21474836480-32-579".parse().unwrap();
        assert_eq!(s.to_string(), "S-1-0x500000000-32-579");
        let h: Sid = "S-1-5000000000-30-40".parse().unwrap();
        assert_eq!(h.to_string(), "S-1-0x12A05F200-30-40");
    }

    #[test]
    fn rejects_sids_windows_rejects() {
        for bad in ["S", "S-", "S-1", "S-10", "S-0", "S-1-", "S-0x1", "S-0x1-"] {
            assert!(bad.parse::<Sid>().is_err(), "{bad} should be rejected");
        }
        // 0x1313131313131 needs 49 bits.
        assert!(matches!(
            "S-1-0x1313131313131-513".parse::<Sid>(),
            Err(SidError::AuthorityTooLarge { offset: 4, .. })
        ));
        // Hex sub-authorities are accepted but must still fit in 32 bits.
        assert_eq!(
            "S-1-5-21-0x1-0x2-0x3-513"
                .parse::<Sid>()
                .unwrap()
                .to_string(),
            "S-1-5-21-1-2-3-513"
        );
        assert!(matches!(
            "S-1-5-21-0x3961074038".parse::<Sid>(),
            Err(SidError::SubAuthorityTooLarge { offset: 9, .. })
        ));
        assert!(matches!(
            "S-1-5-4294967296".parse::<Sid>(),
            Err(SidError::SubAuthorityTooLarge { offset: 6, .. })
        ));
    }

    #[test]
    fn fifteen_sub_authorities_is_the_limit() {
        let ok = format!("S-1-5{}", "-1".repeat(15));
        assert_eq!(ok.parse::<Sid>().unwrap().sub_authorities().len(), 15);
        let bad = format!("S-1-5{}", "-1".repeat(16));
        assert_eq!(
            bad.parse::<Sid>(),
            Err(SidError::TooManySubAuthorities { offset: 36 })
        );
    }

    #[test]
    fn binary_round_trip_and_limits() {
        let s: Sid = "S-1-5-32-544".parse().unwrap();
        let b = s.to_bytes();
        assert_eq!(b, [1, 2, 0, 0, 0, 0, 0, 5, 32, 0, 0, 0, 0x20, 2, 0, 0]);
        assert_eq!(Sid::from_bytes(&b, 0).unwrap(), (s, 16));
        assert!(matches!(
            Sid::from_bytes(&b[..12], 7),
            Err(SidError::Truncated {
                offset: 7,
                needed: 16,
                available: 12
            })
        ));
        let mut over = b.clone();
        over[1] = 16;
        assert!(matches!(
            Sid::from_bytes(&over, 0),
            Err(SidError::BinaryCount { count: 16, .. })
        ));
    }
}
