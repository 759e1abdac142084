//! Dates as Vietnamese documents write them (day arithmetic is `parindex_core::Date`'s).

use parindex_core::Date;

/// `dd/mm/yyyy`, as Vietnamese documents write dates.
pub fn vietnamese(date: Date) -> String {
    format!("{:02}/{:02}/{:04}", date.day(), date.month(), date.year())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vietnamese_order_is_day_month_year() {
        assert_eq!(Date::parse("2023-01-05").map(vietnamese).as_deref(), Some("05/01/2023"));
    }
}
