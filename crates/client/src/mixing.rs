//! The stream-mixing and transcoding actions: mixing tasks (StartMix, StopMix, GetMixTaskInfo),
//! automatic audio mixing of a room (StartAutoMix, StopAutoMix) and single-stream transcoding
//! (StartCloudTranscode, StopCloudTranscode).
//!
//! Each action is a request type that serializes to the body its OpenAPI page documents (names
//! as on the wire, through serde) and a `Data` type, here, and one line in the table of
//! operations (`actions.rs`), which gives it its [`Client`](crate::Client) method.
//!
//! Six of them are `POST`s: the signed common parameters travel in the query and the request as
//! a JSON body, nested objects and arrays as they are, unset options left out (never `null`).
//! GetMixTaskInfo is a `GET` with `TaskId` in the query. Integer-valued choices are sent as the
//! documented numbers (each field's documentation lists them) and documented `0`/`1` switches
//! are `bool`s. Their codes are read in the [`StreamMixing`](crate::Family::StreamMixing)
//! family (`1102xxxxx`).
//!
//! `Sequence`: the mixing bodies' optional integer is the task's own ordering number ("parameter
//! modifications for the same task need to ensure the sequence number is incremented"), which
//! the service requires only when ZEGO's support has enabled timing control for the app. It is
//! not the media-service Sequence, so the client never fills it in: the start and stop requests
//! have a `sequence` setter for the caller who needs that control, and the body carries
//! `Sequence` only when it is set. StartMix and StartAutoMix echo it in their `Data`.

use crate::client::lenient_string;
use crate::room::{lenient_i64, zero_or_one};
use crate::wire::data_with_default;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Generates setters for optional fields: `name(value)` sets `Some(value.into())`.
macro_rules! setters {
    ($ty:ty { $( $(#[$doc:meta])* $field:ident: $arg:ty; )* }) => {
        impl $ty {
            $(
                $(#[$doc])*
                #[must_use]
                pub fn $field(mut self, value: $arg) -> Self {
                    self.$field = Some(value.into());
                    self
                }
            )*
        }
    };
}
pub(crate) use setters;

// ---------------------------------------------------------------------------------------------
// Shared pieces

/// An `ExPara` item: an extended parameter, for special configurations (documented keys include
/// `video_encode`, `sei_mode` and `mixowner_userid`); regular tasks need none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ExPara {
    /// `Key`.
    #[serde(rename = "Key")]
    pub key: String,
    /// `Value`, a string (`"1"`, `"[\"456\"]"`).
    #[serde(rename = "Value")]
    pub value: String,
}

impl ExPara {
    /// A key and its value.
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            value: value.into(),
        }
    }
}

fn collect<I, T>(items: I) -> Vec<T>
where
    I: IntoIterator,
    I::Item: Into<T>,
{
    items.into_iter().map(Into::into).collect()
}

// ---------------------------------------------------------------------------------------------
// StartMix

/// `RectInfo` of a mix input: where it is drawn on the output canvas, in pixels from the
/// canvas's top and left borders. Left empty ([`RectInfo::default`]), the input is mixed as
/// audio only.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct RectInfo {
    /// `Layer`: 0 is the bottom layer, larger values are drawn above.
    #[serde(rename = "Layer")]
    pub layer: Option<i32>,
    /// `Top`.
    #[serde(rename = "Top")]
    pub top: Option<i32>,
    /// `Left`.
    #[serde(rename = "Left")]
    pub left: Option<i32>,
    /// `Bottom` (from the canvas's top border).
    #[serde(rename = "Bottom")]
    pub bottom: Option<i32>,
    /// `Right` (from the canvas's left border).
    #[serde(rename = "Right")]
    pub right: Option<i32>,
    /// `CornerRadius`: rounded corners, [0, 100], default 0.
    #[serde(rename = "CornerRadius")]
    pub corner_radius: Option<u32>,
}

impl RectInfo {
    /// A rectangle by its borders: `top` and `bottom` from the canvas's top border, `left` and
    /// `right` from its left border.
    pub fn new(top: i32, left: i32, bottom: i32, right: i32) -> Self {
        Self {
            top: Some(top),
            left: Some(left),
            bottom: Some(bottom),
            right: Some(right),
            ..Self::default()
        }
    }
}

setters!(RectInfo {
    /// Sets `Layer` (0 is the bottom layer).
    layer: i32;
    /// Sets `CornerRadius`, [0, 100].
    corner_radius: u32;
});

/// `BlurInfo` of a mix input: margins of the input's picture to blur, in pixels (top and bottom
/// at most half the `RectInfo` height, left and right at most half its width).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct BlurInfo {
    /// `TopPadding`, default 0.
    #[serde(rename = "TopPadding")]
    pub top_padding: Option<u32>,
    /// `LeftPadding`, default 0.
    #[serde(rename = "LeftPadding")]
    pub left_padding: Option<u32>,
    /// `BottomPadding`, default 0.
    #[serde(rename = "BottomPadding")]
    pub bottom_padding: Option<u32>,
    /// `RightPadding`, default 0.
    #[serde(rename = "RightPadding")]
    pub right_padding: Option<u32>,
}

impl BlurInfo {
    /// Every margin set.
    pub fn new(top: u32, left: u32, bottom: u32, right: u32) -> Self {
        Self {
            top_padding: Some(top),
            left_padding: Some(left),
            bottom_padding: Some(bottom),
            right_padding: Some(right),
        }
    }
}

/// `Image` of a mix input: a placeholder picture drawn in the input's `RectInfo` instead of its
/// video.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct MixImage {
    /// `Url`: a JPG or PNG, `preset-id://…` (configured by ZEGO's support) or an HTTP/HTTPS URL
    /// of at most 1 MB; empty shows the video.
    #[serde(rename = "Url")]
    pub url: String,
    /// `DisplayMode`: 0 always the image (default), 1 the image while the camera is off, 2 the
    /// image after 3 seconds of an empty stream.
    #[serde(rename = "DisplayMode")]
    pub display_mode: Option<u32>,
}

impl MixImage {
    /// An image by its address, with the default display mode.
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            display_mode: None,
        }
    }
}

setters!(MixImage {
    /// Sets `DisplayMode` (0 always, 1 camera off, 2 empty stream).
    display_mode: u32;
});

/// `Label` of a mix input: a text watermark on the input.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct MixLabel {
    /// `Text`: at most 100 Chinese or 300 English characters.
    #[serde(rename = "Text")]
    pub text: String,
    /// `Left`: distance from the input's left border.
    #[serde(rename = "Left")]
    pub left: i32,
    /// `Top`: distance from the input's top border.
    #[serde(rename = "Top")]
    pub top: i32,
    /// `Font`.
    #[serde(rename = "Font")]
    pub font: LabelFont,
}

impl MixLabel {
    /// A text at a position, in a font.
    pub fn new(text: impl Into<String>, left: i32, top: i32, font: LabelFont) -> Self {
        Self {
            text: text.into(),
            left,
            top,
            font,
        }
    }
}

/// `Font` of a [`MixLabel`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct LabelFont {
    /// `FontType`: 0 Source Han Sans Regular (default), 1 Alibaba PuHuiTi, 2 Pangmen Zhengdao
    /// Title, 3 ZCOOL KuaiLe. One font for every input; it cannot change during the task.
    #[serde(rename = "FontType")]
    pub font_type: u32,
    /// `FontSize`: [12, 100], default 24.
    #[serde(rename = "FontSize")]
    pub font_size: Option<u32>,
    /// `FontColor`: `R + G × 256 + B × 65536`, default white.
    #[serde(rename = "FontColor")]
    pub font_color: Option<u32>,
    /// `Transparency`: [0, 100], 0 opaque, 100 (the default) fully transparent.
    #[serde(rename = "Transparency")]
    pub transparency: Option<u32>,
    /// `BorderColor`: the outline's colour, as `FontColor`; no outline when unset.
    #[serde(rename = "BorderColor")]
    pub border_color: Option<u32>,
}

impl LabelFont {
    /// A font by its `FontType`.
    pub fn new(font_type: u32) -> Self {
        Self {
            font_type,
            ..Self::default()
        }
    }
}

setters!(LabelFont {
    /// Sets `FontSize`, [12, 100].
    font_size: u32;
    /// Sets `FontColor` (`R + G × 256 + B × 65536`).
    font_color: u32;
    /// Sets `Transparency`, [0, 100].
    transparency: u32;
    /// Sets `BorderColor` (`R + G × 256 + B × 65536`).
    border_color: u32;
});

/// A `MixInput` item: one input stream of a mixing task, by `StreamId` (a stream of the RTC
/// service) or by `StreamUrl` (RTMP or HTTP-FLV; it wins when both are set).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct MixInput {
    /// `StreamId`.
    #[serde(rename = "StreamId")]
    pub stream_id: Option<String>,
    /// `StreamUrl`.
    #[serde(rename = "StreamUrl")]
    pub stream_url: Option<String>,
    /// `RectInfo`: where the input is drawn; audio only when unset or empty.
    #[serde(rename = "RectInfo")]
    pub rect_info: Option<RectInfo>,
    /// `BlurInfo`.
    #[serde(rename = "BlurInfo")]
    pub blur_info: Option<BlurInfo>,
    /// `Image`: a placeholder picture.
    #[serde(rename = "Image")]
    pub image: Option<MixImage>,
    /// `ContentControl`: 0 audio and video (default), 1 audio only, 2 video only.
    #[serde(rename = "ContentControl")]
    pub content_control: Option<u32>,
    /// `SoundLevelId`: required when the task's `SoundLevel` is on.
    #[serde(rename = "SoundLevelId")]
    pub sound_level_id: Option<u32>,
    /// `Volume`: [0, 200], default 100.
    #[serde(rename = "Volume")]
    pub volume: Option<u32>,
    /// `Label`: a text watermark.
    #[serde(rename = "Label")]
    pub label: Option<MixLabel>,
    /// `RenderMode`: 0 crop (default), 1 fill (`RectInfo` is then ignored).
    #[serde(rename = "RenderMode")]
    pub render_mode: Option<u32>,
    /// `UID`: the input's UserId in the SEI, under 64 bytes (needs enabling by ZEGO's support).
    #[serde(rename = "UID")]
    pub uid: Option<String>,
}

impl MixInput {
    /// An input by its `StreamId`.
    pub fn stream(stream_id: impl Into<String>) -> Self {
        Self {
            stream_id: Some(stream_id.into()),
            ..Self::default()
        }
    }

    /// An input by its `StreamUrl` (RTMP or HTTP-FLV).
    pub fn url(stream_url: impl Into<String>) -> Self {
        Self {
            stream_url: Some(stream_url.into()),
            ..Self::default()
        }
    }
}

setters!(MixInput {
    /// Sets `RectInfo`, where the input is drawn.
    rect_info: RectInfo;
    /// Sets `BlurInfo`.
    blur_info: BlurInfo;
    /// Sets `Image`, a placeholder picture.
    image: MixImage;
    /// Sets `ContentControl` (0 audio and video, 1 audio, 2 video).
    content_control: u32;
    /// Sets `SoundLevelId`.
    sound_level_id: u32;
    /// Sets `Volume`, [0, 200].
    volume: u32;
    /// Sets `Label`, a text watermark.
    label: MixLabel;
    /// Sets `RenderMode` (0 crop, 1 fill).
    render_mode: u32;
    /// Sets `UID`.
    uid: impl Into<String>;
});

/// An `ExtraLayers` item of a [`MixOutput`]: the base layer of H.264 SVC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ExtraLayer {
    /// `VideoBitrate`: the base layer's bitrate in bps, greater than 0 (typically a quarter of
    /// the output's).
    #[serde(rename = "VideoBitrate")]
    pub video_bitrate: u32,
}

impl ExtraLayer {
    /// A layer by its bitrate.
    pub fn new(video_bitrate: u32) -> Self {
        Self { video_bitrate }
    }
}

/// `TargetRoom` of a [`MixOutput`]: a room whose stream list the output joins (the room must
/// exist; the task fails otherwise).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct TargetRoom {
    /// `RoomId`.
    #[serde(rename = "RoomId")]
    pub room_id: String,
    /// `UserId`: the user the output is listed under.
    #[serde(rename = "UserId")]
    pub user_id: String,
}

impl TargetRoom {
    /// A room and the user to list the output under (neither may be empty).
    pub fn new(room_id: impl Into<String>, user_id: impl Into<String>) -> Self {
        Self {
            room_id: room_id.into(),
            user_id: user_id.into(),
        }
    }
}

/// A `MixOutput` item: one output of a mixing task, to the RTC service by `StreamId` or to a
/// CDN by `StreamUrl` (RTMP only; it wins when both are set). Up to 4 per task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct MixOutput {
    /// `StreamId`.
    #[serde(rename = "StreamId")]
    pub stream_id: Option<String>,
    /// `StreamUrl` (`rtmp://…`).
    #[serde(rename = "StreamUrl")]
    pub stream_url: Option<String>,
    /// `VideoBitrate` in bps, greater than 0 (1 recommended for audio-only mixing).
    #[serde(rename = "VideoBitrate")]
    pub video_bitrate: u32,
    /// `VideoEncId`: 0 H.264 (default), 2 VP8, 3 H.265, 4 H.264 SVC (needs `ExtraLayers`).
    #[serde(rename = "VideoEncId")]
    pub video_enc_id: Option<u32>,
    /// `Fps`: at most 20 unless ZEGO's support configures more.
    #[serde(rename = "Fps")]
    pub fps: u32,
    /// `Width`: [0, 3000], even.
    #[serde(rename = "Width")]
    pub width: u32,
    /// `Height`: [0, 3000], even.
    #[serde(rename = "Height")]
    pub height: u32,
    /// `AudioCodec`: 0 HE-AAC (default), 1 AAC-LC, 2 MP3, 3 OPUS.
    #[serde(rename = "AudioCodec")]
    pub audio_codec: Option<u32>,
    /// `AudioBitrate` in bps, default 48000.
    #[serde(rename = "AudioBitrate")]
    pub audio_bitrate: Option<u32>,
    /// `SoundChannel`: 1 mono (default), 2 stereo.
    #[serde(rename = "SoundChannel")]
    pub sound_channel: Option<u32>,
    /// `ExtraLayers`: exactly one when `VideoEncId` is 4.
    #[serde(rename = "ExtraLayers")]
    pub extra_layers: Option<Vec<ExtraLayer>>,
    /// `LowBitrateHD` (0/1): "HD low bitrate", only with H.265 (needs enabling).
    #[serde(rename = "LowBitrateHD", serialize_with = "zero_or_one")]
    pub low_bitrate_hd: Option<bool>,
    /// `TargetRoom`: a room whose stream list the output joins.
    #[serde(rename = "TargetRoom")]
    pub target_room: Option<TargetRoom>,
}

impl MixOutput {
    /// An output to the RTC service, with its picture: width and height in pixels (even, at
    /// most 3000), frame rate, and video bitrate in bps.
    pub fn stream(
        stream_id: impl Into<String>,
        width: u32,
        height: u32,
        fps: u32,
        video_bitrate: u32,
    ) -> Self {
        Self::new(
            Some(stream_id.into()),
            None,
            width,
            height,
            fps,
            video_bitrate,
        )
    }

    /// An output to a CDN (`rtmp://…`), with its picture as for [`MixOutput::stream`].
    pub fn url(
        stream_url: impl Into<String>,
        width: u32,
        height: u32,
        fps: u32,
        video_bitrate: u32,
    ) -> Self {
        Self::new(
            None,
            Some(stream_url.into()),
            width,
            height,
            fps,
            video_bitrate,
        )
    }

    fn new(
        stream_id: Option<String>,
        stream_url: Option<String>,
        width: u32,
        height: u32,
        fps: u32,
        video_bitrate: u32,
    ) -> Self {
        Self {
            stream_id,
            stream_url,
            video_bitrate,
            video_enc_id: None,
            fps,
            width,
            height,
            audio_codec: None,
            audio_bitrate: None,
            sound_channel: None,
            extra_layers: None,
            low_bitrate_hd: None,
            target_room: None,
        }
    }

    /// Sets `ExtraLayers` (one layer, for `VideoEncId` 4).
    #[must_use]
    pub fn extra_layers<I: IntoIterator<Item = ExtraLayer>>(mut self, layers: I) -> Self {
        self.extra_layers = Some(layers.into_iter().collect());
        self
    }
}

setters!(MixOutput {
    /// Sets `VideoEncId` (0 H.264, 2 VP8, 3 H.265, 4 H.264 SVC).
    video_enc_id: u32;
    /// Sets `AudioCodec` (0 HE-AAC, 1 AAC-LC, 2 MP3, 3 OPUS).
    audio_codec: u32;
    /// Sets `AudioBitrate` in bps.
    audio_bitrate: u32;
    /// Sets `SoundChannel` (1 mono, 2 stereo).
    sound_channel: u32;
    /// Sets `LowBitrateHD`.
    low_bitrate_hd: bool;
    /// Sets `TargetRoom`.
    target_room: TargetRoom;
});

/// `RectInfo` of a [`WaterMark`]: its borders on the output canvas, in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct WaterMarkRect {
    /// `Top`.
    #[serde(rename = "Top")]
    pub top: i32,
    /// `Left`.
    #[serde(rename = "Left")]
    pub left: i32,
    /// `Bottom` (from the canvas's top border).
    #[serde(rename = "Bottom")]
    pub bottom: i32,
    /// `Right` (from the canvas's left border).
    #[serde(rename = "Right")]
    pub right: i32,
}

impl WaterMarkRect {
    /// A rectangle by its borders.
    pub fn new(top: i32, left: i32, bottom: i32, right: i32) -> Self {
        Self {
            top,
            left,
            bottom,
            right,
        }
    }
}

/// `WaterMark` of a mixing task: an image drawn over the output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct WaterMark {
    /// `Image`: a JPG or PNG, as for `BackgroundImage`.
    #[serde(rename = "Image")]
    pub image: String,
    /// `RectInfo`: where it is drawn.
    #[serde(rename = "RectInfo")]
    pub rect_info: WaterMarkRect,
}

impl WaterMark {
    /// An image and where to draw it.
    pub fn new(image: impl Into<String>, rect_info: WaterMarkRect) -> Self {
        Self {
            image: image.into(),
            rect_info,
        }
    }
}

/// `StartMix`: start a mixing task, or update it (the same `TaskId` again).
///
/// `TaskId`, `UserId`, `MixInput` (at most 9, by default) and `MixOutput` (at most 4) are
/// required; everything else is left out of the body unless set. Inputs given by `StreamId` must
/// be published. Some fields cannot change once the task runs (`ByPass`, `SoundChannel`,
/// `AlignmentType`, `RecvBufferLevel`, `WaitVideoInput`, an output's codec, frame rate, audio
/// and `TargetRoom`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct StartMixRequest {
    /// `TaskId`: the task's identifier.
    #[serde(rename = "TaskId")]
    pub task_id: String,
    /// `UserId`: who starts the task; the same for every call on a task, different between
    /// tasks.
    #[serde(rename = "UserId")]
    pub user_id: String,
    /// `MixInput`: the input streams.
    #[serde(rename = "MixInput")]
    pub mix_input: Vec<MixInput>,
    /// `MixOutput`: the outputs.
    #[serde(rename = "MixOutput")]
    pub mix_output: Vec<MixOutput>,
    /// `Sequence`: the task's own ordering number, sent only when set (see the module's
    /// documentation).
    #[serde(rename = "Sequence")]
    pub sequence: Option<u32>,
    /// `RoomId`.
    #[serde(rename = "RoomId")]
    pub room_id: Option<String>,
    /// `UserData`: base64, at most 4000 bytes (850 recommended), sent to players as SEI.
    #[serde(rename = "UserData")]
    pub user_data: Option<String>,
    /// `SoundLevel` (0/1): the mix's sound levels, sent to players.
    #[serde(rename = "SoundLevel", serialize_with = "zero_or_one")]
    pub sound_level: Option<bool>,
    /// `BackgroundImage`: a JPG or PNG, `preset-id://…` or an HTTP/HTTPS URL of at most 5 MB.
    #[serde(rename = "BackgroundImage")]
    pub background_image: Option<String>,
    /// `BackGroundColorHex`: `0xRRGGBBAA` (`AA` unused, `00`), such as `0x87CEFA00`.
    #[serde(rename = "BackGroundColorHex")]
    pub background_color_hex: Option<String>,
    /// `WaterMark`.
    #[serde(rename = "WaterMark")]
    pub water_mark: Option<WaterMark>,
    /// `ByPass` (0/1): single-stream pass-through without re-encoding (needs enabling).
    #[serde(rename = "ByPass", serialize_with = "zero_or_one")]
    pub by_pass: Option<bool>,
    /// `SoundChannel`: 1 mono (default), 2 stereo, for outputs that set none.
    #[serde(rename = "SoundChannel")]
    pub sound_channel: Option<u32>,
    /// `CheckImageMode`: 0 strict image checks (default), 1 the path's format only, 2 none.
    #[serde(rename = "CheckImageMode")]
    pub check_image_mode: Option<u32>,
    /// `ExPara`: extended parameters.
    #[serde(rename = "ExPara")]
    pub ex_para: Option<Vec<ExPara>>,
    /// `AlignmentType`: 0 none (default), 1 specified streams, 2 all streams (NTP alignment,
    /// for KTV).
    #[serde(rename = "AlignmentType")]
    pub alignment_type: Option<u32>,
    /// `RecvBufferLevel`: the minimum pull buffer in ms, [0, 4000], default 0.
    #[serde(rename = "RecvBufferLevel")]
    pub recv_buffer_level: Option<u32>,
    /// `WaitVideoInput` (0/1): publish only once video arrives; the task ends if none comes
    /// within 10 seconds.
    #[serde(rename = "WaitVideoInput", serialize_with = "zero_or_one")]
    pub wait_video_input: Option<bool>,
    /// `MaxIdleTime`: seconds without input data before the task stops, [90, 14400], default 90.
    #[serde(rename = "MaxIdleTime")]
    pub max_idle_time: Option<u32>,
}

impl StartMixRequest {
    /// A task with its inputs and outputs, every option unset.
    pub fn new<I, O>(
        task_id: impl Into<String>,
        user_id: impl Into<String>,
        mix_input: I,
        mix_output: O,
    ) -> Self
    where
        I: IntoIterator<Item = MixInput>,
        O: IntoIterator<Item = MixOutput>,
    {
        Self {
            task_id: task_id.into(),
            user_id: user_id.into(),
            mix_input: mix_input.into_iter().collect(),
            mix_output: mix_output.into_iter().collect(),
            sequence: None,
            room_id: None,
            user_data: None,
            sound_level: None,
            background_image: None,
            background_color_hex: None,
            water_mark: None,
            by_pass: None,
            sound_channel: None,
            check_image_mode: None,
            ex_para: None,
            alignment_type: None,
            recv_buffer_level: None,
            wait_video_input: None,
            max_idle_time: None,
        }
    }

    /// Sets `ExPara`, the extended parameters.
    #[must_use]
    pub fn ex_para<I: IntoIterator<Item = ExPara>>(mut self, params: I) -> Self {
        self.ex_para = Some(collect(params));
        self
    }
}

setters!(StartMixRequest {
    /// Sets `Sequence`, the task's ordering number (needed only with timing control; increase
    /// it on every call for the task). The client never sets one itself.
    sequence: u32;
    /// Sets `RoomId`.
    room_id: impl Into<String>;
    /// Sets `UserData` (already base64-encoded).
    user_data: impl Into<String>;
    /// Sets `SoundLevel`.
    sound_level: bool;
    /// Sets `BackgroundImage`.
    background_image: impl Into<String>;
    /// Sets `BackGroundColorHex` (`0xRRGGBB00`).
    background_color_hex: impl Into<String>;
    /// Sets `WaterMark`.
    water_mark: WaterMark;
    /// Sets `ByPass`.
    by_pass: bool;
    /// Sets `SoundChannel` (1 mono, 2 stereo).
    sound_channel: u32;
    /// Sets `CheckImageMode` (0 strict, 1 format only, 2 none).
    check_image_mode: u32;
    /// Sets `AlignmentType` (0 none, 1 specified streams, 2 all).
    alignment_type: u32;
    /// Sets `RecvBufferLevel` in ms.
    recv_buffer_level: u32;
    /// Sets `WaitVideoInput`.
    wait_video_input: bool;
    /// Sets `MaxIdleTime` in seconds.
    max_idle_time: u32;
});

// ---------------------------------------------------------------------------------------------
// StopMix, GetMixTaskInfo

/// `StopMix`: stop a mixing task. Starting another task does not stop this one; a task whose
/// inputs are all gone ends by itself after 90 seconds (`MaxIdleTime`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct StopMixRequest {
    /// `TaskId`: as given to StartMix.
    #[serde(rename = "TaskId")]
    pub task_id: String,
    /// `Sequence`: the task's ordering number, sent only when set.
    #[serde(rename = "Sequence")]
    pub sequence: Option<u32>,
    /// `UserId`: the task's starter, required when task ownership is enabled.
    #[serde(rename = "UserId")]
    pub user_id: Option<String>,
}

impl StopMixRequest {
    /// A request for a task.
    pub fn new(task_id: impl Into<String>) -> Self {
        Self {
            task_id: task_id.into(),
            sequence: None,
            user_id: None,
        }
    }
}

setters!(StopMixRequest {
    /// Sets `Sequence`, the task's ordering number (see [`StartMixRequest::sequence`]).
    sequence: u32;
    /// Sets `UserId`, the task's starter.
    user_id: impl Into<String>;
});

/// `GetMixTaskInfo`: how long a running mixing task has been mixing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct GetMixTaskInfoRequest {
    /// `TaskId`.
    #[serde(rename = "TaskId")]
    pub task_id: String,
}

impl GetMixTaskInfoRequest {
    /// A request for a task.
    pub fn new(task_id: impl Into<String>) -> Self {
        Self {
            task_id: task_id.into(),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// StartAutoMix, StopAutoMix

/// `ModifyType` of an [`AutoMixInput`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ModifyType {
    /// `0` (the default): add the stream to the task's inputs.
    #[default]
    Add,
    /// `1`: remove the stream (by `StreamId`) from the task's inputs.
    Remove,
}

impl ModifyType {
    /// The number sent on the wire.
    pub fn as_u32(self) -> u32 {
        match self {
            ModifyType::Add => 0,
            ModifyType::Remove => 1,
        }
    }
}

impl Serialize for ModifyType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u32(self.as_u32())
    }
}

/// An `ExtraMixInput` item: a stream added to an automatic mix (from another room, for a
/// cross-room PK) or a stream of the room removed from it. A room's inputs and the extra ones
/// are at most 9 together.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct AutoMixInput {
    /// `StreamId` (digits, letters, `-` and `_`); what a removal names.
    #[serde(rename = "StreamId")]
    pub stream_id: Option<String>,
    /// `StreamUrl` (RTMP or HTTP-FLV); wins over `StreamId` for an addition.
    #[serde(rename = "StreamUrl")]
    pub stream_url: Option<String>,
    /// `ModifyType`: add (default) or remove.
    #[serde(rename = "ModifyType")]
    pub modify_type: Option<ModifyType>,
    /// `SoundLevelId`: required when the task's `SoundLevel` is on.
    #[serde(rename = "SoundLevelId")]
    pub sound_level_id: Option<u32>,
    /// `Volume`: [0, 200], default 100.
    #[serde(rename = "Volume")]
    pub volume: Option<u32>,
}

impl AutoMixInput {
    /// Adds a stream by its `StreamId` (`ModifyType` left to its default, add).
    pub fn add_stream(stream_id: impl Into<String>) -> Self {
        Self {
            stream_id: Some(stream_id.into()),
            ..Self::default()
        }
    }

    /// Adds a stream by its `StreamUrl`.
    pub fn add_url(stream_url: impl Into<String>) -> Self {
        Self {
            stream_url: Some(stream_url.into()),
            ..Self::default()
        }
    }

    /// Removes a stream of the room (`ModifyType` 1, by `StreamId`).
    pub fn remove(stream_id: impl Into<String>) -> Self {
        Self {
            stream_id: Some(stream_id.into()),
            modify_type: Some(ModifyType::Remove),
            ..Self::default()
        }
    }
}

setters!(AutoMixInput {
    /// Sets `ModifyType` explicitly.
    modify_type: ModifyType;
    /// Sets `SoundLevelId`.
    sound_level_id: u32;
    /// Sets `Volume`, [0, 200].
    volume: u32;
});

/// A `MixOutput` item of StartAutoMix: an audio output, to the RTC service by `StreamId` or to a
/// CDN by `StreamUrl` (RTMP only). Up to 3 per task.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct AutoMixOutput {
    /// `StreamId`.
    #[serde(rename = "StreamId")]
    pub stream_id: Option<String>,
    /// `StreamUrl` (`rtmp://…`).
    #[serde(rename = "StreamUrl")]
    pub stream_url: Option<String>,
    /// `AudioCodec`: 0 HE-AAC (default), 1 AAC-LC, 2 MP3, 3 OPUS.
    #[serde(rename = "AudioCodec")]
    pub audio_codec: Option<u32>,
    /// `AudioBitrate` in bps, default 48000.
    #[serde(rename = "AudioBitrate")]
    pub audio_bitrate: Option<u32>,
    /// `SoundChannel`: 1 mono (default), 2 stereo.
    #[serde(rename = "SoundChannel")]
    pub sound_channel: Option<u32>,
}

impl AutoMixOutput {
    /// An output to the RTC service.
    pub fn stream(stream_id: impl Into<String>) -> Self {
        Self {
            stream_id: Some(stream_id.into()),
            ..Self::default()
        }
    }

    /// An output to a CDN (`rtmp://…`).
    pub fn url(stream_url: impl Into<String>) -> Self {
        Self {
            stream_url: Some(stream_url.into()),
            ..Self::default()
        }
    }
}

setters!(AutoMixOutput {
    /// Sets `AudioCodec` (0 HE-AAC, 1 AAC-LC, 2 MP3, 3 OPUS).
    audio_codec: u32;
    /// Sets `AudioBitrate` in bps.
    audio_bitrate: u32;
    /// Sets `SoundChannel` (1 mono, 2 stereo).
    sound_channel: u32;
});

/// `StartAutoMix`: mix every audio stream of a room automatically, following the room's streams
/// as they come and go. Only `UserData` and `SoundLevel` can change once the task runs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct StartAutoMixRequest {
    /// `TaskId`.
    #[serde(rename = "TaskId")]
    pub task_id: String,
    /// `UserId`: who starts the task.
    #[serde(rename = "UserId")]
    pub user_id: String,
    /// `RoomId`: the room to mix (it must exist).
    #[serde(rename = "RoomId")]
    pub room_id: String,
    /// `ExtraMixInput`: streams added to or removed from the room's.
    #[serde(rename = "ExtraMixInput")]
    pub extra_mix_input: Option<Vec<AutoMixInput>>,
    /// `MixOutput`: the outputs.
    #[serde(rename = "MixOutput")]
    pub mix_output: Vec<AutoMixOutput>,
    /// `Sequence`: the task's ordering number, sent only when set.
    #[serde(rename = "Sequence")]
    pub sequence: Option<u32>,
    /// `UserData`: base64, at most 4000 bytes.
    #[serde(rename = "UserData")]
    pub user_data: Option<String>,
    /// `SoundLevel` (0/1).
    #[serde(rename = "SoundLevel", serialize_with = "zero_or_one")]
    pub sound_level: Option<bool>,
    /// `ByPass` (0/1).
    #[serde(rename = "ByPass", serialize_with = "zero_or_one")]
    pub by_pass: Option<bool>,
    /// `SoundChannel`: 1 mono (default), 2 stereo.
    #[serde(rename = "SoundChannel")]
    pub sound_channel: Option<u32>,
    /// `AlignmentType`: 0 none (default), 1 specified streams, 2 all.
    #[serde(rename = "AlignmentType")]
    pub alignment_type: Option<u32>,
    /// `RecvBufferLevel` in ms, [0, 4000].
    #[serde(rename = "RecvBufferLevel")]
    pub recv_buffer_level: Option<u32>,
    /// `ExPara`: extended parameters.
    #[serde(rename = "ExPara")]
    pub ex_para: Option<Vec<ExPara>>,
}

impl StartAutoMixRequest {
    /// A task for a room with its outputs, every option unset.
    pub fn new<O>(
        task_id: impl Into<String>,
        user_id: impl Into<String>,
        room_id: impl Into<String>,
        mix_output: O,
    ) -> Self
    where
        O: IntoIterator<Item = AutoMixOutput>,
    {
        Self {
            task_id: task_id.into(),
            user_id: user_id.into(),
            room_id: room_id.into(),
            extra_mix_input: None,
            mix_output: mix_output.into_iter().collect(),
            sequence: None,
            user_data: None,
            sound_level: None,
            by_pass: None,
            sound_channel: None,
            alignment_type: None,
            recv_buffer_level: None,
            ex_para: None,
        }
    }

    /// Sets `ExtraMixInput`.
    #[must_use]
    pub fn extra_mix_input<I: IntoIterator<Item = AutoMixInput>>(mut self, inputs: I) -> Self {
        self.extra_mix_input = Some(collect(inputs));
        self
    }

    /// Sets `ExPara`, the extended parameters.
    #[must_use]
    pub fn ex_para<I: IntoIterator<Item = ExPara>>(mut self, params: I) -> Self {
        self.ex_para = Some(collect(params));
        self
    }
}

setters!(StartAutoMixRequest {
    /// Sets `Sequence`, the task's ordering number (see [`StartMixRequest::sequence`]).
    sequence: u32;
    /// Sets `UserData` (already base64-encoded).
    user_data: impl Into<String>;
    /// Sets `SoundLevel`.
    sound_level: bool;
    /// Sets `ByPass`.
    by_pass: bool;
    /// Sets `SoundChannel` (1 mono, 2 stereo).
    sound_channel: u32;
    /// Sets `AlignmentType` (0 none, 1 specified streams, 2 all).
    alignment_type: u32;
    /// Sets `RecvBufferLevel` in ms.
    recv_buffer_level: u32;
});

/// `StopAutoMix`: stop an automatic audio mix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct StopAutoMixRequest {
    /// `TaskId`: as given to StartAutoMix.
    #[serde(rename = "TaskId")]
    pub task_id: String,
    /// `RoomId`: the mixed room.
    #[serde(rename = "RoomId")]
    pub room_id: String,
    /// `Sequence`: the task's ordering number, sent only when set.
    #[serde(rename = "Sequence")]
    pub sequence: Option<u32>,
    /// `UserId`: the task's starter, required when task ownership is enabled.
    #[serde(rename = "UserId")]
    pub user_id: Option<String>,
}

impl StopAutoMixRequest {
    /// A request for a task of a room.
    pub fn new(task_id: impl Into<String>, room_id: impl Into<String>) -> Self {
        Self {
            task_id: task_id.into(),
            room_id: room_id.into(),
            sequence: None,
            user_id: None,
        }
    }
}

setters!(StopAutoMixRequest {
    /// Sets `Sequence`, the task's ordering number (see [`StartMixRequest::sequence`]).
    sequence: u32;
    /// Sets `UserId`, the task's starter.
    user_id: impl Into<String>;
});

// ---------------------------------------------------------------------------------------------
// StartCloudTranscode, StopCloudTranscode

/// `TranscodeInput`: the one stream a transcoding task reads, by `StreamId` (digits, letters,
/// `-` and `_`) or `StreamUrl` (RTMP; it wins when both are set).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct TranscodeInput {
    /// `StreamId`.
    #[serde(rename = "StreamId")]
    pub stream_id: Option<String>,
    /// `StreamUrl`.
    #[serde(rename = "StreamUrl")]
    pub stream_url: Option<String>,
}

impl TranscodeInput {
    /// An input by its `StreamId`.
    pub fn stream(stream_id: impl Into<String>) -> Self {
        Self {
            stream_id: Some(stream_id.into()),
            stream_url: None,
        }
    }

    /// An input by its `StreamUrl` (RTMP).
    pub fn url(stream_url: impl Into<String>) -> Self {
        Self {
            stream_id: None,
            stream_url: Some(stream_url.into()),
        }
    }
}

/// `TemplateConfig`: a custom transcoding template (for `TemplateId` 4). Every field is
/// optional; 0 generally means "as the input".
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct TemplateConfig {
    /// `VideoEncId`: 0 as the input (default), 1 H.264, 2 H.265.
    #[serde(rename = "VideoEncId")]
    pub video_enc_id: Option<u32>,
    /// `Fps`: 0 as the input (default); at most 20 by default, the same for every output.
    #[serde(rename = "Fps")]
    pub fps: Option<u32>,
    /// `GOP`: the keyframe interval in seconds, greater than 0, default 2.
    #[serde(rename = "GOP")]
    pub gop: Option<u32>,
    /// `ShortEdgeAdaption` (0/1): take `Width` as the short edge and follow the input's
    /// orientation.
    #[serde(rename = "ShortEdgeAdaption", serialize_with = "zero_or_one")]
    pub short_edge_adaption: Option<bool>,
    /// `Height`: [0, 3000], even; 0 with `Width` 0 keeps the input's resolution.
    #[serde(rename = "Height")]
    pub height: Option<u32>,
    /// `Width`: [0, 3000], even.
    #[serde(rename = "Width")]
    pub width: Option<u32>,
    /// `VideoBitrate` in bps; 0 as the input (default).
    #[serde(rename = "VideoBitrate")]
    pub video_bitrate: Option<u32>,
    /// `LowBitrateHD` (0/1): "HD low bitrate", only with H.265 (needs enabling).
    #[serde(rename = "LowBitrateHD", serialize_with = "zero_or_one")]
    pub low_bitrate_hd: Option<bool>,
}

setters!(TemplateConfig {
    /// Sets `VideoEncId` (0 as the input, 1 H.264, 2 H.265).
    video_enc_id: u32;
    /// Sets `Fps`.
    fps: u32;
    /// Sets `GOP` in seconds.
    gop: u32;
    /// Sets `ShortEdgeAdaption`.
    short_edge_adaption: bool;
    /// Sets `Height`.
    height: u32;
    /// Sets `Width`.
    width: u32;
    /// Sets `VideoBitrate` in bps.
    video_bitrate: u32;
    /// Sets `LowBitrateHD`.
    low_bitrate_hd: bool;
});

/// A `TranscodeOutput` item: one output of a transcoding task, to the RTC service by
/// `StreamId` or to a CDN by `StreamUrl` (RTMP; it wins when both are set), in a template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct TranscodeOutput {
    /// `StreamId`.
    #[serde(rename = "StreamId")]
    pub stream_id: Option<String>,
    /// `StreamUrl` (`rtmp://…`).
    #[serde(rename = "StreamUrl")]
    pub stream_url: Option<String>,
    /// `TemplateId`: 0 360p (600 kbps), 1 540p (1000 kbps), 2 720p (1500 kbps), 3 1080p
    /// (2000 kbps), 4 custom (`TemplateConfig`).
    #[serde(rename = "TemplateId")]
    pub template_id: u32,
    /// `TemplateConfig`: the custom template, for `TemplateId` 4.
    #[serde(rename = "TemplateConfig")]
    pub template_config: Option<TemplateConfig>,
}

impl TranscodeOutput {
    /// The `TemplateId` of a custom template.
    pub const CUSTOM_TEMPLATE: u32 = 4;

    /// An output to the RTC service in a template.
    pub fn stream(stream_id: impl Into<String>, template_id: u32) -> Self {
        Self {
            stream_id: Some(stream_id.into()),
            stream_url: None,
            template_id,
            template_config: None,
        }
    }

    /// An output to a CDN (`rtmp://…`) in a template.
    pub fn url(stream_url: impl Into<String>, template_id: u32) -> Self {
        Self {
            stream_id: None,
            stream_url: Some(stream_url.into()),
            template_id,
            template_config: None,
        }
    }
}

setters!(TranscodeOutput {
    /// Sets `TemplateConfig` (with `TemplateId` 4, [`TranscodeOutput::CUSTOM_TEMPLATE`]).
    template_config: TemplateConfig;
});

/// `StartCloudTranscode`: transcode one stream into outputs of other resolutions, bitrates or
/// frame rates; the same `TaskId` again updates the task (`Height`, `Width` and `VideoBitrate`
/// change live).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct StartCloudTranscodeRequest {
    /// `TaskId`.
    #[serde(rename = "TaskId")]
    pub task_id: String,
    /// `UserId`: who starts the task.
    #[serde(rename = "UserId")]
    pub user_id: String,
    /// `Sequence`: the task's ordering number, sent only when set.
    #[serde(rename = "Sequence")]
    pub sequence: Option<u32>,
    /// `TranscodeInput`: the stream to transcode.
    #[serde(rename = "TranscodeInput")]
    pub transcode_input: TranscodeInput,
    /// `TranscodeOutput`: the outputs.
    #[serde(rename = "TranscodeOutput")]
    pub transcode_output: Vec<TranscodeOutput>,
}

impl StartCloudTranscodeRequest {
    /// A task with its input and outputs.
    pub fn new<O>(
        task_id: impl Into<String>,
        user_id: impl Into<String>,
        transcode_input: TranscodeInput,
        transcode_output: O,
    ) -> Self
    where
        O: IntoIterator<Item = TranscodeOutput>,
    {
        Self {
            task_id: task_id.into(),
            user_id: user_id.into(),
            sequence: None,
            transcode_input,
            transcode_output: transcode_output.into_iter().collect(),
        }
    }
}

setters!(StartCloudTranscodeRequest {
    /// Sets `Sequence`, the task's ordering number (see [`StartMixRequest::sequence`]).
    sequence: u32;
});

/// `StopCloudTranscode`: stop a transcoding task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct StopCloudTranscodeRequest {
    /// `TaskId`.
    #[serde(rename = "TaskId")]
    pub task_id: String,
    /// `UserId`: the task's starter.
    #[serde(rename = "UserId")]
    pub user_id: String,
    /// `Sequence`: the task's ordering number, sent only when set.
    #[serde(rename = "Sequence")]
    pub sequence: Option<u32>,
}

impl StopCloudTranscodeRequest {
    /// A request for a task and its starter.
    pub fn new(task_id: impl Into<String>, user_id: impl Into<String>) -> Self {
        Self {
            task_id: task_id.into(),
            user_id: user_id.into(),
            sequence: None,
        }
    }
}

setters!(StopCloudTranscodeRequest {
    /// Sets `Sequence`, the task's ordering number (see [`StartMixRequest::sequence`]).
    sequence: u32;
});

// ---------------------------------------------------------------------------------------------
// Data

/// Reads `null` as the default value (an empty list, an empty object).
pub(crate) fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// `Data` of StartMix and StartAutoMix.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct MixStartInfo {
    /// `UserId`: the task's starter.
    #[serde(rename = "UserId", default, deserialize_with = "lenient_string")]
    pub user_id: String,
    /// `Sequence`: as the request gave it.
    #[serde(rename = "Sequence", default, deserialize_with = "lenient_i64")]
    pub sequence: i64,
    /// `RoomId`.
    #[serde(rename = "RoomId", default, deserialize_with = "lenient_string")]
    pub room_id: String,
    /// `PlayInfo`: how to play each output.
    #[serde(rename = "PlayInfo", default, deserialize_with = "null_as_default")]
    pub play_info: Vec<MixPlayInfo>,
}

/// A `PlayInfo` item: an output of a mixing task and its CDN playing addresses (filled when the
/// output goes to a CDN and a pull domain is configured for the protocol).
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct MixPlayInfo {
    /// `StreamId`: the output's StreamId.
    #[serde(rename = "StreamId", default, deserialize_with = "lenient_string")]
    pub stream_id: String,
    /// `RTMP`: the RTMP playing address.
    #[serde(rename = "RTMP", default, deserialize_with = "lenient_string")]
    pub rtmp: String,
    /// `HLS`: the HLS playing address.
    #[serde(rename = "HLS", default, deserialize_with = "lenient_string")]
    pub hls: String,
    /// `FLV`: the HTTP-FLV playing address.
    #[serde(rename = "FLV", default, deserialize_with = "lenient_string")]
    pub flv: String,
    /// `Status`: the stream's status.
    #[serde(rename = "Status", default, deserialize_with = "lenient_i64")]
    pub status: i64,
    /// `UserName`.
    #[serde(rename = "UserName", default, deserialize_with = "lenient_string")]
    pub user_name: String,
}

/// `Data` of GetMixTaskInfo.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct MixTaskInfo {
    /// `TaskInfo`.
    #[serde(rename = "TaskInfo", default, deserialize_with = "null_as_default")]
    pub task_info: MixTaskSummary,
}

/// `TaskInfo` of GetMixTaskInfo.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[non_exhaustive]
pub struct MixTaskSummary {
    /// `TaskId`.
    #[serde(rename = "TaskId", default, deserialize_with = "lenient_string")]
    pub task_id: String,
    /// `MixDuration`: how long the task has been mixing, in seconds.
    #[serde(rename = "MixDuration", default, deserialize_with = "lenient_i64")]
    pub mix_duration: i64,
}

data_with_default!(MixStartInfo, MixTaskInfo);
