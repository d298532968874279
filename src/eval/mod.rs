//! Evaluation: the AccessCheck family with its explanation, the independent
//! reference evaluator, and inheritance (the descriptor a new object gets).
//!
//! May import: [`crate::token`], [`crate::descriptor`], [`crate::ids`].

pub(crate) mod access;
pub(crate) mod inherit;
pub(crate) mod reference;
