//! Evaluation of conditional expressions (MS-DTYP 2.4.4.17.5 to 2.4.4.17.8).

/// The three-valued result of a condition.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, serde::Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Tristate {
    /// The condition holds.
    True,
    /// The condition does not hold.
    False,
    /// The condition could not be decided (a missing attribute, a type
    /// mismatch or a malformed expression).
    Unknown,
}
