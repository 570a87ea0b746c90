use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Deserializer, Serialize};

/// A skill framework: a level scale and the competencies described on it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    /// Unique among loaded frameworks.
    #[schemars(length(max = crate::limits::ID))]
    pub id: String,
    #[schemars(length(max = crate::limits::NAME))]
    pub name: String,
    /// A string, e.g. "1.0" (quote it in YAML).
    #[serde(deserialize_with = "strict_string")]
    #[schemars(length(max = crate::limits::SHORT))]
    pub version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::NAME))]
    pub publisher: Option<String>,
    /// Where it comes from (URL or citation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::URI))]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::URI))]
    pub licence: Option<String>,
    /// The language its text is written in (a BCP 47 tag such as `en` or `fr`), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::SHORT))]
    pub language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::TEXT))]
    pub description: Option<String>,
    /// Ordered lowest first; level numbers strictly increasing.
    pub levels: Vec<Level>,
    /// At least one.
    pub competencies: Vec<Competency>,
}

/// One step of a framework's proficiency scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Level {
    pub level: u32,
    #[schemars(length(max = crate::limits::NAME))]
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::TEXT))]
    pub description: Option<String>,
}

/// Whether a competency is a skill, knowledge or an attitude.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum CompetencyType {
    Skill,
    Knowledge,
    Attitude,
}

/// A competency within a framework.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Competency {
    /// Unique within the framework.
    #[schemars(length(max = crate::limits::ID))]
    pub id: String,
    #[schemars(length(max = crate::limits::NAME))]
    pub name: String,
    #[schemars(length(max = crate::limits::TEXT))]
    pub description: String,
    /// Groups competencies in the browser.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::NAME))]
    pub category: Option<String>,
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<CompetencyType>,
    /// Alternative labels and search terms.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(inner(length(max = crate::limits::NAME)))]
    pub keywords: Vec<String>,
    /// Id of a broader competency in the same framework.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::ID))]
    pub parent: Option<String>,
    /// A stable URI for the concept (e.g. an ESCO concept URI). microcred addition.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::URI))]
    pub uri: Option<String>,
    /// Level descriptors; when present, only these levels may be targeted.
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "unique_keys"
    )]
    pub levels: BTreeMap<u32, String>,
    /// The code people cite it by (CASE `humanCodingScheme`), when it differs from the id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::NAME))]
    pub code: Option<String>,
    /// Its place among its siblings as the source writes it (CASE `listEnumeration`, else
    /// `sequenceNumber`), e.g. "3" or "b".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::SHORT))]
    pub order: Option<String>,
    /// The source's notes on it (CASE `notes`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::TEXT))]
    pub notes: Option<String>,
    /// Education levels it is meant for (CASE `educationLevel`, e.g. "09", "HS").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(inner(length(max = crate::limits::SHORT)))]
    pub education_level: Vec<String>,
    /// Typed links to other concepts (CASE associations other than `isChildOf`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
}

/// The kind of a link from a competency to an occupation it is essential for (ESCO's
/// relation; its target is the occupation's URI, its title the occupation's label).
pub const ESSENTIAL_FOR_OCCUPATION: &str = "isEssentialForOccupation";
/// The kind of a link from a competency to an occupation it is optional for.
pub const OPTIONAL_FOR_OCCUPATION: &str = "isOptionalForOccupation";

/// A typed link from a competency to another concept: a CASE association such as
/// `exactMatchOf`, `isRelatedTo` or `precedes`, kept as the source states it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Link {
    /// The association type as CASE names it (`exactMatchOf`, `isRelatedTo`, `precedes`, ...).
    #[serde(rename = "type")]
    #[schemars(length(max = crate::limits::SHORT))]
    pub kind: String,
    /// Id of a competency in the same framework, else the target's URI or identifier.
    #[schemars(length(max = crate::limits::URI))]
    pub target: String,
    /// The target's title or code as the source gives it, when the target lies outside.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = crate::limits::NAME))]
    pub title: Option<String>,
}

/// Deserialize a string, refusing a plain scalar that YAML reads as a number or boolean
/// (`version: 1.10` would read as 1.1 in other tools).
pub(crate) fn strict_string<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    struct S;
    impl serde::de::Visitor<'_> for S {
        type Value = String;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a string")
        }
        fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<String, E> {
            Ok(v.to_string())
        }
    }
    d.deserialize_any(S)
}

/// Deserialize a map, refusing a key that appears twice (serde would keep the last silently).
pub(crate) fn unique_keys<'de, D, K, V>(d: D) -> Result<BTreeMap<K, V>, D::Error>
where
    D: Deserializer<'de>,
    K: Deserialize<'de> + Ord + std::fmt::Display,
    V: Deserialize<'de>,
{
    struct V_<K, V>(std::marker::PhantomData<(K, V)>);
    impl<'de, K, V> serde::de::Visitor<'de> for V_<K, V>
    where
        K: Deserialize<'de> + Ord + std::fmt::Display,
        V: Deserialize<'de>,
    {
        type Value = BTreeMap<K, V>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a map of level numbers to descriptors")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut a: A,
        ) -> Result<Self::Value, A::Error> {
            let mut out = BTreeMap::new();
            while let Some((k, v)) = a.next_entry::<K, V>()? {
                let shown = k.to_string();
                if out.insert(k, v).is_some() {
                    return Err(serde::de::Error::custom(format_args!(
                        "duplicate key `{shown}`"
                    )));
                }
            }
            Ok(out)
        }
    }
    d.deserialize_map(V_(std::marker::PhantomData))
}

impl Framework {
    /// The scale entry for `level`, if it is on the scale.
    pub fn level(&self, level: u32) -> Option<&Level> {
        self.levels.iter().find(|l| l.level == level)
    }
}

impl Competency {
    /// Can this competency be targeted at `level` on `framework`'s scale?
    pub fn allows_level(&self, framework: &Framework, level: u32) -> bool {
        framework.level(level).is_some()
            && (self.levels.is_empty() || self.levels.contains_key(&level))
    }
}

/// The generic four-level proficiency scale given to frameworks that have none of their own
/// (ESCO, most CASE packages). It is described in the imported file's `description`.
pub fn generic_levels() -> Vec<Level> {
    [
        (
            1,
            "Foundational",
            "Performs routine tasks with guidance, following set steps.",
        ),
        (
            2,
            "Intermediate",
            "Works independently on standard tasks and solves common problems.",
        ),
        (
            3,
            "Advanced",
            "Handles complex or unfamiliar work and reviews the work of others.",
        ),
        (
            4,
            "Expert",
            "Sets standards and direction and develops capability in others.",
        ),
    ]
    .into_iter()
    .map(|(level, name, d)| Level {
        level,
        name: name.into(),
        description: Some(d.into()),
    })
    .collect()
}
