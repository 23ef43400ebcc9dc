//! "Did you mean …?": the closest of a few expected names to what was written.
//!
//! Used for typos in field names, kinds and references. The distance is Levenshtein
//! over characters with neighbour swaps; a suggestion is made only when it is close enough to be a typo
//! (at most a third of the word, and at most 3 edits), so unrelated names are not offered.

/// The candidate closest to `written`, if one is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    written: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let budget = (written.chars().count() / 3).clamp(1, 3);
    candidates
        .into_iter()
        .map(|candidate| {
            (
                edit_distance(&written.to_lowercase(), &candidate.to_lowercase()),
                candidate,
            )
        })
        .filter(|(distance, _)| *distance <= budget)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// Edit distance counting insertions, deletions, substitutions and swaps of two
/// neighbours (`titel` → `title` is one edit), over characters so `标题` and `标提` are one
/// edit apart.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // rows[i][j]: distance between the first i chars of a and the first j chars of b.
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let same = a[i - 1] == b[j - 1];
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + usize::from(!same));
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_field_a_typo_was_meant_to_be() {
        assert_eq!(
            did_you_mean("titel", ["title", "text", "logo"]),
            Some("title")
        );
    }

    #[test]
    fn offers_nothing_when_no_name_is_close() {
        assert_eq!(did_you_mean("schedule", ["title", "text"]), None);
    }

    #[test]
    fn counts_characters_not_bytes() {
        assert_eq!(edit_distance("标题", "标提"), 1);
    }
}
