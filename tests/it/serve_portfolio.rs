//! `microcred serve PORTFOLIO.yaml`: the portfolio view over SSH, driven by in-process russh
//! clients read through a vt100 parser, and once end to end with the real OpenSSH client in
//! tmux. Enter opens a credential's served editor on the same connection with the person's
//! role, people who open the same credential share one hub, Esc comes back, and the findings
//! follow the credentials' changes.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use microcred::model::MappingStatus;
use microcred::serve::{self, Limits};
use russh::keys::PrivateKey;

use crate::common;
use common::client::{Screen, key, publine};

const FILES: [&str; 4] = [
    "heat-pump-portfolio.yaml",
    "heat-pump-fundamentals.yaml",
    "heat-pump-installation.yaml",
    "heat-pump-service.yaml",
];

/// A copy of the bundled example portfolio and its three designs in a folder of its own.
fn portfolio_copy() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let from = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/portfolio");
    for f in FILES {
        std::fs::copy(from.join(f), dir.path().join(f)).expect("copy");
    }
    let p = dir.path().join(FILES[0]);
    (dir, p)
}

struct Fixture {
    dir: tempfile::TempDir,
    portfolio: PathBuf,
    people: PathBuf,
    designer: PrivateKey,
    partner: PrivateKey,
    viewer: PrivateKey,
}

/// The example portfolio, and PEOPLE.yaml beside it: a designer, a Brightwater partner (a
/// partner of all three designs) and a viewer.
fn fixture() -> Fixture {
    let (dir, portfolio) = portfolio_copy();
    let (designer, partner, viewer) = (key(), key(), key());
    let people = dir.path().join("people.yaml");
    std::fs::write(
        &people,
        format!(
            "people:\n- name: Dee Designer\n  role: designer\n  keys: [\"{}\"]\n- name: Pat Partner\n  role: partner\n  partner: brightwater-mechanical\n  keys: [\"{}\"]\n- name: Vic Viewer\n  role: viewer\n  keys: [\"{}\"]\n",
            publine(&designer),
            publine(&partner),
            publine(&viewer)
        ),
    )
    .expect("write people");
    Fixture {
        dir,
        portfolio,
        people,
        designer,
        partner,
        viewer,
    }
}

async fn start(f: &Fixture) -> serve::portfolio::Running {
    let limits = Limits {
        auth_rejection_delay: Duration::from_millis(50),
        save_debounce: Duration::from_millis(200),
        ..Limits::default()
    };
    let prepared =
        serve::portfolio::prepare(&[], &f.portfolio, &f.people).expect("the portfolio loads");
    serve::portfolio::start(
        prepared,
        "127.0.0.1:0".parse().expect("addr"),
        key(),
        limits,
        true,
    )
    .await
    .expect("server starts")
}

const WAIT: Duration = Duration::from_secs(10);

/// Connect with `k` and wait for the portfolio view.
async fn at_portfolio(server: &serve::portfolio::Running, k: &PrivateKey) -> Screen {
    let s = Screen::open(server.addr, None, k, 120, 40, None).await;
    s.wait_for("Portfolio: Heat pump technology", WAIT).await;
    s.wait_for("Credentials × competencies", WAIT).await;
    s
}

/// Enter on the selected credential (the first: fundamentals), and wait for its editor.
async fn open_first(s: &Screen) {
    s.send(b"\r").await;
    s.wait_for("heat-pump-fundamentals.yaml", WAIT).await;
    s.wait_for("Mappings of", WAIT).await;
}

fn disputed(ws: &microcred::model::Workspace) -> usize {
    ws.mappings
        .iter()
        .filter(|m| m.status == MappingStatus::Disputed)
        .count()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_people_open_one_credential_share_its_hub_and_each_role_holds() {
    let f = fixture();
    let server = start(&f).await;
    let dee = at_portfolio(&server, &f.designer).await;
    let pat = at_portfolio(&server, &f.partner).await;
    assert!(
        dee.text().contains("Connected as Dee Designer"),
        "{}",
        dee.text()
    );
    // Each is told what Enter does for their role (three Tabs: round the panes to the matrix).
    pat.wait_for("Enter opens a credential to review and comment on it", WAIT)
        .await;
    pat.send(b"\t\t\t").await;
    pat.wait_for("Enter review the credential", WAIT).await;
    assert_eq!(server.served.open_count().await, 0, "nothing opened yet");

    open_first(&dee).await;
    open_first(&pat).await;
    assert_eq!(
        server.served.open_count().await,
        1,
        "one hub for the credential"
    );
    let cred = server
        .served
        .opened("fundamentals")
        .await
        .expect("fundamentals is open");
    // Both are in the credential's presence line.
    pat.wait_for("online: Dee Designer, Pat", WAIT).await;
    assert_eq!(disputed(&cred.hub.snapshot().ws), 0);

    // The designer disputes N1's mapping, saying why; the partner sees it without a key.
    dee.send(b"\t").await;
    dee.send(b"x").await;
    dee.wait_for("why?", WAIT).await;
    dee.send(b"Level too low").await;
    dee.wait_for("Level too low", WAIT).await;
    dee.send(b"\r").await;
    pat.wait_for("disputed by Dee Designer", WAIT).await;
    assert_eq!(disputed(&cred.hub.snapshot().ws), 1);

    // The partner may not delete a mapping: refused as in a served design, nothing changes.
    // (Their portfolio view offered them to review it.)
    let before = cred.hub.snapshot().ws.mappings.len();
    pat.send(b"\t").await;
    pat.send(b"d").await;
    pat.wait_for("ask a designer to delete", WAIT).await;
    assert_eq!(cred.hub.snapshot().ws.mappings.len(), before);
    // But they review their own organisation's needs: they agree to N1's mapping again.
    pat.send(b"1g\ty").await;
    let t = Instant::now();
    while disputed(&cred.hub.snapshot().ws) != 0 {
        assert!(
            t.elapsed() < WAIT,
            "the partner's agreement was not taken:\n{}",
            pat.text()
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    dee.wait_for("agreed by Pat Partner", WAIT).await;

    // Esc leaves the credential for the portfolio; the connection stays.
    dee.send(b"\x1b").await;
    dee.wait_for("Back from fundamentals", WAIT).await;
    dee.wait_for("Credentials × competencies", WAIT).await;

    // Saved by the credential's autosave: the dispute's reason and the partner's agreement.
    let design = f.dir.path().join("heat-pump-fundamentals.yaml");
    let t = Instant::now();
    while !std::fs::read_to_string(&design)
        .is_ok_and(|text| text.contains("Level too low") && text.contains("Pat Partner"))
    {
        assert!(t.elapsed() < WAIT, "not saved");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    drop(cred);
    server.stop("test over").await.expect("saved");
    assert!(pat.wait_closed(WAIT).await, "told and closed");
    // The credential's edit lock is let go when the server stops.
    let lock = f.dir.path().join(".heat-pump-fundamentals.yaml.lock");
    let t = Instant::now();
    while lock.exists() {
        assert!(t.elapsed() < WAIT, "the lock is still held");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_viewer_reads_a_credential_and_is_refused_changes() {
    let f = fixture();
    let server = start(&f).await;
    let vic = at_portfolio(&server, &f.viewer).await;
    open_first(&vic).await;
    let cred = server.served.opened("fundamentals").await.expect("opened");
    let needs = cred.hub.snapshot().ws.needs.len();
    vic.send(b"d").await;
    vic.wait_for("Viewers follow the design", WAIT).await;
    assert_eq!(cred.hub.snapshot().ws.needs.len(), needs);
    assert_eq!(cred.hub.version(), 0, "nothing changed");
    server.stop("test over").await.expect("saved");
}

/// A change to a credential (here made by a designer's session on its hub) analyses the
/// portfolio again, and a person still at the portfolio view sees the new findings.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_findings_follow_a_change_to_a_credential() {
    let f = fixture();
    let server = start(&f).await;
    let vic = at_portfolio(&server, &f.viewer).await;
    // fundamentals targets BR-HVAC-01 at level 2, installation at 3.
    vic.wait_for("Shared competencies with different target levels (1)", WAIT)
        .await;
    let dee = at_portfolio(&server, &f.designer).await;
    open_first(&dee).await;
    let cred = server.served.opened("fundamentals").await.expect("opened");
    let op = level_change(&cred.hub.snapshot().ws, 3);
    cred.hub.apply(&designer(), op).expect("applied");
    cred.publish();
    assert!(
        vic.wait_gone("different target levels", WAIT).await,
        "the finding went away on the viewer's portfolio view:\n{}",
        vic.text()
    );
    assert!(
        !server
            .served
            .sheet()
            .report
            .overlap
            .iter()
            .any(|o| o.levels_differ),
        "the shared sheet was analysed again"
    );
    server.stop("test over").await.expect("saved");
}

/// fundamentals' BR-HVAC-01 at target level `level`, as a designer's change.
fn level_change(ws: &microcred::model::Workspace, level: u32) -> microcred::edit::Op {
    let mut c = ws
        .competencies
        .iter()
        .find(|c| c.reference == "building-retrofit:BR-HVAC-01")
        .expect("BR-HVAC-01 in fundamentals")
        .clone();
    c.target_level = level;
    microcred::edit::Op::UpdateCompetency {
        reference: c.reference.clone(),
        competency: c,
    }
}

fn designer() -> microcred::edit::Actor {
    microcred::edit::Actor {
        name: "Dee Designer".into(),
        role: microcred::edit::Role::Designer,
    }
}

/// Changes an editor left unsaved in a credential's journal (it was killed) are recovered
/// when the served portfolio opens that credential, said in the status bar, and saved.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_credentials_leftover_journal_is_recovered_when_it_is_opened() {
    let f = fixture();
    let design = f.dir.path().join("heat-pump-fundamentals.yaml");
    {
        let opened = microcred::document::open(
            &[],
            Some(&design),
            "microcred",
            microcred::document::Busy::Refuse,
        )
        .expect("opens");
        let op = level_change(&opened.hub.snapshot().ws, 3);
        opened.hub.apply(&designer(), op).expect("applied");
        opened.hub.flush_journal().expect("journaled");
        // Dropped unsaved: the journal stays beside the design.
    }
    assert!(
        f.dir
            .path()
            .join(".heat-pump-fundamentals.yaml.journal")
            .exists()
    );
    let server = start(&f).await;
    let dee = at_portfolio(&server, &f.designer).await;
    open_first(&dee).await;
    dee.wait_for("recovered 1 unsaved change", WAIT).await;
    let t = Instant::now();
    loop {
        let text = std::fs::read_to_string(&design).expect("read");
        let cat = microcred::catalog::Catalog::embedded().expect("catalog");
        let ws = microcred::document::workspace_from_str(&text, "w.yaml", &cat)
            .expect("valid")
            .workspace;
        if ws
            .competencies
            .iter()
            .any(|c| c.reference == "building-retrofit:BR-HVAC-01" && c.target_level == 3)
        {
            break;
        }
        assert!(t.elapsed() < WAIT, "the recovered change is not saved");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    server.stop("test over").await.expect("saved");
}

/// A credential open in an editor on the server's machine is not served: Enter says why and
/// the portfolio view stays.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_credential_open_in_an_editor_is_refused_with_the_reason() {
    let f = fixture();
    let _lock = microcred::store::EditLock::acquire(
        &f.dir.path().join("heat-pump-fundamentals.yaml"),
        "microcred",
    )
    .expect("lock");
    let server = start(&f).await;
    let dee = at_portfolio(&server, &f.designer).await;
    dee.send(b"\r").await;
    dee.wait_for("fundamentals cannot be opened", WAIT).await;
    assert!(dee.text().contains("Credentials × competencies"));
    assert_eq!(server.served.open_count().await, 0);
    server.stop("test over").await.expect("saved");
}

/// A design removed after the server started is not begun afresh when someone opens it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_design_removed_while_served_is_not_made_anew() {
    let f = fixture();
    let server = start(&f).await;
    let design = f.dir.path().join("heat-pump-fundamentals.yaml");
    std::fs::remove_file(&design).expect("remove");
    let dee = at_portfolio(&server, &f.designer).await;
    dee.send(b"\r").await;
    dee.wait_for("is no longer there", WAIT).await;
    assert_eq!(server.served.open_count().await, 0);
    server.stop("test over").await.expect("saved");
    assert!(!design.exists(), "no empty design written in its place");
}

/// One PEOPLE.yaml serves the whole portfolio: a partner id is checked against the partners
/// of all its designs, and a wrong one is located.
#[test]
fn people_are_checked_against_the_partners_of_the_portfolios_designs() {
    let f = fixture();
    assert!(serve::portfolio::prepare(&[], &f.portfolio, &f.people).is_ok());
    let bad = f.dir.path().join("bad-people.yaml");
    std::fs::write(
        &bad,
        format!(
            "people:\n- name: Nobody\n  role: partner\n  partner: no-such-partner\n  keys: [\"{}\"]\n",
            publine(&key())
        ),
    )
    .expect("write");
    let e = match serve::portfolio::prepare(&[], &f.portfolio, &bad) {
        Ok(_) => panic!("an unknown partner is refused"),
        Err(e) => e,
    };
    assert!(
        e.contains("bad-people.yaml") && e.contains("no-such-partner") && e.contains(":4:"),
        "{e}"
    );
    assert!(e.contains("brightwater-mechanical"), "the known ids: {e}");
}

/// `serve PORTFOLIO --commit` is refused (a portfolio is several files), before any key is
/// made.
#[test]
fn serve_portfolio_with_commit_is_refused_before_anything_is_written() {
    let f = fixture();
    let out = assert_cmd::Command::cargo_bin("microcred")
        .expect("binary")
        .current_dir(f.dir.path())
        .args([
            "serve",
            "heat-pump-portfolio.yaml",
            "--people",
            "people.yaml",
            "--commit",
        ])
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("--commit") && err.contains("portfolio"),
        "{err}"
    );
    assert!(!f.dir.path().join(".microcred-host-key").exists());
}

/// End to end with OpenSSH: two people connect to a served portfolio, open the same
/// credential; the designer's change reaches the partner's screen and the file, and the
/// partner is refused a designer-only action.
#[test]
#[ignore = "end-to-end: needs tmux and the OpenSSH client; run with `cargo test -- --ignored`"]
fn openssh_two_people_share_a_credential_of_a_served_portfolio() {
    use common::openssh::{Room, people_file};
    use common::server::have_tools;
    if !have_tools(
        "openssh_two_people_share_a_credential_of_a_served_portfolio",
        &["ssh", "ssh-keygen", "tmux"],
    ) {
        return;
    }
    let (dir, portfolio) = portfolio_copy();
    let people = people_file(
        dir.path(),
        &[
            ("dee", "- name: Dee Designer\n  role: designer\n"),
            (
                "sam",
                "- name: Sam at Brightwater\n  role: partner\n  partner: brightwater-mechanical\n",
            ),
        ],
    );
    let host_key = dir.path().join("host_key");
    let room = Room {
        dir,
        ws: portfolio,
        people,
        host_key,
    };
    let server = room.serve_env(&[], &[]);
    let dee = room.client_sized("pf-dee", &server, "dee", (160, 40));
    let sam = room.client_sized("pf-sam", &server, "sam", (160, 40));
    for t in [&dee, &sam] {
        t.wait_for("Portfolio: Heat pump technology");
        t.wait_for("Credentials × competencies");
    }
    // Both open fundamentals (the first row of the matrix).
    for t in [&dee, &sam] {
        t.keys(&["Enter"]);
        t.wait_for("heat-pump-fundamentals.yaml");
    }
    sam.wait_for("online: Dee Designer, Sam at Brightwater");
    // The designer disputes N1's mapping; the partner sees it.
    dee.keys(&["Tab", "x"]);
    dee.wait_for("why?");
    dee.type_text("Level too low");
    dee.wait_for("Level too low");
    dee.keys(&["Enter"]);
    sam.wait_for("disputed by Dee Designer");
    // The partner may not delete a mapping.
    sam.keys(&["Tab", "d"]);
    sam.wait_for("ask a designer to delete");
    // Esc comes back to the portfolio.
    dee.keys(&["Escape"]);
    dee.wait_for("Back from fundamentals");
    let design = room.path("heat-pump-fundamentals.yaml");
    let t = Instant::now();
    while !std::fs::read_to_string(&design)
        .unwrap_or_default()
        .contains("disputed")
    {
        assert!(t.elapsed() < Duration::from_secs(10), "not saved");
        std::thread::sleep(Duration::from_millis(50));
    }
    let (st, log) = server.terminate_with_log();
    assert!(st.success(), "{log}");
    assert!(log.contains("opened "), "{log}");
    assert!(
        !room.path(".heat-pump-fundamentals.yaml.lock").exists(),
        "the lock is let go"
    );
    let mappings = |text: &str| {
        let cat = microcred::catalog::Catalog::embedded().expect("catalog");
        microcred::document::workspace_from_str(text, "w.yaml", &cat)
            .expect("valid")
            .workspace
            .mappings
            .len()
    };
    let example = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("examples/portfolio/heat-pump-fundamentals.yaml");
    assert_eq!(
        mappings(&std::fs::read_to_string(&design).expect("read")),
        mappings(&std::fs::read_to_string(example).expect("read")),
        "the partner's delete changed nothing"
    );
}
