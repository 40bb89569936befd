//! iCalendar (RFC 5545) files, so a person can put an event in their phone's calendar.
//! Times are given in Asia/Shanghai, with the zone defined in the file, so calendars show
//! the right hour whatever zone the phone is set to.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use model::{BeijingTime, BookingReceipt, BookingStatus, EventDetail};

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

/// A calendar file as a download named `filename`.
pub fn attachment(filename: &str, body: String) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "text/calendar; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// One calendar entry, in whichever words its kind needs.
pub struct Entry {
    uid: String,
    starts_at: BeijingTime,
    ends_at: BeijingTime,
    summary: String,
    location: String,
    description: String,
    cancelled: bool,
    /// A place not yet had (waitlisted): `STATUS:TENTATIVE`.
    tentative: bool,
    /// `SEQUENCE`: raised by every change a calendar shows, so a subscriber takes it.
    sequence: i64,
    /// `DTSTAMP`, unix: when the entry last changed (a feed's bytes, and so its ETag, stay
    /// the same while nothing does).
    stamp: i64,
}

/// An event; `revision` and `stamp` are its SEQUENCE and last change.
pub fn event_entry(event: &EventDetail, revision: i64, stamp: i64) -> Entry {
    let e = &event.summary;
    Entry {
        uid: format!("event-{}", e.id),
        starts_at: e.starts_at,
        ends_at: e.ends_at,
        summary: e.title.zh.clone(),
        location: format!("{} {}", e.venue.zh, event.address.zh),
        description: format!(
            "{}\n\n{}\n\n{}",
            event.description.zh, e.title.en, event.description.en
        ),
        cancelled: e.status == model::EventStatus::Cancelled,
        tentative: false,
        sequence: revision,
        stamp,
    }
}

/// An event in a person's own feed: tentative while they wait for a place. Its SEQUENCE
/// rises with the event's revision and again when the place comes; its DTSTAMP is the
/// later of the event's change and the sign-up's.
pub fn signed_up_entry(
    event: &EventDetail,
    revision: i64,
    stamp: i64,
    waitlisted: bool,
    signed_up_changed_at: i64,
) -> Entry {
    let mut entry = event_entry(event, 2 * revision + i64::from(!waitlisted), stamp);
    entry.stamp = stamp.max(signed_up_changed_at);
    if waitlisted {
        entry.tentative = true;
        entry.summary = format!("（候补）{}", entry.summary);
    }
    entry
}

/// A pre-inspection visit. Carries no name or phone: a calendar is often shared. Its
/// SEQUENCE counts the booking's changes (moves, cancellation).
pub fn booking_entry(booking: &BookingReceipt, stamp: i64) -> Entry {
    let p = &booking.project;
    Entry {
        uid: format!("booking-{}", booking.code),
        starts_at: booking.slot.starts_at,
        ends_at: booking.slot.ends_at,
        summary: format!("预看房 · {}", p.name.zh),
        location: p.address.zh.clone(),
        description: format!(
            "预约码 {code}\n请携带购房合同和身份证。\n\n\
             Pre-handover visit, {en}. Booking code {code}. \
             Bring your purchase contract and ID card.",
            code = booking.code,
            en = p.name.en
        ),
        cancelled: booking.status == BookingStatus::Cancelled,
        tentative: false,
        sequence: booking.history.len().saturating_sub(1) as i64,
        stamp,
    }
}

pub fn event_calendar(event: &EventDetail, now: i64) -> String {
    calendar(None, &[event_entry(event, 0, now)])
}

pub fn booking_calendar(booking: &BookingReceipt, now: i64) -> String {
    calendar(None, &[booking_entry(booking, now)])
}

/// A feed calendar apps subscribe to: named, and asking to be fetched again every few
/// hours (`REFRESH-INTERVAL`, and Outlook's `X-PUBLISHED-TTL`).
pub fn feed(name: &str, entries: &[Entry]) -> String {
    calendar(Some(name), entries)
}

/// How often subscribers should fetch a feed again.
pub const FEED_REFRESH: &str = "PT6H";

fn calendar(feed_name: Option<&str>, entries: &[Entry]) -> String {
    let mut lines: Vec<String> = vec![
        "BEGIN:VCALENDAR".into(),
        "VERSION:2.0".into(),
        "PRODID:-//Quality Month//Fengxian//ZH".into(),
        "CALSCALE:GREGORIAN".into(),
        "METHOD:PUBLISH".into(),
    ];
    if let Some(name) = feed_name {
        lines.extend([
            format!("X-WR-CALNAME:{}", escape(name)),
            "X-WR-TIMEZONE:Asia/Shanghai".into(),
            format!("REFRESH-INTERVAL;VALUE=DURATION:{FEED_REFRESH}"),
            format!("X-PUBLISHED-TTL:{FEED_REFRESH}"),
        ]);
    }
    lines.extend(VTIMEZONE.iter().map(|l| l.to_string()));
    for entry in entries {
        lines.extend([
            "BEGIN:VEVENT".into(),
            format!("UID:{}@quality-month", entry.uid),
            format!(
                "DTSTAMP:{}",
                BeijingTime::from_unix(entry.stamp).to_ical_utc()
            ),
            format!("DTSTART;TZID=Asia/Shanghai:{}", local(entry.starts_at)),
            format!("DTEND;TZID=Asia/Shanghai:{}", local(entry.ends_at)),
            format!("SEQUENCE:{}", entry.sequence),
            format!("SUMMARY:{}", escape(&entry.summary)),
            format!("LOCATION:{}", escape(&entry.location)),
            format!("DESCRIPTION:{}", escape(&entry.description)),
            format!(
                "STATUS:{}",
                match (entry.cancelled, entry.tentative) {
                    (true, _) => "CANCELLED",
                    (false, true) => "TENTATIVE",
                    (false, false) => "CONFIRMED",
                }
            ),
            "END:VEVENT".into(),
        ]);
    }
    lines.push("END:VCALENDAR".into());
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
