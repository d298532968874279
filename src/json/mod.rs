//! The JSON forms of tokens, descriptors, access masks, generic mappings,
//! claims and object-type lists, shared by `secctx check` and the fixtures.
//!
//! Reading is in two steps. Serde reads the structure (unknown fields are
//! errors); then each form is *resolved* against
//! [`Names`](crate::json::Names) (the domain SID and friendly principal
//! names), which turns strings into SIDs, rights and levels. Every error
//! names the JSON path of the offending value, e.g.
//! `token.groups[2].attributes: unknown group attribute \`enabeld\``.
//!
//! The parts: `read` (the error type, the JSON path helpers,
//! [`Names`](crate::json::Names) and the string-or-object form every spec
//! shares), `mask` (masks and bit sets), `token` (tokens, groups and
//! privileges), `claims`, `descriptor` (descriptors, mappings and
//! object-type lists), `vocab` (the closed vocabularies: statuses, levels,
//! object types, ...) and `schema` (the JSON Schema of each form).

mod claims;
mod descriptor;
mod mask;
mod object_info;
mod read;
mod schema;
mod token;
mod token_copy;
mod token_info;
mod uac;
mod vocab;

pub use claims::{ClaimFull, ClaimSpec};
pub use descriptor::{
    acl_from_sddl, object_types, DescriptorFull, DescriptorSpec, MappingFull, MappingSpec,
    ObjectTypeSpec,
};
pub use mask::{Bits, BitsItem};
pub use object_info::ObjectInfoClass;
pub use read::{field, from_json, index, Names, SpecError, StrOr};
pub use schema::{anchored, any_case, string_pattern};
pub use token::{GroupFull, GroupSpec, PrivilegeFull, PrivilegeSpec, TokenSpec};
pub use token_copy::RestrictFlagName;
pub use token_info::InfoClassName;
pub use uac::ElevationName;
pub use vocab::{
    ApiName, ExpectedLevel, HandleRef, IntegrityName, KindName, LevelName, Parts, PrivilegeName,
    StatusName, TokenTypeName, Win32ErrorName,
};
