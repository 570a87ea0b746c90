//! The word and phrase tables of the outcome rules (`data/outcomes/*.tsv`, embedded), parsed
//! once into one map from phrase to meanings, and the text split into lower-case tokens the
//! same way for tables and outcomes.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

const EN: &str = include_str!("../../../data/outcomes/en.tsv");
const FR: &str = include_str!("../../../data/outcomes/fr.tsv");

/// What a phrase of the tables is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Verb,
    Vague,
    VagueNoun,
    Light,
    Opener,
    Subject,
    Modal,
    Lead,
    Adverb,
    Det,
    Coord,
    Purpose,
    Stop,
    WithVerb,
    ToolVerb,
    Condition,
    Setting,
    SettingPrep,
    Criterion,
    Standard,
    StandardPrep,
    /// A word that makes a compound verb with the verb after it ("MIG weld", "hand sand").
    VerbPrefix,
}

impl Kind {
    fn parse(s: &str) -> Option<Kind> {
        Some(match s {
            "verb" => Kind::Verb,
            "vague" => Kind::Vague,
            "vague_noun" => Kind::VagueNoun,
            "light" => Kind::Light,
            "opener" => Kind::Opener,
            "subject" => Kind::Subject,
            "modal" => Kind::Modal,
            "lead" => Kind::Lead,
            "adverb" => Kind::Adverb,
            "det" => Kind::Det,
            "coord" => Kind::Coord,
            "purpose" => Kind::Purpose,
            "stop" => Kind::Stop,
            "with_verb" => Kind::WithVerb,
            "tool_verb" => Kind::ToolVerb,
            "condition" => Kind::Condition,
            "setting" => Kind::Setting,
            "setting_prep" => Kind::SettingPrep,
            "criterion" => Kind::Criterion,
            "standard" => Kind::Standard,
            "standard_prep" => Kind::StandardPrep,
            "verb_prefix" => Kind::VerbPrefix,
            _ => return None,
        })
    }

    /// Kinds whose phrases are verbs, inflected on their first word.
    fn inflects(self) -> bool {
        matches!(
            self,
            Kind::Verb | Kind::Vague | Kind::Light | Kind::WithVerb | Kind::ToolVerb
        )
    }
}

/// A band of the revised Bloom taxonomy, lowest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Band {
    Remember = 1,
    Understand,
    Apply,
    Analyse,
    Evaluate,
    Create,
}

impl Band {
    fn parse(s: &str) -> Option<Band> {
        Some(match s {
            "remember" => Band::Remember,
            "understand" => Band::Understand,
            "apply" => Band::Apply,
            "analyse" => Band::Analyse,
            "evaluate" => Band::Evaluate,
            "create" => Band::Create,
            _ => return None,
        })
    }

    /// The band's name in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Band::Remember => "remember",
            Band::Understand => "understand",
            Band::Apply => "apply",
            Band::Analyse => "analyse",
            Band::Evaluate => "evaluate",
            Band::Create => "create",
        }
    }
}

/// What an assessor must see to judge a verb.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// An answer (written or spoken).
    Think,
    /// A performance.
    Do,
    /// A product.
    Make,
    /// An exchange with people.
    Talk,
}

impl Mode {
    fn parse(s: &str) -> Option<Mode> {
        Some(match s {
            "think" => Mode::Think,
            "do" => Mode::Do,
            "make" => Mode::Make,
            "talk" => Mode::Talk,
            _ => return None,
        })
    }
}

/// The grammatical form a verb was found in: coordinated verbs share their form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    /// English base form (`install`).
    Base,
    /// English third person (`installs`).
    Third,
    /// French infinitive (`installer`).
    Inf,
    /// French present (`installe`, `installent`).
    Conj,
}

/// One meaning of a phrase.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Meaning {
    pub kind: Kind,
    pub band: Option<Band>,
    pub mode: Option<Mode>,
    pub form: Form,
    /// Often a noun too (`plan`, `test`).
    pub noun_too: bool,
}

/// The phrases of one or more languages.
#[derive(Debug, Default)]
pub(crate) struct Lexicon {
    phrases: HashMap<String, Vec<Meaning>>,
    /// Every proper prefix (whole words) of a phrase, to stop extending a match early.
    prefixes: HashSet<String>,
}

/// The tables of `lang` (`en`, `fr`), or of both for any other value.
pub(crate) fn lexicon(lang: Option<&str>) -> &'static Lexicon {
    static EN_ONLY: OnceLock<Lexicon> = OnceLock::new();
    static FR_ONLY: OnceLock<Lexicon> = OnceLock::new();
    static BOTH: OnceLock<Lexicon> = OnceLock::new();
    let lang = lang.map(|l| l.trim().to_ascii_lowercase());
    match lang
        .as_deref()
        .map(|l| l.split(['-', '_']).next().unwrap_or(l))
    {
        Some("en") => EN_ONLY.get_or_init(|| Lexicon::of(&[(EN, Lang::En)])),
        Some("fr") => FR_ONLY.get_or_init(|| Lexicon::of(&[(FR, Lang::Fr)])),
        _ => BOTH.get_or_init(|| Lexicon::of(&[(EN, Lang::En), (FR, Lang::Fr)])),
    }
}

#[derive(Clone, Copy)]
enum Lang {
    En,
    Fr,
}

impl Lexicon {
    /// Parse embedded tables. They are ours and checked by a unit test, so a malformed line is
    /// skipped rather than reported.
    fn of(tables: &[(&str, Lang)]) -> Lexicon {
        let mut lex = Lexicon::default();
        for &(text, lang) in tables {
            for line in text.lines() {
                if line.starts_with('#') || line.trim().is_empty() {
                    continue;
                }
                let Some((kind, band, mode, phrases)) = split4(line) else {
                    continue;
                };
                let Some(kind) = Kind::parse(kind) else {
                    continue;
                };
                for raw in phrases.split(',') {
                    let raw = raw.trim();
                    let noun_too = raw.ends_with('*');
                    let words: Vec<String> = tokens(raw.trim_end_matches('*'))
                        .into_iter()
                        .map(|t| t.text)
                        .collect();
                    if words.is_empty() {
                        continue;
                    }
                    let base = match lang {
                        Lang::En => Form::Base,
                        Lang::Fr => Form::Inf,
                    };
                    let meaning = Meaning {
                        kind,
                        band: Band::parse(band),
                        mode: Mode::parse(mode),
                        form: base,
                        noun_too,
                    };
                    lex.add(&words, meaning);
                    // French elides before a vowel: "lors de" is also "lors d'une", "en
                    // présence de" also "en présence d'un".
                    if matches!(lang, Lang::Fr) {
                        for w in elided(&words) {
                            lex.add_new(&w, meaning);
                        }
                    }
                    if kind.inflects() {
                        for (first, form) in inflections(&words[0], lang) {
                            let mut w = words.clone();
                            w[0] = first;
                            lex.add_new(&w, Meaning { form, ..meaning });
                        }
                    }
                }
            }
        }
        lex
    }

    fn add(&mut self, words: &[String], m: Meaning) {
        for n in 1..words.len() {
            self.prefixes.insert(words[..n].join(" "));
        }
        let v = self.phrases.entry(words.join(" ")).or_default();
        if !v.contains(&m) {
            v.push(m);
        }
    }

    /// Add an inflected form unless the phrase already has a meaning of that kind.
    fn add_new(&mut self, words: &[String], m: Meaning) {
        let key = words.join(" ");
        if self
            .phrases
            .get(&key)
            .is_some_and(|v| v.iter().any(|x| x.kind == m.kind))
        {
            return;
        }
        self.add(words, m);
    }

    /// The meanings of one word on its own (`weld` in `spot-weld`).
    pub(crate) fn word(&self, w: &str) -> &[Meaning] {
        self.phrases.get(w).map_or(&[], Vec::as_slice)
    }

    /// Every phrase starting at token `i`: (length in tokens, meaning), longest first.
    pub(crate) fn matches_at(&self, toks: &[Token], i: usize) -> Vec<(usize, Meaning)> {
        let mut out = Vec::new();
        let mut key = String::new();
        for (n, t) in toks[i..].iter().enumerate() {
            if !t.word {
                break;
            }
            if n > 0 {
                key.push(' ');
            }
            key.push_str(&t.text);
            if let Some(ms) = self.phrases.get(&key) {
                out.extend(ms.iter().map(|&m| (n + 1, m)));
            }
            if !self.prefixes.contains(&key) {
                break;
            }
        }
        out.sort_by_key(|m| std::cmp::Reverse(m.0));
        out
    }
}

/// The phrase with one of its French words elided as before a vowel (`de` → `d`, `le`/`la` →
/// `l`, `que` → `qu`, `se` → `s`), one variant per such word.
fn elided(words: &[String]) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let short = match w.as_str() {
            "de" => "d",
            "le" | "la" => "l",
            "que" => "qu",
            "se" => "s",
            _ => continue,
        };
        let mut v = words.to_vec();
        v[i] = short.to_string();
        out.push(v);
    }
    out
}

fn split4(line: &str) -> Option<(&str, &str, &str, &str)> {
    let mut it = line.splitn(4, '\t');
    Some((it.next()?, it.next()?, it.next()?, it.next()?))
}

/// The other forms of a verb's first word.
fn inflections(w: &str, lang: Lang) -> Vec<(String, Form)> {
    match lang {
        Lang::En => {
            let third = if let Some(stem) = w.strip_suffix('y').filter(|s| {
                s.chars()
                    .last()
                    .is_some_and(|c| !matches!(c, 'a' | 'e' | 'i' | 'o' | 'u'))
            }) {
                format!("{stem}ies")
            } else if ["s", "x", "z", "ch", "sh", "o"]
                .iter()
                .any(|e| w.ends_with(e))
            {
                format!("{w}es")
            } else if w == "be" {
                "is".to_string()
            } else if w == "have" {
                "has".to_string()
            } else {
                format!("{w}s")
            };
            vec![(third, Form::Third)]
        }
        Lang::Fr => {
            if let Some(stem) = w.strip_suffix("er") {
                vec![
                    (format!("{stem}e"), Form::Conj),
                    (format!("{stem}ent"), Form::Conj),
                ]
            } else if let Some(stem) = w.strip_suffix("ir") {
                vec![
                    (format!("{stem}it"), Form::Conj),
                    (format!("{stem}issent"), Form::Conj),
                ]
            } else if w == "être" {
                vec![("est".to_string(), Form::Conj)]
            } else {
                Vec::new()
            }
        }
    }
}

/// A token of an outcome: a lower-case word, or one punctuation mark.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token {
    pub text: String,
    pub word: bool,
}

/// Split text into lower-case words (letters, digits, inner `-`, `/`, `.` between digits) and
/// punctuation marks; apostrophes split words (`l'outil` → `l`, `outil`).
pub(crate) fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut word = String::new();
    let chars: Vec<char> = text.chars().collect();
    let flush = |word: &mut String, out: &mut Vec<Token>| {
        if !word.is_empty() {
            out.push(Token {
                text: std::mem::take(word),
                word: true,
            });
        }
    };
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        let joins = |c: char| {
            !word.is_empty() && next.is_some_and(|n| n.is_alphanumeric()) && {
                match c {
                    '-' | '/' => true,
                    '.' => word.chars().last().is_some_and(|p| p.is_ascii_digit()),
                    _ => false,
                }
            }
        };
        if c.is_alphanumeric() || c == '±' || c == '%' || c == '&' {
            if c == '%' || c == '±' {
                flush(&mut word, &mut out);
                out.push(Token {
                    text: c.to_string(),
                    word: true,
                });
                continue;
            }
            word.extend(c.to_lowercase());
        } else if joins(c) {
            word.push(c);
        } else {
            flush(&mut word, &mut out);
            if matches!(
                c,
                ',' | ';' | ':' | '.' | '(' | ')' | '!' | '?' | '•' | '–' | '—'
            ) {
                out.push(Token {
                    text: c.to_string(),
                    word: false,
                });
            }
        }
    }
    flush(&mut word, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_table_line_parses() {
        for (name, text) in [("en", EN), ("fr", FR)] {
            for (n, line) in text.lines().enumerate() {
                if line.starts_with('#') || line.trim().is_empty() {
                    continue;
                }
                let (kind, band, mode, phrases) =
                    split4(line).unwrap_or_else(|| panic!("{name}.tsv:{}: 4 columns", n + 1));
                assert!(Kind::parse(kind).is_some(), "{name}.tsv:{}: kind", n + 1);
                if kind == "verb" {
                    assert!(Band::parse(band).is_some(), "{name}.tsv:{}: band", n + 1);
                    assert!(Mode::parse(mode).is_some(), "{name}.tsv:{}: mode", n + 1);
                }
                assert!(!phrases.trim().is_empty());
            }
        }
    }

    #[test]
    fn tokens_split_words_and_marks() {
        let t: Vec<String> = tokens("L'apprenant: install, test-run 2.5 mm ±1%")
            .into_iter()
            .map(|t| t.text)
            .collect();
        assert_eq!(
            t,
            [
                "l",
                "apprenant",
                ":",
                "install",
                ",",
                "test-run",
                "2.5",
                "mm",
                "±",
                "1",
                "%"
            ]
        );
    }

    #[test]
    fn verbs_are_found_in_every_form_longest_first() {
        let lex = lexicon(None);
        let toks = tokens("carries out the test");
        let m = lex.matches_at(&toks, 0);
        assert_eq!(m[0].0, 2);
        assert_eq!(m[0].1.form, Form::Third);
        let toks = tokens("installent");
        assert!(
            lex.matches_at(&toks, 0)
                .iter()
                .any(|(_, m)| m.kind == Kind::Verb && m.form == Form::Conj)
        );
    }
}
