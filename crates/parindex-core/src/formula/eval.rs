//! The evaluator of the formula language (SPEC §5) over exact decimals.
//!
//! Every operation uses rust_decimal's checked arithmetic: a zero divisor is
//! [`EvalError::DivisionByZero`], any other failure [`EvalError::Overflow`]. A quotient keeps
//! rust_decimal's 28 significant digits. `&&`, `||` and `if()` evaluate only what decides the
//! result, so an error in a side that is not taken does not surface.

use rust_decimal::{Decimal, RoundingStrategy};

use super::EvalError;
use super::parser::{ArithOp, CmpOp, Expr};

/// The most digits `round(a, n)` accepts for `n`.
const MAX_ROUND_DIGITS: u32 = 10;

/// The values an expression is evaluated with.
pub(crate) struct Context<'a> {
    /// `values[slot]` is the value of the variable in that slot.
    pub(crate) values: &'a [Decimal],
    /// The leaf's maximum.
    pub(crate) max_points: Decimal,
}

/// Evaluates `expr`. A zero result is returned without a minus sign.
pub(crate) fn evaluate(expr: &Expr, ctx: &Context<'_>) -> Result<Decimal, EvalError> {
    let mut value = eval(expr, ctx)?;
    if value.is_zero() {
        value.set_sign_positive(true);
    }
    Ok(value)
}

/// 1 for true, 0 for false.
fn truth(b: bool) -> Decimal {
    if b { Decimal::ONE } else { Decimal::ZERO }
}

/// Any non-zero value is true.
fn is_true(d: Decimal) -> bool {
    !d.is_zero()
}

/// Evaluates one node (recursion depth is bounded by the parser's nesting limit).
fn eval(expr: &Expr, ctx: &Context<'_>) -> Result<Decimal, EvalError> {
    match expr {
        Expr::Num(value) => Ok(*value),
        Expr::Var(slot) => ctx.values.get(*slot).copied().ok_or(EvalError::MissingValue(*slot)),
        Expr::MaxPoints => Ok(ctx.max_points),
        Expr::Neg(e) => Ok(-eval(e, ctx)?),
        Expr::Not(e) => Ok(truth(!is_true(eval(e, ctx)?))),
        Expr::Arith { first, rest } => {
            let mut acc = eval(first, ctx)?;
            for (op, e) in rest {
                let right = eval(e, ctx)?;
                acc = arith(*op, acc, right)?;
            }
            Ok(acc)
        }
        Expr::Cmp(a, op, b) => {
            let (a, b) = (eval(a, ctx)?, eval(b, ctx)?);
            Ok(truth(match op {
                CmpOp::Lt => a < b,
                CmpOp::Le => a <= b,
                CmpOp::Gt => a > b,
                CmpOp::Ge => a >= b,
                CmpOp::Eq => a == b,
                CmpOp::Ne => a != b,
            }))
        }
        Expr::And(operands) => {
            for e in operands {
                if !is_true(eval(e, ctx)?) {
                    return Ok(Decimal::ZERO);
                }
            }
            Ok(Decimal::ONE)
        }
        Expr::Or(operands) => {
            for e in operands {
                if is_true(eval(e, ctx)?) {
                    return Ok(Decimal::ONE);
                }
            }
            Ok(Decimal::ZERO)
        }
        Expr::Min(first, rest) => extreme(first, rest, ctx, |v, best| v < best),
        Expr::Max(first, rest) => extreme(first, rest, ctx, |v, best| v > best),
        Expr::Abs(a) => Ok(eval(a, ctx)?.abs()),
        Expr::If(c, then, otherwise) => {
            if is_true(eval(c, ctx)?) {
                eval(then, ctx)
            } else {
                eval(otherwise, ctx)
            }
        }
        Expr::Round(a, n) => {
            let value = eval(a, ctx)?;
            let digits = eval(n, ctx)?;
            let dp =
                (0..=MAX_ROUND_DIGITS).find(|&k| Decimal::from(k) == digits).ok_or(EvalError::RoundDigits(digits))?;
            Ok(value.round_dp_with_strategy(dp, RoundingStrategy::MidpointAwayFromZero))
        }
    }
}

/// One arithmetic operation, checked.
fn arith(op: ArithOp, a: Decimal, b: Decimal) -> Result<Decimal, EvalError> {
    let result = match op {
        ArithOp::Add => a.checked_add(b),
        ArithOp::Sub => a.checked_sub(b),
        ArithOp::Mul => a.checked_mul(b),
        ArithOp::Div => {
            if b.is_zero() {
                return Err(EvalError::DivisionByZero);
            }
            a.checked_div(b)
        }
    };
    result.ok_or(EvalError::Overflow)
}

/// `min` or `max`: the first argument that `better` prefers to every other (the first of
/// equal values wins). Every argument is evaluated, left to right.
fn extreme(
    first: &Expr,
    rest: &[Expr],
    ctx: &Context<'_>,
    better: fn(Decimal, Decimal) -> bool,
) -> Result<Decimal, EvalError> {
    let mut best = eval(first, ctx)?;
    for e in rest {
        let v = eval(e, ctx)?;
        if better(v, best) {
            best = v;
        }
    }
    Ok(best)
}
