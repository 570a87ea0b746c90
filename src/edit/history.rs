use super::apply::{Refusal, apply};
use super::op::{Actor, Op};
use crate::model::Catalog;
use crate::model::Workspace;

/// Undo and redo stacks of inverse ops.
#[derive(Debug, Clone, Default)]
pub struct History {
    undo: Vec<Op>,
    redo: Vec<Op>,
}

type Applier<'a> = dyn FnMut(Op) -> Result<Op, Refusal> + 'a;

impl History {
    /// Apply `op` to `ws` and remember how to undo it.
    pub fn apply(
        &mut self,
        ws: &mut Workspace,
        catalog: &Catalog,
        actor: &Actor,
        op: Op,
    ) -> Result<(), Refusal> {
        let inverse = apply(ws, catalog, actor, op)?;
        self.record(inverse);
        Ok(())
    }

    /// Remember the inverse of a change just made elsewhere (e.g. through the Hub).
    pub fn record(&mut self, inverse: Op) {
        self.undo.push(inverse);
        self.redo.clear();
    }

    /// Undo the last change on `ws`; `Ok(false)` when there is nothing to undo.
    pub fn undo(
        &mut self,
        ws: &mut Workspace,
        catalog: &Catalog,
        actor: &Actor,
    ) -> Result<bool, Refusal> {
        self.undo_with(&mut |op| apply(ws, catalog, actor, op))
    }

    /// Redo the last undone change on `ws`; `Ok(false)` when there is nothing to redo.
    pub fn redo(
        &mut self,
        ws: &mut Workspace,
        catalog: &Catalog,
        actor: &Actor,
    ) -> Result<bool, Refusal> {
        self.redo_with(&mut |op| apply(ws, catalog, actor, op))
    }

    /// Undo the last change through `apply`; `Ok(false)` when there is nothing to undo.
    pub fn undo_with(&mut self, apply: &mut Applier<'_>) -> Result<bool, Refusal> {
        step(&mut self.undo, &mut self.redo, apply)
    }

    /// Redo the last undone change through `apply`; `Ok(false)` when there is nothing to redo.
    pub fn redo_with(&mut self, apply: &mut Applier<'_>) -> Result<bool, Refusal> {
        step(&mut self.redo, &mut self.undo, apply)
    }

    /// The change an undo would make now (the inverse of the last change), if any.
    pub fn next_undo(&self) -> Option<&Op> {
        self.undo.last()
    }

    /// The change a redo would make now, if any.
    pub fn next_redo(&self) -> Option<&Op> {
        self.redo.last()
    }

    /// How many changes can be undone.
    pub fn undo_len(&self) -> usize {
        self.undo.len()
    }
}

/// Take the newest op from `from`, apply it, and push its inverse onto `to`; on refusal the op
/// stays where it was.
fn step(from: &mut Vec<Op>, to: &mut Vec<Op>, apply: &mut Applier<'_>) -> Result<bool, Refusal> {
    let Some(op) = from.pop() else {
        return Ok(false);
    };
    match apply(op.clone()) {
        Ok(inverse) => {
            to.push(inverse);
            Ok(true)
        }
        Err(e) => {
            from.push(op);
            Err(e)
        }
    }
}
