//! Who may join: a join code, new each session, shown on the projector; a student proves it
//! knows the code without sending it — both sides send a random nonce, and the student answers
//! with HMAC-SHA256 over both, keyed by the code. Someone listening on the network learns
//! neither the code nor an answer it could replay (the room's nonce is new each time).

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// The code's alphabet: no 0/O, 1/I/L, no lower case — read off a projector without doubt.
const ALPHABET: &[u8] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/// The code's length: 8 of 31 symbols, about 40 bits.
const CODE_LENGTH: usize = 8;

/// A new random join code.
///
/// # Errors
/// If the system's random source fails.
pub fn new_code() -> Result<String, String> {
    let mut bytes = [0u8; CODE_LENGTH];
    getrandom::fill(&mut bytes).map_err(|e| format!("no random source: {e}"))?;
    Ok(bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect())
}

/// A new random nonce, in hex.
///
/// # Errors
/// If the system's random source fails.
pub fn new_nonce() -> Result<String, String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| format!("no random source: {e}"))?;
    Ok(hex(&bytes))
}

/// The student's proof: HMAC-SHA256(code, room nonce ‖ student nonce), in hex.
#[must_use]
pub fn proof(code: &str, room_nonce: &str, student_nonce: &str) -> String {
    mac(code, room_nonce, student_nonce)
        .map(|mac| hex(&mac.finalize().into_bytes()))
        .unwrap_or_default()
}

/// Whether `given` proves `code` for these nonces (compared in constant time).
#[must_use]
pub fn verify(code: &str, room_nonce: &str, student_nonce: &str, given: &str) -> bool {
    let Some(bytes) = unhex(given) else {
        return false;
    };
    mac(code, room_nonce, student_nonce).is_some_and(|mac| mac.verify_slice(&bytes).is_ok())
}

/// Codes as typed: upper case, no spaces or dashes.
#[must_use]
pub fn normalise(code: &str) -> String {
    code.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// The MAC over both nonces keyed by the code (HMAC takes a key of any length: never `None`).
fn mac(code: &str, room_nonce: &str, student_nonce: &str) -> Option<Hmac<Sha256>> {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(normalise(code).as_bytes()).ok()?;
    mac.update(room_nonce.as_bytes());
    mac.update(b"|");
    mac.update(student_nonce.as_bytes());
    Some(mac)
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut out, b| {
        let _ = write!(out, "{b:02x}");
        out
    })
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || text.len() > 128 {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_clearly_and_only_the_right_code_proves() {
        let code = new_code().expect("random");
        assert_eq!(code.len(), 8);
        assert!(code.bytes().all(|b| ALPHABET.contains(&b)), "{code}");
        assert_ne!(new_code().expect("random"), code, "new each time");
        let (room, student) = (new_nonce().expect("random"), new_nonce().expect("random"));
        let answer = proof(&code, &room, &student);
        assert!(verify(&code, &room, &student, &answer));
        assert!(
            verify(&code.to_lowercase(), &room, &student, &answer),
            "typed in lower case"
        );
        assert!(!verify("WRONGCOD", &room, &student, &answer));
        assert!(
            !verify(&code, &new_nonce().expect("random"), &student, &answer),
            "no replay"
        );
        assert!(!verify(&code, &room, &student, "zz"));
    }
}
