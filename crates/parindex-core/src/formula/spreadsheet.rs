//! A formula written as a spreadsheet formula (Excel, LibreOffice Calc), so that a form can
//! preview the points it gives as an officer types the variables.
//!
//! The translation keeps the language's meaning where a spreadsheet can: comparisons and
//! logic give 1 or 0, any non-zero value is true, `&&`/`||`/`if` evaluate only what they
//! need (nested `IF`s, so a division in a branch not taken is not an error), `round` rounds
//! half away from zero (`ROUND`). A division by zero is a spreadsheet error (`#DIV/0!`),
//! which the form turns into "nothing arose". Spreadsheets compute in binary floating point:
//! the preview agrees with the engine's exact figure to many digits, not to all 28.

use super::parser::{ArithOp, CmpOp, Expr};

/// Writes `expr` in spreadsheet syntax (without the leading `=`): `slot(i)` is the cell (or
/// expression) holding the value of slot `i`, `max_points` the leaf's maximum.
pub(crate) fn write(expr: &Expr, slot: &dyn Fn(usize) -> String, max_points: &str) -> String {
    let w = |e: &Expr| write(e, slot, max_points);
    let truth = |e: &Expr| format!("({})<>0", w(e));
    match expr {
        Expr::Num(d) => {
            let s = d.normalize().to_string();
            if s.starts_with('-') { format!("({s})") } else { s }
        }
        Expr::Var(i) => format!("({})", slot(*i)),
        Expr::MaxPoints => format!("({max_points})"),
        Expr::Neg(e) => format!("(-{})", w(e)),
        Expr::Not(e) => format!("IF({},0,1)", truth(e)),
        Expr::Arith { first, rest } => {
            let mut s = format!("({}", w(first));
            for (op, e) in rest {
                let o = match op {
                    ArithOp::Add => '+',
                    ArithOp::Sub => '-',
                    ArithOp::Mul => '*',
                    ArithOp::Div => '/',
                };
                s.push(o);
                s.push_str(&w(e));
            }
            s.push(')');
            s
        }
        Expr::Cmp(a, op, b) => {
            let o = match op {
                CmpOp::Lt => "<",
                CmpOp::Le => "<=",
                CmpOp::Gt => ">",
                CmpOp::Ge => ">=",
                CmpOp::Eq => "=",
                CmpOp::Ne => "<>",
            };
            format!("IF({}{o}{},1,0)", w(a), w(b))
        }
        // a && b && c: IF(a, IF(b, IF(c,1,0), 0), 0), evaluated left to right, stopping early.
        Expr::And(es) => es.iter().rev().fold("1".to_owned(), |inner, e| format!("IF({},{inner},0)", truth(e))),
        Expr::Or(es) => es.iter().rev().fold("0".to_owned(), |inner, e| format!("IF({},1,{inner})", truth(e))),
        Expr::Min(first, rest) | Expr::Max(first, rest) => {
            let name = if matches!(expr, Expr::Min(..)) { "MIN" } else { "MAX" };
            let args: Vec<String> = std::iter::once(first.as_ref()).chain(rest).map(w).collect();
            format!("{name}({})", args.join(","))
        }
        Expr::Abs(e) => format!("ABS({})", w(e)),
        Expr::If(c, a, b) => format!("IF({},{},{})", truth(c), w(a), w(b)),
        Expr::Round(a, n) => format!("ROUND({},{})", w(a), w(n)),
    }
}

#[cfg(test)]
mod tests {
    use crate::formula::Formula;

    fn sheet(src: &str) -> String {
        let vars = vec!["x".to_owned(), "y".to_owned()];
        let cells = ["E7", "E8"];
        let f = Formula::parse(src, &vars).unwrap();
        f.to_spreadsheet(&|i| cells.get(i).copied().unwrap_or("?").to_owned(), "C6")
    }

    #[test]
    fn formulas_become_spreadsheet_formulas() {
        assert_eq!(
            sheet("if(y == 0, max_points, max_points * x / y)"),
            "IF((IF((E8)=0,1,0))<>0,(C6),((C6)*(E7)/(E8)))"
        );
        assert_eq!(sheet("x > 0 && y > 0"), "IF((IF((E7)>0,1,0))<>0,IF((IF((E8)>0,1,0))<>0,1,0),0)");
        assert_eq!(sheet("x < 1 || !y"), "IF((IF((E7)<1,1,0))<>0,1,IF((IF(((E8))<>0,0,1))<>0,1,0))");
        assert_eq!(sheet("round(min(x, 2, y) - -1.5, 2)"), "ROUND((MIN((E7),2,(E8))-(-1.5)),2)");
        assert_eq!(sheet("abs(-x)"), "ABS((-(E7)))");
    }
}
