//! Descriptors: ACEs, ACLs, security descriptors, their SDDL and
//! self-relative binary forms, conditional expressions and claims.
//!
//! May import: [`crate::ids`].

/// The shared half of an error that is a kind at a byte offset, in the style
/// of the `semver` crate: a crate-private `new`, the `offset()` and `kind()`
/// accessors, and `Display` as the kind's message then ` at offset N`. The
/// kind's own `Display` holds the messages.
macro_rules! offset_error {
    ($error:ident, $kind:ident, $offset_doc:literal) => {
        impl $error {
            pub(crate) fn new(offset: usize, kind: $kind) -> $error {
                $error { offset, kind }
            }

            #[doc = $offset_doc]
            pub fn offset(&self) -> usize {
                self.offset
            }

            /// What went wrong.
            pub fn kind(&self) -> &$kind {
                &self.kind
            }
        }

        impl std::fmt::Display for $error {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{} at offset {}", self.kind, self.offset)
            }
        }
    };
}

pub(crate) mod ace;
pub(crate) mod acl;
pub(crate) mod binary;
pub(crate) mod claims;
pub(crate) mod condition;
pub(crate) mod sd;
pub(crate) mod sddl;
pub(crate) mod upcase;

/// What a text parser found where it wanted something else, for messages:
/// the character in backticks, or "the end of the input".
pub(crate) struct Found(pub(crate) Option<char>);

impl std::fmt::Display for Found {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            None => f.write_str("the end of the input"),
            Some(c) => write!(f, "`{c}`"),
        }
    }
}
