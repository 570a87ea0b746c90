//! Pure functions on text that several parts share and that know nothing of the document:
//! the bounded edit distance behind "did you mean" hints and typo-tolerant suggestions, and how
//! competencies, partners and needs are named where people read (`names`).

pub mod distance;
pub mod names;
