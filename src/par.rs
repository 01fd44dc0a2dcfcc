//! Work spread over every core, results in input order: for per-file and per-block work
//! (parsing and judging manifests) whose items are independent.

use std::sync::atomic::{AtomicUsize, Ordering};

/// `f` over `items` on every core, results in the order of `items`. Items are taken 16 at a
/// time from a shared counter: for many small items that differ a lot in size (files).
pub(crate) fn map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    map_chunked(items, 16, f)
}

/// As [`map`], one item at a time: for few large items (chapters).
pub(crate) fn map_each<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    map_chunked(items, 1, f)
}

fn map_chunked<T: Sync, R: Send>(items: &[T], chunk: usize, f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len().max(1));
    if threads <= 1 {
        return items.iter().map(f).collect();
    }
    let next = AtomicUsize::new(0);
    let mut parts: Vec<(usize, Vec<R>)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                s.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let start = next.fetch_add(chunk, Ordering::Relaxed);
                        if start >= items.len() {
                            break;
                        }
                        let end = (start + chunk).min(items.len());
                        done.push((start, items[start..end].iter().map(&f).collect()));
                    }
                    done
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    parts.sort_by_key(|(start, _)| *start);
    parts.into_iter().flat_map(|(_, r)| r).collect()
}
