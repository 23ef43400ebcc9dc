//! "Did you mean …?": the closest of a few expected names to what was written.
//!
//! Used for typos in field names, kinds, references and target names. The distance is `strsim`'s optimal
//! string alignment: insertions, deletions, substitutions and swaps of two neighbours
//! (`titel` → `title` is one edit), over characters (`标题` and `标提` are one edit apart).
//! A suggestion is made only when it is close enough to be a typo (at most a third of the
//! word, and at most 3 edits), so unrelated names are not offered.

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
                strsim::osa_distance(&written.to_lowercase(), &candidate.to_lowercase()),
                candidate,
            )
        })
        .filter(|(distance, _)| *distance <= budget)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
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
        assert_eq!(did_you_mean("标题", ["标提"]), Some("标提"));
    }

    #[test]
    fn a_swap_of_neighbours_is_one_edit() {
        assert_eq!(strsim::osa_distance("form", "from"), 1);
        assert_eq!(did_you_mean("from", ["form"]), Some("form"));
    }
}
