//! The activity log: recent changes by everyone (who, what in words, when, and where it
//! leads), kept by the [`Hub`](super::Hub) in memory, bounded, and shared by every session.
//! A partner's dispute, rejection or comment is marked as a notice for designers.

use std::collections::VecDeque;

use crate::edit::{Actor, Op, Role};
use crate::model::MappingStatus;
use crate::text::names::{self, Names, Unnamed};

/// How many changes the log keeps (the oldest go first).
pub const MAX_ACTIVITY: usize = 200;

/// Most characters of quoted text (a statement, a comment) in a line of the log.
const QUOTE: usize = 80;

/// Where an activity item leads in the editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Need(String),
    /// A need's mapping to a competency.
    Mapping(String, String),
    Partner(String),
    Competency(String),
    Credential,
    /// Gone (removed), so nowhere to go.
    Nothing,
}

/// One change, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Activity {
    /// Its place in the log: 1 for the first change, counting up.
    pub seq: u64,
    /// When (RFC 3339 UTC).
    pub at: String,
    /// Who made it (the actor's name) and in what role.
    pub who: String,
    pub role: Role,
    /// What happened, in words, naming needs, partners and competencies (`disputed N3 "Size
    /// the unit" → Install heat pumps (esco:6575ae00…): too basic`), escaped for a terminal.
    pub what: String,
    pub target: Target,
    /// A partner disputed, rejected or commented: designers get a notice.
    pub notice: bool,
    /// What kind of change it is, for the notices partners get.
    pub about: About,
}

/// The kinds of change partners get notices of (by whom and on which need is left to the
/// session, which knows its partner).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum About {
    /// A vote opened or closed.
    Vote,
    /// A mapping was added.
    NewMapping,
    /// A mapping's status changed or it got a comment.
    Review,
    Other,
}

/// What kind of change `op` is (a batch: its first op of a kind partners hear of).
fn about(op: &Op) -> About {
    match op {
        Op::OpenVote { .. } | Op::SetVoteClosed { .. } => About::Vote,
        Op::InsertMapping { .. } => About::NewMapping,
        Op::SetMappingStatus { .. } | Op::AddComment { .. } => About::Review,
        Op::Batch { ops } => ops
            .iter()
            .map(about)
            .find(|a| *a != About::Other)
            .unwrap_or(About::Other),
        _ => About::Other,
    }
}

impl Activity {
    /// The item for `actor` applying `op` at `now`, unless the op carries its own time (a
    /// status record, a comment), naming what it touches from `names` (the version the op is
    /// applied to); numbered when pushed onto a [`Log`].
    pub fn of(actor: &Actor, op: &Op, now: &str, names: &dyn Names) -> Activity {
        let (what, target, at) = describe(op, names);
        Activity {
            seq: 0,
            at: at.unwrap_or_else(|| now.to_string()),
            who: actor.name.clone(),
            role: actor.role.clone(),
            what: crate::problem::visible(what),
            target,
            notice: matches!(actor.role, Role::Partner(_)) && is_review(op),
            about: about(op),
        }
    }
}

/// The bounded log.
#[derive(Debug, Default)]
pub struct Log {
    items: VecDeque<Activity>,
    last: u64,
}

impl Log {
    /// Record that `actor` applied `op` at `now` (see [`Activity::of`]), by ids.
    pub fn record(&mut self, actor: &Actor, op: &Op, now: &str) {
        self.push(Activity::of(actor, op, now, &Unnamed));
    }

    /// Add an item, numbering it after the newest.
    pub fn push(&mut self, mut item: Activity) {
        self.last += 1;
        item.seq = self.last;
        self.items.push_back(item);
        while self.items.len() > MAX_ACTIVITY {
            self.items.pop_front();
        }
    }

    /// The sequence number of the newest item (0 before any change).
    pub fn last(&self) -> u64 {
        self.last
    }

    /// The items after `seq`, oldest first.
    pub fn since(&self, seq: u64) -> Vec<Activity> {
        let skip = self.items.partition_point(|a| a.seq <= seq);
        self.items.range(skip..).cloned().collect()
    }
}

/// A dispute, a rejection or a comment (alone or in a batch).
fn is_review(op: &Op) -> bool {
    match op {
        Op::SetMappingStatus { status, .. } => {
            matches!(status, MappingStatus::Disputed | MappingStatus::Rejected)
        }
        Op::AddComment { .. } => true,
        Op::Batch { ops } => ops.iter().any(is_review),
        _ => false,
    }
}

/// `text` cut to [`QUOTE`] characters, on one line.
fn quote(text: &str) -> String {
    let flat: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let flat = flat.trim();
    if flat.chars().count() <= QUOTE {
        flat.to_string()
    } else {
        let cut: String = flat.chars().take(QUOTE - 1).collect();
        format!("{cut}…")
    }
}

/// How much an op says about a batch it is in: the batch is told by its weightiest op.
fn weight(op: &Op) -> u8 {
    match op {
        Op::SetMappingStatus { .. } => 9,
        Op::AddComment { .. } => 8,
        Op::RemovePartner { .. } | Op::InsertPartner { .. } => 7,
        Op::InsertMapping { .. } => 6,
        Op::RemoveNeed { .. } | Op::InsertNeed { .. } => 5,
        Op::UpdateMapping { .. } => 4,
        Op::Batch { .. } => 0,
        _ => 1,
    }
}

/// What `op` does, in words, naming from `names`; where it leads; its own time, if it carries
/// one.
pub fn describe(op: &Op, names: &dyn Names) -> (String, Target, Option<String>) {
    let target = |n: &str, c: &str| Target::Mapping(n.to_string(), c.to_string());
    let partner = |id: &str| names::partner_in(names, id).to_string();
    let mapping = |n: &str, c: &str| names::mapping_in(names, n, c);
    let competency = |r: &str| names::competency_in(names, r);
    match op {
        Op::InsertPartner { partner: p, .. } => (
            format!("added partner {} ({})", p.id, quote(&p.name)),
            Target::Partner(p.id.clone()),
            None,
        ),
        Op::UpdatePartner { id, partner: p } => (
            format!("edited partner {}", partner(id)),
            Target::Partner(p.id.clone()),
            None,
        ),
        Op::RemovePartner { id } => (
            format!("deleted partner {}", partner(id)),
            Target::Nothing,
            None,
        ),
        Op::InsertNeed { need, .. } => (
            format!("added need {}: {}", need.id, quote(&need.statement)),
            Target::Need(need.id.clone()),
            None,
        ),
        Op::UpdateNeed { id, need } => (
            format!("edited need {}", names::need_in(names, id)),
            Target::Need(need.id.clone()),
            None,
        ),
        Op::RemoveNeed { id } => (
            format!("deleted need {}", names::need_in(names, id)),
            Target::Nothing,
            None,
        ),
        Op::SetCredential { .. } => ("edited the credential".into(), Target::Credential, None),
        // Which need a dot went on is left out: a hidden tally stays hidden from the feed.
        Op::PlaceDot { dot, .. } => (
            format!("placed a dot for {}", partner(&dot.partner)),
            Target::Nothing,
            None,
        ),
        Op::RemoveDot { partner: p, .. } => (
            format!("took back a dot of {}", partner(p)),
            Target::Nothing,
            None,
        ),
        Op::InsertPosting { .. }
        | Op::RemovePosting { .. }
        | Op::OpenVote { .. }
        | Op::RemoveVote {}
        | Op::SetVoteClosed { .. } => (crate::edit::describe_in(op, names), Target::Nothing, None),
        Op::SetCredentialId { .. } | Op::SetSignOff { .. } => (
            crate::edit::describe_in(op, names),
            Target::Credential,
            None,
        ),
        Op::InsertCompetency { competency: c, .. } => (
            format!("added {} to the credential", competency(&c.reference)),
            Target::Competency(c.reference.clone()),
            None,
        ),
        Op::UpdateCompetency { reference, .. } => (
            format!("edited {}", competency(reference)),
            Target::Competency(reference.clone()),
            None,
        ),
        Op::RemoveCompetency { reference } => (
            format!("dropped {} from the credential", competency(reference)),
            Target::Nothing,
            None,
        ),
        Op::InsertMapping { mapping: m, .. } => (
            format!("mapped {}", mapping(&m.need, &m.competency)),
            target(&m.need, &m.competency),
            None,
        ),
        Op::UpdateMapping {
            need, competency, ..
        } => (
            format!("edited mapping {}", mapping(need, competency)),
            target(need, competency),
            None,
        ),
        Op::RemoveMapping { need, competency } => (
            format!("deleted mapping {}", mapping(need, competency)),
            Target::Need(need.clone()),
            None,
        ),
        Op::SetMappingStatus {
            need,
            competency,
            status,
            reason,
            record,
            ..
        } => {
            let verb = match status {
                MappingStatus::Proposed => "set back to proposed",
                MappingStatus::Agreed => "agreed",
                MappingStatus::Disputed => "disputed",
                MappingStatus::Rejected => "rejected",
            };
            let why = reason
                .as_deref()
                .map_or(String::new(), |r| format!(": {}", quote(r)));
            (
                format!("{verb} {}{why}", mapping(need, competency)),
                target(need, competency),
                record.as_ref().and_then(|r| r.at.clone()),
            )
        }
        Op::AddComment {
            need,
            competency,
            comment,
            ..
        } => (
            format!(
                "commented on {}: {}",
                mapping(need, competency),
                quote(&comment.text)
            ),
            target(need, competency),
            Some(comment.at.clone()).filter(|a| !a.is_empty()),
        ),
        Op::RemoveComment {
            need, competency, ..
        } => (
            format!("removed a comment on {}", mapping(need, competency)),
            target(need, competency),
            None,
        ),
        Op::Batch { ops } => {
            let Some(main) = ops.iter().max_by_key(|o| weight(o)) else {
                return ("changed nothing".into(), Target::Nothing, None);
            };
            let (mut what, target, at) = describe(main, names);
            if ops.len() > 1 {
                what.push_str(&format!(" (+{} more)", ops.len() - 1));
            }
            (what, target, at)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::StatusRecord;
    use crate::model::Comment;

    fn partner() -> Actor {
        Actor {
            name: "Sam".into(),
            role: Role::Partner("acme".into()),
        }
    }

    fn dispute(reason: &str) -> Op {
        Op::SetMappingStatus {
            need: "N1".into(),
            competency: "f:c".into(),
            status: MappingStatus::Disputed,
            agreed_by: None,
            reason: Some(reason.into()),
            record: Some(StatusRecord::new("Sam", "2026-11-28T10:00:00Z")),
        }
    }

    #[test]
    fn a_partners_dispute_is_a_notice_with_its_reason_time_and_target() {
        let mut log = Log::default();
        log.record(&partner(), &dispute("too basic"), "now");
        let a = &log.since(0)[0];
        assert_eq!(a.what, "disputed N1 → f:c: too basic");
        assert_eq!(a.at, "2026-11-28T10:00:00Z");
        assert_eq!(a.target, Target::Mapping("N1".into(), "f:c".into()));
        assert!(a.notice);
        // The same change by a designer tells nobody.
        log.record(&Actor::designer("Dee"), &dispute("x"), "now");
        assert!(!log.since(1)[0].notice);
    }

    #[test]
    fn comments_are_notices_and_edits_are_not() {
        let mut log = Log::default();
        let comment = Op::AddComment {
            need: "N1".into(),
            competency: "f:c".into(),
            at: 0,
            comment: Comment {
                by: "Sam".into(),
                at: "t".into(),
                text: "line\nbreak".into(),
            },
        };
        log.record(&partner(), &comment, "now");
        log.record(&partner(), &Op::RemoveNeed { id: "N1".into() }, "now");
        let items = log.since(0);
        assert!(items[0].notice && !items[1].notice);
        assert_eq!(items[0].what, "commented on N1 → f:c: line break");
        assert_eq!(items[1].at, "now");
    }

    /// Names for the tests: need N1, partner acme (with an escape sequence), competency f:c.
    const NAMED: names::One = names::One {
        need: ("N1", "Wire the outdoor unit to its own breaker"),
        partner: ("acme", "Acme \u{1b}]2;x\u{7}Grocers"),
        competency: ("f:c", "Install heat pumps"),
    };

    #[test]
    fn items_name_needs_partners_and_competencies_escaped() {
        let a = Activity::of(&partner(), &dispute("too basic"), "now", &NAMED);
        assert_eq!(
            a.what,
            "disputed N1 \"Wire the outdoor unit to…\" → Install heat pumps (f:c): too basic"
        );
        let dot = Op::RemoveDot {
            need: "N1".into(),
            partner: "acme".into(),
            competency: None,
        };
        let a = Activity::of(&partner(), &dot, "now", &NAMED);
        assert_eq!(a.what, "took back a dot of Acme \\u{1B}]2;x\\u{7}Grocers");
    }

    #[test]
    fn the_log_is_bounded_and_since_skips_what_was_seen() {
        let mut log = Log::default();
        for _ in 0..MAX_ACTIVITY + 5 {
            log.record(&partner(), &Op::RemoveNeed { id: "N".into() }, "t");
        }
        assert_eq!(log.last(), MAX_ACTIVITY as u64 + 5);
        assert_eq!(log.since(0).len(), MAX_ACTIVITY);
        assert_eq!(log.since(0)[0].seq, 6);
        let tail = log.since(log.last() - 2);
        assert_eq!(tail.len(), 2);
        assert_eq!(tail[1].seq, log.last());
    }

    #[test]
    fn a_batch_is_told_by_its_weightiest_change() {
        let op = Op::Batch {
            ops: vec![
                Op::RemoveNeed { id: "N1".into() },
                Op::RemovePartner { id: "acme".into() },
            ],
        };
        let (what, target, _) = describe(&op, &Unnamed);
        assert_eq!(what, "deleted partner acme (+1 more)");
        assert_eq!(target, Target::Nothing);
        assert_eq!(quote(&"x".repeat(200)).chars().count(), QUOTE);
    }
}
