//! The words of reminders and calendar feeds, in zh-CN and English; reached as
//! `texts.remind`.

pub struct RemindTexts {
    /// The events list's "subscribe" disclosure.
    pub subscribe: &'static str,
    /// What the feed holds: "南桥镇 · 义诊" or everything.
    pub subscribe_what: fn(&str) -> String,
    pub subscribe_all: &'static str,
    pub subscribe_hint: &'static str,
    pub subscribe_open: &'static str,
    pub feed_address: &'static str,
    /// 我的: the reminders section.
    pub title: &'static str,
    pub explain: &'static str,
    /// "短信提醒发往 138****8000"
    pub switch_label: fn(&str) -> String,
    pub on: &'static str,
    pub off: &'static str,
    pub saving: &'static str,
    pub verify_first: &'static str,
    /// 我的: the phone's own calendar feed.
    pub my_feed: &'static str,
    pub my_feed_hint: &'static str,
    pub my_feed_show: &'static str,
    pub my_feed_reset: &'static str,
    pub my_feed_reset_done: &'static str,
    /// The page a reminder's link opens.
    pub link_title: &'static str,
    pub link_about: &'static str,
    /// The fact list's label of what the reminder is about (an event or a visit).
    pub about_label: &'static str,
    pub item_off: &'static str,
    pub item_on: &'static str,
    pub phone_off: &'static str,
    pub phone_on: &'static str,
    pub item_is_off: &'static str,
    pub phone_is_off: &'static str,
    pub none_is_off: &'static str,
    pub link_gone: &'static str,
}

pub static ZH: RemindTexts = RemindTexts {
    subscribe: "订阅到手机日历",
    subscribe_what: |what| format!("订阅内容：{what}的活动，日历会自动更新（包括改期和取消）。"),
    subscribe_all: "全部",
    subscribe_hint: "日历应用每隔几小时自动获取更新。如果点击后没有反应，请复制下面的地址，在日历应用中选择“添加订阅日历”后粘贴。",
    subscribe_open: "用日历应用订阅",
    feed_address: "订阅地址",
    title: "短信提醒",
    explain: "活动和预看房的前一天（一般在晚上 6 点），以及预看房前两小时，我们会发短信提醒您时间、地点和报名码。晚上 9 点到早上 8 点不发送。",
    switch_label: |phone| format!("向 {phone} 发送提醒"),
    on: "开",
    off: "关",
    saving: "正在保存…",
    verify_first: "请先在本机验证这个手机号，才能更改它的提醒设置。",
    my_feed: "我的日历订阅",
    my_feed_hint: "把您报名的活动和预约的预看房放进手机日历，自动更新。地址只属于您，请勿分享；如已泄露，可重新生成，旧地址随即失效。",
    my_feed_show: "显示我的订阅地址",
    my_feed_reset: "重新生成地址",
    my_feed_reset_done: "已生成新地址，旧地址已失效。",
    link_title: "提醒设置",
    link_about: "这条提醒是关于：",
    about_label: "事项",
    item_off: "不再提醒这一项",
    item_on: "恢复提醒这一项",
    phone_off: "这个手机号不再接收任何提醒",
    phone_on: "恢复这个手机号的提醒",
    item_is_off: "这一项已不再提醒。",
    phone_is_off: "这个手机号已不再接收提醒。",
    none_is_off: "提醒已开启。",
    link_gone: "这个链接已失效。您可以在“我的”中更改提醒设置。",
};

pub static EN: RemindTexts = RemindTexts {
    subscribe: "Subscribe in your phone's calendar",
    subscribe_what: |what| {
        format!(
            "Subscribes to: {what} events. Your calendar updates itself, including changes and cancellations."
        )
    },
    subscribe_all: "all",
    subscribe_hint: "Calendar apps fetch updates every few hours. If nothing happens when you tap, copy the address below and paste it under \"Add subscribed calendar\" in your calendar app.",
    subscribe_open: "Subscribe with a calendar app",
    feed_address: "Subscription address",
    title: "Text reminders",
    explain: "We text you the time, place and code the day before an event or a pre-handover visit (usually at 6 pm), and again two hours before a visit. Never between 9 pm and 8 am.",
    switch_label: |phone| format!("Send reminders to {phone}"),
    on: "On",
    off: "Off",
    saving: "Saving…",
    verify_first: "Verify this phone number on this device first to change its reminders.",
    my_feed: "My calendar subscription",
    my_feed_hint: "Puts your sign-ups and pre-handover visits in your phone's calendar, kept up to date. The address is yours alone: do not share it. If it got out, make a new one and the old one stops working.",
    my_feed_show: "Show my subscription address",
    my_feed_reset: "Make a new address",
    my_feed_reset_done: "A new address is ready; the old one no longer works.",
    link_title: "Reminder settings",
    link_about: "This reminder is about:",
    about_label: "What",
    item_off: "Stop reminders for this one",
    item_on: "Remind me of this one again",
    phone_off: "Stop all reminders to this phone",
    phone_on: "Send reminders to this phone again",
    item_is_off: "No more reminders for this one.",
    phone_is_off: "This phone gets no reminders.",
    none_is_off: "Reminders are on.",
    link_gone: "This link no longer works. You can change reminders under Mine.",
};
