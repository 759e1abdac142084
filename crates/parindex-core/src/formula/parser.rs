//! The recursive-descent parser of the formula language (SPEC §5): tokens → [`Expr`].
//!
//! Names are resolved while parsing: a declared variable becomes its slot index, `max_points`
//! the leaf's maximum, and a call one of the five built-in functions with its arity checked.
//!
//! Nesting (parentheses, function calls and prefix operators) is limited to [`MAX_DEPTH`]
//! levels, so that no input can exhaust the stack. Chains of the same binary operator level
//! (`a + b - c + …`, `a && b && …`) are stored flat, not as a deep left-leaning tree, so that a
//! very long formula stays shallow too.

use std::collections::HashMap;

use rust_decimal::Decimal;

use super::lexer::{Token, TokenKind};
use super::{FormulaError, FormulaErrorKind};

/// The deepest nesting of parentheses, function calls and prefix operators a formula may use.
pub(crate) const MAX_DEPTH: usize = 64;

/// The name that always means the leaf's maximum.
pub(crate) const MAX_POINTS: &str = "max_points";

/// The list of functions, as shown in error messages.
const FUNCTION_LIST: &str = "min, max, abs, if, round";

/// An arithmetic operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ArithOp {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
}

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CmpOp {
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `==`
    Eq,
    /// `!=`
    Ne,
}

/// A built-in function.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Func {
    /// `min(a, b, …)`: the smallest argument.
    Min,
    /// `max(a, b, …)`: the largest argument.
    Max,
    /// `abs(a)`
    Abs,
    /// `if(c, a, b)`: `a` when `c` is non-zero, else `b`; only the chosen branch is evaluated.
    If,
    /// `round(a, n)`: `a` rounded to `n` digits after the point, half away from zero.
    Round,
}

impl Func {
    /// The function called `name`, if there is one.
    fn from_name(name: &str) -> Option<Func> {
        match name {
            "min" => Some(Func::Min),
            "max" => Some(Func::Max),
            "abs" => Some(Func::Abs),
            "if" => Some(Func::If),
            "round" => Some(Func::Round),
            _ => None,
        }
    }

    /// The function's name as written.
    fn name(self) -> &'static str {
        match self {
            Func::Min => "min",
            Func::Max => "max",
            Func::Abs => "abs",
            Func::If => "if",
            Func::Round => "round",
        }
    }

    /// The message for a call with `count` arguments, which do not suit the function.
    fn arity_message(self, count: usize) -> String {
        let name = self.name();
        match self {
            Func::Min | Func::Max => format!("{name}() takes at least 1 argument, got {count}"),
            Func::Abs => format!("{name}() takes 1 argument, got {count}"),
            Func::If => format!("{name}() takes 3 arguments, got {count}"),
            Func::Round => format!("{name}() takes 2 arguments, got {count}"),
        }
    }
}

/// A parsed expression. Variable references are resolved to slot indices.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Expr {
    /// A decimal literal.
    Num(Decimal),
    /// A declared variable, by slot.
    Var(usize),
    /// The constant `max_points`.
    MaxPoints,
    /// `-a`
    Neg(Box<Expr>),
    /// `!a`
    Not(Box<Expr>),
    /// `first op1 e1 op2 e2 …`, evaluated left to right (one precedence level: `+ -` or `* /`).
    Arith {
        /// The leftmost operand.
        first: Box<Expr>,
        /// The operators and operands that follow, in order.
        rest: Vec<(ArithOp, Expr)>,
    },
    /// `a op b` (comparisons do not chain).
    Cmp(Box<Expr>, CmpOp, Box<Expr>),
    /// `a && b && …` (at least two operands), short-circuiting.
    And(Vec<Expr>),
    /// `a || b || …` (at least two operands), short-circuiting.
    Or(Vec<Expr>),
    /// `min(first, rest…)`
    Min(Box<Expr>, Vec<Expr>),
    /// `max(first, rest…)`
    Max(Box<Expr>, Vec<Expr>),
    /// `abs(a)`
    Abs(Box<Expr>),
    /// `if(c, a, b)`
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `round(a, n)`
    Round(Box<Expr>, Box<Expr>),
}

impl Expr {
    /// Adds the slots of the variables this expression references to `out`.
    pub(crate) fn collect_slots(&self, out: &mut Vec<usize>) {
        match self {
            Expr::Num(_) | Expr::MaxPoints => {}
            Expr::Var(slot) => out.push(*slot),
            Expr::Neg(e) | Expr::Not(e) | Expr::Abs(e) => e.collect_slots(out),
            Expr::Arith { first, rest } => {
                first.collect_slots(out);
                for (_, e) in rest {
                    e.collect_slots(out);
                }
            }
            Expr::Cmp(a, _, b) | Expr::Round(a, b) => {
                a.collect_slots(out);
                b.collect_slots(out);
            }
            Expr::If(c, a, b) => {
                c.collect_slots(out);
                a.collect_slots(out);
                b.collect_slots(out);
            }
            Expr::Min(first, rest) | Expr::Max(first, rest) => {
                first.collect_slots(out);
                for e in rest {
                    e.collect_slots(out);
                }
            }
            Expr::And(es) | Expr::Or(es) => {
                for e in es {
                    e.collect_slots(out);
                }
            }
        }
    }
}

/// Parses `tokens` (from a source of `char_count` characters) into an expression, resolving
/// names against `variables` (a name's slot is its first index there).
pub(crate) fn parse(tokens: &[Token], char_count: usize, variables: &[String]) -> Result<Expr, FormulaError> {
    let mut slots: HashMap<&str, usize> = HashMap::new();
    for (slot, name) in variables.iter().enumerate() {
        slots.entry(name.as_str()).or_insert(slot);
    }
    let mut parser = Parser { tokens, next: 0, end_pos: char_count + 1, depth: 0, variables, slots };
    if tokens.is_empty() {
        return Err(parser.syntax(parser.end_pos, "the formula is empty".to_owned()));
    }
    let expr = parser.expr()?;
    match parser.peek() {
        None => Ok(expr),
        Some(token) => Err(parser.trailing(token)),
    }
}

/// The parser's state.
struct Parser<'a> {
    /// All tokens.
    tokens: &'a [Token],
    /// The index of the next token.
    next: usize,
    /// The position reported for "unexpected end": the source's character count + 1.
    end_pos: usize,
    /// The current nesting depth.
    depth: usize,
    /// The declared variables, for hints.
    variables: &'a [String],
    /// Declared variable name → slot.
    slots: HashMap<&'a str, usize>,
}

impl<'a> Parser<'a> {
    /// The next token, not consumed.
    fn peek(&self) -> Option<&'a Token> {
        self.tokens.get(self.next)
    }

    /// Consumes and returns the next token.
    fn bump(&mut self) -> Option<&'a Token> {
        let token = self.tokens.get(self.next);
        if token.is_some() {
            self.next += 1;
        }
        token
    }

    /// Consumes the next token if it is `kind`.
    fn eat(&mut self, kind: &TokenKind) -> bool {
        if self.peek().is_some_and(|t| &t.kind == kind) {
            self.next += 1;
            true
        } else {
            false
        }
    }

    /// The position of the next token, or the end position.
    fn here(&self) -> usize {
        self.peek().map_or(self.end_pos, |t| t.pos)
    }

    /// A syntax error.
    fn syntax(&self, position: usize, message: String) -> FormulaError {
        FormulaError { kind: FormulaErrorKind::Syntax, position, message }
    }

    /// Enters one nesting level, opened by the token at `pos`.
    fn enter(&mut self, pos: usize) -> Result<(), FormulaError> {
        if self.depth >= MAX_DEPTH {
            return Err(self.syntax(
                pos,
                format!(
                    "the formula is nested too deeply: at most {MAX_DEPTH} levels of \
                     parentheses, function calls and '-' or '!' signs"
                ),
            ));
        }
        self.depth += 1;
        Ok(())
    }

    /// Leaves a nesting level.
    fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    /// The error for a token left over after a complete expression.
    fn trailing(&self, token: &Token) -> FormulaError {
        let message = match token.kind {
            TokenKind::RParen => "unexpected ')': there is no '(' for it to close".to_owned(),
            TokenKind::Comma => "unexpected ',': a comma only separates the arguments of a \
                                 function (decimals are written with '.', e.g. 0.25)"
                .to_owned(),
            _ => format!("expected an operator or the end of the formula, found '{}'", token.text),
        };
        self.syntax(token.pos, message)
    }

    /// `expr := or`
    fn expr(&mut self) -> Result<Expr, FormulaError> {
        self.or()
    }

    /// `or := and ( "||" and )*`
    fn or(&mut self) -> Result<Expr, FormulaError> {
        let first = self.and()?;
        if !self.peek().is_some_and(|t| t.kind == TokenKind::OrOr) {
            return Ok(first);
        }
        let mut operands = vec![first];
        while self.eat(&TokenKind::OrOr) {
            operands.push(self.and()?);
        }
        Ok(Expr::Or(operands))
    }

    /// `and := cmp ( "&&" cmp )*`
    fn and(&mut self) -> Result<Expr, FormulaError> {
        let first = self.cmp()?;
        if !self.peek().is_some_and(|t| t.kind == TokenKind::AndAnd) {
            return Ok(first);
        }
        let mut operands = vec![first];
        while self.eat(&TokenKind::AndAnd) {
            operands.push(self.cmp()?);
        }
        Ok(Expr::And(operands))
    }

    /// `cmp := sum ( cmp-op sum )?` — at most one comparison.
    fn cmp(&mut self) -> Result<Expr, FormulaError> {
        let left = self.sum()?;
        let Some(op) = self.peek().and_then(|t| cmp_op(&t.kind)) else {
            return Ok(left);
        };
        self.next += 1;
        let right = self.sum()?;
        if let Some(token) = self.peek().filter(|t| cmp_op(&t.kind).is_some()) {
            return Err(self.syntax(
                token.pos,
                format!(
                    "comparisons cannot be chained: '{}' follows another comparison; \
                     combine them with && (e.g. a < b && b < c)",
                    token.text
                ),
            ));
        }
        Ok(Expr::Cmp(Box::new(left), op, Box::new(right)))
    }

    /// `sum := prod ( ( "+" | "-" ) prod )*`
    fn sum(&mut self) -> Result<Expr, FormulaError> {
        let first = self.prod()?;
        let mut rest = Vec::new();
        loop {
            let op = match self.peek().map(|t| &t.kind) {
                Some(TokenKind::Plus) => ArithOp::Add,
                Some(TokenKind::Minus) => ArithOp::Sub,
                _ => break,
            };
            self.next += 1;
            rest.push((op, self.prod()?));
        }
        Ok(arith(first, rest))
    }

    /// `prod := unary ( ( "*" | "/" ) unary )*`
    fn prod(&mut self) -> Result<Expr, FormulaError> {
        let first = self.unary()?;
        let mut rest = Vec::new();
        loop {
            let op = match self.peek().map(|t| &t.kind) {
                Some(TokenKind::Star) => ArithOp::Mul,
                Some(TokenKind::Slash) => ArithOp::Div,
                _ => break,
            };
            self.next += 1;
            rest.push((op, self.unary()?));
        }
        Ok(arith(first, rest))
    }

    /// `unary := ( "-" | "!" ) unary | atom`
    fn unary(&mut self) -> Result<Expr, FormulaError> {
        let Some(token) = self.peek() else {
            return self.atom();
        };
        let negate = match token.kind {
            TokenKind::Minus => true,
            TokenKind::Bang => false,
            _ => return self.atom(),
        };
        self.next += 1;
        self.enter(token.pos)?;
        let operand = self.unary()?;
        self.leave();
        let operand = Box::new(operand);
        Ok(if negate { Expr::Neg(operand) } else { Expr::Not(operand) })
    }

    /// `atom := DECIMAL | NAME | NAME "(" expr ( "," expr )* ")" | "(" expr ")"`
    fn atom(&mut self) -> Result<Expr, FormulaError> {
        let Some(token) = self.bump() else {
            return Err(
                self.syntax(self.end_pos, "the formula ends where a number, a name or '(' was expected".to_owned())
            );
        };
        match &token.kind {
            TokenKind::Number(value) => Ok(Expr::Num(*value)),
            TokenKind::Name(name) => {
                if self.peek().is_some_and(|t| t.kind == TokenKind::LParen) {
                    self.call(token, name)
                } else {
                    self.name(token, name)
                }
            }
            TokenKind::LParen => {
                self.enter(token.pos)?;
                let inner = self.expr()?;
                self.leave();
                if self.eat(&TokenKind::RParen) { Ok(inner) } else { Err(self.unclosed(token.pos, None)) }
            }
            _ => {
                let message = match token.kind {
                    TokenKind::RParen => "expected a number, a name or '(' before ')'".to_owned(),
                    TokenKind::Comma => "expected a number, a name or '(' but found ',' \
                                         (decimals are written with '.', e.g. 0.25)"
                        .to_owned(),
                    _ => format!("expected a number, a name or '(' but found '{}'", token.text),
                };
                Err(self.syntax(token.pos, message))
            }
        }
    }

    /// The error for a missing `)`: the '(' at `open` (of `function`, if a call) is not closed.
    fn unclosed(&self, open: usize, function: Option<Func>) -> FormulaError {
        let what = match function {
            Some(f) => format!("expected ',' or ')' in the call of {}() opened at character {open}", f.name()),
            None => format!("expected ')' to close the '(' at character {open}"),
        };
        let message = match self.peek() {
            Some(t) => format!("{what}, found '{}'", t.text),
            None => what,
        };
        self.syntax(self.here(), message)
    }

    /// A name that is not called: a declared variable or `max_points`.
    fn name(&self, token: &Token, name: &str) -> Result<Expr, FormulaError> {
        if name == MAX_POINTS {
            return Ok(Expr::MaxPoints);
        }
        if let Some(&slot) = self.slots.get(name) {
            return Ok(Expr::Var(slot));
        }
        let message = if Func::from_name(name).is_some() {
            format!("'{name}' is a function: call it as {name}(…), or declare a variable '{name}'")
        } else {
            let mut message = format!("unknown name '{name}': declare it in \"variables\" or use {MAX_POINTS}");
            let near = std::iter::once(MAX_POINTS)
                .chain(self.variables.iter().map(String::as_str))
                .find(|known| known.eq_ignore_ascii_case(name));
            if let Some(known) = near {
                message.push_str(&format!(" (names are case-sensitive: did you mean '{known}'?)"));
            }
            message
        };
        Err(FormulaError { kind: FormulaErrorKind::UnknownName, position: token.pos, message })
    }

    /// A call `name(…)`; the next token is the `(`.
    fn call(&mut self, token: &Token, name: &str) -> Result<Expr, FormulaError> {
        let Some(func) = Func::from_name(name) else {
            return Err(FormulaError {
                kind: FormulaErrorKind::UnknownName,
                position: token.pos,
                message: format!("unknown function '{name}': the functions are {FUNCTION_LIST}"),
            });
        };
        let open = self.here();
        self.next += 1; // the '('
        self.enter(open)?;
        let mut args = Vec::new();
        if !self.eat(&TokenKind::RParen) {
            loop {
                args.push(self.expr()?);
                if self.eat(&TokenKind::Comma) {
                    continue;
                }
                if self.eat(&TokenKind::RParen) {
                    break;
                }
                return Err(self.unclosed(open, Some(func)));
            }
        }
        self.leave();
        let count = args.len();
        build_call(func, args).ok_or_else(|| FormulaError {
            kind: FormulaErrorKind::Arity,
            position: token.pos,
            message: func.arity_message(count),
        })
    }
}

/// The expression for a call of `func` with `args`, or `None` when the count does not suit it.
fn build_call(func: Func, args: Vec<Expr>) -> Option<Expr> {
    let b = Box::new;
    match func {
        Func::Min | Func::Max => {
            let mut args = args.into_iter();
            let first = b(args.next()?);
            let rest = args.collect();
            Some(if func == Func::Min { Expr::Min(first, rest) } else { Expr::Max(first, rest) })
        }
        Func::Abs => {
            let [a] = exactly(args)?;
            Some(Expr::Abs(b(a)))
        }
        Func::If => {
            let [c, then, otherwise] = exactly(args)?;
            Some(Expr::If(b(c), b(then), b(otherwise)))
        }
        Func::Round => {
            let [a, n] = exactly(args)?;
            Some(Expr::Round(b(a), b(n)))
        }
    }
}

/// The arguments as an array of exactly `N`, or `None`.
fn exactly<const N: usize>(args: Vec<Expr>) -> Option<[Expr; N]> {
    <[Expr; N]>::try_from(args).ok()
}

/// A chain of one arithmetic level; a single operand stays as it is.
fn arith(first: Expr, rest: Vec<(ArithOp, Expr)>) -> Expr {
    if rest.is_empty() { first } else { Expr::Arith { first: Box::new(first), rest } }
}

/// The comparison operator a token is, if any.
fn cmp_op(kind: &TokenKind) -> Option<CmpOp> {
    match kind {
        TokenKind::Lt => Some(CmpOp::Lt),
        TokenKind::Le => Some(CmpOp::Le),
        TokenKind::Gt => Some(CmpOp::Gt),
        TokenKind::Ge => Some(CmpOp::Ge),
        TokenKind::EqEq => Some(CmpOp::Eq),
        TokenKind::Ne => Some(CmpOp::Ne),
        _ => None,
    }
}
