//! Parsing SDDL as Windows accepts it.

use super::error::{fail, SddlError, SddlErrorKind as K};
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

    /// The character at `at`, `None` at the end of the input.
    fn found(&self, at: usize) -> Option<char> {
        self.s.get(at)?;
        let rest = String::from_utf8_lossy(&self.s[at..]);
        Some(rest.chars().next().unwrap_or('?'))
    }

    fn descriptor(&mut self) -> Result<SecurityDescriptor, SddlError> {
        let mut sd = SecurityDescriptor::new();
        let (mut owner, mut group, mut dacl, mut sacl) = (false, false, false, false);
        while self.pos < self.s.len() {
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
                    let (acl, flags) = self.acl()?;
                    sd.control.0 |= flags | Control::DACL_PRESENT.0;
                    sd.dacl = acl;
                }
                _ => {
                    let (acl, flags) = self.acl()?;
                    // The SACL flag bits sit one place above the DACL ones.
                    sd.control.0 |= (flags << 1) | Control::SACL_PRESENT.0;
                    sd.sacl = acl;
                }
            }
        }
        Ok(sd)
    }

    /// The SID of an `O:` or `G:` component: `S-...` up to the first
    /// character that cannot be part of one, or a two-letter alias.
    fn component_sid(&mut self) -> Result<Sid, SddlError> {
        let at = self.pos;
        if matches!(self.peek(), Some(b'S' | b's')) && self.s.get(at + 1) == Some(&b'-') {
            let mut end = at + 2;
            while self
                .s
                .get(end)
                .is_some_and(|c| c.is_ascii_hexdigit() || matches!(c, b'-' | b'x' | b'X'))
            {
                end += 1;
            }
            // A `D` before `:` starts the next component, not a hex digit
            // (Samba makes the same distinction).
            if end > at && self.s[end - 1] == b'D' && self.s.get(end) == Some(&b':') {
                end -= 1;
            }
            let (sid, used) = Sid::parse_prefix(&self.s[at..end], at).map_err(sid_err)?;
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

    fn alias(&self, code: &[u8], at: usize) -> Result<Sid, SddlError> {
        let text = String::from_utf8_lossy(code);
        alias::resolve(&text, self.domain).map_err(|e| SddlError::new(at, K::Sid(e)))
    }

    /// ACL flags (`P`, `AR`, `AI`, `NO_ACCESS_CONTROL`) then ACEs. Returns the
    /// ACL (`None` for a null ACL) and the DACL-position control bits.
    fn acl(&mut self) -> Result<(Option<Acl>, u16), SddlError> {
        let mut flags = 0u16;
        let mut null = false;
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
            let (ace, was_object) = self.ace()?;
            let ace_size = ace.binary_len();
            if ace_size > usize::from(u16::MAX) {
                return fail(at, K::AceTooLarge(ace_size));
            }
            size += ace_size;
            object_type_seen |= was_object;
            if size > usize::from(u16::MAX) {
                return fail(at, K::AclTooLarge(size));
            }
            acl.aces.push(ace);
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

    /// Parses `(type;flags;rights;object;inherited-object;sid[;extra])`.
    /// Returns the ACE and whether its SDDL type was an object type.
    fn ace(&mut self) -> Result<(Ace, bool), SddlError> {
        self.pos += 1; // '('
        let (t_at, t) = self.field("`;` after the ACE type")?;
        let type_text = String::from_utf8_lossy(t);
        let Some(ace_type) = AceType::from_sddl_code(&type_text) else {
            return fail(t_at, K::UnknownAceType(type_text.into_owned()));
        };
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
            (true, true) if ace_type.is_callback() => {
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
        let was_object = ace_type.is_object();
        // An object ACE with neither GUID stays an object ACE whose object
        // flags are 0 (MS-DTYP 2.4.4.3: the GUIDs are present only when
        // their flag is set), so it prints back as written. No recorded
        // vector shows Windows doing otherwise: the `oversize-acls` vectors
        // once cited for turning it into a plain ACE hold no object ACE at
        // all (their slack comes with duplicate plain ACEs, as Samba's
        // python/samba/tests/sddl.py notes for that file).
        let (ot, iot) = if was_object {
            (object_type, inherited_object_type)
        } else {
            // Samba, tuned against Windows, accepts and ignores GUIDs on
            // non-object ACEs.
            (None, None)
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
            was_object,
        ))
    }

    fn ace_sid(&self, field: &[u8], at: usize) -> Result<Sid, SddlError> {
        if matches!(field.first(), Some(b'S' | b's')) && field.get(1) == Some(&b'-') {
            let (sid, used) = Sid::parse_prefix(field, at).map_err(sid_err)?;
            if used != field.len() {
                return trailing(at + used, "the trustee SID", &field[used..]);
            }
            return Ok(sid);
        }
        if field.len() != 2 {
            return fail(
                at,
                K::BadTrustee(String::from_utf8_lossy(field).into_owned()),
            );
        }
        self.alias(field, at)
    }
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

/// ACE flags: two-letter codes with nothing between them.
fn ace_flags(f: &[u8], at: usize) -> Result<AceFlags, SddlError> {
    let mut flags = 0u8;
    let mut i = 0;
    while i < f.len() {
        let code = f.get(i..i + 2).unwrap_or(&f[i..]);
        let found = ACE_FLAG_CODES.iter().find(|(c, _)| c.as_bytes() == code);
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
        let text = String::from_utf8_lossy(code);
        match right_code(&text) {
            Some(v) => mask |= v,
            None => return fail(at + i, K::UnknownRight(text.into_owned())),
        }
        i += 2;
    }
    Ok(AccessMask(mask))
}

fn guid(g: &[u8], at: usize) -> Result<Option<Guid>, SddlError> {
    if g.is_empty() {
        return Ok(None);
    }
    let text = String::from_utf8_lossy(g);
    text.parse::<Guid>()
        .map(Some)
        .map_err(|e| SddlError::new(at, K::Guid(e)))
}
