//! Issue 25, points 6 and 8: names where people read. Status messages, the activity feed and
//! notices name needs (`N3 "Size a cold-climate heat…"`), competencies (`Name (framework:id)`)
//! and partners (their organisation's name); the partner list offers only the keys a role may
//! use; a long status message shows its start; at 120×40 each statement gets 30 columns; the
//! Markdown summary's matrix names its competencies.

use assert_cmd::Command;
use crossterm::event::KeyCode;
use microcred::edit::{Actor, Role};
use microcred::tui::app::Modal;

use crate::common;

use common::screen::{hub, key, keys, sam, screen, session, to_n3_mapping};

/// N3 as messages name it.
const N3: &str = "N3 \"Size a cold-climate heat…\"";
/// N3's competency as messages name it.
const HVAC: &str = "Size heat pumps with load calculations (building-retrofit:BR-HVAC-01)";

#[test]
fn messages_the_feed_and_notices_name_needs_competencies_and_partners() {
    let hub = hub("retrofit-gaps.yaml");
    let mut dana = session(&hub, Actor::designer("Dana"), 160, 45);
    let mut sam = session(&hub, sam(), 160, 45);
    // A partner's comment: their status message, the designer's notice and feed.
    to_n3_mapping(&mut sam);
    key(&mut sam, KeyCode::Char('c'));
    keys(&mut sam, "Level 3 covers cold-climate units");
    key(&mut sam, KeyCode::Enter);
    assert_eq!(sam.status.text, format!("Commented on {N3} → {HVAC}."));
    assert!(dana.sync());
    let notice = dana.notice_text().expect("a notice");
    assert!(
        notice.contains(&format!(
            "Sam at Brightwater commented on {N3} → {HVAC}: Level 3 covers"
        )),
        "{notice}"
    );
    assert!(screen(&dana).contains("● n jumps to: Sam at Brightwater commented on N3 \"Size"));
    let feed = &dana.activity.last().expect("in the feed").what;
    assert!(
        feed.starts_with(&format!("commented on {N3} → {HVAC}")),
        "{feed}"
    );
    // The designer answers: the partner's notice names the same.
    to_n3_mapping(&mut dana);
    key(&mut dana, KeyCode::Char('c'));
    keys(&mut dana, "Agreed, level 3");
    key(&mut dana, KeyCode::Enter);
    assert!(sam.sync());
    let told = &sam.notices.back().expect("Sam is told").what;
    assert!(
        told.starts_with(&format!("commented on {N3} → {HVAC}")),
        "{told}"
    );
    // A sign-off names the partner's organisation, not its id.
    key(&mut sam, KeyCode::Char('S'));
    key(&mut sam, KeyCode::Char('y'));
    assert!(
        sam.status
            .text
            .contains("sign-off of the design for Brightwater Mechanical"),
        "{:?}",
        sam.status
    );
    // Undo names what it undid.
    key(&mut dana, KeyCode::Char('u'));
    assert_eq!(
        dana.status.text,
        format!("Undone: commented on {N3} → {HVAC}.")
    );
}

#[test]
fn the_partner_list_offers_only_what_the_role_may_do() {
    let hub = hub("retrofit-gaps.yaml");
    let viewer = Actor {
        name: "Vic".into(),
        role: Role::Viewer,
    };
    for (who, may) in [
        (Actor::designer("Dana"), true),
        (sam(), false),
        (viewer, false),
    ] {
        let mut s = session(&hub, who, 120, 40);
        key(&mut s, KeyCode::Char('O'));
        assert!(matches!(s.front(), Some(Modal::Partners(_))));
        let shown = screen(&s);
        let title = shown
            .lines()
            .find(|l| l.contains("Partners ·"))
            .expect("the list's title");
        for hint in ["edit", "d delete", "a add"] {
            assert_eq!(title.contains(hint), may, "{hint}: {title}");
        }
        assert!(title.contains("Esc close"), "{title}");
        // The hint bar below says the same.
        let hint = shown.lines().rev().nth(1).expect("the hint line");
        assert_eq!(hint.contains("delete"), may, "{hint}");
        assert_eq!(hint.contains("a add"), may, "{hint}");
    }
}

/// The needs pane at 120×40 leaves each statement at least 30 columns beside its status,
/// priority, id and support column (it used to leave 17).
#[test]
fn at_120x40_each_statement_gets_30_columns() {
    let hub = hub("retrofit-evidence.yaml");
    let dana = session(&hub, Actor::designer("Dana"), 120, 40);
    assert!(dana.support_cols() > 0, "the support column is shown");
    let pane = dana.areas().needs.width as usize;
    let s = screen(&dana);
    let mut seen = 0;
    for line in s.lines() {
        let row: Vec<char> = line.chars().take(pane).collect();
        let row: String = row.into_iter().collect();
        // A need's first row: "… N12 statement…│".
        let Some(at) = row.find(" N").filter(|&i| {
            row[i + 2..]
                .split(' ')
                .next()
                .is_some_and(|id| !id.is_empty() && id.chars().all(|c| c.is_ascii_digit()))
        }) else {
            continue;
        };
        let id_end = row[at + 1..].find(' ').map_or(row.len(), |k| at + 1 + k);
        let start = row[..id_end].chars().count() + 1;
        let room = pane - 1 - start;
        assert!(room >= 30, "{room} columns in {line:?}");
        seen += 1;
    }
    assert!(seen >= 5, "{s}");
}

/// A message too long for the status line shows its start on the first line and ends its
/// second with `…` and the key that shows it whole, with the file still in view.
#[test]
fn a_long_status_message_shows_its_start() {
    let hub = hub("retrofit-gaps.yaml");
    let mut sam = session(&hub, sam(), 80, 24);
    let long = format!(
        "Start of the message: {}end of the message.",
        "a long explanation of what happened and what to do next, ".repeat(4)
    );
    sam.info(long);
    let s = screen(&sam);
    let rows: Vec<&str> = s.lines().collect();
    let (first, second) = (rows[22], rows[23]);
    assert!(first.starts_with("Start of the message:"), "{s}");
    assert!(
        second.contains("… (") && second.contains("to read all"),
        "{s}"
    );
    assert!(second.contains("retrofit-gaps.yaml"), "{s}");
    assert!(!s.contains("end of the message"), "{s}");
}

/// The Markdown summary's matrix heads each column with the competency's name and reference;
/// partners' agreements name the competency too.
#[test]
fn the_markdown_matrix_names_its_competencies() {
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/retrofit-gaps.yaml");
    let out = Command::cargo_bin("microcred")
        .unwrap()
        .env_remove("MICROCRED_FRAMEWORKS")
        .args(["export", "--force", "--format", "markdown", example])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let md = String::from_utf8(out).unwrap();
    let head = md
        .lines()
        .find(|l| l.starts_with("| Need | Priority | Coverage |"))
        .expect("the grid");
    assert!(
        head.contains(&format!(" {HVAC} |")),
        "the column of BR-HVAC-01: {head}"
    );
    assert!(!head.contains("`BR-HVAC-01`"), "{head}");
    // Issue 25, point 8: "Who it is for" names every partner with needs, the community
    // partner too.
    let who = md
        .lines()
        .find(|l| l.starts_with("Learners preparing for the work that"))
        .expect("who it is for");
    for p in [
        "Coastline Home Energy Services",
        "Brightwater Mechanical",
        "Northshore Housing Co-operative",
    ] {
        assert!(who.contains(p), "{p}: {who}");
    }
    let agreed = md
        .lines()
        .find(|l| l.starts_with("- **Brightwater Mechanical**"))
        .expect("Brightwater's line");
    assert!(
        agreed
            .contains("N8 → Manage permits, inspections and rebates (building-retrofit:BR-REG-02)"),
        "{agreed}"
    );
}
