//! Event values as the query languages read them: text, numbers, networks.

use serde_json::Value;

/// A JSON value as a query language sees it: its text, or `None` for null (absent).
pub fn text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::String(s) => Some(s.clone()),
        other => Some(other.to_string()),
    }
}

/// A text as a finite number.
pub fn number(text: &str) -> Option<f64> {
    text.trim().parse::<f64>().ok().filter(|x| x.is_finite())
}

/// `a op b` for the numeric operators `=`, `<`, `<=`, `>`, `>=`; false for any other.
pub fn ordered(op: &str, a: f64, b: f64) -> bool {
    match op {
        "=" => a == b,
        "<" => a < b,
        "<=" => a <= b,
        ">" => a > b,
        ">=" => a >= b,
        _ => false,
    }
}

/// Whether the network written `net` holds the address `value`; `None` when `net` is no network.
pub fn in_network(net: &str, value: &str) -> Option<bool> {
    let net = net.parse::<ipnet::IpNet>().ok()?;
    Some(
        value
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| net.contains(&ip)),
    )
}
