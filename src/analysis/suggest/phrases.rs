//! What partners' words mean before they are ranked: the shipped list of words that say
//! nothing about a competency (`data/suggest/general.txt`) and the alias table of trade
//! words and abbreviations (`data/suggest/aliases.tsv`), both written by us, plus the aliases a
//! design teaches (see [`super::Context`]).

use std::collections::HashSet;
use std::sync::OnceLock;

use rust_stemmers::{Algorithm, Stemmer};

use super::spelling;

/// A piece of a need's text after the shipped lists were applied.
#[derive(Debug, Clone, PartialEq)]
pub enum Token {
    /// A word that may say something about a competency.
    Word(String),
    /// An alias found in the text: its own words, and the words it stands for.
    Alias { said: String, means: Vec<String> },
}

/// The shipped lists, parsed once per process.
#[derive(Debug, Default)]
pub struct Lists {
    /// Single words that carry no weight.
    pub general: HashSet<String>,
    /// Phrases (two words or more) that carry no weight.
    phrases: Vec<Vec<String>>,
    /// Aliases: the words as said, and what they mean.
    aliases: Vec<(Vec<String>, Vec<String>)>,
    /// The stems of each phrase's and each alias's words (same order as `phrases` and
    /// `aliases`): an entry of two words or more also matches other forms of its words
    /// ("figuring out" for "figure out", "messed up" for "mess up").
    phrase_stems: Vec<Vec<String>>,
    alias_stems: Vec<Vec<String>>,
}

const GENERAL: &str = include_str!("../../../data/suggest/general.txt");
const ALIASES: &str = include_str!("../../../data/suggest/aliases.tsv");

/// The shipped lists.
pub fn shipped() -> &'static Lists {
    static LISTS: OnceLock<Lists> = OnceLock::new();
    LISTS.get_or_init(|| Lists::parse(GENERAL, ALIASES))
}

/// Lower-case words of `text`, split on anything that is not alphanumeric.
pub fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

impl Lists {
    /// Parse the general-word list (one entry a line) and the alias table (said TAB means).
    /// `#` starts a comment line; blank lines are skipped.
    pub fn parse(general: &str, aliases: &str) -> Self {
        let mut l = Lists::default();
        for line in general.lines().map(str::trim) {
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let w: Vec<String> = words(line).collect();
            match w.len() {
                0 => {}
                1 => {
                    l.general.extend(w);
                }
                _ => l.phrases.push(w),
            }
        }
        for line in aliases.lines() {
            if line.trim().is_empty() || line.trim_start().starts_with('#') {
                continue;
            }
            let Some((said, means)) = line.split_once('\t') else {
                continue;
            };
            let said: Vec<String> = words(said).collect();
            let means: Vec<String> = words(means).collect();
            if said.is_empty() || means.is_empty() {
                continue;
            }
            l.aliases.push((said, means));
        }
        // Longest first, so that "lockout tagout" wins over "lockout".
        l.aliases.sort_by_key(|a| std::cmp::Reverse(a.0.len()));
        l.phrases.sort_by_key(|p| std::cmp::Reverse(p.len()));
        let st = Stemmer::create(Algorithm::English);
        l.phrase_stems = l.phrases.iter().map(|p| stems(&st, p)).collect();
        l.alias_stems = l.aliases.iter().map(|(a, _)| stems(&st, a)).collect();
        l
    }

    /// The text's words with aliases replaced and general phrases dropped (single general
    /// words are kept: the caller weighs them, and may also know them from a design).
    pub fn tokens(&self, text: &str, taught: &[(Vec<String>, Vec<String>)]) -> Vec<Token> {
        let w: Vec<String> = words(text).collect();
        let st = Stemmer::create(Algorithm::English);
        let ws = stems(&st, &w);
        let mut out = Vec::new();
        let mut i = 0;
        'outer: while i < w.len() {
            let rest = &w[i..];
            for (said, means) in taught {
                if rest.starts_with(said) {
                    out.push(Token::Alias {
                        said: said.join(" "),
                        means: means.clone(),
                    });
                    i += said.len();
                    continue 'outer;
                }
            }
            for ((said, means), sst) in self.aliases.iter().zip(&self.alias_stems) {
                if starts_with(rest, &ws[i..], said, sst) {
                    out.push(Token::Alias {
                        said: rest[..said.len()].join(" "),
                        means: means.clone(),
                    });
                    i += said.len();
                    continue 'outer;
                }
            }
            for (p, pst) in self.phrases.iter().zip(&self.phrase_stems) {
                if starts_with(rest, &ws[i..], p, pst) {
                    i += p.len();
                    continue 'outer;
                }
            }
            out.push(Token::Word(w[i].clone()));
            i += 1;
        }
        out
    }

    /// True when `word` is on the general list.
    pub fn is_general(&self, word: &str) -> bool {
        self.general.contains(word)
    }
}

/// The stems of `words`, each read in its one spelling first.
fn stems(st: &Stemmer, words: &[String]) -> Vec<String> {
    words
        .iter()
        .map(|w| st.stem(&spelling::shipped().canonical(w)).into_owned())
        .collect()
}

/// True when the text's words `rest` (stems `rest_stems`) begin with the entry `entry` (stems
/// `entry_stems`): word for word, or for an entry of two words or more, stem for stem.
fn starts_with(
    rest: &[String],
    rest_stems: &[String],
    entry: &[String],
    entry_stems: &[String],
) -> bool {
    if rest.starts_with(entry) {
        return true;
    }
    entry.len() >= 2 && rest_stems.starts_with(entry_stems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_replace_and_phrases_drop() {
        let l = Lists::parse(
            "# c\nhonestly\nkilling us\n",
            "# c\nmig\tmetal inert gas welding\nlockout tagout\tisolation\nlockout\tlock\n",
        );
        let t = l.tokens("Honestly, MIG and lockout-tagout are killing us", &[]);
        assert_eq!(
            t,
            vec![
                Token::Word("honestly".into()),
                Token::Alias {
                    said: "mig".into(),
                    means: vec![
                        "metal".into(),
                        "inert".into(),
                        "gas".into(),
                        "welding".into()
                    ]
                },
                Token::Word("and".into()),
                Token::Alias {
                    said: "lockout tagout".into(),
                    means: vec!["isolation".into()]
                },
                Token::Word("are".into()),
            ]
        );
        assert!(l.is_general("honestly") && !l.is_general("mig"));
    }

    #[test]
    fn phrases_and_aliases_of_several_words_match_other_forms_of_them() {
        let l = Lists::parse("messing up\n", "figure out\ttroubleshoot\ntire\ttyre\n");
        let t = l.tokens("They figured out the tires, then messed up", &[]);
        assert_eq!(
            t,
            vec![
                Token::Word("they".into()),
                Token::Alias {
                    said: "figured out".into(),
                    means: vec!["troubleshoot".into()]
                },
                Token::Word("the".into()),
                // One word is matched as written: "tired" is not "tire".
                Token::Word("tires".into()),
                Token::Word("then".into()),
            ]
        );
    }

    #[test]
    fn the_shipped_lists_parse_and_hold_the_trade_abbreviations() {
        let l = shipped();
        for abbr in ["mig", "tig", "psw", "pos", "spc", "pm", "hrv", "vfd"] {
            assert!(
                matches!(l.tokens(abbr, &[]).as_slice(), [Token::Alias { .. }]),
                "{abbr}"
            );
        }
        for filler in ["properly", "honestly", "nightmare", "hires"] {
            assert!(l.is_general(filler), "{filler}");
        }
        assert!(l.tokens("callbacks are killing us", &[]).len() == 2);
        // "till" in speech is mostly "until"; the cash drawer is "the till".
        assert!(
            l.tokens("running them till they die", &[])
                .iter()
                .all(|t| matches!(t, Token::Word(_)))
        );
        assert!(matches!(
            l.tokens("open the till", &[]).as_slice(),
            [Token::Word(_), Token::Alias { .. }]
        ));
        // Other forms of a phrase's words: "figuring out", "messed up".
        assert!(matches!(
            l.tokens("figuring out", &[]).as_slice(),
            [Token::Alias { .. }]
        ));
    }
}
