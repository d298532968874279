//! The binary form of a conditional expression: the `artx` signature and
//! the postfix token stream (MS-DTYP 2.4.4.17.4 to 2.4.4.17.9).

use super::error::err;
use super::ConditionErrorKind as K;
use super::{
    AttrClass, ConditionError, ExprOp, ExprToken, Expression, IntBase, IntSign, IntWidth,
    MAX_BYTES, MAX_DEPTH, SIGNATURE,
};
use crate::ids::sid::Sid;

impl Expression {
    /// Encodes as application data: `artx`, the tokens, then zero padding to
    /// a multiple of 4 bytes.
    pub fn encode(&self) -> Result<Vec<u8>, ConditionError> {
        let mut out = SIGNATURE.to_vec();
        for t in &self.tokens {
            write_token(&mut out, t)?;
        }
        while out.len() % 4 != 0 {
            out.push(0);
        }
        if out.len() > MAX_BYTES {
            return err(
                0,
                K::TooLarge {
                    bytes: out.len(),
                    limit: MAX_BYTES,
                },
            );
        }
        Ok(out)
    }

    /// Decodes application data. Trailing zero bytes are padding. The token
    /// stream is validated (lengths, integer ranges, string encoding) but not
    /// required to form a single expression; [`Expression::to_sddl`] and
    /// evaluation check that.
    pub fn decode(data: &[u8]) -> Result<Expression, ConditionError> {
        if data.len() < 4 || data[..4] != SIGNATURE {
            return err(0, K::MissingSignature);
        }
        let mut p = 4;
        let mut tokens = Vec::new();
        while p < data.len() {
            if data[p] == 0 {
                if let Some(bad) = data[p..].iter().position(|&b| b != 0) {
                    return err(p + bad, K::DataAfterPadding);
                }
                break;
            }
            let (tok, used) = read_token(data, p, 0)?;
            tokens.push(tok);
            p += used;
        }
        Ok(Expression { tokens })
    }
}

fn write_len_prefixed(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    out.extend_from_slice(bytes);
}

fn utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(|u| u.to_le_bytes()).collect()
}

fn write_token(out: &mut Vec<u8>, t: &ExprToken) -> Result<(), ConditionError> {
    match t {
        ExprToken::Int {
            value,
            width,
            sign,
            base,
        } => {
            out.push(match width {
                IntWidth::I8 => 0x01,
                IntWidth::I16 => 0x02,
                IntWidth::I32 => 0x03,
                IntWidth::I64 => 0x04,
            });
            out.extend_from_slice(&value.to_le_bytes());
            out.push(match sign {
                IntSign::Positive => 1,
                IntSign::Negative => 2,
                IntSign::None => 3,
            });
            out.push(match base {
                IntBase::Octal => 1,
                IntBase::Decimal => 2,
                IntBase::Hex => 3,
            });
        }
        ExprToken::String(s) => {
            out.push(0x10);
            write_len_prefixed(out, &utf16(s));
        }
        ExprToken::Octets(b) => {
            out.push(0x18);
            write_len_prefixed(out, b);
        }
        ExprToken::Composite(items) => {
            out.push(0x50);
            let mut inner = Vec::new();
            for i in items {
                write_token(&mut inner, i)?;
            }
            write_len_prefixed(out, &inner);
        }
        ExprToken::Sid(s) => {
            out.push(0x51);
            write_len_prefixed(out, &s.to_bytes());
        }
        ExprToken::Attr(class, name) => {
            out.push(match class {
                AttrClass::Local => 0xF8,
                AttrClass::User => 0xF9,
                AttrClass::Resource => 0xFA,
                AttrClass::Device => 0xFB,
            });
            write_len_prefixed(out, &utf16(name));
        }
        ExprToken::Op(op) => out.push(op.code()),
    }
    if out.len() > MAX_BYTES {
        return err(0, K::StreamTooLarge);
    }
    Ok(())
}

/// Reads a `u32` length and that many bytes at `p`, within `data`.
fn read_len_prefixed(data: &[u8], p: usize) -> Result<(&[u8], usize), ConditionError> {
    if data.len() < p + 4 {
        return err(
            p,
            K::Truncated {
                what: "token length",
            },
        );
    }
    let n = u32::from_le_bytes([data[p], data[p + 1], data[p + 2], data[p + 3]]) as usize;
    if n > data.len() - p - 4 {
        return err(
            p,
            K::LengthPastEnd {
                claimed: n,
                remaining: data.len() - p - 4,
            },
        );
    }
    Ok((&data[p + 4..p + 4 + n], 4 + n))
}

fn read_utf16(bytes: &[u8], at: usize) -> Result<String, ConditionError> {
    if bytes.len() % 2 != 0 {
        return err(at, K::OddUtf16Length);
    }
    let units: Vec<u16> = bytes
        .chunks_exact(2)
        .map(|c| u16::from_le_bytes([c[0], c[1]]))
        .collect();
    if units.contains(&0) {
        return err(at, K::NulInString);
    }
    String::from_utf16(&units).or_else(|_| err(at, K::InvalidUtf16 { what: "string" }))
}

/// Reads one token at `p`; returns it and the bytes it used.
fn read_token(data: &[u8], p: usize, depth: usize) -> Result<(ExprToken, usize), ConditionError> {
    if depth > MAX_DEPTH {
        return err(p, K::CompositeTooDeep { limit: MAX_DEPTH });
    }
    let code = data[p];
    let q = p + 1;
    match code {
        0x01..=0x04 => {
            if data.len() < q + 10 {
                return err(
                    p,
                    K::Truncated {
                        what: "integer token",
                    },
                );
            }
            let mut v = [0u8; 8];
            v.copy_from_slice(&data[q..q + 8]);
            let value = i64::from_le_bytes(v);
            let width = match code {
                0x01 => IntWidth::I8,
                0x02 => IntWidth::I16,
                0x03 => IntWidth::I32,
                _ => IntWidth::I64,
            };
            let fits = match width {
                IntWidth::I8 => i8::try_from(value).is_ok(),
                IntWidth::I16 => i16::try_from(value).is_ok(),
                IntWidth::I32 => i32::try_from(value).is_ok(),
                IntWidth::I64 => true,
            };
            if !fits {
                return err(p, K::IntegerTooWide { value });
            }
            let sign = match data[q + 8] {
                1 => IntSign::Positive,
                2 => IntSign::Negative,
                3 => IntSign::None,
                s => return err(q + 8, K::UnknownIntegerSign(s)),
            };
            let base = match data[q + 9] {
                1 => IntBase::Octal,
                2 => IntBase::Decimal,
                3 => IntBase::Hex,
                b => return err(q + 9, K::UnknownIntegerBase(b)),
            };
            Ok((
                ExprToken::Int {
                    value,
                    width,
                    sign,
                    base,
                },
                11,
            ))
        }
        0x10 | 0xF8..=0xFB => {
            let (bytes, used) = read_len_prefixed(data, q)?;
            let s = read_utf16(bytes, q + 4)?;
            let tok = match code {
                0x10 => ExprToken::String(s),
                0xF8 => ExprToken::Attr(AttrClass::Local, s),
                0xF9 => ExprToken::Attr(AttrClass::User, s),
                0xFA => ExprToken::Attr(AttrClass::Resource, s),
                _ => ExprToken::Attr(AttrClass::Device, s),
            };
            Ok((tok, 1 + used))
        }
        0x18 => {
            let (bytes, used) = read_len_prefixed(data, q)?;
            Ok((ExprToken::Octets(bytes.to_vec()), 1 + used))
        }
        0x51 => {
            let (bytes, used) = read_len_prefixed(data, q)?;
            let (sid, n) =
                Sid::from_bytes(bytes, q + 4).map_err(|e| ConditionError::new(q + 4, K::Sid(e)))?;
            if n != bytes.len() {
                return err(q, K::SidLengthMismatch);
            }
            Ok((ExprToken::Sid(sid), 1 + used))
        }
        0x50 => {
            let (bytes, used) = read_len_prefixed(data, q)?;
            let base = q + 4;
            let mut items = Vec::new();
            let mut i = 0;
            while i < bytes.len() {
                let (t, n) = read_token(&data[..base + bytes.len()], base + i, depth + 1)?;
                if !t.is_literal() {
                    return err(base + i, K::NonLiteralInComposite);
                }
                items.push(t);
                i += n;
            }
            Ok((ExprToken::Composite(items), 1 + used))
        }
        _ => match ExprOp::from_code(code) {
            Some(op) => Ok((ExprToken::Op(op), 1)),
            None => err(p, K::UnknownToken(code)),
        },
    }
}
