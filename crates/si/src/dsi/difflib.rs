//! "Did you mean …" suggestions as the D-SI reference implementation makes them: Python's
//! `difflib.get_close_matches(word, names, n=3, cutoff=0.66)`, i.e. the Ratcliff/Obershelp
//! similarity `2·M/T` of `difflib.SequenceMatcher` (M characters in matching blocks found by
//! repeatedly taking the longest common block, T the total length), the best three at or above
//! the cutoff, ties broken by the larger name. Reimplemented so that suggestions match the
//! reference exactly, including its "autojunk" heuristic for words of 200 characters or more.
//!
//! Work is linear in the length of the word for each (short) candidate name.

use std::collections::HashMap;

/// The similarity of `SequenceMatcher(None, a, b).ratio()`.
fn ratio(a: &[char], b: &[char], b2j: &HashMap<char, Vec<usize>>) -> f64 {
    let total = a.len() + b.len();
    if total == 0 {
        return 1.0;
    }
    let mut matched = 0usize;
    let mut queue = vec![(0usize, a.len(), 0usize, b.len())];
    while let Some((alo, ahi, blo, bhi)) = queue.pop() {
        let (i, j, k) = longest_match(a, b, b2j, alo, ahi, blo, bhi);
        if k > 0 {
            matched += k;
            if alo < i && blo < j {
                queue.push((alo, i, blo, j));
            }
            if i + k < ahi && j + k < bhi {
                queue.push((i + k, ahi, j + k, bhi));
            }
        }
    }
    2.0 * matched as f64 / total as f64
}

/// `SequenceMatcher.find_longest_match` without junk: the longest block `a[i..i+k] ==
/// b[j..j+k]` in the given ranges, the earliest in `a` then in `b` among the longest, padded
/// with equal "popular" characters that `b2j` left out.
fn longest_match(
    a: &[char],
    b: &[char],
    b2j: &HashMap<char, Vec<usize>>,
    alo: usize,
    ahi: usize,
    blo: usize,
    bhi: usize,
) -> (usize, usize, usize) {
    let (mut besti, mut bestj, mut bestsize) = (alo, blo, 0usize);
    let mut j2len: HashMap<usize, usize> = HashMap::new();
    for i in alo..ahi {
        let mut next: HashMap<usize, usize> = HashMap::new();
        if let Some(js) = a.get(i).and_then(|c| b2j.get(c)) {
            for &j in js {
                if j < blo {
                    continue;
                }
                if j >= bhi {
                    break;
                }
                let k = j
                    .checked_sub(1)
                    .and_then(|p| j2len.get(&p))
                    .copied()
                    .unwrap_or(0)
                    + 1;
                next.insert(j, k);
                if k > bestsize {
                    besti = i + 1 - k;
                    bestj = j + 1 - k;
                    bestsize = k;
                }
            }
        }
        j2len = next;
    }
    while besti > alo && bestj > blo && a.get(besti - 1) == b.get(bestj - 1) {
        besti -= 1;
        bestj -= 1;
        bestsize += 1;
    }
    while besti + bestsize < ahi
        && bestj + bestsize < bhi
        && a.get(besti + bestsize) == b.get(bestj + bestsize)
    {
        bestsize += 1;
    }
    (besti, bestj, bestsize)
}

/// The (up to) three names most similar to `word` with a similarity of at least 0.66, best
/// first, as `difflib.get_close_matches(word, names, n=3, cutoff=0.66)`.
pub(crate) fn close_matches<'a>(word: &str, names: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    const CUTOFF: f64 = 0.66;
    let b: Vec<char> = word.chars().collect();
    let mut b2j: HashMap<char, Vec<usize>> = HashMap::new();
    for (j, c) in b.iter().enumerate() {
        b2j.entry(*c).or_default().push(j);
    }
    // autojunk: in words of 200+ characters, characters occurring more than 1% are "popular"
    if b.len() >= 200 {
        let ntest = b.len() / 100 + 1;
        b2j.retain(|_, js| js.len() <= ntest);
    }
    let mut scored: Vec<(f64, &str)> = names
        .filter_map(|name| {
            let a: Vec<char> = name.chars().collect();
            let r = ratio(&a, &b, &b2j);
            (r >= CUTOFF).then_some((r, name))
        })
        .collect();
    scored.sort_by(|x, y| y.0.total_cmp(&x.0).then_with(|| y.1.cmp(x.1)));
    scored.truncate(3);
    scored.into_iter().map(|(_, n)| n).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn difflib_examples() {
        // the examples of the Python documentation of get_close_matches
        let names = ["ape", "apple", "peach", "puppy"];
        let m = |w: &str| -> Vec<&str> {
            let mut v = Vec::new();
            for name in close_matches(w, names.iter().copied()) {
                v.push(name);
            }
            v
        };
        // cutoff 0.66 here instead of the documentation's 0.6: "apple" (0.8), "ape" (0.75)
        assert_eq!(m("appel"), vec!["apple", "ape"]);
        assert!(m("wheel").is_empty());
    }
}
