use super::*;
use crate::analysis::search::tests::framework;
use crate::model::Catalog;
use crate::model::Competency;

fn comp(id: &str, name: &str, keywords: &[&str], description: &str) -> Competency {
    Competency {
        id: id.into(),
        name: name.into(),
        description: description.into(),
        category: None,
        kind: None,
        keywords: keywords.iter().map(|k| k.to_string()).collect(),
        parent: None,
        uri: None,
        levels: Default::default(),
        ..Default::default()
    }
}

fn catalog_of(competencies: Vec<Competency>) -> Catalog {
    crate::analysis::search::tests::catalog(competencies)
}

fn suggester() -> Suggester {
    Suggester::new(&catalog_of(vec![
        comp(
            "CLEAN",
            "Clean and prepare data",
            &["data cleaning", "wrangling"],
            "Detect and correct errors in a data set.",
        ),
        comp(
            "VIS",
            "Visualise data",
            &["charts", "dashboards"],
            "Present data in charts so others understand it.",
        ),
        comp(
            "PLUMB",
            "Install pipes",
            &["plumbing"],
            "Fit water pipes in buildings; clean joints before soldering.",
        ),
        comp(
            "TEAM",
            "Work in a team",
            &["teamwork"],
            "Cooperate with colleagues.",
        ),
        comp(
            "SQL",
            "Query databases with SQL",
            &["database queries"],
            "Write SQL to extract data.",
        ),
    ]))
}

fn refs(s: &Suggester, title: &str, body: &str) -> Vec<String> {
    s.suggest(title, body, 10)
        .iter()
        .map(|g| s.items()[g.item].reference.clone())
        .collect()
}

#[test]
fn ranks_by_field_and_stem() {
    let s = suggester();
    // "cleaning" and "clean" share a stem; the name/keyword match beats a description one.
    let r = refs(&s, "cleaning messy data", "");
    assert_eq!(r[0], "fw:CLEAN", "{r:?}");
    assert!(r.iter().position(|x| x == "fw:PLUMB") > Some(0));
    assert_eq!(refs(&s, "dashboards for managers", "")[0], "fw:VIS");
    assert_eq!(refs(&s, "querying a database", "")[0], "fw:SQL");
}

#[test]
fn tolerates_typos_in_the_title() {
    let s = suggester();
    assert_eq!(refs(&s, "teamwrok", "")[0], "fw:TEAM");
    assert_eq!(
        refs(&s, "visualse", "").first().map(String::as_str),
        Some("fw:VIS")
    );
}

#[test]
fn stop_words_and_unknown_words_give_nothing() {
    let s = suggester();
    assert!(s.suggest("the and of", "", 10).is_empty());
    assert!(s.suggest("qqq zzz", "", 10).is_empty());
    assert!(s.suggest("", "", 10).is_empty());
}

#[test]
fn deterministic_and_sorted() {
    let s = suggester();
    let a = s.suggest("clean data and charts for a team", "pipes", 10);
    let b = s.suggest("clean data and charts for a team", "pipes", 10);
    assert_eq!(a, b);
    assert!(a.windows(2).all(|w| w[0].score >= w[1].score));
    assert_eq!(s.suggest("data", "", 2).len(), 2);
}

#[test]
fn phrase_match_beats_scattered_words() {
    let s = Suggester::new(&catalog_of(vec![
        comp("A", "Report on the data of a sales analysis", &[], "x"),
        comp("B", "Sales data analysis", &[], "x"),
    ]));
    assert_eq!(refs(&s, "data analysis", "")[0], "fw:B");
}

#[test]
fn an_agent_noun_asks_for_its_activity() {
    let s = Suggester::new(&catalog_of(vec![
        comp("ADV", "Advise supervisors", &[], "x"),
        comp("SUP", "Supervise staff", &[], "x"),
        comp("SELL", "Sell books", &[], "x"),
        comp("SELLERS", "Initiate contact with sellers", &[], "x"),
    ]));
    // "supervisor" and "sellers" are people; what the need asks for is what they do.
    assert_eq!(refs(&s, "site supervisor", "")[0], "fw:SUP");
    assert_eq!(refs(&s, "book sellers", "")[0], "fw:SELL");
    // With the expansion off, the person's name wins.
    let off = Params {
        agent_weight: 0.0,
        agent_own: 1.0,
        ..Params::default()
    };
    let s = Suggester::with_params(
        &catalog_of(vec![
            comp("ADV", "Advise supervisors", &[], "x"),
            comp("SUP", "Supervise staff", &[], "x"),
        ]),
        off,
    );
    assert_eq!(refs(&s, "site supervisor", "")[0], "fw:ADV");
}

#[test]
fn filler_and_hiring_talk_do_not_pull() {
    let s = Suggester::new(&catalog_of(vec![
        comp("HIRE", "Hire new personnel", &[], "Recruit staff."),
        comp(
            "PUMP",
            "Install heat pumps",
            &[],
            "Fit heat pumps in homes.",
        ),
        comp("PROPS", "Identify props", &[], "Find stage props."),
    ]));
    let r = refs(
        &s,
        "Honestly the new hires can't install heat pumps properly",
        "",
    );
    assert_eq!(r, vec!["fw:PUMP"], "only the heat pump need pulls");
    // Off (single general words weigh as any other), hiring talk reaches the personnel skill.
    let off = Params {
        general: false,
        ..Params::default()
    };
    let s = Suggester::with_params(
        &catalog_of(vec![comp("HIRE", "Hire new personnel", &[], "x")]),
        off,
    );
    assert_eq!(refs(&s, "hires", ""), vec!["fw:HIRE"]);
}

#[test]
fn trade_abbreviations_reach_competencies_and_say_so() {
    let s = Suggester::new(&catalog_of(vec![
        comp("MIG", "Perform metal inert gas welding", &[], "x"),
        comp("STOCK", "Manage stock", &[], "x"),
    ]));
    let got = s.suggest("MIG on thin stock", "", 5);
    assert_eq!(s.items()[got[0].item].reference, "fw:MIG");
    assert!(
        got[0]
            .why
            .words
            .contains(&"mig (metal inert gas welding)".to_string()),
        "{:?}",
        got[0].why
    );
}

#[test]
fn the_design_pulls_without_hiding_a_strong_match() {
    let cat = catalog_of(vec![
        comp(
            "TANK",
            "Clean confined spaces",
            &[],
            "Clean the inside of tanks and ship holds.",
        ),
        comp(
            "ATTIC",
            "Work safely in confined spaces and at heights",
            &[],
            "Enter attics and crawlspaces safely to install heat pumps.",
        ),
    ]);
    let s = Suggester::new(&cat);
    let ctx = Context {
        credential: "Heat pump installer".into(),
        ..Context::default()
    };
    let first = |title: &str, ctx: &Context| {
        let g = s.suggest_in(title, "", ctx, 5);
        (s.items()[g[0].item].reference.clone(), g[0].why.clone())
    };
    assert_eq!(first("confined spaces", &Context::default()).0, "fw:TANK");
    let (r, why) = first("confined spaces", &ctx);
    assert_eq!(r, "fw:ATTIC");
    assert!(
        why.context
            .iter()
            .any(|c| c.starts_with("credential: ") && c.contains("pump")),
        "{why:?}"
    );
    // A need that says what it wants elsewhere keeps it.
    assert_eq!(
        first("clean ship tanks, confined spaces", &ctx).0,
        "fw:TANK"
    );
}

#[test]
fn the_occupation_the_title_names_leans_and_says_so() {
    let cat = catalog_of(vec![
        comp("WATER", "Check the charge of water heaters", &[], "x"),
        comp("HP", "Check the charge of heat pumps", &[], "x"),
        comp("OTHER", "Clean filters", &[], "x"),
    ]);
    let s = Suggester::new(&cat);
    let top = |ctx: &Context| {
        let g = s.suggest_in("check the charge", "", ctx, 5);
        (
            s.items()[g[0].item].reference.clone(),
            g[0].why.clone(),
            g.len(),
        )
    };
    let (r, _, n) = top(&Context::default());
    assert_eq!(r, "fw:WATER");
    let ctx = Context {
        occupation: Some(Occupation {
            name: "heat pump installer".into(),
            competencies: vec![("fw:HP".into(), true), ("fw:OTHER".into(), true)],
        }),
        ..Context::default()
    };
    let (r, why, n2) = top(&ctx);
    assert_eq!(r, "fw:HP");
    assert!(
        why.context
            .contains(&"occupation: heat pump installer (essential)".to_string()),
        "{why:?}"
    );
    // Only what the need matched leans: the occupation adds no competency of its own.
    assert_eq!(n, n2);
}

#[test]
fn frameworks_in_use_and_agreed_mappings_pull() {
    let cat = Catalog::from_frameworks([
        framework("a", vec![comp("SQL", "Query databases", &[], "x")]),
        framework(
            "b",
            vec![
                comp("SQL", "Query databases", &[], "x"),
                comp(
                    "HAND",
                    "Hand over finished work",
                    &[],
                    "Explain to clients.",
                ),
                comp("RUN", "Run a meeting", &[], "x"),
            ],
        ),
    ]);
    let s = Suggester::new(&cat);
    let top = |title: &str, ctx: &Context| {
        let g = s.suggest_in(title, "", ctx, 5);
        (s.items()[g[0].item].reference.clone(), g[0].why.clone())
    };
    assert_eq!(top("query databases", &Context::default()).0, "a:SQL");
    let ctx = Context {
        frameworks: vec!["b".into()],
        ..Context::default()
    };
    let (r, why) = top("query databases", &ctx);
    assert_eq!(r, "b:SQL");
    assert!(why.context.contains(&"framework in use: b".to_string()));
    // "run the system" reads as a meeting until an agreed mapping teaches otherwise.
    let need = "homeowners should know how to run the system";
    assert_eq!(top(need, &Context::default()).0, "b:RUN");
    let ctx = Context {
        taught: vec![(
            "leave homeowners knowing how to run the system".into(),
            "b:HAND".into(),
        )],
        ..Context::default()
    };
    let (r, why) = top(need, &ctx);
    assert_eq!(r, "b:HAND");
    assert!(why.context.iter().any(|c| c.starts_with("taught by need")));
}

#[test]
fn lists_flatten_and_check_their_offsets() {
    let l = Lists::from_vecs(&[vec![1u32, 2], vec![], vec![3]]);
    assert_eq!(
        (l.len(), l.get(0), l.get(1), l.get(2)),
        (3, &[1, 2][..], &[][..], &[3][..])
    );
    assert!(l.get(3).is_empty() && l.is_well_formed());
    let bad = Lists {
        start: vec![0, 3, 2],
        values: vec![1u32, 2],
    };
    assert!(!bad.is_well_formed());
    assert!(
        bad.get(1).is_empty(),
        "a bad range gives nothing, not a panic"
    );
    assert!(Lists::<u32>::default().is_empty());
}

#[test]
fn a_suggester_from_its_tables_answers_alike() {
    let s = suggester();
    let again = Suggester::from_tables(s.tables().clone(), s.params().clone());
    assert!(again.tables().is_consistent());
    for q in [
        "cleaning messy data",
        "teamwrok",
        "dashboards",
        "book sellers",
    ] {
        assert_eq!(
            s.suggest(q, "pipes", 5),
            again.suggest(q, "pipes", 5),
            "{q}"
        );
    }
}

#[test]
fn the_credential_s_field_reaches_past_its_own_words_and_says_so() {
    let cat = catalog_of(vec![
        comp(
            "ELEC",
            "Install electrical wiring",
            &["residential wiring", "circuits", "electrician work"],
            "Run circuits and wiring in houses.",
        ),
        comp(
            "PANEL",
            "Upgrade electrical panels",
            &["electrician panel work"],
            "Replace service panels and breakers.",
        ),
        comp(
            "FARM",
            "Slaughter animals",
            &["kill animals"],
            "Kill livestock for the meat trade.",
        ),
        comp(
            "CIRC",
            "Isolate circuits before work",
            &["kill circuits"],
            "Kill the power to circuits and lock them out.",
        ),
    ]);
    let ctx = Context {
        credential: "Electrician".into(),
        ..Context::default()
    };
    // (CIRC's score over FARM's, CIRC's context reasons) for the need "kill".
    let run = |params: Params| {
        let s = Suggester::with_params(&cat, params);
        let g = s.suggest_in("kill", "", &ctx, 5);
        let get = |r: &str| {
            g.iter()
                .find(|x| s.items()[x.item].reference == r)
                .expect("suggested")
        };
        (
            get("fw:CIRC").score / get("fw:FARM").score,
            get("fw:CIRC").why.context.clone(),
        )
    };
    let off = Params {
        ctx_expand: 0.0,
        ..Params::default()
    };
    // The credential's own word is in neither; the field ("wiring", "circuits", from the
    // electrician's competencies) lifts the circuit over the farm, and says so.
    let (before, why_before) = run(off);
    let (after, why) = run(Params::default());
    assert!(after > before * 1.05, "{before} -> {after}");
    assert!(!why_before.iter().any(|c| c.contains("(field)")));
    assert!(why.iter().any(|c| c.contains("(field)")), "{why:?}");
}

#[test]
fn north_american_spelling_meets_the_frameworks_british_one() {
    let cat = catalog_of(vec![
        comp("CLEAN", "Clean warehouse floors", &[], "x"),
        comp("ORG", "Organise warehouse stock", &[], "x"),
        comp("COL", "Apply colour to hair", &[], "x"),
    ]);
    let s = Suggester::new(&cat);
    // (A need of more than three words: no typo correction reaches "organise" either.)
    let need = "organize the warehouse bins by zone";
    assert_eq!(refs(&s, need, "")[0], "fw:ORG");
    assert_eq!(refs(&s, "hair color", "")[0], "fw:COL");
    let g = s.suggest("organized warehouse", "", 1);
    assert!(
        g[0].why.words.contains(&"organized".to_string()),
        "{:?}",
        g[0].why
    );
    // Without the table the spellings do not meet: the two warehouse competencies tie.
    let off = Suggester::with_params(
        &cat,
        Params {
            spelling: false,
            ..Params::default()
        },
    );
    assert_eq!(refs(&off, need, "")[0], "fw:CLEAN");
}

#[test]
fn every_reference_finds_its_doc() {
    let s = suggester();
    for (i, it) in s.items().iter().enumerate() {
        assert_eq!(s.doc_of(&it.reference), Some(i as u32), "{}", it.reference);
    }
    let first = s.items()[0].reference.clone();
    assert_eq!(s.doc_of(&format!("{first}x")), None);
    assert_eq!(s.doc_of(&first[..first.len() - 1]), None);
    assert_eq!(s.doc_of(""), None);
}
