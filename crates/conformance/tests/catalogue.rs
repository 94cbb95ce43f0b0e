//! The whole catalogue against the in-process mock: every case runs, and every case passes.

use zego_conformance::{catalogue, run, Selection, Status, Target};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_case_passes_against_the_in_process_mock() {
    // Arrange
    let total = catalogue().len();
    // Act
    let report = run(&Target::InProcess, &Selection::default(), |_| {}).await;
    // Assert
    let failures: Vec<String> = report
        .outcomes
        .iter()
        .filter_map(|o| match &o.status {
            Status::Failed { message } => Some(format!("{}: {message}", o.id)),
            _ => None,
        })
        .collect();
    assert!(
        failures.is_empty(),
        "failed cases:\n{}",
        failures.join("\n")
    );
    assert_eq!(
        report.skipped(),
        0,
        "the in-process target supports every case"
    );
    assert_eq!(report.passed(), total);
}

#[tokio::test]
async fn selection_filters_by_id_and_can_leave_out_choices() {
    let only = Selection {
        filters: vec!["gateway.".into()],
        documented_only: true,
    };
    let report = run(&Target::InProcess, &only, |_| {}).await;
    assert!(report
        .outcomes
        .iter()
        .all(|o| o.id.starts_with("gateway.") && !o.choice));
    let expected = catalogue()
        .iter()
        .filter(|c| c.id.starts_with("gateway.") && !c.choice)
        .count();
    assert_eq!(report.outcomes.len(), expected);
    assert!(expected > 10);
}
