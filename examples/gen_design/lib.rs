//! The design generator behind `examples/gen_design.rs`, included by `#[path]` from the example
//! and from `tests/it/gen_design.rs` so the test needs no extra build.
//!
//! Size 1 is 2,000 needs from 30 partners, 1,000 credential competencies and 5,000 mappings;
//! size S multiplies every count by S and rounds half away from zero (size 0.25: 500 needs,
//! 8 partners, 250 competencies, 1,250 mappings), at least 1 each. Credential competencies
//! must be unique references, so their count is capped at the competencies available (the
//! built-in frameworks hold 155), and mappings at one per need and competency; each cap is
//! reported in [`Generated::notes`]. Everything comes from a splitmix64 stream seeded by
//! [`Options::seed`]: no clock, no hash-map iteration, so equal options give equal output.

use std::collections::HashSet;

use microcred::catalog::{Catalog, Origin};
use microcred::model::*;

/// Counts at size 1.
pub const BASE_PARTNERS: usize = 30;
/// Needs at size 1.
pub const BASE_NEEDS: usize = 2_000;
/// Credential competencies at size 1.
pub const BASE_COMPETENCIES: usize = 1_000;
/// Mappings at size 1.
pub const BASE_MAPPINGS: usize = 5_000;

/// What to generate.
#[derive(Debug, Clone)]
pub struct Options {
    /// Scale factor, 0.25 to 8.
    pub size: f64,
    /// Seed of the random stream.
    pub seed: u64,
    /// Use only the frameworks read from files (`--frameworks`), not the built-in ones.
    pub files_only: bool,
}

/// A generated design and what was capped on the way.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The design.
    pub workspace: Workspace,
    /// One line per count that could not be met, for stderr.
    pub notes: Vec<String>,
}

/// The count for `base` at `size`: rounded half away from zero, at least 1.
pub fn scaled(base: usize, size: f64) -> usize {
    ((base as f64) * size).round().max(1.0) as usize
}

/// splitmix64: small, fast and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (n > 0).
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next()) * n as u128) >> 64) as usize
    }
    /// True with probability `p`.
    fn chance(&mut self, p: f64) -> bool {
        ((self.next() >> 11) as f64 / (1u64 << 53) as f64) < p
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i + 1);
            items.swap(i, j);
        }
    }
}

const PLACES: &[&str] = &[
    "Coastline",
    "Brightwater",
    "Northshore",
    "Harbourview",
    "Riverbend",
    "Cedar Ridge",
    "Lakeside",
    "Granite Bay",
    "Westfield",
    "Eastport",
    "Silver Birch",
    "Pinecrest",
    "Highland",
    "Maplewood",
    "Stonebridge",
    "Fairhaven",
    "Red Cliff",
    "Summit",
    "Bayfront",
    "Willow Creek",
];
const SECTORS: &[&str] = &[
    "Home Energy",
    "Mechanical",
    "Health",
    "Data",
    "Logistics",
    "Care",
    "Analytics",
    "Building",
    "Electrical",
    "Community Health",
    "Digital",
    "Renewables",
    "Housing",
    "Retail",
    "Software",
];
const SUFFIXES: &[(&str, PartnerKind)] = &[
    ("Services", PartnerKind::Industry),
    ("Ltd", PartnerKind::Industry),
    ("Group", PartnerKind::Industry),
    ("Contractors", PartnerKind::Industry),
    ("Solutions", PartnerKind::Industry),
    ("Partners", PartnerKind::Industry),
    ("Polytechnic", PartnerKind::Institution),
    ("College", PartnerKind::Institution),
    ("Co-operative", PartnerKind::Community),
    ("Association", PartnerKind::Community),
    ("Society", PartnerKind::Community),
];
const PEOPLE: &[&str] = &[
    "marie", "sam", "priya", "tom", "aisha", "li", "jordan", "fatima", "owen", "chloe", "raj",
    "nadia", "ben", "ines", "kwame",
];
const SUBJECTS: &[&str] = &[
    "Technicians",
    "New hires",
    "Graduates",
    "Crew leads",
    "Support workers",
    "Analysts",
    "Apprentices",
    "Site staff",
    "Team members",
    "Entry-level staff",
    "Coordinators",
];
const MODALS: &[&str] = &[
    "can",
    "must be able to",
    "should",
    "need to",
    "are expected to",
    "must reliably",
];
const ACTIONS: &[&str] = &[
    "plan and document",
    "assess",
    "explain to clients",
    "troubleshoot",
    "check and record",
    "carry out",
    "review",
    "apply",
    "report on",
    "prioritise",
    "set up and test",
    "improve",
];
const OBJECTS: &[&str] = &[
    "the daily workload",
    "a whole-home energy assessment",
    "client records",
    "safety checks on shared equipment",
    "a monthly data report",
    "incident reports",
    "the handover between shifts",
    "customer questions about costs",
    "equipment maintenance",
    "a small data pipeline",
    "care plans",
    "site measurements",
    "the work order backlog",
    "privacy requirements",
    "quality checks",
];
const QUALIFIERS: &[&str] = &[
    "without supervision",
    "to the provincial standard",
    "on a live site",
    "within one shift",
    "using the tools we already have",
    "in plain language",
    "for a mixed team",
    "under time pressure",
    "as our regulator expects",
    "from the first month",
];
const EVIDENCE: &[&str] = &[
    "Three of last year's hires needed retraining on this.",
    "Our regulator flagged it in the last audit.",
    "Client complaints about this doubled this year.",
    "The regional labour market survey lists it as a top gap.",
    "Supervisors spend several hours a week covering it.",
    "A new program starts next spring and depends on it.",
];
const RATIONALES: &[&str] = &[
    "The competency covers the core of the need.",
    "Partly covers the need; the rest is on-the-job learning.",
    "Named by the partner in the workshop.",
    "The level asked for matches the partner's job descriptions.",
    "Needed before the more advanced tasks in the need.",
    "The framework descriptor reads almost word for word like the need.",
];
const COMMENTS: &[&str] = &[
    "We agree with the mapping but the level will not be enough for our crews.",
    "Can we see the assessment for this before we sign off?",
    "This overlaps with another mapping; keep one?",
    "Our supervisors think this needs a higher level.",
    "Fine by us.",
    "Not what we meant: the need is about the client conversation, not the procedure.",
    "Let us discuss this at the next partner meeting.",
];
const OUTCOME_SETTINGS: &[&str] = &[
    "in a workplace setting",
    "on a real task",
    "with little supervision",
    "to the level the framework describes",
    "on a simulated job",
    "as part of a team",
];

const STATUSES: &[(MappingStatus, f64)] = &[
    (MappingStatus::Agreed, 0.45),
    (MappingStatus::Proposed, 0.30),
    (MappingStatus::Disputed, 0.15),
    (MappingStatus::Rejected, 0.10),
];

/// Lower-case words joined by `-`: a valid identifier part.
fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// `s` with its first letter in lower case, unless it starts an acronym (`SQL`).
fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(a), Some(b)) if b.is_uppercase() => format!("{a}{b}{}", chars.as_str()),
        (Some(a), _) => a.to_lowercase().chain(s[a.len_utf8()..].chars()).collect(),
        (None, _) => String::new(),
    }
}

/// Cut `s` to at most `max` characters.
fn cut(s: String, max: usize) -> String {
    if s.chars().count() <= max {
        s
    } else {
        s.chars().take(max).collect()
    }
}

/// One competency the design can use: its framework, reference, name and allowed levels.
struct Pool {
    framework: usize,
    reference: String,
    name: String,
    levels: Vec<u32>,
}

/// Generate a design against `catalog` (its file frameworks only when `files_only`).
pub fn generate(catalog: &Catalog, opts: &Options) -> Generated {
    let mut rng = Rng(opts.seed);
    let mut notes = Vec::new();
    let entries: Vec<_> = catalog
        .entries()
        .iter()
        .filter(|e| !opts.files_only || matches!(e.origin, Origin::File(_)))
        .collect();
    let mut pool: Vec<Pool> = Vec::new();
    let mut scales: Vec<Vec<u32>> = Vec::new();
    for (f, e) in entries.iter().enumerate() {
        let fw = &e.framework;
        let scale: Vec<u32> = fw.levels.iter().map(|l| l.level).collect();
        for c in &fw.competencies {
            let levels: Vec<u32> = if c.levels.is_empty() {
                scale.clone()
            } else {
                c.levels.keys().copied().collect()
            };
            if levels.is_empty() {
                continue;
            }
            pool.push(Pool {
                framework: f,
                reference: format!("{}:{}", fw.id, c.id),
                name: c.name.clone(),
                levels,
            });
        }
        scales.push(scale);
    }
    rng.shuffle(&mut pool);

    let n_partners = scaled(BASE_PARTNERS, opts.size);
    let n_needs = scaled(BASE_NEEDS, opts.size);
    let mut n_comps = scaled(BASE_COMPETENCIES, opts.size);
    if n_comps > pool.len() {
        notes.push(format!(
            "only {} competencies are loaded: the credential lists {} instead of {n_comps} \
             (each may be listed once)",
            pool.len(),
            pool.len()
        ));
        n_comps = pool.len();
    }
    let mut n_maps = scaled(BASE_MAPPINGS, opts.size);
    let capacity = n_needs.saturating_mul(pool.len());
    if n_maps > capacity {
        notes.push(format!(
            "only {capacity} distinct need-competency pairs: {capacity} mappings instead of {n_maps}"
        ));
        n_maps = capacity;
    }

    // Partners.
    let mut partners = Vec::with_capacity(n_partners);
    let mut reviewers: Vec<Vec<String>> = Vec::with_capacity(n_partners);
    for i in 0..n_partners {
        let (suffix, kind) = *rng.pick(SUFFIXES);
        let name = format!("{} {} {suffix}", rng.pick(PLACES), rng.pick(SECTORS));
        let id = format!("p{:03}-{}", i + 1, slug(&name));
        reviewers.push(
            (0..2)
                .map(|_| format!("{}@{}", rng.pick(PEOPLE), slug(&name)))
                .collect(),
        );
        partners.push(Partner {
            id: cut(id, microcred::limits::ID),
            name,
            kind,
        });
    }

    // Needs: spread over partners unevenly (a few partners say much more).
    let mut needs = Vec::with_capacity(n_needs);
    let mut need_partner = Vec::with_capacity(n_needs);
    for i in 0..n_needs {
        let p = if rng.chance(0.4) {
            rng.below(n_partners.div_ceil(4))
        } else {
            rng.below(n_partners)
        };
        let mut statement = format!(
            "{} {} {} {}",
            rng.pick(SUBJECTS),
            rng.pick(MODALS),
            rng.pick(ACTIONS),
            rng.pick(OBJECTS)
        );
        if rng.chance(0.6) {
            statement.push(' ');
            let qualifier = rng.pick::<&str>(QUALIFIERS);
            statement.push_str(qualifier);
        }
        if !pool.is_empty() && rng.chance(0.3) {
            let c = rng.pick(&pool);
            statement.push_str(&format!(
                "; for example, they {}",
                lower_first(c.name.trim_end_matches('.'))
            ));
        }
        statement.push('.');
        let r = rng.below(100);
        let priority = if r < 35 {
            Priority::Must
        } else if r < 75 {
            Priority::Should
        } else {
            Priority::Could
        };
        let evidence = rng.chance(0.2).then(|| rng.pick(EVIDENCE).to_string());
        need_partner.push(p);
        needs.push(Need {
            id: format!("N{}", i + 1),
            partner: partners[p].id.clone(),
            statement,
            priority,
            evidence,
        });
    }

    // Credential competencies: the first `n_comps` of the shuffled pool.
    let mut competencies = Vec::with_capacity(n_comps);
    let mut total_hours = 0.0;
    for c in &pool[..n_comps] {
        let target_level = c.levels[(c.levels.len() + rng.below(c.levels.len())) / 2];
        let hours = rng.chance(0.9).then(|| (2 + rng.below(23)) as f64 / 2.0);
        total_hours += hours.unwrap_or(0.0);
        let outcome = rng.chance(0.6).then(|| {
            format!(
                "Learners can {} {}.",
                lower_first(c.name.trim_end_matches('.')),
                rng.pick(OUTCOME_SETTINGS)
            )
        });
        let assessment = rng.chance(0.7).then(|| Assessment {
            method: *rng.pick(&AssessmentMethod::ALL),
            description: rng
                .chance(0.5)
                .then(|| "Assessed on a real task, checked against the descriptor.".to_string()),
        });
        competencies.push(CredentialCompetency {
            reference: c.reference.clone(),
            target_level,
            hours,
            outcome,
            assessment,
            silence: Vec::new(),
        });
    }

    // Mappings: mostly to credential competencies, some to others (gaps to close).
    let mut pairs: HashSet<(usize, usize)> = HashSet::with_capacity(n_maps);
    let mut chosen: Vec<(usize, usize)> = Vec::with_capacity(n_maps);
    while chosen.len() < n_maps {
        let n = rng.below(n_needs);
        let c = if n_comps > 0 && (n_comps == pool.len() || rng.chance(0.85)) {
            rng.below(n_comps)
        } else {
            n_comps + rng.below(pool.len() - n_comps)
        };
        // On a repeat pair, probe onwards to the next free one (there is one: n_maps ≤ capacity).
        let mut k = n * pool.len() + c;
        while pairs.contains(&(k / pool.len(), k % pool.len())) {
            k = (k + 1) % capacity;
        }
        let pair = (k / pool.len(), k % pool.len());
        pairs.insert(pair);
        chosen.push(pair);
    }
    chosen.sort_unstable();
    let mut mappings = Vec::with_capacity(n_maps);
    for (n, c) in chosen {
        let comp = &pool[c];
        let scale = &scales[comp.framework];
        let required_level = rng.chance(0.8).then(|| *rng.pick(scale));
        let rationale = rng.chance(0.5).then(|| rng.pick(RATIONALES).to_string());
        let r = rng.below(1000) as f64 / 1000.0;
        let mut acc = 0.0;
        let mut status = MappingStatus::Proposed;
        for &(s, p) in STATUSES {
            acc += p;
            if r < acc {
                status = s;
                break;
            }
        }
        let people = &reviewers[need_partner[n]];
        let agreed_by = (status == MappingStatus::Agreed).then(|| rng.pick(people).clone());
        let n_comments = if status == MappingStatus::Disputed {
            1 + rng.below(3)
        } else if rng.chance(0.1) {
            1 + rng.below(2)
        } else {
            0
        };
        let comments = (0..n_comments)
            .map(|_| Comment {
                by: rng.pick(people).clone(),
                at: format!(
                    "2026-{:02}-{:02}T{:02}:{:02}:00Z",
                    9 + rng.below(3),
                    1 + rng.below(28),
                    8 + rng.below(10),
                    rng.below(60)
                ),
                text: rng.pick(COMMENTS).to_string(),
            })
            .collect();
        mappings.push(Mapping {
            need: needs[n].id.clone(),
            competency: comp.reference.clone(),
            required_level,
            rationale,
            status,
            status_by: None,
            status_at: None,
            agreed_by,
            comments,
        });
    }

    let frameworks = entries
        .iter()
        .map(|e| FrameworkPin {
            id: e.framework.id.clone(),
            version: e.framework.version.clone(),
        })
        .collect();
    let credential = Credential {
        id: Some(microcred::model::identity::version_id(
            "urn:microcred:generated",
            &format!("{}:{}", opts.size, opts.seed),
        )),
        version: Some("2027.1".into()),
        previous_version: None,
        title: Some(format!(
            "Generated Design (size {}, seed {})",
            opts.size, opts.seed
        )),
        summary: Some(
            "A generated design for benchmarks: many partners, needs and mappings, with the \
             statuses, comments and levels a real co-design accumulates."
                .to_string(),
        ),
        awarding_body: Some("Harbourview Polytechnic".to_string()),
        country: Some("CA-NS".to_string()),
        level: Some(QualificationLevel {
            scheme: "EQF".to_string(),
            value: LevelValue::Number(5),
        }),
        workload: Some(Workload {
            hours: total_hours.max(1.0),
            ects: None,
        }),
        max_hours: None,
        participation: Some(Participation::Blended),
        assessment_type: Some("Practical tasks and a portfolio, verified by an assessor".into()),
        quality_assurance: Some("Reviewed yearly by the program advisory committee".into()),
        supervision: Some("workplace mentor".to_string()),
        prerequisites: vec!["Secondary school diploma or equivalent".to_string()],
        stackability: Some(Stackability {
            standalone: true,
            stacks_into: vec!["Advanced Certificate".to_string()],
        }),
        grading: Some("competent / not yet competent".to_string()),
        validity: Some("Five years".to_string()),
        languages: vec!["en".to_string()],
        isced_f: Some("0713".to_string()),
        homepage: Some("https://college.example/microcredentials/generated".to_string()),
        awarding_body_details: Some(AwardingBodyDetails {
            legal_name: Some("Generated College".to_string()),
            country: Some("CA".to_string()),
            identifier: Some("https://college.example/".to_string()),
            ..Default::default()
        }),
        learning_setting: Some(LearningSetting::Formal),
        evidence_review_months: None,
        equity: Equity {
            cost: Some("Tuition waived for partner employees.".to_string()),
            flexible_delivery: Some("Evening and online sessions.".to_string()),
            learner_supports: Some("A mentor for each learner.".to_string()),
            recognition_of_prior_learning: None,
            community_partners: None,
        },
    };
    Generated {
        workspace: Workspace {
            schema: WORKSPACE_SCHEMA.to_string(),
            frameworks,
            credential,
            partners,
            needs,
            competencies,
            mappings,
            sign_offs: Vec::new(),
            postings: Vec::new(),
            votes: Vec::new(),
        },
        notes,
    }
}
