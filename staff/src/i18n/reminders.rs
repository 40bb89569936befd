//! The words of the staff's reminders screen; reached as `t.reminders`.

pub struct ReminderTexts {
    pub nav: &'static str,
    /// The dashboard's way to the figures.
    pub dashboard_link: &'static str,
    pub title: &'static str,
    pub intro: &'static str,
    pub none: &'static str,
    pub col_subject: &'static str,
    pub col_evening: &'static str,
    pub col_next: &'static str,
    pub col_sent: &'static str,
    pub col_failed: &'static str,
    pub col_waiting: &'static str,
    pub col_turned_off: &'static str,
    pub col_no_show_reminded: &'static str,
    pub col_no_show_unreminded: &'static str,
    /// "3 条 · 12月1日 18:00"
    pub next: fn(u32, &str) -> String,
    /// "1 / 10 未到（10%）"
    pub no_shows: fn(u32, u32) -> String,
    pub evening_label: fn(&str) -> String,
    pub evening_hint: &'static str,
    pub save: &'static str,
    pub saved: &'static str,
    pub project: &'static str,
}

fn share(missed: u32, all: u32) -> String {
    match (missed * 100 + all / 2).checked_div(all) {
        Some(percent) => format!("{missed} / {all}（{percent}%）"),
        None => "—".into(),
    }
}

pub static ZH: ReminderTexts = ReminderTexts {
    nav: "短信提醒",
    dashboard_link: "短信提醒，以及提醒前后的缺席情况",
    title: "短信提醒",
    intro: "活动前一天在所选时间（默认 18:00），预看房另在两小时前，向已报名或已预约的人发短信提醒。晚上 9 点到早上 8 点不发。下表还对比了收到提醒与未收到提醒的人的缺席情况。",
    none: "暂无活动或项目。",
    col_subject: "活动 / 项目",
    col_evening: "前一天提醒时间",
    col_next: "下一批",
    col_sent: "已发送",
    col_failed: "发送失败",
    col_waiting: "待发送",
    col_turned_off: "本人已关闭",
    col_no_show_reminded: "缺席（收到提醒）",
    col_no_show_unreminded: "缺席（未收到提醒）",
    next: |n, when| format!("{n} 条 · {when}"),
    no_shows: share,
    evening_label: |name| format!("{name} 的前一天提醒时间"),
    evening_hint: "08:00 至 20:59",
    save: "保存",
    saved: "已保存",
    project: "预看房",
};

pub static EN: ReminderTexts = ReminderTexts {
    nav: "Reminders",
    dashboard_link: "Text reminders, and no-shows with and without them",
    title: "Text reminders",
    intro: "People signed up or booked get a text the day before at the chosen time (18:00 unless changed), and two hours before a pre-handover visit. None between 9 pm and 8 am. The table also compares no-shows among those reminded and those not.",
    none: "No events or projects yet.",
    col_subject: "Event / project",
    col_evening: "Day-before reminder at",
    col_next: "Next to go",
    col_sent: "Sent",
    col_failed: "Failed",
    col_waiting: "Waiting",
    col_turned_off: "Turned off",
    col_no_show_reminded: "No-shows (reminded)",
    col_no_show_unreminded: "No-shows (not reminded)",
    next: |n, when| format!("{n} · {when}"),
    no_shows: |missed, all| share(missed, all).replace('（', " (").replace('）', ")"),
    evening_label: |name| format!("Day-before reminder time for {name}"),
    evening_hint: "08:00 to 20:59",
    save: "Save",
    saved: "Saved",
    project: "Pre-handover visits",
};
