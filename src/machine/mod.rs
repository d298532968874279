//! The simulated machine: processes, threads, impersonation, handles, the
//! object namespace and the token API, as methods of [`World`](world::World).
//!
//! May import: [`crate::eval`] and everything below it.

pub(crate) mod access_check_call;
pub(crate) mod error;
pub(crate) mod world;

mod events;
pub(crate) mod handles;
mod impersonation;
pub(crate) mod ntfs;
pub(crate) mod object_types;
mod objects;
mod processes;
mod security;
mod store;
pub(crate) mod token_adjust;
pub(crate) mod token_copy;
pub(crate) mod token_info;
mod token_ops;
mod uac;
