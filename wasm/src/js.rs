//! The few JavaScript operations the conversions need, imported so that a throwing getter or a
//! non-object becomes a typed error instead of an exception unwinding through wasm.

use wasm_bindgen::prelude::*;

use crate::fail::{self, Failure};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = Reflect, js_name = get)]
    fn reflect_get(target: &JsValue, key: &str) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_name = String)]
    fn js_string(value: &JsValue) -> String;

    #[wasm_bindgen(js_namespace = Reflect, js_name = set)]
    fn reflect_set(target: &js_sys::Object, key: &str, value: &JsValue) -> bool;
}

/// `target[key]` of an object argument called `what` (for the error message).
pub fn get(target: &JsValue, what: &str, key: &str) -> Result<JsValue, Failure> {
    if !target.is_object() {
        return Err(fail::argument(what, "expected an object"));
    }
    reflect_get(target, wasm_bindgen::intern(key))
        .map_err(|_| fail::argument(what, &format!("reading .{key} threw")))
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

    pub fn set(self, key: &str, value: impl Into<JsValue>) -> Self {
        // Setting a data property on a fresh ordinary object cannot fail.
        reflect_set(&self.0, wasm_bindgen::intern(key), &value.into());
        self
    }
}

impl From<Obj> for JsValue {
    fn from(o: Obj) -> Self {
        o.0.into()
    }
}

/// `snake_case` → `camelCase`: the core's field names as JavaScript spells them.
pub fn camel(name: &str) -> String {
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
