//! `<input type="datetime-local">` values (`2026-09-12T09:30`) as Beijing times: the
//! office types the time of the event's place, whatever the laptop's own zone.

use model::{BeijingDate, BeijingTime};

pub fn parse(value: &str) -> Option<BeijingTime> {
    let (date, time) = value.trim().split_once('T')?;
    let date = BeijingDate::parse(date)?;
    let (h, m) = time.split_once(':')?;
    let m = m.get(..2).unwrap_or(m);
    BeijingTime::from_civil(date, h.parse().ok()?, m.parse().ok()?)
}

pub fn format(t: BeijingTime) -> String {
    let c = t.civil();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}",
        c.date.year, c.date.month, c.date.day, c.hour, c.minute
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_refuses_nonsense() {
        let t = parse("2026-09-12T09:30").unwrap();
        assert_eq!(format(t), "2026-09-12T09:30");
        assert_eq!(
            parse("2026-09-12T09:30:00").map(format).as_deref(),
            Some("2026-09-12T09:30")
        );
        assert!(parse("").is_none());
        assert!(parse("2026-13-01T09:00").is_none());
        assert!(parse("2026-09-12T25:00").is_none());
    }
}
