//! Errors on their way to JavaScript: a core [`Error`] and the message to show.
//!
//! A failure crosses the boundary as a plain object `{ stakehold: true, code, name, message,
//! fields }`; the package's JavaScript layer (`js/api.js`) turns it into a `StakeholdError`. The
//! code, name and fields come from the core ([`Error::code`], [`Error::describe`]), so they are
//! the same as in Rust and C.

use stakehold::Error;
use stakehold::error::InputError;
use stakehold::num::NumError;
use wasm_bindgen::JsValue;

use crate::convert::value_to_js;
use crate::js::{Obj, field_key};

/// An error and its message.
pub struct Failure {
    error: Error,
    message: String,
}

impl Failure {
    pub fn new(error: impl Into<Error>, message: String) -> Self {
        Self {
            error: error.into(),
            message,
        }
    }

    /// The same failure with a message that names `new` where it named `old` (an argument's
    /// path, e.g. `msg.validators` → `msg.validators[3]`), so lists build their item paths only
    /// when an item fails.
    pub fn renamed(mut self, old: &str, new: &str) -> Self {
        if let Some(rest) = self.message.strip_prefix(old) {
            self.message = [new, rest].concat();
        }
        self
    }
}

/// A core error, with the core's message.
impl From<Error> for Failure {
    fn from(error: Error) -> Self {
        Self {
            message: error.to_string(),
            error,
        }
    }
}

impl From<Failure> for JsValue {
    fn from(f: Failure) -> Self {
        let described = f.error.describe();
        let fields = described.fields.iter().fold(Obj::new(), |o, (key, value)| {
            o.set_key(&field_key(key), value_to_js(value))
        });
        Obj::new()
            .set("stakehold", true)
            .set("code", f.error.code())
            .set("name", described.name)
            .set("message", f.message)
            .set("fields", fields)
            .into()
    }
}

/// Argument `what` is missing or of the wrong type.
pub fn argument(what: &str, problem: &str) -> Failure {
    Failure::new(InputError::InvalidArgument, [what, ": ", problem].concat())
}

/// Argument `what` is not a non-negative integer in range.
pub fn number(what: &str, problem: &str) -> Failure {
    Failure::new(NumError::InvalidAmount, [what, ": ", problem].concat())
}
