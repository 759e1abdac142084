//! Fitting text to a terminal: widths counted in characters (Vietnamese text is mostly
//! precomposed), lines wrapped at spaces, names shortened with `…`.

/// The width when output is not a terminal and none is asked for.
pub const DEFAULT_WIDTH: usize = 100;

/// The narrowest width honoured: below it, text would be mostly ellipses.
pub const MIN_WIDTH: usize = 40;

/// Characters in `s`.
pub fn width_of(s: &str) -> usize {
    s.chars().count()
}

/// `s` padded with spaces to `width` characters, on the left when `right` (figures).
pub fn pad(s: &str, width: usize, right: bool) -> String {
    let fill = " ".repeat(width.saturating_sub(width_of(s)));
    if right { format!("{fill}{s}") } else { format!("{s}{fill}") }
}

/// `s` cut to at most `width` characters, ending in `…` when cut.
pub fn shorten(s: &str, width: usize) -> String {
    if width_of(s) <= width {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(width.saturating_sub(1)).collect();
        t.push('…');
        t
    }
}

/// `text` as lines of at most `width` characters: the first line starts with `first`, the
/// others with `rest` (a hanging indent); breaks at spaces, and cuts a word longer than a
/// whole line. Each line ends with a newline.
pub fn wrap(text: &str, width: usize, first: &str, rest: &str) -> String {
    let mut out = String::new();
    let mut line = first.to_owned();
    let mut empty = true;
    // Runs of spaces inside a line are kept (aligned labels); at a break they are dropped.
    let mut started = false;
    for word in text.split(' ') {
        if word.is_empty() && !started {
            continue;
        }
        started = true;
        if word.is_empty() && empty {
            continue;
        }
        let room = width.saturating_sub(width_of(&line));
        let need = width_of(word) + usize::from(!empty);
        if !empty && need > room {
            out.push_str(line.trim_end());
            out.push('\n');
            line = rest.to_owned();
            empty = true;
        }
        let mut word = word.to_owned();
        // A word longer than a whole line is cut across lines.
        loop {
            let room = width.saturating_sub(width_of(&line)).max(1);
            if width_of(&word) <= room || !empty {
                break;
            }
            let head: String = word.chars().take(room).collect();
            let tail: String = word.chars().skip(room).collect();
            line.push_str(&head);
            out.push_str(&line);
            out.push('\n');
            line = rest.to_owned();
            word = tail;
        }
        if !empty {
            line.push(' ');
        }
        line.push_str(&word);
        empty = false;
    }
    out.push_str(line.trim_end());
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_with_a_hanging_indent() {
        let text = wrap("từ 98% trở lên: 3,5 điểm; từ 80% đến dưới 98%: 2 điểm", 24, "  ", "    ");
        for line in text.lines() {
            assert!(width_of(line) <= 24, "{line}");
        }
        assert_eq!(text, "  từ 98% trở lên: 3,5\n    điểm; từ 80% đến\n    dưới 98%: 2 điểm\n");
        assert_eq!(wrap("abcdefghij", 6, "", ""), "abcdef\nghij\n");
        assert_eq!(wrap("", 10, "> ", ""), ">\n");
        assert_eq!(shorten("Sở Kế hoạch và Đầu tư", 8), "Sở Kế h…");
        assert_eq!(pad("3,5", 5, true), "  3,5");
        assert_eq!(wrap("total   3,5  (sum)", 40, "  ", "  "), "  total   3,5  (sum)\n");
    }
}
