//! Any bytes as the classroom's wire, in either direction: no panic, no read beyond a frame's
//! 64 KiB bound, and every message read writes back to a frame that reads again.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(why) = lectern::classroom::frames::replay(data) {
        panic!("{why}");
    }
});
