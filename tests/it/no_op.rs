//! Issue 25, point 4: a change that leaves the design as it was is no change: no version, no
//! activity line, nothing journaled, no stale sign-off, nothing to undo.

use crate::common;

use microcred::document::Hub;
use microcred::edit::{Actor, Op, Role};
use microcred::model::MappingStatus;
use microcred::model::signoff::SignOffState;

use common::screen::{example, keys, session};

#[test]
fn agreeing_to_an_agreed_mapping_or_saving_an_unchanged_need_changes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("w.yaml");
    let (ws, cat) = example("retrofit-gaps.yaml");
    std::fs::write(&path, microcred::document::workspace_to_string(&ws)).expect("write");
    let hub = Hub::open(ws, cat, Some(path.clone()));
    let org = "brightwater-mechanical";
    let sam_actor = Actor {
        name: "Sam at Brightwater".into(),
        role: Role::Partner(org.into()),
    };
    let mut sam = session(&hub, sam_actor, 120, 40);
    sam = sam.with_session(microcred::tui::app::SessionOptions {
        key: Some("SHA256:testkey".into()),
        ..Default::default()
    });
    keys(&mut sam, "S");
    keys(&mut sam, "y");
    let signed = hub.snapshot();
    assert!(signed.report.sign_offs.iter().all(|g| g.partner != org));
    let (version, seq) = (hub.version(), hub.activity_since(0).len());
    let journal = microcred::document::journal::path_for(&path);
    let journaled = std::fs::read(&journal).unwrap_or_default();

    // N8's mapping is agreed already: Sam agrees again.
    let m = signed
        .ws
        .mappings
        .iter()
        .find(|m| m.need == "N8")
        .expect("N8's mapping")
        .clone();
    assert_eq!(m.status, MappingStatus::Agreed);
    let again = Op::SetMappingStatus {
        need: m.need.clone(),
        competency: m.competency.clone(),
        status: MappingStatus::Agreed,
        agreed_by: m.agreed_by.clone(),
        reason: None,
        record: None,
    };
    // A designer agreeing again (with the same agreed-by) and a need saved as it was.
    let mut dee = session(&hub, Actor::designer("dee"), 120, 40);
    assert!(dee.apply(again, ""));
    assert_eq!(
        dee.status.text,
        "Nothing changed: the design is already so."
    );
    let need = signed.ws.needs[0].clone();
    assert!(dee.apply(
        Op::UpdateNeed {
            id: need.id.clone(),
            need
        },
        ""
    ));

    assert_eq!(hub.version(), version, "no new version");
    assert_eq!(hub.activity_since(0).len(), seq, "no activity line");
    assert_eq!(
        std::fs::read(&journal).unwrap_or_default(),
        journaled,
        "nothing journaled"
    );
    let now = hub.snapshot();
    assert_eq!(*now.ws, *signed.ws, "the record of who agreed stays");
    assert!(
        now.report
            .sign_offs
            .iter()
            .all(|g| g.partner != org || g.state != SignOffState::Stale),
        "the sign-off is still current"
    );
    // Nothing to undo for the designer.
    keys(&mut dee, "u");
    assert_eq!(hub.version(), version);
}
