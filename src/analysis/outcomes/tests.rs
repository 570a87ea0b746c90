use super::*;
use crate::model::{Assessment, CredentialCompetency, QualificationLevel, Silence};

fn rules(text: &str) -> Vec<&'static str> {
    lint(text, None).iter().map(|f| f.rule.as_str()).collect()
}

fn has(text: &str, rule: &str) -> bool {
    rules(text).contains(&rule)
}

#[test]
fn vague_verbs_and_their_nouns_after_a_light_verb() {
    assert!(has(
        "Understand the principles of heat loss in dwellings.",
        "vague_verb"
    ));
    assert!(has(
        "Be aware of the hazards of working at height on a site.",
        "vague_verb"
    ));
    assert!(has(
        "Learners will demonstrate an understanding of fire codes.",
        "vague_verb"
    ));
    assert!(has(
        "Gain an awareness of cultural safety in care settings.",
        "vague_verb"
    ));
    assert!(has(
        "Knowledge of the electrical code for dwellings.",
        "vague_verb"
    ));
    assert!(has(
        "Connaître les règles de sécurité sur un chantier.",
        "vague_verb"
    ));
    assert!(has(
        "Démontrer une compréhension des normes d'hygiène en cuisine.",
        "vague_verb"
    ));
    // An observable verb, even with "knowledge" later on, is not vague.
    assert!(!has(
        "Apply knowledge of Ohm's law to diagnose faults in a circuit.",
        "vague_verb"
    ));
    assert!(!has(
        "Demonstrate the safe use of a fire extinguisher in a drill.",
        "vague_verb"
    ));
    // "savoir" + an action verb is a frame in French.
    assert!(!has(
        "Savoir installer un chauffe-eau selon le code du bâtiment.",
        "vague_verb"
    ));
}

#[test]
fn action_verb_first_allowing_frames_adverbs_and_leading_clauses() {
    for ok in [
        "Learners will be able to install a heat pump to the manufacturer's instructions.",
        "By the end of the course, students can calculate heat loss for a dwelling.",
        "Safely operate a forklift in a warehouse setting.",
        "Given a client brief, draft a floor plan to scale.",
        "Using a multimeter, measure voltage in a live panel.",
        "Plan a retrofit for a detached house using an energy audit.",
        "Design a ventilation layout according to the building code.",
        "Test a residual-current device using a plug-in tester.",
        "Report faults to the supervisor using the site form.",
        "Document a patient handover using the SBAR format.",
        "L'apprenant sera capable d'installer une thermopompe selon les instructions.",
        "À la fin du cours, l'étudiant pourra calculer les pertes de chaleur d'une maison.",
        "1. Identify hazards on a construction site.",
    ] {
        assert!(!has(ok, "no_action_verb_start"), "{ok}: {:?}", rules(ok));
    }
    for bad in [
        "Heat pump installation in a dwelling to the code.",
        "The importance of air sealing in older homes.",
        "Safety procedures for working at height on a site.",
        "Les principes de l'isolation thermique en rénovation.",
    ] {
        assert!(has(bad, "no_action_verb_start"), "{bad}");
    }
}

#[test]
fn one_main_verb_with_phrasal_verbs_lists_of_objects_and_purposes() {
    for multi in [
        "Install, commission and maintain a heat pump to the manufacturer's instructions.",
        "Describe and apply the lockout procedure on a site.",
        "Identify the hazards on a site and report them to the supervisor.",
        "Understand and apply the principles of infection control in a ward.",
        "Analyser les besoins du client et rédiger un devis conforme aux normes.",
        "Installs the unit and tests it according to the checklist.",
    ] {
        assert!(
            has(multi, "multi_verb"),
            "{multi}: {:?}",
            parse(multi, None).verbs
        );
    }
    for single in [
        "Carry out a blower-door test using calibrated equipment.",
        "Set up a workstation to the ergonomic guidelines.",
        "Identify hazards, risks and control measures on a site.",
        "Select tools, materials, test equipment and PPE for a wiring job.",
        "Use a thermal camera to locate and document air leaks in a house.",
        "Prepare a budget and schedule for a small renovation project using a template.",
        "Write a report that summarises and evaluates the audit findings.",
        "Measure airflow, using an anemometer, at each supply register.",
        "Inspect pre-wired and tested panels before installation on site.",
        "Utiliser un multimètre pour mesurer et consigner les tensions d'un circuit.",
    ] {
        assert!(
            !has(single, "multi_verb"),
            "{single}: {:?}",
            parse(single, None).verbs
        );
    }
}

#[test]
fn a_condition_or_a_standard() {
    for ok in [
        "Weld a butt joint to the CSA W47.1 standard.",
        "Calculate heat loss within 5% of the software result.",
        "Install a thermostat according to the wiring diagram.",
        "Respond to a customer complaint in a retail setting.",
        "Draft a site report without spelling errors.",
        "Given a floor plan, estimate the materials for drywall.",
        "Rédiger un rapport d'inspection conformément aux normes en vigueur.",
        "Installer un luminaire à l'aide d'un schéma de câblage.",
    ] {
        assert!(!has(ok, "no_condition_or_criterion"), "{ok}");
    }
    for bad in [
        "Explain the stack effect in tall buildings.",
        "Communicate with team members about the schedule.",
        "Décrire les étapes d'une rénovation énergétique.",
    ] {
        assert!(has(bad, "no_condition_or_criterion"), "{bad}");
    }
}

#[test]
fn a_word_no_table_knows_before_an_article_is_a_verb() {
    // Verbs missing from the tables, told by the article after them.
    for ok in [
        "Whisk the eggs for a soufflé to the recipe.",
        "Install drywall and grout the tiles to the drawings.",
        "Badigeonner le mur selon le devis.",
    ] {
        assert!(!has(ok, "no_action_verb_start"), "{ok}: {:?}", rules(ok));
    }
    assert!(has(
        "Install drywall and grout the tiles to the drawings.",
        "multi_verb"
    ));
    // Noun phrases keep the finding: a plural, a French noun before "de", no article.
    for bad in [
        "Logistics the basics.",
        "Comptabilité de base.",
        "Warehouse operations.",
    ] {
        assert!(has(bad, "no_action_verb_start"), "{bad}: {:?}", rules(bad));
    }
}

#[test]
fn verb_starts_beyond_the_tables_and_topics_that_are_not() {
    let start = "no_action_verb_start";
    // Verbs the tables do not list, or that need their shape read.
    for text in [
        "Prune fruit trees during the dormant season.",
        "Deburr machined parts with a hand deburring tool.",
        "MIG weld a fillet joint in the horizontal position to the welding standard.",
        "Hand-sand a cabinet door before finishing it.",
        "Reassemble a carburetor following the service manual.",
        "a. Load a delivery truck according to the route sheet.",
        "Se servir d'un niveau laser pour aligner des armoires de cuisine.",
        "Se positionner de façon sécuritaire lors du levage d'une charge.",
        "Affûter un couteau de chef à l'aide d'une pierre à aiguiser.",
    ] {
        assert!(!has(text, start), "{text}: {:?}", rules(text));
    }
    // Topics: a gerund, a noun or adjective ending, a compound noun.
    for text in [
        "Installing a residential water heater to the plumbing code.",
        "Forklift operation in a warehouse setting.",
        "Electrical safety.",
        "Savoir-faire en pâtisserie.",
        "Gestion des stocks dans un commerce de détail.",
    ] {
        assert!(has(text, start), "{text}: {:?}", rules(text));
    }
}

#[test]
fn a_topic_after_a_vague_noun_and_a_modifying_setting_word_are_no_condition() {
    for bad in [
        "Gain familiarity with power tools.",
        "Order materials for a kitchen renovation.",
        "Choose summary statistics to compare stores fairly.",
    ] {
        assert!(
            has(bad, "no_condition_or_criterion"),
            "{bad}: {:?}",
            rules(bad)
        );
    }
    for ok in [
        "Order materials for a restaurant kitchen.",
        "Seat guests in a busy dining room.",
        "Carry out an energy audit to program standard.",
    ] {
        assert!(
            !has(ok, "no_condition_or_criterion"),
            "{ok}: {:?}",
            rules(ok)
        );
    }
    // French puts the adjective after the noun: the setting stands.
    let fr = lint(
        "Présenter les résultats à un public non spécialiste.",
        Some("fr"),
    );
    assert!(fr.is_empty(), "{fr:?}");
}

#[test]
fn length_counts_the_framing_for_long_and_not_for_short() {
    let long = format!(
        "Learners will be able to install {}.",
        ["the unit"; 20].join(" and ")
    );
    assert!(has(&long, "too_long"));
    assert!(has("Learners will be able to weld.", "too_short"));
    assert!(has("Weld joints.", "too_short"));
    assert!(!has(
        "Weld a fillet joint to the CSA standard.",
        "too_short"
    ));
    assert!(!has("Weld a fillet joint to the CSA standard.", "too_long"));
    assert!(lint("   ", None).is_empty());
}

fn ws(outcomes: &[(&str, &str, Option<AssessmentMethod>)], eqf: Option<u32>) -> Workspace {
    let mut ws = Workspace::default();
    ws.credential.level = eqf.map(|n| QualificationLevel {
        scheme: "EQF".into(),
        value: LevelValue::Number(n),
    });
    for (r, o, m) in outcomes {
        ws.competencies.push(CredentialCompetency {
            reference: (*r).into(),
            target_level: 1,
            hours: None,
            outcome: Some((*o).into()),
            assessment: m.map(|method| Assessment {
                method,
                description: None,
            }),
            silence: Vec::new(),
        });
    }
    ws
}

fn report_rules(r: &OutcomeReport) -> Vec<(String, &'static str)> {
    r.findings
        .iter()
        .map(|f| (f.competency.clone(), f.rule.as_str()))
        .collect()
}

#[test]
fn level_mismatch_against_the_credentials_eqf_level() {
    let w = ws(
        &[(
            "f:A",
            "List the parts of a heat pump using a diagram.",
            None,
        )],
        Some(6),
    );
    assert_eq!(
        report_rules(&analyse(&w)),
        [("f:A".into(), "level_mismatch")]
    );
    let w = ws(
        &[(
            "f:A",
            "List the parts of a heat pump using a diagram.",
            None,
        )],
        Some(2),
    );
    assert!(analyse(&w).findings.is_empty());
    // No EQF level: nothing to compare with.
    let w = ws(
        &[(
            "f:A",
            "List the parts of a heat pump using a diagram.",
            None,
        )],
        None,
    );
    assert!(analyse(&w).findings.is_empty());
}

#[test]
fn assessment_fit_against_the_method() {
    let o = "Install a heat pump to the manufacturer's instructions.";
    let exam = ws(&[("f:A", o, Some(AssessmentMethod::Exam))], None);
    let r = analyse(&exam);
    assert_eq!(report_rules(&r), [("f:A".into(), "assessment_fit")]);
    assert!(r.findings[0].message.contains("exam"));
    let observed = ws(&[("f:A", o, Some(AssessmentMethod::Observation))], None);
    assert!(analyse(&observed).findings.is_empty());
    let design = ws(
        &[(
            "f:A",
            "Design a duct layout to the building code.",
            Some(AssessmentMethod::Exam),
        )],
        None,
    );
    assert_eq!(
        report_rules(&analyse(&design)),
        [("f:A".into(), "assessment_fit")]
    );
}

#[test]
fn duplicates_name_the_first_competency() {
    let o = "Install a heat pump to the manufacturer's instructions.";
    let w = ws(
        &[
            ("f:A", o, None),
            (
                "f:B",
                "install a heat  pump to the manufacturer's instructions",
                None,
            ),
        ],
        None,
    );
    let r = analyse(&w);
    assert_eq!(report_rules(&r), [("f:B".into(), "duplicate")]);
    assert!(r.findings[0].message.contains("f:A"));
}

#[test]
fn a_silenced_rule_is_set_apart_with_its_reason() {
    let mut w = ws(
        &[(
            "f:A",
            "Understand the heat pump cycle using a diagram.",
            None,
        )],
        None,
    );
    w.competencies[0].silence.push(Silence {
        rule: OutcomeRule::VagueVerb,
        reason: "the partner's licensing body words it so".into(),
    });
    let r = analyse(&w);
    assert!(r.findings.is_empty(), "{:?}", r.findings);
    assert_eq!(r.silenced.len(), 1);
    assert_eq!(r.silenced[0].rule, OutcomeRule::VagueVerb);
    assert_eq!(
        r.silenced[0].reason,
        "the partner's licensing body words it so"
    );
}

#[test]
fn every_finding_explains_itself() {
    for f in lint("Understand.", None) {
        assert!(!f.message.is_empty() && !f.hint.is_empty() && !f.source.is_empty());
    }
    for r in OutcomeRule::ALL {
        assert!(!source(r).is_empty());
        assert_eq!(OutcomeRule::from_id(r.as_str()), Some(r));
    }
}

#[test]
fn labels_qualified_subjects_and_openers_before_commas_are_framing() {
    for ok in [
        "CLO 2.1: Replace a worn drive belt on a rooftop unit following the service manual.",
        "Task 3 — Inspect a fixed ladder before use on a job site.",
        "Apprentices enrolled in this course will replace a thermostat using the wiring diagram.",
        "Workers who finish the induction can report a hazard using the site's app.",
        "It is intended that trainees will calibrate a gas detector before each shift.",
        // The subject comes before the first comma: the opener ends there, not at the comma.
        "By the end of the course learners will describe, in plain language, the stack effect.",
        "The successful candidate will splice a fibre cable to the network standard.",
    ] {
        assert!(!has(ok, "no_action_verb_start"), "{ok}: {:?}", rules(ok));
    }
    // A number alone is no label; a label needs the mark.
    assert!(has(
        "Outcome two: thermal bridging in wood frames.",
        "no_action_verb_start"
    ));
}

#[test]
fn phrasal_verbs_in_the_third_person_and_adjectives_that_open_objects() {
    for ok in [
        "Rolls out a new store layout using the head office plan.",
        "Shuts off the water supply before opening a line.",
        "Catalogue incoming shipments in the warehouse system.",
        "Stock a freezer according to the store's layout.",
    ] {
        assert!(!has(ok, "no_action_verb_start"), "{ok}: {:?}", rules(ok));
    }
    // A plural noun with no particle and object after it stays a topic; so does a compound
    // noun that ends in a noun made from an adjective ("safety"), singular or plural.
    for topic in [
        "Ladder safety on construction sites.",
        "Forklift inspection procedures on a warehouse floor.",
        "Tools and fasteners for a roofing crew.",
    ] {
        let found: Vec<&str> = lint(topic, Some("en"))
            .iter()
            .map(|f| f.rule.as_str())
            .collect();
        assert!(
            found.contains(&"no_action_verb_start"),
            "{topic}: {found:?}"
        );
    }
}

#[test]
fn french_elided_phrases_and_longer_standards() {
    assert!(!has(
        "En présence d'une odeur de gaz, évacuer les occupants selon la procédure.",
        "no_action_verb_start"
    ));
    assert!(!has(
        "Commission a boiler to the building owner's written commissioning standard.",
        "no_condition_or_criterion"
    ));
    assert!(!has(
        "Replace a furnace filter following the schedule posted on the unit.",
        "no_condition_or_criterion"
    ));
    assert!(!has(
        "Compter la caisse au début de chaque quart de travail.",
        "no_condition_or_criterion"
    ));
}

#[test]
fn passives_gerund_shapes_and_leading_subordinate_clauses() {
    // A passive opens with its subject, even a word that is a verb too.
    assert!(has(
        "Orders are picked from the racks using a handheld scanner.",
        "no_action_verb_start"
    ));
    // "-ing" that belongs to the verb is no gerund; a gerund stays a topic.
    assert!(!has(
        "Rewire a lamp by hand to the electrical code.",
        "no_action_verb_start"
    ));
    assert!(!has(
        "Restring a guitar using the luthier's method.",
        "no_action_verb_start"
    ));
    assert!(has(
        "Rewiring a lamp to the electrical code.",
        "no_action_verb_start"
    ));
    for ok in [
        "Once the concrete has set, saw-cut control joints following the site plan.",
        "Having shut off the water, replace a leaking faucet cartridge.",
    ] {
        assert!(!has(ok, "no_action_verb_start"), "{ok}: {:?}", rules(ok));
    }
}

#[test]
fn any_subject_before_a_whole_frame_and_a_long_leading_clause() {
    for ok in [
        "Operators will be able to reset a chlorinator alarm following the plant's procedure.",
        "Warehouse associates will be equipped to wrap a pallet using a stretch wrapper.",
        "Given a floor plan with a kitchen, two bathrooms and a laundry room, estimate the tile \
         needed for the job.",
    ] {
        assert!(!has(ok, "no_action_verb_start"), "{ok}: {:?}", rules(ok));
    }
    // A frame is no subject when an action verb comes first.
    let p = parse(
        "Explain to clients how they will be able to lower their bills.",
        Some("en"),
    );
    assert_eq!(p.first.as_deref(), Some("explain"));
    // Two main verbs after a long "Given …," clause are found.
    assert!(has(
        "Given a site with a shed, a garage and a pool, measure the lot and draw a plan to scale.",
        "multi_verb"
    ));
}

#[test]
fn participles_and_articles_open_topics_and_bare_lists_of_verbs_are_verbs() {
    assert!(has(
        "Trauma-informed practice in shelters and drop-in centres.",
        "no_action_verb_start"
    ));
    assert!(has(
        "An understanding of tenant rights in rental housing.",
        "vague_verb"
    ));
    assert!(has(
        "Prune, shape and mulch hedges in a client's garden.",
        "multi_verb"
    ));
    assert!(!has(
        "Pass and retrieve instruments during a procedure using the four-handed technique.",
        "no_action_verb_start"
    ));
}

#[test]
fn tools_media_inputs_and_people_served_are_conditions() {
    for ok in [
        "Cut a layered bob on a mannequin head.",
        "Verify a panel's wiring against the points list.",
        "Reconcile a petty cash float from the week's receipts.",
        "Log a maintenance request in the work order system.",
        "Plan a reading activity for a small group of preschoolers.",
        "Assess a child's phonics knowledge with a screening tool.",
        "Check the walk-in cooler temperature every four hours.",
        "Serrer les écrous de roue au couple prescrit par le constructeur.",
    ] {
        assert!(
            !has(ok, "no_condition_or_criterion"),
            "{ok}: {:?}",
            rules(ok)
        );
    }
    // A pronoun after "from" names nothing new; "every" alone is no standard.
    assert!(has(
        "Do a heat loss calculation and size the unit from it.",
        "no_condition_or_criterion"
    ));
    assert!(has(
        "Read the drawings and list every beam.",
        "no_condition_or_criterion"
    ));
}
