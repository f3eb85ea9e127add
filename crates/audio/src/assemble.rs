//! Putting clips one after another on a single timeline.

use std::io::Cursor;

use crate::resample::{convert_channels, RateConverter};
use crate::wav::{decode, frames_to_ms, ms_to_frames, WavOut};
use crate::AudioError;

/// Where one clip sits in the assembled audio, in milliseconds from its start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    pub start_ms: u64,
    pub end_ms: u64,
}

/// The assembled audio: a 16-bit PCM WAV plus where each input clip landed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assembled {
    pub wav: Vec<u8>,
    pub sample_rate: u32,
    pub duration_ms: u64,
    pub placements: Vec<Placement>,
}

/// Concatenates WAV clips with `gap_ms` of silence between consecutive clips (none before the first or
/// after the last); `placements[i]` is where clip `i` starts and ends in the result.
///
/// Output format: **the first clip's sample rate and channel count** (capped at stereo), 16-bit PCM.
/// Clips in another format are mixed to that channel count and resampled to that rate (see
/// `resample`, rubato). Keeping the first clip's format means the usual case, every clip from one speech
/// engine, passes through without any conversion. Inputs may be 8/16/24/32-bit integer or 32-bit
/// float WAV. Positions are tracked in sample frames and rounded to milliseconds only when reported,
/// so placements don't drift over hundreds of clips.
///
/// Errors: no clips, or any clip that isn't readable WAV (`audio_invalid`, naming the clip).
pub fn assemble(clips: &[Vec<u8>], gap_ms: u64) -> Result<Assembled, AudioError> {
    let Some(first) = clips.first() else {
        return Err(AudioError::invalid("there are no clips to assemble"));
    };
    let clip_err = |i: usize, e: AudioError| match e {
        AudioError::Invalid(msg) => AudioError::Invalid(format!("clip {} of {}: {msg}", i + 1, clips.len())),
        other => other,
    };
    let first = decode(first).map_err(|e| clip_err(0, e))?;
    let (rate, channels) = (first.sample_rate, first.channels.min(2));
    let gap_frames = ms_to_frames(gap_ms, rate);

    // Bytes are about the same as the inputs' when formats match: reserve that up front.
    let capacity =
        clips.iter().map(Vec::len).sum::<usize>() + (gap_frames as usize * usize::from(channels) * 2) * clips.len();
    let mut buf = Cursor::new(Vec::with_capacity(capacity + 64));
    let mut out = WavOut::new(&mut buf, rate, channels)?;
    let mut placements = Vec::with_capacity(clips.len());
    let mut pending = Some(first);
    let mut rates = RateConverter::new(rate);
    for (i, clip) in clips.iter().enumerate() {
        let pcm = match pending.take() {
            Some(pcm) => pcm,
            None => decode(clip).map_err(|e| clip_err(i, e))?,
        };
        let mut samples = convert_channels(&pcm.samples, pcm.channels, channels);
        if pcm.sample_rate != rate {
            samples = rates.convert(&samples, channels, pcm.sample_rate)?;
        }
        if i > 0 {
            out.silence(gap_frames)?;
        }
        let start = out.frames();
        out.write(&samples)?;
        placements.push(Placement {
            start_ms: frames_to_ms(start, rate),
            end_ms: frames_to_ms(out.frames(), rate),
        });
    }
    let total = out.frames();
    out.finish()?;
    Ok(Assembled {
        wav: buf.into_inner(),
        sample_rate: rate,
        duration_ms: frames_to_ms(total, rate),
        placements,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{sine_f32_wav, sine_wav};
    use crate::wav::wav_info;

    #[test]
    fn placements_and_duration_follow_clips_and_gaps() {
        let clips = vec![
            sine_wav(24_000, 1, 1_000),
            sine_wav(24_000, 1, 500),
            sine_wav(24_000, 1, 2_250),
        ];
        let a = assemble(&clips, 350).unwrap();
        assert_eq!(a.sample_rate, 24_000);
        assert_eq!(
            a.placements,
            vec![
                Placement {
                    start_ms: 0,
                    end_ms: 1_000
                },
                Placement {
                    start_ms: 1_350,
                    end_ms: 1_850
                },
                Placement {
                    start_ms: 2_200,
                    end_ms: 4_450
                },
            ]
        );
        assert_eq!(a.duration_ms, 4_450);
        let info = wav_info(&a.wav).unwrap();
        assert_eq!((info.sample_rate, info.channels, info.duration_ms), (24_000, 1, 4_450));
    }

    #[test]
    fn gaps_are_silent_and_clips_keep_their_samples() {
        let clips = vec![sine_wav(8_000, 1, 100), sine_wav(8_000, 1, 100)];
        let a = assemble(&clips, 50).unwrap();
        let pcm = decode(&a.wav).unwrap();
        assert_eq!(pcm.frames(), 800 + 400 + 800);
        assert!(pcm.samples[800..1_200].iter().all(|&s| s == 0.0), "gap is not silent");
        let original = decode(&clips[1]).unwrap();
        assert_eq!(&pcm.samples[1_200..], &original.samples[..], "second clip changed");
    }

    #[test]
    fn zero_gap_butts_clips_together() {
        let a = assemble(&[sine_wav(22_050, 1, 300), sine_wav(22_050, 1, 700)], 0).unwrap();
        assert_eq!(
            a.placements[1],
            Placement {
                start_ms: 300,
                end_ms: 1_000
            }
        );
        assert_eq!(a.duration_ms, 1_000);
    }

    #[test]
    fn mixed_formats_are_converted_to_the_first_clips_format() {
        // 22.05 kHz mono first; then 44.1 kHz stereo int and 48 kHz stereo float.
        let clips = vec![
            sine_wav(22_050, 1, 1_000),
            sine_wav(44_100, 2, 1_000),
            sine_f32_wav(48_000, 2, 500),
        ];
        let a = assemble(&clips, 250).unwrap();
        let info = wav_info(&a.wav).unwrap();
        assert_eq!((info.sample_rate, info.channels), (22_050, 1));
        assert_eq!(
            a.placements,
            vec![
                Placement {
                    start_ms: 0,
                    end_ms: 1_000
                },
                Placement {
                    start_ms: 1_250,
                    end_ms: 2_250
                },
                Placement {
                    start_ms: 2_500,
                    end_ms: 3_000
                },
            ]
        );
        // The converted stereo clip is still a 440 Hz tone at the same level.
        let pcm = decode(&a.wav).unwrap();
        let second = &pcm.samples[ms_to_frames(1_250, 22_050) as usize..ms_to_frames(2_250, 22_050) as usize];
        let crossings = second.windows(2).filter(|w| (w[0] < 0.0) != (w[1] < 0.0)).count();
        assert!((875..=885).contains(&crossings), "{crossings} zero crossings");
        let peak = second.iter().fold(0.0f32, |m, s| m.max(s.abs()));
        assert!((peak - 0.5).abs() < 0.02, "peak {peak}");
    }

    #[test]
    fn a_stereo_first_clip_makes_a_stereo_master() {
        let a = assemble(&[sine_wav(44_100, 2, 200), sine_wav(22_050, 1, 200)], 100).unwrap();
        let info = wav_info(&a.wav).unwrap();
        assert_eq!((info.sample_rate, info.channels, info.duration_ms), (44_100, 2, 500));
        let pcm = decode(&a.wav).unwrap();
        // The mono clip was put on both sides.
        let tail = &pcm.samples[ms_to_frames(300, 44_100) as usize * 2..];
        assert!(tail.chunks_exact(2).all(|f| f[0] == f[1]));
    }

    #[test]
    fn bad_input_is_audio_invalid_and_names_the_clip() {
        let err = assemble(&[], 100).unwrap_err();
        assert_eq!(err.code(), "audio_invalid");
        let err = assemble(&[sine_wav(8_000, 1, 100), b"nope".to_vec()], 100).unwrap_err();
        assert_eq!(err.code(), "audio_invalid");
        assert!(err.to_string().contains("clip 2 of 2"), "{err}");
    }
}
