//! Parsing SDDL as Windows accepts it.

use super::error::{fail, SddlError, SddlErrorKind as K};
use super::sid_text::read_sid;
use super::ACE_FLAG_CODES;
use crate::descriptor::ace::{Ace, AceFlags, AceType};
use crate::descriptor::acl::{Acl, AclRevision};
use crate::descriptor::claims::ClaimAttribute;
use crate::descriptor::condition::Expression;
use crate::descriptor::sd::{Control, SecurityDescriptor};
use crate::ids::guid::Guid;
use crate::ids::mask::{right_code, AccessMask};
use crate::ids::sid::{alias, Sid, SidError};

/// Parses SDDL into a descriptor. Domain-relative aliases (`DA`, `DU`, `LA`,
/// ...) resolve against `domain`; using one without a domain is an error.
pub fn parse(text: &str, domain: Option<&Sid>) -> Result<SecurityDescriptor, SddlError> {
    let mut p = Parser {
        s: text.as_bytes(),
        pos: 0,
        domain,
    };
    p.descriptor()
}

struct Parser<'a> {
    s: &'a [u8],
    pos: usize,
    domain: Option<&'a Sid>,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    /// Skips spaces (only U+0020: the recorded leniencies all use it, and
    /// Windows refuses a tab between right codes, vector line 7381).
    fn skip_spaces(&mut self) {
        while self.peek() == Some(b' ') {
            self.pos += 1;
        }
    }

    /// The character at `at`, `None` at the end of the input.
    fn found(&self, at: usize) -> Option<char> {
        self.s.get(at)?;
        let rest = String::from_utf8_lossy(&self.s[at..]);
        Some(rest.chars().next().unwrap_or('?'))
    }

    fn descriptor(&mut self) -> Result<SecurityDescriptor, SddlError> {
        let mut sd = SecurityDescriptor::new();
        let (mut owner, mut group, mut dacl, mut sacl) = (false, false, false, false);
        loop {
            // Spaces before and after components are skipped (` O:AA`,
            // `  O:AA G:WD `, `D: S:`: Samba's `SddlWindowsIsLessFussy`,
            // recorded on Windows). The tag letter itself is upper case and
            // touches its colon (`d:` and `D :S:` are refused: vector lines
            // 7350 and 7353).
            self.skip_spaces();
            if self.pos >= self.s.len() {
                break;
            }
            let at = self.pos;
            let tag = self.s[at];
            if self.s.get(at + 1) != Some(&b':') || !matches!(tag, b'O' | b'G' | b'D' | b'S') {
                return fail(
                    at,
                    K::Unexpected {
                        expected: "`O:`, `G:`, `D:` or `S:`",
                        found: self.found(at),
                    },
                );
            }
            let seen = match tag {
                b'O' => &mut owner,
                b'G' => &mut group,
                b'D' => &mut dacl,
                _ => &mut sacl,
            };
            if *seen {
                return fail(at, K::DuplicateComponent(tag as char));
            }
            *seen = true;
            self.pos += 2;
            match tag {
                b'O' => sd.owner = Some(self.component_sid()?),
                b'G' => sd.group = Some(self.component_sid()?),
                b'D' => {
                    let (acl, flags) = self.acl(false)?;
                    sd.control.0 |= flags | Control::DACL_PRESENT.0;
                    sd.dacl = acl;
                }
                _ => {
                    let (acl, flags) = self.acl(true)?;
                    // The SACL flag bits sit one place above the DACL ones.
                    sd.control.0 |= (flags << 1) | Control::SACL_PRESENT.0;
                    sd.sacl = acl;
                }
            }
        }
        Ok(sd)
    }

    /// The SID of an `O:` or `G:` component: `S-...` up to the first
    /// character that cannot continue it, or a two-letter alias (any case),
    /// with spaces before it skipped.
    fn component_sid(&mut self) -> Result<Sid, SddlError> {
        self.skip_spaces();
        let at = self.pos;
        if matches!(self.peek(), Some(b'S' | b's')) && self.s.get(at + 1) == Some(&b'-') {
            // The SID's extent: hex digits, `x`, `-`, and spaces right after
            // a `-` (before a revision or authority).
            let mut end = at + 2;
            while let Some(&c) = self.s.get(end) {
                let space_after_dash = c == b' ' && matches!(self.s[end - 1], b'-' | b' ');
                if !(c.is_ascii_hexdigit() || matches!(c, b'-' | b'x' | b'X') || space_after_dash) {
                    break;
                }
                end += 1;
            }
            // A `D` before `:` starts the next component, not a hex digit
            // (`O:S-1-2-0x200D:` is `S-1-2-512`, vector line 7335; Samba's
            // `sddl_transition_decode_sid` makes the same cut).
            if self.s[end - 1] == b'D' && self.s.get(end) == Some(&b':') {
                end -= 1;
            }
            let (sid, used) = read_sid(&self.s[at..end], at).map_err(sid_err)?;
            if at + used != end {
                return trailing(at + used, "the SID", &self.s[at + used..end]);
            }
            self.pos = end;
            return Ok(sid);
        }
        let code = self.s.get(at..at + 2).unwrap_or(&self.s[at..]);
        if code.len() < 2 {
            return fail(at, K::Expected("a SID or a two-letter SID alias"));
        }
        let sid = self.alias(code, at)?;
        self.pos += 2;
        Ok(sid)
    }

    /// A two-letter alias in any case (`lg` is `LG`: Samba's
    /// `SddlWindowsIsLessFussy`, recorded on Windows).
    fn alias(&self, code: &[u8], at: usize) -> Result<Sid, SddlError> {
        let resolved = with_short_upper(code, |text| alias::resolve(text, self.domain))
            .unwrap_or_else(|| {
                Err(SidError::UnknownAlias {
                    alias: String::from_utf8_lossy(code).into_owned(),
                })
            });
        resolved.map_err(|e| {
            let e = match e {
                SidError::UnknownAlias { .. } => SidError::UnknownAlias {
                    alias: String::from_utf8_lossy(code).into_owned(),
                },
                other => other,
            };
            SddlError::new(at, K::Sid(e))
        })
    }

    /// ACL flags (`P`, `AR`, `AI`, `NO_ACCESS_CONTROL`) then ACEs. Returns the
    /// ACL (`None` for a null ACL) and the DACL-position control bits.
    ///
    /// Spaces are skipped before the flags, after them and between ACEs
    /// (`D: P(A;;GA;;;LG)`, `D:P (A;;GA;;;LG)`, `D:P(A;;GA;;;LG) (A;;GX;;;AA)`:
    /// Samba's `SddlWindowsIsLessFussy`, recorded on Windows).
    fn acl(&mut self, sacl: bool) -> Result<(Option<Acl>, u16), SddlError> {
        let mut flags = 0u16;
        let mut null = false;
        self.skip_spaces();
        loop {
            let rest = &self.s[self.pos..];
            if rest.starts_with(b"NO_ACCESS_CONTROL") {
                null = true;
                self.pos += 17;
            } else if rest.starts_with(b"P") {
                flags |= Control::DACL_PROTECTED.0;
                self.pos += 1;
            } else if rest.starts_with(b"AR") {
                flags |= Control::DACL_AUTO_INHERIT_REQ.0;
                self.pos += 2;
            } else if rest.starts_with(b"AI") {
                flags |= Control::DACL_AUTO_INHERITED.0;
                self.pos += 2;
            } else {
                break;
            }
        }
        self.skip_spaces();
        if null {
            if self.peek() == Some(b'(') {
                return fail(self.pos, K::NullAclWithAces);
            }
            return Ok((None, flags));
        }
        let mut acl = Acl::empty();
        let mut object_type_seen = false;
        // The binary size so far: the 8-byte header, the ACEs and the
        // slack. Windows' converter builds the binary form, whose AclSize
        // and AceSize are 16 bits (MS-DTYP 2.4.5, 2.4.4.1), so an ACL past
        // 65,535 bytes cannot exist; it is refused at the ACE that passes
        // the limit, before more text is read (issue 18, item 4).
        let mut size = 8usize;
        while self.peek() == Some(b'(') {
            let at = self.pos;
            let (ace, written) = self.ace(sacl)?;
            let ace_size = ace.binary_len();
            if ace_size > usize::from(u16::MAX) {
                return fail(at, K::AceTooLarge(ace_size));
            }
            let slack = match written {
                AceWritten::AsTyped => 0,
                AceWritten::ObjectAsPlain => OBJECT_FLAGS_LEN,
            };
            size += ace_size + usize::from(slack);
            object_type_seen |= written == AceWritten::ObjectAsPlain || ace.ace_type.is_object();
            if size > usize::from(u16::MAX) {
                return fail(at, K::AclTooLarge(size));
            }
            acl.slack += slack;
            acl.aces.push(ace);
            self.skip_spaces();
        }
        acl.revision = if object_type_seen {
            AclRevision::DS
        } else {
            AclRevision::NT4
        };
        Ok((Some(acl), flags))
    }

    /// Reads one `;`-terminated ACE field. A `)` or the end of input first is
    /// an error naming what the `;` should follow (`expected`).
    fn field(&mut self, expected: &'static str) -> Result<(usize, &'a [u8]), SddlError> {
        let start = self.pos;
        while let Some(c) = self.peek() {
            if c == b';' {
                let f = &self.s[start..self.pos];
                self.pos += 1;
                return Ok((start, f));
            }
            if c == b')' {
                break;
            }
            self.pos += 1;
        }
        fail(
            self.pos,
            K::Unexpected {
                expected,
                found: self.found(self.pos),
            },
        )
    }

    /// Parses `(type;flags;rights;object;inherited-object;sid[;extra])` in
    /// the DACL or (`sacl`) the SACL. Returns the ACE and how Windows writes
    /// it.
    fn ace(&mut self, sacl: bool) -> Result<(Ace, AceWritten), SddlError> {
        self.pos += 1; // '('
        let (t_at, t) = self.field("`;` after the ACE type")?;
        let type_text = String::from_utf8_lossy(t);
        // ACE types are matched in any case (`(a;;GA;;;LG)` is
        // `(A;;GA;;;LG)`: Samba's `SddlWindowsIsLessFussy`, recorded on
        // Windows); a non-ASCII letter is not folded (`Ā`, line 7361).
        let Some(ace_type) = with_short_upper(t, AceType::from_sddl_code).flatten() else {
            return fail(t_at, K::UnknownAceType(type_text.into_owned()));
        };
        // Windows refuses an audit ACE in a DACL
        // (`D:(A;;RP;;;WD)(AU;SA;CR;;;BA)(AU;SA;CR;;;DU)`: Samba's
        // `SddlWindowsIsFussy`, recorded on Windows). The recorded vectors
        // hold audit and alarm types only in SACLs; the rule covers the
        // whole audit family (MS-DTYP 2.4.4.1: alarm types are reserved
        // audit types).
        if !sacl && ace_type.is_audit() {
            return fail(t_at, K::AuditAceInDacl(type_text.into_owned()));
        }
        let (f_at, f) = self.field("`;` after the ACE flags")?;
        let flags = ace_flags(f, f_at)?;
        let (r_at, r) = self.field("`;` after the access rights")?;
        let mask = rights(r, r_at)?;
        let (o_at, o) = self.field("`;` after the object type")?;
        let object_type = guid(o, o_at)?;
        let (i_at, i) = self.field("`;` after the inherited object type")?;
        let inherited_object_type = guid(i, i_at)?;
        // The SID runs to `;` (a condition or attribute follows) or `)`.
        let s_at = self.pos;
        while self.peek().is_some_and(|c| c != b';' && c != b')') {
            self.pos += 1;
        }
        let sid_field = &self.s[s_at..self.pos];
        let sid = self.ace_sid(sid_field, s_at)?;
        let extra = match self.peek() {
            None => {
                return fail(
                    self.pos,
                    K::Unexpected {
                        expected: "`)` to close the ACE",
                        found: None,
                    },
                )
            }
            Some(b')') => false,
            Some(_) => {
                self.pos += 1;
                true
            }
        };
        let mut application_data = Vec::new();
        let needs_extra = ace_type.is_callback() || ace_type == AceType::SystemResourceAttribute;
        // An access filter may carry its condition (see `AceType::carries_condition`).
        let needs_extra = needs_extra || (extra && ace_type == AceType::SystemAccessFilter);
        match (needs_extra, extra) {
            (true, false) => {
                return fail(self.pos, K::MissingApplicationData(type_text.into_owned()))
            }
            (false, true) => {
                return fail(
                    self.pos - 1,
                    K::UnexpectedApplicationData(type_text.into_owned()),
                )
            }
            (true, true) if ace_type.carries_condition() => {
                let (expr, used) =
                    Expression::parse_sddl(&self.s[self.pos..], self.pos, self.domain)
                        .map_err(|e| SddlError::new(e.offset(), K::Condition(e)))?;
                self.pos += used;
                application_data = expr
                    .encode()
                    .map_err(|e| SddlError::new(self.pos, K::Condition(e)))?;
            }
            (true, true) => {
                let (claim, used) =
                    ClaimAttribute::parse_sddl(&self.s[self.pos..], self.pos, self.domain)
                        .map_err(|e| SddlError::new(e.offset(), K::ResourceAttribute(e)))?;
                // A resource attribute ACE's trustee is always Everyone.
                if sid != crate::ids::sid::well_known::WORLD {
                    return fail(s_at, K::ResourceAttributeTrustee);
                }
                self.pos += used;
                application_data = claim
                    .encode_relative()
                    .map_err(|e| SddlError::new(self.pos, K::ResourceAttribute(e)))?;
            }
            (false, false) => {}
        }
        if self.peek() != Some(b')') {
            return fail(
                self.pos,
                K::Unexpected {
                    expected: "`)` to close the ACE",
                    found: self.found(self.pos),
                },
            );
        }
        self.pos += 1;
        let (ace_type, written, ot, iot) = if !ace_type.is_object() {
            // Samba, tuned against Windows, accepts and ignores GUIDs on
            // non-object ACEs.
            (ace_type, AceWritten::AsTyped, None, None)
        } else if let (None, None, Some(plain)) =
            (object_type, inherited_object_type, plain_form(ace_type))
        {
            (plain, AceWritten::ObjectAsPlain, None, None)
        } else {
            (
                ace_type,
                AceWritten::AsTyped,
                object_type,
                inherited_object_type,
            )
        };
        Ok((
            Ace {
                ace_type,
                flags,
                mask,
                object_type: ot,
                inherited_object_type: iot,
                sid,
                application_data,
            },
            written,
        ))
    }

    /// The trustee field: spaces before it are skipped, then a SID string,
    /// which must end the field, or a two-letter alias in any case, which
    /// spaces may follow (`D:(A;;GA;;; WD)`, `D:(A;;GA;;;WD )`,
    /// `D:(A;;GA;;; S-1-3-4)` are accepted: Samba's
    /// `SddlWindowsIsLessFussy`; `D:(A;;GA;;;S-1-3-4 )` is refused: vector
    /// line 7372).
    fn ace_sid(&self, field: &[u8], at: usize) -> Result<Sid, SddlError> {
        let lead = field.iter().take_while(|&&c| c == b' ').count();
        let (field, at) = (&field[lead..], at + lead);
        if matches!(field.first(), Some(b'S' | b's')) && field.get(1) == Some(&b'-') {
            let (sid, used) = read_sid(field, at).map_err(sid_err)?;
            if used != field.len() {
                return trailing(at + used, "the trustee SID", &field[used..]);
            }
            return Ok(sid);
        }
        if field.len() < 2 || field[2..].iter().any(|&c| c != b' ') {
            return fail(
                at,
                K::BadTrustee(String::from_utf8_lossy(field).into_owned()),
            );
        }
        self.alias(&field[..2], at)
    }
}

/// How an ACE read from SDDL is written in the binary form.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum AceWritten {
    /// As its SDDL type says.
    AsTyped,
    /// An object ACE with neither GUID, written as its plain type in space
    /// sized for the object form (see [`plain_form`]).
    ObjectAsPlain,
}

/// The size of an object ACE's Flags field (MS-DTYP 2.4.4.3).
const OBJECT_FLAGS_LEN: u16 = 4;

/// The plain type Windows writes for an object ACE given without either
/// GUID, or `None` when Windows keeps the object type.
///
/// Microsoft's `ConvertStringSecurityDescriptorToSecurityDescriptor` page
/// (Remarks): when the type is `ACCESS_ALLOWED_OBJECT_ACE_TYPE` and neither
/// GUID is given, the function writes `ACCESS_ALLOWED_ACE_TYPE`. Windows
/// sizes the ACL before that conversion: the ACL keeps the object form's
/// four bytes of Flags as unused space at its end and revision 4
/// (`ACL_REVISION_DS`). That is what the 17 "oversize" vectors hold
/// (`oversize-acls.json`, vector lines 1-9; `short-ordinary-acls.json.gz`,
/// lines 984, 993, 1103, 1120, 1141, 1146, 1171, 1190): each has 4 bytes
/// of slack and revision 4 per ACE printed as `(A;...;;;...)` or
/// `(D;...;;;...)` with no object ACE in the ACL. Their `sddl` field is
/// the string Windows printed back, not the input: Samba's generator
/// (`libcli/security/tests/windows/windows-sddl-tests.py`) keys the bytes
/// by `ConvertSecurityDescriptorToStringSecurityDescriptor`'s output, and
/// the neighbouring vectors of the same generated family (lines 985-991,
/// 994-998) are `OA` ACEs with one GUID, while no vector's `sddl` holds an
/// object ACE with neither GUID. The deny form (`OD` written as `D`,
/// lines 5-9) follows the same rule; whether Windows also converts `OU`
/// and `OL` is not recorded, so they stay object ACEs.
pub(super) fn plain_form(t: AceType) -> Option<AceType> {
    match t {
        AceType::AccessAllowedObject => Some(AceType::AccessAllowed),
        AceType::AccessDeniedObject => Some(AceType::AccessDenied),
        _ => None,
    }
}

/// Calls `f` with `code` in upper case when it is one or two ASCII bytes
/// (every ACE type, right and alias code is), without allocating; `None`
/// otherwise.
fn with_short_upper<R>(code: &[u8], f: impl FnOnce(&str) -> R) -> Option<R> {
    if code.is_empty() || code.len() > 2 || !code.is_ascii() {
        return None;
    }
    let mut buf = [0u8; 2];
    buf[..code.len()].copy_from_slice(code);
    buf.make_ascii_uppercase();
    std::str::from_utf8(&buf[..code.len()]).ok().map(f)
}

/// Fails at `at` because `rest` follows a complete `after`.
fn trailing<T>(at: usize, after: &'static str, rest: &[u8]) -> Result<T, SddlError> {
    let text = String::from_utf8_lossy(rest).into_owned();
    fail(at, K::Trailing { after, text })
}

fn sid_err(e: SidError) -> SddlError {
    let offset = match &e {
        SidError::Syntax { offset, .. }
        | SidError::Revision { offset, .. }
        | SidError::AuthorityTooLarge { offset, .. }
        | SidError::SubAuthorityTooLarge { offset, .. }
        | SidError::TooManySubAuthorities { offset }
        | SidError::TrailingCharacters { offset, .. } => *offset,
        _ => 0,
    };
    SddlError::new(offset, K::Sid(e))
}

/// ACE flags: two-letter codes in any case with nothing between them. A
/// field of only spaces is empty (`D:(A; ;GA;;;LG)`: Samba's
/// `SddlWindowsIsLessFussy`, recorded on Windows). Case is folded as for
/// ACE types and rights (recorded on Windows for those); no vector records
/// lower-case flags themselves.
fn ace_flags(f: &[u8], at: usize) -> Result<AceFlags, SddlError> {
    let mut flags = 0u8;
    let mut i = 0;
    if f.iter().all(|&c| c == b' ') {
        return Ok(AceFlags(0));
    }
    while i < f.len() {
        let code = f.get(i..i + 2).unwrap_or(&f[i..]);
        let found = ACE_FLAG_CODES
            .iter()
            .find(|(c, _)| c.as_bytes().eq_ignore_ascii_case(code));
        match found {
            // `TP` is the access-filter meaning of bit 0x40; like `SA` it is
            // accepted on any type.
            Some((_, bit)) => {
                flags |= bit;
                i += 2;
            }
            None => {
                return fail(
                    at + i,
                    K::UnknownAceFlag(String::from_utf8_lossy(code).into_owned()),
                )
            }
        }
    }
    Ok(AceFlags(flags))
}

/// Access rights: a number read as C's `strtoul` reads it (leading white
/// space, optional sign, base from the prefix; negative values wrap and values
/// over 32 bits saturate, as Windows does), or right codes separated by
/// optional spaces.
pub(super) fn rights(r: &[u8], at: usize) -> Result<AccessMask, SddlError> {
    let mut i = 0;
    while r
        .get(i)
        .is_some_and(|c| matches!(c, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r'))
    {
        i += 1;
    }
    let sign_len = usize::from(matches!(r.get(i), Some(b'+' | b'-')));
    if r.get(i + sign_len).is_some_and(u8::is_ascii_digit) {
        let negative = r.get(i) == Some(&b'-');
        let (v, used) = crate::ids::sid::parse_c_unsigned(&r[i + sign_len..]);
        let end = i + sign_len + used;
        if end != r.len() {
            return trailing(at + end, "the numeric access mask", &r[end..]);
        }
        let v = match v {
            Some(v) if v <= u64::from(u32::MAX) => v as u32,
            _ => u32::MAX,
        };
        return Ok(AccessMask(if negative { v.wrapping_neg() } else { v }));
    }
    let mut mask = 0u32;
    let mut i = 0;
    while i < r.len() {
        while r.get(i) == Some(&b' ') {
            i += 1;
        }
        if i == r.len() {
            return fail(at + i - 1, K::TrailingSpaceInRights);
        }
        let code = r.get(i..i + 2).unwrap_or(&r[i..]);
        // Right codes are matched in any case (`(A;;ga;;;LG)` is
        // `(A;;GA;;;LG)`: Samba's `SddlWindowsIsLessFussy`, recorded on
        // Windows).
        match with_short_upper(code, right_code).flatten() {
            Some(v) => mask |= v,
            None => {
                let text = String::from_utf8_lossy(code).into_owned();
                return fail(at + i, K::UnknownRight(text));
            }
        }
        i += 2;
    }
    Ok(AccessMask(mask))
}

/// An object-type GUID field: empty or only spaces for none
/// (`D:(A;;GA; ;;S-1-3-4)`: Samba's `SddlWindowsIsLessFussy`), else exactly
/// the 36-character form, with no space around it (vector lines 7373-7377).
fn guid(g: &[u8], at: usize) -> Result<Option<Guid>, SddlError> {
    if g.iter().all(|&c| c == b' ') {
        return Ok(None);
    }
    let text = String::from_utf8_lossy(g);
    text.parse::<Guid>()
        .map(Some)
        .map_err(|e| SddlError::new(at, K::Guid(e)))
}
