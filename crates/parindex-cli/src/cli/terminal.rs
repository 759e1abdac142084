//! Text from documents, printed safely: ids, names, titles and messages come from files
//! parindex does not control, and a terminal obeys the control characters in what it is
//! given (an ESC sequence can rewrite the screen, a CR hide the start of a line, a bidi
//! override reverse what a line appears to say). [`escape`] writes every such character as
//! `\u{…}` and keeps line breaks, so text output shows what the file holds.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether `c` must not reach a terminal as itself: C0 controls but the line feed, DEL, C1
/// controls, and the bidirectional formatting characters.
fn unsafe_char(c: char) -> bool {
    (c.is_control() && c != '\n')
        || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// `text` with every control character but the line feed, and every bidi formatting
/// character, written as `\u{…}` (borrowed unchanged when there is none).
pub fn escape(text: &str) -> Cow<'_, str> {
    escape_where(text, unsafe_char)
}

/// [`escape`] for what must stay one line (a problem): the line feed is escaped too, so that
/// a document cannot print a line that looks like another problem.
pub fn escape_line(text: &str) -> Cow<'_, str> {
    escape_where(text, |c| c == '\n' || unsafe_char(c))
}

fn escape_where(text: &str, unsafe_char: impl Fn(char) -> bool) -> Cow<'_, str> {
    if !text.chars().any(&unsafe_char) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if unsafe_char(c) {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::{escape, escape_line};

    #[test]
    fn controls_and_bidi_overrides_are_shown_not_obeyed() {
        assert_eq!(escape("Sở Nội vụ\n"), "Sở Nội vụ\n");
        assert_eq!(
            escape("a\u{1b}[2Jb\rc\0d\u{85}e\u{202E}f\tg"),
            "a\\u{1b}[2Jb\\u{d}c\\u{0}d\\u{85}e\\u{202e}f\\u{9}g"
        );
        assert_eq!(escape_line("a\nb [bad_decimal]"), "a\\u{a}b [bad_decimal]");
        assert_eq!(escape("a\\u{1b}"), "a\\u{1b}", "escaped text is left as it is");
    }
}
