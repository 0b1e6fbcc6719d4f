//! A set of block indices as a bit vector.
//!
//! The table pass and the aligner note which blocks they read (titles, unit lines, every line
//! of an aligned project) so that the narrative leaves them out. In a flattened text export
//! that is nearly every block of the document, one insert per line: a `BTreeSet` spent ~7% of
//! the LibreOffice route on its inserts, where a bit per block costs a shift and an or.
//! Indices are block positions in one document, so the vector is as long as the document's
//! block list at most.

/// Block indices, one bit each.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BlockSet {
    words: Vec<u64>,
}

impl BlockSet {
    /// Add block `i`.
    pub fn insert(&mut self, i: usize) {
        let (w, bit) = (i / 64, i % 64);
        if w >= self.words.len() {
            self.words.resize(w + 1, 0);
        }
        if let Some(word) = self.words.get_mut(w) {
            *word |= 1 << bit;
        }
    }

    /// Whether block `i` is in the set.
    pub fn contains(&self, i: usize) -> bool {
        self.words
            .get(i / 64)
            .is_some_and(|word| word & (1 << (i % 64)) != 0)
    }

    /// Add every block of `other`.
    pub fn union(&mut self, other: &BlockSet) {
        if other.words.len() > self.words.len() {
            self.words.resize(other.words.len(), 0);
        }
        for (w, o) in self.words.iter_mut().zip(&other.words) {
            *w |= o;
        }
    }
}

impl Extend<usize> for BlockSet {
    fn extend<I: IntoIterator<Item = usize>>(&mut self, iter: I) {
        for i in iter {
            self.insert(i);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn agrees_with_btreeset() {
        let picks = [0usize, 1, 63, 64, 65, 127, 128, 1000, 3, 64, 0];
        let mut set = BlockSet::default();
        let mut reference = BTreeSet::new();
        for i in picks {
            set.insert(i);
            reference.insert(i);
        }
        for i in 0..1100 {
            assert_eq!(set.contains(i), reference.contains(&i), "{i}");
        }
        assert!(!BlockSet::default().contains(0));
    }

    #[test]
    fn union_takes_both() {
        let mut a = BlockSet::default();
        a.extend([2, 70]);
        let mut b = BlockSet::default();
        b.extend([5, 300]);
        a.union(&b);
        let held: Vec<usize> = (0..400).filter(|&i| a.contains(i)).collect();
        assert_eq!(held, vec![2, 5, 70, 300]);
    }
}
