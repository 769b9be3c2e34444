//! Sorting with little code, for what a search sorts.
//!
//! The standard library's slice sorts (ipnsort behind `sort_unstable*`, driftsort behind
//! `sort*`) are fast on long inputs and compile to several kilobytes of wasm for each element
//! type and order they are used with: the widget sorted fourteen kinds of things, and those
//! copies were 74 kB of its code (`wasm-opt -Oz`, before wasm-bindgen; 2026-12-07). What a
//! search sorts is mostly short — a page of hits, the matches in one text, a word's typo
//! corrections, the years of a facet — so [`sort_by`] is an insertion sort up to 16 elements
//! and a heapsort beyond: O(n log n) in the worst case, in place, no allocation, a few hundred
//! bytes per use. With it the widget's code section went from 373,768 to 317,734 bytes; the
//! benchmark's queries took 0.5–0.9% more instructions in sum on three corpora (callgrind;
//! medians within 0.4%, results identical).
//!
//! Unstable: equal elements may end in any order. Every caller sorts by an order that is total
//! on its elements (ties broken by a paper number, a position or the element itself), so the
//! outcome is the one a stable sort gives.
//!
//! The standard sort stays where a search may sort many elements: every candidate by date or
//! upvotes (`search`), the terms a `TermMatcher` looks for (hundreds of strings for a short
//! prefix: heapsort took twice the instructions), and plain integers (`sort_unstable` on `u64`,
//! one copy shared by its callers).

use std::cmp::Ordering;

/// Up to this many elements, insertion sort (fewer comparisons than a heap on short inputs).
const INSERTION_MAX: usize = 16;

/// Sorts `v` by `cmp` (unstable, see the module doc).
pub fn sort_by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    let mut less = |a: &T, b: &T| cmp(a, b) == Ordering::Less;
    if v.len() <= INSERTION_MAX {
        insertion_sort(v, &mut less);
    } else {
        heapsort(v, &mut less);
    }
}

/// Sorts `v` in ascending order (unstable, see the module doc).
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// Sorts `v` by `key` ascending (unstable, see the module doc); `key` runs twice per comparison.
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// Invariant after step `i`: `v[..=i]` is sorted.
fn insertion_sort<T>(v: &mut [T], less: &mut impl FnMut(&T, &T) -> bool) {
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 && less(&v[j], &v[j - 1]) {
            v.swap(j, j - 1);
            j -= 1;
        }
    }
}

/// A max-heap of `v` (each node not less than its children, the children of `i` at `2i + 1`
/// and `2i + 2`), then its maximum swapped to the end of the heap, which shrinks by one.
fn heapsort<T>(v: &mut [T], less: &mut impl FnMut(&T, &T) -> bool) {
    let n = v.len();
    for i in (0..n / 2).rev() {
        sift_down(v, i, n, less);
    }
    for end in (1..n).rev() {
        v.swap(0, end);
        sift_down(v, 0, end, less);
    }
}

/// Moves `v[top]` down the heap `v[..end]` until neither child is greater, in about one
/// comparison per level instead of two (Floyd): an element swapped to the root came from the
/// bottom and mostly goes back near it. Down the path of greater children to a leaf, back up to
/// the first node on it not less than `v[top]`, then the path from `top` to that node rotated up
/// one place.
fn sift_down<T>(v: &mut [T], top: usize, end: usize, less: &mut impl FnMut(&T, &T) -> bool) {
    let mut node = top;
    loop {
        let child = 2 * node + 1;
        if child >= end {
            break;
        }
        node = if child + 1 < end && less(&v[child], &v[child + 1]) { child + 1 } else { child };
    }
    // At `top` at the latest (nothing is less than itself; the bound holds whatever `less`).
    while node > top && less(&v[node], &v[top]) {
        node = (node - 1) / 2;
    }
    // Each swap with `top` moves its element down and the node's up: from the bottom node to
    // `top`'s child, the path ends rotated.
    while node > top {
        v.swap(top, node);
        node = (node - 1) / 2;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_short_and_long_inputs_at_the_switch_between_them() {
        for n in [0, 1, 2, 3, INSERTION_MAX - 1, INSERTION_MAX, INSERTION_MAX + 1, 100, 1000] {
            // Descending, ascending, all equal, and a scramble with repeats.
            let makes: [fn(usize, usize) -> usize; 4] =
                [|i, n| n - i, |i, _| i, |_, _| 7, |i, n| (i * 7919) % (n / 3 + 1)];
            for make in makes {
                let mut v: Vec<usize> = (0..n).map(|i| make(i, n)).collect();
                let mut want = v.clone();
                want.sort_unstable();
                sort(&mut v);
                assert_eq!(v, want, "n = {n}");
            }
        }
    }

    #[test]
    fn orders_by_the_comparison_and_key_given() {
        let mut v = vec![(3, "c"), (1, "a"), (2, "b"), (1, "b")];
        sort_by(&mut v, |a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
        assert_eq!(v, [(3, "c"), (2, "b"), (1, "a"), (1, "b")]);
        sort_by_key(&mut v, |x| x.1);
        assert_eq!(v.iter().map(|x| x.1).collect::<String>(), "abbc");
    }

    proptest::proptest! {
        #[test]
        fn gives_what_a_stable_sort_gives_for_a_total_order(v in proptest::collection::vec((0u8..8, 0u16..1000), 0..300)) {
            // Ties in the first field broken by the second: a total order on distinct pairs, and
            // the standard stable sort's outcome whatever the duplicates.
            let mut want = v.clone();
            want.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            let mut got = v;
            sort_by(&mut got, |a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            proptest::prop_assert_eq!(got, want);
        }
    }
}
