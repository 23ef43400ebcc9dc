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
    close_enough(written, candidates)
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, candidate)| candidate)
}

/// Every candidate as close to `written` as the closest one: those that begin as `written`
/// does first (a typo is more often late in a word), then in the candidates' order.
///
/// For short names, where one edit is a third of the word, several are often equally
/// close (`广洲` is one edit from `广州`, `广东`, `广元` and `株洲`): offering only the first
/// would pick by the order of a list, so all of them are offered and the reader picks.
pub fn all_closest<'a>(
    written: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Vec<&'a str> {
    let near: Vec<(usize, &str)> = close_enough(written, candidates).collect();
    let best = near.iter().map(|(distance, _)| *distance).min();
    let mut closest: Vec<&str> = near
        .into_iter()
        .filter(|(distance, _)| Some(*distance) == best)
        .map(|(_, candidate)| candidate)
        .collect();
    closest.sort_by_key(|candidate| std::cmp::Reverse(common_prefix(written, candidate)));
    closest
}

/// How many characters `a` and `b` begin with in common.
fn common_prefix(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

/// The candidates within a typo's reach of `written`, with their distance.
fn close_enough<'a>(
    written: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> impl Iterator<Item = (usize, &'a str)> {
    let budget = (written.chars().count() / 3).clamp(1, 3);
    let written = written.to_lowercase();
    candidates
        .into_iter()
        .map(move |candidate| {
            (
                strsim::osa_distance(&written, &candidate.to_lowercase()),
                candidate,
            )
        })
        .filter(move |(distance, _)| *distance <= budget)
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
    fn offers_every_name_as_close_as_the_closest() {
        assert_eq!(
            all_closest("广洲", ["株洲", "广东", "广州市", "广州", "浙江", "广元"]),
            ["广东", "广州", "广元", "株洲"]
        );
        assert!(all_closest("schedule", ["title"]).is_empty());
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
