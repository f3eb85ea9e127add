//! Showrunner audio: decode, assemble lines into a master, encode MP3, and the rodio player actor.
