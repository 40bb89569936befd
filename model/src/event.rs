//! Quality Month events as the API carries them.

use crate::organisation::Audience;
use crate::time::BeijingTime;
use crate::vocab::{Category, Lang, Town};
use serde::{Deserialize, Serialize};

/// A text in both interface languages.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Localized {
    pub zh: String,
    pub en: String,
}

impl Localized {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventStatus {
    /// Staff are still writing it; residents never see it.
    Draft,
    Published,
    Cancelled,
}

/// An event as listed: enough for a card.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventSummary {
    pub id: i64,
    pub category: Category,
    pub town: Town,
    pub title: Localized,
    pub venue: Localized,
    pub starts_at: BeijingTime,
    pub ends_at: BeijingTime,
    /// People the event can take.
    pub capacity: u32,
    /// People signed up (waitlist not counted).
    pub taken: u32,
    pub places_left: u32,
    pub status: EventStatus,
    /// Why staff cancelled it, in their words (shown to everyone signed up).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cancel_reason: Option<String>,
    /// Who may sign up: people, organisations or both.
    #[serde(default)]
    pub audience: Audience,
}

impl EventSummary {
    pub fn is_full(&self) -> bool {
        self.places_left == 0
    }

    /// "Nearly full": a fifth or less of the places remain.
    pub fn is_nearly_full(&self) -> bool {
        !self.is_full() && self.places_left * 5 <= self.capacity
    }
}

/// An event with everything its page shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EventDetail {
    #[serde(flatten)]
    pub summary: EventSummary,
    pub description: Localized,
    pub address: Localized,
    pub organiser: Localized,
    /// People waiting for a place.
    pub waitlisted: u32,
    /// The organisation hosting it (a launch ceremony's host town or company, the award
    /// winner opening its doors), when staff named one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host: Option<Localized>,
}

/// The events feed's path for the list's town and kind (`webcal://` or `https://` and the
/// host go in front): the app's subscribe link and the server's first paint of it.
pub fn events_feed_path(town: Option<crate::Town>, kind: Option<crate::Category>) -> String {
    let params: Vec<String> = [
        town.map(|t| format!("town={}", t.slug())),
        kind.map(|k| format!("category={}", k.slug())),
    ]
    .into_iter()
    .flatten()
    .collect();
    if params.is_empty() {
        "/api/calendar/events.ics".to_string()
    } else {
        format!("/api/calendar/events.ics?{}", params.join("&"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary(capacity: u32, taken: u32) -> EventSummary {
        EventSummary {
            id: 1,
            category: Category::Clinic,
            town: Town::Nanqiao,
            title: Localized {
                zh: "义诊".into(),
                en: "Clinic".into(),
            },
            venue: Localized {
                zh: "公园".into(),
                en: "Park".into(),
            },
            starts_at: BeijingTime::from_unix(0),
            ends_at: BeijingTime::from_unix(3600),
            capacity,
            taken,
            places_left: capacity.saturating_sub(taken),
            status: EventStatus::Published,
            cancel_reason: None,
            audience: Audience::Residents,
        }
    }

    #[test]
    fn fullness() {
        assert!(summary(10, 10).is_full());
        assert!(!summary(10, 10).is_nearly_full());
        assert!(summary(10, 8).is_nearly_full());
        assert!(!summary(10, 7).is_nearly_full());
    }

    #[test]
    fn detail_flattens_the_summary_on_the_wire() {
        let d = EventDetail {
            summary: summary(10, 3),
            description: Localized {
                zh: "说明".into(),
                en: "About".into(),
            },
            address: Localized {
                zh: "地址".into(),
                en: "Address".into(),
            },
            organiser: Localized {
                zh: "区市场监管局".into(),
                en: "District SAMR".into(),
            },
            waitlisted: 0,
            host: None,
        };
        let v = serde_json::to_value(&d).unwrap();
        assert_eq!(v["places_left"], 7);
        assert_eq!(v["title"]["en"], "Clinic");
        assert_eq!(serde_json::from_value::<EventDetail>(v).unwrap(), d);
    }

    #[test]
    fn the_feed_path_carries_the_lists_town_and_kind_in_the_apis_words() {
        assert_eq!(events_feed_path(None, None), "/api/calendar/events.ics");
        assert_eq!(
            events_feed_path(Some(crate::Town::Nanqiao), Some(crate::Category::Training)),
            "/api/calendar/events.ics?town=nanqiao&category=training"
        );
    }
}
