//! The events list behind a year's figure: the dashboard's list filtered by kind, town,
//! Beijing days of the start, and held only (published and over), as the figures count.

use model::{BeijingDate, BeijingTime, Category, EventStatus, StaffEvent, Town};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EventFilter {
    pub kind: Option<Category>,
    pub town: Option<Town>,
    pub from: Option<BeijingDate>,
    pub to: Option<BeijingDate>,
    pub held: bool,
}

impl EventFilter {
    /// From the address's query (`kind`, `town`, `from`, `to`, `held=1`); what does not
    /// parse filters nothing.
    pub fn read(get: impl Fn(&str) -> Option<String>) -> Self {
        Self {
            kind: get("kind").as_deref().and_then(Category::from_slug),
            town: get("town").as_deref().and_then(Town::from_slug),
            from: get("from").as_deref().and_then(BeijingDate::parse),
            to: get("to").as_deref().and_then(BeijingDate::parse),
            held: get("held").as_deref() == Some("1"),
        }
    }

    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    pub fn keeps(&self, e: &StaffEvent, now: BeijingTime) -> bool {
        let day = e.draft.starts_at.date();
        self.kind.is_none_or(|k| k == e.draft.category)
            && self.town.is_none_or(|t| t == e.draft.town)
            && self.from.is_none_or(|from| day >= from)
            && self.to.is_none_or(|to| day <= to)
            && (!self.held || (e.status == EventStatus::Published && e.draft.ends_at <= now))
    }

    /// The query that [`EventFilter::read`] reads back.
    pub fn query(&self) -> String {
        let mut parts = Vec::new();
        if let Some(kind) = self.kind {
            parts.push(format!("kind={}", kind.slug()));
        }
        if let Some(town) = self.town {
            parts.push(format!("town={}", town.slug()));
        }
        if let Some(from) = self.from {
            parts.push(format!("from={from}"));
        }
        if let Some(to) = self.to {
            parts.push(format!("to={to}"));
        }
        if self.held {
            parts.push("held=1".into());
        }
        parts.join("&")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filter_reads_back_its_own_query() {
        let filter = EventFilter {
            kind: Some(Category::Clinic),
            town: Some(Town::Situan),
            from: BeijingDate::new(2026, 1, 1),
            to: BeijingDate::new(2026, 9, 30),
            held: true,
        };
        let query = filter.query();
        assert_eq!(
            query,
            "kind=clinic&town=situan&from=2026-01-01&to=2026-09-30&held=1"
        );
        let read = EventFilter::read(|key| {
            query
                .split('&')
                .filter_map(|p| p.split_once('='))
                .find(|(k, _)| *k == key)
                .map(|(_, v)| v.to_string())
        });
        assert_eq!(read, filter);
        assert!(EventFilter::read(|_| Some("nonsense".into())).is_empty());
    }
}
