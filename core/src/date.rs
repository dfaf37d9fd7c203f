//! Calendar dates (`YYYY-MM-DD`) and interval arithmetic.

use chrono::{Datelike, Days, Months, NaiveDate};

/// Parses a strict `YYYY-MM-DD` calendar date; `None` if malformed or impossible (2025-02-30).
pub fn parse(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let shape = b.len() == 10
        && b.get(4) == Some(&b'-')
        && b.get(7) == Some(&b'-')
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shape {
        return None;
    }
    // The digits are checked above: read them directly rather than through a format string.
    let number = |from: usize, to: usize| {
        b.get(from..to)
            .unwrap_or_default()
            .iter()
            .fold(0u32, |n, c| n * 10 + u32::from(c - b'0'))
    };
    let year = i32::try_from(number(0, 4)).ok()?;
    NaiveDate::from_ymd_opt(year, number(5, 7), number(8, 10))
}

/// Formats a date as `YYYY-MM-DD`.
pub fn format(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// A calendar unit of a cadence or interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Days.
    Day,
    /// Weeks (7 days).
    Week,
    /// Calendar months (end of month clamps: 31 January + 1 month = 28 or 29 February).
    Month,
    /// Quarters (3 months).
    Quarter,
    /// Years (12 months).
    Year,
}

impl Unit {
    /// Parses `day`, `week`, `month`, `quarter` or `year` (a trailing `s` is accepted).
    pub fn parse(s: &str) -> Option<Unit> {
        Some(match s.trim_end_matches('s') {
            "day" => Unit::Day,
            "week" => Unit::Week,
            "month" => Unit::Month,
            "quarter" => Unit::Quarter,
            "year" => Unit::Year,
            _ => return None,
        })
    }

    /// The unit's name for one of it, as messages say it.
    pub fn singular(self) -> &'static str {
        match self {
            Unit::Day => "day",
            Unit::Week => "week",
            Unit::Month => "month",
            Unit::Quarter => "quarter",
            Unit::Year => "year",
        }
    }

    /// The unit's plural name, as messages say it.
    pub fn plural(self) -> &'static str {
        match self {
            Unit::Day => "days",
            Unit::Week => "weeks",
            Unit::Month => "months",
            Unit::Quarter => "quarters",
            Unit::Year => "years",
        }
    }
}

/// `d` moved by `n` units (negative moves back); `None` on overflow.
pub fn shift(d: NaiveDate, n: i64, unit: Unit) -> Option<NaiveDate> {
    let (months, days) = match unit {
        Unit::Day => (0, n),
        Unit::Week => (0, n.checked_mul(7)?),
        Unit::Month => (n, 0),
        Unit::Quarter => (n.checked_mul(3)?, 0),
        Unit::Year => (n.checked_mul(12)?, 0),
    };
    let d = if months >= 0 {
        d.checked_add_months(Months::new(u32::try_from(months).ok()?))?
    } else {
        d.checked_sub_months(Months::new(u32::try_from(-months).ok()?))?
    };
    if days >= 0 {
        d.checked_add_days(Days::new(u64::try_from(days).ok()?))
    } else {
        d.checked_sub_days(Days::new(u64::try_from(-days).ok()?))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_parsing() {
        assert!(parse("2025-02-28").is_some());
        assert!(parse("2024-02-29").is_some());
        assert!(parse("2025-02-30").is_none());
        assert!(parse("2025-2-3").is_none());
        assert!(parse("2025-13-01").is_none());
        assert!(parse("20250101").is_none());
    }

    #[test]
    fn month_arithmetic_clamps() {
        let d = parse("2025-01-31").unwrap();
        assert_eq!(format(shift(d, 1, Unit::Month).unwrap()), "2025-02-28");
        assert_eq!(format(shift(d, -1, Unit::Quarter).unwrap()), "2024-10-31");
        assert_eq!(format(shift(d, 2, Unit::Week).unwrap()), "2025-02-14");
        assert_eq!(format(shift(d, 1, Unit::Year).unwrap()), "2026-01-31");
    }
}
