//! Showrunner's language-model and speech providers, including the offline rehearsal writer and system speech.
