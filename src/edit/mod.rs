//! Every change a user can make is one [`Op`]. [`apply()`] checks it against the document, the
//! catalog and the actor's role, applies it and returns its inverse; [`History`] builds
//! undo/redo on top; [`describe()`] says what an op does, in words.

mod apply;
mod changed;
pub mod compose;
mod describe;
mod history;
mod op;

pub use apply::{Refusal, apply, apply_stamped, permit};
pub use changed::changed;
pub use describe::{describe, describe_in, sentence, sentence_in};
pub use history::History;
pub use op::{Actor, Op, Role, StatusRecord};
