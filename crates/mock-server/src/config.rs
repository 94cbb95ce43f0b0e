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
    /// or `test`.
    ///
    /// ```
    /// use zego_mock::AppConfig;
    /// let app: AppConfig = "12345:9193cc662a4c0ec135ec71fb57194b38:test".parse().unwrap();
    /// assert_eq!(app.app_id, 12345);
    /// assert!(app.test && !app.production);
    /// ```
    pub fn parse_cli(s: &str) -> Result<Self, String> {
        let mut parts = s.splitn(3, ':');
        let id = parts.next().unwrap_or_default();
        let secret = parts
            .next()
            .ok_or_else(|| "expected APPID:SECRET[:both|production|test]".to_string())?;
        let app_id: u32 = id
            .parse()
            .map_err(|_| format!("AppId {id:?} is not an unsigned 32-bit decimal number"))?;
        if secret.is_empty() {
            return Err("the ServerSecret is empty".into());
        }
        let app = Self::new(app_id, secret);
        match parts.next().unwrap_or("both") {
            "both" => Ok(app),
            "production" | "prod" => Ok(app.production_only()),
            "test" => Ok(app.test_only()),
            other => Err(format!(
                "environments {other:?}: expected both, production or test"
            )),
        }
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
        assert!(AppConfig::parse_cli("7:s:moon").is_err());
        assert!(AppConfig::parse_cli("4294967296:s").is_err());
    }
}
