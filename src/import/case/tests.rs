//! Tests of the CASE importer.

use super::*;

fn run(s: &str) -> Result<Framework, Problems> {
    import(s.as_bytes(), "p.json", None)
}

#[test]
fn shape_errors_and_hostile_text_are_located() {
    let src = "{\"CFDocument\": {\"title\": \"T\"},\n \"CFItems\": [\n  {\"identifier\": \"a\", \"fullStatement\": \"x\"},\n  {\"identifier\": \"b\"}]}";
    let p = run(src).expect_err("item without statement");
    assert_eq!((p.0[0].line, p.0[0].column), (Some(4), Some(3)), "{p}");
    let src = "{\"CFDocument\": {\"title\": \"T\"}, \"CFItems\": [], \"CFAssociations\": 3}";
    let p = run(src).expect_err("associations");
    assert_eq!((p.0[0].line, p.0[0].column), (Some(1), Some(65)), "{p}");
}

#[test]
fn maps_items_and_parents() {
    let fw = run(r#"{"CFDocument": {"identifier": "d", "title": "Data Skills", "creator": "X"},
            "CFItems": [
              {"identifier": "u1", "fullStatement": "Handle data", "humanCodingScheme": "D.1"},
              {"identifier": "u2", "fullStatement": "Clean data sets", "abbreviatedStatement": "Clean",
               "humanCodingScheme": "D.1", "conceptKeywords": ["tidy"], "CFItemType": "Standard"}],
            "CFAssociations": [
              {"associationType": "isChildOf", "originNodeURI": {"identifier": "u2"}, "destinationNodeURI": {"identifier": "u1"}},
              {"associationType": "isChildOf", "originNodeURI": {"identifier": "u1"}, "destinationNodeURI": {"identifier": "d"}}]}"#)
        .expect("imports");
    assert_eq!(fw.id, "data-skills");
    assert_eq!(fw.competencies[0].id, "D.1");
    assert_eq!(
        fw.competencies[1].id, "u2",
        "a repeated code falls back to the identifier"
    );
    assert_eq!(fw.competencies[1].parent.as_deref(), Some("D.1"));
    assert_eq!(fw.competencies[1].name, "Clean");
    assert_eq!(fw.competencies[1].keywords, vec!["tidy"]);
    assert_eq!(fw.competencies[0].parent, None);
}

#[test]
fn types_subjects_and_rubric_levels() {
    let fw = run(r#"{"CFDocument": {"title": "T"}, "CFItems": [
              {"identifier": "a", "fullStatement": "A", "CFItemType": "skill", "subject": ["Data"]},
              {"identifier": "b", "fullStatement": "B", "CFItemType": "Knowledge"},
              {"identifier": "c", "fullStatement": "C", "CFItemType": "Standard"}],
            "CFRubrics": [{"identifier": "r", "CFRubricCriteria": [
              {"CFItemURI": {"identifier": "a"}, "CFRubricCriterionLevels": [
                {"score": 1, "quality": "Entry", "description": "Does A with help"},
                {"score": 2, "quality": "Solid"},
                {"score": 2.5, "quality": "Not a level"}]},
              {"CFItemURI": {"identifier": "b"}, "CFRubricCriterionLevels": [
                {"score": 1, "quality": "Novice", "description": "Knows B"}]},
              {"CFItemURI": {"identifier": "elsewhere"}, "CFRubricCriterionLevels": [
                {"score": 9, "quality": "Ignored"}]}]}]}"#)
    .expect("imports");
    let [a, b, c] = &fw.competencies[..] else {
        panic!("three items")
    };
    assert_eq!(
        (a.kind, a.category.as_deref()),
        (Some(CompetencyType::Skill), Some("Data"))
    );
    assert_eq!(
        (b.kind, b.category.as_deref()),
        (Some(CompetencyType::Knowledge), None)
    );
    assert_eq!((c.kind, c.category.as_deref()), (None, Some("Standard")));
    assert_eq!(
        a.levels.get(&1).map(String::as_str),
        Some("Does A with help")
    );
    assert_eq!(
        a.levels.len(),
        1,
        "a level without a description adds no descriptor"
    );
    assert_eq!(b.levels.get(&1).map(String::as_str), Some("Knows B"));
    let names: Vec<(u32, &str)> = fw
        .levels
        .iter()
        .map(|l| (l.level, l.name.as_str()))
        .collect();
    assert_eq!(names, [(1, "Entry / Novice"), (2, "Solid")]);
    assert!(
        fw.description
            .as_deref()
            .is_some_and(|d| d.contains("rubrics"))
    );
    // Hostile text in a rubric level is removed.
    let src = "{\"CFDocument\": {\"title\": \"T\"}, \"CFItems\": [{\"identifier\": \"a\", \"fullStatement\": \"A\"}],\n\"CFRubrics\": [{\"CFRubricCriteria\": [{\"CFItemURI\": {\"identifier\": \"a\"},\n \"CFRubricCriterionLevels\": [{\"score\": 1, \"quality\": \"x\\u202ey\"}]}]}]}";
    let got = read(src.as_bytes(), "p.json", None).expect("imports");
    assert_eq!(got.framework.levels[0].name, "xy");
    assert!(
        got.warnings[0].message.contains("U+202E"),
        "{:?}",
        got.warnings
    );
}

/// Common Core's package has a U+0098 in one item's notes, Smarter Balanced's form feeds
/// in `fullStatement`: the text is cleaned, the import goes on, and each item is named.
#[test]
fn control_characters_are_removed_with_a_warning_per_item() {
    let src = "{\"CFDocument\": {\"title\": \"T\\u001b\"},\n \"CFItems\": [\n  {\"identifier\": \"a\", \"humanCodingScheme\": \"3.NF.1\", \"fullStatement\": \"Understand a fraction\", \"notes\": \"Grade 3 \\u0098expectations\"},\n  {\"identifier\": \"b\", \"fullStatement\": \"Page one\\fpage two\\u000b.\"}]}";
    let got = read(src.as_bytes(), "p.json", None).expect("imports");
    let fw = &got.framework;
    assert_eq!(fw.name, "T");
    assert_eq!(
        fw.competencies[0].notes.as_deref(),
        Some("Grade 3 expectations")
    );
    assert_eq!(fw.competencies[1].description, "Page one page two .");
    let text: Vec<String> = got.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(text.len(), 3, "{text:?}");
    assert!(text.iter().any(|w| w.starts_with("p.json:3:3: warning: `CFItems[0]` (3.NF.1: \"Understand a fraction\", identifier `a`): `notes` held U+0098")), "{text:?}");
    assert!(
        text.iter().any(
            |w| w.contains("`CFItems[1]`") && w.contains("`fullStatement` held U+000C, U+000B")
        ),
        "{text:?}"
    );
    assert!(
        text.iter()
            .any(|w| w.contains("`CFDocument.title` held U+001B")),
        "{text:?}"
    );
    let yaml = crate::store::yaml::to_string(fw).expect("writes");
    assert!(
        !yaml
            .chars()
            .any(|c| crate::problem::is_hidden(c) && c != '\n'),
        "{yaml}"
    );
    // After ten items, the rest are counted.
    let items: Vec<String> = (0..14)
        .map(|i| format!("{{\"identifier\": \"i{i}\", \"fullStatement\": \"x\\u0007{i}\"}}"))
        .collect();
    let src = format!(
        "{{\"CFDocument\": {{\"title\": \"T\"}}, \"CFItems\": [{}]}}",
        items.join(",")
    );
    let got = read(src.as_bytes(), "p.json", None).expect("imports");
    assert_eq!(got.warnings.len(), 11);
    assert!(
        got.warnings[10].message.contains("and 4 more"),
        "{:?}",
        got.warnings[10]
    );
}

#[test]
fn a_repeated_identifier_keeps_the_first_and_names_both() {
    let src = "{\"CFDocument\": {\"title\": \"T\"}, \"CFItems\": [\n {\"identifier\": \"u\", \"humanCodingScheme\": \"A.1\", \"fullStatement\": \"First\"},\n {\"identifier\": \"u\", \"humanCodingScheme\": \"A.2\", \"fullStatement\": \"Second\"}]}";
    let got = read(src.as_bytes(), "p.json", None).expect("imports");
    assert_eq!(got.framework.competencies.len(), 1);
    assert_eq!(got.framework.competencies[0].description, "First");
    let w = got.warnings[0].to_string();
    assert!(w.starts_with("p.json:3:2: warning: `CFItems[1]` (A.2: \"Second\") repeats the identifier `u` of `CFItems[0]` (A.1: \"First\")"), "{w}");
}

#[test]
fn notes_levels_order_codes_and_associations_are_kept() {
    let fw = run(r#"{"CFDocument": {"identifier": "d", "title": "T", "language": "en"},
            "CFItems": [
              {"identifier": "p", "fullStatement": "Number sense", "humanCodingScheme": "N"},
              {"identifier": "a", "fullStatement": "Count to 100", "humanCodingScheme": "K.CC.1",
               "notes": "By ones and tens.", "educationLevel": ["KG", "01"], "listEnumeration": "1"},
              {"identifier": "b", "fullStatement": "Count forward", "humanCodingScheme": "K.CC.2",
               "educationLevel": "KG"}],
            "CFAssociations": [
              {"associationType": "isChildOf", "originNodeURI": {"identifier": "a"}, "destinationNodeURI": {"identifier": "p"}, "sequenceNumber": 4},
              {"associationType": "isChildOf", "originNodeURI": {"identifier": "b"}, "destinationNodeURI": {"identifier": "p"}, "sequenceNumber": 2},
              {"associationType": "precedes", "originNodeURI": {"identifier": "a"}, "destinationNodeURI": {"identifier": "b"}},
              {"associationType": "exactMatchOf", "originNodeURI": {"identifier": "b"},
               "destinationNodeURI": {"identifier": "x", "uri": "https://example.org/uri/x", "title": "CCSS K.CC.2"}},
              {"associationType": "isRelatedTo", "originNodeURI": {"identifier": "d"}, "destinationNodeURI": {"identifier": "b"}}]}"#)
        .expect("imports");
    assert_eq!(fw.language.as_deref(), Some("en"));
    let [p, a, b] = &fw.competencies[..] else {
        panic!("three items")
    };
    assert_eq!(
        (p.id.as_str(), p.code.as_deref()),
        ("N", None),
        "the code is the id"
    );
    assert_eq!(a.notes.as_deref(), Some("By ones and tens."));
    assert_eq!(a.education_level, ["KG", "01"]);
    assert_eq!(b.education_level, ["KG"]);
    assert_eq!(a.order.as_deref(), Some("1"), "listEnumeration first");
    assert_eq!(b.order.as_deref(), Some("2"), "else the sequenceNumber");
    assert_eq!(
        a.links,
        [Link {
            kind: "precedes".into(),
            target: "K.CC.2".into(),
            title: None
        }]
    );
    assert_eq!(
        b.links,
        [Link {
            kind: "exactMatchOf".into(),
            target: "https://example.org/uri/x".into(),
            title: Some("CCSS K.CC.2".into())
        }]
    );
    assert!(
        p.links.is_empty(),
        "an association from the document is not a link"
    );
}

#[test]
fn cycles_are_broken() {
    let fw = run(r#"{"CFDocument": {"title": "T"}, "CFItems": [
              {"identifier": "a", "fullStatement": "A"}, {"identifier": "b", "fullStatement": "B"}],
            "CFAssociations": [
              {"associationType": "isChildOf", "originNodeURI": {"identifier": "a"}, "destinationNodeURI": {"identifier": "b"}},
              {"associationType": "isChildOf", "originNodeURI": {"identifier": "b"}, "destinationNodeURI": {"identifier": "a"}}]}"#)
        .expect("imports");
    assert!(fw.competencies.iter().any(|c| c.parent.is_none()));
}

#[test]
fn malformed_json_is_located() {
    let s = run("{\"CFDocument\": {\n  \"title\": \"x\",\n}")
        .unwrap_err()
        .to_string();
    assert!(s.starts_with("p.json:3:1:"), "{s}");
    let s = run("[1, 2]").unwrap_err().to_string();
    assert!(s.contains("`CFDocument`"), "{s}");
    let s = run(r#"{"CFDocument": {"title": "x"}, "CFItems": [{"identifier": "a"}]}"#)
        .unwrap_err()
        .to_string();
    assert!(s.contains("`CFItems[0]` has no `fullStatement`"), "{s}");
    assert!(run(r#"{"CFDocument": {"title": "x"}, "CFItems": {}}"#).is_err());
    assert!(run("").is_err());
}
