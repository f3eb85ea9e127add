//! A show's own music (intro bed, outro bed, sting): decoded with Symphonia from WAV, MP3, FLAC or
//! Ogg Vorbis, checked once at upload ([`probe_music`]) and decoded again for mastering
//! ([`decode_music`]), as mono `f32` at the master rate.

use std::io::Cursor;

use symphonia::core::audio::SampleBuffer;
use symphonia::core::codecs::{DecoderOptions, CODEC_TYPE_NULL};
use symphonia::core::errors::Error as SymphoniaError;
use symphonia::core::formats::FormatOptions;
use symphonia::core::io::MediaSourceStream;
use symphonia::core::meta::MetadataOptions;
use symphonia::core::probe::Hint;

use crate::resample::{convert_channels, RateConverter};
use crate::wav::frames_to_ms;
use crate::AudioError;

/// Longest music file accepted: a bed longer than this is a mistake (an album, not a bed).
pub const MAX_MUSIC_MS: u64 = 15 * 60 * 1000;
/// Shorter than this is a click, not a sting.
pub const MIN_MUSIC_MS: u64 = 250;
/// A file that decodes this much shorter than its header says was cut (a failed upload or copy): up to
/// 50 ms or 1 % is an encoder's own padding arithmetic.
const CUT_SHORT_MS: u64 = 50;

/// What a music file turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MusicInfo {
    pub duration_ms: u64,
    pub sample_rate: u32,
    pub channels: u16,
    /// `wav`, `mp3`, `flac` or `ogg`: the blob store's extension for it.
    pub ext: &'static str,
}

/// A decoded music file: interleaved samples at their own rate.
struct Decoded {
    samples: Vec<f32>,
    sample_rate: u32,
    channels: u16,
    ext: &'static str,
}

/// Decodes the whole file (every packet), so a file that starts well and breaks later is refused at
/// upload rather than at mastering. Errors are `music_unreadable` and say what was wrong.
pub fn probe_music(bytes: &[u8]) -> Result<MusicInfo, AudioError> {
    let decoded = decode_all(bytes)?;
    let frames = decoded.samples.len() / usize::from(decoded.channels.max(1));
    let duration_ms = frames_to_ms(frames as u64, decoded.sample_rate);
    if duration_ms < MIN_MUSIC_MS {
        return Err(AudioError::unreadable(format!(
            "it is only {duration_ms} ms long; music must last at least {MIN_MUSIC_MS} ms"
        )));
    }
    if duration_ms > MAX_MUSIC_MS {
        return Err(AudioError::unreadable(format!(
            "it is {} minutes long; music must be at most {} minutes",
            duration_ms / 60_000,
            MAX_MUSIC_MS / 60_000
        )));
    }
    if decoded.samples.iter().all(|s| s.abs() < 1e-4) {
        return Err(AudioError::unreadable("it is silent throughout"));
    }
    Ok(MusicInfo {
        duration_ms,
        sample_rate: decoded.sample_rate,
        channels: decoded.channels,
        ext: decoded.ext,
    })
}

/// The file as one mono channel at `rate` Hz (channels averaged, resampled with rubato).
pub fn decode_music(bytes: &[u8], rate: u32) -> Result<Vec<f32>, AudioError> {
    let decoded = decode_all(bytes)?;
    let mono = convert_channels(&decoded.samples, decoded.channels, 1);
    RateConverter::new(rate).convert(&mono, 1, decoded.sample_rate)
}

fn decode_all(bytes: &[u8]) -> Result<Decoded, AudioError> {
    let failed = |e: SymphoniaError| AudioError::unreadable(format!("it cannot be decoded ({e})"));
    let source = MediaSourceStream::new(Box::new(Cursor::new(bytes.to_vec())), Default::default());
    let probed = symphonia::default::get_probe()
        .format(
            &Hint::new(),
            source,
            &FormatOptions {
                enable_gapless: true,
                ..Default::default()
            },
            &MetadataOptions::default(),
        )
        .map_err(|_| AudioError::unreadable("it is not WAV, MP3, FLAC or Ogg Vorbis audio"))?;
    let mut format = probed.format;
    let track = format
        .tracks()
        .iter()
        .find(|t| t.codec_params.codec != CODEC_TYPE_NULL)
        .ok_or_else(|| AudioError::unreadable("it has no audio track"))?;
    let params = track.codec_params.clone();
    let track_id = track.id;
    let ext = ext_of(params.codec);
    let mut decoder = symphonia::default::get_codecs()
        .make(&params, &DecoderOptions::default())
        .map_err(failed)?;
    let mut samples = Vec::new();
    let mut spec = None;
    let mut buffer: Option<SampleBuffer<f32>> = None;
    loop {
        let packet = match format.next_packet() {
            Ok(packet) => packet,
            Err(SymphoniaError::IoError(e)) if e.kind() == std::io::ErrorKind::UnexpectedEof => break,
            Err(SymphoniaError::ResetRequired) => break,
            Err(e) => return Err(failed(e)),
        };
        if packet.track_id() != track_id {
            continue;
        }
        let decoded = decoder.decode(&packet).map_err(failed)?;
        if decoded.frames() == 0 {
            continue;
        }
        spec.get_or_insert(*decoded.spec());
        let buffer = match &mut buffer {
            Some(b) if b.capacity() >= decoded.capacity() * decoded.spec().channels.count() => b,
            slot => slot.insert(SampleBuffer::new(decoded.capacity() as u64, *decoded.spec())),
        };
        buffer.copy_interleaved_ref(decoded);
        samples.extend_from_slice(buffer.samples());
    }
    let spec = spec.ok_or_else(|| AudioError::unreadable("it holds no audio"))?;
    // Symphonia ends a stream at the first missing byte, so a file cut in half decodes as its first
    // half. WAV, FLAC and an MP3 with an Info header (LAME's, ffmpeg's) say their length up front, and
    // a shortfall is refused. An MP3 without one, or an Ogg file, is a run of frames or pages whose
    // every prefix is itself a valid file: such a prefix is accepted, as any player would play it.
    let frames = (samples.len() / spec.channels.count().max(1)) as u64;
    if let Some(expected) = params.n_frames {
        let slack = (expected / 100).max(u64::from(spec.rate) * CUT_SHORT_MS / 1000);
        if frames + slack < expected {
            return Err(AudioError::unreadable(format!(
                "it is cut short: {} ms of the {} ms its header announces decode",
                frames_to_ms(frames, spec.rate),
                frames_to_ms(expected, spec.rate)
            )));
        }
    }
    Ok(Decoded {
        samples,
        sample_rate: spec.rate,
        channels: spec.channels.count() as u16,
        ext,
    })
}

fn ext_of(codec: symphonia::core::codecs::CodecType) -> &'static str {
    use symphonia::core::codecs::{CODEC_TYPE_FLAC, CODEC_TYPE_MP3, CODEC_TYPE_VORBIS};
    match codec {
        CODEC_TYPE_MP3 => "mp3",
        CODEC_TYPE_FLAC => "flac",
        CODEC_TYPE_VORBIS => "ogg",
        _ => "wav",
    }
}

/// The show's music for one master. `sting_before` lists the take indices that open a plan segment
/// (the first segment excluded): a sting plays in the clear before each.
#[derive(Debug, Clone, Copy)]
pub struct MusicBeds<'a> {
    pub intro: Option<&'a [u8]>,
    pub outro: Option<&'a [u8]>,
    pub sting: Option<&'a [u8]>,
    pub sting_before: &'a [usize],
    /// How far speech pushes a bed down, dB.
    pub duck_depth_db: f64,
    /// A bed's level in the clear, relative to the loudness target, LU.
    pub bed_level_lu: f64,
}

/// The show settings' defaults (the domain's `ShowMusic`), so a `..MusicBeds::default()` ducks and
/// levels like a new show rather than leaving a bed at full level under the speech.
impl Default for MusicBeds<'_> {
    fn default() -> Self {
        MusicBeds {
            intro: None,
            outro: None,
            sting: None,
            sting_before: &[],
            duck_depth_db: 15.0,
            bed_level_lu: -6.0,
        }
    }
}

impl MusicBeds<'_> {
    pub fn is_empty(&self) -> bool {
        self.intro.is_none() && self.outro.is_none() && self.sting.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::sine_wav;

    #[test]
    fn a_wav_bed_is_probed_with_its_length() {
        let info = probe_music(&sine_wav(48_000, 2, 1_500)).unwrap();
        assert_eq!(
            (info.duration_ms, info.sample_rate, info.channels, info.ext),
            (1_500, 48_000, 2, "wav")
        );
    }

    #[test]
    fn garbage_is_refused_as_unreadable() {
        let err = probe_music(b"this is not audio at all, just words").unwrap_err();
        assert_eq!(err.code(), "music_unreadable", "{err}");
    }

    #[test]
    fn a_click_is_too_short_for_music() {
        let err = probe_music(&sine_wav(44_100, 1, 100)).unwrap_err();
        assert_eq!(err.code(), "music_unreadable");
        assert!(err.to_string().contains("at least 250 ms"), "{err}");
    }

    #[test]
    fn decoding_gives_mono_at_the_master_rate() {
        let mono = decode_music(&sine_wav(48_000, 2, 1_000), 44_100).unwrap();
        assert!((mono.len() as i64 - 44_100).abs() <= 2, "{}", mono.len());
    }
}
