//! A line of text typed into the lecture — a parameter's value in the editor — and which keys
//! it takes. While a field is open, its characters and Backspace edit it and never reach the
//! slide keys (a digit typed into the editor must not become a slide jump).

/// What a field accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Accepts {
    /// A number: digits, a decimal point and a minus sign.
    Number,
}

/// Text being typed, with its cursor at the end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextField {
    text: String,
    accepts: Accepts,
    max_chars: usize,
}

impl TextField {
    /// An empty field for a number (at most 12 characters: far past any parameter's range).
    #[must_use]
    pub fn number() -> Self {
        Self {
            text: String::new(),
            accepts: Accepts::Number,
            max_chars: 12,
        }
    }

    /// Whether `c` is one of the characters this field is typed with.
    #[must_use]
    pub fn takes(&self, c: char) -> bool {
        match self.accepts {
            Accepts::Number => c.is_ascii_digit() || c == '.' || c == '-',
        }
    }

    /// Adds `c` at the end; `false` if the field does not take it or is full.
    pub fn push(&mut self, c: char) -> bool {
        if !self.takes(c) || self.text.chars().count() >= self.max_chars {
            return false;
        }
        self.text.push(c);
        true
    }

    /// Removes the last character; `false` if there was none.
    pub fn pop(&mut self) -> bool {
        self.text.pop().is_some()
    }

    /// What has been typed.
    #[must_use]
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether nothing has been typed.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_field_takes_digits_a_point_and_a_minus_and_nothing_else() {
        let mut field = TextField::number();
        for c in "-12.5".chars() {
            assert!(field.push(c), "{c}");
        }
        assert!(!field.push('x'));
        assert!(!field.push(' '));
        assert_eq!(field.text(), "-12.5");
        assert!(field.pop());
        assert_eq!(field.text(), "-12.");
    }

    #[test]
    fn a_field_stops_growing_at_its_length() {
        let mut field = TextField::number();
        for _ in 0..20 {
            let _ = field.push('9');
        }
        assert_eq!(field.text().len(), 12);
        let mut empty = TextField::number();
        assert!(!empty.pop());
        assert!(empty.is_empty());
    }
}
