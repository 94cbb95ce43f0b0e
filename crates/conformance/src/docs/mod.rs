//! The kit's docs table: each action's documented facts and parameters, transcribed by hand from
//! ZEGO's OpenAPI pages (`api-reference/<family>/<page>.yaml`), `return-codes.mdx` and SPEC.md.
//!
//! It is kept independent of the mock on purpose: nothing here is read from `zego-mock`, so the
//! cases generated from it check the mock (and the client) against the documentation rather than
//! against themselves. A registry test checks that this table, the mock, the client, the fixtures
//! and the README name the same actions.
//!
//! One module per family; a new family is a new module and one more entry in [`FAMILIES`].

pub mod cdn_live;
pub mod media;
pub mod media_file;
pub mod mixing;
pub mod moderation;
pub mod room;
pub mod scene;

/// The longest StreamId: "at most 256 characters" (`rtpm-dispatch.yaml`, applied to every
/// stream action).
pub const STREAM_ID_MAX_LEN: usize = 256;

/// Which group of pages, and which code family, an action belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Family {
    /// The media-service relay and RTC actions: codes 300xx/5xxx, Message `"ok"`, the
    /// `zegotest-{AppId}-` StreamId prefix and the Sequence rule.
    MediaService,
    /// The older CDN live-stream set (Forbid/Resume/QueryForbidCDNLiveStream): the older public
    /// code set (0, 1, 2, 3; 4 and 7 from the older table), Message `"success"`.
    CdnLive,
    /// Room signaling (`api-reference/room/`): messages, users, room streams, closing and kicking,
    /// user and stream ban rules. Codes from the room table (2 parameter error, 3 too long, 206/207
    /// throttled, ...), Message `"success"`, no test prefix, no Sequence.
    Room,
    /// Stream mixing and single-stream transcoding (`api-reference/stream-mixing/`): six POST
    /// actions with a JSON body and GetMixTaskInfo. Codes from the mixing table (110200002
    /// parameter error, 110200004 parse failure, 1102001xx specific, 110209001 task missing),
    /// Message `"success"`, no test prefix, no media-service Sequence.
    StreamMixing,
    /// Media files (`api-reference/cdn/`): CDN recording, searching, deleting, merging,
    /// transcoding and thumbnails of recorded files; eight GET actions. Codes from the "Media File
    /// Interfaces" table (2 parameter error, 3 permission not enabled, 4 CDN type mismatch, 5
    /// configuration error, 6 too frequent, 7 authentication failed, 1000 request failed, 41003
    /// file does not exist), Message `"success"`, no test prefix, no Sequence.
    MediaFile,
    /// Audio/video stream moderation (`api-reference/moderation/`): the four POST Start/Stop
    /// censor actions with a JSON body and GenerateIdentifyToken (GET). Codes from the moderation
    /// table (50117 ShuMei permission not enabled) and, by its pointer, the room family's (2
    /// parameter error, 206 throttled), Message `"success"`, no test prefix, no Sequence.
    Moderation,
    /// Scene (`api-reference/scene/`): SetSceneTemplate, documented as discontinued. Codes from its
    /// page (340004003 template already exists, 340006003 parameter error), Message `"succeed"`,
    /// `Data` null.
    Scene,
}

/// The documented HTTP method of an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Every parameter in the query.
    Get,
    /// Common parameters in the query, business parameters as a JSON body.
    Post,
}

impl Method {
    /// The method's name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
        }
    }
}

/// How an action's `Data` looks in its documented success example.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataShape {
    /// `"Data": null`.
    Null,
    /// No `Data` field.
    Absent,
    /// An array.
    Array,
    /// An object.
    Object,
}

/// An action's documented rate limit ("N times/second" per AppId).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests per second in production.
    pub production: u32,
    /// Requests per second in the test environment, when the page gives a separate figure.
    pub test: Option<u32>,
    /// Whether the page gives one figure for the AppID and none per environment ("For all rooms
    /// under the same AppID: 20 times/second"), so production and test requests count together.
    pub shared_across_envs: bool,
    /// The code a throttled request answers.
    pub code: i64,
}

/// A documented limit per room ("Single room: 1 time/10 seconds"), on top of the AppId's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RoomLimit {
    /// Requests allowed per window for one RoomId.
    pub requests: u32,
    /// The window, in seconds.
    pub window_secs: u32,
    /// The code a throttled request answers.
    pub code: i64,
}

/// Where a parameter is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Where {
    /// In the query string (every parameter of a GET action).
    Query,
    /// A field of the JSON body of a POST action. Its name is a path of field names and array
    /// indices separated by dots (`MixOutput.0.Width`: `Width` of the first `MixOutput` item); the
    /// generated cases change that field of the sample body and nothing else.
    Body,
}

/// The form a parameter's value must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A StreamId: 1 to [`STREAM_ID_MAX_LEN`] characters of `[0-9A-Za-z_-]`; with `test_prefix`,
    /// in the test environment it must start with `zegotest-{AppId}-`.
    StreamId {
        /// Whether the page documents the `zegotest-{AppId}-` prefix rule.
        test_prefix: bool,
    },
    /// A `Name[]=a&Name[]=b` list of StreamIds, each as [`Kind::StreamId`].
    StreamIdList {
        /// Whether the page documents the `zegotest-{AppId}-` prefix rule.
        test_prefix: bool,
        /// The fewest entries.
        min: usize,
        /// The most entries.
        max: usize,
    },
    /// An RTMP address, `rtmp://host/path` ("must be in RTMP format"), URL-encoded.
    RtmpUrl,
    /// A UTC time of the form `2018-11-29T19:00:00Z`.
    UtcTime,
    /// One of the listed values.
    Enum(&'static [&'static str]),
    /// Free text of at most `max_bytes` bytes.
    Text {
        /// The most bytes.
        max_bytes: usize,
    },
    /// The request sequence number: strictly increasing per StreamId within 10 s.
    Sequence,
    /// An IPv4 address such as `119.23.242.129` ("IPv6 format IP addresses are not currently
    /// supported").
    Ipv4,
    /// A `Name[]=a&Name[]=b` list of free-text ids (RoomIds, UserIds, room StreamIds, media
    /// FileIds), no character set enforced; each entry of at most `max_bytes` bytes when the page
    /// gives a length.
    IdList {
        /// The fewest entries.
        min: usize,
        /// The most entries, when the page gives a limit (StartCDNRecord's `StreamId[]` has
        /// `minItems: 1` and no `maxItems`).
        max: Option<usize>,
        /// The most bytes of one entry, when the page gives a length.
        max_bytes: Option<usize>,
    },
    /// An integer that must be one of the listed values (`MessageCategory` 1|2, `RuleType`
    /// 1..4, `Mode` 0|1).
    IntEnum(&'static [i64]),
    /// A `Name[]=1&Name[]=2` list of at least one integer, each one of the listed values
    /// (`DisabledPrivilege[]`).
    IntEnumList(&'static [i64]),
    /// An integer in `min..=max` (`Limit` 0..200, `EffectiveTime` 1..86400).
    IntRange {
        /// The smallest value accepted.
        min: i64,
        /// The largest documented value.
        max: i64,
        /// Whether a value above `max` is documented to be adjusted down to `max` rather than
        /// refused (so no case sends one expecting a refusal).
        clamped: bool,
    },
    /// An integer with no documented upper bound, and a lower bound when the page gives one
    /// (SearchMedia's `StartTime`, MergeMedia's `ExpireTime` "minimum: 0", SetSceneTemplate's
    /// `TemplateId`): a non-integer is malformed, a value below `min` out of range.
    Integer {
        /// The smallest value accepted, when documented.
        min: Option<i64>,
    },
    /// `true` or `false`.
    Bool,
    /// A value whose form the page does not state (a paging `Marker`, a ban rule's `IP`, a
    /// watermark object): no generated case; flows check what is known of it.
    Opaque,
    /// A JSON string whose form the page does not state beyond its type (a body's `TaskId`).
    JsonString,
    /// A JSON integer with no documented range (a body's optional `Sequence`).
    JsonInteger,
    /// A JSON object (`TranscodeInput`); its fields are parameters of their own.
    JsonObject,
    /// A JSON array of objects (`MixInput`), with at most `max` items when the page gives a
    /// limit; the items' fields are parameters of their own.
    JsonArray {
        /// The most items, when documented.
        max: Option<usize>,
    },
}

/// A way a parameter can be wrong, which the generated cases try one by one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Failure {
    /// Absent from the request.
    Missing,
    /// Present with an empty value.
    Empty,
    /// Not of the kind's form (a list: one entry not of the form).
    Malformed,
    /// Longer than the kind allows.
    TooLong,
    /// A list with fewer entries than allowed.
    TooFew,
    /// A list with more entries than allowed.
    TooMany,
    /// In the test environment, a StreamId without the `zegotest-{AppId}-` prefix.
    TestPrefix,
    /// An integer below the documented range.
    BelowRange,
    /// An integer above the documented range.
    AboveRange,
    /// A body field of another JSON type than documented (a number for a string, a string for an
    /// integer, an object for an array).
    WrongType,
}

/// The codes a parameter's failures answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Codes {
    /// [`Failure::Missing`] and [`Failure::Empty`].
    pub missing: i64,
    /// [`Failure::Malformed`], [`Failure::TestPrefix`], [`Failure::BelowRange`] and
    /// [`Failure::AboveRange`].
    pub malformed: i64,
    /// [`Failure::TooLong`].
    pub too_long: i64,
    /// [`Failure::TooFew`] and [`Failure::TooMany`].
    pub bounds: i64,
    /// [`Failure::WrongType`] (body fields only).
    pub wrong_type: i64,
}

impl Codes {
    /// Every failure answers `code`.
    pub const fn all(code: i64) -> Codes {
        Codes {
            missing: code,
            malformed: code,
            too_long: code,
            bounds: code,
            wrong_type: code,
        }
    }

    /// The code `failure` answers.
    pub fn of(&self, failure: Failure) -> i64 {
        match failure {
            Failure::Missing | Failure::Empty => self.missing,
            Failure::Malformed
            | Failure::TestPrefix
            | Failure::BelowRange
            | Failure::AboveRange => self.malformed,
            Failure::TooLong => self.too_long,
            Failure::TooFew | Failure::TooMany => self.bounds,
            Failure::WrongType => self.wrong_type,
        }
    }
}

/// One documented business parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Param {
    /// The name on the wire (`StreamId[]` for a list); for a body field, its path
    /// ([`Where::Body`]).
    pub name: &'static str,
    /// Where it is sent.
    pub at: Where,
    /// The form of its value.
    pub kind: Kind,
    /// Whether the page marks it `required: true`.
    pub required: bool,
    /// When the page makes it required only under a condition ("Required when RuleType is 1"),
    /// that condition: no case treats it as optional (flows check the condition).
    pub condition: Option<&'static str>,
    /// The code each failure answers.
    pub codes: Codes,
    /// The failures whose code is the mock's choice (SPEC.md `[choice]`): the docs list the code
    /// but do not say this failure answers it.
    pub choices: &'static [Failure],
}

impl Param {
    /// The failures that apply to this parameter, in the order the cases are generated.
    pub fn failures(&self) -> Vec<Failure> {
        let mut out = Vec::new();
        if self.required {
            out.extend([Failure::Missing, Failure::Empty]);
        }
        match self.kind {
            Kind::StreamId { test_prefix } => {
                out.extend([Failure::Malformed, Failure::TooLong]);
                if test_prefix {
                    out.push(Failure::TestPrefix);
                }
            }
            Kind::StreamIdList {
                test_prefix, min, ..
            } => {
                out.push(Failure::Malformed);
                // With a minimum of one, too few is the same request as a missing list.
                if min > 1 {
                    out.push(Failure::TooFew);
                }
                out.push(Failure::TooMany);
                if test_prefix {
                    out.push(Failure::TestPrefix);
                }
            }
            Kind::RtmpUrl | Kind::UtcTime | Kind::Enum(_) | Kind::Sequence | Kind::Ipv4 => {
                out.push(Failure::Malformed);
            }
            Kind::Text { .. } => out.push(Failure::TooLong),
            Kind::IdList {
                min,
                max,
                max_bytes,
            } => {
                if max_bytes.is_some() {
                    out.push(Failure::TooLong);
                }
                if min > 1 {
                    out.push(Failure::TooFew);
                }
                if max.is_some() {
                    out.push(Failure::TooMany);
                }
            }
            Kind::IntEnum(_) | Kind::IntEnumList(_) | Kind::Bool => out.push(Failure::Malformed),
            Kind::IntRange { clamped, .. } => {
                out.extend([Failure::Malformed, Failure::BelowRange]);
                if !clamped {
                    out.push(Failure::AboveRange);
                }
            }
            Kind::Integer { min } => {
                out.push(Failure::Malformed);
                if min.is_some() {
                    out.push(Failure::BelowRange);
                }
            }
            Kind::Opaque | Kind::JsonString | Kind::JsonInteger | Kind::JsonObject => {}
            Kind::JsonArray { max } => {
                if max.is_some() {
                    out.push(Failure::TooMany);
                }
            }
        }
        if self.at == Where::Body && self.kind != Kind::Opaque {
            // In a body a non-integer is a value of the wrong JSON type, not a malformed text.
            if matches!(self.kind, Kind::IntRange { .. } | Kind::Integer { .. }) {
                out.retain(|f| *f != Failure::Malformed);
            }
            out.push(Failure::WrongType);
        }
        out
    }

    /// Whether the code `failure` answers is the mock's choice.
    pub fn is_choice(&self, failure: Failure) -> bool {
        self.choices.contains(&failure)
    }
}

/// The documented facts of one action, transcribed from its page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActionDoc {
    /// The wire name (`Action=`).
    pub action: &'static str,
    /// Its family.
    pub family: Family,
    /// The documented HTTP method.
    pub method: Method,
    /// The page, relative to `api-reference/`.
    pub page: &'static str,
    /// Its rate limit.
    pub rate_limit: RateLimit,
    /// `Message` on success.
    pub message: &'static str,
    /// `Data` on success.
    pub data: DataShape,
    /// The code for an `IsTest` that is neither true nor false.
    pub is_test_code: i64,
    /// The page's own older code for a signature mismatch.
    pub legacy_auth: Option<i64>,
    /// The page's own older code for a timestamp error.
    pub legacy_timestamp: Option<i64>,
    /// Its business parameters, in documented order.
    pub params: &'static [Param],
    /// Its limit per room, when the page gives one.
    pub room_limit: Option<RoomLimit>,
    /// For a POST action, the code a body that is not a JSON object answers (not JSON, a JSON
    /// array, an empty body); `None` for a GET action.
    pub body_code: Option<i64>,
}

impl ActionDoc {
    /// The parameter named `name`: the one of that name, or the indexed-dot parameter whose
    /// page name it instantiates (`HandleMediaArgs.1.FileId` is `HandleMediaArgs.N.FileId`,
    /// [`indexed_name_matches`]).
    pub fn param(&self, name: &str) -> Option<&'static Param> {
        self.params.iter().find(|p| p.name == name).or_else(|| {
            self.params
                .iter()
                .find(|p| p.at == Where::Query && indexed_name_matches(p.name, name))
        })
    }

    /// Its parameters sent in the JSON body, in documented order.
    pub fn body_params(&self) -> impl Iterator<Item = &'static Param> {
        self.params.iter().filter(|p| p.at == Where::Body)
    }

    /// Whether it takes a `Sequence` (and obeys the Sequence order rule).
    pub fn has_sequence(&self) -> bool {
        self.params.iter().any(|p| p.kind == Kind::Sequence)
    }

    /// Whether it acts on a StreamId or a list of them.
    pub fn has_stream(&self) -> bool {
        self.params
            .iter()
            .any(|p| matches!(p.kind, Kind::StreamId { .. } | Kind::StreamIdList { .. }))
    }

    /// Whether its page documents the `zegotest-{AppId}-` prefix rule.
    pub fn test_prefix(&self) -> bool {
        self.params.iter().any(|p| {
            matches!(
                p.kind,
                Kind::StreamId { test_prefix: true }
                    | Kind::StreamIdList {
                        test_prefix: true,
                        ..
                    }
            )
        })
    }
}

/// Every family's actions.
pub const FAMILIES: &[&[ActionDoc]] = &[
    media::ACTIONS,
    cdn_live::ACTIONS,
    room::ACTIONS,
    mixing::ACTIONS,
    media_file::ACTIONS,
    moderation::ACTIONS,
    scene::ACTIONS,
];

/// Whether the wire name `wire` instantiates the page name `page` of a query parameter serialised
/// `recursive-indexed-dot` (`x-docuo-query-serialization`, indexes from 0): the page writes the
/// indexes as the capitals `N` and `M` (`Media.N.Resolution.M`), the wire as decimal numbers
/// (`Media.0.Resolution.1`). Every other segment must be equal; a page name without an index
/// label matches only itself.
pub fn indexed_name_matches(page: &str, wire: &str) -> bool {
    let (p, w): (Vec<&str>, Vec<&str>) = (page.split('.').collect(), wire.split('.').collect());
    p.len() == w.len()
        && p.len() > 1
        && p.iter().zip(&w).all(|(p, w)| {
            p == w
                || (matches!(*p, "N" | "M")
                    && !w.is_empty()
                    && w.bytes().all(|b| b.is_ascii_digit()))
        })
}

/// Every documented action the kit knows, family by family.
pub fn actions() -> impl Iterator<Item = &'static ActionDoc> {
    FAMILIES.iter().flat_map(|f| f.iter())
}

/// The action with this wire name.
pub fn action(name: &str) -> Option<&'static ActionDoc> {
    actions().find(|d| d.action == name)
}

/// A parameter name as it appears in case ids: `StreamId` -> `stream-id`, `CDNUrl` -> `cdn-url`,
/// `StreamId[]` -> `stream-id`; a body path's field names joined, its indices left out:
/// `MixOutput.0.Width` -> `mix-output-width`.
pub fn slug(name: &str) -> String {
    if name.contains('.') {
        return name
            .split('.')
            .filter(|s| !s.is_empty() && !s.bytes().all(|b| b.is_ascii_digit()))
            .map(slug)
            .collect::<Vec<_>>()
            .join("-");
    }
    let chars: Vec<char> = name.trim_end_matches("[]").chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() {
            let prev_lower = i > 0 && chars[i - 1].is_ascii_lowercase();
            let acronym_end = i > 0
                && chars[i - 1].is_ascii_uppercase()
                && chars.get(i + 1).is_some_and(char::is_ascii_lowercase);
            if prev_lower || acronym_end {
                out.push('-');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn slugs_split_words_and_acronyms() {
        assert_eq!(slug("StreamId"), "stream-id");
        assert_eq!(slug("StreamId[]"), "stream-id");
        assert_eq!(slug("CDNUrl"), "cdn-url");
        assert_eq!(slug("ResumeTime"), "resume-time");
        assert_eq!(slug("Vendor"), "vendor");
        assert_eq!(slug("MixOutput.0.Width"), "mix-output-width");
        assert_eq!(
            slug("TranscodeOutput.0.TemplateId"),
            "transcode-output-template-id"
        );
    }

    #[test]
    fn names_are_unique_and_parameters_are_well_formed() {
        let mut names = HashSet::new();
        for d in actions() {
            assert!(names.insert(d.action), "{} twice", d.action);
            assert!(d.page.ends_with(".yaml"), "{}", d.action);
            let mut params = HashSet::new();
            for p in d.params {
                assert!(params.insert(p.name), "{}: {} twice", d.action, p.name);
                match p.kind {
                    Kind::StreamIdList { min, max, .. }
                    | Kind::IdList {
                        min,
                        max: Some(max),
                        ..
                    } => {
                        assert!(min >= 1 && min <= max, "{}", d.action);
                    }
                    Kind::IdList { min, .. } => assert!(min >= 1, "{}", d.action),
                    Kind::IntRange { min, max, .. } => assert!(min < max, "{}", d.action),
                    _ => {}
                }
                assert!(
                    !(p.required && p.condition.is_some()),
                    "{}: {} is required and conditional",
                    d.action,
                    p.name
                );
                for f in p.choices {
                    assert!(
                        p.failures().contains(f) || (*f == Failure::Empty && !p.required),
                        "{}: {} lists a choice for {f:?}, which is not generated",
                        d.action,
                        p.name
                    );
                }
            }
            // The mock checks Sequence last; the pages list it last.
            if let Some(i) = d.params.iter().position(|p| p.kind == Kind::Sequence) {
                assert_eq!(i, d.params.len() - 1, "{}", d.action);
            }
        }
        assert_eq!(
            action("ForbidRTCStreams").map(|d| d.family),
            Some(Family::MediaService)
        );
        let room: Vec<&ActionDoc> = actions().filter(|d| d.family == Family::Room).collect();
        assert_eq!(room.len(), 17);
        assert!(room.iter().all(|d| !d.test_prefix() && !d.has_sequence()));
        let limited: Vec<&str> = room
            .iter()
            .filter(|d| d.room_limit.is_some())
            .map(|d| d.action)
            .collect();
        assert_eq!(limited, ["DescribeUserList", "DescribeSimpleStreamList"]);
        let mixing: Vec<&ActionDoc> = actions()
            .filter(|d| d.family == Family::StreamMixing)
            .collect();
        assert_eq!(mixing.len(), 7);
        assert!(mixing.iter().all(|d| !d.test_prefix() && !d.has_sequence()));
        assert!(action("GetMixTaskInfo").is_some_and(|d| d.method == Method::Get));
        assert!(action("NoSuchAction").is_none());
        // A POST action, and only one, answers a body that is not a JSON object with its code,
        // and sends every business parameter in that body.
        for d in actions() {
            assert_eq!(
                d.method == Method::Post,
                d.body_code.is_some(),
                "{}",
                d.action
            );
            if d.method == Method::Get {
                assert!(d.body_params().next().is_none(), "{}", d.action);
            }
        }
    }

    #[test]
    fn indexed_names_match_their_instances_only() {
        assert!(indexed_name_matches(
            "HandleMediaArgs.N.FileId",
            "HandleMediaArgs.0.FileId"
        ));
        assert!(indexed_name_matches(
            "Media.N.Resolution.M",
            "Media.12.Resolution.2"
        ));
        for wire in [
            "HandleMediaArgs.x.FileId",
            "HandleMediaArgs..FileId",
            "HandleMediaArgs.0.StartTime",
            "HandleMediaArgs.0.FileId.0",
            "Other.0.FileId",
        ] {
            assert!(
                !indexed_name_matches("HandleMediaArgs.N.FileId", wire),
                "{wire}"
            );
        }
        // A name without an index label matches only itself (and is found by name anyway).
        assert!(!indexed_name_matches("FileId", "FileId"));
        assert!(!indexed_name_matches(
            "MixOutput.0.Width",
            "MixOutput.1.Width"
        ));
        let merge = action("MergeMedia").expect("documented");
        assert_eq!(
            merge.param("HandleMediaArgs.3.EndTime").map(|p| p.name),
            Some("HandleMediaArgs.N.EndTime")
        );
        assert_eq!(merge.param("Vendor").map(|p| p.name), Some("Vendor"));
        assert!(merge.param("HandleMediaArgs.3").is_none());
        let delete = action("DeleteMedia").expect("documented");
        assert_eq!(
            delete.param("Media.0.Resolution.1").map(|p| p.name),
            Some("Media.N.Resolution.M")
        );
    }

    #[test]
    fn open_lists_and_one_sided_integers_generate_only_their_documented_bounds() {
        let list = |max, max_bytes| Param {
            name: "StreamId[]",
            at: Where::Query,
            kind: Kind::IdList {
                min: 1,
                max,
                max_bytes,
            },
            required: true,
            condition: None,
            codes: Codes::all(2),
            choices: &[],
        };
        // StartCDNRecord: minItems 1, no maxItems, the platform's StreamId length.
        assert_eq!(
            list(None, Some(256)).failures(),
            [Failure::Missing, Failure::Empty, Failure::TooLong]
        );
        // SearchMedia's StreamId[]: maxItems 10, no length.
        assert_eq!(
            list(Some(10), None).failures(),
            [Failure::Missing, Failure::Empty, Failure::TooMany]
        );
        assert_eq!(
            list(None, None).failures(),
            [Failure::Missing, Failure::Empty]
        );
        let integer = |min, at| Param {
            name: "ExpireTime",
            at,
            kind: Kind::Integer { min },
            required: false,
            condition: None,
            codes: Codes::all(2),
            choices: &[],
        };
        assert_eq!(integer(None, Where::Query).failures(), [Failure::Malformed]);
        assert_eq!(
            integer(Some(0), Where::Query).failures(),
            [Failure::Malformed, Failure::BelowRange]
        );
        // In a body a non-integer is a value of the wrong JSON type.
        assert_eq!(
            integer(Some(0), Where::Body).failures(),
            [Failure::BelowRange, Failure::WrongType]
        );
    }

    #[test]
    fn the_last_three_families_are_transcribed() {
        let of = |f: Family| actions().filter(move |d| d.family == f);
        let media: Vec<&ActionDoc> = of(Family::MediaFile).collect();
        assert_eq!(media.len(), 8);
        for d in &media {
            assert_eq!(d.method, Method::Get, "{}", d.action);
            assert!(d.page.starts_with("cdn/"), "{}", d.action);
            assert_eq!((d.rate_limit.production, d.rate_limit.code), (20, 6));
            assert_eq!((d.message, d.data), ("success", DataShape::Object));
            assert_eq!(d.legacy_auth, Some(7));
            assert!(matches!(
                d.param("Vendor").map(|p| p.kind),
                Some(Kind::Enum(_))
            ));
            assert!(d.param("Vendor").is_some_and(|p| p.required));
        }
        let moderation: Vec<&ActionDoc> = of(Family::Moderation).collect();
        assert_eq!(moderation.len(), 5);
        for d in &moderation {
            assert_eq!((d.rate_limit.production, d.rate_limit.code), (100, 206));
            assert_eq!(d.method == Method::Post, d.action.contains("Censor"));
            let stop = d.action.starts_with("Stop");
            assert_eq!(d.data == DataShape::Absent, stop, "{}", d.action);
        }
        let scene = action("SetSceneTemplate").expect("documented");
        assert_eq!(
            (scene.message, scene.data, scene.is_test_code),
            ("succeed", DataShape::Null, 340_006_003)
        );
        for name in ["TemplateId", "MaxUserNum", "ViewRadius", "MaxVisibleNum"] {
            let p = scene.param(name).expect("documented");
            assert!(p.required && p.codes == Codes::all(340_006_003), "{name}");
        }
        // The common AppId the page declares again is not a business parameter here.
        assert!(scene.param("AppId").is_none());
        for d in media.iter().chain(&moderation).chain([&scene]) {
            assert!(!d.test_prefix() && !d.has_sequence(), "{}", d.action);
            assert!(d.rate_limit.test.is_none() && !d.rate_limit.shared_across_envs);
        }
    }

    #[test]
    fn failures_follow_kind_and_required_ness() {
        let optional_url = Param {
            name: "CDNUrl",
            at: Where::Query,
            kind: Kind::RtmpUrl,
            required: false,
            condition: None,
            codes: Codes::all(1),
            choices: &[],
        };
        assert_eq!(optional_url.failures(), [Failure::Malformed]);
        let list = Param {
            name: "StreamId[]",
            at: Where::Query,
            kind: Kind::StreamIdList {
                test_prefix: false,
                min: 2,
                max: 3,
            },
            required: true,
            condition: None,
            codes: Codes::all(1),
            choices: &[],
        };
        assert_eq!(
            list.failures(),
            [
                Failure::Missing,
                Failure::Empty,
                Failure::Malformed,
                Failure::TooFew,
                Failure::TooMany
            ]
        );
        let range = |clamped| Param {
            name: "EffectiveTime",
            at: Where::Query,
            kind: Kind::IntRange {
                min: 1,
                max: 86_400,
                clamped,
            },
            required: false,
            condition: None,
            codes: Codes::all(2),
            choices: &[],
        };
        assert_eq!(
            range(false).failures(),
            [Failure::Malformed, Failure::BelowRange, Failure::AboveRange]
        );
        assert_eq!(
            range(true).failures(),
            [Failure::Malformed, Failure::BelowRange]
        );
        let ids = Param {
            name: "UserId[]",
            at: Where::Query,
            kind: Kind::IdList {
                min: 1,
                max: Some(5),
                max_bytes: Some(64),
            },
            required: true,
            condition: None,
            codes: Codes::all(2),
            choices: &[],
        };
        assert_eq!(
            ids.failures(),
            [
                Failure::Missing,
                Failure::Empty,
                Failure::TooLong,
                Failure::TooMany
            ]
        );
        let marker = Param {
            kind: Kind::Opaque,
            ..ids
        };
        assert_eq!(marker.failures(), [Failure::Missing, Failure::Empty]);
        // In a body every typed field can be of the wrong JSON type; a non-integer is that, not a
        // malformed text; an opaque field gets nothing.
        let body = |kind, required| Param {
            at: Where::Body,
            kind,
            required,
            ..ids
        };
        assert_eq!(
            body(Kind::JsonArray { max: Some(9) }, true).failures(),
            [
                Failure::Missing,
                Failure::Empty,
                Failure::TooMany,
                Failure::WrongType
            ]
        );
        assert_eq!(
            body(Kind::JsonArray { max: None }, false).failures(),
            [Failure::WrongType]
        );
        assert_eq!(
            body(
                Kind::IntRange {
                    min: 90,
                    max: 14_400,
                    clamped: false
                },
                false
            )
            .failures(),
            [Failure::BelowRange, Failure::AboveRange, Failure::WrongType]
        );
        assert_eq!(body(Kind::Opaque, false).failures(), []);
        let codes = Codes {
            missing: 1,
            malformed: 2,
            too_long: 3,
            bounds: 4,
            wrong_type: 5,
        };
        assert_eq!(codes.of(Failure::Empty), 1);
        assert_eq!(codes.of(Failure::TestPrefix), 2);
        assert_eq!(codes.of(Failure::TooLong), 3);
        assert_eq!(codes.of(Failure::TooFew), 4);
        assert_eq!(codes.of(Failure::AboveRange), 2);
        assert_eq!(codes.of(Failure::WrongType), 5);
    }
}
