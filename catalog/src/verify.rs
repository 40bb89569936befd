//! The words of proving a phone number ("check your phone"), in zh-CN and English;
//! reached as `texts.verify`.

pub struct VerifyTexts {
    pub title: &'static str,
    /// "We sent a 6-digit code to 138****8000."
    pub sent_to: fn(&str) -> String,
    pub once_per_phone: &'static str,
    pub code_label: &'static str,
    pub code_hint: &'static str,
    pub confirm: &'static str,
    pub confirming: &'static str,
    /// "Demo: the code is 123456"
    pub demo: fn(&str) -> String,
    pub resend: &'static str,
    /// "You can ask for a new code in 42 s"
    pub resend_in: fn(u32) -> String,
    pub change_number: &'static str,
    pub wrong_code: &'static str,
    pub code_required: &'static str,
    pub expired: &'static str,
    /// What a refused write says when the phone must be verified first.
    pub required: &'static str,
}

pub static ZH: VerifyTexts = VerifyTexts {
    title: "请查看手机短信",
    sent_to: |phone| format!("我们已向 {phone} 发送 6 位验证码，10 分钟内有效。"),
    once_per_phone: "每部手机只需验证一次，之后在本机提交无需再验证。",
    code_label: "短信验证码",
    code_hint: "6 位数字",
    confirm: "确认并提交",
    confirming: "正在确认…",
    demo: |code| format!("演示：验证码 {code}"),
    resend: "重新获取验证码",
    resend_in: |s| format!("{s} 秒后可重新获取验证码"),
    change_number: "更换手机号",
    wrong_code: "验证码不正确，请核对短信后重新输入",
    code_required: "请输入短信验证码",
    expired: "验证码已失效，请重新获取",
    required: "请先验证手机号。",
};

pub static EN: VerifyTexts = VerifyTexts {
    title: "Check your phone",
    sent_to: |phone| format!("We sent a 6-digit code to {phone}. It works for 10 minutes."),
    once_per_phone: "You only do this once per phone on this device.",
    code_label: "Code from the text message",
    code_hint: "6 digits",
    confirm: "Confirm and send",
    confirming: "Confirming…",
    demo: |code| format!("Demo: the code is {code}"),
    resend: "Send a new code",
    resend_in: |s| format!("You can ask for a new code in {s} s"),
    change_number: "Change the phone number",
    wrong_code: "That code is not right. Check the text message and try again",
    code_required: "Enter the code from the text message",
    expired: "That code no longer works. Ask for a new one",
    required: "Verify your phone number first.",
};
