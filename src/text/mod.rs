//! Pure functions on text that several parts share and that know nothing of the document:
//! the bounded edit distance behind "did you mean" hints and typo-tolerant suggestions.

pub mod distance;
