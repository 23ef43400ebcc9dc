//! "Did you mean …?": the closest of a few expected names to what was written.
//!
//! Used for typos in field names, kinds and references. The distance is plain Levenshtein
//! over characters; a suggestion is made only when it is close enough to be a typo
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

/// Levenshtein distance, counting characters (so `标题` and `标提` are one edit apart).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut previous: Vec<usize> = (0..=b.len()).collect();
    let mut current = vec![0; b.len() + 1];
    for (i, ca) in a.chars().enumerate() {
        current[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous[j] + usize::from(ca != *cb);
            current[j + 1] = substitution.min(previous[j + 1] + 1).min(current[j] + 1);
        }
        std::mem::swap(&mut previous, &mut current);
    }
    previous[b.len()]
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
