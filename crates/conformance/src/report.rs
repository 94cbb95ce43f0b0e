//! Case outcomes and the reports CI systems read: JUnit XML and JSON.

use serde::Serialize;
use std::fmt::Write as _;

/// How a case ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "lowercase")]
pub enum Status {
    /// The target behaved as documented.
    Passed,
    /// It did not; the text says how.
    Failed {
        /// What differed.
        message: String,
    },
    /// The target cannot support the case; the text says why.
    Skipped {
        /// Why.
        reason: String,
    },
}

/// One case's outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outcome {
    /// The case id.
    pub id: String,
    /// Its one-line description.
    pub description: String,
    /// The document it comes from.
    pub doc: String,
    /// Whether it checks one of the mock's choices where ZEGO is silent.
    pub choice: bool,
    /// How it ended.
    #[serde(flatten)]
    pub status: Status,
    /// How long it took, in milliseconds of real time.
    pub millis: u64,
}

/// All outcomes of a run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Report {
    /// What was run against.
    pub target: String,
    /// Every case's outcome, in catalogue order.
    pub outcomes: Vec<Outcome>,
}

impl Report {
    /// How many passed.
    pub fn passed(&self) -> usize {
        self.outcomes
            .iter()
            .filter(|o| o.status == Status::Passed)
            .count()
    }

    /// How many failed.
    pub fn failed(&self) -> usize {
        self.outcomes
            .iter()
            .filter(|o| matches!(o.status, Status::Failed { .. }))
            .count()
    }

    /// How many were skipped.
    pub fn skipped(&self) -> usize {
        self.outcomes
            .iter()
            .filter(|o| matches!(o.status, Status::Skipped { .. }))
            .count()
    }

    /// The closing line: `N passed, M failed, K skipped`.
    pub fn summary(&self) -> String {
        format!(
            "{} passed, {} failed, {} skipped",
            self.passed(),
            self.failed(),
            self.skipped()
        )
    }

    /// The report as JSON.
    pub fn to_json(&self) -> String {
        let mut v = serde_json::to_value(self).unwrap_or_default();
        v["summary"] = serde_json::json!({
            "passed": self.passed(), "failed": self.failed(), "skipped": self.skipped(),
        });
        serde_json::to_string_pretty(&v).unwrap_or_default()
    }

    /// The report as JUnit XML: one `testsuite`, one `testcase` per case, classname the group.
    pub fn to_junit(&self) -> String {
        let total_ms: u64 = self.outcomes.iter().map(|o| o.millis).sum();
        let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        let _ = writeln!(
            x,
            "<testsuites name=\"zego-conformance\" tests=\"{}\" failures=\"{}\" skipped=\"{}\" time=\"{:.3}\">",
            self.outcomes.len(),
            self.failed(),
            self.skipped(),
            total_ms as f64 / 1000.0
        );
        let _ = writeln!(
            x,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" skipped=\"{}\" time=\"{:.3}\">",
            escape(&self.target),
            self.outcomes.len(),
            self.failed(),
            self.skipped(),
            total_ms as f64 / 1000.0
        );
        for o in &self.outcomes {
            let group = o.id.split('.').next().unwrap_or(&o.id);
            let _ = write!(
                x,
                "    <testcase classname=\"{}\" name=\"{}\" time=\"{:.3}\"",
                escape(group),
                escape(&o.id),
                o.millis as f64 / 1000.0
            );
            match &o.status {
                Status::Passed => x.push_str("/>\n"),
                Status::Failed { message } => {
                    let _ = writeln!(
                        x,
                        ">\n      <failure message=\"{}\">{}\n{}</failure>\n    </testcase>",
                        escape(message),
                        escape(&o.description),
                        escape(&o.doc)
                    );
                }
                Status::Skipped { reason } => {
                    let _ = writeln!(
                        x,
                        ">\n      <skipped message=\"{}\"/>\n    </testcase>",
                        escape(reason)
                    );
                }
            }
        }
        x.push_str("  </testsuite>\n</testsuites>\n");
        x
    }
}

/// Escapes text for XML attributes and content.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\r' | '\t') => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(id: &str, status: Status) -> Outcome {
        Outcome {
            id: id.into(),
            description: "d".into(),
            doc: "doc".into(),
            choice: false,
            status,
            millis: 3,
        }
    }

    #[test]
    fn junit_counts_and_escapes() {
        let r = Report {
            target: "in-process".into(),
            outcomes: vec![
                outcome("gateway.a", Status::Passed),
                outcome(
                    "gateway.b",
                    Status::Failed {
                        message: "expected <0> & \"1\"".into(),
                    },
                ),
                outcome(
                    "x.c",
                    Status::Skipped {
                        reason: "needs clock".into(),
                    },
                ),
            ],
        };
        assert_eq!(r.summary(), "1 passed, 1 failed, 1 skipped");
        let x = r.to_junit();
        assert!(
            x.contains("tests=\"3\" failures=\"1\" skipped=\"1\""),
            "{x}"
        );
        assert!(
            x.contains("<failure message=\"expected &lt;0&gt; &amp; &quot;1&quot;\">"),
            "{x}"
        );
        assert!(
            x.contains("<testcase classname=\"x\" name=\"x.c\" time=\"0.003\">"),
            "{x}"
        );
        let j: serde_json::Value = serde_json::from_str(&r.to_json()).expect("json");
        assert_eq!(j["summary"]["failed"], 1);
        assert_eq!(j["outcomes"][2]["status"], "skipped");
        assert_eq!(j["outcomes"][2]["reason"], "needs clock");
    }
}
