//! "Did you mean …?" for misspelled names.

/// Edit distance between two short strings, counting a swap of neighbours as one edit
/// (optimal string alignment), since swapped letters are the commonest typo.
pub(crate) fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = v;
        }
    }
    d[a.len()][b.len()]
}

/// Words longer than this get no suggestion.
pub(crate) const MAX_WORD_CHARS: usize = 64;

/// The candidate closest to `word`, if it is close enough to be a plausible typo
/// (case-insensitive match, or at most a third of the word's letters changed).
pub(crate) fn closest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let n = word.chars().count();
    // No name is this long, and the distance costs length × length: a hostile 200 KB word
    // must not cost seconds (red-team M07/M08).
    if n > MAX_WORD_CHARS {
        return None;
    }
    let limit = (n / 3).max(1);
    let lw = word.to_ascii_lowercase();
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        // A length difference alone exceeds the limit: no need to compute the distance.
        if c.chars().count().abs_diff(n) > limit {
            continue;
        }
        let d = if c.to_ascii_lowercase() == lw {
            0
        } else {
            distance(&lw, &c.to_ascii_lowercase())
        };
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.filter(|(d, _)| *d <= limit).map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_typos_only() {
        let fields = ["command", "args", "image", "imagePullPolicy"];
        assert_eq!(closest("comand", fields), Some("command"));
        assert_eq!(closest("imagePullPolicyy", fields), Some("imagePullPolicy"));
        assert_eq!(closest("Image", fields), Some("image"));
        assert_eq!(closest("volumes", fields), None);
        assert_eq!(closest("x", []), None);
    }
}
