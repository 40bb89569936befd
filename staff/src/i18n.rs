//! The staff app's words, zh-CN and English, chosen by the same language preference as
//! the residents' app (whose catalog the shared components keep using). A catalog of its
//! own, so that no staff word ships in the residents' bundle.

use leptos::prelude::*;
use model::{ErrorCode, FieldError, Lang, Role};
use quality_month_web::api::ClientError;
use quality_month_web::i18n::{ClientErrorText, FieldMessages, texts};
use quality_month_web::prefs::Prefs;

pub struct StaffTexts {
    pub lang: Lang,
    pub app_name: &'static str,
    pub nav_label: &'static str,
    pub nav_events: &'static str,
    pub nav_accounts: &'static str,
    pub nav_audit: &'static str,
    pub log_out: &'static str,
    pub log_out_everywhere: &'static str,
    pub logged_in_as: fn(&str, &str) -> String,
    pub login_title: &'static str,
    pub login_intro: &'static str,
    pub field_login: &'static str,
    pub field_login_hint: &'static str,
    pub field_password: &'static str,
    pub field_password_hint: &'static str,
    pub field_new_password_hint: &'static str,
    pub log_in: &'static str,
    pub err_wrong_login: &'static str,
    pub err_forbidden: &'static str,
    pub err_capacity_below_taken: &'static str,
    pub err_wrong_event: &'static str,
    pub err_wrong_status: &'static str,
    pub err_has_sign_ups: &'static str,
    pub err_login_throttled: &'static str,
    pub err_common_password: &'static str,
    pub err_login_taken: &'static str,
    pub events_title: &'static str,
    pub new_event: &'static str,
    pub no_events: &'static str,
    pub attendance_by_town: &'static str,
    pub col_town: &'static str,
    pub col_events: &'static str,
    pub col_taken: &'static str,
    pub col_attended: &'static str,
    pub status_draft: &'static str,
    pub status_published: &'static str,
    pub status_cancelled: &'static str,
    pub taken_of: fn(u32, u32) -> String,
    pub attended_n: fn(u32) -> String,
    pub waitlisted_n: fn(u32) -> String,
    pub edit: &'static str,
    pub edit_title: &'static str,
    pub new_title: &'static str,
    pub field_kind: &'static str,
    pub field_town: &'static str,
    pub field_title_zh: &'static str,
    pub field_title_en: &'static str,
    pub field_description_zh: &'static str,
    pub field_description_en: &'static str,
    pub field_venue_zh: &'static str,
    pub field_venue_en: &'static str,
    pub field_address_zh: &'static str,
    pub field_address_en: &'static str,
    pub field_organiser_zh: &'static str,
    pub field_organiser_en: &'static str,
    pub field_starts: &'static str,
    pub field_ends: &'static str,
    pub field_time_hint: &'static str,
    pub field_closes: &'static str,
    pub field_closes_hint: &'static str,
    pub field_capacity: &'static str,
    pub field_capacity_hint: &'static str,
    pub field_audience: &'static str,
    pub field_host_zh: &'static str,
    pub field_host_en: &'static str,
    pub field_host_hint: &'static str,
    pub optional_hint: &'static str,
    pub save: &'static str,
    pub saved: &'static str,
    pub preview: &'static str,
    pub preview_hint: &'static str,
    pub publish: &'static str,
    pub unpublish: &'static str,
    pub cancel_event: &'static str,
    pub cancel_reason: &'static str,
    pub cancel_reason_hint: &'static str,
    pub cancel_confirm: &'static str,
    pub keep_event: &'static str,
    pub cancelled_because: &'static str,
    pub registrants: &'static str,
    pub no_registrants: &'static str,
    pub col_name: &'static str,
    /// The column's name where organisations sign up too.
    pub col_name_or_org: &'static str,
    pub col_phone: &'static str,
    pub col_party: &'static str,
    pub col_status: &'static str,
    pub col_checked_in: &'static str,
    pub show_number: &'static str,
    pub walk_in_badge: &'static str,
    pub export_xlsx: &'static str,
    pub export_csv: &'static str,
    pub door: &'static str,
    pub door_title: &'static str,
    pub scan: &'static str,
    pub scan_stop: &'static str,
    pub scan_hint: &'static str,
    pub camera_unavailable: &'static str,
    pub field_code: &'static str,
    pub field_code_hint: &'static str,
    pub check_in: &'static str,
    pub checked_in_now: &'static str,
    pub checked_in_before: fn(&str) -> String,
    pub waitlisted_no_place: &'static str,
    pub err_cancelled_signup: &'static str,
    pub err_unknown_code: &'static str,
    pub walk_in: &'static str,
    pub field_person_name: &'static str,
    pub field_phone: &'static str,
    pub field_party: &'static str,
    pub register_walk_in: &'static str,
    pub accounts_title: &'static str,
    pub new_account: &'static str,
    pub field_role: &'static str,
    pub field_scopes: &'static str,
    pub field_scopes_hint: &'static str,
    pub create_account: &'static str,
    pub disable: &'static str,
    pub enable: &'static str,
    pub disabled: &'static str,
    pub audit_title: &'static str,
    pub field_actor: &'static str,
    pub field_action: &'static str,
    pub field_from: &'static str,
    pub field_to: &'static str,
    pub filter: &'static str,
    pub col_when: &'static str,
    pub col_who: &'static str,
    pub col_what: &'static str,
    pub col_subject: &'static str,
    pub col_from: &'static str,
    pub no_entries: &'static str,
    pub role_name: fn(Role) -> &'static str,
    pub field_otp: &'static str,
    pub field_otp_hint: &'static str,
    pub err_otp_invalid: &'static str,
    pub nav_second_factor: &'static str,
    pub second_factor_title: &'static str,
    pub second_factor_intro: &'static str,
    pub second_factor_admin: &'static str,
    pub second_factor_on: &'static str,
    pub second_factor_start: &'static str,
    pub second_factor_secret: &'static str,
    pub second_factor_qr: &'static str,
    pub second_factor_confirm: &'static str,
    pub second_factor_done: &'static str,
    pub scans_kept: fn(usize) -> String,
    pub sent_later: &'static str,
    pub field_errors: FieldMessages,
    /// The pre-inspection (预看房) screens.
    pub projects: &'static projects::ProjectTexts,
    /// The survey screens.
    pub surveys: &'static surveys::SurveyTexts,
    /// The reminders screen.
    pub reminders: &'static reminders::ReminderTexts,
    /// The year in numbers.
    pub year: &'static year::YearTexts,
}

/// One catalog per language, so comparing languages compares catalogs.
impl PartialEq for StaffTexts {
    fn eq(&self, other: &Self) -> bool {
        self.lang == other.lang
    }
}

impl StaffTexts {
    /// What went wrong, in words: the staff-only answers here, the rest as the residents'
    /// app says them.
    pub fn client_error(&self, e: &ClientError) -> &'static str {
        if let ClientError::Api { error, .. } = e {
            let known = match error.code {
                ErrorCode::WrongLogin => Some(self.err_wrong_login),
                ErrorCode::Forbidden => Some(self.err_forbidden),
                ErrorCode::CapacityBelowTaken => Some(self.err_capacity_below_taken),
                ErrorCode::WrongEvent => Some(self.err_wrong_event),
                ErrorCode::WrongStatus => Some(self.err_wrong_status),
                ErrorCode::HasSignUps => Some(self.err_has_sign_ups),
                ErrorCode::RateLimited => Some(self.err_login_throttled),
                ErrorCode::AlreadyCancelled => Some(self.err_cancelled_signup),
                ErrorCode::NotFound => Some(self.err_unknown_code),
                ErrorCode::SecondFactorSetup => Some(self.second_factor_admin),
                ErrorCode::DecisionNeeded => Some(self.projects.err_decision_needed),
                ErrorCode::SlotFull => Some(self.projects.err_slot_full),
                _ => None,
            };
            if let Some(text) = known {
                return text;
            }
        }
        texts(self.lang).client_error(e)
    }

    /// A field's problem: staff-only reasons here, the rest as the residents' forms say.
    pub fn field_error(&self, e: FieldError) -> &'static str {
        match e {
            FieldError::Common => self.err_common_password,
            FieldError::Taken => self.err_login_taken,
            FieldError::Duplicate => self.projects.reason_duplicate,
            other => self.field_errors.get(other),
        }
    }
}

mod en;
pub mod projects;
pub mod reminders;
pub mod surveys;
pub mod year;
mod zh;

pub fn staff_texts(lang: Lang) -> &'static StaffTexts {
    match lang {
        Lang::Zh => &zh::TEXTS,
        Lang::En => &en::TEXTS,
    }
}

/// The staff catalog of the language chosen; follows every switch.
pub fn use_staff_texts() -> Memo<&'static StaffTexts> {
    let prefs = expect_context::<Prefs>();
    Memo::new(move |_| staff_texts(prefs.lang.get()))
}
