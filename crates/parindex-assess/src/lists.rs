//! Evidence and bonus/penalty lists held compactly: an assessment may list millions of items,
//! and a `Vec` of structs of `String`s costs about 80 bytes an item whatever its text. These
//! lists keep every item's text in one buffer and its lengths as a few bytes beside it.

use parindex_core::Decimal;

/// Appends `n` as a variable-length number (seven bits a byte, low bits first).
fn push_len(out: &mut Vec<u8>, mut n: usize) {
    loop {
        let low = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(low);
            return;
        }
        out.push(low | 0x80);
    }
}

/// Reads a number written by [`push_len`] at `*at`, moving past it.
fn read_len(bytes: &[u8], at: &mut usize) -> usize {
    let mut n = 0usize;
    let mut shift = 0u32;
    while let Some(b) = bytes.get(*at) {
        *at += 1;
        n |= usize::from(b & 0x7f).checked_shl(shift).unwrap_or(0);
        shift += 7;
        if b & 0x80 == 0 {
            break;
        }
    }
    n
}

/// Takes the next `len` bytes of `text` from `*at`, moving past them.
fn take<'t>(text: &'t str, at: &mut usize, len: usize) -> &'t str {
    let s = text.get(*at..*at + len).unwrap_or_default();
    *at += len;
    s
}

/// A supporting document, as a view of an [`EvidenceList`] item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Evidence<'e> {
    /// Its title (`"QĐ 15/QĐ-SNV ngày 10/01/2023"`).
    pub title: &'e str,
    /// A document number or link.
    pub ref_: Option<&'e str>,
    /// A stored evidence file, `sha256:<64 hex>` (written by the API server).
    pub file: Option<&'e str>,
}

/// Supporting documents (tài liệu kiểm chứng) of an entry or an explanation, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EvidenceList {
    /// Every item's title, then its ref and file when it has them.
    text: String,
    /// For each item: its title's length × 4 (+ 2 with a ref, + 1 with a file), then the
    /// ref's and the file's lengths.
    lens: Vec<u8>,
    count: usize,
}

impl EvidenceList {
    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends one item.
    pub fn push(&mut self, item: Evidence<'_>) {
        let head = (item.title.len() << 2) | (usize::from(item.ref_.is_some()) << 1) | usize::from(item.file.is_some());
        push_len(&mut self.lens, head);
        self.text.push_str(item.title);
        for part in [item.ref_, item.file].into_iter().flatten() {
            push_len(&mut self.lens, part.len());
            self.text.push_str(part);
        }
        self.count += 1;
    }

    /// The number of items.
    pub fn len(&self) -> usize {
        self.count
    }

    /// Whether there is no item.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The items in order.
    pub fn iter(&self) -> impl Iterator<Item = Evidence<'_>> {
        let (mut at_len, mut at_text) = (0usize, 0usize);
        (0..self.count).map(move |_| {
            let head = read_len(&self.lens, &mut at_len);
            let title = take(&self.text, &mut at_text, head >> 2);
            let ref_ = (head & 2 != 0).then(|| {
                let n = read_len(&self.lens, &mut at_len);
                take(&self.text, &mut at_text, n)
            });
            let file = (head & 1 != 0).then(|| {
                let n = read_len(&self.lens, &mut at_len);
                take(&self.text, &mut at_text, n)
            });
            Evidence { title, ref_, file }
        })
    }
}

impl<'e> FromIterator<Evidence<'e>> for EvidenceList {
    fn from_iter<I: IntoIterator<Item = Evidence<'e>>>(iter: I) -> Self {
        let mut list = EvidenceList::new();
        for item in iter {
            list.push(item);
        }
        list
    }
}

/// A bonus or penalty item, as a view of an [`AdjustmentList`] item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Adjustment<'e> {
    /// Points (≥ 0).
    pub points: Decimal,
    /// Why.
    pub reason: &'e str,
}

/// Bonus (điểm thưởng) or penalty (điểm trừ) items, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AdjustmentList {
    points: Vec<Decimal>,
    /// Every item's reason, one after another.
    reasons: String,
    /// Each reason's length.
    lens: Vec<u8>,
}

impl AdjustmentList {
    /// The empty list.
    pub const EMPTY: AdjustmentList = AdjustmentList { points: Vec::new(), reasons: String::new(), lens: Vec::new() };

    /// An empty list.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends one item.
    pub fn push(&mut self, item: Adjustment<'_>) {
        self.points.push(item.points);
        push_len(&mut self.lens, item.reason.len());
        self.reasons.push_str(item.reason);
    }

    /// The number of items.
    pub fn len(&self) -> usize {
        self.points.len()
    }

    /// Whether there is no item.
    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    /// The items' points in order.
    pub fn points(&self) -> impl Iterator<Item = Decimal> + '_ {
        self.points.iter().copied()
    }

    /// The items in order.
    pub fn iter(&self) -> impl Iterator<Item = Adjustment<'_>> {
        let (mut at_len, mut at_text) = (0usize, 0usize);
        self.points.iter().map(move |points| {
            let n = read_len(&self.lens, &mut at_len);
            Adjustment { points: *points, reason: take(&self.reasons, &mut at_text, n) }
        })
    }
}

impl<'e> FromIterator<Adjustment<'e>> for AdjustmentList {
    fn from_iter<I: IntoIterator<Item = Adjustment<'e>>>(iter: I) -> Self {
        let mut list = AdjustmentList::new();
        for item in iter {
            list.push(item);
        }
        list
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn evidence_items_come_back_as_pushed() {
        let long = "Đ".repeat(300);
        let items = [
            Evidence { title: "QĐ 15/QĐ-SNV", ref_: None, file: None },
            Evidence { title: "", ref_: Some("https://x"), file: Some("sha256:ab") },
            Evidence { title: &long, ref_: Some(""), file: None },
            Evidence { title: "a", ref_: None, file: Some(&long) },
        ];
        let list: EvidenceList = items.iter().copied().collect();
        assert_eq!(list.len(), 4);
        assert!(!list.is_empty() && EvidenceList::new().is_empty());
        assert_eq!(list.iter().collect::<Vec<_>>(), items);
    }

    #[test]
    fn adjustments_come_back_as_pushed() {
        let long = "lý do ".repeat(100);
        let items = [
            Adjustment { points: Decimal::ONE, reason: "Bằng khen" },
            Adjustment { points: Decimal::new(25, 2), reason: "" },
            Adjustment { points: Decimal::ZERO, reason: &long },
        ];
        let list: AdjustmentList = items.iter().copied().collect();
        assert_eq!(list.len(), 3);
        assert_eq!(list.iter().collect::<Vec<_>>(), items);
        assert_eq!(list.points().sum::<Decimal>(), Decimal::new(125, 2));
    }
}
