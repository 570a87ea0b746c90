//! Access: what this session's role and the copy it has may do, checked in one place.

use super::*;

impl App {
    /// Whether this person's role allows `cmd` at all (whatever is selected): what help and
    /// the palette offer.
    pub fn role_allows(&self, cmd: Cmd) -> bool {
        match cmd.access() {
            Access::Read => true,
            _ if self.read_only.is_some() => false,
            access => match &self.actor.role {
                Role::Designer => true,
                Role::Viewer => false,
                Role::Partner(_) => access != Access::Design,
            },
        }
    }

    /// Whether this person may run `cmd` now, on what is selected; else why not, in words
    /// that say what to do instead.
    pub fn permits(&self, cmd: Cmd) -> Result<(), String> {
        let access = cmd.access();
        if access == Access::Read {
            return Ok(());
        }
        if let Some(why) = &self.read_only {
            return Err(format!("This copy is read-only: {why}"));
        }
        let org = match &self.actor.role {
            Role::Designer => return Ok(()),
            Role::Viewer if matches!(cmd, Cmd::PlaceDot | Cmd::RemoveDot) => {
                return Err(
                    "Viewers follow the design and the vote but cannot vote; partners place the dots.".into(),
                );
            }
            Role::Viewer => {
                return Err("Viewers follow the design; ask a designer to change it.".into());
            }
            Role::Partner(org) => org,
        };
        let for_designers = || {
            format!(
                "Partners review their own organisation's needs and mappings; ask a designer to {}.",
                cmd.label()
            )
        };
        match access {
            Access::Read | Access::Change => Ok(()),
            Access::Design => Err(for_designers()),
            Access::OwnNeeds => {
                if cmd == Cmd::AddNeed {
                    return Ok(());
                }
                if self.focus == Focus::Mappings && matches!(cmd, Cmd::Edit | Cmd::Delete) {
                    return Err(for_designers());
                }
                let Some(n) = self.selected_need() else {
                    return Ok(()); // the command itself says what to select
                };
                if &n.partner != org {
                    let owner = self
                        .ws
                        .partner(&n.partner)
                        .map_or(n.partner.as_str(), |p| &p.name);
                    return Err(format!(
                        "{} is {owner}'s need; partners work only on {}'s needs.",
                        n.id,
                        self.partner_name(org)
                    ));
                }
                if cmd == Cmd::Delete && !self.derived.mappings(&n.id).is_empty() {
                    return Err(format!(
                        "{} has mappings; ask a designer to remove it with them.",
                        n.id
                    ));
                }
                Ok(())
            }
        }
    }

    /// Ask the change gate, if any, for one change.
    pub(super) fn may_change(&mut self) -> Result<(), String> {
        self.session
            .change_gate
            .as_mut()
            .map_or(Ok(()), |gate| gate())
    }
}
