//! Password hashing with argon2id at OWASP's recommended cost (19 MiB, 2 passes, 1 lane), with a bound on
//! how many hashes run at once.
//!
//! Each hash needs 19 MiB of working memory. Unbounded, a burst of logins (failed ones cost the same,
//! through the dummy hash) would run one hash per blocking thread, up to actix's 512, and keep the
//! allocator's high-water mark for good: 100 concurrent logins took the server from 28 MB to 2 GB. So a
//! hash first takes a [`HashSlot`]: there are about as many slots as cores, each with one memory block that
//! is reused from hash to hash. A request that cannot get a slot within a short queue time is answered
//! `503` with `Retry-After`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use argon2::password_hash::phc::{Output, ParamsString, PasswordHash, Salt};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::error::ApiError;

/// How many hashes may run at once, and how long a request waits for its turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HashingSettings {
    pub concurrency: usize,
    pub queue_timeout: Duration,
}

impl Default for HashingSettings {
    fn default() -> Self {
        Self {
            concurrency: std::thread::available_parallelism().map_or(2, usize::from),
            queue_timeout: Duration::from_secs(2),
        }
    }
}

#[derive(Debug)]
struct Slots {
    permits: Arc<Semaphore>,
    /// Memory blocks not in use; a slot takes one and gives it back when dropped.
    memory: Mutex<Vec<Vec<Block>>>,
    running: AtomicUsize,
    peak: AtomicUsize,
}

#[derive(Debug, Clone)]
pub struct Passwords {
    params: Params,
    settings: HashingSettings,
    /// A real hash of nothing in particular: an unknown email is checked against it, so that an unknown
    /// account and a wrong password take the same time.
    dummy_hash: Arc<str>,
    slots: Arc<Slots>,
}

/// The right to run one hash, with the memory it runs in. Taken with [`Passwords::slot`]; the hashing
/// itself is CPU-heavy, so use the slot off the async workers.
#[derive(Debug)]
pub struct HashSlot {
    passwords: Passwords,
    memory: Vec<Block>,
    _permit: OwnedSemaphorePermit,
}

impl Passwords {
    /// # Errors
    /// Only if argon2 rejects its own parameters.
    pub fn new(settings: HashingSettings) -> Result<Self, ApiError> {
        let params = Params::new(19 * 1024, 2, 1, None).map_err(ApiError::internal)?;
        let concurrency = settings.concurrency.max(1);
        let mut this = Self {
            params,
            settings: HashingSettings {
                concurrency,
                ..settings
            },
            dummy_hash: Arc::from(""),
            slots: Arc::new(Slots {
                permits: Arc::new(Semaphore::new(concurrency)),
                memory: Mutex::new(Vec::new()),
                running: AtomicUsize::new(0),
                peak: AtomicUsize::new(0),
            }),
        };
        let permit = this
            .slots
            .permits
            .clone()
            .try_acquire_owned()
            .map_err(ApiError::internal)?;
        let dummy = this.slot_with(permit).hash("ocf-timing-equaliser")?;
        this.dummy_hash = Arc::from(dummy);
        Ok(this)
    }

    /// Waits for a free hashing slot, for at most the queue time.
    ///
    /// # Errors
    /// [`ApiError::Busy`] (`503` with `Retry-After`) when every slot stays taken for the whole queue time.
    pub async fn slot(&self) -> Result<HashSlot, ApiError> {
        let acquire = self.slots.permits.clone().acquire_owned();
        match tokio::time::timeout(self.settings.queue_timeout, acquire).await {
            Ok(Ok(permit)) => Ok(self.slot_with(permit)),
            Ok(Err(closed)) => Err(ApiError::internal(closed)),
            Err(_) => Err(ApiError::Busy {
                detail: "too many passwords are being checked right now; retry shortly".to_owned(),
                retry_after: 1,
            }),
        }
    }

    /// Takes a slot for code that is not on an async runtime (the command line): waits as long as needed.
    ///
    /// # Errors
    /// Only if the slots were closed, which never happens while `self` lives.
    pub fn slot_blocking(&self) -> Result<HashSlot, ApiError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .map_err(ApiError::internal)?;
        let permit = runtime
            .block_on(self.slots.permits.clone().acquire_owned())
            .map_err(ApiError::internal)?;
        Ok(self.slot_with(permit))
    }

    fn slot_with(&self, permit: OwnedSemaphorePermit) -> HashSlot {
        let memory = lock(&self.slots.memory).pop().unwrap_or_default();
        HashSlot {
            passwords: self.clone(),
            memory,
            _permit: permit,
        }
    }

    /// The most hashes that have ever run at the same moment (never more than the concurrency).
    pub fn peak_concurrent_hashes(&self) -> usize {
        self.slots.peak.load(Ordering::Relaxed)
    }

    pub fn settings(&self) -> HashingSettings {
        self.settings
    }
}

impl HashSlot {
    /// Runs argon2 in this slot's memory block (grown once to the size `params` needs).
    fn run(
        &mut self,
        params: Params,
        algorithm: Algorithm,
        version: Version,
        password: &str,
        salt: &[u8],
        out: &mut [u8],
    ) -> Result<(), argon2::Error> {
        let blocks = params.block_count();
        if self.memory.len() < blocks {
            self.memory.resize(blocks, Block::default());
        }
        let slots = &self.passwords.slots;
        let running = slots.running.fetch_add(1, Ordering::SeqCst) + 1;
        slots.peak.fetch_max(running, Ordering::SeqCst);
        let outcome = Argon2::new(algorithm, version, params).hash_password_into_with_memory(
            password.as_bytes(),
            salt,
            out,
            &mut self.memory[..blocks],
        );
        slots.running.fetch_sub(1, Ordering::SeqCst);
        outcome
    }

    /// Hashes a password into a PHC string with a fresh random salt.
    ///
    /// # Errors
    /// Only on an internal argon2 or RNG failure.
    pub fn hash(mut self, password: &str) -> Result<String, ApiError> {
        self.hash_in(password)
    }

    /// Whether `password` matches `hash`. With no hash (unknown account) it spends the same time on the
    /// dummy hash and fails. A stored hash that does not parse never matches.
    pub fn verify(mut self, password: &str, hash: Option<&str>) -> bool {
        self.verify_in(password, hash)
    }

    /// For a password change: checks `current` against `stored` and, when it matches, hashes `new`, in
    /// this one slot. `None` when `current` is wrong.
    ///
    /// # Errors
    /// Only on an internal argon2 or RNG failure.
    pub fn verify_then_hash(
        mut self,
        current: &str,
        stored: &str,
        new: &str,
    ) -> Result<Option<String>, ApiError> {
        if self.verify_in(current, Some(stored)) {
            self.hash_in(new).map(Some)
        } else {
            Ok(None)
        }
    }

    fn hash_in(&mut self, password: &str) -> Result<String, ApiError> {
        let mut salt = [0u8; argon2::RECOMMENDED_SALT_LEN];
        getrandom::fill(&mut salt).map_err(|e| ApiError::Internal(e.to_string().into()))?;
        let params = self.passwords.params.clone();
        let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
        self.run(
            params.clone(),
            Algorithm::Argon2id,
            Version::V0x13,
            password,
            &salt,
            &mut out,
        )
        .map_err(ApiError::internal)?;
        let hash = PasswordHash {
            algorithm: Algorithm::Argon2id.ident(),
            version: Some(Version::V0x13.into()),
            params: ParamsString::try_from(&params).map_err(ApiError::internal)?,
            salt: Some(Salt::new(&salt).map_err(ApiError::internal)?),
            hash: Some(Output::new(&out).map_err(ApiError::internal)?),
        };
        Ok(hash.to_string())
    }

    fn verify_in(&mut self, password: &str, hash: Option<&str>) -> bool {
        let dummy = self.passwords.dummy_hash.clone();
        let target = hash.unwrap_or(&dummy);
        let matches = self.check(password, target).unwrap_or(false);
        matches && hash.is_some()
    }

    fn check(&mut self, password: &str, phc: &str) -> Result<bool, argon2::password_hash::Error> {
        let parsed = PasswordHash::new(phc)?;
        let algorithm = Algorithm::try_from(parsed.algorithm.as_str())?;
        let version = parsed
            .version
            .map(Version::try_from)
            .transpose()?
            .unwrap_or_default();
        let params = Params::try_from(&parsed)?;
        let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
            return Ok(false);
        };
        let mut out = vec![0u8; expected.len()];
        self.run(
            params,
            algorithm,
            version,
            password,
            salt.as_ref(),
            &mut out,
        )?;
        // `Output`'s equality is constant-time.
        Ok(Output::new(&out)? == expected)
    }
}

impl Drop for HashSlot {
    fn drop(&mut self) {
        let memory = std::mem::take(&mut self.memory);
        if !memory.is_empty() {
            let mut pool = lock(&self.passwords.slots.memory);
            if pool.len() < self.passwords.settings.concurrency {
                pool.push(memory);
            }
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::PasswordVerifier;

    fn passwords(concurrency: usize, queue_timeout: Duration) -> Result<Passwords, ApiError> {
        Passwords::new(HashingSettings {
            concurrency,
            queue_timeout,
        })
    }

    #[tokio::test]
    async fn hashes_verify_and_wrong_passwords_do_not() -> Result<(), ApiError> {
        let p = passwords(2, Duration::from_secs(5))?;
        let h = p.slot().await?.hash("correct horse battery")?;
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(p.slot().await?.verify("correct horse battery", Some(&h)));
        assert!(!p.slot().await?.verify("wrong horse battery", Some(&h)));
        assert!(!p.slot().await?.verify("ocf-timing-equaliser", None));
        assert!(!p.slot().await?.verify("anything", Some("not a phc string")));
        Ok(())
    }

    #[tokio::test]
    async fn hashes_are_standard_phc_strings_both_ways() -> Result<(), ApiError> {
        let p = passwords(1, Duration::from_secs(5))?;
        // Ours verify with the argon2 crate's own verifier...
        let ours = p.slot().await?.hash("gwanghwamoon-1st-street")?;
        assert!(
            Argon2::default()
                .verify_password(b"gwanghwamoon-1st-street", ours.as_str())
                .is_ok()
        );
        // ...and the crate's (as stored by earlier versions) verify with ours.
        let theirs = argon2::PasswordHasher::hash_password(
            &Argon2::new(Algorithm::Argon2id, Version::V0x13, p.params.clone()),
            b"older account",
        )
        .map_err(ApiError::internal)?
        .to_string();
        assert!(p.slot().await?.verify("older account", Some(&theirs)));
        Ok(())
    }

    #[tokio::test]
    async fn no_more_than_the_bound_ever_hash_at_once_and_the_rest_are_told_to_retry()
    -> Result<(), ApiError> {
        let p = passwords(2, Duration::from_millis(200))?;
        let hash = p.slot().await?.hash("the right password")?;
        let tasks: Vec<_> = (0..200)
            .map(|_| {
                let (p, hash) = (p.clone(), hash.clone());
                tokio::spawn(async move {
                    let slot = p.slot().await?;
                    tokio::task::spawn_blocking(move || {
                        slot.verify("a wrong password", Some(&hash))
                    })
                    .await
                    .map_err(ApiError::internal)
                })
            })
            .collect();
        let (mut checked, mut busy) = (0, 0);
        for t in tasks {
            match t.await.map_err(ApiError::internal)? {
                Ok(matched) => {
                    assert!(!matched);
                    checked += 1;
                }
                Err(ApiError::Busy { retry_after, .. }) => {
                    assert_eq!(retry_after, 1);
                    busy += 1;
                }
                Err(other) => return Err(other),
            }
        }
        assert_eq!(checked + busy, 200);
        assert!(checked >= 2, "{checked}");
        assert!(busy > 0, "a 200 ms queue cannot take 200 hashes on 2 slots");
        assert_eq!(p.peak_concurrent_hashes(), 2);
        assert!(
            lock(&p.slots.memory).len() <= 2,
            "one memory block per slot"
        );
        Ok(())
    }
}
