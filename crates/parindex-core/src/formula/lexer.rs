//! The tokenizer of the formula language (SPEC §5).
//!
//! It turns the source text into [`Token`]s, each carrying the 1-based *character* position
//! where it starts, so that error messages point at the character a user sees — also when the
//! source holds Vietnamese or other non-ASCII text.

use rust_decimal::Decimal;

use super::{FormulaError, FormulaErrorKind};

/// The most digits after the decimal point that a `Decimal` can hold.
const MAX_SCALE: usize = 28;

/// What a token is.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum TokenKind {
    /// A decimal literal such as `100` or `0.25`.
    Number(Decimal),
    /// A variable, constant or function name.
    Name(String),
    /// `(`
    LParen,
    /// `)`
    RParen,
    /// `,`
    Comma,
    /// `+`
    Plus,
    /// `-`
    Minus,
    /// `*`
    Star,
    /// `/`
    Slash,
    /// `!`
    Bang,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `==`
    EqEq,
    /// `!=`
    Ne,
    /// `&&`
    AndAnd,
    /// `||`
    OrOr,
}

/// One token of a formula.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Token {
    /// What the token is.
    pub(crate) kind: TokenKind,
    /// The 1-based character position of its first character.
    pub(crate) pos: usize,
    /// Its text as written, for error messages.
    pub(crate) text: String,
}

/// Splits `source` into tokens. Whitespace (spaces, tabs, line breaks) between tokens is skipped.
pub(crate) fn tokenize(source: &str) -> Result<Vec<Token>, FormulaError> {
    let chars: Vec<char> = source.chars().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        let pos = i + 1;
        if is_space(c) {
            i += 1;
            continue;
        }
        if c.is_ascii_digit() {
            let (token, next) = number(&chars, i)?;
            tokens.push(token);
            i = next;
            continue;
        }
        if is_name_start(c) {
            let mut end = i + 1;
            while chars.get(end).is_some_and(|&c| is_name_char(c)) {
                end += 1;
            }
            let text = collect(&chars, i, end);
            tokens.push(Token { kind: TokenKind::Name(text.clone()), pos, text });
            i = end;
            continue;
        }
        let next = chars.get(i + 1).copied();
        let (kind, len) = match (c, next) {
            ('(', _) => (TokenKind::LParen, 1),
            (')', _) => (TokenKind::RParen, 1),
            (',', _) => (TokenKind::Comma, 1),
            ('+', _) => (TokenKind::Plus, 1),
            ('-', _) => (TokenKind::Minus, 1),
            ('*', _) => (TokenKind::Star, 1),
            ('/', _) => (TokenKind::Slash, 1),
            ('<', Some('=')) => (TokenKind::Le, 2),
            ('<', _) => (TokenKind::Lt, 1),
            ('>', Some('=')) => (TokenKind::Ge, 2),
            ('>', _) => (TokenKind::Gt, 1),
            ('=', Some('=')) => (TokenKind::EqEq, 2),
            ('!', Some('=')) => (TokenKind::Ne, 2),
            ('!', _) => (TokenKind::Bang, 1),
            ('&', Some('&')) => (TokenKind::AndAnd, 2),
            ('|', Some('|')) => (TokenKind::OrOr, 2),
            _ => return Err(unexpected_char(c, pos)),
        };
        tokens.push(Token { kind, pos, text: collect(&chars, i, i + len) });
        i += len;
    }
    Ok(tokens)
}

/// Reads the decimal literal that starts at `start` (a digit). Returns the token and the index
/// of the first character after it.
fn number(chars: &[char], start: usize) -> Result<(Token, usize), FormulaError> {
    let mut end = start;
    while chars.get(end).is_some_and(char::is_ascii_digit) {
        end += 1;
    }
    if chars.get(end) == Some(&'.') {
        if chars.get(end + 1).is_some_and(char::is_ascii_digit) {
            end += 1;
            while chars.get(end).is_some_and(char::is_ascii_digit) {
                end += 1;
            }
        } else {
            let text = collect(chars, start, end);
            return Err(syntax(end + 1, format!("a number cannot end with '.': write {text} or {text}.0")));
        }
    }
    let text = collect(chars, start, end);
    if let Some(&after) = chars.get(end) {
        if after == '.' {
            return Err(syntax(
                end + 1,
                format!("unexpected '.' after the number {text}: a number has at most one '.'"),
            ));
        }
        if is_name_char(after) {
            return Err(syntax(
                end + 1,
                format!(
                    "unexpected '{after}' right after the number {text}: put an operator between \
                     a number and a name (exponents such as 1e2 are not allowed)"
                ),
            ));
        }
    }
    let value = parse_decimal(&text).ok_or_else(|| {
        syntax(
            start + 1,
            format!(
                "the number {text} does not fit an exact decimal (at most 28 digits after '.', \
                 and no more than {})",
                Decimal::MAX
            ),
        )
    })?;
    let token = Token { kind: TokenKind::Number(value), pos: start + 1, text };
    Ok((token, end))
}

/// Converts a literal (digits, optionally `.` and digits) to an exact decimal, or `None` when it
/// cannot be held exactly. Trailing zeros after the point beyond what a decimal can hold are
/// dropped first, since they do not change the value.
fn parse_decimal(text: &str) -> Option<Decimal> {
    let trimmed = match text.split_once('.') {
        Some((whole, frac)) if frac.len() > MAX_SCALE => {
            let frac = frac.trim_end_matches('0');
            if frac.is_empty() { whole.to_owned() } else { format!("{whole}.{frac}") }
        }
        _ => text.to_owned(),
    };
    Decimal::from_str_exact(&trimmed).ok()
}

/// The error for a character that starts no token, with a hint for common look-alikes.
fn unexpected_char(c: char, pos: usize) -> FormulaError {
    let shown = if c.is_ascii_graphic() { format!("'{c}'") } else { format!("'{c}' (U+{:04X})", u32::from(c)) };
    let hint = match c {
        '=' => Some("to compare, write '=='"),
        '&' => Some("for 'and', write '&&'"),
        '|' => Some("for 'or', write '||'"),
        '.' => Some("a number starts with a digit: write 0.5, not .5"),
        '×' => Some("for multiplication, write '*'"),
        '÷' | ':' => Some("for division, write '/'"),
        '−' | '–' | '—' => Some("for minus, write '-'"),
        '≤' => Some("write '<='"),
        '≥' => Some("write '>='"),
        '≠' => Some("write '!='"),
        '%' => Some("there is no '%' operator: write x * 100 / y"),
        _ if c.is_alphabetic() => Some("names use only the letters A-Z and a-z without accents, digits and '_'"),
        _ if c.is_whitespace() => Some("only spaces, tabs and line breaks may separate tokens"),
        _ => None,
    };
    let message = match hint {
        Some(hint) => format!("unexpected character {shown}: {hint}"),
        None => format!("unexpected character {shown}"),
    };
    syntax(pos, message)
}

/// Builds a syntax error.
fn syntax(position: usize, message: String) -> FormulaError {
    FormulaError { kind: FormulaErrorKind::Syntax, position, message }
}

/// The characters `chars[start..end]` as a string (empty if the range is out of bounds).
fn collect(chars: &[char], start: usize, end: usize) -> String {
    chars.get(start..end).map(|s| s.iter().collect()).unwrap_or_default()
}

/// Whitespace allowed between tokens.
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r')
}

/// A character that may start a name.
fn is_name_start(c: char) -> bool {
    c.is_ascii_alphabetic() || c == '_'
}

/// A character that may continue a name.
fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
mod tests {
    use super::*;

    fn kinds(source: &str) -> Vec<TokenKind> {
        tokenize(source).unwrap().into_iter().map(|t| t.kind).collect()
    }

    fn err(source: &str) -> FormulaError {
        tokenize(source).unwrap_err()
    }

    #[test]
    fn two_character_operators() {
        use TokenKind::*;
        assert_eq!(kinds("<= < >= > == != ! && ||"), vec![Le, Lt, Ge, Gt, EqEq, Ne, Bang, AndAnd, OrOr]);
        assert_eq!(kinds("a<=b"), vec![Name("a".into()), Le, Name("b".into())]);
        assert_eq!(kinds("!!x"), vec![Bang, Bang, Name("x".into())]);
    }

    #[test]
    fn numbers_and_names() {
        use TokenKind::*;
        assert_eq!(
            kinds("0.25 100 _a1 B_2"),
            vec![Number(Decimal::new(25, 2)), Number(Decimal::new(100, 0)), Name("_a1".into()), Name("B_2".into())]
        );
        // Trailing zeros keep their scale (the value is what matters).
        let toks = tokenize("1.50").unwrap();
        assert_eq!(toks[0].kind, Number(Decimal::new(150, 2)));
        assert_eq!(toks[0].text, "1.50");
    }

    #[test]
    fn positions_are_characters() {
        let toks = tokenize("ố").unwrap_err();
        assert_eq!(toks.position, 1);
        let toks = tokenize(" \t\n x  +\r\ny").unwrap();
        assert_eq!(toks.iter().map(|t| t.pos).collect::<Vec<_>>(), vec![5, 8, 11]);
    }

    #[test]
    fn bad_numbers() {
        let e = err(".5");
        assert_eq!((e.kind, e.position), (FormulaErrorKind::Syntax, 1));
        assert!(e.message.contains("0.5"), "{}", e.message);
        let e = err("1e2");
        assert_eq!(e.position, 2);
        assert!(e.message.contains("1e2"), "{}", e.message);
        assert_eq!(err("12.").position, 3);
        assert_eq!(err("1.2.3").position, 4);
        assert_eq!(err("x + 1_000").position, 6);
        // Larger than Decimal::MAX.
        assert_eq!(err("  79228162514495374357247359336").position, 3);
        // Too many significant digits after the point to hold exactly.
        assert_eq!(err("0.00000000000000000000000000001").position, 1);
    }

    #[test]
    fn long_literals_that_fit() {
        use TokenKind::*;
        assert_eq!(kinds("79228162514264337593543950335"), vec![Number(Decimal::MAX)]);
        assert_eq!(kinds("1.000000000000000000000000000000000000"), vec![Number(Decimal::ONE)]);
        assert_eq!(kinds("0000000000000000000000000000000007"), vec![Number(Decimal::new(7, 0))]);
    }

    #[test]
    fn single_characters_get_hints() {
        for (source, needle) in [
            ("a = b", "=="),
            ("a & b", "&&"),
            ("a | b", "||"),
            ("a × b", "'*'"),
            ("a ÷ b", "'/'"),
            ("a ≤ b", "<="),
            ("a \u{a0}b", "U+00A0"),
        ] {
            let e = err(source);
            assert_eq!(e.kind, FormulaErrorKind::Syntax);
            assert_eq!(e.position, 3, "{source}");
            assert!(e.message.contains(needle), "{source}: {}", e.message);
        }
        assert_eq!(err("x # 1").position, 3);
        assert_eq!(err("số").position, 2);
    }
}
