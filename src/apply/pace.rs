//! Keeping an apply within Getui's limits on pushes ([`Limits`]): creates wait their turn
//! under the per-minute limit instead of running into it (Getui would refuse them, and the
//! transport's backoff would give up after about 30 seconds), and once Getui says a daily
//! limit is spent, no more pushes of that kind are tried: deletes and binds go on.
//!
//! The minute is measured the way the emulator enforces it, as any 60 seconds (plus a
//! second), from when each push's answer came: a client under that is under Getui's count
//! too, whether Getui counts arrivals or calendar minutes. A sandbox paces by its emulator's clock, which tests hold still; waiting on a
//! clock that only moves when told to moves it (nothing else would).

use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use tokio::sync::Notify;

use chrono::{DateTime, Duration, Utc};

use super::progress::Progress;
use crate::clock::OtherClock;
use crate::getui::limits::next_reset;
use crate::getui::{Limits, PushKind};

const MINUTE: Duration = Duration::minutes(1);

/// The margin added to each minute, for clocks that disagree by a little.
const MARGIN: Duration = Duration::seconds(1);

/// Admits the pushes of one apply.
pub struct Pacer {
    limits: Limits,
    clock: Option<Arc<dyn OtherClock>>,
    /// By kind: the pushes in flight and when the latest ones landed.
    windows: [Mutex<Window>; 2],
    /// Wakes the waiter of a kind when one of its pushes lands.
    landed: [Notify; 2],
    /// Held by the push of a kind that waits its turn: pushes are admitted in order.
    turn: [tokio::sync::Mutex<()>; 2],
    /// When each kind's daily limit resets, once Getui has said it is spent.
    spent: Mutex<[Option<DateTime<Utc>>; 2]>,
    /// Set by Ctrl-C: a push waiting its turn is not sent.
    stop: Arc<AtomicBool>,
}

/// Why a push was not admitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotAdmitted {
    /// Getui said its daily limit is spent.
    Spent(DailySpent),
    /// The apply was told to stop while the push waited its turn.
    Stopped,
}

/// The pushes of one kind that the minute counts.
#[derive(Default)]
struct Window {
    in_flight: usize,
    /// When pushes landed (their answer came, or their call failed), oldest first: a push
    /// reaches Getui before its answer comes back, so this is never earlier than Getui's
    /// own count.
    landed: VecDeque<DateTime<Utc>>,
}

/// What a push admitted waits for next.
enum Wait {
    /// A push in flight to land.
    Landing,
    /// The clock to reach the instant.
    Until(DateTime<Utc>),
}

/// A push admitted; it lands when dropped (after its call).
pub struct Admitted<'p> {
    pacer: &'p Pacer,
    kind: Option<PushKind>,
}

impl Drop for Admitted<'_> {
    fn drop(&mut self) {
        let Some(kind) = self.kind else {
            return;
        };
        let now = self.pacer.now();
        let mut window = lock(&self.pacer.windows[slot(kind)]);
        window.in_flight = window.in_flight.saturating_sub(1);
        window.landed.push_back(now);
        drop(window);
        self.pacer.landed[slot(kind)].notify_one();
    }
}

/// Why a push was not tried: its daily limit is spent until `resets`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DailySpent {
    pub kind: PushKind,
    pub resets: DateTime<Utc>,
}

impl DailySpent {
    /// What a person reads: why, and when the quota comes back.
    pub fn message(&self) -> String {
        let (_, many) = self.kind.nouns();
        format!(
            "not sent: Getui's daily limit of {many} is spent; it resets at {} (00:00 in Beijing), and the next apply after that sends it",
            self.resets
                .with_timezone(&chrono_tz::Asia::Shanghai)
                .format("%Y-%m-%d %H:%M %Z")
        )
    }
}

impl Pacer {
    /// A pacer to `limits` (`None`: a sandbox without limits, never paced), timed by
    /// `clock` when given (a sandbox's), else by gtcamp's.
    pub fn new(
        limits: Option<Limits>,
        clock: Option<Arc<dyn OtherClock>>,
        stop: Arc<AtomicBool>,
    ) -> Pacer {
        Pacer {
            limits: limits.unwrap_or(Limits::NONE),
            clock,
            windows: Default::default(),
            landed: Default::default(),
            turn: Default::default(),
            spent: Mutex::new([None, None]),
            stop,
        }
    }

    /// Waits until one more push of `kind` stays under the per-minute limit; or says at
    /// once that its daily limit is spent. Hold what it gives until the push's call ends.
    pub async fn admit(
        &self,
        kind: PushKind,
        progress: &Progress,
    ) -> Result<Admitted<'_>, NotAdmitted> {
        self.check_daily(kind).map_err(NotAdmitted::Spent)?;
        let (_, per_minute) = self.limits.of(kind);
        let Some(per_minute) = per_minute.filter(|n| *n > 0).map(|n| n as usize) else {
            return Ok(Admitted {
                pacer: self,
                kind: None,
            });
        };
        let _turn = self.turn[slot(kind)].lock().await;
        loop {
            if self.stop.load(Ordering::SeqCst) {
                return Err(NotAdmitted::Stopped);
            }
            match self.next_wait(kind, per_minute) {
                None => {
                    return Ok(Admitted {
                        pacer: self,
                        kind: Some(kind),
                    });
                }
                // On a clock that only moves when told to, moving it before the pushes in
                // flight land would count them in the next minute.
                Some(Wait::Landing) => self.landed[slot(kind)].notified().await,
                Some(Wait::Until(free_at)) => {
                    let (_, many) = kind.nouns();
                    let wait = free_at - self.now();
                    progress.waiting(&format!(
                        "  pacing: waiting {} s for Getui's limit of {per_minute} {many} a minute",
                        wait.num_seconds().max(1)
                    ));
                    self.sleep(wait).await;
                    progress.resumed();
                }
            }
        }
    }

    /// Admits a push of `kind` now (`None`), or says what to wait for.
    fn next_wait(&self, kind: PushKind, per_minute: usize) -> Option<Wait> {
        let now = self.now();
        let mut window = lock(&self.windows[slot(kind)]);
        while window.landed.front().is_some_and(|at| frees_at(*at) <= now) {
            window.landed.pop_front();
        }
        if window.in_flight + window.landed.len() < per_minute {
            window.in_flight += 1;
            return None;
        }
        match window.landed.front() {
            Some(oldest) if window.in_flight == 0 => Some(Wait::Until(frees_at(*oldest))),
            _ => Some(Wait::Landing),
        }
    }

    /// Records that Getui refused a push of `kind` for its daily limit: no more are tried.
    pub fn daily_spent(&self, kind: PushKind) -> DailySpent {
        let resets = next_reset(self.today());
        let mut spent = lock(&self.spent);
        spent[slot(kind)] = Some(resets);
        DailySpent { kind, resets }
    }

    fn check_daily(&self, kind: PushKind) -> Result<(), DailySpent> {
        let spent = lock(&self.spent);
        match spent[slot(kind)] {
            Some(resets) if self.today() < resets => Err(DailySpent { kind, resets }),
            _ => Ok(()),
        }
    }

    /// The time the minute is measured in: the system's for a real target, whose waits
    /// are real (even when tests pin gtcamp's "now", which would never free a minute).
    fn now(&self) -> DateTime<Utc> {
        match &self.clock {
            Some(clock) => clock.now(),
            None => Utc::now(),
        }
    }

    /// The time a day is told by: gtcamp's, the one its plans and messages use.
    fn today(&self) -> DateTime<Utc> {
        match &self.clock {
            Some(clock) => clock.now(),
            None => crate::clock::now(),
        }
    }

    /// Waits `wait`, or less when told to stop (the caller looks at the flag next).
    async fn sleep(&self, wait: Duration) {
        const GLANCE: std::time::Duration = std::time::Duration::from_millis(200);
        let skipped = self.clock.as_ref().is_some_and(|clock| clock.skip(wait));
        if skipped {
            return;
        }
        let wait = wait.to_std().unwrap_or_default();
        let mut left = wait;
        while !self.stop.load(Ordering::SeqCst) && !left.is_zero() {
            let glance = left.min(GLANCE);
            tokio::time::sleep(glance).await;
            left = left.saturating_sub(glance);
        }
    }
}

/// When a push that landed at `landed` leaves the minute's count.
fn frees_at(landed: DateTime<Utc>) -> DateTime<Utc> {
    landed
        .checked_add_signed(MINUTE + MARGIN)
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}

/// The guarded values are plain counters and instants: a panic elsewhere cannot leave one
/// half-written.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn slot(kind: PushKind) -> usize {
    match kind {
        PushKind::App => 0,
        PushKind::List => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A clock that moves only when told to, shared with the pacer.
    #[derive(Clone)]
    struct Clock(Arc<Mutex<DateTime<Utc>>>);

    impl Clock {
        fn manual(at: DateTime<Utc>) -> Clock {
            Clock(Arc::new(Mutex::new(at)))
        }

        fn advance(&self, by: Duration) {
            *lock(&self.0) += by;
        }

        fn shared(&self) -> Option<Arc<dyn OtherClock>> {
            Some(Arc::new(self.clone()))
        }
    }

    impl OtherClock for Clock {
        fn now(&self) -> DateTime<Utc> {
            *lock(&self.0)
        }

        fn skip(&self, by: Duration) -> bool {
            self.advance(by);
            true
        }
    }

    fn start() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2030-01-07T02:00:00Z")
            .unwrap()
            .to_utc()
    }

    #[tokio::test]
    async fn five_a_minute_then_a_wait_on_the_pacers_clock() {
        let clock = Clock::manual(start());
        let pacer = Pacer::new(Some(Limits::DOCUMENTED), clock.shared(), Arc::default());
        let progress = Progress::hidden();
        for _ in 0..5 {
            drop(pacer.admit(PushKind::App, &progress).await.unwrap());
        }
        assert_eq!(clock.now(), start());
        drop(pacer.admit(PushKind::App, &progress).await.unwrap());
        assert_eq!(clock.now(), start() + Duration::minutes(1) + MARGIN);
        // Lists have no per-minute limit by default.
        for _ in 0..50 {
            drop(pacer.admit(PushKind::List, &progress).await.unwrap());
        }
        assert_eq!(clock.now(), start() + Duration::minutes(1) + MARGIN);
        for _ in 0..14 {
            drop(pacer.admit(PushKind::App, &progress).await.unwrap());
        }
        // 20 app pushes: three waits.
        assert_eq!(clock.now(), start() + (Duration::minutes(1) + MARGIN) * 3);
    }

    #[tokio::test]
    async fn the_clock_moves_only_after_the_pushes_in_flight_land() {
        let clock = Clock::manual(start());
        let pacer = Pacer::new(Some(Limits::DOCUMENTED), clock.shared(), Arc::default());
        let progress = Progress::hidden();
        let mut in_flight = Vec::new();
        for _ in 0..5 {
            in_flight.push(pacer.admit(PushKind::App, &progress).await.unwrap());
        }
        let sixth = pacer.admit(PushKind::App, &progress);
        let land = async {
            tokio::task::yield_now().await;
            assert_eq!(clock.now(), start(), "moved while five were in flight");
            clock.advance(Duration::seconds(10));
            drop(in_flight);
        };
        let (sixth, ()) = tokio::join!(sixth, land);
        drop(sixth.unwrap());
        // The five landed 10 s in: the sixth goes a minute (and a second) after that.
        assert_eq!(clock.now(), start() + Duration::seconds(71));
    }

    #[tokio::test]
    async fn a_spent_day_stops_its_kind_until_midnight_in_beijing() {
        let clock = Clock::manual(start());
        let pacer = Pacer::new(Some(Limits::DOCUMENTED), clock.shared(), Arc::default());
        let progress = Progress::hidden();
        let spent = pacer.daily_spent(PushKind::App);
        assert_eq!(spent.resets, start() + Duration::hours(14));
        assert_eq!(
            pacer.admit(PushKind::App, &progress).await.err(),
            Some(NotAdmitted::Spent(spent))
        );
        assert!(
            spent.message().contains("2030-01-08 00:00 CST"),
            "{}",
            spent.message()
        );
        assert!(pacer.admit(PushKind::List, &progress).await.is_ok());
        clock.advance(Duration::hours(14));
        assert!(pacer.admit(PushKind::App, &progress).await.is_ok());
    }

    #[tokio::test]
    async fn a_push_waiting_its_turn_is_not_sent_once_the_apply_is_stopped() {
        let clock = Clock::manual(start());
        let stop = Arc::new(AtomicBool::new(false));
        let pacer = Pacer::new(Some(Limits::DOCUMENTED), clock.shared(), stop.clone());
        let progress = Progress::hidden();
        for _ in 0..5 {
            drop(pacer.admit(PushKind::App, &progress).await.unwrap());
        }
        stop.store(true, Ordering::SeqCst);
        let sixth = pacer.admit(PushKind::App, &progress).await;
        assert_eq!(sixth.err(), Some(NotAdmitted::Stopped));
        assert_eq!(clock.now(), start());
    }

    #[tokio::test]
    async fn without_limits_nothing_waits() {
        let clock = Clock::manual(start());
        let pacer = Pacer::new(None, clock.shared(), Arc::default());
        for _ in 0..100 {
            pacer
                .admit(PushKind::App, &Progress::hidden())
                .await
                .unwrap();
        }
        assert_eq!(clock.now(), start());
    }
}
