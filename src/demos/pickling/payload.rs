//! The payload and its wire form: what a program holds, how a serializer writes it (bytes as
//! they are, small integers as variable-length integers, floats as 8 bytes each), and how the
//! receiver decodes it back into values.

/// The payload in the parent, as a program would hold it.
pub enum Payload {
    /// Raw bytes.
    Bytes(Vec<u8>),
    /// Small integers.
    Ints(Vec<i64>),
    /// Floating-point numbers.
    Floats(Vec<f64>),
}

impl Payload {
    /// A payload of `kind` taking `bytes` in memory.
    #[must_use]
    pub fn new(kind: &str, bytes: u64) -> Self {
        let n = usize::try_from(bytes).unwrap_or(0);
        match kind {
            "ints" => Self::Ints(
                (0..n / 8)
                    .map(|i| i64::try_from(i % 1000).unwrap_or(0))
                    .collect(),
            ),
            "floats" => Self::Floats((0..n / 8).map(|i| i as f64 * 0.5).collect()),
            _ => Self::Bytes((0..n).map(|i| (i % 251) as u8).collect()),
        }
    }

    /// The wire form: bytes as they are; integers as variable-length integers (as a real
    /// serializer encodes each item); floats as 8 little-endian bytes each.
    #[must_use]
    pub fn serialize(&self) -> Vec<u8> {
        match self {
            Self::Bytes(bytes) => bytes.clone(),
            Self::Ints(ints) => {
                let mut out = Vec::with_capacity(ints.len() * 2);
                for &value in ints {
                    let mut v = value.unsigned_abs();
                    loop {
                        let byte = (v & 0x7f) as u8;
                        v >>= 7;
                        if v == 0 {
                            out.push(byte);
                            break;
                        }
                        out.push(byte | 0x80);
                    }
                }
                out
            }
            Self::Floats(floats) => floats.iter().flat_map(|f| f.to_le_bytes()).collect(),
        }
    }
}

/// Values decoded from the wire, as the worker's program would hold them.
pub enum Decoded {
    /// Raw bytes.
    Bytes(Vec<u8>),
    /// Small integers.
    Ints(Vec<i64>),
    /// Floating-point numbers.
    Floats(Vec<f64>),
}

impl Decoded {
    /// Decodes `wire` (of kind code `kind`).
    #[must_use]
    pub fn from_wire(kind: u32, wire: &[u8]) -> Self {
        match kind {
            1 => {
                // One value per byte without the continuation bit: allocate exactly that.
                let items = wire.iter().filter(|b| *b & 0x80 == 0).count();
                let mut values: Vec<i64> = Vec::with_capacity(items);
                let (mut value, mut shift) = (0u64, 0);
                for &byte in wire {
                    value |= u64::from(byte & 0x7f) << shift;
                    if byte & 0x80 == 0 {
                        values.push(value.cast_signed());
                        (value, shift) = (0, 0);
                    } else {
                        shift += 7;
                    }
                }
                Self::Ints(values)
            }
            2 => Self::Floats(
                wire.chunks_exact(8)
                    .map(|c| f64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
                    .collect(),
            ),
            _ => Self::Bytes(wire.to_vec()),
        }
    }

    /// A checksum of the values, to compare across processes.
    #[must_use]
    #[expect(
        clippy::cast_sign_loss,
        clippy::cast_possible_truncation,
        reason = "a checksum keeps the low bits of each value"
    )]
    pub fn checksum(&self) -> u32 {
        match self {
            Self::Bytes(bytes) => checksum(bytes),
            Self::Ints(values) => values
                .iter()
                .fold(0u32, |sum, v| sum.wrapping_add(*v as u32)),
            Self::Floats(values) => values
                .iter()
                .fold(0u32, |sum, v| sum.wrapping_add(*v as u32)),
        }
    }
}

#[must_use]
pub fn checksum(bytes: &[u8]) -> u32 {
    bytes.iter().fold(2_166_136_261u32, |h, b| {
        (h ^ u32::from(*b)).wrapping_mul(16_777_619)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_survives_the_wire() {
        for (kind, code) in [("bytes", 0), ("ints", 1), ("floats", 2)] {
            let payload = Payload::new(kind, 4096);
            let wire = payload.serialize();
            let back = Decoded::from_wire(code, &wire);
            let original = match payload {
                Payload::Bytes(b) => Decoded::Bytes(b),
                Payload::Ints(v) => Decoded::Ints(v),
                Payload::Floats(v) => Decoded::Floats(v),
            };
            assert_eq!(back.checksum(), original.checksum(), "{kind}");
        }
        assert!(
            Payload::new("ints", 8000).serialize().len() < 2000,
            "varints are small"
        );
    }
}
