//! What the mock remembers: rate-limit windows, Sequence order, and each app's business state,
//! per family.
//!
//! Rate-limit and Sequence state is kept only while it can still matter (one window, and ten
//! seconds of the mock's clock) and swept after, so memory stays bounded however many AppIds and
//! StreamIds pass through.

mod journals;
pub(crate) mod keyed;
pub(crate) mod sequence;

use crate::actions::media::MediaState;
use crate::actions::media_file::MediaFileState;
use crate::actions::mixing::MixingState;
use crate::actions::moderation::ModerationState;
use crate::actions::room::RoomState;
use crate::actions::scene::SceneState;
use crate::config::Env;
use crate::spec::Limiter;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

pub use journals::{Event, Ring};
pub(crate) use sequence::SequenceBook;

/// The business state of one app in one environment, one part per family. It serializes to
/// (and seeds from) one flat JSON object for the control API: each family's fields side by side.
#[derive(Debug, Default, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "EnvStateWire")]
pub struct EnvState {
    /// The media-service family: relay rules, CDN bans, forbidden RTC streams, streams.
    #[serde(flatten)]
    pub media: MediaState,
    /// The room-signaling family: rooms with their users and streams, ban rules, messages.
    #[serde(flatten)]
    pub rooms: RoomState,
    /// The stream-mixing family: mix and transcode tasks.
    #[serde(flatten)]
    pub mixing: MixingState,
    /// The media-file family: media configuration, recordings, files, media tasks.
    #[serde(flatten)]
    pub media_files: MediaFileState,
    /// The moderation family: censor tasks and identify tokens.
    #[serde(flatten)]
    pub moderation: ModerationState,
    /// The scene family: scene templates.
    #[serde(flatten)]
    pub scene: SceneState,
    /// The events the real service would send as callbacks (not part of the seed).
    #[serde(skip)]
    pub events: Ring<Event>,
}

impl EnvState {
    /// Records an event.
    pub(crate) fn event(&mut self, at_millis: i64, event: &'static str, data: serde_json::Value) {
        self.events.push(|seq| Event {
            seq,
            at_millis,
            event,
            data,
        });
    }
}

/// The seed form: every family's fields, and anything else (refused by name).
#[derive(Deserialize)]
struct EnvStateWire {
    #[serde(flatten)]
    media: MediaState,
    #[serde(flatten)]
    rooms: RoomState,
    #[serde(flatten)]
    mixing: MixingState,
    #[serde(flatten)]
    media_files: MediaFileState,
    #[serde(flatten)]
    moderation: ModerationState,
    #[serde(flatten)]
    scene: SceneState,
    #[serde(flatten)]
    unknown: BTreeMap<String, serde_json::Value>,
}

impl TryFrom<EnvStateWire> for EnvState {
    type Error = String;

    fn try_from(wire: EnvStateWire) -> Result<Self, String> {
        match wire.unknown.keys().next() {
            Some(name) => Err(format!(
                "unknown field `{name}`, expected one of `relay_rules`, `cdn_bans`, `forbidden_rtc`, `streams`, `rooms`, `user_rules`, `stream_rules`, `mix_tasks`, `transcode_tasks`, `media_config`, `recordings`, `media_files`, `media_tasks`, `media_counters`, `censor_tasks`, `identify_tokens`, `moderation_ids`, `scene_templates`"
            )),
            None => Ok(EnvState {
                media: wire.media,
                rooms: wire.rooms,
                mixing: wire.mixing,
                media_files: wire.media_files,
                moderation: wire.moderation,
                scene: wire.scene,
                events: Ring::default(),
            }),
        }
    }
}

/// The ids of a family's items that can still change by themselves (running tasks, open
/// recordings), so that the tick before and after every request visits those instead of every
/// item kept, ended ones included. A cache: not serialized, equal to any other, and built by one
/// pass over the items on the first tick of a state (a seeded one included); after that every
/// place that starts an item adds its id, and ids of items found finished or gone are dropped.
#[derive(Debug, Clone, Default)]
pub struct Pending {
    ids: BTreeSet<String>,
    complete: bool,
}

impl PartialEq for Pending {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for Pending {}

impl Pending {
    /// Notes an item just started (nothing to do before the first pass, which will find it).
    pub(crate) fn add(&mut self, id: &str) {
        if self.complete {
            self.ids.insert(id.to_owned());
        }
    }

    /// The ids to visit, in order: `unfinished()` the first time, the ones kept after.
    pub(crate) fn ids(&mut self, unfinished: impl FnOnce() -> Vec<String>) -> Vec<String> {
        if self.complete && self.ids.is_empty() {
            // The usual case, on every request: nothing running.
            return Vec::new();
        }
        if !self.complete {
            self.ids = unfinished().into_iter().collect();
            self.complete = true;
        }
        self.ids.iter().cloned().collect()
    }

    /// [`Pending::ids`] of the items of `items` for which `running` holds.
    pub(crate) fn running<T>(
        &mut self,
        items: &BTreeMap<String, T>,
        running: impl Fn(&T) -> bool,
    ) -> Vec<String> {
        self.ids(|| {
            items
                .iter()
                .filter(|(_, item)| running(item))
                .map(|(id, _)| id.clone())
                .collect()
        })
    }

    /// Forgets an item found finished or gone.
    pub(crate) fn remove(&mut self, id: &str) {
        self.ids.remove(id);
    }

    /// Whether a tick has nothing to visit: the first pass was made and nothing runs since.
    #[inline]
    pub(crate) fn is_idle(&self) -> bool {
        self.complete && self.ids.is_empty()
    }
}

/// A map keyed by AppIds (with an environment or not): keys the mock's configuration chose, not
/// its clients, so they are hashed by one multiplication instead of a keyed hash.
pub(crate) type IdMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<IdHasher>>;

/// The hasher of [`IdMap`]: each integer written is folded in by a rotate, a xor and a
/// multiplication by an odd constant (the high bits, which the table uses, mix every input bit).
#[derive(Default)]
pub(crate) struct IdHasher(u64);

impl IdHasher {
    fn add(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl std::hash::Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.add(u64::from(*b));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.add(u64::from(n));
    }

    fn write_u32(&mut self, n: u32) {
        self.add(u64::from(n));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn write_isize(&mut self, n: isize) {
        self.add(n as u64);
    }
}

/// Everything the action layer reads and writes, kept under one lock so that the rate limit,
/// the Sequence check, the execution and the Sequence advance of a request are one atomic step.
#[derive(Debug, Default)]
pub(crate) struct World {
    /// Rate-limit counts of the current windows.
    pub limiter: Limiter,
    /// The Sequence order rule's memory.
    pub sequences: SequenceBook,
    /// Business state per (AppId, environment).
    pub envs: IdMap<(u32, Env), EnvState>,
    /// Features per AppId (absent: the defaults).
    pub features: IdMap<u32, Features>,
}

/// An app's features that ZEGO enables on request. The defaults let a fresh mock accept the
/// common calls; the behaviours ZEGO's support turns on are opt-in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Features {
    /// User and stream ban rules (on by default); off, their actions answer 9.
    pub forbid_rules: bool,
    /// Stream mixing and cloud transcoding (on by default).
    pub stream_mixing: bool,
    /// Mix tasks owned by their UserId (off by default).
    pub mix_task_ownership: bool,
    /// Sequence timing control of mix tasks (off by default).
    pub mix_sequence_control: bool,
    /// AddStream (and mixing's target rooms) create a missing room (off by default).
    pub auto_create_room: bool,
    /// CDN recording and the media-file actions (on by default); off, they answer 3.
    pub cdn_record: bool,
    /// Shumei stream moderation (on by default); off, the moderation actions answer 50117.
    pub shumei_moderation: bool,
    /// A running censor task is also an admin user (role 4) in its room (off by default: the
    /// real admin user's id is undocumented).
    pub censor_admin_user: bool,
    /// The scene service (off by default: ZEGO documents it as discontinued); off,
    /// SetSceneTemplate answers 100000017.
    pub scene_service: bool,
}

impl Default for Features {
    fn default() -> Self {
        Self {
            forbid_rules: true,
            stream_mixing: true,
            mix_task_ownership: false,
            mix_sequence_control: false,
            auto_create_room: false,
            cdn_record: true,
            shumei_moderation: true,
            censor_admin_user: false,
            scene_service: false,
        }
    }
}

impl Features {
    /// Whether a gated feature is on.
    pub fn has(&self, feature: crate::spec::Feature) -> bool {
        match feature {
            crate::spec::Feature::ForbidRules => self.forbid_rules,
            crate::spec::Feature::StreamMixing => self.stream_mixing,
            crate::spec::Feature::CdnRecord => self.cdn_record,
            crate::spec::Feature::ShumeiModeration => self.shumei_moderation,
            crate::spec::Feature::SceneService => self.scene_service,
        }
    }
}

impl World {
    /// Forgets one app's state, Sequence order and rate-limit counts.
    pub fn reset_app(&mut self, app_id: u32) {
        self.envs.retain(|(id, _), _| *id != app_id);
        self.features.remove(&app_id);
        self.sequences.forget_app(app_id);
        self.limiter.forget_app(app_id);
    }
}

/// How much the engine holds, for memory checks: each count is bounded by a window of traffic
/// or by what the tests seeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Footprint {
    /// Subjects whose last Sequence is remembered (the 10 s window).
    pub sequences: usize,
    /// Rate-limit keys counted in the current windows.
    pub rate_limit_keys: usize,
    /// (AppId, environment) pairs with business state.
    pub app_envs: usize,
    /// Relay rules over every app and environment.
    pub relay_rules: usize,
}

impl World {
    /// How much is held now.
    pub fn footprint(&self) -> Footprint {
        Footprint {
            sequences: self.sequences.len(),
            rate_limit_keys: self.limiter.len(),
            app_envs: self.envs.len(),
            relay_rules: self.envs.values().map(|e| e.media.relay_rules.len()).sum(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pending_ids_come_from_one_pass_then_from_what_is_added() {
        let mut p = Pending::default();
        // Before the first pass an added id is left for the pass to find.
        p.add("early");
        let mut passes = 0;
        let mut pass = || {
            passes += 1;
            vec!["a".to_string(), "c".to_string()]
        };
        assert_eq!(p.ids(&mut pass), ["a", "c"]);
        p.add("b");
        p.remove("c");
        assert_eq!(p.ids(&mut pass), ["a", "b"]);
        assert_eq!(passes, 1, "the pass runs once");
        // A clone (a state read out) keeps the index; a default one (a seeded state) passes again.
        assert_eq!(p.clone().ids(Vec::new), ["a", "b"]);
        assert!(Pending::default().ids(Vec::new).is_empty());
        assert_eq!(Pending::default(), p, "a cache: any two are equal");
    }

    #[test]
    fn the_state_is_one_flat_object_and_unknown_fields_are_refused_by_name() {
        let seeded: EnvState =
            serde_json::from_str(r#"{"forbidden_rtc":["a"],"streams":{}}"#).expect("seed");
        assert!(seeded.media.forbidden_rtc.contains("a"));
        let v = serde_json::to_value(&seeded).expect("serialize");
        assert_eq!(v["forbidden_rtc"][0], "a");
        assert!(v["relay_rules"].is_array());
        let err = serde_json::from_str::<EnvState>(r#"{"censor_jobs":[]}"#).unwrap_err();
        assert!(
            err.to_string().contains("unknown field `censor_jobs`"),
            "{err}"
        );
    }
}
