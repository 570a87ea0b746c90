use super::apply::{Refusal, apply};
use super::op::{Actor, Op};
use crate::catalog::Catalog;
use crate::model::Workspace;

/// Undo and redo stacks of inverse ops.
#[derive(Debug, Clone, Default)]
pub struct History {
    undo: Vec<Op>,
    redo: Vec<Op>,
}

impl History {
    /// Apply `op` and remember how to undo it.
    pub fn apply(
        &mut self,
        ws: &mut Workspace,
        catalog: &Catalog,
        actor: &Actor,
        op: Op,
    ) -> Result<(), Refusal> {
        let inverse = apply(ws, catalog, actor, op)?;
        self.undo.push(inverse);
        self.redo.clear();
        Ok(())
    }

    /// Undo the last change; `Ok(false)` when there is nothing to undo.
    pub fn undo(
        &mut self,
        ws: &mut Workspace,
        catalog: &Catalog,
        actor: &Actor,
    ) -> Result<bool, Refusal> {
        let Some(op) = self.undo.pop() else {
            return Ok(false);
        };
        match apply(ws, catalog, actor, op.clone()) {
            Ok(inverse) => {
                self.redo.push(inverse);
                Ok(true)
            }
            Err(e) => {
                self.undo.push(op);
                Err(e)
            }
        }
    }

    /// Redo the last undone change; `Ok(false)` when there is nothing to redo.
    pub fn redo(
        &mut self,
        ws: &mut Workspace,
        catalog: &Catalog,
        actor: &Actor,
    ) -> Result<bool, Refusal> {
        let Some(op) = self.redo.pop() else {
            return Ok(false);
        };
        match apply(ws, catalog, actor, op.clone()) {
            Ok(inverse) => {
                self.undo.push(inverse);
                Ok(true)
            }
            Err(e) => {
                self.redo.push(op);
                Err(e)
            }
        }
    }

    /// How many changes can be undone.
    pub fn undo_len(&self) -> usize {
        self.undo.len()
    }

    /// How many changes can be redone.
    pub fn redo_len(&self) -> usize {
        self.redo.len()
    }
}
