//! Reading OpenAI's audio answers back to 16-bit PCM, refusing a WAV that was cut short: a take with its end
//! missing must be fetched again, not mixed into the episode.

use crate::wav;

/// 16-bit PCM and its shape.
#[derive(Debug, PartialEq)]
pub(super) struct Pcm {
    pub samples: Vec<u8>,
    pub sample_rate: u32,
    pub channels: u16,
}

/// OpenAI's raw `pcm` format: 24 kHz, 16-bit, mono.
pub(super) const PCM_SAMPLE_RATE: u32 = 24_000;

/// The PCM inside a complete 16-bit WAV file.
pub(super) fn from_wav(bytes: Vec<u8>) -> Result<Pcm, String> {
    wav::check_complete(&bytes).map_err(|e| e.to_string())?;
    let (file, info) = wav::canonical(bytes).map_err(|e| e.to_string())?;
    if info.bits_per_sample != 16 || file.len() < 44 {
        return Err(format!("the WAV file is {}-bit, not 16-bit PCM", info.bits_per_sample));
    }
    Ok(Pcm {
        samples: file[44..].to_vec(),
        sample_rate: info.sample_rate,
        channels: info.channels,
    })
}

/// Raw `pcm` answer bytes.
pub(super) fn from_pcm(bytes: Vec<u8>) -> Result<Pcm, String> {
    if bytes.is_empty() || !bytes.len().is_multiple_of(2) {
        return Err(wav::WavError::NotWholeSamples.to_string());
    }
    Ok(Pcm {
        samples: bytes,
        sample_rate: PCM_SAMPLE_RATE,
        channels: 1,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wav::from_pcm16;

    #[test]
    fn a_whole_wav_gives_back_its_samples() {
        let samples: Vec<u8> = (0..4_800u16).flat_map(|s| s.to_le_bytes()).collect();
        let (file, _) = from_pcm16(&samples, 24_000, 1).unwrap();
        let pcm = from_wav(file).unwrap();
        assert_eq!((pcm.sample_rate, pcm.channels), (24_000, 1));
        assert_eq!(pcm.samples, samples);
    }

    #[test]
    fn a_wav_cut_short_is_refused() {
        let (file, _) = from_pcm16(&[1; 9_600], 24_000, 1).unwrap();
        let half = file[..file.len() / 2].to_vec();
        assert!(from_wav(half).unwrap_err().contains("cut short"));
        assert!(from_wav(file[..20].to_vec()).is_err());
        assert!(from_wav(b"{\"error\":1}".to_vec()).is_err());
    }

    #[test]
    fn a_streamed_wav_with_unknown_sizes_is_accepted() {
        let (mut file, _) = from_pcm16(&[2; 4_800], 24_000, 1).unwrap();
        file[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
        file[40..44].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(from_wav(file).unwrap().samples.len(), 4_800);
    }

    #[test]
    fn raw_pcm_must_be_whole_samples() {
        assert_eq!(from_pcm(vec![0; 4]).unwrap().sample_rate, 24_000);
        assert!(from_pcm(vec![0; 3]).is_err());
        assert!(from_pcm(Vec::new()).is_err());
    }
}
