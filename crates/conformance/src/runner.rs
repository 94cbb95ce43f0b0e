//! Runs the catalogue (or part of it) against a target and collects a report.

use crate::catalogue::{catalogue, Case};
use crate::report::{Outcome, Report, Status};
use crate::target::Target;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long one case may take before it counts as failed.
pub const CASE_TIMEOUT: Duration = Duration::from_secs(60);

/// Which cases to run.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    /// Only cases whose id contains one of these (all when empty).
    pub filters: Vec<String>,
    /// Skip the cases that check the mock's choices where ZEGO is silent.
    pub documented_only: bool,
}

impl Selection {
    /// Whether the selection includes `case`.
    pub fn selects(&self, case: &Case) -> bool {
        (self.filters.is_empty() || self.filters.iter().any(|f| case.id.contains(f.as_str())))
            && !(self.documented_only && case.choice)
    }
}

/// Runs the selected cases one after another, calling `progress` after each.
pub async fn run(
    target: &Target,
    selection: &Selection,
    mut progress: impl FnMut(&Outcome),
) -> Report {
    let capabilities = target.capabilities().await;
    let mut report = Report {
        target: match target {
            Target::InProcess => "in-process zego-mock".to_string(),
            Target::Remote { base_url, .. } => base_url.clone(),
        },
        outcomes: Vec::new(),
    };
    for case in catalogue().into_iter().filter(|c| selection.selects(c)) {
        let started = Instant::now();
        let status = match capabilities.lacks(case.needs) {
            Some(reason) => Status::Skipped {
                reason: reason.to_string(),
            },
            None => match target
                .context(&case.id, case.needs.test_env, capabilities)
                .await
            {
                Err(message) => Status::Failed {
                    message: format!("could not prepare the target: {message}"),
                },
                Ok(ctx) => {
                    match tokio::time::timeout(CASE_TIMEOUT, case.run(Arc::new(ctx))).await {
                        Ok(Ok(())) => Status::Passed,
                        Ok(Err(message)) => Status::Failed { message },
                        Err(_) => Status::Failed {
                            message: format!("no result within {CASE_TIMEOUT:?}"),
                        },
                    }
                }
            },
        };
        let outcome = Outcome {
            id: case.id.clone(),
            description: case.description.clone(),
            doc: case.doc.to_string(),
            choice: case.choice,
            status,
            millis: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
        };
        progress(&outcome);
        report.outcomes.push(outcome);
    }
    report
}
