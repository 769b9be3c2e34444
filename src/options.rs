//! Reading the options objects JavaScript passes to `query` and `mount`.
//!
//! Field by field through `js_sys`, not serde: serde-wasm-bindgen's deserializer and serde's
//! error messages (which format floats) were 28 kB of the widget's wasm, 23 kB of its 318 kB of
//! code. Each getter treats `undefined` and `null` as absent and otherwise takes only its own
//! kind of value; a wrong one is a JavaScript `Error` that names the function, the option, what
//! it must be and what it was (`query: bad options: limit must be a whole number from 0 to
//! 4294967295, not 1.5`). Unknown keys are errors too, so a misspelt option is never ignored.

use crate::js_error;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// An options object being read, for the function named `what`.
pub(crate) struct Options {
    object: js_sys::Object,
    what: &'static str,
}

impl Options {
    /// `value` as an options object whose keys are all in `known`.
    pub(crate) fn new(value: &JsValue, known: &[&str], what: &'static str) -> Result<Self, JsError> {
        let Some(object) = value.dyn_ref::<js_sys::Object>().filter(|_| !value.is_function()) else {
            return Err(js_error(format!("{what}: bad options: expected an object, not {}", shown(value))));
        };
        for key in js_sys::Object::keys(object).iter() {
            let key = key.as_string().unwrap_or_default();
            if !known.contains(&key.as_str()) {
                return Err(js_error(format!(
                    "{what}: bad options: unknown option {key:?} (known: {})",
                    known.join(", ")
                )));
            }
        }
        Ok(Self { object: object.clone(), what })
    }

    /// The value of `key`, unless it is `undefined` or `null`.
    fn get(&self, key: &str) -> Result<Option<JsValue>, JsError> {
        let v = js_sys::Reflect::get(&self.object, &JsValue::from_str(key))
            .map_err(|_| js_error(format!("{}: bad options: cannot read {key}", self.what)))?;
        Ok((!v.is_undefined() && !v.is_null()).then_some(v))
    }

    /// The error for `key` holding `v` instead of what `must` says.
    fn bad(&self, key: &str, must: &str, v: &JsValue) -> JsError {
        js_error(format!("{}: bad options: {key} must be {must}, not {}", self.what, shown(v)))
    }

    /// A whole number from 0 to `max`.
    pub(crate) fn whole(&self, key: &str, max: u32) -> Result<Option<u32>, JsError> {
        let Some(v) = self.get(key)? else { return Ok(None) };
        match v.as_f64() {
            Some(n) if n.fract() == 0.0 && (0.0..=f64::from(max)).contains(&n) => Ok(Some(n as u32)),
            _ => Err(self.bad(key, &format!("a whole number from 0 to {max}"), &v)),
        }
    }

    /// A string.
    pub(crate) fn string(&self, key: &str) -> Result<Option<String>, JsError> {
        let Some(v) = self.get(key)? else { return Ok(None) };
        v.as_string().map(Some).ok_or_else(|| self.bad(key, "a string", &v))
    }

    /// `true` or `false`.
    pub(crate) fn bool(&self, key: &str) -> Result<Option<bool>, JsError> {
        let Some(v) = self.get(key)? else { return Ok(None) };
        v.as_bool().map(Some).ok_or_else(|| self.bad(key, "true or false", &v))
    }

    /// One of `names`, the name of a value of `from_name`.
    pub(crate) fn one_of<T>(
        &self,
        key: &str,
        names: &[&str],
        from_name: impl Fn(&str) -> Option<T>,
    ) -> Result<Option<T>, JsError> {
        let Some(v) = self.get(key)? else { return Ok(None) };
        match v.as_string().and_then(|s| from_name(&s)) {
            Some(x) => Ok(Some(x)),
            None => {
                let quoted: Vec<String> = names.iter().map(|n| format!("{n:?}")).collect();
                Err(self.bad(key, &format!("one of {}", quoted.join(", ")), &v))
            }
        }
    }
}

/// A value as an error message shows it: JSON where it has one (`1.5`, `"x"`, `[1]`), else its
/// type.
fn shown(v: &JsValue) -> String {
    match js_sys::JSON::stringify(v).ok().and_then(|s| s.as_string()) {
        Some(s) if s.chars().count() <= 40 => s,
        Some(s) => format!("{}…", s.chars().take(40).collect::<String>()),
        None => v.js_typeof().as_string().unwrap_or_default(),
    }
}
