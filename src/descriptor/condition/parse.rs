//! Compiling the SDDL text form of a conditional expression into its token
//! stream (MS-DTYP 2.5.1.1).

use super::error::err;
use super::ConditionErrorKind as K;
use super::{
    binary_word, is_attr_char1, is_wspace, unary_word, AttrClass, ConditionError, ExprOp,
    ExprToken, Expression, IntBase, IntSign, IntWidth, MAX_BYTES, MAX_DEPTH,
};
use crate::ids::sid::Sid;

/// The SDDL compiler state: input, position and output stream.
pub(super) struct Parser<'a> {
    pub(super) s: &'a [u8],
    pub(super) pos: usize,
    base: usize,
    domain: Option<&'a Sid>,
    out: Vec<ExprToken>,
    /// The depth of the tree each pending operand forms, in step with `out`.
    depths: Vec<usize>,
}

impl Expression {
    /// Compiles the SDDL text at the start of `text`, which must begin with
    /// `(`. Returns the expression and the bytes consumed (through the
    /// matching `)`). `base` is added to error offsets so they refer to the
    /// whole descriptor string.
    pub fn parse_sddl(
        text: &[u8],
        base: usize,
        domain: Option<&Sid>,
    ) -> Result<(Expression, usize), ConditionError> {
        let mut p = Parser::new(text, base, domain);
        if p.peek() != Some(b'(') {
            return p.fail(K::Expected("`(` to start a conditional expression"));
        }
        p.paren_expr(0)?;
        Ok((Expression { tokens: p.out }, p.pos))
    }

    /// Compiles a complete SDDL condition such as `(@User.Dept == "Sales")`.
    pub fn from_sddl(text: &str, domain: Option<&Sid>) -> Result<Expression, ConditionError> {
        let (e, used) = Expression::parse_sddl(text.as_bytes(), 0, domain)?;
        let rest = &text.as_bytes()[used..];
        if let Some(k) = rest.iter().position(|&c| !is_wspace(c)) {
            return err(used + k, K::TrailingText);
        }
        Ok(e)
    }
}

impl<'a> Parser<'a> {
    /// A parser at the start of `s`, whose error offsets are `base` further on.
    pub(super) fn new(s: &'a [u8], base: usize, domain: Option<&'a Sid>) -> Parser<'a> {
        Parser {
            s,
            pos: 0,
            base,
            domain,
            out: Vec::new(),
            depths: Vec::new(),
        }
    }

    pub(super) fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    pub(super) fn at(&self, k: usize) -> Option<u8> {
        self.s.get(self.pos + k).copied()
    }

    /// Fails with `kind` at the current position.
    pub(super) fn fail<T>(&self, kind: K) -> Result<T, ConditionError> {
        err(self.base + self.pos, kind)
    }

    pub(super) fn ws(&mut self) {
        while self.peek().is_some_and(is_wspace) {
            self.pos += 1;
        }
    }

    fn emit(&mut self, t: ExprToken) -> Result<(), ConditionError> {
        // Every token takes at least one byte; the stream cannot exceed an ACE.
        if self.out.len() >= MAX_BYTES {
            return self.fail(K::TooManyTokens);
        }
        // The printer's rule (`print.rs`): a tree at most MAX_DEPTH nodes
        // deep. Counting parentheses alone let a flat `a || a || ...` chain
        // grow without limit, although it prints with one `(` per term.
        let depth = match &t {
            ExprToken::Op(op) => {
                let keep = self.depths.len().saturating_sub(op.arity());
                let below = self.depths.drain(keep..).max().unwrap_or(0);
                below + 1
            }
            _ => 1,
        };
        if depth > MAX_DEPTH {
            return self.fail(K::ExpressionTooDeep { limit: MAX_DEPTH });
        }
        self.depths.push(depth);
        self.out.push(t);
        Ok(())
    }

    /// The character at the current position, `None` at the end.
    pub(super) fn here(&self) -> Option<char> {
        self.peek()?;
        let rest = String::from_utf8_lossy(&self.s[self.pos..]);
        Some(rest.chars().next().unwrap_or('?'))
    }

    /// `"(" cond-expr ")"`.
    fn paren_expr(&mut self, depth: usize) -> Result<(), ConditionError> {
        if depth >= MAX_DEPTH {
            return self.fail(K::ExpressionTooDeep { limit: MAX_DEPTH });
        }
        let open = self.pos;
        self.pos += 1;
        self.ws();
        if self.peek() == Some(b')') {
            return self.fail(K::EmptyExpression);
        }
        self.or_expr(depth)?;
        self.ws();
        if self.peek() != Some(b')') {
            return self.fail(K::UnbalancedParens {
                open: self.base + open,
                found: self.here(),
            });
        }
        self.pos += 1;
        Ok(())
    }

    fn or_expr(&mut self, depth: usize) -> Result<(), ConditionError> {
        self.and_expr(depth)?;
        loop {
            self.ws();
            if self.peek() == Some(b'|') && self.at(1) == Some(b'|') {
                self.pos += 2;
                self.ws();
                self.and_expr(depth)?;
                self.emit(ExprToken::Op(ExprOp::Or))?;
            } else {
                return Ok(());
            }
        }
    }

    fn and_expr(&mut self, depth: usize) -> Result<(), ConditionError> {
        self.unary(depth)?;
        loop {
            self.ws();
            if self.peek() == Some(b'&') && self.at(1) == Some(b'&') {
                self.pos += 2;
                self.ws();
                self.unary(depth)?;
                self.emit(ExprToken::Op(ExprOp::And))?;
            } else {
                return Ok(());
            }
        }
    }

    /// `["!"] (paren-expr / term)`. The operand of `!` is a parenthesised
    /// expression or a term starting with an `@` attribute.
    fn unary(&mut self, depth: usize) -> Result<(), ConditionError> {
        self.ws();
        if self.peek() == Some(b'!') && self.at(1) != Some(b'=') {
            if depth + 1 >= MAX_DEPTH {
                return self.fail(K::ExpressionTooDeep { limit: MAX_DEPTH });
            }
            self.pos += 1;
            self.ws();
            match self.peek() {
                Some(b'(') => self.paren_expr(depth + 1)?,
                Some(b'@') => self.term(depth + 1)?,
                _ => {
                    return self.fail(K::Unexpected {
                        expected: "`(` or an `@` attribute after `!`",
                        found: self.here(),
                    })
                }
            }
            return self.emit(ExprToken::Op(ExprOp::Not));
        }
        self.term(depth)
    }

    fn term(&mut self, depth: usize) -> Result<(), ConditionError> {
        match self.peek() {
            Some(b'(') => self.paren_expr(depth + 1),
            Some(b'@') => {
                let t = self.attr_at_sign()?;
                self.relation(t)
            }
            Some(b'"') => {
                // A quoted name in attribute position is a local attribute.
                let name = self.quoted_attr_name()?;
                self.relation(ExprToken::Attr(AttrClass::Local, name))
            }
            Some(c) if is_attr_char1(c) => {
                let start = self.pos;
                let word = self.word();
                if let Some(op) = unary_word(word) {
                    self.ws();
                    if matches!(op, ExprOp::Exists | ExprOp::NotExists) {
                        let a = self.attribute()?;
                        self.emit(a)?;
                    } else {
                        self.member_of_operand()?;
                    }
                    return self.emit(ExprToken::Op(op));
                }
                if binary_word(word).is_some() {
                    self.pos = start;
                    return self.fail(K::OperatorNeedsAttribute(
                        String::from_utf8_lossy(word).into_owned(),
                    ));
                }
                let name = String::from_utf8_lossy(word).into_owned();
                self.relation(ExprToken::Attr(AttrClass::Local, name))
            }
            None => self.fail(K::UnexpectedEnd { expected: None }),
            _ => self.fail(K::Unexpected {
                expected: "an attribute, `(`, `!` or an operator",
                found: self.here(),
            }),
        }
    }

    /// After an attribute: a relational, contains or any-of operator and its
    /// right-hand side, or nothing (the attribute is tested for truth).
    fn relation(&mut self, lhs: ExprToken) -> Result<(), ConditionError> {
        self.emit(lhs)?;
        self.ws();
        let two = (self.peek(), self.at(1));
        let op = match two {
            (Some(b'='), Some(b'=')) => Some((ExprOp::Equal, 2)),
            (Some(b'!'), Some(b'=')) => Some((ExprOp::NotEqual, 2)),
            (Some(b'<'), Some(b'=')) => Some((ExprOp::LessOrEqual, 2)),
            (Some(b'>'), Some(b'=')) => Some((ExprOp::GreaterOrEqual, 2)),
            (Some(b'<'), _) => Some((ExprOp::Less, 1)),
            (Some(b'>'), _) => Some((ExprOp::Greater, 1)),
            _ => None,
        };
        if let Some((op, n)) = op {
            self.pos += n;
            self.ws();
            match self.peek() {
                Some(b'@') => {
                    let a = self.attr_at_sign()?;
                    self.emit(a)?;
                }
                Some(b'(') => self.paren_literal()?,
                _ => self.literal(0)?,
            }
            return self.emit(ExprToken::Op(op));
        }
        if self.peek().is_some_and(is_attr_char1) {
            let start = self.pos;
            let word = self.word();
            if let Some(op) = binary_word(word) {
                self.ws();
                if self.peek() == Some(b'@') {
                    let a = self.attr_at_sign()?;
                    self.emit(a)?;
                } else {
                    self.literal(0)?;
                }
                return self.emit(ExprToken::Op(op));
            }
            self.pos = start;
            return self.fail(K::ExpectedOperator(
                String::from_utf8_lossy(word).into_owned(),
            ));
        }
        Ok(())
    }

    /// A word: an `attr-char1` character, then `attr-char1` characters or
    /// `@` (MS-DTYP 2.5.1.1: `attr-name1 = attr-char1 *(attr-char1 / "@")`,
    /// so a local attribute such as `a@b` is one name). Operator words hold
    /// no `@`.
    fn word(&mut self) -> &'a [u8] {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|c| is_attr_char1(c) || (c == b'@' && self.pos > start))
        {
            self.pos += 1;
        }
        &self.s[start..self.pos]
    }

    /// An attribute for `Exists`: `@Class.name`, a bare local name or a quoted one.
    fn attribute(&mut self) -> Result<ExprToken, ConditionError> {
        match self.peek() {
            Some(b'@') => self.attr_at_sign(),
            Some(b'"') => Ok(ExprToken::Attr(AttrClass::Local, self.quoted_attr_name()?)),
            Some(c) if is_attr_char1(c) => {
                let w = self.word();
                Ok(ExprToken::Attr(
                    AttrClass::Local,
                    String::from_utf8_lossy(w).into_owned(),
                ))
            }
            _ => self.fail(K::Unexpected {
                expected: "an attribute",
                found: self.here(),
            }),
        }
    }

    /// `@User.`, `@Device.`, `@Resource.` or `@Local.` then a name with
    /// `%xxxx` escapes (`attr-char2`).
    fn attr_at_sign(&mut self) -> Result<ExprToken, ConditionError> {
        let start = self.pos;
        self.pos += 1;
        let classes = [
            ("user.", AttrClass::User),
            ("device.", AttrClass::Device),
            ("resource.", AttrClass::Resource),
            ("local.", AttrClass::Local),
        ];
        let rest = &self.s[self.pos..];
        let Some((prefix, class)) = classes.iter().find(|(p, _)| {
            rest.len() >= p.len() && rest[..p.len()].eq_ignore_ascii_case(p.as_bytes())
        }) else {
            self.pos = start;
            return self.fail(K::Expected(
                "`@User.`, `@Device.`, `@Resource.` or `@Local.`",
            ));
        };
        self.pos += prefix.len();
        let name_start = self.pos;
        while let Some(c) = self.peek() {
            if is_wspace(c) || b"!&()><=|\"".contains(&c) {
                break;
            }
            self.pos += 1;
        }
        if self.pos == name_start {
            return self.fail(K::EmptyAttributeName);
        }
        let raw = &self.s[name_start..self.pos];
        let name = unescape_attr(raw, self.base + name_start)?;
        Ok(ExprToken::Attr(*class, name))
    }

    /// A quoted local attribute name (`"name"`). An empty one is refused as
    /// `@Local.` with no name is: MS-DTYP 2.5.1.1 gives every attribute name
    /// at least one character (`attr-name = (attr-char1 *attr-char2) / ...`).
    fn quoted_attr_name(&mut self) -> Result<String, ConditionError> {
        let at = self.pos;
        let name = self.string_body()?;
        if name.is_empty() {
            return err(self.base + at, K::EmptyAttributeName);
        }
        Ok(name)
    }

    /// The text of a `"..."` string (no escapes exist in SDDL strings).
    pub(super) fn string_body(&mut self) -> Result<String, ConditionError> {
        let start = self.pos;
        self.pos += 1;
        let Some(len) = self.s[self.pos..].iter().position(|&c| c == b'"') else {
            self.pos = start;
            return self.fail(K::UnterminatedString);
        };
        let bytes = &self.s[self.pos..self.pos + len];
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => t,
            Err(_) => return self.fail(K::InvalidUtf8 { what: "string" }),
        };
        if text.contains('\0') {
            return self.fail(K::NulInString);
        }
        self.pos += len + 1;
        Ok(text.to_string())
    }

    /// `(` literal `)`, allowed after relational and member-of operators.
    fn paren_literal(&mut self) -> Result<(), ConditionError> {
        self.pos += 1;
        self.ws();
        self.literal(0)?;
        self.ws();
        if self.peek() != Some(b')') {
            return self.fail(K::Unexpected {
                expected: "`)` after the literal",
                found: self.here(),
            });
        }
        self.pos += 1;
        Ok(())
    }

    /// The operand of a member-of operator: a SID or a composite of SIDs,
    /// possibly in parentheses (`sid-array`, MS-DTYP 2.5.1.1).
    fn member_of_operand(&mut self) -> Result<(), ConditionError> {
        let at = self.pos;
        if self.peek() == Some(b'(') {
            self.paren_literal()?;
        } else {
            self.literal(0)?;
        }
        let ok = match self.out.last() {
            Some(ExprToken::Sid(_)) => true,
            Some(ExprToken::Composite(items)) => {
                items.iter().all(|i| matches!(i, ExprToken::Sid(_)))
            }
            _ => false,
        };
        if !ok {
            return err(self.base + at, K::MemberOfNeedsSids);
        }
        Ok(())
    }

    fn literal(&mut self, depth: usize) -> Result<(), ConditionError> {
        let t = self.literal_token(depth)?;
        self.emit(t)
    }

    fn literal_token(&mut self, depth: usize) -> Result<ExprToken, ConditionError> {
        match self.peek() {
            Some(b'#') => self.octets(),
            Some(b'"') => Ok(ExprToken::String(self.string_body()?)),
            Some(b'{') => self.composite(depth),
            Some(b'S') if self.s[self.pos..].starts_with(b"SID(") => self.sid_literal(),
            Some(c) if c.is_ascii_digit() || c == b'-' || c == b'+' => self.int_literal(),
            None => self.fail(K::UnexpectedEnd {
                expected: Some("a literal"),
            }),
            _ => self.fail(K::Unexpected {
                expected: "a literal",
                found: self.here(),
            }),
        }
    }

    /// `#` then hex digits, where `#` also stands for `0` (Windows and Samba
    /// treat `#` as a zero digit); an even number is required.
    pub(super) fn octets(&mut self) -> Result<ExprToken, ConditionError> {
        self.pos += 1;
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|c| c == b'#' || c.is_ascii_hexdigit())
        {
            self.pos += 1;
        }
        let digits = &self.s[start..self.pos];
        if digits.len() % 2 != 0 {
            return err(self.base + start, K::OddHexDigits);
        }
        let nib = |c: u8| match c {
            b'#' => 0,
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            _ => c - b'A' + 10,
        };
        Ok(ExprToken::Octets(
            digits
                .chunks(2)
                .map(|p| (nib(p[0]) << 4) | nib(p[1]))
                .collect(),
        ))
    }

    fn composite(&mut self, depth: usize) -> Result<ExprToken, ConditionError> {
        if depth >= MAX_DEPTH {
            return self.fail(K::CompositeTooDeep { limit: MAX_DEPTH });
        }
        self.pos += 1;
        let mut items = Vec::new();
        loop {
            self.ws();
            match self.peek() {
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(ExprToken::Composite(items));
                }
                None => return self.fail(K::UnterminatedComposite),
                _ => {}
            }
            if !items.is_empty() {
                if self.peek() != Some(b',') {
                    return self.fail(K::Unexpected {
                        expected: "`,` or `}` in the composite",
                        found: self.here(),
                    });
                }
                self.pos += 1;
                self.ws();
            }
            if items.len() >= MAX_BYTES / 2 {
                return self.fail(K::CompositeTooLarge);
            }
            items.push(self.literal_token(depth + 1)?);
        }
    }

    fn sid_literal(&mut self) -> Result<ExprToken, ConditionError> {
        self.pos += 4;
        let start = self.pos;
        let Some(len) = self.s[start..].iter().position(|&c| c == b')') else {
            return self.fail(K::Expected("`)` to close `SID(`"));
        };
        let text = String::from_utf8_lossy(&self.s[start..start + len]);
        let sid = Sid::parse_sddl(&text, self.domain)
            .map_err(|e| ConditionError::new(self.base + start, K::Sid(e)))?;
        self.pos = start + len + 1;
        Ok(ExprToken::Sid(sid))
    }

    /// `strtoll(text, &end, 0)`: an optional sign, then `0x` hex, leading-`0`
    /// octal or decimal. The sign and base are kept for printing. Unsigned
    /// hex and octal reach 2^64 - 1.
    pub(super) fn int_literal(&mut self) -> Result<ExprToken, ConditionError> {
        let start = self.pos;
        let mut i = self.pos;
        let Some(first) = self.peek() else {
            return self.fail(K::UnexpectedEnd {
                expected: Some("an integer"),
            });
        };
        let sign = match first {
            b'-' => {
                i += 1;
                IntSign::Negative
            }
            b'+' => {
                i += 1;
                IntSign::Positive
            }
            _ => IntSign::None,
        };
        let digits_start = i;
        let (magnitude, used) = crate::ids::sid::parse_c_unsigned(&self.s[i..]);
        if used == 0 {
            return self.fail(K::Expected("digits in the integer"));
        }
        let text = &self.s[digits_start..digits_start + used];
        let base = if text.len() > 2 && text[0] == b'0' && (text[1] | 0x20) == b'x' {
            IntBase::Hex
        } else if text.len() > 1 && text[0] == b'0' {
            IntBase::Octal
        } else {
            IntBase::Decimal
        };
        i += used;
        if self.s.get(i).is_some_and(|&c| is_attr_char1(c)) {
            return err(self.base + i, K::TrailingAfterInteger);
        }
        let value = match (magnitude, sign) {
            (Some(m), IntSign::Negative) if m <= 1u64 << 63 => (m as i128).wrapping_neg() as i64,
            (Some(m), _) if m <= i64::MAX as u64 => m as i64,
            // An unsigned hex or octal literal takes the whole 64 bits, up to
            // 0xffffffffffffffff, stored as those bits (MS-DTYP 2.4.4.17.5:
            // the token's value is a QWORD; issue 14 records Windows taking
            // literals up to 0xffffffffffffffff). It prints back unsigned
            // (`%#I64x`), so the text round-trips. A decimal literal past
            // 2^63 - 1 stays out of range.
            (Some(m), IntSign::None) if base != IntBase::Decimal => m as i64,
            _ => {
                return err(
                    self.base + start,
                    K::IntegerOutOfRange(String::from_utf8_lossy(&self.s[start..i]).into_owned()),
                )
            }
        };
        self.pos = i;
        Ok(ExprToken::Int {
            value,
            width: IntWidth::I64,
            sign,
            base,
        })
    }
}

/// Decodes `%xxxx` escapes in an attribute name. Characters that MS-DTYP
/// 2.5.1.1 says must be literal may not be escaped.
pub(super) fn unescape_attr(raw: &[u8], at: usize) -> Result<String, ConditionError> {
    let text = std::str::from_utf8(raw).or_else(|_| {
        err(
            at,
            K::InvalidUtf8 {
                what: "attribute name",
            },
        )
    })?;
    let mut units: Vec<u16> = Vec::with_capacity(raw.len());
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        // A raw NUL is refused as `%0000` is: the binary form's names are
        // counted, but SDDL (a NUL-terminated string on Windows) cannot
        // carry one.
        if c == '\0' {
            return err(at + i, K::NulInAttributeName);
        }
        if c != '%' {
            let mut buf = [0u16; 2];
            units.extend_from_slice(c.encode_utf16(&mut buf));
            continue;
        }
        let hex = text
            .get(i + 1..i + 5)
            .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()));
        let Some(hex) = hex else {
            return err(at + i, K::BadEscape);
        };
        let v = u16::from_str_radix(hex, 16).unwrap_or(0);
        if v < 127
            && ((v as u8).is_ascii_alphanumeric() || b"#$'*+-;?@[\\]^_`{}~:/.".contains(&(v as u8)))
        {
            return err(
                at + i,
                K::NeedlessEscape {
                    hex: hex.to_string(),
                    character: v as u8 as char,
                },
            );
        }
        if v == 0 {
            return err(at + i, K::NulInAttributeName);
        }
        units.push(v);
        for _ in 0..4 {
            chars.next();
        }
    }
    String::from_utf16(&units).or_else(|_| {
        err(
            at,
            K::InvalidUtf16 {
                what: "attribute name",
            },
        )
    })
}
