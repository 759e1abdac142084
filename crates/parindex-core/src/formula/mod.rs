//! The formula language of SPEC §5: the `expr` of a `formula` rule.
//!
//! A formula is parsed once, when its criteria set loads ([`Formula::parse`]), and evaluated
//! for every unit ([`Formula::evaluate`]). Grammar, lowest precedence first:
//!
//! ```text
//! expr  := or
//! or    := and ( "||" and )*
//! and   := cmp ( "&&" cmp )*
//! cmp   := sum ( ( "<" | "<=" | ">" | ">=" | "==" | "!=" ) sum )?
//! sum   := prod ( ( "+" | "-" ) prod )*
//! prod  := unary ( ( "*" | "/" ) unary )*
//! unary := ( "-" | "!" ) unary | atom
//! atom  := DECIMAL | NAME | NAME "(" expr ( "," expr )* ")" | "(" expr ")"
//! ```
//!
//! - `DECIMAL` is digits, optionally followed by `.` and digits (`100`, `0.25`; not `.5`,
//!   `1.` or `1e2`). `NAME` is `[A-Za-z_][A-Za-z0-9_]*`, case-sensitive. Spaces, tabs and
//!   line breaks between tokens are ignored; any other character is a syntax error.
//! - Values are exact decimals ([`rust_decimal::Decimal`]); a comparison, `&&`, `||` and `!`
//!   give `1` or `0`; any non-zero value is true. `&&` and `||` stop as soon as the result is
//!   known, and `if(c, a, b)` evaluates only the branch it chooses.
//! - Comparisons do not chain: `a < b < c` is a syntax error (write `a < b && b < c`).
//! - Names are the declared variables and `max_points` (the leaf's maximum, always known).
//!   `max_points` always means the leaf's maximum, even if a variable of that name is declared.
//! - Functions: `min(a, …)` and `max(a, …)` (one argument or more), `abs(a)`, `if(c, a, b)`,
//!   `round(a, n)` (half away from zero; `n` a whole number from 0 to 10). A name followed by
//!   `(` is always a function call, so a variable may be called `min`.
//! - Arithmetic is exact and checked; a quotient keeps 28 significant digits, and a formula is
//!   evaluated as written (`1 / 3 * 3` is `0.9999999999999999999999999999`, not `1`).
//! - Parentheses, function calls and prefix `-`/`!` may nest at most 64 levels deep.
//!
//! Error positions are 1-based *character* positions in the source (Vietnamese text before a
//! mistake counts one per character, not per byte).
//!
//! ```
//! use parindex_core::formula::Formula;
//! use rust_decimal::Decimal;
//!
//! let variables = vec!["x".to_owned(), "y".to_owned()];
//! let f = Formula::parse("if(y == 0, max_points, max_points * x / y)", &variables)?;
//! let value = f.evaluate(&[Decimal::from(18), Decimal::from(20)], Decimal::from(2))?;
//! assert_eq!(value, Decimal::new(18, 1));
//! assert_eq!(f.referenced_slots(), vec![0, 1]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod eval;
mod lexer;
mod parser;
mod spreadsheet;
mod words;

use rust_decimal::Decimal;

use parser::Expr;

/// A parsed formula, ready to be evaluated many times (parsed once at load).
#[derive(Debug, Clone, PartialEq)]
pub struct Formula {
    /// The source text as given.
    source: String,
    /// The parsed expression, variable references resolved to slots.
    expr: Expr,
}

impl Formula {
    /// Parses `source`. `variables` are the declared variable names; a name's slot is its index
    /// in this slice (the first, if a name is listed twice). The name `max_points` is always
    /// known (the leaf's maximum).
    ///
    /// # Errors
    ///
    /// A [`FormulaError`] of kind [`FormulaErrorKind::Syntax`] when the text does not follow
    /// the grammar (or nests more than 64 levels deep), [`FormulaErrorKind::UnknownName`] for a
    /// name that is neither declared nor `max_points` or a call of a function that does not
    /// exist, and [`FormulaErrorKind::Arity`] for a call with the wrong number of arguments.
    /// The error is the first one in the text.
    pub fn parse(source: &str, variables: &[String]) -> Result<Formula, FormulaError> {
        let tokens = lexer::tokenize(source)?;
        let expr = parser::parse(&tokens, source.chars().count(), variables)?;
        Ok(Formula { source: source.to_owned(), expr })
    }

    /// The source text as given.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Evaluates with `values[i]` = value of `variables[i]` and `max_points` = the leaf's max.
    ///
    /// A zero result carries no minus sign. The result is not clamped: the caller clamps it
    /// to `[0, max]` (SPEC §4).
    ///
    /// # Errors
    ///
    /// [`EvalError::DivisionByZero`] when a divisor that is evaluated is zero (SPEC §5: nothing
    /// arose), [`EvalError::Overflow`] when a result does not fit a decimal,
    /// [`EvalError::RoundDigits`] for a bad digit count in `round()`, and
    /// [`EvalError::MissingValue`] when `values` has no entry for a referenced slot.
    pub fn evaluate(&self, values: &[Decimal], max_points: Decimal) -> Result<Decimal, EvalError> {
        eval::evaluate(&self.expr, &eval::Context { values, max_points })
    }

    /// The formula in spreadsheet syntax, without the leading `=` (`IF((C7)<>0,…)`), for a
    /// form's live preview: `slot(i)` names the cell holding slot `i` (a variable's input
    /// cell, or a ref's points), `max_points` the leaf's maximum. A division by zero is a
    /// spreadsheet error there; floating point makes the value agree with
    /// [`Formula::evaluate`] to about 15 significant digits.
    pub fn to_spreadsheet(&self, slot: &dyn Fn(usize) -> String, max_points: &str) -> String {
        spreadsheet::write(&self.expr, slot, max_points)
    }

    /// The formula in Vietnamese words and mathematical signs (`2 × số đạt ÷ tổng số, làm
    /// tròn đến 2 chữ số thập phân`), for people reading a rule: `name(i)` is what slot `i` is
    /// called (a variable's description, a ref's "điểm của 1.1"), `max_points` the leaf's
    /// maximum. Parentheses appear only where the order of operations needs them.
    pub fn to_words(&self, name: &dyn Fn(usize) -> String, max_points: &str) -> String {
        words::write(&self.expr, name, max_points)
    }

    /// The declared-variable slots this formula actually references (sorted, deduplicated).
    pub fn referenced_slots(&self) -> Vec<usize> {
        let mut slots = Vec::new();
        self.expr.collect_slots(&mut slots);
        slots.sort_unstable();
        slots.dedup();
        slots
    }
}

/// Why a formula does not load. `position` is the 1-based CHARACTER (not byte) position in the
/// source where the problem starts (for "unexpected end" it is the source's character count
/// + 1).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} (at character {position})")]
pub struct FormulaError {
    /// Which of the SPEC §10 codes this is.
    pub kind: FormulaErrorKind,
    /// The 1-based character position where the problem starts.
    pub position: usize,
    /// A plain-English explanation for the person who wrote the formula.
    pub message: String,
}

/// The three load-time error kinds of SPEC §5 / §10.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormulaErrorKind {
    /// The text does not follow the grammar: code `formula_syntax`.
    Syntax,
    /// A name that is not declared, or a function that does not exist: `formula_unknown_name`.
    UnknownName,
    /// A function called with the wrong number of arguments: `formula_arity`.
    Arity,
}

/// Why an evaluation has no value.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EvalError {
    /// A division by zero: SPEC §5 says this means "nothing arose".
    #[error("division by zero")]
    DivisionByZero,
    /// A result too large for a decimal.
    #[error("the result is too large")]
    Overflow,
    /// round(a, n) with n not a whole number in 0..=10.
    #[error("round() needs a whole number of digits from 0 to 10, got {0}")]
    RoundDigits(Decimal),
    /// A slot with no value in `values` (caller bug guard; never panic).
    #[error("no value for variable slot {0}")]
    MissingValue(usize),
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
mod tests {
    use std::str::FromStr;

    use proptest::prelude::*;

    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn vars(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| (*s).to_owned()).collect()
    }

    /// Evaluates `source` with variables x = 3, y = 4 and max_points = 10.
    fn ev(source: &str) -> Result<Decimal, EvalError> {
        let f = Formula::parse(source, &vars(&["x", "y"])).unwrap_or_else(|e| panic!("{source:?} does not parse: {e}"));
        f.evaluate(&[d("3"), d("4")], d("10"))
    }

    fn val(source: &str) -> Decimal {
        ev(source).unwrap_or_else(|e| panic!("{source:?} does not evaluate: {e}"))
    }

    /// Parses `source` with variable x, expecting an error.
    fn err(source: &str) -> FormulaError {
        match Formula::parse(source, &vars(&["x"])) {
            Ok(f) => panic!("{source:?} parsed: {f:?}"),
            Err(e) => e,
        }
    }

    fn err_at(source: &str) -> (FormulaErrorKind, usize) {
        let e = err(source);
        (e.kind, e.position)
    }

    use FormulaErrorKind::{Arity, Syntax, UnknownName};

    #[test]
    fn precedence() {
        assert_eq!(val("1 + 2 * 3"), d("7"));
        assert_eq!(val("(1 + 2) * 3"), d("9"));
        assert_eq!(val("-2 * 3"), d("-6"));
        assert_eq!(val("2 * -3"), d("-6"));
        assert_eq!(val("--2"), d("2"));
        assert_eq!(val("!0"), d("1"));
        assert_eq!(val("!5"), d("0"));
        assert_eq!(val("!!5"), d("1"));
        assert_eq!(val("!0 + 1"), d("2"));
        assert_eq!(val("-x + y"), d("1"));
        // ((1 + 2) > 2 && 0) || 1
        assert_eq!(val("1 + 2 > 2 && 0 || 1"), d("1"));
        assert_eq!(val("1 + 2 > 2 && 0"), d("0"));
        // && binds tighter than ||: 1 || (0 && 0)
        assert_eq!(val("1 || 0 && 0"), d("1"));
        assert_eq!(val("0 || 0 && 1"), d("0"));
    }

    #[test]
    fn left_associative_arithmetic() {
        assert_eq!(val("10 - 4 - 3"), d("3"));
        assert_eq!(val("100 / 10 / 5"), d("2"));
        assert_eq!(val("8 / 4 * 2"), d("4"));
        assert_eq!(val("1 - 2 + 3"), d("2"));
    }

    #[test]
    fn comparisons_give_one_or_zero() {
        for (source, expected) in [
            ("1 < 2", "1"),
            ("2 < 2", "0"),
            ("2 <= 2", "1"),
            ("3 <= 2", "0"),
            ("3 > 2", "1"),
            ("2 > 2", "0"),
            ("2 >= 2", "1"),
            ("1 >= 2", "0"),
            ("2 == 2.00", "1"),
            ("2 == 3", "0"),
            ("2 != 3", "1"),
            ("2 != 2.0", "0"),
            ("x < y", "1"),
            ("-1 < 0", "1"),
        ] {
            let v = val(source);
            assert_eq!(v, d(expected), "{source}");
            assert_eq!(v.to_string(), expected, "{source}");
        }
    }

    #[test]
    fn logic_gives_one_or_zero() {
        assert_eq!(val("2 && 3").to_string(), "1");
        assert_eq!(val("0.5 && 0").to_string(), "0");
        assert_eq!(val("0 || 7").to_string(), "1");
        assert_eq!(val("0 || 0").to_string(), "0");
        assert_eq!(val("-0.001 || 0").to_string(), "1");
    }

    #[test]
    fn short_circuit_skips_the_undecided_side() {
        assert_eq!(ev("0 && 1 / 0"), Ok(d("0")));
        assert_eq!(ev("1 || 1 / 0"), Ok(d("1")));
        assert_eq!(ev("0 && 1 / 0 && 1 / 0"), Ok(d("0")));
        assert_eq!(ev("1 && 1 / 0"), Err(EvalError::DivisionByZero));
        assert_eq!(ev("0 || 1 / 0"), Err(EvalError::DivisionByZero));
    }

    #[test]
    fn if_evaluates_only_the_chosen_branch() {
        assert_eq!(ev("if(1, 2, 1 / 0)"), Ok(d("2")));
        assert_eq!(ev("if(0, 1 / 0, 5)"), Ok(d("5")));
        assert_eq!(ev("if(x > y, 1, 2)"), Ok(d("2")));
        assert_eq!(ev("if(0.1, 1 / 0, 5)"), Err(EvalError::DivisionByZero));
        assert_eq!(ev("if(1 / 0, 1, 2)"), Err(EvalError::DivisionByZero));
    }

    #[test]
    fn functions() {
        assert_eq!(val("min(3)"), d("3"));
        assert_eq!(val("min(3, 1, 2)"), d("1"));
        assert_eq!(val("max(3, 1, 2)"), d("3"));
        assert_eq!(val("max(-3, -1, -2)"), d("-1"));
        assert_eq!(val("min(x, max_points)"), d("3"));
        assert_eq!(val("abs(-2.5)"), d("2.5"));
        assert_eq!(val("abs(2.5)"), d("2.5"));
        assert_eq!(val("round(2.345, 2)"), d("2.35"));
        assert_eq!(val("round(-2.345, 2)"), d("-2.35"));
        assert_eq!(val("round(2.5, 0)"), d("3"));
        assert_eq!(val("round(-2.5, 0)"), d("-3"));
        assert_eq!(val("round(2.344, 2)"), d("2.34"));
        assert_eq!(val("round(1 / 3, 10)"), d("0.3333333333"));
        assert_eq!(val("round(2, 1.0)"), d("2"));
        // min/max evaluate every argument.
        assert_eq!(ev("min(1, 1 / 0)"), Err(EvalError::DivisionByZero));
    }

    #[test]
    fn round_digits_must_be_whole_0_to_10() {
        assert_eq!(ev("round(1, 11)"), Err(EvalError::RoundDigits(d("11"))));
        assert_eq!(ev("round(1, -1)"), Err(EvalError::RoundDigits(d("-1"))));
        assert_eq!(ev("round(1, 0.5)"), Err(EvalError::RoundDigits(d("0.5"))));
        assert_eq!(val("round(1.23456789012, 10)"), d("1.2345678901"));
        assert_eq!(val("round(1.5, x - 3)"), d("2"));
    }

    #[test]
    fn a_variable_may_share_a_function_name() {
        let f = Formula::parse("min(min, 2) + max", &vars(&["min", "max"])).unwrap();
        assert_eq!(f.evaluate(&[d("1"), d("10")], d("5")), Ok(d("11")));
        assert_eq!(f.referenced_slots(), vec![0, 1]);
    }

    #[test]
    fn exact_division() {
        assert_eq!(val("10 / 4"), d("2.5"));
        assert_eq!(val("1 / 3"), d("0.3333333333333333333333333333"));
        // Evaluated as written: the quotient keeps 28 digits, multiplying back does not
        // restore 1.
        assert_eq!(val("1 / 3 * 3"), d("0.9999999999999999999999999999"));
        assert_eq!(val("1 * 3 / 3"), d("1"));
        assert_eq!(val("2 / 3"), d("0.6666666666666666666666666667"));
        assert_eq!(val("max_points * x / y"), d("7.5"));
        assert_eq!(val("0.1 + 0.2"), d("0.3"));
    }

    #[test]
    fn division_by_zero_and_overflow() {
        assert_eq!(ev("1 / 0"), Err(EvalError::DivisionByZero));
        assert_eq!(ev("x / (y - 4)"), Err(EvalError::DivisionByZero));
        assert_eq!(ev("0 / 0.000"), Err(EvalError::DivisionByZero));
        assert_eq!(ev("0 / 5"), Ok(d("0")));
        let max = "79228162514264337593543950335";
        assert_eq!(ev(&format!("{max} + 1")), Err(EvalError::Overflow));
        assert_eq!(ev(&format!("-{max} - 1")), Err(EvalError::Overflow));
        assert_eq!(ev(&format!("{max} * 2")), Err(EvalError::Overflow));
        assert_eq!(ev(&format!("{max} / 0.5")), Err(EvalError::Overflow));
        assert_eq!(ev(&format!("abs(-{max})")), Ok(Decimal::MAX));
    }

    #[test]
    fn zero_results_have_no_sign() {
        assert_eq!(val("-0").to_string(), "0");
        assert_eq!(val("-(x - 3)").to_string(), "0");
        assert!(!val("round(-0.001, 2)").is_sign_negative());
    }

    #[test]
    fn missing_value_is_an_error_not_a_panic() {
        let f = Formula::parse("x + y", &vars(&["x", "y"])).unwrap();
        assert_eq!(f.evaluate(&[d("1")], d("1")), Err(EvalError::MissingValue(1)));
        assert_eq!(f.evaluate(&[], d("1")), Err(EvalError::MissingValue(0)));
    }

    #[test]
    fn source_and_referenced_slots() {
        let names = vars(&["a", "b", "c", "d"]);
        let f = Formula::parse("d + a * (a - max_points) + if(d, 1, 0)", &names).unwrap();
        assert_eq!(f.source(), "d + a * (a - max_points) + if(d, 1, 0)");
        assert_eq!(f.referenced_slots(), vec![0, 3]);
        let f = Formula::parse("max_points / 2", &names).unwrap();
        assert!(f.referenced_slots().is_empty());
        // A name listed twice resolves to its first slot.
        let f = Formula::parse("a", &vars(&["a", "a"])).unwrap();
        assert_eq!(f.referenced_slots(), vec![0]);
    }

    #[test]
    fn max_points_is_always_the_leaf_maximum() {
        let f = Formula::parse("max_points", &vars(&["max_points"])).unwrap();
        assert_eq!(f.evaluate(&[d("99")], d("2")), Ok(d("2")));
        assert!(f.referenced_slots().is_empty());
    }

    #[test]
    fn whitespace_is_ignored() {
        assert_eq!(val(" \t1\n+\r\n2 "), d("3"));
        assert_eq!(val("max ( 1 , 2 )"), d("2"));
    }

    #[test]
    fn syntax_errors_with_positions() {
        let e = err("x * (max_points");
        assert_eq!((e.kind, e.position), (Syntax, 16));
        assert_eq!(e.message, "expected ')' to close the '(' at character 5");
        assert_eq!(e.to_string(), "expected ')' to close the '(' at character 5 (at character 16)");
        assert_eq!(err_at(""), (Syntax, 1));
        assert_eq!(err_at("   "), (Syntax, 4));
        assert_eq!(err_at("1 +"), (Syntax, 4));
        assert_eq!(err_at("1 + * 2"), (Syntax, 5));
        assert_eq!(err_at("()"), (Syntax, 2));
        assert_eq!(err_at("1 2"), (Syntax, 3));
        assert_eq!(err_at("x)"), (Syntax, 2));
        assert_eq!(err_at("(1 2)"), (Syntax, 4));
        assert_eq!(err_at("0,25"), (Syntax, 2));
        assert_eq!(err_at("min(1,)"), (Syntax, 7));
        assert_eq!(err_at("min(1 2)"), (Syntax, 7));
        assert_eq!(err_at("min(1, 2"), (Syntax, 9));
        assert_eq!(err_at("min(,1)"), (Syntax, 5));
        assert_eq!(err_at(".5"), (Syntax, 1));
        assert_eq!(err_at("1e2"), (Syntax, 2));
        assert_eq!(err_at("x = 1"), (Syntax, 3));
        assert_eq!(err_at("x # 1"), (Syntax, 3));
        assert_eq!(err_at("x +"), (Syntax, 4));
        assert_eq!(err_at("x !"), (Syntax, 3));
        assert_eq!(err_at("- "), (Syntax, 3));
    }

    #[test]
    fn comparisons_do_not_chain() {
        let names = vars(&["a", "b", "c"]);
        let e = Formula::parse("a < b < c", &names).unwrap_err();
        assert_eq!((e.kind, e.position), (Syntax, 7));
        assert!(e.message.contains("&&"), "{}", e.message);
        let e = Formula::parse("a == b != c", &names).unwrap_err();
        assert_eq!((e.kind, e.position), (Syntax, 8));
        // Parenthesised, or joined with &&, it is fine.
        assert!(Formula::parse("(a < b) < c", &names).is_ok());
        assert!(Formula::parse("a < b && b < c", &names).is_ok());
    }

    #[test]
    fn unknown_names_with_positions() {
        let e = err("x * z");
        assert_eq!((e.kind, e.position), (UnknownName, 5));
        assert_eq!(e.message, "unknown name 'z': declare it in \"variables\" or use max_points");
        let e = err("sqrt(x)");
        assert_eq!((e.kind, e.position), (UnknownName, 1));
        assert_eq!(e.message, "unknown function 'sqrt': the functions are min, max, abs, if, round");
        assert_eq!(err_at("1 + max_points(2)"), (UnknownName, 5));
        assert_eq!(err_at("MIN(1)"), (UnknownName, 1));
        // A function name not called, and not declared as a variable.
        let e = err("x + min");
        assert_eq!((e.kind, e.position), (UnknownName, 5));
        assert!(e.message.contains("min("), "{}", e.message);
        // Case matters, with a hint.
        let e = err("X + Max_Points");
        assert_eq!((e.kind, e.position), (UnknownName, 1));
        assert!(e.message.contains("did you mean 'x'"), "{}", e.message);
        let e = err("x + Max_Points");
        assert!(e.message.contains("did you mean 'max_points'"), "{}", e.message);
        // The first error in the text wins.
        assert_eq!(err_at("z + (1"), (UnknownName, 1));
        assert_eq!(err_at("(1 + z"), (UnknownName, 6));
    }

    #[test]
    fn arity_errors_with_positions() {
        let e = err("if(x, 1)");
        assert_eq!((e.kind, e.position), (Arity, 1));
        assert_eq!(e.message, "if() takes 3 arguments, got 2");
        let e = err("2 * abs(1, 2)");
        assert_eq!((e.kind, e.position), (Arity, 5));
        assert_eq!(e.message, "abs() takes 1 argument, got 2");
        let e = err("round(x)");
        assert_eq!((e.kind, e.position), (Arity, 1));
        assert_eq!(e.message, "round() takes 2 arguments, got 1");
        let e = err("x + min()");
        assert_eq!((e.kind, e.position), (Arity, 5));
        assert_eq!(e.message, "min() takes at least 1 argument, got 0");
        assert_eq!(err_at("max()"), (Arity, 1));
        assert_eq!(err_at("if(1, 2, 3, 4)"), (Arity, 1));
        assert_eq!(err_at("abs()"), (Arity, 1));
    }

    #[test]
    fn positions_count_characters_not_bytes() {
        // "ố" is 3 bytes in UTF-8 but one character.
        let names = vars(&["x"]);
        let e = Formula::parse("x + số", &names).unwrap_err();
        assert_eq!((e.kind, e.position), (Syntax, 6));
        let e = Formula::parse("x + số_lượng", &names).unwrap_err();
        assert_eq!(e.position, 6);
        assert!(e.message.contains("without accents"), "{}", e.message);
        let e = Formula::parse("x × 2", &names).unwrap_err();
        assert_eq!(e.position, 3);
        // Only ASCII can appear in a formula, so the first non-ASCII character is the error.
        let e = Formula::parse("(x + 1", &names).unwrap_err();
        assert_eq!(e.position, 7);
        let e = Formula::parse("ő", &names).unwrap_err();
        assert_eq!(e.position, 1);
        let e = Formula::parse("1 +\u{a0}2", &names).unwrap_err();
        assert_eq!(e.position, 4);
    }

    #[test]
    fn nesting_is_limited() {
        let ok = format!("{}1{}", "(".repeat(64), ")".repeat(64));
        assert_eq!(Formula::parse(&ok, &[]).unwrap().evaluate(&[], d("1")), Ok(d("1")));
        let e = Formula::parse(&format!("{}1{}", "(".repeat(65), ")".repeat(65)), &[]).unwrap_err();
        assert_eq!((e.kind, e.position), (Syntax, 65));
        let ok = format!("{}1", "-".repeat(64));
        assert_eq!(Formula::parse(&ok, &[]).unwrap().evaluate(&[], d("1")), Ok(d("1")));
        assert_eq!(Formula::parse(&format!("{}1", "!".repeat(65)), &[]).unwrap_err().kind, Syntax);
        let calls = format!("{}1{}", "abs(".repeat(65), ")".repeat(65));
        // Reported at the '(' that opens the 65th level.
        assert_eq!(Formula::parse(&calls, &[]).unwrap_err().position, 260);
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_stack_overflow() {
        for open in ["(", "-", "!", "min(", "if(1,"] {
            let source = format!("{}1{}", open.repeat(10_000), ")".repeat(10_000));
            let e = Formula::parse(&source, &[]).unwrap_err();
            assert_eq!(e.kind, Syntax, "{open}");
            assert!(e.message.contains("nested too deeply"), "{}", e.message);
        }
        let e = Formula::parse(&"(".repeat(10_000), &[]).unwrap_err();
        assert_eq!((e.kind, e.position), (Syntax, 65));
    }

    #[test]
    fn long_formulas_stay_shallow() {
        // 100,000 terms: parsed, evaluated, cloned, compared and dropped without deep recursion.
        let source = vec!["1"; 100_000].join(" + ");
        let f = Formula::parse(&source, &[]).unwrap();
        assert_eq!(f.evaluate(&[], d("1")), Ok(d("100000")));
        assert_eq!(f.clone(), f);
        let source = vec!["x"; 50_000].join(" * 1 && ");
        let f = Formula::parse(&source, &vars(&["x"])).unwrap();
        assert_eq!(f.evaluate(&[d("2")], d("1")), Ok(d("1")));
        assert_eq!(f.referenced_slots(), vec![0]);
        let source = vec!["0"; 50_000].join(" || ");
        assert_eq!(Formula::parse(&source, &[]).unwrap().evaluate(&[], d("1")), Ok(d("0")));
    }

    /// A random formula source built from the grammar, over variables `a`, `b`, `c`.
    fn expr_source() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            (0i64..1000, 0u32..4).prop_map(|(m, s)| Decimal::new(m, s).to_string()),
            Just("79228162514264337593543950335".to_owned()),
            Just("0.0000000000000000000000000001".to_owned()),
            Just("0".to_owned()),
            prop::sample::select(vec!["a", "b", "c", "max_points"]).prop_map(str::to_owned),
        ];
        leaf.prop_recursive(6, 64, 4, |inner| {
            let bin_op = prop::sample::select(vec!["+", "-", "*", "/", "<", "<=", ">", ">=", "==", "!=", "&&", "||"]);
            prop_oneof![
                (inner.clone(), bin_op, inner.clone()).prop_map(|(l, op, r)| format!("({l} {op} {r})")),
                inner.clone().prop_map(|e| format!("-{e}")),
                inner.clone().prop_map(|e| format!("!{e}")),
                inner.clone().prop_map(|e| format!("abs({e})")),
                (inner.clone(), inner.clone()).prop_map(|(a, n)| format!("round({a}, {n})")),
                (inner.clone(), 0u32..=10).prop_map(|(a, n)| format!("round({a}, {n})")),
                (inner.clone(), inner.clone(), inner.clone()).prop_map(|(c, a, b)| format!("if({c}, {a}, {b})")),
                prop::collection::vec(inner.clone(), 1..4).prop_map(|args| format!("min({})", args.join(", "))),
                prop::collection::vec(inner, 1..4).prop_map(|args| format!("max({})", args.join(", "))),
            ]
        })
    }

    /// A random decimal: any mantissa and scale, plus the extremes.
    fn decimal() -> impl Strategy<Value = Decimal> {
        prop_oneof![
            (any::<i64>(), 0u32..=28).prop_map(|(m, s)| Decimal::new(m, s)),
            (-1000i64..1000, 0u32..3).prop_map(|(m, s)| Decimal::new(m, s)),
            Just(Decimal::ZERO),
            Just(Decimal::MAX),
            Just(Decimal::MIN),
        ]
    }

    proptest! {
        #[test]
        fn parse_never_panics_on_any_string(source in any::<String>()) {
            let _ = Formula::parse(&source, &vars(&["a", "b"]));
        }

        #[test]
        fn parse_never_panics_on_formula_like_strings(
            source in "[-+*/()<>=!&|,. 0-9abmx_ố]{0,60}"
        ) {
            let names = vars(&["a", "b", "x"]);
            match Formula::parse(&source, &names) {
                Ok(f) => {
                    let _ = f.evaluate(&[Decimal::ONE, Decimal::TWO, Decimal::ZERO], Decimal::TEN);
                }
                Err(e) => {
                    // The position is within the source or just past its end.
                    prop_assert!(e.position >= 1);
                    prop_assert!(e.position <= source.chars().count() + 1);
                }
            }
        }

        #[test]
        fn generated_formulas_parse_and_evaluate_without_panicking(
            source in expr_source(),
            a in decimal(),
            b in decimal(),
            c in decimal(),
            max_points in decimal(),
        ) {
            let f = Formula::parse(&source, &vars(&["a", "b", "c"]));
            prop_assert!(f.is_ok(), "{source:?}: {f:?}");
            let f = f.unwrap();
            prop_assert_eq!(f.source(), source.as_str());
            let _ = f.evaluate(&[a, b, c], max_points);
            // Too few values is an error, never a panic.
            let _ = f.evaluate(&[a], max_points);
        }

        #[test]
        fn arithmetic_matches_checked_decimal_operations(a in decimal(), b in decimal()) {
            let f = |s: &str| Formula::parse(s, &vars(&["a", "b"])).unwrap().evaluate(&[a, b], Decimal::ONE);
            let norm = |d: Decimal| if d.is_zero() { Decimal::ZERO } else { d };
            prop_assert_eq!(f("a + b"), a.checked_add(b).map(norm).ok_or(EvalError::Overflow));
            prop_assert_eq!(f("a * b"), a.checked_mul(b).map(norm).ok_or(EvalError::Overflow));
            let quotient = if b.is_zero() {
                Err(EvalError::DivisionByZero)
            } else {
                a.checked_div(b).map(norm).ok_or(EvalError::Overflow)
            };
            prop_assert_eq!(f("a / b"), quotient);
            prop_assert_eq!(f("a < b"), Ok(if a < b { Decimal::ONE } else { Decimal::ZERO }));
        }
    }
}
