//! Identifiers: the bottom layer. SIDs, GUIDs, access masks with their right
//! names and codes, generic mappings, privileges and NTSTATUS codes.
//!
//! Nothing here imports anything else of the crate.

pub(crate) mod ds_schema;
pub(crate) mod guid;
pub(crate) mod mask;
pub(crate) mod privilege;
pub(crate) mod right_names;
pub(crate) mod rights;
pub(crate) mod sid;
pub(crate) mod status;
