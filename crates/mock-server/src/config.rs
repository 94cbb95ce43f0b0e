//! Apps the mock knows, and the options that change how it answers.

use std::fmt;

/// The AppId of the built-in development app, served when no app is configured.
pub const DEV_APP_ID: u32 = 1_234_567_890;
/// The ServerSecret of the built-in development app. It is public: never use it for anything real.
pub const DEV_SERVER_SECRET: &str = "0123456789abcdef0123456789abcdef";

/// A ServerSecret. Its `Debug` and `Display` never show the value.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a secret.
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The secret itself, for signing. Never log what this returns.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// The environment a request addresses: `IsTest=false` (or absent) is production.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Env {
    /// The production environment (`IsTest=false` or no `IsTest`).
    Production,
    /// The test environment (`IsTest=true`).
    Test,
}

impl Env {
    /// `"production"` or `"test"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Env::Production => "production",
            Env::Test => "test",
        }
    }
}

/// An app the mock accepts requests for: its AppId, its ServerSecret and which environments it has.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AppConfig {
    /// The AppId.
    pub app_id: u32,
    /// The ServerSecret requests are signed with.
    pub secret: Secret,
    /// Whether the app has a production environment (else `IsTest=false` answers 100000016).
    pub production: bool,
    /// Whether the app has a test environment (else `IsTest=true` answers 100000016).
    pub test: bool,
}

impl AppConfig {
    /// An app with both a production and a test environment.
    pub fn new(app_id: u32, secret: impl Into<String>) -> Self {
        Self {
            app_id,
            secret: Secret::new(secret),
            production: true,
            test: true,
        }
    }

    /// The built-in development app ([`DEV_APP_ID`], [`DEV_SERVER_SECRET`]).
    pub fn dev() -> Self {
        Self::new(DEV_APP_ID, DEV_SERVER_SECRET)
    }

    /// Keeps only the production environment.
    #[must_use]
    pub fn production_only(mut self) -> Self {
        self.production = true;
        self.test = false;
        self
    }

    /// Keeps only the test environment.
    #[must_use]
    pub fn test_only(mut self) -> Self {
        self.production = false;
        self.test = true;
        self
    }

    /// Whether the app has the given environment.
    pub fn has_env(&self, env: Env) -> bool {
        match env {
            Env::Production => self.production,
            Env::Test => self.test,
        }
    }

    /// Parses the CLI form `APPID:SECRET[:ENVS]`, where ENVS is `both` (default), `production`
    /// (or `prod`) or `test`.
    ///
    /// The AppId ends at the first `:`. The secret is everything after it, `:` included, except
    /// a last `:both`, `:production`, `:prod` or `:test`, which names the environments only when
    /// it is exactly one of those words. So `7:a:b` is AppId 7 with the secret `a:b`, and a
    /// secret that itself ends in `:test` is written with its environments after it
    /// (`7:abc:test:both`). The secret is never part of an error: see [`mask_app_arg`].
    ///
    /// ```
    /// use zego_mock::AppConfig;
    /// let app: AppConfig = "12345:9193cc662a4c0ec135ec71fb57194b38:test".parse().unwrap();
    /// assert_eq!(app.app_id, 12345);
    /// assert!(app.test && !app.production);
    /// let colon = AppConfig::parse_cli("12345:pa:ss").unwrap();
    /// assert_eq!(colon.secret.expose(), "pa:ss");
    /// ```
    pub fn parse_cli(s: &str) -> Result<Self, String> {
        let Some((id, rest)) = s.split_once(':') else {
            return Err(format!(
                "{}: expected APPID:SECRET[:both|production|test]",
                mask_app_arg(s)
            ));
        };
        let app_id: u32 = id.parse().map_err(|_| {
            format!(
                "{}: the AppId is not an unsigned 32-bit decimal number",
                mask_app_arg(s)
            )
        })?;
        let (secret, envs) = match rest.rsplit_once(':') {
            Some((secret, envs @ ("both" | "production" | "prod" | "test"))) => (secret, envs),
            _ => (rest, "both"),
        };
        if secret.is_empty() {
            return Err(format!("{}: the ServerSecret is empty", mask_app_arg(s)));
        }
        let app = Self::new(app_id, secret);
        Ok(match envs {
            "production" | "prod" => app.production_only(),
            "test" => app.test_only(),
            _ => app,
        })
    }

    /// Parses a list of apps in the CLI form, separated by commas or whitespace (the
    /// `ZEGO_MOCK_APPS` environment variable). Empty items are skipped; secrets cannot contain
    /// commas or whitespace here (use a file, one app per line, for those).
    ///
    /// ```
    /// use zego_mock::AppConfig;
    /// let apps = AppConfig::parse_list("1:a, 2:b:test\n3:c").unwrap();
    /// assert_eq!(apps.iter().map(|a| a.app_id).collect::<Vec<_>>(), [1, 2, 3]);
    /// ```
    pub fn parse_list(text: &str) -> Result<Vec<Self>, String> {
        text.split(|c: char| c == ',' || c.is_whitespace())
            .filter(|item| !item.is_empty())
            .enumerate()
            .map(|(i, item)| Self::parse_cli(item).map_err(|e| format!("app {}: {e}", i + 1)))
            .collect()
    }

    /// Parses an apps file: one app per line in the CLI form; blank lines and lines starting
    /// with `#` are skipped; spaces around a line are trimmed (a secret may contain inner spaces
    /// and commas here). Errors name the line, never the secret.
    ///
    /// ```
    /// use zego_mock::AppConfig;
    /// let apps = AppConfig::parse_file("# staging\n1:a b,c\n\n2:d:test\n").unwrap();
    /// assert_eq!(apps[0].secret.expose(), "a b,c");
    /// assert!(apps[1].test && !apps[1].production);
    /// ```
    pub fn parse_file(text: &str) -> Result<Vec<Self>, String> {
        text.lines()
            .enumerate()
            .map(|(i, line)| (i + 1, line.trim()))
            .filter(|(_, line)| !line.is_empty() && !line.starts_with('#'))
            .map(|(n, line)| Self::parse_cli(line).map_err(|e| format!("line {n}: {e}")))
            .collect()
    }
}

/// How an `--app` value is shown in errors: the AppId part (only when it is all decimal digits,
/// up to 10) and the length of the rest, never the secret itself.
///
/// ```
/// use zego_mock::mask_app_arg;
/// assert_eq!(mask_app_arg("12345:s3cr3t:test"), "\"12345:<11 characters>\"");
/// assert!(!mask_app_arg("s3cr3t").contains("s3cr3t"));
/// ```
pub fn mask_app_arg(s: &str) -> String {
    let count = |t: &str| t.chars().count();
    match s.split_once(':') {
        Some((id, rest)) if id.len() <= 10 && id.bytes().all(|b| b.is_ascii_digit()) => {
            format!("\"{id}:<{} characters>\"", count(rest))
        }
        _ => format!("<{} characters>", count(s)),
    }
}

impl std::str::FromStr for AppConfig {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse_cli(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_secret() {
        let app = AppConfig::new(1, "supersecretvalue");
        let shown = format!("{app:?} {}", app.secret);
        assert!(!shown.contains("supersecretvalue"), "{shown}");
        assert!(shown.contains("***"));
    }

    #[test]
    fn cli_form_parses_and_rejects_clearly() {
        let a = AppConfig::parse_cli("7:s3:production").expect("valid");
        assert!(a.production && !a.test);
        assert!(AppConfig::parse_cli("7").is_err());
        assert!(AppConfig::parse_cli("x:s").is_err());
        assert!(AppConfig::parse_cli("7:").is_err());
        assert!(AppConfig::parse_cli("4294967296:s").is_err());
        assert!(AppConfig::parse_cli("7::test").is_err());
    }

    #[test]
    fn secrets_may_hold_colons_and_only_an_exact_last_word_names_environments() {
        let parse = |s: &str| {
            let a = AppConfig::parse_cli(s).expect("valid");
            (a.secret.expose().to_string(), a.production, a.test)
        };
        assert_eq!(parse("7:s:moon"), ("s:moon".into(), true, true));
        assert_eq!(parse("7:a:b:c:test"), ("a:b:c".into(), false, true));
        assert_eq!(parse("7:a:b:prod"), ("a:b".into(), true, false));
        assert_eq!(parse("7:abc:test:both"), ("abc:test".into(), true, true));
        assert_eq!(parse("7:abc:Test"), ("abc:Test".into(), true, true));
        assert_eq!(parse("7::"), (":".into(), true, true));
    }

    #[test]
    fn errors_never_hold_the_secret() {
        for bad in [
            "topsecret",
            "x1:topsecret",
            "99999999999:topsecret:test",
            "7:",
            "topsecret:7",
        ] {
            let e = AppConfig::parse_cli(bad).expect_err(bad);
            assert!(!e.contains("topsecret"), "{bad}: {e}");
            for list in [AppConfig::parse_list(bad), AppConfig::parse_file(bad)] {
                assert!(!list.expect_err(bad).contains("topsecret"));
            }
        }
        assert_eq!(
            AppConfig::parse_cli("7:").expect_err("empty"),
            "\"7:<0 characters>\": the ServerSecret is empty"
        );
        assert_eq!(
            AppConfig::parse_file("# c\n1:a\n\nx:topsecret\n").expect_err("bad line"),
            "line 4: <11 characters>: the AppId is not an unsigned 32-bit decimal number"
        );
        assert!(AppConfig::parse_list(" , ,").expect("empty").is_empty());
    }
}
