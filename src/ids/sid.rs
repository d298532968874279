//! Security identifiers: the `Sid` type, its string and binary forms, the
//! well-known SIDs and the two-letter SDDL aliases.
//!
//! A SID is `S-R-I-S-S...`: revision 1, a 48-bit identifier authority and up to
//! fifteen 32-bit sub-authorities (MS-DTYP 2.4.2). `Sid` stores them inline, so
//! it is `Copy` and never allocates.

use std::fmt;
use std::str::FromStr;

/// The most sub-authorities a SID may carry (MS-DTYP 2.4.2: `SubAuthorityCount`
/// "MUST be less than or equal to 15").
pub const MAX_SUB_AUTHORITIES: usize = 15;

/// The largest identifier authority: it is a 6-byte big-endian value.
pub const MAX_AUTHORITY: u64 = 0xFFFF_FFFF_FFFF;

/// A security identifier.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sid {
    authority: u64,
    count: u8,
    sub: [u32; MAX_SUB_AUTHORITIES],
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

/// Well-known SIDs (MS-DTYP 2.4.2.4).
pub mod well_known {
    use super::Sid;

    /// `S-1-0-0`, NULL SID.
    pub const NULL: Sid = Sid::from_const(0, [0]);
    /// `S-1-1-0`, Everyone (`WD`).
    pub const WORLD: Sid = Sid::from_const(1, [0]);
    /// `S-1-2-0`, LOCAL.
    pub const LOCAL: Sid = Sid::from_const(2, [0]);
    /// `S-1-2-1`, CONSOLE LOGON.
    pub const CONSOLE_LOGON: Sid = Sid::from_const(2, [1]);
    /// `S-1-3-0`, CREATOR OWNER (`CO`).
    pub const CREATOR_OWNER: Sid = Sid::from_const(3, [0]);
    /// `S-1-3-1`, CREATOR GROUP (`CG`).
    pub const CREATOR_GROUP: Sid = Sid::from_const(3, [1]);
    /// `S-1-3-2`, CREATOR OWNER SERVER.
    pub const CREATOR_OWNER_SERVER: Sid = Sid::from_const(3, [2]);
    /// `S-1-3-3`, CREATOR GROUP SERVER.
    pub const CREATOR_GROUP_SERVER: Sid = Sid::from_const(3, [3]);
    /// `S-1-3-4`, OWNER RIGHTS (`OW`).
    pub const OWNER_RIGHTS: Sid = Sid::from_const(3, [4]);
    /// `S-1-5`, NT AUTHORITY.
    pub const NT_AUTHORITY: Sid = Sid::from_const(5, []);
    /// `S-1-5-1`, DIALUP.
    pub const DIALUP: Sid = Sid::from_const(5, [1]);
    /// `S-1-5-2`, NETWORK (`NU`).
    pub const NETWORK: Sid = Sid::from_const(5, [2]);
    /// `S-1-5-3`, BATCH.
    pub const BATCH: Sid = Sid::from_const(5, [3]);
    /// `S-1-5-4`, INTERACTIVE (`IU`).
    pub const INTERACTIVE: Sid = Sid::from_const(5, [4]);
    /// `S-1-5-6`, SERVICE (`SU`).
    pub const SERVICE: Sid = Sid::from_const(5, [6]);
    /// `S-1-5-7`, ANONYMOUS LOGON (`AN`).
    pub const ANONYMOUS: Sid = Sid::from_const(5, [7]);
    /// `S-1-5-8`, PROXY.
    pub const PROXY: Sid = Sid::from_const(5, [8]);
    /// `S-1-5-9`, ENTERPRISE DOMAIN CONTROLLERS (`ED`).
    pub const ENTERPRISE_DOMAIN_CONTROLLERS: Sid = Sid::from_const(5, [9]);
    /// `S-1-5-10`, PRINCIPAL SELF (`PS`).
    pub const PRINCIPAL_SELF: Sid = Sid::from_const(5, [10]);
    /// `S-1-5-11`, Authenticated Users (`AU`).
    pub const AUTHENTICATED_USERS: Sid = Sid::from_const(5, [11]);
    /// `S-1-5-12`, RESTRICTED (`RC`).
    pub const RESTRICTED_CODE: Sid = Sid::from_const(5, [12]);
    /// `S-1-5-13`, TERMINAL SERVER USER.
    pub const TERMINAL_SERVER_USER: Sid = Sid::from_const(5, [13]);
    /// `S-1-5-14`, REMOTE INTERACTIVE LOGON.
    pub const REMOTE_INTERACTIVE_LOGON: Sid = Sid::from_const(5, [14]);
    /// `S-1-5-15`, This Organization.
    pub const THIS_ORGANIZATION: Sid = Sid::from_const(5, [15]);
    /// `S-1-5-17`, IUSR.
    pub const IUSR: Sid = Sid::from_const(5, [17]);
    /// `S-1-5-18`, LocalSystem (`SY`).
    pub const LOCAL_SYSTEM: Sid = Sid::from_const(5, [18]);
    /// `S-1-5-19`, LocalService (`LS`).
    pub const LOCAL_SERVICE: Sid = Sid::from_const(5, [19]);
    /// `S-1-5-20`, NetworkService (`NS`).
    pub const NETWORK_SERVICE: Sid = Sid::from_const(5, [20]);
    /// `S-1-5-32`, BUILTIN domain.
    pub const BUILTIN: Sid = Sid::from_const(5, [32]);
    /// `S-1-5-32-544`, Administrators (`BA`).
    pub const BUILTIN_ADMINISTRATORS: Sid = Sid::from_const(5, [32, 544]);
    /// `S-1-5-32-545`, Users (`BU`).
    pub const BUILTIN_USERS: Sid = Sid::from_const(5, [32, 545]);
    /// `S-1-5-32-546`, Guests (`BG`).
    pub const BUILTIN_GUESTS: Sid = Sid::from_const(5, [32, 546]);
    /// `S-1-5-32-547`, Power Users (`PU`).
    pub const POWER_USERS: Sid = Sid::from_const(5, [32, 547]);
    /// `S-1-5-32-551`, Backup Operators (`BO`).
    pub const BACKUP_OPERATORS: Sid = Sid::from_const(5, [32, 551]);
    /// `S-1-5-33`, WRITE RESTRICTED (`WR`).
    pub const WRITE_RESTRICTED_CODE: Sid = Sid::from_const(5, [33]);
    /// `S-1-5-84-0-0-0-0-0`, User-Mode Drivers (`UD`).
    pub const USER_MODE_DRIVERS: Sid = Sid::from_const(5, [84, 0, 0, 0, 0, 0]);
    /// `S-1-15-2-1`, ALL APPLICATION PACKAGES (`AC`).
    pub const ALL_APP_PACKAGES: Sid = Sid::from_const(15, [2, 1]);
    /// `S-1-15-2-2`, ALL RESTRICTED APPLICATION PACKAGES.
    pub const ALL_RESTRICTED_APP_PACKAGES: Sid = Sid::from_const(15, [2, 2]);
    /// `S-1-16-0`, Untrusted integrity.
    pub const UNTRUSTED_INTEGRITY: Sid = Sid::from_const(16, [0]);
    /// `S-1-16-4096`, Low integrity (`LW`).
    pub const LOW_INTEGRITY: Sid = Sid::from_const(16, [4096]);
    /// `S-1-16-8192`, Medium integrity (`ME`).
    pub const MEDIUM_INTEGRITY: Sid = Sid::from_const(16, [8192]);
    /// `S-1-16-8448`, Medium Plus integrity (`MP`).
    pub const MEDIUM_PLUS_INTEGRITY: Sid = Sid::from_const(16, [8448]);
    /// `S-1-16-12288`, High integrity (`HI`).
    pub const HIGH_INTEGRITY: Sid = Sid::from_const(16, [12288]);
    /// `S-1-16-16384`, System integrity (`SI`).
    pub const SYSTEM_INTEGRITY: Sid = Sid::from_const(16, [16384]);
    /// `S-1-16-20480`, Protected Process integrity.
    pub const PROTECTED_PROCESS_INTEGRITY: Sid = Sid::from_const(16, [20480]);
    /// `S-1-18-1`, Authentication authority asserted identity (`AS`).
    pub const AUTHENTICATION_AUTHORITY_ASSERTED: Sid = Sid::from_const(18, [1]);
    /// `S-1-18-2`, Service asserted identity (`SS`).
    pub const SERVICE_ASSERTED: Sid = Sid::from_const(18, [2]);
}

/// The two-letter SDDL SID aliases ("SID Strings" in the Win32 docs).
///
/// The fixed aliases were checked against the Windows conformance vectors
/// (`O:XX` / `G:XX` records of `windows-sddl.jsonl`). Domain-relative aliases
/// take their RID from the same documentation; machine- and forest-relative
/// ones (`LA`, `LG`, `EA`, `SA`, `RO`, `EK`) resolve against the one domain SID
/// the caller supplies, as the conformance vectors do.
pub mod alias {
    use super::{well_known as wk, Sid, SidError};

    /// What an alias stands for.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum AliasTarget {
        /// A fixed SID.
        Fixed(Sid),
        /// The caller's domain SID plus this RID.
        DomainRid(u32),
    }

    /// Every alias, in the order used when printing (first match wins).
    pub const ALIASES: &[(&str, AliasTarget)] = &[
        ("WD", AliasTarget::Fixed(wk::WORLD)),
        ("CO", AliasTarget::Fixed(wk::CREATOR_OWNER)),
        ("CG", AliasTarget::Fixed(wk::CREATOR_GROUP)),
        ("OW", AliasTarget::Fixed(wk::OWNER_RIGHTS)),
        ("NU", AliasTarget::Fixed(wk::NETWORK)),
        ("IU", AliasTarget::Fixed(wk::INTERACTIVE)),
        ("SU", AliasTarget::Fixed(wk::SERVICE)),
        ("AN", AliasTarget::Fixed(wk::ANONYMOUS)),
        ("ED", AliasTarget::Fixed(wk::ENTERPRISE_DOMAIN_CONTROLLERS)),
        ("PS", AliasTarget::Fixed(wk::PRINCIPAL_SELF)),
        ("AU", AliasTarget::Fixed(wk::AUTHENTICATED_USERS)),
        ("RC", AliasTarget::Fixed(wk::RESTRICTED_CODE)),
        ("SY", AliasTarget::Fixed(wk::LOCAL_SYSTEM)),
        ("LS", AliasTarget::Fixed(wk::LOCAL_SERVICE)),
        ("NS", AliasTarget::Fixed(wk::NETWORK_SERVICE)),
        ("WR", AliasTarget::Fixed(wk::WRITE_RESTRICTED_CODE)),
        ("BA", AliasTarget::Fixed(wk::BUILTIN_ADMINISTRATORS)),
        ("BU", AliasTarget::Fixed(wk::BUILTIN_USERS)),
        ("BG", AliasTarget::Fixed(wk::BUILTIN_GUESTS)),
        ("PU", AliasTarget::Fixed(wk::POWER_USERS)),
        ("AO", AliasTarget::Fixed(Sid::from_const(5, [32, 548]))),
        ("SO", AliasTarget::Fixed(Sid::from_const(5, [32, 549]))),
        ("PO", AliasTarget::Fixed(Sid::from_const(5, [32, 550]))),
        ("BO", AliasTarget::Fixed(wk::BACKUP_OPERATORS)),
        ("RE", AliasTarget::Fixed(Sid::from_const(5, [32, 552]))),
        ("RU", AliasTarget::Fixed(Sid::from_const(5, [32, 554]))),
        ("RD", AliasTarget::Fixed(Sid::from_const(5, [32, 555]))),
        ("NO", AliasTarget::Fixed(Sid::from_const(5, [32, 556]))),
        ("MU", AliasTarget::Fixed(Sid::from_const(5, [32, 558]))),
        ("LU", AliasTarget::Fixed(Sid::from_const(5, [32, 559]))),
        ("IS", AliasTarget::Fixed(Sid::from_const(5, [32, 568]))),
        ("CY", AliasTarget::Fixed(Sid::from_const(5, [32, 569]))),
        ("ER", AliasTarget::Fixed(Sid::from_const(5, [32, 573]))),
        ("CD", AliasTarget::Fixed(Sid::from_const(5, [32, 574]))),
        ("RA", AliasTarget::Fixed(Sid::from_const(5, [32, 575]))),
        ("ES", AliasTarget::Fixed(Sid::from_const(5, [32, 576]))),
        ("MS", AliasTarget::Fixed(Sid::from_const(5, [32, 577]))),
        ("HA", AliasTarget::Fixed(Sid::from_const(5, [32, 578]))),
        ("AA", AliasTarget::Fixed(Sid::from_const(5, [32, 579]))),
        ("RM", AliasTarget::Fixed(Sid::from_const(5, [32, 580]))),
        ("UD", AliasTarget::Fixed(wk::USER_MODE_DRIVERS)),
        ("AC", AliasTarget::Fixed(wk::ALL_APP_PACKAGES)),
        ("LW", AliasTarget::Fixed(wk::LOW_INTEGRITY)),
        ("ME", AliasTarget::Fixed(wk::MEDIUM_INTEGRITY)),
        ("MP", AliasTarget::Fixed(wk::MEDIUM_PLUS_INTEGRITY)),
        ("HI", AliasTarget::Fixed(wk::HIGH_INTEGRITY)),
        ("SI", AliasTarget::Fixed(wk::SYSTEM_INTEGRITY)),
        (
            "AS",
            AliasTarget::Fixed(wk::AUTHENTICATION_AUTHORITY_ASSERTED),
        ),
        ("SS", AliasTarget::Fixed(wk::SERVICE_ASSERTED)),
        ("RO", AliasTarget::DomainRid(498)),
        ("LA", AliasTarget::DomainRid(500)),
        ("LG", AliasTarget::DomainRid(501)),
        ("DA", AliasTarget::DomainRid(512)),
        ("DU", AliasTarget::DomainRid(513)),
        ("DG", AliasTarget::DomainRid(514)),
        ("DC", AliasTarget::DomainRid(515)),
        ("DD", AliasTarget::DomainRid(516)),
        ("CA", AliasTarget::DomainRid(517)),
        ("SA", AliasTarget::DomainRid(518)),
        ("EA", AliasTarget::DomainRid(519)),
        ("PA", AliasTarget::DomainRid(520)),
        ("CN", AliasTarget::DomainRid(522)),
        ("AP", AliasTarget::DomainRid(525)),
        ("KA", AliasTarget::DomainRid(526)),
        ("EK", AliasTarget::DomainRid(527)),
        ("RS", AliasTarget::DomainRid(553)),
    ];

    /// The target of a two-letter alias, if it is one. Aliases are
    /// case-sensitive, as in Windows' SDDL parser.
    pub fn target(code: &str) -> Option<AliasTarget> {
        ALIASES.iter().find(|(c, _)| *c == code).map(|(_, t)| *t)
    }

    /// Resolves an alias to a SID.
    pub fn resolve(code: &str, domain: Option<&Sid>) -> Result<Sid, SidError> {
        match target(code) {
            Some(AliasTarget::Fixed(sid)) => Ok(sid),
            Some(AliasTarget::DomainRid(rid)) => match domain {
                Some(d) => d.with_rid(rid),
                None => Err(SidError::AliasNeedsDomain {
                    alias: code.to_string(),
                }),
            },
            None => Err(SidError::UnknownAlias {
                alias: code.to_string(),
            }),
        }
    }

    /// The alias Windows prints for `sid`, if any. Domain-relative aliases are
    /// only used when `sid` is `domain` plus the alias's RID.
    pub fn for_sid(sid: &Sid, domain: Option<&Sid>) -> Option<&'static str> {
        let in_domain = domain
            .filter(|d| sid.is_in_domain(d))
            .and_then(|_| sid.rid());
        ALIASES.iter().find_map(|(code, t)| match t {
            AliasTarget::Fixed(s) if s == sid => Some(*code),
            AliasTarget::DomainRid(rid) if in_domain == Some(*rid) => Some(*code),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn aliases_resolve_and_print() {
        let domain: Sid = "S-1-5-21-1-2-3".parse().unwrap();
        assert_eq!(
            alias::resolve("DA", Some(&domain)).unwrap().to_string(),
            "S-1-5-21-1-2-3-512"
        );
        assert!(matches!(
            alias::resolve("DA", None),
            Err(SidError::AliasNeedsDomain { .. })
        ));
        assert!(matches!(
            alias::resolve("XX", None),
            Err(SidError::UnknownAlias { .. })
        ));
        let da = domain.with_rid(512).unwrap();
        assert_eq!(alias::for_sid(&da, Some(&domain)), Some("DA"));
        assert_eq!(alias::for_sid(&da, None), None);
        assert_eq!(alias::for_sid(&well_known::LOCAL_SYSTEM, None), Some("SY"));
        assert_eq!(
            Sid::parse_sddl("BA", None).unwrap(),
            well_known::BUILTIN_ADMINISTRATORS
        );
    }
}
