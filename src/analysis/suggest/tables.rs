//! The index's tables: what is built from the catalog and kept in a snapshot.

/// A suggestable competency.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// `FRAMEWORK_ID:COMPETENCY_ID`.
    pub reference: String,
    pub name: String,
}

/// Lists of values in one allocation: list `i` is `values[start[i]..start[i + 1]]`. One
/// allocation instead of one per list, and written to or read from a snapshot in bulk.
#[derive(Debug, Clone, PartialEq)]
pub struct Lists<T> {
    /// `len() + 1` offsets into `values`, from 0, never decreasing, the last `values.len()`.
    pub start: Vec<u32>,
    pub values: Vec<T>,
}

impl<T> Default for Lists<T> {
    fn default() -> Self {
        Lists {
            start: vec![0],
            values: Vec::new(),
        }
    }
}

impl<T: Copy> Lists<T> {
    /// The lists `v`, flattened.
    pub fn from_vecs(v: &[Vec<T>]) -> Self {
        let mut start = Vec::with_capacity(v.len() + 1);
        let mut values = Vec::with_capacity(v.iter().map(Vec::len).sum());
        start.push(0);
        for l in v {
            values.extend_from_slice(l);
            start.push(values.len() as u32);
        }
        Lists { start, values }
    }

    /// List `i` (empty past the end).
    pub fn get(&self, i: usize) -> &[T] {
        match (self.start.get(i), self.start.get(i + 1)) {
            (Some(&a), Some(&b)) => self.values.get(a as usize..b as usize).unwrap_or(&[]),
            _ => &[],
        }
    }

    /// How many lists.
    pub fn len(&self) -> usize {
        self.start.len().saturating_sub(1)
    }

    /// True with no list.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The offsets are well formed: from 0, never decreasing, ending at `values.len()`.
    pub fn is_well_formed(&self) -> bool {
        self.start.first() == Some(&0)
            && self.start.windows(2).all(|w| w[0] <= w[1])
            && self.start.last().map(|&l| l as usize) == Some(self.values.len())
    }
}

/// A posting: (doc, saturated weighted tf, log tf for the cosine).
pub type Posting = (u32, f32, f32);

/// The index without its parameters and vocabulary map: everything built from the catalog,
/// so that it can be kept in a snapshot (`catalog::suggest_cache`) and read back.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tables {
    pub items: Vec<Item>,
    /// Stemmed terms; a term's id is its index.
    pub terms: Vec<String>,
    /// Per term: its postings, by doc.
    pub postings: Lists<Posting>,
    /// Per doc: TF-IDF vector length.
    pub norms: Vec<f32>,
    /// Per term: inverse document frequency.
    pub idf: Vec<f32>,
    /// Adjacent term pairs in names and keywords, sorted (see `pair_key`), and per pair the
    /// docs that hold it.
    pub pair_keys: Vec<u64>,
    pub pair_docs: Lists<u32>,
    /// Distinct terms of each doc's name and keywords, for feedback.
    pub label_terms: Lists<u32>,
    /// Per doc: the score factor of its category.
    pub prior: Vec<f32>,
    /// Per term: the labels (names and keywords) that hold it.
    pub label_postings: Lists<u32>,
    /// Per label: its competency, and the IDF sum of its distinct terms.
    pub label_doc: Vec<u32>,
    pub label_idf: Vec<f32>,
}

impl Tables {
    /// Every index within range and every list well formed, so that a suggester made from
    /// these tables cannot panic (a snapshot read back is checked with this).
    pub fn is_consistent(&self) -> bool {
        let (docs, terms, labels) = (self.items.len(), self.terms.len(), self.label_doc.len());
        let lists = [
            (&self.pair_docs, self.pair_keys.len(), docs),
            (&self.label_terms, docs, terms),
            (&self.label_postings, terms, labels),
        ];
        self.postings.is_well_formed()
            && self.postings.len() == terms
            && self.postings.values.iter().all(|p| (p.0 as usize) < docs)
            && self.norms.len() == docs
            && self.prior.len() == docs
            && self.idf.len() == terms
            && self.label_idf.len() == labels
            && self.label_doc.iter().all(|&d| (d as usize) < docs)
            && self.pair_keys.windows(2).all(|w| w[0] < w[1])
            && lists.iter().all(|(l, n, bound)| {
                l.is_well_formed()
                    && l.len() == *n
                    && l.values.iter().all(|&v| (v as usize) < *bound)
            })
    }

    /// The docs holding the adjacent pair `key`.
    pub(super) fn pair(&self, key: u64) -> Option<&[u32]> {
        let i = self.pair_keys.binary_search(&key).ok()?;
        Some(self.pair_docs.get(i))
    }
}

pub(super) fn pair_key(a: u32, b: u32) -> u64 {
    (u64::from(a) << 32) | u64::from(b)
}
