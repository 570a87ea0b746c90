pub mod search;
pub mod suggest;
