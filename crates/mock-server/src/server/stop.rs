//! The server's stop signal as its connections watch it.
//!
//! A connection's task is woken for every request; a watch channel polled beside the
//! connection on each wake (a `select!`) costs a few hundred instructions a request. Here a
//! connection registers its task's waker once (again only if the task's waker changes) and
//! reads one atomic flag per wake; stopping sets the flag and wakes every registered task.

use crate::engine::lock;
use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};

/// Set once, when the server stops; each watcher's task is then woken.
#[derive(Default)]
pub(super) struct StopSignal {
    stopped: AtomicBool,
    /// The tasks to wake, by watcher (one per connection or handshake in progress).
    wakers: Mutex<HashMap<u64, Waker>>,
    next: AtomicU64,
}

impl StopSignal {
    /// Stops: every watcher sees it at its next poll, and each is woken for one.
    pub(super) fn stop(&self) {
        self.stopped.store(true, Ordering::SeqCst);
        // Taken after the flag is set: a watcher that registers later reads it set.
        let wakers = std::mem::take(&mut *lock(&self.wakers));
        for waker in wakers.into_values() {
            waker.wake();
        }
    }

    /// A watcher of this signal.
    pub(super) fn watcher(self: &Arc<Self>) -> Watcher {
        Watcher {
            signal: self.clone(),
            id: self.next.fetch_add(1, Ordering::Relaxed),
            registered: None,
        }
    }
}

/// One task's view of a [`StopSignal`]; unregisters itself when dropped.
pub(super) struct Watcher {
    signal: Arc<StopSignal>,
    id: u64,
    /// The waker registered last (registered again only when the task's waker changes).
    registered: Option<Waker>,
}

impl Watcher {
    /// Whether the server has stopped; if not, the task polling is woken when it does.
    pub(super) fn poll_stopped(&mut self, cx: &mut Context<'_>) -> bool {
        let fresh = !self
            .registered
            .as_ref()
            .is_some_and(|w| w.will_wake(cx.waker()));
        if fresh {
            let waker = cx.waker().clone();
            lock(&self.signal.wakers).insert(self.id, waker.clone());
            self.registered = Some(waker);
        }
        // Read after registering: a stop that came before the registration is seen here, one
        // that comes after it wakes the task.
        self.signal.stopped.load(Ordering::SeqCst)
    }

    /// Whether the server has stopped, without waiting or registering for the stop.
    pub(super) fn is_stopped(&self) -> bool {
        self.signal.stopped.load(Ordering::SeqCst)
    }

    /// Completes when the server stops.
    pub(super) fn stopped(&mut self) -> impl Future<Output = ()> + '_ {
        std::future::poll_fn(|cx| match self.poll_stopped(cx) {
            true => Poll::Ready(()),
            false => Poll::Pending,
        })
    }
}

impl Drop for Watcher {
    fn drop(&mut self) {
        if self.registered.is_some() {
            lock(&self.signal.wakers).remove(&self.id);
        }
    }
}

/// A connection that can be asked to finish its request in flight and close.
pub(super) trait Graceful: Future {
    fn begin_shutdown(self: Pin<&mut Self>);
}

/// Drives a connection to its end; when the server stops, lets its request in flight finish
/// and closes it. (A client that vanishes mid-request is not the server's error: the
/// connection's result is dropped.)
pub(super) async fn until_done<C: Graceful>(connection: C, mut watcher: Watcher) {
    let mut connection = std::pin::pin!(connection);
    let mut shutting_down = false;
    std::future::poll_fn(|cx| {
        if !shutting_down && watcher.poll_stopped(cx) {
            connection.as_mut().begin_shutdown();
            shutting_down = true;
        }
        connection.as_mut().poll(cx).map(drop)
    })
    .await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::AtomicUsize;
    use std::task::Wake;

    /// A waker that counts its wakes.
    #[derive(Default)]
    struct Counter(AtomicUsize);

    impl Wake for Counter {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }

    #[test]
    fn a_watcher_is_woken_once_by_the_stop_and_sees_it() {
        let signal = Arc::new(StopSignal::default());
        let counter = Arc::new(Counter::default());
        let waker = Waker::from(counter.clone());
        let mut cx = Context::from_waker(&waker);
        let mut watcher = signal.watcher();
        assert!(!watcher.poll_stopped(&mut cx));
        // Polled again with the same waker: still one registration.
        assert!(!watcher.poll_stopped(&mut cx));
        assert_eq!(lock(&signal.wakers).len(), 1);
        signal.stop();
        assert_eq!(counter.0.load(Ordering::SeqCst), 1);
        assert!(watcher.poll_stopped(&mut cx));
        // A watcher that comes after the stop sees it at once.
        let mut late = signal.watcher();
        assert!(late.poll_stopped(&mut cx));
    }

    #[test]
    fn a_dropped_watcher_leaves_nothing_registered() {
        let signal = Arc::new(StopSignal::default());
        let waker = Waker::from(Arc::new(Counter::default()));
        let mut cx = Context::from_waker(&waker);
        for _ in 0..3 {
            let mut watcher = signal.watcher();
            assert!(!watcher.poll_stopped(&mut cx));
        }
        assert!(lock(&signal.wakers).is_empty());
    }

    #[test]
    fn a_changed_waker_is_registered_again() {
        let signal = Arc::new(StopSignal::default());
        let (first, second) = (Arc::new(Counter::default()), Arc::new(Counter::default()));
        let mut watcher = signal.watcher();
        let waker = Waker::from(first.clone());
        assert!(!watcher.poll_stopped(&mut Context::from_waker(&waker)));
        let waker = Waker::from(second.clone());
        assert!(!watcher.poll_stopped(&mut Context::from_waker(&waker)));
        signal.stop();
        assert_eq!(first.0.load(Ordering::SeqCst), 0);
        assert_eq!(second.0.load(Ordering::SeqCst), 1);
    }
}
