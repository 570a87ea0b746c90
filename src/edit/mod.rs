//! Every change a user can make is one [`Op`]. [`apply()`] checks it against the document, the
//! catalog and the actor's role, applies it and returns its inverse; [`History`] builds
//! undo/redo on top.

mod apply;
mod history;
mod op;

pub use apply::{Refusal, apply};
pub use history::History;
pub use op::{Actor, Op, Role, StatusRecord};
