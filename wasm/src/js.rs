//! The few JavaScript operations the conversions need, imported so that a throwing getter or a
//! non-object becomes a typed error instead of an exception unwinding through wasm; and the
//! property keys, each turned into a JavaScript string once.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;

use crate::fail::{self, Failure};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = Reflect, js_name = get)]
    fn reflect_get(target: &JsValue, key: &JsValue) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_name = String)]
    fn js_string(value: &JsValue) -> String;

    #[wasm_bindgen(js_namespace = Reflect, js_name = set)]
    fn reflect_set(target: &js_sys::Object, key: &JsValue, value: &JsValue) -> bool;
}

/// Slots of the key cache: more than the package's distinct property names.
const SLOTS: usize = 256;

thread_local! {
    /// Property keys already made into JavaScript strings, by the address and length of the
    /// static Rust string (open addressing). Crossing a string into JavaScript costs a
    /// `TextDecoder` call (~450 ns in Node); a cached key costs a table lookup. Smaller than
    /// wasm-bindgen's `enable-interning`, which hashes the text with SipHash.
    static KEYS: RefCell<Vec<Option<(usize, usize, JsValue)>>> = const { RefCell::new(Vec::new()) };
}

/// `name` as a JavaScript string, `spell(name)` the first time.
fn cached(name: &'static str, spell: fn(&str) -> JsValue) -> JsValue {
    let (at, len) = (name.as_ptr() as usize, name.len());
    KEYS.with(|keys| {
        let mut keys = keys.borrow_mut();
        if keys.is_empty() {
            keys.resize(SLOTS, None);
        }
        let mut slot = (at ^ len).wrapping_mul(0x9e37_79b9) >> 24;
        for _ in 0..SLOTS {
            slot %= SLOTS;
            match keys.get(slot) {
                Some(Some((a, l, key))) if (*a, *l) == (at, len) => return key.clone(),
                Some(Some(_)) => slot += 1,
                _ => {
                    let key = spell(name);
                    if let Some(free) = keys.get_mut(slot) {
                        *free = Some((at, len, key.clone()));
                    }
                    return key;
                }
            }
        }
        spell(name)
    })
}

/// A property name as a JavaScript string (cached).
fn key(name: &'static str) -> JsValue {
    cached(name, JsValue::from_str)
}

/// One of the core's `snake_case` field names as a camelCase JavaScript string (cached).
pub fn field_key(name: &'static str) -> JsValue {
    cached(name, |n| JsValue::from(camel(n)))
}

/// `target[key]` of an object argument called `what` (for the error message).
pub fn get(target: &JsValue, what: &str, name: &'static str) -> Result<JsValue, Failure> {
    if !target.is_object() {
        return Err(fail::argument(what, "expected an object"));
    }
    reflect_get(target, &key(name))
        .map_err(|_| fail::argument(what, &["reading .", name, " threw"].concat()))
}

/// `String(value)`: a value as JavaScript prints it, for error messages.
pub fn text(value: &JsValue) -> String {
    js_string(value)
}

/// A plain object built field by field.
pub struct Obj(js_sys::Object);

impl Obj {
    pub fn new() -> Self {
        Self(js_sys::Object::new())
    }

    pub fn with_type(name: &str) -> Self {
        Self::new().set("type", name)
    }

    pub fn set(self, name: &'static str, value: impl Into<JsValue>) -> Self {
        self.set_key(&key(name), value.into())
    }

    /// Sets a property whose key is already a JavaScript string.
    pub fn set_key(self, key: &JsValue, value: JsValue) -> Self {
        // Setting a data property on a fresh ordinary object cannot fail.
        reflect_set(&self.0, key, &value);
        self
    }
}

impl From<Obj> for JsValue {
    fn from(o: Obj) -> Self {
        o.0.into()
    }
}

/// `snake_case` → `camelCase`: the core's field names as JavaScript spells them.
fn camel(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.push(c.to_ascii_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}
