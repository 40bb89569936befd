//! The words of organisations signing up and of events' hosts, in zh-CN and English;
//! reached as `texts.org`.

use crate::FieldMessages;
use model::{Audience, FieldError};

pub struct OrgTexts {
    /// The choice between signing up oneself and an organisation.
    pub signup_as: &'static str,
    pub signup_as_hint: &'static str,
    pub as_person: &'static str,
    pub as_org: &'static str,
    pub field_org_name: &'static str,
    pub field_org_name_hint: &'static str,
    pub field_credit_code: &'static str,
    pub field_credit_code_hint: &'static str,
    pub field_contact: &'static str,
    pub field_contact_phone: &'static str,
    pub field_attendees: &'static str,
    pub field_attendees_hint: &'static str,
    pub org_name_errors: FieldMessages,
    pub credit_code_errors: FieldMessages,
    /// The check character does not match: one character is mistyped.
    pub credit_code_mistyped: &'static str,
    pub attendees_errors: FieldMessages,
    /// The event page's fact rows.
    pub audience_label: &'static str,
    residents: &'static str,
    organisations: &'static str,
    both: &'static str,
    pub host_label: &'static str,
    /// Between a label and its value in a line: "：" or ": ".
    pub colon: &'static str,
    /// Receipts, 我的 and the check page: the organisation that signed up.
    pub organisation_label: &'static str,
    pub err_already_registered: &'static str,
    pub err_wrong_audience: &'static str,
}

impl OrgTexts {
    pub fn audience(&self, a: Audience) -> &'static str {
        match a {
            Audience::Residents => self.residents,
            Audience::Organisations => self.organisations,
            Audience::Both => self.both,
        }
    }

    /// A card's line on who may sign up ("报名对象：市民个人和企业等单位"); none for an event
    /// of residents only, which is what everyone expects.
    pub fn card_note(&self, a: Audience) -> Option<String> {
        (a != Audience::Residents)
            .then(|| format!("{}{}{}", self.audience_label, self.colon, self.audience(a)))
    }

    /// The credit code's problem in words: a mistyped character is named as such.
    pub fn credit_code_error(&self, e: FieldError) -> &'static str {
        match e {
            FieldError::CheckCharacter => self.credit_code_mistyped,
            e => self.credit_code_errors.get(e),
        }
    }
}

pub(crate) const ZH: OrgTexts = OrgTexts {
    signup_as: "报名身份",
    signup_as_hint: "单位报名由单位的联系人填写，一个单位每场活动报名一次",
    as_person: "个人报名（可带家人）",
    as_org: "单位报名（企业、商会、园区等）",
    field_org_name: "单位名称",
    field_org_name_hint: "与营业执照上的名称一致",
    field_credit_code: "统一社会信用代码",
    field_credit_code_hint: "18 位，印在营业执照上",
    field_contact: "联系人姓名",
    field_contact_phone: "联系人手机号码",
    field_attendees: "参加人数（含联系人）",
    field_attendees_hint: "1 至 10 人",
    org_name_errors: FieldMessages {
        required: "请填写单位名称",
        invalid: "单位名称不能包含 < > 等符号",
        too_short: "单位名称至少 2 个字",
        too_long: "单位名称最多 60 个字",
        out_of_range: "请填写单位名称",
    },
    credit_code_errors: FieldMessages {
        required: "请填写统一社会信用代码",
        invalid: "代码只含数字和大写字母（没有 I、O、Z、S、V）",
        too_short: "代码应为 18 位，少了几位",
        too_long: "代码应为 18 位，多了几位",
        out_of_range: "代码应为 18 位",
    },
    credit_code_mistyped: "代码有一位输错了，请对照营业执照逐位核对",
    attendees_errors: FieldMessages {
        required: "请填写参加人数",
        invalid: "请填写数字，例如 3",
        too_short: "请填写参加人数",
        too_long: "请填写参加人数",
        out_of_range: "参加人数为 1 至 10 人",
    },
    audience_label: "报名对象",
    residents: "市民个人",
    organisations: "企业等单位",
    both: "市民个人和企业等单位",
    host_label: "承办单位",
    colon: "：",
    organisation_label: "报名单位",
    err_already_registered: "该单位已报名本活动（可能是同事报的名）。",
    err_wrong_audience: "本活动不接受这种报名方式，请返回活动页查看报名对象。",
};

pub(crate) const EN: OrgTexts = OrgTexts {
    signup_as: "Signing up as",
    signup_as_hint: "An organisation's contact signs it up, once per event",
    as_person: "Myself (and family)",
    as_org: "An organisation (company, chamber, park…)",
    field_org_name: "Organisation name",
    field_org_name_hint: "As on its business licence",
    field_credit_code: "Unified social credit code",
    field_credit_code_hint: "18 characters, printed on the business licence",
    field_contact: "Contact's name",
    field_contact_phone: "Contact's mobile number",
    field_attendees: "People attending (contact included)",
    field_attendees_hint: "1 to 10",
    org_name_errors: FieldMessages {
        required: "Enter the organisation's name",
        invalid: "The name cannot contain symbols such as < >",
        too_short: "The name needs at least 2 characters",
        too_long: "The name can have at most 60 characters",
        out_of_range: "Enter the organisation's name",
    },
    credit_code_errors: FieldMessages {
        required: "Enter the unified social credit code",
        invalid: "The code has only digits and capital letters (no I, O, Z, S or V)",
        too_short: "The code has 18 characters; some are missing",
        too_long: "The code has 18 characters; there are too many",
        out_of_range: "The code has 18 characters",
    },
    credit_code_mistyped: "One character of the code is mistyped: check it against the licence",
    attendees_errors: FieldMessages {
        required: "Enter how many people attend",
        invalid: "Enter a number, for example 3",
        too_short: "Enter how many people attend",
        too_long: "Enter how many people attend",
        out_of_range: "From 1 to 10 people",
    },
    audience_label: "Who can sign up",
    residents: "Residents",
    organisations: "Organisations",
    both: "Residents and organisations",
    host_label: "Host",
    colon: ": ",
    organisation_label: "Organisation",
    err_already_registered: "This organisation is already signed up for this event (perhaps by a colleague).",
    err_wrong_audience: "This event does not take this kind of sign-up: see who can sign up on its page.",
};
