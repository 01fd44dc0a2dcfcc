//! CronJob schedules and time zones: pkg/apis/batch/validation/validation.go
//! validateScheduleFormat (pkg/util/parsers ParseCronScheduleWithPanicRecovery →
//! github.com/robfig/cron/v3 ParseStandard, parser.go Parse, getField, getRange,
//! parseDescriptor) and validateTimeZone (time.LoadLocation).

/// The zones of Go's embedded time/tzdata, which cmd/kube-apiserver imports (apiserver.go:
/// `_ "time/tzdata"`): the names in go1.26.8's lib/time/zoneinfo.zip, the Go release
/// kube-apiserver 1.37.2 is built with.
const EMBEDDED_ZONES: &str = include_str!("tzdata.txt");

/// The directories time.LoadLocation reads before the embedded data (zoneinfo_unix.go
/// platformZoneSources).
const ZONE_DIRS: &[&str] = &[
    "/usr/share/zoneinfo/",
    "/usr/share/lib/zoneinfo/",
    "/usr/lib/locale/TZ/",
    "/etc/zoneinfo/",
];

/// The error ParseStandard returns for a schedule, if any ("TZ" is refused before).
pub(super) fn schedule_error(spec: &str) -> Option<String> {
    if spec.is_empty() {
        return Some("empty spec string".into());
    }
    if let Some(d) = spec.strip_prefix('@') {
        return match d {
            "yearly" | "annually" | "monthly" | "weekly" | "daily" | "midnight" | "hourly" => None,
            // `@every DURATION` needs Go's time.ParseDuration: not judged.
            _ if spec.starts_with("@every ") => None,
            _ => Some(format!("unrecognized descriptor: {spec}")),
        };
    }
    let fields: Vec<&str> = spec.split_whitespace().collect();
    if fields.len() != 5 {
        return Some(format!(
            "expected exactly 5 fields, found {}: [{}]",
            fields.len(),
            fields.join(" ")
        ));
    }
    const MONTHS: &[&str] = &[
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    const DAYS: &[&str] = &["sun", "mon", "tue", "wed", "thu", "fri", "sat"];
    let bounds: [(u64, u64, &[&str], u64); 5] = [
        (0, 59, &[], 0),
        (0, 23, &[], 0),
        (1, 31, &[], 0),
        (1, 12, MONTHS, 1),
        (0, 6, DAYS, 0),
    ];
    for (f, (min, max, names, first)) in fields.iter().zip(bounds) {
        for expr in f.split(',').filter(|e| !e.is_empty()) {
            if let Some(e) = range_error(expr, min, max, names, first) {
                return Some(e);
            }
        }
    }
    None
}

/// strconv.Atoi, then the negative check of mustParseInt.
fn must_parse_int(expr: &str) -> Result<u64, String> {
    let digits = expr.strip_prefix(['+', '-']).unwrap_or(expr);
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return Err(format!(
            "failed to parse int from {expr}: strconv.Atoi: parsing {expr:?}: invalid syntax"
        ));
    }
    let n: i64 = expr.parse().map_err(|_| {
        format!(
            "failed to parse int from {expr}: strconv.Atoi: parsing {expr:?}: value out of range"
        )
    })?;
    if n < 0 {
        return Err(format!("negative number ({n}) not allowed: {expr}"));
    }
    Ok(n as u64)
}

fn int_or_name(expr: &str, names: &[&str], first: u64) -> Result<u64, String> {
    let lower = expr.to_ascii_lowercase();
    if let Some(i) = names.iter().position(|n| *n == lower) {
        return Ok(i as u64 + first);
    }
    must_parse_int(expr)
}

/// getRange
fn range_error(expr: &str, min: u64, max: u64, names: &[&str], first: u64) -> Option<String> {
    let range_and_step: Vec<&str> = expr.split('/').collect();
    let low_high: Vec<&str> = range_and_step[0].split('-').collect();
    let single = low_high.len() == 1;
    let (start, mut end);
    if low_high[0] == "*" || low_high[0] == "?" {
        start = min;
        end = max;
    } else {
        start = match int_or_name(low_high[0], names, first) {
            Ok(n) => n,
            Err(e) => return Some(e),
        };
        end = match low_high.len() {
            1 => start,
            2 => match int_or_name(low_high[1], names, first) {
                Ok(n) => n,
                Err(e) => return Some(e),
            },
            _ => return Some(format!("too many hyphens: {expr}")),
        };
    }
    let step = match range_and_step.len() {
        1 => 1,
        2 => {
            let s = match must_parse_int(range_and_step[1]) {
                Ok(n) => n,
                Err(e) => return Some(e),
            };
            if single {
                end = max;
            }
            s
        }
        _ => return Some(format!("too many slashes: {expr}")),
    };
    if start < min {
        return Some(format!(
            "beginning of range ({start}) below minimum ({min}): {expr}"
        ));
    }
    if end > max {
        return Some(format!(
            "end of range ({end}) above maximum ({max}): {expr}"
        ));
    }
    if start > end {
        return Some(format!(
            "beginning of range ({start}) beyond end of range ({end}): {expr}"
        ));
    }
    if step == 0 {
        return Some(format!("step of range should be a positive number: {expr}"));
    }
    None
}

/// validateTimeZone: the error for a timeZone, if any.
pub(super) fn time_zone_error(tz: &str) -> Option<String> {
    if tz.is_empty() {
        return Some("timeZone must be nil or non-empty string".into());
    }
    let part_ok = |p: &str| {
        p != "."
            && p != ".."
            && !p.starts_with('-')
            && (1..=14).contains(&p.len())
            && p.bytes()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b'_' | b'+'))
    };
    if !tz.split('/').all(part_ok) {
        return Some(format!("unknown time zone {tz}"));
    }
    if tz.eq_ignore_ascii_case("Local") {
        return Some(
            "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones"
                .into(),
        );
    }
    if loadable(tz) {
        None
    } else {
        Some(format!("unknown time zone {tz}"))
    }
}

/// time.LoadLocation succeeds: UTC, a TZif file in a system zone directory, or a zone of
/// the embedded tzdata.
fn loadable(tz: &str) -> bool {
    if tz == "UTC" || EMBEDDED_ZONES.lines().any(|z| z == tz) {
        return true;
    }
    ZONE_DIRS.iter().any(|d| {
        let p = std::path::Path::new(d).join(tz);
        p.is_file()
            && std::fs::File::open(&p)
                .and_then(|mut f| {
                    let mut magic = [0u8; 4];
                    std::io::Read::read_exact(&mut f, &mut magic).map(|_| magic)
                })
                .is_ok_and(|m| &m == b"TZif")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedules_as_robfig_cron_parses_them() {
        for ok in [
            "* * * * *",
            "*/5 * * * *",
            "0 9-17 * * MON-FRI",
            "0 0 1 jan,jul *",
            "5/15 * * * ?",
            "0 0 * * 0",
            "@hourly",
            "@every 1h",
            "1,,2 * * * *",
            "+5 * * * *",
            "*-3 * * * *",
        ] {
            assert_eq!(schedule_error(ok), None, "{ok}");
        }
        for bad in [
            "* * * *",
            "* * * * * *",
            "60 * * * *",
            "* 24 * * *",
            "* * 0 * *",
            "* * * 13 *",
            "* * * * 7",
            "*/0 * * * *",
            "5-1 * * * *",
            "1-2-3 * * * *",
            "a * * * *",
            "@daily ",
            "@fortnightly",
            "",
        ] {
            assert!(schedule_error(bad).is_some(), "{bad}");
        }
        assert_eq!(time_zone_error("Europe/Paris"), None);
        assert_eq!(time_zone_error("UTC"), None);
        assert_eq!(time_zone_error("Etc/GMT+5"), None);
        assert!(time_zone_error("Local").is_some());
        assert!(time_zone_error("Mars/Olympus").is_some());
        assert!(time_zone_error("Europe/Paris ").is_some());
        assert!(time_zone_error("").is_some());
        assert!(time_zone_error("America").is_some());
    }
}
