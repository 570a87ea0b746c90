//! Learning outcomes that can be assessed: each credential competency's outcome checked
//! against the rules of [`OutcomeRule`] — one observable action verb first, one main verb, a
//! condition or a standard, a sensible length, a verb that suits the credential's EQF level and
//! that the assessment method can observe, and no outcome repeated.
//!
//! Pure and deterministic: the word tables are data files of ours (`data/outcomes/*.tsv`,
//! embedded), read once; an outcome is split into tokens and every table phrase is looked up
//! at each token once, so the cost grows with the outcome's length only.

mod lexicon;
mod start;

use std::collections::HashMap;

use serde::Serialize;

pub use lexicon::{Band, Mode};
use lexicon::{Form, Kind, Lexicon, Meaning, Token};

use crate::model::{AssessmentMethod, LevelValue, OutcomeRule, Workspace};

/// More words than this (framing included) is too long.
pub const MAX_WORDS: usize = 40;
/// Fewer words than this (after the framing) is too short.
pub const MIN_WORDS: usize = 4;

/// One finding about one outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub rule: OutcomeRule,
    /// Why, in one line.
    pub message: String,
    /// How to fix it.
    pub hint: String,
    /// Where the rule comes from.
    pub source: &'static str,
}

/// A finding about a credential competency's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OutcomeFinding {
    /// `fw:ID`.
    pub competency: String,
    pub rule: OutcomeRule,
    pub message: String,
    pub hint: String,
    pub source: &'static str,
}

/// A finding the design silenced, with its reason (for reviewers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SilencedFinding {
    /// `fw:ID`.
    pub competency: String,
    pub rule: OutcomeRule,
    pub message: String,
    /// Why the design keeps the outcome as it is.
    pub reason: String,
}

/// What the outcome rules say about a design: the findings, and those silenced.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct OutcomeReport {
    pub findings: Vec<OutcomeFinding>,
    pub silenced: Vec<SilencedFinding>,
}

/// What a rule is based on (shown with every finding).
pub fn source(rule: OutcomeRule) -> &'static str {
    match rule {
        OutcomeRule::VagueVerb => {
            "Cedefop handbook on learning outcomes; revised Bloom taxonomy: the verb must name something an assessor can see"
        }
        OutcomeRule::NoActionVerbStart => {
            "Cedefop handbook on learning outcomes: an outcome starts with the action the learner performs"
        }
        OutcomeRule::MultiVerb => {
            "college outcome-writing guides: one main action per outcome, so one assessment decides it"
        }
        OutcomeRule::NoConditionOrCriterion => {
            "Cedefop handbook on learning outcomes: verb, object, context and standard"
        }
        OutcomeRule::TooLong | OutcomeRule::TooShort => {
            "college outcome-writing guides: one sentence a learner can read at once"
        }
        OutcomeRule::LevelMismatch => {
            "EQF level descriptors and the revised Bloom taxonomy: the verb's band should suit the level"
        }
        OutcomeRule::AssessmentFit => {
            "constructive alignment: the assessment must let the assessor observe the verb"
        }
        OutcomeRule::Duplicate => "one outcome per competency, so each is assessed for itself",
    }
}

fn finding(rule: OutcomeRule, message: String, hint: &str) -> Finding {
    Finding {
        rule,
        message,
        hint: hint.to_string(),
        source: source(rule),
    }
}

/// What the parse of an outcome found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parse {
    /// Words in the whole text.
    pub words: usize,
    /// Words after the framing ("Learners will be able to").
    pub words_after_frame: usize,
    /// The first word after the framing, as written (lower case).
    pub first: Option<String>,
    /// The outcome opens (after the framing) with a verb (vague or not).
    pub starts_with_verb: bool,
    /// The main verbs, in order: phrase, band and mode (none for a vague verb).
    pub verbs: Vec<(String, Option<Band>, Option<Mode>)>,
    /// The vague verb or phrase found, if any.
    pub vague: Option<String>,
    /// A condition or context was found.
    pub condition: bool,
    /// A standard was found.
    pub criterion: bool,
}

/// Per token, the table phrases that start there (computed once per outcome).
struct Matched {
    lex: &'static Lexicon,
    toks: Vec<Token>,
    at: Vec<Vec<(usize, Meaning)>>,
}

impl Matched {
    fn new(text: &str, lex: &'static Lexicon) -> Matched {
        let toks = lexicon::tokens(text);
        let at = (0..toks.len()).map(|i| lex.matches_at(&toks, i)).collect();
        Matched { lex, toks, at }
    }

    /// The longest phrase of `kind` at `i`.
    fn get(&self, i: usize, kind: Kind) -> Option<(usize, Meaning)> {
        self.at
            .get(i)?
            .iter()
            .find(|(_, m)| m.kind == kind)
            .copied()
    }

    fn is(&self, i: usize, kind: Kind) -> bool {
        self.get(i, kind).is_some()
    }

    fn text(&self, i: usize) -> &str {
        self.toks.get(i).map_or("", |t| t.text.as_str())
    }

    fn phrase(&self, i: usize, len: usize) -> String {
        self.toks[i..i + len]
            .iter()
            .map(|t| t.text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn punct(&self, i: usize, marks: &[&str]) -> bool {
        self.toks
            .get(i)
            .is_some_and(|t| !t.word && marks.contains(&t.text.as_str()))
    }

    /// The first comma at or after `from`, within `within` tokens.
    fn comma_within(&self, from: usize, within: usize) -> Option<usize> {
        (from..self.toks.len().min(from + within)).find(|&j| self.punct(j, &[",", ":"]))
    }

    /// An adverb at `i`: listed, or an English `-ly` / French `-ment` word that is no verb.
    fn adverb(&self, i: usize) -> Option<usize> {
        if let Some((n, _)) = self.get(i, Kind::Adverb) {
            return Some(n);
        }
        let t = self.toks.get(i)?;
        let w = &t.text;
        let looks = (w.ends_with("ly") && w.chars().count() > 4)
            || (w.ends_with("ment") && w.chars().count() > 7);
        (t.word && looks && !self.is(i, Kind::Verb) && !self.is(i, Kind::Vague)).then_some(1)
    }

    /// A vague verb at `i`, or a light verb followed by a vague noun within a few words:
    /// (tokens taken up, the phrase).
    fn vague_at(&self, i: usize) -> Option<(usize, String, Form)> {
        if let Some((n, m)) = self.get(i, Kind::Vague) {
            // "savoir" / "know how to" followed by an action verb is a frame, not vagueness.
            if !(self.text(i) == "savoir" && self.is(i + 1, Kind::Verb)) {
                return Some((n, self.phrase(i, n), m.form));
            }
        }
        if let Some((n, m)) = self.get(i, Kind::Light) {
            for j in i + n..(i + n + 5).min(self.toks.len()) {
                if !self.toks[j].word {
                    break;
                }
                if let Some((k, _)) = self.get(j, Kind::VagueNoun) {
                    return Some((j + k - i, self.phrase(i, j + k - i), m.form));
                }
                if self.is(j, Kind::Verb) && j > i + n && !self.is(j, Kind::Det) {
                    break;
                }
            }
        }
        None
    }
}

/// Parse one outcome with the tables of `lang` (`en`, `fr`; anything else: both).
pub fn parse(text: &str, lang: Option<&str>) -> Parse {
    let lex = lexicon::lexicon(lang);
    let m = Matched::new(text, lex);
    let n = m.toks.len();
    let mut p = Parse {
        words: text
            .split_whitespace()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .count(),
        ..Parse::default()
    };
    let start = strip_frame(&m, &mut p);
    p.words_after_frame = m.toks[start.min(n)..].iter().filter(|t| t.word).count();
    p.first = m.toks.get(start).map(|t| t.text.clone());
    main_verbs(&m, start, lang, &mut p);
    conditions(&m, lang != Some("fr"), &mut p);
    p
}

/// Skip what comes before the action verb: bullets, a leading frame ("By the end of the course,
/// learners will be able to"), a leading "Given …," clause, adverbs. Returns the first token of
/// the outcome proper.
fn strip_frame(m: &Matched, p: &mut Parse) -> usize {
    let n = m.toks.len();
    let mut i = 0;
    for _ in 0..12 {
        // Bullets, numbering and stray marks.
        while i < n
            && (!m.toks[i].word
                || (m.text(i).chars().all(|c| c.is_ascii_digit()) && m.punct(i + 1, &[".", ")"]))
                || (start::letter_bullet(m.text(i))
                    && m.punct(i + 1, &[".", ")"])
                    && m.toks[..i].iter().all(|t| !t.word)))
        {
            i += 1;
        }
        if i >= n {
            break;
        }
        // "LO3:", "Outcome 2 –", "Step 4:": a label numbers the outcome, as a bullet does.
        if let Some(c) = label_end(m, i) {
            i = c + 1;
            continue;
        }
        if let Some((len, _)) = m.get(i, Kind::Opener) {
            // "By the end of the course learners will …": on to the subject, unless a comma
            // closes the opener first ("By the end, students can …" has both).
            let subject = (i + len..n.min(i + len + 12)).find(|&j| m.is(j, Kind::Subject));
            let comma = m.comma_within(i + len, 25);
            match (subject, comma) {
                (Some(j), c) if c.is_none_or(|c| j < c) => {
                    i = j;
                    continue;
                }
                (_, Some(c)) => {
                    i = c + 1;
                    continue;
                }
                _ => {}
            }
        }
        // "Operators will be able to", "Controls technicians will be equipped to": whoever the
        // subject is, a few words before a whole frame ("will be able to", "sera capable de")
        // are its subject. Words that read as an action verb ("Explain to clients how they
        // will be able to …") are the outcome itself.
        if let Some((j, len)) = (i + 1..n.min(i + 7))
            .take_while(|&j| m.toks[j - 1].word)
            .find_map(|j| {
                m.get(j, Kind::Modal)
                    .filter(|&(len, _)| len >= 3)
                    .map(|(len, _)| (j, len))
            })
            .filter(|&(j, _)| {
                (i..j).all(|k| {
                    m.get(k, Kind::Verb).is_none_or(|(_, v)| {
                        !matches!(v.form, lexicon::Form::Base | lexicon::Form::Inf)
                    })
                })
            })
        {
            i = j + len;
            continue;
        }
        // [the|each|successful] learner(s) [of this program | who complete it]
        // [will be able to | can | …]
        let mut j = i;
        while j < n && j < i + 3 && m.is(j, Kind::Det) && !m.is(j, Kind::Subject) {
            j += 1;
        }
        if let Some((len, _)) = m.get(j, Kind::Subject) {
            let mut k = j + len;
            // "Graduates of this program will", "Students who complete this module will": a
            // few words that qualify the subject, then the modal.
            if !m.is(k, Kind::Modal) {
                if let Some(q) = (k + 1..n.min(k + 8))
                    .take_while(|&q| m.toks[q].word)
                    .find(|&q| m.is(q, Kind::Modal))
                    .filter(|_| m.toks[k].word && !m.is(k, Kind::Verb))
                {
                    k = q;
                }
            }
            let mut modal = false;
            for _ in 0..3 {
                if let Some((l, _)) = m.get(k, Kind::Modal) {
                    k += l;
                    modal = true;
                } else if m.adverb(k).is_some() && modal {
                    k += 1;
                } else {
                    break;
                }
            }
            if modal || m.is(k, Kind::Verb) || m.vague_at(k).is_some() {
                i = k;
                continue;
            }
        }
        if let Some((len, _)) = m.get(i, Kind::Modal) {
            i += len;
            continue;
        }
        if m.text(i) == "savoir" && m.is(i + 1, Kind::Verb) {
            i += 1;
            continue;
        }
        // A leading clause: "Given a brief, …", "Using a multimeter, …".
        // The clause ends at the first comma the outcome's verb follows ("Given a network with a
        // server, a router and ten workstations, carry out …"), else at its first comma.
        if m.is(i, Kind::Lead) && !m.is(i, Kind::Verb) {
            let verb_after = (i + 1..n.min(i + 35))
                .filter(|&c| m.punct(c, &[","]))
                .find(|&c| {
                    verb_at(m, c + 1).is_some()
                        || m.is(c + 1, Kind::Subject)
                        || m.adverb(c + 1).is_some()
                });
            if let Some(c) = verb_after.or_else(|| m.comma_within(i + 1, 20)) {
                p.condition = true;
                i = c + 1;
                continue;
            }
        }
        if let Some(len) = m.adverb(i) {
            i += len;
            if let Some((l, _)) = m.get(i, Kind::Coord) {
                i += l;
            } else if m.punct(i, &[","]) {
                i += 1;
            }
            continue;
        }
        break;
    }
    i
}

/// Words that name an outcome's number ("LO3", "Outcome 2", "Step 4", "CLO 1.2") before a
/// colon or dash at `i`: the index of the mark.
fn label_end(m: &Matched, i: usize) -> Option<usize> {
    const LABELS: &[&str] = &[
        "lo",
        "clo",
        "plo",
        "outcome",
        "objective",
        "step",
        "task",
        "unit",
        "module",
        "element",
        "competency",
        "résultat",
        "objectif",
        "étape",
        "tâche",
        "élément",
    ];
    let c = (i + 1..m.toks.len().min(i + 4)).find(|&c| !m.toks[c].word)?;
    if !m.punct(c, &[":", "–", "—"]) || m.toks.get(c + 1).is_none_or(|t| !t.word) {
        return None;
    }
    let words = &m.toks[i..c];
    let numbered = words.iter().any(|t| {
        t.text.chars().any(|ch| ch.is_ascii_digit())
            || matches!(
                t.text.as_str(),
                "one" | "two" | "three" | "four" | "five" | "six" | "seven" | "eight" | "nine"
            )
            || start::letter_bullet(&t.text)
    });
    let named = LABELS.contains(&m.text(i));
    (numbered && (named || words.len() == 1)).then_some(c)
}

/// The verb at `i` if any: (tokens, meaning). A word no table knows counts as a verb when an
/// article follows it ("Sharpen a knife", "Assister le personnel"): a noun phrase seldom puts
/// one there. English words ending in a single `s` (plurals) and French words that are not
/// infinitives are left out.
fn verb_at(m: &Matched, i: usize) -> Option<(usize, Meaning)> {
    m.get(i, Kind::Verb).or_else(|| unknown_verb(m, i))
}

/// Articles and possessives that start an object.
const ARTICLES_EN: &[&str] = &[
    "a", "an", "the", "their", "his", "her", "its", "your", "our", "each", "every", "this",
    "these", "those",
];
const ARTICLES_FR: &[&str] = &[
    "le", "la", "les", "l", "un", "une", "des", "du", "son", "sa", "ses", "leur", "leurs", "ce",
    "cet", "cette", "ces", "chaque",
];

fn unknown_verb(m: &Matched, i: usize) -> Option<(usize, Meaning)> {
    let t = m.toks.get(i)?;
    let w = t.text.as_str();
    if !t.word
        || !m.at[i].is_empty()
        || w.chars().count() < 3
        || !w.chars().all(char::is_alphabetic)
    {
        return None;
    }
    let next = m.toks.get(i + 1).filter(|n| n.word)?.text.as_str();
    let gerund = w.ends_with("ing") && w.chars().count() > 5;
    let form = if ARTICLES_EN.contains(&next) && (!w.ends_with('s') || w.ends_with("ss")) && !gerund
    {
        lexicon::Form::Base
    } else if ARTICLES_FR.contains(&next)
        && (w.ends_with("er") || w.ends_with("ir") || w.ends_with("re"))
    {
        lexicon::Form::Inf
    } else {
        return None;
    };
    Some((1, start::guessed(form)))
}

/// The first verb, and every further main verb coordinated with it.
fn main_verbs(m: &Matched, start: usize, lang: Option<&str>, p: &mut Parse) {
    let n = m.toks.len();
    if start >= n {
        return;
    }
    let (mut j, form) = if let Some((len, phrase, form)) = m.vague_at(start) {
        p.starts_with_verb = m.get(start, Kind::Vague).is_some() || m.is(start, Kind::Light);
        p.vague = Some(phrase.clone());
        p.verbs.push((phrase, None, None));
        (start + len, form)
    } else if let Some((at, len)) = {
        let at = start
            + usize::from(matches!(
                m.text(start),
                "a" | "an" | "the" | "une" | "la" | "l"
            ));
        m.get(at, Kind::VagueNoun).map(|(len, _)| (at, len))
    } {
        // "Knowledge of …", "An understanding of …": a vague noun instead of a verb.
        p.vague = Some(m.phrase(at, len));
        return;
    } else if let Some((len, v)) = start::verb(m, start, lang) {
        p.starts_with_verb = true;
        p.verbs.push((m.phrase(start, len), v.band, v.mode));
        (start + len, v.form)
    } else {
        return;
    };
    let mut chain = true;
    let mut after_sep = false;
    // "Use a meter to detect …": the tool used for the purpose is the condition.
    let tool = m.is(start, Kind::ToolVerb);
    while j < n {
        if m.is(j, Kind::Stop) {
            break;
        }
        let to_verb = matches!(m.text(j), "to" | "de" | "d" | "à")
            && (verb_at(m, j + 1).is_some_and(|(_, v)| v.form == form) || m.is(j + 1, Kind::Vague));
        if to_verb || m.is(j, Kind::Purpose) {
            p.condition |= tool;
            break;
        }
        if m.punct(j, &[".", ":", "?", "!"]) {
            break;
        }
        if m.punct(j, &["("]) {
            j = (j..n).find(|&k| m.punct(k, &[")"])).map_or(n, |k| k + 1);
            chain = false;
            continue;
        }
        if m.punct(j, &[",", ";"]) {
            after_sep = true;
            j += 1;
            continue;
        }
        if let Some((len, _)) = m.get(j, Kind::Coord) {
            after_sep = true;
            j += len;
            continue;
        }
        if !after_sep {
            chain = false;
            j += 1;
            continue;
        }
        after_sep = false;
        let mut k = j;
        while let Some(a) = m.adverb(k) {
            k += a;
        }
        if let Some((len, phrase, f)) = m.vague_at(k) {
            if f == form {
                p.vague.get_or_insert(phrase.clone());
                p.verbs.push((phrase, None, None));
                j = k + len;
                continue;
            }
        }
        // "Prune, shape and mulch shrubs", "Wash, cut and style": the verb had no object before
        // the list, so every word the list names is a verb, known to the tables or not.
        if chain
            && m.at[k].is_empty()
            && m.toks.get(k).is_some_and(|t| t.word)
            && m.text(k).chars().all(char::is_alphabetic)
            && m.text(k).chars().count() > 2
        {
            p.verbs.push((m.phrase(k, 1), None, None));
            j = k + 1;
            continue;
        }
        if let Some((len, v)) = verb_at(m, k) {
            let object_follows = m.is(k + len, Kind::Det)
                || m.is(k + len, Kind::Coord)
                || m.punct(k + len, &[","]) && chain;
            if v.form == form && (chain || !v.noun_too || object_follows) && !m.is(k, Kind::Det) {
                p.verbs.push((m.phrase(k, len), v.band, v.mode));
                j = k + len;
                continue;
            }
        }
        chain = false;
        j = k + 1;
    }
}

/// Look for a condition (context) and a standard anywhere in the outcome.
fn conditions(m: &Matched, english: bool, p: &mut Parse) {
    let n = m.toks.len();
    // A preposition within five words before `j` (eight for a standard: "to the
    // organisation's data sanitisation standard"). For a setting, "to" before a verb is an
    // infinitive ("to compare stores"), not a preposition ("to program standard" stays).
    let back = |j: usize, kind: Kind| {
        let reach = if kind == Kind::StandardPrep { 8 } else { 5 };
        (j.saturating_sub(reach)..j)
            .rev()
            .take_while(|&k| m.toks[k].word)
            .any(|k| {
                m.is(k, kind)
                    && !(kind == Kind::SettingPrep && m.text(k) == "to" && m.is(k + 1, Kind::Verb))
            })
    };
    for j in 0..n {
        if !m.toks[j].word {
            continue;
        }
        let w = m.text(j);
        if m.is(j, Kind::Criterion) || w == "%" || w == "±" {
            p.criterion = true;
        }
        if matches!(w, "to" | "every") && m.text(j + 1).chars().any(|c| c.is_ascii_digit()) {
            p.criterion = true;
        }
        if m.is(j, Kind::Condition) {
            p.condition = true;
        }
        // "from monthly bank statements": what the work starts from (French "à partir de" is in
        // the condition table).
        if w == "from"
            && m.toks.get(j + 1).is_some_and(|t| {
                t.word
                    && !t.text.chars().next().is_some_and(|c| c.is_ascii_digit())
                    && !matches!(
                        t.text.as_str(),
                        "it" | "them" | "this" | "that" | "there" | "here"
                    )
            })
        {
            p.condition = true;
        }
        // "with" after a verb of working with someone or a noun of knowing ("familiarity
        // with": the `with_verb` table) names a partner or a topic, not a tool.
        if (w == "with" || w == "avec")
            && !(j > 0 && m.is(j - 1, Kind::WithVerb))
            && !m.is(j + 1, Kind::VagueNoun)
        {
            p.condition = true;
        }
        // "a client's condition": a possessive is no setting.
        // "for a kitchen renovation": a setting word that modifies the noun after it is no
        // setting (English: French puts adjectives after the noun, "un public non spécialiste").
        if let Some((len, _)) = m.get(j, Kind::Setting) {
            let after = j + len;
            let modifier = english
                && m.toks.get(after).is_some_and(|t| t.word && t.text != "of")
                && m.at.get(after).is_some_and(Vec::is_empty);
            if m.text(after) != "s" && !modifier && back(j, Kind::SettingPrep) {
                p.condition = true;
            }
        }
        if m.is(j, Kind::Standard) && back(j, Kind::StandardPrep) {
            p.criterion = true;
        }
    }
}

/// The rules that read the text alone: vague verb, action verb first, one main verb,
/// condition or standard, length. `lang` picks the tables (`en`, `fr`; else both).
pub fn lint(text: &str, lang: Option<&str>) -> Vec<Finding> {
    let p = parse(text, lang);
    text_findings(&p)
}

fn text_findings(p: &Parse) -> Vec<Finding> {
    let mut out = Vec::new();
    if p.words == 0 {
        return out;
    }
    if let Some(v) = &p.vague {
        out.push(finding(
            OutcomeRule::VagueVerb,
            format!("“{v}” cannot be observed or assessed"),
            "say what the learner does that shows it: explain, identify, calculate, install …",
        ));
    }
    if !p.starts_with_verb {
        let first = p.first.as_deref().unwrap_or("");
        out.push(finding(
            OutcomeRule::NoActionVerbStart,
            format!("the outcome starts with “{first}”, not an action verb"),
            "start with the verb of what the learner does, after any “Learners will be able to”",
        ));
    }
    if p.verbs.len() > 1 {
        let verbs: Vec<&str> = p.verbs.iter().map(|(v, _, _)| v.as_str()).collect();
        out.push(finding(
            OutcomeRule::MultiVerb,
            format!("{} main verbs: {}", verbs.len(), verbs.join(", ")),
            "keep one main action per outcome; split the others into outcomes of their own",
        ));
    }
    if !p.condition && !p.criterion {
        out.push(finding(
            OutcomeRule::NoConditionOrCriterion,
            "no condition (using, given, in a … setting) and no standard (to the … standard, within …, according to …)".to_string(),
            "add the context it is done in or the standard it must meet",
        ));
    }
    if p.words > MAX_WORDS {
        out.push(finding(
            OutcomeRule::TooLong,
            format!("{} words; at most {MAX_WORDS} read as one outcome", p.words),
            "cut it to one sentence, or split it into several outcomes",
        ));
    }
    if p.words_after_frame < MIN_WORDS {
        out.push(finding(
            OutcomeRule::TooShort,
            format!(
                "{} word(s) after the framing; at least {MIN_WORDS} are needed",
                p.words_after_frame
            ),
            "say what is acted on and in what context",
        ));
    }
    out
}

/// The Bloom bands an EQF level's outcomes usually sit in (lowest, highest).
pub fn eqf_bands(level: u32) -> (Band, Band) {
    match level {
        0..=2 => (Band::Remember, Band::Apply),
        3 => (Band::Remember, Band::Analyse),
        4 => (Band::Understand, Band::Evaluate),
        5 => (Band::Understand, Band::Create),
        6 => (Band::Apply, Band::Create),
        _ => (Band::Analyse, Band::Create),
    }
}

/// The credential's EQF level, when it has one.
pub fn eqf_level(ws: &Workspace) -> Option<u32> {
    let l = ws.credential.level.as_ref()?;
    if !l.scheme.trim().eq_ignore_ascii_case("eqf") {
        return None;
    }
    match &l.value {
        LevelValue::Number(n) => Some(*n),
        LevelValue::Text(t) => t.trim().parse().ok(),
    }
}

/// The modes an assessment method can observe.
pub fn observes(method: AssessmentMethod, mode: Mode) -> bool {
    use AssessmentMethod as A;
    match method {
        A::Exam => mode == Mode::Think,
        A::Presentation => mode != Mode::Do,
        A::Portfolio => mode != Mode::Talk,
        A::Observation | A::Project | A::Other => true,
    }
}

fn mode_words(mode: Mode) -> &'static str {
    match mode {
        Mode::Think => "an answer",
        Mode::Do => "a performance",
        Mode::Make => "a product",
        Mode::Talk => "an exchange with people",
    }
}

/// All the rules for one outcome in its design: the text rules, and the level and assessment
/// warnings.
pub fn check(text: &str, eqf: Option<u32>, method: Option<AssessmentMethod>) -> Vec<Finding> {
    let p = parse(text, None);
    let mut out = text_findings(&p);
    if let Some(level) = eqf {
        let (low, high) = eqf_bands(level);
        if let Some((v, Some(band), _)) = p
            .verbs
            .iter()
            .filter(|(_, b, _)| b.is_some())
            .max_by_key(|(_, b, _)| *b)
        {
            if *band < low || *band > high {
                let want = if *band < low {
                    format!("{} or higher", low.as_str())
                } else {
                    format!("up to {}", high.as_str())
                };
                out.push(finding(
                    OutcomeRule::LevelMismatch,
                    format!(
                        "“{v}” is a Bloom “{}” verb; an EQF {level} outcome usually asks for {want}",
                        band.as_str()
                    ),
                    "choose a verb of the band the level calls for, or check the credential's level",
                ));
            }
        }
    }
    if let Some(method) = method {
        if let Some((v, _, Some(mode))) = p
            .verbs
            .iter()
            .find(|(_, _, m)| m.is_some_and(|m| !observes(method, m)))
        {
            out.push(finding(
                OutcomeRule::AssessmentFit,
                format!(
                    "an assessment by {} cannot observe “{v}” ({})",
                    method.as_str(),
                    mode_words(*mode)
                ),
                "choose a method that sees it (observation, project, portfolio) or a verb the method can see",
            ));
        }
    }
    out
}

/// The outcome as compared for duplicates: lower case, single spaces, no final mark.
fn normal(text: &str) -> String {
    text.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
        .trim_end_matches(['.', ';', '!'])
        .to_string()
}

/// Every credential competency's outcome checked, silenced rules set apart. One pass over the
/// competencies; duplicates are found with a map built in the same pass.
pub fn analyse(ws: &Workspace) -> OutcomeReport {
    let eqf = eqf_level(ws);
    let mut seen: HashMap<String, &str> = HashMap::with_capacity(ws.competencies.len());
    let mut report = OutcomeReport::default();
    for c in &ws.competencies {
        let Some(text) = c.outcome.as_deref().filter(|t| !t.trim().is_empty()) else {
            continue;
        };
        let mut found = check(text, eqf, c.assessment.as_ref().map(|a| a.method));
        match seen.entry(normal(text)) {
            std::collections::hash_map::Entry::Occupied(first) => found.push(finding(
                OutcomeRule::Duplicate,
                format!("the same outcome as {}", first.get()),
                "write what this competency adds, or remove one of the two",
            )),
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(c.reference.as_str());
            }
        }
        for f in found {
            match c.silence.iter().find(|s| s.rule == f.rule) {
                Some(s) => report.silenced.push(SilencedFinding {
                    competency: c.reference.clone(),
                    rule: f.rule,
                    message: f.message,
                    reason: s.reason.clone(),
                }),
                None => report.findings.push(OutcomeFinding {
                    competency: c.reference.clone(),
                    rule: f.rule,
                    message: f.message,
                    hint: f.hint,
                    source: f.source,
                }),
            }
        }
    }
    report
}

#[cfg(test)]
mod tests;
