//! CTDL JSON-LD for the Credential Registry: the credential and the organisation that owns and
//! offers it ([`graph`]); the CTDL-ASN competency framework of the competencies it requires is
//! its own document in the CTDL-ASN context ([`asn_graph`]), as the Registry publishes them.
//!
//! Rendered from a [`Spec`], like the other formats. The CTIDs are derived from the design's
//! stable id and version (see [`ctid`]): two edits of one version keep every CTID, another
//! version gets new ones (CTDL treats each version as its own resource). Keys come out sorted
//! and nodes in a fixed order, so the same workspace gives the same bytes.
//!
//! Every export says `credentialStat:Active` (the Registry requires a status, and its
//! vocabulary has none for a credential still being designed); a draft's description starts
//! with "DRAFT". Credit value and delivery are stated on the `requires` condition profile, the
//! domain CTDL gives them.

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::spec::{Spec, SpecStatus};
use crate::model::{AgentSector, Participation};

/// The JSON-LD context of CTDL.
pub const CONTEXT: &str = "https://credreg.net/ctdl/schema/context/json";
/// The JSON-LD context of CTDL-ASN (competency frameworks).
pub const ASN_CONTEXT: &str = "https://credreg.net/ctdlasn/schema/context/json";
/// Where Registry resources live; a node's `@id` is this plus its CTID.
pub const RESOURCES: &str = "https://credentialengineregistry.org/resources/";
pub(crate) const GRAPH: &str = "https://credentialengineregistry.org/graph/";

/// The name every CTID of one export is derived from: the stable id and version when the
/// design has a stable id, else the workspace's hash.
fn seed(spec: &Spec) -> String {
    let cr = &spec.credential;
    match (&cr.id, &cr.version) {
        (Some(id), Some(v)) => format!("{id}\u{0}{v}"),
        (Some(id), None) => id.clone(),
        (None, _) => format!("microcred:workspace:{}", spec.provenance.workspace_sha256),
    }
}

pub(crate) fn uuid8(name: &str) -> String {
    let d = Sha256::new()
        .chain_update(b"microcred:ctdl\x00")
        .chain_update(name.as_bytes())
        .finalize();
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    let urn = crate::model::identity::urn_uuid(b, 8);
    urn.trim_start_matches("urn:uuid:").to_string()
}

/// The CTID (`ce-` + a version 8 UUID) of one node of the export: `role` is `credential`,
/// `framework`, or `competency:REF`. The same design, version and role always give the same
/// CTID.
pub fn ctid(spec: &Spec, role: &str) -> String {
    format!("ce-{}", uuid8(&format!("{}\u{0}{role}", seed(spec))))
}

/// The CTID the previous version of the credential had, when the design names one.
fn previous_ctid(spec: &Spec) -> Option<String> {
    let cr = &spec.credential;
    let (id, prev) = (cr.id.as_ref()?, cr.previous_version.as_ref()?);
    let seed = format!("{id}\u{0}{prev}");
    Some(format!("ce-{}", uuid8(&format!("{seed}\u{0}credential"))))
}

/// Is `s` a CTID: `ce-` and a UUID?
fn is_ctid(s: &str) -> bool {
    s.strip_prefix("ce-").is_some_and(|u| {
        u.len() == 36
            && u.char_indices().all(|(i, c)| {
                if matches!(i, 8 | 13 | 18 | 23) {
                    c == '-'
                } else {
                    c.is_ascii_hexdigit()
                }
            })
    })
}

pub(crate) fn resource(ctid: &str) -> String {
    format!("{RESOURCES}{ctid}")
}

/// The language tag the design's own text is written in: its first language, else `en`.
pub(crate) fn lang(spec: &Spec) -> String {
    spec.credential
        .languages
        .first()
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .unwrap_or_else(|| "en".into())
}

/// A concept of a CTDL vocabulary, as a `ceterms:CredentialAlignmentObject`.
pub(crate) fn concept(scheme: &str, scheme_name: &str, node: &str, name: &str) -> Value {
    json!({
        "@type": "ceterms:CredentialAlignmentObject",
        "ceterms:framework": format!("https://credreg.net/ctdl/terms/{scheme}"),
        "ceterms:frameworkName": { "en": scheme_name },
        "ceterms:targetNode": node,
        "ceterms:targetNodeName": { "en": name },
    })
}

/// The CTDL delivery type of a form of participation (work-based learning happens in person,
/// at the workplace).
pub fn delivery_type(p: Participation) -> (&'static str, &'static str) {
    match p {
        Participation::Online => ("deliveryType:OnlineOnly", "Online Only"),
        Participation::Onsite | Participation::WorkBased => ("deliveryType:InPerson", "In Person"),
        Participation::Blended => ("deliveryType:BlendedDelivery", "Blended Delivery"),
    }
}

/// CTDL's agent sector concept (notation and English label) of an awarding body's sector.
pub fn agent_sector(s: AgentSector) -> (&'static str, &'static str) {
    match s {
        AgentSector::Public => ("agentSector:Public", "Public"),
        AgentSector::PrivateNonProfit => ("agentSector:PrivateNonProfit", "Private Not-For-Profit"),
        AgentSector::PrivateForProfit => ("agentSector:PrivateForProfit", "Private For-Profit"),
    }
}

/// `ceterms:MicroCredential` while the workload stays within the ceiling for "micro", else
/// `ceterms:Certificate`, the closest CTDL type for a short certificate of learning.
pub fn credential_type(spec: &Spec) -> &'static str {
    let cr = &spec.credential;
    let hours = cr
        .workload
        .as_ref()
        .map_or(cr.competency_hours, |w| w.hours);
    if hours <= cr.max_hours {
        "ceterms:MicroCredential"
    } else {
        "ceterms:Certificate"
    }
}

fn number(x: f64) -> Value {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        json!(x as i64)
    } else {
        json!(x)
    }
}

fn blank(s: &Option<String>) -> Option<&str> {
    s.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// The owner and offerer: a `ceterms:CredentialOrganization` with a CTID (the registry
/// identifier when it is one, else one derived from the design), its subject web page (the
/// awarding body's `url`, else the credential's homepage) and agent type, when the awarding
/// body is known.
pub(crate) fn organization(spec: &Spec, l: &str) -> Option<(String, String, Value)> {
    let cr = &spec.credential;
    let details = cr.awarding_body_details.as_ref();
    let legal = details.and_then(|d| blank(&d.legal_name));
    let body = blank(&cr.awarding_body);
    let name = legal.or(body)?;
    let ident = details.and_then(|d| blank(&d.identifier));
    let org_ctid = ident
        .filter(|i| is_ctid(i))
        .map(str::to_string)
        .unwrap_or_else(|| ctid(spec, "organization"));
    let id = resource(&org_ctid);
    let mut o = Map::new();
    o.insert("@id".into(), json!(id));
    o.insert("@type".into(), json!("ceterms:CredentialOrganization"));
    o.insert("ceterms:ctid".into(), json!(org_ctid));
    o.insert("ceterms:name".into(), json!({ l: name }));
    o.insert(
        "ceterms:agentType".into(),
        json!([concept(
            "OrganizationType",
            "Organization Type",
            "orgType:Postsecondary",
            "Postsecondary Educational Institution",
        )]),
    );
    if let Some(sector) = details.and_then(|d| d.sector) {
        let (node, name) = agent_sector(sector);
        o.insert(
            "ceterms:agentSectorType".into(),
            json!([concept("AgentSector", "Agent Sector", node, name)]),
        );
    }
    if let Some(page) = details.and_then(|d| blank(&d.url)).or(blank(&cr.homepage)) {
        o.insert("ceterms:subjectWebpage".into(), json!(page));
    }
    if let Some(mail) = details.and_then(|d| blank(&d.email)) {
        o.insert("ceterms:email".into(), json!([mail]));
    }
    if let (Some(legal), Some(body)) = (legal, body)
        && legal != body
    {
        o.insert("ceterms:alternateName".into(), json!({ l: [body] }));
    }
    let title = blank(&cr.title).unwrap_or("this credential");
    o.insert(
        "ceterms:description".into(),
        json!({ "en": format!("The organisation that awards {title}.") }),
    );
    if let Some(country) = details.and_then(|d| blank(&d.country)) {
        o.insert(
            "ceterms:address".into(),
            json!([{ "@type": "ceterms:Place", "ceterms:addressCountry": { "en": country } }]),
        );
    }
    if let Some(ident) = ident.filter(|i| !is_ctid(i)) {
        o.insert(
            "ceterms:identifier".into(),
            json!([{
                "@type": "ceterms:IdentifierValue",
                "ceterms:identifierTypeName": { "en": "Registry identifier" },
                "ceterms:identifierValueCode": ident,
            }]),
        );
    }
    Some((id, name.to_string(), Value::Object(o)))
}

/// The `ceasn:Competency` nodes of a spec, in its order, each a top child of the framework
/// `fw_id`.
fn competency_nodes(spec: &Spec, l: &str, fw_id: &str) -> Vec<Value> {
    let cr = &spec.credential;
    let mut competencies: Vec<Value> = Vec::with_capacity(spec.competencies.len());
    for c in &spec.competencies {
        let id = resource(&ctid(spec, &format!("competency:{}", c.reference)));
        let mut n = Map::new();
        n.insert("@id".into(), json!(id));
        n.insert("@type".into(), json!("ceasn:Competency"));
        n.insert(
            "ceterms:ctid".into(),
            json!(id.trim_start_matches(RESOURCES)),
        );
        n.insert("ceasn:competencyText".into(), json!({ l: c.name }));
        if !c.description.trim().is_empty() {
            n.insert("ceasn:comment".into(), json!({ l: [c.description] }));
        }
        n.insert("ceasn:codedNotation".into(), json!(c.reference));
        if let Some(cat) = &c.category {
            n.insert("ceasn:competencyCategory".into(), json!({ l: cat }));
        }
        if !cr.languages.is_empty() {
            n.insert("ceasn:inLanguage".into(), json!(cr.languages));
        }
        n.insert("ceasn:isPartOf".into(), json!(fw_id));
        n.insert("ceasn:isTopChildOf".into(), json!(fw_id));
        if let Some(uri) = super::case::published_address(c) {
            n.insert("ceasn:exactAlignment".into(), json!([uri]));
        }
        competencies.push(Value::Object(n));
    }
    competencies
}

/// The CTDL JSON-LD graph of a spec.
pub fn graph(spec: &Spec) -> Value {
    let cr = &spec.credential;
    let l = lang(spec);
    let title = cr.title.clone().unwrap_or_else(|| "(untitled)".into());
    let mut description = cr.summary.clone().unwrap_or_default();
    if spec.status == SpecStatus::Draft {
        description = format!("DRAFT — not final. {description}");
    }
    let cred_ctid = ctid(spec, "credential");
    let fw_ctid = ctid(spec, "framework");
    let fw_id = resource(&fw_ctid);
    let fw_name = format!("{title}: competencies");
    let org = organization(spec, &l);

    // The competency framework and its competencies, one node each, in the spec's order.
    let comp_ids: Vec<String> = spec
        .competencies
        .iter()
        .map(|c| resource(&ctid(spec, &format!("competency:{}", c.reference))))
        .collect();
    let mut targets: Vec<Value> = Vec::with_capacity(spec.competencies.len());
    for (c, id) in spec.competencies.iter().zip(&comp_ids) {
        let mut t = Map::new();
        t.insert("@type".into(), json!("ceterms:CredentialAlignmentObject"));
        t.insert("ceterms:targetNode".into(), json!(id));
        t.insert("ceterms:targetNodeName".into(), json!({ &l: c.name }));
        let what = c.outcome.as_deref().unwrap_or(&c.description);
        if !what.trim().is_empty() {
            t.insert("ceterms:targetNodeDescription".into(), json!({ &l: what }));
        }
        t.insert("ceterms:codedNotation".into(), json!(c.reference));
        t.insert("ceterms:framework".into(), json!(fw_id));
        t.insert("ceterms:frameworkName".into(), json!({ &l: fw_name }));
        targets.push(Value::Object(t));
    }

    let mut requires: Vec<Value> = Vec::new();
    let n = spec.competencies.len();
    let mut earn = Map::new();
    earn.insert("@type".into(), json!("ceterms:ConditionProfile"));
    earn.insert(
        "ceterms:name".into(),
        json!({ "en": "Requirements to earn" }),
    );
    let mut how = match n {
        0 => "No competencies are listed yet.".to_string(),
        1 => "Demonstrate the competency below at its target level, as assessed.".to_string(),
        n => format!(
            "Demonstrate each of the {n} competencies below at its target level, as assessed."
        ),
    };
    if let Some(t) = &cr.assessment_type {
        how.push_str(&format!(" Assessment: {}", t.replace('\n', " ")));
    }
    if let Some(p) = cr.participation {
        if !how.ends_with('.') {
            how.push('.');
        }
        how.push_str(&format!(" Delivery: {}.", delivery_type(p).1));
    }
    earn.insert("ceterms:description".into(), json!({ "en": how }));
    if let Some(ects) = cr.workload.as_ref().and_then(|w| w.ects) {
        earn.insert(
            "ceterms:creditValue".into(),
            json!([{
                "@type": "ceterms:ValueProfile",
                "schema:value": number(ects),
                "ceterms:creditUnitType": [concept(
                    "CreditUnit",
                    "Credit Unit Type",
                    "creditUnit:DegreeCredit",
                    "Degree Credit",
                )],
                "schema:description": { "en": "ECTS credits (European Credit Transfer and Accumulation System)." },
            }]),
        );
    }
    if !targets.is_empty() {
        earn.insert("ceterms:targetCompetency".into(), json!(targets));
    }
    requires.push(Value::Object(earn));
    if !cr.prerequisites.is_empty() {
        requires.push(json!({
            "@type": "ceterms:ConditionProfile",
            "ceterms:name": { "en": "Prerequisites" },
            "ceterms:description": { "en": "What a learner needs before enrolling." },
            "ceterms:condition": { &l: cr.prerequisites },
        }));
    }

    let mut c = Map::new();
    c.insert("@id".into(), json!(resource(&cred_ctid)));
    c.insert("@type".into(), json!(credential_type(spec)));
    c.insert("ceterms:ctid".into(), json!(cred_ctid));
    c.insert("ceterms:name".into(), json!({ &l: title }));
    c.insert("ceterms:description".into(), json!({ &l: description }));
    // Required by the Registry; a draft says so in its description.
    c.insert(
        "ceterms:credentialStatusType".into(),
        concept(
            "CredentialStatus",
            "Credential Status",
            "credentialStat:Active",
            "Active",
        ),
    );
    if let Some(home) = blank(&cr.homepage) {
        c.insert("ceterms:subjectWebpage".into(), json!(home));
    }
    if !cr.languages.is_empty() {
        c.insert("ceterms:inLanguage".into(), json!(cr.languages));
    }
    if let Some((org_id, _, _)) = &org {
        c.insert("ceterms:ownedBy".into(), json!([org_id]));
        c.insert("ceterms:offeredBy".into(), json!([org_id]));
    }
    c.insert("ceterms:requires".into(), json!(requires));
    if let Some(w) = &cr.workload {
        c.insert(
            "ceterms:estimatedDuration".into(),
            json!([{
                "@type": "ceterms:DurationProfile",
                "ceterms:exactDuration": super::elm::duration(w.hours),
                "ceterms:description": { "en": "Notional workload in hours to achieve the learning outcomes, assessment included." },
            }]),
        );
    }
    if let Some(code) = blank(&cr.isced_f) {
        c.insert(
            "ceterms:instructionalProgramType".into(),
            json!([{
                "@type": "ceterms:CredentialAlignmentObject",
                "ceterms:frameworkName": { "en": "ISCED-F 2013" },
                "ceterms:codedNotation": code,
                "ceterms:targetNodeName": { "en": format!("ISCED-F {code}") },
            }]),
        );
    }
    // Each category once, in order of first use.
    let mut seen = std::collections::HashSet::new();
    let keywords: Vec<&str> = spec
        .competencies
        .iter()
        .filter_map(|c| c.category.as_deref())
        .filter(|k| seen.insert(*k))
        .collect();
    if !keywords.is_empty() {
        c.insert("ceterms:keyword".into(), json!({ &l: keywords }));
    }
    if let Some(id) = &cr.id {
        c.insert(
            "ceterms:identifier".into(),
            json!([{
                "@type": "ceterms:IdentifierValue",
                "ceterms:identifierTypeName": { "en": "microcred design id" },
                "ceterms:identifierValueCode": id,
            }]),
        );
    }
    if let Some(v) = &cr.version {
        c.insert(
            "ceterms:versionIdentifier".into(),
            json!([{
                "@type": "ceterms:IdentifierValue",
                "ceterms:identifierTypeName": { "en": "Version" },
                "ceterms:identifierValueCode": v,
            }]),
        );
    }
    if let Some(prev) = previous_ctid(spec) {
        c.insert("ceterms:previousVersion".into(), json!(resource(&prev)));
    }

    let mut nodes = vec![Value::Object(c)];
    if let Some((_, _, o)) = &org {
        nodes.push(o.clone());
    }
    json!({
        "@context": CONTEXT,
        "@id": format!("{GRAPH}{cred_ctid}"),
        "@graph": nodes,
    })
}

/// The CTDL-ASN document of a spec: its competency framework and competencies, in the CTDL-ASN
/// context (the Registry publishes a framework apart from the credential that requires it);
/// `None` without competencies.
pub fn asn_graph(spec: &Spec) -> Option<Value> {
    if spec.competencies.is_empty() {
        return None;
    }
    let cr = &spec.credential;
    let l = lang(spec);
    let title = cr.title.clone().unwrap_or_else(|| "(untitled)".into());
    let fw_ctid = ctid(spec, "framework");
    let fw_id = resource(&fw_ctid);
    let org = organization(spec, &l);
    let competencies = competency_nodes(spec, &l, &fw_id);
    let comp_ids: Vec<&Value> = competencies.iter().filter_map(|c| c.get("@id")).collect();
    let mut f = Map::new();
    f.insert("@id".into(), json!(fw_id));
    f.insert("@type".into(), json!("ceasn:CompetencyFramework"));
    f.insert("ceterms:ctid".into(), json!(fw_ctid));
    f.insert(
        "ceasn:name".into(),
        json!({ &l: format!("{title}: competencies") }),
    );
    let mut sources: Vec<String> = Vec::new();
    for c in &spec.competencies {
        let s = format!("{} {}", c.framework.name, c.framework.version);
        if !sources.contains(&s) {
            sources.push(s);
        }
    }
    f.insert(
        "ceasn:description".into(),
        json!({ "en": format!(
            "The competencies {title} requires, drawn from {}.",
            sources.join(", ").trim()
        ) }),
    );
    if !cr.languages.is_empty() {
        f.insert("ceasn:inLanguage".into(), json!(cr.languages));
    }
    if let Some((org_id, org_name, _)) = &org {
        f.insert("ceasn:creator".into(), json!([org_id]));
        f.insert("ceasn:publisher".into(), json!([org_id]));
        f.insert("ceasn:publisherName".into(), json!({ &l: [org_name] }));
    }
    f.insert("ceasn:hasTopChild".into(), json!(comp_ids));
    let mut nodes = vec![Value::Object(f)];
    nodes.extend(competencies);
    Some(json!({
        "@context": ASN_CONTEXT,
        "@id": format!("{GRAPH}{fw_ctid}"),
        "@graph": nodes,
    }))
}

/// The CTDL-ASN document as pretty JSON with a final newline (empty without competencies).
pub fn render_asn(spec: &Spec) -> Vec<u8> {
    let Some(g) = asn_graph(spec) else {
        return Vec::new();
    };
    let mut s = serde_json::to_string_pretty(&g).unwrap_or_default();
    s.push('\n');
    s.into_bytes()
}

/// The graph as pretty JSON with a final newline.
pub fn render(spec: &Spec) -> Vec<u8> {
    let mut s = serde_json::to_string_pretty(&graph(spec)).unwrap_or_default();
    s.push('\n');
    s.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_are_iso_8601_as_in_the_elm_export() {
        let d = |h| super::super::elm::duration(h);
        assert_eq!(d(90.0), "PT90H");
        assert_eq!(d(7.5), "PT7H30M");
        assert_eq!(d(0.333), "PT20M");
    }

    #[test]
    fn delivery_types_come_from_participation() {
        assert_eq!(
            delivery_type(Participation::Online).0,
            "deliveryType:OnlineOnly"
        );
        assert_eq!(
            delivery_type(Participation::Blended).0,
            "deliveryType:BlendedDelivery"
        );
        assert_eq!(
            delivery_type(Participation::Onsite).0,
            "deliveryType:InPerson"
        );
    }
}
