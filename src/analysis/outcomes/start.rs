//! Whether an outcome opens with a verb. The tables come first; a word they do not list is
//! judged by its shape: French infinitives and reflexives ("s'assurer", "se servir de"),
//! English compound verbs ("MIG weld", "hand-sand", "reassemble"), and an English word followed
//! by what reads as its object ("Sharpen a knife", "Deburr machined parts on a …"). Gerunds
//! ("Installing …") and words with a noun or adjective ending ("Insulation", "Electrical") are
//! no verbs: they open a topic, not what the learner does.

use super::lexicon::{Form, Kind, Meaning};
use super::{ARTICLES_EN, ARTICLES_FR, Matched};

/// Noun and adjective endings: an unlisted word ending so does not open with an action.
const NOMINAL: &[&str] = &[
    "tion", "sion", "ment", "ness", "ity", "ance", "ence", "ancy", "ency", "ics", "ism", "ship",
    "ogy", "ing", "al", "ous", "ive", "ful", "less", "ary", "ory", "ical", "ic", "ist", "ian",
    "ant", "ent", "ure", "ty", "ery", "ry", "hood", "dom", "ware", "er", "or",
];

/// Words after a verb that start its object or complete it (a particle).
const OBJECT_START: &[&str] = &[
    "them",
    "it",
    "one",
    "yourself",
    "themselves",
    "up",
    "out",
    "down",
    "off",
    "back",
    "away",
    "over",
    "all",
    "any",
    "both",
    "some",
    "no",
];

/// Particles of phrasal verbs ("top up", "close out", "hand off").
const PARTICLES: &[&str] = &[
    "up", "out", "off", "down", "in", "back", "over", "away", "on",
];

/// A bullet letter or small roman numeral ("a.", "iv)").
pub(super) fn letter_bullet(w: &str) -> bool {
    (w.chars().count() == 1 && w.chars().all(|c| c.is_ascii_lowercase()))
        || matches!(
            w,
            "ii" | "iii" | "iv" | "vi" | "vii" | "viii" | "ix" | "xi" | "xii"
        )
}

/// The endings of nouns made from verbs or adjectives ("installation", "maintenance").
const NOUN_MADE: &[&str] = &[
    "tion", "sion", "ment", "ness", "ity", "ety", "ance", "ence", "ing", "ery", "ogy", "ics",
    "ship", "ism", "dure",
];

/// A noun made from a verb or adjective, singular or plural ("safety", "procedures"); "-ings"
/// plurals ("fittings", "readings") are things, objects of a verb rather than the head of a
/// topic ("sizing").
fn noun_made(w: &str) -> bool {
    let base = w
        .strip_suffix('s')
        .filter(|b| !b.ends_with("ing") && !b.ends_with('s'))
        .unwrap_or(w);
    [w, base]
        .iter()
        .any(|x| x.chars().count() > 4 && NOUN_MADE.iter().any(|e| x.ends_with(e)))
}

/// An "-ing" form ("installing"), not a verb whose "-ing" is its own ("restring", "bring"):
/// what comes before "-ing", prefix aside, has a vowel.
fn gerund(w: &str) -> bool {
    let Some(stem) = w.strip_suffix("ing").filter(|_| w.chars().count() > 5) else {
        return false;
    };
    let stem = ["re", "un", "pre", "out"]
        .iter()
        .find_map(|p| stem.strip_prefix(p))
        .unwrap_or(stem);
    stem.chars().any(|c| "aeiouy".contains(c))
}

fn nominal(w: &str) -> bool {
    w.chars().count() > 4 && NOMINAL.iter().any(|e| w.ends_with(e))
}

fn base_verb(m: &Matched, w: &str) -> Option<Meaning> {
    m.lex
        .word(w)
        .iter()
        .find(|v| v.kind == Kind::Verb && matches!(v.form, Form::Base | Form::Inf))
        .copied()
}

/// A verb the tables do not list, in `form`.
pub(super) fn guessed(form: Form) -> Meaning {
    Meaning {
        kind: Kind::Verb,
        band: None,
        mode: None,
        form,
        noun_too: false,
    }
}

/// The verb the outcome opens with at `i`, if it opens with one: (tokens, meaning). `lang` as
/// in [`super::parse`].
pub(super) fn verb(m: &Matched, i: usize, lang: Option<&str>) -> Option<(usize, Meaning)> {
    let english = lang != Some("fr");
    let french = lang != Some("en");
    let t = m.toks.get(i).filter(|t| t.word)?;
    let w = t.text.as_str();
    // "s'assurer", "se servir de": the reflexive pronoun belongs to the verb.
    if french && matches!(w, "se" | "s") {
        if let Some((n, v)) = verb(m, i + 1, Some("fr")).filter(|(_, v)| v.form == Form::Inf) {
            return Some((n + 1, v));
        }
    }
    // "MIG weld", "hand sand", "steam clean": a process word before a listed verb.
    if english && m.is(i, Kind::VerbPrefix) {
        if let Some((n, v)) = m.get(i + 1, Kind::Verb) {
            if v.form == Form::Base && !nominal(m.text(i + 1 + n)) {
                return Some((n + 1, v));
            }
        }
    }
    if let Some(v) = m.get(i, Kind::Verb) {
        // "Invoices are entered …", "Les retours sont traités …": a passive sentence opens
        // with its subject, even one that reads as a verb.
        let passive = matches!(
            m.text(i + v.0),
            "is" | "are" | "was" | "were" | "est" | "sont"
        );
        return (!passive).then_some(v);
    }
    if let Some((n, _)) = m.get(i, Kind::ToolVerb) {
        return Some((n, guessed(Form::Inf)));
    }
    let listed = m.at[i].iter().any(|(_, v)| v.kind != Kind::VerbPrefix);
    if listed || w.chars().count() < 3 {
        return None;
    }
    if !w.chars().all(|c| c.is_alphabetic() || c == '-') {
        return None;
    }
    // "Trauma-informed practice", "Detailed drawings": a past participle opens a noun phrase.
    let last = w.rsplit('-').next().unwrap_or(w);
    if english && last.chars().count() > 5 && last.ends_with("ed") && !last.ends_with("eed") {
        return None;
    }
    // "spot-weld", "hand-sand", "re-torque": the last part is a listed verb.
    if let Some(v) = w.rsplit_once('-').and_then(|(_, last)| base_verb(m, last)) {
        return Some((1, v));
    }
    if french {
        let infinitive = ["er", "ir", "oir", "dre", "tre", "ire", "uire"]
            .iter()
            .any(|e| w.ends_with(e));
        // "métier", "chantier" are nouns unless an article follows ("Plier les serviettes");
        // "savoir-faire", "chauffe-eau" are compound nouns.
        let article = m
            .toks
            .get(i + 1)
            .is_some_and(|n| n.word && ARTICLES_FR.contains(&n.text.as_str()) && n.text != "des");
        let noun_ier = w.ends_with("ier") && !w.ends_with("ifier") && !article;
        if infinitive && w.chars().count() > 3 && !noun_ier && !w.contains('-') {
            return Some((1, guessed(Form::Inf)));
        }
        if !english {
            return None;
        }
    }
    // "reassemble", "preheat", "disconnect", "uninstall".
    for pre in ["re", "pre", "dis", "un"] {
        if let Some(v) = w
            .strip_prefix(pre)
            .filter(|r| r.chars().count() > 2)
            .and_then(|r| base_verb(m, r))
        {
            return Some((1, v));
        }
    }
    let plural = w.ends_with('s') && !w.ends_with("ss") && !w.ends_with("us");
    let gerund = gerund(w);
    let next = m.toks.get(i + 1).filter(|t| t.word)?;
    let nw = next.text.as_str();
    // "Tops up a …", "Closes out a …", "Hooks up the …": a verb in the third person with its
    // particle, then an object (a plural noun is not followed by "up the").
    if plural
        && PARTICLES.contains(&nw)
        && m.toks.get(i + 2).is_some_and(|t| {
            t.word && (ARTICLES_EN.contains(&t.text.as_str()) || m.is(i + 2, Kind::Det))
        })
    {
        return Some((2, guessed(Form::Third)));
    }
    if plural || gerund {
        return None;
    }
    // English articles and determiners only: "Gestion des stocks" is no verb before "des".
    let french_det = ARTICLES_FR.contains(&nw) || matches!(nw, "de" | "d" | "au" | "aux");
    if (m.is(i + 1, Kind::Det) && !french_det)
        || ARTICLES_EN.contains(&nw)
        || OBJECT_START.contains(&nw)
        || nw.chars().next().is_some_and(|c| c.is_ascii_digit())
    {
        return Some((1, guessed(Form::Base)));
    }
    if nominal(w) {
        return None;
    }
    // "Heat pump installation in …", "Forklift operation …": a noun ending in the words that
    // follow, before any preposition or mark, makes the start a compound noun.
    let compound = m.toks[i + 1..]
        .iter()
        .enumerate()
        .take_while(|&(k, t)| t.word && m.at[i + 1 + k].is_empty())
        .take(4)
        .any(|(_, t)| noun_made(&t.text));
    if compound {
        return None;
    }
    // An unlisted word then more words, long enough to hold an object and its context.
    let rest = m.toks[i..].iter().filter(|t| t.word).count();
    (rest >= 5).then(|| (1, guessed(Form::Base)))
}
