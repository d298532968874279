//! The self-relative binary form of a security descriptor (MS-DTYP 2.4.6).
//!
//! Layout: a 20-byte header (revision, `Sbz1`, control, four offsets), then
//! the SACL, DACL, owner and group, in that order, as Windows'
//! `RtlMakeSelfRelativeSD` writes them (checked against every `sddl_to_bytes`
//! conformance vector). Decoding validates every offset and length and
//! rejects parts that overlap the header or each other.

mod decode;
mod encode;
mod format;
mod sddl_carried;
mod text;

pub use decode::decode;
pub use encode::encode;
pub use format::BinaryError;
pub use sddl_carried::sddl_carried;
pub use text::{from_base64, from_hex, to_hex};
