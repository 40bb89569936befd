//! iCalendar (RFC 5545) files, so a person can put an event in their phone's calendar.
//! Times are given in Asia/Shanghai, with the zone defined in the file, so calendars show
//! the right hour whatever zone the phone is set to.

use model::{BeijingTime, EventDetail, Lang};

const VTIMEZONE: &[&str] = &[
    "BEGIN:VTIMEZONE",
    "TZID:Asia/Shanghai",
    "BEGIN:STANDARD",
    "DTSTART:19700101T000000",
    "TZOFFSETFROM:+0800",
    "TZOFFSETTO:+0800",
    "TZNAME:CST",
    "END:STANDARD",
    "END:VTIMEZONE",
];

pub fn event_calendar(event: &EventDetail, now: i64) -> String {
    let e = &event.summary;
    let location = format!("{} {}", e.venue.get(Lang::Zh), event.address.get(Lang::Zh));
    let description = format!(
        "{}\n\n{}\n\n{}",
        event.description.get(Lang::Zh),
        e.title.get(Lang::En),
        event.description.get(Lang::En)
    );
    let mut lines: Vec<String> = vec![
        "BEGIN:VCALENDAR".into(),
        "VERSION:2.0".into(),
        "PRODID:-//Quality Month//Fengxian//ZH".into(),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
    ];
    lines.extend(VTIMEZONE.iter().map(|l| l.to_string()));
    lines.extend([
        "BEGIN:VEVENT".into(),
        format!("UID:event-{}@quality-month", e.id),
        format!("DTSTAMP:{}", BeijingTime::from_unix(now).to_ical_utc()),
        format!("DTSTART;TZID=Asia/Shanghai:{}", local(e.starts_at)),
        format!("DTEND;TZID=Asia/Shanghai:{}", local(e.ends_at)),
        format!("SUMMARY:{}", escape(e.title.get(Lang::Zh))),
        format!("LOCATION:{}", escape(&location)),
        format!("DESCRIPTION:{}", escape(&description)),
        format!(
            "STATUS:{}",
            if e.status == model::EventStatus::Cancelled {
                "CANCELLED"
            } else {
                "CONFIRMED"
            }
        ),
        "END:VEVENT".into(),
        "END:VCALENDAR".into(),
    ]);
    lines
        .iter()
        .map(|l| fold(l))
        .collect::<Vec<_>>()
        .join("\r\n")
        + "\r\n"
}

/// `20260912T093000`: a wall-clock time in Beijing.
fn local(t: BeijingTime) -> String {
    let c = t.civil();
    format!(
        "{:04}{:02}{:02}T{:02}{:02}{:02}",
        c.date.year, c.date.month, c.date.day, c.hour, c.minute, c.second
    )
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Lines longer than 75 octets continue on the next line after a space, never splitting
/// a UTF-8 character.
fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3);
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a,b;c\\d\ne"), "a\\,b\\;c\\\\d\\ne");
    }

    #[test]
    fn long_lines_fold_at_75_octets_on_character_boundaries() {
        let line = format!("SUMMARY:{}", "质".repeat(40));
        let folded = fold(&line);
        for part in folded.split("\r\n") {
            assert!(part.len() <= 75, "{part}");
        }
        assert_eq!(folded.replace("\r\n ", ""), line);
    }

    #[test]
    fn local_times_are_beijing_wall_clock() {
        let t = BeijingTime::parse_rfc3339("2026-09-12T01:30:00Z").unwrap();
        assert_eq!(local(t), "20260912T093000");
    }
}
