//! Kubernetes quantities as the API server compares them:
//! staging/src/k8s.io/apimachinery/pkg/api/resource/quantity.go ParseQuantity. A quantity is
//! kept exactly as a whole number of nano-units: ParseQuantity rounds every non-zero value
//! up (away from zero) to a nano-unit and caps binary-SI values at 2^63-1 units, so equal
//! quantities (`1Gi` and `1024Mi`, `500m` and `0.5`) compare equal. A quantity too large for
//! that exact form is `None`, and no rule compares it.

use serde_json::Value;

/// A parsed quantity: its value in nano-units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(super) struct Quantity {
    pub nano: i128,
}

const NANO: i128 = 1_000_000_000;

impl Quantity {
    /// Quantity.Sign() < 0
    pub(super) fn is_negative(&self) -> bool {
        self.nano < 0
    }

    /// Quantity.MilliValue(), rounded up as ScaledValue rounds (None past int64).
    pub(super) fn milli_value(&self) -> Option<i64> {
        let m = if self.nano >= 0 {
            (self.nano + 999_999) / 1_000_000
        } else {
            -((-self.nano + 999_999) / 1_000_000)
        };
        i64::try_from(m).ok()
    }
}

/// A quantity as it appears in JSON: a string, or a bare number (Quantity.UnmarshalJSON
/// parses the number's text).
pub(super) fn of(v: &Value) -> Option<Quantity> {
    match v {
        Value::String(s) => parse(s),
        Value::Number(n) => parse(&n.to_string()),
        _ => None,
    }
}

/// ParseQuantity (value only; the schema has already checked the format).
pub(super) fn parse(s: &str) -> Option<Quantity> {
    let b = s.as_bytes();
    let mut i = 0;
    let mut negative = false;
    if let Some(&c) = b.first()
        && (c == b'+' || c == b'-')
    {
        negative = c == b'-';
        i = 1;
    }
    let start = i;
    while i < b.len() && b[i].is_ascii_digit() {
        i += 1;
    }
    let whole = &s[start..i];
    let mut frac = "";
    if i < b.len() && b[i] == b'.' {
        let fs = i + 1;
        i += 1;
        while i < b.len() && b[i].is_ascii_digit() {
            i += 1;
        }
        frac = &s[fs..i];
    }
    if whole.is_empty() && frac.is_empty() {
        return None;
    }
    let (e10, e2, binary) = suffix_scale(&s[i..])?;
    // The digits as one integer, without leading zeros.
    let digits = format!("{whole}{frac}");
    let digits = digits.trim_start_matches('0');
    let magnitude: u128 = if digits.is_empty() {
        0
    } else if digits.len() > 38 {
        return None;
    } else {
        digits.parse().ok()?
    };
    let k = e10 - frac.len() as i64 + 9;
    let scaled = magnitude.checked_mul(1u128.checked_shl(e2)?)?;
    let mut nano: u128 = if k >= 0 {
        let p = 10u128.checked_pow(u32::try_from(k).ok()?)?;
        scaled.checked_mul(p)?
    } else {
        match u32::try_from(-k).ok().and_then(|d| 10u128.checked_pow(d)) {
            Some(p) => scaled.div_ceil(p),
            // Smaller than a nano-unit: rounded up to one (zero stays zero).
            None => u128::from(scaled != 0),
        }
    };
    if binary {
        let max = (i64::MAX as u128) * (NANO as u128);
        nano = nano.min(max);
    }
    let nano = i128::try_from(nano).ok()?;
    Some(Quantity {
        nano: if negative { -nano } else { nano },
    })
}

/// A quantity's suffix as (power of ten, power of two, whether it is a binary SI suffix):
/// `m`, `Ki`, `e3`, ….
fn suffix_scale(suffix: &str) -> Option<(i64, u32, bool)> {
    Some(match suffix {
        "" => (0, 0, false),
        "n" => (-9, 0, false),
        "u" => (-6, 0, false),
        "m" => (-3, 0, false),
        "k" => (3, 0, false),
        "M" => (6, 0, false),
        "G" => (9, 0, false),
        "T" => (12, 0, false),
        "P" => (15, 0, false),
        "E" => (18, 0, false),
        "Ki" => (0, 10, true),
        "Mi" => (0, 20, true),
        "Gi" => (0, 30, true),
        "Ti" => (0, 40, true),
        "Pi" => (0, 50, true),
        "Ei" => (0, 60, true),
        _ => {
            let exp = suffix
                .strip_prefix('e')
                .or_else(|| suffix.strip_prefix('E'))?;
            let digits = exp.strip_prefix(['+', '-']).unwrap_or(exp);
            if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            (exp.parse::<i64>().ok()?, 0, false)
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(s: &str) -> i128 {
        parse(s).expect(s).nano
    }

    #[test]
    fn quantities_compare_exactly() {
        assert_eq!(q("1Gi"), q("1024Mi"));
        assert_eq!(q("500m"), q("0.5"));
        assert_eq!(q("1"), q("1000m"));
        assert_eq!(q("1k"), q("1e3"));
        assert_eq!(q("1E3"), q("1000"));
        assert_eq!(q("1E"), q("1e18"));
        assert!(q("1Mi") > q("1M"));
        assert_eq!(q("0.1n"), 1, "rounded up to a nano-unit");
        assert_eq!(q("-0.1n"), -1);
        assert_eq!(q("+2"), 2 * NANO);
        assert_eq!(q(".5"), NANO / 2);
        assert_eq!(q("0"), 0);
        assert_eq!(q("1e-3"), q("1m"));
        assert!(parse("1e40").is_none());
        assert!(parse("abc").is_none());
        assert!(parse("1Xi").is_none());
        assert_eq!(of(&serde_json::json!(2)).map(|q| q.nano), Some(2 * NANO));
        assert_eq!(of(&serde_json::json!(0.5)).map(|q| q.nano), Some(NANO / 2));
        assert_eq!(parse("1.9999999").and_then(|q| q.milli_value()), Some(2000));
        assert_eq!(parse("1.5").and_then(|q| q.milli_value()), Some(1500));
    }
}
