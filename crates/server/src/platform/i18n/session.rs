//! Signing in.

use super::Lang;
use crate::problem::Say;

pub(crate) struct Session {
    pub title: &'static str,
    pub email: &'static str,
    pub password: &'static str,
    pub submit: &'static str,
    pub fill_in: &'static str,
    pub wrong: &'static str,
    pub throttled: fn(u64) -> String,
    pub stale_form_title: &'static str,
    pub stale_form: &'static str,
}

pub(crate) static EN: Session = Session {
    title: "Sign in",
    email: "E-mail",
    password: "Password",
    submit: "Sign in",
    fill_in: "Fill in e-mail and password.",
    wrong: "Wrong e-mail or password.",
    throttled: |wait| format!("Too many failed sign-ins; try again in {wait} seconds."),
    stale_form_title: "The form has expired",
    stale_form: "This form was not sent from your current session (it may be from an old tab, or from before you signed in again), so nothing was changed. Go back, reload the page and send it again.",
};

pub(crate) static ZH_TW: Session = Session {
    title: "登入",
    email: "電子郵件",
    password: "密碼",
    submit: "登入",
    fill_in: "請填寫電子郵件與密碼。",
    wrong: "電子郵件或密碼錯誤。",
    throttled: |wait| format!("登入失敗次數過多，請於 {wait} 秒後再試。"),
    stale_form_title: "表單已失效",
    stale_form: "此表單並非由您目前的登入工作階段送出（可能來自舊的分頁，或您之後已重新登入），因此未做任何變更。請返回上一頁，重新載入後再送出一次。",
};

pub(crate) fn t(lang: Lang) -> &'static Session {
    match lang {
        Lang::En => &EN,
        Lang::ZhTw => &ZH_TW,
    }
}

/// Why presented credentials were refused (401); pages word it for a browser whose session
/// cookie has run out, the API keeps the English.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Credentials {
    MalformedKey,
    UnknownKey,
    SessionExpired,
    SignInFirst,
}

impl Say for Credentials {
    fn say(&self, lang: Lang) -> String {
        use Credentials as C;
        match (self, lang) {
            (C::MalformedKey, Lang::En) => "Malformed API key.",
            (C::MalformedKey, Lang::ZhTw) => "API 金鑰格式不正確。",
            (C::UnknownKey, Lang::En) => "Unknown or revoked API key.",
            (C::UnknownKey, Lang::ZhTw) => "API 金鑰不存在或已撤銷。",
            (C::SessionExpired, Lang::En) => {
                "The session has expired or does not exist; sign in again."
            }
            (C::SessionExpired, Lang::ZhTw) => "登入已逾期或不存在，請重新登入。",
            (C::SignInFirst, Lang::En) => "Sign in or present an API key.",
            (C::SignInFirst, Lang::ZhTw) => "請先登入或提供 API 金鑰。",
        }
        .to_string()
    }
}
