//! Security Descriptor Definition Language: parsing and Windows-canonical
//! printing ("Security Descriptor String Format" and "ACE Strings" in the
//! Win32 documentation; MS-DTYP 2.5.1).
//!
//! Parsing follows what Windows accepts, as recorded in the conformance
//! vectors and in Samba's Windows-tested parser: components in any order, each
//! at most once; upper-case tokens only; `strtoul`-style numeric rights
//! (decimal, `0x` hex, leading-zero octal); spaces allowed between right codes
//! but not after them; GUIDs of exactly 36 characters.
//!
//! Printing follows Windows: `O:`, `G:`, `D:`, `S:` in that order; ACL flags
//! as `P`, `AR`, `AI`; rights as an exact named mask, else single-bit codes in
//! ascending bit order, else lower-case hex.

use crate::descriptor::ace::{Ace, AceFlags, AceType};
use crate::descriptor::acl::{Acl, AclRevision};
use crate::descriptor::claims::{ClaimAttribute, ClaimError};
use crate::descriptor::condition::{ConditionError, Expression};
use crate::descriptor::sd::{Control, SecurityDescriptor};
use crate::descriptor::Found;
use crate::ids::guid::{Guid, GuidError};
use crate::ids::mask::{right_code, AccessMask, BIT_CODES, RIGHT_CODES};
use crate::ids::sid::{alias, Sid, SidError};
use std::fmt;
use SddlErrorKind as K;

/// SDDL that Windows would not accept, or a descriptor that has no SDDL form.
///
/// [`offset`](SddlError::offset) is a byte offset into the input (0 for
/// printing errors); [`kind`](SddlError::kind) says what went wrong. It
/// displays as the kind's message followed by ` at offset N`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SddlError {
    offset: usize,
    kind: SddlErrorKind,
}

/// What went wrong with SDDL. Each variant displays as the message of an
/// [`SddlError`], without its offset.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SddlErrorKind {
    // Parsing.
    /// Something other than what is allowed here.
    Unexpected {
        /// What is allowed (`` "`;` after the ACE flags" ``, ...).
        expected: &'static str,
        /// The character found, `None` at the end of the input.
        found: Option<char>,
    },
    /// Something required is missing; the payload says what.
    Expected(&'static str),
    /// `O:`, `G:`, `D:` or `S:` given twice; the payload is the letter.
    DuplicateComponent(char),
    /// A SID that is not valid, an unknown alias, or a domain-relative alias
    /// without a domain.
    Sid(SidError),
    /// Text after a complete SID or numeric mask.
    Trailing {
        /// What it follows (`"the SID"`, `"the trustee SID"`,
        /// `"the numeric access mask"`).
        after: &'static str,
        /// The extra text.
        text: String,
    },
    /// `NO_ACCESS_CONTROL` followed by ACEs.
    NullAclWithAces,
    /// An ACE type code Windows does not know.
    UnknownAceType(String),
    /// A callback or resource attribute ACE without its seventh field; the
    /// payload is the type as written.
    MissingApplicationData(String),
    /// A seventh field on an ACE type that takes none; the payload is the
    /// type as written.
    UnexpectedApplicationData(String),
    /// A conditional expression that does not compile.
    Condition(ConditionError),
    /// A resource attribute that does not parse.
    ResourceAttribute(ClaimError),
    /// A resource attribute ACE whose trustee is not Everyone.
    ResourceAttributeTrustee,
    /// A trustee that is neither a SID nor a two-letter alias.
    BadTrustee(String),
    /// An ACE flag code Windows does not know.
    UnknownAceFlag(String),
    /// A space after the last access right code.
    TrailingSpaceInRights,
    /// An access right code Windows does not know.
    UnknownRight(String),
    /// An object type GUID that is not in the 8-4-4-4-12 form.
    Guid(GuidError),

    // Printing.
    /// An ACE type that SDDL cannot express.
    NoSddlForm(AceType),
    /// A callback ACE whose condition cannot be decoded or printed.
    UnprintableCondition(ConditionError),
    /// A resource attribute ACE whose payload cannot be decoded or printed.
    UnprintableResourceAttribute(ClaimError),
    /// An ACE of a descriptor that cannot be printed.
    InAce {
        /// Whether the ACE is in the SACL (else the DACL).
        sacl: bool,
        /// Its index in the ACL.
        index: usize,
        /// Why it cannot be printed.
        kind: Box<SddlErrorKind>,
    },
}

offset_error!(
    SddlError,
    SddlErrorKind,
    "Where the problem is: a byte offset into the input, 0 for printing errors."
);

impl fmt::Display for SddlErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use SddlErrorKind as K;
        match self {
            K::Unexpected { expected, found } => {
                write!(f, "expected {expected}, found {}", Found(*found))
            }
            K::Expected(what) => write!(f, "expected {what}"),
            K::DuplicateComponent(tag) => write!(f, "`{tag}:` appears twice"),
            K::Sid(e) => {
                // Text SID errors end with " at offset N"; the SDDL error
                // carries the offset itself.
                let text = e.to_string();
                f.write_str(text.rsplit_once(" at offset ").map_or(&*text, |(m, _)| m))
            }
            K::Trailing { after, text } => write!(f, "unexpected `{text}` after {after}"),
            K::NullAclWithAces => f.write_str("a null ACL (`NO_ACCESS_CONTROL`) cannot hold ACEs"),
            K::UnknownAceType(t) => write!(f, "unknown ACE type `{t}`"),
            K::MissingApplicationData(t) => {
                write!(f, "a `{t}` ACE needs a seventh field after the SID")
            }
            K::UnexpectedApplicationData(t) => {
                write!(f, "a `{t}` ACE ends after the SID; expected `)`")
            }
            K::Condition(e) => write!(f, "{}", e.kind()),
            K::ResourceAttribute(e) => write!(f, "{}", e.kind()),
            K::ResourceAttributeTrustee => {
                f.write_str("a resource attribute ACE's SID must be `WD` (S-1-1-0)")
            }
            K::BadTrustee(t) => write!(
                f,
                "expected a SID or two-letter alias for the trustee, found `{t}`"
            ),
            K::UnknownAceFlag(code) => write!(f, "unknown ACE flag `{code}`"),
            K::TrailingSpaceInRights => f.write_str("trailing space in the access rights"),
            K::UnknownRight(code) => write!(f, "unknown access right `{code}`"),
            K::Guid(e) => write!(f, "{e}"),
            K::NoSddlForm(t) => {
                write!(f, "type 0x{:02x} ({}) has no SDDL form", t.code(), t.name())
            }
            K::UnprintableCondition(e) => write!(f, "condition: {}", e.kind()),
            K::UnprintableResourceAttribute(e) => {
                write!(f, "resource attribute: {}", e.kind())
            }
            K::InAce { sacl, index, kind } => write!(
                f,
                "{} ACE {index}: {kind}",
                if *sacl { "SACL" } else { "DACL" }
            ),
        }
    }
}

impl SddlErrorKind {
    /// The error this kind wraps, if any.
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        use SddlErrorKind as K;
        match self {
            K::Sid(e) => Some(e),
            K::Guid(e) => Some(e),
            K::Condition(e) | K::UnprintableCondition(e) => Some(e),
            K::ResourceAttribute(e) | K::UnprintableResourceAttribute(e) => Some(e),
            K::InAce { kind, .. } => kind.source(),
            _ => None,
        }
    }
}

impl std::error::Error for SddlError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.kind.source()
    }
}

fn fail<T>(offset: usize, kind: SddlErrorKind) -> Result<T, SddlError> {
    Err(SddlError::new(offset, kind))
}

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

/// Prints a descriptor as Windows' `ConvertSecurityDescriptorToStringSecurityDescriptor`
/// does. Fails for ACE types that SDDL cannot express and for malformed
/// conditional or resource-attribute payloads.
pub fn print(sd: &SecurityDescriptor, domain: Option<&Sid>) -> Result<String, SddlError> {
    let mut out = String::new();
    if let Some(o) = &sd.owner {
        out.push_str("O:");
        out.push_str(&o.to_sddl(domain));
    }
    if let Some(g) = &sd.group {
        out.push_str("G:");
        out.push_str(&g.to_sddl(domain));
    }
    if sd.control.contains(Control::DACL_PRESENT) || sd.dacl.is_some() {
        out.push_str("D:");
        print_acl(&mut out, sd.control, sd.dacl.as_ref(), false, domain)?;
    }
    if sd.control.contains(Control::SACL_PRESENT) || sd.sacl.is_some() {
        out.push_str("S:");
        print_acl(&mut out, sd.control, sd.sacl.as_ref(), true, domain)?;
    }
    Ok(out)
}

fn print_acl(
    out: &mut String,
    control: Control,
    acl: Option<&Acl>,
    sacl: bool,
    domain: Option<&Sid>,
) -> Result<(), SddlError> {
    let (p, ar, ai) = if sacl {
        (
            Control::SACL_PROTECTED,
            Control::SACL_AUTO_INHERIT_REQ,
            Control::SACL_AUTO_INHERITED,
        )
    } else {
        (
            Control::DACL_PROTECTED,
            Control::DACL_AUTO_INHERIT_REQ,
            Control::DACL_AUTO_INHERITED,
        )
    };
    if control.contains(p) {
        out.push('P');
    }
    if control.contains(ar) {
        out.push_str("AR");
    }
    if control.contains(ai) {
        out.push_str("AI");
    }
    let Some(acl) = acl else {
        out.push_str("NO_ACCESS_CONTROL");
        return Ok(());
    };
    for (i, ace) in acl.aces.iter().enumerate() {
        out.push('(');
        print_ace(out, ace, domain).map_err(|e| {
            SddlError::new(
                0,
                K::InAce {
                    sacl,
                    index: i,
                    kind: Box::new(e.kind),
                },
            )
        })?;
        out.push(')');
    }
    Ok(())
}

/// Prints one ACE without its parentheses.
pub fn print_ace(out: &mut String, ace: &Ace, domain: Option<&Sid>) -> Result<(), SddlError> {
    let Some(code) = ace.ace_type.sddl_code() else {
        return fail(0, K::NoSddlForm(ace.ace_type));
    };
    out.push_str(code);
    out.push(';');
    for (name, bit) in ACE_FLAG_CODES {
        let is_filter = ace.ace_type == AceType::SystemAccessFilter;
        if (name == "TP" && !is_filter) || (name == "SA" && is_filter) {
            continue;
        }
        if ace.flags.0 & bit != 0 {
            out.push_str(name);
        }
    }
    out.push(';');
    print_rights(out, ace.mask, ace.ace_type == AceType::SystemMandatoryLabel);
    out.push(';');
    if ace.ace_type.is_object() {
        if let Some(g) = ace.object_type {
            out.push_str(&g.to_string());
        }
        out.push(';');
        if let Some(g) = ace.inherited_object_type {
            out.push_str(&g.to_string());
        }
        out.push(';');
    } else {
        out.push_str(";;");
    }
    out.push_str(&ace.sid.to_sddl(domain));
    if ace.ace_type.is_callback() {
        let text = Expression::decode(&ace.application_data)
            .and_then(|expr| expr.to_sddl(domain))
            .map_err(|e| SddlError::new(0, K::UnprintableCondition(e)))?;
        out.push(';');
        out.push_str(&text);
    } else if ace.ace_type == AceType::SystemResourceAttribute {
        let text = ClaimAttribute::decode_relative(&ace.application_data)
            .and_then(|claim| claim.to_sddl(domain))
            .map_err(|e| SddlError::new(0, K::UnprintableResourceAttribute(e)))?;
        out.push(';');
        out.push_str(&text);
    }
    Ok(())
}

/// Rights as Windows prints them: the empty string for 0; an exact match in
/// [`RIGHT_CODES`]; else single-bit codes in ascending bit order when every
/// bit has one; else `0x` and lower-case hex. Mandatory label masks use the
/// `NW`, `NR`, `NX` codes for bits 0 to 2 (Windows prints `(ML;;NW;;;LW)`).
fn print_rights(out: &mut String, mask: AccessMask, label: bool) {
    let m = mask.0;
    if m == 0 {
        return;
    }
    if label {
        if m & !0x7 == 0 {
            for (bit, name) in [(1, "NW"), (2, "NR"), (4, "NX")] {
                if m & bit != 0 {
                    out.push_str(name);
                }
            }
        } else {
            out.push_str(&format!("0x{m:x}"));
        }
        return;
    }
    if let Some((code, _)) = RIGHT_CODES.iter().find(|(_, v)| *v == m) {
        out.push_str(code);
        return;
    }
    if (0..32).all(|b| m & (1 << b) == 0 || BIT_CODES[b].is_some()) {
        for (b, code) in BIT_CODES.iter().enumerate() {
            if m & (1 << b) != 0 {
                if let Some(c) = code {
                    out.push_str(c);
                }
            }
        }
        return;
    }
    out.push_str(&format!("0x{m:x}"));
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
                return fail(
                    at + used,
                    K::Trailing {
                        after: "the SID",
                        text: String::from_utf8_lossy(&self.s[at + used..end]).into_owned(),
                    },
                );
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
        while self.peek() == Some(b'(') {
            let (ace, was_object) = self.ace()?;
            if was_object {
                object_type_seen = true;
                if !ace.ace_type.is_object() {
                    // The object flags Windows sized for this ACE stay unused.
                    acl.slack = acl.slack.saturating_add(4);
                }
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
        let Some(mut ace_type) = AceType::from_sddl_code(&type_text) else {
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
        // Windows writes an object ACE with neither GUID as the plain ACE type
        // (RtlAdd*ObjectAce falls back to the basic form), keeping ACL
        // revision 4 and the 4 bytes it had reserved for the object flags:
        // see the `oversize-acls` conformance vectors, whose ACLs carry 4
        // bytes of slack per such ACE.
        let (ot, iot) = if was_object {
            (object_type, inherited_object_type)
        } else {
            // Samba, tuned against Windows, accepts and ignores GUIDs on
            // non-object ACEs.
            (None, None)
        };
        if was_object
            && ot.is_none()
            && iot.is_none()
            && ace_type != AceType::AccessAllowedCallbackObject
        {
            ace_type = match ace_type {
                AceType::AccessAllowedObject => AceType::AccessAllowed,
                AceType::AccessDeniedObject => AceType::AccessDenied,
                AceType::SystemAuditObject => AceType::SystemAudit,
                _ => AceType::SystemAlarm,
            };
        }
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
                return fail(
                    at + used,
                    K::Trailing {
                        after: "the trustee SID",
                        text: String::from_utf8_lossy(&field[used..]).into_owned(),
                    },
                );
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
fn rights(r: &[u8], at: usize) -> Result<AccessMask, SddlError> {
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
            return fail(
                at + end,
                K::Trailing {
                    after: "the numeric access mask",
                    text: String::from_utf8_lossy(&r[end..]).into_owned(),
                },
            );
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
