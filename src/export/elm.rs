//! European Learning Model v3 (ELM) JSON-LD: the design as a `LearningAchievementSpecification`
//! and a `LearningOpportunity` that points at it, as the Learning Opportunities and
//! Qualifications (LOQ) profile describes them for the Europass catalogue and European Digital
//! Credentials. A design is a specification, not an issued credential, so nothing here names a
//! learner.
//!
//! Rendered from a [`Spec`] like the other formats. Keys come out sorted and every id is derived
//! from the design's stable id and version (see [`super::ob3::achievement_id`]), so the same
//! workspace gives the same bytes. Controlled values are EU vocabulary URIs: EQF levels
//! (`http://data.europa.eu/snb/eqf/N`), ISCED-F fields, the Publications Office's language and
//! country tables, the modes of learning and assessment, and the learning settings.

use serde_json::{Map, Value, json};

use super::ob3::{achievement_id, target_url, urn_uuid};
use super::spec::{Spec, SpecCompetency, SpecStatus};
use crate::model::{LearningSetting, LevelValue, Participation};

/// The JSON-LD contexts: the W3C credentials context gives `id` and `type`, the EDC
/// application-profile context everything else (as in the Commission's own samples).
pub const CONTEXT: [&str; 2] = [
    "https://www.w3.org/2018/credentials/v1",
    "http://data.europa.eu/snb/model/context/edc-ap",
];

const EQF_SCHEME: &str = "http://data.europa.eu/snb/eqf/25831c2";
const ISCED_F_SCHEME: &str = "http://data.europa.eu/snb/isced-f/25831c2";
const LANGUAGE_SCHEME: &str = "http://publications.europa.eu/resource/authority/language";
const COUNTRY_SCHEME: &str = "http://publications.europa.eu/resource/authority/country";
const MODE_SCHEME: &str = "http://data.europa.eu/snb/learning-assessment/25831c2";
const SETTING_SCHEME: &str = "http://data.europa.eu/snb/learning-setting/25831c2";
const CREDIT_SCHEME: &str = "http://data.europa.eu/snb/education-credit/25831c2";
const ECTS: &str = "http://data.europa.eu/snb/education-credit/6fcec5c5af";
const OPPORTUNITY_TYPE_SCHEME: &str = "http://data.europa.eu/snb/learning-opportunity/25831c2";
const SHORT_PROGRAMME: &str = "http://data.europa.eu/snb/learning-opportunity/74a4a268e8";
const ESCO_SKILLS: &str = "http://data.europa.eu/esco/concept-scheme/skills";

/// ISO 639-1 codes of the EU's 24 official languages, with the Publications Office's code for
/// each (`http://publications.europa.eu/resource/authority/language/CODE`; the table uses the
/// three-letter terminology form: FRA, DEU, NLD) and the English name. A three-letter code in
/// the workspace is used upper-cased as it is; another two-letter code has no entry here and
/// becomes a `urn:microcred:language:` concept (see [`language_concept`]).
const LANGUAGES: &[(&str, &str, &str)] = &[
    ("bg", "BUL", "Bulgarian"),
    ("cs", "CES", "Czech"),
    ("da", "DAN", "Danish"),
    ("de", "DEU", "German"),
    ("el", "ELL", "Greek"),
    ("en", "ENG", "English"),
    ("es", "SPA", "Spanish"),
    ("et", "EST", "Estonian"),
    ("fi", "FIN", "Finnish"),
    ("fr", "FRA", "French"),
    ("ga", "GLE", "Irish"),
    ("hr", "HRV", "Croatian"),
    ("hu", "HUN", "Hungarian"),
    ("it", "ITA", "Italian"),
    ("lt", "LIT", "Lithuanian"),
    ("lv", "LAV", "Latvian"),
    ("mt", "MLT", "Maltese"),
    ("nl", "NLD", "Dutch"),
    ("pl", "POL", "Polish"),
    ("pt", "POR", "Portuguese"),
    ("ro", "RON", "Romanian"),
    ("sk", "SLK", "Slovak"),
    ("sl", "SLV", "Slovenian"),
    ("sv", "SWE", "Swedish"),
];

/// ISO 3166-1 alpha-2 codes of the EU and EEA countries and the other countries our workspaces
/// name, with the Publications Office's code (alpha-3) and the English name. Another code
/// becomes a `urn:microcred:country:` concept.
const COUNTRIES: &[(&str, &str, &str)] = &[
    ("AT", "AUT", "Austria"),
    ("AU", "AUS", "Australia"),
    ("BE", "BEL", "Belgium"),
    ("BG", "BGR", "Bulgaria"),
    ("CA", "CAN", "Canada"),
    ("CH", "CHE", "Switzerland"),
    ("CY", "CYP", "Cyprus"),
    ("CZ", "CZE", "Czechia"),
    ("DE", "DEU", "Germany"),
    ("DK", "DNK", "Denmark"),
    ("EE", "EST", "Estonia"),
    ("ES", "ESP", "Spain"),
    ("FI", "FIN", "Finland"),
    ("FR", "FRA", "France"),
    ("GB", "GBR", "United Kingdom"),
    ("GR", "GRC", "Greece"),
    ("HR", "HRV", "Croatia"),
    ("HU", "HUN", "Hungary"),
    ("IE", "IRL", "Ireland"),
    ("IS", "ISL", "Iceland"),
    ("IT", "ITA", "Italy"),
    ("LI", "LIE", "Liechtenstein"),
    ("LT", "LTU", "Lithuania"),
    ("LU", "LUX", "Luxembourg"),
    ("LV", "LVA", "Latvia"),
    ("MT", "MLT", "Malta"),
    ("NL", "NLD", "Netherlands"),
    ("NO", "NOR", "Norway"),
    ("NZ", "NZL", "New Zealand"),
    ("PL", "POL", "Poland"),
    ("PT", "PRT", "Portugal"),
    ("RO", "ROU", "Romania"),
    ("SE", "SWE", "Sweden"),
    ("SI", "SVN", "Slovenia"),
    ("SK", "SVK", "Slovakia"),
    ("US", "USA", "United States"),
];

/// A `skos:Concept` in a scheme, with an optional English label and notation.
fn concept(id: &str, scheme: Option<&str>, label: Option<&str>, notation: Option<&str>) -> Value {
    let mut m = Map::new();
    m.insert("id".into(), json!(id));
    m.insert("type".into(), json!("Concept"));
    if let Some(s) = scheme {
        m.insert(
            "inScheme".into(),
            json!({ "id": s, "type": "ConceptScheme" }),
        );
    }
    if let Some(l) = label {
        m.insert("prefLabel".into(), json!({ "en": l }));
    }
    if let Some(n) = notation {
        m.insert("notation".into(), json!(n));
    }
    Value::Object(m)
}

/// The language concept for an ISO 639 code (see [`LANGUAGES`]).
pub fn language_concept(code: &str) -> Value {
    let code = code.trim();
    if let Some((_, eu, name)) = LANGUAGES.iter().find(|(iso, _, _)| *iso == code) {
        let id = format!("{LANGUAGE_SCHEME}/{eu}");
        return concept(&id, Some(LANGUAGE_SCHEME), Some(name), Some(code));
    }
    if code.len() == 3 {
        let id = format!("{LANGUAGE_SCHEME}/{}", code.to_ascii_uppercase());
        return concept(&id, Some(LANGUAGE_SCHEME), None, Some(code));
    }
    concept(
        &format!("urn:microcred:language:{code}"),
        None,
        None,
        Some(code),
    )
}

/// The country concept for an ISO 3166 code; a region (`CA-MB`) counts as its country.
pub fn country_concept(code: &str) -> Value {
    let cc = code.trim().split('-').next().unwrap_or("");
    match COUNTRIES.iter().find(|(iso, _, _)| *iso == cc) {
        Some((_, eu, name)) => concept(
            &format!("{COUNTRY_SCHEME}/{eu}"),
            Some(COUNTRY_SCHEME),
            Some(name),
            Some(cc),
        ),
        None => concept(&format!("urn:microcred:country:{cc}"), None, None, Some(cc)),
    }
}

fn mode_concept(p: Participation) -> Value {
    let (code, label) = match p {
        Participation::Online => ("920fbb3cbe", "Online"),
        Participation::Onsite => ("9191af2ed9", "Presential"),
        Participation::Blended => ("e92d221e4d", "Blended"),
        Participation::WorkBased => ("729f3bed4b", "Workbased"),
    };
    concept(
        &format!("http://data.europa.eu/snb/learning-assessment/{code}"),
        Some(MODE_SCHEME),
        Some(label),
        None,
    )
}

fn setting_concept(s: LearningSetting) -> Value {
    let (code, label) = match s {
        LearningSetting::Formal => ("6fd4685715", "formal learning"),
        LearningSetting::NonFormal => ("e207a81fc7", "non-formal learning"),
    };
    concept(
        &format!("http://data.europa.eu/snb/learning-setting/{code}"),
        Some(SETTING_SCHEME),
        Some(label),
        None,
    )
}

/// A number as plain text: `3`, `2.5`.
fn number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// Hours as an `xsd:duration` in whole hours and minutes: `PT90H`, `PT1H30M`.
pub fn duration(hours: f64) -> String {
    let minutes = (hours.max(0.0) * 60.0).round() as u64;
    match (minutes / 60, minutes % 60) {
        (h, 0) => format!("PT{h}H"),
        (0, m) => format!("PT{m}M"),
        (h, m) => format!("PT{h}H{m}M"),
    }
}

/// The language tag of the design's texts: its first language of instruction, else `en`.
fn text_language(spec: &Spec) -> String {
    spec.credential
        .languages
        .first()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .unwrap_or_else(|| "en".into())
}

/// The concept a competency is aligned to: its ESCO skill, its own URI, or a
/// `urn:microcred:` name in its framework.
fn skill_concept(c: &SpecCompetency) -> (bool, Value) {
    let esco = c
        .uri
        .as_deref()
        .is_some_and(|u| u.starts_with("http://data.europa.eu/esco/"));
    let scheme = if esco {
        ESCO_SKILLS.to_string()
    } else {
        format!("urn:microcred:{}:{}", c.framework.id, c.framework.version)
    };
    let v = concept(
        &target_url(c),
        Some(&scheme),
        Some(&c.name),
        Some(&c.reference),
    );
    (esco, v)
}

fn note(id: String, lang: &str, text: &str) -> Value {
    json!({ "id": id, "type": "Note", "noteLiteral": { lang: text } })
}

/// The ELM document as a JSON value: `@graph` holds the achievement specification, then the
/// learning opportunity.
pub fn document(spec: &Spec) -> Value {
    let cr = &spec.credential;
    let las_id = achievement_id(spec);
    let node = |kind: &str| urn_uuid(&format!("microcred:elm:{kind}:{las_id}"));
    let lang = text_language(spec);
    let lang = lang.as_str();
    let title = cr.title.clone().unwrap_or_else(|| "(untitled)".into());
    let mut description = cr.summary.clone().unwrap_or_default();
    if spec.status == SpecStatus::Draft {
        description = format!("DRAFT — not final. {description}")
            .trim_end()
            .to_string();
    }
    let languages: Vec<Value> = cr.languages.iter().map(|l| language_concept(l)).collect();

    // The achievement specification.
    let mut las = Map::new();
    las.insert("id".into(), json!(las_id));
    las.insert("type".into(), json!("LearningAchievementSpecification"));
    las.insert("title".into(), json!({ lang: title }));
    if !description.trim().is_empty() {
        las.insert("description".into(), json!({ lang: description }));
    }
    if let Some(code) = cr
        .isced_f
        .as_deref()
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        las.insert(
            "thematicArea".into(),
            json!([concept(
                &format!("http://data.europa.eu/snb/isced-f/{code}"),
                Some(ISCED_F_SCHEME),
                None,
                Some(code),
            )]),
        );
    }
    if let Some(l) = &cr.level
        && l.scheme.trim().eq_ignore_ascii_case("EQF")
        && let LevelValue::Number(n @ 1..=8) = l.value
    {
        las.insert(
            "educationLevel".into(),
            json!([concept(
                &format!("http://data.europa.eu/snb/eqf/{n}"),
                Some(EQF_SCHEME),
                Some(&format!("Level {n}")),
                None,
            )]),
        );
    }
    if !languages.is_empty() {
        las.insert("language".into(), json!(languages));
    }
    if let Some(p) = cr.participation {
        las.insert("mode".into(), json!([mode_concept(p)]));
    }
    if let Some(s) = cr.learning_setting {
        las.insert("learningSetting".into(), setting_concept(s));
    }
    if let Some(w) = &cr.workload {
        las.insert("volumeOfLearning".into(), json!(duration(w.hours)));
        if let Some(ects) = w.ects {
            las.insert(
                "creditPoint".into(),
                json!([{
                    "id": node("credit-point"),
                    "type": "CreditPoint",
                    "framework": concept(
                        ECTS,
                        Some(CREDIT_SCHEME),
                        Some("European Credit Transfer System"),
                        None,
                    ),
                    "point": number(ects),
                }]),
            );
        }
    }
    if !cr.prerequisites.is_empty() {
        let text = cr
            .prerequisites
            .iter()
            .map(|p| format!("- {p}"))
            .collect::<Vec<_>>()
            .join("\n");
        las.insert(
            "entryRequirement".into(),
            note(node("entry-requirement"), lang, &text),
        );
    }
    let outcomes: Vec<Value> = spec
        .competencies
        .iter()
        .map(|c| {
            let (esco, skill) = skill_concept(c);
            let mut o = Map::new();
            o.insert(
                "id".into(),
                json!(urn_uuid(&format!(
                    "microcred:elm:outcome:{las_id}:{}",
                    c.reference
                ))),
            );
            o.insert("type".into(), json!("LearningOutcome"));
            let text = c.outcome.as_deref().unwrap_or(&c.name);
            o.insert("title".into(), json!({ lang: text }));
            let key = if esco {
                "relatedESCOSkill"
            } else {
                "relatedSkill"
            };
            o.insert(key.into(), json!([skill]));
            Value::Object(o)
        })
        .collect();
    if !outcomes.is_empty() {
        las.insert("learningOutcome".into(), json!(outcomes));
    }
    if let Some(assessment) = assessment(spec, &node("assessment"), lang, &languages) {
        las.insert("provenBy".into(), json!([assessment]));
    }
    let notes = additional_notes(spec, &las_id, lang);
    if !notes.is_empty() {
        las.insert("additionalNote".into(), json!(notes));
    }
    let org = organisation(spec, &las_id, lang);
    las.insert("publisher".into(), json!(org["id"]));

    // The learning opportunity that offers it.
    let mut lo = Map::new();
    lo.insert("id".into(), json!(node("learning-opportunity")));
    lo.insert("type".into(), json!("LearningOpportunity"));
    lo.insert("title".into(), las["title"].clone());
    if let Some(d) = las.get("description") {
        lo.insert("description".into(), d.clone());
    }
    lo.insert(
        "dcType".into(),
        json!([concept(
            SHORT_PROGRAMME,
            Some(OPPORTUNITY_TYPE_SCHEME),
            Some("Short learning programme"),
            None,
        )]),
    );
    lo.insert("learningAchievementSpecification".into(), json!(las_id));
    if let Some(first) = languages.first() {
        // Not a term of the EDC context: written with the `elm:` prefix it defines.
        lo.insert("elm:defaultLanguage".into(), first.clone());
    }
    if let Some(p) = cr.participation {
        lo.insert("mode".into(), json!([mode_concept(p)]));
    }
    if let Some(url) = cr
        .homepage
        .as_deref()
        .map(str::trim)
        .filter(|u| !u.is_empty())
    {
        lo.insert(
            "homepage".into(),
            json!([{
                "id": node("homepage"),
                "type": "WebResource",
                "contentURL": url,
            }]),
        );
    }
    lo.insert("providedBy".into(), json!([org]));

    json!({
        "@context": CONTEXT,
        "@graph": [Value::Object(las), Value::Object(lo)],
    })
}

/// How the credential is assessed: one assessment specification named for the assessment type,
/// describing how each competency is assessed.
fn assessment(spec: &Spec, id: &str, lang: &str, languages: &[Value]) -> Option<Value> {
    let cr = &spec.credential;
    let per: Vec<String> = spec
        .competencies
        .iter()
        .filter_map(|c| {
            let a = c.assessment.as_ref()?;
            Some(match &a.description {
                Some(d) => format!("- {}: {} ({})", c.name, a.method.as_str(), d),
                None => format!("- {}: {}", c.name, a.method.as_str()),
            })
        })
        .collect();
    let title = cr.assessment_type.as_deref().map(str::trim);
    if title.is_none_or(str::is_empty) && per.is_empty() {
        return None;
    }
    let mut m = Map::new();
    m.insert("id".into(), json!(id));
    m.insert("type".into(), json!("LearningAssessmentSpecification"));
    m.insert(
        "title".into(),
        json!({ lang: title.filter(|t| !t.is_empty()).unwrap_or("Assessment") }),
    );
    if !per.is_empty() {
        m.insert("description".into(), json!({ lang: per.join("\n") }));
    }
    if !languages.is_empty() {
        m.insert("language".into(), json!(languages));
    }
    Some(Value::Object(m))
}

/// The Annex I elements ELM has no property of its own for, as notes.
fn additional_notes(spec: &Spec, las_id: &str, lang: &str) -> Vec<Value> {
    let cr = &spec.credential;
    let mut items: Vec<(&str, String)> = Vec::new();
    if let Some(q) = &cr.quality_assurance {
        items.push(("quality-assurance", format!("Quality assurance: {q}")));
    }
    if let Some(s) = &cr.supervision {
        items.push((
            "supervision",
            format!("Supervision and identity verification: {s}"),
        ));
    }
    if let Some(g) = &cr.grading {
        items.push(("grading", format!("Grading: {g}")));
    }
    if let Some(s) = &cr.stackability {
        let mut t = if s.standalone {
            "Integration and stackability: stands alone".to_string()
        } else {
            "Integration and stackability: does not stand alone".to_string()
        };
        if !s.stacks_into.is_empty() {
            t.push_str(&format!("; stacks into {}", s.stacks_into.join(", ")));
        }
        items.push(("stackability", t));
    }
    if let Some(v) = &cr.validity {
        items.push(("validity", format!("Validity: {v}")));
    }
    items
        .into_iter()
        .map(|(kind, text)| {
            note(
                urn_uuid(&format!("microcred:elm:note:{kind}:{las_id}")),
                lang,
                &text,
            )
        })
        .collect()
}

/// The awarding body as an ELM organisation: its legal name, where it is registered and its
/// registry identifier, as far as the design gives them.
fn organisation(spec: &Spec, las_id: &str, lang: &str) -> Value {
    let cr = &spec.credential;
    let details = cr.awarding_body_details.clone().unwrap_or_default();
    let clean = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(String::from)
    };
    let legal = clean(&details.legal_name);
    let body = clean(&cr.awarding_body);
    let country = clean(&details.country);
    let identifier = clean(&details.identifier);
    let id = match body.as_ref().or(legal.as_ref()) {
        Some(b) => urn_uuid(&format!("microcred:profile:{b}")),
        None => urn_uuid(&format!("microcred:elm:organisation:{las_id}")),
    };
    let node = |kind: &str| urn_uuid(&format!("microcred:elm:{kind}:{id}"));
    let mut m = Map::new();
    m.insert("id".into(), json!(id));
    m.insert("type".into(), json!("Organisation"));
    if let Some(l) = &legal {
        m.insert("legalName".into(), json!({ lang: l }));
    }
    if let Some(b) = &body
        && legal.as_ref() != Some(b)
    {
        m.insert("altLabel".into(), json!({ lang: b }));
    }
    if let Some(c) = &country {
        m.insert(
            "location".into(),
            json!([{
                "id": node("location"),
                "type": "Location",
                "address": [{
                    "id": node("address"),
                    "type": "Address",
                    "countryCode": country_concept(c),
                }],
            }]),
        );
    }
    if let Some(i) = &identifier {
        match &country {
            Some(c) => {
                m.insert(
                    "registration".into(),
                    json!({
                        "id": node("registration"),
                        "type": "LegalIdentifier",
                        "notation": i,
                        "spatial": country_concept(c),
                    }),
                );
            }
            None => {
                m.insert(
                    "identifier".into(),
                    json!([{
                        "id": node("identifier"),
                        "type": "Identifier",
                        "notation": i,
                    }]),
                );
            }
        }
    }
    Value::Object(m)
}

/// The document as pretty JSON with a final newline.
pub fn render(spec: &Spec) -> Vec<u8> {
    let mut s = serde_json::to_string_pretty(&document(spec)).unwrap_or_default();
    s.push('\n');
    s.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_whole_hours_and_minutes() {
        assert_eq!(duration(90.0), "PT90H");
        assert_eq!(duration(1.5), "PT1H30M");
        assert_eq!(duration(0.25), "PT15M");
    }

    #[test]
    fn languages_map_to_the_eu_table() {
        assert_eq!(
            language_concept("fr")["id"],
            "http://publications.europa.eu/resource/authority/language/FRA"
        );
        assert_eq!(
            language_concept("fil")["id"],
            "http://publications.europa.eu/resource/authority/language/FIL"
        );
        assert_eq!(language_concept("xx")["id"], "urn:microcred:language:xx");
        assert!(language_concept("xx").get("inScheme").is_none());
    }

    #[test]
    fn a_region_counts_as_its_country() {
        assert_eq!(
            country_concept("CA-MB")["id"],
            "http://publications.europa.eu/resource/authority/country/CAN"
        );
        assert_eq!(country_concept("ZZ")["id"], "urn:microcred:country:ZZ");
    }

    #[test]
    fn credit_points_are_plain_numbers() {
        assert_eq!(number(3.0), "3");
        assert_eq!(number(2.5), "2.5");
    }
}
