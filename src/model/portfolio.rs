//! A portfolio: several credential designs named together, the stacks they build (a larger
//! credential made of parts, with conditions) and the pathways between them (components linked
//! by "precedes" and "prerequisite", with destinations and off-ramps). Plain data; the checks
//! are [`validate`] here and the analysis is `analysis::portfolio`.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::validate::Finding;
use crate::problem::DocPath;

/// The value of `schema:` in a portfolio file.
pub const PORTFOLIO_SCHEMA: &str = "microcred/portfolio@1";

/// Credentials designed together, with their stacks and pathways.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Portfolio {
    /// Always `microcred/portfolio@1`.
    #[schemars(length(max = crate::limits::SHORT))]
    pub schema: String,
    /// The portfolio's stable id, a URN (`urn:uuid:…`), used by exports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::NAME))]
    pub id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::NAME))]
    pub title: Option<String>,
    /// The web page about the portfolio's offer (the pathways' `subjectWebpage` in CTDL, the
    /// stacks' homepage in ELM).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::NAME))]
    pub homepage: Option<String>,
    /// The credential designs, each a workspace file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub credentials: Vec<Member>,
    /// Larger credentials made of the credentials (or of other stacks).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub stacks: Vec<Stack>,
    /// Routes through the credentials, stacks, outside courses and jobs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub pathways: Vec<Pathway>,
}

impl Default for Portfolio {
    fn default() -> Self {
        Portfolio {
            schema: PORTFOLIO_SCHEMA.to_string(),
            id: None,
            title: None,
            homepage: None,
            credentials: Vec::new(),
            stacks: Vec::new(),
            pathways: Vec::new(),
        }
    }
}

/// One credential design of the portfolio.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Member {
    /// The short id the portfolio uses for it (`hp-basics`).
    #[schemars(length(max = crate::limits::ID))]
    pub id: String,
    /// The workspace file, relative to the portfolio file's folder.
    #[schemars(length(max = crate::limits::NAME))]
    pub path: String,
    /// The design's stable id (`credential.id` in its file) as the portfolio knows it; a
    /// different id in the file means it is another design, or was replaced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::NAME))]
    pub stable_id: Option<String>,
}

/// A larger credential (a certificate, a program) made of parts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Stack {
    #[schemars(length(max = crate::limits::ID))]
    pub id: String,
    #[schemars(length(max = crate::limits::NAME))]
    pub title: String,
    /// What it is (`certificate`, `diploma`, `program`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::SHORT))]
    pub kind: Option<String>,
    /// The partners whose needs the stack answers (partner ids of the parts' designs); all the
    /// parts' partners when empty.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub serves: Vec<String>,
    /// What earning it takes: its parts are every credential or stack this names.
    pub requires: Condition,
}

/// A condition over targets: how many of them (`all`, `any` or a number), and at least so
/// many hours or credits among those completed. Targets are ids (credentials or stacks in a
/// stack; components in a pathway) or nested conditions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// How many targets: `all` (the default), `any`, or a number.
    #[serde(default, skip_serializing_if = "Required::is_all")]
    pub need: Required,
    /// At least this many hours among the targets completed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_hours: Option<f64>,
    /// At least this many credits (ECTS) among the targets completed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_credits: Option<f64>,
    /// What the condition is over.
    #[serde(default)]
    pub of: Vec<Target>,
}

/// How many targets a condition needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Required {
    /// Every target.
    #[default]
    All,
    /// At least one.
    Any,
    /// At least this many.
    Count(u32),
}

impl Required {
    fn is_all(&self) -> bool {
        *self == Required::All
    }

    /// The number of targets it takes out of `n`.
    pub fn of(self, n: usize) -> usize {
        match self {
            Required::All => n,
            Required::Any => 1,
            Required::Count(k) => k as usize,
        }
    }
}

impl JsonSchema for Required {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Required".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "description": "How many targets: `all`, `any`, or a whole number.",
            "oneOf": [
                {"type": "string", "enum": ["all", "any"]},
                {"type": "integer", "minimum": 0}
            ]
        })
    }
}

impl Serialize for Required {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Required::All => s.serialize_str("all"),
            Required::Any => s.serialize_str("any"),
            Required::Count(n) => s.serialize_u32(*n),
        }
    }
}

impl<'de> Deserialize<'de> for Required {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Required;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("`all`, `any` or a whole number")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Required, E> {
                match v {
                    "all" => Ok(Required::All),
                    "any" => Ok(Required::Any),
                    _ => Err(E::custom(format!(
                        "`{v}` is not `all`, `any` or a whole number"
                    ))),
                }
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Required, E> {
                u32::try_from(v)
                    .map(Required::Count)
                    .map_err(|_| E::custom("the number is too large"))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Required, E> {
                u64::try_from(v)
                    .map_err(|_| E::custom("a condition needs a whole number of 0 or more"))
                    .and_then(|v| self.visit_u64(v))
            }
        }
        d.deserialize_any(V)
    }
}

/// A condition's target: an id, or a nested condition.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum Target {
    Id(String),
    Nested(Box<Condition>),
}

impl Condition {
    /// Every id the condition names, nested ones included, in order.
    pub fn ids(&self) -> Vec<&str> {
        let mut out = Vec::new();
        self.walk(&mut |c| {
            for t in &c.of {
                if let Target::Id(id) = t {
                    out.push(id.as_str());
                }
            }
        });
        out
    }

    /// Call `f` on this condition and every nested one, outermost first.
    pub fn walk<'a>(&'a self, f: &mut impl FnMut(&'a Condition)) {
        f(self);
        for t in &self.of {
            if let Target::Nested(c) = t {
                c.walk(f);
            }
        }
    }
}

/// A route: components linked by "precedes" and "prerequisite", leading to destinations, with
/// off-ramps on the way.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Pathway {
    #[schemars(length(max = crate::limits::ID))]
    pub id: String,
    #[schemars(length(max = crate::limits::NAME))]
    pub title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::TEXT))]
    pub description: Option<String>,
    pub components: Vec<Component>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    /// Where the pathway leads (component ids); at least one.
    pub destinations: Vec<String>,
    /// Where a learner may leave with something of value on the way (component ids).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub off_ramps: Vec<String>,
}

/// One step of a pathway: exactly one of a credential of the portfolio, a stack, an outside
/// course or credential, or a job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Component {
    #[schemars(length(max = crate::limits::ID))]
    pub id: String,
    /// A credential of `credentials:` (its id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credential: Option<String>,
    /// A stack of `stacks:` (its id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stack: Option<String>,
    /// A course or credential offered elsewhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outside: Option<Outside>,
    /// A job, by occupation code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub job: Option<Job>,
    /// What completing it takes of the other components (component ids); for a condition
    /// that is not simply "the components linked before it".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub requires: Option<Condition>,
}

/// A course or credential of another provider.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Outside {
    #[schemars(length(max = crate::limits::NAME))]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::NAME))]
    pub url: Option<String>,
    /// Its notional hours, when known (for totals).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hours: Option<f64>,
}

/// A job a pathway leads to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Job {
    #[schemars(length(max = crate::limits::NAME))]
    pub name: String,
    /// An occupation code (ISCO-08, O*NET-SOC, NOC…), e.g. `7127`.
    #[schemars(length(max = crate::limits::SHORT))]
    pub occupation: String,
    /// The scheme of the code (`ISCO-08`, `O*NET-SOC`, `NOC 2021`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::SHORT))]
    pub scheme: Option<String>,
}

/// A link between two components of a pathway.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Link {
    pub from: String,
    pub to: String,
    pub kind: LinkKind,
}

/// What a link says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum LinkKind {
    /// `from` comes before `to` (recommended order).
    Precedes,
    /// `from` must be completed before `to` (an entry requirement of `to`).
    Prerequisite,
}

impl LinkKind {
    /// The word used in files and reports.
    pub fn as_str(self) -> &'static str {
        match self {
            LinkKind::Precedes => "precedes",
            LinkKind::Prerequisite => "prerequisite",
        }
    }
}

impl Component {
    /// What the component is, as (kind, id or name).
    pub fn what(&self) -> Option<(&'static str, &str)> {
        let mut all = [
            self.credential.as_deref().map(|c| ("credential", c)),
            self.stack.as_deref().map(|s| ("stack", s)),
            self.outside.as_ref().map(|o| ("outside", o.name.as_str())),
            self.job.as_ref().map(|j| ("job", j.name.as_str())),
        ]
        .into_iter()
        .flatten();
        let first = all.next();
        if all.next().is_some() { None } else { first }
    }
}

/// Findings of the portfolio file alone: schema, ids, references between its own parts and
/// the shape of each component. (What needs the member designs is `analysis::portfolio`.)
pub fn validate(p: &Portfolio) -> Vec<Finding> {
    use crate::model::is_identifier;
    let mut out = Vec::new();
    let err = |path: DocPath, msg: String, hint: &str| Finding::error(path, msg).hint(hint);
    if p.schema != PORTFOLIO_SCHEMA {
        out.push(err(
            crate::path!("schema"),
            format!("`{}` is not `{PORTFOLIO_SCHEMA}`", p.schema),
            "a portfolio file starts with `schema: microcred/portfolio@1`",
        ));
    }
    let mut seen = std::collections::HashSet::new();
    for (i, m) in p.credentials.iter().enumerate() {
        if !is_identifier(&m.id) {
            out.push(err(
                crate::path!("credentials", i, "id"),
                format!("`{}` is not an id", m.id),
                "use letters, digits, `.`, `_` and `-`, starting with a letter or digit",
            ));
        }
        if !seen.insert(m.id.as_str()) {
            out.push(err(
                crate::path!("credentials", i, "id"),
                format!("there is already a credential or stack `{}`", m.id),
                "give each credential and stack its own id",
            ));
        }
        if m.path.trim().is_empty() {
            out.push(err(
                crate::path!("credentials", i, "path"),
                "the path is empty".into(),
                "name the workspace file, relative to this file",
            ));
        }
    }
    for (i, s) in p.stacks.iter().enumerate() {
        if !is_identifier(&s.id) {
            out.push(err(
                crate::path!("stacks", i, "id"),
                format!("`{}` is not an id", s.id),
                "use letters, digits, `.`, `_` and `-`, starting with a letter or digit",
            ));
        }
        if !seen.insert(s.id.as_str()) {
            out.push(err(
                crate::path!("stacks", i, "id"),
                format!("there is already a credential or stack `{}`", s.id),
                "give each credential and stack its own id",
            ));
        }
    }
    for (i, s) in p.stacks.iter().enumerate() {
        for id in s.requires.ids() {
            if !seen.contains(id) {
                out.push(err(
                    crate::path!("stacks", i, "requires"),
                    format!(
                        "stack `{}` names `{id}`, which is neither a credential nor a stack",
                        s.id
                    ),
                    "name an id of `credentials:` or `stacks:`",
                ));
            }
        }
    }
    for (i, w) in p.pathways.iter().enumerate() {
        let mut comps = std::collections::HashSet::new();
        for (j, c) in w.components.iter().enumerate() {
            let at = crate::path!("pathways", i, "components", j);
            if !comps.insert(c.id.as_str()) {
                out.push(err(
                    at.key("id"),
                    format!("pathway `{}` already has a component `{}`", w.id, c.id),
                    "give each component of a pathway its own id",
                ));
            }
            match c.what() {
                None => out.push(err(
                    at.clone(),
                    format!(
                        "component `{}` must be exactly one of credential, stack, outside or job",
                        c.id
                    ),
                    "keep one of `credential:`, `stack:`, `outside:` or `job:`",
                )),
                Some(("credential", id)) if !p.credentials.iter().any(|m| m.id == id) => {
                    out.push(err(
                        at.key("credential"),
                        format!("`{id}` is not a credential of this portfolio"),
                        "name an id of `credentials:`",
                    ))
                }
                Some(("stack", id)) if !p.stacks.iter().any(|s| s.id == id) => out.push(err(
                    at.key("stack"),
                    format!("`{id}` is not a stack of this portfolio"),
                    "name an id of `stacks:`",
                )),
                _ => {}
            }
        }
        let known = |id: &str| comps.contains(id);
        for (j, l) in w.links.iter().enumerate() {
            for (field, id) in [("from", &l.from), ("to", &l.to)] {
                if !known(id) {
                    out.push(err(
                        crate::path!("pathways", i, "links", j, field),
                        format!("`{id}` is not a component of pathway `{}`", w.id),
                        "name an id of the pathway's `components:`",
                    ));
                }
            }
        }
        if w.destinations.is_empty() {
            out.push(err(
                crate::path!("pathways", i, "destinations"),
                format!("pathway `{}` leads nowhere", w.id),
                "name at least one component as a destination",
            ));
        }
        for (field, ids) in [
            ("destinations", &w.destinations),
            ("off_ramps", &w.off_ramps),
        ] {
            for (j, id) in ids.iter().enumerate() {
                if !known(id) {
                    out.push(err(
                        crate::path!("pathways", i, field, j),
                        format!("`{id}` is not a component of pathway `{}`", w.id),
                        "name an id of the pathway's `components:`",
                    ));
                }
            }
        }
        for (j, c) in w.components.iter().enumerate() {
            if let Some(cond) = &c.requires {
                for id in cond.ids() {
                    if !known(id) {
                        out.push(err(
                            crate::path!("pathways", i, "components", j, "requires"),
                            format!("`{id}` is not a component of pathway `{}`", w.id),
                            "name an id of the pathway's `components:`",
                        ));
                    }
                }
            }
        }
    }
    out
}
