//! Fault injection: the misbehaviour a real Getui server (or the network to it) shows, on demand.
//!
//! A [`FaultSpec`] is a list of rules, `kind=rate` with an optional `@action`, written the way
//! the CLI takes it: `http5xx=0.1,reset=0.05,commit_drop@pushMessageToAppAction=1,seed=7`.
//! `answer:CODE` answers with any result code of the protocol, such as
//! `answer:OtherError@getScheduleTaskAction=1`, so that clients can be tried on each one.
//! [`FaultDice`] rolls them with a seeded RNG so that a failing run can be replayed. Rules
//! without `@action` never hit the bootstrap action or the empty-body probe, because a client
//! that cannot even find the server tests nothing interesting.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

use crate::getui::ResultCode;
use crate::getui::wire::{Action, Bootstrap};

/// What goes wrong with a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FaultKind {
    /// Answer HTTP 503 without applying the request.
    Http5xx,
    /// Close the connection without a response, before applying the request.
    Reset,
    /// Hold the request far longer than any client waits, never applying it.
    Timeout,
    /// Answer the business result `flow_exceeded` without applying the request.
    FlowExceeded,
    /// Apply the request, then close the connection without a response.
    CommitDrop,
    /// Answer `domain_error` naming another URL of this emulator, without applying the request.
    DomainError,
    /// Answer the rule's result code (`answer:CODE`) without applying the request.
    Answer,
}

impl FaultKind {
    const ALL: [FaultKind; 7] = [
        FaultKind::Http5xx,
        FaultKind::Reset,
        FaultKind::Timeout,
        FaultKind::FlowExceeded,
        FaultKind::CommitDrop,
        FaultKind::DomainError,
        FaultKind::Answer,
    ];

    pub fn name(self) -> &'static str {
        match self {
            FaultKind::Http5xx => "http5xx",
            FaultKind::Reset => "reset",
            FaultKind::Timeout => "timeout",
            FaultKind::FlowExceeded => "flow_exceeded",
            FaultKind::CommitDrop => "commit_drop",
            FaultKind::DomainError => "domain_error",
            FaultKind::Answer => "answer",
        }
    }
}

impl fmt::Display for FaultKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One `kind[@action]=rate` entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaultRule {
    pub kind: FaultKind,
    /// Probability in `0..=1` that a matching request suffers the fault.
    pub rate: f64,
    /// Only this action is affected; `None` means every business action.
    pub action: Option<String>,
    /// The result code an [`FaultKind::Answer`] rule answers with.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<ResultCode>,
}

impl FaultRule {
    /// A rule of `kind` at `rate`, for every business action or only `action`.
    pub fn new(kind: FaultKind, rate: f64, action: Option<&str>) -> FaultRule {
        FaultRule {
            kind,
            rate,
            action: action.map(str::to_owned),
            code: None,
        }
    }

    /// A rule answering `code` to `action`, at `rate`.
    pub fn answer(code: ResultCode, rate: f64, action: Option<&str>) -> FaultRule {
        FaultRule {
            code: Some(code),
            ..FaultRule::new(FaultKind::Answer, rate, action)
        }
    }
}

/// The faults of a run; the default injects nothing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FaultSpec {
    pub rules: Vec<FaultRule>,
    /// Seed of the dice; a fixed seed replays the same faults for the same request sequence.
    pub seed: Option<u64>,
}

/// Why a fault spec was refused; the message says what a valid entry looks like.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FaultSpecError {
    #[error(
        "fault entry `{0}` is not `kind=rate`: write e.g. `http5xx=0.1` or `commit_drop@pushMessageToAppAction=1`"
    )]
    Shape(String),
    #[error(
        "unknown fault kind `{0}`: use http5xx, reset, timeout, flow_exceeded, commit_drop, domain_error, answer:CODE (or seed=N)"
    )]
    Kind(String),
    #[error("fault entry `{0}` names no result code: write e.g. `answer:OtherError=1`")]
    Code(String),
    #[error("fault rate `{0}` is not a number between 0 and 1")]
    Rate(String),
    #[error("seed `{0}` is not a whole number")]
    Seed(String),
}

impl FromStr for FaultSpec {
    type Err = FaultSpecError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut spec = FaultSpec::default();
        for entry in s.split(',').map(str::trim).filter(|e| !e.is_empty()) {
            let (key, value) = entry
                .split_once('=')
                .ok_or_else(|| FaultSpecError::Shape(entry.to_owned()))?;
            let (key, value) = (key.trim(), value.trim());
            if key == "seed" {
                let seed = value
                    .parse()
                    .map_err(|_| FaultSpecError::Seed(value.to_owned()))?;
                spec.seed = Some(seed);
                continue;
            }
            let (kind, action) = match key.split_once('@') {
                Some((kind, action)) if !action.trim().is_empty() => {
                    (kind.trim(), Some(action.trim().to_owned()))
                }
                Some(_) => return Err(FaultSpecError::Shape(entry.to_owned())),
                None => (key, None),
            };
            let (kind, code) = match kind.split_once(':') {
                Some((kind, code)) => (kind, Some(code.trim())),
                None => (kind, None),
            };
            let kind = FaultKind::ALL
                .into_iter()
                .find(|k| k.name() == kind)
                .ok_or_else(|| FaultSpecError::Kind(kind.to_owned()))?;
            let code = match (kind, code) {
                (FaultKind::Answer, Some(code)) if !code.is_empty() => {
                    Some(ResultCode::from_wire(code))
                }
                (FaultKind::Answer, _) | (_, Some(_)) => {
                    return Err(FaultSpecError::Code(entry.to_owned()));
                }
                (_, None) => None,
            };
            let rate: f64 = value
                .parse()
                .ok()
                .filter(|r: &f64| (0.0..=1.0).contains(r))
                .ok_or_else(|| FaultSpecError::Rate(value.to_owned()))?;
            spec.rules.push(FaultRule {
                kind,
                rate,
                action,
                code,
            });
        }
        Ok(spec)
    }
}

impl fmt::Display for FaultSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut entries: Vec<String> = self
            .rules
            .iter()
            .map(|rule| {
                let kind = match &rule.code {
                    Some(code) => format!("{}:{code}", rule.kind),
                    None => rule.kind.to_string(),
                };
                match &rule.action {
                    Some(action) => format!("{kind}@{action}={}", rule.rate),
                    None => format!("{kind}={}", rule.rate),
                }
            })
            .collect();
        if let Some(seed) = self.seed {
            entries.push(format!("seed={seed}"));
        }
        f.write_str(&entries.join(","))
    }
}

/// The name a rule uses for the empty-body probe clients send to rank hosts (`reset@probe=1`).
pub const PROBE: &str = "probe";

/// Requests a client needs before it can do anything; faults skip them unless named.
fn is_bootstrap(action: Option<&str>) -> bool {
    matches!(action, None | Some(Bootstrap::NAME))
}

/// The faults and latency in force, as the server rolls them request by request.
pub(crate) struct FaultState {
    pub dice: FaultDice,
    pub latency: Latency,
    pub latency_rng: StdRng,
}

impl FaultState {
    /// Latency draws from their own generator (seeded one past the dice's), so adding
    /// latency does not change which requests a seeded spec faults.
    pub(crate) fn new(spec: FaultSpec, latency: Latency) -> FaultState {
        let latency_rng = match spec.seed {
            Some(seed) => StdRng::seed_from_u64(seed.wrapping_add(1)),
            None => StdRng::from_os_rng(),
        };
        FaultState {
            dice: FaultDice::new(spec),
            latency,
            latency_rng,
        }
    }
}

/// The seeded dice that decide, request by request, which fault (if any) applies.
pub(crate) struct FaultDice {
    spec: FaultSpec,
    rng: StdRng,
}

impl FaultDice {
    pub(crate) fn new(spec: FaultSpec) -> Self {
        let rng = match spec.seed {
            Some(seed) => StdRng::seed_from_u64(seed),
            None => StdRng::from_os_rng(),
        };
        FaultDice { spec, rng }
    }

    pub(crate) fn spec(&self) -> &FaultSpec {
        &self.spec
    }

    /// The kind of [`FaultDice::roll_rule`]'s rule.
    #[cfg(test)]
    pub(crate) fn roll(&mut self, action: Option<&str>) -> Option<FaultKind> {
        self.roll_rule(action).map(|rule| rule.kind)
    }

    /// The first rule that matches `action` (`None` for the empty-body probe) and whose roll
    /// hits, in spec order.
    pub(crate) fn roll_rule(&mut self, action: Option<&str>) -> Option<&FaultRule> {
        let bootstrap = is_bootstrap(action);
        for rule in &self.spec.rules {
            let applies = match &rule.action {
                Some(named) => action.unwrap_or(PROBE) == named,
                None => !bootstrap,
            };
            if applies && rule.rate > 0.0 && self.rng.random::<f64>() < rule.rate {
                return Some(rule);
            }
        }
        None
    }
}

/// Added delay before every answer: a fixed part plus a uniformly random jitter of up to ± `jitter`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Latency {
    pub fixed: Duration,
    pub jitter: Duration,
}

/// Why a latency was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{0}` is not a latency: write a duration such as `50ms`, `1s` or `50ms±20ms` (also `50ms+-20ms`)"
)]
pub struct LatencyError(String);

impl Latency {
    pub(crate) fn sample(&self, rng: &mut impl Rng) -> Duration {
        if self.jitter.is_zero() {
            return self.fixed;
        }
        let jitter = self.jitter.as_secs_f64();
        let offset = rng.random_range(-jitter..=jitter);
        Duration::try_from_secs_f64((self.fixed.as_secs_f64() + offset).max(0.0))
            .unwrap_or(self.fixed)
    }
}

impl FromStr for Latency {
    type Err = LatencyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || LatencyError(s.to_owned());
        let (fixed, jitter) = match s.split_once('±').or_else(|| s.split_once("+-")) {
            Some((fixed, jitter)) => (fixed, Some(jitter)),
            None => (s, None),
        };
        let fixed = parse_short_duration(fixed.trim()).ok_or_else(err)?;
        let jitter = match jitter {
            Some(j) => parse_short_duration(j.trim()).ok_or_else(err)?,
            None => Duration::ZERO,
        };
        Ok(Latency { fixed, jitter })
    }
}

impl fmt::Display for Latency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}ms", self.fixed.as_millis())?;
        if !self.jitter.is_zero() {
            write!(f, "±{}ms", self.jitter.as_millis())?;
        }
        Ok(())
    }
}

/// `250ms`, `2s`, `1m`; a bare `0` is zero.
fn parse_short_duration(s: &str) -> Option<Duration> {
    if s == "0" {
        return Some(Duration::ZERO);
    }
    let (number, factor_ms) = if let Some(n) = s.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = s.strip_suffix('s') {
        (n, 1_000.0)
    } else if let Some(n) = s.strip_suffix('m') {
        (n, 60_000.0)
    } else {
        return None;
    };
    let value: f64 = number.trim().parse().ok()?;
    Duration::try_from_secs_f64(value * factor_ms / 1e3).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fault_spec_parses_kinds_actions_and_seed() {
        let spec: FaultSpec = "http5xx=0.1, commit_drop@pushMessageToAppAction=1,\
                               domain_error@getScheduleTaskAction=1,seed=42"
            .parse()
            .unwrap_or_default();
        assert_eq!(spec.seed, Some(42));
        assert_eq!(spec.rules.len(), 3);
        assert_eq!(
            spec.rules.get(1).and_then(|r| r.action.as_deref()),
            Some("pushMessageToAppAction")
        );
        assert_eq!(
            spec.rules.get(2).map(|r| r.kind),
            Some(FaultKind::DomainError)
        );
        assert_eq!(
            spec.to_string(),
            "http5xx=0.1,commit_drop@pushMessageToAppAction=1,\
             domain_error@getScheduleTaskAction=1,seed=42"
        );
    }

    #[test]
    fn fault_spec_reads_an_answer_with_its_code() {
        let spec: FaultSpec = "answer:NullMsgCommon@getScheduleTaskAction=1"
            .parse()
            .unwrap_or_default();
        assert_eq!(
            spec.rules,
            [FaultRule::answer(
                ResultCode::NullMsgCommon,
                1.0,
                Some("getScheduleTaskAction")
            )]
        );
        assert_eq!(
            spec.to_string(),
            "answer:NullMsgCommon@getScheduleTaskAction=1"
        );
        for bad in ["answer=1", "answer:=1", "http5xx:Error=1"] {
            assert!(
                matches!(bad.parse::<FaultSpec>(), Err(FaultSpecError::Code(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn fault_spec_rejects_unknown_kind_and_bad_rate() {
        assert_eq!(
            "explode=0.1".parse::<FaultSpec>(),
            Err(FaultSpecError::Kind("explode".into()))
        );
        assert_eq!(
            "reset=2".parse::<FaultSpec>(),
            Err(FaultSpecError::Rate("2".into()))
        );
        assert!(matches!(
            "reset".parse::<FaultSpec>(),
            Err(FaultSpecError::Shape(_))
        ));
    }

    #[test]
    fn unnamed_faults_spare_the_bootstrap_but_named_ones_hit_it() {
        let mut dice = FaultDice::new("reset=1".parse().unwrap_or_default());
        assert_eq!(dice.roll(Some("getOSPushDomailUrlListAction")), None);
        assert_eq!(dice.roll(None), None);
        assert_eq!(dice.roll(Some("connect")), Some(FaultKind::Reset));
        let mut named = FaultDice::new(
            "reset@getOSPushDomailUrlListAction=1"
                .parse()
                .unwrap_or_default(),
        );
        assert_eq!(
            named.roll(Some("getOSPushDomailUrlListAction")),
            Some(FaultKind::Reset)
        );
        assert_eq!(named.roll(Some("connect")), None);
        let mut probe = FaultDice::new("http5xx@probe=1".parse().unwrap_or_default());
        assert_eq!(probe.roll(None), Some(FaultKind::Http5xx));
    }

    #[test]
    fn same_seed_gives_same_faults() {
        let rolls = |seed: u64| {
            let mut dice = FaultDice::new(FaultSpec {
                rules: vec![FaultRule::new(FaultKind::Http5xx, 0.5, None)],
                seed: Some(seed),
            });
            (0..32)
                .map(|_| dice.roll(Some("connect")).is_some())
                .collect::<Vec<_>>()
        };
        assert_eq!(rolls(7), rolls(7));
        assert!(rolls(7).contains(&true) && rolls(7).contains(&false));
    }

    #[test]
    fn latency_jitter_stays_within_its_bounds() {
        let latency: Latency = "50ms±20ms".parse().unwrap_or_default();
        let mut rng = StdRng::seed_from_u64(3);
        let samples: Vec<Duration> = (0..200).map(|_| latency.sample(&mut rng)).collect();
        assert!(samples.iter().all(|d| (30..=70).contains(&d.as_millis())));
        assert!(
            samples.iter().any(|d| d.as_millis() < 45)
                && samples.iter().any(|d| d.as_millis() > 55)
        );
    }

    #[test]
    fn latency_parses_fixed_and_jitter() {
        assert_eq!(
            "50ms±20ms".parse(),
            Ok(Latency {
                fixed: Duration::from_millis(50),
                jitter: Duration::from_millis(20)
            })
        );
        assert_eq!(
            "1s".parse::<Latency>().map(|l| l.fixed),
            Ok(Duration::from_secs(1))
        );
        assert!("fast".parse::<Latency>().is_err());
        assert!("1e300s".parse::<Latency>().is_err());
        assert!("-5ms".parse::<Latency>().is_err());
    }
}
