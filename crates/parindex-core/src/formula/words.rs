//! A formula in Vietnamese words and mathematical signs, for people who read the rule on a
//! form: `round(max_points * x / y, 2)` with max 2 reads "2 × số đạt ÷ tổng số, làm tròn đến
//! 2 chữ số thập phân". Names are replaced by what the caller gives for them (a variable's
//! description, "điểm của 1.1"); parentheses appear only where the order of operations needs
//! them. Decimals are written with a point, as forms ask officers to type them.

use super::parser::{ArithOp, CmpOp, Expr};

/// How tightly a piece of text binds; a piece is put in parentheses where its parent binds
/// more tightly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Level {
    /// "nếu … thì …", "…, làm tròn …": always parenthesized inside another expression.
    Clause,
    Or,
    And,
    Cmp,
    Sum,
    Product,
    Atom,
}

/// Writes `expr` in words: `name(i)` is what slot `i` is called, `max_points` the leaf's max.
pub(crate) fn write(expr: &Expr, name: &dyn Fn(usize) -> String, max_points: &str) -> String {
    words(expr, name, max_points).0
}

fn wrap((text, level): (String, Level), at_least: Level) -> String {
    if level < at_least { format!("({text})") } else { text }
}

fn words(expr: &Expr, name: &dyn Fn(usize) -> String, max_points: &str) -> (String, Level) {
    let w = |e: &Expr| words(e, name, max_points);
    match expr {
        Expr::Num(d) => (d.normalize().to_string().replace('-', "−"), Level::Atom),
        Expr::Var(i) => (name(*i), Level::Atom),
        Expr::MaxPoints => (max_points.to_owned(), Level::Atom),
        Expr::Neg(e) => (format!("−{}", wrap(w(e), Level::Atom)), Level::Product),
        Expr::Not(e) => (format!("không phải {}", wrap(w(e), Level::Atom)), Level::Cmp),
        Expr::Arith { first, rest } => {
            let sum = matches!(rest.first(), Some((ArithOp::Add | ArithOp::Sub, _)));
            let level = if sum { Level::Sum } else { Level::Product };
            let mut text = wrap(w(first), level);
            for (op, e) in rest {
                let sign = match op {
                    ArithOp::Add => "+",
                    ArithOp::Sub => "−",
                    ArithOp::Mul => "×",
                    ArithOp::Div => "÷",
                };
                // `a − (b + c)`, `a ÷ (b × c)`: a right operand of the same level keeps its
                // parentheses.
                let right = w(e);
                let right = if right.1 == level { format!("({})", right.0) } else { wrap(right, level) };
                text.push_str(&format!(" {sign} {right}"));
            }
            (text, level)
        }
        Expr::Cmp(a, op, b) => {
            let sign = match op {
                CmpOp::Lt => "<",
                CmpOp::Le => "≤",
                CmpOp::Gt => ">",
                CmpOp::Ge => "≥",
                CmpOp::Eq => "=",
                CmpOp::Ne => "≠",
            };
            (format!("{} {sign} {}", wrap(w(a), Level::Sum), wrap(w(b), Level::Sum)), Level::Cmp)
        }
        Expr::And(es) => {
            let parts: Vec<String> = es.iter().map(|e| wrap(w(e), Level::Cmp)).collect();
            (parts.join(" và "), Level::And)
        }
        Expr::Or(es) => {
            let parts: Vec<String> = es.iter().map(|e| wrap(w(e), Level::And)).collect();
            (parts.join(" hoặc "), Level::Or)
        }
        Expr::Min(first, rest) | Expr::Max(first, rest) => {
            let args: Vec<String> =
                std::iter::once(first.as_ref()).chain(rest).map(|e| wrap(w(e), Level::Or)).collect();
            if args.len() == 1 {
                return (args.into_iter().next().unwrap_or_default(), Level::Atom);
            }
            let which = if matches!(expr, Expr::Min(..)) { "số nhỏ nhất" } else { "số lớn nhất" };
            (format!("{which} trong ({})", args.join("; ")), Level::Atom)
        }
        Expr::Abs(e) => (format!("|{}|", w(e).0), Level::Atom),
        Expr::If(c, a, b) => (
            format!(
                "nếu {} thì {}, nếu không thì {}",
                wrap(w(c), Level::Or),
                wrap(w(a), Level::Or),
                wrap(w(b), Level::Or)
            ),
            Level::Clause,
        ),
        Expr::Round(a, n) => {
            let digits = match n.as_ref() {
                Expr::Num(d) => d.normalize().to_string(),
                other => wrap(w(other), Level::Atom),
            };
            (format!("{}, làm tròn đến {digits} chữ số thập phân", wrap(w(a), Level::Or)), Level::Clause)
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::formula::Formula;

    fn words(src: &str) -> String {
        let vars = vec!["x".to_owned(), "y".to_owned(), "z".to_owned()];
        let names = ["số đạt", "tổng số", "số quá hạn"];
        let f = Formula::parse(src, &vars).unwrap();
        f.to_words(&|i| names.get(i).copied().unwrap_or("?").to_owned(), "2")
    }

    #[test]
    fn formulas_read_as_words_with_only_the_parentheses_needed() {
        assert_eq!(words("max_points * x / y"), "2 × số đạt ÷ tổng số");
        assert_eq!(
            words("round(max_points * (x + 0.5 * z) / y, 2)"),
            "2 × (số đạt + 0.5 × số quá hạn) ÷ tổng số, làm tròn đến 2 chữ số thập phân"
        );
        assert_eq!(
            words("max(0, max_points - 0.25 * (y - x))"),
            "số lớn nhất trong (0; 2 − 0.25 × (tổng số − số đạt))"
        );
        assert_eq!(words("x - (y + z)"), "số đạt − (tổng số + số quá hạn)");
        assert_eq!(words("x / (y * z)"), "số đạt ÷ (tổng số × số quá hạn)");
        assert_eq!(words("(x + y) * -z"), "(số đạt + tổng số) × (−số quá hạn)");
        assert_eq!(
            words("if(x >= 3.5 && y != 0 || !z, max_points, round(x / y, 1))"),
            "nếu số đạt ≥ 3.5 và tổng số ≠ 0 hoặc không phải số quá hạn thì 2, \
             nếu không thì (số đạt ÷ tổng số, làm tròn đến 1 chữ số thập phân)"
        );
        assert_eq!(words("2 * if(x > 0, 1, 0) + abs(-1.5)"), "2 × (nếu số đạt > 0 thì 1, nếu không thì 0) + |−1.5|");
        assert_eq!(words("min(x)"), "số đạt");
    }
}
