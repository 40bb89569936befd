//! Defects found at a pre-inspection visit (a hollow wall, a leak…), followed to repair:
//! what is recorded, who may move a defect from which state to which, and what both sides
//! see of it.

use crate::error::{FieldError, FieldErrors};
use crate::inspection::FlatId;
use crate::staff::check_text;
use crate::time::BeijingTime;
use serde::{Deserialize, Serialize};

slugged! {
    /// Where in the flat.
    DefectRoom {
        LivingRoom => "living_room",
        Bedroom => "bedroom",
        Kitchen => "kitchen",
        Bathroom => "bathroom",
        Balcony => "balcony",
        Other => "other",
    }
}

slugged! {
    /// What kind of defect, as 住建 inspection sheets group them (`Wall`: hollow or cracked).
    DefectCategory {
        Wall => "wall",
        Leak => "leak",
        DoorWindow => "door_window",
        Floor => "floor",
        WaterElectric => "water_electric",
        Other => "other",
    }
}

slugged! {
    /// 待处理 → 处理中 → 已整改 → 已确认; the buyer may reopen a repair they do not accept.
    DefectStatus {
        Open => "open",
        InProgress => "in_progress",
        Repaired => "repaired",
        Confirmed => "confirmed",
    }
}

slugged! {
    /// Who did something to a defect.
    Party {
        Buyer => "buyer",
        Staff => "staff",
    }
}

impl DefectStatus {
    /// The one rule for every change: the office works (open → in progress → repaired), the
    /// buyer judges the repair (confirm, or reopen).
    pub fn may_become(self, to: Self, by: Party) -> bool {
        use DefectStatus::*;
        match by {
            Party::Staff => matches!(
                (self, to),
                (Open, InProgress) | (Open | InProgress, Repaired)
            ),
            Party::Buyer => matches!((self, to), (Repaired, Confirmed) | (Repaired, Open)),
        }
    }
}

/// At most this many photos with a defect, and one with each change.
pub const MAX_PHOTOS: usize = 3;
/// Largest photo accepted, before the server re-encodes it.
pub const MAX_PHOTO_BYTES: usize = 5 * 1024 * 1024;
pub const MAX_DESCRIPTION_CHARS: usize = 500;

/// A defect as recorded by the buyer (`POST /api/inspections/bookings/{code}/defects`, with
/// the phone) or by door staff (`POST /api/staff/projects/{id}/visits/{code}/defects`).
/// Photos are JPEG or PNG, base64, each at most [`MAX_PHOTO_BYTES`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NewDefect {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub phone: String,
    pub room: DefectRoom,
    pub category: DefectCategory,
    pub description: String,
    #[serde(default)]
    pub photos: Vec<String>,
}

impl NewDefect {
    /// The checks that need no decoding: the server also decodes every photo.
    pub fn validate(&self) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        if let Some(p) = check_text(&self.description, MAX_DESCRIPTION_CHARS, true) {
            errors.insert("description".into(), p);
        }
        if self.photos.len() > MAX_PHOTOS {
            errors.insert("photos".into(), FieldError::TooMany);
        } else if self.photos.iter().any(|p| base64_len(p) > MAX_PHOTO_BYTES) {
            errors.insert("photos".into(), FieldError::TooLong);
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// Bytes a base64 text decodes to (at most), without decoding it.
pub fn base64_len(text: &str) -> usize {
    text.len() / 4 * 3
}

/// A change of state: by the office (`…/defects/{id}/status`, with a note and optionally a
/// photo of the repair) or by the buyer (with the phone: confirm, or reopen with a note).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DefectUpdate {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub phone: String,
    pub status: DefectStatus,
    #[serde(default)]
    pub note: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo: Option<String>,
}

impl DefectUpdate {
    pub fn validate(&self, by: Party) -> Result<(), FieldErrors> {
        let mut errors = FieldErrors::new();
        // A repair says what was done; a reopen says what is still wrong.
        let note_needed = matches!(
            (by, self.status),
            (Party::Staff, DefectStatus::Repaired) | (Party::Buyer, DefectStatus::Open)
        );
        if let Some(p) = check_text(&self.note, MAX_DESCRIPTION_CHARS, note_needed) {
            errors.insert("note".into(), p);
        }
        if self
            .photo
            .as_deref()
            .is_some_and(|p| base64_len(p) > MAX_PHOTO_BYTES)
        {
            errors.insert("photo".into(), FieldError::TooLong);
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

/// One step of a defect's history, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DefectStep {
    pub at: BeijingTime,
    pub by: Party,
    pub status: DefectStatus,
    pub note: String,
    /// Addresses of this step's photos, each valid for a while (signed).
    pub photos: Vec<String>,
}

/// A defect as the buyer and the project's staff see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Defect {
    pub id: i64,
    pub booking_code: String,
    pub flat: FlatId,
    pub room: DefectRoom,
    pub category: DefectCategory,
    pub description: String,
    pub status: DefectStatus,
    pub recorded_by: Party,
    pub recorded_at: BeijingTime,
    pub updated_at: BeijingTime,
    pub history: Vec<DefectStep>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_office_repairs_and_only_the_buyer_confirms() {
        use DefectStatus::*;
        let allowed: Vec<(DefectStatus, DefectStatus, Party)> = DefectStatus::ALL
            .iter()
            .flat_map(|&from| DefectStatus::ALL.iter().map(move |&to| (from, to)))
            .flat_map(|(from, to)| Party::ALL.iter().map(move |&by| (from, to, by)))
            .filter(|&(from, to, by)| from.may_become(to, by))
            .collect();
        assert_eq!(
            allowed,
            [
                (Open, InProgress, Party::Staff),
                (Open, Repaired, Party::Staff),
                (InProgress, Repaired, Party::Staff),
                (Repaired, Open, Party::Buyer),
                (Repaired, Confirmed, Party::Buyer),
            ]
        );
    }

    #[test]
    fn a_repair_needs_a_note_and_a_defect_a_description() {
        let update = DefectUpdate {
            phone: String::new(),
            status: DefectStatus::Repaired,
            note: " ".into(),
            photo: None,
        };
        assert_eq!(
            update.validate(Party::Staff).unwrap_err().get("note"),
            Some(&FieldError::Required)
        );
        let defect = NewDefect {
            phone: String::new(),
            room: DefectRoom::Kitchen,
            category: DefectCategory::Leak,
            description: String::new(),
            photos: vec![String::new(); 4],
        };
        let errors = defect.validate().unwrap_err();
        assert_eq!(errors.get("description"), Some(&FieldError::Required));
        assert_eq!(errors.get("photos"), Some(&FieldError::TooMany));
    }

    #[test]
    fn slugs_round_trip() {
        for r in DefectRoom::ALL {
            assert_eq!(DefectRoom::parse(r.as_str()), Some(*r));
            assert_eq!(serde_json::to_value(r).unwrap(), r.as_str());
        }
        for c in DefectCategory::ALL {
            assert_eq!(DefectCategory::parse(c.as_str()), Some(*c));
            assert_eq!(serde_json::to_value(c).unwrap(), c.as_str());
        }
        for s in DefectStatus::ALL {
            assert_eq!(serde_json::to_value(s).unwrap(), s.as_str());
        }
    }
}
