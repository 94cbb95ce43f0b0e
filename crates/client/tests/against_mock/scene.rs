//! The happy path of SetSceneTemplate against the mock, as `SPEC-rest-callbacks.md` §4
//! specifies it: the app's `scene_service` feature is off by default (the service is
//! discontinued) and answers 100000017; turned on, a new template answers `"succeed"` with
//! `"Data": null`, and the same TemplateId again answers 340004003.
//!
//! Included by `against_mock.rs` (its `happy_path` hands SetSceneTemplate to this module). It
//! turns the feature on for the development app, the other features left at their defaults.

use zego_client::{Client, Error, ErrorCode, Family, SetSceneTemplateRequest};
use zego_mock::{Features, MockServer, DEV_APP_ID};

/// The scene actions this module has a happy path for.
pub(super) const ACTIONS: &[&str] = &["SetSceneTemplate"];

/// The page's example template (set-scene-template.mdx).
fn template(id: u64) -> SetSceneTemplateRequest {
    SetSceneTemplateRequest::new(id, 50000, 3, 50).map((0.0, 0.0), (500.0, 500.0))
}

/// Calls the scene action `action` the way an application would and checks the answer.
pub(super) async fn happy_path(
    server: &MockServer,
    client: &Client,
    action: &str,
) -> Result<(), Error> {
    match action {
        "SetSceneTemplate" => {
            // Off by default: the gateway's "App has not enabled this service."
            let off = client
                .set_scene_template(template(10080))
                .await
                .expect_err("scene_service is off by default");
            assert_eq!(off.code(), Some(ErrorCode::ServiceNotEnabled), "{off}");

            server.set_features(
                DEV_APP_ID,
                Features {
                    scene_service: true,
                    ..Default::default()
                },
            );
            let r = client.set_scene_template(template(10080)).await?;
            assert_eq!(r.code, 0);
            assert_eq!(r.message, "succeed");
            assert!(!r.request_id.is_empty());
            assert_eq!(r.data, ());
            // Fractional corners and a second template.
            client
                .set_scene_template(
                    SetSceneTemplateRequest::new(10081, 100, 10, 100)
                        .left_bottom_x(-12.5)
                        .right_up_z(0.25),
                )
                .await?;

            // Templates are created once: the same id again is refused.
            let again = client
                .set_scene_template(template(10080))
                .await
                .expect_err("the template exists");
            assert_eq!(again.code(), Some(ErrorCode::TemplateExists), "{again}");
            assert_eq!(again.api_error().map(|e| e.family()), Some(Family::Scene));
        }
        other => panic!("no scene happy path for {other}"),
    }
    Ok(())
}
