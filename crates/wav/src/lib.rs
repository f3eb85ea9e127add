//! A small RIFF/WAVE reader: enough to measure a take and rewrite it with a canonical 44-byte PCM header, so
//! every engine's output (espeak-ng, `say`, SAPI) reaches the mixer in one shape. No dependencies: the
//! speech providers use it, and the fuzz targets build it in seconds.

/// What a WAV file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WavInfo {
    pub sample_rate: u32,
    pub channels: u16,
    pub bits_per_sample: u16,
    pub duration_ms: u64,
}

const FORMAT_PCM: u16 = 1;
const FORMAT_EXTENSIBLE: u16 = 0xFFFE;

struct Parsed<'a> {
    info: WavInfo,
    format: u16,
    data: &'a [u8],
}

/// Why a WAV file could not be read or rewritten. The text is written for the person at the screen (it ends
/// up in a speech engine's error message).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WavError {
    /// No `RIFF`…`WAVE` header.
    NotWav,
    /// The `fmt ` chunk ends before its fields.
    FormatCutShort,
    /// Audio data comes before any `fmt ` chunk.
    NoFormatChunk,
    /// Zero channels, rate or bit depth, or a block size that overflows.
    InvalidFormat,
    /// No `data` chunk.
    NoAudioData,
    /// A `data` chunk with nothing in it.
    Empty,
    /// More audio than a WAV header can describe.
    TooLarge,
    /// The RIFF header promises more bytes than the file holds (a download cut short).
    FileCutShort { have: usize, want: usize },
    /// The `data` chunk promises more audio than follows it.
    AudioCutShort { have: usize, want: usize },
    /// Raw PCM that is empty or ends in half a 16-bit sample.
    NotWholeSamples,
}

impl std::fmt::Display for WavError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match *self {
            WavError::FileCutShort { have, want } => {
                return write!(f, "the WAV file is cut short ({have} of {want} bytes)")
            }
            WavError::AudioCutShort { have, want } => {
                return write!(f, "the WAV audio is cut short ({have} of {want} bytes)")
            }
            _ => {}
        }
        f.write_str(match self {
            WavError::NotWav => "the output is not a WAV file",
            WavError::FormatCutShort => "the WAV format chunk is cut short",
            WavError::NoFormatChunk => "the WAV file has no format chunk before its data",
            WavError::InvalidFormat => "the WAV format chunk is invalid",
            WavError::NoAudioData => "the WAV file has no audio data",
            WavError::Empty => "the speech program wrote no audio",
            WavError::TooLarge => "the WAV file is larger than 4 GB",
            WavError::NotWholeSamples => "the audio is not whole 16-bit samples",
            WavError::FileCutShort { .. } | WavError::AudioCutShort { .. } => unreachable!("written above"),
        })
    }
}

impl std::error::Error for WavError {}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    b.get(at..at + 2).map(|s| u16::from_le_bytes([s[0], s[1]]))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    b.get(at..at + 4).map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
}

fn parse(bytes: &[u8]) -> Result<Parsed<'_>, WavError> {
    if bytes.len() < 12 || &bytes[0..4] != b"RIFF" || &bytes[8..12] != b"WAVE" {
        return Err(WavError::NotWav);
    }
    let mut at = 12;
    let mut fmt: Option<(u16, u16, u32, u16, u16)> = None;
    while at + 8 <= bytes.len() {
        let id = &bytes[at..at + 4];
        let size = u32_at(bytes, at + 4).unwrap_or(0) as usize;
        let body = at + 8;
        if id == b"fmt " {
            let f = (|| {
                Some((
                    u16_at(bytes, body)?,
                    u16_at(bytes, body + 2)?,
                    u32_at(bytes, body + 4)?,
                    u16_at(bytes, body + 12)?,
                    u16_at(bytes, body + 14)?,
                ))
            })()
            .ok_or(WavError::FormatCutShort)?;
            fmt = Some(f);
        } else if id == b"data" {
            let (format, channels, sample_rate, block_align, bits) = fmt.ok_or(WavError::NoFormatChunk)?;
            if channels == 0 || sample_rate == 0 || bits == 0 {
                return Err(WavError::InvalidFormat);
            }
            // Streaming writers leave the size at 0 or 0xFFFFFFFF; trust the file's length then.
            let available = bytes.len() - body;
            let len = if size == 0 || size > available { available } else { size };
            let align = (block_align as usize).max(1);
            let data = &bytes[body..body + len - len % align];
            let bytes_per_second = sample_rate as u64 * align as u64;
            let duration_ms = data.len() as u64 * 1000 / bytes_per_second.max(1);
            return Ok(Parsed {
                info: WavInfo {
                    sample_rate,
                    channels,
                    bits_per_sample: bits,
                    duration_ms,
                },
                format,
                data,
            });
        }
        at = body.saturating_add(size + size % 2);
    }
    Err(WavError::NoAudioData)
}

/// Measures a WAV file.
pub fn wav_info(bytes: &[u8]) -> Result<WavInfo, WavError> {
    parse(bytes).map(|p| p.info)
}

/// Rewrites 16-bit PCM audio with a canonical header (other formats are returned unchanged) and measures it.
pub fn canonical(bytes: Vec<u8>) -> Result<(Vec<u8>, WavInfo), WavError> {
    let parsed = parse(&bytes)?;
    if parsed.data.is_empty() {
        return Err(WavError::Empty);
    }
    let info = parsed.info;
    if !(parsed.format == FORMAT_PCM || parsed.format == FORMAT_EXTENSIBLE) || info.bits_per_sample != 16 {
        return Ok((bytes, info));
    }
    // A header whose block size disagrees with its channel count is rewritten from the channels, and the
    // data cut to whole frames of that size; the result is measured again, so what is returned describes
    // exactly the file returned.
    let Some(block_align) = info.channels.checked_mul(2) else {
        return Err(WavError::InvalidFormat);
    };
    let frame = usize::from(block_align);
    let data = &parsed.data[..parsed.data.len() - parsed.data.len() % frame];
    let data_len = u32::try_from(data.len()).map_err(|_| WavError::TooLarge)?;
    let mut out = Vec::with_capacity(44 + data.len());
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&data_len.saturating_add(36).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&FORMAT_PCM.to_le_bytes());
    out.extend_from_slice(&info.channels.to_le_bytes());
    out.extend_from_slice(&info.sample_rate.to_le_bytes());
    out.extend_from_slice(&info.sample_rate.saturating_mul(u32::from(block_align)).to_le_bytes());
    out.extend_from_slice(&block_align.to_le_bytes());
    out.extend_from_slice(&16u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    out.extend_from_slice(data);
    let measured = parse(&out)?;
    if measured.data.is_empty() {
        return Err(WavError::Empty);
    }
    let info = measured.info;
    Ok((out, info))
}

/// A size field that says "unknown" (streaming writers) rather than a length to check.
fn unknown(size: u32) -> bool {
    size == 0 || size == u32::MAX
}

/// Whether a WAV file holds every byte its header promises: a take with its end missing must be fetched
/// again, not mixed into the episode. Sizes a streaming writer left unknown (0 or 0xFFFFFFFF) are not checked.
pub fn check_complete(bytes: &[u8]) -> Result<(), WavError> {
    if bytes.len() < 12 || &bytes[0..4] != b"RIFF" || &bytes[8..12] != b"WAVE" {
        return Err(WavError::NotWav);
    }
    let riff = u32_at(bytes, 4).unwrap_or(0);
    if !unknown(riff) && riff as usize + 8 > bytes.len() {
        return Err(WavError::FileCutShort {
            have: bytes.len(),
            want: riff as usize + 8,
        });
    }
    let mut at = 12;
    while at + 8 <= bytes.len() {
        let size = u32_at(bytes, at + 4).unwrap_or(0);
        if &bytes[at..at + 4] == b"data" {
            let available = bytes.len() - (at + 8);
            if !unknown(size) && size as usize > available {
                return Err(WavError::AudioCutShort {
                    have: available,
                    want: size as usize,
                });
            }
            return Ok(());
        }
        at += 8 + size as usize + size as usize % 2;
    }
    Err(WavError::NoAudioData)
}

/// Wraps 16-bit little-endian PCM (as ElevenLabs and OpenAI send it) in a WAV file with a canonical header
/// and measures it. Fails when there is no audio at all.
pub fn from_pcm16(pcm: &[u8], sample_rate: u32, channels: u16) -> Result<(Vec<u8>, WavInfo), WavError> {
    let block_align = channels.clamp(1, u16::MAX / 2) * 2;
    let mut file = Vec::with_capacity(44 + pcm.len());
    file.extend_from_slice(b"RIFF\0\0\0\0WAVEfmt ");
    file.extend_from_slice(&16u32.to_le_bytes());
    file.extend_from_slice(&FORMAT_PCM.to_le_bytes());
    file.extend_from_slice(&(block_align / 2).to_le_bytes());
    file.extend_from_slice(&sample_rate.to_le_bytes());
    file.extend_from_slice(&sample_rate.saturating_mul(u32::from(block_align)).to_le_bytes());
    file.extend_from_slice(&block_align.to_le_bytes());
    file.extend_from_slice(&16u16.to_le_bytes());
    // A zero data size is what streaming writers send; `canonical` then measures the bytes that follow.
    file.extend_from_slice(b"data\0\0\0\0");
    file.extend_from_slice(pcm);
    canonical(file)
}

/// A canonical 16-bit mono PCM WAV file of `samples`.
pub fn pcm16_mono(sample_rate: u32, samples: &[i16]) -> Vec<u8> {
    let data_len = (samples.len() * 2) as u32;
    let mut out = Vec::with_capacity(44 + samples.len() * 2);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data_len).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&FORMAT_PCM.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&sample_rate.to_le_bytes());
    out.extend_from_slice(&(sample_rate * 2).to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&16u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    for s in samples {
        out.extend_from_slice(&s.to_le_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// A RIFF/WAVE header with a format chunk of the given fields, then a data chunk.
    fn header(format: u16, channels: u16, rate: u32, align: u16, bits: u16, size: u32) -> Vec<u8> {
        let mut out = b"RIFF\0\0\0\0WAVEfmt ".to_vec();
        out.extend_from_slice(&16u32.to_le_bytes());
        out.extend_from_slice(&format.to_le_bytes());
        out.extend_from_slice(&channels.to_le_bytes());
        out.extend_from_slice(&rate.to_le_bytes());
        out.extend_from_slice(&rate.wrapping_mul(u32::from(align)).to_le_bytes());
        out.extend_from_slice(&align.to_le_bytes());
        out.extend_from_slice(&bits.to_le_bytes());
        out.extend_from_slice(b"data");
        out.extend_from_slice(&size.to_le_bytes());
        out
    }

    proptest! {
        /// Any bytes at all: an answer or an error, never a panic.
        #[test]
        fn any_bytes_are_measured_or_refused(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
            let _ = wav_info(&bytes);
            let _ = canonical(bytes);
        }

        /// Any header fields before real data: never a panic, and a canonical file is canonical — a 44-byte
        /// header, measured as returned, and unchanged when made canonical again.
        #[test]
        fn canonical_files_are_a_fixed_point(
            channels in any::<u16>(),
            rate in any::<u32>(),
            align in any::<u16>(),
            size in prop_oneof![Just(0u32), Just(u32::MAX), any::<u32>()],
            data in proptest::collection::vec(any::<u8>(), 0..400),
        ) {
            let mut file = header(FORMAT_PCM, channels, rate, align, 16, size);
            file.extend_from_slice(&data);
            if let Ok((fixed, info)) = canonical(file) {
                prop_assert_eq!(fixed.len() as u64, 44 + u64::from(u32_at(&fixed, 40).unwrap()));
                prop_assert_eq!(wav_info(&fixed).unwrap(), info);
                let (again, info_again) = canonical(fixed.clone()).unwrap();
                prop_assert_eq!(again, fixed);
                prop_assert_eq!(info_again, info);
            }
        }
    }

    fn wav(sample_rate: u32, samples: &[i16], data_size: Option<u32>, extra_chunk: bool) -> Vec<u8> {
        let data: Vec<u8> = samples.iter().flat_map(|s| s.to_le_bytes()).collect();
        let mut out = Vec::new();
        out.extend_from_slice(b"RIFF\0\0\0\0WAVE");
        out.extend_from_slice(b"fmt ");
        out.extend_from_slice(&16u32.to_le_bytes());
        out.extend_from_slice(&1u16.to_le_bytes());
        out.extend_from_slice(&1u16.to_le_bytes());
        out.extend_from_slice(&sample_rate.to_le_bytes());
        out.extend_from_slice(&(sample_rate * 2).to_le_bytes());
        out.extend_from_slice(&2u16.to_le_bytes());
        out.extend_from_slice(&16u16.to_le_bytes());
        if extra_chunk {
            out.extend_from_slice(b"FLLR");
            out.extend_from_slice(&3u32.to_le_bytes());
            out.extend_from_slice(&[0, 0, 0, 0]); // 3 bytes and a pad byte
        }
        out.extend_from_slice(b"data");
        out.extend_from_slice(&data_size.unwrap_or(data.len() as u32).to_le_bytes());
        out.extend_from_slice(&data);
        out
    }

    #[test]
    fn written_samples_read_back_at_their_rate() {
        let info = wav_info(&pcm16_mono(16_000, &vec![3; 8_000])).unwrap();
        assert_eq!((info.sample_rate, info.channels, info.duration_ms), (16_000, 1, 500));
    }

    #[test]
    fn measures_rate_and_duration() {
        let info = wav_info(&wav(22_050, &vec![5; 11_025], None, false)).unwrap();
        assert_eq!(
            (info.sample_rate, info.channels, info.bits_per_sample, info.duration_ms),
            (22_050, 1, 16, 500)
        );
    }

    #[test]
    fn a_streamed_header_and_padded_chunks_are_repaired() {
        let (fixed, info) = canonical(wav(8_000, &vec![7; 8_000], Some(u32::MAX), true)).unwrap();
        assert_eq!(info.duration_ms, 1_000);
        assert_eq!(fixed.len(), 44 + 16_000);
        assert_eq!(u32_at(&fixed, 4), Some(36 + 16_000));
        assert_eq!(u32_at(&fixed, 40), Some(16_000));
        assert_eq!(wav_info(&fixed).unwrap(), info);
    }

    #[test]
    fn rejects_files_that_are_not_wav_or_hold_no_audio() {
        assert!(wav_info(b"ID3 not a wav at all").is_err());
        assert!(canonical(wav(22_050, &[], None, false)).is_err());
        let mut no_data = wav(22_050, &[1, 2], None, false);
        no_data.truncate(36);
        assert!(wav_info(&no_data).is_err());
    }

    proptest! {
        /// Any PCM and format: no panic, and audio that is there is measured by its length.
        #[test]
        fn pcm_of_any_shape_becomes_a_wav_or_an_error(
            pcm in proptest::collection::vec(any::<u8>(), 0..300),
            rate in any::<u32>(),
            channels in any::<u16>(),
        ) {
            if let Ok((file, info)) = from_pcm16(&pcm, rate, channels) {
                prop_assert!(file.len() >= 44 && file.len() <= 44 + pcm.len());
                prop_assert_eq!(info.sample_rate, rate);
            }
        }

        /// Any bytes: the completeness check never panics, and a whole file it accepts, cut by one byte
        /// of its audio, is refused.
        #[test]
        fn a_complete_file_cut_anywhere_in_its_audio_is_refused(pcm in proptest::collection::vec(any::<u8>(), 2..300), cut in any::<usize>()) {
            let _ = check_complete(&pcm);
            let (file, _) = from_pcm16(&pcm, 24_000, 1).unwrap();
            prop_assert!(check_complete(&file).is_ok());
            let keep = 44 + cut % (file.len() - 44);
            prop_assert!(check_complete(&file[..keep]).is_err());
        }
    }

    #[test]
    fn pcm_becomes_a_measured_wav() {
        let pcm = vec![0u8; 24_000 * 2 * 3 / 2];
        let (file, info) = from_pcm16(&pcm, 24_000, 1).unwrap();
        assert_eq!((info.sample_rate, info.channels, info.duration_ms), (24_000, 1, 1_500));
        assert_eq!(file.len(), 44 + pcm.len());
        assert_eq!(&file[40..44], &(pcm.len() as u32).to_le_bytes());
        assert!(
            from_pcm16(&[], 24_000, 1).is_err(),
            "no audio is an error, not an empty take"
        );
    }

    #[test]
    fn a_file_cut_short_says_how_much_arrived() {
        let (file, _) = from_pcm16(&[1; 9_600], 24_000, 1).unwrap();
        let e = check_complete(&file[..file.len() / 2]).unwrap_err();
        assert_eq!(e.to_string(), "the WAV file is cut short (4822 of 9644 bytes)");
        let mut data_only = file.clone();
        data_only[4..8].copy_from_slice(&0u32.to_le_bytes());
        let e = check_complete(&data_only[..1_000]).unwrap_err();
        assert_eq!(e.to_string(), "the WAV audio is cut short (956 of 9600 bytes)");
        assert_eq!(check_complete(b"{\"error\":1}"), Err(WavError::NotWav));
        assert_eq!(check_complete(&data_only[..40]), Err(WavError::NoAudioData));
    }
}
