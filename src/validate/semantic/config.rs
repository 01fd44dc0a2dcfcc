//! ConfigMaps and Secrets: pkg/apis/core/validation/validation.go ValidateConfigMap and
//! ValidateSecret, with staging/src/k8s.io/apimachinery/pkg/util/validation/validation.go
//! IsConfigMapKey. A Secret is judged after conversion, which merges `stringData` into
//! `data` (pkg/apis/core/v1/conversion.go Convert_v1_Secret_To_core_Secret), and after
//! SetDefaults_Secret (type Opaque).

use super::format::max_len_error;
use super::{Out, child};
use crate::diag::codes;
use serde_json::Value;

/// validation.IsConfigMapKey
pub(super) fn config_map_key(v: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if v.len() > 253 {
        errs.push(max_len_error(253));
    }
    if v.is_empty()
        || !v
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_'))
    {
        errs.push("a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')".into());
    }
    if v == "." {
        errs.push("must not be '.'".into());
    } else if v == ".." {
        errs.push("must not be '..'".into());
    } else if v.starts_with("..") {
        errs.push("must not start with '..'".into());
    }
    errs
}

fn check_keys(field: &str, ptr: &str, m: &Value, out: &mut Out) {
    let Some(m) = m.as_object() else { return };
    for k in m.keys() {
        let errs = config_map_key(k);
        if !errs.is_empty() {
            let kp = child(ptr, k);
            out.issues.push(super::Issue {
                code: codes::K8S150,
                message: format!("{field}[{k}]: Invalid value: {k:?}: {}", errs.join(", ")),
                pointer: kp,
                at_key: true,
                hint: Some(
                    "a key becomes a file name when mounted: letters, digits, `-`, `_` and `.` only (e.g. app.properties)"
                        .into(),
                ),
            });
        }
    }
}

/// ValidateConfigMap: keys of data and binaryData, and no key in both.
pub(super) fn config_map(v: &Value, out: &mut Out) {
    check_keys("data", "/data", &v["data"], out);
    check_keys("binaryData", "/binaryData", &v["binaryData"], out);
    if let (Some(d), Some(b)) = (v["data"].as_object(), v["binaryData"].as_object()) {
        for k in d.keys() {
            if b.contains_key(k) {
                out.issues.push(super::Issue {
                    code: codes::K8S150,
                    message: format!(
                        "data[{k}]: Invalid value: {k:?}: duplicate of key present in binaryData"
                    ),
                    pointer: child("/data", k),
                    at_key: true,
                    hint: Some("a key is in data or in binaryData, not both; rename one".into()),
                });
            }
        }
    }
}

/// A data value's bytes: base64 in `data`, text in `stringData`.
fn bytes_of(v: &Value, from_string_data: bool) -> Option<Vec<u8>> {
    let s = v.as_str()?;
    if from_string_data {
        Some(s.as_bytes().to_vec())
    } else {
        base64(s)
    }
}

/// Standard base64 with padding (what encoding/json decodes []byte with).
fn base64(s: &str) -> Option<Vec<u8>> {
    let s: Vec<u8> = s.bytes().filter(|c| !matches!(c, b'\r' | b'\n')).collect();
    if !s.len().is_multiple_of(4) {
        return None;
    }
    let val = |c: u8| -> Option<u32> {
        Some(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as u32)
    };
    let mut out = Vec::new();
    for chunk in s.chunks(4) {
        let pad = chunk.iter().rev().take_while(|&&c| c == b'=').count();
        if pad > 2 {
            return None;
        }
        let mut n = 0u32;
        for &c in &chunk[..4 - pad] {
            n = (n << 6) | val(c)?;
        }
        n <<= 6 * pad as u32;
        let bytes = [(n >> 16) as u8, (n >> 8) as u8, n as u8];
        out.extend_from_slice(&bytes[..3 - pad]);
    }
    Some(out)
}

/// ValidateSecret: keys, and the keys each type requires.
pub(super) fn secret(v: &Value, out: &mut Out) {
    check_keys("data", "/data", &v["data"], out);
    check_keys("data", "/stringData", &v["stringData"], out);
    let s = SecretData::of(v);
    match s.ty {
        "kubernetes.io/service-account-token" => service_account_token(v, out),
        "kubernetes.io/dockercfg" => s.docker_config(".dockercfg", out),
        "kubernetes.io/dockerconfigjson" => s.docker_config(".dockerconfigjson", out),
        "kubernetes.io/basic-auth"
            if s.find("username").is_none() && s.find("password").is_none() =>
        {
            s.required("username", out);
            s.required("password", out);
        }
        "kubernetes.io/ssh-auth" => {
            let key = "ssh-privatekey";
            // len(data) == 0: a missing key or an empty value (base64 of nothing is "").
            if s.find(key).is_none_or(|(_, x, _)| x.as_str() == Some("")) {
                s.required(key, out);
            }
        }
        "kubernetes.io/tls" => {
            for key in ["tls.crt", "tls.key"] {
                if s.find(key).is_none() {
                    s.required(key, out);
                }
            }
        }
        _ => {}
    }
}

/// A Secret's data as ValidateSecret sees it, with its type (defaulted to Opaque).
struct SecretData<'a> {
    v: &'a Value,
    ty: &'a str,
    /// Where a missing key is reported: at the map that should hold it.
    holder: &'static str,
}

impl<'a> SecretData<'a> {
    fn of(v: &'a Value) -> SecretData<'a> {
        let ty = v["type"]
            .as_str()
            .filter(|t| !t.is_empty())
            .unwrap_or("Opaque");
        let holder = if v["data"].is_object() {
            "/data"
        } else if v["stringData"].is_object() {
            "/stringData"
        } else {
            "/type"
        };
        SecretData { v, ty, holder }
    }

    /// Key `k` of the merged data (stringData wins: it is applied after data): its pointer,
    /// value, and whether it is in stringData.
    fn find(&self, k: &str) -> Option<(String, &'a Value, bool)> {
        if let Some(x) = self.v["stringData"].get(k) {
            return Some((child("/stringData", k), x, true));
        }
        self.v["data"].get(k).map(|x| (child("/data", k), x, false))
    }

    /// The type needs `key`, which the data lacks.
    fn required(&self, key: &str, out: &mut Out) {
        out.issues.push(super::Issue {
            code: codes::K8S151,
            message: format!("data[{key}]: Required value"),
            pointer: self.holder.to_string(),
            at_key: true,
            hint: Some(format!(
                "a Secret of type {} needs the key `{key}` in data (base64) or stringData",
                self.ty
            )),
        });
    }

    /// kubernetes.io/dockercfg and kubernetes.io/dockerconfigjson: `key` holds a JSON object.
    fn docker_config(&self, key: &str, out: &mut Out) {
        let Some((ptr, x, sd)) = self.find(key) else {
            self.required(key, out);
            return;
        };
        if let Some(b) = bytes_of(x, sd)
            && !matches!(
                serde_json::from_slice::<Value>(&b),
                Ok(Value::Object(_)) | Ok(Value::Null)
            )
        {
            out.issues.push(super::Issue {
                code: codes::K8S151,
                message: format!(
                    "data[{key}]: Invalid value: \"<secret contents redacted>\": not a JSON object"
                ),
                pointer: ptr,
                at_key: false,
                hint: Some(
                    "the value is a Docker config as JSON, e.g. {\"auths\": {…}}; `kubectl create secret docker-registry` writes it"
                        .into(),
                ),
            });
        }
    }
}

/// kubernetes.io/service-account-token: the annotation naming the ServiceAccount.
fn service_account_token(v: &Value, out: &mut Out) {
    let key = "kubernetes.io/service-account.name";
    if v["metadata"]["annotations"][key]
        .as_str()
        .is_none_or(str::is_empty)
    {
        out.issues.push(super::Issue {
            code: codes::K8S151,
            message: format!("metadata.annotations[{key}]: Required value"),
            pointer: if v["metadata"]["annotations"].is_object() {
                "/metadata/annotations".into()
            } else {
                "/metadata".into()
            },
            at_key: true,
            hint: Some(format!(
                "name the ServiceAccount the token is for in the annotation {key}"
            )),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_base64() {
        assert!(config_map_key("app.properties").is_empty());
        assert!(config_map_key(".env").is_empty());
        assert!(!config_map_key("..data").is_empty());
        assert!(!config_map_key("a/b").is_empty());
        assert!(!config_map_key("").is_empty());
        assert_eq!(base64("eyJhIjoxfQ==").as_deref(), Some(&b"{\"a\":1}"[..]));
        assert_eq!(base64("YQ==").as_deref(), Some(&b"a"[..]));
        assert_eq!(base64("").as_deref(), Some(&b""[..]));
        assert!(base64("Y").is_none());
    }
}
