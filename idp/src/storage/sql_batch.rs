//! Refresh-token consumptions on SQLite, committed together.
//!
//! Every renewal is a write, and on SQLite every write goes through the one writer
//! connection, in a thread of its own: each statement alone costs a hand-off to that
//! thread and back, a commit (the write-ahead log's locks and frames), and sqlx's ping as
//! the connection is given back. Under load renewals queue for that writer anyway; here
//! those that queued while a batch ran go in the next one, as one request: one hand-off,
//! one transaction and one commit for all of them. A lone renewal goes alone, at once: no
//! timer holds anyone back.
//!
//! Each consumption is the statement it would have been alone (`UPDATE … RETURNING`,
//! maybe followed by its successor's `INSERT … WHERE changes() = 1`), run in the order the
//! renewals arrived, so the outcome is the one of running them one after the other. A
//! consumed token's row carries its hash, which says whose it is: a batch never holds one
//! hash twice (a second renewal of a token waits for the next), so no renewal can be told
//! it consumed a token that another renewal's statement consumed. (A marker row after
//! each statement, to tell the rows apart by position instead, made renewals slower:
//! 7,764–7,815/s against 8,241–9,596/s in alternating runs.)

use std::{
    collections::HashSet,
    time::{Duration, Instant},
};

use sea_orm::{
    ConnectionTrait, DatabaseConnection, DbBackend, DbErr, QueryResult, RuntimeErr,
    SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait, Values,
};
use tokio::sync::{mpsc, oneshot};

/// Consumptions in one transaction at most.
const MAX_BATCH: usize = 32;
/// Batches hold statements of one shape, and past this size a multiple of it, so that
/// their text (which sqlx keeps prepared, by text, 100 at most) takes few forms: ten sizes
/// for each of the four shapes of consumption, where any size would take 31 each and,
/// mixed, push the writer's other statements out. Fewer than this are left over.
const SIZE_STEP: usize = 8;
/// Renewals waiting for the writer at most; more wait to be let in.
const QUEUE: usize = 1024;
/// How long a renewal may wait for the writer before it is answered "unavailable"
/// instead: as long as a request waits for a pooled connection (`acquire_timeout`).
const MAX_WAIT: Duration = Duration::from_secs(3);

/// Hands consumptions to the task that runs them on the writer.
#[derive(Clone)]
pub(super) struct Batcher {
    queue: mpsc::Sender<Job>,
    writer: DatabaseConnection,
}

struct Job {
    statement: Statement,
    token_hash: String,
    queued: Instant,
    reply: oneshot::Sender<Result<Vec<QueryResult>, DbErr>>,
}

impl Batcher {
    /// Starts the task, which ends when the last `Batcher` is dropped.
    pub(super) fn start(writer: DatabaseConnection) -> Batcher {
        let (queue, rx) = mpsc::channel(QUEUE);
        tokio::spawn(run(writer.clone(), rx));
        Batcher { queue, writer }
    }

    /// Runs `statement`, the consumption of the token hashed `token_hash`: the rows it
    /// returned (the consumed token's, or none). A caller that stops waiting before its turn comes is dropped from the queue
    /// unrun, as its request to the pool would have been.
    pub(super) async fn consume(
        &self,
        statement: Statement,
        token_hash: &str,
    ) -> Result<Vec<QueryResult>, DbErr> {
        let (reply, answer) = oneshot::channel();
        let job = Job {
            statement,
            token_hash: token_hash.to_owned(),
            queued: Instant::now(),
            reply,
        };
        match self.queue.send(job).await {
            Ok(()) => answer
                .await
                .unwrap_or_else(|_| Err(unavailable("the writer stopped"))),
            // The task is gone (its runtime ended): the writer is still there.
            Err(mpsc::error::SendError(job)) => self.writer.query_all_raw(job.statement).await,
        }
    }
}

fn unavailable(why: &str) -> DbErr {
    DbErr::Conn(RuntimeErr::Internal(why.to_owned()))
}

async fn run(writer: DatabaseConnection, mut queue: mpsc::Receiver<Job>) {
    let mut waiting: Vec<Job> = Vec::with_capacity(MAX_BATCH);
    loop {
        if waiting.is_empty() {
            if queue.recv_many(&mut waiting, MAX_BATCH).await == 0 {
                return;
            }
        } else {
            // Renewals left from the last round go first; top up behind them.
            while waiting.len() < MAX_BATCH {
                match queue.try_recv() {
                    Ok(job) => waiting.push(job),
                    Err(_) => break,
                }
            }
        }
        let mut batch = next_batch(&mut waiting);
        if batch.len() <= 1 {
            if let Some(job) = batch.pop() {
                let _ = job.reply.send(writer.query_all_raw(job.statement).await);
            }
            continue;
        }
        match together(&writer, &batch).await {
            Outcome::Committed(rows) => {
                for (job, rows) in batch.into_iter().zip(rows) {
                    let _ = job.reply.send(Ok(rows));
                }
            }
            Outcome::NotRun => {
                for job in batch {
                    let _ = job.reply.send(writer.query_all_raw(job.statement).await);
                }
            }
            Outcome::Unavailable(why) => {
                for job in batch {
                    let _ = job.reply.send(Err(unavailable(&why)));
                }
            }
        }
    }
}

/// Takes the next batch from `waiting`, in order: renewals whose caller is gone are
/// dropped, those that waited too long are answered "unavailable", and the batch holds
/// the first renewal's shape of statement only, cut to a multiple of [`SIZE_STEP`] when
/// larger. The rest wait.
fn next_batch(waiting: &mut Vec<Job>) -> Vec<Job> {
    let mut live = Vec::with_capacity(waiting.len());
    for job in waiting.drain(..) {
        if job.reply.is_closed() {
            continue;
        }
        if job.queued.elapsed() > MAX_WAIT {
            let _ = job
                .reply
                .send(Err(unavailable("waited too long for the database writer")));
            continue;
        }
        live.push(job);
    }
    let Some(shape) = live.first().map(|j| j.statement.sql.clone()) else {
        return live;
    };
    // Of that shape, each hash once: a second renewal of a token waits for the next batch.
    let mut hashes = HashSet::new();
    let chosen: Vec<bool> = live
        .iter()
        .map(|j| j.statement.sql == shape && hashes.insert(j.token_hash.as_str()))
        .collect();
    let same = chosen.iter().filter(|c| **c).count();
    let mut room = if same <= SIZE_STEP {
        same
    } else {
        same - same % SIZE_STEP
    };
    let mut batch = Vec::with_capacity(room);
    for (job, chosen) in live.into_iter().zip(chosen) {
        if room > 0 && chosen {
            room -= 1;
            batch.push(job);
        } else {
            waiting.push(job);
        }
    }
    batch
}

enum Outcome {
    /// Committed: each renewal's rows, in the batch's order.
    Committed(Vec<Vec<QueryResult>>),
    /// A statement failed and was rolled back: the renewals run one by one, so that only
    /// the failing one fails.
    NotRun,
    /// Answered "unavailable": the transaction could not start (the writer is busy or gone;
    /// one by one, each would wait as long again), or the commit or the rollback failed,
    /// so what was written is unknown and running them again could refuse tokens this
    /// batch consumed.
    Unavailable(String),
}

/// Runs `batch` in one transaction, sea-orm's, which holds the writer throughout: should a
/// statement fail, the rollback happens on that connection before anyone else gets it.
async fn together(writer: &DatabaseConnection, batch: &[Job]) -> Outcome {
    let mut sql = String::new();
    let mut values = Vec::new();
    for job in batch {
        if !sql.is_empty() {
            sql.push_str("; ");
        }
        sql.push_str(&job.statement.sql);
        if let Some(Values(v)) = &job.statement.values {
            values.extend(v.iter().cloned());
        }
    }
    let statement = Statement::from_sql_and_values(DbBackend::Sqlite, sql, values);
    // IMMEDIATE: the write lock is taken at the start, so a write of another process (the
    // `idp` command) is waited for there instead of failing the batch half-way.
    let options = TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..TransactionOptions::default()
    };
    let txn = match writer.begin_with_options(options).await {
        Ok(txn) => txn,
        Err(e) => return Outcome::Unavailable(e.to_string()),
    };
    let rows = match txn.query_all_raw(statement).await {
        Ok(rows) => rows,
        Err(e) => {
            tracing::warn!(error = %e, renewals = batch.len(), "a batch of refresh-token consumptions failed; running them one by one");
            return match txn.rollback().await {
                Ok(()) => Outcome::NotRun,
                Err(e) => Outcome::Unavailable(e.to_string()),
            };
        }
    };
    if let Err(e) = txn.commit().await {
        return Outcome::Unavailable(e.to_string());
    }
    Outcome::Committed(split(rows, batch))
}

/// The rows of each renewal, by the consumed token's hash (a batch holds each hash once).
fn split(rows: Vec<QueryResult>, batch: &[Job]) -> Vec<Vec<QueryResult>> {
    let mut rows: Vec<(Option<String>, QueryResult)> = rows
        .into_iter()
        .map(|row| (row.try_get::<String>("", "token_hash").ok(), row))
        .collect();
    batch
        .iter()
        .map(|job| {
            let mine = rows
                .iter()
                .position(|(hash, _)| hash.as_deref() == Some(job.token_hash.as_str()));
            mine.map(|i| rows.swap_remove(i).1).into_iter().collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn job(sql: &str, hash: &str) -> (Job, oneshot::Receiver<Result<Vec<QueryResult>, DbErr>>) {
        let (reply, answer) = oneshot::channel();
        let job = Job {
            statement: Statement::from_string(DbBackend::Sqlite, sql),
            token_hash: hash.to_owned(),
            queued: Instant::now(),
            reply,
        };
        (job, answer)
    }

    fn shapes(jobs: &[Job]) -> String {
        jobs.iter().map(|j| j.statement.sql.as_str()).collect()
    }

    #[test]
    fn a_batch_is_of_the_first_shape_cut_to_a_multiple_of_the_step_and_the_rest_wait_in_order() {
        let mut answers = Vec::new();
        let mut waiting = Vec::new();
        for (i, sql) in "abaacaaaaaaab".chars().enumerate() {
            let (job, answer) = job(&sql.to_string(), &i.to_string());
            waiting.push(job);
            answers.push(answer);
        }
        // Ten of the first shape: eight go, as a multiple of the step.
        let batch = next_batch(&mut waiting);
        assert_eq!(shapes(&batch), "a".repeat(SIZE_STEP));
        assert_eq!(shapes(&waiting), "bcaab");
        // Below the step, all of a shape go.
        assert_eq!(shapes(&next_batch(&mut waiting)), "bb");
        assert_eq!(shapes(&waiting), "caa");
        assert_eq!(shapes(&next_batch(&mut waiting)), "c");
        assert_eq!(shapes(&next_batch(&mut waiting)), "aa");
        assert!(waiting.is_empty());
    }

    #[test]
    fn renewals_whose_caller_left_are_dropped_and_those_kept_too_long_are_refused() {
        let (gone, answer) = job("a", "1");
        drop(answer);
        let (mut stale, mut stale_answer) = job("a", "2");
        stale.queued = Instant::now() - MAX_WAIT - Duration::from_millis(1);
        let (fresh, _fresh_answer) = job("a", "3");
        let mut waiting = vec![gone, stale, fresh];
        let batch = next_batch(&mut waiting);
        assert_eq!(batch.len(), 1, "only the fresh one");
        assert!(waiting.is_empty());
        let refused = stale_answer.try_recv().expect("answered");
        assert!(matches!(refused, Err(DbErr::Conn(_))), "{refused:?}");
        assert!(next_batch(&mut waiting).is_empty());
    }

    #[test]
    fn a_second_renewal_of_a_token_waits_for_the_next_batch() {
        let mut answers = Vec::new();
        let mut waiting = Vec::new();
        for hash in ["x", "y", "x", "z", "x"] {
            let (job, answer) = job("a", hash);
            waiting.push(job);
            answers.push(answer);
        }
        let hashes =
            |jobs: &[Job]| -> String { jobs.iter().map(|j| j.token_hash.as_str()).collect() };
        assert_eq!(hashes(&next_batch(&mut waiting)), "xyz");
        assert_eq!(hashes(&waiting), "xx");
        assert_eq!(hashes(&next_batch(&mut waiting)), "x");
        assert_eq!(hashes(&next_batch(&mut waiting)), "x");
        assert!(waiting.is_empty());
    }
}
