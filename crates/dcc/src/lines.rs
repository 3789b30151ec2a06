//! Byte offset → line number, by binary search over the newline offsets (built once per
//! document, so that findings and traceability entries get their lines in O(log n)).

/// Newline offsets of a text.
#[derive(Debug, Clone, Default)]
pub(crate) struct LineIndex {
    newlines: Vec<usize>,
}

impl LineIndex {
    /// Indexes `text`.
    pub(crate) fn new(text: &[u8]) -> LineIndex {
        LineIndex {
            newlines: text
                .iter()
                .enumerate()
                .filter(|(_, b)| **b == b'\n')
                .map(|(i, _)| i)
                .collect(),
        }
    }

    /// The 1-based line of a byte offset.
    pub(crate) fn line(&self, offset: usize) -> u32 {
        let n = self.newlines.partition_point(|&p| p < offset);
        u32::try_from(n + 1).unwrap_or(u32::MAX)
    }
}

#[cfg(test)]
mod tests {
    use super::LineIndex;

    #[test]
    fn lines() {
        let idx = LineIndex::new(b"a\nbc\n\nd");
        assert_eq!(idx.line(0), 1);
        assert_eq!(idx.line(1), 1);
        assert_eq!(idx.line(2), 2);
        assert_eq!(idx.line(5), 3);
        assert_eq!(idx.line(6), 4);
    }
}
