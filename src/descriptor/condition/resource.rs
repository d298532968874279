//! The SDDL payload of a resource attribute (`RA`) ACE, read with the
//! conditional-expression literal syntax (MS-DTYP 2.5.1.1, `attribute-data`).

use super::parse::{unescape_attr, Parser};
use super::{is_wspace, ConditionError, ExprToken, MAX_BYTES};
use crate::descriptor::claims::{
    fail, ClaimAttribute, ClaimError, ClaimErrorKind as C, ClaimValues,
};
use crate::ids::sid::Sid;

impl ClaimAttribute {
    /// Parses the SDDL payload of an `RA` ACE at the start of `text`
    /// (`("name",Tx,flags,value,...)`); leading whitespace is allowed, as
    /// Windows allows it. Returns the attribute and the bytes consumed.
    pub fn parse_sddl(
        text: &[u8],
        base: usize,
        domain: Option<&Sid>,
    ) -> Result<(ClaimAttribute, usize), ClaimError> {
        parse_resource_attribute(text, base, domain)
    }
}

/// A literal the conditional syntax rejects, inside a resource attribute.
impl From<ConditionError> for ClaimError {
    fn from(e: ConditionError) -> ClaimError {
        ClaimError::new(e.offset(), C::Condition(e))
    }
}

/// Parses a resource attribute payload `("name",Tx,flags,value,...)`
/// (MS-DTYP 2.5.1.1, `attribute-data`), reusing the conditional literal
/// syntax. SIDs are bare (no `SID(...)`); `TX` also takes bare even-length hex
/// digits, as Windows does.
fn parse_resource_attribute(
    text: &[u8],
    base: usize,
    domain: Option<&Sid>,
) -> Result<(ClaimAttribute, usize), ClaimError> {
    let mut p = Parser::new(text, base, domain);
    p.ws();
    if p.peek() != Some(b'(') || p.at(1) != Some(b'"') {
        return fail(
            base + p.pos,
            C::Expected("`(\"` to start a resource attribute"),
        );
    }
    p.pos += 2;
    let name_start = p.pos;
    while let Some(c) = p.peek() {
        if is_wspace(c) || b"!&()><=|\"".contains(&c) {
            break;
        }
        p.pos += 1;
    }
    if p.pos == name_start {
        return fail(base + p.pos, C::EmptyName);
    }
    let name = unescape_attr(&p.s[name_start..p.pos], base + name_start)?;
    p.ws();
    if p.peek() != Some(b'"') || p.at(1) != Some(b',') || p.at(2) != Some(b'T') {
        return fail(base + p.pos, C::Expected("`\",T` after the attribute name"));
    }
    let letter = p.at(3).unwrap_or(b'?');
    if !b"IUSDXB".contains(&letter) {
        p.pos += 2;
        return fail(base + p.pos, C::UnknownType(letter as char));
    }
    if p.at(4) != Some(b',') {
        p.pos += 4;
        return fail(base + p.pos, C::Expected("`,` after the attribute type"));
    }
    p.pos += 5;
    p.ws();
    let flags_at = p.pos;
    let flags = match p.int_literal()? {
        ExprToken::Int { value, .. } if (0..=i64::from(u32::MAX)).contains(&value) => value as u32,
        _ => return fail(base + flags_at, C::FlagsOutOfRange),
    };
    // MS-DTYP 2.4.10.1: bits 0xFF00 are reserved.
    if flags & 0xFF00 != 0 {
        return fail(base + flags_at, C::ReservedFlags(flags));
    }
    let mut values = match letter {
        b'I' => ClaimValues::Int64(Vec::new()),
        b'U' => ClaimValues::Uint64(Vec::new()),
        b'S' => ClaimValues::String(Vec::new()),
        b'D' => ClaimValues::Sid(Vec::new()),
        b'X' => ClaimValues::OctetString(Vec::new()),
        _ => ClaimValues::Boolean(Vec::new()),
    };
    loop {
        p.ws();
        match p.peek() {
            Some(b')') => break,
            Some(b',') => {
                p.pos += 1;
                p.ws();
            }
            None => return fail(base + p.pos, C::Unterminated),
            _ => {
                return fail(
                    base + p.pos,
                    C::Unexpected {
                        expected: "`,` or `)`",
                        found: p.here(),
                    },
                )
            }
        }
        if values.len() >= MAX_BYTES / 8 {
            return fail(base + p.pos, C::TooManyValues);
        }
        let at = p.pos;
        match &mut values {
            ClaimValues::Int64(v) => match p.int_literal()? {
                ExprToken::Int { value, .. } => v.push(value),
                _ => return fail(base + at, C::Expected("an integer")),
            },
            ClaimValues::Uint64(v) => {
                if p.peek() == Some(b'-') {
                    return fail(base + p.pos, C::NegativeUnsigned);
                }
                let plus = usize::from(p.peek() == Some(b'+'));
                let (m, used) = crate::ids::sid::parse_c_unsigned(&p.s[p.pos + plus..]);
                match m {
                    Some(m) if used > 0 => v.push(m),
                    _ => return fail(base + p.pos, C::Expected("an unsigned 64-bit integer")),
                }
                p.pos += plus + used;
            }
            ClaimValues::Boolean(v) => match p.int_literal()? {
                ExprToken::Int { value: 0, .. } => v.push(false),
                ExprToken::Int { value: 1, .. } => v.push(true),
                _ => return fail(base + at, C::BooleanNotZeroOrOne),
            },
            ClaimValues::String(v) => {
                if p.peek() != Some(b'"') {
                    return fail(base + p.pos, C::Expected("a quoted string"));
                }
                v.push(p.string_body()?);
            }
            ClaimValues::Sid(v) => {
                let rest = &p.s[p.pos..];
                if matches!(rest.first(), Some(b'S' | b's')) && rest.get(1) == Some(&b'-') {
                    let (sid, used) = Sid::parse_prefix(rest, base + p.pos)
                        .map_err(|e| ClaimError::new(base + at, C::Sid(e)))?;
                    v.push(sid);
                    p.pos += used;
                } else {
                    let code = String::from_utf8_lossy(&rest[..rest.len().min(2)]).into_owned();
                    let sid = crate::ids::sid::alias::resolve(&code, domain)
                        .map_err(|e| ClaimError::new(base + at, C::Sid(e)))?;
                    v.push(sid);
                    p.pos += 2;
                }
            }
            ClaimValues::OctetString(v) => {
                if p.peek() == Some(b'#') {
                    match p.octets()? {
                        ExprToken::Octets(b) => v.push(b),
                        _ => return fail(base + at, C::Expected("an octet string")),
                    }
                } else {
                    let start = p.pos;
                    while p.peek().is_some_and(|c| c.is_ascii_hexdigit()) {
                        p.pos += 1;
                    }
                    let digits = &p.s[start..p.pos];
                    if digits.is_empty() || digits.len() % 2 != 0 {
                        return fail(
                            base + start,
                            C::Expected("`#` and an even number of hex digits"),
                        );
                    }
                    let hex = std::str::from_utf8(digits).unwrap_or("");
                    v.push(
                        (0..hex.len() / 2)
                            .map(|k| u8::from_str_radix(&hex[2 * k..2 * k + 2], 16).unwrap_or(0))
                            .collect(),
                    );
                }
            }
        }
    }
    if values.is_empty() {
        return fail(base + p.pos, C::NoValues);
    }
    p.pos += 1;
    Ok((
        ClaimAttribute {
            name,
            flags,
            values,
        },
        p.pos,
    ))
}
