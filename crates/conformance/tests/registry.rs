//! Every list of actions in the workspace names the same set: the mock's `Action::ALL`, the
//! client's `ACTIONS`, the kit's docs table, the sample requests and response examples in
//! `fixtures/`, and the README's supported-actions table. An action added to some of them and
//! not the others fails here, with the list that lacks it.

use std::collections::BTreeSet;
use std::path::PathBuf;

/// The workspace root, from this crate's manifest directory.
fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read(relative: &str) -> String {
    let path = root().join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn mock_actions() -> Vec<String> {
    zego_mock::Action::ALL
        .iter()
        .map(|a| a.wire_name().to_string())
        .collect()
}

fn client_actions() -> Vec<String> {
    zego_client::ACTIONS.iter().map(|a| a.to_string()).collect()
}

fn docs_table_actions() -> Vec<String> {
    zego_conformance::docs::actions()
        .map(|d| d.action.to_string())
        .collect()
}

/// The keys of `requests` in `fixtures/requests.json`.
fn sample_request_actions() -> Vec<String> {
    let json: serde_json::Value =
        serde_json::from_str(&read("fixtures/requests.json")).expect("requests.json is JSON");
    json["requests"]
        .as_object()
        .expect("requests.json has a `requests` object")
        .keys()
        .cloned()
        .collect()
}

/// The file stems of `fixtures/responses/*.json`.
fn response_example_actions() -> Vec<String> {
    let dir = root().join("fixtures/responses");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            (path.extension()? == "json").then(|| path.file_stem()?.to_str().map(str::to_string))?
        })
        .collect();
    names.sort();
    names
}

/// The first word of each row of the first table under the heading `heading` (any level), backticks
/// removed; `None` when there is no such heading or table.
fn markdown_table_rows(text: &str, heading: &str) -> Option<Vec<String>> {
    let mut lines = text
        .lines()
        .skip_while(|l| !(l.starts_with('#') && l.trim_start_matches('#').trim() == heading));
    lines.next()?;
    let mut table = lines
        .take_while(|l| !l.starts_with('#'))
        .skip_while(|l| !l.trim_start().starts_with('|'))
        .take_while(|l| l.trim_start().starts_with('|'));
    table.next()?; // the header row
    let separator = table.next()?;
    if !separator
        .chars()
        .all(|c| matches!(c, '|' | '-' | ':' | ' '))
    {
        return None;
    }
    Some(
        table
            .filter_map(|row| {
                // The action is the cell's first word: a row may add `(POST)` after it.
                let cell = row.trim().trim_start_matches('|').split('|').next()?;
                let word = cell.split_whitespace().next().unwrap_or_default();
                Some(word.trim_matches('`').to_string())
            })
            .collect(),
    )
}

fn readme_actions() -> Vec<String> {
    markdown_table_rows(&read("README.md"), "Supported actions")
        .expect("README.md has a table under its `Supported actions` heading")
}

/// What differs between the named lists: duplicates within one, and for each list the actions
/// the others name and it lacks. Empty when they all name the same set once.
fn mismatches(lists: &[(&str, Vec<String>)]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut all = BTreeSet::new();
    for (name, list) in lists {
        let mut seen = BTreeSet::new();
        for action in list {
            if !seen.insert(action) {
                problems.push(format!("{name} names {action} more than once"));
            }
            all.insert(action.as_str());
        }
    }
    for (name, list) in lists {
        let lacks: Vec<String> = all
            .iter()
            .filter(|a| !list.iter().any(|x| x == *a))
            .map(|a| {
                let named_by: Vec<&str> = lists
                    .iter()
                    .filter(|(_, l)| l.iter().any(|x| x == a))
                    .map(|(n, _)| *n)
                    .collect();
                format!("{a} (named by {})", named_by.join(", "))
            })
            .collect();
        if !lacks.is_empty() {
            problems.push(format!("{name} lacks {}", lacks.join("; ")));
        }
    }
    problems
}

#[test]
fn every_list_of_actions_names_the_same_set() {
    // Arrange
    let lists = [
        ("the mock's zego_mock::Action::ALL", mock_actions()),
        ("the client's zego_client::ACTIONS", client_actions()),
        ("the conformance kit's docs table", docs_table_actions()),
        (
            "fixtures/requests.json (keys of `requests`)",
            sample_request_actions(),
        ),
        ("fixtures/responses/*.json", response_example_actions()),
        ("README.md's `Supported actions` table", readme_actions()),
    ];
    // Act
    let problems = mismatches(&lists);
    // Assert
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(lists[0].1.len() >= 11, "{:?}", lists[0].1);
}

#[test]
fn a_list_that_lacks_an_action_is_named_with_the_action() {
    let full = vec![
        "RTMPDispatchV2".to_string(),
        "CreatCDNTransferRule".to_string(),
    ];
    let lists = [
        ("mock", full.clone()),
        ("client", vec!["CreatCDNTransferRule".to_string()]),
        ("readme", full.clone()),
        (
            "twice",
            [full.clone(), vec!["RTMPDispatchV2".into()]].concat(),
        ),
    ];
    let problems = mismatches(&lists);
    assert_eq!(
        problems,
        [
            "twice names RTMPDispatchV2 more than once",
            "client lacks RTMPDispatchV2 (named by mock, readme, twice)",
        ]
    );
    assert!(mismatches(&lists[..1]).is_empty());
}

#[test]
fn the_readme_table_is_found_by_its_heading() {
    let text = "# x\n\n## Other\n\n| a | b |\n| --- | --- |\n| `No` | 1 |\n\n## Supported actions\n\nSome words.\n\n| action | limit |\n| --- | --- |\n| `CreatCDNTransferRule` | 10/s |\n| `RTMPDispatch` | 40/s |\n\nAny other.\n| `Later` | x |\n";
    assert_eq!(
        markdown_table_rows(text, "Supported actions"),
        Some(vec![
            "CreatCDNTransferRule".to_string(),
            "RTMPDispatch".to_string()
        ])
    );
    assert_eq!(markdown_table_rows(text, "Missing"), None);
    assert_eq!(
        markdown_table_rows(
            "## Supported actions\n\nno table\n\n## Next\n\n| a |\n| - |\n| `X` |\n",
            "Supported actions"
        ),
        None
    );
}

/// Whether `text` names `action` as a whole word (so `ForbidRTCStream` inside
/// `ForbidRTCStreams` does not count).
fn names_word(text: &str, action: &str) -> bool {
    text.match_indices(action).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + action.len()..].chars().next();
        let boundary = |c: Option<char>| !c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        boundary(before) && boundary(after)
    })
}

#[test]
fn every_action_is_exercised_by_name_in_the_mock_integration_tests() {
    // Arrange: the text of every integration test of the mock.
    let dir = root().join("crates/mock-server/tests");
    let mut text = String::new();
    for entry in std::fs::read_dir(&dir).expect("the mock's tests directory") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "rs") {
            text.push_str(&std::fs::read_to_string(&path).expect("readable"));
        }
    }
    // Act
    let missing: Vec<String> = mock_actions()
        .into_iter()
        .filter(|a| !names_word(&text, a))
        .collect();
    // Assert
    assert!(
        missing.is_empty(),
        "no test in crates/mock-server/tests/ names {missing:?}"
    );
    assert!(names_word("x(ForbidRTCStream)", "ForbidRTCStream"));
    assert!(!names_word("ForbidRTCStreams", "ForbidRTCStream"));
}

/// The 50 current actions of ZEGO's Server API v2, as the overview page and the api-reference
/// directory list them (room signaling 17, stream mixing and transcoding 7, media service 12,
/// media files 8, moderation 5, scene 1), transcribed here rather than taken from any list of the
/// workspace.
const DOCUMENTED: [&str; 50] = [
    "SendBroadcastMessage",
    "SendBarrageMessage",
    "SendCustomCommand",
    "DescribeUserNum",
    "DescribeUsers",
    "DescribeUserList",
    "AddStream",
    "DeleteStream",
    "DescribeSimpleStreamList",
    "CloseRoom",
    "KickoutUser",
    "SetForbidUserRule",
    "DescribeForbidUserRules",
    "DelForbidUserRule",
    "SetForbidStreamRule",
    "DescribeForbidStreamRules",
    "DelForbidStreamRule",
    "StartMix",
    "StopMix",
    "GetMixTaskInfo",
    "StartAutoMix",
    "StopAutoMix",
    "StartCloudTranscode",
    "StopCloudTranscode",
    "ForbidCDNLiveStream",
    "QueryForbidCDNLiveStream",
    "ResumeCDNLiveStream",
    "ForbidRTCStream",
    "ResumeRTCStream",
    "ForbidRTCStreams",
    "ResumeRTCStreams",
    "CreatCDNTransferRule",
    "DeleteCDNTransferRule",
    "ClearCDNTransferRule",
    "DescribeRTCStreamState",
    "RTMPDispatchV2",
    "StartCDNRecord",
    "StopCDNRecord",
    "SearchMedia",
    "DeleteMedia",
    "MergeMedia",
    "DescribeMediaTask",
    "TranscodeMedia",
    "MediaThumbnails",
    "StartCensorAudioV2",
    "StopCensorAudioV2",
    "StartCensorVideoV2",
    "StopCensorVideoV2",
    "GenerateIdentifyToken",
    "SetSceneTemplate",
];

#[test]
fn every_documented_action_is_served_and_only_the_legacy_dispatch_besides() {
    let documented: BTreeSet<&str> = DOCUMENTED.into_iter().collect();
    assert_eq!(documented.len(), 50, "an action is listed twice");
    let served: Vec<String> = mock_actions();
    let served: BTreeSet<&str> = served.iter().map(String::as_str).collect();
    let missing: Vec<&&str> = documented.difference(&served).collect();
    assert!(missing.is_empty(), "documented but not served: {missing:?}");
    // RTMPDispatch is the legacy form RTMPDispatchV2's page still describes.
    let extra: Vec<&&str> = served.difference(&documented).collect();
    assert_eq!(extra, [&"RTMPDispatch"]);
}
