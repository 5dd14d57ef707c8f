//! Signing in.

use super::Lang;

pub(crate) struct Session {
    pub title: &'static str,
    pub email: &'static str,
    pub password: &'static str,
    pub submit: &'static str,
    pub fill_in: &'static str,
    pub wrong: &'static str,
    pub throttled: fn(u64) -> String,
}

pub(crate) static EN: Session = Session {
    title: "Sign in",
    email: "E-mail",
    password: "Password",
    submit: "Sign in",
    fill_in: "Fill in e-mail and password.",
    wrong: "Wrong e-mail or password.",
    throttled: |wait| format!("Too many failed sign-ins; try again in {wait} seconds."),
};

pub(crate) static ZH_TW: Session = Session {
    title: "登入",
    email: "電子郵件",
    password: "密碼",
    submit: "登入",
    fill_in: "請填寫電子郵件與密碼。",
    wrong: "電子郵件或密碼錯誤。",
    throttled: |wait| format!("登入失敗次數過多，請於 {wait} 秒後再試。"),
};

pub(crate) fn t(lang: Lang) -> &'static Session {
    match lang {
        Lang::En => &EN,
        Lang::ZhTw => &ZH_TW,
    }
}
