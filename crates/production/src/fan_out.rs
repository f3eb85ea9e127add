//! A stage's many calls (research questions, spoken lines), a few at a time, in order.
//!
//! When one call fails, nothing new starts, but the calls already in flight run to their end. Dropping them
//! would cut paid calls off mid-request: the provider may have billed them, the ledger could only mark them
//! ambiguous, and the stage's retry would pay for them again. Let to finish, each is settled, and the retry
//! reuses it.

use std::future::Future;

use futures::stream::{FuturesUnordered, StreamExt};

/// Runs `calls` at most `concurrency` at a time, in the order given, and returns their results in that order,
/// or the first error to happen.
pub(crate) async fn all_or_first_error<T, E, F>(
    calls: impl IntoIterator<Item = F>,
    concurrency: usize,
) -> Result<Vec<T>, E>
where
    F: Future<Output = Result<T, E>>,
{
    // A loop over `FuturesUnordered` rather than `stream::iter(..).map(..).buffered(..)`: the stages' futures
    // must be `Send`, and the compiler cannot prove that through a closure over futures that borrow.
    let mut waiting = calls.into_iter().enumerate();
    let mut in_flight = FuturesUnordered::new();
    let mut done: Vec<(usize, T)> = Vec::new();
    let mut first_error: Option<E> = None;
    loop {
        while first_error.is_none() && in_flight.len() < concurrency.max(1) {
            let Some((index, call)) = waiting.next() else { break };
            in_flight.push(async move { (index, call.await) });
        }
        match in_flight.next().await {
            Some((index, Ok(value))) => done.push((index, value)),
            Some((_, Err(e))) => {
                first_error.get_or_insert(e);
            }
            None => break,
        }
    }
    if let Some(e) = first_error {
        return Err(e);
    }
    done.sort_by_key(|(index, _)| *index);
    Ok(done.into_iter().map(|(_, value)| value).collect())
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn a_failure_lets_calls_in_flight_finish_and_starts_no_more() {
        let started = AtomicUsize::new(0);
        let finished = AtomicUsize::new(0);
        let calls = (0..8).map(|i| {
            let (started, finished) = (&started, &finished);
            async move {
                started.fetch_add(1, Ordering::SeqCst);
                // Call 1 fails first; calls 0, 2 and 3 are mid-flight and take longer.
                let ms = if i == 1 { 5 } else { 40 };
                tokio::time::sleep(Duration::from_millis(ms)).await;
                finished.fetch_add(1, Ordering::SeqCst);
                if i == 1 {
                    Err(format!("call {i} failed"))
                } else {
                    Ok(i)
                }
            }
        });
        let result = all_or_first_error(calls, 4).await;
        assert_eq!(result, Err("call 1 failed".to_string()));
        assert_eq!(started.load(Ordering::SeqCst), 4, "nothing starts after the failure");
        assert_eq!(
            finished.load(Ordering::SeqCst),
            4,
            "the calls in flight ran to their end"
        );
    }

    #[tokio::test]
    async fn results_keep_their_order() {
        let calls = (0..6u64).map(|i| async move {
            tokio::time::sleep(Duration::from_millis(30 - 5 * i)).await;
            Ok::<_, String>(i)
        });
        assert_eq!(all_or_first_error(calls, 3).await, Ok(vec![0, 1, 2, 3, 4, 5]));
    }
}
